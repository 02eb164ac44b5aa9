//! Postings: the worked examples, backdating, reversals, bad input and the append-only guard.

use super::*;

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
on_both_backends!(
    the_design_worked_examples_give_its_balances_and_costs,
    worked_examples
);

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
