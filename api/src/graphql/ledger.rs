//! The ledger's GraphQL face: entries, summaries, stock levels, and the stock operations.

use async_graphql::connection::{self, Connection, OpaqueCursor};
use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::{ledger_entry, stock_balance};
use rust_decimal::Decimal;
use service::ServiceError;
use service::ingredients::QuantityUnit;
use service::ledger::{self, SourceKind, from_micros, reading};
use service::movements;
use service::quantity::from_micro;

use super::context::{ContextExt, parse_id, parse_opt_id};
use super::errors::{GqlResult, internal};
use super::loaders::Loaders;
use super::paging::{TotalCount, page_request, to_connection};
use super::scalars::Unit;
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

pub struct LedgerEntry(pub ledger_entry::Model);

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
pub struct LedgerSource(ledger_entry::Model);

#[Object]
impl LedgerSource {
    /// What the entry came from: MANUAL, DIRECT_RECEIPT, MANUAL_ISSUE, WASTE, ORDER_ITEM,
    /// TRANSFER_LINE, TRANSFER, STOCK_COUNT, REVERSAL or POS_SALE.
    async fn kind(&self) -> String {
        sea_orm::ActiveEnum::to_value(&self.0.source_kind)
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
    async fn stock_count_id(&self) -> Option<ID> {
        (self.0.source_kind == SourceKind::StockCount)
            .then(|| self.0.source_id.clone().map(ID))
            .flatten()
    }
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

pub struct StockLevel(pub stock_balance::Model);

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

fn ids(list: Option<Vec<ID>>) -> Option<Vec<i64>> {
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

#[derive(InputObject)]
pub struct MovementInput {
    pub storage_unit_id: ID,
    pub ingredient_id: ID,
    /// In `unit`, or in the packaging level, or else in the ingredient's base unit.
    pub quantity: Decimal,
    pub unit: Option<Unit>,
    pub packaging_level_id: Option<ID>,
    /// Business time; default now. Earlier than later entries is fine (back-filled).
    pub occurred_at: Option<DateTime<Utc>>,
}

/// The fields of a `MovementInput`, as the service names them in its errors.
const MOVEMENT_FIELDS: &[&str] = &[
    "storageUnitId",
    "ingredientId",
    "quantity",
    "unit",
    "packagingLevelId",
    "occurredAt",
];

/// A service error about a movement given as `input: MovementInput`, placed inside `input`.
fn in_input(e: ServiceError) -> ServiceError {
    e.nested("input.", MOVEMENT_FIELDS)
}

impl MovementInput {
    fn into_service(self, prefix: &str) -> async_graphql::Result<movements::Movement> {
        let unit = match (
            parse_opt_id(
                &self.packaging_level_id,
                "packaging level",
                &format!("{prefix}packagingLevelId"),
            )?,
            self.unit,
        ) {
            (Some(level), _) => Some(QuantityUnit::PackagingLevel(level)),
            (None, Some(unit)) => Some(QuantityUnit::Unit(unit.into())),
            (None, None) => None,
        };
        Ok(movements::Movement {
            storage_unit_id: parse_id(
                &self.storage_unit_id,
                "storage unit",
                &format!("{prefix}storageUnitId"),
            )?,
            ingredient_id: parse_id(
                &self.ingredient_id,
                "ingredient",
                &format!("{prefix}ingredientId"),
            )?,
            quantity: self.quantity,
            unit,
            occurred_at: self.occurred_at,
        })
    }
}

#[derive(InputObject)]
pub struct WasteLineInput {
    pub input: MovementInput,
    /// Spoiled, Damaged, Expired, Preparation loss, Comps, Staff meal, Customer return, Spillage,
    /// Over-portioned, or "Other: <text>".
    pub reason: String,
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
        connection::query(
            after,
            before,
            first,
            last,
            |after: Option<OpaqueCursor<(i64, i64)>>,
             before: Option<OpaqueCursor<(i64, i64)>>,
             first,
             last| async move {
                let request = page_request(after.map(|c| c.0), before.map(|c| c.0), first, last);
                let page =
                    reading::page(db, principal, company_id, &filter, newest_first, &request)
                        .await
                        .gql()?;
                Ok::<_, async_graphql::Error>(to_connection(
                    page,
                    |e| (e.occurred_at, e.id),
                    LedgerEntry,
                ))
            },
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

#[derive(Default)]
pub struct LedgerMutation;

#[Object]
impl LedgerMutation {
    /// Stock received without an order. `unitCost` is the price of one entered unit.
    async fn post_receipt(
        &self,
        ctx: &Context<'_>,
        input: MovementInput,
        unit_cost: Decimal,
        note: Option<String>,
    ) -> async_graphql::Result<LedgerEntry> {
        let m = input.into_service("input.")?;
        Ok(LedgerEntry(
            movements::post_receipt(ctx.db(), ctx.principal()?, m, unit_cost, note)
                .await
                .map_err(in_input)
                .gql()?,
        ))
    }

    async fn post_issue(
        &self,
        ctx: &Context<'_>,
        input: MovementInput,
        note: Option<String>,
    ) -> async_graphql::Result<LedgerEntry> {
        let m = input.into_service("input.")?;
        Ok(LedgerEntry(
            movements::post_issue(ctx.db(), ctx.principal()?, m, note)
                .await
                .map_err(in_input)
                .gql()?,
        ))
    }

    async fn post_waste(
        &self,
        ctx: &Context<'_>,
        input: MovementInput,
        reason: String,
    ) -> async_graphql::Result<LedgerEntry> {
        let line = movements::WasteLine {
            movement: input.into_service("input.")?,
            reason,
        };
        let mut posted = movements::post_waste(ctx.db(), ctx.principal()?, vec![line])
            .await
            .map_err(in_input)
            .gql()?;
        posted
            .pop()
            .map(LedgerEntry)
            .ok_or_else(|| internal("nothing posted"))
    }

    /// Many waste lines at once: all are posted or none.
    async fn post_bulk_waste(
        &self,
        ctx: &Context<'_>,
        lines: Vec<WasteLineInput>,
    ) -> async_graphql::Result<Vec<LedgerEntry>> {
        let lines = lines
            .into_iter()
            .enumerate()
            .map(|(i, l)| {
                Ok(movements::WasteLine {
                    movement: l.input.into_service(&format!("lines[{i}]."))?,
                    reason: l.reason,
                })
            })
            .collect::<async_graphql::Result<Vec<_>>>()?;
        let posted = movements::post_waste(ctx.db(), ctx.principal()?, lines)
            .await
            .gql()?;
        Ok(posted.into_iter().map(LedgerEntry).collect())
    }

    /// Ships and receives at once: [TRANSFER_OUT, TRANSFER_IN] at the source's average cost.
    #[allow(clippy::too_many_arguments)]
    async fn transfer_stock(
        &self,
        ctx: &Context<'_>,
        from_storage_unit_id: ID,
        to_storage_unit_id: ID,
        ingredient_id: ID,
        quantity: Decimal,
        unit: Option<Unit>,
        occurred_at: Option<DateTime<Utc>>,
    ) -> async_graphql::Result<Vec<LedgerEntry>> {
        let m = movements::Movement {
            storage_unit_id: parse_id(&from_storage_unit_id, "storage unit", "fromStorageUnitId")?,
            ingredient_id: parse_id(&ingredient_id, "ingredient", "ingredientId")?,
            quantity,
            unit: unit.map(|u| QuantityUnit::Unit(u.into())),
            occurred_at,
        };
        let to = parse_id(&to_storage_unit_id, "storage unit", "toStorageUnitId")?;
        let (out, inn) = movements::transfer_stock(ctx.db(), ctx.principal()?, m, to)
            .await
            .gql()?;
        Ok(vec![LedgerEntry(out), LedgerEntry(inn)])
    }

    /// A new opposite entry at the same time and cost (managers).
    async fn reverse_entry(
        &self,
        ctx: &Context<'_>,
        entry_id: ID,
        note: Option<String>,
    ) -> async_graphql::Result<LedgerEntry> {
        let id = parse_id(&entry_id, "ledger entry", "entryId")?;
        Ok(LedgerEntry(
            movements::reverse_entry(ctx.db(), ctx.principal()?, id, note)
                .await
                .gql()?,
        ))
    }
}

/// Quantity (in the ingredient's base unit) and value (in the company's currency).
#[derive(SimpleObject, Clone, Copy)]
pub struct Amount {
    pub quantity: Decimal,
    pub value: Decimal,
}

impl From<service::ledger::report::Amount> for Amount {
    fn from(a: service::ledger::report::Amount) -> Self {
        Amount {
            quantity: from_micro(a.quantity),
            value: from_micro(a.value),
        }
    }
}

/// One (ingredient, storage unit) of the inventory report; the totals row has neither.
#[derive(SimpleObject)]
pub struct InventoryReportRow {
    pub ingredient: Option<Ingredient>,
    pub storage_unit: Option<StorageUnit>,
    pub opening: Amount,
    pub receipts: Amount,
    pub issues: Amount,
    pub waste: Amount,
    pub adjustments: Amount,
    pub transfers_in: Amount,
    pub transfers_out: Amount,
    pub closing: Amount,
}

impl From<service::ledger::report::ReportRow> for InventoryReportRow {
    fn from(r: service::ledger::report::ReportRow) -> Self {
        InventoryReportRow {
            ingredient: r.ingredient.map(Ingredient),
            storage_unit: r.storage_unit.map(StorageUnit),
            opening: r.opening.into(),
            receipts: r.receipts.into(),
            issues: r.issues.into(),
            waste: r.waste.into(),
            adjustments: r.adjustments.into(),
            transfers_in: r.transfers_in.into(),
            transfers_out: r.transfers_out.into(),
            closing: r.closing.into(),
        }
    }
}

#[derive(SimpleObject)]
pub struct InventoryReport {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub rows: Vec<InventoryReportRow>,
    pub totals: InventoryReportRow,
}

#[derive(InputObject, Default)]
pub struct InventoryReportFilter {
    pub ingredient_ids: Option<Vec<ID>>,
    pub storage_unit_ids: Option<Vec<ID>>,
    pub recipe_id: Option<ID>,
    pub types: Option<Vec<TransactionType>>,
    #[graphql(default)]
    pub active_only: bool,
}

#[derive(Default)]
pub struct ReportQuery;

#[Object]
impl ReportQuery {
    /// Opening and closing stock with the movements between, per ingredient and storage unit.
    /// The period defaults to yesterday's business day in the company's timezone; the same
    /// report is at `GET /api/reports/inventory.csv`.
    async fn inventory_report(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        filter: Option<InventoryReportFilter>,
    ) -> async_graphql::Result<InventoryReport> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let f = filter.unwrap_or_default();
        let filter = service::ledger::report::ReportFilter {
            ingredient_ids: ids(f.ingredient_ids),
            storage_unit_ids: ids(f.storage_unit_ids),
            recipe_id: parse_opt_id(&f.recipe_id, "recipe", "filter.recipeId")?,
            types: f.types.map(|t| t.into_iter().map(Into::into).collect()),
            active_only: f.active_only,
        };
        let r = service::ledger::report::inventory_report(
            ctx.db(),
            ctx.principal()?,
            company_id,
            from,
            to,
            &filter,
        )
        .await
        .gql()?;
        Ok(InventoryReport {
            from: r.from,
            to: r.to,
            rows: r.rows.into_iter().map(Into::into).collect(),
            totals: r.totals.into(),
        })
    }
}
