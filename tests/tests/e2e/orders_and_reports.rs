//! Vendor orders received into stock, the inventory report, and the CSV exports.

use serde_json::{Value, json};
use tests::{TestApp, error_code, error_field, on_both_backends};

struct Setup {
    token: String,
    company: String,
    main: String,
    tomatoes: String,
    vendor: String,
    product: String,
}

async fn setup(app: &TestApp) -> Setup {
    let (token, company) = app.sign_up("buyer@example.com").await;
    let main = app
        .ok(
            &token,
            "mutation($c: ID!) { createStorageUnit(companyId: $c, name: \"Main Storage\") { id } }",
            json!({"c": company}),
        )
        .await;
    let t = app.ok(&token, "mutation($c: ID!) { createIngredient(companyId: $c, name: \"=Tomatoes\", baseUnit: KG) { id } }", json!({"c": company})).await;
    let v = app.ok(&token, "mutation($c: ID!) { createVendor(companyId: $c, input: {name: \"Green Farm\"}) { id } }", json!({"c": company})).await;
    let tomatoes = t["createIngredient"]["id"].as_str().unwrap().to_string();
    let vendor = v["createVendor"]["id"].as_str().unwrap().to_string();
    let p = app
        .ok(&token, "mutation($c: ID!, $v: ID!, $i: ID!) { createProduct(companyId: $c, input: {vendorId: $v, ingredientId: $i, name: \"Tomatoes 10 kg\", sku: \"T10\", packName: \"box\", packagingFactor: \"10\"}) { id } }", json!({"c": company, "v": vendor, "i": tomatoes}))
        .await;
    Setup {
        main: main["createStorageUnit"]["id"].as_str().unwrap().into(),
        product: p["createProduct"]["id"].as_str().unwrap().into(),
        token,
        company,
        tomatoes,
        vendor,
    }
}

const RECEIVE: &str = "mutation($o: ID!, $s: ID!, $l: [ReceiveLineInput!]) { receiveOrder(orderId: $o, storageUnitId: $s, lines: $l, occurredAt: \"2026-07-01T08:00:00Z\") { quantity unitCost value source { kind id } } }";

async fn orders(app: TestApp) {
    let s = setup(&app).await;
    let order = app
        .ok(&s.token, "mutation($c: ID!, $v: ID!, $p: ID!) { createOrder(companyId: $c, vendorId: $v, reference: \"PO-1\", items: [{productId: $p, packs: \"3\", pricePerPack: \"30\"}]) { id status items { id packs openPacks } } }", json!({"c": s.company, "v": s.vendor, "p": s.product}))
        .await;
    let order_id = order["createOrder"]["id"].clone();
    let item = order["createOrder"]["items"][0]["id"].clone();
    assert_eq!(order["createOrder"]["status"], "DRAFT");
    let sent = app
        .ok(
            &s.token,
            "mutation($o: ID!) { sendOrder(id: $o) { status } }",
            json!({"o": order_id}),
        )
        .await;
    assert_eq!(sent["sendOrder"]["status"], "SENT");

    // 2 boxes of 10 KG at 30.00 a box → +20 KG at 3.00.
    let first = app
        .ok(
            &s.token,
            RECEIVE,
            json!({"o": order_id, "s": s.main, "l": [{"itemId": item, "packs": "2"}]}),
        )
        .await;
    assert_eq!(
        first["receiveOrder"],
        json!([{"quantity": "20", "unitCost": "3", "value": "60", "source": {"kind": "ORDER_ITEM", "id": item}}])
    );
    let detail = app
        .ok(&s.token, "query($c: ID!) { recentMovements(companyId: $c, first: 1) { source { description orderId } } }", json!({"c": s.company}))
        .await;
    assert_eq!(detail["recentMovements"][0]["source"]["orderId"], order_id);
    let description = detail["recentMovements"][0]["source"]["description"]
        .as_str()
        .unwrap();
    assert!(
        description.starts_with(&format!(
            "Order #{} from Green Farm: Tomatoes 10 kg",
            order_id.as_str().unwrap()
        )),
        "{description}"
    );
    let zero = app
        .gql(
            Some(&s.token),
            RECEIVE,
            json!({"o": order_id, "s": s.main, "l": [{"itemId": item, "packs": "0"}]}),
        )
        .await;
    assert_eq!(error_code(&zero), "VALIDATION");
    assert_eq!(error_field(&zero), "lines[0].packs");
    let too_many = app
        .gql(
            Some(&s.token),
            RECEIVE,
            json!({"o": order_id, "s": s.main, "l": [{"itemId": item, "packs": "2"}]}),
        )
        .await;
    assert_eq!(error_code(&too_many), "CONFLICT");
    let rest = app
        .ok(&s.token, RECEIVE, json!({"o": order_id, "s": s.main}))
        .await;
    assert_eq!(rest["receiveOrder"][0]["quantity"], "10");
    // Everything is in: receiving again posts nothing.
    let again = app
        .gql(Some(&s.token), RECEIVE, json!({"o": order_id, "s": s.main}))
        .await;
    assert_eq!(error_code(&again), "CONFLICT");
    let view = app.ok(&s.token, "query($o: ID!) { order(id: $o) { status items { receivedPacks openPacks product { name } } } }", json!({"o": order_id})).await;
    assert_eq!(
        view["order"],
        json!({"status": "RECEIVED", "items": [{"receivedPacks": "3", "openPacks": "0", "product": {"name": "Tomatoes 10 kg"}}]})
    );
    let sum = app.ok(&s.token, "query($i: ID!, $s: ID!) { ledgerSummary(ingredientId: $i, storageUnitId: $s) { currentBalance totalEntries averageCost } }", json!({"i": s.tomatoes, "s": s.main})).await;
    assert_eq!(
        sum["ledgerSummary"],
        json!({"currentBalance": "30", "totalEntries": 2, "averageCost": "3"})
    );

    // Another company's order or storage unit is not found.
    let (rival, _) = app.sign_up("rival@example.com").await;
    let r = app
        .gql(Some(&rival), RECEIVE, json!({"o": order_id, "s": s.main}))
        .await;
    assert_eq!(error_code(&r), "NOT_FOUND");
    let r = app
        .gql(
            Some(&rival),
            "query($o: ID!) { order(id: $o) { id } }",
            json!({"o": order_id}),
        )
        .await;
    assert_eq!(error_code(&r), "NOT_FOUND");
}
on_both_backends!(orders_are_received_once, orders);

async fn report_and_exports(app: TestApp) {
    let s = setup(&app).await;
    let post = |q: &str, at: &str| json!({"in": {"storageUnitId": s.main, "ingredientId": s.tomatoes, "quantity": q, "occurredAt": at}});
    app.ok(
        &s.token,
        "mutation($in: MovementInput!) { postReceipt(input: $in, unitCost: \"2\") { id } }",
        post("10", "2026-07-01T08:00:00Z"),
    )
    .await;
    app.ok(
        &s.token,
        "mutation($in: MovementInput!) { postReceipt(input: $in, unitCost: \"4\") { id } }",
        post("10", "2026-07-02T08:00:00Z"),
    )
    .await;
    app.ok(
        &s.token,
        "mutation($in: MovementInput!) { postIssue(input: $in) { id } }",
        post("5", "2026-07-02T12:00:00Z"),
    )
    .await;
    let bad_reason = app.gql(Some(&s.token), "mutation($in: MovementInput!) { postWaste(input: $in, reason: \"=cmd|' /C calc'!A0\") { id } }", post("1", "2026-07-02T13:00:00Z")).await;
    assert_eq!(error_field(&bad_reason), "reason");
    app.ok(&s.token, "mutation($in: MovementInput!) { postWaste(input: $in, reason: \"Other: =cmd|' /C calc'!A0\") { id } }", post("1", "2026-07-02T13:00:00Z")).await;
    let report = app
        .ok(&s.token, "query($c: ID!) { inventoryReport(companyId: $c, from: \"2026-07-02T00:00:00Z\", to: \"2026-07-03T00:00:00Z\") { rows { opening { quantity value } receipts { quantity value } issues { quantity value } waste { quantity } closing { quantity value } } totals { closing { value } } } }", json!({"c": s.company}))
        .await;
    // Opening 10 at 2.00; +10 at 4.00 → average 3.00; −5 and −1 at 3.00 → 14 worth 42.
    assert_eq!(
        report["inventoryReport"]["rows"][0],
        json!({"opening": {"quantity": "10", "value": "20"}, "receipts": {"quantity": "10", "value": "40"}, "issues": {"quantity": "-5", "value": "-15"}, "waste": {"quantity": "-1"}, "closing": {"quantity": "14", "value": "42"}})
    );
    assert_eq!(
        report["inventoryReport"]["totals"]["closing"]["value"],
        "42"
    );
    let default = app
        .ok(
            &s.token,
            "query($c: ID!) { inventoryReport(companyId: $c) { from to } }",
            json!({"c": s.company}),
        )
        .await;
    assert!(
        default["inventoryReport"]["from"].is_string(),
        "defaults to yesterday"
    );

    let csv = |path: String, token: Option<&str>| {
        let mut r = app.client.get(format!("{}{path}", app.address));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        r.send()
    };
    let ledger = csv(
        format!(
            "/api/ledger.csv?companyId={}&types=RECEIPT,WASTE",
            s.company
        ),
        Some(&s.token),
    )
    .await
    .unwrap();
    assert_eq!(ledger.status(), 200);
    assert!(
        ledger.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let body = ledger.text().await.unwrap();
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(
        lines.len(),
        1 + 3,
        "header and the three filtered entries (two receipts, one waste): {body}"
    );
    assert!(lines[0].starts_with("id,occurred_at,ingredient"));
    assert!(
        lines[1].contains("'=Tomatoes"),
        "names that look like formulas are defused: {body}"
    );
    assert!(
        lines[3].contains("'Other: =cmd") || lines[3].contains("Other: =cmd"),
        "{body}"
    );
    assert!(!body.contains(",=Tomatoes"), "{body}");
    let report_csv = csv(format!("/api/reports/inventory.csv?companyId={}&from=2026-07-02T00:00:00Z&to=2026-07-03T00:00:00Z", s.company), Some(&s.token)).await.unwrap();
    let report_body = report_csv.text().await.unwrap();
    assert!(
        report_body
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("\"'=Tomatoes\",\"Main Storage\",KG,10,20.00,10,40.00,-5,-15.00"),
        "{report_body}"
    );
    let anonymous = csv(format!("/api/ledger.csv?companyId={}", s.company), None)
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    let (rival, _) = app.sign_up("rival@example.com").await;
    let foreign = csv(
        format!("/api/ledger.csv?companyId={}", s.company),
        Some(&rival),
    )
    .await
    .unwrap();
    assert_eq!(foreign.status(), 404);
    let _ = Value::Null;
}
on_both_backends!(inventory_report_and_csv_exports, report_and_exports);

const ORDER_PAGE: &str = "query($c: ID!, $s: OrderStatus, $q: String, $a: String, $n: Int) { orderConnection(companyId: $c, status: $s, search: $q, after: $a, first: $n) { totalCount pageInfo { hasNextPage endCursor } edges { node { reference status } } } }";

fn references(page: &Value) -> Vec<&str> {
    page["orderConnection"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["reference"].as_str().unwrap())
        .collect()
}

/// A list of orders that grows is read a page at a time, newest first, filtered by status and by
/// text in the reference or the vendor's name; another company's orders never show.
async fn orders_page_newest_first_and_filter(app: TestApp) {
    let s = setup(&app).await;
    let other = app.ok(&s.token, "mutation($c: ID!) { createVendor(companyId: $c, input: {name: \"Dairy Mondo\"}) { id } }", json!({"c": s.company})).await;
    let dairy = other["createVendor"]["id"].as_str().unwrap().to_string();
    let p = app
        .ok(&s.token, "mutation($c: ID!, $v: ID!, $i: ID!) { createProduct(companyId: $c, input: {vendorId: $v, ingredientId: $i, name: \"Tomatoes crate\", sku: \"DM1\", packName: \"crate\", packagingFactor: \"5\"}) { id } }", json!({"c": s.company, "v": dairy, "i": s.tomatoes}))
        .await;
    let dairy_product = p["createProduct"]["id"].as_str().unwrap().to_string();
    for (n, vendor, product) in [
        (1, &s.vendor, &s.product),
        (2, &dairy, &dairy_product),
        (3, &s.vendor, &s.product),
        (4, &dairy, &dairy_product),
        (5, &s.vendor, &s.product),
    ] {
        let made = app
            .ok(&s.token, "mutation($c: ID!, $v: ID!, $p: ID!, $r: String) { createOrder(companyId: $c, vendorId: $v, reference: $r, items: [{productId: $p, packs: \"1\", pricePerPack: \"2\"}]) { id } }", json!({"c": s.company, "v": vendor, "p": product, "r": format!("PO-{n}")}))
            .await;
        if n % 2 == 1 {
            app.ok(
                &s.token,
                "mutation($o: ID!) { sendOrder(id: $o) { id } }",
                json!({"o": made["createOrder"]["id"]}),
            )
            .await;
        }
    }
    let first = app
        .ok(&s.token, ORDER_PAGE, json!({"c": s.company, "n": 2}))
        .await;
    assert_eq!(references(&first), ["PO-5", "PO-4"]);
    assert_eq!(first["orderConnection"]["totalCount"], 5);
    assert_eq!(first["orderConnection"]["pageInfo"]["hasNextPage"], true);
    let cursor = first["orderConnection"]["pageInfo"]["endCursor"].clone();
    let second = app
        .ok(
            &s.token,
            ORDER_PAGE,
            json!({"c": s.company, "n": 2, "a": cursor}),
        )
        .await;
    assert_eq!(references(&second), ["PO-3", "PO-2"]);
    let sent = app
        .ok(
            &s.token,
            ORDER_PAGE,
            json!({"c": s.company, "s": "SENT", "n": 10}),
        )
        .await;
    assert_eq!(references(&sent), ["PO-5", "PO-3", "PO-1"]);
    let by_vendor = app
        .ok(
            &s.token,
            ORDER_PAGE,
            json!({"c": s.company, "q": "mondo", "n": 10}),
        )
        .await;
    assert_eq!(references(&by_vendor), ["PO-4", "PO-2"]);
    let by_reference = app
        .ok(
            &s.token,
            ORDER_PAGE,
            json!({"c": s.company, "q": "po-3", "n": 10}),
        )
        .await;
    assert_eq!(references(&by_reference), ["PO-3"]);
    // `%` is text, not a pattern.
    let pattern = app
        .ok(
            &s.token,
            ORDER_PAGE,
            json!({"c": s.company, "q": "%", "n": 10}),
        )
        .await;
    assert_eq!(pattern["orderConnection"]["totalCount"], 0);
    let (rival, _) = app.sign_up("rival-buyer@example.com").await;
    let foreign = app
        .gql(Some(&rival), ORDER_PAGE, json!({"c": s.company, "n": 10}))
        .await;
    assert_eq!(error_code(&foreign), "NOT_FOUND");
}
on_both_backends!(orders_page_newest_first_and_filter);
