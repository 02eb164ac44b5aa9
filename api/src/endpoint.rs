//! What the plain HTTP endpoints (CSV export and upload, webhooks) share: the caller named by
//! the bearer token, as an extractor, and one error type that answers the way GraphQL does
//! (`{"error": {code, message, field}}` with the matching status).

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, web};
use futures::future::LocalBoxFuture;
use sea_orm::DatabaseConnection;
use service::ServiceError;
use service::access::Principal;

use crate::body::BodyError;

/// Why an endpoint refused: a service error, or a body too large, stalled or broken.
#[derive(Debug, thiserror::Error)]
pub enum EndpointError {
    #[error(transparent)]
    Service(#[from] ServiceError),
    #[error(transparent)]
    Body(#[from] BodyError),
}

impl ResponseError for EndpointError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Service(e) => crate::graphql::errors::http_status(e),
            Self::Body(e) => e.status_code(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::Service(e) => crate::graphql::errors::http_error(e),
            Self::Body(e) => e.error_response(),
        }
    }
}

/// A place among the caller's address's running uploads and exports, held until the response
/// is sent; RATE_LIMITED when the address has too many. Put it before [`Caller`] among a
/// handler's arguments: extractors run in order, so a flood is refused before it costs a
/// token lookup.
pub struct FileSlot(pub Option<crate::rate_limit::Slot>);

impl FromRequest for FileSlot {
    type Error = EndpointError;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let slot = match req.app_data::<web::Data<crate::graphql::context::AppSettings>>() {
            Some(settings) => settings
                .in_flight
                .files
                .enter(req.peer_addr().map(|a| a.ip()))
                .map(FileSlot)
                .map_err(EndpointError::from),
            None => Err(ServiceError::Internal("no settings configured".into()).into()),
        };
        std::future::ready(slot)
    }
}

/// The caller a request's `Authorization: Bearer <token>` names (a session or an API token).
pub struct Caller(pub Principal);

impl FromRequest for Caller {
    type Error = EndpointError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let db = req.app_data::<web::Data<DatabaseConnection>>().cloned();
        let callers = req
            .app_data::<web::Data<crate::graphql::context::AppSettings>>()
            .map(|s| s.callers.clone());
        let token = crate::routes::bearer(req);
        Box::pin(async move {
            let db = db.ok_or_else(|| ServiceError::Internal("no database configured".into()))?;
            let token = token.ok_or_else(|| {
                ServiceError::Unauthenticated("send Authorization: Bearer <token>".into())
            })?;
            let principal = match callers {
                Some(callers) => {
                    service::accounts::authenticate_cached(db.get_ref(), &callers, &token).await?
                }
                None => service::accounts::authenticate(db.get_ref(), &token).await?,
            };
            Ok(Caller(principal))
        })
    }
}
