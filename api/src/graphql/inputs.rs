//! GraphQL input types and their translation into service inputs.

use async_graphql::{ID, InputObject, MaybeUndefined};
use rust_decimal::Decimal;

use super::context::{parse_id, parse_opt_id};
use super::scalars::{BaseUnit, Unit};

/// A patch field: left out (None), null (Some(None)) or a value converted by `f`.
pub fn maybe<T, U>(
    value: MaybeUndefined<T>,
    f: impl FnOnce(T) -> async_graphql::Result<U>,
) -> async_graphql::Result<Option<Option<U>>> {
    match value {
        MaybeUndefined::Undefined => Ok(None),
        MaybeUndefined::Null => Ok(Some(None)),
        MaybeUndefined::Value(v) => Ok(Some(Some(f(v)?))),
    }
}

#[derive(InputObject)]
pub struct SignUpInput {
    pub email: String,
    pub password: String,
    pub name: String,
    pub company_name: String,
    pub timezone: Option<String>,
    pub currency: Option<String>,
}

#[derive(InputObject)]
pub struct CompanyInput {
    pub name: String,
    pub currency: String,
    pub timezone: String,
    #[graphql(default = 5)]
    pub business_day_start_hour: i32,
}

#[derive(InputObject)]
pub struct CompanyPatchInput {
    pub name: Option<String>,
    pub currency: Option<String>,
    pub timezone: Option<String>,
    pub business_day_start_hour: Option<i32>,
    /// The VAT included in POS sales values and menu prices (0 to 100).
    pub sales_vat_percent: Option<Decimal>,
    /// How far a receipt's unit cost must move to be a price change (0 to 1000).
    pub price_alert_percent: Option<Decimal>,
    /// Staff count without seeing the books or the differences.
    pub blind_counts: Option<bool>,
}

#[derive(InputObject, Clone)]
pub struct PackagingLevelInput {
    pub name: String,
    /// Base units in one of this level (1 box = 10 KG → 10).
    pub factor: Decimal,
}

impl From<PackagingLevelInput> for service::ingredients::PackagingLevelInput {
    fn from(p: PackagingLevelInput) -> Self {
        Self {
            name: p.name,
            factor: p.factor,
        }
    }
}

#[derive(InputObject)]
pub struct IngredientPatchInput {
    pub name: Option<String>,
    pub base_unit: Option<BaseUnit>,
    /// null clears the category.
    pub category: MaybeUndefined<String>,
    pub active: Option<bool>,
    /// Replaces all packaging levels when given.
    pub packaging_levels: Option<Vec<PackagingLevelInput>>,
    /// The product (vendor and pack) it is ordered in; null clears it.
    pub preferred_product_id: MaybeUndefined<ID>,
}

#[derive(InputObject, Clone)]
pub struct RecipeLineInput {
    pub ingredient_id: Option<ID>,
    pub sub_recipe_id: Option<ID>,
    /// Net quantity per portion; for a sub-recipe, its portions (unit PCS).
    pub quantity: Decimal,
    pub unit: Unit,
    /// Preparation loss in percent of what is taken: net ÷ (1 − trim/100) is issued (10 on
    /// 100 g net issues 111.111111 g).
    #[graphql(default)]
    pub trim_percent: Decimal,
    pub issue_storage_unit_id: Option<ID>,
}

pub fn recipe_lines(
    lines: Vec<RecipeLineInput>,
) -> async_graphql::Result<Vec<service::recipes::RecipeLineInput>> {
    lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            Ok(service::recipes::RecipeLineInput {
                ingredient_id: parse_opt_id(
                    &l.ingredient_id,
                    "ingredient",
                    &format!("lines[{i}].ingredientId"),
                )?,
                sub_recipe_id: parse_opt_id(
                    &l.sub_recipe_id,
                    "recipe",
                    &format!("lines[{i}].subRecipeId"),
                )?,
                quantity: l.quantity,
                unit: l.unit.into(),
                trim_percent: l.trim_percent,
                issue_storage_unit_id: parse_opt_id(
                    &l.issue_storage_unit_id,
                    "storage unit",
                    &format!("lines[{i}].issueStorageUnitId"),
                )?,
            })
        })
        .collect()
}

#[derive(InputObject)]
pub struct RecipePatchInput {
    pub name: Option<String>,
    pub yield_quantity: Option<Decimal>,
    pub active: Option<bool>,
    /// null clears it.
    pub default_issue_storage_unit_id: MaybeUndefined<ID>,
    /// What a guest pays for a portion, VAT included; null clears it.
    pub menu_price: MaybeUndefined<Decimal>,
    /// Replaces all lines when given.
    pub lines: Option<Vec<RecipeLineInput>>,
}

#[derive(InputObject)]
pub struct VendorInput {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub notes: Option<String>,
    /// Days from ordering to delivery, 0–90 (default 1; left out: unchanged).
    pub lead_time_days: Option<i64>,
    /// ISO weekdays the vendor takes orders on (Monday = 1, Sunday = 7); empty: any day.
    pub order_weekdays: Option<Vec<i64>>,
    /// An order below it is flagged; null clears it, left out: unchanged.
    pub minimum_order_value: MaybeUndefined<Decimal>,
    /// The VAT id e-invoices name the vendor by; null clears it, left out: unchanged.
    pub vat_id: MaybeUndefined<String>,
}

impl From<VendorInput> for service::vendors::VendorInput {
    fn from(v: VendorInput) -> Self {
        Self {
            name: v.name,
            email: v.email,
            phone: v.phone,
            notes: v.notes,
            lead_time_days: v.lead_time_days,
            order_weekdays: v.order_weekdays,
            minimum_order_value: v.minimum_order_value.into(),
            vat_id: v.vat_id.into(),
        }
    }
}

#[derive(InputObject)]
pub struct ProductInput {
    pub vendor_id: ID,
    pub ingredient_id: ID,
    pub name: String,
    pub sku: String,
    /// What one pack is called (box, case); default "pack".
    pub pack_name: Option<String>,
    /// Quantity of the ingredient in one pack, in packagingUnit (default: its base unit).
    pub packaging_factor: Decimal,
    pub packaging_unit: Option<Unit>,
    /// The fewest packs the vendor delivers (default 1; left out: unchanged).
    pub minimum_packs: Option<Decimal>,
    /// The pack's GTIN (EAN), check digit verified; null clears it, left out: unchanged.
    pub gtin: MaybeUndefined<String>,
}

impl ProductInput {
    pub fn into_service(self) -> async_graphql::Result<service::products::ProductInput> {
        Ok(service::products::ProductInput {
            vendor_id: parse_id(&self.vendor_id, "vendor", "vendorId")?,
            ingredient_id: parse_id(&self.ingredient_id, "ingredient", "ingredientId")?,
            name: self.name,
            sku: self.sku,
            pack_name: self.pack_name,
            packaging_factor: self.packaging_factor,
            packaging_unit: self.packaging_unit.map(Into::into),
            minimum_packs: self.minimum_packs,
            gtin: self.gtin.into(),
        })
    }
}

/// What a user changes about themself.
#[derive(InputObject)]
pub struct UpdateMeInput {
    pub name: Option<String>,
    /// null: follow the browser's language again.
    pub locale: MaybeUndefined<super::scalars::Locale>,
}
