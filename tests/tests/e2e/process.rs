//! The `larder` binary as an operator runs it: `larder schema`, and `larder serve` answering,
//! then shutting down cleanly on SIGTERM; the subscription socket's handshake.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tests::{Backend, TestApp, on_both_backends};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

fn larder() -> PathBuf {
    tests::larder_binary()
}

#[test]
fn schema_command_prints_the_sdl() {
    let out = Command::new(larder()).arg("schema").output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), api::graphql::sdl());
}

async fn serve_and_stop(backend: Backend) {
    let name = format!("larder_proc_{}", uuid::Uuid::new_v4().simple());
    let dir = std::env::temp_dir().join(&name);
    let mut command = Command::new(larder());
    command
        .args(["serve", "--bind", "127.0.0.1:0", "--data-dir"])
        .arg(&dir)
        .env_remove("DATABASE_URL");
    if backend == Backend::Postgres {
        tests::create_pg_database(&name).await;
        command.env(
            "DATABASE_URL",
            format!("postgres://postgres@127.0.0.1:5432/{name}"),
        );
    }
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let url = tests::served_at(&mut child)
        .unwrap_or_else(|line| panic!("unexpected first line {line:?}"));

    let health: Value = reqwest::get(format!("{url}health"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");
    if backend == Backend::Sqlite {
        assert!(
            dir.join("larder.sqlite").exists(),
            "the SQLite file lives in the data dir"
        );
    }

    tests::sigterm(&child);
    let mut status = None;
    for _ in 0..150 {
        if let Some(s) = child.try_wait().unwrap() {
            status = Some(s);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let status = status.unwrap_or_else(|| {
        let _ = child.kill();
        panic!("larder did not stop within 15 s of SIGTERM");
    });
    assert!(status.success(), "graceful shutdown exits 0, got {status}");
    assert!(
        reqwest::get(format!("{url}health")).await.is_err(),
        "nothing listens after shutdown"
    );
    let _ = std::fs::remove_dir_all(dir);
    if backend == Backend::Postgres {
        tests::drop_pg_database(&name).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_stops_gracefully_on_sigterm_sqlite() {
    serve_and_stop(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_stops_gracefully_on_sigterm_postgres() {
    serve_and_stop(Backend::Postgres).await;
}

async fn websocket(app: TestApp) {
    let (token, _) = app.sign_up("ws@example.com").await;
    let url = format!("{}/graphql/ws", app.address.replace("http://", "ws://"));
    let mut request = url.into_client_request().unwrap();
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (mut socket, response) = tokio_tungstenite::connect_async(request)
        .await
        .expect("the socket upgrades");
    assert_eq!(
        response.headers()["sec-websocket-protocol"],
        "graphql-transport-ws"
    );
    socket
        .send(Message::Text(json!({"type": "connection_init", "payload": {"authorization": format!("Bearer {token}")}}).to_string().into()))
        .await
        .unwrap();
    let ack = tokio::time::timeout(Duration::from_secs(10), socket.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let ack: Value = serde_json::from_str(ack.to_text().unwrap()).unwrap();
    assert_eq!(ack["type"], "connection_ack");
    // A query over the socket runs with the caller from connection_init.
    socket
        .send(Message::Text(
            json!({"id": "1", "type": "subscribe", "payload": {"query": "{ me { email } }"}})
                .to_string()
                .into(),
        ))
        .await
        .unwrap();
    let next = tokio::time::timeout(Duration::from_secs(10), socket.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let next: Value = serde_json::from_str(next.to_text().unwrap()).unwrap();
    assert_eq!(next["type"], "next", "{next}");
    assert_eq!(next["payload"]["data"]["me"]["email"], "ws@example.com");
}
on_both_backends!(websocket_handshake_and_auth, websocket);
