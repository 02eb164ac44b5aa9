//! Reading request bodies within limits, the one way every endpoint reads one: a body whose
//! `Content-Length` passes the limit is refused with 413 before a byte of it is read; one that
//! grows past it while streaming is cut off with 413; one that pauses longer than the idle
//! timeout between two chunks is refused with 408, so a slow client holds nothing for long. A
//! file a GraphQL upload spooled to disk is read back in pieces the same way ([`file_stream`]).

use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use futures::{Stream, StreamExt};
use tokio::io::AsyncReadExt;

#[derive(Debug, Clone, thiserror::Error)]
pub enum BodyError {
    #[error("the request body is larger than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("the request body stalled: no data for {seconds} seconds")]
    Stalled { seconds: u64 },
    #[error("the request body broke off: {0}")]
    Broken(String),
}

impl ResponseError for BodyError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Stalled { .. } => StatusCode::REQUEST_TIMEOUT,
            Self::Broken(_) => StatusCode::BAD_REQUEST,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let code = match self {
            Self::TooLarge { .. } => "PAYLOAD_TOO_LARGE",
            Self::Stalled { .. } => "REQUEST_TIMEOUT",
            Self::Broken(_) => "BAD_REQUEST",
        };
        HttpResponse::build(self.status_code()).json(serde_json::json!({
            "error": { "code": code, "message": self.to_string() }
        }))
    }
}

/// How much a body may hold and how long it may pause.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimits {
    pub max_bytes: u64,
    pub idle: Duration,
}

/// Refuses, from the headers alone, a body that says it is larger than `limits` allow.
pub fn check_declared_length(req: &HttpRequest, limits: BodyLimits) -> Result<(), BodyError> {
    let declared = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match declared {
        Some(n) if n > limits.max_bytes => Err(BodyError::TooLarge {
            limit: limits.max_bytes,
        }),
        _ => Ok(()),
    }
}

/// The body as a stream of chunks that ends with an error past the size or idle limit.
pub fn limited(
    payload: web::Payload,
    limits: BodyLimits,
) -> impl Stream<Item = Result<web::Bytes, BodyError>> + Unpin {
    Box::pin(futures::stream::unfold(
        Some((payload, 0u64)),
        move |state| async move {
            let (mut payload, read) = state?;
            match tokio::time::timeout(limits.idle, payload.next()).await {
                Err(_) => Some((
                    Err(BodyError::Stalled {
                        seconds: limits.idle.as_secs(),
                    }),
                    None,
                )),
                Ok(None) => None,
                Ok(Some(Err(e))) => Some((Err(BodyError::Broken(e.to_string())), None)),
                Ok(Some(Ok(chunk))) => {
                    let read = read + chunk.len() as u64;
                    if read > limits.max_bytes {
                        Some((
                            Err(BodyError::TooLarge {
                                limit: limits.max_bytes,
                            }),
                            None,
                        ))
                    } else {
                        Some((Ok(chunk), Some((payload, read))))
                    }
                }
            }
        },
    ))
}

/// The whole body in memory, within `limits` (for small bodies: GraphQL JSON, webhooks).
pub async fn read_all(
    req: &HttpRequest,
    payload: web::Payload,
    limits: BodyLimits,
) -> Result<web::Bytes, BodyError> {
    check_declared_length(req, limits)?;
    let mut body = web::BytesMut::new();
    let mut chunks = limited(payload, limits);
    while let Some(chunk) = chunks.next().await {
        body.extend_from_slice(&chunk?);
    }
    Ok(body.freeze())
}

/// A file read in pieces, so an upload never sits in memory whole.
pub fn file_stream(file: std::fs::File) -> impl Stream<Item = Result<Vec<u8>, String>> + Unpin {
    let file = tokio::fs::File::from_std(file);
    Box::pin(futures::stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let mut buf = vec![0u8; 256 * 1024];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(buf), Some(file)))
            }
            Err(e) => Some((Err(e.to_string()), None)),
        }
    }))
}
