//! Purchasing over GraphQL (DESIGN.md, "Purchasing"): stock policies, reorder suggestions, the
//! draft orders made of them, and each pair's usage outlook.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::Utc;
use rust_decimal::Decimal;
use service::purchasing::{drafts, outlook, policies, suggestions};
use service::quantity::from_micro;
use service::records;

use super::context::{ContextExt, parse_id, parse_opt_id};
use super::errors::GqlResult;
use super::orders::PurchaseOrder;
use super::scalars::StockPolicyKind;
use super::types::{
    Ingredient, Product, StorageUnit, Vendor, load_ingredient, load_product, load_storage_unit,
    load_vendor,
};

pub struct StockPolicy(records::StockPolicy);

#[Object]
impl StockPolicy {
    async fn ingredient(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ingredient>> {
        load_ingredient(ctx, Some(self.0.ingredient_id)).await
    }
    async fn storage_unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<StorageUnit>> {
        load_storage_unit(ctx, Some(self.0.storage_unit_id)).await
    }
    async fn kind(&self) -> StockPolicyKind {
        self.0.kind.into()
    }
    /// MANUAL: order when on hand + on order is at or below this (base units).
    async fn reorder_point(&self) -> Option<Decimal> {
        self.0.reorder_point_micro.map(from_micro)
    }
    /// MANUAL: order up to this (base units).
    async fn par_level(&self) -> Option<Decimal> {
        self.0.par_level_micro.map(from_micro)
    }
    /// AUTOMATIC: days until the order after this one.
    async fn review_days(&self) -> i64 {
        self.0.review_days
    }
    /// AUTOMATIC: days of average usage kept as safety stock.
    async fn safety_days(&self) -> Decimal {
        from_micro(self.0.safety_days_micro)
    }
    /// Completed business days the usage forecast averages.
    async fn usage_window_days(&self) -> i64 {
        self.0.usage_window_days
    }
}

/// What to order for one (ingredient, storage unit), and why.
pub struct ReorderSuggestion(suggestions::ReorderSuggestion);

#[Object]
impl ReorderSuggestion {
    async fn ingredient(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ingredient>> {
        load_ingredient(ctx, Some(self.0.ingredient_id)).await
    }
    async fn storage_unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<StorageUnit>> {
        load_storage_unit(ctx, Some(self.0.storage_unit_id)).await
    }
    async fn kind(&self) -> StockPolicyKind {
        self.0.policy.kind.into()
    }
    /// The ingredient's preferred product; null when it has none (order it by hand).
    async fn product(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Product>> {
        load_product(ctx, self.0.product_id).await
    }
    async fn vendor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Vendor>> {
        load_vendor(ctx, self.0.vendor_id).await
    }
    async fn on_hand(&self) -> Decimal {
        self.0.on_hand
    }
    /// Open packs of sent orders for this storage unit, in base units.
    async fn on_order(&self) -> Decimal {
        self.0.on_order
    }
    /// Over the policy's usage window, in base units per business day.
    async fn average_daily_usage(&self) -> Option<Decimal> {
        Some(self.0.average_daily_usage)
    }
    /// On hand ÷ average daily usage; null when nothing is used.
    async fn days_of_stock_left(&self) -> Option<Decimal> {
        self.0.days_of_stock_left
    }
    /// What is needed before rounding to packs.
    async fn need(&self) -> Decimal {
        self.0.need
    }
    /// suggestedPacks × the product's packaging factor; without a product, the need itself.
    async fn suggested_quantity(&self) -> Decimal {
        self.0.suggested_quantity
    }
    /// Whole packs, at least the product's minimum; 0 without a product.
    async fn suggested_packs(&self) -> Decimal {
        self.0.suggested_packs
    }
    /// The product's latest price per pack (its latest order, else the latest receipt).
    async fn price_per_pack(&self) -> Option<Decimal> {
        self.0.price_per_pack
    }
    /// Packs × price per pack (without a product: the need at the latest receipt cost).
    async fn estimated_cost(&self) -> Option<Decimal> {
        self.0.estimated_cost
    }
    /// The figures the suggestion used, in words (English; the fields below carry them for a
    /// page that says them in its reader's language).
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    /// The pair's policy (review and safety days, reorder point and par level).
    async fn policy(&self) -> StockPolicy {
        StockPolicy(self.0.policy.clone())
    }
    /// The vendor's lead time (1 day without a preferred product).
    async fn lead_time_days(&self) -> i64 {
        self.0.lead_time_days
    }
    /// AUTOMATIC: the forecast usage over today, the lead time and the review days.
    async fn cover_usage(&self) -> Option<Decimal> {
        self.0.cover_usage
    }
    /// The forecast went by weekday (the window holds every weekday twice), else flat.
    async fn by_weekday(&self) -> bool {
        self.0.by_weekday
    }
    /// The packs were raised to the product's minimum.
    async fn raised_to_minimum(&self) -> bool {
        self.0.raised_to_minimum
    }
}

/// How long one (ingredient, storage unit)'s stock lasts at its recent usage.
pub struct StockOutlook(outlook::StockOutlook);

#[Object]
impl StockOutlook {
    async fn ingredient(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ingredient>> {
        load_ingredient(ctx, Some(self.0.ingredient_id)).await
    }
    async fn storage_unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<StorageUnit>> {
        load_storage_unit(ctx, Some(self.0.storage_unit_id)).await
    }
    async fn on_hand(&self) -> Decimal {
        self.0.on_hand
    }
    /// Over the last 28 completed business days, in base units per day.
    async fn average_daily_usage(&self) -> Decimal {
        self.0.average_daily_usage
    }
    /// On hand ÷ average daily usage; null when nothing is used.
    async fn days_of_stock_left(&self) -> Option<Decimal> {
        self.0.days_of_stock_left
    }
    /// Usage on each of the last 14 completed business days, oldest first (the sparkline).
    async fn daily_usage(&self) -> &[Decimal] {
        &self.0.daily_usage
    }
}

#[derive(InputObject)]
pub struct StockPolicyInput {
    pub ingredient_id: ID,
    pub storage_unit_id: ID,
    pub kind: StockPolicyKind,
    /// MANUAL, required: order when on hand + on order is at or below it (base units).
    pub reorder_point: Option<Decimal>,
    /// MANUAL, required: order up to it (base units).
    pub par_level: Option<Decimal>,
    /// AUTOMATIC: 1–60, default 7.
    pub review_days: Option<i64>,
    /// AUTOMATIC: 0–60, default 1.
    pub safety_days: Option<Decimal>,
    /// 1–91 completed business days, default 28.
    pub usage_window_days: Option<i64>,
}

impl StockPolicyInput {
    fn into_service(self, at: &str) -> async_graphql::Result<policies::StockPolicyInput> {
        Ok(policies::StockPolicyInput {
            ingredient_id: parse_id(
                &self.ingredient_id,
                "ingredient",
                &format!("{at}ingredientId"),
            )?,
            storage_unit_id: parse_id(
                &self.storage_unit_id,
                "storage unit",
                &format!("{at}storageUnitId"),
            )?,
            kind: self.kind.into(),
            reorder_point: self.reorder_point,
            par_level: self.par_level,
            review_days: self.review_days,
            safety_days: self.safety_days,
            usage_window_days: self.usage_window_days,
        })
    }
}

/// An accepted suggestion: packs of a product for a storage unit.
#[derive(InputObject)]
pub struct OrderFromSuggestionInput {
    pub product_id: ID,
    pub packs: Decimal,
    pub storage_unit_id: ID,
}

#[derive(Default)]
pub struct PurchasingQuery;

#[Object]
impl PurchasingQuery {
    /// The company's stock policies (of one storage unit, or all).
    async fn stock_policies(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        storage_unit_id: Option<ID>,
    ) -> async_graphql::Result<Vec<StockPolicy>> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let unit = parse_opt_id(&storage_unit_id, "storage unit", "storageUnitId")?;
        Ok(policies::list(ctx.db(), ctx.principal()?, company_id, unit)
            .await
            .gql()?
            .into_iter()
            .map(StockPolicy)
            .collect())
    }

    /// What to order now for the pairs with a stock policy that need something, by vendor.
    async fn reorder_suggestions(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        storage_unit_id: Option<ID>,
    ) -> async_graphql::Result<Vec<ReorderSuggestion>> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let unit = parse_opt_id(&storage_unit_id, "storage unit", "storageUnitId")?;
        Ok(suggestions::reorder_suggestions(
            ctx.db(),
            ctx.principal()?,
            company_id,
            unit,
            Utc::now(),
        )
        .await
        .gql()?
        .into_iter()
        .map(ReorderSuggestion)
        .collect())
    }

    /// Days of stock left for every pair used in the last 28 business days, fewest first.
    async fn stock_outlook(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        storage_unit_id: Option<ID>,
    ) -> async_graphql::Result<Vec<StockOutlook>> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let unit = parse_opt_id(&storage_unit_id, "storage unit", "storageUnitId")?;
        Ok(
            outlook::stock_outlook(ctx.db(), ctx.principal()?, company_id, unit, Utc::now())
                .await
                .gql()?
                .into_iter()
                .map(StockOutlook)
                .collect(),
        )
    }
}

#[derive(Default)]
pub struct PurchasingMutation;

#[Object]
impl PurchasingMutation {
    /// Creates or replaces the policy of one (ingredient, storage unit).
    async fn set_stock_policy(
        &self,
        ctx: &Context<'_>,
        input: StockPolicyInput,
    ) -> async_graphql::Result<StockPolicy> {
        let input = input.into_service("")?;
        Ok(StockPolicy(
            policies::set(ctx.db(), ctx.principal()?, input)
                .await
                .gql()?,
        ))
    }

    /// Sets up to 1,000 policies of one company at once: all or none.
    async fn set_stock_policies(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        policies: Vec<StockPolicyInput>,
    ) -> async_graphql::Result<Vec<StockPolicy>> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let inputs = policies
            .into_iter()
            .enumerate()
            .map(|(i, p)| p.into_service(&format!("policies[{i}].")))
            .collect::<async_graphql::Result<Vec<_>>>()?;
        Ok(service::purchasing::policies::set_many(
            ctx.db(),
            ctx.principal()?,
            company_id,
            inputs,
            "policies",
        )
        .await
        .gql()?
        .into_iter()
        .map(StockPolicy)
        .collect())
    }

    /// Removes a pair's policy (it gets no more suggestions); false when it had none.
    async fn remove_stock_policy(
        &self,
        ctx: &Context<'_>,
        ingredient_id: ID,
        storage_unit_id: ID,
    ) -> async_graphql::Result<bool> {
        let ingredient = parse_id(&ingredient_id, "ingredient", "ingredientId")?;
        let unit = parse_id(&storage_unit_id, "storage unit", "storageUnitId")?;
        policies::remove(ctx.db(), ctx.principal()?, ingredient, unit)
            .await
            .gql()
    }

    /// One DRAFT order per vendor and storage unit from accepted suggestions, at each product's
    /// latest price per pack; check `belowMinimumOrderValue` before sending.
    async fn create_orders_from_suggestions(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        lines: Vec<OrderFromSuggestionInput>,
    ) -> async_graphql::Result<Vec<PurchaseOrder>> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let lines = lines
            .into_iter()
            .enumerate()
            .map(|(i, l)| {
                Ok(drafts::AcceptedLine {
                    product_id: parse_id(
                        &l.product_id,
                        "product",
                        &format!("lines[{i}].productId"),
                    )?,
                    packs: l.packs,
                    storage_unit_id: parse_id(
                        &l.storage_unit_id,
                        "storage unit",
                        &format!("lines[{i}].storageUnitId"),
                    )?,
                })
            })
            .collect::<async_graphql::Result<Vec<_>>>()?;
        Ok(drafts::create_orders_from_suggestions(
            ctx.db(),
            ctx.principal()?,
            company_id,
            lines,
            Utc::now(),
        )
        .await
        .gql()?
        .into_iter()
        .map(PurchaseOrder)
        .collect())
    }
}
