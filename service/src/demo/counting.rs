//! The demo's rooms as a counter walks them: Main Storage's dry store shelves and cold room, the
//! Bar's fridge, shelf and cellar, the Kitchen's line fridge and dry shelf, each ingredient held
//! there on the place its kind belongs; and a GTIN on every product, so a newcomer can walk a
//! count in shelf order and scan.

use std::collections::HashMap;

use entity::stock_balance;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::Trattoria;
use super::restaurant::{INGREDIENTS, Store};
use crate::counting::places;
use crate::db::Writer;
use crate::error::ServiceResult;

/// A place of a storage unit and the kinds of ingredient kept there.
struct Place {
    name: &'static str,
    categories: &'static [&'static str],
}

const fn place(name: &'static str, categories: &'static [&'static str]) -> Place {
    Place { name, categories }
}

/// A storage unit's places in walking order.
struct Walk {
    store: Store,
    places: &'static [Place],
}

const WALKS: &[Walk] = &[
    Walk {
        store: Store::Main,
        places: &[
            place("Dry store shelf 1", &["Dry goods"]),
            place("Dry store shelf 2", &["Oils & vinegar", "Supplies"]),
            place("Cold room", &["Produce", "Dairy", "Meat"]),
            place("Drinks store", &["Beverages"]),
        ],
    },
    Walk {
        store: Store::Bar,
        places: &[
            place("Fridge", &["Dairy", "Produce"]),
            place("Back bar shelf", &["Beverages"]),
            place("Cellar", &["Dry goods", "Supplies"]),
        ],
    },
    Walk {
        store: Store::Kitchen,
        places: &[
            place("Line fridge", &["Produce", "Dairy", "Meat"]),
            place("Dry shelf", &["Dry goods", "Oils & vinegar"]),
        ],
    },
];

/// A GTIN-13 for the demo's `n`-th product, in GS1's prefix 20–29 for numbers a business makes
/// for itself: it can never be a real product's.
pub fn demo_gtin(n: usize) -> String {
    crate::gtin::with_check_digit(&format!("20{n:010}"))
}

/// Places in every storage unit, and each ingredient the unit holds on its kind's place, in the
/// order of the demo's list.
pub async fn set_up<C: Writer>(db: &C, t: &Trattoria) -> ServiceResult<()> {
    let by_name: HashMap<&str, &str> = INGREDIENTS.iter().map(|i| (i.name, i.category)).collect();
    for walk in WALKS {
        let unit = t.stores[&walk.store];
        let held: Vec<i64> = stock_balance::Entity::find()
            .filter(stock_balance::Column::StorageUnitId.eq(unit))
            .all(db)
            .await?
            .into_iter()
            .map(|b| b.ingredient_id)
            .collect();
        for kept in walk.places {
            let place = places::create(db, &t.owner, unit, kept.name, None).await?;
            let here: Vec<i64> = INGREDIENTS
                .iter()
                .filter(|i| kept.categories.contains(&by_name[i.name]))
                .map(|i| t.ingredients[i.name])
                .filter(|id| held.contains(id))
                .collect();
            places::place_ingredients(db, &t.owner, unit, Some(place.id), &here, None).await?;
        }
    }
    Ok(())
}
