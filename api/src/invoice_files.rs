//! E-invoices over plain HTTP, for scripts: `POST /api/invoices?companyId=…[&fileName=…]` with
//! the file as the body (an API token's bearer), answering 201 `{"invoiceId": "…"}`; and
//! `GET /api/invoices/{id}/original`, the file as it was received. Errors in the shape the
//! other endpoints use: 409 CONFLICT for a duplicate, 413 for a file over the limit, 422
//! VALIDATION for a file that is not a readable invoice.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use sea_orm::DatabaseConnection;
use serde::Deserialize;
use service::ServiceError;
use service::invoices::{self, InvoiceUpload, records};

use crate::body::{self, BodyLimits};
use crate::endpoint::{Caller, EndpointError, FileSlot};
use crate::graphql::context::AppSettings;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportQuery {
    company_id: i64,
    file_name: Option<String>,
}

pub async fn import(
    db: web::Data<DatabaseConnection>,
    settings: web::Data<AppSettings>,
    req: HttpRequest,
    _slot: FileSlot,
    Caller(principal): Caller,
    query: web::Query<ImportQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, EndpointError> {
    let limits = BodyLimits {
        max_bytes: invoices::read::PDF_LIMIT as u64,
        idle: settings.body_idle,
    };
    let bytes = body::read_all(&req, payload, limits).await?;
    let upload = InvoiceUpload {
        file_name: query.file_name.clone(),
        bytes: bytes.to_vec(),
    };
    match invoices::import(db.get_ref(), &principal, query.company_id, upload).await {
        Ok(invoice) => Ok(HttpResponse::Created().json(serde_json::json!({
            "invoiceId": invoice.id.to_string(),
            "number": invoice.number,
            "status": invoice.status.code(),
        }))),
        // A file that is not a readable invoice is unprocessable content, not a bad request.
        Err(e @ ServiceError::Validation { .. }) => {
            let mut response = crate::graphql::errors::http_error(&e);
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /api/invoices/{id}/original`: the file byte for byte, as an attachment.
pub async fn original(
    db: web::Data<DatabaseConnection>,
    _slot: FileSlot,
    Caller(principal): Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, EndpointError> {
    let id = path
        .parse::<i64>()
        .map_err(|_| ServiceError::not_found(invoices::ENTITY))?;
    let file = records::original(db.get_ref(), &principal, id).await?;
    let safe_name: String = file
        .file_name
        .chars()
        .map(|c| {
            if c == '"' || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    Ok(HttpResponse::Ok()
        .content_type(file.content_type)
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{safe_name}\""),
        ))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(file.bytes))
}
