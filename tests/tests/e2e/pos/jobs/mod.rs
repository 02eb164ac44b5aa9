//! Jobs around the pipeline: webhooks, progress over subscriptions, cancelling, pausing and the
//! automatic transfer, and workers in other processes (crash recovery, two workers at once).

mod isolation;
mod lifecycle;
mod webhooks;
mod workers;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tests::pos::{days_ago, sales_csv, send_webhook};
use tests::{Backend, TestApp, error_code, larder_binary, on_both_backends};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

async fn secret(app: &TestApp, token: &str, integration: &str) -> String {
    let r = app
        .ok(
            token,
            "query($i: ID!) { webhookSecret(integrationId: $i) }",
            json!({"i": integration}),
        )
        .await;
    r["webhookSecret"].as_str().unwrap().to_string()
}

async fn job_count(app: &TestApp, token: &str, company: &str) -> usize {
    let r = app
        .ok(
            token,
            "query($c: ID!) { jobs(companyId: $c, first: 500) { id } }",
            json!({"c": company}),
        )
        .await;
    r["jobs"].as_array().unwrap().len()
}
