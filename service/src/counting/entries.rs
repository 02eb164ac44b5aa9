//! Count entries (DESIGN.md, "Counting anywhere"): what each counter found of an ingredient at a
//! place, saved idempotently by the id the counter's device gave it, so that a tablet that lost
//! its signal can send the same entries again and again and each lands once. A save recomputes
//! the counted quantity of every ingredient it touches: the sum over places of the entry standing
//! at each (see `settle`).

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use entity::{count_entry, ingredient, product, stock_count};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::places;
use super::settle::{Counted, settle};
use crate::access::Principal;
use crate::db::Writer;
use crate::error::{ServiceError, ServiceResult};
use crate::ingredients::{self, QuantityFields, QuantityUnit, Sign};
use crate::owned::find_in_company;
use crate::quantity::{MAX_INPUT, from_micro, to_micro};
use crate::stock_counts::{self, CountedLine};

/// The most entries one save takes: a whole storage unit counted offline fits.
pub const MAX_ENTRIES_PER_SAVE: usize = 1_000;
/// The most entries one count keeps: a hundred corrections of every line of a large room.
pub const MAX_ENTRIES_PER_COUNT: u64 = 50_000;
const MAX_CLIENT_ID: usize = 64;
/// Rows a multi-row INSERT carries: 13 columns × 500 stays far below SQLite's 32,766 bound
/// parameters.
const ROWS_PER_STATEMENT: usize = 500;

/// An entry as a counter's device sends it: packs of a product and/or a loose quantity.
#[derive(Debug, Clone)]
pub struct CountEntryInput {
    pub client_id: String,
    pub ingredient_id: i64,
    pub place_id: Option<i64>,
    pub packs: Option<Decimal>,
    /// Whose packs: default the ingredient's preferred product, else its smallest packaging level.
    pub product_id: Option<i64>,
    pub quantity: Option<Decimal>,
    pub unit: Option<QuantityUnit>,
    pub counted_at: DateTime<Utc>,
}

/// An entry checked and converted, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
struct CheckedEntry {
    client_id: String,
    ingredient_id: i64,
    place_id: Option<i64>,
    quantity_micro: i64,
    product_id: Option<i64>,
    packs_micro: Option<i64>,
    loose_micro: Option<i64>,
    counted_at: DateTime<Utc>,
}

impl CheckedEntry {
    /// Whether a stored entry is this one sent again (the save that stored it may have lost
    /// its answer on the way back).
    fn is_stored_as(&self, stored: &count_entry::Model, counter: i64) -> bool {
        stored.ingredient_id == self.ingredient_id
            && stored.place_id == self.place_id
            && stored.quantity_micro == self.quantity_micro
            && stored.counted_by == counter
            && stored.counted_at.timestamp_micros() == self.counted_at.timestamp_micros()
    }
}

fn checked_client_id(i: usize, id: &str) -> ServiceResult<String> {
    let field = format!("entries[{i}].clientId");
    if id.is_empty() || id.len() > MAX_CLIENT_ID {
        return Err(ServiceError::validation(
            field,
            format!("must be 1 to {MAX_CLIENT_ID} characters"),
        ));
    }
    if !id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(ServiceError::validation(
            field,
            "letters, digits, '-' and '_' only (a UUID, say)",
        ));
    }
    Ok(id.to_string())
}

/// How many base-unit millionths one pack holds, and whose pack it is.
async fn pack_size<C: ConnectionTrait>(
    db: &C,
    ingredient: &ingredient::Model,
    product_id: Option<i64>,
    prefix: &str,
) -> ServiceResult<(Option<i64>, i64)> {
    if let Some(id) = product_id {
        let field = format!("{prefix}productId");
        let product = find_in_company::<product::Entity, _>(
            db,
            ingredient.company_id,
            id,
            crate::products::ENTITY,
            &field,
        )
        .await?;
        if product.ingredient_id != ingredient.id {
            return Err(ServiceError::validation(
                field,
                format!("this product is not a pack of {}", ingredient.name),
            ));
        }
        return Ok((Some(product.id), product.packaging_factor_micro));
    }
    if let Some(preferred) = ingredient.preferred_product_id
        && let Some(p) = product::Entity::find_by_id(preferred).one(db).await?
        && p.archived_at.is_none()
    {
        return Ok((Some(p.id), p.packaging_factor_micro));
    }
    let levels = ingredients::packaging_levels(db, &[ingredient.id]).await?;
    match levels.get(&ingredient.id).and_then(|l| l.first()) {
        Some(level) => Ok((None, level.factor_micro)),
        None => Err(ServiceError::validation(
            format!("{prefix}packs"),
            format!(
                "{} has no pack to count in (no product, no packaging level): enter a quantity",
                ingredient.name
            ),
        )),
    }
}

/// What a batch's entries are checked against, read once for the batch: a tablet's backlog of
/// a thousand entries is two queries, not two thousand.
struct Known {
    /// The company's ingredients the batch names.
    ingredients: HashMap<i64, ingredient::Model>,
    /// The places in use of the count's storage unit.
    places: HashSet<i64>,
}

impl Known {
    async fn read<C: ConnectionTrait>(
        db: &C,
        count: &stock_count::Model,
        inputs: &[CountEntryInput],
    ) -> ServiceResult<Self> {
        let ids: Vec<i64> = inputs.iter().map(|e| e.ingredient_id).collect();
        let ingredients = ingredient::Entity::find()
            .filter(ingredient::Column::CompanyId.eq(count.company_id))
            .filter(ingredient::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|i| (i.id, i))
            .collect();
        let places = places::list(db, count.storage_unit_id)
            .await?
            .into_iter()
            .map(|p| p.id)
            .collect();
        Ok(Self {
            ingredients,
            places,
        })
    }
}

async fn checked_entry<C: ConnectionTrait>(
    db: &C,
    known: &Known,
    i: usize,
    input: &CountEntryInput,
) -> ServiceResult<CheckedEntry> {
    let prefix = format!("entries[{i}].");
    let client_id = checked_client_id(i, &input.client_id)?;
    let ingredient = known
        .ingredients
        .get(&input.ingredient_id)
        .ok_or_else(|| ServiceError::not_found_at("ingredient", format!("{prefix}ingredientId")))?;
    if let Some(place) = input.place_id
        && !known.places.contains(&place)
    {
        return Err(ServiceError::not_found_at(
            places::ENTITY,
            format!("{prefix}placeId"),
        ));
    }
    let counted_at =
        crate::ledger::business_time(Some(input.counted_at), &format!("{prefix}countedAt"))?;
    if input.packs.is_none() && input.quantity.is_none() {
        return Err(ServiceError::validation(
            format!("{prefix}quantity"),
            "enter packs, a quantity, or both",
        ));
    }
    let (product_id, packs_micro, from_packs) = match input.packs {
        None => (None, None, 0i128),
        Some(packs) => {
            let field = format!("{prefix}packs");
            if packs < Decimal::ZERO {
                return Err(ServiceError::validation(field, "must not be negative"));
            }
            let packs_micro = to_micro(packs, &field)?;
            let (product_id, size) = pack_size(db, ingredient, input.product_id, &prefix).await?;
            let base = packs_micro as i128 * size as i128 / 1_000_000;
            (product_id, Some(packs_micro), base)
        }
    };
    let loose_micro = match input.quantity {
        None => None,
        Some(quantity) => Some(
            ingredients::entered_quantity(
                db,
                ingredient,
                quantity,
                input.unit.clone(),
                Sign::NotNegative,
                &QuantityFields::at(&prefix, "quantity"),
            )
            .await?,
        ),
    };
    let total = from_packs + loose_micro.unwrap_or(0) as i128;
    if total > MAX_INPUT as i128 * 1_000_000 {
        return Err(ServiceError::validation(
            format!("{prefix}packs"),
            format!("at most {MAX_INPUT} in the ingredient's unit"),
        ));
    }
    Ok(CheckedEntry {
        client_id,
        ingredient_id: ingredient.id,
        place_id: input.place_id,
        quantity_micro: total as i64,
        product_id,
        packs_micro,
        loose_micro,
        counted_at,
    })
}

/// Saves a counter's entries into an open count, once each: an entry whose client id is stored
/// already is skipped when it is the same entry, refused when it is another. Every ingredient the
/// save touches gets its counted quantity again, in the same transaction.
pub async fn save<C: Writer>(
    db: &C,
    principal: &Principal,
    count_id: i64,
    inputs: &[CountEntryInput],
) -> ServiceResult<stock_count::Model> {
    if inputs.len() > MAX_ENTRIES_PER_SAVE {
        return Err(ServiceError::validation(
            "entries",
            format!("at most {MAX_ENTRIES_PER_SAVE} entries at once"),
        ));
    }
    let count = stock_counts::owned_open(db, principal, count_id).await?;
    let known = Known::read(db, &count, inputs).await?;
    let mut checked: Vec<CheckedEntry> = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        let entry = checked_entry(db, &known, i, input).await?;
        if let Some(twin) = checked.iter().find(|e| e.client_id == entry.client_id) {
            if *twin != entry {
                return Err(ServiceError::validation(
                    format!("entries[{i}].clientId"),
                    "two different entries have this client id",
                ));
            }
            continue;
        }
        checked.push(entry);
    }
    let counter = principal.acting_user_id();
    let checked = &checked;
    crate::db::retrying(|| async move {
        let txn = crate::db::begin_write(db).await?;
        let count = stock_counts::locked_open(&txn, count_id).await?;
        let ids: Vec<String> = checked.iter().map(|e| e.client_id.clone()).collect();
        let stored: HashMap<String, count_entry::Model> = count_entry::Entity::find()
            .filter(count_entry::Column::CountId.eq(count_id))
            .filter(count_entry::Column::ClientId.is_in(ids))
            .all(&txn)
            .await?
            .into_iter()
            .map(|e| (e.client_id.clone(), e))
            .collect();
        let mut touched = HashSet::new();
        let now = Utc::now();
        let mut fresh = Vec::new();
        for (i, entry) in checked.iter().enumerate() {
            if let Some(before) = stored.get(&entry.client_id) {
                if !entry.is_stored_as(before, counter) {
                    return Err(ServiceError::conflict(
                        format!("entries[{i}].clientId"),
                        "an entry with this client id was saved with other values",
                    ));
                }
                continue;
            }
            touched.insert(entry.ingredient_id);
            fresh.push(count_entry::ActiveModel {
                company_id: Set(count.company_id),
                count_id: Set(count.id),
                client_id: Set(entry.client_id.clone()),
                ingredient_id: Set(entry.ingredient_id),
                place_id: Set(entry.place_id),
                quantity_micro: Set(entry.quantity_micro),
                product_id: Set(entry.product_id),
                packs_micro: Set(entry.packs_micro),
                loose_micro: Set(entry.loose_micro),
                counted_at: Set(entry.counted_at),
                counted_by: Set(counter),
                saved_at: Set(now),
                ..Default::default()
            });
        }
        if !fresh.is_empty() {
            for chunk in fresh.chunks(ROWS_PER_STATEMENT) {
                count_entry::Entity::insert_many(chunk.to_vec())
                    .exec_without_returning(&txn)
                    .await?;
            }
            let total = sea_orm::PaginatorTrait::count(
                count_entry::Entity::find().filter(count_entry::Column::CountId.eq(count_id)),
                &txn,
            )
            .await?;
            if total > MAX_ENTRIES_PER_COUNT {
                return Err(ServiceError::validation(
                    "entries",
                    format!("a count keeps at most {MAX_ENTRIES_PER_COUNT} entries"),
                ));
            }
            let mut touched: Vec<i64> = touched.into_iter().collect();
            touched.sort_unstable();
            let counted = counted_from_entries(&txn, count_id, &touched).await?;
            stock_counts::write_lines(&txn, count_id, &counted).await?;
        }
        txn.commit().await?;
        Ok(count)
    })
    .await
}

/// Every entry of a count.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    count_id: i64,
) -> ServiceResult<Vec<count_entry::Model>> {
    Ok(count_entry::Entity::find()
        .filter(count_entry::Column::CountId.eq(count_id))
        .all(db)
        .await?)
}

fn facts(entry: &count_entry::Model) -> Counted {
    Counted {
        client_id: entry.client_id.clone(),
        counted_by: entry.counted_by,
        quantity_micro: entry.quantity_micro,
        counted_at: entry.counted_at,
    }
}

/// Two entries at one place that disagree and wait for a newer one.
#[derive(Debug, Clone)]
pub struct Conflict {
    pub ingredient_id: i64,
    pub place_id: Option<i64>,
    pub entries: [count_entry::Model; 2],
}

/// A count's entries settled place by place.
#[derive(Debug, Clone, Default)]
pub struct Settlement {
    /// Per ingredient, the sum over places of the standing entries, in millionths.
    pub counted: BTreeMap<i64, i128>,
    pub conflicts: Vec<Conflict>,
}

/// An entry with what settling reads of it.
struct Placed<'a> {
    facts: Counted,
    entry: &'a count_entry::Model,
}

/// Settles `entries` (of one count) at every (ingredient, place).
pub fn settle_all(entries: &[count_entry::Model]) -> Settlement {
    let mut by_place: BTreeMap<(i64, Option<i64>), Vec<Placed<'_>>> = BTreeMap::new();
    for e in entries {
        by_place
            .entry((e.ingredient_id, e.place_id))
            .or_default()
            .push(Placed {
                facts: facts(e),
                entry: e,
            });
    }
    let mut out = Settlement::default();
    for ((ingredient_id, place_id), group) in by_place {
        let Some(settled) = settle(&group, |p| &p.facts) else {
            continue;
        };
        *out.counted.entry(ingredient_id).or_default() +=
            settled.standing.entry.quantity_micro as i128;
        if let Some((a, b)) = settled.conflict {
            out.conflicts.push(Conflict {
                ingredient_id,
                place_id,
                entries: [a.entry.clone(), b.entry.clone()],
            });
        }
    }
    out
}

/// The counted quantity of each of `ingredient_ids` from the count's entries.
async fn counted_from_entries<C: ConnectionTrait>(
    txn: &C,
    count_id: i64,
    ingredient_ids: &[i64],
) -> ServiceResult<Vec<CountedLine>> {
    let entries = count_entry::Entity::find()
        .filter(count_entry::Column::CountId.eq(count_id))
        .filter(count_entry::Column::IngredientId.is_in(ingredient_ids.to_vec()))
        .all(txn)
        .await?;
    let settled = settle_all(&entries);
    ingredient_ids
        .iter()
        .map(|id| {
            let micro = settled.counted.get(id).copied().unwrap_or(0);
            if micro > MAX_INPUT as i128 * 1_000_000 {
                return Err(ServiceError::validation(
                    "entries",
                    format!(
                        "the places' entries add up to {} — over {MAX_INPUT}",
                        from_micro(micro)
                    ),
                ));
            }
            Ok(CountedLine {
                ingredient_id: *id,
                counted_micro: Some(micro as i64),
            })
        })
        .collect()
}
