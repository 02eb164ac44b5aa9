//! Stock count sessions (DESIGN.md invariant 7): at most one open count per storage unit
//! (starting again resumes it), lines saved as a draft — listed, counted or not — and posting
//! once: one ADJUST per counted line that differs from the books; uncounted lines untouched.

use crate::db::Writer;
use chrono::{DateTime, Utc};
use entity::{ingredient, stock_balance, stock_count, stock_count_line, storage_unit};
use rust_decimal::Decimal;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::access::{Principal, Role};
use crate::error::{ServiceError, ServiceResult};
use crate::ingredients::{self, QuantityUnit};
use crate::ledger::to_micros;
use crate::owned::{CompanyOwned, find_in_company, find_owned};
use crate::quantity::to_micro;

pub const ENTITY: &str = "stock count";

impl CompanyOwned for stock_count::Model {
    fn company_id(&self) -> i64 {
        self.company_id
    }
}

/// Opens a count of a storage unit, listing every ingredient it holds; an open one is resumed.
pub async fn start<C: Writer>(
    db: &C,
    principal: &Principal,
    storage_unit_id: i64,
) -> ServiceResult<stock_count::Model> {
    let unit = storage_unit::Entity::find_by_id(storage_unit_id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found("storage unit"))?;
    principal.require(unit.company_id, Role::Staff, "storage unit")?;
    if let Some(open) = open_count(db, storage_unit_id).await? {
        return Ok(open);
    }
    let unit = &unit;
    crate::db::retrying(|| async move {
        let txn = crate::db::begin_write(db).await?;
        if let Some(open) = open_count(&txn, storage_unit_id).await? {
            return Ok(open);
        }
        let count = stock_count::ActiveModel {
            company_id: Set(unit.company_id),
            storage_unit_id: Set(unit.id),
            status: Set("OPEN".into()),
            created_by: Set(Some(principal.acting_user_id())),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let held = stock_balance::Entity::find()
            .filter(stock_balance::Column::StorageUnitId.eq(unit.id))
            .all(&txn)
            .await?;
        for b in held {
            stock_count_line::ActiveModel {
                count_id: Set(count.id),
                ingredient_id: Set(b.ingredient_id),
                counted_micro: Set(None),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        txn.commit().await?;
        Ok(count)
    })
    .await
}

/// The count, locked for the rest of the transaction (on PostgreSQL; SQLite's writer holds
/// the whole file), if it is still open.
async fn locked_open<C: ConnectionTrait>(txn: &C, id: i64) -> ServiceResult<stock_count::Model> {
    let count = stock_count::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or_else(|| ServiceError::not_found(ENTITY))?;
    if count.status != "OPEN" {
        return Err(ServiceError::conflict(
            "countId",
            format!("this count is already {}", count.status.to_lowercase()),
        ));
    }
    Ok(count)
}

async fn open_count<C: ConnectionTrait>(
    db: &C,
    storage_unit_id: i64,
) -> ServiceResult<Option<stock_count::Model>> {
    Ok(stock_count::Entity::find()
        .filter(stock_count::Column::StorageUnitId.eq(storage_unit_id))
        .filter(stock_count::Column::Status.eq("OPEN"))
        .one(db)
        .await?)
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
) -> ServiceResult<stock_count::Model> {
    find_owned::<stock_count::Entity, _>(db, principal, id, Role::Viewer, ENTITY).await
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    status: Option<&str>,
) -> ServiceResult<Vec<stock_count::Model>> {
    principal.require_read(company_id, "company")?;
    let mut q = stock_count::Entity::find().filter(stock_count::Column::CompanyId.eq(company_id));
    if let Some(s) = status {
        q = q.filter(stock_count::Column::Status.eq(s));
    }
    Ok(q.order_by_desc(stock_count::Column::Id).all(db).await?)
}

pub async fn lines<C: ConnectionTrait>(
    db: &C,
    count_id: i64,
) -> ServiceResult<Vec<stock_count_line::Model>> {
    Ok(stock_count_line::Entity::find()
        .filter(stock_count_line::Column::CountId.eq(count_id))
        .order_by_asc(stock_count_line::Column::Id)
        .all(db)
        .await?)
}

/// The book quantity of a line: at the count time once posted, else now.
pub async fn book<C: ConnectionTrait>(
    db: &C,
    count: &stock_count::Model,
    ingredient_id: i64,
) -> ServiceResult<i64> {
    let at = count
        .counted_at
        .map(to_micros)
        .unwrap_or_else(|| to_micros(Utc::now()));
    Ok(
        crate::ledger::reading::balance_at(db, ingredient_id, count.storage_unit_id, at)
            .await?
            .0,
    )
}

pub struct CountLineDraft {
    pub ingredient_id: i64,
    /// None clears a count (the line stays listed).
    pub counted: Option<Decimal>,
    pub unit: Option<QuantityUnit>,
}

/// Saves counted quantities as a draft; lines for ingredients not listed yet are added.
pub async fn save_lines<C: Writer>(
    db: &C,
    principal: &Principal,
    count_id: i64,
    drafts: Vec<CountLineDraft>,
) -> ServiceResult<stock_count::Model> {
    let count =
        find_owned::<stock_count::Entity, _>(db, principal, count_id, Role::Staff, ENTITY).await?;
    if count.status != "OPEN" {
        return Err(ServiceError::conflict(
            "countId",
            format!("this count is {}", count.status.to_lowercase()),
        ));
    }
    let mut values = Vec::with_capacity(drafts.len());
    for (i, d) in drafts.iter().enumerate() {
        let ingredient = find_in_company::<ingredient::Entity, _>(
            db,
            count.company_id,
            d.ingredient_id,
            "ingredient",
            &format!("lines[{i}].ingredientId"),
        )
        .await?;
        let counted = match d.counted {
            None => None,
            Some(q) if q < Decimal::ZERO => {
                return Err(ServiceError::validation(
                    format!("lines[{i}].countedQuantity"),
                    "must not be negative",
                ));
            }
            Some(q) => {
                let unit = d.unit.clone().unwrap_or(QuantityUnit::Unit(
                    crate::units::BaseUnit::parse(&ingredient.base_unit)?.unit(),
                ));
                let base = ingredients::to_base_quantity(
                    db,
                    &ingredient,
                    q,
                    unit,
                    &format!("lines[{i}].unit"),
                )
                .await?;
                Some(to_micro(base, &format!("lines[{i}].countedQuantity"))?)
            }
        };
        values.push((ingredient.id, counted));
    }
    let values = &values;
    crate::db::retrying(|| async move {
        let txn = crate::db::begin_write(db).await?;
        // Still open under the lock: lines saved into a count posted meanwhile would change
        // a count whose adjustments are already in the ledger.
        let count = locked_open(&txn, count_id).await?;
        let existing = lines(&txn, count_id).await?;
        for &(ingredient_id, counted) in values {
            match existing.iter().find(|l| l.ingredient_id == ingredient_id) {
                Some(line) => {
                    let mut active: stock_count_line::ActiveModel = line.clone().into();
                    active.counted_micro = Set(counted);
                    active.update(&txn).await?;
                }
                None => {
                    stock_count_line::ActiveModel {
                        count_id: Set(count_id),
                        ingredient_id: Set(ingredient_id),
                        counted_micro: Set(counted),
                        ..Default::default()
                    }
                    .insert(&txn)
                    .await?;
                }
            }
        }
        txn.commit().await?;
        Ok(count)
    })
    .await
}

/// Posts the count once: ADJUSTs for counted lines that differ from the books at `counted_at`.
pub async fn post<C: Writer>(
    db: &C,
    principal: &Principal,
    count_id: i64,
    counted_at: Option<DateTime<Utc>>,
) -> ServiceResult<(stock_count::Model, Vec<entity::ledger_entry::Model>)> {
    // Whose it is; whether it is still open is asked again under the lock.
    find_owned::<stock_count::Entity, _>(db, principal, count_id, Role::Staff, ENTITY).await?;
    let at = crate::ledger::business_time(counted_at, "countedAt")?;
    crate::db::retrying(|| async move {
        let txn = crate::db::begin_write(db).await?;
        // Read again under the lock: a second post waits here, then finds it posted.
        let count = locked_open(&txn, count_id).await?;
        let counted: Vec<(i64, i64)> = lines(&txn, count.id)
            .await?
            .into_iter()
            .filter_map(|l| l.counted_micro.map(|q| (l.ingredient_id, q)))
            .collect();
        let posted = crate::movements::post_count_adjustments(
            &txn,
            count.company_id,
            count.storage_unit_id,
            to_micros(at),
            &counted,
            principal.acting_user_id(),
            Some(count.id),
        )
        .await?;
        let mut active: stock_count::ActiveModel = count.into();
        active.status = Set("POSTED".into());
        active.counted_at = Set(Some(at));
        active.posted_at = Set(Some(Utc::now()));
        let count = active.update(&txn).await?;
        txn.commit().await?;
        Ok((count, posted))
    })
    .await
}

pub async fn cancel<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    count_id: i64,
) -> ServiceResult<stock_count::Model> {
    let count =
        find_owned::<stock_count::Entity, _>(db, principal, count_id, Role::Staff, ENTITY).await?;
    if count.status != "OPEN" {
        return Err(ServiceError::conflict(
            "countId",
            format!("this count is already {}", count.status.to_lowercase()),
        ));
    }
    // Only while still open: a post committed since the read above must not be undone.
    let changed = stock_count::Entity::update_many()
        .col_expr(stock_count::Column::Status, Expr::value("CANCELLED"))
        .filter(stock_count::Column::Id.eq(count_id))
        .filter(stock_count::Column::Status.eq("OPEN"))
        .exec(db)
        .await?;
    let count =
        find_owned::<stock_count::Entity, _>(db, principal, count_id, Role::Staff, ENTITY).await?;
    if changed.rows_affected == 0 {
        return Err(ServiceError::conflict(
            "countId",
            format!("this count is already {}", count.status.to_lowercase()),
        ));
    }
    Ok(count)
}
