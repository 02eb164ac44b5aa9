//! Larder's GraphQL transports checked by the protocols' reference implementations (issue 10):
//! graphql-http's server audits for GraphQL over HTTP, and the graphql-ws client for
//! graphql-transport-ws. They are npm packages in `tests/protocol`, installed by the README's
//! test command (`npm ci --prefix tests/protocol`).

use std::path::PathBuf;

use serde_json::{Value, json};
use tests::{TestApp, on_both_backends};

fn protocol_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("protocol");
    assert!(
        dir.join("node_modules/graphql-http").exists(),
        "the reference implementations are not installed: run `npm ci --prefix tests/protocol` (bash .ci/test does)"
    );
    dir
}

/// Runs a script of `tests/protocol` and returns its JSON lines.
async fn node(script: &str, args: &[&str]) -> Vec<Value> {
    let dir = protocol_dir();
    let output = tokio::time::timeout(
        std::time::Duration::from_secs(60),
        tokio::process::Command::new("node")
            .arg(dir.join(script))
            .args(args)
            .current_dir(&dir)
            .output(),
    )
    .await
    .expect("the script ends")
    .expect("node runs (Debian's nodejs)");
    assert!(
        output.status.success(),
        "{script} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("a JSON line: {l}")))
        .collect()
}

async fn graphql_http_server_audits_all_pass(app: TestApp) {
    let results = node("audit.mjs", &[&format!("{}/graphql", app.address)]).await;
    assert!(results.len() > 30, "the audits ran: {results:?}");
    // Every MUST and every SHOULD; the MAYs (GET requests, which Larder does not serve for
    // queries: GET /graphql is GraphiQL) are notices.
    let failed: Vec<&Value> = results
        .iter()
        .filter(|r| r["status"] == "error" || r["status"] == "warn")
        .collect();
    assert!(failed.is_empty(), "audits that did not pass: {failed:#?}");
}
on_both_backends!(graphql_http_server_audits_all_pass);

async fn the_graphql_ws_reference_client_runs_operations_and_is_refused_a_bad_token(app: TestApp) {
    let (token, _) = app.sign_up("wsclient@example.com").await;
    let url = format!("{}/graphql/ws", app.address.replace("http://", "ws://"));
    let messages = node("ws_client.mjs", &[&url, &token, "{ me { email } }", "{}"]).await;
    assert!(
        messages.contains(&json!({"next": {"data": {"me": {"email": "wsclient@example.com"}}}})),
        "{messages:?}"
    );
    assert!(messages.contains(&json!({"done": true})), "{messages:?}");
    let refused = node(
        "ws_client.mjs",
        &[&url, "lds_forged", "{ me { email } }", "{}"],
    )
    .await;
    assert!(
        refused.contains(&json!({"closed": 4403})),
        "a forged token is closed with 4403: {refused:?}"
    );
    assert!(
        !refused.iter().any(|m| m.get("next").is_some()),
        "{refused:?}"
    );
}
on_both_backends!(the_graphql_ws_reference_client_runs_operations_and_is_refused_a_bad_token);
