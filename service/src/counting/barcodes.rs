//! Barcodes on the count sheet: a scanned code finds its product and ingredient; a code no
//! product carries can be given to one.

use entity::{ingredient, product};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};

use crate::access::{Principal, Role};
use crate::error::{ServiceError, ServiceResult};
use crate::owned::find_owned;
use crate::products;

/// What a scanned code names: nothing (unknown, or not a GTIN), or a product and its ingredient.
#[derive(Debug, Clone)]
pub struct BarcodeMatch {
    pub code: String,
    pub product: Option<product::Model>,
    pub ingredient: Option<ingredient::Model>,
}

/// A scanner sends what it read; the longest real code is a GTIN-14. More is not a barcode.
const MAX_CODE: usize = 64;

/// The product whose GTIN is `code` in the company, with its ingredient. A code that is not a
/// GTIN (wrong length, letters, a check digit that does not hold) is refused saying so: a
/// misread scan should be scanned again, not offered for assigning.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    code: &str,
) -> ServiceResult<BarcodeMatch> {
    principal.require_read(company_id, "company")?;
    let code = crate::validate::bounded("code", code.trim(), MAX_CODE)?;
    if !crate::gtin::is_valid(code) {
        return Err(ServiceError::validation(
            "code",
            "not a GTIN: 8, 12, 13 or 14 digits with a correct check digit (scan again)",
        ));
    }
    let product = products::by_gtin(db, company_id, code).await?;
    let ingredient = match &product {
        Some(p) => {
            ingredient::Entity::find_by_id(p.ingredient_id)
                .one(db)
                .await?
        }
        None => None,
    };
    Ok(BarcodeMatch {
        code: code.to_string(),
        product,
        ingredient,
    })
}

/// Gives a product that has no GTIN the scanned one. Counters (STAFF) may fill a blank this
/// way; changing a product's GTIN stays with managers (`updateProduct`).
pub async fn assign<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    product_id: i64,
    code: &str,
) -> ServiceResult<product::Model> {
    let product =
        find_owned::<product::Entity, _>(db, principal, product_id, Role::Staff, products::ENTITY)
            .await?;
    let code = code.trim();
    let Some(key) = crate::gtin::normalized(code) else {
        return Err(ServiceError::validation(
            "code",
            "not a GTIN: 8, 12, 13 or 14 digits with a correct check digit",
        ));
    };
    if product.gtin_key.as_deref() == Some(key.as_str()) {
        return Ok(product);
    }
    if product.gtin.is_some() {
        return Err(ServiceError::conflict(
            "productId",
            "this product has a GTIN already: a manager can change it on the product",
        ));
    }
    products::ensure_unique_gtin(db, product.company_id, Some(code), Some(product.id)).await?;
    let mut active: product::ActiveModel = product.into();
    active.gtin = Set(Some(code.to_string()));
    active.gtin_key = Set(Some(key));
    Ok(active.update(db).await?)
}
