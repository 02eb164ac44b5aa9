//! Whether the job workers are alive, as `/health` reports it: every worker (in any process on
//! this database) beats into apalis' workers table while its poll works; a worker whose poll
//! keeps failing, or that stopped, beats no more.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};
use serde::Serialize;

use crate::QUEUE;

/// A worker of the queue and its last beat.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkerSeen {
    pub name: String,
    pub last_seen: DateTime<Utc>,
}

/// The workers of [`QUEUE`] that ever beat on this database, the most recent first.
pub async fn workers_seen(db: &DatabaseConnection) -> anyhow::Result<Vec<WorkerSeen>> {
    // Both tables are apalis' own; `last_seen` is Unix seconds on SQLite, a timestamp on PostgreSQL.
    let sql = match db.get_database_backend() {
        DatabaseBackend::Sqlite => {
            "SELECT id, CAST(last_seen AS BIGINT) AS seen FROM Workers WHERE worker_type = $1 ORDER BY last_seen DESC LIMIT 50"
        }
        _ => {
            "SELECT id, CAST(EXTRACT(EPOCH FROM last_seen) AS BIGINT) AS seen FROM apalis.workers WHERE worker_type = $1 ORDER BY last_seen DESC LIMIT 50"
        }
    };
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            sql,
            [QUEUE.into()],
        ))
        .await?;
    rows.iter()
        .map(|row| {
            let seen: i64 = row.try_get("", "seen")?;
            Ok(WorkerSeen {
                name: row.try_get("", "id")?,
                last_seen: DateTime::from_timestamp(seen, 0).unwrap_or_default(),
            })
        })
        .collect()
}
