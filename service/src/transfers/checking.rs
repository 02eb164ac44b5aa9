//! What a transfer is checked against before anything is written: both storage units (the caller
//! staffs both companies) and every line's ingredient, read in one round trip.

use std::collections::HashMap;

use entity::{ingredient, storage_unit};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter};

use crate::access::{Principal, Role};
use crate::error::{ServiceError, ServiceResult};
use crate::ingredients::{self, QuantityFields, Sign};
use crate::owned::aliased_columns;

use super::shipping::TransferLineInput;

/// Ingredients asked for alongside the storage units; a longer list reads the rest apart.
const INGREDIENTS_WITH_UNITS: usize = 500;

/// How errors name a line's fields: `lines[2].quantity` in a list, `quantity` for the one line
/// of a transfer made in one step.
#[derive(Debug, Clone, Copy)]
pub(super) enum LineFields {
    Listed,
    Single,
}

impl LineFields {
    fn at(self, i: usize) -> String {
        match self {
            LineFields::Listed => format!("lines[{i}]."),
            LineFields::Single => String::new(),
        }
    }
}

/// A transfer's storage units and lines, checked.
pub(super) struct Checked {
    pub from: storage_unit::Model,
    pub to: storage_unit::Model,
    pub lines: Vec<CheckedLine>,
}

/// A checked line, in base-unit millionths.
#[derive(Debug, Clone)]
pub(super) struct CheckedLine {
    pub ingredient_id: i64,
    /// The receiving company's ingredient (the same one within a company).
    pub target_ingredient_id: i64,
    pub quantity_micro: i64,
    pub lot_number: Option<String>,
    pub expiry_date: Option<String>,
}

/// Checks both storage units (the caller staffs both companies) and every line.
pub(super) async fn check<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    from_storage_unit_id: i64,
    to_storage_unit_id: i64,
    lines: &[TransferLineInput],
    fields: LineFields,
) -> ServiceResult<Checked> {
    let at = |i| fields.at(i);
    let found = read_units_and_ingredients(
        db,
        from_storage_unit_id,
        to_storage_unit_id,
        lines.iter().map(|l| l.ingredient_id),
    )
    .await?;
    let from = unit_checked(found.from, principal, "fromStorageUnitId")?;
    let to = unit_checked(found.to, principal, "toStorageUnitId")?;
    if from.id == to.id {
        return Err(ServiceError::validation(
            "toStorageUnitId",
            "source and target are the same storage unit",
        ));
    }
    if lines.is_empty() {
        return Err(ServiceError::validation(
            "lines",
            "a transfer needs at least one line",
        ));
    }
    let mut ingredients = found.ingredients;
    let mut checked = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let field = format!("{}ingredientId", at(i));
        let ingredient = match ingredients.get(&line.ingredient_id) {
            Some(found) => found.clone(),
            None => {
                let rest = read_ingredients(db, from.company_id, line.ingredient_id).await?;
                let found = rest
                    .get(&line.ingredient_id)
                    .cloned()
                    .ok_or_else(|| ServiceError::not_found_at("ingredient", &field))?;
                ingredients.extend(rest);
                found
            }
        };
        let quantity = ingredients::entered_quantity(
            db,
            &ingredient,
            line.quantity,
            line.unit.clone(),
            Sign::Positive,
            &QuantityFields::at(&at(i), "quantity"),
        )
        .await?;
        let target = target_ingredient(db, &ingredient, to.company_id)
            .await
            .map_err(|_| {
                ServiceError::validation(
                    field.clone(),
                    format!(
                        "the receiving company has no ingredient {} in {}",
                        ingredient.name, ingredient.base_unit
                    ),
                )
            })?;
        checked.push(CheckedLine {
            ingredient_id: ingredient.id,
            target_ingredient_id: target,
            quantity_micro: quantity,
            lot_number: crate::validate::optional(
                &format!("{}lotNumber", at(i)),
                line.lot_number.as_deref(),
            )?,
            expiry_date: line.expiry_date.map(|d| d.to_string()),
        });
    }
    Ok(Checked {
        from,
        to,
        lines: checked,
    })
}

/// A storage unit as found, if the caller staffs its company: one of a company they are not in
/// is "not found", like one that does not exist.
fn unit_checked(
    found: Option<storage_unit::Model>,
    principal: &Principal,
    field: &str,
) -> ServiceResult<storage_unit::Model> {
    let unit = found
        .filter(|s| principal.role_in(s.company_id).is_some())
        .ok_or_else(|| ServiceError::not_found_at("storage unit", field))?;
    principal.require(unit.company_id, Role::Staff, "storage unit")?;
    Ok(unit)
}

/// Both storage units and the source company's ingredients among those named.
struct Found {
    from: Option<storage_unit::Model>,
    to: Option<storage_unit::Model>,
    ingredients: HashMap<i64, ingredient::Model>,
}

/// One statement: the source unit, the target unit beside it, and a row per ingredient of the
/// source's company among the first [`INGREDIENTS_WITH_UNITS`] named (the units repeated).
async fn read_units_and_ingredients<C: ConnectionTrait>(
    db: &C,
    from_id: i64,
    to_id: i64,
    ingredient_ids: impl Iterator<Item = i64>,
) -> ServiceResult<Found> {
    let mut ids: Vec<i64> = ingredient_ids.collect();
    ids.sort_unstable();
    ids.dedup();
    ids.truncate(INGREDIENTS_WITH_UNITS);
    let mut params = crate::db::params::Params::new(db.get_database_backend());
    let to = params.push(to_id);
    let listed = if ids.is_empty() {
        "NULL".to_string()
    } else {
        ids.iter()
            .map(|id| params.push(*id))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let from = params.push(from_id);
    // A UNION of the units' row with the ingredients' would need matching columns; a join
    // that repeats the two units on each ingredient's row does not.
    let sql = format!(
        "SELECT {}, {}, {} FROM storage_units f \
         LEFT JOIN storage_units t ON t.id = {to} \
         LEFT JOIN ingredients i ON i.company_id = f.company_id AND i.id IN ({listed}) \
         WHERE f.id = {from}",
        aliased_columns::<storage_unit::Entity>("f"),
        aliased_columns::<storage_unit::Entity>("t"),
        aliased_columns::<ingredient::Entity>("i"),
    );
    let rows = db.query_all_raw(params.statement(sql)).await?;
    let mut found = Found {
        from: None,
        to: None,
        ingredients: HashMap::new(),
    };
    for row in &rows {
        if found.from.is_none() {
            found.from = storage_unit::Model::from_query_result_optional(row, "f_")?;
            found.to = storage_unit::Model::from_query_result_optional(row, "t_")?;
        }
        if let Some(i) = ingredient::Model::from_query_result_optional(row, "i_")? {
            found.ingredients.insert(i.id, i);
        }
    }
    Ok(found)
}

/// The company's ingredient `id` when it was not among those read with the units.
async fn read_ingredients<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
    id: i64,
) -> ServiceResult<HashMap<i64, ingredient::Model>> {
    Ok(ingredient::Entity::find()
        .filter(ingredient::Column::CompanyId.eq(company_id))
        .filter(ingredient::Column::Id.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, i))
        .collect())
}

/// The ingredient a transfer lands as in the receiving company: the same one within a company,
/// else the receiving company's ingredient of the same name and base unit.
async fn target_ingredient<C: ConnectionTrait>(
    db: &C,
    ingredient: &ingredient::Model,
    target_company: i64,
) -> ServiceResult<i64> {
    if target_company == ingredient.company_id {
        return Ok(ingredient.id);
    }
    Ok(ingredient::Entity::find()
        .filter(ingredient::Column::CompanyId.eq(target_company))
        .filter(ingredient::Column::Name.eq(&ingredient.name))
        .filter(ingredient::Column::BaseUnit.eq(&ingredient.base_unit))
        .one(db)
        .await?
        .ok_or_else(|| {
            ServiceError::validation(
                "ingredientId",
                format!(
                    "the receiving company has no ingredient {} in {}",
                    ingredient.name, ingredient.base_unit
                ),
            )
        })?
        .id)
}
