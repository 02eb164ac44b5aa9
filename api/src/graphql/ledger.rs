//! The ledger's GraphQL face: entries, their sources, summaries, stock levels and value.

use async_graphql::connection::{Connection, OpaqueCursor};
use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use service::ledger::{self, SourceKind, from_micros, reading};
use service::movements;
use service::quantity::from_micro;
use service::records;

use super::context::{ContextExt, parse_id, parse_opt_id};
use super::errors::{GqlResult, internal};
use super::loaders::Loaders;
use super::paging::{PageArgs, TotalCount, paged};
use super::types::{Ingredient, StorageUnit};

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "service::ledger::TransactionType")]
pub enum TransactionType {
    Receipt,
    Issue,
    Waste,
    TransferOut,
    TransferIn,
    Adjust,
}

/// The ingredient a row names; rows only name their own company's ingredients.
async fn ingredient_of(ctx: &Context<'_>, id: i64) -> async_graphql::Result<Ingredient> {
    let row = ctx
        .data_unchecked::<Loaders>()
        .ingredients
        .load_one(id)
        .await
        .map_err(internal)?;
    row.map(Ingredient)
        .ok_or_else(|| internal("ingredient missing"))
}

async fn storage_unit_of(ctx: &Context<'_>, id: i64) -> async_graphql::Result<StorageUnit> {
    let row = ctx
        .data_unchecked::<Loaders>()
        .storage_units
        .load_one(id)
        .await
        .map_err(internal)?;
    row.map(StorageUnit)
        .ok_or_else(|| internal("storage unit missing"))
}

pub struct LedgerEntry(pub records::LedgerEntry);

#[Object]
impl LedgerEntry {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn ingredient(&self, ctx: &Context<'_>) -> async_graphql::Result<Ingredient> {
        ingredient_of(ctx, self.0.ingredient_id).await
    }
    async fn storage_unit(&self, ctx: &Context<'_>) -> async_graphql::Result<StorageUnit> {
        storage_unit_of(ctx, self.0.storage_unit_id).await
    }
    async fn transaction_type(&self) -> TransactionType {
        self.0.transaction_type.into()
    }
    /// Signed, in the ingredient's base unit.
    async fn quantity(&self) -> Decimal {
        from_micro(self.0.quantity_micro)
    }
    /// Per base unit, in the company's currency.
    async fn unit_cost(&self) -> Option<Decimal> {
        self.0.unit_cost_micro.map(from_micro)
    }
    /// quantity × unit cost.
    async fn value(&self) -> Option<Decimal> {
        Some(from_micro(self.0.value_micro))
    }
    async fn occurred_at(&self) -> DateTime<Utc> {
        from_micros(self.0.occurred_at)
    }
    async fn posted_at(&self) -> DateTime<Utc> {
        from_micros(self.0.posted_at)
    }
    /// Running balance of (ingredient, storage unit) after this entry.
    async fn balance_after(&self) -> Decimal {
        from_micro(self.0.balance_after_micro)
    }
    /// Weighted average cost of the pair after this entry.
    async fn average_cost_after(&self) -> Option<Decimal> {
        self.0.average_cost_after_micro.map(from_micro)
    }
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    async fn reversal_of(&self) -> Option<ID> {
        self.0.reversal_of.map(|id| ID(id.to_string()))
    }
    /// For a TRANSFER_IN, the TRANSFER_OUT it received.
    async fn paired_entry_id(&self) -> Option<ID> {
        self.0.paired_entry_id.map(|id| ID(id.to_string()))
    }
    async fn source(&self) -> LedgerSource {
        LedgerSource(self.0.clone())
    }
}

/// Where an entry came from: DIRECT_RECEIPT, ORDER_ITEM (id: the order item), MANUAL_ISSUE,
/// WASTE, TRANSFER, TRANSFER_LINE (id: the transfer line), STOCK_COUNT (id: the count),
/// REVERSAL (id: the reversed entry), POS_SALE…
pub struct LedgerSource(records::LedgerEntry);

#[Object]
impl LedgerSource {
    /// What the entry came from: MANUAL, DIRECT_RECEIPT, MANUAL_ISSUE, WASTE, ORDER_ITEM,
    /// TRANSFER_LINE, TRANSFER, STOCK_COUNT, REVERSAL, POS_SALE or INVOICE_LINE.
    async fn kind(&self) -> String {
        self.0.source_kind.code()
    }
    async fn id(&self) -> Option<ID> {
        self.0.source_id.clone().map(ID)
    }
    async fn pos_sale(&self) -> Option<PosSaleData> {
        let e = &self.0;
        e.pos_item_name.clone().map(|item_name| PosSaleData {
            item_name,
            amount_sold: from_micro(e.pos_amount_sold_micro.unwrap_or(0)),
            sales_value: e.pos_sales_value_micro.map(from_micro),
            article_id: e.pos_article_id.clone(),
            transaction_id: e.pos_transaction_id.clone(),
            receipt_number: e.pos_receipt_number.clone(),
            sold_at: e.pos_sold_at.map(from_micros),
        })
    }
    /// The record behind the entry, in one line for people.
    async fn description(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        Ok(service::ledger::sources::describe(ctx.db(), &self.0)
            .await
            .gql()?
            .description)
    }
    async fn order_id(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ID>> {
        Ok(service::ledger::sources::describe(ctx.db(), &self.0)
            .await
            .gql()?
            .order_id
            .map(|i| ID(i.to_string())))
    }
    async fn transfer_id(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ID>> {
        Ok(service::ledger::sources::describe(ctx.db(), &self.0)
            .await
            .gql()?
            .transfer_id
            .map(|i| ID(i.to_string())))
    }
    /// The e-invoice an INVOICE_LINE entry was posted from.
    async fn invoice_id(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ID>> {
        if self.0.source_kind != SourceKind::InvoiceLine {
            return Ok(None);
        }
        Ok(service::ledger::sources::describe(ctx.db(), &self.0)
            .await
            .gql()?
            .invoice_id
            .map(|i| ID(i.to_string())))
    }
    async fn stock_count_id(&self) -> Option<ID> {
        (self.0.source_kind == SourceKind::StockCount)
            .then(|| self.0.source_id.clone().map(ID))
            .flatten()
    }
}

/// The stock's value when a business day ended.
#[derive(SimpleObject)]
pub struct StockValuePoint {
    pub date: chrono::NaiveDate,
    pub value: Decimal,
}

#[derive(SimpleObject)]
pub struct PosSaleData {
    pub item_name: String,
    pub amount_sold: Decimal,
    pub sales_value: Option<Decimal>,
    pub article_id: Option<String>,
    pub transaction_id: Option<String>,
    pub receipt_number: Option<String>,
    pub sold_at: Option<DateTime<Utc>>,
}

#[derive(SimpleObject)]
pub struct LedgerSummary {
    pub current_balance: Decimal,
    pub total_receipts: Decimal,
    pub total_issues: Decimal,
    pub total_entries: i64,
    pub average_cost: Option<Decimal>,
    pub value: Decimal,
    /// Percent change of receipts in the last 7 days against the 7 days before (null: none then).
    pub receipts_week_over_week: Option<Decimal>,
    /// Percent change of issues in the last 7 days against the 7 days before (null: none then).
    pub issues_week_over_week: Option<Decimal>,
}

/// What the stock is worth: each balance at its average cost, summed exactly.
#[derive(SimpleObject)]
pub struct StockValue {
    pub total: Decimal,
    /// Each storage unit that holds stock, with its value.
    pub storage_units: Vec<StorageUnitValue>,
}

pub struct StorageUnitValue {
    storage_unit_id: i64,
    value: Decimal,
}

#[Object]
impl StorageUnitValue {
    async fn storage_unit(&self, ctx: &Context<'_>) -> async_graphql::Result<StorageUnit> {
        storage_unit_of(ctx, self.storage_unit_id).await
    }
    async fn value(&self) -> Decimal {
        self.value
    }
}

pub struct StockLevel(pub records::StockBalance);

#[Object]
impl StockLevel {
    async fn ingredient(&self, ctx: &Context<'_>) -> async_graphql::Result<Ingredient> {
        ingredient_of(ctx, self.0.ingredient_id).await
    }
    async fn storage_unit(&self, ctx: &Context<'_>) -> async_graphql::Result<StorageUnit> {
        storage_unit_of(ctx, self.0.storage_unit_id).await
    }
    async fn quantity(&self) -> Decimal {
        from_micro(self.0.quantity_micro)
    }
    async fn average_cost(&self) -> Option<Decimal> {
        self.0.average_cost_micro.map(from_micro)
    }
    async fn value(&self) -> Decimal {
        from_micro(ledger::costing::value_of(
            self.0.quantity_micro,
            self.0.average_cost_micro.unwrap_or(0),
        ))
    }
    /// Below zero: sales recorded before the delivery, or a miscount.
    /// Depleted or below zero: the dashboard's critical stock.
    async fn critical(&self) -> bool {
        reading::is_critical(self.0.quantity_micro)
    }
    async fn negative(&self) -> bool {
        self.0.quantity_micro < 0
    }
}

#[derive(InputObject, Default)]
pub struct LedgerFilter {
    pub storage_unit_ids: Option<Vec<ID>>,
    pub ingredient_ids: Option<Vec<ID>>,
    pub types: Option<Vec<TransactionType>>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub ingredient_active: Option<bool>,
    pub min_current_stock: Option<Decimal>,
    pub max_current_stock: Option<Decimal>,
}

pub(super) fn ids(list: Option<Vec<ID>>) -> Option<Vec<i64>> {
    // An id that is no number names no row: it filters to nothing, as a foreign id does.
    list.map(|l| l.iter().map(|id| id.parse::<i64>().unwrap_or(-1)).collect())
}

impl From<LedgerFilter> for reading::LedgerFilter {
    fn from(f: LedgerFilter) -> Self {
        Self {
            storage_unit_ids: ids(f.storage_unit_ids),
            ingredient_ids: ids(f.ingredient_ids),
            types: f.types.map(|t| t.into_iter().map(Into::into).collect()),
            from: f.from,
            to: f.to,
            ingredient_active: f.ingredient_active,
            min_current_stock: f.min_current_stock,
            max_current_stock: f.max_current_stock,
        }
    }
}

#[derive(Default)]
pub struct LedgerQuery;

#[Object]
impl LedgerQuery {
    /// Oldest first: by occurredAt, then posting order (the order balanceAfter runs in);
    /// newestFirst reverses. Pages of at most 500.
    #[graphql(complexity = "super::page_cost(first, last, 50, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn ledger(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        filter: Option<LedgerFilter>,
        newest_first: Option<bool>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Connection<OpaqueCursor<(i64, i64)>, LedgerEntry, TotalCount>> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let filter: reading::LedgerFilter = filter.unwrap_or_default().into();
        let newest_first = newest_first.unwrap_or(false);
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
                reading::page(db, principal, company_id, &filter, newest_first, &request)
                    .await
                    .gql()
            },
            |e| (e.occurred_at, e.id),
            LedgerEntry,
        )
        .await
    }

    async fn ledger_entry(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<LedgerEntry> {
        let id = parse_id(&id, "ledger entry", "id")?;
        Ok(LedgerEntry(
            reading::entry(ctx.db(), ctx.principal()?, id).await.gql()?,
        ))
    }

    async fn ledger_summary(
        &self,
        ctx: &Context<'_>,
        ingredient_id: ID,
        storage_unit_id: ID,
    ) -> async_graphql::Result<LedgerSummary> {
        let ingredient_id = parse_id(&ingredient_id, "ingredient", "ingredientId")?;
        let storage_unit_id = parse_id(&storage_unit_id, "storage unit", "storageUnitId")?;
        let s = reading::summary(ctx.db(), ctx.principal()?, ingredient_id, storage_unit_id)
            .await
            .gql()?;
        Ok(LedgerSummary {
            current_balance: s.current_balance,
            total_receipts: s.total_receipts,
            total_issues: s.total_issues,
            total_entries: s.total_entries,
            average_cost: s.average_cost,
            value: s.value,
            receipts_week_over_week: s.receipts_week_over_week,
            issues_week_over_week: s.issues_week_over_week,
        })
    }

    async fn stock_levels(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        storage_unit_id: Option<ID>,
    ) -> async_graphql::Result<Vec<StockLevel>> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let storage = parse_opt_id(&storage_unit_id, "storage unit", "storageUnitId")?;
        let rows = reading::stock_levels(ctx.db(), ctx.principal()?, company_id, storage)
            .await
            .gql()?;
        Ok(rows.into_iter().map(StockLevel).collect())
    }

    /// What the stock was worth at the end of each of the last `days` business days (today so
    /// far), oldest first; at most 366 days.
    async fn stock_value_history(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        #[graphql(default = 30)] days: i32,
    ) -> async_graphql::Result<Vec<StockValuePoint>> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let days = u32::try_from(days).unwrap_or(0);
        let points =
            ledger::history::stock_value_history(ctx.db(), ctx.principal()?, company_id, days)
                .await
                .gql()?;
        Ok(points
            .into_iter()
            .map(|p| StockValuePoint {
                date: p.date,
                value: p.value,
            })
            .collect())
    }

    /// What is out (depleted or below zero), the deepest shortage first; at most 100.
    #[graphql(complexity = "super::page_cost(first, None, 12, child_complexity)")]
    async fn critical_stock(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        first: Option<i32>,
    ) -> async_graphql::Result<Vec<StockLevel>> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let first = first.unwrap_or(12).max(1) as u64;
        let rows = reading::critical_stock(ctx.db(), ctx.principal()?, company_id, first)
            .await
            .gql()?;
        Ok(rows.into_iter().map(StockLevel).collect())
    }

    /// What the stock is worth now, in total and per storage unit (optionally one unit).
    async fn stock_value(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        storage_unit_id: Option<ID>,
    ) -> async_graphql::Result<StockValue> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let storage = parse_opt_id(&storage_unit_id, "storage unit", "storageUnitId")?;
        let value = reading::stock_value(ctx.db(), ctx.principal()?, company_id, storage)
            .await
            .gql()?;
        Ok(StockValue {
            total: value.total,
            storage_units: value
                .by_storage_unit
                .into_iter()
                .map(|u| StorageUnitValue {
                    storage_unit_id: u.storage_unit_id,
                    value: u.value,
                })
                .collect(),
        })
    }

    /// The reasons waste may be posted with; anything else is "Other: <text>".
    async fn waste_reasons(&self) -> Vec<&'static str> {
        movements::WASTE_REASONS.to_vec()
    }

    /// The newest postings, newest first.
    #[graphql(complexity = "super::page_cost(first, None, 20, child_complexity)")]
    async fn recent_movements(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        first: Option<i32>,
    ) -> async_graphql::Result<Vec<LedgerEntry>> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let rows = reading::recent(
            ctx.db(),
            ctx.principal()?,
            company_id,
            first.unwrap_or(20).max(1) as u64,
        )
        .await
        .gql()?;
        Ok(rows.into_iter().map(LedgerEntry).collect())
    }
}
