//! Vendor orders over GraphQL.

use async_graphql::connection::{Connection, OpaqueCursor};
use async_graphql::{Context, Enum, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use service::orders;
use service::quantity::from_micro;
use service::records;

use super::context::{ContextExt, parse_id, parse_opt_id};
use super::errors::{GqlResult, internal};
use super::ledger::LedgerEntry;
use super::loaders::Loaders;
use super::paging::{PageArgs, TotalCount, paged};
use super::types::{Product, StorageUnit, Vendor, load_storage_unit};

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "service::orders::OrderStatus")]
pub enum OrderStatus {
    Draft,
    Sent,
    Partial,
    Received,
    Cancelled,
}

pub struct PurchaseOrder(pub records::PurchaseOrder);

#[Object]
impl PurchaseOrder {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn status(&self) -> OrderStatus {
        self.0.status.into()
    }
    async fn reference(&self) -> Option<&str> {
        self.0.reference.as_deref()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn sent_at(&self) -> Option<DateTime<Utc>> {
        self.0.sent_at
    }
    async fn vendor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Vendor>> {
        Ok(ctx
            .data_unchecked::<Loaders>()
            .vendors
            .load_one(self.0.vendor_id)
            .await
            .map_err(internal)?
            .map(Vendor))
    }
    async fn items(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<PurchaseOrderItem>> {
        Ok(orders::items(ctx.db(), self.0.id)
            .await
            .gql()?
            .into_iter()
            .map(PurchaseOrderItem)
            .collect())
    }
    /// The storage unit the delivery is for (the receive form starts from it).
    async fn storage_unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<StorageUnit>> {
        load_storage_unit(ctx, self.0.storage_unit_id).await
    }
    /// Σ packs × price per pack of its items.
    async fn total(&self, ctx: &Context<'_>) -> async_graphql::Result<Decimal> {
        Ok(orders::order_value(
            &orders::items(ctx.db(), self.0.id).await.gql()?,
        ))
    }
    /// Its total is below the vendor's minimum order value.
    async fn below_minimum_order_value(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let vendor = ctx
            .data_unchecked::<Loaders>()
            .vendors
            .load_one(self.0.vendor_id)
            .await
            .map_err(internal)?;
        let items = orders::items(ctx.db(), self.0.id).await.gql()?;
        Ok(vendor.is_some_and(|v| orders::below_minimum(&v, &items)))
    }
}

pub struct PurchaseOrderItem(pub records::PurchaseOrderItem);

#[Object]
impl PurchaseOrderItem {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn product(&self, ctx: &Context<'_>) -> async_graphql::Result<Product> {
        ctx.data_unchecked::<Loaders>()
            .products
            .load_one(self.0.product_id)
            .await
            .map_err(internal)?
            .map(Product)
            .ok_or_else(|| internal("product missing"))
    }
    async fn packs(&self) -> Decimal {
        from_micro(self.0.packs_micro)
    }
    async fn price_per_pack(&self) -> Decimal {
        from_micro(self.0.price_per_pack_micro)
    }
    async fn received_packs(&self) -> Decimal {
        from_micro(self.0.received_packs_micro)
    }
    async fn open_packs(&self) -> Decimal {
        from_micro(self.0.packs_micro - self.0.received_packs_micro)
    }
    /// How far (in percent) this price per base unit is from the ingredient's latest receipt,
    /// when that is at least the company's price alert; null otherwise.
    async fn price_change_percent(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Decimal>> {
        service::food_cost::prices::order_item_change(ctx.db(), &self.0)
            .await
            .gql()
    }
}

#[derive(InputObject)]
pub struct OrderItemInput {
    pub product_id: ID,
    pub packs: Decimal,
    pub price_per_pack: Decimal,
}

#[derive(InputObject)]
pub struct ReceiveLineInput {
    pub item_id: ID,
    pub packs: Decimal,
}

#[derive(Default)]
pub struct OrderQuery;

#[Object]
impl OrderQuery {
    async fn orders(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        status: Option<OrderStatus>,
    ) -> async_graphql::Result<Vec<PurchaseOrder>> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let rows = orders::list(
            ctx.db(),
            ctx.principal()?,
            company_id,
            status.map(Into::into),
        )
        .await
        .gql()?;
        Ok(rows.into_iter().map(PurchaseOrder).collect())
    }

    /// Orders a page at a time, newest first: by status, and text in the reference or the
    /// vendor's name.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "super::page_cost(first, last, 20, child_complexity)")]
    async fn order_connection(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        status: Option<OrderStatus>,
        search: Option<String>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<Connection<OpaqueCursor<i64>, PurchaseOrder, TotalCount>> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let filter = orders::OrderFilter {
            status: status.map(Into::into),
            search,
        };
        let (db, principal) = (ctx.db(), ctx.principal()?);
        let args = PageArgs {
            after,
            before,
            first,
            last,
        };
        paged(
            args,
            |request| async move {
                orders::page(db, principal, company_id, &filter, &request)
                    .await
                    .gql()
            },
            |row| row.id,
            PurchaseOrder,
        )
        .await
    }

    async fn order(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<PurchaseOrder> {
        let id = parse_id(&id, orders::ENTITY, "id")?;
        Ok(PurchaseOrder(
            orders::get(ctx.db(), ctx.principal()?, id).await.gql()?,
        ))
    }
}

#[derive(Default)]
pub struct OrderMutation;

#[Object]
impl OrderMutation {
    async fn create_order(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        vendor_id: ID,
        items: Vec<OrderItemInput>,
        reference: Option<String>,
        #[graphql(desc = "The storage unit the delivery is for; the receive form starts from it.")]
        storage_unit_id: Option<ID>,
    ) -> async_graphql::Result<PurchaseOrder> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let vendor_id = parse_id(&vendor_id, "vendor", "vendorId")?;
        let storage_unit_id = parse_opt_id(&storage_unit_id, "storage unit", "storageUnitId")?;
        let items = items
            .into_iter()
            .enumerate()
            .map(|(i, it)| {
                Ok(orders::OrderItemInput {
                    product_id: parse_id(
                        &it.product_id,
                        "product",
                        &format!("items[{i}].productId"),
                    )?,
                    packs: it.packs,
                    price_per_pack: it.price_per_pack,
                })
            })
            .collect::<async_graphql::Result<Vec<_>>>()?;
        Ok(PurchaseOrder(
            orders::create(
                ctx.db(),
                ctx.principal()?,
                company_id,
                orders::NewOrder {
                    vendor_id,
                    reference,
                    storage_unit_id,
                    items,
                },
            )
            .await
            .gql()?,
        ))
    }

    async fn send_order(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<PurchaseOrder> {
        let id = parse_id(&id, orders::ENTITY, "id")?;
        Ok(PurchaseOrder(
            orders::send(ctx.db(), ctx.principal()?, id).await.gql()?,
        ))
    }

    async fn cancel_order(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<PurchaseOrder> {
        let id = parse_id(&id, orders::ENTITY, "id")?;
        Ok(PurchaseOrder(
            orders::cancel(ctx.db(), ctx.principal()?, id).await.gql()?,
        ))
    }

    /// Receives the given lines (or everything still open) into a storage unit: one RECEIPT per
    /// item at price per pack ÷ packaging factor.
    async fn receive_order(
        &self,
        ctx: &Context<'_>,
        order_id: ID,
        storage_unit_id: ID,
        lines: Option<Vec<ReceiveLineInput>>,
        occurred_at: Option<DateTime<Utc>>,
    ) -> async_graphql::Result<Vec<LedgerEntry>> {
        let order_id = parse_id(&order_id, orders::ENTITY, "orderId")?;
        let storage = parse_id(&storage_unit_id, "storage unit", "storageUnitId")?;
        let lines = lines
            .map(|lines| {
                lines
                    .into_iter()
                    .enumerate()
                    .map(|(k, l)| {
                        Ok(orders::ReceiveLine {
                            item_id: parse_id(
                                &l.item_id,
                                "order item",
                                &format!("lines[{k}].itemId"),
                            )?,
                            packs: l.packs,
                        })
                    })
                    .collect::<async_graphql::Result<Vec<_>>>()
            })
            .transpose()?;
        let posted = orders::receive(
            ctx.db(),
            ctx.principal()?,
            order_id,
            storage,
            lines,
            occurred_at,
        )
        .await
        .gql()?;
        Ok(posted.into_iter().map(LedgerEntry).collect())
    }
}
