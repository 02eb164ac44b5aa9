//! Products: what is ordered from a vendor (a box of tomatoes), mapped to one ingredient with a
//! packaging factor in the ingredient's base unit (1 box = 10 KG).

use chrono::Utc;
use entity::product::{self, Column};
use entity::{ingredient, vendor};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::access::{Principal, Role};
use crate::error::{ServiceError, ServiceResult};
use crate::owned::{find_in_company, find_owned, name_matches};
use crate::quantity::positive_micro;
use crate::units::{self, BaseUnit, Unit};
use crate::validate;

pub const ENTITY: &str = "product";

/// One pack, in millionths: the default minimum order of a product.
const ONE_PACK: i64 = 1_000_000;

#[derive(Debug, Clone)]
pub struct ProductInput {
    pub vendor_id: i64,
    pub ingredient_id: i64,
    pub name: String,
    pub sku: String,
    pub pack_name: Option<String>,
    /// Quantity of the ingredient in one pack, in `packaging_unit` (default: its base unit).
    pub packaging_factor: Decimal,
    pub packaging_unit: Option<Unit>,
    /// The fewest packs the vendor delivers (default 1). None keeps the current number.
    pub minimum_packs: Option<Decimal>,
    /// The pack's GTIN (EAN); Some(None) clears it, None keeps it.
    pub gtin: Option<Option<String>>,
}

/// A GTIN as stored: digits only, its check digit right.
fn checked_gtin(gtin: Option<&str>) -> ServiceResult<Option<String>> {
    let Some(code) = gtin.map(str::trim).filter(|g| !g.is_empty()) else {
        return Ok(None);
    };
    if !crate::gtin::is_valid(code) {
        return Err(ServiceError::validation(
            "gtin",
            "not a GTIN: 8, 12, 13 or 14 digits with a correct check digit",
        ));
    }
    Ok(Some(code.to_string()))
}

struct ValidProduct {
    vendor_id: i64,
    ingredient_id: i64,
    name: String,
    sku: String,
    pack_name: String,
    packaging_factor_micro: i64,
    minimum_packs_micro: Option<i64>,
    gtin: Option<Option<String>>,
}

async fn validated<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
    input: ProductInput,
) -> ServiceResult<ValidProduct> {
    find_in_company::<vendor::Entity, _>(db, company_id, input.vendor_id, "vendor", "vendorId")
        .await?;
    let ingredient = find_in_company::<ingredient::Entity, _>(
        db,
        company_id,
        input.ingredient_id,
        "ingredient",
        "ingredientId",
    )
    .await?;
    let base = BaseUnit::parse(&ingredient.base_unit)?;
    let factor = units::to_base(
        input.packaging_factor,
        input.packaging_unit.unwrap_or(base.unit()),
        base,
        "packagingUnit",
    )?;
    let sku = input.sku.trim().to_string();
    if sku.is_empty() || sku.len() > 100 {
        return Err(ServiceError::validation(
            "sku",
            "must be 1 to 100 characters",
        ));
    }
    Ok(ValidProduct {
        vendor_id: input.vendor_id,
        ingredient_id: input.ingredient_id,
        name: validate::name("name", &input.name)?,
        sku,
        pack_name: validate::optional("packName", input.pack_name.as_deref())?
            .unwrap_or_else(|| "pack".into()),
        packaging_factor_micro: positive_micro(factor, "packagingFactor")?,
        minimum_packs_micro: input
            .minimum_packs
            .map(|m| positive_micro(m, "minimumPacks"))
            .transpose()?,
        gtin: input.gtin.map(|g| checked_gtin(g.as_deref())).transpose()?,
    })
}

/// A GTIN names one product in use per company (compared in its 14-digit form): a scan must
/// find one pack, not guess between two.
pub(crate) async fn ensure_unique_gtin<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
    gtin: Option<&str>,
    except: Option<i64>,
) -> ServiceResult<()> {
    let Some(key) = gtin.and_then(crate::gtin::normalized) else {
        return Ok(());
    };
    let clash = product::Entity::find()
        .filter(Column::CompanyId.eq(company_id))
        .filter(Column::GtinKey.eq(key))
        .filter(Column::ArchivedAt.is_null())
        .one(db)
        .await?;
    match clash {
        Some(c) if Some(c.id) != except => Err(ServiceError::conflict(
            "gtin",
            format!("this GTIN is already on the product {}", c.name),
        )),
        _ => Ok(()),
    }
}

/// The product in use whose GTIN is `code` (in any of its lengths).
pub async fn by_gtin<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
    code: &str,
) -> ServiceResult<Option<product::Model>> {
    let Some(key) = crate::gtin::normalized(code) else {
        return Ok(None);
    };
    Ok(product::Entity::find()
        .filter(Column::CompanyId.eq(company_id))
        .filter(Column::GtinKey.eq(key))
        .filter(Column::ArchivedAt.is_null())
        .one(db)
        .await?)
}

async fn ensure_unique_sku<C: ConnectionTrait>(
    db: &C,
    vendor_id: i64,
    sku: &str,
    except: Option<i64>,
) -> ServiceResult<()> {
    let clash = product::Entity::find()
        .filter(Column::VendorId.eq(vendor_id))
        .filter(Column::Sku.eq(sku))
        .one(db)
        .await?;
    if clash.is_some_and(|c| Some(c.id) != except) {
        return Err(ServiceError::conflict(
            "sku",
            format!("this vendor already has a product with SKU {sku}"),
        ));
    }
    Ok(())
}

pub async fn create<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    input: ProductInput,
) -> ServiceResult<product::Model> {
    principal.require(company_id, Role::Manager, "company")?;
    let p = validated(db, company_id, input).await?;
    ensure_unique_sku(db, p.vendor_id, &p.sku, None).await?;
    let gtin = p.gtin.flatten();
    ensure_unique_gtin(db, company_id, gtin.as_deref(), None).await?;
    Ok(product::ActiveModel {
        company_id: Set(company_id),
        vendor_id: Set(p.vendor_id),
        ingredient_id: Set(p.ingredient_id),
        name: Set(p.name),
        sku: Set(p.sku),
        pack_name: Set(p.pack_name),
        packaging_factor_micro: Set(p.packaging_factor_micro),
        minimum_packs_micro: Set(p.minimum_packs_micro.unwrap_or(ONE_PACK)),
        gtin_key: Set(gtin.as_deref().and_then(crate::gtin::normalized)),
        gtin: Set(gtin),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn update<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
    input: ProductInput,
) -> ServiceResult<product::Model> {
    let current =
        find_owned::<product::Entity, _>(db, principal, id, Role::Manager, ENTITY).await?;
    let p = validated(db, current.company_id, input).await?;
    ensure_unique_sku(db, p.vendor_id, &p.sku, Some(id)).await?;
    if let Some(gtin) = &p.gtin {
        ensure_unique_gtin(db, current.company_id, gtin.as_deref(), Some(id)).await?;
    }
    let mut active: product::ActiveModel = current.into();
    active.vendor_id = Set(p.vendor_id);
    active.ingredient_id = Set(p.ingredient_id);
    active.name = Set(p.name);
    active.sku = Set(p.sku);
    active.pack_name = Set(p.pack_name);
    active.packaging_factor_micro = Set(p.packaging_factor_micro);
    if let Some(minimum) = p.minimum_packs_micro {
        active.minimum_packs_micro = Set(minimum);
    }
    if let Some(gtin) = p.gtin {
        active.gtin_key = Set(gtin.as_deref().and_then(crate::gtin::normalized));
        active.gtin = Set(gtin);
    }
    Ok(active.update(db).await?)
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
) -> ServiceResult<product::Model> {
    find_owned::<product::Entity, _>(db, principal, id, Role::Viewer, ENTITY).await
}

#[derive(Debug, Clone, Default)]
pub struct ProductFilter {
    pub vendor_id: Option<i64>,
    pub ingredient_id: Option<i64>,
    pub search: Option<String>,
    pub include_archived: bool,
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    filter: &ProductFilter,
) -> ServiceResult<Vec<product::Model>> {
    principal.require_read(company_id, "company")?;
    let mut query = product::Entity::find().filter(Column::CompanyId.eq(company_id));
    if !filter.include_archived {
        query = query.filter(Column::ArchivedAt.is_null());
    }
    if let Some(v) = filter.vendor_id {
        query = query.filter(Column::VendorId.eq(v));
    }
    if let Some(i) = filter.ingredient_id {
        query = query.filter(Column::IngredientId.eq(i));
    }
    let backend = db.get_database_backend();
    if let Some(term) = validate::search_term(filter.search.as_deref())? {
        query = query.filter(
            sea_orm::Condition::any()
                .add(name_matches(backend, Column::Name, &term))
                .add(name_matches(backend, Column::Sku, &term)),
        );
    }
    Ok(query.order_by_asc(Column::Name).all(db).await?)
}

pub async fn set_archived<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
    archived: bool,
) -> ServiceResult<product::Model> {
    let current =
        find_owned::<product::Entity, _>(db, principal, id, Role::Manager, ENTITY).await?;
    if !archived {
        ensure_unique_gtin(db, current.company_id, current.gtin.as_deref(), Some(id)).await?;
    }
    let mut active: product::ActiveModel = current.into();
    active.archived_at = Set(archived.then(Utc::now));
    Ok(active.update(db).await?)
}
