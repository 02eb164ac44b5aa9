//! The demo user creates an ingredient and posts waste through the pages.

use super::*;

async fn create_ingredient_through_the_ui(app: TestApp) {
    let browser = Browser::start().await;
    let c = &browser.client;
    let wait = || c.wait().at_most(Duration::from_secs(20));
    sign_in_as_demo(&browser, &app).await;

    wait_for_text(&browser, "main", "Trattoria Larder").await;
    wait_for_text(&browser, "main", "Recent movements").await;
    browser.screenshot("dashboard").await;

    browser
        .click(Locator::Css("aside a[href='/ingredients']"))
        .await;
    wait_for_text(&browser, "table#ingredients", "Tomatoes").await;
    browser.click(Locator::Css("details summary")).await;
    let form = wait()
        .for_element(Locator::Css("form#new-ingredient"))
        .await
        .unwrap();

    // A name that exists: the server's CONFLICT shows next to the name field, nothing is created.
    form.find(Locator::Css("input[name=name]"))
        .await
        .unwrap()
        .send_keys("Tomatoes")
        .await
        .unwrap();
    form.find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let message = wait_for_text(
        &browser,
        "form#new-ingredient small.field-error",
        "already exists",
    )
    .await;
    assert!(message.contains("Tomatoes"), "{message}");

    let name = form.find(Locator::Css("input[name=name]")).await.unwrap();
    name.clear().await.unwrap();
    name.send_keys("Blood oranges").await.unwrap();
    form.find(Locator::Css("select[name=baseUnit]"))
        .await
        .unwrap()
        .select_by_value("PCS")
        .await
        .unwrap();
    form.find(Locator::Css("input[name=category]"))
        .await
        .unwrap()
        .send_keys("Produce")
        .await
        .unwrap();
    form.find(Locator::XPath(
        ".//button[normalize-space()='Add packaging level']",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    wait()
        .for_element(Locator::Css("input[name='packagingLevels[0].name']"))
        .await
        .unwrap()
        .send_keys("crate")
        .await
        .unwrap();
    c.find(Locator::Css("input[name='packagingLevels[0].factor']"))
        .await
        .unwrap()
        .send_keys("60")
        .await
        .unwrap();
    browser.screenshot("new-ingredient").await;
    form.find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    let table = wait_for_text(&browser, "table#ingredients", "Blood oranges").await;
    assert!(table.contains("1 crate = 60 PCS"), "{table}");

    // The search lives in the URL: a link reproduces the view.
    c.goto(&format!("{}/ingredients?q=blood", app.address))
        .await
        .unwrap();
    let filtered = wait_for_text(&browser, "table#ingredients", "Blood oranges").await;
    assert!(!filtered.contains("Tomatoes"), "{filtered}");

    // A recipe with sub-recipes shows its expansion.
    c.goto(&format!("{}/recipes", app.address)).await.unwrap();
    wait_for_text(&browser, "main table", "Pizza & Cola menu").await;
    c.find(Locator::LinkText("Pizza & Cola menu"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let expanded = wait_for_text(&browser, "table#expanded", "Mozzarella").await;
    assert!(
        expanded.contains("Cola") && expanded.contains("Bar"),
        "{expanded}"
    );
    browser.screenshot("recipe").await;

    // Vendors' products, and an API token made in Settings and shown once.
    c.goto(&format!("{}/products", app.address)).await.unwrap();
    wait_for_text(&browser, "main table", "Tomatoes, box 10 kg").await;
    browser.screenshot("products").await;
    c.goto(&format!("{}/settings", app.address)).await.unwrap();
    wait_for_text(&browser, "main", "API tokens").await;
    wait_for_text(&browser, "main", "demo@larder.local").await;
    let token_form = c
        .find(Locator::XPath(
            "//article[.//strong[text()='API tokens']]//form",
        ))
        .await
        .unwrap();
    token_form
        .find(Locator::Css("input[name=name]"))
        .await
        .unwrap()
        .send_keys("Browser test")
        .await
        .unwrap();
    token_form
        .find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let shown = wait_for_text(&browser, "main", "Copy this token now").await;
    assert!(shown.contains("ldt_"), "{shown}");
    browser.screenshot("settings").await;
    browser.close().await;

    // And the server has it, exactly as entered.
    let (token, company) = demo_login(&app).await;
    let found = app
        .ok(&token, "query($c: ID!) { ingredients(companyId: $c, search: \"blood\") { name baseUnit category packagingLevels { name factor } } }", json!({"c": company}))
        .await;
    assert_eq!(
        found["ingredients"],
        json!([{"name": "Blood oranges", "baseUnit": "PCS", "category": "Produce", "packagingLevels": [{"name": "crate", "factor": "60"}]}])
    );
    let tomatoes = app
        .ok(
            &token,
            "query($c: ID!) { ingredients(companyId: $c, search: \"tomatoes\") { id } }",
            json!({"c": company}),
        )
        .await;
    assert_eq!(
        tomatoes["ingredients"].as_array().unwrap().len(),
        1,
        "the refused duplicate was not created"
    );
}

async fn post_waste_through_the_ui(app: TestApp) {
    let (token, company) = demo_login(&app).await;
    let ids = app
        .ok(&token, "query($c: ID!) { ingredients(companyId: $c, search: \"Mozzarella\") { id } storageUnits(companyId: $c, search: \"Kitchen\") { id } }", json!({"c": company}))
        .await;
    let (ingredient, kitchen) = (
        ids["ingredients"][0]["id"].as_str().unwrap().to_string(),
        ids["storageUnits"][0]["id"].as_str().unwrap().to_string(),
    );

    let browser = Browser::start().await;
    let c = &browser.client;
    sign_in_as_demo(&browser, &app).await;
    wait_for_text(&browser, "main", "Recent movements").await;

    browser.click(Locator::Css("aside a[href='/waste']")).await;
    let form = element(&browser, "form#waste", "it appears").await;
    choose(
        &browser,
        "form#waste select[name=storageUnitId]",
        &kitchen,
        "it appears",
    )
    .await;
    choose(
        &browser,
        "form#waste select[name='input.ingredientId']",
        &ingredient,
        "it appears",
    )
    .await;
    form.find(Locator::Css("input[name='input.quantity']"))
        .await
        .unwrap()
        .send_keys("0,5")
        .await
        .unwrap();
    form.find(Locator::Css("select[name=reason]"))
        .await
        .unwrap()
        .select_by_value("Expired")
        .await
        .unwrap();
    form.find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(&browser, "form#waste", "Posted 1 waste line").await;

    // The ledger shows it, newest first, with its running balance — the server's own figure.
    let newest = app
        .ok(&token, "query($c: ID!, $i: ID!, $s: ID!) { ledger(companyId: $c, filter: {ingredientIds: [$i], storageUnitIds: [$s]}, newestFirst: true, first: 1) { edges { node { transactionType quantity reason balanceAfter } } } }", json!({"c": company, "i": ingredient, "s": kitchen}))
        .await;
    let node = &newest["ledger"]["edges"][0]["node"];
    assert_eq!(
        (
            node["transactionType"].as_str(),
            node["quantity"].as_str(),
            node["reason"].as_str()
        ),
        (Some("WASTE"), Some("-0.5"), Some("Expired"))
    );
    // The page shows quantities to three decimals.
    let balance = format!(
        "{:.3}",
        node["balanceAfter"]
            .as_str()
            .unwrap()
            .parse::<f64>()
            .unwrap()
    );
    let balance = balance
        .trim_end_matches('0')
        .trim_end_matches('.')
        .to_string();
    c.goto(&format!(
        "{}/ledger?ingredient={ingredient}&unit={kitchen}",
        app.address
    ))
    .await
    .unwrap();
    let row = wait_for_text(&browser, "table#ledger tbody tr:first-child", "Waste").await;
    assert!(row.contains("-0.5") && row.contains("Expired"), "{row}");
    assert!(
        row.contains(&balance),
        "the row shows the running balance {balance}: {row}"
    );
    wait_for_text(&browser, "main", "Current balance").await;
    element(
        &browser,
        "svg.stock-chart path",
        "the stock-over-time chart is drawn",
    )
    .await;
    browser.screenshot("ledger").await;
    c.goto(&format!("{}/inventory", app.address)).await.unwrap();
    wait_for_text(&browser, "table#stock", "Mozzarella").await;
    browser.screenshot("inventory").await;
    // A count session of the Kitchen: the sheet lists what it holds, with the books beside.
    c.goto(&format!("{}/stock-counts", app.address))
        .await
        .unwrap();
    choose(
        &browser,
        "select[name=storageUnitId]",
        &kitchen,
        "it appears",
    )
    .await;
    let sheet = wait_for_text(&browser, "section#count", "lines counted").await;
    assert!(sheet.contains("Mozzarella"), "{sheet}");
    // Counting a line keeps it and sends it at once: the difference shows, flagged as worth a
    // second look when it is far from the books.
    c.find(Locator::Css("section#count input[name=loose]"))
        .await
        .unwrap()
        .send_keys(&format!("99999{}", char::from(fantoccini::key::Key::Tab)))
        .await
        .unwrap();
    let flagged = wait_for_text(&browser, "section#count td.negative", "+").await;
    assert!(flagged.starts_with('+'), "{flagged}");
    browser.screenshot("stock-count").await;
    c.goto(&format!("{}/orders", app.address)).await.unwrap();
    wait_for_text(&browser, "main", "Sent").await;
    browser.screenshot("orders").await;
    c.goto(&format!("{}/reports", app.address)).await.unwrap();
    wait_for_text(&browser, "table#report", "Total").await;
    browser.screenshot("report").await;
    browser.close().await;
}

mod waste_through_the_ui_shows_in_the_ledger {
    use super::*;
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        post_waste_through_the_ui(demo_app(Backend::Sqlite).await).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        post_waste_through_the_ui(demo_app(Backend::Postgres).await).await
    }
}

mod demo_user_creates_an_ingredient_in_the_browser {
    use super::*;
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        create_ingredient_through_the_ui(demo_app(Backend::Sqlite).await).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        create_ingredient_through_the_ui(demo_app(Backend::Postgres).await).await
    }
}
