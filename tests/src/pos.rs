//! Helpers for the POS tests: a CSV integration set up through the API, uploads by GraphQL
//! multipart, waiting for jobs, and signed webhooks.

use std::time::Duration;

use chrono::{Duration as Days, NaiveDate, Utc};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::TestApp;

pub const CSV_CONFIG: &str = r#"{delimiter: ",", hasHeader: true, codeColumn: "Code", nameColumn: "Item", quantityColumn: "Qty", salesValueColumn: "Total", dateColumn: "Sold at", dateFormat: "%Y-%m-%d %H:%M"}"#;

pub struct CsvSetup {
    pub token: String,
    pub company: String,
    pub kitchen: String,
    pub integration: String,
    pub location: String,
    /// Coffee beans (KG), milk (L), bread (PCS).
    pub beans: String,
    pub milk: String,
    pub bread: String,
    /// A cappuccino: 0.018 KG beans + 0.15 L milk per portion.
    pub cappuccino: String,
}

fn id(v: &Value) -> String {
    v.as_str().expect("an id").to_string()
}

impl TestApp {
    /// A company with a Kitchen, three ingredients, a recipe, and a CSV integration with one
    /// location linked to the Kitchen (not activated).
    pub async fn csv_setup(&self, email: &str) -> CsvSetup {
        let (token, company) = self.sign_up(email).await;
        let c = json!({"c": company});
        let kitchen = self
            .ok(
                &token,
                "mutation($c: ID!) { createStorageUnit(companyId: $c, name: \"Kitchen\") { id } }",
                c.clone(),
            )
            .await;
        let kitchen = id(&kitchen["createStorageUnit"]["id"]);
        let mut ids = Vec::new();
        for (name, unit) in [("Coffee beans", "KG"), ("Milk", "L"), ("Bread", "PCS")] {
            let r = self.ok(&token, "mutation($c: ID!, $n: String!, $u: BaseUnit!) { createIngredient(companyId: $c, name: $n, baseUnit: $u) { id } }", json!({"c": company, "n": name, "u": unit})).await;
            ids.push(id(&r["createIngredient"]["id"]));
        }
        let recipe = self
            .ok(&token, "mutation($c: ID!, $b: ID!, $m: ID!) { createRecipe(companyId: $c, name: \"Cappuccino\", yieldQuantity: \"1\", lines: [{ingredientId: $b, quantity: \"18\", unit: G}, {ingredientId: $m, quantity: \"150\", unit: ML}]) { id } }", json!({"c": company, "b": ids[0], "m": ids[1]}))
            .await;
        let integration = self
            .ok(&token, "mutation($c: ID!) { createPosIntegration(companyId: $c, provider: CSV, name: \"Till export\") { id connectionState } }", c.clone())
            .await;
        assert_eq!(
            integration["createPosIntegration"]["connectionState"],
            "NOT_CONNECTED"
        );
        let integration = id(&integration["createPosIntegration"]["id"]);
        self.ok(&token, &format!("mutation($i: ID!) {{ configureCsvImport(integrationId: $i, config: {CSV_CONFIG}) {{ connectionState }} }}"), json!({"i": integration})).await;
        let location = self
            .ok(&token, "mutation($i: ID!) { createPosLocation(integrationId: $i, externalId: \"main-street\", name: \"Main Street\") { id } }", json!({"i": integration}))
            .await;
        let location = id(&location["createPosLocation"]["id"]);
        self.ok(&token, "mutation($l: ID!, $s: ID!) { linkStorageUnit(locationId: $l, storageUnitId: $s) { id } }", json!({"l": location, "s": kitchen})).await;
        CsvSetup {
            token,
            company,
            kitchen,
            integration,
            location,
            beans: ids[0].clone(),
            milk: ids[1].clone(),
            bread: ids[2].clone(),
            cappuccino: id(&recipe["createRecipe"]["id"]),
        }
    }

    /// Uploads a file by GraphQL multipart; returns the whole response.
    pub async fn upload_csv(
        &self,
        token: &str,
        integration: &str,
        location: &str,
        name: &str,
        content: Vec<u8>,
        post_valid_rows_only: bool,
    ) -> Value {
        let operations = json!({
            "query": "mutation($i: ID!, $l: ID!, $f: Upload!, $v: Boolean) { uploadPosCsv(integrationId: $i, locationId: $l, file: $f, postValidRowsOnly: $v) { id state kind } }",
            "variables": {"i": integration, "l": location, "f": null, "v": post_valid_rows_only},
        });
        let form = reqwest::multipart::Form::new()
            .text("operations", operations.to_string())
            .text("map", json!({"0": ["variables.f"]}).to_string())
            .part(
                "0",
                reqwest::multipart::Part::bytes(content)
                    .file_name(name.to_string())
                    .mime_str("text/csv")
                    .expect("mime"),
            );
        self.client
            .post(format!("{}/graphql", self.address))
            .bearer_auth(token)
            .multipart(form)
            .send()
            .await
            .expect("upload reaches the server")
            .json()
            .await
            .expect("JSON answer")
    }

    /// Polls a job until it ends; returns it.
    pub async fn wait_job(&self, token: &str, job: &str) -> Value {
        let deadline = std::time::Instant::now() + Duration::from_secs(300);
        loop {
            let r = self
                .ok(token, "query($j: ID!) { job(id: $j) { id kind state progressDone progressTotal message error attempts csvImport { state rowsTotal rowsInvalid rowErrors { row column message value } } } }", json!({"j": job}))
                .await;
            let state = r["job"]["state"].as_str().unwrap_or("").to_string();
            if matches!(state.as_str(), "SUCCEEDED" | "FAILED" | "CANCELLED") {
                return r["job"].clone();
            }
            assert!(
                std::time::Instant::now() < deadline,
                "job {job} did not end: {r:#}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Activates a location and waits for its historical migration.
    pub async fn activate(&self, token: &str, location: &str) -> Value {
        let job = self
            .ok(token, "mutation($l: ID!) { activateLocation(locationId: $l) { id kind state progressTotal } }", json!({"l": location}))
            .await;
        assert_eq!(job["activateLocation"]["kind"], "HISTORICAL_MIGRATION");
        assert_eq!(job["activateLocation"]["progressTotal"], 90);
        self.wait_job(token, job["activateLocation"]["id"].as_str().unwrap())
            .await
    }

    /// Current stock of an ingredient in a storage unit, as a string decimal ("0" if none).
    pub async fn stock(&self, token: &str, company: &str, unit: &str, ingredient: &str) -> String {
        let r = self
            .ok(token, "query($c: ID!, $s: ID) { stockLevels(companyId: $c, storageUnitId: $s) { ingredient { id } quantity } }", json!({"c": company, "s": unit}))
            .await;
        r["stockLevels"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["ingredient"]["id"] == ingredient)
            .map(|l| l["quantity"].as_str().unwrap().to_string())
            .unwrap_or_else(|| "0".into())
    }
}

/// A date `n` calendar days before today in UTC (two days back is always a closed business day).
pub fn days_ago(n: i64) -> NaiveDate {
    (Utc::now() - Days::days(n)).date_naive()
}

/// The business-day start hour every new company gets at sign-up.
const SIGN_UP_DAY_START_HOUR: i64 = 5;

/// The last business day that has closed for a company made by [`TestApp::sign_up`]
/// (Europe/Berlin, business days start at 05:00). Between midnight and 05:00 in Berlin the
/// calendar day before is still open: a test that took the calendar date failed at that hour.
pub fn last_closed_day() -> NaiveDate {
    crate::calendar::open_business_day(chrono_tz::Europe::Berlin, SIGN_UP_DAY_START_HOUR)
        - Days::days(1)
}

/// A sales file in the [`CSV_CONFIG`] format: (code, name, quantity, total, date, "HH:MM").
pub fn sales_csv(rows: &[(&str, &str, &str, &str, NaiveDate, &str)]) -> Vec<u8> {
    let mut out = String::from("Code,Item,Qty,Total,Sold at\n");
    for (code, name, qty, total, date, time) in rows {
        out.push_str(&format!("{code},{name},{qty},{total},{date} {time}\n"));
    }
    out.into_bytes()
}

/// Sends a webhook signed with `secret` at `timestamp`; returns (status, body).
pub async fn send_webhook(
    app: &TestApp,
    integration: &str,
    secret: &str,
    timestamp: i64,
    body: &Value,
) -> (u16, Value) {
    let body = body.to_string();
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.{body}").as_bytes());
    let signature = format!("v1={}", hex::encode(mac.finalize().into_bytes()));
    let r = app
        .client
        .post(format!("{}/webhooks/{integration}", app.address))
        .header("X-Larder-Timestamp", timestamp.to_string())
        .header("X-Larder-Signature", signature)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}
