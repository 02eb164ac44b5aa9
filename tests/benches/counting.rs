//! Counting benchmark (issue 27): a tablet's backlog of 1,000 count entries saved in one call —
//! checked, stored once each, every touched line's counted quantity settled again — beside a plain
//! multi-row INSERT of the same 1,000 rows in the same run; the same backlog sent again (nothing
//! new: the idempotent path a flaky connection takes); and a 300-line count sheet in walking order
//! beside the books alone (what ordering by places adds).
//! Run: `cargo bench -p tests --bench counting` (LARDER_BENCH_BACKENDS=sqlite,postgres).

use std::time::{Duration, Instant};

use chrono::Utc;
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};
use service::counting::entries::{self, CountEntryInput};
use service::counting::{places, sheet};

const RUNS: usize = 15;
const ROOM: usize = 300;
const PLACES: usize = 12;
const ENTRIES: usize = 1_000;

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    samples[((samples.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn line(name: &str, work: &mut [Duration], limit_name: &str, limit: &mut [Duration]) {
    let (w, l) = (percentile(work, 0.5), percentile(limit, 0.5));
    println!(
        "{name}: p50 {} p99 {} | {limit_name}: p50 {} p99 {} | {:.1}×",
        ms(w),
        ms(percentile(work, 0.99)),
        ms(l),
        ms(percentile(limit, 0.99)),
        w.as_secs_f64() / l.as_secs_f64()
    );
}

/// 1,000 entries over the room: each ingredient at its place and at a second one, counted
/// again now and then (a correction), a minute apart.
fn backlog(run: usize, room: &[i64], walk: &[i64]) -> Vec<CountEntryInput> {
    let start = Utc::now() - chrono::Duration::hours(2);
    (0..ENTRIES)
        .map(|k| CountEntryInput {
            client_id: format!("run{run}-entry{k}"),
            ingredient_id: room[k % ROOM],
            place_id: Some(walk[(k / ROOM + k) % PLACES]),
            packs: None,
            product_id: None,
            quantity: Some(Decimal::new(1 + (k % 97) as i64, 1)),
            unit: None,
            counted_at: start + chrono::Duration::seconds(k as i64),
        })
        .collect()
}

async fn run(backend: &str, url: &str) {
    let db: DatabaseConnection = service::db::connect(url).await.expect("database");
    let bench = tests::bench::company(&db, "counting@example.com", "UTC").await;
    let p = bench.principal.clone();
    let mut room = bench.ingredients.clone();
    for i in room.len()..ROOM {
        let input = service::ingredients::IngredientInput {
            name: format!("Shelf item {i:03}"),
            base_unit: service::units::BaseUnit::Kg,
            category: None,
            active: true,
            packaging_levels: vec![],
        };
        room.push(
            service::ingredients::create(&db, &p, bench.id, input)
                .await
                .unwrap()
                .id,
        );
    }
    let mut walk = Vec::new();
    for k in 0..PLACES {
        let place = places::create(&db, &p, bench.kitchen, &format!("Shelf {k:02}"), None)
            .await
            .unwrap();
        let here: Vec<i64> = room.iter().copied().skip(k).step_by(PLACES).collect();
        places::place_ingredients(&db, &p, bench.kitchen, Some(place.id), &here, None)
            .await
            .unwrap();
        walk.push(place.id);
    }
    let user = p.acting_user_id();
    println!("\n## {backend}");
    let (mut saved, mut again, mut plain) = (Vec::new(), Vec::new(), Vec::new());
    let (mut ordered, mut books) = (Vec::new(), Vec::new());
    for run in 0..RUNS {
        let count = service::stock_counts::start(&db, &p, bench.kitchen)
            .await
            .unwrap();
        let inputs = backlog(run, &room, &walk);
        let started = Instant::now();
        entries::save(&db, &p, count.id, &inputs)
            .await
            .expect("saves");
        saved.push(started.elapsed());
        let started = Instant::now();
        entries::save(&db, &p, count.id, &inputs)
            .await
            .expect("saves again");
        again.push(started.elapsed());
        assert_eq!(entries::list(&db, count.id).await.unwrap().len(), ENTRIES);

        let started = Instant::now();
        let lines = sheet::lines(&db, &p, &count).await.unwrap();
        ordered.push(started.elapsed());
        assert_eq!(lines.len(), ROOM);
        let started = Instant::now();
        service::stock_counts::line_views(&db, &count)
            .await
            .unwrap();
        books.push(started.elapsed());

        // The limit: the same rows by one plain INSERT, in a count of their own.
        let limit_count = service::stock_counts::cancel(&db, &p, count.id)
            .await
            .unwrap()
            .id;
        let at = (Utc::now() - chrono::Duration::hours(2)).format("%Y-%m-%d %H:%M:%S+00:00");
        let values: Vec<String> = inputs
            .iter()
            .map(|e| {
                format!(
                    "({}, {limit_count}, 'limit-{}', {}, {}, {}, '{at}', {user}, '{at}')",
                    bench.id,
                    e.client_id,
                    e.ingredient_id,
                    e.place_id.unwrap(),
                    service::quantity::to_micro(e.quantity.unwrap(), "q").unwrap()
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO count_entries (company_id, count_id, client_id, ingredient_id, place_id, quantity_micro, counted_at, counted_by, saved_at) VALUES {}",
            values.join(", ")
        );
        let started = Instant::now();
        let txn = db.begin().await.unwrap();
        txn.execute_unprepared(&sql).await.unwrap();
        txn.commit().await.unwrap();
        plain.push(started.elapsed());
    }
    line(
        &format!("save {ENTRIES} entries"),
        &mut saved,
        "plain INSERT of the same rows",
        &mut plain,
    );
    line(
        &format!("the same {ENTRIES} again"),
        &mut again,
        "plain INSERT of the same rows",
        &mut plain,
    );
    line(
        &format!("{ROOM}-line sheet in walking order"),
        &mut ordered,
        "the books alone",
        &mut books,
    );
}

fn main() {
    tests::for_each_bench_database("sqlite,postgres", |label, url| async move {
        run(label, &url).await;
    });
}
