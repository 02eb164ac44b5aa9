//! `--demo` seeds a living restaurant: the newcomer's first look.

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

    // The till: a CSV integration, active, mapped but for the bread; the sample file in the
    // repo (served beside the SPA) uploads and posts.
    let pos = app
        .ok(token, "query($c: ID!) { posIntegrations(companyId: $c) { id provider connectionState locations { id active storageUnit { name } latestJob { kind state } } } }", json!({"c": company}))
        .await;
    let integration = &pos["posIntegrations"][0];
    assert_eq!(integration["provider"], "CSV");
    assert_eq!(integration["connectionState"], "CONNECTED");
    let location = &integration["locations"][0];
    assert_eq!(location["active"], true);
    assert_eq!(location["storageUnit"]["name"], "Kitchen");
    let migration = app
        .wait_job(token, &{
            let jobs = app
                .ok(
                    token,
                    "query($c: ID!) { jobs(companyId: $c) { id kind } }",
                    json!({"c": company}),
                )
                .await;
            jobs["jobs"][0]["id"].as_str().unwrap().to_string()
        })
        .await;
    assert_eq!(migration["state"], "SUCCEEDED");
    let sample = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../web/sample/sales-sample.csv"
    ))
    .unwrap();
    let up = app
        .upload_csv(
            token,
            integration["id"].as_str().unwrap(),
            location["id"].as_str().unwrap(),
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
    let sales = app
        .ok(token, "query($c: ID!) { ledger(companyId: $c, filter: {types: [ISSUE]}, first: 1, newestFirst: true) { totalCount edges { node { source { kind posSale { itemName } } } } } }", json!({"c": company}))
        .await;
    assert!(sales["ledger"]["totalCount"].as_i64().unwrap() > 1000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_restaurant_is_seeded_sqlite() {
    demo(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_restaurant_is_seeded_postgres() {
    demo(Backend::Postgres).await;
}
