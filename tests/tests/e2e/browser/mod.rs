//! The SPA in real headless Chromium: sign in as the demo user, create an ingredient through
//! the UI, see the server's error next to the field it names. Needs the built SPA (web/dist)
//! and chromedriver, which the README's test command provides.

mod accessibility;
mod counting;
mod food_cost;
mod invoices;
mod kitchen;
mod pages;
mod pos;
mod purchasing;
mod tablet;

use std::time::Duration;

use fantoccini::Locator;
use serde_json::json;
use tests::{Backend, Browser, TestApp};

const PASSWORD: &str = "demo-browser-pass";

async fn demo_app(backend: Backend) -> TestApp {
    TestApp::spawn_with(backend, |s| {
        s.demo = true;
        s.demo_password = Some(PASSWORD.into());
    })
    .await
}

/// The first element matching `css` once it is there (within 20 s), or the test fails saying
/// what was expected, with a screenshot.
async fn element(browser: &Browser, css: &str, what: &str) -> fantoccini::elements::Element {
    match browser
        .client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
    {
        Ok(found) => found,
        Err(e) => {
            browser.screenshot("failure").await;
            panic!("{what}: {css} never appeared ({e})");
        }
    }
}

/// Picks `value` in the select at `css` once that option is there: a page fills its selects from
/// queries after it renders, and a select found before its options has nothing to pick (a CI
/// run failed so).
async fn choose(browser: &Browser, css: &str, value: &str, what: &str) {
    element(browser, &format!("{css} option[value='{value}']"), what).await;
    element(browser, css, what)
        .await
        .select_by_value(value)
        .await
        .unwrap();
}

/// Waits until the element's text contains `needle`.
async fn wait_for_text(browser: &Browser, css: &str, needle: &str) -> String {
    let mut last = String::new();
    for _ in 0..100 {
        if let Ok(element) = browser.client.find(Locator::Css(css)).await {
            last = element.text().await.unwrap_or_default();
            if last.contains(needle) {
                return last;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    browser.screenshot("failure").await;
    panic!("{css} never showed {needle:?}; it showed {last:?}");
}

/// Signs in as the demo user over GraphQL: (token, the demo company's id).
async fn demo_login(app: &TestApp) -> (String, serde_json::Value) {
    let login = app
        .gql(None, "mutation($p: String!) { login(email: \"demo@larder.local\", password: $p) { token user { memberships { company { id } } } } }", json!({"p": PASSWORD}))
        .await;
    let token = login["data"]["login"]["token"]
        .as_str()
        .expect("the demo user signs in")
        .to_string();
    let company = login["data"]["login"]["user"]["memberships"][0]["company"]["id"].clone();
    (token, company)
}

/// Signs in through the login form as the demo user.
async fn sign_in_as_demo(browser: &Browser, app: &TestApp) {
    sign_in(browser, &app.address, "demo@larder.local", PASSWORD).await;
}

/// Signs `email` in through the login form of the app at `address`.
async fn sign_in(browser: &Browser, address: &str, email: &str, password: &str) {
    let c = &browser.client;
    c.goto(&format!("{address}/login")).await.unwrap();
    let field = element(browser, "input[name=email]", "the login page renders").await;
    field.send_keys(email).await.unwrap();
    c.find(Locator::Css("input[name=password]"))
        .await
        .unwrap()
        .send_keys(password)
        .await
        .unwrap();
    browser.click(Locator::Css("button[type=submit]")).await;
}
