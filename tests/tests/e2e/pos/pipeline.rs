//! The CSV provider end to end: setup, activation with its historical migration, upload,
//! mapping, reprocessing, conflicts, invalid files and duplicates.

use serde_json::json;
use tests::pos::{days_ago, sales_csv};
use tests::{TestApp, error_code, error_field, on_both_backends};

const LEDGER: &str = "query($c: ID!, $s: ID!) { ledger(companyId: $c, filter: {storageUnitIds: [$s], types: [ISSUE]}, first: 500) { totalCount edges { node { quantity note ingredient { name } source { kind id posSale { itemName amountSold salesValue articleId soldAt } } } } } }";

async fn csv_flow(app: TestApp) {
    let s = app.csv_setup("pos@example.com").await;
    // Stock to issue from.
    for (ingredient, qty) in [(&s.beans, "10"), (&s.milk, "50"), (&s.bread, "100")] {
        app.ok(&s.token, "mutation($s: ID!, $i: ID!, $q: Decimal!) { postReceipt(input: {storageUnitId: $s, ingredientId: $i, quantity: $q, occurredAt: \"2020-01-01T00:00:00Z\"}, unitCost: \"2\") { id } }", json!({"s": s.kitchen, "i": ingredient, "q": qty})).await;
    }
    // Before activation: the file is stored, nothing is posted.
    let d2 = days_ago(2);
    let d3 = days_ago(3);
    let file = sales_csv(&[
        ("CAP", "Cappuccino", "2", "7.00", d3, "09:15"),
        ("CAP", "Cappuccino", "3", "10.50", d2, "10:00"),
        ("ESP", "Espresso", "5", "12.50", d2, "11:00"),
        ("BRD", "Bread basket", "4", "8.00", d2, "12:30"),
        ("CAP", "Cappuccino", "-1", "-3.50", d2, "13:00"),
        ("NAP", "Extra napkins", "2", "0", d2, "13:30"),
    ]);
    let up = app
        .upload_csv(
            &s.token,
            &s.integration,
            &s.location,
            "day.csv",
            file.clone(),
            false,
        )
        .await;
    let job = up["data"]["uploadPosCsv"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{up:#}"))
        .to_string();
    assert_eq!(up["data"]["uploadPosCsv"]["kind"], "CSV_IMPORT");
    let done = app.wait_job(&s.token, &job).await;
    assert_eq!(done["state"], "SUCCEEDED", "{done:#}");
    assert_eq!(done["csvImport"]["rowsTotal"], 6);
    assert!(
        done["message"]
            .as_str()
            .unwrap()
            .contains("wait for the location's activation"),
        "{done:#}"
    );
    let ledger = app
        .ok(&s.token, LEDGER, json!({"c": s.company, "s": s.kitchen}))
        .await;
    assert_eq!(ledger["ledger"]["totalCount"], 0);

    // The same file again is a duplicate, and changes nothing.
    let again = app
        .upload_csv(
            &s.token,
            &s.integration,
            &s.location,
            "day-again.csv",
            file,
            false,
        )
        .await;
    assert_eq!(error_code(&again), "CONFLICT");
    assert_eq!(error_field(&again), "file");

    // Unmapped items with amounts sold: nothing is mapped yet.
    let unmapped = app
        .ok(
            &s.token,
            "query($i: ID!) { unmappedItems(integrationId: $i) { externalId name amountSold } }",
            json!({"i": s.integration}),
        )
        .await;
    let list = unmapped["unmappedItems"].as_array().unwrap();
    assert_eq!(list.len(), 4, "{unmapped:#}");
    assert_eq!(list[0]["externalId"], "ESP");
    assert_eq!(list[0]["amountSold"], "5");
    let cap = list.iter().find(|i| i["externalId"] == "CAP").unwrap();
    assert_eq!(cap["amountSold"], "4", "2 + 3 − 1 refunded");

    // Map: cappuccino → recipe, espresso → 0.009 KG beans, napkins ignored; bread stays unmapped.
    app.ok(&s.token, "mutation($i: ID!, $r: ID!) { mapPosItem(integrationId: $i, externalId: \"CAP\", recipeId: $r, quantityFactor: \"1\") { mapping { recipe { name } quantityFactor } } }", json!({"i": s.integration, "r": s.cappuccino})).await;
    app.ok(&s.token, "mutation($i: ID!, $b: ID!) { mapPosItem(integrationId: $i, externalId: \"ESP\", ingredientId: $b, quantityFactor: \"0.009\") { mapping { quantityFactor } } }", json!({"i": s.integration, "b": s.beans})).await;
    app.ok(&s.token, "mutation($i: ID!) { mapPosItem(integrationId: $i, externalId: \"NAP\", quantityFactor: \"0\", ignore: true) { mapping { ignored } } }", json!({"i": s.integration})).await;
    // A factor of zero, or two targets, or a foreign target, is refused.
    let zero = app.gql(Some(&s.token), "mutation($i: ID!, $b: ID!) { mapPosItem(integrationId: $i, externalId: \"BRD\", ingredientId: $b, quantityFactor: \"0\") { externalId } }", json!({"i": s.integration, "b": s.bread})).await;
    assert_eq!(error_field(&zero), "quantityFactor");

    // Activation migrates the last 90 completed days.
    let migration = app.activate(&s.token, &s.location).await;
    assert_eq!(migration["state"], "SUCCEEDED", "{migration:#}");
    assert_eq!(migration["progressDone"], 90);
    // Beans: cappuccinos 2 + 3 − 1 = 4 × 0.018 = 0.072, espresso 5 × 0.009 = 0.045 → 10 − 0.117.
    assert_eq!(
        app.stock(&s.token, &s.company, &s.kitchen, &s.beans).await,
        "9.883"
    );
    // Milk: 4 × 0.15 = 0.6.
    assert_eq!(
        app.stock(&s.token, &s.company, &s.kitchen, &s.milk).await,
        "49.4"
    );
    assert_eq!(
        app.stock(&s.token, &s.company, &s.kitchen, &s.bread).await,
        "100"
    );
    let ledger = app
        .ok(&s.token, LEDGER, json!({"c": s.company, "s": s.kitchen}))
        .await;
    let edges = ledger["ledger"]["edges"].as_array().unwrap();
    // 3 cappuccino lines × 2 ingredients + 1 espresso line.
    assert_eq!(edges.len(), 7, "{ledger:#}");
    let refund = edges
        .iter()
        .find(|e| {
            e["node"]["source"]["posSale"]["amountSold"] == "-1"
                && e["node"]["ingredient"]["name"] == "Milk"
        })
        .unwrap();
    assert_eq!(
        refund["node"]["quantity"], "0.15",
        "a refund puts stock back"
    );
    assert_eq!(refund["node"]["source"]["kind"], "POS_SALE");
    assert_eq!(
        refund["node"]["source"]["posSale"]["itemName"],
        "Cappuccino"
    );

    // A second run while one is queued is a conflict.
    let first = app.ok(&s.token, "mutation($l: ID!, $d: NaiveDate!) { startManualTransfer(locationId: $l, businessDate: $d) { id } }", json!({"l": s.location, "d": d2})).await;
    let second = app
        .gql(
            Some(&s.token),
            "mutation($l: ID!) { rerunMigration(locationId: $l) { id } }",
            json!({"l": s.location}),
        )
        .await;
    if second.get("errors").is_some() {
        assert_eq!(error_code(&second), "CONFLICT");
    }
    let first = app
        .wait_job(
            &s.token,
            first["startManualTransfer"]["id"].as_str().unwrap(),
        )
        .await;
    assert_eq!(first["state"], "SUCCEEDED");
    if let Some(id) = second["data"]["rerunMigration"]["id"].as_str() {
        app.wait_job(&s.token, id).await;
    }
    // Reruns with the same mappings post nothing.
    let ledger = app
        .ok(&s.token, LEDGER, json!({"c": s.company, "s": s.kitchen}))
        .await;
    assert_eq!(ledger["ledger"]["totalCount"], 7);

    // Fix a mapping (espresso uses 0.01 KG) and map the bread; a rerun posts only the change.
    app.ok(&s.token, "mutation($i: ID!, $b: ID!) { mapPosItem(integrationId: $i, externalId: \"ESP\", ingredientId: $b, quantityFactor: \"0.01\") { externalId } }", json!({"i": s.integration, "b": s.beans})).await;
    app.ok(&s.token, "mutation($i: ID!, $b: ID!) { mapPosItem(integrationId: $i, externalId: \"BRD\", ingredientId: $b, quantityFactor: \"1\") { externalId } }", json!({"i": s.integration, "b": s.bread})).await;
    for _ in 0..2 {
        let rerun = app
            .ok(
                &s.token,
                "mutation($l: ID!) { rerunMigration(locationId: $l) { id } }",
                json!({"l": s.location}),
            )
            .await;
        let rerun = app
            .wait_job(&s.token, rerun["rerunMigration"]["id"].as_str().unwrap())
            .await;
        assert_eq!(rerun["state"], "SUCCEEDED", "{rerun:#}");
    }
    assert_eq!(
        app.stock(&s.token, &s.company, &s.kitchen, &s.beans).await,
        "9.878"
    );
    assert_eq!(
        app.stock(&s.token, &s.company, &s.kitchen, &s.bread).await,
        "96"
    );
    let ledger = app
        .ok(&s.token, LEDGER, json!({"c": s.company, "s": s.kitchen}))
        .await;
    let edges = ledger["ledger"]["edges"].as_array().unwrap();
    assert_eq!(
        edges.len(),
        9,
        "one delta for espresso, one entry for bread: {ledger:#}"
    );
    let delta = edges
        .iter()
        .find(|e| e["node"]["quantity"] == "-0.005")
        .expect("the espresso delta");
    assert!(
        delta["node"]["note"]
            .as_str()
            .unwrap()
            .contains("reprocessed")
    );
    let unmapped = app
        .ok(
            &s.token,
            "query($i: ID!) { unmappedItems(integrationId: $i) { externalId } }",
            json!({"i": s.integration}),
        )
        .await;
    assert_eq!(unmapped["unmappedItems"], json!([]));

    // Transfer logs keep what each run did.
    let logs = app.ok(&s.token, "query($l: ID!) { posLocation(id: $l) { transferLogs(first: 200) { businessDate linesTotal linesSkipped linesUnmapped entriesPosted } } }", json!({"l": s.location})).await;
    let day2: Vec<_> = logs["posLocation"]["transferLogs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["businessDate"] == d2.to_string())
        .collect();
    assert!(day2.len() >= 4);
    assert_eq!(
        day2.last().unwrap()["linesUnmapped"],
        1,
        "the first run had the bread unmapped"
    );
    assert_eq!(
        day2.last().unwrap()["linesSkipped"],
        1,
        "the napkins are ignored"
    );
}
on_both_backends!(
    csv_sales_become_issues_once_and_reruns_post_only_the_change,
    csv_flow
);

async fn invalid_files(app: TestApp) {
    let s = app.csv_setup("invalid@example.com").await;
    app.activate(&s.token, &s.location).await;
    app.ok(&s.token, "mutation($i: ID!, $b: ID!) { mapPosItem(integrationId: $i, externalId: \"ESP\", ingredientId: $b, quantityFactor: \"0.009\") { externalId } }", json!({"i": s.integration, "b": s.beans})).await;
    let d = days_ago(2);
    let file = format!(
        "Code,Item,Qty,Total,Sold at\nESP,Espresso,2,5.00,{d} 09:00\nESP,Espresso,0,0,{d} 09:05\nESP,Espresso,two,5.00,{d} 09:10\n,Nameless,1,1,{d} 09:20\nESP,Espresso,1,2.50,31/12/2026\nESP,Espresso,3,7.50,{d} 10:00\n"
    );
    let up = app
        .upload_csv(
            &s.token,
            &s.integration,
            &s.location,
            "bad.csv",
            file.clone().into_bytes(),
            false,
        )
        .await;
    let job = app
        .wait_job(&s.token, up["data"]["uploadPosCsv"]["id"].as_str().unwrap())
        .await;
    assert_eq!(job["state"], "FAILED");
    assert!(
        job["error"]
            .as_str()
            .unwrap()
            .contains("4 of 6 rows are invalid"),
        "{job:#}"
    );
    let errors = job["csvImport"]["rowErrors"].as_array().unwrap();
    assert_eq!(errors.len(), 4);
    assert_eq!(
        errors[0],
        json!({"row": 3, "column": "Qty", "message": "the quantity is zero", "value": "0"})
    );
    assert_eq!(errors[1]["row"], 4);
    assert_eq!(errors[1]["value"], "two");
    assert_eq!(errors[2]["column"], "Code");
    assert_eq!(errors[3]["column"], "Sold at");
    assert_eq!(errors[3]["value"], "31/12/2026");
    assert_eq!(
        app.stock(&s.token, &s.company, &s.kitchen, &s.beans).await,
        "0",
        "nothing posted"
    );

    // The same file, now choosing to post the valid rows only.
    let up = app
        .upload_csv(
            &s.token,
            &s.integration,
            &s.location,
            "bad.csv",
            file.into_bytes(),
            true,
        )
        .await;
    let job = app
        .wait_job(
            &s.token,
            up["data"]["uploadPosCsv"]["id"]
                .as_str()
                .unwrap_or_else(|| panic!("{up:#}")),
        )
        .await;
    assert_eq!(job["state"], "SUCCEEDED", "{job:#}");
    assert_eq!(
        app.stock(&s.token, &s.company, &s.kitchen, &s.beans).await,
        "-0.045"
    );

    // A column missing from the header fails the whole file with its name.
    let up = app
        .upload_csv(
            &s.token,
            &s.integration,
            &s.location,
            "cols.csv",
            b"Code,Item,Amount,Total,Sold at\nESP,Espresso,1,1,2026-01-01 10:00\n".to_vec(),
            false,
        )
        .await;
    let job = app
        .wait_job(&s.token, up["data"]["uploadPosCsv"]["id"].as_str().unwrap())
        .await;
    assert_eq!(job["state"], "FAILED");
    assert!(
        job["error"]
            .as_str()
            .unwrap()
            .contains("column \"Qty\" is not in the header row"),
        "{job:#}"
    );

    // An empty file is refused at once.
    let empty = app
        .upload_csv(
            &s.token,
            &s.integration,
            &s.location,
            "empty.csv",
            vec![],
            false,
        )
        .await;
    assert_eq!(error_code(&empty), "VALIDATION");

    // Another company cannot upload to this integration.
    let (other, _) = app.sign_up("intruder@example.com").await;
    let foreign = app
        .upload_csv(
            &other,
            &s.integration,
            &s.location,
            "x.csv",
            b"a".to_vec(),
            false,
        )
        .await;
    assert_eq!(error_code(&foreign), "NOT_FOUND");
}
on_both_backends!(csv_invalid_rows_post_nothing, invalid_files);

/// A 1,000,000-row file sent by a script to `POST /api/pos/csv`, streamed through the parser.
async fn million_rows(app: TestApp) {
    let s = app.csv_setup("bulk@example.com").await;
    let d = days_ago(2);
    let mut file = String::with_capacity(40_000_000);
    file.push_str("Code,Item,Qty,Total,Sold at\n");
    for k in 0..1_000_000u32 {
        file.push_str(&format!(
            "I{},Item {},1,2.5,{d} {:02}:{:02}\n",
            k % 80,
            k % 80,
            8 + k % 12,
            k % 60
        ));
    }
    let body = file.into_bytes();
    let size = body.len();
    let r = app
        .client
        .post(format!(
            "{}/api/pos/csv?integrationId={}&locationId={}&fileName=million.csv",
            app.address, s.integration, s.location
        ))
        .bearer_auth(&s.token)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 202);
    let accepted: serde_json::Value = r.json().await.unwrap();
    let job = app
        .wait_job(&s.token, accepted["jobId"].as_str().unwrap())
        .await;
    assert_eq!(job["state"], "SUCCEEDED", "{job:#}");
    assert_eq!(job["csvImport"]["rowsTotal"], 1_000_000);
    assert_eq!(job["csvImport"]["rowsInvalid"], 0);
    assert!(size > 30_000_000);
    let unmapped = app
        .ok(
            &s.token,
            "query($i: ID!) { unmappedItems(integrationId: $i) { amountSold } }",
            json!({"i": s.integration}),
        )
        .await;
    let list = unmapped["unmappedItems"].as_array().unwrap();
    assert_eq!(list.len(), 80);
    assert_eq!(list[0]["amountSold"], "12500");

    // Without a token the endpoint refuses; over the size limit too.
    let r = app
        .client
        .post(format!(
            "{}/api/pos/csv?integrationId={}&locationId={}",
            app.address, s.integration, s.location
        ))
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
}
on_both_backends!(a_million_row_csv_streams_through, million_rows);

async fn size_limit(backend: tests::Backend) {
    let app = TestApp::spawn_with(backend, |s| s.csv_max_bytes = 1000).await;
    let s = app.csv_setup("limit@example.com").await;
    let big = vec![b'a'; 5000];
    let r = app
        .client
        .post(format!(
            "{}/api/pos/csv?integrationId={}&locationId={}",
            app.address, s.integration, s.location
        ))
        .bearer_auth(&s.token)
        .body(big.clone())
        .send()
        .await
        .unwrap();
    // Its Content-Length says it is too large: refused before a byte of it is read.
    assert_eq!(r.status().as_u16(), 413);
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("larger than the limit"),
        "{body}"
    );
    // By GraphQL multipart the file is refused before it reaches Larder.
    let operations = json!({"query": "mutation($i: ID!, $l: ID!, $f: Upload!) { uploadPosCsv(integrationId: $i, locationId: $l, file: $f) { id } }", "variables": {"i": s.integration, "l": s.location, "f": null}});
    let form = reqwest::multipart::Form::new()
        .text("operations", operations.to_string())
        .text("map", json!({"0": ["variables.f"]}).to_string())
        .part(
            "0",
            reqwest::multipart::Part::bytes(big).file_name("big.csv"),
        );
    let r = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(&s.token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());
    let jobs = app
        .ok(
            &s.token,
            "query($c: ID!) { jobs(companyId: $c) { id } }",
            json!({"c": s.company}),
        )
        .await;
    assert_eq!(jobs["jobs"], json!([]), "nothing queued");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csv_size_limit_sqlite() {
    size_limit(tests::Backend::Sqlite).await
}
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csv_size_limit_postgres() {
    size_limit(tests::Backend::Postgres).await
}
