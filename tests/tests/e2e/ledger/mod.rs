//! The ledger end to end over GraphQL: DESIGN.md's worked examples, backdating, transfers,
//! counts, reversals, reading, and bad input refused with nothing written.

mod postings;
mod properties;
mod reading;
mod storage;
mod workflows;

use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use tests::{TestApp, error_code, error_field, on_both_backends};

struct Shop {
    token: String,
    company: String,
    main: String,
    bar: String,
    tomatoes: String,
}

async fn shop(app: &TestApp) -> Shop {
    let (token, company) = app.sign_up("chef@example.com").await;
    let unit = |n: &str| json!({"c": company, "n": n});
    let main = app
        .ok(
            &token,
            "mutation($c: ID!, $n: String!) { createStorageUnit(companyId: $c, name: $n) { id } }",
            unit("Main Storage"),
        )
        .await;
    let bar = app
        .ok(
            &token,
            "mutation($c: ID!, $n: String!) { createStorageUnit(companyId: $c, name: $n) { id } }",
            unit("Bar"),
        )
        .await;
    let t = app
        .ok(&token, "mutation($c: ID!) { createIngredient(companyId: $c, name: \"Tomatoes\", baseUnit: KG, packagingLevels: [{name: \"box\", factor: \"10\"}]) { id } }", json!({"c": company}))
        .await;
    Shop {
        main: main["createStorageUnit"]["id"].as_str().unwrap().into(),
        bar: bar["createStorageUnit"]["id"].as_str().unwrap().into(),
        tomatoes: t["createIngredient"]["id"].as_str().unwrap().into(),
        token,
        company,
    }
}

const ENTRY: &str = "id transactionType quantity unitCost value balanceAfter averageCostAfter occurredAt reason reversalOf source { kind id }";

async fn receipt(
    app: &TestApp,
    s: &Shop,
    storage: &str,
    quantity: &str,
    cost: &str,
    at: &str,
) -> Value {
    let q = format!(
        "mutation($in: MovementInput!, $c: Decimal!) {{ postReceipt(input: $in, unitCost: $c) {{ {ENTRY} }} }}"
    );
    app.ok(&s.token, &q, json!({"in": {"storageUnitId": storage, "ingredientId": s.tomatoes, "quantity": quantity, "occurredAt": at}, "c": cost}))
        .await["postReceipt"]
        .clone()
}

async fn ledger(app: &TestApp, s: &Shop, storage: &str) -> Vec<Value> {
    let q = format!(
        "query($c: ID!, $f: LedgerFilter) {{ ledger(companyId: $c, filter: $f, first: 500) {{ totalCount edges {{ node {{ {ENTRY} }} }} }} }}"
    );
    let data = app.ok(&s.token, &q, json!({"c": s.company, "f": {"storageUnitIds": [storage], "ingredientIds": [s.tomatoes]}})).await;
    data["ledger"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

fn column(entries: &[Value], field: &str) -> Vec<String> {
    entries
        .iter()
        .map(|e| e[field].as_str().unwrap_or("null").to_string())
        .collect()
}

async fn summary(app: &TestApp, s: &Shop, storage: &str) -> Value {
    app.ok(&s.token, "query($i: ID!, $s: ID!) { ledgerSummary(ingredientId: $i, storageUnitId: $s) { currentBalance totalReceipts totalIssues totalEntries averageCost value } }", json!({"i": s.tomatoes, "s": storage}))
        .await["ledgerSummary"]
        .clone()
}
