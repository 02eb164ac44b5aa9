//! Larder as its keeper watches it: processes started together on one empty PostgreSQL
//! database migrate once; metrics on their own listener, labelled by route pattern and root
//! field; a request id from the client carried through the logs and returned; scheduled
//! backups that keep the newest.

use std::process::{Child, Stdio};
use std::time::Duration;

use serde_json::{Value, json};
use tests::{TestApp, on_both_backends};

use super::larder;

/// `larder serve` on `database_url` with `extra` flags; the child and its URL.
fn serve(database_url: &str, data_dir: &std::path::Path, extra: &[&str]) -> (Child, String) {
    let mut child = larder(&["serve", "--bind", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .args(["--database-url", database_url])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    match tests::served_at(&mut child) {
        Ok(url) => (child, url),
        Err(line) => {
            let _ = child.kill();
            let output = child.wait_with_output().unwrap();
            panic!(
                "the server did not start: {line:?} {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
}

/// SIGTERM, and the process gone (killed after 10 s).
fn terminate(child: &mut Child) {
    tests::sigterm(child);
    for _ in 0..200 {
        if child.try_wait().unwrap().is_some() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Two `serve --no-workers` started at the same moment on one empty database: before the
/// schema lock, one died on a duplicate type three tries out of three.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn processes_started_together_on_an_empty_database_migrate_once() {
    for round in 0..3 {
        let name = format!("larder_together_{}", uuid::Uuid::new_v4().simple());
        tests::create_pg_database(&name).await;
        let url = format!("postgres://postgres@127.0.0.1:5432/{name}");
        let dir = tempfile::tempdir().unwrap();
        let starts: Vec<_> = (0..2)
            .map(|_| {
                let (url, dir) = (url.clone(), dir.path().to_path_buf());
                std::thread::spawn(move || serve(&url, &dir, &["--no-workers"]))
            })
            .collect();
        let mut servers = Vec::new();
        for start in starts {
            servers.push(
                start
                    .join()
                    .unwrap_or_else(|_| panic!("round {round}: both processes start")),
            );
        }
        for (_, address) in &servers {
            let health: Value = reqwest::get(format!("{address}health"))
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            assert_eq!(health["status"], "ok");
        }
        for (child, _) in &mut servers {
            terminate(child);
        }
        tests::drop_pg_database(&name).await;
    }
}

async fn scrape(app: &TestApp) -> String {
    reqwest::get(format!(
        "{}/metrics",
        app.metrics_address.as_ref().expect("metrics are served")
    ))
    .await
    .unwrap()
    .text()
    .await
    .unwrap()
}

async fn metrics_are_served_on_their_own_listener_by_route_and_field(app: TestApp) {
    let k = app.kitchen("metrics@ops.test").await;
    app.ok(&k.token, "mutation($i: ID!, $s: ID!) { postReceipt(input: {ingredientId: $i, storageUnitId: $s, quantity: \"3\"}, unitCost: \"2\") { id } }", json!({"i": k.flour, "s": k.unit})).await;
    let refused = app
        .gql(Some("not-a-token"), "{ me { email } }", json!({}))
        .await;
    assert!(refused.get("errors").is_some());
    // A path with an id is counted under its pattern, never as itself.
    let _ = app
        .client
        .post(format!("{}/webhooks/987654", app.address))
        .body("{}")
        .send()
        .await
        .unwrap();
    let text = scrape(&app).await;
    for series in [
        "larder_http_requests_total{route=\"/graphql\",method=\"POST\",status=\"200\"}",
        "larder_http_request_duration_seconds_bucket{route=\"/graphql\",method=\"POST\"",
        "larder_graphql_operations_total{operation=\"postReceipt\",outcome=\"ok\"}",
        "larder_graphql_operations_total{operation=\"me\",outcome=\"UNAUTHENTICATED\"}",
        "route=\"/webhooks/{integration_id}\"",
        "larder_ledger_entries_posted_total",
        "larder_db_pool_connections{state=\"idle\"}",
        "larder_sqlite_write_queue_depth",
    ] {
        assert!(text.contains(series), "{series} in\n{text}");
    }
    assert!(!text.contains("987654"), "no raw path becomes a label");
    let posted: f64 = text
        .lines()
        .find(|l| l.starts_with("larder_ledger_entries_posted_total "))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
        .unwrap();
    assert!(posted >= 1.0);
    // The API's own port does not serve them.
    let on_api = app
        .client
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!on_api.contains("larder_http_requests_total"));
}

on_both_backends!(
    metrics_are_served_on_their_own_listener_by_route_and_field,
    metrics_are_served_on_their_own_listener_by_route_and_field,
    |s| s.metrics_bind = Some("127.0.0.1:0".parse().unwrap())
);

async fn a_clients_request_id_is_honoured_and_returned(app: TestApp) {
    let sent = app
        .client
        .get(format!("{}/health", app.address))
        .header("X-Request-Id", "till-7f3a-0001")
        .send()
        .await
        .unwrap();
    assert_eq!(sent.headers()["x-request-id"], "till-7f3a-0001");
    // One the server would not log (too long, or with a line break) is replaced by its own.
    for bad in ["x".repeat(300), "two\twords".to_string()] {
        let replaced = app
            .client
            .post(format!("{}/graphql", app.address))
            .header("X-Request-Id", bad.as_str())
            .json(&json!({"query": "{ __typename }"}))
            .send()
            .await
            .unwrap();
        let id = replaced.headers()["x-request-id"]
            .to_str()
            .unwrap()
            .to_string();
        assert_ne!(id, bad);
        assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id}");
    }
    let fresh = app
        .client
        .get(format!("{}/health", app.address))
        .send()
        .await
        .unwrap();
    assert!(fresh.headers().contains_key("x-request-id"));
}

on_both_backends!(a_clients_request_id_is_honoured_and_returned);

/// `--log-format json`: one object a line; the access line and the lines written inside a
/// request carry its id.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_logs_carry_the_request_id() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("larder.sqlite").display()
    );
    let (mut child, address) = serve(&url, dir.path(), &["--log-format", "json"]);
    let client = reqwest::Client::new();
    // A failed sign-up for a taken e-mail logs inside the request (the unique guard's line).
    for _ in 0..2 {
        client
            .post(format!("{address}graphql"))
            .header("X-Request-Id", "json-log-42")
            .json(&json!({"query": "mutation { signUp(input: {email: \"log@ops.test\", password: \"correct horse battery\", name: \"A\", companyName: \"B\", timezone: \"UTC\", currency: \"EUR\"}) { token } }"}))
            .send()
            .await
            .unwrap();
    }
    terminate(&mut child);
    let output = child.wait_with_output().unwrap();
    let lines: Vec<Value> = String::from_utf8_lossy(&output.stderr)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l:?} is not JSON: {e}")))
        .collect();
    let access: Vec<&Value> = lines
        .iter()
        .filter(|l| {
            l["fields"]["message"] == "request" && l["fields"]["request_id"] == "json-log-42"
        })
        .collect();
    assert_eq!(access.len(), 2, "one access line a request");
    assert_eq!(access[0]["fields"]["http.route"], "/graphql");
    let inside: Vec<&Value> = lines
        .iter()
        .filter(|l| {
            l["spans"]
                .as_array()
                .is_some_and(|s| s.iter().any(|s| s["name"] == "HTTP request"))
        })
        .collect();
    assert!(!inside.is_empty(), "lines written inside a request");
    for line in inside {
        let ids: Vec<&Value> = line["spans"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s.get("request_id"))
            .collect();
        assert_eq!(ids, vec![&json!("json-log-42")], "{line}");
    }
}

async fn scheduled_backups_keep_the_newest(app: TestApp) {
    app.kitchen("schedule@ops.test").await;
    let folder = app.data_dir.join("backups");
    let archives = || -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&folder)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.ends_with(".tar.gz"))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    };
    // Every ~1.1 s, keeping two: after a few periods, two archives remain.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let mut seen = std::collections::BTreeSet::new();
    while seen.len() < 3 && tokio::time::Instant::now() < deadline {
        seen.extend(archives());
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(seen.len() >= 3, "backups are taken on schedule: {seen:?}");
    assert!(
        archives().len() <= 2,
        "only the newest two are kept: {:?}",
        archives()
    );
    let health: Value = app
        .client
        .get(format!("{}/health", app.address))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(health["backup"]["lastSuccessAt"].is_string(), "{health}");
}

on_both_backends!(
    scheduled_backups_keep_the_newest,
    scheduled_backups_keep_the_newest,
    |s| {
        s.backup_dir = Some(s.data_dir.join("backups"));
        s.backup_every = 0.0003;
        s.backup_keep = 2;
    }
);
