//! The items cache and mappings: each POS item maps to an ingredient (base units per unit sold),
//! a recipe (portions per unit sold) or is ignored; unmapped sales wait in a working list.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
pub use entity::pos_mapping::MappingTarget;
use entity::pos_sale_line::SaleStatus;
use entity::{ingredient, pos_item, pos_location, pos_mapping, pos_sale_line, recipe};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::integrations;
use crate::access::{Principal, Role};
use crate::error::{ServiceError, ServiceResult};
use crate::owned::find_in_company;
use crate::quantity::{exact_sum_sql, from_micro, join_sum, to_micro};

/// What a POS item maps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Ingredient(i64),
    Recipe(i64),
    Ignore,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mapping {
    pub target: Target,
    /// Base units (ingredient) or portions (recipe) per unit sold, in millionths.
    pub factor_micro: i64,
}

pub fn mapping_of(row: &pos_mapping::Model) -> Option<Mapping> {
    let target = match (row.target, row.ingredient_id, row.recipe_id) {
        (MappingTarget::Ingredient, Some(i), _) => Target::Ingredient(i),
        (MappingTarget::Recipe, _, Some(r)) => Target::Recipe(r),
        (MappingTarget::Ignore, _, _) => Target::Ignore,
        _ => return None,
    };
    Some(Mapping {
        target,
        factor_micro: row.quantity_factor_micro,
    })
}

/// All mappings of an integration by the POS item's id.
pub async fn load<C: ConnectionTrait>(
    db: &C,
    integration_id: i64,
) -> ServiceResult<HashMap<String, Mapping>> {
    Ok(pos_mapping::Entity::find()
        .filter(pos_mapping::Column::IntegrationId.eq(integration_id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|m| mapping_of(&m).map(|x| (m.external_id, x)))
        .collect())
}

/// Adds items to the cache (or refreshes their names).
pub async fn remember_items<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
    integration_id: i64,
    items: &[(String, String)],
) -> ServiceResult<()> {
    let now = Utc::now();
    for chunk in items.chunks(300) {
        let rows = chunk
            .iter()
            .map(|(external_id, name)| pos_item::ActiveModel {
                company_id: Set(company_id),
                integration_id: Set(integration_id),
                external_id: Set(external_id.clone()),
                name: Set(name.clone()),
                seen_at: Set(now),
                ..Default::default()
            });
        pos_item::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::columns([
                    pos_item::Column::IntegrationId,
                    pos_item::Column::ExternalId,
                ])
                .update_columns([pos_item::Column::Name, pos_item::Column::SeenAt])
                .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// An item of the cache with its mapping and sales.
#[derive(Debug, Clone)]
pub struct ItemView {
    pub external_id: String,
    pub name: String,
    pub mapping: Option<pos_mapping::Model>,
    pub amount_sold: Decimal,
    pub sales_value: Decimal,
}

/// The items of an integration with their mappings and what was sold of each in the period.
pub async fn items<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    integration_id: i64,
    period: Option<(NaiveDate, NaiveDate)>,
) -> ServiceResult<Vec<ItemView>> {
    integrations::get(db, principal, integration_id, Role::Viewer).await?;
    let cached = pos_item::Entity::find()
        .filter(pos_item::Column::IntegrationId.eq(integration_id))
        .order_by_asc(pos_item::Column::Name)
        .all(db)
        .await?;
    let mut mappings: HashMap<String, pos_mapping::Model> = pos_mapping::Entity::find()
        .filter(pos_mapping::Column::IntegrationId.eq(integration_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.external_id.clone(), m))
        .collect();
    let sold = sales_by_item(db, integration_id, period).await?;
    Ok(cached
        .into_iter()
        .map(|item| {
            let (amount, value) = sold.get(&item.external_id).copied().unwrap_or((0, 0));
            ItemView {
                mapping: mappings.remove(&item.external_id),
                external_id: item.external_id,
                name: item.name,
                amount_sold: from_micro(amount),
                sales_value: from_micro(value),
            }
        })
        .collect())
}

/// The most days a "last N days" period spans.
pub const MAX_RECENT_DAYS: i64 = 366;

/// The integration's company's last `days` business days, today included, as a period for
/// [`items`]: the dashboard's "last 30 days" is the company's days, not the browser's.
pub async fn recent_period<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    integration_id: i64,
    days: i64,
) -> ServiceResult<(NaiveDate, NaiveDate)> {
    if !(1..=MAX_RECENT_DAYS).contains(&days) {
        return Err(ServiceError::validation(
            "lastDays",
            format!("must be between 1 and {MAX_RECENT_DAYS}"),
        ));
    }
    let integration = integrations::get(db, principal, integration_id, Role::Viewer).await?;
    let company = crate::companies::get(db, principal, integration.company_id).await?;
    Ok(crate::business_days::recent_span(
        &company,
        Utc::now(),
        days,
    ))
}

/// Units sold and sales value per item over an integration's locations (refunds subtract;
/// voided and cancelled lines count nothing).
async fn sales_by_item<C: ConnectionTrait>(
    db: &C,
    integration_id: i64,
    period: Option<(NaiveDate, NaiveDate)>,
) -> ServiceResult<HashMap<String, (i128, i128)>> {
    let locations: Vec<i64> = pos_location::Entity::find()
        .select_only()
        .column(pos_location::Column::Id)
        .filter(pos_location::Column::IntegrationId.eq(integration_id))
        .into_tuple()
        .all(db)
        .await?;
    let [amount_high, amount_low] = exact_sum_sql(db.get_database_backend(), "quantity_micro");
    let [value_high, value_low] = exact_sum_sql(db.get_database_backend(), "sales_value_micro");
    let mut q = pos_sale_line::Entity::find()
        .select_only()
        .column(pos_sale_line::Column::ExternalItemId)
        .column_as(Expr::cust(amount_high), "amount_high")
        .column_as(Expr::cust(amount_low), "amount_low")
        .column_as(Expr::cust(value_high), "value_high")
        .column_as(Expr::cust(value_low), "value_low")
        .filter(pos_sale_line::Column::LocationId.is_in(locations))
        .filter(pos_sale_line::Column::Status.is_in([SaleStatus::Sale, SaleStatus::Refund]));
    if let Some((from, to)) = period {
        q = q
            .filter(pos_sale_line::Column::BusinessDate.gte(from))
            .filter(pos_sale_line::Column::BusinessDate.lte(to));
    }
    let rows: Vec<(String, i64, i64, i64, i64)> = q
        .group_by(pos_sale_line::Column::ExternalItemId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, ah, al, vh, vl)| (id, (join_sum(ah, al), join_sum(vh, vl))))
        .collect())
}

/// Which items a mapping list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemFilter {
    All,
    Unmapped,
    Mapped,
    Ignored,
}

/// The mapping page's list: filtered, searched (name or POS id), unmapped first, then by amount
/// sold and name.
pub async fn working_list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    integration_id: i64,
    filter: ItemFilter,
    search: Option<&str>,
    period: Option<(NaiveDate, NaiveDate)>,
) -> ServiceResult<Vec<ItemView>> {
    let needle = search
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty());
    let mut list: Vec<ItemView> = items(db, principal, integration_id, period)
        .await?
        .into_iter()
        .filter(|i| {
            let kind = i.mapping.as_ref().map(|m| m.target);
            match filter {
                ItemFilter::All => true,
                ItemFilter::Unmapped => kind.is_none(),
                ItemFilter::Mapped => matches!(
                    kind,
                    Some(MappingTarget::Ingredient | MappingTarget::Recipe)
                ),
                ItemFilter::Ignored => kind == Some(MappingTarget::Ignore),
            }
        })
        .filter(|i| {
            needle.as_ref().is_none_or(|n| {
                i.name.to_lowercase().contains(n) || i.external_id.to_lowercase().contains(n)
            })
        })
        .collect();
    list.sort_by(|a, b| {
        a.mapping
            .is_some()
            .cmp(&b.mapping.is_some())
            .then(b.amount_sold.cmp(&a.amount_sold))
            .then(a.name.cmp(&b.name))
    });
    Ok(list)
}

/// The unmapped items working list: items sold (in the period) with no mapping, most sold first.
pub async fn unmapped<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    integration_id: i64,
    period: Option<(NaiveDate, NaiveDate)>,
) -> ServiceResult<Vec<ItemView>> {
    let mut list: Vec<ItemView> = items(db, principal, integration_id, period)
        .await?
        .into_iter()
        .filter(|i| i.mapping.is_none() && !i.amount_sold.is_zero())
        .collect();
    list.sort_by(|a, b| b.amount_sold.cmp(&a.amount_sold).then(a.name.cmp(&b.name)));
    Ok(list)
}

/// Mapping health: the share of units sold and of revenue that is mapped (or ignored on
/// purpose), and the revenue still unmapped.
#[derive(Debug, Clone, Default)]
pub struct MappingHealth {
    pub items: i64,
    pub mapped_items: i64,
    pub ignored_items: i64,
    pub unmapped_items: i64,
    pub sold_mapped_percent: Option<Decimal>,
    pub revenue_mapped_percent: Option<Decimal>,
    pub unmapped_revenue: Decimal,
}

pub fn health(items: &[ItemView]) -> MappingHealth {
    let mut h = MappingHealth {
        items: items.len() as i64,
        ..Default::default()
    };
    let (mut sold, mut sold_mapped, mut revenue, mut revenue_mapped) =
        (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for item in items {
        sold += item.amount_sold;
        revenue += item.sales_value;
        match item.mapping.as_ref().map(|m| m.target) {
            Some(MappingTarget::Ignore) => {
                h.ignored_items += 1;
                sold_mapped += item.amount_sold;
                revenue_mapped += item.sales_value;
            }
            Some(_) => {
                h.mapped_items += 1;
                sold_mapped += item.amount_sold;
                revenue_mapped += item.sales_value;
            }
            None => {
                h.unmapped_items += 1;
                h.unmapped_revenue += item.sales_value;
            }
        }
    }
    let percent = |part: Decimal, whole: Decimal| {
        (!whole.is_zero()).then(|| (part * Decimal::ONE_HUNDRED / whole).round_dp(1))
    };
    h.sold_mapped_percent = percent(sold_mapped, sold);
    h.revenue_mapped_percent = percent(revenue_mapped, revenue);
    h
}

/// The most items one call maps at once (a page of the mapping list, with room to spare).
pub const MAX_ITEMS_AT_ONCE: usize = 1000;

/// Maps many items to one target, all or none: one write transaction, run again on a clash.
/// Returns how many were mapped.
pub async fn map_items<C: crate::db::Writer>(
    db: &C,
    principal: &Principal,
    integration_id: i64,
    external_ids: &[String],
    target: Option<Target>,
    quantity_factor: Decimal,
) -> ServiceResult<usize> {
    if external_ids.len() > MAX_ITEMS_AT_ONCE {
        return Err(ServiceError::validation(
            "externalIds",
            format!("at most {MAX_ITEMS_AT_ONCE} items at once"),
        ));
    }
    crate::db::retrying(|| async move {
        let txn = crate::db::begin_write(db).await?;
        for external_id in external_ids {
            map_item(
                &txn,
                principal,
                integration_id,
                external_id,
                target,
                quantity_factor,
            )
            .await?;
        }
        txn.commit().await?;
        Ok(external_ids.len())
    })
    .await
}

/// Maps (or re-maps) an item. Exactly one of ingredient, recipe or `ignore`; the target must be
/// of the integration's company; the factor must be above zero.
pub async fn map_item<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    integration_id: i64,
    external_id: &str,
    target: Option<Target>,
    quantity_factor: Decimal,
) -> ServiceResult<pos_mapping::Model> {
    let integration = integrations::get(db, principal, integration_id, Role::Manager).await?;
    let company_id = integration.company_id;
    let external_id = crate::validate::bounded("externalId", external_id.trim(), 200)?;
    if external_id.is_empty() {
        return Err(ServiceError::validation("externalId", "must not be empty"));
    }
    let Some(target) = target else {
        return Err(ServiceError::validation(
            "ingredientId",
            "choose an ingredient or a recipe (or ignore the item)",
        ));
    };
    let factor = to_micro(quantity_factor, "quantityFactor")?;
    if factor <= 0 && target != Target::Ignore {
        return Err(ServiceError::validation(
            "quantityFactor",
            "must be greater than zero",
        ));
    }
    let (kind, ingredient_id, recipe_id) = match target {
        Target::Ingredient(id) => {
            find_in_company::<ingredient::Entity, _>(
                db,
                company_id,
                id,
                "ingredient",
                "ingredientId",
            )
            .await?;
            (MappingTarget::Ingredient, Some(id), None)
        }
        Target::Recipe(id) => {
            find_in_company::<recipe::Entity, _>(db, company_id, id, "recipe", "recipeId").await?;
            (MappingTarget::Recipe, None, Some(id))
        }
        Target::Ignore => (MappingTarget::Ignore, None, None),
    };
    // An item mapped before it was ever seen (from a menu export, say) joins the cache.
    let known = pos_item::Entity::find()
        .filter(pos_item::Column::IntegrationId.eq(integration_id))
        .filter(pos_item::Column::ExternalId.eq(external_id))
        .one(db)
        .await?;
    if known.is_none() {
        remember_items(
            db,
            company_id,
            integration_id,
            &[(external_id.into(), external_id.into())],
        )
        .await?;
    }
    let existing = pos_mapping::Entity::find()
        .filter(pos_mapping::Column::IntegrationId.eq(integration_id))
        .filter(pos_mapping::Column::ExternalId.eq(external_id))
        .one(db)
        .await?;
    let mut model = match existing {
        Some(row) => row.into_active_model(),
        None => pos_mapping::ActiveModel {
            company_id: Set(company_id),
            integration_id: Set(integration_id),
            external_id: Set(external_id.into()),
            ..Default::default()
        },
    };
    model.target = Set(kind);
    model.ingredient_id = Set(ingredient_id);
    model.recipe_id = Set(recipe_id);
    model.quantity_factor_micro = Set(std::cmp::max(factor, 0));
    model.updated_by = Set(Some(principal.acting_user_id()));
    model.updated_at = Set(Utc::now());
    let saved = model.save(db).await?;
    Ok(sea_orm::TryIntoModel::try_into_model(saved)?)
}

/// Removes an item's mapping: its sales become unmapped again (a rerun takes their stock back).
pub async fn unmap_item<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    integration_id: i64,
    external_id: &str,
) -> ServiceResult<bool> {
    integrations::get(db, principal, integration_id, Role::Manager).await?;
    let res = pos_mapping::Entity::delete_many()
        .filter(pos_mapping::Column::IntegrationId.eq(integration_id))
        .filter(pos_mapping::Column::ExternalId.eq(external_id))
        .exec(db)
        .await?;
    Ok(res.rows_affected > 0)
}
