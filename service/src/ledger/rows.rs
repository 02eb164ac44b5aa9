//! The ledger's insert statement, written by hand. A day of POS sales is thousands of entries:
//! built as SeaORM active models (an expression per cell, cloned, then bound) they cost SQLite's
//! writer more CPU than storing them did. Values stay bound ([`Params`]); a statement's text
//! depends only on how many rows it carries, so it is prepared once and reused.

use entity::ledger_entry;
use sea_orm::{ActiveEnum, ConnectionTrait, DbBackend, FromQueryResult, Value};

use std::fmt::Write;

use super::balances::{BalanceUpdate, UPDATE_FROM_V, V_COLUMNS, balance_rows};
use super::costing::Derived;
use super::ids_back::{IdCell, IdsBack};
use super::new_entry::NewEntry;
use crate::db::params::Params;
use crate::error::ServiceResult;

/// An entry as it goes into the table: its facts, the TRANSFER_OUT it receives, when it was
/// posted, and its derived values where costing knew them (a recompute writes the others).
pub(super) struct EntryRow<'a> {
    pub entry: &'a NewEntry,
    pub paired_entry_id: Option<i64>,
    pub posted_at: i64,
    pub derived: Option<Derived>,
}

const COLUMNS: &str = "company_id, ingredient_id, storage_unit_id, transaction_type, quantity_micro, \
    input_cost_micro, occurred_at, posted_at, source_kind, source_id, paired_entry_id, reversal_of, \
    reason, note, pos_item_name, pos_amount_sold_micro, pos_sales_value_micro, pos_article_id, \
    pos_transaction_id, pos_receipt_number, pos_sold_at, pos_integration_id, created_by, \
    unit_cost_micro, value_micro, balance_after_micro, average_cost_after_micro";

/// Bound values a row takes: one per column.
const CELLS: usize = 27;

/// Where `paired_entry_id` sits among a row's cells.
const PAIRED_ENTRY_CELL: usize = 10;

/// Rows a statement carries: 28,000 bound values (SQLite binds the ids too), under SQLite's
/// 32,766 and PostgreSQL's 65,535.
pub(super) const ROWS_PER_STATEMENT: usize = 1000;

impl EntryRow<'_> {
    /// The row's cells after its `id` (SQLite: [`next_id`]).
    fn cells_with_id(&self, id: i64) -> [Value; CELLS + 1] {
        let mut cells = self.cells().into_iter();
        std::array::from_fn(|k| {
            if k == 0 {
                id.into()
            } else {
                cells.next().unwrap_or(Value::BigInt(None))
            }
        })
    }

    fn cells(&self) -> [Value; CELLS] {
        let e = self.entry;
        let pos = e.pos.as_ref();
        let d = self.derived;
        [
            e.company_id.into(),
            e.ingredient_id.into(),
            e.storage_unit_id.into(),
            e.kind.to_value().into(),
            e.quantity_micro.into(),
            e.input_cost_micro.into(),
            e.occurred_at.into(),
            self.posted_at.into(),
            e.source_kind.to_value().into(),
            e.source_id.clone().into(),
            self.paired_entry_id.into(),
            e.reversal_of.into(),
            e.reason.clone().into(),
            e.note.clone().into(),
            pos.map(|p| p.item_name.clone()).into(),
            pos.map(|p| p.amount_sold_micro).into(),
            pos.and_then(|p| p.sales_value_micro).into(),
            pos.and_then(|p| p.article_id.clone()).into(),
            pos.and_then(|p| p.transaction_id.clone()).into(),
            pos.and_then(|p| p.receipt_number.clone()).into(),
            pos.and_then(|p| p.sold_at).into(),
            pos.and_then(|p| p.integration_id).into(),
            e.created_by.into(),
            d.and_then(|d| d.unit_cost).into(),
            d.map_or(0, |d| d.value).into(),
            d.map_or(0, |d| d.state.balance).into(),
            d.and_then(|d| d.state.average_cost).into(),
        ]
    }
}

/// Inserts `rows` (at most [`ROWS_PER_STATEMENT`]) in one statement, on SQLite numbered from
/// `first_id` ([`next_id`]); with `returning`, answers the stored rows in the order given (both backends return a multi-row insert's rows in the
/// order of its values, as SeaORM's own `insert_many` relies on too).
pub(super) async fn insert_rows<C: ConnectionTrait>(
    db: &C,
    rows: &[EntryRow<'_>],
    returning: bool,
    first_id: Option<i64>,
) -> ServiceResult<Vec<ledger_entry::Model>> {
    debug_assert!(rows.len() <= ROWS_PER_STATEMENT);
    if db.get_database_backend() == DbBackend::Postgres {
        return insert_unnested(db, rows, returning).await;
    }
    let first_id = first_id.ok_or_else(|| {
        crate::error::ServiceError::Internal("an insert into SQLite's ledger without an id".into())
    })?;
    let mut params = Params::with_capacity(db.get_database_backend(), rows.len() * (CELLS + 1));
    let mut sql = String::with_capacity(80 + COLUMNS.len() + rows.len() * (CELLS + 1) * 7);
    sql.push_str("INSERT INTO ledger_entries (id, ");
    sql.push_str(COLUMNS);
    sql.push_str(") VALUES ");
    for (k, row) in (first_id..).zip(rows) {
        if k > first_id {
            sql.push_str(", ");
        }
        params.row_into(&mut sql, row.cells_with_id(k));
    }
    run_insert(db, params, sql, returning).await
}

/// The id the next entry takes on SQLite (none on PostgreSQL, whose identity draws them). Its
/// ledger is kept in pair order without a rowid (migration m0018), so nothing draws ids for it:
/// the writer takes the next past the largest, read once per posting, which no one else can take
/// meanwhile (a write transaction on SQLite holds the database's one write lock from its
/// `BEGIN IMMEDIATE`; the unique index on ids would refuse a second).
pub(super) async fn next_id<C: ConnectionTrait>(db: &C) -> ServiceResult<Option<i64>> {
    if db.get_database_backend() == DbBackend::Postgres {
        return Ok(None);
    }
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            DbBackend::Sqlite,
            "SELECT COALESCE(MAX(id), 0) + 1 AS id FROM ledger_entries",
        ))
        .await?
        .ok_or_else(|| crate::error::ServiceError::Internal("MAX(id) answered no row".into()))?;
    Ok(Some(row.try_get("", "id")?))
}

/// Runs an insert `sql`; with `returning`, answers the stored rows in the order inserted.
async fn run_insert<C: ConnectionTrait>(
    db: &C,
    params: Params,
    mut sql: String,
    returning: bool,
) -> ServiceResult<Vec<ledger_entry::Model>> {
    if !returning {
        db.execute_raw(params.statement(sql)).await?;
        return Ok(Vec::new());
    }
    sql.push_str(" RETURNING *");
    stored_rows(db, params, sql).await
}

/// The ledger rows a statement answers.
async fn stored_rows<C: ConnectionTrait>(
    db: &C,
    params: Params,
    sql: String,
) -> ServiceResult<Vec<ledger_entry::Model>> {
    let stored = db.query_all_raw(params.statement(sql)).await?;
    Ok(stored
        .iter()
        .map(|row| ledger_entry::Model::from_query_result(row, ""))
        .collect::<Result<_, _>>()?)
}

/// Each column's type, in the order of [`COLUMNS`].
const COLUMN_TYPES: [&str; CELLS] = [
    "bigint", "bigint", "bigint", "text", "bigint", "bigint", "bigint", "bigint", "text", "text",
    "bigint", "bigint", "text", "text", "text", "bigint", "bigint", "text", "text", "text",
    "bigint", "bigint", "bigint", "bigint", "bigint", "bigint", "bigint",
];

/// [`insert_rows`] on PostgreSQL: a bound array per column, unnested into rows. The statement
/// is the same for any number of rows, so it is planned once; a multi-row `VALUES` of 27,000
/// bound cells was planned anew by each of its first executions on every connection.
async fn insert_unnested<C: ConnectionTrait>(
    db: &C,
    rows: &[EntryRow<'_>],
    returning: bool,
) -> ServiceResult<Vec<ledger_entry::Model>> {
    let mut columns: Vec<String> = vec![String::from("{"); CELLS];
    for (k, row) in rows.iter().enumerate() {
        for (column, value) in columns.iter_mut().zip(row.cells()) {
            if k > 0 {
                column.push(',');
            }
            array_element(column, value)?;
        }
    }
    let mut params = Params::with_capacity(DbBackend::Postgres, CELLS);
    let arrays: Vec<String> = columns
        .into_iter()
        .zip(COLUMN_TYPES)
        .map(|(mut literal, kind)| {
            literal.push('}');
            // Sent as text and read by PostgreSQL's own array parser.
            format!("{}::{kind}[]", params.push(literal))
        })
        .collect();
    let sql = format!(
        "INSERT INTO ledger_entries ({COLUMNS}) SELECT * FROM UNNEST({})",
        arrays.join(", ")
    );
    run_insert(db, params, sql, returning).await
}

/// Appends `value` to a PostgreSQL array literal: a number as it is, text in double quotes
/// with `"` and `\` escaped (so `NULL`, commas and braces inside text stay text), nothing as
/// `NULL`.
fn array_element(literal: &mut String, value: Value) -> ServiceResult<()> {
    match value {
        Value::BigInt(Some(n)) => {
            let _ = write!(literal, "{n}");
        }
        Value::String(Some(text)) => {
            literal.push('"');
            for c in text.chars() {
                if c == '"' || c == '\\' {
                    literal.push('\\');
                }
                literal.push(c);
            }
            literal.push('"');
        }
        Value::BigInt(None) | Value::String(None) => literal.push_str("NULL"),
        other => {
            return Err(crate::error::ServiceError::Internal(format!(
                "a ledger cell of an unexpected kind: {other:?}"
            )));
        }
    }
    Ok(())
}

/// A TRANSFER_IN whose TRANSFER_OUT is in the same statement: the OUT's place among the plain
/// rows (from 0), whose id it names.
pub(super) struct ReceivingRow<'a> {
    pub row: EntryRow<'a>,
    pub receives: usize,
}

/// Where each entry of a batch went in [`insert_with_balances`]: its place among the plain
/// rows or among the receiving ones.
#[derive(Debug, Clone, Copy)]
pub(super) enum Placed {
    Plain(usize),
    Receiving(usize),
}

/// Ids to write back in the same statement, with where each entry of the batch went.
#[derive(Clone, Copy)]
pub(super) struct WriteBack<'a> {
    pub ids: &'a IdsBack,
    pub places: &'a [Placed],
}

/// A posting costed in memory, on PostgreSQL, in one statement: the plain rows, then the
/// TRANSFER_INs naming their TRANSFER_OUTs' new ids, then the pairs' cached balances and the
/// ids the writer's own rows take (`back`) — one round trip where there were four. Answers the stored rows, plain ones first, each group
/// in the order given. At most [`ROWS_PER_STATEMENT`] rows and
/// [`PAIRS_PER_STATEMENT`](super::balances::PAIRS_PER_STATEMENT) balances.
pub(super) async fn insert_with_balances<C: ConnectionTrait>(
    db: &C,
    plain: &[EntryRow<'_>],
    receiving: &[ReceivingRow<'_>],
    balances: &[BalanceUpdate],
    back: Option<WriteBack<'_>>,
) -> ServiceResult<Vec<ledger_entry::Model>> {
    debug_assert!(plain.len() + receiving.len() <= ROWS_PER_STATEMENT);
    let cells = (plain.len() + receiving.len()) * CELLS + balances.len() * 8;
    let mut params = Params::with_capacity(db.get_database_backend(), cells);
    let mut sql = String::with_capacity(600 + cells * 7);
    sql.push_str("WITH p AS (INSERT INTO ledger_entries (");
    sql.push_str(COLUMNS);
    sql.push_str(") VALUES ");
    for (k, row) in plain.iter().enumerate() {
        if k > 0 {
            sql.push_str(", ");
        }
        params.row_into(&mut sql, row.cells());
    }
    sql.push_str(" RETURNING *)");
    // Ids are drawn in the order of the values (as `insert_rows` relies on too): the k-th
    // smallest is the k-th row's.
    if !receiving.is_empty() || back.is_some() {
        sql.push_str(", n AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM p)");
    }
    if !receiving.is_empty() {
        sql.push_str(", r AS (INSERT INTO ledger_entries (");
        sql.push_str(COLUMNS);
        sql.push_str(") VALUES ");
        for (k, linked) in receiving.iter().enumerate() {
            if k > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for (c, value) in linked.row.cells().into_iter().enumerate() {
                if c > 0 {
                    sql.push_str(", ");
                }
                if c == PAIRED_ENTRY_CELL {
                    let _ = write!(sql, "(SELECT id FROM n WHERE k = {})", linked.receives);
                } else {
                    sql.push_str(&params.push(value));
                }
            }
            sql.push(')');
        }
        sql.push_str(" RETURNING *)");
        if back.is_some() {
            sql.push_str(", rn AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM r)");
        }
    }
    if let Some(back) = back {
        let parts = back
            .ids
            .update_parts(&mut params, "ib", |k| match back.places[k] {
                Placed::Plain(at) => IdCell::Sql(format!("(SELECT id FROM n WHERE k = {at})")),
                Placed::Receiving(at) => IdCell::Sql(format!("(SELECT id FROM rn WHERE k = {at})")),
            });
        let _ = write!(sql, ", {}, ub AS ({})", parts.values, parts.update);
    }
    if !balances.is_empty() {
        let rows = balance_rows(&mut params, balances);
        let _ = write!(
            sql,
            ", {V_COLUMNS} AS (VALUES {rows}), b AS ({})",
            *UPDATE_FROM_V
        );
    }
    sql.push_str(" SELECT 0 AS part, p.* FROM p");
    if !receiving.is_empty() {
        sql.push_str(" UNION ALL SELECT 1 AS part, r.* FROM r");
    }
    sql.push_str(" ORDER BY part, id");
    stored_rows(db, params, sql).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literal(values: Vec<Value>) -> String {
        let mut out = String::from("{");
        for (k, v) in values.into_iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            array_element(&mut out, v).unwrap();
        }
        out.push('}');
        out
    }

    #[test]
    fn array_literals_keep_text_as_text_and_nothing_as_null() {
        assert_eq!(
            literal(vec![
                Value::String(Some(r#"say "hi" \ {a,b}"#.into())),
                Value::String(Some("NULL".into())),
                Value::String(None),
            ]),
            r#"{"say \"hi\" \\ {a,b}","NULL",NULL}"#
        );
        assert_eq!(
            literal(vec![
                Value::BigInt(Some(-5)),
                Value::BigInt(None),
                Value::BigInt(Some(i64::MAX))
            ]),
            "{-5,NULL,9223372036854775807}"
        );
    }
}
