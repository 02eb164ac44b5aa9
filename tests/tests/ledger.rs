//! The ledger end to end over GraphQL: DESIGN.md's worked examples, backdating, transfers,
//! counts, reversals, reading, and bad input refused with nothing written.

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

async fn worked_examples(app: TestApp) {
    let s = shop(&app).await;
    // 10 KG at 5.00 then 10 KG at 7.00 → 6.00.
    receipt(&app, &s, &s.main, "10", "5", "2026-01-01T08:00:00Z").await;
    let second = receipt(&app, &s, &s.main, "10", "7", "2026-01-02T08:00:00Z").await;
    assert_eq!(second["averageCostAfter"], "6");
    assert_eq!(second["value"], "70");
    let sum = summary(&app, &s, &s.main).await;
    assert_eq!(
        sum,
        json!({"currentBalance": "20", "totalReceipts": "20", "totalIssues": "0", "totalEntries": 2, "averageCost": "6", "value": "120"})
    );

    // Issue −4 → 16 valued at 6; waste −1 → 15; a count of 17 → ADJUST +2.
    let issue = app
        .ok(&s.token, &format!("mutation($in: MovementInput!) {{ postIssue(input: $in, note: \"staff lunch\") {{ {ENTRY} }} }}"), json!({"in": {"storageUnitId": s.main, "ingredientId": s.tomatoes, "quantity": "4", "occurredAt": "2026-01-03T08:00:00Z"}}))
        .await;
    assert_eq!(issue["postIssue"]["quantity"], "-4");
    assert_eq!(issue["postIssue"]["unitCost"], "6");
    assert_eq!(issue["postIssue"]["value"], "-24");
    let waste = app
        .ok(&s.token, &format!("mutation($in: MovementInput!) {{ postWaste(input: $in, reason: \"spoiled\") {{ {ENTRY} }} }}"), json!({"in": {"storageUnitId": s.main, "ingredientId": s.tomatoes, "quantity": "1000", "unit": "G", "occurredAt": "2026-01-04T08:00:00Z"}}))
        .await;
    assert_eq!(waste["postWaste"]["reason"], "Spoiled");
    assert_eq!(waste["postWaste"]["balanceAfter"], "15");
    let count = app
        .ok(&s.token, &format!("mutation($s: ID!, $l: [CountLineInput!]!) {{ postStockCount(storageUnitId: $s, countedAt: \"2026-01-05T08:00:00Z\", lines: $l) {{ {ENTRY} }} }}"), json!({"s": s.main, "l": [{"ingredientId": s.tomatoes, "countedQuantity": "17"}]}))
        .await;
    assert_eq!(count["postStockCount"][0]["transactionType"], "ADJUST");
    assert_eq!(count["postStockCount"][0]["quantity"], "2");
    assert_eq!(count["postStockCount"][0]["unitCost"], "6");
    let rows = ledger(&app, &s, &s.main).await;
    assert_eq!(
        column(&rows, "balanceAfter"),
        ["10", "20", "16", "15", "17"]
    );
    assert_eq!(
        column(&rows, "transactionType"),
        ["RECEIPT", "RECEIPT", "ISSUE", "WASTE", "ADJUST"]
    );

    // Counting what the books say posts nothing; a count of 10 against 12 is −2.
    let same = app
        .ok(&s.token, "mutation($s: ID!, $l: [CountLineInput!]!) { postStockCount(storageUnitId: $s, countedAt: \"2026-01-05T09:00:00Z\", lines: $l) { id } }", json!({"s": s.main, "l": [{"ingredientId": s.tomatoes, "countedQuantity": "17"}]}))
        .await;
    assert_eq!(same["postStockCount"], json!([]));

    // 2 boxes of 10 KG at 30.00 a box → +20 KG at 3.00.
    let boxes = app
        .ok(&s.token, &format!("mutation($in: MovementInput!) {{ postReceipt(input: $in, unitCost: \"30\") {{ {ENTRY} }} }}"), json!({"in": {"storageUnitId": s.bar, "ingredientId": s.tomatoes, "quantity": "2", "packagingLevelId": box_level(&app, &s).await, "occurredAt": "2026-01-01T08:00:00Z"}}))
        .await;
    assert_eq!(boxes["postReceipt"]["quantity"], "20");
    assert_eq!(boxes["postReceipt"]["unitCost"], "3");
    let bar_issue = app
        .ok(&s.token, "mutation($in: MovementInput!) { postIssue(input: $in) { id } }", json!({"in": {"storageUnitId": s.bar, "ingredientId": s.tomatoes, "quantity": "8", "occurredAt": "2026-01-02T08:00:00Z"}}))
        .await;
    assert!(bar_issue["postIssue"]["id"].is_string());
    let counted = app
        .ok(&s.token, "mutation($s: ID!, $l: [CountLineInput!]!) { postStockCount(storageUnitId: $s, countedAt: \"2026-01-03T08:00:00Z\", lines: $l) { quantity } }", json!({"s": s.bar, "l": [{"ingredientId": s.tomatoes, "countedQuantity": "10"}]}))
        .await;
    assert_eq!(counted["postStockCount"], json!([{"quantity": "-2"}]));
}
on_both_backends!(worked_examples_hold, worked_examples);

async fn box_level(app: &TestApp, s: &Shop) -> Value {
    let i = app
        .ok(
            &s.token,
            "query($i: ID!) { ingredient(id: $i) { packagingLevels { id } } }",
            json!({"i": s.tomatoes}),
        )
        .await;
    i["ingredient"]["packagingLevels"][0]["id"].clone()
}

async fn backdating_and_transfers(app: TestApp) {
    let s = shop(&app).await;
    receipt(&app, &s, &s.main, "10", "4", "2026-02-01T08:00:00Z").await;
    let moved = app
        .ok(&s.token, &format!("mutation($f: ID!, $t: ID!, $i: ID!) {{ transferStock(fromStorageUnitId: $f, toStorageUnitId: $t, ingredientId: $i, quantity: \"5\", occurredAt: \"2026-02-03T08:00:00Z\") {{ {ENTRY} }} }}"), json!({"f": s.main, "t": s.bar, "i": s.tomatoes}))
        .await;
    let pair = moved["transferStock"].as_array().unwrap();
    assert_eq!(
        (
            pair[0]["transactionType"].as_str(),
            pair[0]["quantity"].as_str(),
            pair[0]["unitCost"].as_str()
        ),
        (Some("TRANSFER_OUT"), Some("-5"), Some("4"))
    );
    assert_eq!(
        (
            pair[1]["transactionType"].as_str(),
            pair[1]["quantity"].as_str(),
            pair[1]["unitCost"].as_str()
        ),
        (Some("TRANSFER_IN"), Some("5"), Some("4"))
    );
    assert_eq!(pair[0]["value"], "-20");
    assert_eq!(pair[1]["value"], "20");
    app.ok(&s.token, "mutation($in: MovementInput!) { postIssue(input: $in) { id } }", json!({"in": {"storageUnitId": s.bar, "ingredientId": s.tomatoes, "quantity": "2", "occurredAt": "2026-02-04T08:00:00Z"}}))
        .await;

    // A receipt back-filled before the transfer moves the source's average, the transfer's cost,
    // and the target's average and later issue: as if it had been posted in order.
    receipt(&app, &s, &s.main, "10", "8", "2026-02-02T08:00:00Z").await;
    let main_rows = ledger(&app, &s, &s.main).await;
    assert_eq!(column(&main_rows, "balanceAfter"), ["10", "20", "15"]);
    assert_eq!(column(&main_rows, "unitCost"), ["4", "8", "6"]);
    let bar_rows = ledger(&app, &s, &s.bar).await;
    assert_eq!(
        column(&bar_rows, "transactionType"),
        ["TRANSFER_IN", "ISSUE"]
    );
    assert_eq!(column(&bar_rows, "unitCost"), ["6", "6"]);
    assert_eq!(column(&bar_rows, "value"), ["30", "-12"]);
    assert_eq!(summary(&app, &s, &s.bar).await["value"], "18");

    // Stock levels agree with the ledger; negative stock is flagged.
    app.ok(
        &s.token,
        "mutation($in: MovementInput!) { postIssue(input: $in) { id } }",
        json!({"in": {"storageUnitId": s.bar, "ingredientId": s.tomatoes, "quantity": "7"}}),
    )
    .await;
    let levels = app
        .ok(&s.token, "query($c: ID!) { stockLevels(companyId: $c) { storageUnit { name } quantity averageCost value negative } }", json!({"c": s.company}))
        .await;
    assert_eq!(
        levels["stockLevels"],
        json!([
            {"storageUnit": {"name": "Main Storage"}, "quantity": "15", "averageCost": "6", "value": "90", "negative": false},
            {"storageUnit": {"name": "Bar"}, "quantity": "-4", "averageCost": "6", "value": "-24", "negative": true}
        ])
    );
}
on_both_backends!(
    backdated_entries_and_transfers_recompute,
    backdating_and_transfers
);

async fn reversals(app: TestApp) {
    let s = shop(&app).await;
    receipt(&app, &s, &s.main, "10", "5", "2026-03-01T08:00:00Z").await;
    let wrong = receipt(&app, &s, &s.main, "10", "7", "2026-03-02T08:00:00Z").await;
    let reverse = format!(
        "mutation($id: ID!) {{ reverseEntry(entryId: $id, note: \"typo\") {{ {ENTRY} }} }}"
    );
    let reversal = app.ok(&s.token, &reverse, json!({"id": wrong["id"]})).await;
    assert_eq!(reversal["reverseEntry"]["quantity"], "-10");
    assert_eq!(reversal["reverseEntry"]["reversalOf"], wrong["id"]);
    assert_eq!(reversal["reverseEntry"]["averageCostAfter"], "5");
    assert_eq!(reversal["reverseEntry"]["balanceAfter"], "10");
    let again = app
        .gql(Some(&s.token), &reverse, json!({"id": wrong["id"]}))
        .await;
    assert_eq!(error_code(&again), "CONFLICT");
    let of_reversal = app
        .gql(
            Some(&s.token),
            &reverse,
            json!({"id": reversal["reverseEntry"]["id"]}),
        )
        .await;
    assert_eq!(error_code(&of_reversal), "VALIDATION");
    let moved = app
        .ok(&s.token, "mutation($f: ID!, $t: ID!, $i: ID!) { transferStock(fromStorageUnitId: $f, toStorageUnitId: $t, ingredientId: $i, quantity: \"1\") { id } }", json!({"f": s.main, "t": s.bar, "i": s.tomatoes}))
        .await;
    let transfer = app
        .gql(
            Some(&s.token),
            &reverse,
            json!({"id": moved["transferStock"][0]["id"]}),
        )
        .await;
    assert_eq!(error_code(&transfer), "VALIDATION");
    // The original stays, unchanged: corrections are new entries.
    let rows = ledger(&app, &s, &s.main).await;
    assert_eq!(column(&rows, "quantity"), ["10", "10", "-10", "-1"]);
}
on_both_backends!(reversals_are_new_opposite_entries, reversals);

async fn bad_input(app: TestApp) {
    let s = shop(&app).await;
    let (other_token, other_company) = app.sign_up("rival@example.com").await;
    let foreign = app
        .ok(
            &other_token,
            "mutation($c: ID!) { createStorageUnit(companyId: $c, name: \"Theirs\") { id } }",
            json!({"c": other_company}),
        )
        .await;
    let foreign_unit = foreign["createStorageUnit"]["id"].clone();
    let post = "mutation($in: MovementInput!, $c: Decimal!) { postReceipt(input: $in, unitCost: $c) { id } }";
    let base = json!({"storageUnitId": s.main, "ingredientId": s.tomatoes, "quantity": "1"});
    let with = |k: &str, v: Value| {
        let mut i = base.clone();
        i[k] = v;
        json!({"in": i, "c": "2"})
    };
    let cases = [
        (
            with("quantity", json!("-5")),
            "VALIDATION",
            "input.quantity",
        ),
        (with("quantity", json!("0")), "VALIDATION", "input.quantity"),
        (with("unit", json!("ML")), "VALIDATION", "input.unit"),
        (
            with("storageUnitId", foreign_unit.clone()),
            "NOT_FOUND",
            "input.storageUnitId",
        ),
        (
            with("occurredAt", json!("2999-01-01T00:00:00Z")),
            "VALIDATION",
            "input.occurredAt",
        ),
        (
            json!({"in": base.clone(), "c": "-1"}),
            "VALIDATION",
            "unitCost",
        ),
    ];
    for (vars, code, field) in cases {
        let r = app.gql(Some(&s.token), post, vars.clone()).await;
        assert_eq!(error_code(&r), code, "{vars}: {r}");
        assert_eq!(error_field(&r), field, "{vars}: {r}");
    }
    let unknown_unit = app
        .gql(Some(&s.token), post, with("unit", json!("BUSHEL")))
        .await;
    assert!(
        unknown_unit["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("BUSHEL"),
        "{unknown_unit}"
    );
    let no_reason = app
        .gql(
            Some(&s.token),
            "mutation($in: MovementInput!) { postWaste(input: $in, reason: \"because\") { id } }",
            json!({"in": base}),
        )
        .await;
    assert_eq!(error_field(&no_reason), "reason");
    // Bulk waste: one bad line, nothing posted.
    let bulk = app
        .gql(
            Some(&s.token),
            "mutation($l: [WasteLineInput!]!) { postBulkWaste(lines: $l) { id } }",
            json!({"l": [{"input": base, "reason": "Expired"}, {"input": {"storageUnitId": s.main, "ingredientId": s.tomatoes, "quantity": "1", "unit": "L"}, "reason": "Other: dropped"}]}),
        )
        .await;
    assert_eq!(error_field(&bulk), "lines[1].unit");
    let rows = ledger(&app, &s, &s.main).await;
    assert!(rows.is_empty(), "nothing was written: {rows:?}");
    // Reading another company's ledger is not found; a foreign entry too.
    let r = app
        .gql(
            Some(&other_token),
            "query($c: ID!) { ledger(companyId: $c) { totalCount } }",
            json!({"c": s.company}),
        )
        .await;
    assert_eq!(error_code(&r), "NOT_FOUND");
    let r = app.gql(Some(&other_token), "query($i: ID!, $s: ID!) { ledgerSummary(ingredientId: $i, storageUnitId: $s) { value } }", json!({"i": s.tomatoes, "s": s.main})).await;
    assert_eq!(error_code(&r), "NOT_FOUND");
    // Viewers read but do not post.
    app.ok(&s.token, "mutation($c: ID!) { addMember(companyId: $c, email: \"rival@example.com\", role: VIEWER) { role } }", json!({"c": s.company})).await;
    let r = app
        .gql(Some(&other_token), post, json!({"in": base, "c": "1"}))
        .await;
    assert_eq!(error_code(&r), "FORBIDDEN");
}
on_both_backends!(bad_input_is_refused_and_writes_nothing, bad_input);

async fn append_only(app: TestApp) {
    let s = shop(&app).await;
    let r = receipt(&app, &s, &s.main, "10", "5", "2026-04-01T08:00:00Z").await;
    let id = r["id"].as_str().unwrap();
    for sql in [
        format!("UPDATE ledger_entries SET quantity_micro = 1 WHERE id = {id}"),
        format!("UPDATE ledger_entries SET occurred_at = 0 WHERE id = {id}"),
        format!("UPDATE ledger_entries SET transaction_type = 'ISSUE' WHERE id = {id}"),
        format!("DELETE FROM ledger_entries WHERE id = {id}"),
    ] {
        let err = app.db.execute_unprepared(&sql).await.expect_err(&sql);
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    let rows = ledger(&app, &s, &s.main).await;
    assert_eq!(column(&rows, "quantity"), ["10"]);
}
on_both_backends!(the_database_refuses_to_change_facts, append_only);

async fn reading(app: TestApp) {
    let s = shop(&app).await;
    for day in 1..=9 {
        receipt(
            &app,
            &s,
            &s.main,
            "1",
            "2",
            &format!("2026-05-0{day}T08:00:00Z"),
        )
        .await;
    }
    app.ok(&s.token, "mutation($in: MovementInput!) { postWaste(input: $in, reason: \"Other: fell off the shelf\") { id } }", json!({"in": {"storageUnitId": s.bar, "ingredientId": s.tomatoes, "quantity": "1", "occurredAt": "2026-05-05T09:00:00Z"}}))
        .await;
    let q = "query($c: ID!, $f: LedgerFilter, $n: Boolean, $first: Int, $after: String, $last: Int, $before: String) { ledger(companyId: $c, filter: $f, newestFirst: $n, first: $first, after: $after, last: $last, before: $before) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { occurredAt balanceAfter storageUnit { name } transactionType reason } } } }";
    let page1 = app
        .ok(&s.token, q, json!({"c": s.company, "first": 4}))
        .await;
    assert_eq!(page1["ledger"]["totalCount"], 10);
    assert_eq!(page1["ledger"]["pageInfo"]["hasNextPage"], true);
    let page2 = app
        .ok(
            &s.token,
            q,
            json!({"c": s.company, "first": 4, "after": page1["ledger"]["pageInfo"]["endCursor"]}),
        )
        .await;
    let times: Vec<&str> = page2["ledger"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["occurredAt"].as_str().unwrap())
        .collect();
    assert_eq!(times[0], "2026-05-05T08:00:00+00:00");
    assert_eq!(
        times[1], "2026-05-05T09:00:00+00:00",
        "the Bar's waste sits in time order"
    );
    let newest = app
        .ok(&s.token, q, json!({"c": s.company, "n": true, "first": 2}))
        .await;
    assert_eq!(
        newest["ledger"]["edges"][0]["node"]["occurredAt"],
        "2026-05-09T08:00:00+00:00"
    );
    let last = app
        .ok(&s.token, q, json!({"c": s.company, "last": 3}))
        .await;
    assert_eq!(last["ledger"]["edges"][2]["node"]["balanceAfter"], "9");
    assert_eq!(last["ledger"]["pageInfo"]["hasPreviousPage"], true);
    let back = app
        .ok(
            &s.token,
            q,
            json!({"c": s.company, "last": 3, "before": last["ledger"]["pageInfo"]["startCursor"]}),
        )
        .await;
    assert_eq!(back["ledger"]["edges"][0]["node"]["balanceAfter"], "5");
    assert_eq!(
        back["ledger"]["edges"][1]["node"]["balanceAfter"], "-1",
        "the Bar's waste runs its own balance"
    );
    let waste = app
        .ok(
            &s.token,
            q,
            json!({"c": s.company, "f": {"types": ["WASTE"]}}),
        )
        .await;
    assert_eq!(waste["ledger"]["totalCount"], 1);
    assert_eq!(
        waste["ledger"]["edges"][0]["node"]["reason"],
        "Other: fell off the shelf"
    );
    let window = app.ok(&s.token, q, json!({"c": s.company, "f": {"from": "2026-05-03T00:00:00Z", "to": "2026-05-04T23:59:59Z"}})).await;
    assert_eq!(window["ledger"]["totalCount"], 2);
    let negative = app
        .ok(
            &s.token,
            q,
            json!({"c": s.company, "f": {"maxCurrentStock": "0"}}),
        )
        .await;
    assert_eq!(
        negative["ledger"]["totalCount"], 1,
        "only the Bar is below zero"
    );
    let active = app
        .ok(
            &s.token,
            q,
            json!({"c": s.company, "f": {"ingredientActive": false}}),
        )
        .await;
    assert_eq!(active["ledger"]["totalCount"], 0);
    let recent = app
        .ok(
            &s.token,
            "query($c: ID!) { recentMovements(companyId: $c, first: 1) { transactionType } }",
            json!({"c": s.company}),
        )
        .await;
    assert_eq!(
        recent["recentMovements"],
        json!([{"transactionType": "WASTE"}])
    );
}
on_both_backends!(ledger_reads_filter_and_page, reading);

async fn transfer_workflow(app: TestApp) {
    let s = shop(&app).await;
    receipt(&app, &s, &s.main, "10", "4", "2026-08-01T08:00:00Z").await;
    let created = app
        .ok(&s.token, "mutation($f: ID!, $t: ID!, $i: ID!) { createTransfer(fromStorageUnitId: $f, toStorageUnitId: $t, lines: [{ingredientId: $i, quantity: \"3\", lotNumber: \"L-7\", expiryDate: \"2026-09-01\"}]) { id status lines { lotNumber expiryDate quantity } } }", json!({"f": s.main, "t": s.bar, "i": s.tomatoes}))
        .await;
    let id = created["createTransfer"]["id"].clone();
    assert_eq!(created["createTransfer"]["status"], "DRAFT");
    assert_eq!(
        created["createTransfer"]["lines"][0],
        json!({"lotNumber": "L-7", "expiryDate": "2026-09-01", "quantity": "3"})
    );
    let receive_draft = app
        .gql(
            Some(&s.token),
            "mutation($id: ID!) { receiveTransfer(id: $id) { id } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(error_code(&receive_draft), "CONFLICT");

    let shipped = app.ok(&s.token, "mutation($id: ID!) { shipTransfer(id: $id, occurredAt: \"2026-08-02T08:00:00Z\") { status } }", json!({"id": id})).await;
    assert_eq!(shipped["shipTransfer"]["status"], "SHIPPED");
    let pending = app
        .ok(&s.token, "query($c: ID!, $b: ID!) { transfers(companyId: $c, status: SHIPPED) { id } storageUnit(id: $b) { pendingTransfersIn } }", json!({"c": s.company, "b": s.bar}))
        .await;
    assert_eq!(pending["transfers"].as_array().unwrap().len(), 1);
    assert_eq!(pending["storageUnit"]["pendingTransfersIn"], 1);
    assert_eq!(
        column(&ledger(&app, &s, &s.main).await, "balanceAfter"),
        ["10", "7"],
        "shipped stock has left"
    );
    assert!(
        ledger(&app, &s, &s.bar).await.is_empty(),
        "and has not arrived: it is in transit"
    );

    let closed = app.ok(&s.token, "mutation($id: ID!) { receiveTransfer(id: $id, occurredAt: \"2026-08-03T08:00:00Z\") { status lines { outEntryId inEntryId } } }", json!({"id": id})).await;
    assert_eq!(closed["receiveTransfer"]["status"], "CLOSED");
    let bar = ledger(&app, &s, &s.bar).await;
    assert_eq!(
        (
            bar[0]["transactionType"].as_str(),
            bar[0]["quantity"].as_str(),
            bar[0]["unitCost"].as_str()
        ),
        (Some("TRANSFER_IN"), Some("3"), Some("4"))
    );
    assert_eq!(
        bar[0]["occurredAt"], "2026-08-03T08:00:00+00:00",
        "received when it says, after it was shipped"
    );
    let detail = app
        .ok(
            &s.token,
            "query($id: ID!) { ledgerEntry(id: $id) { source { kind description transferId } } }",
            json!({"id": bar[0]["id"]}),
        )
        .await;
    assert_eq!(detail["ledgerEntry"]["source"]["transferId"], id);
    let description = detail["ledgerEntry"]["source"]["description"]
        .as_str()
        .unwrap();
    assert!(
        description.contains("Main Storage → Bar")
            && description.contains("lot L-7")
            && description.contains("2026-09-01"),
        "{description}"
    );
    // A receipt back-filled before the shipment changes both sides' cost.
    receipt(&app, &s, &s.main, "10", "8", "2026-08-01T09:00:00Z").await;
    let bar = ledger(&app, &s, &s.bar).await;
    assert_eq!(bar[0]["unitCost"], "6");
    let main = ledger(&app, &s, &s.main).await;
    assert_eq!(main.last().unwrap()["value"], "-18");
    let twice = app
        .gql(
            Some(&s.token),
            "mutation($id: ID!) { receiveTransfer(id: $id) { id } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(
        error_code(&twice),
        "CONFLICT",
        "a transfer is received once"
    );
    let (rival, _) = app.sign_up("rival@example.com").await;
    let foreign = app
        .gql(
            Some(&rival),
            "query($id: ID!) { transfer(id: $id) { id } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(error_code(&foreign), "NOT_FOUND");
}
on_both_backends!(transfers_go_draft_shipped_closed, transfer_workflow);

async fn count_sessions(app: TestApp) {
    let s = shop(&app).await;
    receipt(&app, &s, &s.main, "12", "5", "2026-09-01T08:00:00Z").await;
    let start = "mutation($s: ID!) { startStockCount(storageUnitId: $s) { id status lines { ingredient { name } bookQuantity countedQuantity } } }";
    let count = app.ok(&s.token, start, json!({"s": s.main})).await;
    let id = count["startStockCount"]["id"].clone();
    assert_eq!(
        count["startStockCount"]["lines"],
        json!([{"ingredient": {"name": "Tomatoes"}, "bookQuantity": "12", "countedQuantity": null}])
    );
    // At most one open count per storage unit: starting again resumes it.
    let again = app.ok(&s.token, start, json!({"s": s.main})).await;
    assert_eq!(again["startStockCount"]["id"], id);
    let saved = app
        .ok(&s.token, "mutation($c: ID!, $i: ID!) { saveStockCount(countId: $c, lines: [{ingredientId: $i, countedQuantity: \"10\"}]) { lines { countedQuantity difference } } }", json!({"c": id, "i": s.tomatoes}))
        .await;
    assert_eq!(
        saved["saveStockCount"]["lines"],
        json!([{"countedQuantity": "10", "difference": "-2"}])
    );
    assert_eq!(
        ledger(&app, &s, &s.main).await.len(),
        1,
        "a draft posts nothing"
    );
    let post = "mutation($c: ID!) { postStockCountSession(countId: $c, countedAt: \"2026-09-02T08:00:00Z\") { count { status } adjustments { transactionType quantity unitCost source { kind id } } } }";
    let posted = app.ok(&s.token, post, json!({"c": id})).await;
    assert_eq!(posted["postStockCountSession"]["count"]["status"], "POSTED");
    // 12 → 10 counted is ADJUST −2 at the average cost.
    assert_eq!(
        posted["postStockCountSession"]["adjustments"],
        json!([{"transactionType": "ADJUST", "quantity": "-2", "unitCost": "5", "source": {"kind": "STOCK_COUNT", "id": id}}])
    );
    let twice = app.gql(Some(&s.token), post, json!({"c": id})).await;
    assert_eq!(error_code(&twice), "CONFLICT", "posting twice is refused");
    // A new count may open now; an uncounted line changes nothing.
    let next = app.ok(&s.token, start, json!({"s": s.main})).await;
    assert_ne!(next["startStockCount"]["id"], id);
    let nothing = app
        .ok(&s.token, post, json!({"c": next["startStockCount"]["id"]}))
        .await;
    assert_eq!(nothing["postStockCountSession"]["adjustments"], json!([]));
    let (rival, _) = app.sign_up("rival@example.com").await;
    let foreign = app
        .gql(
            Some(&rival),
            "query($c: ID!) { stockCount(id: $c) { id } }",
            json!({"c": id}),
        )
        .await;
    assert_eq!(error_code(&foreign), "NOT_FOUND");
}
on_both_backends!(stock_count_sessions_post_once, count_sessions);

async fn across_companies(app: TestApp) {
    let s = shop(&app).await;
    // A second restaurant of the same owner, with its own Tomatoes.
    let other = app
        .ok(&s.token, "mutation { createCompany(input: {name: \"Bistro Two\", currency: \"EUR\", timezone: \"Europe/Berlin\"}) { id } }", json!({}))
        .await["createCompany"]["id"]
        .clone();
    let cellar = app
        .ok(
            &s.token,
            "mutation($c: ID!) { createStorageUnit(companyId: $c, name: \"Cellar\") { id } }",
            json!({"c": other}),
        )
        .await["createStorageUnit"]["id"]
        .clone();
    let move_it = "mutation($f: ID!, $t: ID!, $i: ID!) { transferStock(fromStorageUnitId: $f, toStorageUnitId: $t, ingredientId: $i, quantity: \"2\") { transactionType quantity unitCost ingredient { id } } }";
    receipt(&app, &s, &s.main, "10", "3", "2026-10-01T08:00:00Z").await;
    let missing = app
        .gql(
            Some(&s.token),
            move_it,
            json!({"f": s.main, "t": cellar, "i": s.tomatoes}),
        )
        .await;
    assert_eq!(
        error_code(&missing),
        "VALIDATION",
        "the other company has no Tomatoes yet: {missing}"
    );
    let theirs = app.ok(&s.token, "mutation($c: ID!) { createIngredient(companyId: $c, name: \"Tomatoes\", baseUnit: KG) { id } }", json!({"c": other})).await["createIngredient"]["id"].clone();
    let moved = app
        .ok(
            &s.token,
            move_it,
            json!({"f": s.main, "t": cellar, "i": s.tomatoes}),
        )
        .await;
    assert_eq!(moved["transferStock"][1]["ingredient"]["id"], theirs);
    assert_eq!(moved["transferStock"][1]["unitCost"], "3");
    // Someone who is not in the receiving company cannot send there.
    let (rival, rival_company) = app.sign_up("rival@example.com").await;
    app.ok(&s.token, "mutation($c: ID!) { addMember(companyId: $c, email: \"rival@example.com\", role: STAFF) { role } }", json!({"c": s.company})).await;
    let _ = rival_company;
    let refused = app
        .gql(
            Some(&rival),
            move_it,
            json!({"f": s.main, "t": cellar, "i": s.tomatoes}),
        )
        .await;
    assert_eq!(error_code(&refused), "NOT_FOUND");
}
on_both_backends!(
    transfers_cross_companies_the_caller_staffs,
    across_companies
);

/// The stock's value is the service's exact sum — in total and per storage unit — so a page
/// shows it and adds nothing up itself (in floating point, 0.1 + 0.2 is not 0.3).
async fn stock_value_is_summed_exactly_by_the_service(app: TestApp) {
    let s = shop(&app).await;
    receipt(&app, &s, &s.main, "1", "0.1", "2026-01-01T08:00:00Z").await;
    receipt(&app, &s, &s.bar, "1", "0.2", "2026-01-01T08:00:00Z").await;
    let q = "query($c: ID!, $s: ID) { stockValue(companyId: $c, storageUnitId: $s) { total storageUnits { storageUnit { id } value } } }";
    let all = app.ok(&s.token, q, json!({"c": s.company})).await;
    assert_eq!(all["stockValue"]["total"], "0.3");
    let units = all["stockValue"]["storageUnits"].as_array().unwrap();
    let value_of = |unit: &str| {
        units
            .iter()
            .find(|u| u["storageUnit"]["id"] == unit)
            .map(|u| u["value"].clone())
    };
    assert_eq!(value_of(&s.main), Some(json!("0.1")));
    assert_eq!(value_of(&s.bar), Some(json!("0.2")));
    let bar = app
        .ok(&s.token, q, json!({"c": s.company, "s": s.bar}))
        .await;
    assert_eq!(bar["stockValue"]["total"], "0.2");
    let foreign = app.sign_up("other@example.com").await;
    let refused = app.gql(Some(&foreign.0), q, json!({"c": s.company})).await;
    assert_eq!(error_code(&refused), "NOT_FOUND", "{refused}");
}
on_both_backends!(
    stock_value_is_exact,
    stock_value_is_summed_exactly_by_the_service
);
