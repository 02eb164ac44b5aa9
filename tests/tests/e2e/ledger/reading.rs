//! Reading the ledger: filters, pages, other companies, stock value.

use super::*;

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
    stock_value_is_summed_exactly,
    stock_value_is_summed_exactly_by_the_service
);

/// The summary's totals come from the cached balance, kept with every posting; a total the
/// cache does not know (`NULL`: it left 64 bits) or has wrong is summed from the ledger, and
/// the repair puts it right.
async fn summary_totals(app: TestApp) {
    let s = shop(&app).await;
    receipt(&app, &s, &s.main, "10", "5", "2026-01-02T08:00:00Z").await;
    // Backdated, and reversed: the totals follow every posting, wherever it lands.
    let early = receipt(&app, &s, &s.main, "4", "5", "2026-01-01T08:00:00Z").await;
    app.ok(&s.token, "mutation($in: MovementInput!) { postIssue(input: $in) { id } }", json!({"in": {"storageUnitId": s.main, "ingredientId": s.tomatoes, "quantity": "3", "occurredAt": "2026-01-03T08:00:00Z"}}))
        .await;
    app.ok(&s.token, "mutation($in: MovementInput!) { postWaste(input: $in, reason: \"spoiled\") { id } }", json!({"in": {"storageUnitId": s.main, "ingredientId": s.tomatoes, "quantity": "1", "occurredAt": "2026-01-03T09:00:00Z"}}))
        .await;
    app.ok(
        &s.token,
        "mutation($e: ID!) { reverseEntry(entryId: $e) { id } }",
        json!({"e": early["id"]}),
    )
    .await;
    let expected = json!({"currentBalance": "6", "totalReceipts": "10", "totalIssues": "3", "totalEntries": 5, "averageCost": "5", "value": "30"});
    assert_eq!(summary(&app, &s, &s.main).await, expected);

    let company: i64 = s.company.parse().unwrap();
    let cached = |received: &str, issued: &str| {
        format!(
            "UPDATE stock_balances SET received_micro = {received}, issued_micro = {issued} WHERE company_id = {company}"
        )
    };
    for (received, issued) in [("NULL", "NULL"), ("NULL", "3000000"), ("99", "NULL")] {
        app.db
            .execute_unprepared(&cached(received, issued))
            .await
            .unwrap();
        assert_eq!(
            summary(&app, &s, &s.main).await,
            expected,
            "a total the cache does not know is summed from the ledger ({received}, {issued})"
        );
    }
    app.db
        .execute_unprepared(&cached("99", "98"))
        .await
        .unwrap();
    let txn = service::db::begin_write(&app.db).await.unwrap();
    let repaired = service::ledger::recompute::rebuild_balances(&txn, company)
        .await
        .unwrap();
    sea_orm::TransactionSession::commit(txn).await.unwrap();
    assert_eq!(repaired, 1, "wrong totals count as a wrong balance");
    assert_eq!(summary(&app, &s, &s.main).await, expected);
    tests::books::check_invariants(&app.db, company).await;
}

on_both_backends!(
    a_summary_takes_its_totals_from_the_cache_and_sums_the_ledger_when_they_are_unknown,
    summary_totals
);
