//! E-invoices in the browser, on the demo restaurant: a vendor's file picked on *Orders →
//! Invoices* and read; the cheese order's invoice opened beside its order, its dearer mozzarella
//! flagged, the crate deposit marked not stock, and the delivery posted — three clicks.

use super::*;

async fn a_delivery_invoice_is_checked_and_posted_from_the_invoices_page(app: TestApp) {
    let browser = Browser::start().await;
    let c = &browser.client;
    sign_in_as_demo(&browser, &app).await;
    element(&browser, "aside a[href='/invoices']", "the navigation").await;
    browser
        .click(Locator::Css("aside a[href='/invoices']"))
        .await;
    let list = wait_for_text(&browser, "table#invoices", "Caseificio Bianchi").await;
    assert!(
        list.contains("Green Valley Produce") && list.contains('€'),
        "{list}"
    );

    // A file picked on the page is read, and says so with a link to it.
    let sample = format!(
        "{}/fixtures/einvoices/kosit/01.01a-INVOICE_ubl.xml",
        env!("CARGO_MANIFEST_DIR")
    );
    element(&browser, "#invoice-files", "the file input")
        .await
        .send_keys(&sample)
        .await
        .unwrap();
    wait_for_text(&browser, "#invoice-outcomes", "Invoice 123456XX read").await;
    // The same file again: refused, saying why.
    element(&browser, "#invoice-files", "the file input")
        .await
        .send_keys(&sample)
        .await
        .unwrap();
    wait_for_text(&browser, "#invoice-outcomes", "imported already").await;

    c.goto(&format!("{}/invoices?status=OPEN", app.address))
        .await
        .unwrap();
    wait_for_text(&browser, "table#invoices", "Caseificio Bianchi").await;
    browser
        .click(Locator::XPath(
            "//table[@id='invoices']//tr[td[contains(., 'Caseificio Bianchi')]]//a",
        ))
        .await;
    let lines = wait_for_text(&browser, "table#invoice-lines", "Pfand").await;
    assert!(lines.contains("Unmatched"), "{lines}");
    // Mozzarella about 8 % above the order's price, flagged.
    let dearer = wait_for_text(
        &browser,
        "table#invoice-lines small.price-change.negative",
        "+",
    )
    .await;
    assert!(dearer.contains('%'), "{dearer}");
    browser.screenshot("invoice").await;
    browser
        .click(Locator::XPath(
            "//table[@id='invoice-lines']//tr[td[contains(., 'Pfand')]]//button[text()='Not stock']",
        ))
        .await;
    wait_for_text(&browser, "table#invoice-lines", "Not stock").await;
    browser
        .click(Locator::Css("form#post-invoice button[type=submit]"))
        .await;
    wait_for_text(&browser, "#invoice-status", "Posted").await;

    // The server agrees: the cheese arrived at the invoice's prices, from the invoice.
    let (token, company) = demo_login(&app).await;
    let ledger = app
        .ok(&token, "query($c: ID!) { ledger(companyId: $c, filter: {types: [RECEIPT]}, newestFirst: true, first: 10) { edges { node { source { kind invoiceId } } } } }", json!({"c": company}))
        .await;
    let from_invoice = ledger["ledger"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["node"]["source"]["kind"] == "INVOICE_LINE")
        .count();
    assert_eq!(
        from_invoice, 3,
        "mozzarella, mascarpone, parmesan: {ledger:#}"
    );
    browser.close().await;
}

mod a_delivery_invoice_is_checked_and_posted_from_the_invoices_page {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::a_delivery_invoice_is_checked_and_posted_from_the_invoices_page(
            super::demo_app(tests::Backend::Sqlite).await,
        )
        .await
    }
}
