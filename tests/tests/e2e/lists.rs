//! Lists that grow — transfers, stock counts, job runs — come a page at a time, newest first,
//! filtered, and only to the company's own members.

use serde_json::{Value, json};
use tests::pos::{days_ago, sales_csv};
use tests::{TestApp, error_code, on_both_backends};

const TRANSFERS: &str = "query($c: ID!, $s: TransferStatus, $u: ID, $a: String, $n: Int) { transferConnection(companyId: $c, status: $s, storageUnitId: $u, after: $a, first: $n) { totalCount pageInfo { hasNextPage endCursor } edges { node { id status } } } }";
const COUNTS: &str = "query($c: ID!, $s: StockCountStatus, $u: ID, $a: String, $n: Int) { stockCountConnection(companyId: $c, status: $s, storageUnitId: $u, after: $a, first: $n) { totalCount pageInfo { hasNextPage endCursor } edges { node { id status storageUnit { name } } } } }";
const JOBS: &str = "query($c: ID!, $s: JobState, $k: JobKind, $a: String, $n: Int) { jobConnection(companyId: $c, state: $s, kind: $k, after: $a, first: $n) { totalCount pageInfo { hasNextPage endCursor } edges { node { id kind state } } } }";

fn id(v: &Value) -> String {
    v.as_str().expect("an id").to_string()
}

/// The ids of a connection's rows, in order.
fn ids(data: &Value, field: &str) -> Vec<String> {
    data[field]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| id(&e["node"]["id"]))
        .collect()
}

async fn transfers_are_paged_newest_first_by_status_and_storage_unit(app: TestApp) {
    let k = app.kitchen("transfer-list@example.com").await;
    let unit = |name: &'static str| {
        let (token, company) = (k.token.clone(), k.company.clone());
        let app = &app;
        async move {
            id(&app
                .ok(&token, "mutation($c: ID!, $n: String!) { createStorageUnit(companyId: $c, name: $n) { id } }", json!({"c": company, "n": name}))
                .await["createStorageUnit"]["id"])
        }
    };
    let (bar, cellar) = (unit("Bar").await, unit("Cellar").await);
    app.ok(&k.token, "mutation($i: ID!, $s: ID!) { postReceipt(input: {ingredientId: $i, storageUnitId: $s, quantity: \"100\"}, unitCost: \"1\") { id } }", json!({"i": k.flour, "s": k.unit})).await;
    let draft = |to: String| {
        let (token, from, flour) = (k.token.clone(), k.unit.clone(), k.flour.clone());
        let app = &app;
        async move {
            id(&app
                .ok(&token, "mutation($f: ID!, $t: ID!, $i: ID!) { createTransfer(fromStorageUnitId: $f, toStorageUnitId: $t, lines: [{ingredientId: $i, quantity: \"1\"}]) { id } }", json!({"f": from, "t": to, "i": flour}))
                .await["createTransfer"]["id"])
        }
    };
    app.ok(&k.token, "mutation($f: ID!, $t: ID!, $i: ID!) { transferStock(fromStorageUnitId: $f, toStorageUnitId: $t, ingredientId: $i, quantity: \"1\") { id } }", json!({"f": k.unit, "t": bar, "i": k.flour})).await;
    let shipped = draft(cellar.clone()).await;
    app.ok(
        &k.token,
        "mutation($t: ID!) { shipTransfer(id: $t) { id } }",
        json!({"t": shipped}),
    )
    .await;
    let drafted = draft(bar.clone()).await;
    let cancelled = draft(bar.clone()).await;
    app.ok(
        &k.token,
        "mutation($t: ID!) { cancelTransfer(id: $t) { id } }",
        json!({"t": cancelled}),
    )
    .await;

    let first = app
        .ok(&k.token, TRANSFERS, json!({"c": k.company, "n": 2}))
        .await;
    assert_eq!(
        ids(&first, "transferConnection"),
        [cancelled.as_str(), drafted.as_str()]
    );
    assert_eq!(first["transferConnection"]["totalCount"], 4);
    assert_eq!(first["transferConnection"]["pageInfo"]["hasNextPage"], true);
    let cursor = first["transferConnection"]["pageInfo"]["endCursor"].clone();
    let second = app
        .ok(
            &k.token,
            TRANSFERS,
            json!({"c": k.company, "n": 2, "a": cursor}),
        )
        .await;
    let rest = ids(&second, "transferConnection");
    assert_eq!(rest.len(), 2);
    assert_eq!(rest[0], shipped);
    assert_eq!(
        second["transferConnection"]["pageInfo"]["hasNextPage"],
        false
    );
    let in_transit = app
        .ok(&k.token, TRANSFERS, json!({"c": k.company, "s": "SHIPPED"}))
        .await;
    assert_eq!(ids(&in_transit, "transferConnection"), [shipped.as_str()]);
    // A storage unit's transfers are those leaving it and those arriving at it.
    let into_bar = app
        .ok(&k.token, TRANSFERS, json!({"c": k.company, "u": bar}))
        .await;
    assert_eq!(into_bar["transferConnection"]["totalCount"], 3);
    let from_kitchen = app
        .ok(&k.token, TRANSFERS, json!({"c": k.company, "u": k.unit}))
        .await;
    assert_eq!(from_kitchen["transferConnection"]["totalCount"], 4);
    let into_cellar = app
        .ok(&k.token, TRANSFERS, json!({"c": k.company, "u": cellar}))
        .await;
    assert_eq!(ids(&into_cellar, "transferConnection"), [shipped.as_str()]);

    let (rival, _) = app.sign_up("transfer-rival@example.com").await;
    let foreign = app
        .gql(Some(&rival), TRANSFERS, json!({"c": k.company}))
        .await;
    assert_eq!(error_code(&foreign), "NOT_FOUND");
}
on_both_backends!(transfers_are_paged_newest_first_by_status_and_storage_unit);

async fn stock_counts_are_paged_newest_first_by_status_and_storage_unit(app: TestApp) {
    let k = app.kitchen("count-list@example.com").await;
    let bar = id(&app
        .ok(
            &k.token,
            "mutation($c: ID!) { createStorageUnit(companyId: $c, name: \"Bar\") { id } }",
            json!({"c": k.company}),
        )
        .await["createStorageUnit"]["id"]);
    app.ok(&k.token, "mutation($i: ID!, $s: ID!) { postReceipt(input: {ingredientId: $i, storageUnitId: $s, quantity: \"10\"}, unitCost: \"1\") { id } }", json!({"i": k.flour, "s": k.unit})).await;
    app.ok(&k.token, "mutation($s: ID!, $i: ID!) { postStockCount(storageUnitId: $s, countedAt: \"2026-07-01T08:00:00Z\", lines: [{ingredientId: $i, countedQuantity: \"9\"}]) { id } }", json!({"s": k.unit, "i": k.flour})).await;
    let start = |unit: String| {
        let token = k.token.clone();
        let app = &app;
        async move {
            id(&app
                .ok(
                    &token,
                    "mutation($s: ID!) { startStockCount(storageUnitId: $s) { id } }",
                    json!({"s": unit}),
                )
                .await["startStockCount"]["id"])
        }
    };
    let cancelled = start(k.unit.clone()).await;
    app.ok(
        &k.token,
        "mutation($c: ID!) { cancelStockCount(countId: $c) { id } }",
        json!({"c": cancelled}),
    )
    .await;
    let open = start(bar.clone()).await;

    let all = app.ok(&k.token, COUNTS, json!({"c": k.company})).await;
    let listed = ids(&all, "stockCountConnection");
    assert_eq!(listed.len(), 3);
    assert_eq!(listed[..2], [open.as_str(), cancelled.as_str()]);
    let statuses: Vec<&str> = all["stockCountConnection"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["OPEN", "CANCELLED", "POSTED"]);
    let first = app
        .ok(&k.token, COUNTS, json!({"c": k.company, "n": 1}))
        .await;
    assert_eq!(ids(&first, "stockCountConnection"), [open.as_str()]);
    let after = first["stockCountConnection"]["pageInfo"]["endCursor"].clone();
    let next = app
        .ok(
            &k.token,
            COUNTS,
            json!({"c": k.company, "n": 1, "a": after}),
        )
        .await;
    assert_eq!(ids(&next, "stockCountConnection"), [cancelled.as_str()]);
    let posted = app
        .ok(&k.token, COUNTS, json!({"c": k.company, "s": "POSTED"}))
        .await;
    assert_eq!(posted["stockCountConnection"]["totalCount"], 1);
    let in_bar = app
        .ok(&k.token, COUNTS, json!({"c": k.company, "u": bar}))
        .await;
    assert_eq!(ids(&in_bar, "stockCountConnection"), [open.as_str()]);

    let (rival, _) = app.sign_up("count-rival@example.com").await;
    let foreign = app.gql(Some(&rival), COUNTS, json!({"c": k.company})).await;
    assert_eq!(error_code(&foreign), "NOT_FOUND");
}
on_both_backends!(stock_counts_are_paged_newest_first_by_status_and_storage_unit);

async fn job_runs_are_paged_newest_first_by_state_and_kind(app: TestApp) {
    let s = app.csv_setup("job-list@example.com").await;
    // Activating waits for the 90-day migration: the first run.
    let migration = app.activate(&s.token, &s.location).await;
    let d = days_ago(2);
    let mut imports = Vec::new();
    for (name, file) in [
        (
            "good.csv",
            sales_csv(&[("ESP", "Espresso", "2", "5.00", d, "09:00")]),
        ),
        (
            "bad.csv",
            format!("Code,Item,Qty,Total,Sold at\nESP,Espresso,two,5.00,{d} 09:10\n").into_bytes(),
        ),
    ] {
        let up = app
            .upload_csv(&s.token, &s.integration, &s.location, name, file, false)
            .await;
        let job = id(&up["data"]["uploadPosCsv"]["id"]);
        app.wait_job(&s.token, &job).await;
        imports.push(job);
    }

    let imported = app
        .ok(&s.token, JOBS, json!({"c": s.company, "k": "CSV_IMPORT"}))
        .await;
    assert_eq!(
        ids(&imported, "jobConnection"),
        [imports[1].as_str(), imports[0].as_str()]
    );
    let failed = app
        .ok(&s.token, JOBS, json!({"c": s.company, "s": "FAILED"}))
        .await;
    assert_eq!(ids(&failed, "jobConnection"), [imports[1].as_str()]);
    let first = app
        .ok(&s.token, JOBS, json!({"c": s.company, "n": 1}))
        .await;
    assert_eq!(ids(&first, "jobConnection"), [imports[1].as_str()]);
    assert_eq!(first["jobConnection"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(first["jobConnection"]["totalCount"], 3);
    let after = first["jobConnection"]["pageInfo"]["endCursor"].clone();
    let next = app
        .ok(&s.token, JOBS, json!({"c": s.company, "n": 1, "a": after}))
        .await;
    assert_eq!(ids(&next, "jobConnection"), [imports[0].as_str()]);
    let migrations = app
        .ok(
            &s.token,
            JOBS,
            json!({"c": s.company, "k": "HISTORICAL_MIGRATION", "s": "SUCCEEDED"}),
        )
        .await;
    assert_eq!(
        ids(&migrations, "jobConnection"),
        [id(&migration["id"]).as_str()]
    );

    let (rival, _) = app.sign_up("job-rival@example.com").await;
    let foreign = app.gql(Some(&rival), JOBS, json!({"c": s.company})).await;
    assert_eq!(error_code(&foreign), "NOT_FOUND");
}
on_both_backends!(job_runs_are_paged_newest_first_by_state_and_kind);
