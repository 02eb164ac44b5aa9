//! The inventory report over GraphQL: opening, movements by kind and closing, per ingredient and
//! storage unit, with totals.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use service::quantity::from_micro;

use super::context::{ContextExt, parse_id, parse_opt_id};
use super::errors::GqlResult;
use super::types::{Ingredient, StorageUnit};

use super::ledger::{TransactionType, ids};

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
