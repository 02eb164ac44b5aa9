//! The operations commands (`backup`, `restore`, `move-to`): each a thin call into
//! `service::operations`, printing what it did. A refusal exits non-zero with its reason.

use std::io::Write;

use service::operations::in_use::DataDirLock;
use service::operations::move_to::CopyProgress;

use crate::config::{BackupArgs, MoveToArgs, RestoreArgs};

pub async fn backup(args: BackupArgs) -> anyhow::Result<()> {
    let key = args.database.key_hex()?;
    let url = args.database.database_url();
    if !args.database.is_postgres() && !args.database.data_dir.join("larder.sqlite").is_file() {
        anyhow::bail!(
            "no Larder database in {}: give the --data-dir (or --database-url) of the Larder to back up",
            args.database.data_dir.display()
        );
    }
    let db = service::operations::open(&url).await?;
    let started = std::time::Instant::now();
    let manifest = service::operations::backup::backup(&db, &url, &key, &args.out).await?;
    println!(
        "Backup written to {} in {:.1} s: {} database at {}, {}",
        args.out.display(),
        started.elapsed().as_secs_f64(),
        service::db::backend_name(&db),
        manifest.migration,
        manifest
            .files
            .iter()
            .map(|f| format!(
                "{} ({} bytes, SHA-256 {})",
                f.name,
                f.bytes,
                &f.sha256[..16]
            ))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}

pub async fn restore(args: RestoreArgs) -> anyhow::Result<()> {
    let target = service::operations::restore::RestoreTarget {
        data_dir: args.database.data_dir.clone(),
        database_url: args.database.database_url.clone(),
    };
    let restored = service::operations::restore::restore(&args.file, &target).await?;
    println!(
        "Restored the backup of {} (Larder {}, schema {}, {} database) into {}; its secret key is in {}",
        restored.manifest.created_at.to_rfc3339(),
        restored.manifest.version,
        restored.manifest.migration,
        restored.manifest.backend.name(),
        match &args.database.database_url {
            Some(url) if !url.is_empty() => service::db::without_password(url),
            _ => args
                .database
                .data_dir
                .join("larder.sqlite")
                .display()
                .to_string(),
        },
        restored.key_file.display()
    );
    Ok(())
}

pub async fn move_to(args: MoveToArgs) -> anyhow::Result<()> {
    let file = args.data_dir.join("larder.sqlite");
    if !file.is_file() {
        anyhow::bail!(
            "no SQLite Larder in {}: give its --data-dir",
            args.data_dir.display()
        );
    }
    let _stopped = DataDirLock::stopped(&args.data_dir)?;
    let source = service::operations::open(&format!("sqlite://{}?mode=rw", file.display())).await?;
    let started = std::time::Instant::now();
    let mut bar = ProgressBar::default();
    let verified =
        service::operations::move_to::move_to(&source, &args.url, &mut |p| bar.show(p)).await;
    bar.finish();
    let verified = verified?;
    let rows: u64 = verified.tables.iter().map(|(_, n)| n).sum();
    println!(
        "Moved to {} in {:.1} s and verified:",
        service::db::without_password(&args.url),
        started.elapsed().as_secs_f64()
    );
    println!(
        "  {} tables, {rows} rows, each table's row count equal on both sides",
        verified.tables.len()
    );
    for (table, count) in &verified.tables {
        println!("    {table:<28} {count:>10}");
    }
    println!(
        "  {} ledger pairs: entries, quantities, values, running balances and average costs summed equal",
        verified.ledger_pairs
    );
    println!(
        "  {} id sequences set past their table's highest id",
        verified.sequences.len()
    );
    println!("  schema {}", verified.migration);
    if !verified.left_out.is_empty() {
        println!(
            "  not copied: {} (the job queue's own tables; queued jobs are queued again when a worker starts)",
            verified.left_out.join(", ")
        );
    }
    println!(
        "Run Larder on it with: larder serve --database-url <the URL> --data-dir {} (the secret key stays there)",
        args.data_dir.display()
    );
    Ok(())
}

/// One line on stderr, redrawn in place: the table, its rows, and the tables done. Where
/// stderr is no terminal (a log), one line for each table copied instead.
#[derive(Default)]
struct ProgressBar {
    drawn: bool,
}

impl ProgressBar {
    fn show(&mut self, p: &CopyProgress) {
        if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            if p.finished {
                eprintln!(
                    "copied {} ({} rows), table {}/{}",
                    p.table, p.rows, p.tables_done, p.tables
                );
            }
            return;
        }
        const WIDTH: usize = 30;
        let filled = if p.rows == 0 {
            WIDTH
        } else {
            (p.copied as usize * WIDTH / p.rows as usize).min(WIDTH)
        };
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r[{}{}] table {}/{} {:<26} {:>9}/{:<9}",
            "#".repeat(filled),
            ".".repeat(WIDTH - filled),
            (p.tables_done + 1).min(p.tables),
            p.tables,
            p.table,
            p.copied,
            p.rows
        );
        let _ = err.flush();
        self.drawn = true;
    }

    fn finish(&mut self) {
        if self.drawn {
            eprintln!();
        }
    }
}
