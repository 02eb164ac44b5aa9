//! Writing a transfer and its lines: a DRAFT to ship later, or — made in one step — CLOSED,
//! shipped and received now.

use chrono::Utc;
use entity::transfer::TransferStatus;
use entity::{transfer, transfer_line};
use sea_orm::{ActiveEnum, ActiveModelTrait, ConnectionTrait, DbBackend, FromQueryResult, Set};

use super::checking::Checked;
use crate::access::Principal;
use crate::db::params::Params;
use crate::error::{ServiceError, ServiceResult};
use crate::owned::aliased_columns;

/// Lines written with their transfer in one statement; more go in apart.
const LINES_IN_ONE_STATEMENT: usize = 1000;

/// Writes a transfer and its lines; answers them as stored, the lines in the order given.
/// PostgreSQL takes both in one statement (one round trip); SQLite, without `INSERT` inside
/// `WITH`, a statement each.
pub(super) async fn insert_transfer<C: ConnectionTrait>(
    txn: &C,
    principal: &Principal,
    checked: &Checked,
    status: TransferStatus,
    note: Option<String>,
) -> ServiceResult<(transfer::Model, Vec<transfer_line::Model>)> {
    let now = Utc::now();
    let row = TransferRow {
        status,
        note: crate::validate::optional("note", note.as_deref())?,
        created_by: principal.acting_user_id(),
        now,
        // Shipped and received at once, or neither yet.
        moved: (status == TransferStatus::Closed).then_some(now),
    };
    if txn.get_database_backend() == DbBackend::Postgres
        && checked.lines.len() <= LINES_IN_ONE_STATEMENT
    {
        insert_together(txn, checked, row).await
    } else {
        insert_apart(txn, checked, row).await
    }
}

/// The transfer's own values, the same whichever way it is written.
struct TransferRow {
    status: TransferStatus,
    note: Option<String>,
    created_by: i64,
    now: chrono::DateTime<Utc>,
    moved: Option<chrono::DateTime<Utc>>,
}

/// [`insert_transfer`] in one statement: the lines take the transfer's new id from `t`.
async fn insert_together<C: ConnectionTrait>(
    txn: &C,
    checked: &Checked,
    row: TransferRow,
) -> ServiceResult<(transfer::Model, Vec<transfer_line::Model>)> {
    let mut params = Params::new(txn.get_database_backend());
    let transfer_row = params.row([
        checked.from.company_id.into(),
        checked.to.company_id.into(),
        checked.from.id.into(),
        checked.to.id.into(),
        row.status.to_value().into(),
        row.note.into(),
        Some(row.created_by).into(),
        row.now.into(),
        row.moved.into(),
        row.moved.into(),
    ]);
    let line_rows: Vec<String> = checked
        .lines
        .iter()
        .enumerate()
        .map(|(k, line)| {
            params.row([
                (k as i64).into(),
                line.ingredient_id.into(),
                line.target_ingredient_id.into(),
                line.quantity_micro.into(),
                line.lot_number.clone().into(),
                line.expiry_date.clone().into(),
            ])
        })
        .collect();
    let sql = format!(
        "WITH t AS (INSERT INTO transfers (company_id, to_company_id, from_storage_unit_id, \
         to_storage_unit_id, status, note, created_by, created_at, shipped_at, received_at) \
         VALUES {transfer_row} RETURNING *), \
         l AS (INSERT INTO transfer_lines (transfer_id, ingredient_id, target_ingredient_id, \
         quantity_micro, lot_number, expiry_date) \
         SELECT t.id, v.ingredient_id, v.target, v.quantity, v.lot, v.expiry \
         FROM t, (VALUES {}) AS v(k, ingredient_id, target, quantity, lot, expiry) ORDER BY v.k \
         RETURNING *) \
         SELECT {}, {} FROM t CROSS JOIN l ORDER BY l.id",
        line_rows.join(", "),
        aliased_columns::<transfer::Entity>("t"),
        aliased_columns::<transfer_line::Entity>("l"),
    );
    let rows = txn.query_all_raw(params.statement(sql)).await?;
    let first = rows
        .first()
        .ok_or_else(|| ServiceError::Internal("a transfer was stored without lines".into()))?;
    let t = transfer::Model::from_query_result(first, "t_")?;
    let lines = rows
        .iter()
        .map(|row| transfer_line::Model::from_query_result(row, "l_"))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((t, lines))
}

/// [`insert_transfer`] as a statement per row.
async fn insert_apart<C: ConnectionTrait>(
    txn: &C,
    checked: &Checked,
    row: TransferRow,
) -> ServiceResult<(transfer::Model, Vec<transfer_line::Model>)> {
    let t = transfer::ActiveModel {
        company_id: Set(checked.from.company_id),
        to_company_id: Set(checked.to.company_id),
        from_storage_unit_id: Set(checked.from.id),
        to_storage_unit_id: Set(checked.to.id),
        status: Set(row.status),
        note: Set(row.note),
        created_by: Set(Some(row.created_by)),
        created_at: Set(row.now),
        shipped_at: Set(row.moved),
        received_at: Set(row.moved),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let mut lines = Vec::with_capacity(checked.lines.len());
    for line in &checked.lines {
        lines.push(
            transfer_line::ActiveModel {
                transfer_id: Set(t.id),
                ingredient_id: Set(line.ingredient_id),
                target_ingredient_id: Set(line.target_ingredient_id),
                quantity_micro: Set(line.quantity_micro),
                lot_number: Set(line.lot_number.clone()),
                expiry_date: Set(line.expiry_date.clone()),
                ..Default::default()
            }
            .insert(txn)
            .await?,
        );
    }
    Ok((t, lines))
}
