//! Background work on the apalis queue (SQLite by default, PostgreSQL under `DATABASE_URL`):
//! the relay that moves new job runs onto the queue, the workers that run them (each a thin call
//! into `service`), and the scheduler of automatic transfers (apalis-cron).
//!
//! One message type, [`RunJob`], on one named queue; the job run row says what to do.

use std::future::Future;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use apalis::layers::retry::HasherRng;
use apalis::layers::retry::RetryPolicy;
use apalis::layers::retry::backoff::{ExponentialBackoffMaker, MakeBackoff};
use apalis::prelude::*;
use apalis_cron::{CronScheduler, Tick};
use apalis_postgres::PostgresStorage;
use apalis_sqlite::SqliteStorage;
use sea_orm::{DatabaseBackend, DatabaseConnection};
use serde::{Deserialize, Serialize};
use service::pos::live::LiveSettings;

pub mod health;

/// The queue's name, fixed so moving the message type never changes it.
pub const QUEUE: &str = "larder-jobs";
/// Tries of one message before its run is recorded FAILED.
pub const MAX_ATTEMPTS: usize = 4;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunJob {
    pub job_run_id: i64,
}

#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// Unique per process: the queue re-enqueues the tasks of a worker that stopped beating.
    pub name: String,
    pub concurrency: usize,
    /// When the scheduler looks for closed business days (cron, with seconds).
    pub schedule: String,
    pub heartbeat: Duration,
}

impl Default for WorkerOptions {
    fn default() -> Self {
        Self {
            name: format!(
                "larder-{}-{:04x}",
                std::process::id(),
                rand::random::<u16>()
            ),
            concurrency: 2,
            schedule: "0 */5 * * * *".into(),
            heartbeat: Duration::from_secs(2),
        }
    }
}

/// Sets up the queue's tables (apalis' own migrations), under the schema lock: processes
/// started together on one empty PostgreSQL database create them once.
pub async fn setup(db: &DatabaseConnection) -> anyhow::Result<()> {
    service::db::under_schema_lock(db, async {
        match db.get_database_backend() {
            DatabaseBackend::Sqlite => SqliteStorage::setup(&sqlite_pool(db).await?).await?,
            _ => PostgresStorage::setup(db.get_postgres_connection_pool()).await?,
        }
        anyhow::Ok(())
    })
    .await
}

/// The queue's own SQLite pool on the same file: apalis sets per-connection pragmas
/// (synchronous=OFF among them) that must not reach the connections the ledger writes through.
async fn sqlite_pool(db: &DatabaseConnection) -> anyhow::Result<apalis_sqlite::SqlitePool> {
    let options = (*db.get_sqlite_connection_pool().connect_options()).clone();
    Ok(apalis_sqlite::SqlitePoolOptions::new()
        .max_connections(3)
        .connect_with(options)
        .await?)
}

fn sqlite_config(options: &WorkerOptions) -> apalis_sqlite::Config {
    apalis_sqlite::Config::default()
        .queue(QUEUE)
        .heartbeat_interval(options.heartbeat)
        .missed_heartbeats(3)
}

fn postgres_config(options: &WorkerOptions) -> apalis_postgres::Config {
    apalis_postgres::Config::default()
        .queue(QUEUE)
        .heartbeat_interval(options.heartbeat)
        .missed_heartbeats(3)
}

/// The workers and the scheduler over one storage (a macro: the two storages are different
/// types whose worker bounds are not worth spelling out).
macro_rules! monitor {
    ($db:expr, $live:expr, $options:expr, $schedule:expr, $backend:expr) => {{
        let live = $live.clone();
        let (name, concurrency) = ($options.name.clone(), $options.concurrency);
        let cron_name = format!("{}-scheduler", $options.name);
        let (db, cron_db, schedule, backend) = ($db.clone(), $db.clone(), $schedule, $backend);
        // Each start of the worker — the first, and every restart after an error — takes a
        // name of its own: tasks its previous self had fetched but not run are locked by that
        // name, and only a name that stops beating gets its tasks handed on (after three beats).
        let generation = std::sync::atomic::AtomicU64::new(0);
        Monitor::new()
            .register(move |_| {
                let start = generation.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let name = if start == 0 {
                    name.clone()
                } else {
                    format!("{name}-restart{start}")
                };
                let backoff = ExponentialBackoffMaker::new(
                    Duration::from_millis(500),
                    Duration::from_secs(10),
                    2.0,
                    HasherRng::default(),
                )
                .expect("valid backoff bounds")
                .make_backoff();
                WorkerBuilder::new(name.as_str())
                    .backend(backend.clone())
                    .concurrency(concurrency)
                    .retry(RetryPolicy::retries(MAX_ATTEMPTS - 1).with_backoff(backoff))
                    .catch_panic()
                    .enable_tracing()
                    .data(db.clone())
                    .data(live.clone())
                    .build(run_job)
            })
            .register(move |_| {
                WorkerBuilder::new(cron_name.as_str())
                    .backend(CronScheduler::new(schedule.clone()))
                    .data(cron_db.clone())
                    .build(scheduler_tick)
            })
            .should_restart(restart_after_error)
            .shutdown_timeout(Duration::from_secs(10))
    }};
}

/// A worker whose future ended with an error — its backend's poll failed because the database
/// was locked past its busy timeout, or gone — is started again: apalis would leave it dead, and
/// every job queued afterwards QUEUED while the API kept accepting them. The failing poll itself
/// waits out the busy timeout (SQLite) or the pool's connect timeout (PostgreSQL), which paces
/// the restarts.
fn restart_after_error(worker: &WorkerContext, error: &WorkerError) -> bool {
    // Once per streak: a database away for a minute restarts the worker every few seconds, and
    // one line says so; the next streak (a restart after a quiet minute) gets its own.
    static LAST_RESTART: std::sync::Mutex<Option<std::time::Instant>> = std::sync::Mutex::new(None);
    let mut last = LAST_RESTART.lock().unwrap_or_else(|e| e.into_inner());
    let new_streak = last.is_none_or(|at| at.elapsed() > Duration::from_secs(60));
    *last = Some(std::time::Instant::now());
    if new_streak {
        tracing::warn!(
            worker = %worker.name(),
            restarts = worker.restarts(),
            error = %error,
            "job worker stopped with an error; starting it again (until it polls again)"
        );
    } else {
        tracing::debug!(worker = %worker.name(), restarts = worker.restarts(), error = %error, "job worker restarted again");
    }
    true
}

/// Runs the relay, the workers and the scheduler until `shutdown` resolves.
pub async fn run(
    db: DatabaseConnection,
    options: WorkerOptions,
    live: Arc<LiveSettings>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    setup(&db).await?;
    tracing::info!(worker = %options.name, "job workers starting");
    let schedule = cron::Schedule::from_str(&options.schedule)?;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let signal = async move {
        shutdown.await;
        let _ = stop_tx.send(true);
        Ok(())
    };
    match db.get_database_backend() {
        DatabaseBackend::Sqlite => {
            let pool = sqlite_pool(&db).await?;
            let storage: SqliteStorage<RunJob> =
                SqliteStorage::new(&pool).with_config(sqlite_config(&options));
            let relay = tokio::spawn(relay(db.clone(), Queue::Sqlite(storage.clone()), stop_rx));
            let monitor = monitor!(
                db,
                live,
                options,
                schedule,
                storage.poll_with_interval(Duration::from_millis(200))
            );
            monitor.run_with_signal(signal).await?;
            relay.abort();
        }
        _ => {
            let storage: PostgresStorage<RunJob> =
                PostgresStorage::new(db.get_postgres_connection_pool())
                    .with_config(postgres_config(&options));
            let relay = tokio::spawn(relay(db.clone(), Queue::Postgres(storage.clone()), stop_rx));
            let monitor = monitor!(
                db,
                live,
                options,
                schedule,
                storage.poll_with_interval(Duration::from_millis(200))
            );
            monitor.run_with_signal(signal).await?;
            relay.abort();
        }
    }
    tracing::info!("job workers stopped");
    Ok(())
}

/// Runs one job run. A transient failure goes back to the retry layer; on the last attempt the
/// run is recorded FAILED so nobody waits on it forever.
async fn run_job(
    message: RunJob,
    db: Data<DatabaseConnection>,
    live: Data<Arc<LiveSettings>>,
    attempt: Attempt,
) -> Result<(), BoxDynError> {
    // A panic in the work (a bug, never a user's input) ends the run FAILED and frees its
    // location, instead of leaving it RUNNING with the worker's task gone.
    let started = std::time::Instant::now();
    let work =
        std::panic::AssertUnwindSafe(service::pos::work::run(&*db, &live, message.job_run_id));
    let outcome = futures::FutureExt::catch_unwind(work).await;
    record(&db, message.job_run_id, started.elapsed()).await;
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(panic) => {
            let why = service::faults::panic_message(panic.as_ref());
            tracing::error!(job = message.job_run_id, panic = %why, "job panicked");
            service::pos::work::end_after_panic(&*db, message.job_run_id).await?;
            return Ok(());
        }
    };
    match outcome {
        Ok(()) => Ok(()),
        Err(transient) if attempt.current() + 1 >= MAX_ATTEMPTS => {
            service::pos::work::give_up(&*db, message.job_run_id, &transient.0).await?;
            Ok(())
        }
        Err(transient) => Err(Box::new(transient)),
    }
}

/// A job run's attempt in the metrics: its kind, the state it is in afterwards, how long it took.
async fn record(db: &DatabaseConnection, job_run_id: i64, took: Duration) {
    let Ok(run) = service::job_runs::reload(db, job_run_id).await else {
        return;
    };
    let kind = run.kind.code();
    metrics::counter!("larder_jobs_total", "kind" => kind.clone(), "state" => run.state.code())
        .increment(1);
    metrics::histogram!("larder_job_duration_seconds", "kind" => kind).record(took.as_secs_f64());
}

async fn scheduler_tick(tick: Tick, db: Data<DatabaseConnection>) -> Result<(), BoxDynError> {
    let queued = service::pos::work::queue_due_imports(&*db, chrono::Utc::now()).await?;
    if !queued.is_empty() {
        tracing::info!(at = ?tick.get_timestamp(), runs = queued.len(), "automatic transfers queued");
    }
    Ok(())
}

/// Moves QUEUED job runs onto the queue: all of them at start-up (a crash may have come between
/// a run's commit and its push), then each new one as it is written. Pushing is idempotent (the
/// run's id is the task's idempotency key), so a run is never queued twice.
async fn relay(
    db: DatabaseConnection,
    mut queue: Queue,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let mut events = service::job_runs::events().subscribe();
    let mut everything = true;
    loop {
        match service::job_runs::to_enqueue(&db, everything).await {
            Ok(ids) => {
                for id in ids {
                    match queue.push(id).await {
                        Ok(()) => {
                            if let Err(e) = service::job_runs::mark_enqueued(&db, id).await {
                                tracing::warn!(job = id, error = %e, "could not mark a job run enqueued");
                            }
                        }
                        Err(e) => tracing::warn!(job = id, error = %e, "could not push a job run"),
                    }
                }
                everything = false;
            }
            Err(e) => tracing::warn!(error = %e, "relay could not read job runs"),
        }
        // A run written in this process wakes the relay at once; others are found by polling.
        tokio::select! {
            _ = events.recv() => {}
            _ = tokio::time::sleep(Duration::from_millis(300)) => {}
            _ = stop.changed() => return,
        }
    }
}

/// The producer side of either storage.
enum Queue {
    Sqlite(SqliteStorage<RunJob>),
    Postgres(PostgresStorage<RunJob>),
}

impl Queue {
    async fn push(&mut self, id: i64) -> Result<(), String> {
        let builder = || {
            TaskBuilder::new(RunJob { job_run_id: id })
                .idempotency_key(format!("job-run-{id}"))
                .max_attempts(MAX_ATTEMPTS)
        };
        match self {
            Queue::Sqlite(s) => s
                .push_task(builder().build())
                .await
                .map_err(|e| e.to_string()),
            Queue::Postgres(s) => s
                .push_task(builder().build())
                .await
                .map_err(|e| e.to_string()),
        }
    }
}

/// On PostgreSQL, forwards job-run NOTIFYs from every process to this process's bus, so its
/// GraphQL subscriptions hear workers running elsewhere. Reconnects after a lost connection.
pub async fn forward_job_notifications(db: DatabaseConnection) {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return;
    }
    let pool = db.get_postgres_connection_pool().clone();
    loop {
        match apalis_postgres::PgListener::connect_with(&pool).await {
            Ok(mut listener) => {
                if let Err(e) = listener.listen(service::job_runs::NOTIFY_CHANNEL).await {
                    tracing::warn!(error = %e, "could not LISTEN for job changes");
                } else {
                    while let Ok(n) = listener.recv().await {
                        if let Some(event) = service::job_runs::JobEvent::parse(n.payload()) {
                            let _ = service::job_runs::events().send(event);
                        }
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "could not connect to LISTEN for job changes"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
