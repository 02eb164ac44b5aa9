//! A graphql-transport-ws client for the socket tests: open, send, and read the next message
//! or the close code.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::TestApp;

/// How long a test waits for the server's next message (a hang guard, not a benchmark).
const PROMPT: Duration = Duration::from_secs(5);

pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub async fn open_socket(app: &TestApp) -> Socket {
    try_open_socket(app)
        .await
        .unwrap_or_else(|status| panic!("the handshake was refused with {status}"))
}

/// The handshake: the socket, or the HTTP status that refused it.
pub async fn try_open_socket(app: &TestApp) -> Result<Socket, u16> {
    let url = format!("{}/graphql/ws", app.address.replace("http://", "ws://"));
    let mut request = url.into_client_request().unwrap();
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    match tokio_tungstenite::connect_async(request).await {
        Ok((socket, _)) => Ok(socket),
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            Err(response.status().as_u16())
        }
        Err(e) => panic!("the handshake failed: {e}"),
    }
}

pub async fn send(socket: &mut Socket, message: Value) {
    socket
        .send(Message::Text(message.to_string().into()))
        .await
        .unwrap();
}

/// The next message: `Ok(json)` for text, `Err(close code)` when the server closes.
pub async fn next(socket: &mut Socket) -> Result<Value, u16> {
    loop {
        let message = tokio::time::timeout(PROMPT, socket.next())
            .await
            .expect("the server says something")
            .expect("the socket is open")
            .expect("a message");
        match message {
            Message::Text(text) => return Ok(serde_json::from_str(&text).unwrap()),
            Message::Close(frame) => return Err(frame.map_or(1005, |f| u16::from(f.code))),
            _ => {}
        }
    }
}

pub fn init(token: &str) -> Value {
    json!({"type": "connection_init", "payload": {"authorization": format!("Bearer {token}")}})
}

/// A socket initialised with `token` and acknowledged.
pub async fn open_acknowledged(app: &TestApp, token: &str) -> Socket {
    let mut socket = open_socket(app).await;
    send(&mut socket, init(token)).await;
    assert_eq!(next(&mut socket).await.unwrap()["type"], "connection_ack");
    socket
}
