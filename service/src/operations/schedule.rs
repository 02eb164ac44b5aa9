//! Scheduled backups (`--backup-dir DIR --backup-every HOURS --backup-keep N`): any process of
//! a database may run the schedule; one takes each backup, under a lock (an advisory lock on
//! PostgreSQL, a file lock beside the archives otherwise), and only when the last one recorded
//! in the database is a period old. The newest `keep` archives stay.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

use super::{OperationResult, io};

/// The advisory lock of the PostgreSQL process taking a backup.
const BACKUP_LOCK: i64 = 0x4c41_5244_4552_0002;
const PREFIX: &str = "larder-";
const SUFFIX: &str = ".tar.gz";

#[derive(Debug, Clone)]
pub struct Schedule {
    pub dir: PathBuf,
    pub every: Duration,
    pub keep: usize,
}

/// When the last backup recorded in the database was taken.
pub async fn last_success<C: ConnectionTrait>(db: &C) -> OperationResult<Option<DateTime<Utc>>> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT taken_at FROM backups ORDER BY taken_at DESC LIMIT 1",
        ))
        .await?;
    Ok(row
        .map(|r| r.try_get_by_index::<DateTime<Utc>>(0))
        .transpose()?)
}

/// Takes a backup into the schedule's folder when one is due and no other process is taking
/// it; returns the archive taken, if any.
pub async fn take_if_due(
    db: &DatabaseConnection,
    database_url: &str,
    key_hex: &str,
    schedule: &Schedule,
) -> OperationResult<Option<PathBuf>> {
    std::fs::create_dir_all(&schedule.dir)
        .map_err(io(format!("creating {}", schedule.dir.display())))?;
    let Some(_lock) = BackupLock::try_take(db, &schedule.dir).await? else {
        return Ok(None);
    };
    let period = chrono::Duration::from_std(schedule.every).unwrap_or(chrono::Duration::hours(24));
    let now = Utc::now();
    if last_success(db)
        .await?
        .is_some_and(|last| now - last < period)
    {
        return Ok(None);
    }
    let out = schedule.dir.join(format!(
        "{PREFIX}{}{SUFFIX}",
        now.format("%Y%m%dT%H%M%S%.3fZ")
    ));
    super::backup::backup(db, database_url, key_hex, &out).await?;
    let bytes = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    db.execute_raw(Statement::from_sql_and_values(
        db.get_database_backend(),
        match db.get_database_backend() {
            DbBackend::Postgres => {
                "INSERT INTO backups (taken_at, file, bytes) VALUES ($1, $2, $3)"
            }
            _ => "INSERT INTO backups (taken_at, file, bytes) VALUES (?, ?, ?)",
        },
        [
            now.into(),
            out.to_string_lossy().into_owned().into(),
            (bytes as i64).into(),
        ],
    ))
    .await?;
    prune(&schedule.dir, schedule.keep)?;
    Ok(Some(out))
}

/// Removes all but the newest `keep` archives of the schedule (by their names, which sort by
/// time); other files in the folder are never touched.
fn prune(dir: &Path, keep: usize) -> OperationResult<()> {
    let mut archives: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io(format!("reading {}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(PREFIX) && n.ends_with(SUFFIX))
        })
        .collect();
    archives.sort();
    let surplus = archives.len().saturating_sub(keep.max(1));
    for old in &archives[..surplus] {
        std::fs::remove_file(old).map_err(io(format!("removing {}", old.display())))?;
    }
    Ok(())
}

/// Held while one process takes a scheduled backup.
enum BackupLock {
    File(#[allow(dead_code)] std::fs::File),
    Postgres(Option<sea_orm::sqlx::pool::PoolConnection<sea_orm::sqlx::Postgres>>),
}

impl BackupLock {
    async fn try_take(db: &DatabaseConnection, dir: &Path) -> OperationResult<Option<Self>> {
        if db.get_database_backend() == DbBackend::Postgres {
            let mut conn = db
                .get_postgres_connection_pool()
                .acquire()
                .await
                .map_err(crate::db::sqlx_failed)?;
            let (taken,): (bool,) = sea_orm::sqlx::query_as("SELECT pg_try_advisory_lock($1)")
                .bind(BACKUP_LOCK)
                .fetch_one(&mut *conn)
                .await
                .map_err(crate::db::sqlx_failed)?;
            return Ok(taken.then_some(Self::Postgres(Some(conn))));
        }
        let path = dir.join(".larder-backup.lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io(format!("opening {}", path.display())))?;
        match file.try_lock() {
            Ok(()) => Ok(Some(Self::File(file))),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => {
                Err(io(format!("locking {}", path.display()))(e))
            }
        }
    }
}

impl Drop for BackupLock {
    fn drop(&mut self) {
        // The lock is the session's: closing its connection (taken out of the pool) releases
        // it on every path, an error included.
        if let Self::Postgres(conn) = self
            && let Some(conn) = conn.take()
        {
            drop(conn.detach());
        }
    }
}
