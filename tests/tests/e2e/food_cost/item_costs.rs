//! Menu engineering reads each POS item's cost per UTC day from the costs kept beside the
//! ledger (`ledger::item_costs`), and the partial days at a period's ends from the ledger itself
//! (issue 25). Whatever the period, and whatever a backdated receipt changed since the sales
//! were posted, the cost it reports is the ledger's own sum.

use chrono::{Days, Duration, SecondsFormat, Utc};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;
use tests::pos::{last_closed_day, sales_csv};
use tests::{TestApp, on_both_backends};

/// The cost of the company's POS sales in [from, to), summed from its entries.
async fn ledger_cost(app: &TestApp, company: i64, from: i64, to: i64) -> rust_decimal::Decimal {
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            format!(
                "SELECT CAST(COALESCE(SUM(value_micro), 0) AS BIGINT) FROM ledger_entries \
                 WHERE company_id = {company} AND pos_integration_id IS NOT NULL \
                 AND occurred_at >= {from} AND occurred_at < {to}"
            ),
        ))
        .await
        .unwrap()
        .unwrap();
    -rust_decimal::Decimal::new(row.try_get_by_index::<i64>(0).unwrap(), 6)
}

async fn menu_costs_are_the_ledgers_for_any_period_after_a_backdated_receipt(app: TestApp) {
    let s = app.csv_setup("item-costs@example.com").await;
    let token = &s.token;
    let company: i64 = s.company.parse().unwrap();
    let receipt = |quantity: &'static str, cost: &'static str, hours_ago: i64| {
        let vars = json!({"s": s.kitchen, "i": s.bread, "q": quantity, "u": cost,
            "t": (Utc::now() - Duration::hours(hours_ago)).to_rfc3339_opts(SecondsFormat::Secs, true)});
        let app = &app;
        async move {
            app.ok(token, "mutation($s: ID!, $i: ID!, $q: Decimal!, $u: Decimal!, $t: DateTime!) { postReceipt(input: {storageUnitId: $s, ingredientId: $i, quantity: $q, occurredAt: $t}, unitCost: $u) { id } }", vars).await;
        }
    };
    receipt("500", "0.25", 24 * 10).await;
    // Four days of croissants, early, at noon and late in the evening: sales on both sides of
    // every UTC midnight between them.
    let mut rows = Vec::new();
    for back in 0..4u64 {
        let day = last_closed_day() - Days::new(back);
        for (time, qty) in [("06:30", "3"), ("12:00", "5"), ("23:30", "2")] {
            rows.push(("CRO", "Croissant", qty, "6.60", day, time));
        }
    }
    let up = app
        .upload_csv(
            token,
            &s.integration,
            &s.location,
            "days.csv",
            sales_csv(&rows),
            false,
        )
        .await;
    app.wait_job(token, up["data"]["uploadPosCsv"]["id"].as_str().unwrap())
        .await;
    app.ok(token, "mutation($i: ID!, $x: String!, $g: ID, $f: Decimal!) { mapPosItem(integrationId: $i, externalId: $x, ingredientId: $g, quantityFactor: $f) { externalId } }", json!({"i": s.integration, "x": "CRO", "g": s.bread, "f": "1"}))
        .await;
    app.activate(token, &s.location).await;
    // Bought before every sale at three times the price: each sale's cost is recomputed.
    receipt("500", "0.75", 24 * 9).await;

    let now = Utc::now();
    let periods = [
        (Duration::hours(24 * 8), Duration::zero()),
        (
            Duration::minutes(75 * 60 + 13),
            Duration::minutes(26 * 60 + 7),
        ),
        (Duration::hours(30), Duration::hours(20)),
        (Duration::hours(24 * 3 + 1), Duration::hours(24)),
    ];
    let mut costs = Vec::new();
    for (from_ago, to_ago) in periods {
        let (from, to) = (now - from_ago, now - to_ago);
        let menu = app
            .ok(token, "query($c: ID!, $f: DateTime!, $t: DateTime!) { menuEngineering(companyId: $c, from: $f, to: $t) { totalCost } }", json!({"c": s.company, "f": from.to_rfc3339(), "t": to.to_rfc3339()}))
            .await;
        let reported: rust_decimal::Decimal = menu["menuEngineering"]["totalCost"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let expected = ledger_cost(
            &app,
            company,
            from.timestamp_micros(),
            to.timestamp_micros(),
        )
        .await;
        assert_eq!(reported, expected, "{from} – {to}");
        costs.push(reported);
    }
    assert!(
        costs[0] > rust_decimal::Decimal::ZERO,
        "the sales were posted and costed"
    );
    tests::books::check_invariants(&app.db, company).await;
}
on_both_backends!(menu_costs_are_the_ledgers_for_any_period_after_a_backdated_receipt);
