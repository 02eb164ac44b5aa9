//! Purchasing in the browser, on the demo restaurant: the suggestions by vendor with their
//! reasons, the drafts made in one click and one of them sent in another; the days of stock
//! left on the dashboard and the inventory.

use super::*;

async fn drafts_are_made_and_one_sent_from_the_purchasing_page(app: TestApp) {
    let browser = Browser::start().await;
    let c = &browser.client;
    sign_in_as_demo(&browser, &app).await;
    wait_for_text(&browser, "#running-out", "runs out in").await;
    element(&browser, "#running-out svg.sparkline", "a usage sparkline").await;

    browser
        .click(Locator::Css("aside a[href='/purchasing']"))
        .await;
    let group = wait_for_text(&browser, "article.vendor-group", "delivers in").await;
    assert!(group.contains('€'), "estimated costs in money: {group}");
    element(&browser, "input.packs", "packs to edit").await;
    // A line's reason, in words, one tap away.
    browser.click(Locator::Css("button.reason-toggle")).await;
    wait_for_text(&browser, "tr.reason-row", "on hand").await;
    browser.screenshot("purchasing").await;

    browser.click(Locator::Css("#create-drafts")).await;
    let made = wait_for_text(&browser, "#drafts-made", "Send").await;
    assert!(made.contains('€'), "each draft's total: {made}");
    // The drinks vendor's order falls under its minimum of €400.
    assert!(made.contains("under the vendor's minimum"), "{made}");
    browser
        .click(Locator::XPath(
            "//article[@id='drafts-made']//button[text()='Send']",
        ))
        .await;
    wait_for_text(&browser, "#drafts-made", "Sent").await;

    // The server agrees: a draft per vendor, one of them sent, each for its storage unit.
    let (token, company) = demo_login(&app).await;
    let orders = app
        .ok(
            &token,
            "query($c: ID!) { orders(companyId: $c) { status reference storageUnit { name } } }",
            json!({"c": company}),
        )
        .await;
    let reorders: Vec<&serde_json::Value> = orders["orders"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| {
            o["reference"]
                .as_str()
                .is_some_and(|r| r.starts_with("Reorder"))
        })
        .collect();
    assert!(!reorders.is_empty(), "{orders:#}");
    assert_eq!(reorders.iter().filter(|o| o["status"] == "SENT").count(), 1);
    assert!(
        reorders
            .iter()
            .all(|o| o["storageUnit"]["name"].is_string())
    );

    c.goto(&format!("{}/inventory", app.address)).await.unwrap();
    wait_for_text(&browser, "table#stock", "days").await;

    // Stock policies in bulk: Main Storage first; a manual par on one ingredient without one.
    c.goto(&format!("{}/purchasing?view=policies", app.address))
        .await
        .unwrap();
    wait_for_text(&browser, "table#policies", "No policy").await;
    browser
        .click(Locator::XPath(
            "//table[@id='policies']//tr[td[text()='Tomatoes']]//input[@type='checkbox']",
        ))
        .await;
    let kind = element(
        &browser,
        "form#bulk-policies select[name='policies[0].kind']",
        "the kind",
    )
    .await;
    kind.select_by_value("MANUAL").await.unwrap();
    element(
        &browser,
        "form#bulk-policies input[name='policies[0].reorderPoint']",
        "the reorder point",
    )
    .await
    .send_keys("10")
    .await
    .unwrap();
    c.find(Locator::Css(
        "form#bulk-policies input[name='policies[0].parLevel']",
    ))
    .await
    .unwrap()
    .send_keys("40")
    .await
    .unwrap();
    browser
        .click(Locator::Css("form#bulk-policies button[type=submit]"))
        .await;
    wait_for_text(
        &browser,
        "form#bulk-policies",
        "Policy set for 1 ingredient",
    )
    .await;
    let row = wait_for_text(&browser, "table#policies", "order at 10, up to 40").await;
    assert!(row.contains("Tomatoes"), "{row}");
    browser.close().await;
}

mod drafts_are_made_and_one_sent_from_the_purchasing_page {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::drafts_are_made_and_one_sent_from_the_purchasing_page(
            super::demo_app(tests::Backend::Sqlite).await,
        )
        .await
    }
}
