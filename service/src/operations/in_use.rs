//! Whether a Larder runs on a data dir: every `serve` and `worker` on its SQLite file holds a
//! shared lock on `<data dir>/larder.lock` while it runs; `move-to` and `restore` need it
//! exclusively, so they refuse while one runs instead of copying a database being written.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

use super::{OperationResult, io, refused};

const LOCK_FILE: &str = "larder.lock";

/// Held for as long as the lock should stand; dropping it releases it.
#[derive(Debug)]
pub struct DataDirLock {
    _file: File,
}

fn open(data_dir: &Path) -> OperationResult<File> {
    let path = data_dir.join(LOCK_FILE);
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io(format!("opening {}", path.display())))
}

impl DataDirLock {
    /// A running process's share of the data dir (several processes may hold one).
    pub fn running(data_dir: &Path) -> OperationResult<Self> {
        let file = open(data_dir)?;
        match file.try_lock_shared() {
            Ok(()) => Ok(Self { _file: file }),
            Err(TryLockError::WouldBlock) => Err(refused(format!(
                "{} is being moved or restored by another command: wait for it to finish",
                data_dir.display()
            ))),
            Err(TryLockError::Error(e)) => Err(io("locking the data dir")(e)),
        }
    }

    /// The whole data dir, for a command that needs no Larder running on it.
    pub fn stopped(data_dir: &Path) -> OperationResult<Self> {
        let file = open(data_dir)?;
        match file.try_lock() {
            Ok(()) => Ok(Self { _file: file }),
            Err(TryLockError::WouldBlock) => Err(refused(format!(
                "a Larder is running on {}: stop it first (`serve` and `worker` processes)",
                data_dir.display()
            ))),
            Err(TryLockError::Error(e)) => Err(io("locking the data dir")(e)),
        }
    }
}
