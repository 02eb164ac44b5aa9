//! Operations (DESIGN.md, "Operations"): what the person who runs Larder needs so that no data
//! is lost — an online backup into one archive, a restore into an empty target, and the move of
//! a stopped SQLite Larder into PostgreSQL. Each refuses bad input before it changes anything.

pub mod archive;
pub mod backup;
pub mod in_use;
pub mod move_to;
pub mod restore;
pub mod schedule;

use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::error::ServiceError;

/// Why an operation stopped. `Refused` is the operator's input (a missing or non-empty target,
/// a tampered archive, a missing tool): said plainly, and nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum OperationError {
    #[error("{0}")]
    Refused(String),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl From<sea_orm::DbErr> for OperationError {
    fn from(e: sea_orm::DbErr) -> Self {
        Self::Service(e.into())
    }
}

pub type OperationResult<T> = Result<T, OperationError>;

pub(crate) fn refused(message: impl Into<String>) -> OperationError {
    OperationError::Refused(message.into())
}

/// An I/O error with what was being done, for the operator.
pub(crate) fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> OperationError {
    let context = context.into();
    move |source| OperationError::Io { context, source }
}

/// Opens the database at `url` for an operation: PostgreSQL through [`reach_postgres`] (an
/// unreachable server is said within seconds), SQLite as the server opens it.
pub async fn open(url: &str) -> OperationResult<sea_orm::DatabaseConnection> {
    if url.starts_with("sqlite") {
        return Ok(crate::db::open(url).await?);
    }
    reach_postgres(url).await
}

/// Opens the PostgreSQL database at `url` for an operation, after one plain connection has
/// shown it answers: a pool would retry an unreachable server for half a minute, an operator
/// should hear within seconds.
pub(crate) async fn reach_postgres(url: &str) -> OperationResult<sea_orm::DatabaseConnection> {
    use sea_orm::sqlx::Connection;
    if !url.starts_with("postgres://") && !url.starts_with("postgresql://") {
        return Err(refused("the database URL must be a postgres:// URL"));
    }
    let shown = crate::db::without_password(url);
    let unreachable = |why: String| refused(format!("cannot reach the database at {shown}: {why}"));
    let probe = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        sea_orm::sqlx::postgres::PgConnection::connect(url),
    )
    .await
    .map_err(|_| unreachable("no answer within 5 s".into()))?
    .map_err(|e| unreachable(e.to_string()))?;
    let _ = probe.close().await;
    crate::db::open(url)
        .await
        .map_err(|e| unreachable(e.to_string()))
}

/// The newest migration applied to `db` (`m0011_purchasing`): a backup's schema level.
pub async fn migration_level<C: ConnectionTrait>(db: &C) -> OperationResult<String> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT version FROM seaql_migrations ORDER BY version DESC LIMIT 1",
        ))
        .await?
        .ok_or_else(|| refused("the database has no Larder schema"))?;
    Ok(row.try_get_by_index::<String>(0)?)
}

/// The migrations this binary knows, oldest first.
pub fn known_migrations() -> Vec<String> {
    use migration::MigratorTrait;
    migration::Migrator::migrations()
        .iter()
        .map(|m| m.name().to_string())
        .collect()
}

/// The tables of the database's current schema (PostgreSQL) or file (SQLite, without its own).
pub async fn table_names<C: ConnectionTrait>(db: &C) -> OperationResult<Vec<String>> {
    let sql = match db.get_database_backend() {
        DbBackend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
        _ => {
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
        }
    };
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?;
    Ok(rows
        .iter()
        .map(|r| r.try_get_by_index::<String>(0))
        .collect::<Result<_, _>>()?)
}

/// A table name quoted for SQL (the queue's tables have capitals).
pub(crate) fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
