//! The AvT identity as a property (DESIGN.md, "Food cost"): for random movements in two storage
//! units and any period, every row's actual usage — theoretical + waste + other issues +
//! unexplained — equals opening + receipts + transfers in − transfers out − closing, exactly in
//! quantity and to the cent in value (stock stays non-negative, so no inflow revalues it).

use std::collections::HashMap;

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use rust_decimal::Decimal;
use sea_orm::DatabaseConnection;
use service::food_cost::variance::variance_report;
use service::ledger::report::Amount;
use service::movements::{self, Movement, WasteLine};
use service::stock_counts::{self, CountLineInput};
use tests::{Backend, TestApp};

#[derive(Debug, Clone, Copy)]
enum Kind {
    Receipt { cents: u32 },
    Issue,
    Waste,
    Count,
    Transfer,
}

/// One movement, an hour after the one before; `share` is the part of the stock (in %) it
/// moves, so no outflow takes more than there is.
#[derive(Debug, Clone, Copy)]
struct Step {
    kind: Kind,
    share: u32,
    in_a: bool,
}

fn step() -> impl Strategy<Value = Step> {
    let kind = prop_oneof![
        3 => (1u32..2500).prop_map(|cents| Kind::Receipt { cents }),
        3 => Just(Kind::Issue),
        1 => Just(Kind::Waste),
        1 => Just(Kind::Count),
        2 => Just(Kind::Transfer),
    ];
    (kind, 1u32..100, any::<bool>()).prop_map(|(kind, share, in_a)| Step { kind, share, in_a })
}

type Kitchen = tests::books::TwoUnits;

async fn kitchen(db: &DatabaseConnection, n: usize) -> Kitchen {
    tests::books::two_units(db, "avt", n).await
}

const START: fn() -> DateTime<Utc> = || Utc.with_ymd_and_hms(2026, 3, 1, 6, 0, 0).unwrap();

async fn run(db: &DatabaseConnection, k: &Kitchen, steps: &[Step]) {
    let mut stock: HashMap<i64, Decimal> =
        HashMap::from([(k.a, Decimal::ZERO), (k.b, Decimal::ZERO)]);
    for (i, s) in steps.iter().enumerate() {
        let at = START() + Duration::hours(i as i64 + 1);
        let (unit, other) = if s.in_a { (k.a, k.b) } else { (k.b, k.a) };
        // A part of what is there, to three places.
        let part = (stock[&unit] * Decimal::from(s.share) / Decimal::ONE_HUNDRED).round_dp(3);
        let mv = |quantity: Decimal| Movement {
            storage_unit_id: unit,
            ingredient_id: k.ingredient,
            quantity,
            unit: None,
            occurred_at: Some(at),
        };
        match s.kind {
            Kind::Receipt { cents } => {
                let quantity = Decimal::from(s.share);
                movements::post_receipt(
                    db,
                    &k.principal,
                    mv(quantity),
                    Decimal::new(cents as i64, 2),
                    None,
                )
                .await
                .unwrap();
                *stock.get_mut(&unit).unwrap() += quantity;
            }
            Kind::Issue | Kind::Waste | Kind::Transfer if part.is_zero() => {}
            Kind::Issue => {
                movements::post_issue(db, &k.principal, mv(part), None)
                    .await
                    .unwrap();
                *stock.get_mut(&unit).unwrap() -= part;
            }
            Kind::Waste => {
                let line = WasteLine {
                    movement: mv(part),
                    reason: "Spoiled".into(),
                };
                movements::post_waste(db, &k.principal, vec![line])
                    .await
                    .unwrap();
                *stock.get_mut(&unit).unwrap() -= part;
            }
            Kind::Transfer => {
                movements::transfer_stock(db, &k.principal, mv(part), other)
                    .await
                    .unwrap();
                *stock.get_mut(&unit).unwrap() -= part;
                *stock.get_mut(&other).unwrap() += part;
            }
            Kind::Count => {
                // The count finds a share of the books: the rest is unexplained.
                let line = CountLineInput {
                    ingredient_id: k.ingredient,
                    counted: Some(stock[&unit] - part),
                    unit: None,
                };
                stock_counts::count_and_post(db, &k.principal, unit, at, vec![line])
                    .await
                    .unwrap();
                *stock.get_mut(&unit).unwrap() -= part;
            }
        }
    }
}

/// opening + receipts + transfers in − transfers out − closing.
fn by_stock(r: &service::food_cost::variance::VarianceRow) -> Amount {
    r.opening + r.receipts + r.transfers_in - r.transfers_out - r.closing
}

fn property(backend: Backend) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let app = rt.block_on(TestApp::spawn(backend));
    let cases = std::env::var("LARDER_PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(16);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases,
        max_shrink_iters: 32,
        ..ProptestConfig::default()
    });
    let counter = std::sync::atomic::AtomicUsize::new(0);
    let strategy = (
        proptest::collection::vec(step(), 1..30),
        0i64..30,
        1i64..32,
        any::<bool>(),
    );
    runner
        .run(&strategy, |(steps, start, length, one_unit)| {
            let n = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            rt.block_on(async {
                let k = kitchen(&app.db, n).await;
                run(&app.db, &k, &steps).await;
                let from = START() + Duration::minutes(start * 60 + 30);
                let to = from + Duration::minutes(length * 60);
                let unit = one_unit.then_some(k.a);
                let report =
                    variance_report(&app.db, &k.principal, k.company, unit, Some(from), Some(to))
                        .await
                        .unwrap();
                let cent = 10_000; // in millionths
                for row in report.rows.iter().chain([&report.totals]) {
                    let (actual, stock) = (row.actual(), by_stock(row));
                    assert_eq!(
                        actual.quantity, stock.quantity,
                        "quantity identity: {row:?}"
                    );
                    assert!(
                        (actual.value - stock.value).abs() <= cent,
                        "value identity within a cent: {} vs {} in {row:?}",
                        actual.value,
                        stock.value
                    );
                    assert_eq!(row.variance(), actual - row.theoretical);
                }
            });
            Ok(())
        })
        .unwrap();
    drop(app);
}

#[test]
fn actual_usage_equals_the_change_in_stock_sqlite() {
    property(Backend::Sqlite);
}

#[test]
fn actual_usage_equals_the_change_in_stock_postgres() {
    property(Backend::Postgres);
}
