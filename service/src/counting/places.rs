//! Places: the shelves and areas of a storage unit in the order a count walks them, and where
//! each ingredient stands there. Positions are kept dense (0, 1, 2 …) so that moving one thing
//! is one renumbering of a short list, and two lists never disagree about what comes first.

use std::collections::HashMap;

use chrono::Utc;
use entity::{ingredient, ingredient_place, storage_place, storage_unit};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::access::{Principal, Role};
use crate::db::Writer;
use crate::error::{ServiceError, ServiceResult};
use crate::owned::{CompanyOwned, find_in_company, find_owned};
use crate::validate;

pub const ENTITY: &str = "storage place";
/// More shelves than any walk-in has; a list this long is a script gone wrong.
pub const MAX_PLACES_PER_UNIT: usize = 200;
/// The most ingredients arranged in one call.
pub const MAX_ARRANGED: usize = 2_000;

impl CompanyOwned for storage_place::Model {
    fn company_id(&self) -> i64 {
        self.company_id
    }
}

/// A storage unit's places in use, in walking order.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    storage_unit_id: i64,
) -> ServiceResult<Vec<storage_place::Model>> {
    Ok(storage_place::Entity::find()
        .filter(storage_place::Column::StorageUnitId.eq(storage_unit_id))
        .filter(storage_place::Column::ArchivedAt.is_null())
        .order_by_asc(storage_place::Column::Position)
        .order_by_asc(storage_place::Column::Id)
        .all(db)
        .await?)
}

/// Places by id, removed ones too (a posted count may name one).
pub async fn by_ids<C: ConnectionTrait>(
    db: &C,
    ids: Vec<i64>,
) -> ServiceResult<HashMap<i64, storage_place::Model>> {
    Ok(storage_place::Entity::find()
        .filter(storage_place::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect())
}

async fn managed_unit<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    storage_unit_id: i64,
) -> ServiceResult<storage_unit::Model> {
    find_owned::<storage_unit::Entity, _>(
        db,
        principal,
        storage_unit_id,
        Role::Manager,
        crate::storage_units::ENTITY,
    )
    .await
}

/// `position` among `len` things, or after the last when none is given.
fn slot(position: Option<i32>, len: usize, field: &str) -> ServiceResult<usize> {
    match position {
        None => Ok(len),
        Some(p) if p < 0 => Err(ServiceError::validation(field, "must not be negative")),
        Some(p) => Ok((p as usize).min(len)),
    }
}

/// Writes 0, 1, 2 … onto the places in the order given.
async fn renumber_places<C: ConnectionTrait>(txn: &C, ordered: &[i64]) -> ServiceResult<()> {
    for (position, id) in ordered.iter().enumerate() {
        storage_place::Entity::update_many()
            .col_expr(
                storage_place::Column::Position,
                Expr::value(position as i64),
            )
            .filter(storage_place::Column::Id.eq(*id))
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// A new place in the unit, at `position` (default: last).
pub async fn create<C: Writer>(
    db: &C,
    principal: &Principal,
    storage_unit_id: i64,
    name: &str,
    position: Option<i32>,
) -> ServiceResult<storage_place::Model> {
    let unit = managed_unit(db, principal, storage_unit_id).await?;
    let name = validate::name("name", name)?;
    let unit = &unit;
    let name = &name;
    crate::db::retrying(|| async move {
        let txn = crate::db::begin_write(db).await?;
        let mut ids: Vec<i64> = list(&txn, unit.id).await?.iter().map(|p| p.id).collect();
        if ids.len() >= MAX_PLACES_PER_UNIT {
            return Err(ServiceError::validation(
                "storageUnitId",
                format!("a storage unit has at most {MAX_PLACES_PER_UNIT} places"),
            ));
        }
        let at = slot(position, ids.len(), "position")?;
        let place = storage_place::ActiveModel {
            company_id: Set(unit.company_id),
            storage_unit_id: Set(unit.id),
            name: Set(name.clone()),
            position: Set(at as i64),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        ids.insert(at, place.id);
        renumber_places(&txn, &ids).await?;
        let place = storage_place::Entity::find_by_id(place.id)
            .one(&txn)
            .await?
            .ok_or_else(|| ServiceError::not_found(ENTITY))?;
        txn.commit().await?;
        Ok(place)
    })
    .await
}

async fn managed_place<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
) -> ServiceResult<storage_place::Model> {
    let place =
        find_owned::<storage_place::Entity, _>(db, principal, id, Role::Manager, ENTITY).await?;
    if place.archived_at.is_some() {
        return Err(ServiceError::not_found(ENTITY));
    }
    Ok(place)
}

pub async fn rename<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
    name: &str,
) -> ServiceResult<storage_place::Model> {
    let place = managed_place(db, principal, id).await?;
    let mut active: storage_place::ActiveModel = place.into();
    active.name = Set(validate::name("name", name)?);
    Ok(active.update(db).await?)
}

/// Puts the unit's places in the order given: every place in use, each once.
pub async fn arrange<C: Writer>(
    db: &C,
    principal: &Principal,
    storage_unit_id: i64,
    place_ids: &[i64],
) -> ServiceResult<Vec<storage_place::Model>> {
    managed_unit(db, principal, storage_unit_id).await?;
    crate::db::retrying(|| async move {
        let txn = crate::db::begin_write(db).await?;
        let current: Vec<i64> = list(&txn, storage_unit_id)
            .await?
            .iter()
            .map(|p| p.id)
            .collect();
        let mut given = place_ids.to_vec();
        let mut expected = current.clone();
        given.sort_unstable();
        expected.sort_unstable();
        if given != expected {
            return Err(ServiceError::validation(
                "placeIds",
                "name every place of this storage unit once, in the new order",
            ));
        }
        renumber_places(&txn, place_ids).await?;
        let places = list(&txn, storage_unit_id).await?;
        txn.commit().await?;
        Ok(places)
    })
    .await
}

/// Removes a place from the walk; its ingredients become unplaced. Counts that named it keep
/// the name.
pub async fn remove<C: Writer>(db: &C, principal: &Principal, id: i64) -> ServiceResult<bool> {
    let place = managed_place(db, principal, id).await?;
    let place = &place;
    crate::db::retrying(|| async move {
        let txn = crate::db::begin_write(db).await?;
        let mut active: storage_place::ActiveModel = place.clone().into();
        active.archived_at = Set(Some(Utc::now()));
        active.update(&txn).await?;
        let unplaced = placed_in(&txn, place.storage_unit_id, None).await?.len() as i64;
        // Appended after what is unplaced already, in their old order.
        for (i, row) in placed_in(&txn, place.storage_unit_id, Some(place.id))
            .await?
            .into_iter()
            .enumerate()
        {
            let mut active: ingredient_place::ActiveModel = row.into();
            active.place_id = Set(None);
            active.position = Set(unplaced + i as i64);
            active.update(&txn).await?;
        }
        let rest: Vec<i64> = list(&txn, place.storage_unit_id)
            .await?
            .iter()
            .map(|p| p.id)
            .collect();
        renumber_places(&txn, &rest).await?;
        txn.commit().await?;
        Ok(true)
    })
    .await
}

/// The ingredients placed at `place_id` (None: in the unit, unplaced), in position order.
async fn placed_in<C: ConnectionTrait>(
    db: &C,
    storage_unit_id: i64,
    place_id: Option<i64>,
) -> ServiceResult<Vec<ingredient_place::Model>> {
    let query = ingredient_place::Entity::find()
        .filter(ingredient_place::Column::StorageUnitId.eq(storage_unit_id));
    let query = match place_id {
        Some(id) => query.filter(ingredient_place::Column::PlaceId.eq(id)),
        None => query.filter(ingredient_place::Column::PlaceId.is_null()),
    };
    Ok(query
        .order_by_asc(ingredient_place::Column::Position)
        .order_by_asc(ingredient_place::Column::Id)
        .all(db)
        .await?)
}

/// The ingredients standing at a place, in their order there.
pub async fn ingredients_at<C: ConnectionTrait>(
    db: &C,
    place: &storage_place::Model,
) -> ServiceResult<Vec<ingredient::Model>> {
    let order: Vec<i64> = placed_in(db, place.storage_unit_id, Some(place.id))
        .await?
        .into_iter()
        .map(|p| p.ingredient_id)
        .collect();
    let mut found: HashMap<i64, ingredient::Model> = ingredient::Entity::find()
        .filter(ingredient::Column::Id.is_in(order.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    Ok(order.iter().filter_map(|id| found.remove(id)).collect())
}

/// Where every ingredient placed in the unit stands.
pub async fn placements<C: ConnectionTrait>(
    db: &C,
    storage_unit_id: i64,
) -> ServiceResult<HashMap<i64, ingredient_place::Model>> {
    Ok(ingredient_place::Entity::find()
        .filter(ingredient_place::Column::StorageUnitId.eq(storage_unit_id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.ingredient_id, p))
        .collect())
}

/// A place of `storage_unit_id` in use, named by the field `field`.
pub(crate) async fn place_of_unit<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
    storage_unit_id: i64,
    place_id: i64,
    field: &str,
) -> ServiceResult<storage_place::Model> {
    let place =
        find_in_company::<storage_place::Entity, _>(db, company_id, place_id, ENTITY, field)
            .await?;
    if place.storage_unit_id != storage_unit_id || place.archived_at.is_some() {
        return Err(ServiceError::not_found_at(ENTITY, field));
    }
    Ok(place)
}

/// Moves ingredients to `place_id` (None: unplaced) in the unit, in the order given, starting
/// at `position` among what stands there (default: after it). One ingredient is the
/// `setIngredientPlace` of the contract; many at once is a shelf arranged in one go.
pub async fn place_ingredients<C: Writer>(
    db: &C,
    principal: &Principal,
    storage_unit_id: i64,
    place_id: Option<i64>,
    ingredient_ids: &[i64],
    position: Option<i32>,
) -> ServiceResult<()> {
    let unit = managed_unit(db, principal, storage_unit_id).await?;
    if ingredient_ids.len() > MAX_ARRANGED {
        return Err(ServiceError::validation(
            "ingredientIds",
            format!("at most {MAX_ARRANGED} ingredients at once"),
        ));
    }
    if let Some(place) = place_id {
        place_of_unit(db, unit.company_id, unit.id, place, "placeId").await?;
    }
    let mut moving = Vec::with_capacity(ingredient_ids.len());
    for (i, id) in ingredient_ids.iter().enumerate() {
        let field = format!("ingredientIds[{i}]");
        find_in_company::<ingredient::Entity, _>(db, unit.company_id, *id, "ingredient", &field)
            .await?;
        if moving.contains(id) {
            return Err(ServiceError::validation(
                field,
                "this ingredient is named twice",
            ));
        }
        moving.push(*id);
    }
    let (unit, moving) = (&unit, &moving);
    crate::db::retrying(|| async move {
        let txn = crate::db::begin_write(db).await?;
        let all = placements(&txn, unit.id).await?;
        // Where they come from closes up; where they go opens at the slot.
        let mut sources: Vec<Option<i64>> = moving
            .iter()
            .filter_map(|id| all.get(id).map(|p| p.place_id))
            .filter(|p| *p != place_id)
            .collect();
        sources.sort_unstable();
        sources.dedup();
        let mut target: Vec<i64> = placed_in(&txn, unit.id, place_id)
            .await?
            .into_iter()
            .map(|p| p.ingredient_id)
            .filter(|id| !moving.contains(id))
            .collect();
        let at = slot(position, target.len(), "position")?;
        target.splice(at..at, moving.iter().copied());
        write_order(&txn, unit, place_id, &target, &all).await?;
        for source in sources {
            let rest: Vec<i64> = placed_in(&txn, unit.id, source)
                .await?
                .into_iter()
                .map(|p| p.ingredient_id)
                .filter(|id| !moving.contains(id))
                .collect();
            write_order(&txn, unit, source, &rest, &all).await?;
        }
        txn.commit().await?;
        Ok(())
    })
    .await
}

/// Stands `ordered` at `place_id` in that order, making rows for ingredients not placed yet.
async fn write_order<C: ConnectionTrait>(
    txn: &C,
    unit: &storage_unit::Model,
    place_id: Option<i64>,
    ordered: &[i64],
    known: &HashMap<i64, ingredient_place::Model>,
) -> ServiceResult<()> {
    for (position, ingredient_id) in ordered.iter().enumerate() {
        let position = position as i64;
        match known.get(ingredient_id) {
            Some(row) if row.place_id == place_id && row.position == position => {}
            Some(row) => {
                let mut active: ingredient_place::ActiveModel = row.clone().into();
                active.place_id = Set(place_id);
                active.position = Set(position);
                active.update(txn).await?;
            }
            None => {
                ingredient_place::ActiveModel {
                    company_id: Set(unit.company_id),
                    ingredient_id: Set(*ingredient_id),
                    storage_unit_id: Set(unit.id),
                    place_id: Set(place_id),
                    position: Set(position),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
            }
        }
    }
    Ok(())
}
