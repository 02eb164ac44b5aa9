//! GraphQL over WebSocket, the `graphql-transport-ws` protocol (PROTOCOL.md of graphql-ws),
//! served by Larder itself so that every rule of the protocol and of access holds:
//! * `connection_init` must come within [`INIT_TIMEOUT`] (else 4408), once (else 4429), with a
//!   token that is valid now (else 4403, and no `connection_ack`);
//! * `subscribe` before the ack closes with 4401, a second one with a running id with 4409, a
//!   message that is not the protocol's with 4400;
//! * the caller is authenticated afresh for every operation, and every
//!   [`recheck`](crate::graphql::context::AppSettings::socket_recheck) while operations run: a
//!   session that ended, a token revoked, or access that changed (removed, demoted) closes the
//!   socket with 4403 — an open socket keeps no one's old rights;
//! * a socket runs at most [`MAX_OPERATIONS`] operations at once; a query or mutation on it
//!   has the same time limit as over HTTP (TIMEOUT), and one that panics answers INTERNAL;
//! * one client address has at most `--sockets-per-address` sockets open (429 at the handshake).

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::time::Duration;

use actix_web::{HttpRequest, HttpResponse, web};
use actix_ws::{CloseCode, CloseReason, Message, Session};
use futures::StreamExt;
use sea_orm::DatabaseConnection;
use serde_json::{Value, json};
use service::access::Principal;

use crate::graphql::context::AppSettings;
use crate::graphql::loaders::Loaders;
use crate::graphql::{LarderSchema, RequestContext};
use crate::graphql_http;
use crate::routes::request_context;

pub const PROTOCOL: &str = "graphql-transport-ws";
/// How long a client has to send `connection_init`.
pub const INIT_TIMEOUT: Duration = Duration::from_secs(10);
/// Operations one socket may run at once.
pub const MAX_OPERATIONS: usize = 16;
/// Largest message a client may send.
const MAX_MESSAGE_BYTES: usize = 256 * 1024;

pub async fn graphql_ws(
    schema: web::Data<LarderSchema>,
    db: web::Data<DatabaseConnection>,
    settings: web::Data<AppSettings>,
    req: HttpRequest,
    payload: web::Payload,
) -> actix_web::Result<HttpResponse> {
    let client = req.peer_addr().map(|a| a.ip());
    let slot = match settings.in_flight.sockets.enter(client) {
        Ok(slot) => slot,
        Err(refused) => return Ok(crate::graphql_http::busy(refused)),
    };
    let (response, session, messages) =
        actix_ws::handle_with_protocols(&req, payload, &[PROTOCOL])?;
    let socket = Socket {
        schema: LarderSchema::clone(&schema),
        db: db.get_ref().clone(),
        callers: settings.callers.clone(),
        session,
        client,
        _slot: slot,
        token: None,
        principal: None,
        operations: HashMap::new(),
        recheck: settings.socket_recheck,
        request_timeout: settings.request_timeout,
    };
    actix_web::rt::spawn(socket.run(messages.max_frame_size(MAX_MESSAGE_BYTES)));
    Ok(response)
}

struct Socket {
    schema: LarderSchema,
    db: DatabaseConnection,
    callers: std::sync::Arc<service::principal_cache::PrincipalCache>,
    session: Session,
    client: Option<std::net::IpAddr>,
    /// The socket's place among its address's open sockets, given back when it closes.
    _slot: Option<crate::rate_limit::Slot>,
    token: Option<String>,
    /// Set by an accepted `connection_init`: the socket is acknowledged.
    principal: Option<Principal>,
    operations: HashMap<String, tokio::task::JoinHandle<()>>,
    recheck: Duration,
    /// How long a query or mutation may run, as over HTTP; a subscription has no limit.
    request_timeout: Duration,
}

/// Why the socket closes: a protocol close code and its reason.
struct Close(u16, String);

impl Socket {
    async fn run(mut self, mut messages: actix_ws::MessageStream) {
        let (done_tx, mut done_rx) = tokio::sync::mpsc::unbounded_channel::<String>();
        let init_deadline = tokio::time::sleep(INIT_TIMEOUT);
        tokio::pin!(init_deadline);
        let mut recheck = tokio::time::interval(self.recheck);
        // Ticks missed while no operation ran are not made up in a burst.
        recheck.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        recheck.tick().await;
        let mut init_seen = false;
        let close = loop {
            tokio::select! {
                _ = &mut init_deadline, if !init_seen => {
                    break Some(Close(4408, "Connection initialisation timeout".into()));
                }
                _ = recheck.tick(), if self.principal.is_some() && !self.operations.is_empty() => {
                    if let Err(close) = self.reauthenticate().await {
                        break Some(close);
                    }
                }
                Some(id) = done_rx.recv() => {
                    self.operations.remove(&id);
                }
                message = messages.next() => match message {
                    None | Some(Err(_)) | Some(Ok(Message::Close(_))) => break None,
                    Some(Ok(Message::Ping(bytes))) => {
                        let _ = self.session.pong(&bytes).await;
                    }
                    Some(Ok(Message::Text(text))) => {
                        if let Err(close) = self.handle(&text, &mut init_seen, &done_tx).await {
                            break Some(close);
                        }
                    }
                    Some(Ok(Message::Pong(_))) => {}
                    Some(Ok(_)) => break Some(Close(4400, "Only text messages are accepted".into())),
                },
            }
        };
        for (_, task) in self.operations.drain() {
            task.abort();
        }
        if let Some(Close(code, reason)) = close {
            let _ = self
                .session
                .close(Some(CloseReason {
                    code: CloseCode::Other(code),
                    description: Some(reason),
                }))
                .await;
        } else {
            let _ = self.session.close(None).await;
        }
    }

    async fn handle(
        &mut self,
        text: &str,
        init_seen: &mut bool,
        done: &tokio::sync::mpsc::UnboundedSender<String>,
    ) -> Result<(), Close> {
        let invalid = |why: &str| Close(4400, format!("Invalid message: {why}"));
        let message: Value =
            serde_json::from_str(text).map_err(|_| invalid("not a JSON object"))?;
        let kind = message
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid("no type"))?;
        match kind {
            "connection_init" => {
                if *init_seen {
                    return Err(Close(4429, "Too many initialisation requests".into()));
                }
                *init_seen = true;
                self.token = message.get("payload").and_then(token_of);
                let principal = self.authenticate().await?;
                self.principal = Some(principal);
                self.send(json!({"type": "connection_ack"})).await;
                Ok(())
            }
            "ping" => {
                self.send(json!({"type": "pong"})).await;
                Ok(())
            }
            "pong" => Ok(()),
            "subscribe" => {
                if self.principal.is_none() {
                    return Err(Close(4401, "Unauthorized".into()));
                }
                let id = message
                    .get("id")
                    .and_then(Value::as_str)
                    .filter(|id| !id.is_empty() && id.len() <= 128)
                    .ok_or_else(|| invalid("subscribe needs an id"))?
                    .to_string();
                let mut request: async_graphql::Request = message
                    .get("payload")
                    .cloned()
                    .and_then(|p| serde_json::from_value(p).ok())
                    .ok_or_else(|| invalid("subscribe needs a payload with a query"))?;
                if self.operations.contains_key(&id) {
                    return Err(Close(4409, format!("Subscriber for {id} already exists")));
                }
                if self.operations.len() >= MAX_OPERATIONS {
                    self.send(json!({"type": "error", "id": id, "payload": [{
                        "message": format!("a socket runs at most {MAX_OPERATIONS} operations at once"),
                        "extensions": {"code": "RATE_LIMITED"},
                    }]}))
                    .await;
                    return Ok(());
                }
                if let Err(refused) = crate::graphql::shape::check_request(&mut request) {
                    self.send(json!({"type": "error", "id": id, "payload": [refused]}))
                        .await;
                    return Ok(());
                }
                // Every operation runs as the caller is now, not as they were at init.
                let principal = self.reauthenticate().await?;
                let limit = (!crate::graphql::shape::is_subscription(&mut request))
                    .then_some(self.request_timeout);
                self.start(id, request, principal, limit, done.clone());
                Ok(())
            }
            "complete" => {
                if let Some(task) = message
                    .get("id")
                    .and_then(Value::as_str)
                    .and_then(|id| self.operations.remove(id))
                {
                    task.abort();
                }
                Ok(())
            }
            _ => Err(invalid("unknown type")),
        }
    }

    /// The caller as the token says now; a missing or refused token closes with 4403.
    async fn authenticate(&self) -> Result<Principal, Close> {
        let context = request_context(&self.db, &self.callers, self.token.clone()).await;
        match context.principal {
            Some(Ok(principal)) => Ok(principal),
            Some(Err(why)) => Err(Close(4403, format!("Forbidden: {why}"))),
            None => Err(Close(
                4403,
                "Forbidden: send a token in connection_init".into(),
            )),
        }
    }

    /// Authenticates again; access that changed since the last check ends the socket.
    async fn reauthenticate(&mut self) -> Result<Principal, Close> {
        let now = self.authenticate().await?;
        if self.principal.as_ref() != Some(&now) {
            return Err(Close(
                4403,
                "Forbidden: your access changed; connect again".into(),
            ));
        }
        Ok(now)
    }

    /// Runs one operation as `principal` (just checked), its messages sent as they come; a
    /// query or mutation within `limit` (then TIMEOUT), and a panic answered as INTERNAL.
    fn start(
        &mut self,
        id: String,
        request: async_graphql::Request,
        principal: Principal,
        limit: Option<Duration>,
        done: tokio::sync::mpsc::UnboundedSender<String>,
    ) {
        let context = RequestContext {
            token: self.token.clone(),
            principal: Some(Ok(principal)),
            client: self.client,
        };
        let request = request.data(context).data(Loaders::new(&self.db));
        let mut stream = AssertUnwindSafe(self.schema.execute_stream(request)).catch_unwind();
        let deadline = limit.map(|l| tokio::time::Instant::now() + l);
        let mut session = self.session.clone();
        let task_id = id.clone();
        let task = actix_web::rt::spawn(async move {
            let mut request_error = false;
            loop {
                let next = match deadline {
                    Some(at) => tokio::time::timeout_at(at, stream.next()).await,
                    None => Ok(stream.next().await),
                };
                let (response, last) = match next {
                    Ok(None) => break,
                    Ok(Some(Ok(response))) => (response, false),
                    Ok(Some(Err(panic))) => (graphql_http::after_panic(panic.as_ref()), true),
                    Err(_) => (graphql_http::timed_out(limit.unwrap_or_default()), true),
                };
                // Nothing ran (parse or validation errors): an `error` message, no `complete`.
                if !last && graphql_http::is_request_error(&response) {
                    let message =
                        json!({"type": "error", "id": task_id, "payload": response.errors});
                    let _ = session.text(message.to_string()).await;
                    request_error = true;
                    break;
                }
                let message = json!({"type": "next", "id": task_id, "payload": response});
                if session.text(message.to_string()).await.is_err() {
                    return;
                }
                if last {
                    break;
                }
            }
            if !request_error {
                let message = json!({"type": "complete", "id": task_id});
                let _ = session.text(message.to_string()).await;
            }
            let _ = done.send(task_id);
        });
        self.operations.insert(id, task);
    }

    async fn send(&mut self, message: Value) {
        let _ = self.session.text(message.to_string()).await;
    }
}

/// The token of a `connection_init` payload: `{"authorization": "Bearer …"}` or `{"token": …}`.
fn token_of(payload: &Value) -> Option<String> {
    payload
        .get("authorization")
        .or_else(|| payload.get("Authorization"))
        .and_then(Value::as_str)
        .map(|v| v.trim_start_matches("Bearer ").trim().to_string())
        .or_else(|| {
            payload
                .get("token")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .filter(|t| !t.is_empty())
}
