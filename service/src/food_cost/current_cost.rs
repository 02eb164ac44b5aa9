//! What an ingredient costs now (DESIGN.md, "Food cost"): the weighted average over the storage
//! units holding stock of it, else its latest inflow's unit cost — or, on the LATEST_RECEIPT
//! basis, its latest receipt's unit cost (what the next delivery will probably cost).

use std::collections::HashMap;

use rust_decimal::Decimal;
use sea_orm::{ActiveEnum, ConnectionTrait, DatabaseBackend, Statement};

use crate::error::ServiceResult;
use crate::ledger::TransactionType;
use crate::ledger::costing::value_of;
use crate::quantity::{SCALE, from_micro};

/// Which cost a recipe is costed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CostBasis {
    /// The weighted average of the stock on hand (else the latest inflow).
    #[default]
    Average,
    /// The latest receipt's unit cost.
    LatestReceipt,
}

/// Unit costs (money per base unit, 6 decimal places) of a company's ingredients that have one.
pub async fn current_costs<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
    basis: CostBasis,
) -> ServiceResult<HashMap<i64, Decimal>> {
    let mut costs = match basis {
        CostBasis::Average => average_on_hand(db, company_id).await?,
        CostBasis::LatestReceipt => HashMap::new(),
    };
    let fallback = match basis {
        CostBasis::Average => latest_unit_cost(
            db,
            company_id,
            &[TransactionType::Receipt, TransactionType::TransferIn],
        ),
        CostBasis::LatestReceipt => latest_unit_cost(db, company_id, &[TransactionType::Receipt]),
    };
    for (ingredient, cost) in fallback.await? {
        costs.entry(ingredient).or_insert(cost);
    }
    Ok(costs)
}

/// Σ value ÷ Σ quantity over the pairs holding stock (quantity > 0 at a known average).
async fn average_on_hand<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
) -> ServiceResult<HashMap<i64, Decimal>> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            format!(
                "SELECT ingredient_id, quantity_micro, average_cost_micro FROM stock_balances \
                 WHERE company_id = {company_id} AND quantity_micro > 0 AND average_cost_micro IS NOT NULL"
            ),
        ))
        .await?;
    let mut sums: HashMap<i64, (i128, i128)> = HashMap::new();
    for row in rows {
        let ingredient: i64 = row.try_get_by_index(0)?;
        let quantity: i64 = row.try_get_by_index(1)?;
        let average: i64 = row.try_get_by_index(2)?;
        let sum = sums.entry(ingredient).or_default();
        sum.0 += value_of(quantity, average) as i128;
        sum.1 += quantity as i128;
    }
    Ok(sums
        .into_iter()
        .filter(|(_, (_, quantity))| *quantity > 0)
        .map(|(ingredient, (value, quantity))| {
            (ingredient, ratio(from_micro(value), from_micro(quantity)))
        })
        .collect())
}

/// Money per unit to 6 places; a quotient past a decimal's range is the largest decimal.
pub(crate) fn ratio(numerator: Decimal, denominator: Decimal) -> Decimal {
    numerator
        .checked_div(denominator)
        .unwrap_or(Decimal::MAX)
        .round_dp(SCALE)
        .normalize()
}

/// SQL conditions on ledger entry `alias` for an inflow that sets a price: one of `types`, stock
/// in, at a known unit cost, neither a reversal nor reversed. Price changes and current costs
/// read receipts through this one rule.
///
/// On SQLite, `+reversal_of` (a no-op) keeps the planner off the `reversal_of` index for
/// `IS NULL`: without statistics it chose that index — every entry that is not a reversal, the
/// whole ledger — over the ingredient's own `(ingredient_id, occurred_at)` index, and the latest
/// receipt of 1,000 ingredients took 125 s on the 1,000,000-entry bench ledger (3 ms with it).
/// PostgreSQL keeps the plain column: its statistics know nearly every entry has none, and on
/// the expression it guessed one row in 200, sorted every entry of the ingredient instead of
/// reading its index backwards to the first receipt, and took 2 s (13 ms without it).
pub(crate) fn priced_inflow(
    backend: DatabaseBackend,
    alias: &str,
    types: &[TransactionType],
) -> String {
    let not_a_reversal = match backend {
        DatabaseBackend::Sqlite => format!("+{alias}.reversal_of IS NULL"),
        _ => format!("{alias}.reversal_of IS NULL"),
    };
    let types = types
        .iter()
        .map(|t| format!("'{}'", t.to_value()))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "{alias}.transaction_type IN ({types}) AND {alias}.quantity_micro > 0 \
         AND {alias}.unit_cost_micro IS NOT NULL AND {not_a_reversal} \
         AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reversal_of = {alias}.id)"
    )
}

/// The unit cost of each ingredient's latest inflow of one of `types` (not a reversal, nor
/// reversed): one indexed lookup per ingredient.
async fn latest_unit_cost<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
    types: &[TransactionType],
) -> ServiceResult<HashMap<i64, Decimal>> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            format!(
                "SELECT i.id, (SELECT e.unit_cost_micro FROM ledger_entries e \
                   WHERE e.ingredient_id = i.id AND {} \
                   ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1) \
                 FROM ingredients i WHERE i.company_id = {company_id}",
                priced_inflow(db.get_database_backend(), "e", types),
            ),
        ))
        .await?;
    let mut out = HashMap::new();
    for row in rows {
        if let Some(cost) = row.try_get_by_index::<Option<i64>>(1)? {
            out.insert(row.try_get_by_index::<i64>(0)?, from_micro(cost));
        }
    }
    Ok(out)
}
