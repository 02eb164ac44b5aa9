//! A transfer's life: created, shipped, received, cancelled, or moved at once (`transfer_now`).

use crate::db::Writer;
use chrono::{DateTime, NaiveDate, Utc};
use entity::transfer::TransferStatus;
use entity::{ingredient, storage_unit, transfer, transfer_line};
use rust_decimal::Decimal;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};

use super::listing::{ENTITY, get, lines};
use crate::access::{Principal, Role};
use crate::error::{ServiceError, ServiceResult};
use crate::ingredients::{self, QuantityFields, QuantityUnit, Sign};
use crate::ledger::locks::Pair;
use crate::ledger::posting::{self, NewEntry};
use crate::ledger::{EntryTime, SourceKind, TransactionType};
use crate::owned::find_in_company;
use std::collections::BTreeSet;

pub struct TransferLineInput {
    pub ingredient_id: i64,
    pub quantity: Decimal,
    pub unit: Option<QuantityUnit>,
    pub lot_number: Option<String>,
    pub expiry_date: Option<NaiveDate>,
}

/// The storage unit `id` among those `found`, if the caller staffs its company.
fn unit_among(
    found: &[storage_unit::Model],
    principal: &Principal,
    id: i64,
    field: &str,
) -> ServiceResult<storage_unit::Model> {
    let unit = found
        .iter()
        .find(|s| s.id == id && principal.role_in(s.company_id).is_some())
        .cloned()
        .ok_or_else(|| ServiceError::not_found_at("storage unit", field))?;
    principal.require(unit.company_id, Role::Staff, "storage unit")?;
    Ok(unit)
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

/// How errors name a line's fields: `lines[2].quantity` in a list, `quantity` for the one line
/// of a transfer made in one step.
#[derive(Debug, Clone, Copy)]
enum LineFields {
    Listed,
    Single,
}

impl LineFields {
    fn at(self, i: usize) -> String {
        match self {
            LineFields::Listed => format!("lines[{i}]."),
            LineFields::Single => String::new(),
        }
    }
}

/// A transfer's storage units and lines, checked.
struct Checked {
    from: storage_unit::Model,
    to: storage_unit::Model,
    lines: Vec<CheckedLine>,
}

/// A checked line, in base-unit millionths.
#[derive(Debug, Clone)]
struct CheckedLine {
    ingredient_id: i64,
    /// The receiving company's ingredient (the same one within a company).
    target_ingredient_id: i64,
    quantity_micro: i64,
    lot_number: Option<String>,
    expiry_date: Option<String>,
}

/// Checks both storage units (the caller staffs both companies) and every line.
async fn check<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    from_storage_unit_id: i64,
    to_storage_unit_id: i64,
    lines: &[TransferLineInput],
    fields: LineFields,
) -> ServiceResult<Checked> {
    let at = |i| fields.at(i);
    // Both in one round trip.
    let found = storage_unit::Entity::find()
        .filter(storage_unit::Column::Id.is_in([from_storage_unit_id, to_storage_unit_id]))
        .all(db)
        .await?;
    let from = unit_among(&found, principal, from_storage_unit_id, "fromStorageUnitId")?;
    let to = unit_among(&found, principal, to_storage_unit_id, "toStorageUnitId")?;
    if from.id == to.id {
        return Err(ServiceError::validation(
            "toStorageUnitId",
            "source and target are the same storage unit",
        ));
    }
    if lines.is_empty() {
        return Err(ServiceError::validation(
            "lines",
            "a transfer needs at least one line",
        ));
    }
    let mut checked = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let ingredient = find_in_company::<ingredient::Entity, _>(
            db,
            from.company_id,
            line.ingredient_id,
            "ingredient",
            &format!("{}ingredientId", at(i)),
        )
        .await?;
        let quantity = ingredients::entered_quantity(
            db,
            &ingredient,
            line.quantity,
            line.unit.clone(),
            Sign::Positive,
            &QuantityFields::at(&at(i), "quantity"),
        )
        .await?;
        let target = target_ingredient(db, &ingredient, to.company_id)
            .await
            .map_err(|_| {
                ServiceError::validation(
                    format!("{}ingredientId", at(i)),
                    format!(
                        "the receiving company has no ingredient {} in {}",
                        ingredient.name, ingredient.base_unit
                    ),
                )
            })?;
        checked.push(CheckedLine {
            ingredient_id: ingredient.id,
            target_ingredient_id: target,
            quantity_micro: quantity,
            lot_number: crate::validate::optional(
                &format!("{}lotNumber", at(i)),
                line.lot_number.as_deref(),
            )?,
            expiry_date: line.expiry_date.map(|d| d.to_string()),
        });
    }
    Ok(Checked {
        from,
        to,
        lines: checked,
    })
}

/// Writes a transfer and its lines: a DRAFT to ship later, or — made in one step — CLOSED,
/// shipped and received now.
async fn insert_transfer<C: ConnectionTrait>(
    txn: &C,
    principal: &Principal,
    checked: &Checked,
    status: TransferStatus,
    note: Option<String>,
) -> ServiceResult<(transfer::Model, Vec<transfer_line::Model>)> {
    let now = Utc::now();
    let moved = (status == TransferStatus::Closed).then_some(now);
    let t = transfer::ActiveModel {
        company_id: Set(checked.from.company_id),
        to_company_id: Set(checked.to.company_id),
        from_storage_unit_id: Set(checked.from.id),
        to_storage_unit_id: Set(checked.to.id),
        status: Set(status),
        note: Set(crate::validate::optional("note", note.as_deref())?),
        created_by: Set(Some(principal.acting_user_id())),
        created_at: Set(now),
        shipped_at: Set(moved),
        received_at: Set(moved),
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

/// The ingredient a transfer lands as in the receiving company: the same one within a company,
/// else the receiving company's ingredient of the same name and base unit.
async fn target_ingredient<C: ConnectionTrait>(
    db: &C,
    ingredient: &ingredient::Model,
    target_company: i64,
) -> ServiceResult<i64> {
    if target_company == ingredient.company_id {
        return Ok(ingredient.id);
    }
    Ok(ingredient::Entity::find()
        .filter(ingredient::Column::CompanyId.eq(target_company))
        .filter(ingredient::Column::Name.eq(&ingredient.name))
        .filter(ingredient::Column::BaseUnit.eq(&ingredient.base_unit))
        .one(db)
        .await?
        .ok_or_else(|| {
            ServiceError::validation(
                "ingredientId",
                format!(
                    "the receiving company has no ingredient {} in {}",
                    ingredient.name, ingredient.base_unit
                ),
            )
        })?
        .id)
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
        // Both sides in the lock order before either is written (`ledger::locks`).
        let posted = posting::post(&txn, entries).await?;
        let mut pairs = posted.chunks_exact(2);
        for (line, sides) in lines.into_iter().zip(pairs.by_ref()) {
            let mut active: transfer_line::ActiveModel = line.into();
            active.out_entry_id = Set(Some(sides[0].id));
            active.in_entry_id = Set(Some(sides[1].id));
            active.update(&txn).await?;
        }
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
