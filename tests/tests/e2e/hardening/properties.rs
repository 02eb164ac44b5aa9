//! Property (issue 10): whatever decimals and strings reach the movement and recipe mutations,
//! the answer is data or a clear refusal — never INTERNAL, never a dropped connection — and the
//! ledger holds exactly the postings that were answered with data.

use proptest::prelude::*;
use serde_json::{Value, json};
use tests::{Backend, TestApp};

/// Decimal-looking text of every size, floats' spellings, and junk.
fn decimal_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "-?[0-9]{1,32}(\\.[0-9]{1,32})?",
        any::<f64>().prop_map(|f| f.to_string()),
        any::<i64>().prop_map(|i| i.to_string()),
        "-?[0-9]{1,3}e[0-9]{1,3}",
        "[ -~]{0,24}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,64}",
        "\\PC{0,64}",
        (0usize..5000).prop_map(|n| "x".repeat(n)),
        Just("%".into()),
        Just("_".into()),
    ]
}

#[derive(Debug, Clone)]
struct Attempt {
    quantity: String,
    cost: String,
    trim: String,
    unit: &'static str,
    reason: String,
    name: String,
}

fn attempt() -> impl Strategy<Value = Attempt> {
    (
        decimal_text(),
        decimal_text(),
        decimal_text(),
        prop::sample::select(vec!["KG", "G", "L", "PCS"]),
        text(),
        text(),
    )
        .prop_map(|(quantity, cost, trim, unit, reason, name)| Attempt {
            quantity,
            cost,
            trim,
            unit,
            reason,
            name,
        })
}

/// Data, or an error a user can act on: never INTERNAL.
fn answered(what: &str, response: &Value) -> bool {
    match response.get("errors") {
        None => true,
        Some(errors) => {
            let code = errors[0]["extensions"]["code"].as_str().unwrap_or("");
            assert_ne!(code, "INTERNAL", "{what}: {response}");
            false
        }
    }
}

fn random_input_is_data_or_a_clear_refusal(backend: Backend) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let app = runtime.block_on(TestApp::spawn(backend));
    let (token, company, unit, flour) = runtime.block_on(async {
        let (token, company) = app.sign_up("fuzz@example.com").await;
        let unit = app
            .ok(&token, "mutation($c: ID!) { createStorageUnit(companyId: $c, name: \"Kitchen\") { id } }", json!({"c": company}))
            .await["createStorageUnit"]["id"]
            .clone();
        let flour = app
            .ok(&token, "mutation($c: ID!) { createIngredient(companyId: $c, name: \"Flour\", baseUnit: KG) { id } }", json!({"c": company}))
            .await["createIngredient"]["id"]
            .clone();
        (token, company, unit, flour)
    });
    let posted = std::cell::Cell::new(0i64);
    let config = ProptestConfig {
        cases: 96,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(a in attempt())| {
        runtime.block_on(async {
            let movement = json!({"storageUnitId": unit, "ingredientId": flour, "quantity": a.quantity, "unit": a.unit});
            let receipt = app.gql(Some(&token), "mutation($in: MovementInput!, $c: Decimal!) { postReceipt(input: $in, unitCost: $c) { id } }", json!({"in": movement, "c": a.cost})).await;
            if answered("postReceipt", &receipt) {
                posted.set(posted.get() + 1);
            }
            let waste = app.gql(Some(&token), "mutation($in: MovementInput!, $r: String!) { postWaste(input: $in, reason: $r) { id } }", json!({"in": movement, "r": a.reason})).await;
            if answered("postWaste", &waste) {
                posted.set(posted.get() + 1);
            }
            let recipe = app.gql(Some(&token), "mutation($c: ID!, $n: String!, $l: [RecipeLineInput!]!) { createRecipe(companyId: $c, name: $n, yieldQuantity: \"1\", lines: $l) { id expanded { quantity } } }", json!({"c": company, "n": a.name, "l": [{"ingredientId": flour, "quantity": a.quantity, "unit": a.unit, "trimPercent": a.trim}]})).await;
            answered("createRecipe", &recipe);
            let filter = app.gql(Some(&token), "query($c: ID!, $m: Decimal, $s: String) { ledger(companyId: $c, filter: {minCurrentStock: $m}) { totalCount } ingredients(companyId: $c, search: $s) { id } }", json!({"c": company, "m": a.cost, "s": a.name})).await;
            answered("ledger filter", &filter);
        });
    });
    let total = runtime.block_on(app.ok(
        &token,
        "query($c: ID!) { ledger(companyId: $c, first: 1) { totalCount } }",
        json!({"c": company}),
    ))["ledger"]["totalCount"]
        .as_i64()
        .unwrap();
    assert_eq!(
        total,
        posted.get(),
        "the ledger holds exactly what was answered with data"
    );
    drop(app);
}

#[test]
fn random_input_is_data_or_a_clear_refusal_sqlite() {
    random_input_is_data_or_a_clear_refusal(Backend::Sqlite)
}

#[test]
fn random_input_is_data_or_a_clear_refusal_postgres() {
    random_input_is_data_or_a_clear_refusal(Backend::Postgres)
}
