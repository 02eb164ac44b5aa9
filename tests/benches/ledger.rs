//! Ledger benchmark (issue 3): a ledger of LARDER_BENCH_ENTRIES entries (default 1,000,000) over
//! 200 ingredients × 5 storage units, on SQLite and PostgreSQL, through the service layer:
//!   (a) postings per second — bulk (a day's postings in one transaction) and one at a time;
//!   (b) one ingredient's ledger page of 50 rows with running balance, first and last, p50/p99;
//!   (c) the company's stock levels, and one summary, p50/p99;
//!   (d) a receipt backdated before 10,000+ later entries of its pair: time until every balance
//!       and cost after it is right again (the posting's commit; recomputation is synchronous);
//!   (e) actual vs theoretical usage of one storage unit over 30 days, p50/p99, beside its limit
//!       in the same run: the period's entries of that unit summed by one plain GROUP BY.
//!   (f) reorder suggestions for one storage unit with 1,000 stock policies, p50/p99, beside its
//!       limit: the usage window's entries of that unit summed per ingredient by one GROUP BY.
//! Run: `cargo bench -p tests --bench ledger` (LARDER_BENCH_BACKENDS=sqlite,postgres,postgres-socket).

#[path = "ledger_parts/purchasing.rs"]
mod purchasing_bench;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use service::access::{Principal, Role};
use service::ledger::posting::{self, NewEntry};
use service::ledger::{TransactionType, reading};
use service::paging::PageRequest;

const INGREDIENTS: usize = 200;
const UNITS: usize = 5;
const HOT_ENTRIES: usize = 12_000;

struct Setup {
    db: DatabaseConnection,
    principal: Principal,
    company: i64,
    units: Vec<i64>,
    ingredients: Vec<i64>,
}

async fn setup(url: &str) -> Setup {
    let db = service::db::connect(url).await.expect("database");
    let session = service::accounts::sign_up(
        &db,
        service::accounts::SignUp {
            email: "bench@example.com".into(),
            password: "benchmark!".into(),
            name: "Bench".into(),
            company_name: "Bench Bistro".into(),
            timezone: None,
            currency: None,
        },
        chrono::Duration::hours(1),
    )
    .await
    .unwrap();
    let company = service::memberships::user_memberships(&db, session.user.id)
        .await
        .unwrap()[0]
        .0
        .id;
    let principal = Principal::User {
        user_id: session.user.id,
        memberships: HashMap::from([(company, Role::Owner)]),
    };
    let mut units = Vec::new();
    for u in 0..UNITS {
        units.push(
            service::storage_units::create(&db, &principal, company, &format!("Unit {u}"), None)
                .await
                .unwrap()
                .id,
        );
    }
    let mut ingredients = Vec::new();
    for i in 0..INGREDIENTS {
        let input = service::ingredients::IngredientInput {
            name: format!("Ingredient {i:03}"),
            base_unit: service::units::BaseUnit::Kg,
            category: None,
            active: true,
            packaging_levels: vec![],
        };
        ingredients.push(
            service::ingredients::create(&db, &principal, company, input)
                .await
                .unwrap()
                .id,
        );
    }
    Setup {
        db,
        principal,
        company,
        units,
        ingredients,
    }
}

/// Deterministic pseudo-random numbers (no dependency, same ledger every run).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    samples[((samples.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

async fn run(backend: &str, url: &str, total: usize) {
    let s = setup(url).await;
    let start_day = Utc
        .with_ymd_and_hms(2025, 1, 1, 0, 0, 0)
        .unwrap()
        .timestamp_micros();
    let day_us = 86_400_000_000i64;
    let per_day = 2_000usize;
    let days = total.div_ceil(per_day);
    let hot = (s.ingredients[0], s.units[0]);
    let mut rng = Lcg(42);
    let mut posted = 0usize;
    let started = Instant::now();
    for day in 0..days {
        let n = per_day.min(total - posted);
        let mut entries = Vec::with_capacity(n);
        for k in 0..n {
            let at = start_day + day as i64 * day_us + (k as i64 * day_us / n as i64);
            // The hot pair gets its share of every day; the rest spread over all pairs.
            let (ingredient, unit) = if (posted + k).is_multiple_of((total / HOT_ENTRIES).max(1)) {
                hot
            } else {
                (
                    s.ingredients[rng.next() as usize % INGREDIENTS],
                    s.units[rng.next() as usize % UNITS],
                )
            };
            let receipt = rng.next().is_multiple_of(5);
            let mut e = NewEntry::new(
                s.company,
                ingredient,
                unit,
                if receipt {
                    TransactionType::Receipt
                } else {
                    TransactionType::Issue
                },
                if receipt {
                    4_000_000 + (rng.next() % 4_000_000) as i64
                } else {
                    -((rng.next() % 1_000_000) as i64 + 1)
                },
                at,
            );
            if receipt {
                e.input_cost_micro = Some(1_000_000 + (rng.next() % 9_000_000) as i64);
            }
            entries.push(e);
        }
        let txn = service::db::begin_write(&s.db).await.unwrap();
        posting::post(&txn, entries).await.unwrap();
        txn.commit().await.unwrap();
        posted += n;
    }
    let bulk = started.elapsed();

    // One posting per transaction, as a person posting waste does, through the full checks.
    let singles = 500;
    let started = Instant::now();
    for i in 0..singles {
        let m = service::movements::Movement {
            storage_unit_id: s.units[i % UNITS],
            ingredient_id: s.ingredients[(i * 7) % INGREDIENTS],
            quantity: Decimal::new(25, 2),
            unit: None,
            occurred_at: None,
        };
        service::movements::post_issue(&s.db, &s.principal, m, None)
            .await
            .unwrap();
    }
    let single = started.elapsed();

    let filter = reading::LedgerFilter {
        ingredient_ids: Some(vec![hot.0]),
        storage_unit_ids: Some(vec![hot.1]),
        ..Default::default()
    };
    let mut first_page = Vec::new();
    let mut last_page = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        let page = reading::page(
            &s.db,
            &s.principal,
            s.company,
            &filter,
            false,
            &PageRequest {
                after: None,
                before: None,
                limit: 50,
                from_end: false,
            },
        )
        .await
        .unwrap();
        first_page.push(t.elapsed());
        assert_eq!(page.items.len(), 50);
        let t = Instant::now();
        reading::page(
            &s.db,
            &s.principal,
            s.company,
            &filter,
            false,
            &PageRequest {
                after: None,
                before: None,
                limit: 50,
                from_end: true,
            },
        )
        .await
        .unwrap();
        last_page.push(t.elapsed());
    }
    let mut levels = Vec::new();
    let mut summaries = Vec::new();
    for _ in 0..100 {
        let t = Instant::now();
        let rows = reading::stock_levels(&s.db, &s.principal, s.company, None)
            .await
            .unwrap();
        levels.push(t.elapsed());
        assert_eq!(rows.len(), INGREDIENTS * UNITS);
        let t = Instant::now();
        reading::summary(&s.db, &s.principal, hot.0, hot.1)
            .await
            .unwrap();
        summaries.push(t.elapsed());
    }

    let hot_count: (i64,) = {
        let row = s
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                s.db.get_database_backend(),
                format!("SELECT COUNT(*) FROM ledger_entries WHERE ingredient_id = {} AND storage_unit_id = {}", hot.0, hot.1),
            ))
            .await
            .unwrap()
            .unwrap();
        (row.try_get_by_index::<i64>(0).unwrap(),)
    };
    let mut backdated = Vec::new();
    for k in 0..5 {
        let mut e = NewEntry::new(
            s.company,
            hot.0,
            hot.1,
            TransactionType::Receipt,
            10_000_000,
            start_day - day_us + k,
        );
        e.input_cost_micro = Some(2_500_000 + k * 1000);
        let t = Instant::now();
        let txn = service::db::begin_write(&s.db).await.unwrap();
        posting::post(&txn, vec![e]).await.unwrap();
        txn.commit().await.unwrap();
        backdated.push(t.elapsed());
    }

    // (e) AvT for one storage unit over 30 days in the middle of the ledger.
    let from = Utc
        .timestamp_micros(start_day + (days as i64 / 2) * day_us)
        .unwrap();
    let to = from + chrono::Duration::days(30);
    let unit = s.units[1];
    let mut avt = Vec::new();
    let mut avt_rows = 0;
    for _ in 0..50 {
        let t = Instant::now();
        let report = service::food_cost::variance::variance_report(
            &s.db,
            &s.principal,
            s.company,
            Some(unit),
            Some(from),
            Some(to),
        )
        .await
        .unwrap();
        avt.push(t.elapsed());
        avt_rows = report.rows.len();
    }
    let (f, t_) = (from.timestamp_micros(), to.timestamp_micros());
    let in_period: i64 = s
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            s.db.get_database_backend(),
            format!("SELECT COUNT(*) FROM ledger_entries WHERE storage_unit_id = {unit} AND occurred_at > {f} AND occurred_at <= {t_}"),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index(0)
        .unwrap();
    let mut plain_avt = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        s.db.query_all_raw(sea_orm::Statement::from_string(
            s.db.get_database_backend(),
            format!(
                "SELECT ingredient_id, transaction_type, SUM(quantity_micro), SUM(value_micro) FROM ledger_entries \
                 WHERE storage_unit_id = {unit} AND occurred_at > {f} AND occurred_at <= {t_} GROUP BY 1, 2"
            ),
        ))
        .await
        .unwrap();
        plain_avt.push(t.elapsed());
    }

    // (f) Reorder suggestions the day after the ledger ends (its last 28 days are the window).
    let now = Utc
        .timestamp_micros(start_day + days as i64 * day_us + day_us / 2)
        .unwrap();
    let mut f =
        purchasing_bench::run(&s.db, &s.principal, s.company, unit, &s.ingredients, now).await;

    println!(
        "\n### {backend}: {posted} entries ({} pairs; hot pair {} entries)\n",
        INGREDIENTS * UNITS,
        hot_count.0
    );
    println!("| measure | result |");
    println!("|---|---|");
    println!(
        "| (a) bulk postings, {per_day} per transaction | {:.0} entries/s ({:.1} s) |",
        posted as f64 / bulk.as_secs_f64(),
        bulk.as_secs_f64()
    );
    println!(
        "| (a) single postings, one transaction each (post_issue) | {:.0} postings/s |",
        singles as f64 / single.as_secs_f64()
    );
    println!(
        "| (b) ledger page of 50, first page p50 / p99 | {} / {} |",
        ms(percentile(&mut first_page, 0.5)),
        ms(percentile(&mut first_page, 0.99))
    );
    println!(
        "| (b) ledger page of 50, last page p50 / p99 | {} / {} |",
        ms(percentile(&mut last_page, 0.5)),
        ms(percentile(&mut last_page, 0.99))
    );
    println!(
        "| (c) company stock levels ({} rows) p50 / p99 | {} / {} |",
        INGREDIENTS * UNITS,
        ms(percentile(&mut levels, 0.5)),
        ms(percentile(&mut levels, 0.99))
    );
    println!(
        "| (c) ledger summary p50 / p99 | {} / {} |",
        ms(percentile(&mut summaries, 0.5)),
        ms(percentile(&mut summaries, 0.99))
    );
    println!(
        "| (d) backdated receipt before {} entries, p50 / max of 5 | {} / {} |",
        hot_count.0,
        ms(percentile(&mut backdated, 0.5)),
        ms(*backdated.iter().max().unwrap())
    );
    println!(
        "| (e) AvT, one storage unit, 30 days ({in_period} entries, {avt_rows} rows) p50 / p99 | {} / {} |",
        ms(percentile(&mut avt, 0.5)),
        ms(percentile(&mut avt, 0.99))
    );
    println!(
        "| (e) limit: the same entries summed by one GROUP BY, p50 / p99 | {} / {} |",
        ms(percentile(&mut plain_avt, 0.5)),
        ms(percentile(&mut plain_avt, 0.99))
    );
    println!(
        "| (f) reorder suggestions, {} policies in one storage unit ({} suggested) p50 / p99 | {} / {} |",
        purchasing_bench::POLICIES,
        f.suggested,
        ms(percentile(&mut f.suggestions, 0.5)),
        ms(percentile(&mut f.suggestions, 0.99))
    );
    println!(
        "| (f) limit: the window's {} usage entries summed per ingredient by one GROUP BY, p50 / p99 | {} / {} |",
        f.in_window,
        ms(percentile(&mut f.limit, 0.5)),
        ms(percentile(&mut f.limit, 0.99))
    );
}

fn main() {
    let total: usize = std::env::var("LARDER_BENCH_ENTRIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    tests::for_each_bench_database("sqlite,postgres,postgres-socket", |label, url| async move {
        run(label, &url, total).await
    });
}
