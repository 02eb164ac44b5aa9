//! The request log's root span: tracing-actix-web's default fields with the request's id (the
//! client's `X-Request-Id` when usable), but the target without its query string: the
//! Lightspeed OAuth callback's query carries an authorization code (and a sign-in link or a
//! search may carry other things a log should not keep).

use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use tracing::Span;
use tracing::field::Empty;
use tracing_actix_web::{DefaultRootSpanBuilder, RequestId, RootSpanBuilder};

pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let route = request.match_pattern().unwrap_or_else(|| "default".into());
        // The client's id when it sent a usable one, else tracing-actix-web's: chosen here, the
        // outermost layer, and kept in the request for `observe` to return and log it.
        let request_id = request
            .headers()
            .get(&crate::observe::REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .and_then(crate::observe::accepted_id)
            .map(str::to_string)
            .or_else(|| {
                request
                    .extensions()
                    .get::<RequestId>()
                    .map(ToString::to_string)
            })
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        request
            .extensions_mut()
            .insert(crate::observe::ChosenRequestId(request_id.clone()));
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = %route,
            http.target = %request.path(),
            http.status_code = Empty,
            otel.status_code = Empty,
            request_id = %request_id,
            exception.message = Empty,
            exception.details = Empty,
        )
    }

    fn on_request_end<B: MessageBody>(
        span: Span,
        outcome: &Result<ServiceResponse<B>, actix_web::Error>,
    ) {
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}
