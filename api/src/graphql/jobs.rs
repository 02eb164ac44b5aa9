//! Background work as GraphQL shows it: a job run (its kind, state and progress) and the CSV
//! import a job processes, with its row errors. Subscriptions stream the same `JobRun`.

use async_graphql::connection::{Connection, OpaqueCursor};
use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use service::job_runs;
use service::pos::csv_import;
use service::pos::locations;
use service::pos::uploads;
use service::records;

use super::context::{ContextExt, id, parse_id, parse_opt_id};
use super::errors::GqlResult;
use super::paging::{PageArgs, TotalCount, paged};

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "service::job_runs::JobState")]
pub enum JobState {
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "service::job_runs::JobKind")]
pub enum JobKind {
    HistoricalMigration,
    ManualTransfer,
    AutomaticTransfer,
    CsvImport,
    SyncLocations,
    SyncItems,
}

/// Where an uploaded CSV file is: UPLOADED, CHECKED or INVALID (nothing posted), then IMPORTED.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "service::pos::uploads::CsvImportState")]
pub enum CsvImportState {
    Uploaded,
    Checked,
    Invalid,
    Imported,
}

pub struct JobRun(pub records::JobRun);

#[Object]
impl JobRun {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn company_id(&self) -> ID {
        id(self.0.company_id)
    }
    async fn kind(&self) -> JobKind {
        self.0.kind.into()
    }
    async fn state(&self) -> JobState {
        self.0.state.into()
    }
    async fn progress_done(&self) -> i32 {
        self.0.progress_done as i32
    }
    async fn progress_total(&self) -> i32 {
        self.0.progress_total as i32
    }
    async fn message(&self) -> Option<&str> {
        self.0.message.as_deref()
    }
    async fn error(&self) -> Option<&str> {
        self.0.error.as_deref()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn started_at(&self) -> Option<DateTime<Utc>> {
        self.0.started_at
    }
    async fn finished_at(&self) -> Option<DateTime<Utc>> {
        self.0.finished_at
    }
    async fn location_id(&self) -> Option<ID> {
        self.0.location_id.map(id)
    }
    async fn integration_id(&self) -> Option<ID> {
        self.0.integration_id.map(id)
    }
    async fn attempts(&self) -> i32 {
        self.0.attempts as i32
    }
    /// The CSV import this job processes, with its row errors.
    async fn csv_import(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<CsvImport>> {
        Ok(uploads::for_job(ctx.db(), &self.0)
            .await
            .gql()?
            .map(CsvImport))
    }
}

pub struct CsvImport(pub records::CsvImport);

#[Object]
impl CsvImport {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn file_name(&self) -> &str {
        &self.0.file_name
    }
    async fn size_bytes(&self) -> i64 {
        self.0.size_bytes
    }
    async fn state(&self) -> CsvImportState {
        self.0.state.into()
    }
    async fn post_valid_rows_only(&self) -> bool {
        self.0.post_valid_rows_only
    }
    async fn rows_total(&self) -> i64 {
        self.0.rows_total
    }
    async fn rows_invalid(&self) -> i64 {
        self.0.rows_invalid
    }
    /// The invalid rows (the first 1,000): row number as a spreadsheet shows it, column, what is
    /// wrong, the value found.
    async fn row_errors(&self) -> Vec<CsvRowError> {
        uploads::row_errors(&self.0)
            .into_iter()
            .map(CsvRowError::from)
            .collect()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

#[derive(SimpleObject)]
pub struct CsvRowError {
    pub row: i64,
    pub column: String,
    pub message: String,
    pub value: String,
}

impl From<csv_import::RowError> for CsvRowError {
    fn from(e: csv_import::RowError) -> Self {
        Self {
            row: e.row as i64,
            column: e.column,
            message: e.message,
            value: e.value,
        }
    }
}

#[derive(Default)]
pub struct JobQuery;

#[Object]
impl JobQuery {
    async fn job(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<JobRun>> {
        let Ok(id) = id.parse::<i64>() else {
            return Ok(None);
        };
        match job_runs::get(ctx.db(), ctx.principal()?, id).await {
            Ok(job) => Ok(Some(JobRun(job))),
            Err(service::ServiceError::NotFound { .. }) => Ok(None),
            Err(e) => Err(super::errors::to_graphql(e)),
        }
    }

    /// Job runs a page at a time, newest first: by state, kind and POS location.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "super::page_cost(first, last, 20, child_complexity)")]
    async fn job_connection(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        state: Option<JobState>,
        kind: Option<JobKind>,
        location_id: Option<ID>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<Connection<OpaqueCursor<i64>, JobRun, TotalCount>> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let filter = job_runs::JobFilter {
            state: state.map(Into::into),
            kind: kind.map(Into::into),
            location_id: parse_opt_id(&location_id, locations::ENTITY, "locationId")?,
        };
        let (db, principal) = (ctx.db(), ctx.principal()?);
        let args = PageArgs {
            after,
            before,
            first,
            last,
        };
        paged(
            args,
            |request| async move {
                job_runs::page(db, principal, company_id, &filter, &request)
                    .await
                    .gql()
            },
            |row| row.id,
            JobRun,
        )
        .await
    }

    /// The company's jobs, newest first.
    #[graphql(complexity = "super::page_cost(first, None, 50, child_complexity)")]
    async fn jobs(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        first: Option<i32>,
        location_id: Option<ID>,
    ) -> async_graphql::Result<Vec<JobRun>> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let location_id = parse_opt_id(&location_id, locations::ENTITY, "locationId")?;
        Ok(job_runs::list(
            ctx.db(),
            ctx.principal()?,
            company_id,
            first.unwrap_or(50).max(1) as u64,
            location_id,
        )
        .await
        .gql()?
        .into_iter()
        .map(JobRun)
        .collect())
    }
}

#[derive(Default)]
pub struct JobMutation;

#[Object]
impl JobMutation {
    /// Cancels a queued or running job; a running one stops after the day it is on.
    async fn cancel_job(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<JobRun> {
        let id = parse_id(&id, job_runs::ENTITY, "id")?;
        Ok(JobRun(
            job_runs::cancel(ctx.db(), ctx.principal()?, id)
                .await
                .gql()?,
        ))
    }
}
