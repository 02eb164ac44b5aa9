//! Accessibility: axe-core (tests/protocol/node_modules/axe-core, installed by `npm ci`, nothing
//! from a CDN) finds no serious or critical violation on the main pages — every input labelled,
//! contrast that passes WCAG AA, landmarks and names in place.

use super::*;

const MAIN_PAGES: &[&str] = &[
    "/",
    "/inventory",
    "/orders",
    "/waste",
    "/transfers",
    "/stock-counts",
    "/ledger",
    "/ingredients",
    "/recipes",
    "/food-cost",
    "/food-cost?view=menu",
    "/purchasing",
    "/integrations",
    "/settings",
];

fn axe_source() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/protocol/node_modules/axe-core/axe.min.js"
    );
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e} (npm ci --prefix tests/protocol installs it)"))
}

/// axe's serious and critical violations on the page shown: "rule (impact): where".
async fn violations(browser: &Browser, axe: &str) -> Vec<String> {
    browser
        .client
        .execute(axe, vec![])
        .await
        .expect("axe-core loads into the page");
    let found = browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] })
               .then(r => done(r.violations
                 .filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))))
               .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .expect("axe runs");
    found
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

async fn the_main_pages_have_no_serious_accessibility_violation(app: TestApp) {
    let axe = axe_source();
    let browser = Browser::start_as(1400, 900, "en-US").await;
    let c = &browser.client;
    c.goto(&format!("{}/login", app.address)).await.unwrap();
    element(&browser, "input[name=email]", "the login page renders").await;
    let mut found: Vec<String> = violations(&browser, &axe)
        .await
        .into_iter()
        .map(|v| format!("/login: {v}"))
        .collect();
    sign_in_as_demo(&browser, &app).await;
    wait_for_text(&browser, "main", "Recent movements").await;
    for page in MAIN_PAGES {
        c.goto(&format!("{}{page}", app.address)).await.unwrap();
        element(&browser, "main h1", "the page has its title").await;
        // The page's data is in.
        for _ in 0..100 {
            let busy = c
                .execute(
                    "return document.querySelectorAll('[aria-busy=true]').length",
                    vec![],
                )
                .await
                .ok()
                .and_then(|v| v.as_i64())
                .unwrap_or(1);
            if busy == 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        found.extend(
            violations(&browser, &axe)
                .await
                .into_iter()
                .map(|v| format!("{page}: {v}")),
        );
    }
    browser.close().await;
    assert!(found.is_empty(), "{found:#?}");
}

mod the_main_pages_have_no_serious_accessibility_violation {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::the_main_pages_have_no_serious_accessibility_violation(
            super::demo_app(tests::Backend::Sqlite).await,
        )
        .await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::the_main_pages_have_no_serious_accessibility_violation(
            super::demo_app(tests::Backend::Postgres).await,
        )
        .await
    }
}
