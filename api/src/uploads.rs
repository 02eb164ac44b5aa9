//! HTTP endpoints beside GraphQL for machines: `POST /api/pos/csv` (a sales file from a script,
//! with an API token) and `POST /webhooks/{integrationId}` (signed events from a POS).

use actix_web::{HttpRequest, HttpResponse, web};
use futures::StreamExt;
use sea_orm::DatabaseConnection;
use serde::Deserialize;
use service::ServiceError;
use service::pos::{uploads, webhooks};

use crate::body::{self, BodyLimits};
use crate::endpoint::{Caller, EndpointError, FileSlot};
use crate::graphql::context::AppSettings;

/// A webhook event is a few hundred bytes; this leaves room and no more.
const WEBHOOK_MAX_BYTES: u64 = 64 * 1024;

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
    _slot: FileSlot,
    Caller(principal): Caller,
    query: web::Query<CsvUploadQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, EndpointError> {
    let limits = BodyLimits {
        max_bytes: settings.csv_max_bytes,
        idle: settings.body_idle,
    };
    body::check_declared_length(&req, limits)?;
    let body = body::limited(payload, limits)
        .map(|part| part.map(|b| b.to_vec()).map_err(|e| e.to_string()));
    let job = uploads::stage(
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
    .await?;
    Ok(HttpResponse::Accepted().json(serde_json::json!({
        "jobId": job.id.to_string(), "state": job.state.code(), "message": job.message
    })))
}

/// `POST /webhooks/{integrationId}`: a signed event asking for a day's transfer.
pub async fn webhook(
    db: web::Data<DatabaseConnection>,
    settings: web::Data<AppSettings>,
    req: HttpRequest,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, EndpointError> {
    let limits = BodyLimits {
        max_bytes: WEBHOOK_MAX_BYTES,
        idle: settings.body_idle,
    };
    let body = body::read_all(&req, payload, limits).await?;
    let integration_id = path
        .parse::<i64>()
        .map_err(|_| ServiceError::not_found(service::pos::integrations::ENTITY))?;
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    let job = webhooks::receive(
        db.get_ref(),
        &settings.cipher,
        integration_id,
        header(webhooks::TIMESTAMP_HEADER),
        header(webhooks::SIGNATURE_HEADER),
        &body,
        chrono::Utc::now(),
    )
    .await?;
    Ok(HttpResponse::Accepted().json(serde_json::json!({
        "jobId": job.id.to_string(), "state": job.state.code()
    })))
}
