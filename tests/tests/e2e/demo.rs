//! `--demo` seeds a living restaurant: the newcomer's first look.

use rust_decimal::Decimal;
use serde_json::json;
use tests::{Backend, TestApp};

async fn demo(backend: Backend) {
    let app = TestApp::spawn_with(backend, |s| {
        s.demo = true;
        s.demo_password = Some("demo-test-pass".into());
    })
    .await;
    let login = app
        .gql(None, "mutation { login(email: \"demo@larder.local\", password: \"demo-test-pass\") { token user { memberships { role company { id name } } } } }", json!({}))
        .await;
    let token = login["data"]["login"]["token"]
        .as_str()
        .expect("the demo user signs in");
    let membership = &login["data"]["login"]["user"]["memberships"][0];
    assert_eq!(membership["role"], "OWNER");
    let company = membership["company"]["id"].clone();
    let data = app
        .ok(
            token,
            "query($c: ID!) { storageUnits(companyId: $c) { name } ingredients(companyId: $c) { name packagingLevels { name } } recipes(companyId: $c) { name lines { subRecipe { name } } expanded { quantity ingredient { name } storageUnit { name } } } vendors(companyId: $c) { name } products(companyId: $c) { sku } }",
            json!({"c": company}),
        )
        .await;
    assert_eq!(data["storageUnits"].as_array().unwrap().len(), 3);
    assert!(data["ingredients"].as_array().unwrap().len() >= 40);
    let recipes = data["recipes"].as_array().unwrap();
    assert!(recipes.len() >= 15);
    let nested = recipes
        .iter()
        .filter(|r| {
            r["lines"]
                .as_array()
                .unwrap()
                .iter()
                .any(|l| !l["subRecipe"].is_null())
        })
        .count();
    assert!(nested >= 5, "several recipes use sub-recipes");
    assert!(
        recipes
            .iter()
            .all(|r| !r["expanded"].as_array().unwrap().is_empty()),
        "every recipe expands"
    );
    // Two levels deep: tagliatelle → ragù → tomato sauce → tomatoes, from the Kitchen.
    let tagliatelle = recipes
        .iter()
        .find(|r| r["name"] == "Tagliatelle al ragù")
        .unwrap();
    let tomatoes = tagliatelle["expanded"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["ingredient"]["name"] == "Tomatoes")
        .unwrap();
    assert_eq!(tomatoes["storageUnit"]["name"], "Kitchen");
    assert_eq!(data["vendors"].as_array().unwrap().len(), 4);
    assert!(data["products"].as_array().unwrap().len() >= 20);
    // About 90 days of history: deliveries from orders, usage, transfers, waste, weekly counts.
    let history = app
        .ok(token, "query($c: ID!) { ledger(companyId: $c, first: 500, filter: {types: [RECEIPT]}) { edges { node { source { kind } } } } all: ledger(companyId: $c, first: 1) { totalCount edges { node { occurredAt } } } counts: ledger(companyId: $c, first: 1, filter: {types: [ADJUST, WASTE]}) { totalCount } }", json!({"c": company}))
        .await;
    assert!(
        history["all"]["totalCount"].as_i64().unwrap() > 5000,
        "{}",
        history["all"]["totalCount"]
    );
    let first = history["all"]["edges"][0]["node"]["occurredAt"]
        .as_str()
        .unwrap();
    let first: chrono::DateTime<chrono::Utc> = first.parse().unwrap();
    assert!(
        (chrono::Utc::now() - first).num_days() >= 89,
        "history starts about 90 days ago: {first}"
    );
    assert!(
        history["ledger"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["node"]["source"]["kind"] == "ORDER_ITEM"),
        "deliveries come from orders"
    );
    assert!(history["counts"]["totalCount"].as_i64().unwrap() > 20);

    books_make_sense(&app, token, &company).await;

    // The tills: a CSV integration with the dining room (Kitchen) and the bar (Bar), active,
    // mapped but for the bread; the sample file in the repo (served beside the SPA) uploads.
    let pos = app
        .ok(token, "query($c: ID!) { posIntegrations(companyId: $c) { id provider connectionState locations { id name active storageUnit { name } } } jobs(companyId: $c) { id kind } }", json!({"c": company}))
        .await;
    let integration = &pos["posIntegrations"][0];
    assert_eq!(integration["provider"], "CSV");
    assert_eq!(integration["connectionState"], "CONNECTED");
    let locations = integration["locations"].as_array().unwrap();
    let dining = locations
        .iter()
        .find(|l| l["name"] == "Dining room")
        .expect("a dining room till");
    assert_eq!(dining["storageUnit"]["name"], "Kitchen");
    let bar = locations
        .iter()
        .find(|l| l["name"] == "Bar")
        .expect("a bar till");
    assert_eq!(bar["storageUnit"]["name"], "Bar");
    assert!(locations.iter().all(|l| l["active"] == true));
    // Activation's 90-day migrations find every day posted already.
    for job in pos["jobs"].as_array().unwrap() {
        let ran = app.wait_job(token, job["id"].as_str().unwrap()).await;
        assert_eq!(ran["state"], "SUCCEEDED", "{ran:#}");
    }
    let sample = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../web/sample/sales-sample.csv"
    ))
    .unwrap();
    let up = app
        .upload_csv(
            token,
            integration["id"].as_str().unwrap(),
            dining["id"].as_str().unwrap(),
            "sales-sample.csv",
            sample,
            false,
        )
        .await;
    let job = app
        .wait_job(
            token,
            up["data"]["uploadPosCsv"]["id"]
                .as_str()
                .unwrap_or_else(|| panic!("{up:#}")),
        )
        .await;
    assert_eq!(job["state"], "SUCCEEDED", "{job:#}");
    assert_eq!(job["csvImport"]["rowsInvalid"], 0);
    let unmapped = app
        .ok(
            token,
            "query($i: ID!) { unmappedItems(integrationId: $i) { externalId } }",
            json!({"i": integration["id"]}),
        )
        .await;
    assert_eq!(
        unmapped["unmappedItems"],
        json!([{"externalId": "BK-BRED"}])
    );
    walks_in_shelf_order(&app, token, &company).await;
    // Last: it takes the schema down and up again.
    pos_costs_survive_the_upgrade(&app, token, &company).await;
}

/// The demo's rooms have places, its products GTINs: a newcomer's first count walks the shelves
/// and can scan.
async fn walks_in_shelf_order(app: &TestApp, token: &str, company: &serde_json::Value) {
    let units = app
        .ok(token, "query($c: ID!) { storageUnits(companyId: $c) { id name places { name } } products(companyId: $c) { gtin ingredient { name } } }", json!({"c": company}))
        .await;
    let main = units["storageUnits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == "Main Storage")
        .unwrap()
        .clone();
    assert_eq!(
        main["places"],
        json!([{"name": "Dry store shelf 1"}, {"name": "Dry store shelf 2"}, {"name": "Cold room"}, {"name": "Drinks store"}])
    );
    let products = units["products"].as_array().unwrap();
    assert!(
        products.iter().all(|p| p["gtin"].is_string()),
        "every product has a GTIN"
    );
    let code = products[0]["gtin"].as_str().unwrap();
    let found = app
        .ok(token, "query($c: ID!, $code: String!) { findByBarcode(companyId: $c, code: $code) { ingredient { name } } }", json!({"c": company, "code": code}))
        .await;
    assert_eq!(
        found["findByBarcode"]["ingredient"],
        products[0]["ingredient"]
    );
    let count = app
        .ok(
            token,
            "mutation($u: ID!) { startStockCount(storageUnitId: $u) { lines { place { name } } } }",
            json!({"u": main["id"]}),
        )
        .await;
    let walk: Vec<String> = count["startStockCount"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["place"]["name"].as_str().unwrap_or("(none)").to_string())
        .collect();
    let mut order = walk.clone();
    order.dedup();
    assert_eq!(
        order,
        [
            "Dry store shelf 1",
            "Dry store shelf 2",
            "Cold room",
            "Drinks store"
        ],
        "the sheet walks the places in order, every line placed: {walk:?}"
    );
}

/// POS entries posted before m0010 knew their integration only through their sale line: the
/// upgrade gives them it, m0017 keeps their costs per day from it, and menu engineering charges
/// the same costs as before.
async fn pos_costs_survive_the_upgrade(app: &TestApp, token: &str, company: &serde_json::Value) {
    use migration::MigratorTrait;
    use sea_orm::ConnectionTrait;
    let now = chrono::Utc::now();
    let menu = || async {
        app.ok(token, "query($c: ID!, $f: DateTime!, $t: DateTime!) { menuEngineering(companyId: $c, from: $f, to: $t) { totalCost items { externalId cost } } }", json!({"c": company, "f": (now - chrono::Duration::days(90)).to_rfc3339(), "t": now.to_rfc3339()}))
            .await["menuEngineering"]
            .clone()
    };
    let cost =
        |m: &serde_json::Value| -> Decimal { m["totalCost"].as_str().unwrap().parse().unwrap() };
    let posted = menu().await;
    assert!(cost(&posted) > Decimal::ZERO, "{posted:#}");
    let db = sea_orm::Database::connect(app.connection_url())
        .await
        .unwrap();
    // The costs kept per item and day (m0017) are made from the same column.
    db.execute_unprepared("UPDATE ledger_entries SET pos_integration_id = NULL")
        .await
        .unwrap();
    db.execute_unprepared("DELETE FROM pos_item_costs")
        .await
        .unwrap();
    assert_eq!(
        cost(&menu().await),
        Decimal::ZERO,
        "the cost comes from the column"
    );
    let migrations = migration::Migrator::migrations();
    let m0010 = migrations
        .iter()
        .position(|m| m.name() == "m0010_pos_entry_integration")
        .unwrap();
    migration::Migrator::down(&db, Some((migrations.len() - m0010) as u32))
        .await
        .unwrap();
    migration::Migrator::up(&db, None).await.unwrap();
    assert_eq!(menu().await, posted);
}

/// The demo's books look like a restaurant's: usage comes from POS sales, stock is positive but
/// for a couple of real shortages, deliveries refill Main Storage in a sawtooth, prices are
/// wholesale prices, transfers and counts are records of their own.
async fn books_make_sense(app: &TestApp, token: &str, company: &serde_json::Value) {
    let sales = app
        .ok(token, "query($c: ID!) { ledger(companyId: $c, filter: {types: [ISSUE]}, first: 200, newestFirst: true) { totalCount edges { node { source { kind } } } } }", json!({"c": company}))
        .await;
    assert!(sales["ledger"]["totalCount"].as_i64().unwrap() > 3000);
    assert!(
        sales["ledger"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["node"]["source"]["kind"] == "POS_SALE"),
        "usage comes from POS sales: {}",
        sales["ledger"]["edges"][0]
    );
    let levels = app
        .ok(token, "query($c: ID!) { stockLevels(companyId: $c) { quantity ingredient { name } storageUnit { name } } criticalStock(companyId: $c, first: 100) { quantity } }", json!({"c": company}))
        .await;
    let negative: Vec<_> = levels["stockLevels"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["quantity"].as_str().unwrap().starts_with('-'))
        .map(|l| {
            format!(
                "{} in {}",
                l["ingredient"]["name"], l["storageUnit"]["name"]
            )
        })
        .collect();
    assert!(
        negative.len() <= 2,
        "at most a couple of shortages: {negative:?}"
    );
    let critical = levels["criticalStock"].as_array().unwrap().len();
    assert!(
        (1..=6).contains(&critical),
        "a few real shortages: {critical}"
    );

    // Tomatoes in Main Storage: refilled twice a week, drawn down in between, never piling up.
    let ids = app
        .ok(token, "query($c: ID!) { ingredients(companyId: $c, search: \"Tomatoes\") { id } storageUnits(companyId: $c, search: \"Main\") { id } }", json!({"c": company}))
        .await;
    let tomatoes = app
        .ok(token, "query($c: ID!, $i: ID!, $s: ID!) { ledger(companyId: $c, first: 500, filter: {ingredientIds: [$i], storageUnitIds: [$s]}) { edges { node { transactionType balanceAfter unitCost } } } }", json!({"c": company, "i": ids["ingredients"][0]["id"], "s": ids["storageUnits"][0]["id"]}))
        .await;
    let rows = tomatoes["ledger"]["edges"].as_array().unwrap();
    let decimal = |e: &serde_json::Value, field: &str| {
        e["node"][field]
            .as_str()
            .unwrap()
            .parse::<Decimal>()
            .unwrap()
    };
    let peak = rows
        .iter()
        .map(|e| decimal(e, "balanceAfter"))
        .max()
        .unwrap_or_default();
    let deliveries = rows
        .iter()
        .filter(|e| e["node"]["transactionType"] == "RECEIPT")
        .count();
    assert!(deliveries >= 24, "deliveries twice a week: {deliveries}");
    assert!(peak < Decimal::from(120), "stock never piles up: {peak} kg");
    let price = rows
        .iter()
        .filter(|e| e["node"]["transactionType"] == "RECEIPT")
        .map(|e| decimal(e, "unitCost"))
        .max()
        .unwrap_or_default();
    assert!(
        (Decimal::new(15, 1)..Decimal::from(4)).contains(&price),
        "tomatoes cost a wholesale price: {price} €/kg"
    );

    let records = app
        .ok(token, "query($c: ID!) { closed: transfers(companyId: $c, status: CLOSED) { id } inTransit: transfers(companyId: $c, status: SHIPPED) { id } counts: stockCounts(companyId: $c, status: POSTED) { id } orders(companyId: $c) { status } }", json!({"c": company}))
        .await;
    assert!(
        records["closed"].as_array().unwrap().len() >= 150,
        "morning transfers"
    );
    assert_eq!(records["inTransit"].as_array().unwrap().len(), 1);
    assert!(
        records["counts"].as_array().unwrap().len() >= 26,
        "weekly counts"
    );
    assert!(
        records["orders"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["status"] == "SENT"),
        "an order on its way"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_restaurant_is_seeded_sqlite() {
    demo(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_restaurant_is_seeded_postgres() {
    demo(Backend::Postgres).await;
}
