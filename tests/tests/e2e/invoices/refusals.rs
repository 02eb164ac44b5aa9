//! Bad files and foreign callers: a clear, specific error, nothing stored, nothing posted.

use serde_json::json;
use sha2::{Digest, Sha256};
use tests::einvoice::cii;
use tests::{TestApp, on_both_backends};

use super::{Wholesaler, delivery};

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/fixtures/einvoices/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

async fn invoice_count(app: &TestApp, w: &Wholesaler) -> i64 {
    app.ok(
        &w.k.token,
        "query($c: ID!) { invoices(companyId: $c) { totalCount } }",
        json!({"c": w.k.company}),
    )
    .await["invoices"]["totalCount"]
        .as_i64()
        .unwrap()
}

async fn duplicates_and_unreadable_files_are_refused_and_leave_nothing(app: TestApp) {
    let w = Wholesaler::open(&app, "invoice-refuse@example.com").await;
    let t = w.k.token.as_str();
    let file = cii(&delivery("RE-7", None));
    app.imported(t, &w.k.company, "RE-7.xml", file.clone())
        .await;
    let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        ("the same file", file.clone(), "CONFLICT", "imported already"),
        // Another file (a PDF copy, a corrected rendering) of the same seller's number.
        ("the same number", String::from_utf8(file.clone()).unwrap().replace("Test Kitchen", "Test-Küche").into_bytes(), "CONFLICT", "RE-7"),
        ("broken XML", b"<rsm:CrossIndustryInvoice xmlns:rsm=".to_vec(), "VALIDATION", "broken"),
        ("a delivery note", b"Lieferschein Nr. 4711".to_vec(), "VALIDATION", "neither XML nor a PDF"),
        ("a plain PDF", b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF".to_vec(), "VALIDATION", "PDF"),
        ("BASIC WL", fixture("mustang/validAvoir_FR_type380_BASICWL.pdf"), "VALIDATION", "no lines"),
        ("ZUGFeRD 1", fixture("mustang/MustangGnuaccountingBeispielRE-20170509_505.pdf"), "VALIDATION", "ZUGFeRD 1.0"),
        ("an XML bomb", br#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><x>&b;</x>"#.to_vec(), "VALIDATION", "DTD"),
        ("an empty file", Vec::new(), "VALIDATION", "empty"),
    ];
    for (what, bytes, code, says) in cases {
        let started = std::time::Instant::now();
        let response = app.import_invoice(t, &w.k.company, "x", bytes).await;
        assert_eq!(tests::error_code(&response), code, "{what}: {response:#}");
        let message = response["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(says), "{what}: {message}");
        assert_eq!(
            response["errors"][0]["extensions"]["field"], "file",
            "{what}"
        );
        assert!(
            started.elapsed().as_secs() < 5,
            "{what} took {:?}",
            started.elapsed()
        );
    }
    assert_eq!(invoice_count(&app, &w).await, 1);
    assert!(w.entries(&app).await.is_empty());
}

on_both_backends!(duplicates_and_unreadable_files_are_refused_and_leave_nothing);

async fn scripts_post_invoices_over_http_and_get_the_original_back(app: TestApp) {
    let w = Wholesaler::open(&app, "invoice-rest@example.com").await;
    let t = w.k.token.as_str();
    let token = app
        .ok(t, "mutation($c: ID!) { createApiToken(companyId: $c, name: \"accounting\", role: STAFF) { token } }", json!({"c": w.k.company}))
        .await["createApiToken"]["token"]
        .as_str()
        .unwrap()
        .to_string();
    let post = |body: Vec<u8>, name: &str| {
        app.client
            .post(format!(
                "{}/api/invoices?companyId={}&fileName={name}",
                app.address, w.k.company
            ))
            .bearer_auth(&token)
            .body(body)
            .send()
    };
    let file = fixture("mustang/EN16931_Einfach.pdf");
    let created = post(file.clone(), "EN16931_Einfach.pdf").await.unwrap();
    assert_eq!(created.status(), 201);
    let body: serde_json::Value = created.json().await.unwrap();
    let invoice_id = body["invoiceId"].as_str().unwrap().to_string();
    assert_eq!(body["number"], "471102");

    let again = post(file.clone(), "copy.pdf").await.unwrap();
    assert_eq!(again.status(), 409);
    let error: serde_json::Value = again.json().await.unwrap();
    assert_eq!(error["error"]["code"], "CONFLICT");
    let unreadable = post(b"<html>not an invoice</html>".to_vec(), "x.html")
        .await
        .unwrap();
    assert_eq!(unreadable.status(), 422);
    let error: serde_json::Value = unreadable.json().await.unwrap();
    assert_eq!(error["error"]["code"], "VALIDATION");
    let huge = post(vec![b' '; 26 * 1024 * 1024], "huge.xml")
        .await
        .unwrap();
    assert_eq!(huge.status(), 413);
    // Over the XML limit but within the PDF one: refused by what the file is.
    let mut big_xml = b"<Invoice>".to_vec();
    big_xml.resize(11 * 1024 * 1024, b' ');
    let big = post(big_xml, "big.xml").await.unwrap();
    assert_eq!(big.status(), 413);

    let original = app
        .client
        .get(format!(
            "{}/api/invoices/{invoice_id}/original",
            app.address
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(original.status(), 200);
    assert_eq!(original.headers()["content-type"], "application/pdf");
    assert!(
        original.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("EN16931_Einfach.pdf")
    );
    let bytes = original.bytes().await.unwrap();
    assert_eq!(bytes.as_ref(), file.as_slice(), "kept byte for byte");
    let shown = w.invoice(&app, &invoice_id).await;
    assert_eq!(shown["sha256"], hex::encode(Sha256::digest(&file)));
    assert_eq!(invoice_count(&app, &w).await, 1);
}

on_both_backends!(scripts_post_invoices_over_http_and_get_the_original_back);

async fn another_companys_invoices_cannot_be_seen_changed_or_downloaded(app: TestApp) {
    let w = Wholesaler::open(&app, "invoice-owner@example.com").await;
    let invoice = app
        .imported(
            &w.k.token,
            &w.k.company,
            "RE-1.xml",
            cii(&delivery("RE-1", None)),
        )
        .await;
    let (stranger, their_company) = app.sign_up("invoice-stranger@example.com").await;
    let i = json!({"i": invoice["id"]});
    for (query, vars) in [
        ("query($i: ID!) { invoice(id: $i) { id } }", i.clone()),
        (
            "mutation($i: ID!) { postInvoice(invoiceId: $i) { id } }",
            i.clone(),
        ),
        (
            "mutation($i: ID!) { discardInvoice(invoiceId: $i) { id } }",
            i.clone(),
        ),
        (
            "mutation($i: ID!) { matchInvoiceLine(invoiceId: $i, lineId: \"4\", notStock: true) { id } }",
            i.clone(),
        ),
        (
            "mutation($i: ID!, $v: ID!) { setInvoiceVendor(invoiceId: $i, vendorId: $v) { id } }",
            json!({"i": invoice["id"], "v": w.vendor}),
        ),
        (
            "query($c: ID!) { invoices(companyId: $c) { totalCount } }",
            json!({"c": w.k.company}),
        ),
    ] {
        let r = app.gql(Some(&stranger), query, vars).await;
        assert_eq!(tests::error_code(&r), "NOT_FOUND", "{query}: {r:#}");
    }
    let theirs = app
        .ok(
            &stranger,
            "query($c: ID!) { invoices(companyId: $c) { totalCount } }",
            json!({"c": their_company}),
        )
        .await;
    assert_eq!(theirs["invoices"]["totalCount"], 0);
    let download = app
        .client
        .get(format!(
            "{}/api/invoices/{}/original",
            app.address,
            invoice["id"].as_str().unwrap()
        ))
        .bearer_auth(&stranger)
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), 404);
    // The owner's invoice is untouched, and can still be discarded by its owner.
    let discarded = app
        .ok(
            &w.k.token,
            "mutation($i: ID!) { discardInvoice(invoiceId: $i) { status } }",
            i.clone(),
        )
        .await;
    assert_eq!(discarded["discardInvoice"]["status"], "DISCARDED");
    let post = app
        .gql(
            Some(&w.k.token),
            "mutation($i: ID!) { postInvoice(invoiceId: $i) { id } }",
            i,
        )
        .await;
    assert_eq!(tests::error_code(&post), "CONFLICT");
}

on_both_backends!(another_companys_invoices_cannot_be_seen_changed_or_downloaded);
