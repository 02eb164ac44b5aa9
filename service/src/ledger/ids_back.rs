//! A writer's own rows that name the entries it posts (a transfer line names its TRANSFER_OUT
//! and TRANSFER_IN): the new ids written back by the posting — inside its one statement on
//! PostgreSQL, as a statement after it otherwise.

use sea_orm::ConnectionTrait;

use crate::db::params::Params;
use crate::error::ServiceResult;

/// Where a posting writes its entries' ids: per row of `table`, one entry for each of
/// `columns`.
#[derive(Debug, Clone)]
pub struct IdsBack {
    pub table: &'static str,
    pub columns: &'static [&'static str],
    pub rows: Vec<RowBack>,
}

/// A row of the table by id, and for each column the place in the batch of the entry whose id
/// it takes.
#[derive(Debug, Clone)]
pub struct RowBack {
    pub id: i64,
    pub entries: Vec<usize>,
}

/// [`IdsBack::update_parts`].
pub(super) struct UpdateParts {
    pub values: String,
    pub update: String,
}

/// An entry's id as the update names it: known, or read from the posting's own statement.
pub(super) enum IdCell {
    Bound(i64),
    Sql(String),
}

impl IdsBack {
    /// The update in two parts for a `WITH`: the values, as `{name}(id, c0, …) AS (VALUES …)`,
    /// and `UPDATE table SET column = {name}.c0, … FROM {name} WHERE table.id = {name}.id`.
    pub(super) fn update_parts(
        &self,
        params: &mut Params,
        name: &str,
        id_of: impl Fn(usize) -> IdCell,
    ) -> UpdateParts {
        let cells: Vec<String> = (0..self.columns.len()).map(|c| format!("c{c}")).collect();
        let set: Vec<String> = self
            .columns
            .iter()
            .zip(&cells)
            .map(|(column, cell)| format!("{column} = {name}.{cell}"))
            .collect();
        let rows: Vec<String> = self
            .rows
            .iter()
            .map(|row| {
                let mut values = vec![params.push(row.id)];
                values.extend(row.entries.iter().map(|k| match id_of(*k) {
                    IdCell::Bound(id) => params.push(id),
                    IdCell::Sql(sql) => sql,
                }));
                format!("({})", values.join(", "))
            })
            .collect();
        UpdateParts {
            values: format!(
                "{name}(id, {}) AS (VALUES {})",
                cells.join(", "),
                rows.join(", ")
            ),
            update: format!(
                "UPDATE {table} SET {} FROM {name} WHERE {table}.id = {name}.id",
                set.join(", "),
                table = self.table,
            ),
        }
    }

    /// The update as a statement of its own, the entries' ids known (`ids` in batch order).
    pub(super) async fn write<C: ConnectionTrait>(&self, db: &C, ids: &[i64]) -> ServiceResult<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let mut params = Params::new(db.get_database_backend());
        let parts = self.update_parts(&mut params, "v", |k| IdCell::Bound(ids[k]));
        let sql = format!("WITH {} {}", parts.values, parts.update);
        db.execute_raw(params.statement(sql)).await?;
        Ok(())
    }
}
