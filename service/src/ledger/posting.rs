//! Writing to the ledger: new entries are inserted as facts, then the derived columns of their
//! pairs are recomputed from the earliest new entry on — so a backdated entry leaves exactly what
//! a from-scratch replay would — and TRANSFER_INs follow their TRANSFER_OUT's recomputed cost
//! into the other storage unit. Callers run this inside one write transaction ([`crate::db::begin_write`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use entity::ledger_entry::{self, Column};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::TransactionType;
use super::costing::{self, CostFacts, PairState};
use super::locks::{self, Locked, Pair, Planned, Position, lock_more, lock_pairs};
use crate::error::{ServiceError, ServiceResult};

/// Where a sale came from, kept on the ISSUE entries it caused.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PosSale {
    pub item_name: String,
    pub amount_sold_micro: i64,
    pub sales_value_micro: Option<i64>,
    pub article_id: Option<String>,
    pub transaction_id: Option<String>,
    pub receipt_number: Option<String>,
    pub sold_at: Option<i64>,
}

/// An entry to post. Quantities are signed millionths of the ingredient's base unit.
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub company_id: i64,
    pub ingredient_id: i64,
    pub storage_unit_id: i64,
    pub kind: TransactionType,
    pub quantity_micro: i64,
    /// Price per base unit an inflow brings (receipts), or the fixed cost of a reversal.
    pub input_cost_micro: Option<i64>,
    pub occurred_at: i64,
    pub source_kind: String,
    pub source_id: Option<String>,
    pub reversal_of: Option<i64>,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub pos: Option<PosSale>,
    pub created_by: Option<i64>,
    /// For a TRANSFER_IN: the index, in the same batch, of the TRANSFER_OUT it receives.
    pub receives: Option<usize>,
    /// For a TRANSFER_IN: the TRANSFER_OUT, posted earlier, it receives.
    pub receives_entry: Option<i64>,
    /// No time was given: the entry happens when it is posted (`ledger::EntryTime`).
    pub at_posting: bool,
}

impl NewEntry {
    pub fn new(
        company_id: i64,
        ingredient_id: i64,
        storage_unit_id: i64,
        kind: TransactionType,
        quantity_micro: i64,
        occurred_at: i64,
    ) -> Self {
        Self {
            company_id,
            ingredient_id,
            storage_unit_id,
            kind,
            quantity_micro,
            input_cost_micro: None,
            occurred_at,
            source_kind: "MANUAL".into(),
            source_id: None,
            reversal_of: None,
            reason: None,
            note: None,
            pos: None,
            created_by: None,
            receives: None,
            receives_entry: None,
            at_posting: false,
        }
    }
}

/// Refuses an entry whose value, or whose pair's balance after it, passes
/// [`MAX_TOTAL`](crate::quantity::MAX_TOTAL): costing saturates rather than overflows, and this
/// turns a saturated figure into a clear error before the transaction commits.
fn within_bounds(d: &costing::Derived) -> ServiceResult<()> {
    use crate::quantity::{MAX_TOTAL, within_total};
    if within_total(d.state.balance as i128).is_none() {
        return Err(ServiceError::validation(
            "quantity",
            format!(
                "would take the stock of the ingredient in the storage unit past {MAX_TOTAL} base units"
            ),
        ));
    }
    if within_total(d.value as i128).is_none() {
        return Err(ServiceError::validation(
            "quantity",
            format!("the entry would be worth more than {MAX_TOTAL}"),
        ));
    }
    Ok(())
}

/// Inserts `entries` and brings every derived value they touch up to date. Returns the entries
/// as stored, in the order given.
///
/// The common case — entries after everything their pair already has, and no TRANSFER_IN — is
/// costed in memory from the cached balance and inserted complete. Anything else (a backdated
/// entry, a transfer received) is inserted and then recomputed from its position.
pub async fn post<C: ConnectionTrait>(
    db: &C,
    entries: Vec<NewEntry>,
) -> ServiceResult<Vec<ledger_entry::Model>> {
    post_holding(db, entries, &mut BTreeSet::new()).await
}

/// [`post`] for a unit of work that already holds balance locks (`held`, from [`locks::lock_ahead`] or
/// an earlier posting of the same transaction): a pair it needs beyond them is taken without
/// waiting when it sorts before one held (see `locks`). Adds what it locked to `held`.
pub async fn post_holding<C: ConnectionTrait>(
    db: &C,
    entries: Vec<NewEntry>,
    held: &mut BTreeSet<Pair>,
) -> ServiceResult<Vec<ledger_entry::Model>> {
    Ok(post_entries(db, entries, true, held)
        .await?
        .unwrap_or_default())
}

/// Like [`post`] for bulk writers that do not need the stored rows back (a day of POS sales):
/// rows go in without `RETURNING` and are not read back. Returns how many were posted.
pub async fn post_many<C: ConnectionTrait>(db: &C, entries: Vec<NewEntry>) -> ServiceResult<usize> {
    let n = entries.len();
    post_entries(db, entries, false, &mut BTreeSet::new()).await?;
    Ok(n)
}

async fn post_entries<C: ConnectionTrait>(
    db: &C,
    mut entries: Vec<NewEntry>,
    want_rows: bool,
    held: &mut BTreeSet<Pair>,
) -> ServiceResult<Option<Vec<ledger_entry::Model>>> {
    if entries.is_empty() {
        return Ok(Some(vec![]));
    }
    // Ids are only needed to return rows and to link TRANSFER_INs to their TRANSFER_OUTs.
    let need_ids = want_rows || entries.iter().any(|e| e.receives.is_some());
    let now = super::to_micros(chrono::Utc::now());
    if entries.iter().any(|e| e.quantity_micro == 0) {
        return Err(ServiceError::validation("quantity", "must not be zero"));
    }
    let planned: Vec<Planned> = entries
        .iter()
        .map(|e| Planned {
            pair: (e.ingredient_id, e.storage_unit_id),
            company_id: e.company_id,
            occurred_at: e.occurred_at,
            receives_transfer: e.kind == TransactionType::TransferIn,
            lands_last: e.at_posting,
        })
        .collect();
    let Locked {
        balances: cached,
        mut pairs,
    } = lock_more(db, &planned, held).await?;
    // An entry posted "now" lands after what its pair holds once locked, not before an entry a
    // concurrent writer committed a moment earlier (which would make it a backdated posting).
    for e in entries.iter_mut().filter(|e| e.at_posting) {
        if let Some(last) = cached
            .get(&(e.ingredient_id, e.storage_unit_id))
            .and_then(|b| b.last_occurred_at)
        {
            e.occurred_at = std::cmp::max(e.occurred_at, last);
        }
    }
    // A transfer is received no earlier than it left, also after both sides moved to the end.
    for i in 0..entries.len() {
        if let Some(j) = entries[i].receives {
            entries[i].occurred_at = std::cmp::max(entries[i].occurred_at, entries[j].occurred_at);
        }
    }

    // Which pairs can be costed before insertion: new entries all at or after the pair's last
    // one (they get larger ids, so they sort after it) and none waiting for a transfer's cost.
    let mut by_pair: BTreeMap<Pair, Vec<usize>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        by_pair
            .entry((e.ingredient_id, e.storage_unit_id))
            .or_default()
            .push(i);
    }
    let mut derived: Vec<Option<costing::Derived>> = vec![None; entries.len()];
    let mut finals: BTreeMap<Pair, PairState> = BTreeMap::new();
    let mut slow: BTreeSet<Pair> = BTreeSet::new();
    // Pairs receiving a transfer from this batch come second: the TRANSFER_OUT's cost, once
    // known, is the TRANSFER_IN's (a transfer shipped and received at once is costed here too).
    let (first, second): (Vec<_>, Vec<_>) = by_pair.iter().partition(|(_, members)| {
        members
            .iter()
            .all(|i| entries[*i].kind != TransactionType::TransferIn)
    });
    for (pair, members) in first.into_iter().chain(second) {
        let balance = cached.get(pair);
        // The cost each member brings in: its own, or for a TRANSFER_IN its TRANSFER_OUT's.
        let linked: Option<Vec<Option<i64>>> = members
            .iter()
            .map(|i| match (entries[*i].kind, entries[*i].receives) {
                (TransactionType::TransferIn, Some(j)) => derived[j]
                    .map(|d| d.unit_cost)
                    .filter(|_| by_pair_of(&entries[j]) != *pair),
                (TransactionType::TransferIn, None) => None,
                _ => Some(None),
            })
            .collect();
        let appends = linked.is_some()
            && members.iter().all(|i| {
                balance
                    .and_then(|b| b.last_occurred_at)
                    .is_none_or(|last| entries[*i].occurred_at >= last)
            });
        let Some(linked) = linked.filter(|_| appends) else {
            slow.insert(*pair);
            continue;
        };
        let linked: HashMap<usize, Option<i64>> = members.iter().copied().zip(linked).collect();
        let mut order = members.clone();
        order.sort_by_key(|i| (entries[*i].occurred_at, *i));
        let mut state = balance.map_or(PairState::default(), |b| PairState {
            balance: b.quantity_micro,
            average_cost: b.average_cost_micro,
        });
        for i in order {
            let e = &entries[i];
            let is_transfer_in = e.kind == TransactionType::TransferIn;
            let d = costing::apply(
                state,
                &CostFacts {
                    quantity: e.quantity_micro,
                    input_cost: e.input_cost_micro,
                    linked_cost: if is_transfer_in { linked[&i] } else { None },
                    is_transfer_in,
                },
            );
            within_bounds(&d)?;
            state = d.state;
            derived[i] = Some(d);
        }
        finals.insert(*pair, state);
    }

    // Facts (and, where known, derived values) in: in occurred_at order within the batch, so
    // ids follow time for entries posted together; TRANSFER_INs after the TRANSFER_OUTs they name.
    let mut ids = vec![0i64; entries.len()];
    let mut stored: Vec<Option<ledger_entry::Model>> = vec![None; entries.len()];
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by_key(|i| (entries[*i].receives.is_some(), entries[*i].occurred_at, *i));
    let (plain, receiving): (Vec<usize>, Vec<usize>) = order
        .into_iter()
        .partition(|i| entries[*i].receives.is_none());
    for group in [plain, receiving] {
        for chunk in group.chunks(400) {
            let models: Vec<ledger_entry::ActiveModel> = chunk
                .iter()
                .map(|i| {
                    active_model(
                        &entries[*i],
                        entries[*i]
                            .receives
                            .map(|j| ids[j])
                            .or(entries[*i].receives_entry),
                        now,
                        derived[*i],
                    )
                })
                .collect();
            if !need_ids {
                ledger_entry::Entity::insert_many(models)
                    .exec_without_returning(db)
                    .await?;
                continue;
            }
            let inserted = ledger_entry::Entity::insert_many(models)
                .exec_with_returning(db)
                .await?;
            for (i, row) in chunk.iter().zip(inserted) {
                ids[*i] = row.id;
                stored[*i] = Some(row);
            }
        }
    }

    crate::faults::hit(crate::faults::Fault::Posting, entries[0].company_id).await;

    let mut from: BTreeMap<Pair, (i64, i64)> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        let pair = (e.ingredient_id, e.storage_unit_id);
        if slow.contains(&pair) {
            // Without ids, from the first entry at that time (a few more rows refolded, same result).
            let key = (e.occurred_at, if need_ids { ids[i] } else { i64::MIN });
            from.entry(pair)
                .and_modify(|k| *k = (*k).min(key))
                .or_insert(key);
        }
    }
    finals.extend(recompute(db, from, &mut pairs).await?);
    held.extend(pairs);

    let mut balances = Vec::with_capacity(by_pair.len());
    for (pair, members) in &by_pair {
        let latest = members
            .iter()
            .map(|i| entries[*i].occurred_at)
            .max()
            .unwrap_or(0);
        if let Some(state) = finals.get(pair) {
            balances.push((*pair, *state, members.len() as i64, latest));
        }
    }
    // A recompute that followed a transfer into a pair outside this batch changed its state too.
    for (pair, state) in &finals {
        if !by_pair.contains_key(pair) {
            balances.push((*pair, *state, 0, i64::MIN));
        }
    }
    write_balances(db, &balances).await?;
    if !want_rows {
        return Ok(None);
    }

    // Rows of recomputed pairs are read back with their final derived values.
    let reread: Vec<i64> = (0..entries.len())
        .filter(|i| derived[*i].is_none())
        .map(|i| ids[i])
        .collect();
    let mut fresh: HashMap<i64, ledger_entry::Model> = HashMap::new();
    for chunk in reread.chunks(1000) {
        fresh.extend(
            ledger_entry::Entity::find()
                .filter(Column::Id.is_in(chunk.to_vec()))
                .all(db)
                .await?
                .into_iter()
                .map(|r| (r.id, r)),
        );
    }
    Ok(Some(
        stored
            .into_iter()
            .zip(ids)
            .filter_map(|(row, id)| fresh.remove(&id).or(row))
            .collect(),
    ))
}

/// Sets each pair's cached balance: its final state, `added` more entries, and the latest time.
async fn write_balances<C: ConnectionTrait>(
    db: &C,
    balances: &[(Pair, PairState, i64, i64)],
) -> ServiceResult<()> {
    let rows: Vec<String> = balances
        .iter()
        .map(|((i, s), state, added, latest)| {
            format!(
                "({i}, {s}, {}, {}, {added}, {latest})",
                state.balance,
                sql_int(state.average_cost)
            )
        })
        .collect();
    for chunk in rows.chunks(500) {
        db.execute_unprepared(&format!(
            "WITH v(ingredient_id, storage_unit_id, quantity, average, added, latest) AS (VALUES {}) \
             UPDATE stock_balances SET quantity_micro = v.quantity, average_cost_micro = v.average, \
             entry_count = stock_balances.entry_count + v.added, \
             last_occurred_at = CASE WHEN stock_balances.last_occurred_at IS NULL OR stock_balances.last_occurred_at < v.latest \
                 THEN v.latest ELSE stock_balances.last_occurred_at END \
             FROM v WHERE stock_balances.ingredient_id = v.ingredient_id AND stock_balances.storage_unit_id = v.storage_unit_id",
            chunk.join(", ")
        ))
        .await?;
    }
    Ok(())
}

fn active_model(
    e: &NewEntry,
    paired: Option<i64>,
    now: i64,
    derived: Option<costing::Derived>,
) -> ledger_entry::ActiveModel {
    let pos = e.pos.clone().unwrap_or_default();
    let has_pos = e.pos.is_some();
    ledger_entry::ActiveModel {
        company_id: Set(e.company_id),
        ingredient_id: Set(e.ingredient_id),
        storage_unit_id: Set(e.storage_unit_id),
        transaction_type: Set(e.kind.as_str().into()),
        quantity_micro: Set(e.quantity_micro),
        input_cost_micro: Set(e.input_cost_micro),
        occurred_at: Set(e.occurred_at),
        posted_at: Set(now),
        source_kind: Set(e.source_kind.clone()),
        source_id: Set(e.source_id.clone()),
        paired_entry_id: Set(paired),
        reversal_of: Set(e.reversal_of),
        reason: Set(e.reason.clone()),
        note: Set(e.note.clone()),
        pos_item_name: Set(has_pos.then_some(pos.item_name)),
        pos_amount_sold_micro: Set(has_pos.then_some(pos.amount_sold_micro)),
        pos_sales_value_micro: Set(pos.sales_value_micro),
        pos_article_id: Set(pos.article_id),
        pos_transaction_id: Set(pos.transaction_id),
        pos_receipt_number: Set(pos.receipt_number),
        pos_sold_at: Set(pos.sold_at),
        created_by: Set(e.created_by),
        unit_cost_micro: Set(derived.and_then(|d| d.unit_cost)),
        value_micro: Set(derived.map_or(0, |d| d.value)),
        balance_after_micro: Set(derived.map_or(0, |d| d.state.balance)),
        average_cost_after_micro: Set(derived.and_then(|d| d.state.average_cost)),
        ..Default::default()
    }
}

fn by_pair_of(e: &NewEntry) -> Pair {
    (e.ingredient_id, e.storage_unit_id)
}

/// Recomputes pairs from the given positions, following transfers into the pairs they feed,
/// until nothing changes. Returns each recomputed pair's final state. A pair outside `locked`
/// (the look-ahead missed it: see `locks`) is locked without waiting first.
async fn recompute<C: ConnectionTrait>(
    db: &C,
    mut from: BTreeMap<Pair, Position>,
    locked: &mut BTreeSet<Pair>,
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
            let (state, outs) = recompute_pair(db, pair, key).await?;
            finals.insert(pair, state);
            changed_outs.extend(outs);
        }
        for chunk in changed_outs.chunks(500) {
            let receivers = ledger_entry::Entity::find()
                .filter(Column::PairedEntryId.is_in(chunk.to_vec()))
                .filter(Column::TransactionType.eq(TransactionType::TransferIn.as_str()))
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

fn sql_int(v: Option<i64>) -> String {
    v.map_or_else(|| "CAST(NULL AS BIGINT)".to_string(), |n| n.to_string())
}

fn after_or_at(key: (i64, i64)) -> Condition {
    Condition::any().add(Column::OccurredAt.gt(key.0)).add(
        Condition::all()
            .add(Column::OccurredAt.eq(key.0))
            .add(Column::Id.gte(key.1)),
    )
}

fn before(key: (i64, i64)) -> Condition {
    Condition::any().add(Column::OccurredAt.lt(key.0)).add(
        Condition::all()
            .add(Column::OccurredAt.eq(key.0))
            .add(Column::Id.lt(key.1)),
    )
}

/// The columns a recompute reads: facts and the derived values to compare.
type TailRow = (
    i64,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    i64,
    i64,
    Option<i64>,
);

/// Refolds one pair from `key` to its end. Returns its final state and the TRANSFER_OUTs whose
/// unit cost changed (their TRANSFER_INs must follow).
async fn recompute_pair<C: ConnectionTrait>(
    db: &C,
    (ingredient, storage): Pair,
    key: (i64, i64),
) -> ServiceResult<(PairState, Vec<i64>)> {
    let in_pair = || {
        Condition::all()
            .add(Column::IngredientId.eq(ingredient))
            .add(Column::StorageUnitId.eq(storage))
    };
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
    let tail: Vec<TailRow> = ledger_entry::Entity::find()
        .select_only()
        .columns([
            Column::Id,
            Column::TransactionType,
            Column::QuantityMicro,
            Column::InputCostMicro,
            Column::PairedEntryId,
            Column::UnitCostMicro,
            Column::ValueMicro,
            Column::BalanceAfterMicro,
            Column::AverageCostAfterMicro,
        ])
        .filter(in_pair())
        .filter(after_or_at(key))
        .order_by_asc(Column::OccurredAt)
        .order_by_asc(Column::Id)
        .into_tuple()
        .all(db)
        .await?;

    let transfer_in = TransactionType::TransferIn.as_str();
    let sources: Vec<i64> = tail
        .iter()
        .filter(|r| r.1 == transfer_in)
        .filter_map(|r| r.4)
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

    let transfer_out = TransactionType::TransferOut.as_str();
    let mut updates: Vec<String> = Vec::new();
    let mut changed_outs = Vec::new();
    for (id, kind, quantity, input_cost, paired, unit_cost, value, balance, average) in &tail {
        let is_transfer_in = kind == transfer_in;
        let facts = CostFacts {
            quantity: *quantity,
            input_cost: *input_cost,
            linked_cost: if is_transfer_in {
                paired.and_then(|p| linked.get(&p).copied().flatten())
            } else {
                None
            },
            is_transfer_in,
        };
        let d = costing::apply(state, &facts);
        within_bounds(&d)?;
        state = d.state;
        if (d.unit_cost, d.value, d.state.balance, d.state.average_cost)
            != (*unit_cost, *value, *balance, *average)
        {
            if kind == transfer_out && d.unit_cost != *unit_cost {
                changed_outs.push(*id);
            }
            updates.push(format!(
                "({id}, {}, {}, {}, {})",
                sql_int(d.unit_cost),
                d.value,
                d.state.balance,
                sql_int(d.state.average_cost)
            ));
        }
    }
    for chunk in updates.chunks(1000) {
        db.execute_unprepared(&format!(
            "WITH v(id, unit_cost, value, balance, average) AS (VALUES {}) \
             UPDATE ledger_entries SET unit_cost_micro = v.unit_cost, value_micro = v.value, \
             balance_after_micro = v.balance, average_cost_after_micro = v.average \
             FROM v WHERE ledger_entries.id = v.id",
            chunk.join(", ")
        ))
        .await?;
    }
    Ok((state, changed_outs))
}

/// Rebuilds every cached balance of a company from its ledger and says how many were wrong
/// (DESIGN.md invariant 2: the cache always equals the sums; this is the check and the repair).
pub async fn rebuild_balances<C: ConnectionTrait>(db: &C, company_id: i64) -> ServiceResult<u64> {
    let [quantity_high, quantity_low] = crate::quantity::exact_sum_sql("quantity_micro");
    let parts: Vec<(i64, i64, i64, i64, i64, i64)> = ledger_entry::Entity::find()
        .select_only()
        .column(Column::IngredientId)
        .column(Column::StorageUnitId)
        .column_as(Expr::cust(quantity_high), "quantity_high")
        .column_as(Expr::cust(quantity_low), "quantity_low")
        .column_as(Expr::col(Column::Id).count(), "entries")
        .column_as(Expr::col(Column::OccurredAt).max(), "last")
        .filter(Column::CompanyId.eq(company_id))
        .group_by(Column::IngredientId)
        .group_by(Column::StorageUnitId)
        .into_tuple()
        .all(db)
        .await?;
    // A sum past 64 bits cannot equal any cached balance: it counts as wrong (i64::MAX here).
    let sums: Vec<(i64, i64, i64, i64, i64)> = parts
        .into_iter()
        .map(|(i, s, high, low, n, last)| {
            let quantity = i64::try_from(crate::quantity::join_sum(high, low)).unwrap_or(i64::MAX);
            (i, s, quantity, n, last)
        })
        .collect();
    let cached: BTreeSet<(i64, i64, i64, i64)> = entity::stock_balance::Entity::find()
        .filter(entity::stock_balance::Column::CompanyId.eq(company_id))
        .all(db)
        .await?
        .into_iter()
        .map(|b| {
            (
                b.ingredient_id,
                b.storage_unit_id,
                b.quantity_micro,
                b.entry_count,
            )
        })
        .collect();
    let mut wrong = 0;
    for (ingredient, storage, quantity, entries, _) in &sums {
        if !cached.contains(&(*ingredient, *storage, *quantity, *entries)) {
            wrong += 1;
        }
    }
    if wrong > 0 {
        let pairs: BTreeMap<Pair, i64> = sums
            .iter()
            .map(|(i, s, _, _, _)| ((*i, *s), company_id))
            .collect();
        lock_pairs(db, &pairs).await?;
        let from = pairs.keys().map(|p| (*p, (i64::MIN, i64::MIN))).collect();
        let mut locked = pairs.keys().copied().collect();
        let finals = recompute(db, from, &mut locked).await?;
        db.execute_unprepared(&format!("UPDATE stock_balances SET entry_count = 0, last_occurred_at = NULL WHERE company_id = {company_id}")).await?;
        let balances: Vec<_> = sums
            .iter()
            .map(|(i, s, _, n, last)| {
                (
                    (*i, *s),
                    finals.get(&(*i, *s)).copied().unwrap_or_default(),
                    *n,
                    *last,
                )
            })
            .collect();
        write_balances(db, &balances).await?;
    }
    Ok(wrong)
}
