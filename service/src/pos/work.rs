//! Running job runs: what a worker calls for each message. The run is claimed (a run that ended
//! does nothing, so a redelivered message is harmless), its days are transferred one
//! transaction each with progress after each, and it ends SUCCEEDED or FAILED with a message a
//! manager can act on. Transient failures (the database busy or gone) are handed back to the
//! queue to retry.

use crate::db::Writer;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use entity::{job_run, pos_integration, pos_location, sales_import};
use futures::{StreamExt, TryStreamExt};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::live::{self, Connector, LiveSettings, PosSource, RemoteDay};
use super::{
    AutomaticTransfer, ConnectionState, Provider, locations, mappings, pipeline, sale_lines,
    uploads,
};
use crate::business_days;
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
pub async fn run<C: Writer + Clone + Send + Sync + 'static>(
    db: &C,
    live: &LiveSettings,
    id: i64,
) -> Result<(), Transient> {
    let job = match job_runs::claim(db, id).await {
        Ok(Some(job)) => job,
        Ok(None) => return Ok(()),
        Err(e) => return Err(Transient(e)),
    };
    let span = tracing::info_span!("job", id = job.id, kind = ?job.kind, company = job.company_id);
    let _enter = span.enter();
    let outcome = match job.kind {
        JobKind::CsvImport => uploads::process(db, &job).await.map(|o| match o {
            uploads::ImportOutcome::Done(m) => Some(Ok(m)),
            uploads::ImportOutcome::Invalid(m) => Some(Err(m)),
            uploads::ImportOutcome::Cancelled => None,
        }),
        JobKind::HistoricalMigration | JobKind::ManualTransfer | JobKind::AutomaticTransfer => {
            import_days(db, live, &job).await
        }
        JobKind::SyncLocations => live::sync::run_locations(db, live, &job)
            .await
            .map(|m| Some(Ok(m))),
        JobKind::SyncItems => live::sync::run_items(db, live, &job)
            .await
            .map(|m| m.map(Ok)),
    };
    let outcome = match outcome {
        Ok(o) => o,
        Err(e) if is_transient(&e) => {
            tracing::warn!(error = %e, "job failed, will retry");
            return Err(Transient(e));
        }
        Err(e) => {
            if e.field() == Some("password") {
                // The stored login stopped working: no point trying it every tick.
                stop_integration(db, &job, &e).await.map_err(Transient)?;
            }
            Some(Err(e.to_string()))
        }
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

async fn stop_integration<C: ConnectionTrait>(
    db: &C,
    job: &job_run::Model,
    error: &ServiceError,
) -> ServiceResult<()> {
    let integration = match job.integration_id {
        Some(id) => pos_integration::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    if let Some(integration) = integration {
        super::integrations::mark_needs_reconnect(db, integration, &error.to_string()).await?;
    }
    Ok(())
}

/// Records the last failure of a job the queue gave up retrying.
pub async fn give_up<C: ConnectionTrait>(
    db: &C,
    id: i64,
    error: &ServiceError,
) -> ServiceResult<()> {
    // A database's own words (tables, constraints, values) go to the log, not to the people
    // who read the job's message.
    let why = match error {
        ServiceError::Database(_) | ServiceError::Internal(_) => {
            tracing::error!(job = id, %error, "job failed");
            "the server could not finish it (logged)".to_string()
        }
        other => other.to_string(),
    };
    job_runs::finish(
        db,
        id,
        Err(format!("the job failed after several tries: {why}")),
    )
    .await?;
    Ok(())
}

/// Ends a run whose work panicked (a bug): FAILED, its location free for the next run.
pub async fn end_after_panic<C: ConnectionTrait>(db: &C, id: i64) -> ServiceResult<()> {
    job_runs::finish(
        db,
        id,
        Err("the job stopped on an internal error; it was logged".into()),
    )
    .await?;
    Ok(())
}

async fn import_days<C: Writer + Clone + Send + Sync + 'static>(
    db: &C,
    live: &LiveSettings,
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
    let integration = pos_integration::Entity::find_by_id(ctx.location.integration_id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found(super::integrations::ENTITY))?;
    let provider = integration.provider;
    let connector = match provider {
        Provider::Csv => None,
        _ => Some(Connector::open(db, live, &integration)?),
    };
    let total = params.dates.len() as i64;
    // A retried run skips the days it already did (each was one whole transaction).
    let mut todo = Vec::new();
    for date in &params.dates {
        let done_before = sales_import::Entity::find()
            .filter(sales_import::Column::JobRunId.eq(job.id))
            .filter(sales_import::Column::BusinessDate.eq(*date))
            .count(db)
            .await?;
        if done_before == 0 {
            todo.push(*date);
        }
    }
    let mut done = total - todo.len() as i64;
    let external_id = ctx.location.external_id.clone();
    // Live POS days are fetched a few ahead, concurrently, and posted strictly in date order;
    // CSV days are already stored.
    let fetches = futures::stream::iter(todo.into_iter().map(|date| {
        let connector = connector.as_ref();
        let external_id = external_id.as_str();
        async move {
            let day = match connector {
                Some(c) => c.day(external_id, date).await?,
                None => RemoteDay {
                    lines: Vec::new(),
                    complete: true,
                },
            };
            Ok::<(NaiveDate, RemoteDay), ServiceError>((date, day))
        }
    }))
    .buffered(live.prefetch_days.max(1));
    futures::pin_mut!(fetches);
    let (mut entries, mut unmapped, mut lines) = (0i64, 0i64, 0i64);
    let mut incomplete = Vec::new();
    // Where the time goes, for the message: waiting for the POS (what prefetching did not hide)
    // and posting.
    let (mut waited, mut posting) = (Duration::ZERO, Duration::ZERO);
    loop {
        let asked = Instant::now();
        let Some((date, day)) = fetches.try_next().await? else {
            break;
        };
        waited += asked.elapsed();
        let started = Instant::now();
        let message = if day.complete {
            if !day.lines.is_empty() {
                // Items sold but never synced (modifiers, new buttons) join the working list.
                let seen = sale_lines::items_seen(&day.lines);
                mappings::remember_items(db, ctx.location.company_id, integration.id, &seen)
                    .await?;
            }
            let log = pipeline::import_day(db, &mut ctx, date, &day.lines, Some(job.id)).await?;
            entries += log.entries_posted;
            unmapped += log.lines_unmapped;
            lines += log.lines_total;
            format!("day {} of {total} transferred ({date})", done + 1)
        } else {
            incomplete.push(date);
            format!(
                "day {} of {total}: {date} is not complete in the POS yet, not posted",
                done + 1
            )
        };
        done += 1;
        posting += started.elapsed();
        if !job_runs::progress(db, job.id, done, total, &message).await? {
            return Ok(None);
        }
    }
    let transferred = total - incomplete.len() as i64;
    let timings = if connector.is_some() {
        format!(
            " ({:.1} s waiting for {}, {:.1} s posting)",
            waited.as_secs_f64(),
            live::provider_name(provider),
            posting.as_secs_f64()
        )
    } else {
        String::new()
    };
    Ok(Some(Ok(format!(
        "{transferred} {} transferred: {lines} sale lines, {entries} ledger entries posted{}{}{timings}",
        if transferred == 1 { "day" } else { "days" },
        if unmapped > 0 {
            format!(", {unmapped} lines of unmapped items waiting for a mapping")
        } else {
            String::new()
        },
        if incomplete.is_empty() {
            String::new()
        } else {
            format!(
                "; not complete in the POS yet, so not posted: {}",
                incomplete
                    .iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    ))))
}

/// The automatic transfer: for every active location of an integration whose automatic
/// transfer is ACTIVE, queue the last completed business day and the day before (to pick up
/// receipts closed late; a day already transferred posts only what changed). Returns the runs
/// queued. A location busy with another run is left for the next tick.
pub async fn queue_due_imports<C: Writer + Clone + Send + Sync + 'static>(
    db: &C,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<job_run::Model>> {
    let integrations = pos_integration::Entity::find()
        .filter(pos_integration::Column::AutomaticTransfer.eq(AutomaticTransfer::Active))
        .filter(pos_integration::Column::ConnectionState.eq(ConnectionState::Connected))
        .all(db)
        .await?;
    let mut queued = Vec::new();
    for integration in integrations {
        let active = pos_location::Entity::find()
            .filter(pos_location::Column::IntegrationId.eq(integration.id))
            .filter(pos_location::Column::Active.eq(true))
            .all(db)
            .await?;
        for location in active.into_iter().filter(locations::imported_automatically) {
            let company = locations::company_of(db, location.company_id).await?;
            let last = business_days::last_completed(&company, now);
            let already = sales_import::Entity::find()
                .filter(sales_import::Column::LocationId.eq(location.id))
                .filter(sales_import::Column::BusinessDate.eq(last))
                .count(db)
                .await?;
            // A day is due until it has a transfer log: the migration writes one for every day
            // it posted (a location activated today is skipped while its migration holds the
            // lock), and a day the POS had not completed yet gets none, so it is tried again.
            if already > 0 {
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
