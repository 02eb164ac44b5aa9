//! Purchasing (DESIGN.md, "Purchasing"): stock policies, the usage forecast, reorder
//! suggestions and the draft orders made of them, worked by hand on both databases.

mod forecast;
mod worked;

use serde_json::{Value, json};
use tests::TestApp;
use tests::calendar::{local, rfc3339};

pub fn id(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("an id, not {v}"))
        .to_string()
}

pub fn dec(v: &Value) -> rust_decimal::Decimal {
    v.as_str()
        .unwrap_or_else(|| panic!("a decimal, not {v}"))
        .parse()
        .unwrap()
}

/// Issues `quantity` of `ingredient` from `unit` at `at`.
pub async fn issue(
    app: &TestApp,
    token: &str,
    unit: &str,
    ingredient: &str,
    quantity: &str,
    at: chrono::DateTime<chrono::Utc>,
) {
    app.ok(
        token,
        "mutation($i: MovementInput!) { postIssue(input: $i) { id } }",
        json!({"i": {"ingredientId": ingredient, "storageUnitId": unit, "quantity": quantity, "occurredAt": rfc3339(at)}}),
    )
    .await;
}

/// Receives `quantity` at `unit_cost` long before any window.
pub async fn receive(
    app: &TestApp,
    token: &str,
    unit: &str,
    ingredient: &str,
    quantity: &str,
    unit_cost: &str,
) {
    let long_ago = chrono::Utc::now() - chrono::Duration::days(120);
    app.ok(
        token,
        "mutation($i: MovementInput!, $c: Decimal!) { postReceipt(input: $i, unitCost: $c) { id } }",
        json!({"i": {"ingredientId": ingredient, "storageUnitId": unit, "quantity": quantity, "occurredAt": rfc3339(long_ago)}, "c": unit_cost}),
    )
    .await;
}

/// Noon on each of the `n` business days completed before `open_day` (Berlin, days from 05:00).
pub fn noons_before(
    open_day: chrono::NaiveDate,
    n: i64,
) -> Vec<(chrono::NaiveDate, chrono::DateTime<chrono::Utc>)> {
    (1..=n)
        .map(|k| {
            let day = open_day - chrono::Duration::days(k);
            (day, local(chrono_tz::Europe::Berlin, day, 12, 0))
        })
        .collect()
}

pub const SUGGESTIONS: &str = "query($c: ID!, $u: ID) { reorderSuggestions(companyId: $c, storageUnitId: $u) { ingredient { name } storageUnit { name } kind product { id name } vendor { name } onHand onOrder averageDailyUsage daysOfStockLeft need suggestedQuantity suggestedPacks pricePerPack estimatedCost reason } }";
