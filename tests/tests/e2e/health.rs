//! The server's own endpoints: health, the SDL, the SPA fallback, the subscription socket.

use serde_json::Value;
use tests::{TestApp, on_both_backends};

async fn health(app: TestApp) {
    let response = app
        .client
        .get(format!("{}/health", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    let expected = match app.backend {
        tests::Backend::Sqlite => "sqlite",
        tests::Backend::Postgres => "postgres",
    };
    assert_eq!(body["database"], expected);
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
}
on_both_backends!(health_reports_the_backend, health);

#[test]
fn committed_schema_matches_the_server() {
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql"))
            .expect("schema.graphql at the repository root");
    assert!(
        committed == api::graphql::sdl(),
        "schema.graphql is stale: run `cargo run -p api --bin larder -- schema > schema.graphql`"
    );
}

async fn spa_routes(app: TestApp) {
    // Client-side routes get the SPA's index (or the notice that it is not built), never a 404
    // from the API's own paths.
    let response = app
        .client
        .get(format!("{}/ingredients/42", app.address))
        .send()
        .await
        .unwrap();
    let text = response.text().await.unwrap();
    assert!(
        text.contains("<html") || text.contains("SPA is not built"),
        "{text}"
    );
}
on_both_backends!(spa_paths_fall_back_to_index, spa_routes);

/// The service worker is served with the build's version written in (a hash of the page, which
/// names the build's files): a deploy is a new worker and a new cache. Neither it nor the page is
/// cached by the browser, so an online browser never runs an old app.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_service_worker_carries_the_build_version() {
    let dir = std::env::temp_dir().join(format!("larder-spa-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("sw.js"), "const BUILD = \"__LARDER_BUILD__\";").unwrap();
    let build = |page: &'static str| {
        let dir = dir.clone();
        async move {
            std::fs::write(dir.join("index.html"), page).unwrap();
            let app =
                TestApp::spawn_with(tests::Backend::Sqlite, |s| s.static_dir = Some(dir)).await;
            let worker = app
                .client
                .get(format!("{}/sw.js", app.address))
                .send()
                .await
                .unwrap();
            assert_eq!(worker.headers()["cache-control"], "no-cache");
            assert!(
                worker.headers()["content-type"]
                    .to_str()
                    .unwrap()
                    .starts_with("text/javascript")
            );
            let script = worker.text().await.unwrap();
            for path in ["/", "/stock-counts"] {
                let page = app
                    .client
                    .get(format!("{}{path}", app.address))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(page.headers()["cache-control"], "no-cache", "{path}");
            }
            script
        }
    };
    let first = build("<html><script src=\"/web-1.js\"></script></html>").await;
    let same = build("<html><script src=\"/web-1.js\"></script></html>").await;
    let next = build("<html><script src=\"/web-2.js\"></script></html>").await;
    assert!(!first.contains("__LARDER_BUILD__"), "{first}");
    assert_eq!(
        first, same,
        "one build, one worker (every API process serves the same)"
    );
    assert_ne!(first, next, "a new build is a new worker");
    std::fs::remove_dir_all(dir).unwrap();
}
