//! PostgreSQL over TCP with and without `TCP_NODELAY` (issue 11, point 4), in one run on one
//! server: the same statements — small, and larger than one TCP segment (a 500-row insert, as a
//! bulk posting sends) — through two connections that differ only in the option, which
//! `service::db::nodelay` sets on Larder's connections because sqlx 0.9.0 no longer does.
//! Per statement: p50 and p99 in milliseconds.
//! Run: `cargo bench -p tests --bench pg_nodelay` (`--profile dev` skips the release build; the
//! stall it measures is the network's, not the code's). LARDER_BENCH_PG_URL changes the server
//! (default `postgres://postgres@127.0.0.1:5432/postgres`).

use std::time::Instant;

use sea_orm::sqlx::{self, Connection, Executor, PgConnection};

const ROUNDS: usize = 200;
/// Rows of the large statement: about 100 KB, more than one segment even on loopback (64 KiB).
const LARGE_ROWS: usize = 3_000;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

async fn timings(conn: &mut PgConnection, sql: &str) -> (f64, f64) {
    let mut ms = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let started = Instant::now();
        conn.execute(sqlx::AssertSqlSafe(sql.to_string()))
            .await
            .unwrap();
        ms.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    ms.sort_by(|a, b| a.total_cmp(b));
    (percentile(&ms, 0.5), percentile(&ms, 0.99))
}

fn main() {
    let url = std::env::var("LARDER_BENCH_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let mut plain = PgConnection::connect(&url).await.unwrap();
        let mut nodelay = PgConnection::connect(&url).await.unwrap();
        service::db::nodelay::set_on(&mut nodelay).await.unwrap();
        for conn in [&mut plain, &mut nodelay] {
            conn.execute("CREATE TEMPORARY TABLE bench_rows (a BIGINT, b BIGINT, c TEXT)")
                .await
                .unwrap();
        }
        let small = "INSERT INTO bench_rows VALUES (1, 2, 'x')".to_string();
        let rows: Vec<String> = (0..LARGE_ROWS)
            .map(|i| format!("({i}, {}, 'ledger entry {i}')", i * 7))
            .collect();
        let large = format!("INSERT INTO bench_rows VALUES {}", rows.join(", "));
        println!(
            "PostgreSQL at {url}: {ROUNDS} statements each; large = {} bytes",
            large.len()
        );
        println!("| statement | without TCP_NODELAY p50 / p99 | with TCP_NODELAY p50 / p99 |");
        println!("|---|---|---|");
        for (name, sql) in [("small insert", &small), ("large insert", &large)] {
            let (p50, p99) = timings(&mut plain, sql).await;
            let (n50, n99) = timings(&mut nodelay, sql).await;
            println!("| {name} | {p50:.2} / {p99:.2} ms | {n50:.2} / {n99:.2} ms |");
        }
    });
}
