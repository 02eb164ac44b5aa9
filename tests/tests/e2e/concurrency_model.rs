//! The concurrency model (issue 11): many GraphQL clients at once run a random mix of receipts,
//! issues, waste, transfers both ways, backdated entries, stock counts and reversals against a
//! handful of (ingredient, storage unit) pairs, while a POS migration posts 30 days of sales
//! into the same storage unit. Afterwards the books hold exactly what the clients were told,
//! and every invariant holds.

use std::collections::HashMap;

use chrono::{Duration, Utc};
use entity::ledger_entry;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use tests::TestApp;
use tests::books::check_invariants;
use tests::dice::Dice;
use tests::pos::{days_ago, sales_csv};

const CLIENTS: u64 = 16;
const STEPS: u64 = 10;

/// What one client was told.
#[derive(Default)]
struct Told {
    /// Entry ids the client saw created.
    entries: Vec<i64>,
}

fn entry_ids(v: &Value) -> Vec<i64> {
    match v {
        Value::Array(list) => list.iter().flat_map(entry_ids).collect(),
        Value::Object(o) => o
            .get("id")
            .and_then(Value::as_str)
            .and_then(|id| id.parse().ok())
            .into_iter()
            .collect(),
        _ => vec![],
    }
}

async fn client(
    app: &TestApp,
    token: &str,
    units: &[String],
    ingredients: &[String],
    n: u64,
) -> Told {
    let mut dice = Dice::new(0x9E37_79B9_7F4A_7C15 ^ (n + 1).wrapping_mul(0x2545_F491_4F6C_DD1D));
    let mut told = Told::default();
    let mut reversible: Vec<i64> = Vec::new();
    for step in 0..STEPS {
        let unit = &units[dice.roll(units.len() as u64) as usize];
        let other = &units[dice.roll(units.len() as u64) as usize];
        let ingredient = &ingredients[dice.roll(ingredients.len() as u64) as usize];
        let quantity = format!("{}.{}", 1 + dice.roll(9), dice.roll(1000));
        // Every third entry lands up to five days back, among the POS days and others' entries.
        let occurred_at = (dice.roll(3) == 0).then(|| {
            (Utc::now() - Duration::minutes(1 + dice.roll(5 * 24 * 60) as i64)).to_rfc3339()
        });
        let input = json!({"storageUnitId": unit, "ingredientId": ingredient, "quantity": quantity, "occurredAt": occurred_at});
        let (field, r) = match dice.roll(8) {
            0 | 1 => ("postReceipt", app.gql(Some(token), "mutation($i: MovementInput!, $c: Decimal!) { postReceipt(input: $i, unitCost: $c) { id } }", json!({"i": input, "c": format!("{}.{:02}", 1 + dice.roll(20), dice.roll(100))})).await),
            2 => ("postIssue", app.gql(Some(token), "mutation($i: MovementInput!) { postIssue(input: $i) { id } }", json!({"i": input})).await),
            3 => ("postWaste", app.gql(Some(token), "mutation($i: MovementInput!) { postWaste(input: $i, reason: \"Spoiled\") { id } }", json!({"i": input})).await),
            4 | 5 if unit != other => ("transferStock", app.gql(Some(token), "mutation($f: ID!, $t: ID!, $i: ID!, $q: Decimal!, $at: DateTime) { transferStock(fromStorageUnitId: $f, toStorageUnitId: $t, ingredientId: $i, quantity: $q, occurredAt: $at) { id } }", json!({"f": unit, "t": other, "i": ingredient, "q": quantity, "at": occurred_at})).await),
            6 => {
                let at = occurred_at.unwrap_or_else(|| Utc::now().to_rfc3339());
                ("postStockCount", app.gql(Some(token), "mutation($s: ID!, $at: DateTime!, $i: ID!, $q: Decimal!) { postStockCount(storageUnitId: $s, countedAt: $at, lines: [{ingredientId: $i, countedQuantity: $q}]) { id } }", json!({"s": unit, "at": at, "i": ingredient, "q": quantity})).await)
            }
            _ if !reversible.is_empty() => {
                let id = reversible.remove(dice.roll(reversible.len() as u64) as usize);
                ("reverseEntry", app.gql(Some(token), "mutation($e: ID!) { reverseEntry(entryId: $e) { id } }", json!({"e": id.to_string()})).await)
            }
            _ => ("postIssue", app.gql(Some(token), "mutation($i: MovementInput!) { postIssue(input: $i) { id } }", json!({"i": input})).await),
        };
        if r.get("errors").is_some() {
            panic!("client {n}, step {step}: {field} failed: {r:#}");
        }
        let ids = entry_ids(&r["data"][field]);
        // Transfers are undone by transferring back, and a reversal is not reversed again.
        if !matches!(field, "transferStock" | "reverseEntry") {
            reversible.extend(&ids);
        }
        told.entries.extend(ids);
    }
    told
}

async fn concurrent_mix(app: TestApp) {
    let s = app.csv_setup("model@example.com").await;
    let mut units = vec![s.kitchen.clone()];
    for name in ["Bar", "Main Storage"] {
        let r = app
            .ok(&s.token, "mutation($c: ID!, $n: String!) { createStorageUnit(companyId: $c, name: $n) { id } }", json!({"c": s.company, "n": name}))
            .await;
        units.push(r["createStorageUnit"]["id"].as_str().unwrap().to_string());
    }
    let ingredients = vec![s.beans.clone(), s.milk.clone()];

    // 30 days of cappuccinos and espressos, stored before activation; the migration posts them
    // into the Kitchen while the clients write.
    let mut rows = Vec::new();
    let days: Vec<_> = (2..32).map(days_ago).collect();
    for day in &days {
        rows.push(("CAP", "Cappuccino", "12", "42.00", *day, "09:30"));
        rows.push(("ESP", "Espresso", "7", "17.50", *day, "15:00"));
    }
    let up = app
        .upload_csv(
            &s.token,
            &s.integration,
            &s.location,
            "month.csv",
            sales_csv(&rows),
            false,
        )
        .await;
    let upload_job = up["data"]["uploadPosCsv"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{up:#}"))
        .to_string();
    assert_eq!(
        app.wait_job(&s.token, &upload_job).await["state"],
        "SUCCEEDED"
    );
    app.ok(&s.token, "mutation($i: ID!, $r: ID!) { mapPosItem(integrationId: $i, externalId: \"CAP\", recipeId: $r, quantityFactor: \"1\") { externalId } }", json!({"i": s.integration, "r": s.cappuccino})).await;
    app.ok(&s.token, "mutation($i: ID!, $b: ID!) { mapPosItem(integrationId: $i, externalId: \"ESP\", ingredientId: $b, quantityFactor: \"0.009\") { externalId } }", json!({"i": s.integration, "b": s.beans})).await;
    let migration = app
        .ok(
            &s.token,
            "mutation($l: ID!) { activateLocation(locationId: $l) { id } }",
            json!({"l": s.location}),
        )
        .await["activateLocation"]["id"]
        .as_str()
        .unwrap()
        .to_string();

    let app = std::sync::Arc::new(app);
    let (units, ingredients) = (std::sync::Arc::new(units), std::sync::Arc::new(ingredients));
    let mut clients = Vec::new();
    for n in 0..CLIENTS {
        let (app, token, units, ingredients) = (
            app.clone(),
            s.token.clone(),
            units.clone(),
            ingredients.clone(),
        );
        clients.push(tokio::spawn(async move {
            client(&app, &token, &units, &ingredients, n).await
        }));
    }
    let mut told = Vec::new();
    for c in clients {
        told.push(c.await.expect("a client panicked"));
    }
    let done = app.wait_job(&s.token, &migration).await;
    assert_eq!(done["state"], "SUCCEEDED", "{done:#}");
    assert_eq!(done["progressDone"], 90);

    let company: i64 = s.company.parse().unwrap();
    let entries = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::CompanyId.eq(company))
        .all(&app.db)
        .await
        .unwrap();
    let by_id: HashMap<i64, &ledger_entry::Model> = entries.iter().map(|e| (e.id, e)).collect();
    // Every entry a client was told about is in the ledger, once.
    let mut seen = std::collections::HashSet::new();
    for id in told.iter().flat_map(|t| &t.entries) {
        assert!(
            by_id.contains_key(id),
            "entry {id} a client saw posted is missing"
        );
        assert!(seen.insert(*id), "entry {id} was reported twice");
    }
    // Nothing else was posted but the POS days, and each day once: 30 days of 12 cappuccinos
    // (18 g beans, 150 ml milk) and 7 espressos (9 g beans).
    let pos: Vec<_> = entries
        .iter()
        .filter(|e| e.source_kind == ledger_entry::SourceKind::PosSale)
        .collect();
    assert_eq!(
        entries.len(),
        seen.len() + pos.len(),
        "no entry beyond the clients' and the POS's"
    );
    let sold = |ingredient: &str| -> i64 {
        let id: i64 = ingredient.parse().unwrap();
        pos.iter()
            .filter(|e| e.ingredient_id == id)
            .map(|e| e.quantity_micro)
            .sum()
    };
    assert_eq!(
        sold(&s.beans),
        -30 * (12 * 18_000 + 7 * 9_000),
        "beans sold, each day once"
    );
    assert_eq!(
        sold(&s.milk),
        -30 * 12 * 150_000,
        "milk sold, each day once"
    );
    check_invariants(&app.db, company).await;
}
tests::on_both_backends!(
    concurrent_clients_and_pos_days_keep_the_books,
    concurrent_mix
);

/// Eight managers reverse the same entry at the same moment: one reversal is posted, the others
/// are told it was already reversed (the check used to run before the write lock, so several
/// could pass it).
async fn one_reversal_of_many(app: TestApp) {
    let k = app.kitchen("reverse@example.com").await;
    let posted = app
        .ok(&k.token, "mutation($s: ID!, $i: ID!) { postReceipt(input: {storageUnitId: $s, ingredientId: $i, quantity: \"5\"}, unitCost: \"2\") { id } }", json!({"s": k.unit, "i": k.flour}))
        .await["postReceipt"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let app = std::sync::Arc::new(app);
    let mut managers = Vec::new();
    for _ in 0..8 {
        let (app, token, entry) = (app.clone(), k.token.clone(), posted.clone());
        managers.push(tokio::spawn(async move {
            app.gql(
                Some(&token),
                "mutation($e: ID!) { reverseEntry(entryId: $e) { id } }",
                json!({"e": entry}),
            )
            .await
        }));
    }
    let mut reversed = 0;
    for m in managers {
        let r = m.await.unwrap();
        if r.get("errors").is_none() {
            reversed += 1;
        } else {
            assert_eq!(tests::error_code(&r), "CONFLICT", "{r:#}");
        }
    }
    assert_eq!(reversed, 1, "exactly one reversal is posted");
    assert_eq!(
        app.ledger_count(&k).await,
        2,
        "the receipt and one reversal"
    );
    check_invariants(&app.db, k.company_id).await;
}
tests::on_both_backends!(
    an_entry_reversed_at_once_by_many_is_reversed_once,
    one_reversal_of_many
);
