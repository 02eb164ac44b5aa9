//! Opening the database: SQLite in the data directory by default, PostgreSQL when a
//! `postgres://` URL is given; migrations run on every start.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbBackend};

use crate::error::ServiceResult;

pub mod nodelay;
pub mod write;

pub use write::{Retry, Writer, begin_write, retrying};

pub async fn connect(url: &str) -> ServiceResult<DatabaseConnection> {
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
    let db = Database::connect(options).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

pub fn backend_name(db: &DatabaseConnection) -> &'static str {
    match db.get_database_backend() {
        DbBackend::Sqlite => "sqlite",
        DbBackend::Postgres => "postgres",
        _ => "other",
    }
}
