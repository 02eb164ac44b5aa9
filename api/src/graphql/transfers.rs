//! The transfer workflow over GraphQL: create (DRAFT), ship, receive (CLOSED), cancel.

use async_graphql::connection::{Connection, OpaqueCursor};
use async_graphql::{Context, Enum, ID, InputObject, Object};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use service::ingredients::QuantityUnit;
use service::quantity::from_micro;
use service::records;
use service::storage_units;
use service::transfers;

use super::context::{ContextExt, parse_id, parse_opt_id};
use super::errors::{GqlResult, internal};
use super::loaders::Loaders;
use super::paging::{PageArgs, TotalCount, paged};
use super::scalars::Unit;
use super::types::{Ingredient, StorageUnit};

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "service::transfers::TransferStatus")]
pub enum TransferStatus {
    Draft,
    Shipped,
    Closed,
    Cancelled,
}

pub struct Transfer(pub records::Transfer);

#[Object]
impl Transfer {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn status(&self) -> TransferStatus {
        self.0.status.into()
    }
    #[graphql(name = "fromStorageUnit")]
    async fn source_storage_unit(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<StorageUnit>> {
        Ok(ctx
            .data_unchecked::<Loaders>()
            .storage_units
            .load_one(self.0.from_storage_unit_id)
            .await
            .map_err(internal)?
            .map(StorageUnit))
    }
    async fn to_storage_unit(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<StorageUnit>> {
        Ok(ctx
            .data_unchecked::<Loaders>()
            .storage_units
            .load_one(self.0.to_storage_unit_id)
            .await
            .map_err(internal)?
            .map(StorageUnit))
    }
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn shipped_at(&self) -> Option<DateTime<Utc>> {
        self.0.shipped_at
    }
    async fn received_at(&self) -> Option<DateTime<Utc>> {
        self.0.received_at
    }
    async fn lines(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<TransferLine>> {
        Ok(transfers::lines(ctx.db(), self.0.id)
            .await
            .gql()?
            .into_iter()
            .map(TransferLine)
            .collect())
    }
}

pub struct TransferLine(pub records::TransferLine);

#[Object]
impl TransferLine {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn ingredient(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ingredient>> {
        Ok(ctx
            .data_unchecked::<Loaders>()
            .ingredients
            .load_one(self.0.ingredient_id)
            .await
            .map_err(internal)?
            .map(Ingredient))
    }
    /// In the ingredient's base unit.
    async fn quantity(&self) -> Decimal {
        from_micro(self.0.quantity_micro)
    }
    async fn lot_number(&self) -> Option<&str> {
        self.0.lot_number.as_deref()
    }
    async fn expiry_date(&self) -> Option<NaiveDate> {
        self.0.expiry_date.as_deref().and_then(|d| d.parse().ok())
    }
    async fn out_entry_id(&self) -> Option<ID> {
        self.0.out_entry_id.map(|i| ID(i.to_string()))
    }
    async fn in_entry_id(&self) -> Option<ID> {
        self.0.in_entry_id.map(|i| ID(i.to_string()))
    }
}

#[derive(InputObject)]
pub struct TransferLineInput {
    pub ingredient_id: ID,
    pub quantity: Decimal,
    pub unit: Option<Unit>,
    pub lot_number: Option<String>,
    pub expiry_date: Option<NaiveDate>,
}

#[derive(Default)]
pub struct TransferQuery;

#[Object]
impl TransferQuery {
    /// Transfers sent from or to the company; `status: SHIPPED` is what is in transit.
    async fn transfers(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        status: Option<TransferStatus>,
    ) -> async_graphql::Result<Vec<Transfer>> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let rows = transfers::list(
            ctx.db(),
            ctx.principal()?,
            company_id,
            status.map(Into::into),
        )
        .await
        .gql()?;
        Ok(rows.into_iter().map(Transfer).collect())
    }

    /// Transfers a page at a time, newest first: by status and by a storage unit they leave or
    /// arrive at.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "super::page_cost(first, last, 20, child_complexity)")]
    async fn transfer_connection(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        status: Option<TransferStatus>,
        storage_unit_id: Option<ID>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<Connection<OpaqueCursor<i64>, Transfer, TotalCount>> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let filter = transfers::TransferFilter {
            status: status.map(Into::into),
            storage_unit_id: parse_opt_id(
                &storage_unit_id,
                storage_units::ENTITY,
                "storageUnitId",
            )?,
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
                transfers::page(db, principal, company_id, &filter, &request)
                    .await
                    .gql()
            },
            |row| row.id,
            Transfer,
        )
        .await
    }

    async fn transfer(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Transfer> {
        let id = parse_id(&id, transfers::ENTITY, "id")?;
        Ok(Transfer(
            transfers::get(ctx.db(), ctx.principal()?, id).await.gql()?,
        ))
    }
}

#[derive(Default)]
pub struct TransferMutation;

#[Object]
impl TransferMutation {
    async fn create_transfer(
        &self,
        ctx: &Context<'_>,
        from_storage_unit_id: ID,
        to_storage_unit_id: ID,
        lines: Vec<TransferLineInput>,
        note: Option<String>,
    ) -> async_graphql::Result<Transfer> {
        let from = parse_id(&from_storage_unit_id, "storage unit", "fromStorageUnitId")?;
        let to = parse_id(&to_storage_unit_id, "storage unit", "toStorageUnitId")?;
        let lines = lines
            .into_iter()
            .enumerate()
            .map(|(i, l)| {
                Ok(transfers::TransferLineInput {
                    ingredient_id: parse_id(
                        &l.ingredient_id,
                        "ingredient",
                        &format!("lines[{i}].ingredientId"),
                    )?,
                    quantity: l.quantity,
                    unit: l.unit.map(|u| QuantityUnit::Unit(u.into())),
                    lot_number: l.lot_number,
                    expiry_date: l.expiry_date,
                })
            })
            .collect::<async_graphql::Result<Vec<_>>>()?;
        Ok(Transfer(
            transfers::create(ctx.db(), ctx.principal()?, from, to, lines, note)
                .await
                .gql()?,
        ))
    }

    /// Posts TRANSFER_OUT at the source's average cost; the stock is in transit.
    async fn ship_transfer(
        &self,
        ctx: &Context<'_>,
        id: ID,
        occurred_at: Option<DateTime<Utc>>,
    ) -> async_graphql::Result<Transfer> {
        let id = parse_id(&id, transfers::ENTITY, "id")?;
        Ok(Transfer(
            transfers::ship(ctx.db(), ctx.principal()?, id, occurred_at)
                .await
                .gql()?,
        ))
    }

    /// Posts TRANSFER_IN at the same cost in the target and closes the transfer.
    async fn receive_transfer(
        &self,
        ctx: &Context<'_>,
        id: ID,
        occurred_at: Option<DateTime<Utc>>,
    ) -> async_graphql::Result<Transfer> {
        let id = parse_id(&id, transfers::ENTITY, "id")?;
        Ok(Transfer(
            transfers::receive(ctx.db(), ctx.principal()?, id, occurred_at)
                .await
                .gql()?,
        ))
    }

    async fn cancel_transfer(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Transfer> {
        let id = parse_id(&id, transfers::ENTITY, "id")?;
        Ok(Transfer(
            transfers::cancel(ctx.db(), ctx.principal()?, id)
                .await
                .gql()?,
        ))
    }
}
