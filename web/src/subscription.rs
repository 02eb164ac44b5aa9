//! GraphQL subscriptions from the browser over `graphql-transport-ws` at `/graphql/ws`: the
//! session token goes in `connection_init`, each `next` payload's data to the caller. A page
//! that cannot keep a socket open (a proxy that refuses upgrades) polls instead; the caller
//! learns that from the `Err`.

use futures::future::Either;
use futures::{SinkExt, StreamExt};
use gloo_net::websocket::{Message, futures::WebSocket};
use serde_json::{Value, json};

const PROTOCOL: &str = "graphql-transport-ws";

/// How long the server may take to accept the connection before the caller is told to poll
/// (a proxy that accepts the upgrade but holds the frames back would freeze a bar otherwise).
const ACK_TIMEOUT_MS: i32 = 5_000;

/// Why a subscription ended before the server completed it.
#[derive(Debug)]
pub enum Interrupted {
    /// The socket could not be opened, was not accepted in time, or closed early.
    Socket(String),
    /// The server refused the operation (its GraphQL errors).
    Refused(String),
    /// A pushed value the caller could not read.
    Unreadable(String),
}

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Socket(why) => write!(f, "socket: {why}"),
            Self::Refused(why) => write!(f, "refused: {why}"),
            Self::Unreadable(why) => write!(f, "unreadable: {why}"),
        }
    }
}

/// What the caller wants after a pushed value.
pub enum Next {
    Continue,
    Stop,
    /// The value made no sense to it (ends the subscription as [`Interrupted::Unreadable`]).
    Unreadable(String),
}

fn endpoint() -> Option<String> {
    let location = web_sys::window()?.location();
    let scheme = if location.protocol().ok()? == "https:" {
        "wss"
    } else {
        "ws"
    };
    Some(format!("{scheme}://{}/graphql/ws", location.host().ok()?))
}

fn frame_type(text: &str) -> Option<String> {
    serde_json::from_str::<Value>(text)
        .ok()?
        .get("type")?
        .as_str()
        .map(str::to_string)
}

async fn send(ws: &mut WebSocket, message: Value) -> Result<(), Interrupted> {
    ws.send(Message::Text(message.to_string()))
        .await
        .map_err(|e| Interrupted::Socket(e.to_string()))
}

/// Sends `connection_init` and waits (a bounded time) for `connection_ack`.
async fn open(url: &str) -> Result<WebSocket, Interrupted> {
    let mut ws = WebSocket::open_with_protocol(url, PROTOCOL)
        .map_err(|e| Interrupted::Socket(e.to_string()))?;
    let init = match crate::api::token() {
        Some(token) => json!({"type": "connection_init", "payload": {"token": token}}),
        None => json!({"type": "connection_init", "payload": {}}),
    };
    send(&mut ws, init).await?;
    let acknowledged = {
        let ack = async {
            while let Some(message) = ws.next().await {
                match message {
                    Ok(Message::Text(text))
                        if frame_type(&text).as_deref() == Some("connection_ack") =>
                    {
                        return Ok(());
                    }
                    Ok(_) => {}
                    Err(e) => return Err(Interrupted::Socket(e.to_string())),
                }
            }
            Err(Interrupted::Socket(
                "closed before accepting the connection".into(),
            ))
        };
        let timeout = crate::api::sleep(ACK_TIMEOUT_MS);
        futures::pin_mut!(ack, timeout);
        match futures::future::select(ack, timeout).await {
            Either::Left((outcome, _)) => outcome,
            Either::Right(_) => Err(Interrupted::Socket(format!(
                "the connection was not accepted within {ACK_TIMEOUT_MS} ms"
            ))),
        }
    };
    acknowledged.map(|()| ws)
}

/// Runs `query` as a subscription, handing each pushed `data` to `on_next` until the server
/// completes it (`Ok`) or `on_next` says stop (`Ok`; the socket is closed by dropping it, as it
/// is when the caller drops this future).
pub async fn subscribe(
    query: &str,
    variables: Value,
    mut on_next: impl FnMut(Value) -> Next,
) -> Result<(), Interrupted> {
    let url = endpoint().ok_or_else(|| Interrupted::Socket("no window location".into()))?;
    let mut ws = open(&url).await?;
    send(
        &mut ws,
        json!({"id": "1", "type": "subscribe", "payload": {"query": query, "variables": variables}}),
    )
    .await?;
    while let Some(message) = ws.next().await {
        let text = match message {
            Ok(Message::Text(text)) => text,
            Ok(Message::Bytes(_)) => continue,
            Err(e) => return Err(Interrupted::Socket(e.to_string())),
        };
        let Ok(frame) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        match frame["type"].as_str() {
            Some("ping") => send(&mut ws, json!({"type": "pong"})).await?,
            Some("next") => {
                let payload = &frame["payload"];
                if let Some(errors) = payload["errors"].as_array().filter(|e| !e.is_empty()) {
                    let message = errors[0]["message"].as_str().unwrap_or("refused");
                    return Err(Interrupted::Refused(message.to_string()));
                }
                match on_next(payload["data"].clone()) {
                    Next::Continue => {}
                    Next::Stop => return Ok(()),
                    Next::Unreadable(why) => return Err(Interrupted::Unreadable(why)),
                }
            }
            Some("error") => {
                let message = frame["payload"][0]["message"].as_str().unwrap_or("refused");
                return Err(Interrupted::Refused(message.to_string()));
            }
            Some("complete") => return Ok(()),
            _ => {}
        }
    }
    Err(Interrupted::Socket(
        "the server closed the connection".into(),
    ))
}
