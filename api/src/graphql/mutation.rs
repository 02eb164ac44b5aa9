//! Write operations: each translates its input and calls one service function, which checks
//! the caller's role and company and runs in one transaction.

use async_graphql::{Context, ID, MaybeUndefined, MergedObject, Object};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use service::{
    accounts, api_tokens, companies, ingredients, memberships, products, recipes, storage_units,
    vendors,
};

use super::api_tokens::{ApiToken, AuthPayload, CreatedApiToken};
use super::context::{ContextExt, parse_id, parse_opt_id};
use super::errors::GqlResult;
use super::inputs::*;
use super::scalars::{BaseUnit, Role};
use super::types::*;

#[derive(Default)]
pub struct MutationRoot;

/// The mutation root: accounts, master data, and stock operations.
#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct Mutation(
    MutationRoot,
    super::movements::LedgerMutation,
    super::orders::OrderMutation,
    super::invoices::InvoiceMutation,
    super::transfers::TransferMutation,
    super::stock_counts::StockCountMutation,
    super::counting::CountingMutation,
    super::pos::integrations::IntegrationMutation,
    super::pos::locations::LocationMutation,
    super::pos::mappings::MappingMutation,
    super::pos::csv::CsvMutation,
    super::purchasing::PurchasingMutation,
    super::jobs::JobMutation,
);

/// Counts a sign-in attempt against the per-address and per-account limits.
fn limit_sign_ins(ctx: &Context<'_>, email: &str) -> async_graphql::Result<()> {
    let client = ctx.request().and_then(|r| r.client);
    ctx.settings()
        .login_limits
        .check(client, email)
        .map_err(super::errors::to_graphql)
}

#[Object]
impl MutationRoot {
    /// Creates a user and a new company they own, and signs them in.
    async fn sign_up(
        &self,
        ctx: &Context<'_>,
        input: SignUpInput,
    ) -> async_graphql::Result<AuthPayload> {
        limit_sign_ins(ctx, &input.email)?;
        let session = accounts::sign_up(
            ctx.db(),
            accounts::SignUp {
                email: input.email,
                password: input.password,
                name: input.name,
                company_name: input.company_name,
                timezone: input.timezone,
                currency: input.currency,
            },
            ctx.settings().session_ttl,
        )
        .await
        .gql()?;
        Ok(AuthPayload {
            token: session.token,
            user: User(session.user),
        })
    }

    /// Repeated failures lock the account for a while (extensions.retryAfterSeconds).
    async fn login(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
    ) -> async_graphql::Result<AuthPayload> {
        limit_sign_ins(ctx, &email)?;
        let session = accounts::login(ctx.db(), &email, &password, ctx.settings().session_ttl)
            .await
            .gql()?;
        Ok(AuthPayload {
            token: session.token,
            user: User(session.user),
        })
    }

    /// Changes the signed-in user's own name or language.
    async fn update_me(
        &self,
        ctx: &Context<'_>,
        input: super::inputs::UpdateMeInput,
    ) -> async_graphql::Result<User> {
        let patch = accounts::ProfilePatch {
            name: input.name,
            locale: maybe(input.locale, |l| Ok(l.into()))?,
        };
        Ok(User(
            accounts::update_me(ctx.db(), ctx.principal()?, patch)
                .await
                .gql()?,
        ))
    }

    /// Ends the session whose token made this request.
    async fn logout(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        ctx.principal()?;
        let token = ctx
            .request()
            .and_then(|r| r.token.clone())
            .unwrap_or_default();
        accounts::logout(ctx.db(), &token).await.gql()
    }

    /// Opens another company (a second restaurant) owned by the caller.
    async fn create_company(
        &self,
        ctx: &Context<'_>,
        input: CompanyInput,
    ) -> async_graphql::Result<Company> {
        let input = companies::CompanyInput {
            name: input.name,
            currency: input.currency,
            timezone: input.timezone,
            business_day_start_hour: input.business_day_start_hour,
        };
        Ok(Company(
            companies::create(ctx.db(), ctx.principal()?, input)
                .await
                .gql()?,
        ))
    }

    async fn update_company(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: CompanyPatchInput,
    ) -> async_graphql::Result<Company> {
        let id = parse_id(&id, "company", "id")?;
        let patch = companies::CompanyPatch {
            name: input.name,
            currency: input.currency,
            timezone: input.timezone,
            business_day_start_hour: input.business_day_start_hour,
            sales_vat_percent: input.sales_vat_percent,
            price_alert_percent: input.price_alert_percent,
            blind_counts: input.blind_counts,
        };
        Ok(Company(
            companies::update(ctx.db(), ctx.principal()?, id, patch)
                .await
                .gql()?,
        ))
    }

    async fn archive_company(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Company> {
        let id = parse_id(&id, "company", "id")?;
        Ok(Company(
            companies::archive(ctx.db(), ctx.principal()?, id)
                .await
                .gql()?,
        ))
    }

    /// Adds a user who has signed up (by email) to the company, or changes their role.
    async fn add_member(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        email: String,
        role: Role,
    ) -> async_graphql::Result<Member> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        Ok(
            memberships::add_member(ctx.db(), ctx.principal()?, company_id, &email, role.into())
                .await
                .gql()?
                .into(),
        )
    }

    async fn remove_member(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        user_id: ID,
    ) -> async_graphql::Result<bool> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let user_id = parse_id(&user_id, "member", "userId")?;
        memberships::remove_member(ctx.db(), ctx.principal()?, company_id, user_id)
            .await
            .gql()
    }

    /// The token is in the answer this once; only its hash is kept.
    async fn create_api_token(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        name: String,
        role: Role,
        expires_at: Option<DateTime<Utc>>,
    ) -> async_graphql::Result<CreatedApiToken> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let created = api_tokens::create(
            ctx.db(),
            ctx.principal()?,
            company_id,
            &name,
            role.into(),
            expires_at,
        )
        .await
        .gql()?;
        Ok(CreatedApiToken {
            token: created.token,
            api_token: ApiToken(created.record),
        })
    }

    async fn revoke_api_token(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<ApiToken> {
        let id = parse_id(&id, "API token", "id")?;
        Ok(ApiToken(
            api_tokens::revoke(ctx.db(), ctx.principal()?, id)
                .await
                .gql()?,
        ))
    }

    async fn create_storage_unit(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        name: String,
        address: Option<String>,
    ) -> async_graphql::Result<StorageUnit> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let row = storage_units::create(
            ctx.db(),
            ctx.principal()?,
            company_id,
            &name,
            address.as_deref(),
        )
        .await
        .gql()?;
        Ok(StorageUnit(row))
    }

    async fn update_storage_unit(
        &self,
        ctx: &Context<'_>,
        id: ID,
        name: Option<String>,
        address: MaybeUndefined<String>,
    ) -> async_graphql::Result<StorageUnit> {
        let id = parse_id(&id, storage_units::ENTITY, "id")?;
        let address = match &address {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(v) => Some(Some(v.as_str())),
        };
        let row = storage_units::update(ctx.db(), ctx.principal()?, id, name.as_deref(), address)
            .await
            .gql()?;
        Ok(StorageUnit(row))
    }

    /// Archived rows leave the lists but stay for history; `archived: false` restores.
    async fn archive_storage_unit(
        &self,
        ctx: &Context<'_>,
        id: ID,
        #[graphql(default = true)] archived: bool,
    ) -> async_graphql::Result<StorageUnit> {
        let id = parse_id(&id, storage_units::ENTITY, "id")?;
        Ok(StorageUnit(
            storage_units::set_archived(ctx.db(), ctx.principal()?, id, archived)
                .await
                .gql()?,
        ))
    }

    #[allow(clippy::too_many_arguments)]
    async fn create_ingredient(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        name: String,
        base_unit: BaseUnit,
        category: Option<String>,
        #[graphql(default = true)] active: bool,
        #[graphql(default)] packaging_levels: Vec<PackagingLevelInput>,
    ) -> async_graphql::Result<Ingredient> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let input = ingredients::IngredientInput {
            name,
            base_unit: base_unit.into(),
            category,
            active,
            packaging_levels: packaging_levels.into_iter().map(Into::into).collect(),
        };
        Ok(Ingredient(
            ingredients::create(ctx.db(), ctx.principal()?, company_id, input)
                .await
                .gql()?,
        ))
    }

    async fn update_ingredient(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: IngredientPatchInput,
    ) -> async_graphql::Result<Ingredient> {
        let id = parse_id(&id, ingredients::ENTITY, "id")?;
        let patch = ingredients::IngredientPatch {
            name: input.name,
            base_unit: input.base_unit.map(Into::into),
            category: maybe(input.category, Ok)?,
            active: input.active,
            packaging_levels: input
                .packaging_levels
                .map(|l| l.into_iter().map(Into::into).collect()),
            preferred_product_id: maybe(input.preferred_product_id, |p| {
                parse_id(&p, "product", "preferredProductId")
            })?,
        };
        Ok(Ingredient(
            ingredients::update(ctx.db(), ctx.principal()?, id, patch)
                .await
                .gql()?,
        ))
    }

    async fn archive_ingredient(
        &self,
        ctx: &Context<'_>,
        id: ID,
        #[graphql(default = true)] archived: bool,
    ) -> async_graphql::Result<Ingredient> {
        let id = parse_id(&id, ingredients::ENTITY, "id")?;
        Ok(Ingredient(
            ingredients::set_archived(ctx.db(), ctx.principal()?, id, archived)
                .await
                .gql()?,
        ))
    }

    #[allow(clippy::too_many_arguments)]
    async fn create_recipe(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        name: String,
        yield_quantity: Decimal,
        lines: Vec<RecipeLineInput>,
        #[graphql(default = true)] active: bool,
        default_issue_storage_unit_id: Option<ID>,
        menu_price: Option<Decimal>,
    ) -> async_graphql::Result<Recipe> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let input = recipes::RecipeInput {
            name,
            yield_quantity,
            active,
            default_issue_storage_unit_id: parse_opt_id(
                &default_issue_storage_unit_id,
                storage_units::ENTITY,
                "defaultIssueStorageUnitId",
            )?,
            menu_price,
            lines: recipe_lines(lines)?,
        };
        Ok(Recipe(
            recipes::create(ctx.db(), ctx.principal()?, company_id, input)
                .await
                .gql()?,
        ))
    }

    async fn update_recipe(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: RecipePatchInput,
    ) -> async_graphql::Result<Recipe> {
        let id = parse_id(&id, recipes::ENTITY, "id")?;
        let patch = recipes::RecipePatch {
            name: input.name,
            yield_quantity: input.yield_quantity,
            active: input.active,
            default_issue_storage_unit_id: maybe(input.default_issue_storage_unit_id, |v| {
                parse_id(&v, storage_units::ENTITY, "defaultIssueStorageUnitId")
            })?,
            menu_price: maybe(input.menu_price, Ok)?,
            lines: input.lines.map(recipe_lines).transpose()?,
        };
        Ok(Recipe(
            recipes::update(ctx.db(), ctx.principal()?, id, patch)
                .await
                .gql()?,
        ))
    }

    async fn archive_recipe(
        &self,
        ctx: &Context<'_>,
        id: ID,
        #[graphql(default = true)] archived: bool,
    ) -> async_graphql::Result<Recipe> {
        let id = parse_id(&id, recipes::ENTITY, "id")?;
        Ok(Recipe(
            recipes::set_archived(ctx.db(), ctx.principal()?, id, archived)
                .await
                .gql()?,
        ))
    }

    async fn create_vendor(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        input: VendorInput,
    ) -> async_graphql::Result<Vendor> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        Ok(Vendor(
            vendors::create(ctx.db(), ctx.principal()?, company_id, input.into())
                .await
                .gql()?,
        ))
    }

    async fn update_vendor(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: VendorInput,
    ) -> async_graphql::Result<Vendor> {
        let id = parse_id(&id, vendors::ENTITY, "id")?;
        Ok(Vendor(
            vendors::update(ctx.db(), ctx.principal()?, id, input.into())
                .await
                .gql()?,
        ))
    }

    async fn archive_vendor(
        &self,
        ctx: &Context<'_>,
        id: ID,
        #[graphql(default = true)] archived: bool,
    ) -> async_graphql::Result<Vendor> {
        let id = parse_id(&id, vendors::ENTITY, "id")?;
        Ok(Vendor(
            vendors::set_archived(ctx.db(), ctx.principal()?, id, archived)
                .await
                .gql()?,
        ))
    }

    async fn create_product(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        input: ProductInput,
    ) -> async_graphql::Result<Product> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        Ok(Product(
            products::create(
                ctx.db(),
                ctx.principal()?,
                company_id,
                input.into_service()?,
            )
            .await
            .gql()?,
        ))
    }

    async fn update_product(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: ProductInput,
    ) -> async_graphql::Result<Product> {
        let id = parse_id(&id, products::ENTITY, "id")?;
        Ok(Product(
            products::update(ctx.db(), ctx.principal()?, id, input.into_service()?)
                .await
                .gql()?,
        ))
    }

    async fn archive_product(
        &self,
        ctx: &Context<'_>,
        id: ID,
        #[graphql(default = true)] archived: bool,
    ) -> async_graphql::Result<Product> {
        let id = parse_id(&id, products::ENTITY, "id")?;
        Ok(Product(
            products::set_archived(ctx.db(), ctx.principal()?, id, archived)
                .await
                .gql()?,
        ))
    }
}
