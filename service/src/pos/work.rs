//! Running job runs: what a worker calls for each message. The run is claimed (a run that ended
//! does nothing, so a redelivered message is harmless), its days are transferred one
//! transaction each with progress after each, and it ends SUCCEEDED or FAILED with a message a
//! manager can act on. Transient failures (the database busy or gone) are handed back to the
//! queue to retry.

use chrono::{DateTime, Utc};
use entity::{job_run, pos_day_transfer, pos_integration, pos_location};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait,
};

use super::{days, locations, pipeline, uploads};
use crate::error::{ServiceError, ServiceResult};
use crate::job_runs::{self, JobKind, JobParams};

/// A failure worth retrying: the queue runs the job again later.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Transient(pub ServiceError);

fn is_transient(e: &ServiceError) -> bool {
    matches!(e, ServiceError::Database(_))
}

/// Runs job `id`. `Err` means "try again later"; every other outcome is recorded on the run.
pub async fn run<C: ConnectionTrait + TransactionTrait>(db: &C, id: i64) -> Result<(), Transient> {
    let job = match job_runs::claim(db, id).await {
        Ok(Some(job)) => job,
        Ok(None) => return Ok(()),
        Err(e) => return Err(Transient(e)),
    };
    let span = tracing::info_span!("job", id = job.id, kind = %job.kind, company = job.company_id);
    let _enter = span.enter();
    let outcome = match JobKind::parse(&job.kind) {
        Ok(JobKind::CsvImport) => uploads::process(db, &job).await.map(|o| match o {
            uploads::ImportOutcome::Done(m) => Some(Ok(m)),
            uploads::ImportOutcome::Invalid(m) => Some(Err(m)),
            uploads::ImportOutcome::Cancelled => None,
        }),
        Ok(JobKind::HistoricalMigration | JobKind::ManualTransfer | JobKind::AutomaticTransfer) => {
            transfer_days(db, &job).await
        }
        Ok(JobKind::SyncLocations | JobKind::SyncItems) => Ok(Some(Err(
            "this integration has no live POS connection to sync from".to_string(),
        ))),
        Err(e) => Err(e),
    };
    let outcome = match outcome {
        Ok(o) => o,
        Err(e) if is_transient(&e) => {
            tracing::warn!(error = %e, "job failed, will retry");
            return Err(Transient(e));
        }
        Err(e) => Some(Err(e.to_string())),
    };
    if let Some(outcome) = outcome {
        if let Err(message) = &outcome {
            tracing::warn!(%message, "job failed");
        }
        job_runs::finish(db, job.id, outcome)
            .await
            .map_err(Transient)?;
    }
    Ok(())
}

/// Records the last failure of a job the queue gave up retrying.
pub async fn give_up<C: ConnectionTrait>(
    db: &C,
    id: i64,
    error: &ServiceError,
) -> ServiceResult<()> {
    job_runs::finish(
        db,
        id,
        Err(format!("the job failed after several tries: {error}")),
    )
    .await?;
    Ok(())
}

async fn transfer_days<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    job: &job_run::Model,
) -> ServiceResult<Option<Result<String, String>>> {
    let params: JobParams = serde_json::from_str(&job.params).unwrap_or_default();
    let location_id = job
        .location_id
        .ok_or_else(|| ServiceError::Internal("the job names no location".into()))?;
    let mut ctx = pipeline::DayContext::load(db, location_id).await?;
    if ctx.location.storage_unit_id.is_none() {
        return Ok(Some(Err(
            "the location has no linked storage unit any more; link one and transfer again".into(),
        )));
    }
    let total = params.dates.len() as i64;
    let (mut entries, mut unmapped, mut lines) = (0i64, 0i64, 0i64);
    for (k, date) in params.dates.iter().enumerate() {
        // A retried run skips the days it already did (each was one whole transaction).
        let done_before = pos_day_transfer::Entity::find()
            .filter(pos_day_transfer::Column::JobRunId.eq(job.id))
            .filter(pos_day_transfer::Column::BusinessDate.eq(*date))
            .count(db)
            .await?;
        if done_before == 0 {
            let log = pipeline::transfer_day(db, &mut ctx, *date, &[], Some(job.id)).await?;
            entries += log.entries_posted;
            unmapped += log.lines_unmapped;
            lines += log.lines_total;
        }
        let message = format!("day {} of {total} transferred ({date})", k + 1);
        if !job_runs::progress(db, job.id, k as i64 + 1, total, &message).await? {
            return Ok(None);
        }
    }
    Ok(Some(Ok(format!(
        "{total} days transferred: {lines} sale lines, {entries} ledger entries posted{}",
        if unmapped > 0 {
            format!(", {unmapped} lines of unmapped items waiting for a mapping")
        } else {
            String::new()
        }
    ))))
}

/// The automatic transfer: for every active location of an integration whose automatic
/// transfer is ACTIVE, queue the last completed business day and the day before (to pick up
/// receipts closed late; a day already transferred posts only what changed). Returns the runs
/// queued. A location busy with another run is left for the next tick.
pub async fn queue_due_transfers<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<job_run::Model>> {
    let integrations = pos_integration::Entity::find()
        .filter(pos_integration::Column::AutomaticTransfer.eq("ACTIVE"))
        .filter(pos_integration::Column::ConnectionState.eq("CONNECTED"))
        .all(db)
        .await?;
    let mut queued = Vec::new();
    for integration in integrations {
        let active = pos_location::Entity::find()
            .filter(pos_location::Column::IntegrationId.eq(integration.id))
            .filter(pos_location::Column::Active.eq(true))
            .all(db)
            .await?;
        for location in active {
            let company = locations::company_of(db, location.company_id).await?;
            let last = days::last_completed(&company, now);
            let already = pos_day_transfer::Entity::find()
                .filter(pos_day_transfer::Column::LocationId.eq(location.id))
                .filter(pos_day_transfer::Column::BusinessDate.eq(last))
                .count(db)
                .await?;
            // Activated today: its migration covers yesterday already.
            let activated = location
                .activated_at
                .map(|t| days::last_completed(&company, t));
            if already > 0 || activated.is_some_and(|a| a >= last) {
                continue;
            }
            let dates = vec![last - chrono::Duration::days(1), last];
            match locations::queue_days(
                db,
                None,
                &location,
                JobKind::AutomaticTransfer,
                dates,
                "automatic transfer",
            )
            .await
            {
                Ok(job) => queued.push(job),
                Err(ServiceError::Conflict { .. }) => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(queued)
}
