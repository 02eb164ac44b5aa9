//! Posting: receipts at the invoice's cost for what was not received, cost corrections for what
//! was received at another price, credit notes, and what is remembered for the next invoice.

use rust_decimal::Decimal;
use serde_json::json;
use tests::einvoice::{Invoice, Line, cii, ubl};
use tests::{TestApp, on_both_backends};

use super::{SELLER, Wholesaler, dec, delivery, id};

const POST: &str = "mutation($i: ID!, $s: ID, $r: Boolean) { postInvoice(invoiceId: $i, storageUnitId: $s, postReturns: $r) { id status } }";
const MATCH: &str = "mutation($i: ID!, $l: String!, $p: ID, $n: Boolean) { matchInvoiceLine(invoiceId: $i, lineId: $l, productId: $p, notStock: $n) { id } }";

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

async fn a_delivery_invoice_becomes_its_receipts_at_the_invoice_cost(app: TestApp) {
    let w = Wholesaler::open(&app, "invoice-receipts@example.com").await;
    let t = w.k.token.as_str();
    let order = w
        .order(
            &app,
            "PO-2026-17",
            json!([
                {"productId": w.flour_product, "packs": "2", "pricePerPack": "20"},
                {"productId": w.water_product, "packs": "10", "pricePerPack": "6"},
                {"productId": w.milk_product, "packs": "12", "pricePerPack": "1"},
            ]),
        )
        .await;
    let invoice = app
        .imported(
            t,
            &w.k.company,
            "RE-1001.xml",
            cii(&delivery("RE-1001", Some("PO-2026-17"))),
        )
        .await;
    assert_eq!(invoice["syntax"], "CII");
    assert_eq!(invoice["status"], "OPEN");
    assert_eq!(invoice["vendor"]["id"], w.vendor);
    assert_eq!(invoice["order"]["id"], order);
    let lines = invoice["lines"].as_array().unwrap();
    let matched: Vec<&str> = lines.iter().map(|l| l["match"].as_str().unwrap()).collect();
    assert_eq!(
        matched,
        ["SELLER_ITEM_ID", "GTIN", "SELLER_ITEM_ID", "NONE"]
    );
    // Flour: 50 KGM of 25 kg sacks at 0.84 a kilogram, ordered at 20 a sack (0.80).
    assert_eq!(dec(&lines[0]["baseQuantity"]), d("50"));
    assert_eq!(dec(&lines[0]["unitCost"]), d("0.84"));
    assert_eq!(dec(&lines[0]["orderedQuantity"]), d("50"));
    assert_eq!(dec(&lines[0]["orderUnitCost"]), d("0.8"));
    // Water: 10 H87 are 10 crates of 12 l.
    assert_eq!(dec(&lines[1]["baseQuantity"]), d("120"));
    assert_eq!(dec(&lines[1]["unitCost"]), d("0.5"));
    // Milk: the allowance is in the net amount, 12.00 for 12 l.
    assert_eq!(dec(&lines[2]["unitCost"]), d("1"));
    assert_eq!(lines[2]["netPrice"], "1.10");
    assert!(lines[3]["problem"].as_str().unwrap().contains("no product"));

    // An unmatched line stops the posting and names itself; nothing is posted.
    let refused = app.gql(Some(t), POST, json!({"i": invoice["id"]})).await;
    assert_eq!(tests::error_code(&refused), "VALIDATION", "{refused:#}");
    assert!(
        refused["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Pfand Kasten")
    );
    assert!(w.entries(&app).await.is_empty());

    app.ok(t, MATCH, json!({"i": invoice["id"], "l": "4", "n": true}))
        .await;
    let posted = app.ok(t, POST, json!({"i": invoice["id"]})).await;
    assert_eq!(posted["postInvoice"]["status"], "POSTED");
    let entries = w.entries(&app).await;
    assert_eq!(entries.len(), 3, "{entries:#?}");
    for (e, (quantity, cost)) in entries
        .iter()
        .zip([("50", "0.84"), ("120", "0.5"), ("12", "1")])
    {
        assert_eq!(e["transactionType"], "RECEIPT");
        assert_eq!(
            e["storageUnit"]["id"], w.k.unit,
            "the order's storage unit by default"
        );
        assert_eq!(
            (dec(&e["quantity"]), dec(&e["unitCost"])),
            (d(quantity), d(cost))
        );
        assert_eq!(e["source"]["kind"], "INVOICE_LINE");
        assert_eq!(e["source"]["invoiceId"], invoice["id"]);
        assert!(
            e["source"]["description"]
                .as_str()
                .unwrap()
                .contains("RE-1001")
        );
    }
    let o = app
        .ok(
            t,
            "query($o: ID!) { order(id: $o) { status items { openPacks } } }",
            json!({"o": order}),
        )
        .await;
    assert_eq!(o["order"]["status"], "RECEIVED", "{o:#}");

    // A second click finds it posted and posts nothing.
    let again = app.gql(Some(t), POST, json!({"i": invoice["id"]})).await;
    assert_eq!(tests::error_code(&again), "CONFLICT");
    assert_eq!(w.entries(&app).await.len(), 3);
}

on_both_backends!(a_delivery_invoice_becomes_its_receipts_at_the_invoice_cost);

async fn goods_received_at_the_orders_price_are_corrected_to_the_invoices_at_the_same_time(
    app: TestApp,
) {
    let w = Wholesaler::open(&app, "invoice-correct@example.com").await;
    let t = w.k.token.as_str();
    // An earlier delivery at 0.80 a kilogram, so that the invoice's 0.84 is a price change.
    app.ok(t, "mutation($s: ID!, $i: ID!) { postReceipt(input: {storageUnitId: $s, ingredientId: $i, quantity: \"25\", occurredAt: \"2026-11-20T08:00:00Z\"}, unitCost: \"0.80\") { id } }", json!({"s": w.k.unit, "i": w.k.flour}))
        .await;
    let order = w
        .order(
            &app,
            "PO-9",
            json!([{"productId": w.flour_product, "packs": "2", "pricePerPack": "20"}]),
        )
        .await;
    let received = app
        .ok(t, "mutation($o: ID!, $s: ID!) { receiveOrder(orderId: $o, storageUnitId: $s, occurredAt: \"2026-11-30T07:30:00Z\") { id occurredAt unitCost } }", json!({"o": order, "s": w.k.unit}))
        .await;
    let receipt = &received["receiveOrder"][0];
    assert_eq!(dec(&receipt["unitCost"]), d("0.8"));
    // An issue after the delivery is costed at the average: it follows the correction.
    app.ok(t, "mutation($s: ID!, $i: ID!) { postIssue(input: {storageUnitId: $s, ingredientId: $i, quantity: \"10\", occurredAt: \"2026-12-01T12:00:00Z\"}) { id } }", json!({"s": w.k.unit, "i": w.k.flour}))
        .await;
    let invoice = Invoice {
        lines: vec![Line {
            id: "1",
            name: "Mehl Type 550",
            seller_item_id: Some("MEHL-550"),
            gtin: None,
            quantity: "2",
            unit_code: "XPP",
            net_price: "21.00",
            net_amount: "42.00",
            vat_percent: "7",
        }],
        ..delivery("RE-2002", Some("PO-9"))
    };
    let imported = app
        .imported(t, &w.k.company, "RE-2002.xml", ubl(&invoice))
        .await;
    let line = &imported["lines"][0];
    assert_eq!(imported["syntax"], "UBL");
    assert_eq!(dec(&line["receivedQuantity"]), d("50"));
    assert_eq!(dec(&line["unitCost"]), d("0.84"));
    assert_eq!(dec(&line["previousUnitCost"]), d("0.8"));
    app.ok(t, POST, json!({"i": imported["id"]})).await;

    let entries = w.entries(&app).await;
    let kinds: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| {
            (
                e["transactionType"].as_str().unwrap(),
                e["source"]["kind"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(kinds.contains(&("RECEIPT", "REVERSAL")), "{kinds:?}");
    let corrected = entries
        .iter()
        .find(|e| e["source"]["kind"] == "INVOICE_LINE")
        .expect("the receipt posted again at the invoice's cost");
    assert_eq!(
        corrected["occurredAt"], receipt["occurredAt"],
        "at the same business time"
    );
    assert_eq!(
        (dec(&corrected["quantity"]), dec(&corrected["unitCost"])),
        (d("50"), d("0.84"))
    );
    // The issue after it is recomputed: (25 × 0.80 + 50 × 0.84) ÷ 75.
    let issue = entries
        .iter()
        .find(|e| e["transactionType"] == "ISSUE")
        .unwrap();
    let average = (d("25") * d("0.80") + d("50") * d("0.84")) / d("75");
    assert_eq!(dec(&issue["unitCost"]), average.round_dp(6), "{issue:#}");
    // Nothing was received twice.
    let total: Decimal = entries
        .iter()
        .filter(|e| e["transactionType"] == "RECEIPT")
        .map(|e| dec(&e["quantity"]))
        .sum();
    assert_eq!(total, d("75"));
    // The new price is a price change of the wholesaler's product.
    let changes = app
        .ok(t, "query($c: ID!) { priceChanges(companyId: $c, from: \"2026-11-01T00:00:00Z\", to: \"2026-12-31T00:00:00Z\") { unitCost previousUnitCost changePercent product { id } vendor { id } } }", json!({"c": w.k.company}))
        .await;
    let change = &changes["priceChanges"][0];
    assert_eq!(dec(&change["unitCost"]), d("0.84"), "{changes:#}");
    assert_eq!(change["product"]["id"], w.flour_product);
    assert_eq!(change["vendor"]["id"], w.vendor);
}

on_both_backends!(
    goods_received_at_the_orders_price_are_corrected_to_the_invoices_at_the_same_time
);

async fn a_credit_note_posts_nothing_unless_returns_are_asked_for(app: TestApp) {
    let w = Wholesaler::open(&app, "invoice-credit@example.com").await;
    let t = w.k.token.as_str();
    app.ok(t, "mutation($s: ID!, $i: ID!) { postReceipt(input: {storageUnitId: $s, ingredientId: $i, quantity: \"27\"}, unitCost: \"8\") { id } }", json!({"s": w.k.unit, "i": w.wine}))
        .await;
    let credit = |number| Invoice {
        number,
        type_code: "381",
        issue_date: "2026-12-02",
        seller_name: SELLER,
        seller_vat_id: Some("DE123456789"),
        order_reference: None,
        // A case of 6 × 0.75 l came back corked.
        lines: vec![Line {
            id: "1",
            name: "Riesling 6 x 0,75 l",
            seller_item_id: Some("RIES-6"),
            gtin: None,
            quantity: "1",
            unit_code: "CS",
            net_price: "36.00",
            net_amount: "36.00",
            vat_percent: "19",
        }],
    };
    let first = app
        .imported(t, &w.k.company, "GS-1.xml", ubl(&credit("GS-1")))
        .await;
    assert_eq!(first["kind"], "CREDIT_NOTE");
    assert_eq!(dec(&first["lines"][0]["baseQuantity"]), d("4.5"));
    app.ok(t, POST, json!({"i": first["id"], "s": w.k.unit}))
        .await;
    assert_eq!(w.entries(&app).await.len(), 1, "recorded, nothing posted");

    let second = app
        .imported(t, &w.k.company, "GS-2.xml", cii(&credit("GS-2")))
        .await;
    assert_eq!(second["kind"], "CREDIT_NOTE");
    app.ok(
        t,
        POST,
        json!({"i": second["id"], "s": w.k.unit, "r": true}),
    )
    .await;
    let entries = w.entries(&app).await;
    let returned = entries
        .iter()
        .find(|e| e["transactionType"] == "WASTE")
        .expect("returned");
    assert_eq!(dec(&returned["quantity"]), d("-4.5"));
    assert_eq!(returned["reason"], "Returned to vendor");
    assert_eq!(
        dec(&returned["unitCost"]),
        d("8"),
        "at the average cost, not the credit's price"
    );

    // An invoice may take goods back on a line of its own: a negative line is a return.
    let riesling = |id, quantity, amount| Line {
        id,
        name: "Riesling 6 x 0,75 l",
        seller_item_id: Some("RIES-6"),
        gtin: None,
        quantity,
        unit_code: "CS",
        net_price: "36.00",
        net_amount: amount,
        vat_percent: "19",
    };
    let mixed = Invoice {
        type_code: "380",
        lines: vec![riesling("1", "2", "72.00"), riesling("2", "-1", "-36.00")],
        ..credit("RE-5")
    };
    let invoice = app.imported(t, &w.k.company, "RE-5.xml", cii(&mixed)).await;
    assert_eq!(dec(&invoice["lines"][1]["baseQuantity"]), d("-4.5"));
    app.ok(t, POST, json!({"i": invoice["id"], "s": w.k.unit}))
        .await;
    let entries = w.entries(&app).await;
    let wine: Vec<(&str, Decimal)> = entries
        .iter()
        .filter(|e| e["source"]["kind"] == "INVOICE_LINE")
        .map(|e| (e["transactionType"].as_str().unwrap(), dec(&e["quantity"])))
        .collect();
    assert_eq!(
        wine,
        [
            ("WASTE", d("-4.5")),
            ("RECEIPT", d("9")),
            ("WASTE", d("-4.5"))
        ],
        "{entries:#?}"
    );
}

on_both_backends!(a_credit_note_posts_nothing_unless_returns_are_asked_for);

async fn a_vendor_and_a_line_chosen_once_are_found_by_themselves_next_time(app: TestApp) {
    let w = Wholesaler::open(&app, "invoice-remember@example.com").await;
    let t = w.k.token.as_str();
    // A second vendor the invoices do not name by VAT id or name.
    let market = id(&app
        .ok(t, "mutation($c: ID!) { createVendor(companyId: $c, input: {name: \"Großmarkt\"}) { id } }", json!({"c": w.k.company}))
        .await["createVendor"]["id"]);
    let beans = id(&app
        .ok(t, "mutation($c: ID!, $v: ID!, $i: ID!) { createProduct(companyId: $c, input: {vendorId: $v, ingredientId: $i, name: \"Flour sack\", sku: \"GM-1\", packagingFactor: \"10\"}) { id } }", json!({"c": w.k.company, "v": market, "i": w.k.flour}))
        .await["createProduct"]["id"]);
    let from_market = |number| Invoice {
        number,
        type_code: "380",
        issue_date: "2026-12-03",
        seller_name: "GM Großmarkt Hamburg GmbH & Co. KG",
        seller_vat_id: Some("DE999999999"),
        order_reference: None,
        lines: vec![
            Line {
                id: "1",
                name: "Weizenmehl  lose",
                seller_item_id: Some("X-77"),
                gtin: None,
                quantity: "20",
                unit_code: "KGM",
                net_price: "0.90",
                net_amount: "18.00",
                vat_percent: "7",
            },
            Line {
                id: "2",
                name: "Pfand Palette",
                seller_item_id: None,
                gtin: None,
                quantity: "1",
                unit_code: "H87",
                net_price: "15.00",
                net_amount: "15.00",
                vat_percent: "19",
            },
        ],
    };
    let first = app
        .imported(t, &w.k.company, "m1.xml", cii(&from_market("M-1")))
        .await;
    assert!(first["vendor"].is_null());
    assert!(
        first["lines"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["match"] == "NONE")
    );
    // Lines are matched to the vendor's products: choose the vendor first.
    let early = app
        .gql(
            Some(t),
            MATCH,
            json!({"i": first["id"], "l": "1", "p": beans}),
        )
        .await;
    assert_eq!(tests::error_code(&early), "VALIDATION");
    app.ok(
        t,
        "mutation($i: ID!, $v: ID!) { setInvoiceVendor(invoiceId: $i, vendorId: $v) { id } }",
        json!({"i": first["id"], "v": market}),
    )
    .await;
    // Another vendor's product is refused.
    let foreign = app
        .gql(
            Some(t),
            MATCH,
            json!({"i": first["id"], "l": "1", "p": w.flour_product}),
        )
        .await;
    assert_eq!(tests::error_code(&foreign), "VALIDATION");
    app.ok(t, MATCH, json!({"i": first["id"], "l": "1", "p": beans}))
        .await;
    app.ok(t, MATCH, json!({"i": first["id"], "l": "2", "n": true}))
        .await;
    let shown = w.invoice(&app, first["id"].as_str().unwrap()).await;
    assert_eq!(
        shown["vendor"]["vatId"], "DE999999999",
        "the VAT id is kept on the vendor"
    );
    assert_eq!(shown["lines"][0]["match"], "MANUAL");
    assert_eq!(dec(&shown["lines"][0]["baseQuantity"]), d("20"));

    // Next week's invoice finds the vendor by VAT id and both lines by what was chosen (the
    // line name's spacing and case aside).
    let mut next = from_market("M-2");
    next.lines[0].name = "WEIZENMEHL lose";
    let second = app.imported(t, &w.k.company, "m2.xml", ubl(&next)).await;
    assert_eq!(second["vendor"]["id"], market);
    let matched: Vec<&str> = second["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["match"].as_str().unwrap())
        .collect();
    assert_eq!(matched, ["REMEMBERED", "NOT_STOCK"]);
    assert_eq!(second["lines"][0]["product"]["id"], beans);
}

on_both_backends!(a_vendor_and_a_line_chosen_once_are_found_by_themselves_next_time);
