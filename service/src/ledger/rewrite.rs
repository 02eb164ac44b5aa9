//! A recompute's writes: the derived values of a pair's entries written back in as few
//! statements as each backend allows, each row found where its table keeps it.

use sea_orm::{ConnectionTrait, DbBackend};

use super::locks::Pair;
use crate::db::params::Params;
use crate::error::{ServiceError, ServiceResult};

/// How a recompute reads a row's place: PostgreSQL's `ctid` (stable while the transaction
/// holds the pair's lock: no one else rewrites its entries, and pruning keeps a live row's
/// place), nothing on SQLite, whose table is found by its key.
pub(super) fn row_ref_sql<C: ConnectionTrait>(db: &C) -> &'static str {
    match db.get_database_backend() {
        DbBackend::Postgres => "ctid::text",
        _ => "CAST(NULL AS TEXT)",
    }
}

/// An entry's derived values as a recompute found them.
pub(super) struct Rewrite {
    pub row_ref: Option<String>,
    pub id: i64,
    pub occurred_at: i64,
    pub unit_cost: Option<i64>,
    pub value: i64,
    pub balance: i64,
    pub average_cost: Option<i64>,
}

/// Writes a pair's recomputed entries back. PostgreSQL: one statement, a bound array per
/// column unnested (planned once, where a `VALUES` list of thousands of literals was parsed and
/// planned for every chunk), each row found by its `ctid` (no index lookup per row); the pair
/// named too, so that no plan, whatever the statistics, reads the whole table. SQLite: `VALUES` in chunks, each row found by its table's key (pair, time,
/// id: m0018), so the rows are updated in the order they are stored.
pub(super) async fn rewrite<C: ConnectionTrait>(
    db: &C,
    (ingredient, storage): Pair,
    rows: &[Rewrite],
) -> ServiceResult<()> {
    const SET: &str = "unit_cost_micro = v.unit_cost, value_micro = v.value, \
        balance_after_micro = v.balance, average_cost_after_micro = v.average";
    if rows.is_empty() {
        return Ok(());
    }
    if db.get_database_backend() == DbBackend::Postgres {
        let array = |cell: &dyn Fn(&Rewrite) -> Option<String>| {
            let cells: Vec<String> = rows
                .iter()
                .map(|r| cell(r).unwrap_or_else(|| "NULL".to_string()))
                .collect();
            format!("{{{}}}", cells.join(","))
        };
        let number = |n: Option<i64>| n.map(|n| n.to_string());
        let mut params = Params::with_capacity(DbBackend::Postgres, 5);
        let columns = [
            params.push(array(&|r| r.row_ref.as_ref().map(|t| format!("\"{t}\"")))),
            params.push(array(&|r| number(r.unit_cost))),
            params.push(array(&|r| number(Some(r.value)))),
            params.push(array(&|r| number(Some(r.balance)))),
            params.push(array(&|r| number(r.average_cost))),
        ];
        let sql = format!(
            "UPDATE ledger_entries SET {SET} \
             FROM UNNEST({}::tid[], {}::bigint[], {}::bigint[], {}::bigint[], {}::bigint[]) \
             AS v(row_ref, unit_cost, value, balance, average) \
             WHERE ledger_entries.ctid = v.row_ref AND ledger_entries.ingredient_id = {} \
             AND ledger_entries.storage_unit_id = {}",
            columns[0],
            columns[1],
            columns[2],
            columns[3],
            columns[4],
            params.push(ingredient),
            params.push(storage),
        );
        let written = db.execute_raw(params.statement(sql)).await?.rows_affected();
        if written != rows.len() as u64 {
            // Only a writer outside the pair's lock could have moved a row: a bug, not a race
            // to retry; the transaction rolls back.
            return Err(ServiceError::Internal(format!(
                "a recompute of pair {ingredient}/{storage} found {written} of its {} rows",
                rows.len()
            )));
        }
        return Ok(());
    }
    for chunk in rows.chunks(1000) {
        let mut params = Params::with_capacity(DbBackend::Sqlite, chunk.len() * 6 + 2);
        let values: Vec<String> = chunk
            .iter()
            .map(|r| {
                params.row([
                    r.occurred_at.into(),
                    r.id.into(),
                    r.unit_cost.into(),
                    r.value.into(),
                    r.balance.into(),
                    r.average_cost.into(),
                ])
            })
            .collect();
        let sql = format!(
            "WITH v(occurred_at, id, unit_cost, value, balance, average) AS (VALUES {}) \
             UPDATE ledger_entries SET {SET} FROM v \
             WHERE ledger_entries.ingredient_id = {} AND ledger_entries.storage_unit_id = {} \
             AND ledger_entries.occurred_at = v.occurred_at AND ledger_entries.id = v.id",
            values.join(", "),
            params.push(ingredient),
            params.push(storage),
        );
        db.execute_raw(params.statement(sql)).await?;
    }
    Ok(())
}
