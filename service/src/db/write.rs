//! Write transactions: where they queue, and what happens when one clashes with another.
//!
//! **SQLite** has one writer at a time per database file. Left to itself, every connection of
//! the pool that wants to write sleeps and polls in SQLite's busy handler, so under twenty
//! writers the unlucky ones wait for a second while the median waits for a millisecond. Here
//! every write transaction of the process takes the database's *write lane* instead: a pool of
//! exactly one connection, whose fair queue hands the write lock to writers in the order they
//! asked. Readers keep the main pool and never wait for writers (WAL). Writers in another
//! process (a second worker) still meet this one in the busy handler.
//!
//! **PostgreSQL** writers lock the balance rows they need in one order
//! ([`crate::ledger::locks`]), so they do not deadlock; what is left — a lock needed out of
//! order, refused with NOWAIT; a deadlock through some other table; a serialization failure —
//! is *transient*: [`retrying`] runs the whole unit of work again, a few times with jitter,
//! before the caller sees RATE_LIMITED (never INTERNAL).

use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use std::sync::{LazyLock, Mutex};
use std::time::Duration;

use rand::Rng;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, SqliteTransactionMode,
    SqlxSqliteConnector, TransactionOptions, TransactionTrait,
};

use crate::error::{ServiceError, ServiceResult};

/// How many times a unit of work runs before its clash is the caller's: the first run and
/// four more. Each clash means another writer made progress, so a fifth loss in a row means
/// the stock is contended beyond what waiting a few milliseconds fixes.
pub const ATTEMPTS: u32 = 5;

/// A connection a unit of work can open a write transaction on: the database itself, or a
/// transaction already open (which nests as a savepoint and needs no lane).
pub trait Writer: ConnectionTrait + TransactionTrait + Sync {
    /// Opens a write transaction: on the SQLite write lane with `BEGIN IMMEDIATE`, so the
    /// write lock is held from the start and never upgraded mid-way; a plain `BEGIN` on
    /// PostgreSQL (row locks come from [`crate::ledger::locks`]).
    fn begin_write(&self) -> impl Future<Output = ServiceResult<DatabaseTransaction>> + Send;
}

fn immediate() -> TransactionOptions {
    TransactionOptions {
        isolation_level: None,
        access_mode: None,
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
    }
}

impl Writer for DatabaseConnection {
    async fn begin_write(&self) -> ServiceResult<DatabaseTransaction> {
        let Some(lane) = write_lane(self) else {
            return Ok(self.begin_with_options(immediate()).await?);
        };
        let _waiting = Waiting::start();
        Ok(lane.begin_with_options(immediate()).await?)
    }
}

/// Write transactions of this process waiting for (or opening on) an SQLite write lane.
static QUEUED: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

/// How many writers wait for the write lane now (the metrics' queue depth).
pub fn queue_depth() -> i64 {
    QUEUED.load(std::sync::atomic::Ordering::Relaxed)
}

/// Counts one writer in the lane's queue until it has its transaction (or gave up).
struct Waiting;

impl Waiting {
    fn start() -> Self {
        QUEUED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Self
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        QUEUED.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
    }
}

impl Writer for DatabaseTransaction {
    async fn begin_write(&self) -> ServiceResult<DatabaseTransaction> {
        Ok(self.begin_with_options(immediate()).await?)
    }
}

/// A write transaction on `db` (see [`Writer::begin_write`]).
pub async fn begin_write<C: Writer>(db: &C) -> ServiceResult<DatabaseTransaction> {
    db.begin_write().await
}

/// The write lanes of the SQLite database files this process has opened, by file.
static LANES: LazyLock<Mutex<HashMap<PathBuf, DatabaseConnection>>> =
    LazyLock::new(Default::default);

/// The one-connection pool that every write transaction on `db`'s SQLite file goes through;
/// `None` on PostgreSQL and for an in-memory database (a second pool would open another one).
fn write_lane(db: &DatabaseConnection) -> Option<DatabaseConnection> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return None;
    }
    let options = db.get_sqlite_connection_pool().connect_options();
    let file = options.get_filename().to_path_buf();
    let name = file.to_string_lossy();
    if name.is_empty() || name.contains(":memory:") || name.starts_with("file:sqlx-in-memory") {
        return None;
    }
    super::checkpoint::keep_up(&file, &options);
    let mut lanes = LANES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let lane = lanes.entry(file).or_insert_with(|| {
        let pool = sea_orm::sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(0)
            // A lane nobody wrote through for a while lets its connection go (tests open
            // hundreds of databases in one process).
            .idle_timeout(Duration::from_secs(30))
            // The queue's length in time: past it a writer gets RATE_LIMITED, not a hang.
            .acquire_timeout(Duration::from_secs(30))
            .connect_lazy_with(
                // Its commits leave the checkpoint to the background (`checkpoint`).
                (*options)
                    .clone()
                    .pragma("wal_autocheckpoint", super::checkpoint::LANE_AUTOCHECKPOINT),
            );
        SqlxSqliteConnector::from_sqlx_sqlite_pool(pool)
    });
    Some(lane.clone())
}

/// Runs `unit` — a whole unit of work that opens its write transaction with [`begin_write`]
/// and commits it — and runs it again from the start when it failed on a transient clash
/// ([`ServiceError::Contended`]), up to [`ATTEMPTS`] times with a growing, jittered pause. The
/// unit is re-run from its reads: whatever it decided on the first run may have changed.
pub async fn retrying<T, F, Fut>(mut unit: F) -> ServiceResult<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ServiceResult<T>>,
{
    let mut retry = Retry::default();
    loop {
        if let Some(done) = retry.settle(unit().await).await {
            return done;
        }
    }
}

/// [`retrying`] for a unit of work that a closure cannot hold (one that borrows its caller's
/// state mutably): `loop { if let Some(done) = retry.settle(unit(..).await).await { return done } }`.
#[derive(Debug)]
pub struct Retry {
    attempt: u32,
}

impl Default for Retry {
    fn default() -> Self {
        Self { attempt: 1 }
    }
}

impl Retry {
    /// The answer to give when `result` is one, or `None` after a pause when the unit should
    /// run again.
    pub async fn settle<T>(&mut self, result: ServiceResult<T>) -> Option<ServiceResult<T>> {
        match result {
            Err(ServiceError::Contended(why)) if self.attempt < ATTEMPTS => {
                tracing::debug!(attempt = self.attempt, %why, "a write clashed with another; running it again");
                tokio::time::sleep(pause(self.attempt)).await;
                self.attempt += 1;
                None
            }
            Err(ServiceError::Contended(why)) => {
                tracing::warn!(attempts = self.attempt, %why, "a write kept clashing; giving up");
                Some(Err(ServiceError::RateLimited {
                    retry_after_seconds: 1,
                    message: "the same stock is being changed by many people at once".into(),
                }))
            }
            done => Some(done),
        }
    }
}

/// 2, 4, 8, 16 ms, each somewhere between half and all of it, so that two writers that
/// clashed do not meet again at the same instant.
fn pause(attempt: u32) -> Duration {
    let ceiling = 1u64 << attempt.min(10);
    let millis = rand::thread_rng().gen_range(ceiling / 2..=ceiling);
    Duration::from_millis(millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_contended_unit_runs_again_until_it_succeeds() {
        let mut runs = 0;
        let out = retrying(|| {
            runs += 1;
            let this_run = runs;
            async move {
                if this_run < 3 {
                    Err(ServiceError::Contended("test".into()))
                } else {
                    Ok(this_run)
                }
            }
        })
        .await;
        assert_eq!(out.unwrap(), 3);
    }

    #[tokio::test]
    async fn a_unit_that_keeps_clashing_answers_rate_limited_after_the_last_attempt() {
        let mut runs = 0;
        let out: ServiceResult<()> = retrying(|| {
            runs += 1;
            async { Err(ServiceError::Contended("test".into())) }
        })
        .await;
        assert_eq!(runs, ATTEMPTS);
        assert!(matches!(out, Err(ServiceError::RateLimited { .. })));
    }

    #[tokio::test]
    async fn other_errors_are_not_retried() {
        let mut runs = 0;
        let out: ServiceResult<()> = retrying(|| {
            runs += 1;
            async { Err(ServiceError::validation("quantity", "must be positive")) }
        })
        .await;
        assert_eq!(runs, 1);
        assert!(matches!(out, Err(ServiceError::Validation { .. })));
    }

    #[test]
    fn pauses_grow_and_stay_within_their_ceiling() {
        for attempt in 1..ATTEMPTS {
            let ceiling = Duration::from_millis(1 << attempt);
            let p = pause(attempt);
            assert!(
                p >= ceiling / 2 && p <= ceiling,
                "{p:?} for attempt {attempt}"
            );
        }
    }
}
