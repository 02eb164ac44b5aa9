//! GraphQL over HTTP as the spec (graphql-over-http) says, within limits:
//! * a body is read only within its size and idle limits ([`crate::body`]); a multipart body
//!   (a file upload) only from an authenticated caller, who is checked before it is read;
//! * only `application/json` and `multipart/form-data` bodies are accepted: a `text/plain` or
//!   form-encoded POST, which a browser sends cross-site without a preflight, runs nothing, and a
//!   multipart one carries an `Authorization` header, which forces the preflight;
//! * the answer is `application/graphql-response+json` when the client accepts it (a request
//!   error — nothing executed — is then a 400), else `application/json` with 200;
//! * one request runs at most the configured time, then answers TIMEOUT (its transaction, if
//!   any, is rolled back when the work is dropped); one that panics answers INTERNAL.

use std::panic::AssertUnwindSafe;
use std::time::Duration;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::http::MultipartOptions;
use async_graphql::{BatchRequest, Response, ServerError};
use futures::{FutureExt, StreamExt, TryStreamExt};
use sea_orm::DatabaseConnection;

use crate::body::{self, BodyError, BodyLimits};
use crate::graphql::LarderSchema;
use crate::graphql::context::AppSettings;
use crate::graphql::loaders::Loaders;
use crate::routes::{bearer, request_context};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

pub async fn graphql(
    schema: web::Data<LarderSchema>,
    db: web::Data<DatabaseConnection>,
    settings: web::Data<AppSettings>,
    multipart: web::Data<MultipartOptions>,
    req: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    let client = req.peer_addr().map(|a| a.ip());
    let _slot = match settings.in_flight.requests.enter(client) {
        Ok(slot) => slot,
        Err(refused) => return busy(refused),
    };
    let media = media_type(&req);
    let mut context = request_context(&db, &settings.callers, bearer(&req)).await;
    context.client = client;
    let request = match media.as_deref() {
        Some("application/json") => {
            let limits = BodyLimits {
                max_bytes: settings.graphql_max_body_bytes,
                idle: settings.body_idle,
            };
            match body::read_all(&req, payload, limits).await {
                Ok(bytes) => parse_json(&bytes),
                Err(e) => return actix_web::ResponseError::error_response(&e),
            }
        }
        Some("multipart/form-data") => {
            if !matches!(context.principal, Some(Ok(_))) {
                return refusal(
                    StatusCode::UNAUTHORIZED,
                    "UNAUTHENTICATED",
                    "a file upload needs a signed-in caller: send Authorization: Bearer <token>",
                );
            }
            let limits = BodyLimits {
                // Every file, plus room for the operations and the map.
                max_bytes: settings.csv_max_bytes * multipart.max_num_files.unwrap_or(1) as u64
                    + settings.graphql_max_body_bytes,
                idle: settings.body_idle,
            };
            if let Err(e) = body::check_declared_length(&req, limits) {
                return actix_web::ResponseError::error_response(&e);
            }
            // An upload is also one of the address's running uploads and exports.
            let _file_slot = match settings.in_flight.files.enter(client) {
                Ok(slot) => slot,
                Err(refused) => return busy(refused),
            };
            match receive_multipart(&req, payload, limits, **multipart).await {
                Ok(request) => Ok(request),
                Err(response) => return response,
            }
        }
        None => {
            return refusal(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UNSUPPORTED_MEDIA_TYPE",
                "send the request as Content-Type: application/json",
            );
        }
        Some(other) => {
            return refusal(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UNSUPPORTED_MEDIA_TYPE",
                &format!(
                    "{other} is not accepted: send application/json (or multipart/form-data for an upload)"
                ),
            );
        }
    };
    let wants_graphql_response = accepts_graphql_response(&req);
    let mut request = match request {
        Ok(request) => request,
        Err(message) => return request_error(wants_graphql_response, message),
    };
    if let Err(refused) = crate::graphql::shape::check_request(&mut request) {
        return respond(Response::from_errors(vec![refused]), wants_graphql_response);
    }
    let request = request.data(context).data(Loaders::new(&db));
    // A panic (a bug, never a user's input) is caught here: its transaction is dropped, so
    // rolled back, and the caller gets INTERNAL instead of a dropped connection.
    let execution = AssertUnwindSafe(schema.execute(request)).catch_unwind();
    let response = match tokio::time::timeout(settings.request_timeout, execution).await {
        Ok(Ok(response)) => response,
        // It ran and was stopped: `data: null` with 200, not a request error.
        Ok(Err(panic)) => {
            return respond_stopped(after_panic(panic.as_ref()), wants_graphql_response);
        }
        Err(_) => {
            return respond_stopped(timed_out(settings.request_timeout), wants_graphql_response);
        }
    };
    respond(response, wants_graphql_response)
}

/// The body's media type, lower-cased, without parameters.
fn media_type(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .filter(|v| !v.is_empty())
}

/// One operation: batches are not served (a batch of a hundred logins is a hundred password
/// hashes in one request).
fn parse_json(bytes: &[u8]) -> Result<async_graphql::Request, String> {
    match serde_json::from_slice::<BatchRequest>(bytes) {
        Ok(BatchRequest::Single(request)) => Ok(request),
        Ok(BatchRequest::Batch(_)) => {
            Err("batched requests are not accepted: send one operation per request".into())
        }
        Err(e) => Err(format!("the body is not a GraphQL request: {e}")),
    }
}

async fn receive_multipart(
    req: &HttpRequest,
    payload: web::Payload,
    limits: BodyLimits,
    options: MultipartOptions,
) -> Result<async_graphql::Request, HttpResponse> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    // The payload is not `Send`; the parser wants a `Send` reader: hand chunks over a channel,
    // keeping the first limit error to answer with.
    let (tx, rx) = futures::channel::mpsc::channel::<Result<web::Bytes, std::io::Error>>(16);
    let (error_tx, error_rx) = futures::channel::oneshot::channel::<BodyError>();
    actix_web::rt::spawn(async move {
        let mut tx = tx;
        let mut chunks = body::limited(payload, limits);
        while let Some(chunk) = chunks.next().await {
            let item = match chunk {
                Ok(bytes) => Ok(bytes),
                Err(e) => {
                    let io = std::io::Error::other(e.to_string());
                    let _ = error_tx.send(e);
                    let _ = futures::SinkExt::send(&mut tx, Err(io)).await;
                    return;
                }
            };
            if futures::SinkExt::send(&mut tx, item).await.is_err() {
                return;
            }
        }
    });
    let parsed =
        async_graphql::http::receive_batch_body(content_type, rx.into_async_read(), options).await;
    match parsed {
        Ok(BatchRequest::Single(request)) => Ok(request),
        Ok(BatchRequest::Batch(_)) => Err(refusal(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "batched requests are not accepted: send one operation per request",
        )),
        Err(e) => match error_rx.await {
            Ok(limit) => Err(actix_web::ResponseError::error_response(&limit)),
            Err(_) => Err(refusal(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                &format!("the upload is not a GraphQL multipart request: {e}"),
            )),
        },
    }
}

/// Whether the client asked for `application/graphql-response+json` (it then gets 400 for
/// request errors); a client that accepts anything, names only `application/json`, or sends no
/// `Accept` gets `application/json` with 200, as the spec says until its watershed.
fn accepts_graphql_response(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(',')
        .map(|r| r.split(';').next().unwrap_or("").trim())
        .any(|r| r.eq_ignore_ascii_case(GRAPHQL_RESPONSE))
}

/// A response in which nothing was executed: parse, validation or variable errors (no data and
/// no error on a path). Over HTTP it is a 400; over a socket an `error` message.
pub fn is_request_error(response: &Response) -> bool {
    response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty())
}

fn respond(response: Response, graphql_response: bool) -> HttpResponse {
    let request_error = is_request_error(&response);
    answer(response, graphql_response, request_error)
}

/// The answer to an operation that started and was stopped (time limit, panic).
fn respond_stopped(response: Response, graphql_response: bool) -> HttpResponse {
    answer(response, graphql_response, false)
}

fn answer(response: Response, graphql_response: bool, request_error: bool) -> HttpResponse {
    let (status, content_type) = match (graphql_response, request_error) {
        (true, true) => (StatusCode::BAD_REQUEST, GRAPHQL_RESPONSE),
        (true, false) => (StatusCode::OK, GRAPHQL_RESPONSE),
        (false, _) => (StatusCode::OK, "application/json"),
    };
    let mut builder = HttpResponse::build(status);
    builder.insert_header((
        header::CONTENT_TYPE,
        format!("{content_type}; charset=utf-8"),
    ));
    if response.is_ok()
        && let Some(cache_control) = response.cache_control.value()
    {
        builder.insert_header((header::CACHE_CONTROL, cache_control));
    }
    // A request that did not run has no `data` entry at all (not even null).
    let body = match serde_json::to_value(&response) {
        Ok(mut body) => {
            if request_error && let Some(object) = body.as_object_mut() {
                object.remove("data");
            }
            body
        }
        Err(e) => return HttpResponse::InternalServerError().body(e.to_string()),
    };
    builder.body(body.to_string())
}

fn request_error(graphql_response: bool, message: String) -> HttpResponse {
    let response = failed("BAD_REQUEST", message);
    if graphql_response {
        respond(response, true)
    } else {
        // Without graphql-response+json the spec wants a 4xx for a body that is no request.
        let mut answer = respond(response, false);
        *answer.status_mut() = StatusCode::BAD_REQUEST;
        answer
    }
}

/// What the caller of an operation that panicked is told: INTERNAL, without the panic's text
/// (which goes to the log).
pub(crate) fn after_panic(panic: &(dyn std::any::Any + Send)) -> Response {
    tracing::error!(panic = %service::faults::panic_message(panic), "a GraphQL operation panicked");
    failed(
        "INTERNAL",
        "an internal error stopped the request; nothing it had not finished was kept".into(),
    )
}

pub(crate) fn timed_out(limit: Duration) -> Response {
    failed(
        "TIMEOUT",
        format!(
            "the request took longer than {} seconds and was stopped; a change it had not finished was not kept",
            limit.as_secs()
        ),
    )
}

/// A response with one error at no path and `code`.
fn failed(code: &str, message: String) -> Response {
    let mut error = ServerError::new(message, None);
    error.extensions = Some({
        let mut ext = async_graphql::ErrorExtensionValues::default();
        ext.set("code", code);
        ext
    });
    Response::from_errors(vec![error])
}

/// 429 for an address with its limit of requests running, in GraphQL's error shape.
pub(crate) fn busy(refused: service::ServiceError) -> HttpResponse {
    HttpResponse::TooManyRequests()
        .insert_header((header::RETRY_AFTER, "1"))
        .json(serde_json::json!({
            "errors": [{
                "message": refused.to_string(),
                "extensions": { "code": "RATE_LIMITED", "retryAfterSeconds": 1 }
            }]
        }))
}

fn refusal(status: StatusCode, code: &str, message: &str) -> HttpResponse {
    HttpResponse::build(status).json(serde_json::json!({
        "errors": [{ "message": message, "extensions": { "code": code } }]
    }))
}
