//! The balance locks of the ledger's writers and their one global order (DESIGN.md,
//! "Concurrency").
//!
//! On SQLite `BEGIN IMMEDIATE` admits one writer at a time, so there is nothing to order. On
//! PostgreSQL a unit of work takes the row lock of every (ingredient, storage unit) balance it
//! may write **in one statement, sorted by (ingredient_id, storage_unit_id), before it writes
//! anything**:
//! * the pairs of the entries it posts — both sides of a transfer, every pair of a bulk posting
//!   or of a POS day ([`lock_pairs`]; a unit that posts twice, as a transfer shipped and received
//!   at once, takes the union first);
//! * for an entry that lands before its pair's last entry (backdated) or receives a transfer,
//!   the pairs the recompute will follow into: the receivers of the TRANSFER_OUTs from that
//!   position on, and theirs, to the end ([`fed_pairs`]).
//!
//! A lock a unit already holds is taken again at no cost, so no unit ever waits for a lock while
//! holding one that sorts after it, and no two units wait for each other in a cycle. A pair that
//! turns out to be needed only later — a transfer out of a backdated pair committed between the
//! look-ahead and the lock — is waited for only when it sorts after every lock held; otherwise
//! it is taken without waiting ([`lock_late`]), and when another writer holds it the unit stops
//! ([`Contended`](crate::error::ServiceError::Contended)) and [`crate::db::retrying`] runs it again from the start, this
//! time with the pair in its look-ahead, rather than wait out of order.
//!
//! An entry posted without a time lands after what its pair holds once locked
//! (`ledger::EntryTime`), so a writer that committed a moment earlier does not turn it into a
//! backdated entry with a recompute to follow.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use entity::ledger_entry::{self, Column};
use entity::stock_balance;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveEnum, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter,
    QuerySelect,
};

use super::TransactionType;
use crate::db::params::Params;
use crate::error::ServiceResult;

/// (ingredient id, storage unit id).
pub type Pair = (i64, i64);

/// A position in a pair's history: (occurred_at, id).
pub type Position = (i64, i64);

/// Locks the balance rows of `pairs` (each with its company) in the global order, in one
/// statement, creating the rows of pairs that never posted. Returns the balances as locked.
pub async fn lock_pairs<C: ConnectionTrait>(
    db: &C,
    pairs: &BTreeMap<Pair, i64>,
) -> ServiceResult<HashMap<Pair, stock_balance::Model>> {
    // Nearly always every pair has posted before: one statement locks them all.
    let mut locked = select_balances(db, pairs.keys().copied(), row_lock(db, false)).await?;
    if locked.len() == pairs.len() {
        return Ok(locked);
    }
    // A pair's first posting creates its row. Holding locks already, this unit must not wait
    // out of order for a row another writer is creating or holds: on PostgreSQL the wait is
    // bounded, and a writer that runs out of it stops as contended and runs again from the
    // start (`db::retrying`), when the row exists.
    let missing: BTreeMap<Pair, i64> = pairs
        .iter()
        .filter(|(pair, _)| !locked.contains_key(pair))
        .map(|(pair, company)| (*pair, *company))
        .collect();
    let bounded = db.get_database_backend() == DatabaseBackend::Postgres && !locked.is_empty();
    if bounded {
        db.execute_unprepared("SET LOCAL lock_timeout = '200ms'")
            .await?;
    }
    let values: Vec<String> = missing
        .iter()
        .map(|((i, s), c)| format!("({i}, {s}, {c}, 0, 0)"))
        .collect();
    // Sorted, so concurrent inserts of new balance rows take their index locks in order too.
    for chunk in values.chunks(500) {
        db.execute_unprepared(&format!(
            "INSERT INTO stock_balances (ingredient_id, storage_unit_id, company_id, quantity_micro, entry_count) VALUES {} ON CONFLICT (ingredient_id, storage_unit_id) DO NOTHING",
            chunk.join(", ")
        ))
        .await?;
    }
    locked.extend(select_balances(db, missing.into_keys(), row_lock(db, false)).await?);
    if bounded {
        db.execute_unprepared("SET LOCAL lock_timeout = DEFAULT")
            .await?;
    }
    Ok(locked)
}

/// Locks `pair`, needed after the unit of work's locks were taken. When it sorts after every
/// lock held (`in_order`) it waits as usual; otherwise it must not wait: when another writer
/// holds it PostgreSQL refuses with `lock_not_available`, which the error type reads as
/// [`Contended`](crate::error::ServiceError::Contended) (see the module's note).
pub async fn lock_late<C: ConnectionTrait>(
    db: &C,
    pair: Pair,
    in_order: bool,
) -> ServiceResult<()> {
    select_balances(db, [pair], row_lock(db, !in_order)).await?;
    Ok(())
}

/// The balances of `pairs` as they are, without locking them (the look-ahead's view).
pub async fn peek<C: ConnectionTrait>(
    db: &C,
    pairs: impl IntoIterator<Item = Pair>,
) -> ServiceResult<HashMap<Pair, stock_balance::Model>> {
    select_balances(db, pairs, "").await
}

fn row_lock<C: ConnectionTrait>(db: &C, no_wait: bool) -> &'static str {
    match (db.get_database_backend(), no_wait) {
        (DatabaseBackend::Postgres, false) => " FOR UPDATE",
        (DatabaseBackend::Postgres, true) => " FOR UPDATE NOWAIT",
        _ => "",
    }
}

async fn select_balances<C: ConnectionTrait>(
    db: &C,
    pairs: impl IntoIterator<Item = Pair>,
    lock: &str,
) -> ServiceResult<HashMap<Pair, stock_balance::Model>> {
    let pairs: Vec<Pair> = pairs.into_iter().collect();
    let mut out = HashMap::with_capacity(pairs.len());
    for chunk in pairs.chunks(500) {
        // Bound, so a posting's lock is one prepared statement per number of pairs.
        let mut params = Params::new(db.get_database_backend());
        let keys: Vec<String> = chunk
            .iter()
            .map(|(i, s)| params.row([(*i).into(), (*s).into()]))
            .collect();
        let rows = stock_balance::Entity::find()
            .from_raw_sql(params.statement(format!(
                "SELECT * FROM stock_balances WHERE (ingredient_id, storage_unit_id) IN ({}) ORDER BY ingredient_id, storage_unit_id{lock}",
                keys.join(", ")
            )))
            .all(db)
            .await?;
        out.extend(
            rows.into_iter()
                .map(|b| ((b.ingredient_id, b.storage_unit_id), b)),
        );
    }
    Ok(out)
}

/// A pair's entries from `key` on, as one range of a time index: a row comparison, which both
/// backends read as one index range in order (an `OR` of two conditions became two bitmap
/// scans and a sort on PostgreSQL: 50 ms for 13,000 rows).
pub(super) fn at_or_after(key: Position) -> Expr {
    time_and_id().gte(Expr::tuple([key.0.into(), key.1.into()]))
}

/// A pair's entries before `key`.
pub(super) fn before(key: Position) -> Expr {
    time_and_id().lt(Expr::tuple([key.0.into(), key.1.into()]))
}

/// An entry's position: `(occurred_at, id)`.
fn time_and_id() -> Expr {
    Expr::tuple([Expr::col(Column::OccurredAt), Expr::col(Column::Id)])
}

/// The pairs a recompute from `from` may follow into, each with its company: the receivers of
/// the TRANSFER_OUTs at or after each position, and theirs, to the end. Read without locks, as
/// the look-ahead of [`lock_pairs`]; the pairs of `from` themselves are not included.
pub async fn fed_pairs<C: ConnectionTrait>(
    db: &C,
    from: &BTreeMap<Pair, Position>,
) -> ServiceResult<BTreeMap<Pair, i64>> {
    let mut fed: BTreeMap<Pair, i64> = BTreeMap::new();
    let mut reached: BTreeMap<Pair, Position> = from.clone();
    let mut todo: Vec<(Pair, Position)> = from.iter().map(|(p, k)| (*p, *k)).collect();
    while let Some(((ingredient, storage), key)) = todo.pop() {
        let outs: Vec<i64> = ledger_entry::Entity::find()
            .select_only()
            .column(Column::Id)
            .filter(Column::IngredientId.eq(ingredient))
            .filter(Column::StorageUnitId.eq(storage))
            // Written out, not bound: both backends use an index whose condition it is
            // (m0019) only where the query states it.
            .filter(Expr::cust(format!(
                "transaction_type = '{}'",
                TransactionType::TransferOut.to_value()
            )))
            .filter(at_or_after(key))
            .into_tuple()
            .all(db)
            .await?;
        for chunk in outs.chunks(500) {
            let receivers: Vec<(i64, i64, i64, i64, i64)> = ledger_entry::Entity::find()
                .select_only()
                .column(Column::IngredientId)
                .column(Column::StorageUnitId)
                .column(Column::CompanyId)
                .column(Column::OccurredAt)
                .column(Column::Id)
                .filter(Column::PairedEntryId.is_in(chunk.to_vec()))
                .filter(Column::TransactionType.eq(TransactionType::TransferIn))
                .into_tuple()
                .all(db)
                .await?;
            for (i, s, company, at, id) in receivers {
                let pair = (i, s);
                let position = (at, id);
                if reached.get(&pair).is_some_and(|k| *k <= position) {
                    continue;
                }
                reached.insert(pair, position);
                if !from.contains_key(&pair) {
                    fed.insert(pair, company);
                }
                todo.push((pair, position));
            }
        }
    }
    Ok(fed)
}

/// An entry a unit of work is about to post, as the lock order needs to know it.
#[derive(Debug, Clone, Copy)]
pub struct Planned {
    pub pair: Pair,
    pub company_id: i64,
    pub occurred_at: i64,
    /// A TRANSFER_IN: always recomputed from its position.
    pub receives_transfer: bool,
    /// Posted "now" (`NewEntry::at_posting`): it lands after everything its pair holds once
    /// locked, so its recompute, if any, follows into nothing.
    pub lands_last: bool,
}

/// What [`lock_ahead`] locked: the balances of the planned pairs, and every pair it holds.
pub struct Locked {
    pub balances: HashMap<Pair, entity::stock_balance::Model>,
    pub pairs: BTreeSet<Pair>,
}

/// Takes, in the lock order and in one statement, the balance locks of the planned
/// entries' pairs and, on PostgreSQL, of every pair their recompute may follow into: a unit of
/// work that posts more than once (a transfer shipped and received at once) calls this with
/// everything first.
pub async fn lock_ahead<C: ConnectionTrait>(db: &C, planned: &[Planned]) -> ServiceResult<Locked> {
    lock_more(db, planned, &BTreeSet::new()).await
}

/// [`lock_ahead`] for a unit of work that already holds `held`: the pairs it needs beyond them
/// that sort before one held are taken without waiting ([`lock_late`]; a clash re-runs
/// the unit), the rest in order. Returns every pair held afterwards.
pub(crate) async fn lock_more<C: ConnectionTrait>(
    db: &C,
    planned: &[Planned],
    held: &BTreeSet<Pair>,
) -> ServiceResult<Locked> {
    let mut to_lock: BTreeMap<Pair, i64> = planned.iter().map(|p| (p.pair, p.company_id)).collect();
    // Entries landing last recompute nothing after them: no look-ahead to take.
    if db.get_database_backend() == DatabaseBackend::Postgres
        && planned.iter().any(|p| !p.lands_last)
    {
        // What the recompute may follow into, seen from the balances as they are now.
        let now = peek(db, to_lock.keys().copied()).await?;
        let mut from: BTreeMap<Pair, Position> = BTreeMap::new();
        for p in planned {
            let backdated = now
                .get(&p.pair)
                .and_then(|b| b.last_occurred_at)
                .is_some_and(|last| p.occurred_at < last);
            if (backdated || p.receives_transfer) && !p.lands_last {
                let key = (p.occurred_at, i64::MIN);
                from.entry(p.pair)
                    .and_modify(|k| *k = (*k).min(key))
                    .or_insert(key);
            }
        }
        if !from.is_empty() {
            for (pair, company) in fed_pairs(db, &from).await? {
                to_lock.entry(pair).or_insert(company);
            }
        }
    }
    if let Some(last_held) = held.last() {
        for pair in to_lock
            .keys()
            .filter(|p| !held.contains(p) && *p < last_held)
        {
            lock_late(db, *pair, false).await?;
        }
    }
    // Held locks are taken again at no cost; the others sort after every one held.
    let balances = lock_pairs(db, &to_lock).await?;
    let mut pairs: BTreeSet<Pair> = to_lock.into_keys().collect();
    pairs.extend(held.iter().copied());
    Ok(Locked { balances, pairs })
}
