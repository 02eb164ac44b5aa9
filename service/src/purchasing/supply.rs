//! What purchasing reads about supply: the stock on order per pair, and each product's latest
//! price per pack.

use std::collections::HashMap;

use entity::purchase_order::OrderStatus;
use rust_decimal::Decimal;
use sea_orm::{ActiveEnum, ConnectionTrait, Statement};

use super::usage::Pair;
use crate::error::ServiceResult;
use crate::food_cost::current_cost::{CostBasis, current_costs};
use crate::quantity::from_micro;

/// Each ingredient's latest receipt unit cost (not a reversal, nor reversed).
pub async fn latest_receipt_costs<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
) -> ServiceResult<HashMap<i64, Decimal>> {
    current_costs(db, company_id, CostBasis::LatestReceipt).await
}

/// Base units on order per pair: the open packs (ordered − received) × packaging factor of the
/// SENT and PARTIAL orders for a storage unit. An order without a storage unit counts nowhere.
pub async fn on_order<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
    storage_unit_id: Option<i64>,
) -> ServiceResult<HashMap<Pair, Decimal>> {
    let in_unit = storage_unit_id
        .map(|u| format!(" AND o.storage_unit_id = {u}"))
        .unwrap_or_default();
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            format!(
                "SELECT p.ingredient_id, o.storage_unit_id, i.packs_micro, i.received_packs_micro, \
                 p.packaging_factor_micro FROM purchase_order_items i \
                 JOIN purchase_orders o ON o.id = i.order_id JOIN products p ON p.id = i.product_id \
                 WHERE o.company_id = {company_id} AND o.status IN ('{}', '{}') \
                 AND o.storage_unit_id IS NOT NULL{in_unit}",
                OrderStatus::Sent.to_value(),
                OrderStatus::Partial.to_value(),
            ),
        ))
        .await?;
    let mut open: HashMap<Pair, i128> = HashMap::new();
    for row in rows {
        let part = |k: usize| row.try_get_by_index::<i64>(k);
        let packs = (part(2)? - part(3)?).max(0) as i128;
        *open.entry((part(0)?, part(1)?)).or_default() += packs * part(4)? as i128 / 1_000_000;
    }
    Ok(open
        .into_iter()
        .map(|(pair, micro)| (pair, from_micro(micro)))
        .collect())
}

/// Each product's latest price per pack: from its latest order that was not cancelled, else
/// its ingredient's latest receipt unit cost (`receipt_costs`, from
/// [`latest_receipt_costs`]) × packaging factor. Products with neither are missing.
pub async fn pack_prices<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
    products: &[entity::product::Model],
    receipt_costs: &HashMap<i64, Decimal>,
) -> ServiceResult<HashMap<i64, Decimal>> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            format!(
                "SELECT product_id, price_per_pack_micro FROM purchase_order_items WHERE id IN \
                 (SELECT MAX(i.id) FROM purchase_order_items i JOIN purchase_orders o ON o.id = i.order_id \
                 WHERE i.company_id = {company_id} AND o.status <> '{}' GROUP BY i.product_id)",
                OrderStatus::Cancelled.to_value(),
            ),
        ))
        .await?;
    let mut ordered = HashMap::new();
    for row in rows {
        ordered.insert(
            row.try_get_by_index::<i64>(0)?,
            from_micro(row.try_get_by_index::<i64>(1)?),
        );
    }
    Ok(products
        .iter()
        .filter_map(|p| {
            let price = ordered.get(&p.id).copied().or_else(|| {
                receipt_costs
                    .get(&p.ingredient_id)
                    .map(|cost| (cost * from_micro(p.packaging_factor_micro)).round_dp(6))
            })?;
            Some((p.id, price))
        })
        .collect())
}
