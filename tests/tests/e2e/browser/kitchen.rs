//! The app the way a kitchen uses it: from the keyboard alone (the menu, a form, a visible focus
//! ring on every stop), and on an 820 × 1180 tablet held in one hand — a count, a waste line and
//! a delivery, each with touch targets a thumb can hit and nothing to scroll sideways.

use super::*;

/// WebDriver's key codes (W3C WebDriver, "Keyboard actions").
const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";

/// What has the focus now: tag, name or link, and whether a focus ring is drawn around it.
async fn focused(browser: &Browser) -> serde_json::Value {
    browser
        .client
        .execute(
            "const e = document.activeElement; const s = getComputedStyle(e);
             const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
             return { tag: e.tagName.toLowerCase(), name: e.getAttribute('name') || '', href: e.getAttribute('href') || '',
                      type: e.getAttribute('type') || '', cls: e.className || '', ring: ring,
                      label: e.getAttribute('aria-label') || (e.labels && e.labels[0] ? e.labels[0].innerText : '') || e.innerText || '' };",
            vec![],
        )
        .await
        .unwrap()
}

/// Presses a key on whatever has the focus.
async fn press(browser: &Browser, key: &str) {
    browser
        .client
        .active_element()
        .await
        .unwrap()
        .send_keys(key)
        .await
        .unwrap();
}

/// Tabs forward until `wanted` holds for the focused element (at most `limit` stops); every
/// stop on the way must show its focus ring. Returns the stops.
async fn tab_to(
    browser: &Browser,
    limit: usize,
    wanted: impl Fn(&serde_json::Value) -> bool,
) -> Vec<serde_json::Value> {
    let mut stops = Vec::new();
    for _ in 0..limit {
        press(browser, TAB).await;
        let now = focused(browser).await;
        assert_eq!(
            now["ring"], true,
            "a keyboard stop without a focus ring: {now}"
        );
        stops.push(now.clone());
        if wanted(&now) {
            return stops;
        }
    }
    browser.screenshot("keyboard-lost").await;
    panic!("not reached within {limit} tab stops; went through {stops:#?}");
}

async fn the_menu_and_a_form_work_from_the_keyboard_alone(app: TestApp) {
    let browser = Browser::start_as(820, 1180, "en-US").await;
    sign_in_as_demo(&browser, &app).await;
    wait_for_text(&browser, "main", "Recent movements").await;
    browser
        .client
        .execute("document.activeElement.blur()", vec![])
        .await
        .unwrap();
    // The first stop is the menu; Enter opens it, and a page is chosen with Tab and Enter.
    tab_to(&browser, 5, |f| {
        f["cls"].as_str().unwrap_or("").contains("menu-button")
    })
    .await;
    press(&browser, ENTER).await;
    element(&browser, "aside#main-nav nav", "the menu opens").await;
    tab_to(&browser, 30, |f| f["href"] == "/waste").await;
    press(&browser, ENTER).await;
    element(&browser, "form#waste", "the waste form opens").await;
    // Every field of the form is reached in order, each with its label, up to its button.
    let stops = tab_to(&browser, 40, |f| {
        f["tag"] == "button" && f["type"] == "submit"
    })
    .await;
    let fields: Vec<&serde_json::Value> = stops
        .iter()
        .filter(|f| matches!(f["tag"].as_str(), Some("input" | "select")))
        .collect();
    for name in [
        "storageUnitId",
        "input.ingredientId",
        "input.quantity",
        "reason",
    ] {
        assert!(
            fields.iter().any(|f| f["name"] == name),
            "the keyboard reaches {name}: {stops:#?}"
        );
    }
    for f in &fields {
        assert!(
            !f["label"].as_str().unwrap_or("").trim().is_empty(),
            "every field says what it is: {f}"
        );
    }
    browser.close().await;
}

mod the_menu_and_a_form_work_from_the_keyboard_alone {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::the_menu_and_a_form_work_from_the_keyboard_alone(
            super::demo_app(tests::Backend::Sqlite).await,
        )
        .await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::the_menu_and_a_form_work_from_the_keyboard_alone(
            super::demo_app(tests::Backend::Postgres).await,
        )
        .await
    }
}

/// The controls of `css` a finger cannot hit (under 44 CSS pixels high), by their text.
async fn small_targets(browser: &Browser, css: &str) -> Vec<String> {
    let found = browser
        .client
        .execute(
            "return [...document.querySelectorAll(arguments[0] + ' :is(button, input, select, a)')]
                 .filter(e => e.offsetParent !== null && e.type !== 'hidden')
                 .filter(e => e.getBoundingClientRect().height < 44)
                 .map(e => e.outerHTML.slice(0, 80));",
            vec![json!(css)],
        )
        .await
        .unwrap();
    serde_json::from_value(found).unwrap()
}

/// Nothing in the window needs sideways scrolling.
async fn fits(browser: &Browser) -> bool {
    browser
        .client
        .execute(
            "return document.documentElement.scrollWidth <= document.documentElement.clientWidth",
            vec![],
        )
        .await
        .unwrap()
        == json!(true)
}

async fn counting_wasting_and_receiving_work_on_a_kitchen_tablet(app: TestApp) {
    let (token, company) = demo_login(&app).await;
    let ids = app
        .ok(&token, "query($c: ID!) { bar: storageUnits(companyId: $c, search: \"Bar\") { id } kitchen: storageUnits(companyId: $c, search: \"Kitchen\") { id } ingredients(companyId: $c, search: \"Mozzarella\") { id } products(companyId: $c) { id vendor { id } } }", json!({"c": company}))
        .await;
    let bar = ids["bar"][0]["id"].as_str().unwrap().to_string();
    let kitchen = ids["kitchen"][0]["id"].as_str().unwrap().to_string();
    let mozzarella = ids["ingredients"][0]["id"].as_str().unwrap().to_string();
    // A delivery on its way: sent to the vendor, to be received at the door.
    let product = &ids["products"][0];
    let order = app
        .ok(&token, "mutation($c: ID!, $v: ID!, $p: ID!) { createOrder(companyId: $c, vendorId: $v, reference: \"TABLET-1\", items: [{productId: $p, packs: \"2\", pricePerPack: \"12.5\"}]) { id } }", json!({"c": company, "v": product["vendor"]["id"], "p": product["id"]}))
        .await["createOrder"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.ok(
        &token,
        "mutation($o: ID!) { sendOrder(id: $o) { id } }",
        json!({"o": order}),
    )
    .await;

    let browser = Browser::start_as(820, 1180, "en-US").await;
    let c = &browser.client;
    sign_in_as_demo(&browser, &app).await;
    wait_for_text(&browser, "main", "Recent movements").await;

    // A count of the bar: the first line counted, posted.
    c.goto(&format!("{}/stock-counts", app.address))
        .await
        .unwrap();
    choose(
        &browser,
        "select[name=storageUnitId]",
        &bar,
        "the count page",
    )
    .await;
    let first_line = element(
        &browser,
        "section#count input[name=loose]",
        "the count sheet",
    )
    .await;
    first_line
        .send_keys(&format!("1{}", char::from(fantoccini::key::Key::Tab)))
        .await
        .unwrap();
    wait_for_text(&browser, "#count-sync", "All saved").await;
    assert_eq!(
        small_targets(&browser, "section#count").await,
        Vec::<String>::new()
    );
    assert!(fits(&browser).await, "the count sheet fits the tablet");
    browser.click(Locator::Css("#count-post")).await;
    wait_for_text(&browser, "#count-posted", "Posted").await;
    wait_for_text(&browser, "#count-list", "Posted").await;

    // A waste line.
    c.goto(&format!("{}/waste", app.address)).await.unwrap();
    let form = element(&browser, "form#waste", "the waste form").await;
    choose(
        &browser,
        "form#waste select[name=storageUnitId]",
        &kitchen,
        "the waste form",
    )
    .await;
    choose(
        &browser,
        "form#waste select[name='input.ingredientId']",
        &mozzarella,
        "the waste form",
    )
    .await;
    form.find(Locator::Css("input[name='input.quantity']"))
        .await
        .unwrap()
        .send_keys("0.2")
        .await
        .unwrap();
    form.find(Locator::Css("select[name=reason]"))
        .await
        .unwrap()
        .select_by_value("Spoiled")
        .await
        .unwrap();
    assert_eq!(
        small_targets(&browser, "form#waste").await,
        Vec::<String>::new()
    );
    assert!(fits(&browser).await, "the waste form fits the tablet");
    browser
        .click(Locator::Css("form#waste button[type=submit]"))
        .await;
    wait_for_text(&browser, "form#waste", "Posted 1 waste line").await;

    // The delivery, received as ordered.
    c.goto(&format!("{}/orders/{order}", app.address))
        .await
        .unwrap();
    element(
        &browser,
        "article.order form button[type=submit]",
        "the order",
    )
    .await;
    assert_eq!(
        small_targets(&browser, "article.order").await,
        Vec::<String>::new()
    );
    assert!(fits(&browser).await, "the order fits the tablet");
    browser
        .click(Locator::Css("article.order form button[type=submit]"))
        .await;
    wait_for_text(&browser, "article.order header", "Received").await;
    browser.screenshot("tablet-received").await;
    browser.close().await;

    let received = app
        .ok(
            &token,
            "query($o: ID!) { order(id: $o) { status } }",
            json!({"o": order}),
        )
        .await;
    assert_eq!(received["order"]["status"], "RECEIVED");
}

mod counting_wasting_and_receiving_work_on_a_kitchen_tablet {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::counting_wasting_and_receiving_work_on_a_kitchen_tablet(
            super::demo_app(tests::Backend::Sqlite).await,
        )
        .await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::counting_wasting_and_receiving_work_on_a_kitchen_tablet(
            super::demo_app(tests::Backend::Postgres).await,
        )
        .await
    }
}
