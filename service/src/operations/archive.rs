//! The backup archive: a gzipped tar whose first member is `manifest.json` (Larder version,
//! migration level, backend, when, and the SHA-256 and size of every other member), then the
//! database (`larder.sqlite` or `larder.pgdump`) and the secret key. Written and read as
//! streams: memory stays flat whatever the database's size.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{OperationResult, io, refused};

pub const MANIFEST: &str = "manifest.json";
pub const SQLITE_DATABASE: &str = "larder.sqlite";
pub const POSTGRES_DUMP: &str = "larder.pgdump";
pub const SECRET_KEY: &str = "secret.key";
/// A manifest is a few hundred bytes; anything much larger is not one.
const MANIFEST_LIMIT: u64 = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub name: String,
    pub sha256: String,
    pub bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    pub version: String,
    pub migration: String,
    pub backend: Backend,
    pub created_at: DateTime<Utc>,
    pub files: Vec<Member>,
}

impl Manifest {
    /// The database member of this backend.
    pub fn database_member(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => SQLITE_DATABASE,
            Backend::Postgres => POSTGRES_DUMP,
        }
    }
}

/// The SHA-256 (hex) and size of a file, read in blocks.
pub fn digest_file(path: &Path) -> OperationResult<(String, u64)> {
    let mut file = File::open(path).map_err(io(format!("reading {}", path.display())))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    let mut bytes = 0u64;
    loop {
        let n = file
            .read(&mut buffer)
            .map_err(io(format!("reading {}", path.display())))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        bytes += n as u64;
    }
    Ok((hex::encode(hasher.finalize()), bytes))
}

/// Creates `path` for writing, readable by its owner alone from the first byte (a backup holds
/// the secret key); an existing file is never overwritten.
pub fn create_private(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Writes the archive at `out` from the files in `members` (name in the archive, file), with a
/// manifest of their digests. Written beside `out` under a temporary name and renamed when
/// complete, so a crash never leaves a truncated archive under the real name.
pub fn write(
    out: &Path,
    migration: &str,
    backend: Backend,
    members: &[(&str, PathBuf)],
) -> OperationResult<Manifest> {
    let mut files = Vec::new();
    for (name, path) in members {
        let (sha256, bytes) = digest_file(path)?;
        files.push(Member {
            name: (*name).to_string(),
            sha256,
            bytes,
        });
    }
    let manifest = Manifest {
        version: env!("CARGO_PKG_VERSION").to_string(),
        migration: migration.to_string(),
        backend,
        created_at: Utc::now(),
        files,
    };
    let partial = out.with_extension("partial");
    let written = (|| -> OperationResult<()> {
        let file =
            create_private(&partial).map_err(io(format!("creating {}", partial.display())))?;
        let gz = flate2::write::GzEncoder::new(BufWriter::new(file), flate2::Compression::fast());
        let mut tar = tar::Builder::new(gz);
        let json = serde_json::to_vec_pretty(&manifest).expect("a manifest serialises");
        let mut header = tar::Header::new_gnu();
        header.set_size(json.len() as u64);
        header.set_mode(0o600);
        header.set_mtime(manifest.created_at.timestamp().max(0) as u64);
        header.set_cksum();
        let context = || format!("writing {}", partial.display());
        tar.append_data(&mut header, MANIFEST, json.as_slice())
            .map_err(io(context()))?;
        for (name, path) in members {
            let mut source = File::open(path).map_err(io(format!("reading {}", path.display())))?;
            tar.append_file(name, &mut source).map_err(io(context()))?;
        }
        let gz = tar.into_inner().map_err(io(context()))?;
        let mut writer = gz.finish().map_err(io(context()))?;
        writer.flush().map_err(io(context()))?;
        writer
            .into_inner()
            .map_err(|e| e.into_error())
            .and_then(|f| f.sync_all())
            .map_err(io(context()))?;
        std::fs::rename(&partial, out)
            .map_err(io(format!("moving the archive to {}", out.display())))
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written.map(|()| manifest)
}

/// Reads the archive at `path` into `into` (an empty directory): the manifest first, then each
/// member it lists, each checked against its SHA-256 and size as it is written. Anything else —
/// a missing, extra or altered member, a truncated or foreign file — is refused.
pub fn read(path: &Path, into: &Path) -> OperationResult<Manifest> {
    let unreadable = |why: String| {
        refused(format!(
            "{} is not a readable Larder backup ({why})",
            path.display()
        ))
    };
    let file = File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => refused(format!("{} does not exist", path.display())),
        _ => io(format!("opening {}", path.display()))(e),
    })?;
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(std::io::BufReader::new(file)));
    let mut entries = tar.entries().map_err(|e| unreadable(e.to_string()))?;
    let mut first = entries
        .next()
        .ok_or_else(|| unreadable("it is empty".into()))?
        .map_err(|e| unreadable(e.to_string()))?;
    if first
        .path()
        .map_err(|e| unreadable(e.to_string()))?
        .as_ref()
        != Path::new(MANIFEST)
    {
        return Err(unreadable(format!("its first member is not {MANIFEST}")));
    }
    let mut json = Vec::new();
    (&mut first)
        .take(MANIFEST_LIMIT)
        .read_to_end(&mut json)
        .map_err(|e| unreadable(e.to_string()))?;
    let manifest: Manifest =
        serde_json::from_slice(&json).map_err(|e| unreadable(format!("its manifest: {e}")))?;
    let mut seen = Vec::new();
    for entry in entries {
        let mut entry = entry.map_err(|e| unreadable(e.to_string()))?;
        let name = entry
            .path()
            .map_err(|e| unreadable(e.to_string()))?
            .to_string_lossy()
            .into_owned();
        let member = manifest
            .files
            .iter()
            .find(|m| m.name == name)
            .ok_or_else(|| unreadable(format!("{name} is not in its manifest")))?;
        if seen.contains(&name) {
            return Err(unreadable(format!("{name} is in it twice")));
        }
        let target = into.join(&member.name);
        let mut out =
            create_private(&target).map_err(io(format!("writing {}", target.display())))?;
        let mut hasher = Sha256::new();
        let mut buffer = vec![0u8; 1 << 16];
        let mut bytes = 0u64;
        loop {
            let n = entry
                .read(&mut buffer)
                .map_err(|e| unreadable(format!("{name}: {e}")))?;
            if n == 0 {
                break;
            }
            hasher.update(&buffer[..n]);
            out.write_all(&buffer[..n])
                .map_err(io(format!("writing {}", target.display())))?;
            bytes += n as u64;
        }
        out.sync_all()
            .map_err(io(format!("writing {}", target.display())))?;
        if bytes != member.bytes || hex::encode(hasher.finalize()) != member.sha256 {
            return Err(refused(format!(
                "{} was altered or damaged: {name} does not match the SHA-256 in its manifest",
                path.display()
            )));
        }
        seen.push(name);
    }
    // The rest of the stream — tar's closing blocks and gzip's checksum and length — read to
    // its end: a cut-off or altered tail is refused even when every member came through.
    drop(first);
    std::io::copy(&mut tar.into_inner(), &mut std::io::sink())
        .map_err(|e| unreadable(format!("its end: {e}")))?;
    if let Some(missing) = manifest.files.iter().find(|m| !seen.contains(&m.name)) {
        return Err(unreadable(format!(
            "{} is missing (truncated?)",
            missing.name
        )));
    }
    for needed in [manifest.database_member(), SECRET_KEY] {
        if !seen.iter().any(|s| s == needed) {
            return Err(unreadable(format!("it holds no {needed}")));
        }
    }
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(dir: &Path) -> PathBuf {
        std::fs::write(dir.join("db"), b"database pages").unwrap();
        std::fs::write(dir.join("key"), b"00ff").unwrap();
        let out = dir.join("backup.tar.gz");
        write(
            &out,
            "m0011_purchasing",
            Backend::Sqlite,
            &[
                (SQLITE_DATABASE, dir.join("db")),
                (SECRET_KEY, dir.join("key")),
            ],
        )
        .unwrap();
        out
    }

    #[test]
    fn an_archive_reads_back_what_was_written() {
        let dir = tempfile::tempdir().unwrap();
        let out = sample(dir.path());
        let into = dir.path().join("restored");
        std::fs::create_dir(&into).unwrap();
        let manifest = read(&out, &into).unwrap();
        assert_eq!(manifest.migration, "m0011_purchasing");
        assert_eq!(manifest.files.len(), 2);
        assert_eq!(
            std::fs::read(into.join(SQLITE_DATABASE)).unwrap(),
            b"database pages"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&out).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "the archive holds the key");
        }
    }

    #[test]
    fn a_truncated_archive_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = sample(dir.path());
        let bytes = std::fs::read(&out).unwrap();
        for cut in [bytes.len() / 3, bytes.len() - 8] {
            std::fs::write(&out, &bytes[..cut]).unwrap();
            let into = tempfile::tempdir().unwrap();
            let err = read(&out, into.path()).unwrap_err();
            assert!(
                matches!(err, super::super::OperationError::Refused(_)),
                "{err}"
            );
        }
    }

    #[test]
    fn an_altered_member_is_refused_by_its_digest() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("db"), b"database pages").unwrap();
        std::fs::write(dir.path().join("key"), b"00ff").unwrap();
        let out = dir.path().join("backup.tar.gz");
        let manifest = write(
            &out,
            "m0011_purchasing",
            Backend::Sqlite,
            &[
                (SQLITE_DATABASE, dir.path().join("db")),
                (SECRET_KEY, dir.path().join("key")),
            ],
        )
        .unwrap();
        // The same manifest over a changed database: what a tampered archive looks like.
        std::fs::write(dir.path().join("db"), b"database pagez").unwrap();
        let file = File::create(&out).unwrap();
        let mut tar = tar::Builder::new(flate2::write::GzEncoder::new(
            file,
            flate2::Compression::fast(),
        ));
        let json = serde_json::to_vec(&manifest).unwrap();
        let mut header = tar::Header::new_gnu();
        header.set_size(json.len() as u64);
        header.set_cksum();
        tar.append_data(&mut header, MANIFEST, json.as_slice())
            .unwrap();
        tar.append_path_with_name(dir.path().join("db"), SQLITE_DATABASE)
            .unwrap();
        tar.append_path_with_name(dir.path().join("key"), SECRET_KEY)
            .unwrap();
        tar.into_inner().unwrap().finish().unwrap();
        let into = tempfile::tempdir().unwrap();
        let err = read(&out, into.path()).unwrap_err().to_string();
        assert!(err.contains("altered or damaged"), "{err}");
    }

    #[test]
    fn a_file_that_is_no_archive_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("notes.txt");
        std::fs::write(&out, b"shopping list").unwrap();
        let err = read(&out, dir.path()).unwrap_err().to_string();
        assert!(err.contains("not a readable Larder backup"), "{err}");
    }
}
