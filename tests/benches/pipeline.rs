//! POS pipeline benchmark (issue 4): the 90-day historical migration of one location with
//! 2,000 sale lines a day, 70% of them mapped to recipes of 4 ingredients (≈ 504,000 ISSUE
//! entries), run as the job body a worker runs, on SQLite and PostgreSQL: wall time, entries
//! per second, peak memory. In the same run, the same number of rows plainly bulk-inserted into
//! the ledger table (the limit), and the ratio. Then menu engineering over the 90 days, p50/p99,
//! beside its limit in the same run: the sale lines and their entries each summed by one plain
//! GROUP BY.
//! Run: `cargo bench -p tests --bench pipeline` (LARDER_BENCH_BACKENDS=sqlite,postgres,postgres-socket;
//! LARDER_BENCH_LINES_PER_DAY changes the 2,000).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use chrono::{Duration, Utc};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use service::pos::sale_lines::{NewSaleLine, SaleStatus};

const DAYS: i64 = 90;
const ITEMS: usize = 100;

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

/// Samples the resident set every 20 ms until stopped; returns the peak.
fn watch_memory() -> (Arc<AtomicBool>, std::thread::JoinHandle<u64>) {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let handle = std::thread::spawn(move || {
        let peak = AtomicU64::new(rss_kib());
        while !flag.load(Ordering::Relaxed) {
            peak.fetch_max(rss_kib(), Ordering::Relaxed);
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        peak.load(Ordering::Relaxed)
    });
    (stop, handle)
}

async fn run(label: &str, url: &str, lines_per_day: usize) {
    let db: DatabaseConnection = service::db::connect(url).await.expect("database");
    let bench = tests::bench::company(&db, "bench@example.com", "UTC").await;
    let (company, p, kitchen) = (bench.id, bench.principal.clone(), bench.kitchen);
    let recipes = bench.recipes.clone();
    let cipher =
        service::crypto::Cipher::from_hex(&service::crypto::Cipher::generate_hex()).unwrap();
    let integration = service::pos::integrations::create(
        &db,
        &cipher,
        &p,
        company,
        service::pos::Provider::Csv,
        "Till",
    )
    .await
    .unwrap();
    service::pos::integrations::configure_csv(
        &db,
        &p,
        integration.id,
        service::demo::DEMO_CSV_CONFIG.clone(),
    )
    .await
    .unwrap();
    let location = service::pos::locations::create(&db, &p, integration.id, "main", "Main")
        .await
        .unwrap();
    service::pos::locations::link_storage_unit(&db, &p, location.id, kitchen)
        .await
        .unwrap();
    // 70 of 100 items map to recipes; they sell as often as the others.
    for item in 0..70 {
        service::pos::mappings::map_item(
            &db,
            &p,
            integration.id,
            &format!("ITEM-{item:03}"),
            Some(service::pos::mappings::Target::Recipe(
                recipes[item % tests::bench::RECIPES],
            )),
            Decimal::ONE,
        )
        .await
        .unwrap();
    }
    // The sales of the last 90 completed days (UTC company, day starts at the company's hour).
    let company_row = service::pos::locations::company_of(&db, company)
        .await
        .unwrap();
    let days = service::business_days::last_completed_days(&company_row, Utc::now(), DAYS);
    let mut n = 0u64;
    for date in &days {
        let start =
            service::business_days::local_to_utc(&company_row, date.and_hms_opt(10, 0, 0).unwrap());
        let lines: Vec<NewSaleLine> = (0..lines_per_day)
            .map(|k| {
                n += 1;
                let item = (n * 37 % ITEMS as u64) as usize;
                NewSaleLine {
                    business_date: *date,
                    line_key: format!("bench:{n}"),
                    external_item_id: format!("ITEM-{item:03}"),
                    item_name: format!("Item {item}"),
                    quantity_micro: 1_000_000 * (1 + (k % 3) as i64),
                    sales_value_micro: Some(9_500_000),
                    sold_at: service::ledger::to_micros(start + Duration::seconds(k as i64 * 20)),
                    transaction_id: Some(format!("T{}", n / 3)),
                    receipt_number: None,
                    status: SaleStatus::Sale,
                    csv_import_id: None,
                }
            })
            .collect();
        service::pos::sale_lines::store(&db, company, location.id, &lines)
            .await
            .unwrap();
    }

    // The migration: queued by activation, run as the worker runs it.
    let job = service::pos::locations::activate(&db, &p, location.id)
        .await
        .unwrap();
    let base = rss_kib();
    let (stop, peak) = watch_memory();
    let started = Instant::now();
    service::pos::work::run(&db, &tests::live_settings(None), job.id)
        .await
        .expect("migration");
    let elapsed = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    let peak = peak.join().unwrap();
    let job = service::job_runs::reload(&db, job.id).await.unwrap();
    assert_eq!(
        job.state,
        service::job_runs::JobState::Succeeded,
        "{:?}",
        job.error
    );
    let count = |sql: &str| {
        let db = db.clone();
        let sql = sql.to_string();
        async move {
            db.query_one_raw(Statement::from_string(db.get_database_backend(), sql))
                .await
                .unwrap()
                .unwrap()
                .try_get_by_index::<i64>(0)
                .unwrap()
        }
    };
    let entries = count("SELECT COUNT(*) FROM ledger_entries WHERE source_kind = 'POS_SALE'").await;
    let rate = entries as f64 / elapsed.as_secs_f64();

    // The limit: the same number of complete rows, bulk-inserted (500 rows a statement, one
    // transaction a day's worth), with nothing computed: rows of POS sales, as the pipeline's,
    // so they land in the same indexes.
    let per_txn = (entries / DAYS).max(1) as usize;
    // Another company's, so that menu engineering below reads only the pipeline's.
    let other = tests::bench::company(&db, "plain@example.com", "UTC").await;
    let other_till = service::pos::integrations::create(
        &db,
        &cipher,
        &other.principal,
        other.id,
        service::pos::Provider::Csv,
        "Till",
    )
    .await
    .unwrap();
    let plain_started = Instant::now();
    tests::bulk_insert_ledger_rows(
        &db,
        other.id,
        &other.ingredients,
        other.kitchen,
        entries as usize,
        per_txn,
        Some(other_till.id),
    )
    .await;
    let plain = plain_started.elapsed();
    let plain_rate = entries as f64 / plain.as_secs_f64();
    println!("## {label}");
    println!(
        "migration: {} days × {lines_per_day} sale lines, {entries} ISSUE entries",
        DAYS
    );
    println!("  wall time            {:>10.2} s", elapsed.as_secs_f64());
    println!("  entries per second   {:>10.0}", rate);
    println!(
        "  peak memory          {:>10.1} MiB (resident; +{:.1} MiB over the start)",
        peak as f64 / 1024.0,
        (peak.saturating_sub(base)) as f64 / 1024.0
    );
    println!(
        "plain bulk insert of {entries} rows: {:.2} s, {:.0} rows/s",
        plain.as_secs_f64(),
        plain_rate
    );
    println!(
        "ratio (pipeline time / plain insert time): {:.2}×",
        elapsed.as_secs_f64() / plain.as_secs_f64()
    );
    // Menu engineering over the 90 days, and its limit.
    let from = service::business_days::bounds(&company_row, days[0]).0;
    let to = service::business_days::bounds(&company_row, *days.last().unwrap()).1;
    let mut menu = Vec::new();
    let mut items = 0;
    for _ in 0..20 {
        let t = Instant::now();
        let m = service::food_cost::menu::menu_engineering(&db, &p, company, from, to, None)
            .await
            .unwrap();
        menu.push(t.elapsed());
        items = m.items.len();
    }
    let (f, t) = (
        service::ledger::to_micros(from),
        service::ledger::to_micros(to),
    );
    let mut plain_menu = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        for sql in [
            format!(
                "SELECT external_item_id, SUM(quantity_micro), SUM(sales_value_micro) FROM pos_sale_lines WHERE company_id = {company} AND sold_at >= {f} AND sold_at < {t} GROUP BY 1"
            ),
            format!(
                "SELECT pos_article_id, SUM(value_micro) FROM ledger_entries WHERE company_id = {company} AND source_kind = 'POS_SALE' AND occurred_at >= {f} AND occurred_at < {t} GROUP BY 1"
            ),
        ] {
            db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
                .await
                .unwrap();
        }
        plain_menu.push(started.elapsed());
    }
    let pct = |v: &mut Vec<std::time::Duration>, p: f64| {
        v.sort();
        v[((v.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1000.0
    };
    println!(
        "menu engineering, {} days, {items} items: p50 {:.1} ms, p99 {:.1} ms",
        DAYS,
        pct(&mut menu, 0.5),
        pct(&mut menu, 0.99)
    );
    println!(
        "  limit (sale lines and their entries, one GROUP BY each): p50 {:.1} ms, p99 {:.1} ms",
        pct(&mut plain_menu, 0.5),
        pct(&mut plain_menu, 0.99)
    );
    println!();
}

fn main() {
    let lines_per_day: usize = std::env::var("LARDER_BENCH_LINES_PER_DAY")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    tests::for_each_bench_database("sqlite,postgres", |label, url| async move {
        run(label, &url, lines_per_day).await
    });
}
