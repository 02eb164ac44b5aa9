//! Orders from suggestions: the accepted lines become one DRAFT order per vendor and storage
//! unit, each item at its product's latest price per pack (else 0), for review and sending.

use chrono::{DateTime, Utc};
use entity::{product, purchase_order, storage_unit};
use rust_decimal::Decimal;

use super::supply::{latest_receipt_costs, pack_prices};
use crate::access::{Principal, Role};
use crate::db::Writer;
use crate::error::{ServiceError, ServiceResult};
use crate::orders::{self, NewOrder, OrderItemInput};
use crate::owned::find_in_company;
use crate::quantity::positive_micro;

/// The most lines one call turns into orders.
pub const MAX_LINES: usize = 1000;

/// An accepted suggestion: packs of a product for a storage unit.
#[derive(Debug, Clone)]
pub struct AcceptedLine {
    pub product_id: i64,
    pub packs: Decimal,
    pub storage_unit_id: i64,
}

/// One draft in the making: a vendor and a storage unit, each product once.
struct DraftGroup {
    vendor_id: i64,
    storage_unit_id: i64,
    items: Vec<DraftItem>,
}

struct DraftItem {
    product: product::Model,
    packs: Decimal,
}

/// The drafts, in the order their vendors first appear in `lines`; all or none are created.
pub async fn create_orders_from_suggestions<C: Writer>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    lines: Vec<AcceptedLine>,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<purchase_order::Model>> {
    principal.require(company_id, Role::Staff, "company")?;
    let company = crate::companies::get(db, principal, company_id).await?;
    if lines.is_empty() || lines.len() > MAX_LINES {
        return Err(ServiceError::validation(
            "lines",
            format!("accept 1 to {MAX_LINES} lines at a time"),
        ));
    }
    let mut groups: Vec<DraftGroup> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let product = find_in_company::<product::Entity, _>(
            db,
            company_id,
            line.product_id,
            "product",
            &format!("lines[{i}].productId"),
        )
        .await?;
        find_in_company::<storage_unit::Entity, _>(
            db,
            company_id,
            line.storage_unit_id,
            "storage unit",
            &format!("lines[{i}].storageUnitId"),
        )
        .await?;
        positive_micro(line.packs, &format!("lines[{i}].packs"))?;
        let (vendor_id, storage_unit_id) = (product.vendor_id, line.storage_unit_id);
        let at = groups
            .iter()
            .position(|g| g.vendor_id == vendor_id && g.storage_unit_id == storage_unit_id)
            .unwrap_or_else(|| {
                groups.push(DraftGroup {
                    vendor_id,
                    storage_unit_id,
                    items: Vec::new(),
                });
                groups.len() - 1
            });
        let items = &mut groups[at].items;
        match items.iter_mut().find(|i| i.product.id == product.id) {
            Some(item) => item.packs += line.packs,
            None => items.push(DraftItem {
                product,
                packs: line.packs,
            }),
        }
    }
    let products: Vec<product::Model> = groups
        .iter()
        .flat_map(|g| g.items.iter().map(|i| i.product.clone()))
        .collect();
    let receipt_costs = latest_receipt_costs(db, company_id).await?;
    let prices = pack_prices(db, company_id, &products, &receipt_costs).await?;
    let reference = format!(
        "Reorder {}",
        crate::business_days::business_date_of(&company, now)
    );
    let mut checked = Vec::with_capacity(groups.len());
    for group in groups {
        let order = NewOrder {
            vendor_id: group.vendor_id,
            reference: Some(reference.clone()),
            storage_unit_id: Some(group.storage_unit_id),
            items: group
                .items
                .into_iter()
                .map(|i| OrderItemInput {
                    product_id: i.product.id,
                    packs: i.packs,
                    price_per_pack: prices.get(&i.product.id).copied().unwrap_or_default(),
                })
                .collect(),
        };
        checked.push(orders::check(db, company_id, order).await?);
    }
    let checked = &checked;
    crate::db::retrying(|| async move {
        let txn = crate::db::begin_write(db).await?;
        let mut created = Vec::with_capacity(checked.len());
        for order in checked {
            created.push(orders::insert(&txn, principal, company_id, order).await?);
        }
        txn.commit().await?;
        Ok(created)
    })
    .await
}
