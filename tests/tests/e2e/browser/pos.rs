//! POS in the browser: sales uploads, Lightspeed and Sides connected through the UI.

use super::*;

/// The CSV flow in the SPA: preview the sample file with the integration's configuration,
/// upload it, watch the progress bar reach done, and find the unmapped item on the mapping page.
async fn upload_sales_through_the_ui(app: TestApp) {
    let browser = Browser::start().await;
    let c = &browser.client;
    sign_in_as_demo(&browser, &app).await;
    wait_for_text(&browser, "main", "Recent movements").await;
    browser
        .click(Locator::Css("aside a[href='/integrations']"))
        .await;
    wait_for_text(&browser, "main table", "Till export (CSV)").await;
    c.find(Locator::LinkText("Till export (CSV)"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(&browser, "table.locations", "Dining room").await;
    // The activation's migration shows as done.
    wait_for_text(&browser, "table.locations .job-progress", "Succeeded").await;

    let sample = std::fs::canonicalize(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../web/sample/sales-sample.csv"
    ))
    .unwrap();
    let sample = sample.to_str().unwrap();
    browser.click(Locator::Css("details.card summary")).await;
    c.find(Locator::Css("input#csv-sample"))
        .await
        .unwrap()
        .send_keys(sample)
        .await
        .unwrap();
    wait_for_text(&browser, "table.csv-preview", "Pizza Margherita").await;
    browser.screenshot("csv-preview").await;

    c.find(Locator::Css("input#csv-upload"))
        .await
        .unwrap()
        .send_keys(sample)
        .await
        .unwrap();
    browser
        .click(Locator::Css("section.upload button[type=submit]"))
        .await;
    // The bar moves by itself, pushed over the jobProgress subscription, and ends full.
    let done = wait_for_text(&browser, "section.upload .job-progress", "Succeeded").await;
    assert!(done.contains("100%"), "{done}");
    let transport = c
        .find(Locator::Css("section.upload .job-progress"))
        .await
        .unwrap()
        .attr("data-live")
        .await
        .unwrap();
    assert_eq!(transport.as_deref(), Some("push"));
    let bar = c
        .find(Locator::Css("section.upload progress"))
        .await
        .unwrap();
    assert_eq!(
        bar.attr("value").await.unwrap(),
        bar.attr("max").await.unwrap()
    );
    browser.screenshot("csv-uploaded").await;

    // The same file again is refused as a duplicate, next to the upload.
    browser
        .click(Locator::Css("section.upload button[type=submit]"))
        .await;
    wait_for_text(&browser, "section.upload", "already imported").await;

    c.find(Locator::LinkText("Map items →"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(&browser, ".mapping-health", "Revenue still unmapped").await;
    let first = wait_for_text(
        &browser,
        "table.mapping tbody tr:first-child",
        "Bread basket",
    )
    .await;
    assert!(first.contains("BK-BRED"), "unmapped first: {first}");
    browser.screenshot("mapping").await;
    browser.close().await;
    let _ = json!({});
}

mod upload_sales_through_the_ui {
    use super::*;
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        upload_sales_through_the_ui(demo_app(Backend::Sqlite).await).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        upload_sales_through_the_ui(demo_app(Backend::Postgres).await).await
    }
}

/// On an integration page: links the location row `external_id` to the storage unit `unit`,
/// activates it (the confirmation must name the unit and the 90 days) and waits for the
/// migration's bar to end full, pushed over the subscription. Returns the row's selector.
async fn link_and_activate(browser: &Browser, external_id: &str, unit: &str) -> String {
    let c = &browser.client;
    let row = format!("table.locations tr[data-location='{external_id}']");
    browser
        .click(Locator::XPath(&format!(
            "//tr[@data-location='{external_id}']//select/option[normalize-space()='{unit}']"
        )))
        .await;
    browser
        .click(Locator::Css(&format!("{row} button.secondary.small")))
        .await;
    // Linking reloads the integration, which renders the row anew, naming its unit.
    let linked = format!(
        "table.locations tr[data-location='{external_id}'][data-linked='{unit}'] button.activate"
    );
    element(browser, &linked, "the row shows the link")
        .await
        .click()
        .await
        .unwrap();
    let question = c.get_alert_text().await.expect("a confirmation");
    assert!(question.contains(unit), "{question}");
    assert!(question.contains("90 days"), "{question}");
    c.accept_alert().await.unwrap();
    let done = wait_for_text(browser, &format!("{row} .job-progress"), "Succeeded").await;
    assert!(done.contains("100%"), "{done}");
    // The bar's values came over the subscription (it may have been drawn anew meanwhile: the
    // page refreshes when the job ends).
    element(
        browser,
        &format!("{row} .job-progress[data-live='push']"),
        "progress pushed over the subscription",
    )
    .await;
    row
}

/// Lightspeed in the SPA against the simulator: Connect sends the browser to Lightspeed's
/// authorization page, Authorize brings it back connected; sync the locations, link one to a
/// storage unit, activate it (the confirmation names the storage unit) and watch the 90-day
/// migration finish; its transfer log lists the days.
async fn connect_lightspeed_through_the_ui(app: TestApp, _sim: tests::sim::Simulator) {
    let browser = Browser::start().await;
    let c = &browser.client;
    sign_in_as_demo(&browser, &app).await;
    wait_for_text(&browser, "main", "Recent movements").await;
    browser
        .click(Locator::Css("aside a[href='/integrations']"))
        .await;
    wait_for_text(&browser, "form#connect-lightspeed", "Connect Lightspeed").await;
    browser
        .click(Locator::Css("form#connect-lightspeed button[type=submit]"))
        .await;
    // Lightspeed's (simulated) consent page, on another origin.
    let authorize = element(&browser, "button#authorize", "the authorization page opens").await;
    let page = c
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("financial-api") && page.contains("offline_access"),
        "{page}"
    );
    browser.screenshot("lightspeed-authorize").await;
    authorize.click().await.unwrap();

    // Back in Larder, connected.
    wait_for_text(&browser, "#connection-state", "Connected").await;
    wait_for_text(&browser, "main", "Lightspeed is connected").await;
    let url = c.current_url().await.unwrap();
    assert!(url.path().starts_with("/integrations/"), "{url}");
    assert!(url.as_str().starts_with(&app.address), "{url}");

    browser.click(Locator::Css("button#sync-locations")).await;
    let locations = wait_for_text(&browser, "table.locations", "Dining Room").await;
    assert!(
        locations.contains("Terrace") && locations.contains("Europe/London"),
        "{locations}"
    );

    let row = link_and_activate(&browser, "45454565682155", "Kitchen").await;
    browser.screenshot("lightspeed-activated").await;

    browser
        .click(Locator::Css(&format!(
            "{row} details.transfer-logs summary"
        )))
        .await;
    wait_for_text(
        &browser,
        &format!("{row} details.transfer-logs table"),
        "Entries",
    )
    .await;
    browser.close().await;
}

/// Sides in the SPA against the simulator: a login Sides refuses shows its error on the password
/// field and saves nothing; the right one connects; sync stores and products, link a store to a
/// storage unit, activate it and watch the migration finish; pause and resume the automatic
/// transfer.
async fn connect_sides_through_the_ui(app: TestApp, _sim: tests::sim::Simulator) {
    let (token, company) = demo_login(&app).await;
    let integrations = || async {
        app.ok(
            &token,
            "query($c: ID!) { posIntegrations(companyId: $c) { id provider connectionState automaticTransfer } }",
            json!({"c": company}),
        )
        .await["posIntegrations"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["provider"] == "SIDES")
            .cloned()
            .collect::<Vec<_>>()
    };

    let browser = Browser::start().await;
    let c = &browser.client;
    sign_in_as_demo(&browser, &app).await;
    wait_for_text(&browser, "main", "Recent movements").await;
    c.goto(&format!("{}/integrations", app.address))
        .await
        .unwrap();
    wait_for_text(&browser, "form#connect-sides", "Sides POS").await;
    let form = c.find(Locator::Css("form#connect-sides")).await.unwrap();
    form.find(Locator::Css("input[name=username]"))
        .await
        .unwrap()
        .send_keys("demo")
        .await
        .unwrap();
    let password = form
        .find(Locator::Css("input[name=password]"))
        .await
        .unwrap();
    password.send_keys("not-the-password").await.unwrap();
    form.find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let refused = wait_for_text(&browser, "form#connect-sides .field-error", "Sides").await;
    assert!(refused.to_lowercase().contains("refused"), "{refused}");
    browser.screenshot("sides-refused").await;
    assert_eq!(integrations().await, Vec::<serde_json::Value>::new());

    password.clear().await.unwrap();
    password.send_keys("sides-demo").await.unwrap();
    form.find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(&browser, "#connection-state", "Connected").await;
    let saved = integrations().await;
    assert_eq!(saved.len(), 1, "{saved:?}");
    assert_eq!(saved[0]["connectionState"], "CONNECTED");

    browser.click(Locator::Css("button#sync-locations")).await;
    wait_for_text(&browser, "table.locations", "Main Restaurant").await;
    browser.click(Locator::Css("button#sync-items")).await;
    // The sync's time replaces "never" (shown in the reader's format).
    let mut synced = String::new();
    for _ in 0..100 {
        synced = wait_for_text(&browser, "main", "items synced ").await;
        if !synced.contains("items synced never") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(!synced.contains("items synced never"), "{synced}");
    browser
        .click(Locator::XPath(
            "//button[normalize-space()='Test connection']",
        ))
        .await;
    wait_for_text(&browser, "main", "login accepted").await;

    let row = link_and_activate(&browser, "101", "Kitchen").await;
    browser.screenshot("sides-activated").await;

    // A manual transfer of one day from the row: its bar names it and runs to its end.
    let day = tests::live::migration_days()[80].to_string();
    c.execute(
        "const input = document.querySelector(arguments[0]); input.value = arguments[1];
         input.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![json!(format!("{row} input[type=date]")), json!(day)],
    )
    .await
    .unwrap();
    browser
        .click(Locator::XPath(
            "//tr[@data-location='101']//button[normalize-space()='Transfer day']",
        ))
        .await;
    wait_for_text(&browser, &format!("{row} .job-progress"), "Manual transfer").await;
    let transferred = wait_for_text(&browser, &format!("{row} .job-progress"), "Succeeded").await;
    assert!(transferred.contains("1 day"), "{transferred}");

    // Pause, then resume, the automatic transfer.
    let state = "section.card .job-line .job-state";
    wait_for_text(&browser, state, "Active").await;
    browser
        .click(Locator::XPath(
            "//div[@class='job-line']/button[normalize-space()='Pause']",
        ))
        .await;
    wait_for_text(&browser, state, "Paused").await;
    let paused = integrations().await;
    assert_eq!(paused[0]["automaticTransfer"], "PAUSED", "{paused:?}");
    browser
        .click(Locator::XPath(
            "//div[@class='job-line']/button[normalize-space()='Resume']",
        ))
        .await;
    wait_for_text(&browser, state, "Active").await;

    // The Jobs page follows the company's runs live: one started elsewhere (here through the
    // API) appears on top and runs to its end without a reload.
    browser.click(Locator::Css("aside a[href='/jobs']")).await;
    wait_for_text(&browser, "ul.jobs", "Historical migration").await;
    let rows = c
        .find_all(Locator::Css("ul.jobs > li"))
        .await
        .unwrap()
        .len();
    let integration = integrations().await[0]["id"].clone();
    app.ok(
        &token,
        "mutation($i: ID!) { syncItems(integrationId: $i) { id } }",
        json!({"i": integration}),
    )
    .await;
    wait_for_text(&browser, "ul.jobs > li:first-child", "Sync items").await;
    wait_for_text(&browser, "ul.jobs > li:first-child", "Succeeded").await;
    assert_eq!(
        c.find_all(Locator::Css("ul.jobs > li"))
            .await
            .unwrap()
            .len(),
        rows + 1
    );
    c.find(Locator::Css(".jobs-list[data-live='push']"))
        .await
        .expect("the list follows the runs over the subscription");
    browser.screenshot("jobs-live").await;
    browser.close().await;
}

fn demo_with_sim(s: &mut api::config::ServeSettings) {
    s.demo = true;
    s.demo_password = Some(PASSWORD.into());
}

tests::on_both_backends_with_sim!(
    lightspeed_connects_through_oauth_in_the_browser,
    connect_lightspeed_through_the_ui,
    super::demo_with_sim
);

tests::on_both_backends_with_sim!(
    sides_connects_with_a_login_in_the_browser,
    connect_sides_through_the_ui,
    super::demo_with_sim
);
