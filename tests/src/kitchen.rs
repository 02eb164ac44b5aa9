//! The smallest company a test can post in: one storage unit and flour (KG, in 25 KG sacks).

use serde_json::json;

use crate::TestApp;

pub struct Kitchen {
    pub token: String,
    pub company: String,
    /// The company's row id (the GraphQL id is its decimal form).
    pub company_id: i64,
    pub unit: String,
    pub flour: String,
}

impl TestApp {
    /// Signs up `email` with a Kitchen and flour.
    pub async fn kitchen(&self, email: &str) -> Kitchen {
        let (token, company) = self.sign_up(email).await;
        let unit = self
            .ok(
                &token,
                "mutation($c: ID!) { createStorageUnit(companyId: $c, name: \"Kitchen\") { id } }",
                json!({"c": company}),
            )
            .await["createStorageUnit"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let flour = self
            .ok(&token, "mutation($c: ID!) { createIngredient(companyId: $c, name: \"Flour\", baseUnit: KG, packagingLevels: [{name: \"sack\", factor: \"25\"}]) { id } }", json!({"c": company}))
            .await["createIngredient"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        Kitchen {
            company_id: company.parse().expect("a decimal id"),
            token,
            company,
            unit,
            flour,
        }
    }

    /// How many ledger entries the kitchen's company has.
    pub async fn ledger_count(&self, k: &Kitchen) -> i64 {
        self.ok(
            &k.token,
            "query($c: ID!) { ledger(companyId: $c, first: 1) { totalCount } }",
            json!({"c": k.company}),
        )
        .await["ledger"]["totalCount"]
            .as_i64()
            .unwrap()
    }
}
