//! SQLite's WAL checkpoints, off the writers' path.
//!
//! A commit in WAL mode appends the changed pages to the `-wal` file; a *checkpoint* copies
//! them back into the database file. Left to itself SQLite checkpoints inside the commit that
//! takes the WAL past 1,000 pages, and that writer waits for it: a backdated posting that
//! rewrote 13,000 entries (one page each) spent more time in its checkpoint than in its own
//! work, and every writer queued behind it on the write lane waited too. The write lane's
//! connection therefore checkpoints only far past that ([`LANE_AUTOCHECKPOINT`], should this
//! fall behind), and a background task of the process checkpoints each file it writes to,
//! PASSIVE (beside the writer, never blocking it) whenever the WAL has grown past
//! [`WAL_BYTES`]. The task ends once the file has not been written for a while and starts
//! again with the next write.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex};
use std::time::Duration;

use sea_orm::sqlx::sqlite::SqliteConnectOptions;
use sea_orm::sqlx::{ConnectOptions, Connection};

/// Pages the write lane's own commits may leave in the WAL (64 MiB at 4 KiB pages) before one
/// of them checkpoints itself: a backstop only.
pub(super) const LANE_AUTOCHECKPOINT: &str = "16384";

/// The WAL size past which the background task checkpoints (SQLite's own default: 1,000
/// pages of 4 KiB).
const WAL_BYTES: u64 = 4_096_000;

/// How often the task looks at the WAL.
const EVERY: Duration = Duration::from_millis(250);

/// How long a file's WAL may stay unchanged before its task ends.
const IDLE: Duration = Duration::from_secs(30);

/// The files a checkpoint task of this process looks after now.
static WATCHED: LazyLock<Mutex<HashSet<PathBuf>>> = LazyLock::new(Default::default);

/// Makes sure a task checkpoints `file`'s WAL (called for every write transaction opened on
/// its write lane; cheap when the task runs already).
pub(super) fn keep_up(file: &Path, options: &SqliteConnectOptions) {
    let mut watched = WATCHED.lock().unwrap_or_else(|p| p.into_inner());
    if !watched.insert(file.to_path_buf()) {
        return;
    }
    let (watching, options) = (Watching(file.to_path_buf()), options.clone());
    tokio::spawn(async move {
        if let Err(e) = checkpoint_while_written(&watching.0, &options).await {
            // The lane's own backstop checkpoints until the next write starts a task again.
            tracing::warn!(error = %e, file = %watching.0.display(), "the background checkpoint stopped");
        }
    });
}

/// A file's place in [`WATCHED`], given up however its task ends: done, failed, or dropped
/// with the runtime it ran on (a test's).
struct Watching(PathBuf);

impl Drop for Watching {
    fn drop(&mut self) {
        WATCHED
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.0);
    }
}

/// The WAL's size and last change (none: no WAL yet).
fn wal_state(file: &Path) -> Option<(u64, std::time::SystemTime)> {
    let mut wal = file.as_os_str().to_owned();
    wal.push("-wal");
    let meta = std::fs::metadata(PathBuf::from(wal)).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}

async fn checkpoint_while_written(
    file: &Path,
    options: &SqliteConnectOptions,
) -> Result<(), sea_orm::sqlx::Error> {
    let mut connection = options.connect().await?;
    let (mut seen, mut unchanged_for) = (wal_state(file), Duration::ZERO);
    let mut checkpointed = None;
    while unchanged_for < IDLE {
        tokio::time::sleep(EVERY).await;
        let now = wal_state(file);
        if now == seen {
            unchanged_for += EVERY;
        } else {
            (seen, unchanged_for) = (now, Duration::ZERO);
        }
        // A checkpointed WAL keeps its size (the next writer starts it again from its
        // beginning): past the threshold once, every change since the last checkpoint counts.
        if let Some((size, _)) = now
            && size > WAL_BYTES
            && now != checkpointed
        {
            sea_orm::sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&mut connection)
                .await?;
            checkpointed = now;
        }
    }
    connection.close().await
}
