//! Counting anywhere in the browser (issue 27): on an 820 × 1180 tablet, a count goes on with the
//! network cut — the page's (DevTools' offline mode) and the server's side (a relay the test
//! closes, since a service worker's fetches ignore DevTools) — survives a reload, and everything
//! arrives exactly once when the signal returns; two counters on two shelves post their sum.

use std::time::Duration;

use fantoccini::Locator;
use fantoccini::key::Key;
use serde_json::{Value, json};
use tests::relay::Relay;
use tests::{Browser, TestApp, on_both_backends};

use super::{choose, element, sign_in, wait_for_text};
use crate::counting::{Cellar, id};

const EAN: &str = "4006381333931";
const PASSWORD: &str = "correct horse battery";

/// Flour sold in 25 kg sacks that carry a GTIN.
async fn flour_sack(app: &TestApp, c: &Cellar) {
    let vendor = id(&app
        .ok(
            &c.owner,
            "mutation($c: ID!) { createVendor(companyId: $c, input: {name: \"Mill\"}) { id } }",
            json!({"c": c.company}),
        )
        .await["createVendor"]["id"]);
    app.ok(&c.owner, "mutation($c: ID!, $v: ID!, $i: ID!, $g: String) { createProduct(companyId: $c, input: {vendorId: $v, ingredientId: $i, name: \"Flour 25 kg\", sku: \"F25\", packName: \"sack\", packagingFactor: \"25\", gtin: $g}) { id } }", json!({"c": c.company, "v": vendor, "i": c.flour, "g": EAN}))
        .await;
}

/// Signs `email` in through the login form at `address`, working in `company` (a counter
/// belongs to their own company too), then opens the count of `unit`.
async fn open_count(browser: &Browser, address: &str, email: &str, company: &str, unit: &str) {
    let c = &browser.client;
    c.goto(&format!("{address}/login")).await.unwrap();
    c.execute(
        "localStorage.setItem('larder.company', JSON.stringify(arguments[0]))",
        vec![json!(company)],
    )
    .await
    .unwrap();
    sign_in(browser, address, email, PASSWORD).await;
    element(browser, "nav", "signed in").await;
    c.goto(&format!("{address}/stock-counts")).await.unwrap();
    choose(
        browser,
        "select[name=storageUnitId]",
        unit,
        "the count page",
    )
    .await;
    wait_for_text(browser, "#count-sync", "All saved").await;
}

/// Waits until the service worker controls the page (it keeps the app for a reload offline).
async fn controlled(browser: &Browser) {
    for _ in 0..200 {
        let yes = browser
            .client
            .execute(
                "return !!(navigator.serviceWorker && navigator.serviceWorker.controller)",
                vec![],
            )
            .await
            .unwrap();
        if yes == json!(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    browser.screenshot("failure").await;
    panic!("the service worker never took control of the page");
}

/// What a scanner that types sends: the digits, then Enter, into whatever has the focus.
async fn scan(browser: &Browser, code: &str) {
    browser
        .client
        .active_element()
        .await
        .unwrap()
        .send_keys(&format!("{code}{}", char::from(Key::Enter)))
        .await
        .unwrap();
}

async fn server_entries(app: &TestApp, c: &Cellar, count: &str) -> Vec<Value> {
    app.ok(&c.owner, "query($c: ID!) { stockCount(id: $c) { entries { clientId quantity packs place { name } ingredient { name } } } }", json!({"c": count}))
        .await["stockCount"]["entries"]
        .as_array()
        .unwrap()
        .clone()
}

async fn without_signal(app: TestApp) {
    let c = Cellar::open(&app, "cellar@example.com").await;
    flour_sack(&app, &c).await;
    c.receive(&app, &c.flour, "60").await;
    c.receive(&app, &c.salt, "8").await;
    c.place(&app, &c.flour, Some(&c.shelf)).await;
    c.place(&app, &c.salt, Some(&c.cold_room)).await;
    let relay = Relay::start(&app.address).await;
    let browser = Browser::start_as(820, 1180, "en-US").await;
    open_count(
        &browser,
        &relay.address,
        "anna.cellar@example.com",
        &c.company,
        &c.unit,
    )
    .await;
    let count = c.start(&app, &c.owner).await;
    controlled(&browser).await;
    let salt = format!("tr[data-ingredient='{}'] input[name=loose]", c.salt);

    // The cellar: no signal at all.
    relay.cut();
    browser.set_offline(true).await;
    element(&browser, &salt, "the salt line")
        .await
        .send_keys(&format!("3.5{}", char::from(Key::Tab)))
        .await
        .unwrap();
    wait_for_text(&browser, "#count-sync", "1 entry waiting").await;
    // The scanner types into the field that has the focus now: the pack is counted, and the
    // field keeps what it held.
    scan(&browser, EAN).await;
    wait_for_text(&browser, "#count-scanned", "+1 sack Flour").await;
    wait_for_text(&browser, "#count-sync", "2 entries waiting").await;
    let stray = browser
        .client
        .execute(
            "return [...document.querySelectorAll('input')].some(i => i.value.includes('4006381'))",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        stray,
        json!(false),
        "the scanned digits stayed out of the fields"
    );
    browser.screenshot("count-offline").await;

    // A reload without a signal: the app from the service worker, the sheet and the entries
    // from the browser's storage.
    browser.client.refresh().await.unwrap();
    wait_for_text(&browser, "#count-sync", "2 entries waiting").await;
    let kept = element(&browser, &salt, "the salt line after a reload")
        .await
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some("3.5"));
    assert_eq!(
        server_entries(&app, &c, &count).await,
        Vec::<Value>::new(),
        "nothing got through"
    );

    // The signal is back: everything arrives, once.
    relay.restore();
    browser.set_offline(false).await;
    wait_for_text(&browser, "#count-sync", "All saved").await;
    browser.client.refresh().await.unwrap();
    wait_for_text(&browser, "#count-sync", "All saved").await;
    let mut arrived: Vec<(String, String, String)> = server_entries(&app, &c, &count)
        .await
        .iter()
        .map(|e| {
            (
                e["ingredient"]["name"].as_str().unwrap().to_string(),
                e["place"]["name"].as_str().unwrap_or("").to_string(),
                e["quantity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    arrived.sort();
    assert_eq!(
        arrived,
        [
            (
                "Flour".to_string(),
                "Dry store shelf".to_string(),
                "25".to_string()
            ),
            (
                "Salt".to_string(),
                "Cold room".to_string(),
                "3.5".to_string()
            ),
        ]
    );
    browser.close().await;
}
on_both_backends!(
    a_count_goes_on_without_a_signal_and_arrives_once,
    without_signal
);

async fn two_shelves(app: TestApp) {
    let c = Cellar::open(&app, "shelves@example.com").await;
    flour_sack(&app, &c).await;
    c.receive(&app, &c.flour, "60").await;
    c.place(&app, &c.flour, Some(&c.shelf)).await;
    let anna = Browser::start_as(820, 1180, "en-US").await;
    let ben = Browser::start_as(820, 1180, "en-US").await;
    tokio::join!(
        open_count(
            &anna,
            &app.address,
            "anna.shelves@example.com",
            &c.company,
            &c.unit
        ),
        open_count(
            &ben,
            &app.address,
            "ben.shelves@example.com",
            &c.company,
            &c.unit
        )
    );
    // Anna counts the shelf by hand: two sacks.
    element(
        &anna,
        &format!("tr[data-ingredient='{}'] input[name=packs]", c.flour),
        "the flour line",
    )
    .await
    .send_keys(&format!("2{}", char::from(Key::Tab)))
    .await
    .unwrap();
    // Ben stands in the cold room and scans the sacks there.
    choose(
        &ben,
        "select[name=atPlace]",
        &c.cold_room,
        "the place chooser",
    )
    .await;
    ben.client
        .execute("document.activeElement.blur()", vec![])
        .await
        .unwrap();
    scan(&ben, EAN).await;
    wait_for_text(&ben, "#count-scanned", "1 here now").await;
    scan(&ben, EAN).await;
    wait_for_text(&ben, "#count-scanned", "2 here now").await;
    wait_for_text(&ben, "#count-sync", "All saved").await;
    wait_for_text(&anna, "#count-sync", "All saved").await;
    ben.screenshot("count-two-counters").await;
    anna.click(Locator::Css("#count-post")).await;
    wait_for_text(&anna, "#count-posted", "Posted: 1 adjustment").await;
    let adjusted = app
        .ok(&c.owner, "query($c: ID!) { ledger(companyId: $c, first: 10) { edges { node { transactionType quantity } } } }", json!({"c": c.company}))
        .await;
    let adjust: Vec<&Value> = adjusted["ledger"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["node"]["transactionType"] == "ADJUST")
        .collect();
    assert_eq!(adjust.len(), 1);
    assert_eq!(
        adjust[0]["node"]["quantity"], "40",
        "2 + 2 sacks of 25 kg against 60 kg"
    );
    anna.close().await;
    ben.close().await;
}
on_both_backends!(two_counters_on_two_shelves_post_their_sum, two_shelves);

async fn arranging(app: TestApp) {
    let c = Cellar::open(&app, "arrange@example.com").await;
    let browser = Browser::start_as(820, 1180, "en-US").await;
    let bc = &browser.client;
    sign_in(&browser, &app.address, "arrange@example.com", PASSWORD).await;
    element(&browser, "nav", "signed in").await;
    bc.goto(&format!("{}/storage-units/{}/places", app.address, c.unit))
        .await
        .unwrap();
    wait_for_text(&browser, "#unplaced", "Salt").await;
    // Salt and sugar ticked, moved onto the cold room at once.
    for name in ["Salt", "Sugar"] {
        bc.find(Locator::XPath(&format!(
            "//article[@id='unplaced']//label[contains(., '{name}')]/input"
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    }
    choose(
        &browser,
        "select[name=targetPlace]",
        &c.cold_room,
        "the place to move to",
    )
    .await;
    browser.click(Locator::Css("#place-move button")).await;
    wait_for_text(
        &browser,
        &format!("article[data-place='{}']", c.cold_room),
        "Sugar",
    )
    .await;
    // The cold room walked first.
    browser
        .click(Locator::Css(&format!(
            "article[data-place='{}'] header button[aria-label='Move up']",
            c.cold_room
        )))
        .await;
    let walk = || async {
        app.ok(&c.owner, "query($c: ID!) { storageUnits(companyId: $c) { places { name ingredients { name } } } }", json!({"c": c.company}))
            .await["storageUnits"][0]["places"]
            .clone()
    };
    for _ in 0..100 {
        if walk().await[0]["name"] == "Cold room" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        walk().await,
        json!([{"name": "Cold room", "ingredients": [{"name": "Salt"}, {"name": "Sugar"}]}, {"name": "Dry store shelf", "ingredients": []}])
    );
    browser.screenshot("places").await;
    browser.close().await;
}
on_both_backends!(places_are_arranged_on_a_tablet, arranging);
