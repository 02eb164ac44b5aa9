//! Read operations. Each resolver checks nothing itself: the service call it makes scopes the
//! read to the caller's companies.

use async_graphql::connection::{Connection, OpaqueCursor};
use async_graphql::{Context, ID, MergedObject, Object};
use rust_decimal::Decimal;
use service::{
    accounts, api_tokens, companies, ingredients, memberships, products, recipes, storage_units,
    vendors,
};

use super::api_tokens::ApiToken;
use super::context::{ContextExt, parse_id, parse_opt_id};
use super::errors::GqlResult;
use super::paging::{PageArgs, TotalCount, paged};
use super::scalars::Unit;
use super::types::*;

#[derive(Default)]
pub struct QueryRoot;

/// The query root: accounts and master data, the ledger and its reports, orders.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct Query(
    QueryRoot,
    super::ledger::LedgerQuery,
    super::reports::ReportQuery,
    super::orders::OrderQuery,
    super::invoices::InvoiceQuery,
    super::transfers::TransferQuery,
    super::stock_counts::StockCountQuery,
    super::counting::CountingQuery,
    super::pos::integrations::IntegrationQuery,
    super::pos::locations::LocationQuery,
    super::pos::mappings::MappingQuery,
    super::pos::csv::CsvQuery,
    super::jobs::JobQuery,
    super::food_cost::FoodCostQuery,
    super::purchasing::PurchasingQuery,
);

#[Object]
impl QueryRoot {
    /// The signed-in user (or, for an API token, the user who created it).
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        let principal = ctx.principal()?;
        Ok(User(
            accounts::find_user(ctx.db(), principal.acting_user_id())
                .await
                .gql()?,
        ))
    }

    async fn company(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Company> {
        let id = parse_id(&id, "company", "id")?;
        Ok(Company(
            companies::get(ctx.db(), ctx.principal()?, id).await.gql()?,
        ))
    }

    async fn members(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
    ) -> async_graphql::Result<Vec<Member>> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let members = memberships::members(ctx.db(), ctx.principal()?, company_id)
            .await
            .gql()?;
        Ok(members.into_iter().map(Into::into).collect())
    }

    /// Owners only.
    async fn api_tokens(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
    ) -> async_graphql::Result<Vec<ApiToken>> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let tokens = api_tokens::list(ctx.db(), ctx.principal()?, company_id)
            .await
            .gql()?;
        Ok(tokens.into_iter().map(ApiToken).collect())
    }

    async fn storage_units(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        search: Option<String>,
        #[graphql(default)] include_archived: bool,
    ) -> async_graphql::Result<Vec<StorageUnit>> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let rows = storage_units::list(
            ctx.db(),
            ctx.principal()?,
            company_id,
            search.as_deref(),
            include_archived,
        )
        .await
        .gql()?;
        Ok(rows.into_iter().map(StorageUnit).collect())
    }

    async fn storage_unit(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<StorageUnit> {
        let id = parse_id(&id, storage_units::ENTITY, "id")?;
        Ok(StorageUnit(
            storage_units::get(ctx.db(), ctx.principal()?, id)
                .await
                .gql()?,
        ))
    }

    async fn ingredients(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        search: Option<String>,
        category: Option<String>,
        active: Option<bool>,
        #[graphql(default)] include_archived: bool,
    ) -> async_graphql::Result<Vec<Ingredient>> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let filter = ingredients::IngredientFilter {
            search,
            category,
            active,
            include_archived,
        };
        let rows = ingredients::list(ctx.db(), ctx.principal()?, company_id, &filter)
            .await
            .gql()?;
        Ok(rows.into_iter().map(Ingredient).collect())
    }

    /// The same list as `ingredients`, in pages (name order) with cursors both ways.
    #[graphql(complexity = "super::page_cost(first, last, 50, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn ingredient_connection(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        search: Option<String>,
        category: Option<String>,
        active: Option<bool>,
        #[graphql(default)] include_archived: bool,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<Connection<OpaqueCursor<(String, i64)>, Ingredient, TotalCount>>
    {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let filter = ingredients::IngredientFilter {
            search,
            category,
            active,
            include_archived,
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
                ingredients::page(db, principal, company_id, &filter, &request)
                    .await
                    .gql()
            },
            |row| (row.name.clone(), row.id),
            Ingredient,
        )
        .await
    }

    async fn ingredient(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Ingredient> {
        let id = parse_id(&id, ingredients::ENTITY, "id")?;
        Ok(Ingredient(
            ingredients::get(ctx.db(), ctx.principal()?, id)
                .await
                .gql()?,
        ))
    }

    /// A quantity entered in `unit` (or one of the ingredient's packaging levels) in the
    /// ingredient's base unit; a unit of another dimension is a VALIDATION error.
    async fn convert_to_base_unit(
        &self,
        ctx: &Context<'_>,
        ingredient_id: ID,
        quantity: Decimal,
        unit: Option<Unit>,
        packaging_level_id: Option<ID>,
    ) -> async_graphql::Result<Decimal> {
        let id = parse_id(&ingredient_id, ingredients::ENTITY, "ingredientId")?;
        let ingredient = ingredients::get(ctx.db(), ctx.principal()?, id)
            .await
            .gql()?;
        let unit = match (
            unit,
            parse_opt_id(&packaging_level_id, "packaging level", "packagingLevelId")?,
        ) {
            (_, Some(level)) => ingredients::QuantityUnit::PackagingLevel(level),
            (Some(unit), None) => ingredients::QuantityUnit::Unit(unit.into()),
            (None, None) => return Ok(quantity),
        };
        let base = ingredients::to_base_quantity(ctx.db(), &ingredient, quantity, unit, "unit")
            .await
            .gql()?;
        Ok(base.normalize())
    }

    async fn recipes(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        search: Option<String>,
        active: Option<bool>,
        #[graphql(default)] include_archived: bool,
    ) -> async_graphql::Result<Vec<Recipe>> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let rows = recipes::list(
            ctx.db(),
            ctx.principal()?,
            company_id,
            search.as_deref(),
            active,
            include_archived,
        )
        .await
        .gql()?;
        Ok(rows.into_iter().map(Recipe).collect())
    }

    async fn recipe(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Recipe> {
        let id = parse_id(&id, recipes::ENTITY, "id")?;
        Ok(Recipe(
            recipes::get(ctx.db(), ctx.principal()?, id).await.gql()?,
        ))
    }

    async fn vendors(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        search: Option<String>,
        #[graphql(default)] include_archived: bool,
    ) -> async_graphql::Result<Vec<Vendor>> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let rows = vendors::list(
            ctx.db(),
            ctx.principal()?,
            company_id,
            search.as_deref(),
            include_archived,
        )
        .await
        .gql()?;
        Ok(rows.into_iter().map(Vendor).collect())
    }

    async fn vendor(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Vendor> {
        let id = parse_id(&id, vendors::ENTITY, "id")?;
        Ok(Vendor(
            vendors::get(ctx.db(), ctx.principal()?, id).await.gql()?,
        ))
    }

    async fn products(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        vendor_id: Option<ID>,
        ingredient_id: Option<ID>,
        search: Option<String>,
        #[graphql(default)] include_archived: bool,
    ) -> async_graphql::Result<Vec<Product>> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let filter = products::ProductFilter {
            vendor_id: parse_opt_id(&vendor_id, vendors::ENTITY, "vendorId")?,
            ingredient_id: parse_opt_id(&ingredient_id, ingredients::ENTITY, "ingredientId")?,
            search,
            include_archived,
        };
        let rows = products::list(ctx.db(), ctx.principal()?, company_id, &filter)
            .await
            .gql()?;
        Ok(rows.into_iter().map(Product).collect())
    }

    async fn product(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Product> {
        let id = parse_id(&id, products::ENTITY, "id")?;
        Ok(Product(
            products::get(ctx.db(), ctx.principal()?, id).await.gql()?,
        ))
    }
}
