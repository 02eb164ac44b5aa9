//! Every HTTP request, seen from outside, inside its root span: its request id (the client's
//! `X-Request-Id` when it sends a short printable one, else a new one) returned in the
//! response; one access line (method, route, status, duration) that carries the id like every
//! other line of the request; and the request metrics by route pattern — never the raw path,
//! so a client cannot grow the labels.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
/// Longest request id taken from a client.
const MAX_ID: usize = 128;

/// The request's id as the root span chose it ([`crate::request_span`]), in its extensions.
#[derive(Debug, Clone)]
pub struct ChosenRequestId(pub String);

/// A client's id when it is short and printable ASCII without spaces; `None` otherwise.
pub fn accepted_id(sent: &str) -> Option<&str> {
    (!sent.is_empty() && sent.len() <= MAX_ID && sent.bytes().all(|b| b.is_ascii_graphic()))
        .then_some(sent)
}

pub async fn observe(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = request
        .extensions()
        .get::<ChosenRequestId>()
        .map(|id| id.0.clone())
        .unwrap_or_default();
    let method = request.method().to_string();
    let started = Instant::now();
    let outcome = next.call(request).await;
    let seconds = started.elapsed().as_secs_f64();
    let (route, status) = match &outcome {
        Ok(response) => (
            response
                .request()
                .match_pattern()
                .unwrap_or_else(|| "unmatched".into()),
            response.status().as_u16(),
        ),
        Err(e) => (
            "unmatched".into(),
            e.as_response_error().status_code().as_u16(),
        ),
    };
    crate::metrics::http_request(&route, &method, status, seconds);
    tracing::info!(
        request_id = %id,
        http.method = %method,
        http.route = %route,
        http.status_code = status,
        duration_ms = (seconds * 1000.0).round() as u64,
        "request"
    );
    let mut response = outcome?;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::accepted_id;

    #[test]
    fn a_clients_request_id_is_taken_only_when_short_and_printable() {
        assert_eq!(accepted_id("abc-123_X.9"), Some("abc-123_X.9"));
        assert_eq!(accepted_id(""), None);
        assert_eq!(accepted_id("has space"), None);
        assert_eq!(accepted_id("new\nline"), None);
        assert_eq!(accepted_id(&"x".repeat(129)), None);
        assert!(accepted_id(&"x".repeat(128)).is_some());
    }
}
