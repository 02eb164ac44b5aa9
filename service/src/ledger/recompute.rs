//! Recomputing after a backdated posting or a transfer received: a pair's tail refolded from
//! a position (`costing::apply` over each entry), followed through the transfers it feeds until
//! nothing changes; and the cached balances, written back or rebuilt from the ledger.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use entity::ledger_entry::{self, Column};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveEnum, ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult,
    IdenStatic, QueryFilter, QueryOrder, QuerySelect,
};

use super::TransactionType;
use super::balances::{BalanceUpdate, Totals, write_balances};
use super::costing::{self, CostFacts, PairState, within_bounds};
use super::item_costs::ItemCostChanges;
use super::locks::{self, Pair, Position, at_or_after, before, lock_pairs};
use super::rewrite::{Rewrite, rewrite, row_ref_sql};
use crate::error::{ServiceError, ServiceResult};

/// Recomputes pairs from the given positions, following transfers into the pairs they feed,
/// until nothing changes. Returns each recomputed pair's final state; the POS items' values
/// it changed are added to `item_costs` (for the caller to write once). A pair outside `locked`
/// (the look-ahead missed it: see `locks`) is locked without waiting first.
pub(super) async fn recompute<C: ConnectionTrait>(
    db: &C,
    mut from: BTreeMap<Pair, Position>,
    locked: &mut BTreeSet<Pair>,
    item_costs: &mut ItemCostChanges,
) -> ServiceResult<BTreeMap<Pair, PairState>> {
    let mut finals: BTreeMap<Pair, PairState> = BTreeMap::new();
    let mut rounds = 0;
    while !from.is_empty() {
        rounds += 1;
        if rounds > 1000 {
            return Err(ServiceError::Internal(
                "transfer costs did not settle".into(),
            ));
        }
        let mut changed_outs = Vec::new();
        for (pair, key) in std::mem::take(&mut from) {
            if !locked.contains(&pair) {
                // Past every lock held, waiting keeps the order; before one, it must not wait.
                let in_order = locked.last().is_none_or(|held| pair > *held);
                locks::lock_late(db, pair, in_order).await?;
                locked.insert(pair);
            }
            let (state, outs) = recompute_pair(db, pair, key, item_costs).await?;
            finals.insert(pair, state);
            changed_outs.extend(outs);
        }
        for chunk in changed_outs.chunks(500) {
            let receivers = ledger_entry::Entity::find()
                .filter(Column::PairedEntryId.is_in(chunk.to_vec()))
                .filter(Column::TransactionType.eq(TransactionType::TransferIn))
                .all(db)
                .await?;
            for r in receivers {
                let key = (r.occurred_at, r.id);
                from.entry((r.ingredient_id, r.storage_unit_id))
                    .and_modify(|k| *k = (*k).min(key))
                    .or_insert(key);
            }
        }
    }
    Ok(finals)
}

/// An entry of a pair's tail as the recompute reads it: its facts and its derived values.
#[derive(Debug, FromQueryResult)]
struct TailRow {
    id: i64,
    company_id: i64,
    occurred_at: i64,
    pos_integration_id: Option<i64>,
    pos_article_id: Option<String>,
    transaction_type: TransactionType,
    quantity_micro: i64,
    input_cost_micro: Option<i64>,
    paired_entry_id: Option<i64>,
    unit_cost_micro: Option<i64>,
    value_micro: i64,
    balance_after_micro: i64,
    average_cost_after_micro: Option<i64>,
    /// Where PostgreSQL keeps the row (its `ctid`), for the rewrite to go straight there.
    row_ref: Option<String>,
}

/// The columns a recompute reads, in [`TailRow`]'s order.
const TAIL_COLUMNS: [Column; 13] = [
    Column::Id,
    Column::CompanyId,
    Column::OccurredAt,
    Column::PosIntegrationId,
    Column::PosArticleId,
    Column::TransactionType,
    Column::QuantityMicro,
    Column::InputCostMicro,
    Column::PairedEntryId,
    Column::UnitCostMicro,
    Column::ValueMicro,
    Column::BalanceAfterMicro,
    Column::AverageCostAfterMicro,
];

/// A [`TailRow`] as SQLite's `json_array` writes it (`row_ref` aside).
type TailJson = (
    i64,
    i64,
    i64,
    Option<i64>,
    Option<String>,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    i64,
    i64,
    Option<i64>,
);

/// A pair's entries from `key` on, in order. On SQLite as one row: the driver hands each row
/// from its worker thread to the caller on its own (13,000 rows: most of a backdated
/// posting's read), so the rows come as one JSON array made inside SQLite, in the order its
/// aggregate is told.
async fn read_tail<C: ConnectionTrait>(
    db: &C,
    (ingredient, storage): Pair,
    key: Position,
) -> ServiceResult<Vec<TailRow>> {
    let query = || {
        ledger_entry::Entity::find()
            .filter(Column::IngredientId.eq(ingredient))
            .filter(Column::StorageUnitId.eq(storage))
            .filter(at_or_after(key))
    };
    if db.get_database_backend() != DbBackend::Sqlite {
        return Ok(query()
            .select_only()
            .columns(TAIL_COLUMNS)
            .column_as(Expr::cust(row_ref_sql(db)), "row_ref")
            .order_by_asc(Column::OccurredAt)
            .order_by_asc(Column::Id)
            .into_model()
            .all(db)
            .await?);
    }
    let names: Vec<String> = TAIL_COLUMNS
        .iter()
        .map(|c| c.as_str().to_string())
        .collect();
    let array = format!(
        "json_group_array(json_array({}) ORDER BY occurred_at, id)",
        names.join(", ")
    );
    let json: Option<String> = query()
        .select_only()
        .column_as(Expr::cust(array), "tail")
        .into_tuple()
        .one(db)
        .await?;
    let rows: Vec<TailJson> = serde_json::from_str(json.as_deref().unwrap_or("[]"))
        .map_err(|e| ServiceError::Internal(format!("a pair's tail as JSON: {e}")))?;
    rows.into_iter()
        .map(|r| {
            Ok(TailRow {
                id: r.0,
                company_id: r.1,
                occurred_at: r.2,
                pos_integration_id: r.3,
                pos_article_id: r.4,
                transaction_type: TransactionType::try_from_value(&r.5)?,
                quantity_micro: r.6,
                input_cost_micro: r.7,
                paired_entry_id: r.8,
                unit_cost_micro: r.9,
                value_micro: r.10,
                balance_after_micro: r.11,
                average_cost_after_micro: r.12,
                row_ref: None,
            })
        })
        .collect()
}

/// Refolds one pair from `key` to its end. Returns its final state and the TRANSFER_OUTs whose
/// unit cost changed (their TRANSFER_INs must follow).
async fn recompute_pair<C: ConnectionTrait>(
    db: &C,
    (ingredient, storage): Pair,
    key: (i64, i64),
    item_costs: &mut ItemCostChanges,
) -> ServiceResult<(PairState, Vec<i64>)> {
    let in_pair = || {
        Condition::all()
            .add(Column::IngredientId.eq(ingredient))
            .add(Column::StorageUnitId.eq(storage))
    };
    let started = std::time::Instant::now();
    let previous: Option<(i64, Option<i64>)> = ledger_entry::Entity::find()
        .select_only()
        .column(Column::BalanceAfterMicro)
        .column(Column::AverageCostAfterMicro)
        .filter(in_pair())
        .filter(before(key))
        .order_by_desc(Column::OccurredAt)
        .order_by_desc(Column::Id)
        .limit(1)
        .into_tuple()
        .one(db)
        .await?;
    let mut state = previous.map_or(PairState::default(), |(balance, average_cost)| PairState {
        balance,
        average_cost,
    });
    let tail = read_tail(db, (ingredient, storage), key).await?;

    let read = started.elapsed();
    let sources: Vec<i64> = tail
        .iter()
        .filter(|r| r.transaction_type == TransactionType::TransferIn)
        .filter_map(|r| r.paired_entry_id)
        .collect();
    let mut linked: HashMap<i64, Option<i64>> = HashMap::new();
    for chunk in sources.chunks(1000) {
        let rows: Vec<(i64, Option<i64>)> = ledger_entry::Entity::find()
            .select_only()
            .column(Column::Id)
            .column(Column::UnitCostMicro)
            .filter(Column::Id.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        linked.extend(rows);
    }

    let mut updates: Vec<Rewrite> = Vec::new();
    let mut changed_outs = Vec::new();
    for row in &tail {
        let is_transfer_in = row.transaction_type == TransactionType::TransferIn;
        let facts = CostFacts {
            quantity: row.quantity_micro,
            input_cost: row.input_cost_micro,
            linked_cost: if is_transfer_in {
                row.paired_entry_id
                    .and_then(|p| linked.get(&p).copied().flatten())
            } else {
                None
            },
            is_transfer_in,
        };
        let d = costing::apply(state, &facts);
        within_bounds(&d)?;
        state = d.state;
        let stored = (
            row.unit_cost_micro,
            row.value_micro,
            row.balance_after_micro,
            row.average_cost_after_micro,
        );
        if (d.unit_cost, d.value, d.state.balance, d.state.average_cost) != stored {
            if row.transaction_type == TransactionType::TransferOut
                && d.unit_cost != row.unit_cost_micro
            {
                changed_outs.push(row.id);
            }
            item_costs.add(
                row.company_id,
                (row.pos_integration_id, row.pos_article_id.as_deref()),
                row.occurred_at,
                i128::from(d.value) - i128::from(row.value_micro),
            );
            updates.push(Rewrite {
                row_ref: row.row_ref.clone(),
                id: row.id,
                occurred_at: row.occurred_at,
                unit_cost: d.unit_cost,
                value: d.value,
                balance: d.state.balance,
                average_cost: d.state.average_cost,
            });
        }
    }
    let folded = started.elapsed();
    rewrite(db, (ingredient, storage), &updates).await?;
    // Where a backdated posting's time goes (issue 25 measured it with this).
    tracing::debug!(
        ingredient,
        storage,
        rows = tail.len(),
        rewritten = updates.len(),
        read_ms = read.as_secs_f64() * 1e3,
        fold_ms = (folded - read).as_secs_f64() * 1e3,
        write_ms = (started.elapsed() - folded).as_secs_f64() * 1e3,
        "recomputed a pair's tail"
    );
    Ok((state, changed_outs))
}

/// A pair's facts summed from the ledger, as [`rebuild_balances`] compares them with its cache.
struct PairSums {
    pair: Pair,
    quantity: i64,
    entries: i64,
    last: i64,
    totals: Totals,
}

/// Rebuilds every cached balance of a company from its ledger and says how many were wrong
/// (DESIGN.md invariant 2: the cache always equals the sums; this is the check and the repair).
pub async fn rebuild_balances<C: ConnectionTrait>(db: &C, company_id: i64) -> ServiceResult<u64> {
    use crate::quantity::{exact_sum_sql, join_sum};
    let (r, i) = (
        TransactionType::Receipt.to_value(),
        TransactionType::Issue.to_value(),
    );
    let [quantity_high, quantity_low] = exact_sum_sql(db.get_database_backend(), "quantity_micro");
    let [received_high, received_low] = exact_sum_sql(
        db.get_database_backend(),
        &format!("CASE WHEN transaction_type = '{r}' THEN quantity_micro ELSE 0 END"),
    );
    let [issued_high, issued_low] = exact_sum_sql(
        db.get_database_backend(),
        &format!("CASE WHEN transaction_type = '{i}' THEN -quantity_micro ELSE 0 END"),
    );
    #[derive(FromQueryResult)]
    struct Parts {
        ingredient_id: i64,
        storage_unit_id: i64,
        quantity_high: i64,
        quantity_low: i64,
        received_high: i64,
        received_low: i64,
        issued_high: i64,
        issued_low: i64,
        entries: i64,
        last: i64,
    }
    let parts: Vec<Parts> = ledger_entry::Entity::find()
        .select_only()
        .column(Column::IngredientId)
        .column(Column::StorageUnitId)
        .column_as(Expr::cust(quantity_high), "quantity_high")
        .column_as(Expr::cust(quantity_low), "quantity_low")
        .column_as(Expr::cust(received_high), "received_high")
        .column_as(Expr::cust(received_low), "received_low")
        .column_as(Expr::cust(issued_high), "issued_high")
        .column_as(Expr::cust(issued_low), "issued_low")
        .column_as(Expr::col(Column::Id).count(), "entries")
        .column_as(Expr::col(Column::OccurredAt).max(), "last")
        .filter(Column::CompanyId.eq(company_id))
        .group_by(Column::IngredientId)
        .group_by(Column::StorageUnitId)
        .into_model()
        .all(db)
        .await?;
    // A sum past 64 bits cannot equal any cached balance: it counts as wrong (i64::MAX here).
    let sums: Vec<PairSums> = parts
        .into_iter()
        .map(|p| PairSums {
            pair: (p.ingredient_id, p.storage_unit_id),
            quantity: i64::try_from(join_sum(p.quantity_high, p.quantity_low)).unwrap_or(i64::MAX),
            entries: p.entries,
            last: p.last,
            totals: Totals::from_sums(
                join_sum(p.received_high, p.received_low),
                join_sum(p.issued_high, p.issued_low),
            ),
        })
        .collect();
    let cached: BTreeSet<(Pair, i64, i64, Totals)> = entity::stock_balance::Entity::find()
        .filter(entity::stock_balance::Column::CompanyId.eq(company_id))
        .all(db)
        .await?
        .into_iter()
        .map(|b| {
            (
                (b.ingredient_id, b.storage_unit_id),
                b.quantity_micro,
                b.entry_count,
                Totals {
                    received: b.received_micro,
                    issued: b.issued_micro,
                },
            )
        })
        .collect();
    let wrong = sums
        .iter()
        .filter(|s| !cached.contains(&(s.pair, s.quantity, s.entries, s.totals)))
        .count() as u64;
    if wrong > 0 {
        let pairs: BTreeMap<Pair, i64> = sums.iter().map(|s| (s.pair, company_id)).collect();
        lock_pairs(db, &pairs).await?;
        let from = pairs.keys().map(|p| (*p, (i64::MIN, i64::MIN))).collect();
        let mut locked = pairs.keys().copied().collect();
        let mut item_costs = ItemCostChanges::default();
        let finals = recompute(db, from, &mut locked, &mut item_costs).await?;
        item_costs.write(db).await?;
        db.execute_unprepared(&format!("UPDATE stock_balances SET entry_count = 0, last_occurred_at = NULL, received_micro = 0, issued_micro = 0 WHERE company_id = {company_id}")).await?;
        let balances: Vec<_> = sums
            .iter()
            .map(|s| BalanceUpdate {
                pair: s.pair,
                state: finals.get(&s.pair).copied().unwrap_or_default(),
                added: s.entries,
                latest: s.last,
                totals: s.totals,
            })
            .collect();
        write_balances(db, &balances).await?;
    }
    Ok(wrong)
}
