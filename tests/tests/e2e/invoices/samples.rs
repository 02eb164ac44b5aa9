//! Real invoices nobody here wrote, through the whole API: the KoSIT XRechnung test suite and
//! the Mustang project's ZUGFeRD PDF (tests/fixtures/einvoices, Apache-2.0).

use serde_json::json;
use tests::{TestApp, on_both_backends};

use super::{Wholesaler, dec};

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/fixtures/einvoices/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

async fn the_kosit_and_mustang_samples_import_with_every_field_right(app: TestApp) {
    let w = Wholesaler::open(&app, "invoice-samples@example.com").await;
    let t = w.k.token.as_str();
    let kosit = app
        .imported(
            t,
            &w.k.company,
            "01.01a-INVOICE_uncefact.xml",
            fixture("kosit/01.01a-INVOICE_uncefact.xml"),
        )
        .await;
    assert_eq!(kosit["number"], "123456XX");
    assert_eq!(kosit["issueDate"], "2016-04-04");
    assert_eq!(kosit["sellerName"], "[Seller name]");
    assert_eq!(kosit["sellerVatId"], "DE 123456789");
    assert_eq!(kosit["grandTotal"], "336.9", "the decimals the invoice has");
    assert_eq!(kosit["lineTotal"], "314.86");
    assert_eq!(kosit["taxTotal"], "22.04");
    assert_eq!(kosit["lines"][0]["unitCode"], "XPP");
    assert_eq!(kosit["lines"][0]["sellerItemId"], "246");
    assert_eq!(kosit["warnings"], json!([]));
    // The KoSIT seller's VAT id is the wholesaler's (spaces aside): found by it.
    assert_eq!(kosit["vendor"]["id"], w.vendor);
    // Its UBL twin is the same invoice: refused as the same seller's number.
    let twin = app
        .import_invoice(
            t,
            &w.k.company,
            "01.01a-INVOICE_ubl.xml",
            fixture("kosit/01.01a-INVOICE_ubl.xml"),
        )
        .await;
    assert_eq!(tests::error_code(&twin), "CONFLICT", "{twin:#}");

    let pdf = app
        .imported(
            t,
            &w.k.company,
            "EN16931_Einfach.pdf",
            fixture("mustang/EN16931_Einfach.pdf"),
        )
        .await;
    assert_eq!(pdf["syntax"], "CII");
    assert_eq!(pdf["number"], "471102");
    assert_eq!(pdf["fileName"], "EN16931_Einfach.pdf");
    let yoghurt = &pdf["lines"][1];
    assert_eq!(yoghurt["gtin"], "4000050986428");
    assert_eq!(yoghurt["quantity"], "50.0000");
    assert_eq!(yoghurt["unitCode"], "H87");
    assert_eq!(dec(&yoghurt["netAmount"]), "275".parse().unwrap());
    assert_eq!(pdf["grandTotal"], "529.87");
    // Another name ("Lieferant GmbH"), the same VAT id: found by the VAT id.
    assert_eq!(pdf["sellerName"], "Lieferant GmbH");
    assert_eq!(pdf["vendor"]["id"], w.vendor);
    let listed = app
        .ok(t, "query($c: ID!) { invoices(companyId: $c, status: OPEN, first: 1) { totalCount edges { node { number } } pageInfo { hasNextPage } } }", json!({"c": w.k.company}))
        .await;
    assert_eq!(listed["invoices"]["totalCount"], 2);
    assert_eq!(
        listed["invoices"]["edges"][0]["node"]["number"], "471102",
        "newest first"
    );
    assert_eq!(listed["invoices"]["pageInfo"]["hasNextPage"], true);
}

on_both_backends!(the_kosit_and_mustang_samples_import_with_every_field_right);
