//! Service errors → GraphQL errors: `extensions.code` is one of UNAUTHENTICATED, FORBIDDEN,
//! NOT_FOUND, VALIDATION, CONFLICT, RATE_LIMITED (with extensions.retryAfterSeconds), POS_UNAVAILABLE
//! (a POS refused or failed), INTERNAL; `extensions.field` names the input at fault.

use async_graphql::ErrorExtensions;
use service::ServiceError;

/// The stable code of a service error and the message a client may see: the cause of an
/// internal failure goes to the log, not to the client. GraphQL and the plain HTTP endpoints
/// answer alike.
pub fn code_and_message(err: &ServiceError) -> (&'static str, String) {
    let code = match err {
        ServiceError::Unauthenticated(_) | ServiceError::LockedOut { .. } => "UNAUTHENTICATED",
        // A clash with another writer that escaped the service's retries: try again shortly.
        ServiceError::RateLimited { .. } | ServiceError::Contended(_) => "RATE_LIMITED",
        ServiceError::Forbidden(_) => "FORBIDDEN",
        ServiceError::NotFound { .. } => "NOT_FOUND",
        ServiceError::Validation { .. } | ServiceError::TooLarge { .. } => "VALIDATION",
        ServiceError::Conflict { .. } => "CONFLICT",
        ServiceError::Provider { .. } => "POS_UNAVAILABLE",
        ServiceError::Database(_) | ServiceError::Internal(_) => "INTERNAL",
    };
    let message = if code == "INTERNAL" {
        tracing::error!(error = %err, "request failed");
        "something went wrong on the server; it was logged".to_string()
    } else {
        err.to_string()
    };
    (code, message)
}

/// The HTTP status of a service error, for the plain HTTP endpoints.
pub fn http_status(e: &ServiceError) -> actix_web::http::StatusCode {
    use actix_web::http::StatusCode;
    match e {
        ServiceError::Unauthenticated(_) | ServiceError::LockedOut { .. } => {
            StatusCode::UNAUTHORIZED
        }
        ServiceError::RateLimited { .. } | ServiceError::Contended(_) => {
            StatusCode::TOO_MANY_REQUESTS
        }
        ServiceError::Forbidden(_) => StatusCode::FORBIDDEN,
        ServiceError::NotFound { .. } => StatusCode::NOT_FOUND,
        ServiceError::Validation { .. } => StatusCode::BAD_REQUEST,
        ServiceError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        ServiceError::Conflict { .. } => StatusCode::CONFLICT,
        ServiceError::Provider { .. } => StatusCode::BAD_GATEWAY,
        ServiceError::Database(_) | ServiceError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The same error for the plain HTTP endpoints (CSV upload and export, webhooks): a status and
/// `{"error": {code, message, field}}`.
pub fn http_error(e: &ServiceError) -> actix_web::HttpResponse {
    let (code, message) = code_and_message(e);
    let code = match e {
        ServiceError::TooLarge { .. } => "PAYLOAD_TOO_LARGE",
        _ => code,
    };
    let mut response = actix_web::HttpResponse::build(http_status(e));
    if let Some(seconds) = retry_after(e) {
        response.insert_header(("Retry-After", seconds.to_string()));
    }
    response.json(serde_json::json!({
        "error": { "code": code, "message": message, "field": e.field() }
    }))
}

/// When a refused caller may try again: a lockout, a limit, a clash that escaped the retries.
fn retry_after(e: &ServiceError) -> Option<i64> {
    match e {
        ServiceError::LockedOut {
            retry_after_seconds,
        }
        | ServiceError::RateLimited {
            retry_after_seconds,
            ..
        } => Some(*retry_after_seconds),
        ServiceError::Contended(_) => Some(1),
        _ => None,
    }
}

pub fn to_graphql(err: ServiceError) -> async_graphql::Error {
    let (code, message) = code_and_message(&err);
    let field = err.field().map(str::to_string);
    let retry_after = retry_after(&err);
    async_graphql::Error::new(message).extend_with(|_, e| {
        e.set("code", code);
        if let Some(field) = &field {
            e.set("field", field.as_str());
        }
        if let Some(seconds) = retry_after {
            e.set("retryAfterSeconds", seconds);
        }
    })
}

/// `.gql()?` turns a service result into a GraphQL one with the error's code kept.
pub trait GqlResult<T> {
    fn gql(self) -> async_graphql::Result<T>;
}

impl<T> GqlResult<T> for Result<T, ServiceError> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(to_graphql)
    }
}

pub fn unauthenticated() -> async_graphql::Error {
    to_graphql(ServiceError::Unauthenticated(
        "sign in first: send Authorization: Bearer <token>".into(),
    ))
}

/// A failure the caller cannot fix (a loader's database error): logged, shown as INTERNAL.
pub fn internal<E: std::fmt::Display>(e: E) -> async_graphql::Error {
    to_graphql(ServiceError::Internal(e.to_string()))
}
