//! The app on a laptop (1400 × 900) and a kitchen tablet (820 × 1180): no page scrolls
//! sideways, the menu folds away on the tablet, money carries its currency; and in German for a
//! German browser, until the user chooses otherwise.

use super::*;

/// The pages a manager walks through; each must fit the window's width.
const PAGES: &[&str] = &[
    "/",
    "/inventory",
    "/orders",
    "/waste",
    "/transfers",
    "/stock-counts",
    "/ledger",
    "/reports",
    "/food-cost",
    "/food-cost?view=menu",
    "/food-cost?view=prices",
    "/purchasing",
    "/purchasing?view=policies",
    "/storage-units",
    "/ingredients",
    "/recipes",
    "/vendors",
    "/products",
    "/integrations",
    "/jobs",
    "/settings",
];

/// Waits until the page has loaded what it shows (no busy marker left).
async fn settled(browser: &Browser) {
    for _ in 0..100 {
        let busy = browser
            .client
            .execute(
                "return document.querySelectorAll('main [aria-busy=true]').length",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| v.as_i64())
            .unwrap_or(1);
        if busy == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// How far the page is wider than the window, in CSS pixels (0: it fits).
async fn overflow(browser: &Browser) -> i64 {
    browser
        .client
        .execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
            vec![],
        )
        .await
        .unwrap()
        .as_i64()
        .unwrap()
}

async fn displayed(browser: &Browser, css: &str) -> bool {
    match browser.client.find(Locator::Css(css)).await {
        Ok(e) => e.is_displayed().await.unwrap_or(false),
        Err(_) => false,
    }
}

async fn every_page_fits(app: &TestApp, width: u32, height: u32) {
    let browser = Browser::start_as(width, height, "en-US").await;
    sign_in_as_demo(&browser, app).await;
    wait_for_text(&browser, "main", "Recent movements").await;
    // Money is shown with its currency.
    let value = wait_for_text(&browser, "#value-by-unit .figure.money", "€").await;
    assert!(value.starts_with('€'), "English money: {value}");
    let tablet = width < 1000;
    assert_eq!(
        displayed(&browser, "aside#main-nav").await,
        !tablet,
        "the navigation is {} at {width} px",
        if tablet {
            "folded into a menu"
        } else {
            "shown"
        }
    );
    assert_eq!(displayed(&browser, ".menu-button").await, tablet);
    if tablet {
        browser.click(Locator::Css(".menu-button")).await;
        assert!(
            displayed(&browser, "aside#main-nav").await,
            "the menu opens"
        );
        browser
            .click(Locator::Css("aside#main-nav a[href='/inventory']"))
            .await;
        wait_for_text(&browser, "main", "Mozzarella").await;
        assert!(
            !displayed(&browser, "aside#main-nav").await,
            "choosing a page folds the menu"
        );
    }
    let mut too_wide = Vec::new();
    for page in PAGES {
        browser
            .client
            .goto(&format!("{}{page}", app.address))
            .await
            .unwrap();
        element(&browser, "main h1", "the page has its title").await;
        settled(&browser).await;
        let over = overflow(&browser).await;
        if over > 0 {
            browser
                .screenshot(&format!("too-wide-{width}{}", page.replace('/', "-")))
                .await;
            too_wide.push(format!("{page} by {over} px"));
        }
    }
    browser
        .client
        .goto(&format!("{}/", app.address))
        .await
        .unwrap();
    wait_for_text(&browser, "main", "Recent movements").await;
    browser.screenshot(&format!("dashboard-{width}")).await;
    browser.close().await;
    assert!(
        too_wide.is_empty(),
        "at {width} × {height} these pages scroll sideways: {too_wide:?}"
    );
}

async fn every_page_fits_a_laptop_and_a_tablet(app: TestApp) {
    every_page_fits(&app, 1400, 900).await;
    every_page_fits(&app, 820, 1180).await;
}

mod every_page_fits_a_laptop_and_a_tablet {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::every_page_fits_a_laptop_and_a_tablet(super::demo_app(tests::Backend::Sqlite).await)
            .await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::every_page_fits_a_laptop_and_a_tablet(
            super::demo_app(tests::Backend::Postgres).await,
        )
        .await
    }
}

/// A German browser gets the German app, money as Germans write it; the user's own choice,
/// saved on the server, wins from then on.
async fn a_german_browser_gets_the_german_app(app: TestApp) {
    let browser = Browser::start_as(1400, 900, "de-DE").await;
    let c = &browser.client;
    c.goto(&format!("{}/login", app.address)).await.unwrap();
    wait_for_text(&browser, "main", "Bei Larder anmelden").await;
    sign_in_as_demo(&browser, &app).await;
    wait_for_text(&browser, "main", "Letzte Bewegungen").await;
    wait_for_text(&browser, "aside", "Bestand").await;
    let value = wait_for_text(&browser, "#value-by-unit .figure.money", "€").await;
    // WebDriver reads the no-break space before the sign as a space.
    let (amount, sign) = value
        .rsplit_once([' ', '\u{a0}'])
        .expect("a space before the currency");
    assert_eq!(sign, "€", "{value}");
    assert!(
        amount.contains(',') && amount.rsplit(',').next().unwrap().len() == 2,
        "a decimal comma and two decimals: {value}"
    );
    browser.screenshot("dashboard-de").await;
    // The user chooses English in their profile: saved on the server, and the app follows.
    c.goto(&format!("{}/settings", app.address)).await.unwrap();
    element(
        &browser,
        "#profile select[name=locale]",
        "the language choice",
    )
    .await
    .select_by_value("en")
    .await
    .unwrap();
    browser
        .click(Locator::Css("#profile button[type=submit]"))
        .await;
    wait_for_text(&browser, "aside", "Inventory").await;
    let (token, _) = demo_login(&app).await;
    let me = app.ok(&token, "{ me { locale } }", json!({})).await;
    assert_eq!(me["me"]["locale"], "EN");
    browser.close().await;
}

mod a_german_browser_gets_the_german_app {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::a_german_browser_gets_the_german_app(super::demo_app(tests::Backend::Sqlite).await)
            .await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::a_german_browser_gets_the_german_app(super::demo_app(tests::Backend::Postgres).await)
            .await
    }
}
