//! Ingredients: what is kept in stock, in one base unit, with packaging levels (1 box = 10 KG)
//! usable wherever a quantity is entered.

use crate::db::Writer;
use std::collections::HashMap;

use chrono::Utc;
use entity::ingredient::{self, Column};
use entity::{packaging_level, product, recipe_line};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::access::{Principal, Role};
use crate::error::{ServiceError, ServiceResult};
use crate::owned::{find_owned, name_matches};
use crate::paging::{Page, PageRequest, SortOrder, keyset_page};
use crate::quantity::{checked_product, from_micro, positive_micro};
use crate::units::{self, BaseUnit, Unit};
use crate::validate;

pub const ENTITY: &str = "ingredient";

#[derive(Debug, Clone)]
pub struct PackagingLevelInput {
    pub name: String,
    /// Base units in one of this level.
    pub factor: Decimal,
}

#[derive(Debug, Clone)]
pub struct IngredientInput {
    pub name: String,
    pub base_unit: BaseUnit,
    pub category: Option<String>,
    pub active: bool,
    pub packaging_levels: Vec<PackagingLevelInput>,
}

#[derive(Debug, Clone, Default)]
pub struct IngredientPatch {
    pub name: Option<String>,
    pub base_unit: Option<BaseUnit>,
    pub category: Option<Option<String>>,
    pub active: Option<bool>,
    pub packaging_levels: Option<Vec<PackagingLevelInput>>,
    /// The product it is ordered in: one of its own; Some(None) clears it.
    pub preferred_product_id: Option<Option<i64>>,
}

pub async fn create<C: Writer>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    input: IngredientInput,
) -> ServiceResult<ingredient::Model> {
    principal.require(company_id, Role::Manager, "company")?;
    let name = validate::name("name", &input.name)?;
    let levels = validated_levels(&input.packaging_levels)?;
    let (name, levels, input) = (&name, &levels, &input);
    crate::db::retrying(|| async move {
        let txn = crate::db::begin_write(db).await?;
        ensure_unique(&txn, company_id, name, None).await?;
        let created = ingredient::ActiveModel {
            company_id: Set(company_id),
            name: Set(name.clone()),
            base_unit: Set(input.base_unit.as_str().into()),
            category: Set(validate::optional("category", input.category.as_deref())?),
            active: Set(input.active),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        replace_levels(&txn, &created, levels.clone()).await?;
        txn.commit().await?;
        Ok(created)
    })
    .await
}

fn validated_levels(levels: &[PackagingLevelInput]) -> ServiceResult<Vec<(String, i64)>> {
    let mut seen = std::collections::HashSet::new();
    levels
        .iter()
        .enumerate()
        .map(|(i, level)| {
            let name = validate::name(&format!("packagingLevels[{i}].name"), &level.name)?;
            if !seen.insert(name.to_lowercase()) {
                return Err(ServiceError::validation(
                    format!("packagingLevels[{i}].name"),
                    "is listed twice",
                ));
            }
            Ok((
                name,
                positive_micro(level.factor, &format!("packagingLevels[{i}].factor"))?,
            ))
        })
        .collect()
}

async fn replace_levels<C: ConnectionTrait>(
    db: &C,
    ingredient: &ingredient::Model,
    levels: Vec<(String, i64)>,
) -> ServiceResult<()> {
    packaging_level::Entity::delete_many()
        .filter(packaging_level::Column::IngredientId.eq(ingredient.id))
        .exec(db)
        .await?;
    for (name, factor_micro) in levels {
        packaging_level::ActiveModel {
            company_id: Set(ingredient.company_id),
            ingredient_id: Set(ingredient.id),
            name: Set(name),
            factor_micro: Set(factor_micro),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

async fn ensure_unique<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
    name: &str,
    except: Option<i64>,
) -> ServiceResult<()> {
    crate::owned::ensure_unique_name::<ingredient::Entity, _>(
        db,
        Column::CompanyId,
        company_id,
        name,
        except,
        "an ingredient",
    )
    .await
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
) -> ServiceResult<ingredient::Model> {
    find_owned::<ingredient::Entity, _>(db, principal, id, Role::Viewer, ENTITY).await
}

#[derive(Debug, Clone, Default)]
pub struct IngredientFilter {
    pub search: Option<String>,
    pub category: Option<String>,
    pub active: Option<bool>,
    pub include_archived: bool,
}

fn filtered(
    backend: sea_orm::DbBackend,
    company_id: i64,
    filter: &IngredientFilter,
) -> ServiceResult<sea_orm::Select<ingredient::Entity>> {
    let mut query = ingredient::Entity::find().filter(Column::CompanyId.eq(company_id));
    if !filter.include_archived {
        query = query.filter(Column::ArchivedAt.is_null());
    }
    if let Some(active) = filter.active {
        query = query.filter(Column::Active.eq(active));
    }
    if let Some(category) = filter.category.as_deref().filter(|c| !c.is_empty()) {
        query = query.filter(Column::Category.eq(category));
    }
    if let Some(term) = validate::search_term(filter.search.as_deref())? {
        query = query.filter(name_matches(backend, Column::Name, &term));
    }
    Ok(query)
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    filter: &IngredientFilter,
) -> ServiceResult<Vec<ingredient::Model>> {
    principal.require_read(company_id, "company")?;
    Ok(filtered(db.get_database_backend(), company_id, filter)?
        .order_by_asc(Column::Name)
        .order_by_asc(Column::Id)
        .all(db)
        .await?)
}

/// One page of the filtered list in (name, id) order, by keyset: stable while rows are added.
pub async fn page<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    filter: &IngredientFilter,
    request: &PageRequest<(String, i64)>,
) -> ServiceResult<Page<ingredient::Model>> {
    principal.require_read(company_id, "company")?;
    let total = filtered(db.get_database_backend(), company_id, filter)?
        .count(db)
        .await?;
    let query = filtered(db.get_database_backend(), company_id, filter)?;
    let order = SortOrder::ascending(vec![Column::Name, Column::Id]);
    Ok(keyset_page(db, query, &order, request, total).await?)
}

pub async fn update<C: Writer>(
    db: &C,
    principal: &Principal,
    id: i64,
    patch: IngredientPatch,
) -> ServiceResult<ingredient::Model> {
    let current =
        find_owned::<ingredient::Entity, _>(db, principal, id, Role::Manager, ENTITY).await?;
    let levels = patch
        .packaging_levels
        .as_deref()
        .map(validated_levels)
        .transpose()?;
    let (current, patch, levels) = (&current, &patch, &levels);
    crate::db::retrying(|| async move {
        let txn = crate::db::begin_write(db).await?;
        let mut active: ingredient::ActiveModel = current.clone().into();
        if let Some(name) = &patch.name {
            let name = validate::name("name", name)?;
            ensure_unique(&txn, current.company_id, &name, Some(id)).await?;
            active.name = Set(name);
        }
        if let Some(base) = patch.base_unit.filter(|b| b.as_str() != current.base_unit) {
            ensure_base_unit_unused(&txn, id).await?;
            active.base_unit = Set(base.as_str().into());
        }
        if let Some(category) = &patch.category {
            active.category = Set(validate::optional("category", category.as_deref())?);
        }
        if let Some(flag) = patch.active {
            active.active = Set(flag);
        }
        if let Some(preferred) = patch.preferred_product_id {
            if let Some(product_id) = preferred {
                ensure_own_product(&txn, current, product_id).await?;
            }
            active.preferred_product_id = Set(preferred);
        }
        let updated = active.update(&txn).await?;
        if let Some(levels) = levels {
            replace_levels(&txn, &updated, levels.clone()).await?;
        }
        txn.commit().await?;
        Ok(updated)
    })
    .await
}

/// A preferred product must be one that delivers this ingredient.
async fn ensure_own_product<C: ConnectionTrait>(
    db: &C,
    ingredient: &ingredient::Model,
    product_id: i64,
) -> ServiceResult<()> {
    let field = "preferredProductId";
    let product = crate::owned::find_in_company::<product::Entity, _>(
        db,
        ingredient.company_id,
        product_id,
        "product",
        field,
    )
    .await?;
    if product.ingredient_id != ingredient.id {
        return Err(ServiceError::validation(
            field,
            "this product delivers another ingredient",
        ));
    }
    Ok(())
}

/// Quantities already entered in the old base unit would change meaning.
async fn ensure_base_unit_unused<C: ConnectionTrait>(db: &C, id: i64) -> ServiceResult<()> {
    let lines = recipe_line::Entity::find()
        .filter(recipe_line::Column::IngredientId.eq(id))
        .count(db)
        .await?;
    let products = product::Entity::find()
        .filter(product::Column::IngredientId.eq(id))
        .count(db)
        .await?;
    if lines + products > 0 {
        return Err(ServiceError::conflict(
            "baseUnit",
            format!(
                "the base unit cannot change: {lines} recipe lines and {products} products use this ingredient"
            ),
        ));
    }
    Ok(())
}

pub async fn set_archived<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
    archived: bool,
) -> ServiceResult<ingredient::Model> {
    let current =
        find_owned::<ingredient::Entity, _>(db, principal, id, Role::Manager, ENTITY).await?;
    let mut active: ingredient::ActiveModel = current.into();
    active.archived_at = Set(archived.then(Utc::now));
    Ok(active.update(db).await?)
}

/// The packaging levels of many ingredients at once (no query per ingredient in a list).
pub async fn packaging_levels<C: ConnectionTrait>(
    db: &C,
    ingredient_ids: &[i64],
) -> ServiceResult<HashMap<i64, Vec<packaging_level::Model>>> {
    let mut out: HashMap<i64, Vec<packaging_level::Model>> = HashMap::new();
    for level in packaging_level::Entity::find()
        .filter(packaging_level::Column::IngredientId.is_in(ingredient_ids.to_vec()))
        .order_by_asc(packaging_level::Column::FactorMicro)
        .all(db)
        .await?
    {
        out.entry(level.ingredient_id).or_default().push(level);
    }
    Ok(out)
}

/// What a quantity is entered in: a unit or one of the ingredient's packaging levels.
#[derive(Debug, Clone)]
pub enum QuantityUnit {
    Unit(Unit),
    PackagingLevel(i64),
}

/// Converts a quantity entered in `unit` into the ingredient's base unit.
pub async fn to_base_quantity<C: ConnectionTrait>(
    db: &C,
    ingredient: &ingredient::Model,
    quantity: Decimal,
    unit: QuantityUnit,
    field: &str,
) -> ServiceResult<Decimal> {
    let base = BaseUnit::parse(&ingredient.base_unit)?;
    to_base(db, ingredient, base, quantity, unit, field).await
}

async fn to_base<C: ConnectionTrait>(
    db: &C,
    ingredient: &ingredient::Model,
    base: BaseUnit,
    quantity: Decimal,
    unit: QuantityUnit,
    field: &str,
) -> ServiceResult<Decimal> {
    match unit {
        QuantityUnit::Unit(unit) => units::to_base(quantity, unit, base, field),
        QuantityUnit::PackagingLevel(level_id) => {
            let level = packaging_level::Entity::find_by_id(level_id)
                .one(db)
                .await?
                .filter(|l| l.ingredient_id == ingredient.id)
                .ok_or_else(|| ServiceError::not_found_at("packaging level", field))?;
            checked_product(quantity, from_micro(level.factor_micro), field)
        }
    }
}

/// What an entered quantity may be: stock moves in positive amounts; a count may find none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sign {
    Positive,
    NotNegative,
}

/// The fields an entered quantity is reported under when it is refused.
#[derive(Debug, Clone)]
pub struct QuantityFields {
    pub quantity: String,
    pub unit: String,
}

impl QuantityFields {
    /// `{prefix}{quantity}` and `{prefix}unit`: ("lines[2].", "countedQuantity").
    pub fn at(prefix: &str, quantity: &str) -> Self {
        Self {
            quantity: format!("{prefix}{quantity}"),
            unit: format!("{prefix}unit"),
        }
    }
}

/// A quantity as a person enters it — in a unit or one of the ingredient's packaging levels,
/// by default its base unit — in base-unit millionths: the one conversion every posting,
/// transfer and count goes through. Refused naming the field when the unit does not fit, the
/// amount is out of bounds, or it has the wrong sign.
pub async fn entered_quantity<C: ConnectionTrait>(
    db: &C,
    ingredient: &ingredient::Model,
    quantity: Decimal,
    unit: Option<QuantityUnit>,
    sign: Sign,
    fields: &QuantityFields,
) -> ServiceResult<i64> {
    if sign == Sign::NotNegative && quantity < Decimal::ZERO {
        return Err(ServiceError::validation(
            &fields.quantity,
            "must not be negative",
        ));
    }
    let base = BaseUnit::parse(&ingredient.base_unit)?;
    let unit = unit.unwrap_or(QuantityUnit::Unit(base.unit()));
    let converted = to_base(db, ingredient, base, quantity, unit, &fields.unit).await?;
    let micro = crate::quantity::to_micro(converted, &fields.quantity)?;
    if sign == Sign::Positive && micro <= 0 {
        return Err(ServiceError::validation(
            &fields.quantity,
            "must be greater than zero",
        ));
    }
    Ok(micro)
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;
    use sea_orm::{Database, DatabaseConnection};

    use super::*;

    fn flour() -> ingredient::Model {
        ingredient::Model {
            id: 1,
            company_id: 1,
            name: "Flour".into(),
            base_unit: "KG".into(),
            category: None,
            active: true,
            archived_at: None,
            preferred_product_id: None,
            created_at: Utc::now(),
        }
    }

    /// A unit conversion reads no table; an empty in-memory database stands in.
    async fn db() -> DatabaseConnection {
        Database::connect("sqlite::memory:").await.unwrap()
    }

    async fn entered(quantity: Decimal, unit: Option<Unit>, sign: Sign) -> ServiceResult<i64> {
        entered_quantity(
            &db().await,
            &flour(),
            quantity,
            unit.map(QuantityUnit::Unit),
            sign,
            &QuantityFields::at("lines[1].", "quantity"),
        )
        .await
    }

    #[tokio::test]
    async fn an_entered_quantity_defaults_to_the_base_unit_in_millionths() {
        assert_eq!(
            entered(dec!(2.5), None, Sign::Positive).await.unwrap(),
            2_500_000
        );
    }

    #[tokio::test]
    async fn an_entered_quantity_converts_within_its_dimension() {
        assert_eq!(
            entered(dec!(250), Some(Unit::G), Sign::Positive)
                .await
                .unwrap(),
            250_000
        );
    }

    #[tokio::test]
    async fn a_unit_of_another_dimension_is_refused_naming_the_unit_field() {
        let err = entered(dec!(1), Some(Unit::L), Sign::Positive)
            .await
            .unwrap_err();
        assert_eq!(err.field(), Some("lines[1].unit"), "{err}");
    }

    #[tokio::test]
    async fn a_movement_moves_more_than_nothing_but_a_count_may_find_nothing() {
        let err = entered(dec!(0), None, Sign::Positive).await.unwrap_err();
        assert_eq!(err.field(), Some("lines[1].quantity"));
        assert_eq!(err.to_string(), "must be greater than zero");
        // Below a millionth rounds to nothing: no movement either.
        assert!(
            entered(dec!(0.0000001), None, Sign::Positive)
                .await
                .is_err()
        );
        assert_eq!(entered(dec!(0), None, Sign::NotNegative).await.unwrap(), 0);
    }

    #[tokio::test]
    async fn a_negative_count_is_refused_before_it_converts() {
        let err = entered(dec!(-1), Some(Unit::L), Sign::NotNegative)
            .await
            .unwrap_err();
        assert_eq!(err.field(), Some("lines[1].quantity"));
        assert_eq!(err.to_string(), "must not be negative");
    }

    #[tokio::test]
    async fn an_absurd_quantity_is_refused_not_wrapped() {
        let err = entered(dec!(100000000000000000000), None, Sign::Positive)
            .await
            .unwrap_err();
        assert_eq!(err.field(), Some("lines[1].quantity"), "{err}");
    }
}
