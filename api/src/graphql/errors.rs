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
        ServiceError::Validation { .. } => "VALIDATION",
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

/// The same error for the plain HTTP endpoints (CSV upload and export, webhooks): a status and
/// `{"error": {code, message, field}}`.
pub fn http_error(e: ServiceError) -> actix_web::HttpResponse {
    use actix_web::http::StatusCode;
    let (code, message) = code_and_message(&e);
    let status = match code {
        "UNAUTHENTICATED" => StatusCode::UNAUTHORIZED,
        "FORBIDDEN" => StatusCode::FORBIDDEN,
        "NOT_FOUND" => StatusCode::NOT_FOUND,
        "VALIDATION" => StatusCode::BAD_REQUEST,
        "CONFLICT" => StatusCode::CONFLICT,
        "POS_UNAVAILABLE" => StatusCode::BAD_GATEWAY,
        "RATE_LIMITED" => StatusCode::TOO_MANY_REQUESTS,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let mut response = actix_web::HttpResponse::build(status);
    if let ServiceError::RateLimited {
        retry_after_seconds,
        ..
    }
    | ServiceError::LockedOut {
        retry_after_seconds,
    } = &e
    {
        response.insert_header(("Retry-After", retry_after_seconds.to_string()));
    } else if let ServiceError::Contended(_) = &e {
        response.insert_header(("Retry-After", "1"));
    }
    response.json(serde_json::json!({
        "error": { "code": code, "message": message, "field": e.field() }
    }))
}

pub fn to_graphql(err: ServiceError) -> async_graphql::Error {
    let (code, message) = code_and_message(&err);
    let field = err.field().map(str::to_string);
    let retry_after = match &err {
        ServiceError::LockedOut {
            retry_after_seconds,
        }
        | ServiceError::RateLimited {
            retry_after_seconds,
            ..
        } => Some(*retry_after_seconds),
        ServiceError::Contended(_) => Some(1),
        _ => None,
    };
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
