//! Stock count sessions (DESIGN.md invariant 7): at most one open count per storage unit
//! (starting again resumes it), lines saved as a draft — listed, counted or not — and posting
//! once: one ADJUST per counted line that differs from the books; uncounted lines untouched.

use crate::db::Writer;
use chrono::{DateTime, Utc};
pub use entity::stock_count::CountStatus;
use entity::{
    count_entry, ingredient, ingredient_place, stock_balance, stock_count, stock_count_line,
    storage_unit,
};
use rust_decimal::Decimal;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use std::collections::HashSet;

use crate::access::{Principal, Role};
use crate::error::{ServiceError, ServiceResult};
use crate::ingredients::{self, QuantityFields, QuantityUnit, Sign};
use crate::ledger::posting::{self, NewEntry};
use crate::ledger::{SourceKind, TransactionType, reading, to_micros};
use crate::owned::{CompanyOwned, find_in_company, find_owned};
use crate::paging::{Page, PageRequest, SortOrder, keyset_page};
use crate::quantity::from_micro;

pub const ENTITY: &str = "stock count";

impl CompanyOwned for stock_count::Model {
    fn company_id(&self) -> i64 {
        self.company_id
    }
}

/// Opens a count of a storage unit, listing every ingredient it holds; an open one is resumed.
pub async fn start<C: Writer>(
    db: &C,
    principal: &Principal,
    storage_unit_id: i64,
) -> ServiceResult<stock_count::Model> {
    let unit = storage_unit::Entity::find_by_id(storage_unit_id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found("storage unit"))?;
    principal.require(unit.company_id, Role::Staff, "storage unit")?;
    if let Some(open) = open_count(db, storage_unit_id).await? {
        return Ok(open);
    }
    let unit = &unit;
    crate::db::retrying(|| async move {
        let txn = crate::db::begin_write(db).await?;
        if let Some(open) = open_count(&txn, storage_unit_id).await? {
            return Ok(open);
        }
        let count = stock_count::ActiveModel {
            company_id: Set(unit.company_id),
            storage_unit_id: Set(unit.id),
            status: Set(CountStatus::Open),
            created_by: Set(Some(principal.acting_user_id())),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for ingredient_id in expected_here(&txn, unit.id).await? {
            stock_count_line::ActiveModel {
                count_id: Set(count.id),
                ingredient_id: Set(ingredient_id),
                counted_micro: Set(None),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        txn.commit().await?;
        Ok(count)
    })
    .await
}

/// What a count of the unit lists: every ingredient it holds on the books, and every active
/// ingredient placed there (expected on its shelf, whatever the books say).
async fn expected_here<C: ConnectionTrait>(txn: &C, unit_id: i64) -> ServiceResult<Vec<i64>> {
    let mut ids: Vec<i64> = stock_balance::Entity::find()
        .filter(stock_balance::Column::StorageUnitId.eq(unit_id))
        .all(txn)
        .await?
        .into_iter()
        .map(|b| b.ingredient_id)
        .collect();
    let placed: Vec<i64> = ingredient_place::Entity::find()
        .filter(ingredient_place::Column::StorageUnitId.eq(unit_id))
        .all(txn)
        .await?
        .into_iter()
        .map(|p| p.ingredient_id)
        .collect();
    let active: HashSet<i64> = ingredient::Entity::find()
        .filter(ingredient::Column::Id.is_in(placed.clone()))
        .filter(ingredient::Column::Active.eq(true))
        .filter(ingredient::Column::ArchivedAt.is_null())
        .all(txn)
        .await?
        .into_iter()
        .map(|i| i.id)
        .collect();
    let mut seen: HashSet<i64> = ids.iter().copied().collect();
    for id in placed {
        if active.contains(&id) && seen.insert(id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// The count, locked for the rest of the transaction (on PostgreSQL; SQLite's writer holds
/// the whole file), if it is still open.
pub(crate) async fn locked_open<C: ConnectionTrait>(
    txn: &C,
    id: i64,
) -> ServiceResult<stock_count::Model> {
    let count = stock_count::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or_else(|| ServiceError::not_found(ENTITY))?;
    still_open(count)
}

/// A count of the caller's company (staff) that is still open.
pub(crate) async fn owned_open<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    count_id: i64,
) -> ServiceResult<stock_count::Model> {
    still_open(
        find_owned::<stock_count::Entity, _>(db, principal, count_id, Role::Staff, ENTITY).await?,
    )
}

fn still_open(count: stock_count::Model) -> ServiceResult<stock_count::Model> {
    if count.status != CountStatus::Open {
        return Err(ServiceError::conflict(
            "countId",
            format!("this count is already {}", count.status),
        ));
    }
    Ok(count)
}

async fn open_count<C: ConnectionTrait>(
    db: &C,
    storage_unit_id: i64,
) -> ServiceResult<Option<stock_count::Model>> {
    Ok(stock_count::Entity::find()
        .filter(stock_count::Column::StorageUnitId.eq(storage_unit_id))
        .filter(stock_count::Column::Status.eq(CountStatus::Open))
        .one(db)
        .await?)
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
) -> ServiceResult<stock_count::Model> {
    find_owned::<stock_count::Entity, _>(db, principal, id, Role::Viewer, ENTITY).await
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    status: Option<CountStatus>,
) -> ServiceResult<Vec<stock_count::Model>> {
    principal.require_read(company_id, "company")?;
    let mut q = stock_count::Entity::find().filter(stock_count::Column::CompanyId.eq(company_id));
    if let Some(s) = status {
        q = q.filter(stock_count::Column::Status.eq(s));
    }
    Ok(q.order_by_desc(stock_count::Column::Id).all(db).await?)
}

/// Which counts a list shows: a status and a storage unit.
#[derive(Debug, Clone, Default)]
pub struct CountFilter {
    pub status: Option<CountStatus>,
    pub storage_unit_id: Option<i64>,
}

/// One page of a company's stock counts, newest first, by keyset on the id.
pub async fn page<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    filter: &CountFilter,
    request: &PageRequest<i64>,
) -> ServiceResult<Page<stock_count::Model>> {
    use stock_count::Column;
    principal.require_read(company_id, "company")?;
    let mut query = stock_count::Entity::find().filter(Column::CompanyId.eq(company_id));
    if let Some(status) = filter.status {
        query = query.filter(Column::Status.eq(status));
    }
    if let Some(unit) = filter.storage_unit_id {
        query = query.filter(Column::StorageUnitId.eq(unit));
    }
    let total = query.clone().count(db).await?;
    let order = SortOrder::descending(vec![Column::Id]);
    Ok(keyset_page(db, query, &order, request, total).await?)
}

pub async fn lines<C: ConnectionTrait>(
    db: &C,
    count_id: i64,
) -> ServiceResult<Vec<stock_count_line::Model>> {
    Ok(stock_count_line::Entity::find()
        .filter(stock_count_line::Column::CountId.eq(count_id))
        .order_by_asc(stock_count_line::Column::Id)
        .all(db)
        .await?)
}

/// When a count's books are read: at the count time once posted, else now.
fn book_time(count: &stock_count::Model) -> i64 {
    count
        .counted_at
        .map(to_micros)
        .unwrap_or_else(|| to_micros(Utc::now()))
}

/// A difference larger than this share of the books (in percent) is worth a second look
/// before the count is posted: a miscount more often than a loss.
pub const CHECK_ABOVE_PERCENT: i64 = 20;

/// A line of a count as people read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineView {
    pub ingredient_id: i64,
    /// On the books: at the count time once posted, else now.
    pub book: Decimal,
    /// None: not counted (left untouched when posting).
    pub counted: Option<Decimal>,
    pub difference: Option<Decimal>,
    /// The difference is over [`CHECK_ABOVE_PERCENT`] of the books.
    pub check: bool,
}

/// Every listed line of `count` with its books, difference and whether to look again.
pub async fn line_views<C: ConnectionTrait>(
    db: &C,
    count: &stock_count::Model,
) -> ServiceResult<Vec<LineView>> {
    let books = reading::balances_at(
        db,
        count.company_id,
        Some(count.storage_unit_id),
        book_time(count),
    )
    .await?;
    let mut out = Vec::new();
    for line in lines(db, count.id).await? {
        let book = books
            .get(&(line.ingredient_id, count.storage_unit_id))
            .map_or(0, |b| b.quantity_micro);
        let difference = line.counted_micro.map(|counted| counted - book);
        out.push(LineView {
            ingredient_id: line.ingredient_id,
            book: from_micro(book),
            counted: line.counted_micro.map(from_micro),
            difference: difference.map(from_micro),
            check: difference.is_some_and(|d| needs_check(book, d)),
        });
    }
    Ok(out)
}

fn needs_check(book: i64, difference: i64) -> bool {
    difference != 0
        && (difference as i128).abs() * 100 > (book as i128).abs() * CHECK_ABOVE_PERCENT as i128
}

/// A counted line as a person enters it.
#[derive(Debug, Clone)]
pub struct CountLineInput {
    pub ingredient_id: i64,
    /// None clears a count (the line stays listed).
    pub counted: Option<Decimal>,
    pub unit: Option<QuantityUnit>,
}

/// A line checked against the count's company, in base-unit millionths.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CountedLine {
    pub ingredient_id: i64,
    pub counted_micro: Option<i64>,
}

/// Each line's ingredient in `company_id`, counted once, its quantity not negative and
/// converted like every entered quantity.
async fn checked_lines<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
    lines: &[CountLineInput],
) -> ServiceResult<Vec<CountedLine>> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let ingredient = find_in_company::<ingredient::Entity, _>(
            db,
            company_id,
            line.ingredient_id,
            "ingredient",
            &format!("lines[{i}].ingredientId"),
        )
        .await?;
        if !seen.insert(ingredient.id) {
            return Err(ServiceError::validation(
                format!("lines[{i}].ingredientId"),
                "this ingredient is counted twice",
            ));
        }
        let counted_micro = match line.counted {
            None => None,
            Some(quantity) => Some(
                ingredients::entered_quantity(
                    db,
                    &ingredient,
                    quantity,
                    line.unit.clone(),
                    Sign::NotNegative,
                    &QuantityFields::at(&format!("lines[{i}]."), "countedQuantity"),
                )
                .await?,
            ),
        };
        out.push(CountedLine {
            ingredient_id: ingredient.id,
            counted_micro,
        });
    }
    Ok(out)
}

/// Inside a write transaction: sets the counted quantities of `count_id`, adding lines for
/// ingredients not listed yet.
pub(crate) async fn write_lines<C: ConnectionTrait>(
    txn: &C,
    count_id: i64,
    counted: &[CountedLine],
) -> ServiceResult<()> {
    let existing = lines(txn, count_id).await?;
    for line in counted {
        match existing
            .iter()
            .find(|l| l.ingredient_id == line.ingredient_id)
        {
            Some(listed) => {
                let mut active: stock_count_line::ActiveModel = listed.clone().into();
                active.counted_micro = Set(line.counted_micro);
                active.update(txn).await?;
            }
            None => {
                stock_count_line::ActiveModel {
                    count_id: Set(count_id),
                    ingredient_id: Set(line.ingredient_id),
                    counted_micro: Set(line.counted_micro),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
            }
        }
    }
    Ok(())
}

/// An ingredient counted by entries (place by place, counter by counter) takes its quantity
/// from them: setting the total by hand would be undone by the next entry.
async fn refuse_entry_counted<C: ConnectionTrait>(
    txn: &C,
    count_id: i64,
    counted: &[CountedLine],
) -> ServiceResult<()> {
    let ids: Vec<i64> = counted.iter().map(|l| l.ingredient_id).collect();
    let by_entries: HashSet<i64> = count_entry::Entity::find()
        .filter(count_entry::Column::CountId.eq(count_id))
        .filter(count_entry::Column::IngredientId.is_in(ids.clone()))
        .all(txn)
        .await?
        .into_iter()
        .map(|e| e.ingredient_id)
        .collect();
    if let Some(i) = ids.iter().position(|id| by_entries.contains(id)) {
        return Err(ServiceError::conflict(
            format!("lines[{i}].ingredientId"),
            "this ingredient is counted by entries (saveCountEntries): add an entry instead",
        ));
    }
    Ok(())
}

/// Saves counted quantities as a draft; lines for ingredients not listed yet are added.
pub async fn save_lines<C: Writer>(
    db: &C,
    principal: &Principal,
    count_id: i64,
    lines: Vec<CountLineInput>,
) -> ServiceResult<stock_count::Model> {
    let count = owned_open(db, principal, count_id).await?;
    let counted = &checked_lines(db, count.company_id, &lines).await?;
    crate::db::retrying(|| async move {
        let txn = crate::db::begin_write(db).await?;
        // Still open under the lock: lines saved into a count posted meanwhile would change
        // a count whose adjustments are already in the ledger.
        let count = locked_open(&txn, count_id).await?;
        refuse_entry_counted(&txn, count_id, counted).await?;
        write_lines(&txn, count_id, counted).await?;
        txn.commit().await?;
        Ok(count)
    })
    .await
}

/// Posts the count once: ADJUSTs for counted lines that differ from the books at `counted_at`.
pub async fn post<C: Writer>(
    db: &C,
    principal: &Principal,
    count_id: i64,
    counted_at: Option<DateTime<Utc>>,
) -> ServiceResult<(stock_count::Model, Vec<entity::ledger_entry::Model>)> {
    // Whose it is; whether it is still open is asked again under the lock.
    find_owned::<stock_count::Entity, _>(db, principal, count_id, Role::Staff, ENTITY).await?;
    let at = crate::ledger::business_time(counted_at, "countedAt")?;
    crate::db::retrying(|| async move {
        let txn = crate::db::begin_write(db).await?;
        // Read again under the lock: a second post waits here, then finds it posted.
        let count = locked_open(&txn, count_id).await?;
        let posted = adjust_to_counts(&txn, &count, at, principal.acting_user_id()).await?;
        let mut active: stock_count::ActiveModel = count.into();
        active.status = Set(CountStatus::Posted);
        active.counted_at = Set(Some(at));
        active.posted_at = Set(Some(Utc::now()));
        let count = active.update(&txn).await?;
        txn.commit().await?;
        Ok((count, posted))
    })
    .await
}

pub async fn cancel<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    count_id: i64,
) -> ServiceResult<stock_count::Model> {
    owned_open(db, principal, count_id).await?;
    // Only while still open: a post committed since the read above must not be undone.
    let changed = stock_count::Entity::update_many()
        .col_expr(
            stock_count::Column::Status,
            Expr::value(CountStatus::Cancelled),
        )
        .filter(stock_count::Column::Id.eq(count_id))
        .filter(stock_count::Column::Status.eq(CountStatus::Open))
        .exec(db)
        .await?;
    let count =
        find_owned::<stock_count::Entity, _>(db, principal, count_id, Role::Staff, ENTITY).await?;
    if changed.rows_affected == 0 {
        return Err(ServiceError::conflict(
            "countId",
            format!("this count is already {}", count.status),
        ));
    }
    Ok(count)
}

/// A count in one step, for a caller that has counted already: the count is recorded POSTED
/// with its lines, and each counted line that differs from the books at `counted_at` posts one
/// ADJUST at the average cost — the same lines and adjustments a session's start, save and post
/// make, in one transaction. Ingredients not counted are untouched.
pub async fn count_and_post<C: Writer>(
    db: &C,
    principal: &Principal,
    storage_unit_id: i64,
    counted_at: DateTime<Utc>,
    lines: Vec<CountLineInput>,
) -> ServiceResult<(stock_count::Model, Vec<entity::ledger_entry::Model>)> {
    let unit = storage_unit::Entity::find_by_id(storage_unit_id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found("storage unit"))?;
    principal.require(unit.company_id, Role::Staff, "storage unit")?;
    let at = crate::ledger::business_time(Some(counted_at), "countedAt")?;
    let counted = &checked_lines(db, unit.company_id, &lines).await?;
    let unit = &unit;
    // The books are read inside the transaction: a re-run counts against the books as they
    // are by then.
    crate::db::retrying(|| async move {
        let txn = crate::db::begin_write(db).await?;
        let now = Utc::now();
        // Recorded as posted from the start: a session open on the same unit stays open.
        let count = stock_count::ActiveModel {
            company_id: Set(unit.company_id),
            storage_unit_id: Set(unit.id),
            status: Set(CountStatus::Posted),
            counted_at: Set(Some(at)),
            created_by: Set(Some(principal.acting_user_id())),
            created_at: Set(now),
            posted_at: Set(Some(now)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        write_lines(&txn, count.id, counted).await?;
        let posted = adjust_to_counts(&txn, &count, at, principal.acting_user_id()).await?;
        txn.commit().await?;
        Ok((count, posted))
    })
    .await
}

/// Inside a write transaction: one ADJUST per counted line of `count` that differs from the
/// books at `at`. Reading the books here means they cannot move under the count.
async fn adjust_to_counts<C: ConnectionTrait>(
    txn: &C,
    count: &stock_count::Model,
    at: DateTime<Utc>,
    user: i64,
) -> ServiceResult<Vec<entity::ledger_entry::Model>> {
    let at = to_micros(at);
    let books =
        reading::balances_at(txn, count.company_id, Some(count.storage_unit_id), at).await?;
    let mut entries = Vec::new();
    for line in lines(txn, count.id).await? {
        let Some(quantity) = line.counted_micro else {
            continue;
        };
        let book = books
            .get(&(line.ingredient_id, count.storage_unit_id))
            .map_or(0, |b| b.quantity_micro);
        let difference = quantity - book;
        if difference != 0 {
            let mut e = NewEntry::new(
                count.company_id,
                line.ingredient_id,
                count.storage_unit_id,
                TransactionType::Adjust,
                difference,
                at,
            );
            e.source_kind = SourceKind::StockCount;
            e.source_id = Some(count.id.to_string());
            e.created_by = Some(user);
            e.note = Some(format!(
                "counted {} against {} on the books",
                from_micro(quantity),
                from_micro(book)
            ));
            entries.push(e);
        }
    }
    posting::post(txn, entries).await
}

#[cfg(test)]
mod tests {
    use super::needs_check;

    #[test]
    fn a_difference_over_a_fifth_of_the_books_is_worth_a_second_look() {
        let kg = 1_000_000;
        assert!(
            needs_check(10 * kg, 2 * kg + 1),
            "12.000001 counted against 10"
        );
        assert!(!needs_check(10 * kg, 2 * kg), "exactly 20 % is not flagged");
        assert!(needs_check(10 * kg, -3 * kg), "a shortfall counts too");
        assert!(
            needs_check(0, kg),
            "anything found where the books say nothing"
        );
        assert!(
            needs_check(-kg, 3 * kg),
            "negative books: the size of the difference counts"
        );
        assert!(!needs_check(10 * kg, 0), "no difference, nothing to check");
    }
}
