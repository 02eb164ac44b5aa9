//! Subscriptions: job progress as it happens. Changes arrive on the process-local bus (fed by
//! this process's workers and, on PostgreSQL, by LISTEN on the job channel, so a worker in
//! another process is heard too); a slow poll covers a SQLite worker in another process.

use std::time::Duration;

use async_graphql::{Context, ID, Subscription};
use futures::{Stream, StreamExt};
use sea_orm::DatabaseConnection;
use service::job_runs::{self, JobEvent, JobState};
use tokio::sync::broadcast;

use super::context::{ContextExt, parse_id};
use super::errors::GqlResult;
use super::jobs::JobRun;

#[derive(Default)]
pub struct Subscription;

/// What a subscriber has seen of a run, to send only changes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    state: JobState,
    progress_done: i64,
    progress_total: i64,
    message: Option<String>,
}

fn seen(row: &service::records::JobRun) -> Seen {
    Seen {
        state: row.state,
        progress_done: row.progress_done,
        progress_total: row.progress_total,
        message: row.message.clone(),
    }
}

struct Watch {
    db: DatabaseConnection,
    events: broadcast::Receiver<JobEvent>,
    tick: tokio::time::Interval,
}

impl Watch {
    fn new(db: DatabaseConnection) -> Self {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        Self {
            db,
            events: job_runs::events().subscribe(),
            tick,
        }
    }

    /// The next event, or `None` on a poll tick (the caller then looks itself).
    async fn next(&mut self) -> Option<JobEvent> {
        tokio::select! {
            e = self.events.recv() => e.ok(),
            _ = self.tick.tick() => None,
        }
    }
}

#[Subscription]
impl Subscription {
    /// A job run each time its state or progress changes, from its current state until it
    /// ends.
    async fn job_progress(
        &self,
        ctx: &Context<'_>,
        job_id: ID,
    ) -> async_graphql::Result<impl Stream<Item = JobRun> + use<>> {
        let id = parse_id(&job_id, job_runs::ENTITY, "jobId")?;
        let first = job_runs::get(ctx.db(), ctx.principal()?, id).await.gql()?;
        let watch = Watch::new(ctx.db().clone());
        let state = (watch, Some(first), None::<Seen>, false);
        Ok(futures::stream::unfold(
            state,
            move |(mut watch, mut pending, mut last, ended)| async move {
                if ended {
                    return None;
                }
                loop {
                    if let Some(row) = pending.take()
                        && last.as_ref() != Some(&seen(&row))
                    {
                        last = Some(seen(&row));
                        let finished = row.state.is_finished();
                        return Some((JobRun(row), (watch, None, last, finished)));
                    }
                    match watch.next().await {
                        Some(e) if e.job_id != id => continue,
                        _ => pending = job_runs::reload(&watch.db, id).await.ok(),
                    }
                }
            },
        ))
    }

    /// Every change to any job run of a company.
    async fn company_jobs(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
    ) -> async_graphql::Result<impl Stream<Item = JobRun> + use<>> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        ctx.principal()?.require_read(company_id, "company").gql()?;
        let watch = Watch::new(ctx.db().clone());
        Ok(futures::stream::unfold(watch, move |mut watch| async move {
            loop {
                if let Some(e) = watch.next().await
                    && e.company_id == company_id
                    && let Ok(row) = job_runs::reload(&watch.db, e.job_id).await
                {
                    return Some((JobRun(row), watch));
                }
            }
        })
        .boxed())
    }
}
