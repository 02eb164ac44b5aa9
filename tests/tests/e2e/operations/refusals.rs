//! Every operations command refuses bad input clearly, exits non-zero, and leaves the target
//! as it was: a non-empty target, a truncated, tampered or foreign archive, a backup from a
//! newer Larder, a database it cannot reach, a missing `pg_dump`, an archive that exists.

use std::path::Path;
use std::time::{Duration, Instant};

use tests::{Backend, TestApp, on_both_backends};

use super::{Target, backup, larder, said};

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Runs the restore and checks it refused with `expected` in its message, within seconds,
/// leaving the target's data dir as it was.
fn refused(target: &Target, file: &Path, expected: &str) {
    let before = listing(&target.data_dir);
    let started = Instant::now();
    let output = target.restore(file);
    assert!(
        !output.status.success(),
        "restore of {} succeeded",
        file.display()
    );
    assert!(
        said(&output).contains(expected),
        "expected {expected:?}, got {}",
        said(&output)
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "a refusal is quick"
    );
    assert_eq!(listing(&target.data_dir), before, "the target is as it was");
}

/// A PostgreSQL nobody listens at.
const NOWHERE: &str = "postgres://postgres@127.0.0.1:1/nowhere";

/// Runs `command`, which must refuse with `expected` in its message within seconds.
fn refuses_quickly(command: &mut std::process::Command, expected: &str) {
    let started = Instant::now();
    let output = command.output().unwrap();
    assert!(
        !output.status.success(),
        "{expected}: the command succeeded"
    );
    assert!(
        said(&output).contains(expected),
        "{expected:?} in {}",
        said(&output)
    );
    assert!(started.elapsed() < Duration::from_secs(5), "said quickly");
}

async fn bad_archives_and_targets_are_refused_and_change_nothing(app: TestApp) {
    app.kitchen("refusals@ops.test").await;
    let scratch = tempfile::tempdir().unwrap();
    let good = scratch.path().join("good.tar.gz");
    assert!(backup(&app, &good).status.success());

    // An archive is never overwritten.
    let again = backup(&app, &good);
    assert!(!again.status.success());
    assert!(said(&again).contains("exists already"), "{}", said(&again));

    let target = Target::new(app.backend).await;
    let bytes = std::fs::read(&good).unwrap();
    let truncated = scratch.path().join("truncated.tar.gz");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    refused(&target, &truncated, "not a readable Larder backup");

    let tampered = scratch.path().join("tampered.tar.gz");
    let mut altered = bytes.clone();
    let middle = altered.len() / 2;
    altered[middle] ^= 0x5a;
    std::fs::write(&tampered, &altered).unwrap();
    let output = target.restore(&tampered);
    assert!(!output.status.success(), "a tampered archive is refused");
    let message = said(&output);
    assert!(
        message.contains("not a readable Larder backup") || message.contains("altered or damaged"),
        "{message}"
    );

    let foreign = scratch.path().join("notes.tar.gz");
    std::fs::write(&foreign, b"a shopping list, not a backup").unwrap();
    refused(&target, &foreign, "not a readable Larder backup");
    refused(
        &target,
        &scratch.path().join("missing.tar.gz"),
        "does not exist",
    );

    // A backup from a newer Larder: the same members under a manifest naming a later schema.
    let members = scratch.path().join("members");
    std::fs::create_dir(&members).unwrap();
    let manifest = service::operations::archive::read(&good, &members).unwrap();
    let newer = scratch.path().join("newer.tar.gz");
    let database = manifest.database_member();
    service::operations::archive::write(
        &newer,
        "m9999_from_the_future",
        manifest.backend,
        &[
            (database, members.join(database)),
            ("secret.key", members.join("secret.key")),
        ],
    )
    .unwrap();
    refused(&target, &newer, "made by a newer Larder");

    // A non-empty target.
    std::fs::create_dir_all(&target.data_dir).unwrap();
    std::fs::write(target.data_dir.join("larder.sqlite"), b"someone's data").unwrap();
    match app.backend {
        Backend::Sqlite => refused(&target, &good, "is not empty"),
        Backend::Postgres => {
            // The database itself holds tables: the server's own.
            let occupied = Target {
                backend: Backend::Postgres,
                data_dir: scratch.path().join("fresh-dir"),
                database: app
                    .database_url
                    .as_ref()
                    .map(|u| u.rsplit('/').next().unwrap().to_string()),
            };
            refused(&occupied, &good, "is not empty");
            std::fs::remove_dir_all(&occupied.data_dir).ok();
        }
    }
    assert_eq!(
        std::fs::read(target.data_dir.join("larder.sqlite")).unwrap(),
        b"someone's data"
    );

    if app.backend == Backend::Postgres {
        // A database it cannot reach, said within seconds.
        let unreachable = scratch.path().join("unreachable");
        refuses_quickly(
            larder(&["restore"])
                .arg(&good)
                .arg("--data-dir")
                .arg(&unreachable)
                .args(["--database-url", NOWHERE]),
            "cannot reach the database",
        );
        assert!(!unreachable.exists(), "nothing was written");
        refuses_quickly(
            larder(&["backup", "--out"])
                .arg(scratch.path().join("unreachable.tar.gz"))
                .arg("--data-dir")
                .arg(&app.data_dir)
                .args(["--database-url", NOWHERE]),
            "cannot reach the database",
        );

        // pg_dump missing: said, and no archive left behind.
        let out = scratch.path().join("no-tool.tar.gz");
        let output = larder(&["backup", "--out"])
            .arg(&out)
            .arg("--data-dir")
            .arg(&app.data_dir)
            .args(["--database-url", app.database_url.as_deref().unwrap()])
            .env("PATH", "/nonexistent")
            .output()
            .unwrap();
        assert!(!output.status.success());
        assert!(
            said(&output).contains("pg_dump is not installed"),
            "{}",
            said(&output)
        );
        assert!(!out.exists());
    }
    let _ = std::fs::remove_dir_all(&target.data_dir);
    if let Some(name) = &target.database {
        tests::drop_pg_database(name).await;
    }
}

on_both_backends!(bad_archives_and_targets_are_refused_and_change_nothing);
