//! `larder backup`: a consistent copy of a running Larder in one archive. SQLite: `VACUUM INTO`
//! reads one snapshot while the server keeps writing (WAL: writers are not blocked) and writes
//! it page by page, so memory stays flat. PostgreSQL: `pg_dump -Fc`, one snapshot as well.

use std::path::{Path, PathBuf};

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend};

use super::archive::{self, Backend, Manifest};
use super::{OperationResult, io, migration_level, refused};

/// Takes a backup of `db` (reached at `database_url`) with the secret key `key_hex` into `out`,
/// which must not exist yet.
pub async fn backup(
    db: &DatabaseConnection,
    database_url: &str,
    key_hex: &str,
    out: &Path,
) -> OperationResult<Manifest> {
    if out.exists() {
        return Err(refused(format!(
            "{} exists already: a backup never overwrites a file",
            out.display()
        )));
    }
    let folder = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !folder.is_dir() {
        return Err(refused(format!("{} is not a directory", folder.display())));
    }
    // The snapshot is written beside the archive (the same file system) and removed after.
    let scratch = tempfile::Builder::new()
        .prefix(".larder-backup-")
        .tempdir_in(&folder)
        .map_err(io(format!(
            "creating a scratch directory in {}",
            folder.display()
        )))?;
    let migration = migration_level(db).await?;
    let key = scratch.path().join(archive::SECRET_KEY);
    std::fs::write(&key, key_hex.trim()).map_err(io("writing the key"))?;
    let (backend, database) = match db.get_database_backend() {
        DbBackend::Sqlite => {
            let copy = scratch.path().join(archive::SQLITE_DATABASE);
            snapshot_sqlite(db, &copy).await?;
            (Backend::Sqlite, (archive::SQLITE_DATABASE, copy))
        }
        _ => {
            let dump = scratch.path().join(archive::POSTGRES_DUMP);
            dump_postgres(database_url, &dump).await?;
            (Backend::Postgres, (archive::POSTGRES_DUMP, dump))
        }
    };
    let out = out.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let written = archive::write(
            &out,
            &migration,
            backend,
            &[database, (archive::SECRET_KEY, key)],
        );
        drop(scratch);
        written
    })
    .await
    .map_err(|e| refused(format!("the archive writer stopped: {e}")))?
}

/// `VACUUM INTO` a new file: one read transaction over the live database.
async fn snapshot_sqlite(db: &DatabaseConnection, copy: &Path) -> OperationResult<()> {
    let path = copy.to_string_lossy().replace('\'', "''");
    db.execute_unprepared(&format!("VACUUM INTO '{path}'"))
        .await?;
    Ok(())
}

/// `pg_dump -Fc` of the database at `url` into `dump`.
async fn dump_postgres(url: &str, dump: &Path) -> OperationResult<()> {
    let output = tokio::process::Command::new("pg_dump")
        .args(["--format=custom", "--no-owner", "--no-privileges", "--file"])
        .arg(dump)
        .arg("--dbname")
        .arg(url)
        .output()
        .await
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => refused(
                "pg_dump is not installed: a PostgreSQL backup needs PostgreSQL's client tools \
                 (Debian: apt-get install postgresql-client), of the server's major version or newer",
            ),
            _ => io("running pg_dump")(e),
        })?;
    if !output.status.success() {
        return Err(refused(format!(
            "pg_dump failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(())
}
