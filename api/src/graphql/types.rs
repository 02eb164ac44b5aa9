//! GraphQL object types: thin views of the entity rows.

use std::sync::Arc;

use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use service::food_cost;
use service::food_cost::recipe_cost::food_cost_percent;
use service::quantity::from_micro;
use service::{records, vendors};

use super::context::{ContextExt, id};
use super::errors::{GqlResult, internal};
use super::loaders::Loaders;
use super::scalars::{BaseUnit, CostBasis, Locale, Role, Unit};

pub(super) fn loaders<'a>(ctx: &'a Context<'_>) -> &'a Loaders {
    ctx.data_unchecked::<Loaders>()
}

/// A user; `memberships` are shown only on the caller's own user.
pub struct User(pub records::User);

#[Object]
impl User {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn email(&self) -> &str {
        &self.0.email
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The app's language the user chose; null: their browser's.
    async fn locale(&self) -> Option<Locale> {
        self.0.locale.map(Into::into)
    }
    /// The companies this user belongs to, with their role; only for the user themself.
    async fn memberships(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Membership>> {
        // signUp and login answer before the request had a caller: the user is then the caller.
        let principal = ctx.principal().ok();
        if principal.is_some_and(|p| p.acting_user_id() != self.0.id) {
            return Ok(vec![]);
        }
        let rows = service::memberships::user_memberships(ctx.db(), self.0.id)
            .await
            .gql()?;
        Ok(rows
            .into_iter()
            .filter(|(c, _)| principal.is_none_or(|p| p.role_in(c.id).is_some()))
            .map(|(company, role)| Membership {
                company: Company(company),
                role: role.into(),
            })
            .collect())
    }
}

pub struct Membership {
    pub company: Company,
    pub role: Role,
}

#[Object]
impl Membership {
    async fn company(&self) -> &Company {
        &self.company
    }
    async fn role(&self) -> Role {
        self.role
    }
}

pub struct Company(pub records::Company);

#[Object]
impl Company {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// ISO 4217 code.
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    /// IANA timezone.
    async fn timezone(&self) -> &str {
        &self.0.timezone
    }
    /// Sales before this hour belong to the previous business day.
    async fn business_day_start_hour(&self) -> i32 {
        self.0.business_day_start_hour
    }
    /// The VAT included in POS sales values and menu prices (0: the POS reports net values).
    async fn sales_vat_percent(&self) -> Decimal {
        from_micro(self.0.sales_vat_percent_micro)
    }
    /// How far (in percent) a receipt's unit cost must move from the previous one to be a
    /// price change.
    async fn price_alert_percent(&self) -> Decimal {
        from_micro(self.0.price_alert_percent_micro)
    }
    /// Staff count without seeing the books or the differences; managers see them.
    async fn blind_counts(&self) -> bool {
        self.0.blind_counts
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The caller's role here.
    async fn my_role(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Role>> {
        Ok(ctx.principal()?.role_in(self.0.id).map(Into::into))
    }
}

#[derive(SimpleObject)]
pub struct Member {
    pub user_id: ID,
    pub email: String,
    pub name: String,
    pub role: Role,
}

impl From<service::memberships::Member> for Member {
    fn from(m: service::memberships::Member) -> Self {
        Member {
            user_id: id(m.user.id),
            email: m.user.email,
            name: m.user.name,
            role: m.role.into(),
        }
    }
}

pub struct StorageUnit(pub records::StorageUnit);

#[Object]
impl StorageUnit {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Null for a storage unit of another company (seen through a transfer).
    async fn address(&self, ctx: &Context<'_>) -> Option<&str> {
        self.0
            .address
            .as_deref()
            .filter(|_| member_of(ctx, self.0.company_id))
    }
    async fn archived(&self) -> bool {
        self.0.archived_at.is_some()
    }
    /// Its shelves and areas in the order a count walks them; none for another company's.
    async fn places(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<super::counting::StoragePlace>> {
        if !member_of(ctx, self.0.company_id) {
            return Ok(vec![]);
        }
        Ok(service::counting::places::list(ctx.db(), self.0.id)
            .await
            .gql()?
            .into_iter()
            .map(super::counting::StoragePlace)
            .collect())
    }
    /// Transfers shipped to this storage unit and not yet received (its badge); 0 for a
    /// storage unit of another company.
    async fn pending_transfers_in(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        if !member_of(ctx, self.0.company_id) {
            return Ok(0);
        }
        let count = loaders(ctx)
            .pending_transfers
            .load_one(self.0.id)
            .await
            .map_err(internal)?;
        Ok(count.unwrap_or(0))
    }
}

/// Whether the caller belongs to `company_id`: a cross-company transfer shows a member of the
/// receiving company the source's storage unit and ingredient by name, and nothing more of it.
fn member_of(ctx: &Context<'_>, company_id: i64) -> bool {
    ctx.principal()
        .is_ok_and(|p| p.role_in(company_id).is_some())
}

pub struct PackagingLevel(pub records::PackagingLevel);

#[Object]
impl PackagingLevel {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    /// What the level is called (box, case).
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Base units of the ingredient in one of this level.
    async fn factor(&self) -> Decimal {
        from_micro(self.0.factor_micro)
    }
}

pub struct Ingredient(pub records::Ingredient);

#[Object]
impl Ingredient {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn base_unit(&self) -> BaseUnit {
        BaseUnit::from_db(&self.0.base_unit)
    }
    /// Null for an ingredient of another company (seen through a transfer).
    async fn category(&self, ctx: &Context<'_>) -> Option<&str> {
        self.0
            .category
            .as_deref()
            .filter(|_| member_of(ctx, self.0.company_id))
    }
    async fn active(&self) -> bool {
        self.0.active
    }
    async fn archived(&self) -> bool {
        self.0.archived_at.is_some()
    }
    /// Empty for an ingredient of another company.
    async fn packaging_levels(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<PackagingLevel>> {
        if !member_of(ctx, self.0.company_id) {
            return Ok(vec![]);
        }
        let levels = loaders(ctx)
            .packaging_levels
            .load_one(self.0.id)
            .await
            .map_err(internal)?;
        Ok(levels
            .unwrap_or_default()
            .into_iter()
            .map(PackagingLevel)
            .collect())
    }
    /// The product (vendor and pack) it is ordered in; null for another company's ingredient.
    async fn preferred_product(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Product>> {
        let Some(product) = self
            .0
            .preferred_product_id
            .filter(|_| member_of(ctx, self.0.company_id))
        else {
            return Ok(None);
        };
        Ok(loaders(ctx)
            .products
            .load_one(product)
            .await
            .map_err(internal)?
            .map(Product))
    }
}

pub struct Recipe(pub records::Recipe);

#[Object]
impl Recipe {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Portions one batch yields.
    async fn yield_quantity(&self) -> Decimal {
        from_micro(self.0.yield_micro)
    }
    async fn active(&self) -> bool {
        self.0.active
    }
    async fn archived(&self) -> bool {
        self.0.archived_at.is_some()
    }
    /// What a guest pays for a portion, VAT included.
    async fn menu_price(&self) -> Option<Decimal> {
        self.0.menu_price_micro.map(from_micro)
    }
    /// What a portion costs now, sub-recipes and trim included (AVERAGE basis by default).
    async fn cost(
        &self,
        ctx: &Context<'_>,
        basis: Option<CostBasis>,
    ) -> async_graphql::Result<RecipeCost> {
        self.cost_on(ctx, basis.unwrap_or_default()).await
    }
    /// Cost per portion (AVERAGE basis) ÷ the menu price net of the company's sales VAT × 100.
    async fn food_cost_percent(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Decimal>> {
        let Some(price) = self.0.menu_price_micro else {
            return Ok(None);
        };
        let cost = self.cost_on(ctx, CostBasis::Average).await?;
        let company = loaders(ctx)
            .companies
            .load_one(self.0.company_id)
            .await
            .map_err(internal)?
            .ok_or_else(|| internal("the recipe's company is missing"))?;
        Ok(food_cost_percent(
            cost.0.per_portion,
            from_micro(price),
            company.sales_vat_percent_micro,
        ))
    }
    async fn default_issue_storage_unit(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<StorageUnit>> {
        load_storage_unit(ctx, self.0.default_issue_storage_unit_id).await
    }
    async fn lines(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<RecipeLine>> {
        let lines = loaders(ctx)
            .recipe_lines
            .load_one(self.0.id)
            .await
            .map_err(internal)?;
        Ok(lines
            .unwrap_or_default()
            .into_iter()
            .map(RecipeLine)
            .collect())
    }
    /// Base-unit quantities of ingredients one portion takes, sub-recipes expanded and trim
    /// loss added, with the storage unit each is issued from (null: the POS location's).
    async fn expanded(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ExpandedRecipeLine>> {
        let book = loaders(ctx)
            .recipe_books
            .load_one(self.0.company_id)
            .await
            .map_err(internal)?;
        let book = book.ok_or_else(|| internal("recipe book missing"))?;
        let lines = book.expand_off_thread(self.0.id).await.gql()?;
        Ok(lines.into_iter().map(ExpandedRecipeLine).collect())
    }
}

impl Recipe {
    async fn cost_on(
        &self,
        ctx: &Context<'_>,
        basis: CostBasis,
    ) -> async_graphql::Result<RecipeCost> {
        let cost = loaders(ctx)
            .recipe_costs
            .load_one((self.0.id, basis.into()))
            .await
            .map_err(internal)?
            .ok_or_else(|| internal("the recipe's cost is missing"))?;
        Ok(RecipeCost(cost))
    }
}

/// A portion's cost: the sum of the lines that have a cost.
pub struct RecipeCost(pub Arc<food_cost::recipe_cost::RecipeCost>);

#[Object]
impl RecipeCost {
    /// Unrounded (6 decimal places).
    async fn per_portion(&self) -> Decimal {
        self.0.per_portion
    }
    /// False when an ingredient has no cost yet (never received): its line says which.
    async fn complete(&self) -> bool {
        self.0.complete
    }
    /// Most expensive first; lines without a cost last.
    async fn lines(&self) -> Vec<RecipeCostLine> {
        self.0.lines.iter().cloned().map(RecipeCostLine).collect()
    }
}

pub struct RecipeCostLine(pub food_cost::recipe_cost::CostLine);

#[Object]
impl RecipeCostLine {
    async fn ingredient(&self, ctx: &Context<'_>) -> async_graphql::Result<Ingredient> {
        load_ingredient(ctx, Some(self.0.ingredient_id))
            .await?
            .ok_or_else(|| internal("the line's ingredient is missing"))
    }
    /// Base units per portion, trim included.
    async fn quantity(&self) -> Decimal {
        self.0.quantity
    }
    async fn unit_cost(&self) -> Option<Decimal> {
        self.0.unit_cost
    }
    async fn cost(&self) -> Option<Decimal> {
        self.0.cost
    }
}

pub(super) async fn load_storage_unit(
    ctx: &Context<'_>,
    id: Option<i64>,
) -> async_graphql::Result<Option<StorageUnit>> {
    match id {
        None => Ok(None),
        Some(id) => Ok(loaders(ctx)
            .storage_units
            .load_one(id)
            .await
            .map_err(internal)?
            .map(StorageUnit)),
    }
}

pub(super) async fn load_ingredient(
    ctx: &Context<'_>,
    id: Option<i64>,
) -> async_graphql::Result<Option<Ingredient>> {
    match id {
        None => Ok(None),
        Some(id) => Ok(loaders(ctx)
            .ingredients
            .load_one(id)
            .await
            .map_err(internal)?
            .map(Ingredient)),
    }
}

pub(super) async fn load_vendor(
    ctx: &Context<'_>,
    id: Option<i64>,
) -> async_graphql::Result<Option<Vendor>> {
    match id {
        None => Ok(None),
        Some(id) => Ok(loaders(ctx)
            .vendors
            .load_one(id)
            .await
            .map_err(internal)?
            .map(Vendor)),
    }
}

pub(super) async fn load_product(
    ctx: &Context<'_>,
    id: Option<i64>,
) -> async_graphql::Result<Option<Product>> {
    match id {
        None => Ok(None),
        Some(id) => Ok(loaders(ctx)
            .products
            .load_one(id)
            .await
            .map_err(internal)?
            .map(Product)),
    }
}

pub struct RecipeLine(pub records::RecipeLine);

#[Object]
impl RecipeLine {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn position(&self) -> i32 {
        self.0.position
    }
    async fn ingredient(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ingredient>> {
        load_ingredient(ctx, self.0.ingredient_id).await
    }
    async fn sub_recipe(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Recipe>> {
        match self.0.sub_recipe_id {
            None => Ok(None),
            Some(id) => Ok(loaders(ctx)
                .recipes
                .load_one(id)
                .await
                .map_err(internal)?
                .map(Recipe)),
        }
    }
    /// Net quantity per portion in `unit`; for a sub-recipe, its portions.
    async fn quantity(&self) -> Decimal {
        from_micro(self.0.quantity_micro)
    }
    async fn unit(&self) -> Unit {
        Unit::from_db(&self.0.unit)
    }
    /// Preparation loss in percent of what is taken: net ÷ (1 − trim/100) is issued.
    async fn trim_percent(&self) -> Decimal {
        from_micro(self.0.trim_percent_micro)
    }
    async fn issue_storage_unit(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<StorageUnit>> {
        load_storage_unit(ctx, self.0.issue_storage_unit_id).await
    }
}

pub struct ExpandedRecipeLine(pub service::recipes::ExpandedLine);

#[Object]
impl ExpandedRecipeLine {
    async fn ingredient(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ingredient>> {
        load_ingredient(ctx, Some(self.0.ingredient_id)).await
    }
    async fn storage_unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<StorageUnit>> {
        load_storage_unit(ctx, self.0.storage_unit_id).await
    }
    /// In the ingredient's base unit, per portion.
    async fn quantity(&self) -> Decimal {
        self.0.quantity
    }
}

pub struct Vendor(pub records::Vendor);

#[Object]
impl Vendor {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
    /// The VAT id e-invoices name the vendor by (kept without spaces, upper case).
    async fn vat_id(&self) -> Option<&str> {
        self.0.vat_id.as_deref()
    }
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }
    async fn archived(&self) -> bool {
        self.0.archived_at.is_some()
    }
    /// Days from ordering to delivery.
    async fn lead_time_days(&self) -> i64 {
        self.0.lead_time_days
    }
    /// ISO weekdays it takes orders on (Monday = 1); empty: any day.
    async fn order_weekdays(&self) -> Vec<u32> {
        vendors::order_weekdays(&self.0)
    }
    /// An order below it is flagged.
    async fn minimum_order_value(&self) -> Option<Decimal> {
        self.0.minimum_order_value_micro.map(from_micro)
    }
    /// Whether today's business day (in the company's timezone) is one of its order weekdays.
    async fn orders_today(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let company = loaders(ctx)
            .companies
            .load_one(self.0.company_id)
            .await
            .map_err(internal)?;
        Ok(company.is_some_and(|c| {
            let today = service::business_days::business_date_of(&c, Utc::now());
            vendors::takes_orders_on(&self.0, today)
        }))
    }
}

pub struct Product(pub records::Product);

#[Object]
impl Product {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn sku(&self) -> &str {
        &self.0.sku
    }
    /// The pack's GTIN (EAN), how e-invoices and scanners name it.
    async fn gtin(&self) -> Option<&str> {
        self.0.gtin.as_deref()
    }
    /// What one pack is called (box, case, bottle).
    async fn pack_name(&self) -> &str {
        &self.0.pack_name
    }
    /// The ingredient's base units in one pack.
    async fn packaging_factor(&self) -> Decimal {
        from_micro(self.0.packaging_factor_micro)
    }
    /// The fewest packs the vendor delivers.
    async fn minimum_packs(&self) -> Decimal {
        from_micro(self.0.minimum_packs_micro)
    }
    async fn archived(&self) -> bool {
        self.0.archived_at.is_some()
    }
    async fn vendor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Vendor>> {
        Ok(loaders(ctx)
            .vendors
            .load_one(self.0.vendor_id)
            .await
            .map_err(internal)?
            .map(Vendor))
    }
    async fn ingredient(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ingredient>> {
        load_ingredient(ctx, Some(self.0.ingredient_id)).await
    }
}
