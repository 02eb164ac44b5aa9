//! `larder move-to postgres://…`: the demo restaurant, moved from SQLite into an empty
//! PostgreSQL database, answers every question as it did on SQLite, and goes on posting.

use serde_json::json;
use tests::Backend;

use super::{Target, books, larder, login, said};

const PASSWORD: &str = "move-demo-pass";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_restaurant_moves_to_postgres_verified() {
    let source = Target::new(Backend::Sqlite).await;
    std::fs::create_dir_all(&source.data_dir).unwrap();
    let settings = api::config::ServeSettings::for_data_dir(source.data_dir.clone());
    let db = service::db::connect(&settings.database_url())
        .await
        .unwrap();
    service::demo::seed(&db, &settings.cipher().unwrap(), PASSWORD)
        .await
        .unwrap();
    db.close().await.unwrap();

    let target = Target::new(Backend::Postgres).await;
    let url = target.url().unwrap();
    let output = larder(&["move-to", &url, "--data-dir"])
        .arg(&source.data_dir)
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "move-to: {}{printed}",
        said(&output)
    );
    for verified in [
        "each table's row count equal on both sides",
        "ledger pairs: entries, quantities, values, running balances and average costs summed equal",
        "id sequences set past their table's highest id",
    ] {
        assert!(printed.contains(verified), "{verified:?} in {printed}");
    }
    assert!(
        said(&output).contains("ledger_entries"),
        "a progress bar names the tables"
    );

    // Into a database that is not empty any more: refused, nothing changed.
    let again = larder(&["move-to", &url, "--data-dir"])
        .arg(&source.data_dir)
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(said(&again).contains("is not empty"), "{}", said(&again));

    let moved = Target {
        backend: Backend::Postgres,
        data_dir: source.data_dir.clone(),
        database: target.database.clone(),
    }
    .serve()
    .await;
    let original = source.serve().await;

    // While the SQLite Larder runs, it is not moved.
    let other = Target::new(Backend::Postgres).await;
    let busy = larder(&["move-to", &other.url().unwrap(), "--data-dir"])
        .arg(&original.data_dir)
        .output()
        .unwrap();
    assert!(!busy.status.success());
    assert!(
        said(&busy).contains("a Larder is running"),
        "{}",
        said(&busy)
    );
    tests::drop_pg_database(other.database.as_deref().unwrap()).await;

    let token = login(&original, service::demo::DEMO_EMAIL, PASSWORD).await;
    let moved_token = login(&moved, service::demo::DEMO_EMAIL, PASSWORD).await;
    let company = original
        .ok(
            &token,
            "{ me { memberships { company { id } } } }",
            json!({}),
        )
        .await["me"]["memberships"][0]["company"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        books(&moved, &moved_token, &company).await,
        books(&original, &token, &company).await,
        "the moved Larder answers as the SQLite one"
    );
    let reports = "query($c: ID!, $from: DateTime!, $to: DateTime!) {
        menuEngineering(companyId: $c, from: $from, to: $to) { items { name unitsSold revenue cost menuClass } }
        varianceReport(companyId: $c, from: $from, to: $to) { rows { ingredient { name } actual { quantity value } theoretical { quantity value } variance { quantity value } } }
        reorderSuggestions(companyId: $c) { ingredient { name } suggestedPacks estimatedCost }
    }";
    let window = json!({"c": company, "from": (chrono::Utc::now() - chrono::Duration::days(30)).to_rfc3339(), "to": chrono::Utc::now().to_rfc3339()});
    assert_eq!(
        moved.ok(&moved_token, reports, window.clone()).await,
        original.ok(&token, reports, window).await
    );

    // The moved Larder goes on: new rows get new ids.
    let ids = moved
        .ok(&moved_token, "query($c: ID!) { storageUnits(companyId: $c) { id } ingredients(companyId: $c) { id } }", json!({"c": company}))
        .await;
    let posted = moved
        .ok(
            &moved_token,
            "mutation($i: ID!, $s: ID!) { postReceipt(input: {ingredientId: $i, storageUnitId: $s, quantity: \"1\"}, unitCost: \"2\") { id } }",
            json!({"i": ids["ingredients"][0]["id"], "s": ids["storageUnits"][0]["id"]}),
        )
        .await;
    assert!(posted["postReceipt"]["id"].is_string());
}
