//! The live POS connectors end to end against the simulator, on SQLite and PostgreSQL: connect
//! (OAuth round trip / checked login), sync, link, map, activate with the 90-day migration, the
//! ledger and unmapped list it leaves, manual transfer, rerun after a mapping change, pause and
//! resume, the automatic transfer of a newly completed day with a late receipt of the day before;
//! token refresh and rotation, NEEDS_RECONNECT and reauthorization; injected faults.

mod failures;
mod flows;
mod simulator;
mod tokens;

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde_json::{Value, json};
use tests::live::{dec, expected_usage, migration_days};
use tests::sim::{Fault, Simulator};
use tests::{TestApp, error_code, error_field, on_both_backends_with_sim};

const LOCATION: &str = "45454565682155";
const STORE: &str = "101";

/// Espresso → 0.009 KG beans; Cappuccino → the Cappuccino recipe (18 g beans, 150 ml milk);
/// the "Oat milk" modifier → 0.15 L milk; Focaccia → 1 bread; Olive Marinate ignored.
async fn map_menu(
    app: &TestApp,
    s: &tests::pos::CsvSetup,
    integration: &str,
    key: impl Fn(&str) -> String,
) {
    let mappings = [
        ("Espresso", json!({"g": s.beans, "f": "0.009"})),
        ("Cappuccino", json!({"r": s.cappuccino, "f": "1"})),
        ("Oat milk", json!({"g": s.milk, "f": "0.15"})),
        ("Focaccia", json!({"g": s.bread, "f": "1"})),
        ("Olive Marinate", json!({"ig": true})),
    ];
    for (name, target) in mappings {
        app.map_item(&s.token, integration, &key(name), target)
            .await;
    }
}

fn uses(menu: &tests::sim::Menu) -> BTreeMap<usize, Vec<(&'static str, Decimal)>> {
    BTreeMap::from([
        (
            menu.by_name("Espresso").index,
            vec![("beans", dec("0.009"))],
        ),
        (
            menu.by_name("Cappuccino").index,
            vec![("beans", dec("0.018")), ("milk", dec("0.15"))],
        ),
        (menu.by_name("Oat milk").index, vec![("milk", dec("0.15"))]),
        (menu.by_name("Focaccia").index, vec![("bread", dec("1"))]),
    ])
}

async fn stock_of(app: &TestApp, s: &tests::pos::CsvSetup, ingredient: &str) -> Decimal {
    dec(&app
        .stock(&s.token, &s.company, &s.kitchen, ingredient)
        .await)
}

async fn assert_stock(app: &TestApp, s: &tests::pos::CsvSetup, expected: &BTreeMap<&str, Decimal>) {
    for (key, ingredient) in [("beans", &s.beans), ("milk", &s.milk), ("bread", &s.bread)] {
        let want = expected.get(key).copied().unwrap_or_default().normalize();
        assert_eq!(
            stock_of(app, s, ingredient).await.normalize(),
            want,
            "{key}"
        );
    }
}

async fn issue_count(app: &TestApp) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM ledger_entries WHERE source_kind = 'POS_SALE'",
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

/// A Lightspeed integration connected and synced, Dining Room linked, mapped and active.
async fn lightspeed_ready(app: &TestApp, email: &str) -> (tests::pos::CsvSetup, String, String) {
    let s = app.csv_setup(email).await;
    let created = app
        .ok(&s.token, "mutation($c: ID!) { createPosIntegration(companyId: $c, provider: LIGHTSPEED_K, name: \"Lightspeed\") { id } }", json!({"c": s.company}))
        .await;
    let integration = created["createPosIntegration"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.connect_lightspeed(&s.token, &integration).await;
    app.sync(&s.token, &integration, "syncLocations").await;
    let location = app.pos_locations(&s.token, &integration).await["Dining Room"].clone();
    app.ok(
        &s.token,
        "mutation($l: ID!, $s: ID!) { linkStorageUnit(locationId: $l, storageUnitId: $s) { id } }",
        json!({"l": location, "s": s.kitchen}),
    )
    .await;
    let menu = tests::sim::Menu::new();
    map_menu(app, &s, &integration, |n| menu.by_name(n).sku()).await;
    (s, integration, location)
}

async fn manual_transfer(
    app: &TestApp,
    s: &tests::pos::CsvSetup,
    location: &str,
    date: chrono::NaiveDate,
) -> Value {
    let r = app
        .ok(&s.token, "mutation($l: ID!, $d: NaiveDate!) { startManualTransfer(locationId: $l, businessDate: $d) { id } }", json!({"l": location, "d": date}))
        .await;
    app.wait_job(&s.token, r["startManualTransfer"]["id"].as_str().unwrap())
        .await
}

async fn day_logs(app: &TestApp, location: &str, date: chrono::NaiveDate) -> u64 {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    entity::sales_import::Entity::find()
        .filter(entity::sales_import::Column::LocationId.eq(location.parse::<i64>().unwrap()))
        .filter(entity::sales_import::Column::BusinessDate.eq(date))
        .count(&app.db)
        .await
        .unwrap()
}
