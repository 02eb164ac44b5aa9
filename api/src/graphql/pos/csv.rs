//! CSV sales files over GraphQL: a preview of how a file reads, the upload that queues its
//! import, and the import itself.

use super::integrations::CsvImportConfigInput;
use crate::graphql::context::{ContextExt, parse_id};
use crate::graphql::errors::GqlResult;
use crate::graphql::jobs::{CsvImport, CsvRowError, JobRun};
use async_graphql::{Context, ID, Object, SimpleObject, Upload};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use service::access::Role as ServiceRole;
use service::pos::csv_import::{self, CsvConfig};
use service::pos::{integrations, locations, uploads};
use service::quantity::from_micro;

#[derive(SimpleObject)]
pub struct CsvPreviewRow {
    pub row: i64,
    pub code: Option<String>,
    pub name: Option<String>,
    pub quantity: Option<Decimal>,
    pub sales_value: Option<Decimal>,
    pub business_date: Option<NaiveDate>,
    pub sold_at: Option<DateTime<Utc>>,
    pub error: Option<CsvRowError>,
}

#[derive(SimpleObject)]
pub struct CsvPreview {
    pub header: Vec<String>,
    pub rows: Vec<CsvPreviewRow>,
}

#[derive(Default)]
pub struct CsvQuery;

#[Object]
impl CsvQuery {
    /// Parses the start of a file (base64, up to 256 KB) with a configuration, to show the
    /// rows as they will be read before anything is uploaded.
    async fn preview_csv(
        &self,
        ctx: &Context<'_>,
        integration_id: ID,
        config: CsvImportConfigInput,
        sample_base64: String,
        rows: Option<i32>,
    ) -> async_graphql::Result<CsvPreview> {
        use base64::Engine;
        let integration_id = parse_id(&integration_id, integrations::ENTITY, "integrationId")?;
        let integration = integrations::get(
            ctx.db(),
            ctx.principal()?,
            integration_id,
            ServiceRole::Viewer,
        )
        .await
        .gql()?;
        let company = locations::company_of(ctx.db(), integration.company_id)
            .await
            .gql()?;
        let sample = base64::engine::general_purpose::STANDARD
            .decode(sample_base64.trim())
            .map_err(|_| {
                crate::graphql::errors::to_graphql(service::ServiceError::validation(
                    "sampleBase64",
                    "the sample is not base64",
                ))
            })?;
        let sample = &sample[..sample.len().min(256 * 1024)];
        let config: CsvConfig = config.into();
        let preview = csv_import::preview(
            sample,
            &config,
            &company,
            rows.unwrap_or(20).clamp(1, 200) as usize,
        )
        .gql()?;
        Ok(CsvPreview {
            header: preview.header,
            rows: preview
                .rows
                .into_iter()
                .map(|r| match r {
                    Ok(r) => CsvPreviewRow {
                        row: r.row as i64,
                        code: Some(r.code),
                        name: Some(r.name),
                        quantity: Some(from_micro(r.quantity_micro)),
                        sales_value: r.sales_value_micro.map(from_micro),
                        business_date: Some(r.business_date),
                        sold_at: Some(service::ledger::from_micros(r.sold_at)),
                        error: None,
                    },
                    Err(e) => CsvPreviewRow {
                        row: e.row as i64,
                        code: None,
                        name: None,
                        quantity: None,
                        sales_value: None,
                        business_date: None,
                        sold_at: None,
                        error: Some(e.into()),
                    },
                })
                .collect(),
        })
    }

    async fn csv_import(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<CsvImport> {
        let id = parse_id(&id, "CSV import", "id")?;
        Ok(CsvImport(
            uploads::get(ctx.db(), ctx.principal()?, id).await.gql()?,
        ))
    }
}

#[derive(Default)]
pub struct CsvMutation;

#[Object]
impl CsvMutation {
    /// Uploads a sales file (GraphQL multipart) for a location; processing is a job.
    async fn upload_pos_csv(
        &self,
        ctx: &Context<'_>,
        integration_id: ID,
        location_id: ID,
        file: Upload,
        post_valid_rows_only: Option<bool>,
    ) -> async_graphql::Result<JobRun> {
        let integration_id = parse_id(&integration_id, integrations::ENTITY, "integrationId")?;
        let location_id = parse_id(&location_id, locations::ENTITY, "locationId")?;
        let value = file.value(ctx).map_err(|e| {
            crate::graphql::errors::to_graphql(service::ServiceError::validation(
                "file",
                e.to_string(),
            ))
        })?;
        let file_name = value.filename.clone();
        let body = crate::body::file_stream(value.content);
        Ok(JobRun(
            uploads::stage(
                ctx.db(),
                ctx.principal()?,
                uploads::Upload {
                    integration_id,
                    location_id,
                    file_name,
                    body,
                    post_valid_rows_only: post_valid_rows_only.unwrap_or(false),
                    max_bytes: ctx.settings().csv_max_bytes,
                },
            )
            .await
            .gql()?,
        ))
    }
}
