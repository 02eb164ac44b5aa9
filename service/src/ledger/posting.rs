//! Writing to the ledger: new entries are inserted as facts, then the derived columns of their
//! pairs are recomputed from the earliest new entry on — so a backdated entry leaves exactly what
//! a from-scratch replay would — and TRANSFER_INs follow their TRANSFER_OUT's recomputed cost
//! into the other storage unit. Callers run this inside one write transaction ([`crate::db::begin_write`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use entity::ledger_entry::{self, Column};
use entity::stock_balance;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::TransactionType;
use super::balances::{BalanceUpdate, Totals, write_balances};
use super::costing::{self, CostFacts, PairState, within_bounds};
use super::item_costs::ItemCostChanges;
use super::locks::{Locked, Pair, Planned, Position, lock_more};
use super::recompute::recompute;
use super::rows::{
    EntryRow, Placed, ROWS_PER_STATEMENT, ReceivingRow, WriteBack, insert_rows,
    insert_with_balances, next_id,
};
use crate::error::{ServiceError, ServiceResult};

pub use super::ids_back::{IdsBack, RowBack};
pub use super::new_entry::{NewEntry, PosSale};

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
    Ok(post_entries(db, entries, true, held, None)
        .await?
        .unwrap_or_default())
}

/// [`post`], and the new entries' ids written into the writer's own rows (`back`): within the
/// posting's one statement where it has one, else right after it.
pub async fn post_writing_ids<C: ConnectionTrait>(
    db: &C,
    entries: Vec<NewEntry>,
    back: &IdsBack,
) -> ServiceResult<Vec<ledger_entry::Model>> {
    Ok(
        post_entries(db, entries, true, &mut BTreeSet::new(), Some(back))
            .await?
            .unwrap_or_default(),
    )
}

/// Like [`post`] for bulk writers that do not need the stored rows back (a day of POS sales):
/// rows go in without `RETURNING` and are not read back. Returns how many were posted.
pub async fn post_many<C: ConnectionTrait>(db: &C, entries: Vec<NewEntry>) -> ServiceResult<usize> {
    let n = entries.len();
    post_entries(db, entries, false, &mut BTreeSet::new(), None).await?;
    Ok(n)
}

async fn post_entries<C: ConnectionTrait>(
    db: &C,
    mut entries: Vec<NewEntry>,
    want_rows: bool,
    held: &mut BTreeSet<Pair>,
    back: Option<&IdsBack>,
) -> ServiceResult<Option<Vec<ledger_entry::Model>>> {
    if entries.is_empty() {
        return Ok(Some(vec![]));
    }
    if entries.iter().any(|e| e.quantity_micro == 0) {
        return Err(ServiceError::validation("quantity", "must not be zero"));
    }
    // Ids are only needed to return rows and to link TRANSFER_INs to their TRANSFER_OUTs.
    let need_ids = want_rows || back.is_some() || entries.iter().any(|e| e.receives.is_some());
    let Locked {
        balances: cached,
        mut pairs,
    } = lock_more(db, &plan(&entries), held).await?;
    place_in_time(&mut entries, &cached);
    let by_pair = by_pair(&entries);
    let Costed {
        derived,
        mut finals,
        slow,
    } = cost_appended(&entries, &by_pair, &cached)?;
    let mut item_costs = ItemCostChanges::of_new(&entries, &derived);
    if slow.is_empty() && fits_one_statement(db, &entries, &by_pair) {
        let balances = balance_updates(&entries, &by_pair, &finals);
        let stored = insert_costed(db, &entries, &derived, &balances, back).await?;
        item_costs.write(db).await?;
        crate::faults::hit(crate::faults::Fault::Posting, entries[0].company_id).await;
        held.extend(pairs);
        return Ok(want_rows.then_some(stored));
    }
    let Inserted { ids, stored } = insert(db, &entries, &derived, need_ids).await?;
    if let Some(back) = back {
        back.write(db, &ids).await?;
    }

    crate::faults::hit(crate::faults::Fault::Posting, entries[0].company_id).await;

    let from = recompute_starts(&entries, &slow, need_ids.then_some(ids.as_slice()));
    finals.extend(recompute(db, from, &mut pairs, &mut item_costs).await?);
    held.extend(pairs);
    write_balances(db, &balance_updates(&entries, &by_pair, &finals)).await?;
    item_costs.write(db).await?;
    if !want_rows {
        return Ok(None);
    }
    read_back(db, &derived, &ids, stored).await.map(Some)
}

/// What a batch will lock: its entries' pairs, and whether each may need a look-ahead.
fn plan(entries: &[NewEntry]) -> Vec<Planned> {
    entries
        .iter()
        .map(|e| Planned {
            pair: (e.ingredient_id, e.storage_unit_id),
            company_id: e.company_id,
            occurred_at: e.occurred_at,
            receives_transfer: e.kind == TransactionType::TransferIn,
            lands_last: e.at_posting,
        })
        .collect()
}

/// Entries posted without a time land after what their pair holds once locked — not before an
/// entry a concurrent writer committed a moment earlier, which would make them backdated — and
/// a transfer is received no earlier than it left.
fn place_in_time(entries: &mut [NewEntry], cached: &HashMap<Pair, stock_balance::Model>) {
    for e in entries.iter_mut().filter(|e| e.at_posting) {
        if let Some(last) = cached
            .get(&(e.ingredient_id, e.storage_unit_id))
            .and_then(|b| b.last_occurred_at)
        {
            e.occurred_at = std::cmp::max(e.occurred_at, last);
        }
    }
    for i in 0..entries.len() {
        if let Some(j) = entries[i].receives {
            entries[i].occurred_at = std::cmp::max(entries[i].occurred_at, entries[j].occurred_at);
        }
    }
}

/// The batch's entries by pair, as positions in the batch.
fn by_pair(entries: &[NewEntry]) -> BTreeMap<Pair, Vec<usize>> {
    let mut by_pair: BTreeMap<Pair, Vec<usize>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        by_pair
            .entry((e.ingredient_id, e.storage_unit_id))
            .or_default()
            .push(i);
    }
    by_pair
}

/// What costing in memory settled: each entry's derived values where known, the final state
/// of the pairs costed, and the pairs left to recompute after insertion.
struct Costed {
    derived: Vec<Option<costing::Derived>>,
    finals: BTreeMap<Pair, PairState>,
    slow: BTreeSet<Pair>,
}

/// Costs the pairs whose new entries all land at or after the pair's last one (they get larger
/// ids, so they sort after it) from the cached balance, without reading the ledger. A pair
/// with a backdated entry, or a TRANSFER_IN whose cost is not known yet, is left `slow`.
fn cost_appended(
    entries: &[NewEntry],
    by_pair: &BTreeMap<Pair, Vec<usize>>,
    cached: &HashMap<Pair, stock_balance::Model>,
) -> ServiceResult<Costed> {
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
    Ok(Costed {
        derived,
        finals,
        slow,
    })
}

/// The order a batch is inserted in, as positions in the batch: by time, TRANSFER_INs that
/// receive a TRANSFER_OUT of the batch after the others (they name its id).
struct InsertOrder {
    plain: Vec<usize>,
    receiving: Vec<usize>,
}

impl InsertOrder {
    fn of(entries: &[NewEntry]) -> Self {
        let mut order: Vec<usize> = (0..entries.len()).collect();
        order.sort_by_key(|i| (entries[*i].receives.is_some(), entries[*i].occurred_at, *i));
        let (plain, receiving) = order
            .into_iter()
            .partition(|i| entries[*i].receives.is_none());
        Self { plain, receiving }
    }
}

/// The ids (0 where not read back) and rows of a batch as inserted, in the batch's order.
struct Inserted {
    ids: Vec<i64>,
    stored: Vec<Option<ledger_entry::Model>>,
}

/// Inserts the facts (and, where known, derived values) in occurred_at order within the batch,
/// so ids follow time for entries posted together; TRANSFER_INs after the TRANSFER_OUTs they
/// name.
async fn insert<C: ConnectionTrait>(
    db: &C,
    entries: &[NewEntry],
    derived: &[Option<costing::Derived>],
    need_ids: bool,
) -> ServiceResult<Inserted> {
    let now = super::to_micros(chrono::Utc::now());
    let mut ids = vec![0i64; entries.len()];
    let mut stored: Vec<Option<ledger_entry::Model>> = vec![None; entries.len()];
    let InsertOrder { plain, receiving } = InsertOrder::of(entries);
    let mut next_id = next_id(db).await?;
    for group in [plain, receiving] {
        for chunk in group.chunks(ROWS_PER_STATEMENT) {
            let rows: Vec<EntryRow> = chunk
                .iter()
                .map(|i| EntryRow {
                    entry: &entries[*i],
                    paired_entry_id: entries[*i]
                        .receives
                        .map(|j| ids[j])
                        .or(entries[*i].receives_entry),
                    posted_at: now,
                    derived: derived[*i],
                })
                .collect();
            let inserted = insert_rows(db, &rows, need_ids, next_id).await?;
            next_id = next_id.map(|id| id + rows.len() as i64);
            for (i, row) in chunk.iter().zip(inserted) {
                ids[*i] = row.id;
                stored[*i] = Some(row);
            }
        }
    }
    count_posted(entries.len());
    Ok(Inserted { ids, stored })
}

/// Written in the caller's transaction: a unit of work rolled back after this (rare: a clash
/// retried) counts its entries again when it runs again.
fn count_posted(entries: usize) {
    metrics::counter!("larder_ledger_entries_posted_total").increment(entries as u64);
}

/// A posting costed in memory goes in as one statement on PostgreSQL, where every statement is
/// a round trip; on SQLite a statement costs a call into the library, and the separate ones
/// stay (SQLite has no `INSERT` inside `WITH`).
fn fits_one_statement<C: ConnectionTrait>(
    db: &C,
    entries: &[NewEntry],
    by_pair: &BTreeMap<Pair, Vec<usize>>,
) -> bool {
    db.get_database_backend() == sea_orm::DatabaseBackend::Postgres
        && entries.len() <= ROWS_PER_STATEMENT
        && by_pair.len() <= super::balances::PAIRS_PER_STATEMENT
}

/// [`insert`] and [`write_balances`] of a batch costed in memory, in one statement
/// ([`insert_with_balances`]). Returns the stored rows in the batch's order.
async fn insert_costed<C: ConnectionTrait>(
    db: &C,
    entries: &[NewEntry],
    derived: &[Option<costing::Derived>],
    balances: &[BalanceUpdate],
    back: Option<&IdsBack>,
) -> ServiceResult<Vec<ledger_entry::Model>> {
    let posted_at = super::to_micros(chrono::Utc::now());
    let InsertOrder { plain, receiving } = InsertOrder::of(entries);
    let mut places = vec![Placed::Plain(0); entries.len()];
    for (at, i) in plain.iter().enumerate() {
        places[*i] = Placed::Plain(at);
    }
    for (at, i) in receiving.iter().enumerate() {
        places[*i] = Placed::Receiving(at);
    }
    let row = |i: usize| EntryRow {
        entry: &entries[i],
        paired_entry_id: entries[i].receives_entry,
        posted_at,
        derived: derived[i],
    };
    let place: HashMap<usize, usize> = plain.iter().enumerate().map(|(k, i)| (*i, k)).collect();
    let plain_rows: Vec<EntryRow> = plain.iter().map(|i| row(*i)).collect();
    let receiving_rows = receiving
        .iter()
        .map(|i| {
            let out = entries[*i].receives.and_then(|j| place.get(&j).copied());
            out.map(|receives| ReceivingRow {
                row: row(*i),
                receives,
            })
            .ok_or_else(|| {
                ServiceError::Internal("a TRANSFER_IN receives no TRANSFER_OUT of its batch".into())
            })
        })
        .collect::<ServiceResult<Vec<_>>>()?;
    let back = back.map(|ids| WriteBack {
        ids,
        places: &places,
    });
    let inserted = insert_with_balances(db, &plain_rows, &receiving_rows, balances, back).await?;
    if inserted.len() != entries.len() {
        return Err(ServiceError::Internal(
            "a posting stored fewer rows than it had".into(),
        ));
    }
    count_posted(entries.len());
    let mut stored: Vec<Option<ledger_entry::Model>> = vec![None; entries.len()];
    for (i, row) in plain.iter().chain(&receiving).zip(inserted) {
        stored[*i] = Some(row);
    }
    Ok(stored.into_iter().flatten().collect())
}

/// Where each slow pair's recompute starts: its first new entry's position. Without ids (rows
/// not read back), from the first entry at that time: a few more rows refolded, same result.
fn recompute_starts(
    entries: &[NewEntry],
    slow: &BTreeSet<Pair>,
    ids: Option<&[i64]>,
) -> BTreeMap<Pair, Position> {
    let mut from: BTreeMap<Pair, Position> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        let pair = (e.ingredient_id, e.storage_unit_id);
        if slow.contains(&pair) {
            let key = (e.occurred_at, ids.map_or(i64::MIN, |ids| ids[i]));
            from.entry(pair)
                .and_modify(|k| *k = (*k).min(key))
                .or_insert(key);
        }
    }
    from
}

/// The new cached balance of every pair the posting touched: its own pairs, and the pairs a
/// recompute followed a transfer into.
fn balance_updates(
    entries: &[NewEntry],
    by_pair: &BTreeMap<Pair, Vec<usize>>,
    finals: &BTreeMap<Pair, PairState>,
) -> Vec<BalanceUpdate> {
    let mut balances = Vec::with_capacity(by_pair.len());
    for (pair, members) in by_pair {
        let latest = members
            .iter()
            .map(|i| entries[*i].occurred_at)
            .max()
            .unwrap_or(0);
        if let Some(state) = finals.get(pair) {
            balances.push(BalanceUpdate {
                pair: *pair,
                state: *state,
                added: members.len() as i64,
                latest,
                totals: Totals::of(
                    members
                        .iter()
                        .map(|i| (entries[*i].kind, entries[*i].quantity_micro)),
                ),
            });
        }
    }
    for (pair, state) in finals {
        if !by_pair.contains_key(pair) {
            balances.push(BalanceUpdate {
                pair: *pair,
                state: *state,
                added: 0,
                latest: i64::MIN,
                totals: Totals::NOTHING,
            });
        }
    }
    balances
}

/// The stored rows in the batch's order; rows of recomputed pairs read again with their final
/// derived values.
async fn read_back<C: ConnectionTrait>(
    db: &C,
    derived: &[Option<costing::Derived>],
    ids: &[i64],
    stored: Vec<Option<ledger_entry::Model>>,
) -> ServiceResult<Vec<ledger_entry::Model>> {
    let reread: Vec<i64> = (0..ids.len())
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
    Ok(stored
        .into_iter()
        .zip(ids)
        .filter_map(|(row, id)| fresh.remove(id).or(row))
        .collect())
}

fn by_pair_of(e: &NewEntry) -> Pair {
    (e.ingredient_id, e.storage_unit_id)
}
