//! A transfer's life: created, shipped, received, cancelled, or moved at once (`transfer_now`).

use crate::db::Writer;
use chrono::{DateTime, NaiveDate, Utc};
use entity::transfer::TransferStatus;
use entity::{transfer, transfer_line};
use rust_decimal::Decimal;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};

use super::checking::{LineFields, check};
use super::listing::{ENTITY, get, lines};
use super::storing::insert_transfer;
use crate::access::{Principal, Role};
use crate::error::{ServiceError, ServiceResult};
use crate::ingredients::QuantityUnit;
use crate::ledger::locks::Pair;
use crate::ledger::posting::{self, NewEntry};
use crate::ledger::{EntryTime, SourceKind, TransactionType};
use std::collections::BTreeSet;

pub struct TransferLineInput {
    pub ingredient_id: i64,
    pub quantity: Decimal,
    pub unit: Option<QuantityUnit>,
    pub lot_number: Option<String>,
    pub expiry_date: Option<NaiveDate>,
}

pub async fn create<C: Writer>(
    db: &C,
    principal: &Principal,
    from_storage_unit_id: i64,
    to_storage_unit_id: i64,
    lines: Vec<TransferLineInput>,
    note: Option<String>,
) -> ServiceResult<transfer::Model> {
    let checked = check(
        db,
        principal,
        from_storage_unit_id,
        to_storage_unit_id,
        &lines,
        LineFields::Listed,
    )
    .await?;
    let txn = crate::db::begin_write(db).await?;
    let (t, _) = insert_transfer(&txn, principal, &checked, TransferStatus::Draft, note).await?;
    txn.commit().await?;
    Ok(t)
}

/// DRAFT → SHIPPED: a TRANSFER_OUT per line at the source's average cost.
pub async fn ship<C: Writer>(
    db: &C,
    principal: &Principal,
    id: i64,
    occurred_at: Option<DateTime<Utc>>,
) -> ServiceResult<transfer::Model> {
    let t = get(db, principal, id).await?;
    principal.require(t.company_id, Role::Staff, ENTITY)?;
    let at = crate::ledger::entry_time(occurred_at, "occurredAt")?;
    crate::db::retrying(|| async move {
        let txn = crate::db::begin_write(db).await?;
        let t = locked_in(
            &txn,
            id,
            TransferStatus::Draft,
            "only a draft can be shipped",
        )
        .await?;
        let t = ship_in(&txn, principal, t, at, &mut BTreeSet::new()).await?;
        txn.commit().await?;
        Ok(t)
    })
    .await
}

/// The transfer, locked for the rest of the transaction (PostgreSQL; SQLite's writer holds the
/// file), if it is still `status`: a cancel or a second click waits here, then finds it moved on.
async fn locked_in<C: ConnectionTrait>(
    txn: &C,
    id: i64,
    status: TransferStatus,
    only: &str,
) -> ServiceResult<transfer::Model> {
    let t = transfer::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or_else(|| ServiceError::not_found(ENTITY))?;
    if t.status != status {
        return Err(ServiceError::conflict(
            "id",
            format!("{only}; this transfer is {}", t.status),
        ));
    }
    Ok(t)
}

/// SHIPPED → CLOSED: a TRANSFER_IN per line in the target at its TRANSFER_OUT's cost.
pub async fn receive<C: Writer>(
    db: &C,
    principal: &Principal,
    id: i64,
    occurred_at: Option<DateTime<Utc>>,
) -> ServiceResult<transfer::Model> {
    let t = get(db, principal, id).await?;
    principal.require(t.to_company_id, Role::Staff, ENTITY)?;
    let at = crate::ledger::entry_time(occurred_at, "occurredAt")?;
    crate::db::retrying(|| async move {
        let txn = crate::db::begin_write(db).await?;
        let t = locked_in(
            &txn,
            id,
            TransferStatus::Shipped,
            "only a shipped transfer can be received",
        )
        .await?;
        let t = receive_in(&txn, principal, t, at, &mut BTreeSet::new()).await?;
        txn.commit().await?;
        Ok(t)
    })
    .await
}

/// Inside a write transaction: TRANSFER_OUT per line, the transfer SHIPPED.
async fn ship_in<C: ConnectionTrait>(
    txn: &C,
    principal: &Principal,
    t: transfer::Model,
    at: EntryTime,
    held: &mut BTreeSet<Pair>,
) -> ServiceResult<transfer::Model> {
    let lines = lines(txn, t.id).await?;
    let entries = lines
        .iter()
        .map(|l| shipped(&t, l, at, principal))
        .collect();
    let posted = posting::post_holding(txn, entries, held).await?;
    for (line, entry) in lines.into_iter().zip(&posted) {
        let mut active: transfer_line::ActiveModel = line.into();
        active.out_entry_id = Set(Some(entry.id));
        active.update(txn).await?;
    }
    let mut active: transfer::ActiveModel = t.into();
    active.status = Set(TransferStatus::Shipped);
    active.shipped_at = Set(Some(Utc::now()));
    let t = active.update(txn).await?;
    Ok(t)
}

/// The TRANSFER_OUT of a line.
fn shipped(
    t: &transfer::Model,
    l: &transfer_line::Model,
    at: EntryTime,
    principal: &Principal,
) -> NewEntry {
    let mut e = NewEntry::new(
        t.company_id,
        l.ingredient_id,
        t.from_storage_unit_id,
        TransactionType::TransferOut,
        -l.quantity_micro,
        at.micros,
    );
    e.at_posting = at.at_posting;
    e.source_kind = SourceKind::TransferLine;
    e.source_id = Some(l.id.to_string());
    e.note = l.lot_number.as_ref().map(|lot| format!("lot {lot}"));
    e.created_by = Some(principal.acting_user_id());
    e
}

/// The TRANSFER_IN of a line (the caller names the TRANSFER_OUT it receives).
fn received(
    t: &transfer::Model,
    l: &transfer_line::Model,
    at: EntryTime,
    principal: &Principal,
) -> NewEntry {
    let mut e = NewEntry::new(
        t.to_company_id,
        l.target_ingredient_id,
        t.to_storage_unit_id,
        TransactionType::TransferIn,
        l.quantity_micro,
        at.micros,
    );
    e.at_posting = at.at_posting;
    e.source_kind = SourceKind::TransferLine;
    e.source_id = Some(l.id.to_string());
    e.note = l.lot_number.as_ref().map(|lot| format!("lot {lot}"));
    e.created_by = Some(principal.acting_user_id());
    e
}

/// Inside a write transaction: TRANSFER_IN per line at its TRANSFER_OUT's cost, the transfer CLOSED.
async fn receive_in<C: ConnectionTrait>(
    txn: &C,
    principal: &Principal,
    t: transfer::Model,
    at: EntryTime,
    held: &mut BTreeSet<Pair>,
) -> ServiceResult<transfer::Model> {
    let lines = lines(txn, t.id).await?;
    let mut entries = Vec::with_capacity(lines.len());
    for l in &lines {
        let out = l
            .out_entry_id
            .ok_or_else(|| ServiceError::Internal("shipped line without its entry".into()))?;
        let out_at = entity::ledger_entry::Entity::find_by_id(out)
            .one(txn)
            .await?
            .map_or(at.micros, |e| e.occurred_at);
        // Received no earlier than it left.
        let mut e = received(
            &t,
            l,
            EntryTime {
                micros: at.micros.max(out_at),
                ..at
            },
            principal,
        );
        e.receives_entry = Some(out);
        entries.push(e);
    }
    let posted = posting::post_holding(txn, entries, held).await?;
    for (line, entry) in lines.into_iter().zip(&posted) {
        let mut active: transfer_line::ActiveModel = line.into();
        active.in_entry_id = Set(Some(entry.id));
        active.update(txn).await?;
    }
    let mut active: transfer::ActiveModel = t.into();
    active.status = Set(TransferStatus::Closed);
    active.received_at = Set(Some(Utc::now()));
    let t = active.update(txn).await?;
    Ok(t)
}

/// A transfer shipped and received at once (the contract's `transferStock`), recorded like any
/// other transfer, in one transaction. Returns its TRANSFER_OUT and TRANSFER_IN.
pub async fn transfer_now<C: Writer>(
    db: &C,
    principal: &Principal,
    from_storage_unit_id: i64,
    to_storage_unit_id: i64,
    line: TransferLineInput,
    occurred_at: Option<DateTime<Utc>>,
) -> ServiceResult<(entity::ledger_entry::Model, entity::ledger_entry::Model)> {
    let checked = check(
        db,
        principal,
        from_storage_unit_id,
        to_storage_unit_id,
        &[line],
        LineFields::Single,
    )
    .await?;
    let at = crate::ledger::entry_time(occurred_at, "occurredAt")?;
    let checked = &checked;
    // Run again from the start when a lock clashed: the rolled-back attempt left nothing.
    crate::db::retrying(|| async move {
        let txn = crate::db::begin_write(db).await?;
        // Shipped and received at once: written CLOSED, both sides posted in one batch (the
        // TRANSFER_IN costed from its TRANSFER_OUT in memory), each line told its two entries.
        let (t, lines) =
            insert_transfer(&txn, principal, checked, TransferStatus::Closed, None).await?;
        let mut entries = Vec::with_capacity(2 * lines.len());
        for l in &lines {
            entries.push(shipped(&t, l, at, principal));
            let mut e = received(&t, l, at, principal);
            e.receives = Some(entries.len() - 1);
            entries.push(e);
        }
        // Both sides in the lock order before either is written (`ledger::locks`); each line
        // takes its two entries' ids in the same round trip where the backend allows.
        let back = posting::IdsBack {
            table: "transfer_lines",
            columns: &["out_entry_id", "in_entry_id"],
            rows: lines
                .iter()
                .enumerate()
                .map(|(n, l)| posting::RowBack {
                    id: l.id,
                    entries: vec![2 * n, 2 * n + 1],
                })
                .collect(),
        };
        let posted = posting::post_writing_ids(&txn, entries, &back).await?;
        txn.commit().await?;
        let mut first = posted.into_iter();
        match (first.next(), first.next()) {
            (Some(out), Some(inn)) => Ok((out, inn)),
            _ => Err(ServiceError::Internal("transfer posted no entries".into())),
        }
    })
    .await
}

pub async fn cancel<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
) -> ServiceResult<transfer::Model> {
    let t = get(db, principal, id).await?;
    principal.require(t.company_id, Role::Staff, ENTITY)?;
    if t.status != TransferStatus::Draft {
        return Err(ServiceError::conflict(
            "id",
            "only a draft can be cancelled; a shipped transfer is received, or sent back",
        ));
    }
    // Only while it is still a draft: a ship committed since the read above must win, or the
    // stock it sent would belong to a cancelled transfer.
    let changed = transfer::Entity::update_many()
        .col_expr(
            transfer::Column::Status,
            Expr::value(TransferStatus::Cancelled),
        )
        .filter(transfer::Column::Id.eq(id))
        .filter(transfer::Column::Status.eq(TransferStatus::Draft))
        .exec(db)
        .await?;
    let t = get(db, principal, id).await?;
    if changed.rows_affected == 0 {
        return Err(ServiceError::conflict(
            "id",
            format!(
                "only a draft can be cancelled; this transfer is {} now",
                t.status
            ),
        ));
    }
    Ok(t)
}
