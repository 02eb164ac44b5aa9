//! `larder restore`: an archive into an empty data dir (SQLite) or an empty PostgreSQL
//! database. Every check comes before the first write — the archive's digests, its migration
//! level against this binary's, the target's emptiness — so a refusal leaves the target as it was.

use std::path::{Path, PathBuf};

use super::archive::{self, Backend, Manifest};
use super::{OperationResult, io, known_migrations, reach_postgres, refused, table_names};

/// Where a backup is restored to.
pub struct RestoreTarget {
    /// The data dir: the SQLite file goes here, and the secret key in either case.
    pub data_dir: PathBuf,
    /// A PostgreSQL URL for a PostgreSQL backup; `None` restores into the data dir's SQLite file.
    pub database_url: Option<String>,
}

/// What was restored.
pub struct Restored {
    pub manifest: Manifest,
    pub key_file: PathBuf,
}

pub async fn restore(file: &Path, target: &RestoreTarget) -> OperationResult<Restored> {
    let data_dir = &target.data_dir;
    let key_file = data_dir.join(archive::SECRET_KEY);
    let data_dir_existed = data_dir.exists();
    if data_dir_existed && !data_dir.is_dir() {
        return Err(refused(format!(
            "{} is not a directory",
            data_dir.display()
        )));
    }
    let postgres = match target.database_url.as_deref().filter(|u| !u.is_empty()) {
        Some(url) => Some(empty_postgres(url).await?),
        None => {
            if data_dir_existed && has_entries(data_dir)? {
                return Err(refused(format!(
                    "{} is not empty: a backup is restored into an empty data dir only",
                    data_dir.display()
                )));
            }
            None
        }
    };
    if postgres.is_some() && key_file.exists() {
        return Err(refused(format!(
            "{} holds a secret key already: restore into a data dir without one",
            data_dir.display()
        )));
    }
    // Read and check the whole archive before anything is written to the target.
    let scratch = tempfile::Builder::new()
        .prefix(".larder-restore-")
        .tempdir()
        .map_err(io("creating a scratch directory"))?;
    let (archive_path, into) = (file.to_path_buf(), scratch.path().to_path_buf());
    let manifest = tokio::task::spawn_blocking(move || archive::read(&archive_path, &into))
        .await
        .map_err(|e| refused(format!("the archive reader stopped: {e}")))??;
    check_level(&manifest)?;
    match (manifest.backend, &postgres) {
        (Backend::Postgres, None) => {
            return Err(refused(
                "this is a backup of a PostgreSQL Larder: restore it with --database-url postgres://… (an empty database)",
            ));
        }
        (Backend::Sqlite, Some(_)) => {
            return Err(refused(
                "this is a backup of an SQLite Larder: restore it into an empty data dir, then `larder move-to postgres://…`",
            ));
        }
        _ => {}
    }
    let created_dir = !data_dir_existed;
    std::fs::create_dir_all(data_dir).map_err(io(format!("creating {}", data_dir.display())))?;
    let placed = place(scratch.path(), target, postgres).await;
    if placed.is_err() {
        // Leave the target as it was: the files this restore put there go again.
        let _ = std::fs::remove_file(&key_file);
        let _ = std::fs::remove_file(data_dir.join(archive::SQLITE_DATABASE));
        if created_dir {
            let _ = std::fs::remove_dir(data_dir);
        }
    }
    placed?;
    Ok(Restored { manifest, key_file })
}

/// Moves the checked members into place and opens the result (which migrates it up).
async fn place(
    scratch: &Path,
    target: &RestoreTarget,
    postgres: Option<String>,
) -> OperationResult<()> {
    let key_file = target.data_dir.join(archive::SECRET_KEY);
    match postgres {
        None => {
            let db_file = target.data_dir.join(archive::SQLITE_DATABASE);
            std::fs::copy(scratch.join(archive::SQLITE_DATABASE), &db_file)
                .map_err(io(format!("writing {}", db_file.display())))?;
            copy_private(&scratch.join(archive::SECRET_KEY), &key_file)?;
            let url = format!("sqlite://{}?mode=rw", db_file.display());
            let db = crate::db::connect(&url).await?;
            let check = sea_orm::ConnectionTrait::query_one_raw(
                &db,
                sea_orm::Statement::from_string(
                    db.get_database_backend(),
                    "PRAGMA integrity_check",
                ),
            )
            .await?
            .map(|r| r.try_get_by_index::<String>(0))
            .transpose()?;
            db.close().await?;
            if check.as_deref() != Some("ok") {
                return Err(refused(format!(
                    "the restored database fails SQLite's integrity check: {}",
                    check.unwrap_or_default()
                )));
            }
        }
        Some(url) => {
            restore_postgres(&url, &scratch.join(archive::POSTGRES_DUMP)).await?;
            copy_private(&scratch.join(archive::SECRET_KEY), &key_file)?;
            crate::db::connect(&url).await?.close().await?;
        }
    }
    Ok(())
}

fn copy_private(from: &Path, to: &Path) -> OperationResult<()> {
    let key = std::fs::read(from).map_err(io("reading the key"))?;
    let mut file = archive::create_private(to).map_err(io(format!("writing {}", to.display())))?;
    std::io::Write::write_all(&mut file, &key).map_err(io(format!("writing {}", to.display())))
}

fn has_entries(dir: &Path) -> OperationResult<bool> {
    Ok(std::fs::read_dir(dir)
        .map_err(io(format!("reading {}", dir.display())))?
        .next()
        .is_some())
}

/// A backup made by a newer Larder (a migration this binary does not know) is refused.
fn check_level(manifest: &Manifest) -> OperationResult<()> {
    let known = known_migrations();
    if !known.contains(&manifest.migration) {
        return Err(refused(format!(
            "this backup was made by a newer Larder ({}, schema {}); this one ({}) knows the schema up to {}: restore it with that version or newer",
            manifest.version,
            manifest.migration,
            env!("CARGO_PKG_VERSION"),
            known.last().map(String::as_str).unwrap_or("none")
        )));
    }
    Ok(())
}

/// The URL when it reaches an empty PostgreSQL database; a refusal otherwise.
async fn empty_postgres(url: &str) -> OperationResult<String> {
    let db = reach_postgres(url).await?;
    let tables = table_names(&db).await?;
    db.close().await?;
    if !tables.is_empty() {
        return Err(refused(format!(
            "the database at {} is not empty ({} tables): restore into an empty database only",
            crate::db::without_password(url),
            tables.len()
        )));
    }
    Ok(url.to_string())
}

async fn restore_postgres(url: &str, dump: &Path) -> OperationResult<()> {
    let output = tokio::process::Command::new("pg_restore")
        .args([
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
            "--dbname",
        ])
        .arg(url)
        .arg(dump)
        .output()
        .await
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => refused(
                "pg_restore is not installed: restoring a PostgreSQL backup needs PostgreSQL's client tools (Debian: apt-get install postgresql-client)",
            ),
            _ => io("running pg_restore")(e),
        })?;
    if !output.status.success() {
        return Err(refused(format!(
            "pg_restore failed (the database is left empty): {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(())
}
