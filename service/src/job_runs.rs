//! Job runs: the durable record of background work (DESIGN.md "Jobs"). A run is written in the
//! transaction of the change that asks for it (an outbox); the `jobs` crate relays it onto the
//! queue, claims it, reports progress here and finishes it. Progress changes are announced on a
//! process-local bus and, on PostgreSQL, with NOTIFY so API processes elsewhere hear them too.

use std::sync::OnceLock;

use chrono::Utc;
use entity::job_run::{self, Column};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, Statement,
};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

use crate::access::{Principal, Role};
use crate::error::{ServiceError, ServiceResult};
use crate::paging::{Page, PageRequest, SortOrder, keyset_page};

pub const ENTITY: &str = "job";
/// The PostgreSQL NOTIFY channel job changes are announced on (payload: `company_id:job_id`).
pub const NOTIFY_CHANNEL: &str = "larder_job_runs";

pub use entity::job_run::{JobKind, JobState};

/// What a run works on; stored as JSON in `params`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct JobParams {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dates: Vec<chrono::NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csv_import_id: Option<i64>,
}

/// A run to create. `lock_key` names what it must hold alone (a location).
pub struct NewJob {
    pub company_id: i64,
    pub kind: JobKind,
    pub integration_id: Option<i64>,
    pub location_id: Option<i64>,
    pub params: JobParams,
    pub lock_key: Option<String>,
    pub total: i64,
    pub message: String,
    pub requested_by: Option<i64>,
}

/// Writes a QUEUED run. Call it inside the transaction of the change that asks for the work.
/// A run already QUEUED or RUNNING for the same lock is a CONFLICT.
pub async fn create<C: ConnectionTrait>(db: &C, job: NewJob) -> ServiceResult<job_run::Model> {
    if let Some(key) = &job.lock_key {
        let busy = job_run::Entity::find()
            .filter(Column::LockKey.eq(key.as_str()))
            .filter(Column::State.is_in(JobState::ACTIVE))
            .one(db)
            .await?;
        if let Some(busy) = busy {
            return Err(busy_error(&busy));
        }
    }
    let row = job_run::ActiveModel {
        company_id: Set(job.company_id),
        kind: Set(job.kind),
        state: Set(JobState::Queued),
        integration_id: Set(job.integration_id),
        location_id: Set(job.location_id),
        params: Set(serde_json::to_string(&job.params).unwrap_or_default()),
        lock_key: Set(job.lock_key),
        progress_done: Set(0),
        progress_total: Set(job.total),
        message: Set(Some(job.message)),
        error: Set(None),
        attempts: Set(0),
        requested_by: Set(job.requested_by),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|e| match crate::ServiceError::from(e) {
        // Another process won the race for the same lock between our check and insert.
        ServiceError::Conflict { .. } => ServiceError::conflict(
            "locationId",
            "a migration or transfer is already queued or running for this location",
        ),
        other => other,
    })?;
    announce(db, &row).await;
    Ok(row)
}

fn busy_error(busy: &job_run::Model) -> ServiceError {
    ServiceError::conflict(
        "locationId",
        format!(
            "a {} (job {}) is already {} for this location; wait for it to finish or cancel it",
            busy.kind, busy.id, busy.state
        ),
    )
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
) -> ServiceResult<job_run::Model> {
    let row = job_run::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found(ENTITY))?;
    principal.require_read(row.company_id, ENTITY)?;
    Ok(row)
}

/// The company's runs, newest first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    first: u64,
    location_id: Option<i64>,
) -> ServiceResult<Vec<job_run::Model>> {
    principal.require_read(company_id, "company")?;
    let mut q = job_run::Entity::find().filter(Column::CompanyId.eq(company_id));
    if let Some(location) = location_id {
        q = q.filter(Column::LocationId.eq(location));
    }
    Ok(q.order_by_desc(Column::Id)
        .limit(first.clamp(1, 500))
        .all(db)
        .await?)
}

/// Which runs a list shows: a state, a kind and a POS location.
#[derive(Debug, Clone, Default)]
pub struct JobFilter {
    pub state: Option<JobState>,
    pub kind: Option<JobKind>,
    pub location_id: Option<i64>,
}

/// One page of a company's job runs, newest first, by keyset on the id.
pub async fn page<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    filter: &JobFilter,
    request: &PageRequest<i64>,
) -> ServiceResult<Page<job_run::Model>> {
    principal.require_read(company_id, "company")?;
    let mut query = job_run::Entity::find().filter(Column::CompanyId.eq(company_id));
    if let Some(state) = filter.state {
        query = query.filter(Column::State.eq(state));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(Column::Kind.eq(kind));
    }
    if let Some(location) = filter.location_id {
        query = query.filter(Column::LocationId.eq(location));
    }
    let total = query.clone().count(db).await?;
    let order = SortOrder::descending(vec![Column::Id]);
    Ok(keyset_page(db, query, &order, request, total).await?)
}

/// Cancels a QUEUED or RUNNING run; a running one stops at its next day boundary (what it
/// already posted stays posted: each day is whole).
pub async fn cancel<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
) -> ServiceResult<job_run::Model> {
    let row = get(db, principal, id).await?;
    principal.require(row.company_id, Role::Manager, ENTITY)?;
    if row.state.is_finished() {
        return Err(ServiceError::conflict(
            "id",
            format!("the job already ended ({})", row.state),
        ));
    }
    let now = Utc::now();
    job_run::Entity::update_many()
        .col_expr(Column::State, Expr::value(JobState::Cancelled))
        .col_expr(Column::FinishedAt, Expr::value(now))
        .col_expr(
            Column::Message,
            Expr::value(format!(
                "cancelled after {} of {}",
                row.progress_done, row.progress_total
            )),
        )
        .filter(Column::Id.eq(id))
        .filter(Column::State.is_in(JobState::ACTIVE))
        .exec(db)
        .await?;
    let row = reload(db, id).await?;
    announce(db, &row).await;
    Ok(row)
}

pub async fn reload<C: ConnectionTrait>(db: &C, id: i64) -> ServiceResult<job_run::Model> {
    job_run::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found(ENTITY))
}

/// Takes a run for a worker. Returns `None` when it has ended (done, failed or cancelled) — a
/// redelivered message then does nothing. A RUNNING run is taken over: the queue only hands it
/// out again when the worker that had it is gone.
pub async fn claim<C: ConnectionTrait>(db: &C, id: i64) -> ServiceResult<Option<job_run::Model>> {
    let now = Utc::now();
    let res = job_run::Entity::update_many()
        .col_expr(Column::State, Expr::value(JobState::Running))
        .col_expr(Column::HeartbeatAt, Expr::value(now))
        .col_expr(
            Column::Attempts,
            Expr::col(Column::Attempts).add(Expr::val(1)),
        )
        .col_expr(
            Column::StartedAt,
            Expr::col(Column::StartedAt).if_null(Expr::val(now)),
        )
        .filter(Column::Id.eq(id))
        .filter(Column::State.is_in(JobState::ACTIVE))
        .exec(db)
        .await?;
    if res.rows_affected == 0 {
        return Ok(None);
    }
    let row = reload(db, id).await?;
    announce(db, &row).await;
    Ok(Some(row))
}

/// Records progress. Returns false when the run was cancelled meanwhile: the worker stops.
pub async fn progress<C: ConnectionTrait>(
    db: &C,
    id: i64,
    done: i64,
    total: i64,
    message: &str,
) -> ServiceResult<bool> {
    let res = job_run::Entity::update_many()
        .col_expr(Column::ProgressDone, Expr::value(done))
        .col_expr(Column::ProgressTotal, Expr::value(total))
        .col_expr(Column::Message, Expr::value(message))
        .col_expr(Column::HeartbeatAt, Expr::value(Utc::now()))
        .filter(Column::Id.eq(id))
        .filter(Column::State.eq(JobState::Running))
        .exec(db)
        .await?;
    let row = reload(db, id).await?;
    announce(db, &row).await;
    Ok(res.rows_affected > 0)
}

/// Ends a run: SUCCEEDED with a message, or FAILED with an error a manager can act on.
pub async fn finish<C: ConnectionTrait>(
    db: &C,
    id: i64,
    outcome: Result<String, String>,
) -> ServiceResult<job_run::Model> {
    let (state, message, error) = match outcome {
        Ok(message) => (JobState::Succeeded, Some(message), None),
        Err(error) => (JobState::Failed, None, Some(error)),
    };
    let mut update = job_run::Entity::update_many()
        .col_expr(Column::State, Expr::value(state))
        .col_expr(Column::FinishedAt, Expr::value(Utc::now()))
        .col_expr(Column::Error, Expr::value(error));
    if let Some(message) = message {
        update = update.col_expr(Column::Message, Expr::value(message));
    }
    update
        .filter(Column::Id.eq(id))
        .filter(Column::State.is_in(JobState::ACTIVE))
        .exec(db)
        .await?;
    let row = reload(db, id).await?;
    announce(db, &row).await;
    Ok(row)
}

/// QUEUED runs not yet handed to the queue (or all QUEUED ones, at start-up, when a crash may
/// have come between the commit and the push).
pub async fn to_enqueue<C: ConnectionTrait>(db: &C, all: bool) -> ServiceResult<Vec<i64>> {
    let mut q = job_run::Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::State.eq(JobState::Queued));
    if !all {
        q = q.filter(Column::EnqueuedAt.is_null());
    }
    Ok(q.order_by_asc(Column::Id)
        .limit(500)
        .into_tuple()
        .all(db)
        .await?)
}

pub async fn mark_enqueued<C: ConnectionTrait>(db: &C, id: i64) -> ServiceResult<()> {
    job_run::Entity::update_many()
        .col_expr(Column::EnqueuedAt, Expr::value(Some(Utc::now())))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// A change to a run: who may see it and which run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobEvent {
    pub company_id: i64,
    pub job_id: i64,
}

impl JobEvent {
    /// Parses a NOTIFY payload (`company_id:job_id`).
    pub fn parse(payload: &str) -> Option<Self> {
        let (c, j) = payload.split_once(':')?;
        Some(Self {
            company_id: c.parse().ok()?,
            job_id: j.parse().ok()?,
        })
    }
}

/// The process-local bus of job changes.
pub fn events() -> &'static broadcast::Sender<JobEvent> {
    static BUS: OnceLock<broadcast::Sender<JobEvent>> = OnceLock::new();
    BUS.get_or_init(|| broadcast::channel(4096).0)
}

async fn announce<C: ConnectionTrait>(db: &C, row: &job_run::Model) {
    let event = JobEvent {
        company_id: row.company_id,
        job_id: row.id,
    };
    let _ = events().send(event);
    if db.get_database_backend() == DatabaseBackend::Postgres {
        // Inside a transaction NOTIFY is delivered at commit, which is when the change is visible.
        let _ = db
            .execute_raw(Statement::from_sql_and_values(
                DatabaseBackend::Postgres,
                "SELECT pg_notify($1, $2)",
                [
                    sea_orm::Value::from(NOTIFY_CHANNEL),
                    sea_orm::Value::from(format!("{}:{}", event.company_id, event.job_id)),
                ],
            ))
            .await;
    }
}
