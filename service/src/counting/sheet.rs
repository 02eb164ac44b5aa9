//! The count sheet: a count's lines in the order a person walks the storage unit — its places in
//! order, each place's ingredients by position, the unplaced last by name — with the books shown
//! or, in a blind count for staff, withheld.

use std::collections::HashMap;

use entity::{company, ingredient, stock_count};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::places;
use crate::access::{Principal, Role};
use crate::error::{ServiceError, ServiceResult};
use crate::stock_counts;

/// A line of the sheet as its reader may see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetLine {
    pub ingredient_id: i64,
    /// Where the ingredient stands in this storage unit (None: not placed).
    pub place_id: Option<i64>,
    /// None in a blind count read by staff.
    pub book: Option<Decimal>,
    pub counted: Option<Decimal>,
    pub difference: Option<Decimal>,
    pub check: bool,
}

/// Whether `principal` may see the books on a count sheet of `company`: always, unless the
/// company counts blind and the caller is below a manager.
pub fn sees_books(principal: &Principal, company: &company::Model) -> bool {
    !company.blind_counts
        || principal
            .require(company.id, Role::Manager, "company")
            .is_ok()
}

pub async fn company_of<C: ConnectionTrait>(
    db: &C,
    count: &stock_count::Model,
) -> ServiceResult<company::Model> {
    company::Entity::find_by_id(count.company_id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found("company"))
}

/// The count's lines in walking order, the books withheld where the reader counts blind.
pub async fn lines<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    count: &stock_count::Model,
) -> ServiceResult<Vec<SheetLine>> {
    let company = company_of(db, count).await?;
    let books_shown = sees_books(principal, &company);
    let views = stock_counts::line_views(db, count).await?;
    let placements = places::placements(db, count.storage_unit_id).await?;
    let walk: HashMap<i64, usize> = places::list(db, count.storage_unit_id)
        .await?
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id, i))
        .collect();
    let names: HashMap<i64, String> = ingredient::Entity::find()
        .filter(ingredient::Column::Id.is_in(views.iter().map(|v| v.ingredient_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, i.name.to_lowercase()))
        .collect();
    let mut lines: Vec<(WalkKey, SheetLine)> = views
        .into_iter()
        .map(|v| {
            let at = placements.get(&v.ingredient_id);
            // A place removed since is no place: the line walks with the unplaced.
            let place_id = at
                .and_then(|p| p.place_id)
                .filter(|id| walk.contains_key(id));
            let key = WalkKey {
                place: place_id.map_or(usize::MAX, |id| walk[&id]),
                position: at
                    .filter(|_| place_id.is_some())
                    .map_or(i64::MAX, |p| p.position),
                name: names.get(&v.ingredient_id).cloned().unwrap_or_default(),
                id: v.ingredient_id,
            };
            let line = SheetLine {
                ingredient_id: v.ingredient_id,
                place_id,
                book: books_shown.then_some(v.book),
                counted: v.counted,
                difference: v.difference.filter(|_| books_shown),
                check: v.check && books_shown,
            };
            (key, line)
        })
        .collect();
    lines.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(lines.into_iter().map(|(_, l)| l).collect())
}

/// Where a line comes on the walk.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct WalkKey {
    place: usize,
    position: i64,
    name: String,
    id: i64,
}
