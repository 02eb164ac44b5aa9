//! Questions asked of the ledger: pages of entries, summaries, stock levels, balances at a time.

use chrono::{DateTime, Duration, Utc};
use entity::ledger_entry::{self, Column};
use entity::{ingredient, stock_balance, storage_unit};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveEnum, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};

use super::costing::value_of;
use super::{TransactionType, to_micros};
use crate::access::{Principal, Role};
use crate::error::ServiceResult;
use crate::owned::{find_in_company, find_owned};
use crate::paging::{Page, PageRequest, SortOrder, keyset_page};
use crate::quantity::{exact_sum_sql, from_micro, join_sum, to_micro};

#[derive(Debug, Clone, Default)]
pub struct LedgerFilter {
    pub storage_unit_ids: Option<Vec<i64>>,
    pub ingredient_ids: Option<Vec<i64>>,
    pub types: Option<Vec<TransactionType>>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub ingredient_active: Option<bool>,
    pub min_current_stock: Option<Decimal>,
    pub max_current_stock: Option<Decimal>,
}

/// The filter as a query. Ingredient or storage unit ids must already be the company's own (see
/// [`own_ids`]); then the company condition is left out, so the planner takes the pair's index.
fn filtered(company_id: i64, f: &LedgerFilter) -> ServiceResult<Select<ledger_entry::Entity>> {
    let mut q = ledger_entry::Entity::find();
    if f.ingredient_ids.is_none() && f.storage_unit_ids.is_none() {
        q = q.filter(Column::CompanyId.eq(company_id));
    }
    if let Some(ids) = &f.storage_unit_ids {
        q = q.filter(Column::StorageUnitId.is_in(ids.clone()));
    }
    if let Some(ids) = &f.ingredient_ids {
        q = q.filter(Column::IngredientId.is_in(ids.clone()));
    }
    if let Some(types) = &f.types {
        q = q.filter(Column::TransactionType.is_in(types.iter().copied()));
    }
    if let Some(from) = f.from {
        q = q.filter(Column::OccurredAt.gte(to_micros(from)));
    }
    if let Some(to) = f.to {
        q = q.filter(Column::OccurredAt.lte(to_micros(to)));
    }
    if let Some(active) = f.ingredient_active {
        q = q.filter(
            Column::IngredientId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(ingredient::Column::Id)
                    .from(ingredient::Entity)
                    .and_where(Expr::col(ingredient::Column::CompanyId).eq(company_id))
                    .and_where(Expr::col(ingredient::Column::Active).eq(active))
                    .to_owned(),
            ),
        );
    }
    if f.min_current_stock.is_some() || f.max_current_stock.is_some() {
        let mut bounds = vec![format!("company_id = {company_id}")];
        if let Some(min) = f.min_current_stock {
            bounds.push(format!(
                "quantity_micro >= {}",
                to_micro(min, "filter.minCurrentStock")?
            ));
        }
        if let Some(max) = f.max_current_stock {
            bounds.push(format!(
                "quantity_micro <= {}",
                to_micro(max, "filter.maxCurrentStock")?
            ));
        }
        // Integers only: nothing of the caller's text reaches this SQL.
        q = q.filter(Expr::cust(format!(
            "(ledger_entries.ingredient_id, ledger_entries.storage_unit_id) IN (SELECT ingredient_id, storage_unit_id FROM stock_balances WHERE {})",
            bounds.join(" AND ")
        )));
    }
    Ok(q)
}

/// The (ingredient, storage unit) a filter names alone, with no other condition.
fn single_pair(f: &LedgerFilter) -> Option<(i64, i64)> {
    match (&f.ingredient_ids, &f.storage_unit_ids) {
        (Some(i), Some(s))
            if i.len() == 1
                && s.len() == 1
                && f.types.is_none()
                && f.from.is_none()
                && f.to.is_none()
                && f.ingredient_active.is_none()
                && f.min_current_stock.is_none()
                && f.max_current_stock.is_none() =>
        {
            Some((i[0], s[0]))
        }
        _ => None,
    }
}

/// Keeps only the ids in the filter that belong to the company: a foreign id filters to nothing.
async fn own_ids<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
    f: &LedgerFilter,
) -> ServiceResult<LedgerFilter> {
    let mut f = f.clone();
    if let Some(ids) = &f.ingredient_ids {
        let own: Vec<i64> = ingredient::Entity::find()
            .select_only()
            .column(ingredient::Column::Id)
            .filter(ingredient::Column::CompanyId.eq(company_id))
            .filter(ingredient::Column::Id.is_in(ids.clone()))
            .into_tuple()
            .all(db)
            .await?;
        f.ingredient_ids = Some(own);
    }
    if let Some(ids) = &f.storage_unit_ids {
        let own: Vec<i64> = storage_unit::Entity::find()
            .select_only()
            .column(storage_unit::Column::Id)
            .filter(storage_unit::Column::CompanyId.eq(company_id))
            .filter(storage_unit::Column::Id.is_in(ids.clone()))
            .into_tuple()
            .all(db)
            .await?;
        f.storage_unit_ids = Some(own);
    }
    Ok(f)
}

/// A page of the company's ledger in (occurred_at, id) order — the order running balances run
/// in — or newest first.
pub async fn page<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    filter: &LedgerFilter,
    newest_first: bool,
    request: &PageRequest<(i64, i64)>,
) -> ServiceResult<Page<ledger_entry::Model>> {
    principal.require_read(company_id, "company")?;
    let filter = &own_ids(db, company_id, filter).await?;
    let total = match single_pair(filter) {
        // One ingredient in one storage unit: its cached entry count is the total.
        Some(pair) => stock_balance::Entity::find_by_id(pair)
            .one(db)
            .await?
            .map_or(0, |b| b.entry_count as u64),
        None => filtered(company_id, filter)?.count(db).await?,
    };
    let columns = vec![Column::OccurredAt, Column::Id];
    let order = if newest_first {
        SortOrder::descending(columns)
    } else {
        SortOrder::ascending(columns)
    };
    Ok(keyset_page(db, filtered(company_id, filter)?, &order, request, total).await?)
}

pub async fn entry<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
) -> ServiceResult<ledger_entry::Model> {
    let row = ledger_entry::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| crate::ServiceError::not_found("ledger entry"))?;
    principal.require_read(row.company_id, "ledger entry")?;
    Ok(row)
}

/// The newest postings of a company.
pub async fn recent<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    first: u64,
) -> ServiceResult<Vec<ledger_entry::Model>> {
    principal.require_read(company_id, "company")?;
    Ok(ledger_entry::Entity::find()
        .filter(Column::CompanyId.eq(company_id))
        .order_by_desc(Column::Id)
        .limit(first.clamp(1, 200))
        .all(db)
        .await?)
}

#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub current_balance: Decimal,
    pub total_receipts: Decimal,
    pub total_issues: Decimal,
    pub total_entries: i64,
    pub average_cost: Option<Decimal>,
    pub value: Decimal,
    /// Percent change of the last 7 days against the 7 before; None when those had none.
    pub receipts_week_over_week: Option<Decimal>,
    pub issues_week_over_week: Option<Decimal>,
}

/// Receipts and issues of one pair, each an exact sum (`quantity::exact_sum_sql`): all time
/// (only when `all_time`, the cached totals being unknown) and in the last two weeks, each week
/// apart —
/// `[receipts, issues, receipts this week, the week before, issues this week, the week before]`.
/// Without `all_time` only the two weeks' entries are read (a range of the pair's time index).
async fn movement_sums<C: ConnectionTrait>(
    db: &C,
    ingredient: i64,
    storage: i64,
    now: i64,
    all_time: bool,
) -> ServiceResult<[i128; 6]> {
    let week = Duration::days(7).num_microseconds().unwrap_or(0);
    let (w1, w2) = (now - week, now - 2 * week);
    let (r, i) = (
        TransactionType::Receipt.to_value(),
        TransactionType::Issue.to_value(),
    );
    // Integers and fixed type names only in this SQL.
    let sums = [
        format!("CASE WHEN transaction_type = '{r}' THEN quantity_micro END"),
        format!("CASE WHEN transaction_type = '{i}' THEN -quantity_micro END"),
        format!(
            "CASE WHEN transaction_type = '{r}' AND occurred_at > {w1} AND occurred_at <= {now} THEN quantity_micro END"
        ),
        format!(
            "CASE WHEN transaction_type = '{r}' AND occurred_at > {w2} AND occurred_at <= {w1} THEN quantity_micro END"
        ),
        format!(
            "CASE WHEN transaction_type = '{i}' AND occurred_at > {w1} AND occurred_at <= {now} THEN -quantity_micro END"
        ),
        format!(
            "CASE WHEN transaction_type = '{i}' AND occurred_at > {w2} AND occurred_at <= {w1} THEN -quantity_micro END"
        ),
    ];
    let columns: Vec<String> = sums
        .iter()
        .flat_map(|e| exact_sum_sql(db.get_database_backend(), e))
        .collect();
    let since = if all_time {
        String::new()
    } else {
        format!(" AND occurred_at > {w2}")
    };
    let sql = format!(
        "SELECT {} FROM ledger_entries WHERE ingredient_id = {ingredient} AND storage_unit_id = {storage}{since}",
        columns.join(", ")
    );
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            sql,
        ))
        .await?
        .ok_or_else(|| crate::ServiceError::Internal("no sums".into()))?;
    let mut out = [0i128; 6];
    for (k, v) in out.iter_mut().enumerate() {
        *v = join_sum(
            row.try_get_by_index::<i64>(2 * k)?,
            row.try_get_by_index::<i64>(2 * k + 1)?,
        );
    }
    Ok(out)
}

fn percent_change(now: i128, before: i128) -> Option<Decimal> {
    (before != 0).then(|| {
        ((from_micro(now) - from_micro(before)) * Decimal::ONE_HUNDRED / from_micro(before))
            .round_dp(1)
    })
}

/// The summary cards of one ingredient in one storage unit.
pub async fn summary<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    ingredient_id: i64,
    storage_unit_id: i64,
) -> ServiceResult<Summary> {
    let ingredient = find_owned::<ingredient::Entity, _>(
        db,
        principal,
        ingredient_id,
        Role::Viewer,
        "ingredient",
    )
    .await?;
    find_in_company::<storage_unit::Entity, _>(
        db,
        ingredient.company_id,
        storage_unit_id,
        "storage unit",
        "storageUnitId",
    )
    .await?;
    let balance = stock_balance::Entity::find_by_id((ingredient_id, storage_unit_id))
        .one(db)
        .await?;
    let (quantity, average, entries) = balance.as_ref().map_or((0, None, 0), |b| {
        (b.quantity_micro, b.average_cost_micro, b.entry_count)
    });
    // The cached totals, unless one left 64 bits: then the whole history is summed.
    let cached = balance.map_or(Some((0, 0)), |b| b.received_micro.zip(b.issued_micro));
    let [all_received, all_issued, r_now, r_before, i_now, i_before] = movement_sums(
        db,
        ingredient_id,
        storage_unit_id,
        to_micros(Utc::now()),
        cached.is_none(),
    )
    .await?;
    let (receipts, issues) = cached.map_or((all_received, all_issued), |(r, i)| {
        (i128::from(r), i128::from(i))
    });
    Ok(Summary {
        current_balance: from_micro(quantity),
        total_receipts: from_micro(receipts),
        total_issues: from_micro(issues),
        total_entries: entries,
        average_cost: average.map(from_micro),
        value: from_micro(value_of(quantity, average.unwrap_or(0))),
        receipts_week_over_week: percent_change(r_now, r_before),
        issues_week_over_week: percent_change(i_now, i_before),
    })
}

/// Critical stock, as the dashboard lists it: depleted or below zero.
pub fn is_critical(quantity_micro: i64) -> bool {
    quantity_micro <= 0
}

/// Current stock of every (ingredient, storage unit) of a company with a ledger.
pub async fn stock_levels<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    storage_unit_id: Option<i64>,
) -> ServiceResult<Vec<stock_balance::Model>> {
    principal.require_read(company_id, "company")?;
    let mut q =
        stock_balance::Entity::find().filter(stock_balance::Column::CompanyId.eq(company_id));
    crate::storage_units::check_in_company(db, company_id, storage_unit_id).await?;
    if let Some(s) = storage_unit_id {
        q = q.filter(stock_balance::Column::StorageUnitId.eq(s));
    }
    Ok(q.order_by_asc(stock_balance::Column::StorageUnitId)
        .order_by_asc(stock_balance::Column::IngredientId)
        .all(db)
        .await?)
}

/// The most a critical-stock list returns.
pub const CRITICAL_STOCK_MAX: u64 = 100;

/// The pairs that are out (depleted or below zero), the deepest shortage first, at most `first`.
pub async fn critical_stock<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    first: u64,
) -> ServiceResult<Vec<stock_balance::Model>> {
    principal.require_read(company_id, "company")?;
    Ok(stock_balance::Entity::find()
        .filter(stock_balance::Column::CompanyId.eq(company_id))
        .filter(stock_balance::Column::QuantityMicro.lte(0))
        .order_by_asc(stock_balance::Column::QuantityMicro)
        .order_by_asc(stock_balance::Column::IngredientId)
        .order_by_asc(stock_balance::Column::StorageUnitId)
        .limit(std::cmp::min(first, CRITICAL_STOCK_MAX))
        .all(db)
        .await?)
}

/// What a company's stock is worth, in total and per storage unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockValue {
    pub total: Decimal,
    /// By storage unit id, each unit that holds stock (or negative stock).
    pub by_storage_unit: Vec<StorageUnitValue>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageUnitValue {
    pub storage_unit_id: i64,
    pub value: Decimal,
}

/// The stock's value now: each balance at its average cost, summed exactly (millionths in
/// 128 bits), in total and per storage unit — the figures the dashboard and inventory show.
pub async fn stock_value<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    storage_unit_id: Option<i64>,
) -> ServiceResult<StockValue> {
    let balances = stock_levels(db, principal, company_id, storage_unit_id).await?;
    let mut by_unit: std::collections::BTreeMap<i64, i128> = std::collections::BTreeMap::new();
    for b in &balances {
        *by_unit.entry(b.storage_unit_id).or_default() +=
            value_of(b.quantity_micro, b.average_cost_micro.unwrap_or(0)) as i128;
    }
    Ok(StockValue {
        total: from_micro(by_unit.values().sum::<i128>()),
        by_storage_unit: by_unit
            .into_iter()
            .map(|(storage_unit_id, value)| StorageUnitValue {
                storage_unit_id,
                value: from_micro(value),
            })
            .collect(),
    })
}

/// A pair's balance at some time: its quantity and the average cost it was valued at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BalanceAt {
    pub quantity_micro: i64,
    pub average_cost_micro: Option<i64>,
}

/// Every pair's balance at time `at` (entries with occurred_at ≤ at) in a company, or in one of
/// its storage units, keyed by (ingredient, storage unit): one query, one index lookup per
/// pair. Pairs that had no entry by then are absent (nothing on the books).
pub async fn balances_at<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
    storage_unit_id: Option<i64>,
    at: i64,
) -> ServiceResult<std::collections::HashMap<(i64, i64), BalanceAt>> {
    let latest = |column: &str| {
        format!(
            "(SELECT e.{column} FROM ledger_entries e \
             WHERE e.ingredient_id = b.ingredient_id AND e.storage_unit_id = b.storage_unit_id \
             AND e.occurred_at <= {at} ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1)"
        )
    };
    let in_unit = storage_unit_id
        .map(|s| format!(" AND b.storage_unit_id = {s}"))
        .unwrap_or_default();
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!(
                "SELECT b.ingredient_id, b.storage_unit_id, {}, {} FROM stock_balances b \
                 WHERE b.company_id = {company_id}{in_unit}",
                latest("balance_after_micro"),
                latest("average_cost_after_micro"),
            ),
        ))
        .await?;
    let mut out = std::collections::HashMap::with_capacity(rows.len());
    for row in rows {
        let Some(quantity_micro) = row.try_get_by_index::<Option<i64>>(2)? else {
            continue;
        };
        out.insert(
            (
                row.try_get_by_index::<i64>(0)?,
                row.try_get_by_index::<i64>(1)?,
            ),
            BalanceAt {
                quantity_micro,
                average_cost_micro: row.try_get_by_index::<Option<i64>>(3)?,
            },
        );
    }
    Ok(out)
}

/// The names a company's ledger rows point to, for an export that writes them out.
#[derive(Debug, Clone, Default)]
pub struct LedgerNames {
    pub ingredients: std::collections::HashMap<i64, String>,
    pub storage_units: std::collections::HashMap<i64, String>,
}

/// Every ingredient's and storage unit's name in a company the caller belongs to.
pub async fn names<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
) -> ServiceResult<LedgerNames> {
    principal.require_read(company_id, "company")?;
    let ingredients = ingredient::Entity::find()
        .filter(ingredient::Column::CompanyId.eq(company_id))
        .all(db)
        .await?;
    let units = storage_unit::Entity::find()
        .filter(storage_unit::Column::CompanyId.eq(company_id))
        .all(db)
        .await?;
    Ok(LedgerNames {
        ingredients: ingredients.into_iter().map(|i| (i.id, i.name)).collect(),
        storage_units: units.into_iter().map(|s| (s.id, s.name)).collect(),
    })
}
