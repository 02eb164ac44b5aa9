//! HTTP endpoints beside GraphQL for machines: `POST /api/pos/csv` (a sales file from a script,
//! with an API token) and `POST /webhooks/{integrationId}` (signed events from a POS).

use actix_web::{HttpRequest, HttpResponse, web};
use futures::{Stream, StreamExt};
use sea_orm::DatabaseConnection;
use serde::Deserialize;
use service::ServiceError;
use service::pos::{uploads, webhooks};
use tokio::io::AsyncReadExt;

use crate::body::{self, BodyLimits};
use crate::graphql::context::AppSettings;

/// A webhook event is a few hundred bytes; this leaves room and no more.
const WEBHOOK_MAX_BYTES: u64 = 64 * 1024;
use crate::routes::{bearer, request_context};

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

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CsvUploadQuery {
    integration_id: i64,
    location_id: i64,
    file_name: Option<String>,
    #[serde(default)]
    post_valid_rows_only: bool,
}

/// `POST /api/pos/csv?integrationId=…&locationId=…[&postValidRowsOnly=true]` with the file as
/// the body. Answers 202 with the job run.
pub async fn upload_csv(
    db: web::Data<DatabaseConnection>,
    settings: web::Data<AppSettings>,
    req: HttpRequest,
    query: web::Query<CsvUploadQuery>,
    payload: web::Payload,
) -> HttpResponse {
    let _slot = match settings
        .in_flight
        .files
        .enter(req.peer_addr().map(|a| a.ip()))
    {
        Ok(slot) => slot,
        Err(refused) => return crate::graphql::errors::http_error(refused),
    };
    let context = request_context(&db, bearer(&req)).await;
    let principal = match context.principal {
        Some(Ok(p)) => p,
        Some(Err(why)) => {
            return crate::graphql::errors::http_error(ServiceError::Unauthenticated(why));
        }
        None => {
            return crate::graphql::errors::http_error(ServiceError::Unauthenticated(
                "send an API token: Authorization: Bearer <token>".into(),
            ));
        }
    };
    let limits = BodyLimits {
        max_bytes: settings.csv_max_bytes,
        idle: settings.body_idle,
    };
    if let Err(e) = body::check_declared_length(&req, limits) {
        return actix_web::ResponseError::error_response(&e);
    }
    let body = body::limited(payload, limits)
        .map(|part| part.map(|b| b.to_vec()).map_err(|e| e.to_string()));
    let result = uploads::stage(
        db.get_ref(),
        &principal,
        uploads::Upload {
            integration_id: query.integration_id,
            location_id: query.location_id,
            file_name: query
                .file_name
                .clone()
                .unwrap_or_else(|| "upload.csv".into()),
            body: Box::pin(body),
            post_valid_rows_only: query.post_valid_rows_only,
            max_bytes: settings.csv_max_bytes,
        },
    )
    .await;
    match result {
        Ok(job) => HttpResponse::Accepted().json(serde_json::json!({
            "jobId": job.id.to_string(), "state": job.state, "message": job.message
        })),
        Err(e) => crate::graphql::errors::http_error(e),
    }
}

/// `POST /webhooks/{integrationId}`: a signed event asking for a day's transfer.
pub async fn webhook(
    db: web::Data<DatabaseConnection>,
    settings: web::Data<AppSettings>,
    req: HttpRequest,
    path: web::Path<String>,
    payload: web::Payload,
) -> HttpResponse {
    let limits = BodyLimits {
        max_bytes: WEBHOOK_MAX_BYTES,
        idle: settings.body_idle,
    };
    let body = match body::read_all(&req, payload, limits).await {
        Ok(body) => body,
        Err(e) => return actix_web::ResponseError::error_response(&e),
    };
    let Ok(integration_id) = path.parse::<i64>() else {
        return crate::graphql::errors::http_error(ServiceError::not_found(
            service::pos::integrations::ENTITY,
        ));
    };
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    match webhooks::receive(
        db.get_ref(),
        &settings.cipher,
        integration_id,
        header(webhooks::TIMESTAMP_HEADER),
        header(webhooks::SIGNATURE_HEADER),
        &body,
        chrono::Utc::now(),
    )
    .await
    {
        Ok(job) => HttpResponse::Accepted().json(serde_json::json!({
            "jobId": job.id.to_string(), "state": job.state
        })),
        Err(e) => crate::graphql::errors::http_error(e),
    }
}
