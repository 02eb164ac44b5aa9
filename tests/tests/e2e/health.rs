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
