//! Price changes (DESIGN.md, "Food cost"): a receipt whose unit cost moved by at least the
//! company's alert percentage from the ingredient's previous receipt, with where it came from
//! and what it does to each recipe's cost per portion.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use entity::{invoice, invoice_line, purchase_order, purchase_order_item};
use rust_decimal::Decimal;
use sea_orm::{ActiveEnum, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Statement};

use super::current_cost::{CostBasis, current_costs, priced_inflow, ratio};
use super::recipe_cost::cost_of;
use crate::access::Principal;
use crate::error::ServiceResult;
use crate::ledger::{SourceKind, TransactionType, from_micros, to_micros};
use crate::quantity::from_micro;
use crate::recipes::RecipeBook;

/// The most changes one list holds (newest first).
pub const MAX_CHANGES: usize = 500;

/// What a price change does to one recipe's cost per portion (LATEST_RECEIPT basis).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipeCostChange {
    pub recipe_id: i64,
    pub before: Decimal,
    pub after: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceChange {
    pub entry_id: i64,
    pub ingredient_id: i64,
    pub product_id: Option<i64>,
    pub vendor_id: Option<i64>,
    pub previous_unit_cost: Decimal,
    pub unit_cost: Decimal,
    /// (new − previous) ÷ previous × 100.
    pub change_percent: Decimal,
    pub occurred_at: DateTime<Utc>,
    pub recipes: Vec<RecipeCostChange>,
}

/// A receipt and the unit cost of the receipt of the same ingredient before it.
struct Receipt {
    entry_id: i64,
    ingredient_id: i64,
    unit_cost: i64,
    previous: Option<i64>,
    occurred_at: i64,
    order_item: Option<i64>,
    invoice_line: Option<i64>,
}

/// The price changes of a period (from, to], newest first; the last 30 days by default.
pub async fn price_changes<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> ServiceResult<Vec<PriceChange>> {
    let company = crate::companies::get(db, principal, company_id).await?;
    let (from, to) = super::period::or_recent(from, to)?;
    let alert = from_micro(company.price_alert_percent_micro);
    let changed: Vec<Receipt> = receipts(db, company_id, to_micros(from), to_micros(to))
        .await?
        .into_iter()
        .filter(|r| match r.previous {
            // A move from nothing is not a percentage.
            Some(previous) if previous > 0 => {
                let moved = (r.unit_cost as i128 - previous as i128).abs() * 100;
                from_micro(moved) >= alert * from_micro(previous)
            }
            _ => false,
        })
        .take(MAX_CHANGES)
        .collect();
    if changed.is_empty() {
        return Ok(Vec::new());
    }
    let origins = order_origins(db, &changed).await?;
    let invoiced = invoice_origins(db, &changed).await?;
    let book = RecipeBook::load(db, company_id).await?;
    let latest = current_costs(db, company_id, CostBasis::LatestReceipt).await?;
    let uses = recipe_uses(&book)?;
    let mut out = Vec::with_capacity(changed.len());
    for r in changed {
        let previous = r.previous.unwrap_or_default();
        let (before, after) = (from_micro(previous), from_micro(r.unit_cost));
        let mut recipes = Vec::new();
        for recipe in uses.get(&r.ingredient_id).into_iter().flatten() {
            let mut costs = latest.clone();
            costs.insert(r.ingredient_id, before);
            let was = cost_of(&book, &costs, *recipe)?.per_portion;
            costs.insert(r.ingredient_id, after);
            let is = cost_of(&book, &costs, *recipe)?.per_portion;
            recipes.push(RecipeCostChange {
                recipe_id: *recipe,
                before: was,
                after: is,
            });
        }
        let origin = r
            .order_item
            .and_then(|item| origins.get(&item))
            .or_else(|| r.invoice_line.and_then(|line| invoiced.get(&line)));
        out.push(PriceChange {
            entry_id: r.entry_id,
            ingredient_id: r.ingredient_id,
            product_id: origin.map(|o| o.0),
            vendor_id: origin.map(|o| o.1),
            previous_unit_cost: before,
            unit_cost: after,
            change_percent: ratio((after - before) * Decimal::ONE_HUNDRED, before),
            occurred_at: from_micros(r.occurred_at),
            recipes,
        });
    }
    Ok(out)
}

/// The period's receipts (stock in at a price; not reversals, nor reversed), newest first, each
/// with the unit cost of the same ingredient's receipt before it: one query, one indexed lookup
/// per receipt.
async fn receipts<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
    f: i64,
    t: i64,
) -> ServiceResult<Vec<Receipt>> {
    let order_item = SourceKind::OrderItem.to_value();
    let invoice_line = SourceKind::InvoiceLine.to_value();
    let backend = db.get_database_backend();
    let counted = |alias: &str| priced_inflow(backend, alias, &[TransactionType::Receipt]);
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            format!(
                "SELECT e.id, e.ingredient_id, e.unit_cost_micro, e.occurred_at, \
                 CASE WHEN e.source_kind = '{order_item}' THEN e.source_id END, \
                 CASE WHEN e.source_kind = '{invoice_line}' THEN e.source_id END, \
                 (SELECT p.unit_cost_micro FROM ledger_entries p WHERE p.ingredient_id = e.ingredient_id \
                    AND {} AND (p.occurred_at < e.occurred_at OR (p.occurred_at = e.occurred_at AND p.id < e.id)) \
                    ORDER BY p.occurred_at DESC, p.id DESC LIMIT 1) \
                 FROM ledger_entries e WHERE e.company_id = {company_id} AND {} \
                 AND e.occurred_at > {f} AND e.occurred_at <= {t} \
                 ORDER BY e.occurred_at DESC, e.id DESC",
                counted("p"),
                counted("e"),
            ),
        ))
        .await?;
    rows.into_iter()
        .map(|row| {
            Ok(Receipt {
                entry_id: row.try_get_by_index(0)?,
                ingredient_id: row.try_get_by_index(1)?,
                unit_cost: row.try_get_by_index(2)?,
                occurred_at: row.try_get_by_index(3)?,
                order_item: row
                    .try_get_by_index::<Option<String>>(4)?
                    .and_then(|id| id.parse().ok()),
                invoice_line: row
                    .try_get_by_index::<Option<String>>(5)?
                    .and_then(|id| id.parse().ok()),
                previous: row.try_get_by_index(6)?,
            })
        })
        .collect()
}

/// (product, vendor) of the order items the receipts came from.
async fn order_origins<C: ConnectionTrait>(
    db: &C,
    receipts: &[Receipt],
) -> ServiceResult<HashMap<i64, (i64, i64)>> {
    let items: HashSet<i64> = receipts.iter().filter_map(|r| r.order_item).collect();
    let items = purchase_order_item::Entity::find()
        .filter(purchase_order_item::Column::Id.is_in(items))
        .all(db)
        .await?;
    let vendors: HashMap<i64, i64> = purchase_order::Entity::find()
        .filter(purchase_order::Column::Id.is_in(items.iter().map(|i| i.order_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.vendor_id))
        .collect();
    Ok(items
        .into_iter()
        .filter_map(|i| Some((i.id, (i.product_id, *vendors.get(&i.order_id)?))))
        .collect())
}

/// (product, vendor) of the invoice lines the receipts came from.
async fn invoice_origins<C: ConnectionTrait>(
    db: &C,
    receipts: &[Receipt],
) -> ServiceResult<HashMap<i64, (i64, i64)>> {
    let lines: HashSet<i64> = receipts.iter().filter_map(|r| r.invoice_line).collect();
    if lines.is_empty() {
        return Ok(HashMap::new());
    }
    let lines = invoice_line::Entity::find()
        .filter(invoice_line::Column::Id.is_in(lines))
        .all(db)
        .await?;
    let vendors: HashMap<i64, Option<i64>> = invoice::Entity::find()
        .filter(invoice::Column::Id.is_in(lines.iter().map(|l| l.invoice_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, i.vendor_id))
        .collect();
    Ok(lines
        .into_iter()
        .filter_map(|l| Some((l.id, (l.product_id?, (*vendors.get(&l.invoice_id)?)?))))
        .collect())
}

/// Which current recipes use each ingredient, sub-recipes expanded.
fn recipe_uses(book: &RecipeBook) -> ServiceResult<HashMap<i64, Vec<i64>>> {
    let mut uses: HashMap<i64, Vec<i64>> = HashMap::new();
    for recipe in book.current_recipe_ids() {
        let ingredients: HashSet<i64> = book
            .expand(recipe)?
            .into_iter()
            .map(|l| l.ingredient_id)
            .collect();
        for ingredient in ingredients {
            uses.entry(ingredient).or_default().push(recipe);
        }
    }
    for recipes in uses.values_mut() {
        recipes.sort_unstable();
    }
    Ok(uses)
}

/// How far an order item's price (per base unit: price per pack ÷ packaging factor) moves from
/// the ingredient's latest receipt, in percent, when it moves at least the company's alert
/// percentage: what the receive form shows before the delivery is posted.
pub async fn order_item_change<C: ConnectionTrait>(
    db: &C,
    item: &purchase_order_item::Model,
) -> ServiceResult<Option<Decimal>> {
    let Some(product) = entity::product::Entity::find_by_id(item.product_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(company) = entity::company::Entity::find_by_id(item.company_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if product.packaging_factor_micro <= 0 {
        return Ok(None);
    }
    let unit_cost =
        from_micro(item.price_per_pack_micro) / from_micro(product.packaging_factor_micro);
    let latest = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!(
                "SELECT e.unit_cost_micro FROM ledger_entries e WHERE e.ingredient_id = {} AND {} \
                 ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1",
                product.ingredient_id,
                priced_inflow(db.get_database_backend(), "e", &[TransactionType::Receipt]),
            ),
        ))
        .await?;
    let Some(previous) = latest
        .map(|row| row.try_get_by_index::<i64>(0))
        .transpose()?
        .filter(|p| *p > 0)
        .map(from_micro)
    else {
        return Ok(None);
    };
    let change = ratio((unit_cost - previous) * Decimal::ONE_HUNDRED, previous);
    Ok((change.abs() >= from_micro(company.price_alert_percent_micro)).then_some(change))
}
