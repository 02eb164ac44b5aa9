//! Transfers from draft to closed, and stock counts posted once.

use super::*;

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

/// `transferStock` writes a CLOSED transfer whose line names the TRANSFER_OUT and TRANSFER_IN
/// it answers (PostgreSQL writes the line's ids inside the posting's statement, SQLite after
/// it): the same on both, and each entry names the line as its source.
async fn transfer_at_once(app: TestApp) {
    let s = shop(&app).await;
    receipt(&app, &s, &s.main, "10", "4", "2026-08-01T08:00:00Z").await;
    for quantity in ["1", "2.5"] {
        let moved = app
            .ok(&s.token, "mutation($f: ID!, $t: ID!, $i: ID!, $q: Decimal!) { transferStock(fromStorageUnitId: $f, toStorageUnitId: $t, ingredientId: $i, quantity: $q) { id transactionType quantity balanceAfter } }", json!({"f": s.main, "t": s.bar, "i": s.tomatoes, "q": quantity}))
            .await;
        let sides = moved["transferStock"].as_array().unwrap().clone();
        assert_eq!(sides[0]["transactionType"], "TRANSFER_OUT");
        assert_eq!(sides[1]["transactionType"], "TRANSFER_IN");
        assert_eq!(sides[1]["quantity"], quantity);
        let closed = app
            .ok(&s.token, "query($c: ID!) { transfers(companyId: $c, status: CLOSED) { id lines { outEntryId inEntryId quantity } } }", json!({"c": s.company}))
            .await;
        let line = closed["transfers"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|t| t["lines"].as_array().unwrap().clone())
            .find(|l| l["quantity"] == quantity)
            .expect("the transfer's line");
        assert_eq!(line["outEntryId"], sides[0]["id"]);
        assert_eq!(line["inEntryId"], sides[1]["id"]);
    }
    assert_eq!(
        column(&ledger(&app, &s, &s.bar).await, "balanceAfter"),
        ["1", "3.5"]
    );
}
on_both_backends!(
    a_transfer_made_at_once_names_both_its_entries,
    transfer_at_once
);

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
