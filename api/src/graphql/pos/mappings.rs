//! POS items and their mappings over GraphQL: the items a POS sold, what each is mapped to
//! (an ingredient, a recipe, or ignored), what is unmapped and how healthy the mapping is.

use crate::graphql::context::{ContextExt, parse_id, parse_opt_id};
use crate::graphql::errors::{GqlResult, internal};
use crate::graphql::loaders::Loaders;
use crate::graphql::types::{Ingredient, Recipe};
use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use service::pos::integrations;
use service::pos::mappings::{self, MappingTarget, Target};
use service::quantity::from_micro;
use service::records;

/// Which items a mapping list shows.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum MappingFilter {
    All,
    Unmapped,
    Mapped,
    Ignored,
}

pub struct PosItem(pub mappings::ItemView);

#[Object]
impl PosItem {
    async fn external_id(&self) -> &str {
        &self.0.external_id
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn mapping(&self) -> Option<PosMapping> {
        self.0.mapping.clone().map(PosMapping)
    }
    /// Units sold over the period asked for (all time by default); refunds subtract.
    async fn amount_sold(&self) -> Decimal {
        self.0.amount_sold
    }
    async fn sales_value(&self) -> Decimal {
        self.0.sales_value
    }
}

pub struct PosMapping(pub records::PosMapping);

#[Object]
impl PosMapping {
    async fn ingredient(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ingredient>> {
        let Some(i) = self.0.ingredient_id else {
            return Ok(None);
        };
        Ok(ctx
            .data_unchecked::<Loaders>()
            .ingredients
            .load_one(i)
            .await
            .map_err(internal)?
            .map(Ingredient))
    }
    async fn recipe(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Recipe>> {
        let Some(r) = self.0.recipe_id else {
            return Ok(None);
        };
        Ok(ctx
            .data_unchecked::<Loaders>()
            .recipes
            .load_one(r)
            .await
            .map_err(internal)?
            .map(Recipe))
    }
    async fn ignored(&self) -> bool {
        self.0.target == MappingTarget::Ignore
    }
    /// Base units (ingredient) or portions (recipe) per unit sold.
    async fn quantity_factor(&self) -> Decimal {
        from_micro(self.0.quantity_factor_micro)
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

#[derive(SimpleObject)]
pub struct UnmappedItem {
    pub external_id: String,
    pub name: String,
    pub amount_sold: Decimal,
    pub sales_value: Decimal,
}

#[derive(SimpleObject)]
pub struct MappingHealth {
    pub items: i64,
    pub mapped_items: i64,
    pub ignored_items: i64,
    pub unmapped_items: i64,
    /// Share of units sold that is mapped or ignored on purpose, in percent.
    pub sold_mapped_percent: Option<Decimal>,
    pub revenue_mapped_percent: Option<Decimal>,
    pub unmapped_revenue: Decimal,
}

fn dates(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Option<(NaiveDate, NaiveDate)> {
    match (from, to) {
        (None, None) => None,
        (f, t) => Some((f.unwrap_or(NaiveDate::MIN), t.unwrap_or(NaiveDate::MAX))),
    }
}

/// What a mapping points at; none of the three leaves the choice to the service's error.
fn target_of(
    ingredient: Option<i64>,
    recipe: Option<i64>,
    ignore: Option<bool>,
) -> async_graphql::Result<Option<Target>> {
    match (ingredient, recipe, ignore.unwrap_or(false)) {
        (None, None, true) => Ok(Some(Target::Ignore)),
        (Some(i), None, false) => Ok(Some(Target::Ingredient(i))),
        (None, Some(r), false) => Ok(Some(Target::Recipe(r))),
        (None, None, false) => Ok(None),
        _ => Err(crate::graphql::errors::to_graphql(
            service::ServiceError::validation(
                "recipeId",
                "map to an ingredient, a recipe, or ignore — only one of them",
            ),
        )),
    }
}

async fn item_view(
    ctx: &Context<'_>,
    integration_id: i64,
    external_id: &str,
) -> async_graphql::Result<PosItem> {
    mappings::items(ctx.db(), ctx.principal()?, integration_id, None)
        .await
        .gql()?
        .into_iter()
        .find(|i| i.external_id == external_id)
        .map(PosItem)
        .ok_or_else(|| {
            crate::graphql::errors::to_graphql(service::ServiceError::not_found("POS item"))
        })
}

#[derive(Default)]
pub struct MappingQuery;

#[Object]
impl MappingQuery {
    /// The items of an integration with their mappings and amounts sold; unmapped first, then
    /// by amount sold.
    async fn pos_items(
        &self,
        ctx: &Context<'_>,
        integration_id: ID,
        filter: Option<MappingFilter>,
        search: Option<String>,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> async_graphql::Result<Vec<PosItem>> {
        let integration_id = parse_id(&integration_id, integrations::ENTITY, "integrationId")?;
        let filter = match filter.unwrap_or(MappingFilter::All) {
            MappingFilter::All => mappings::ItemFilter::All,
            MappingFilter::Unmapped => mappings::ItemFilter::Unmapped,
            MappingFilter::Mapped => mappings::ItemFilter::Mapped,
            MappingFilter::Ignored => mappings::ItemFilter::Ignored,
        };
        let items = mappings::working_list(
            ctx.db(),
            ctx.principal()?,
            integration_id,
            filter,
            search.as_deref(),
            dates(from, to),
        )
        .await
        .gql()?;
        Ok(items.into_iter().map(PosItem).collect())
    }

    /// Items sold with no mapping (never deducted until one exists), most sold first.
    async fn unmapped_items(
        &self,
        ctx: &Context<'_>,
        integration_id: ID,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> async_graphql::Result<Vec<UnmappedItem>> {
        let integration_id = parse_id(&integration_id, integrations::ENTITY, "integrationId")?;
        Ok(
            mappings::unmapped(ctx.db(), ctx.principal()?, integration_id, dates(from, to))
                .await
                .gql()?
                .into_iter()
                .map(|i| UnmappedItem {
                    external_id: i.external_id,
                    name: i.name,
                    amount_sold: i.amount_sold,
                    sales_value: i.sales_value,
                })
                .collect(),
        )
    }

    async fn mapping_health(
        &self,
        ctx: &Context<'_>,
        integration_id: ID,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        last_days: Option<i32>,
    ) -> async_graphql::Result<MappingHealth> {
        let integration_id = parse_id(&integration_id, integrations::ENTITY, "integrationId")?;
        health_of(
            ctx,
            integration_id,
            SalesPeriod {
                from,
                to,
                last_days,
            },
        )
        .await
    }
}

/// Which business days a sales figure covers: `lastDays` (the company's last N days, today
/// included) or `from`/`to` (either open); neither is all time.
pub(super) struct SalesPeriod {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub last_days: Option<i32>,
}

/// How much of an integration's sales are mapped, over a period (all time by default).
pub(super) async fn health_of(
    ctx: &Context<'_>,
    integration_id: i64,
    period: SalesPeriod,
) -> async_graphql::Result<MappingHealth> {
    let (db, principal) = (ctx.db(), ctx.principal()?);
    let dates = match period.last_days {
        Some(days) => Some(
            mappings::recent_period(db, principal, integration_id, days as i64)
                .await
                .gql()?,
        ),
        None => dates(period.from, period.to),
    };
    let items = mappings::items(db, principal, integration_id, dates)
        .await
        .gql()?;
    let h = mappings::health(&items);
    Ok(MappingHealth {
        items: h.items,
        mapped_items: h.mapped_items,
        ignored_items: h.ignored_items,
        unmapped_items: h.unmapped_items,
        sold_mapped_percent: h.sold_mapped_percent,
        revenue_mapped_percent: h.revenue_mapped_percent,
        unmapped_revenue: h.unmapped_revenue,
    })
}

#[derive(Default)]
pub struct MappingMutation;

#[Object]
impl MappingMutation {
    /// Maps an item to an ingredient or a recipe (exactly one), or ignores it (`ignore: true`).
    // The arguments are the contract's; a GraphQL field takes them one by one.
    #[allow(clippy::too_many_arguments)]
    async fn map_pos_item(
        &self,
        ctx: &Context<'_>,
        integration_id: ID,
        external_id: String,
        ingredient_id: Option<ID>,
        recipe_id: Option<ID>,
        quantity_factor: Decimal,
        ignore: Option<bool>,
    ) -> async_graphql::Result<PosItem> {
        let integration_id = parse_id(&integration_id, integrations::ENTITY, "integrationId")?;
        let ingredient = parse_opt_id(&ingredient_id, "ingredient", "ingredientId")?;
        let recipe = parse_opt_id(&recipe_id, "recipe", "recipeId")?;
        let target = target_of(ingredient, recipe, ignore)?;
        let principal = ctx.principal()?;
        mappings::map_item(
            ctx.db(),
            principal,
            integration_id,
            &external_id,
            target,
            quantity_factor,
        )
        .await
        .gql()?;
        item_view(ctx, integration_id, &external_id).await
    }

    /// Maps many items at once, all or none.
    #[allow(clippy::too_many_arguments)]
    async fn map_pos_items(
        &self,
        ctx: &Context<'_>,
        integration_id: ID,
        external_ids: Vec<String>,
        ingredient_id: Option<ID>,
        recipe_id: Option<ID>,
        quantity_factor: Decimal,
        ignore: Option<bool>,
    ) -> async_graphql::Result<i32> {
        let integration_id = parse_id(&integration_id, integrations::ENTITY, "integrationId")?;
        let ingredient = parse_opt_id(&ingredient_id, "ingredient", "ingredientId")?;
        let recipe = parse_opt_id(&recipe_id, "recipe", "recipeId")?;
        let target = target_of(ingredient, recipe, ignore)?;
        let mapped = mappings::map_items(
            ctx.db(),
            ctx.principal()?,
            integration_id,
            &external_ids,
            target,
            quantity_factor,
        )
        .await
        .gql()?;
        Ok(mapped as i32)
    }

    async fn unmap_pos_item(
        &self,
        ctx: &Context<'_>,
        integration_id: ID,
        external_id: String,
    ) -> async_graphql::Result<PosItem> {
        let integration_id = parse_id(&integration_id, integrations::ENTITY, "integrationId")?;
        mappings::unmap_item(ctx.db(), ctx.principal()?, integration_id, &external_id)
            .await
            .gql()?;
        item_view(ctx, integration_id, &external_id).await
    }
}
