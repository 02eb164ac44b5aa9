//! (f) of the ledger benchmark: reorder suggestions for one storage unit with 1,000 stock
//! policies over the 1,000,000-entry ledger, p50/p99, beside its limit in the same run: the
//! window's ISSUE and WASTE entries of that unit summed per ingredient by one plain GROUP BY.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use service::access::Principal;
use service::purchasing::policies::{self, StockPolicyInput, StockPolicyKind};

pub const POLICIES: usize = 1_000;

pub struct Measured {
    pub suggestions: Vec<Duration>,
    pub limit: Vec<Duration>,
    pub suggested: usize,
    pub in_window: i64,
}

/// Gives `unit` 1,000 policies (the ledger's ingredients, and more without entries up to
/// 1,000), half automatic over 28 days and half manual, every ingredient a preferred product,
/// then times the suggestions as of `now` (the day after the ledger ends).
pub async fn run(
    db: &DatabaseConnection,
    principal: &Principal,
    company: i64,
    unit: i64,
    ingredients: &[i64],
    now: DateTime<Utc>,
) -> Measured {
    let mut all = ingredients.to_vec();
    for i in all.len()..POLICIES {
        let input = service::ingredients::IngredientInput {
            name: format!("Stocked {i:04}"),
            base_unit: service::units::BaseUnit::Kg,
            category: None,
            active: true,
            packaging_levels: vec![],
        };
        all.push(
            service::ingredients::create(db, principal, company, input)
                .await
                .unwrap()
                .id,
        );
    }
    let vendor = service::vendors::create(
        db,
        principal,
        company,
        service::vendors::VendorInput {
            name: "Bench Wholesale".into(),
            lead_time_days: Some(2),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    for (k, ingredient) in all.iter().enumerate() {
        let product = service::products::create(
            db,
            principal,
            company,
            service::products::ProductInput {
                vendor_id: vendor.id,
                ingredient_id: *ingredient,
                name: format!("Case {k}"),
                sku: format!("C-{k}"),
                pack_name: Some("case".into()),
                packaging_factor: Decimal::from(5),
                packaging_unit: None,
                minimum_packs: None,
                gtin: None,
            },
        )
        .await
        .unwrap();
        let patch = service::ingredients::IngredientPatch {
            preferred_product_id: Some(Some(product.id)),
            ..Default::default()
        };
        service::ingredients::update(db, principal, *ingredient, patch)
            .await
            .unwrap();
    }
    let inputs = all
        .iter()
        .enumerate()
        .map(|(k, ingredient)| {
            let manual = k % 2 == 1;
            StockPolicyInput {
                ingredient_id: *ingredient,
                storage_unit_id: unit,
                kind: if manual {
                    StockPolicyKind::Manual
                } else {
                    StockPolicyKind::Automatic
                },
                reorder_point: manual.then(|| Decimal::from(1_000)),
                par_level: manual.then(|| Decimal::from(2_000)),
                review_days: None,
                safety_days: None,
                usage_window_days: None,
            }
        })
        .collect();
    policies::set_many(db, principal, company, inputs, "policies")
        .await
        .unwrap();
    // A PostgreSQL database that has just taken a million rows gets fresh statistics from
    // autovacuum within a minute or two; the bench does not wait for it.
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        db.execute_unprepared("ANALYZE").await.unwrap();
    }

    let mut suggestions = Vec::new();
    let mut suggested = 0;
    for _ in 0..50 {
        let t = Instant::now();
        let found = service::purchasing::suggestions::reorder_suggestions(
            db,
            principal,
            company,
            Some(unit),
            now,
        )
        .await
        .unwrap();
        suggestions.push(t.elapsed());
        suggested = found.len();
    }
    let (from, to) = (
        (now - chrono::Duration::days(29)).timestamp_micros(),
        now.timestamp_micros(),
    );
    let window = format!(
        "FROM ledger_entries WHERE company_id = {company} AND storage_unit_id = {unit} \
         AND transaction_type IN ('ISSUE', 'WASTE') AND occurred_at >= {from} AND occurred_at < {to}"
    );
    let in_window: i64 = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COUNT(*) {window}"),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index(0)
        .unwrap();
    let mut limit = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        db.query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!("SELECT ingredient_id, SUM(quantity_micro) {window} GROUP BY ingredient_id"),
        ))
        .await
        .unwrap();
        limit.push(t.elapsed());
    }
    Measured {
        suggestions,
        limit,
        suggested,
        in_window,
    }
}
