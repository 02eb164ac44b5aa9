//! Vendor orders: created with items (product, packs, price per pack), sent, and received fully
//! or partly into a storage unit. Receiving posts RECEIPT entries at price per pack ÷ packaging
//! factor (2 boxes of 10 KG → +20 KG); an item never receives more than was ordered, so no
//! delivery is posted twice.

use crate::db::Writer;
use std::collections::HashMap;

use chrono::{DateTime, Utc};
pub use entity::purchase_order::OrderStatus;
use entity::{product, purchase_order, purchase_order_item, storage_unit, vendor};
use rust_decimal::Decimal;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::access::{Principal, Role};
use crate::error::{ServiceError, ServiceResult};
use crate::ledger::posting::{self, NewEntry};
use crate::ledger::{SourceKind, TransactionType};
use crate::owned::{CompanyOwned, find_in_company};
use crate::paging::{Page, PageRequest, SortOrder, keyset_page};
use crate::quantity::{from_micro, positive_micro, to_micro};

impl CompanyOwned for purchase_order::Model {
    fn company_id(&self) -> i64 {
        self.company_id
    }
}

pub const ENTITY: &str = "order";

pub struct OrderItemInput {
    pub product_id: i64,
    pub packs: Decimal,
    pub price_per_pack: Decimal,
}

/// A new order: its vendor, items, a reference, and the storage unit it is for.
pub struct NewOrder {
    pub vendor_id: i64,
    pub reference: Option<String>,
    pub storage_unit_id: Option<i64>,
    pub items: Vec<OrderItemInput>,
}

/// An order checked against the company's vendors, products and storage units.
pub(crate) struct CheckedOrder {
    vendor_id: i64,
    reference: Option<String>,
    storage_unit_id: Option<i64>,
    items: Vec<CheckedItem>,
}

struct CheckedItem {
    product_id: i64,
    packs_micro: i64,
    price_per_pack_micro: i64,
}

pub async fn create<C: Writer>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    order: NewOrder,
) -> ServiceResult<purchase_order::Model> {
    principal.require(company_id, Role::Staff, "company")?;
    let checked = &check(db, company_id, order).await?;
    crate::db::retrying(|| async move {
        let txn = crate::db::begin_write(db).await?;
        let order = insert(&txn, principal, company_id, checked).await?;
        txn.commit().await?;
        Ok(order)
    })
    .await
}

/// Checks an order before anything is written: the vendor, each item's product (the vendor's)
/// and price, the storage unit.
pub(crate) async fn check<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
    order: NewOrder,
) -> ServiceResult<CheckedOrder> {
    let vendor_id = order.vendor_id;
    find_in_company::<vendor::Entity, _>(db, company_id, vendor_id, "vendor", "vendorId").await?;
    crate::storage_units::check_in_company(db, company_id, order.storage_unit_id).await?;
    if order.items.is_empty() {
        return Err(ServiceError::validation(
            "items",
            "an order needs at least one item",
        ));
    }
    let mut items = Vec::with_capacity(order.items.len());
    for (i, item) in order.items.iter().enumerate() {
        let p = find_in_company::<product::Entity, _>(
            db,
            company_id,
            item.product_id,
            "product",
            &format!("items[{i}].productId"),
        )
        .await?;
        if p.vendor_id != vendor_id {
            return Err(ServiceError::validation(
                format!("items[{i}].productId"),
                "this product is from another vendor",
            ));
        }
        if item.price_per_pack < Decimal::ZERO {
            return Err(ServiceError::validation(
                format!("items[{i}].pricePerPack"),
                "must not be negative",
            ));
        }
        items.push(CheckedItem {
            product_id: p.id,
            packs_micro: positive_micro(item.packs, &format!("items[{i}].packs"))?,
            price_per_pack_micro: to_micro(
                item.price_per_pack,
                &format!("items[{i}].pricePerPack"),
            )?,
        });
    }
    Ok(CheckedOrder {
        vendor_id,
        reference: crate::validate::optional("reference", order.reference.as_deref())?,
        storage_unit_id: order.storage_unit_id,
        items,
    })
}

/// Writes a checked order as a DRAFT with its items, in the caller's transaction.
pub(crate) async fn insert<C: ConnectionTrait>(
    txn: &C,
    principal: &Principal,
    company_id: i64,
    checked: &CheckedOrder,
) -> ServiceResult<purchase_order::Model> {
    let order = purchase_order::ActiveModel {
        company_id: Set(company_id),
        vendor_id: Set(checked.vendor_id),
        status: Set(OrderStatus::Draft),
        reference: Set(checked.reference.clone()),
        storage_unit_id: Set(checked.storage_unit_id),
        created_by: Set(Some(principal.acting_user_id())),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    for item in &checked.items {
        purchase_order_item::ActiveModel {
            company_id: Set(company_id),
            order_id: Set(order.id),
            product_id: Set(item.product_id),
            packs_micro: Set(item.packs_micro),
            price_per_pack_micro: Set(item.price_per_pack_micro),
            received_packs_micro: Set(0),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(order)
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
) -> ServiceResult<purchase_order::Model> {
    crate::owned::find_owned::<purchase_order::Entity, _>(db, principal, id, Role::Viewer, ENTITY)
        .await
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    status: Option<OrderStatus>,
) -> ServiceResult<Vec<purchase_order::Model>> {
    principal.require_read(company_id, "company")?;
    let mut q =
        purchase_order::Entity::find().filter(purchase_order::Column::CompanyId.eq(company_id));
    if let Some(s) = status {
        q = q.filter(purchase_order::Column::Status.eq(s));
    }
    Ok(q.order_by_desc(purchase_order::Column::Id).all(db).await?)
}

/// Which orders a list shows: a status, and text found in the reference or the vendor's name.
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    pub status: Option<OrderStatus>,
    pub search: Option<String>,
}

/// One page of a company's orders, newest first, by keyset on the id (stable while orders are
/// added).
pub async fn page<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    filter: &OrderFilter,
    request: &PageRequest<i64>,
) -> ServiceResult<Page<purchase_order::Model>> {
    use purchase_order::Column;
    principal.require_read(company_id, "company")?;
    let backend = db.get_database_backend();
    let mut query = purchase_order::Entity::find().filter(Column::CompanyId.eq(company_id));
    if let Some(status) = filter.status {
        query = query.filter(Column::Status.eq(status));
    }
    if let Some(term) = crate::validate::search_term(filter.search.as_deref())? {
        let vendors = sea_orm::sea_query::Query::select()
            .column(vendor::Column::Id)
            .from(vendor::Entity)
            .and_where(vendor::Column::CompanyId.eq(company_id))
            .and_where(crate::owned::name_matches(
                backend,
                (vendor::Entity, vendor::Column::Name),
                &term,
            ))
            .to_owned();
        query = query.filter(
            sea_orm::Condition::any()
                .add(crate::owned::name_matches(
                    backend,
                    (purchase_order::Entity, Column::Reference),
                    &term,
                ))
                .add(Column::VendorId.in_subquery(vendors)),
        );
    }
    let total = sea_orm::PaginatorTrait::count(query.clone(), db).await?;
    let order = SortOrder::descending(vec![Column::Id]);
    Ok(keyset_page(db, query, &order, request, total).await?)
}

pub async fn items<C: ConnectionTrait>(
    db: &C,
    order_id: i64,
) -> ServiceResult<Vec<purchase_order_item::Model>> {
    Ok(purchase_order_item::Entity::find()
        .filter(purchase_order_item::Column::OrderId.eq(order_id))
        .order_by_asc(purchase_order_item::Column::Id)
        .all(db)
        .await?)
}

/// An order's value: Σ packs × price per pack of its items.
pub fn order_value(items: &[purchase_order_item::Model]) -> Decimal {
    items
        .iter()
        .map(|i| from_micro(i.packs_micro) * from_micro(i.price_per_pack_micro))
        .sum()
}

/// The order is worth less than the vendor's minimum order value (DESIGN.md, "Purchasing").
pub fn below_minimum(vendor: &vendor::Model, items: &[purchase_order_item::Model]) -> bool {
    vendor
        .minimum_order_value_micro
        .is_some_and(|minimum| order_value(items) < from_micro(minimum))
}

/// DRAFT → SENT.
pub async fn send<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
) -> ServiceResult<purchase_order::Model> {
    let order = crate::owned::find_owned::<purchase_order::Entity, _>(
        db,
        principal,
        id,
        Role::Staff,
        ENTITY,
    )
    .await?;
    if order.status != OrderStatus::Draft {
        return Err(ServiceError::conflict(
            "id",
            format!("only a draft can be sent; this order is {}", order.status),
        ));
    }
    set_status_from(db, principal, id, &[OrderStatus::Draft], OrderStatus::Sent).await
}

pub async fn cancel<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
) -> ServiceResult<purchase_order::Model> {
    let order = crate::owned::find_owned::<purchase_order::Entity, _>(
        db,
        principal,
        id,
        Role::Manager,
        ENTITY,
    )
    .await?;
    if !matches!(order.status, OrderStatus::Draft | OrderStatus::Sent) {
        return Err(ServiceError::conflict(
            "id",
            format!("an order that is {} cannot be cancelled", order.status),
        ));
    }
    set_status_from(
        db,
        principal,
        id,
        &[OrderStatus::Draft, OrderStatus::Sent],
        OrderStatus::Cancelled,
    )
    .await
}

/// Moves an order to `to` only if it is still in one of `from` when the update runs: a
/// delivery received since the caller looked must not be overwritten by a cancellation.
async fn set_status_from<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
    from: &[OrderStatus],
    to: OrderStatus,
) -> ServiceResult<purchase_order::Model> {
    let mut update = purchase_order::Entity::update_many()
        .col_expr(purchase_order::Column::Status, Expr::value(to))
        .filter(purchase_order::Column::Id.eq(id))
        .filter(purchase_order::Column::Status.is_in(from.iter().copied()));
    if to == OrderStatus::Sent {
        update = update.col_expr(
            purchase_order::Column::SentAt,
            Expr::value(Some(Utc::now())),
        );
    }
    let changed = update.exec(db).await?;
    let order = crate::owned::find_owned::<purchase_order::Entity, _>(
        db,
        principal,
        id,
        Role::Staff,
        ENTITY,
    )
    .await?;
    if changed.rows_affected == 0 {
        return Err(ServiceError::conflict(
            "id",
            format!(
                "this order is {} now and cannot become {}",
                order.status, to
            ),
        ));
    }
    Ok(order)
}

/// Counts `received` packs (by item id) as received on the order's `items`; the order becomes
/// RECEIVED when nothing is left open, else PARTIAL (a cancelled order keeps its status).
pub async fn count_received<C: ConnectionTrait>(
    db: &C,
    order: &purchase_order::Model,
    items: &[purchase_order_item::Model],
    received: &HashMap<i64, i64>,
) -> ServiceResult<()> {
    let mut all_done = true;
    for item in items {
        let extra = received.get(&item.id).copied().unwrap_or(0);
        if extra > 0 {
            let mut active: purchase_order_item::ActiveModel = item.clone().into();
            active.received_packs_micro = Set(item.received_packs_micro + extra);
            active.update(db).await?;
        }
        if item.received_packs_micro + extra < item.packs_micro {
            all_done = false;
        }
    }
    if order.status != OrderStatus::Cancelled {
        let mut active: purchase_order::ActiveModel = order.clone().into();
        active.status = Set(if all_done {
            OrderStatus::Received
        } else {
            OrderStatus::Partial
        });
        active.update(db).await?;
    }
    Ok(())
}

pub struct ReceiveLine {
    pub item_id: i64,
    pub packs: Decimal,
}

/// Receives items of an order into a storage unit: the lines given, or everything still open.
/// One transaction: the RECEIPT entries and the received counts are written together.
pub async fn receive<C: Writer>(
    db: &C,
    principal: &Principal,
    order_id: i64,
    storage_unit_id: i64,
    lines: Option<Vec<ReceiveLine>>,
    occurred_at: Option<DateTime<Utc>>,
) -> ServiceResult<Vec<entity::ledger_entry::Model>> {
    let order = crate::owned::find_owned::<purchase_order::Entity, _>(
        db,
        principal,
        order_id,
        Role::Staff,
        ENTITY,
    )
    .await?;
    find_in_company::<storage_unit::Entity, _>(
        db,
        order.company_id,
        storage_unit_id,
        "storage unit",
        "storageUnitId",
    )
    .await?;
    let at = crate::ledger::entry_time(occurred_at, "occurredAt")?;
    let lines = &lines;
    crate::db::retrying(|| async move {
        let txn = crate::db::begin_write(db).await?;
        // Read inside the write transaction: a second click waits, then finds nothing left.
        let order = purchase_order::Entity::find_by_id(order_id)
            .lock_exclusive()
            .one(&txn)
            .await?
            .ok_or_else(|| ServiceError::not_found(ENTITY))?;
        if matches!(order.status, OrderStatus::Cancelled | OrderStatus::Received) {
            return Err(ServiceError::conflict(
                "orderId",
                format!("this order is {}: nothing is left to receive", order.status),
            ));
        }
        let items = items(&txn, order_id).await?;
        let wanted: Vec<(purchase_order_item::Model, i64, String)> = match lines {
            None => items
                .iter()
                .filter(|i| i.received_packs_micro < i.packs_micro)
                .map(|i| {
                    (
                        i.clone(),
                        i.packs_micro - i.received_packs_micro,
                        "lines".to_string(),
                    )
                })
                .collect(),
            Some(lines) => {
                let mut out = Vec::new();
                let mut first_line_of: HashMap<i64, usize> = HashMap::new();
                for (k, line) in lines.iter().enumerate() {
                    let item = items.iter().find(|i| i.id == line.item_id).ok_or_else(|| {
                        ServiceError::not_found_at("order item", format!("lines[{k}].itemId"))
                    })?;
                    // One line per item: the open quantity is checked per line, so two lines of one
                    // item could together take more than is open.
                    if let Some(earlier) = first_line_of.insert(item.id, k) {
                        return Err(ServiceError::validation(
                            format!("lines[{k}].itemId"),
                            format!(
                                "this item is already on line {}: receive it on one line",
                                earlier + 1
                            ),
                        ));
                    }
                    let packs = positive_micro(line.packs, &format!("lines[{k}].packs"))?;
                    out.push((item.clone(), packs, format!("lines[{k}].packs")));
                }
                out
            }
        };
        if wanted.is_empty() {
            return Err(ServiceError::conflict(
                "orderId",
                "everything on this order was already received",
            ));
        }
        let mut entries = Vec::with_capacity(wanted.len());
        let mut received = Vec::with_capacity(wanted.len());
        for (item, packs, field) in wanted {
            let open = item.packs_micro - item.received_packs_micro;
            if packs > open {
                return Err(ServiceError::conflict(
                    field,
                    format!(
                        "only {} of {} packs are still open on this item",
                        from_micro(open),
                        from_micro(item.packs_micro)
                    ),
                ));
            }
            let product = product::Entity::find_by_id(item.product_id)
                .one(&txn)
                .await?
                .ok_or_else(|| ServiceError::not_found("product"))?;
            // Base units: packs × packaging factor; cost per base unit: price per pack ÷ factor.
            let quantity =
                (from_micro(packs) * from_micro(product.packaging_factor_micro)).round_dp(6);
            let unit_cost = (from_micro(item.price_per_pack_micro)
                / from_micro(product.packaging_factor_micro))
            .round_dp(6);
            let mut e = NewEntry::new(
                order.company_id,
                product.ingredient_id,
                storage_unit_id,
                TransactionType::Receipt,
                to_micro(quantity, "packs")?,
                at.micros,
            );
            e.at_posting = at.at_posting;
            e.input_cost_micro = Some(to_micro(unit_cost, "pricePerPack")?);
            e.source_kind = SourceKind::OrderItem;
            e.source_id = Some(item.id.to_string());
            e.note = Some(format!(
                "{} × {} ({})",
                from_micro(packs),
                product.pack_name,
                product.name
            ));
            e.created_by = Some(principal.acting_user_id());
            entries.push(e);
            received.push((item, packs));
        }
        let posted = posting::post(&txn, entries).await?;
        let mut by_item: HashMap<i64, i64> = HashMap::new();
        for (item, packs) in &received {
            *by_item.entry(item.id).or_default() += packs;
        }
        count_received(&txn, &order, &items, &by_item).await?;
        txn.commit().await?;
        Ok(posted)
    })
    .await
}
