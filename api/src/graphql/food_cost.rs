//! Food cost over GraphQL (DESIGN.md, "Food cost"): menu engineering, actual vs theoretical
//! variance, price changes. Figures come unrounded (6 decimal places); pages round them.

use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use service::food_cost::{menu, prices, variance};
use service::pos::integrations;
use service::storage_units;

use super::context::{ContextExt, parse_id, parse_opt_id};
use super::errors::{GqlResult, internal};
use super::reports::Amount;
use super::scalars::MenuClass;
use super::types::{
    Ingredient, Product, Recipe, StorageUnit, Vendor, load_ingredient, load_product,
    load_storage_unit, load_vendor, loaders,
};

async fn load_recipe(ctx: &Context<'_>, id: Option<i64>) -> async_graphql::Result<Option<Recipe>> {
    match id {
        None => Ok(None),
        Some(id) => Ok(loaders(ctx)
            .recipes
            .load_one(id)
            .await
            .map_err(internal)?
            .map(Recipe)),
    }
}

/// One POS item over the period.
pub struct MenuItemPerformance(menu::ItemPerformance);

#[Object]
impl MenuItemPerformance {
    async fn external_id(&self) -> &str {
        &self.0.external_id
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// What the item is mapped to now.
    async fn recipe(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Recipe>> {
        load_recipe(ctx, self.0.recipe_id).await
    }
    async fn ingredient(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ingredient>> {
        load_ingredient(ctx, self.0.ingredient_id).await
    }
    /// Net of refunds.
    async fn units_sold(&self) -> Decimal {
        self.0.units_sold
    }
    /// Sales value net of the company's sales VAT; null when the till sent none.
    async fn revenue(&self) -> Option<Decimal> {
        self.0.revenue
    }
    /// What the ledger charged for its sales when they were posted.
    async fn cost(&self) -> Decimal {
        self.0.cost
    }
    async fn margin(&self) -> Option<Decimal> {
        self.0.margin
    }
    async fn food_cost_percent(&self) -> Option<Decimal> {
        self.0.food_cost_percent
    }
    async fn margin_per_unit(&self) -> Option<Decimal> {
        self.0.margin_per_unit
    }
    /// Null for items without a sales value (listed, not classified).
    async fn menu_class(&self) -> Option<MenuClass> {
        self.0.menu_class.map(Into::into)
    }
}

#[derive(SimpleObject)]
pub struct MenuEngineering {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// Largest revenue first; items without revenue after them.
    pub items: Vec<MenuItemPerformance>,
    pub total_revenue: Decimal,
    pub total_cost: Decimal,
    /// Units an item must sell to count as popular (70 % of an equal share of the units).
    pub popular_from_units: Option<Decimal>,
    /// Total margin ÷ total units of the classified items: profitable from here.
    pub average_margin_per_unit: Option<Decimal>,
}

/// One ingredient in one storage unit (or, as `totals`, all of them) over the period.
pub struct VarianceRow(variance::VarianceRow);

#[Object]
impl VarianceRow {
    async fn ingredient(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ingredient>> {
        load_ingredient(ctx, self.0.ingredient_id).await
    }
    async fn storage_unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<StorageUnit>> {
        load_storage_unit(ctx, self.0.storage_unit_id).await
    }
    /// A posted count counted it at the period's start (the figures are trustworthy from there).
    async fn counted_at_start(&self) -> bool {
        self.0.counted_at_start
    }
    async fn counted_at_end(&self) -> bool {
        self.0.counted_at_end
    }
    async fn opening(&self) -> Amount {
        self.0.opening.into()
    }
    async fn receipts(&self) -> Amount {
        self.0.receipts.into()
    }
    async fn transfers_in(&self) -> Amount {
        self.0.transfers_in.into()
    }
    async fn transfers_out(&self) -> Amount {
        self.0.transfers_out.into()
    }
    async fn closing(&self) -> Amount {
        self.0.closing.into()
    }
    /// What the POS sales say was used.
    async fn theoretical(&self) -> Amount {
        self.0.theoretical.into()
    }
    async fn waste(&self) -> Amount {
        self.0.waste.into()
    }
    /// Issues not from POS sales (staff meals, manual issues).
    async fn other_issues(&self) -> Amount {
        self.0.other_issues.into()
    }
    /// What the counts found missing (positive: less than the books).
    async fn unexplained(&self) -> Amount {
        self.0.unexplained.into()
    }
    /// Theoretical + waste + other issues + unexplained = opening + receipts + transfers in −
    /// transfers out − closing.
    async fn actual(&self) -> Amount {
        self.0.actual().into()
    }
    /// Actual − theoretical.
    async fn variance(&self) -> Amount {
        self.0.variance().into()
    }
    /// Variance value ÷ theoretical value × 100; null without theoretical usage.
    async fn variance_percent(&self) -> Option<Decimal> {
        self.0.variance_percent()
    }
}

#[derive(SimpleObject)]
pub struct VarianceReport {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// Largest unexplained loss first.
    pub rows: Vec<VarianceRow>,
    pub totals: VarianceRow,
}

pub struct RecipeCostChange(prices::RecipeCostChange);

#[Object]
impl RecipeCostChange {
    async fn recipe(&self, ctx: &Context<'_>) -> async_graphql::Result<Recipe> {
        load_recipe(ctx, Some(self.0.recipe_id))
            .await?
            .ok_or_else(|| internal("the recipe is missing"))
    }
    /// Cost per portion at the previous price (LATEST_RECEIPT basis).
    async fn before(&self) -> Decimal {
        self.0.before
    }
    async fn after(&self) -> Decimal {
        self.0.after
    }
}

pub struct PriceChange(prices::PriceChange);

#[Object]
impl PriceChange {
    async fn ingredient(&self, ctx: &Context<'_>) -> async_graphql::Result<Ingredient> {
        load_ingredient(ctx, Some(self.0.ingredient_id))
            .await?
            .ok_or_else(|| internal("the ingredient is missing"))
    }
    /// The product and vendor, when the receipt came from an order.
    async fn product(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Product>> {
        load_product(ctx, self.0.product_id).await
    }
    async fn vendor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Vendor>> {
        load_vendor(ctx, self.0.vendor_id).await
    }
    async fn previous_unit_cost(&self) -> Decimal {
        self.0.previous_unit_cost
    }
    async fn unit_cost(&self) -> Decimal {
        self.0.unit_cost
    }
    async fn change_percent(&self) -> Decimal {
        self.0.change_percent
    }
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }
    /// The current recipes whose cost per portion it moves.
    async fn recipes(&self) -> Vec<RecipeCostChange> {
        self.0
            .recipes
            .iter()
            .cloned()
            .map(RecipeCostChange)
            .collect()
    }
}

#[derive(Default)]
pub struct FoodCostQuery;

#[Object]
impl FoodCostQuery {
    /// Per POS item sold in [from, to) — of one integration, or all: units, revenue net of VAT,
    /// the cost the ledger charged, margin and its Kasavana–Smith class.
    async fn menu_engineering(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        integration_id: Option<ID>,
    ) -> async_graphql::Result<MenuEngineering> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let integration_id = parse_opt_id(&integration_id, integrations::ENTITY, "integrationId")?;
        let m = menu::menu_engineering(
            ctx.db(),
            ctx.principal()?,
            company_id,
            from,
            to,
            integration_id,
        )
        .await
        .gql()?;
        Ok(MenuEngineering {
            from: m.from,
            to: m.to,
            items: m.items.into_iter().map(MenuItemPerformance).collect(),
            total_revenue: m.total_revenue,
            total_cost: m.total_cost,
            popular_from_units: m.popular_from_units,
            average_margin_per_unit: m.average_margin_per_unit,
        })
    }

    /// Actual vs theoretical usage over (from, to] for a storage unit (or all): by default
    /// between its last two posted stock counts. Largest unexplained loss first.
    async fn variance_report(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        storage_unit_id: Option<ID>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> async_graphql::Result<VarianceReport> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let unit = parse_opt_id(&storage_unit_id, storage_units::ENTITY, "storageUnitId")?;
        let r = variance::variance_report(ctx.db(), ctx.principal()?, company_id, unit, from, to)
            .await
            .gql()?;
        Ok(VarianceReport {
            from: r.from,
            to: r.to,
            rows: r.rows.into_iter().map(VarianceRow).collect(),
            totals: VarianceRow(r.totals),
        })
    }

    /// Receipts whose unit cost moved at least the company's `priceAlertPercent` from the
    /// previous receipt of the ingredient, newest first; the last 30 days by default.
    async fn price_changes(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> async_graphql::Result<Vec<PriceChange>> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let changes = prices::price_changes(ctx.db(), ctx.principal()?, company_id, from, to)
            .await
            .gql()?;
        Ok(changes.into_iter().map(PriceChange).collect())
    }
}
