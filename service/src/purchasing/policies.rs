//! Stock policies: how much of an ingredient a storage unit should hold. MANUAL — a reorder
//! point and a par level; AUTOMATIC — from the usage forecast, with a review period, safety
//! days and a usage window. One per (ingredient, storage unit); set one or many at once.

use chrono::Utc;
pub use entity::stock_policy::StockPolicyKind;
use entity::{ingredient, stock_policy, storage_unit};
use rust_decimal::Decimal;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::access::{Principal, Role};
use crate::db::Writer;
use crate::error::{ServiceError, ServiceResult};
use crate::owned::{find_in_company, find_owned};
use crate::quantity::to_micro;

pub const ENTITY: &str = "stock policy";

/// The most policies one call sets.
pub const MAX_BATCH: usize = 1000;
/// The longest review period and the most safety days.
pub const MAX_REVIEW_DAYS: i64 = 60;
pub const MAX_SAFETY_DAYS: i64 = 60;

#[derive(Debug, Clone)]
pub struct StockPolicyInput {
    pub ingredient_id: i64,
    pub storage_unit_id: i64,
    pub kind: StockPolicyKind,
    pub reorder_point: Option<Decimal>,
    pub par_level: Option<Decimal>,
    /// Default 7.
    pub review_days: Option<i64>,
    /// Default 1.
    pub safety_days: Option<Decimal>,
    /// Default 28.
    pub usage_window_days: Option<i64>,
}

/// Sets (creates or replaces) the policy of one pair; the company is the ingredient's.
pub async fn set<C: Writer>(
    db: &C,
    principal: &Principal,
    input: StockPolicyInput,
) -> ServiceResult<stock_policy::Model> {
    let ingredient = find_owned::<ingredient::Entity, _>(
        db,
        principal,
        input.ingredient_id,
        Role::Manager,
        "ingredient",
    )
    .await
    .map_err(|e| e.at_field("ingredientId"))?;
    let mut set = set_many(db, principal, ingredient.company_id, vec![input], "").await?;
    set.pop()
        .ok_or_else(|| ServiceError::Internal("a policy set returned nothing".into()))
}

/// Sets the policies of many pairs of one company in one transaction: all or none. `prefix`
/// names the list in errors (`policies[3].parLevel`).
pub async fn set_many<C: Writer>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    inputs: Vec<StockPolicyInput>,
    prefix: &str,
) -> ServiceResult<Vec<stock_policy::Model>> {
    principal.require(company_id, Role::Manager, "company")?;
    if inputs.is_empty() || inputs.len() > MAX_BATCH {
        return Err(ServiceError::validation(
            if prefix.is_empty() { "input" } else { prefix },
            format!("set 1 to {MAX_BATCH} policies at a time"),
        ));
    }
    let mut rows = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        let at = |field: &str| {
            if prefix.is_empty() {
                field.to_string()
            } else {
                format!("{prefix}[{i}].{field}")
            }
        };
        find_in_company::<ingredient::Entity, _>(
            db,
            company_id,
            input.ingredient_id,
            "ingredient",
            &at("ingredientId"),
        )
        .await?;
        find_in_company::<storage_unit::Entity, _>(
            db,
            company_id,
            input.storage_unit_id,
            "storage unit",
            &at("storageUnitId"),
        )
        .await?;
        rows.push(checked(company_id, input, &at)?);
    }
    let rows = &rows;
    crate::db::retrying(|| async move {
        let txn = crate::db::begin_write(db).await?;
        for row in rows {
            upsert(&txn, row.clone()).await?;
        }
        let out = read_back(&txn, company_id, rows).await?;
        txn.commit().await?;
        Ok(out)
    })
    .await
}

/// The policy row an input describes, checked: MANUAL needs 0 ≤ reorder point ≤ par level and
/// a par level above zero; AUTOMATIC takes the defaults for what is left out.
fn checked(
    company_id: i64,
    input: &StockPolicyInput,
    at: &dyn Fn(&str) -> String,
) -> ServiceResult<stock_policy::Model> {
    let days = |value: Option<i64>, default: i64, max: i64, field: &str| {
        let value = value.unwrap_or(default);
        if (1..=max).contains(&value) {
            Ok(value)
        } else {
            Err(ServiceError::validation(
                at(field),
                format!("must be between 1 and {max} days"),
            ))
        }
    };
    let (reorder_point_micro, par_level_micro) = match input.kind {
        StockPolicyKind::Manual => {
            let (Some(reorder), Some(par)) = (input.reorder_point, input.par_level) else {
                return Err(ServiceError::validation(
                    at(if input.par_level.is_none() {
                        "parLevel"
                    } else {
                        "reorderPoint"
                    }),
                    "a manual policy needs a reorder point and a par level",
                ));
            };
            let reorder = to_micro(reorder, &at("reorderPoint"))?;
            let par = to_micro(par, &at("parLevel"))?;
            if par <= 0 {
                return Err(ServiceError::validation(
                    at("parLevel"),
                    "must be greater than zero",
                ));
            }
            if !(0..=par).contains(&reorder) {
                return Err(ServiceError::validation(
                    at("reorderPoint"),
                    "must be between zero and the par level",
                ));
            }
            (Some(reorder), Some(par))
        }
        StockPolicyKind::Automatic => (None, None),
    };
    let safety = input.safety_days.unwrap_or(Decimal::ONE);
    if safety < Decimal::ZERO || safety > Decimal::from(MAX_SAFETY_DAYS) {
        return Err(ServiceError::validation(
            at("safetyDays"),
            format!("must be between 0 and {MAX_SAFETY_DAYS} days"),
        ));
    }
    Ok(stock_policy::Model {
        id: 0,
        company_id,
        ingredient_id: input.ingredient_id,
        storage_unit_id: input.storage_unit_id,
        kind: input.kind,
        reorder_point_micro,
        par_level_micro,
        review_days: days(input.review_days, 7, MAX_REVIEW_DAYS, "reviewDays")?,
        safety_days_micro: to_micro(safety, &at("safetyDays"))?,
        usage_window_days: days(
            input.usage_window_days,
            28,
            super::usage::MAX_WINDOW_DAYS,
            "usageWindowDays",
        )?,
        updated_at: Utc::now(),
    })
}

/// Inserts the pair's policy or replaces the one it has.
async fn upsert<C: ConnectionTrait>(db: &C, row: stock_policy::Model) -> ServiceResult<()> {
    use stock_policy::Column;
    let active = stock_policy::ActiveModel {
        company_id: Set(row.company_id),
        ingredient_id: Set(row.ingredient_id),
        storage_unit_id: Set(row.storage_unit_id),
        kind: Set(row.kind),
        reorder_point_micro: Set(row.reorder_point_micro),
        par_level_micro: Set(row.par_level_micro),
        review_days: Set(row.review_days),
        safety_days_micro: Set(row.safety_days_micro),
        usage_window_days: Set(row.usage_window_days),
        updated_at: Set(row.updated_at),
        ..Default::default()
    };
    stock_policy::Entity::insert(active)
        .on_conflict(
            OnConflict::columns([Column::IngredientId, Column::StorageUnitId])
                .update_columns([
                    Column::Kind,
                    Column::ReorderPointMicro,
                    Column::ParLevelMicro,
                    Column::ReviewDays,
                    Column::SafetyDaysMicro,
                    Column::UsageWindowDays,
                    Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The stored policies of `rows`' pairs, in `rows`' order: one query for the batch.
async fn read_back<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
    rows: &[stock_policy::Model],
) -> ServiceResult<Vec<stock_policy::Model>> {
    let ingredients: Vec<i64> = rows.iter().map(|r| r.ingredient_id).collect();
    let stored: std::collections::HashMap<(i64, i64), stock_policy::Model> =
        stock_policy::Entity::find()
            .filter(stock_policy::Column::CompanyId.eq(company_id))
            .filter(stock_policy::Column::IngredientId.is_in(ingredients))
            .all(db)
            .await?
            .into_iter()
            .map(|p| ((p.ingredient_id, p.storage_unit_id), p))
            .collect();
    rows.iter()
        .map(|r| {
            stored
                .get(&(r.ingredient_id, r.storage_unit_id))
                .cloned()
                .ok_or(ServiceError::not_found(ENTITY))
        })
        .collect()
}

/// Removes a pair's policy: the pair gets no more suggestions. False when it had none.
pub async fn remove<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    ingredient_id: i64,
    storage_unit_id: i64,
) -> ServiceResult<bool> {
    let ingredient = find_owned::<ingredient::Entity, _>(
        db,
        principal,
        ingredient_id,
        Role::Manager,
        "ingredient",
    )
    .await
    .map_err(|e| e.at_field("ingredientId"))?;
    let removed = stock_policy::Entity::delete_many()
        .filter(stock_policy::Column::CompanyId.eq(ingredient.company_id))
        .filter(stock_policy::Column::IngredientId.eq(ingredient_id))
        .filter(stock_policy::Column::StorageUnitId.eq(storage_unit_id))
        .exec(db)
        .await?;
    Ok(removed.rows_affected > 0)
}

/// A company's policies (of one storage unit, or all), by storage unit and ingredient.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    storage_unit_id: Option<i64>,
) -> ServiceResult<Vec<stock_policy::Model>> {
    principal.require_read(company_id, "company")?;
    let mut query =
        stock_policy::Entity::find().filter(stock_policy::Column::CompanyId.eq(company_id));
    crate::storage_units::check_in_company(db, company_id, storage_unit_id).await?;
    if let Some(unit) = storage_unit_id {
        query = query.filter(stock_policy::Column::StorageUnitId.eq(unit));
    }
    Ok(query
        .order_by_asc(stock_policy::Column::StorageUnitId)
        .order_by_asc(stock_policy::Column::IngredientId)
        .all(db)
        .await?)
}
