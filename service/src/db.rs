//! Opening the database: SQLite in the data directory by default, PostgreSQL when a
//! `postgres://` URL is given; migrations run on every start, under the schema lock.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbBackend};

use crate::error::ServiceResult;

mod checkpoint;
pub mod nodelay;
pub mod params;
pub mod write;

pub use write::{Retry, Writer, begin_write, retrying};

/// Opens the database at `url` and migrates it up (under the schema lock).
pub async fn connect(url: &str) -> ServiceResult<DatabaseConnection> {
    let db = open(url).await?;
    under_schema_lock(&db, async {
        ServiceResult::Ok(Migrator::up(&db, None).await?)
    })
    .await?;
    Ok(db)
}

/// `url` without its password, for a message (`postgres://larder:***@db/larder`).
pub fn without_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_string(),
    }
}

/// Opens the database at `url` as it is, without migrating it.
pub async fn open(url: &str) -> ServiceResult<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_string());
    options
        .max_connections(if url.starts_with("sqlite") { 8 } else { 16 })
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30))
        .sqlx_logging(false);
    if url.starts_with("sqlite") {
        // WAL lets readers run beside the one writer; the busy timeout makes writers wait for
        // each other instead of failing; SQLite leaves foreign keys off unless asked.
        options.map_sqlx_sqlite_opts(|o| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                .create_if_missing(true)
                // 64 MiB of page cache per connection: a pair's recompute touches pages all
                // over a large ledger.
                .pragma("cache_size", "-65536")
                .pragma("temp_store", "memory")
                // Searches match with REGEXP: SQLite's LIKE folds ASCII letters only.
                .with_regexp()
        });
    }
    if url.starts_with("postgres") {
        // Until sqlx sets it again itself (see `nodelay`).
        options.map_sqlx_postgres_pool_opts(|o| {
            o.after_connect(|conn, _| Box::pin(async move { nodelay::set_on(conn).await }))
        });
    }
    Ok(Database::connect(options).await?)
}

/// The PostgreSQL advisory lock every process holds while it changes the schema (Larder's
/// migrations, the queue's own tables). Two processes started together on one empty database
/// would otherwise both create the same tables and types, and one would die on the duplicate.
const SCHEMA_LOCK: i64 = 0x4c41_5244_4552_0001;

/// Runs `work` while this process holds the schema lock (PostgreSQL; SQLite serialises its own
/// writers, and its migrations run in the one process that opened the file first). The lock
/// is held on one connection of the pool for the duration and released on every outcome.
pub async fn under_schema_lock<T, E>(
    db: &DatabaseConnection,
    work: impl std::future::Future<Output = Result<T, E>>,
) -> Result<T, E>
where
    E: From<crate::error::ServiceError>,
{
    if db.get_database_backend() != DbBackend::Postgres {
        return work.await;
    }
    let pool = db.get_postgres_connection_pool();
    let mut holder = pool.acquire().await.map_err(sqlx_failed)?;
    let lock = |sql: &'static str| sea_orm::sqlx::query(sql).bind(SCHEMA_LOCK);
    lock("SELECT pg_advisory_lock($1)")
        .execute(&mut *holder)
        .await
        .map_err(sqlx_failed)?;
    let outcome = work.await;
    if let Err(e) = lock("SELECT pg_advisory_unlock($1)")
        .execute(&mut *holder)
        .await
    {
        // The lock goes with the session: closing the connection releases it.
        tracing::warn!(error = %e, "could not release the schema lock; closing its connection");
        holder.detach();
    }
    outcome
}

/// An error of a statement run through sqlx directly (a lock, a copy), as SeaORM reports one.
pub fn sqlx_failed(e: sea_orm::sqlx::Error) -> crate::error::ServiceError {
    crate::error::ServiceError::from(sea_orm::DbErr::Query(sea_orm::RuntimeErr::SqlxError(
        e.into(),
    )))
}

pub fn backend_name(db: &DatabaseConnection) -> &'static str {
    match db.get_database_backend() {
        DbBackend::Sqlite => "sqlite",
        DbBackend::Postgres => "postgres",
        _ => "other",
    }
}
