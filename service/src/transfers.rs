//! Transfers as a workflow (DESIGN.md invariant 6): a DRAFT lists lines (with optional lot and
//! expiry), SHIPPED posts TRANSFER_OUT at the source's average cost, CLOSED posts TRANSFER_IN at
//! the same cost in the target — within one company or across two the caller may staff. Shipped
//! and not received is "in transit" and listed as pending.

use crate::db::Writer;
use chrono::{DateTime, NaiveDate, Utc};
use entity::{ingredient, storage_unit, transfer, transfer_line};
use rust_decimal::Decimal;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::access::{Principal, Role};
use crate::error::{ServiceError, ServiceResult};
use crate::ingredients::{self, QuantityUnit};
use crate::ledger::locks::Pair;
use crate::ledger::posting::{self, NewEntry};
use crate::ledger::{EntryTime, TransactionType};
use crate::owned::find_in_company;
use crate::quantity::to_micro;
use std::collections::BTreeSet;

pub const ENTITY: &str = "transfer";

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
    let (from, to, checked) = check(
        db,
        principal,
        from_storage_unit_id,
        to_storage_unit_id,
        &lines,
    )
    .await?;
    let txn = crate::db::begin_write(db).await?;
    let t = insert_draft(&txn, principal, &from, &to, checked, note).await?;
    txn.commit().await?;
    Ok(t)
}

/// Checks both storage units (the caller staffs both companies) and every line.
async fn check<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    from_storage_unit_id: i64,
    to_storage_unit_id: i64,
    lines: &[TransferLineInput],
) -> ServiceResult<(storage_unit::Model, storage_unit::Model, Vec<CheckedLine>)> {
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
            &format!("lines[{i}].ingredientId"),
        )
        .await?;
        let unit = line.unit.clone().unwrap_or(QuantityUnit::Unit(
            crate::units::BaseUnit::parse(&ingredient.base_unit)?.unit(),
        ));
        let base = ingredients::to_base_quantity(
            db,
            &ingredient,
            line.quantity,
            unit,
            &format!("lines[{i}].unit"),
        )
        .await?;
        let quantity = to_micro(base, &format!("lines[{i}].quantity"))?;
        if quantity <= 0 {
            return Err(ServiceError::validation(
                format!("lines[{i}].quantity"),
                "must be greater than zero",
            ));
        }
        let target = crate::movements::target_ingredient(db, &ingredient, to.company_id)
            .await
            .map_err(|_| {
                ServiceError::validation(
                    format!("lines[{i}].ingredientId"),
                    format!(
                        "the receiving company has no ingredient {} in {}",
                        ingredient.name, ingredient.base_unit
                    ),
                )
            })?;
        checked.push((
            ingredient.id,
            target,
            quantity,
            crate::validate::optional("lotNumber", line.lot_number.as_deref())?,
            line.expiry_date.map(|d| d.to_string()),
        ));
    }
    Ok((from, to, checked))
}

/// A checked line: ingredient, the receiving company's ingredient, quantity, lot, expiry.
type CheckedLine = (i64, i64, i64, Option<String>, Option<String>);

async fn insert_draft<C: ConnectionTrait>(
    txn: &C,
    principal: &Principal,
    from: &storage_unit::Model,
    to: &storage_unit::Model,
    checked: Vec<CheckedLine>,
    note: Option<String>,
) -> ServiceResult<transfer::Model> {
    let t = transfer::ActiveModel {
        company_id: Set(from.company_id),
        to_company_id: Set(to.company_id),
        from_storage_unit_id: Set(from.id),
        to_storage_unit_id: Set(to.id),
        status: Set("DRAFT".into()),
        note: Set(crate::validate::optional("note", note.as_deref())?),
        created_by: Set(Some(principal.acting_user_id())),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    for (ingredient_id, target, quantity, lot, expiry) in checked {
        transfer_line::ActiveModel {
            transfer_id: Set(t.id),
            ingredient_id: Set(ingredient_id),
            target_ingredient_id: Set(target),
            quantity_micro: Set(quantity),
            lot_number: Set(lot),
            expiry_date: Set(expiry),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(t)
}

/// A transfer the caller can see: they are in the shipping or the receiving company.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
) -> ServiceResult<transfer::Model> {
    transfer::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|t| {
            principal.role_in(t.company_id).is_some()
                || principal.role_in(t.to_company_id).is_some()
        })
        .ok_or_else(|| ServiceError::not_found(ENTITY))
}

pub async fn lines<C: ConnectionTrait>(
    db: &C,
    transfer_id: i64,
) -> ServiceResult<Vec<transfer_line::Model>> {
    Ok(transfer_line::Entity::find()
        .filter(transfer_line::Column::TransferId.eq(transfer_id))
        .order_by_asc(transfer_line::Column::Id)
        .all(db)
        .await?)
}

/// Transfers of a company, sent or received; `status` SHIPPED lists what is in transit.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    status: Option<&str>,
) -> ServiceResult<Vec<transfer::Model>> {
    principal.require_read(company_id, "company")?;
    let mut q = transfer::Entity::find().filter(
        Condition::any()
            .add(transfer::Column::CompanyId.eq(company_id))
            .add(transfer::Column::ToCompanyId.eq(company_id)),
    );
    if let Some(s) = status {
        q = q.filter(transfer::Column::Status.eq(s));
    }
    Ok(q.order_by_desc(transfer::Column::Id).all(db).await?)
}

/// Shipped transfers on their way to each of these storage units: their "pending" badges.
pub async fn pending_into<C: ConnectionTrait>(
    db: &C,
    storage_unit_ids: &[i64],
) -> ServiceResult<std::collections::HashMap<i64, i64>> {
    let mut out = std::collections::HashMap::new();
    for t in transfer::Entity::find()
        .filter(transfer::Column::ToStorageUnitId.is_in(storage_unit_ids.to_vec()))
        .filter(transfer::Column::Status.eq("SHIPPED"))
        .all(db)
        .await?
    {
        *out.entry(t.to_storage_unit_id).or_insert(0) += 1;
    }
    Ok(out)
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
        // Locked (PostgreSQL; SQLite's writer holds the file): a cancel waits, then finds it
        // no longer a draft.
        let t = transfer::Entity::find_by_id(id)
            .lock_exclusive()
            .one(&txn)
            .await?
            .ok_or_else(|| ServiceError::not_found(ENTITY))?;
        if t.status != "DRAFT" {
            return Err(ServiceError::conflict(
                "id",
                format!("only a draft can be shipped; this transfer is {}", t.status),
            ));
        }
        let t = ship_in(&txn, principal, t, at, &mut BTreeSet::new()).await?;
        txn.commit().await?;
        Ok(t)
    })
    .await
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
        // Locked (PostgreSQL; SQLite's writer holds the file): a cancel waits, then finds it
        // no longer a draft.
        let t = transfer::Entity::find_by_id(id)
            .lock_exclusive()
            .one(&txn)
            .await?
            .ok_or_else(|| ServiceError::not_found(ENTITY))?;
        if t.status != "SHIPPED" {
            return Err(ServiceError::conflict(
                "id",
                format!(
                    "only a shipped transfer can be received; this one is {}",
                    t.status
                ),
            ));
        }
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
    active.status = Set("SHIPPED".into());
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
    e.source_kind = "TRANSFER_LINE".into();
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
    e.source_kind = "TRANSFER_LINE".into();
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
    active.status = Set("CLOSED".into());
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
    let (from, to, checked) = check(
        db,
        principal,
        from_storage_unit_id,
        to_storage_unit_id,
        &[line],
    )
    .await?;
    let at = crate::ledger::entry_time(occurred_at, "occurredAt")?;
    let (from, to, checked) = (&from, &to, &checked);
    // Run again from the start when a lock clashed: the rolled-back attempt left nothing.
    crate::db::retrying(|| async move {
        let txn = crate::db::begin_write(db).await?;
        // Shipped and received at once: written CLOSED, both sides posted in one batch (the
        // TRANSFER_IN costed from its TRANSFER_OUT in memory), each line told its two entries.
        let now = Utc::now();
        let t = transfer::ActiveModel {
            company_id: Set(from.company_id),
            to_company_id: Set(to.company_id),
            from_storage_unit_id: Set(from.id),
            to_storage_unit_id: Set(to.id),
            status: Set("CLOSED".into()),
            note: Set(None),
            created_by: Set(Some(principal.acting_user_id())),
            created_at: Set(now),
            shipped_at: Set(Some(now)),
            received_at: Set(Some(now)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let mut lines = Vec::with_capacity(checked.len());
        for (ingredient_id, target, quantity, lot, expiry) in checked.iter().cloned() {
            lines.push(
                transfer_line::ActiveModel {
                    transfer_id: Set(t.id),
                    ingredient_id: Set(ingredient_id),
                    target_ingredient_id: Set(target),
                    quantity_micro: Set(quantity),
                    lot_number: Set(lot),
                    expiry_date: Set(expiry),
                    ..Default::default()
                }
                .insert(&txn)
                .await?,
            );
        }
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
    if t.status != "DRAFT" {
        return Err(ServiceError::conflict(
            "id",
            "only a draft can be cancelled; a shipped transfer is received, or sent back",
        ));
    }
    // Only while it is still a draft: a ship committed since the read above must win, or the
    // stock it sent would belong to a cancelled transfer.
    let changed = transfer::Entity::update_many()
        .col_expr(transfer::Column::Status, Expr::value("CANCELLED"))
        .filter(transfer::Column::Id.eq(id))
        .filter(transfer::Column::Status.eq("DRAFT"))
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
