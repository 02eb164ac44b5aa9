//! Transferring one (location, business day) into the ledger, in one transaction: read the day's
//! sale lines, expand them through the current mappings (recipes through their sub-recipes),
//! and post the difference between what the day should have issued and what it already issued.
//! A first run posts everything; a rerun with unchanged mappings posts nothing; a rerun after a
//! mapping changed posts only the change — so any number of runs nets to one run with the
//! current mappings, and the history shows each change.

use crate::db::Writer;
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{NaiveDate, Utc};
use entity::{company, ledger_entry, pos_location, pos_sale_line, sales_import};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, Statement,
};
use serde::Serialize;

use super::mappings::{self, Mapping, Target};
use super::sale_lines::{self, NewSaleLine, SaleStatus};
use crate::error::{ServiceError, ServiceResult};
use crate::ledger::posting::{self, NewEntry, PosSale};
use crate::ledger::{SourceKind, TransactionType};
use crate::quantity::{mul_micro, to_micro};
use crate::recipes::RecipeBook;

/// One ingredient of a recipe portion: (ingredient, its issue storage unit if the recipe names
/// one, millionths per portion).
type RecipePart = (i64, Option<i64>, i64);

/// What a day's transfer needs, loaded once per job (mappings and recipes as they are when the
/// job starts).
pub struct DayContext {
    pub location: pos_location::Model,
    pub company: company::Model,
    pub mappings: HashMap<String, Mapping>,
    pub book: RecipeBook,
    expanded: HashMap<i64, Result<Vec<RecipePart>, String>>,
}

impl DayContext {
    pub async fn load<C: ConnectionTrait>(db: &C, location_id: i64) -> ServiceResult<Self> {
        let location = pos_location::Entity::find_by_id(location_id)
            .one(db)
            .await?
            .ok_or_else(|| ServiceError::not_found(super::locations::ENTITY))?;
        let company = super::locations::company_of(db, location.company_id).await?;
        Ok(Self {
            mappings: mappings::load(db, location.integration_id).await?,
            book: RecipeBook::load(db, location.company_id).await?,
            location,
            company,
            expanded: HashMap::new(),
        })
    }

    fn recipe(&mut self, recipe_id: i64) -> Result<&[RecipePart], String> {
        let book = &self.book;
        self.expanded
            .entry(recipe_id)
            .or_insert_with(|| {
                let lines = book.expand(recipe_id).map_err(|e| e.to_string())?;
                lines
                    .into_iter()
                    .map(|l| {
                        to_micro(l.quantity, "quantity")
                            .map(|q| (l.ingredient_id, l.storage_unit_id, q))
                            .map_err(|e| e.to_string())
                    })
                    .collect()
            })
            .as_deref()
            .map_err(Clone::clone)
    }
}

/// The transfer log of one day: statistics, skipped lines with why, unmapped items, errors.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DayLog {
    pub lines_total: i64,
    pub lines_posted: i64,
    pub lines_skipped: i64,
    pub lines_unmapped: i64,
    pub entries_posted: i64,
    pub skipped: Vec<SkippedLine>,
    pub unmapped: Vec<UnmappedSale>,
    pub errors: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SkippedLine {
    pub line_key: String,
    pub item: String,
    pub why: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UnmappedSale {
    pub external_id: String,
    pub name: String,
    pub amount_sold: Decimal,
}

/// Keeps at most this many skipped lines in a log (the counts stay exact).
const LOG_LIMIT: usize = 200;

/// Transfers one day: stores `fetched` lines (a live POS's fetch; empty for CSV, whose lines are
/// stored at upload), then posts the difference, and logs the run — all in one transaction.
pub async fn import_day<C: Writer>(
    db: &C,
    ctx: &mut DayContext,
    date: NaiveDate,
    fetched: &[NewSaleLine],
    job_run_id: Option<i64>,
) -> ServiceResult<DayLog> {
    // A clash rolls the whole day back; the context holds only memoised recipe expansions.
    let mut retry = crate::db::Retry::default();
    loop {
        let attempt = import_day_once(db, ctx, date, fetched, job_run_id).await;
        if let Some(done) = retry.settle(attempt).await {
            return done;
        }
    }
}

async fn import_day_once<C: Writer>(
    db: &C,
    ctx: &mut DayContext,
    date: NaiveDate,
    fetched: &[NewSaleLine],
    job_run_id: Option<i64>,
) -> ServiceResult<DayLog> {
    let txn = crate::db::begin_write(db).await?;
    let location_id = ctx.location.id;
    // Serialises transfers of one location across processes (SQLite's IMMEDIATE does already).
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT id FROM pos_locations WHERE id = $1 FOR UPDATE",
            [sea_orm::Value::from(location_id)],
        ))
        .await?;
    }
    let storage_unit = pos_location::Entity::find_by_id(location_id)
        .one(&txn)
        .await?
        .and_then(|l| l.storage_unit_id)
        .ok_or_else(|| {
            ServiceError::validation("storageUnitId", "the location has no linked storage unit")
        })?;
    sale_lines::store(&txn, ctx.location.company_id, location_id, fetched).await?;

    let lines = pos_sale_line::Entity::find()
        .filter(pos_sale_line::Column::LocationId.eq(location_id))
        .filter(pos_sale_line::Column::BusinessDate.eq(date))
        .order_by_asc(pos_sale_line::Column::SoldAt)
        .order_by_asc(pos_sale_line::Column::Id)
        .all(&txn)
        .await?;

    let mut log = DayLog {
        lines_total: lines.len() as i64,
        ..Default::default()
    };
    // What the day should have issued: (line, ingredient, storage unit) → signed millionths.
    let mut wanted: BTreeMap<(i64, i64, i64), i64> = BTreeMap::new();
    let mut unmapped: BTreeMap<String, UnmappedSale> = BTreeMap::new();
    let skip = |log: &mut DayLog, line: &pos_sale_line::Model, why: String| {
        log.lines_skipped += 1;
        if log.skipped.len() < LOG_LIMIT {
            log.skipped.push(SkippedLine {
                line_key: line.line_key.clone(),
                item: line.item_name.clone(),
                why,
            });
        }
    };
    // A line whose quantity would pass the input bound is a row error, not an overflow.
    let too_large = |log: &mut DayLog, line: &pos_sale_line::Model| {
        let why = format!(
            "quantity is too large: at most {} base units a line",
            crate::quantity::MAX_INPUT
        );
        log.errors.push(format!("{}: {why}", line.item_name));
        skip(log, line, why);
    };
    for line in &lines {
        if matches!(line.status, SaleStatus::Void | SaleStatus::Cancelled) {
            tracing::info!(line = %line.line_key, status = ?line.status, "skipping a sale line that deducts nothing");
            skip(
                &mut log,
                line,
                format!("{} sale: deducts nothing", line.status),
            );
            continue;
        }
        let Some(mapping) = ctx.mappings.get(&line.external_item_id).copied() else {
            log.lines_unmapped += 1;
            unmapped
                .entry(line.external_item_id.clone())
                .or_insert_with(|| UnmappedSale {
                    external_id: line.external_item_id.clone(),
                    name: line.item_name.clone(),
                    amount_sold: Decimal::ZERO,
                })
                .amount_sold += crate::quantity::from_micro(line.quantity_micro);
            continue;
        };
        match mapping.target {
            Target::Ignore => skip(&mut log, line, "item is ignored (not stock)".into()),
            Target::Ingredient(ingredient) => {
                let Some(used) = mul_micro(line.quantity_micro, mapping.factor_micro) else {
                    too_large(&mut log, line);
                    continue;
                };
                *wanted
                    .entry((line.id, ingredient, storage_unit))
                    .or_default() -= used;
                log.lines_posted += 1;
            }
            Target::Recipe(recipe) => {
                let Some(portions) = mul_micro(line.quantity_micro, mapping.factor_micro) else {
                    too_large(&mut log, line);
                    continue;
                };
                match ctx.recipe(recipe) {
                    Ok(parts) => {
                        let used: Option<Vec<_>> = parts
                            .iter()
                            .map(|(ingredient, unit, per_portion)| {
                                mul_micro(portions, *per_portion).map(|used| {
                                    ((line.id, *ingredient, unit.unwrap_or(storage_unit)), used)
                                })
                            })
                            .collect();
                        let Some(used) = used else {
                            too_large(&mut log, line);
                            continue;
                        };
                        for (key, used) in used {
                            *wanted.entry(key).or_default() -= used;
                        }
                        log.lines_posted += 1;
                    }
                    Err(e) => {
                        log.errors.push(format!("{}: {e}", line.item_name));
                        skip(&mut log, line, format!("recipe cannot be expanded: {e}"));
                    }
                }
            }
        }
    }
    log.unmapped = unmapped.into_values().collect();

    let posted = already_posted(&txn, &ctx.location, &lines).await?;

    let by_id: HashMap<i64, &pos_sale_line::Model> = lines.iter().map(|l| (l.id, l)).collect();
    let mut keys: Vec<(i64, i64, i64)> = wanted.keys().chain(posted.keys()).copied().collect();
    keys.sort_unstable();
    keys.dedup();
    let mut entries = Vec::new();
    for key in keys {
        let delta = wanted.get(&key).copied().unwrap_or(0) - posted.get(&key).copied().unwrap_or(0);
        if delta == 0 {
            continue;
        }
        let (line_id, ingredient, unit) = key;
        let Some(line) = by_id.get(&line_id) else {
            continue;
        };
        let mut entry = NewEntry::new(
            ctx.location.company_id,
            ingredient,
            unit,
            TransactionType::Issue,
            delta,
            line.sold_at,
        );
        entry.source_kind = SourceKind::PosSale;
        entry.source_id = Some(line_id.to_string());
        if !posted.is_empty() {
            entry.note = Some("reprocessed: mappings changed since the last transfer".into());
        }
        entry.pos = Some(PosSale {
            item_name: line.item_name.clone(),
            amount_sold_micro: line.quantity_micro,
            sales_value_micro: line.sales_value_micro,
            article_id: Some(line.external_item_id.clone()),
            transaction_id: line.transaction_id.clone(),
            receipt_number: line.receipt_number.clone(),
            sold_at: Some(line.sold_at),
            integration_id: Some(ctx.location.integration_id),
        });
        entries.push(entry);
    }
    log.entries_posted = entries.len() as i64;
    posting::post_many(&txn, entries).await?;

    sales_import::ActiveModel {
        company_id: Set(ctx.location.company_id),
        location_id: Set(location_id),
        business_date: Set(date),
        job_run_id: Set(job_run_id),
        transferred_at: Set(Utc::now()),
        lines_total: Set(log.lines_total),
        lines_posted: Set(log.lines_posted),
        lines_skipped: Set(log.lines_skipped),
        lines_unmapped: Set(log.lines_unmapped),
        entries_posted: Set(log.entries_posted),
        log: Set(serde_json::to_string(&log).unwrap_or_default()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(log)
}

/// What earlier runs of this day issued: (sale line, ingredient, storage unit) → signed
/// millionths, read from the ledger itself (not from the logs), so the difference is right
/// whatever happened before. A line's entries carry its sale time, its company and its
/// integration, and a stored line never changes its time: one range of the company's POS
/// entries in the day's span of sale times holds them all (the `ledger_pos_item` index), and a
/// day never transferred — every day of a migration — finds that range empty at once. Looking
/// the lines up by id instead cost PostgreSQL about 170 ms a day, half a 90-day migration.
async fn already_posted<C: ConnectionTrait>(
    txn: &C,
    location: &pos_location::Model,
    lines: &[pos_sale_line::Model],
) -> ServiceResult<BTreeMap<(i64, i64, i64), i64>> {
    let mut posted: BTreeMap<(i64, i64, i64), i64> = BTreeMap::new();
    let (Some(first), Some(last)) = (
        lines.iter().map(|l| l.sold_at).min(),
        lines.iter().map(|l| l.sold_at).max(),
    ) else {
        return Ok(posted);
    };
    let ids: HashSet<String> = lines.iter().map(|l| l.id.to_string()).collect();
    let entries: Vec<(Option<String>, i64, i64, i64)> = ledger_entry::Entity::find()
        .select_only()
        .columns([
            ledger_entry::Column::SourceId,
            ledger_entry::Column::IngredientId,
            ledger_entry::Column::StorageUnitId,
            ledger_entry::Column::QuantityMicro,
        ])
        .filter(ledger_entry::Column::CompanyId.eq(location.company_id))
        .filter(ledger_entry::Column::PosIntegrationId.eq(location.integration_id))
        .filter(ledger_entry::Column::OccurredAt.between(first, last))
        .filter(ledger_entry::Column::SourceKind.eq(SourceKind::PosSale))
        .into_tuple()
        .all(txn)
        .await?;
    let mut sums: BTreeMap<(i64, i64, i64), i128> = BTreeMap::new();
    for (source, ingredient, unit, quantity) in entries {
        // Another location's lines of the same till and hours are not this day's.
        let Some(line) = source
            .filter(|s| ids.contains(s))
            .and_then(|s| s.parse::<i64>().ok())
        else {
            continue;
        };
        *sums.entry((line, ingredient, unit)).or_default() += i128::from(quantity);
    }
    for (key, quantity) in sums {
        // One sale line's own entries: a few, each within the input bound.
        let quantity = i64::try_from(quantity)
            .map_err(|_| ServiceError::Internal("a sale line's postings overflow".into()))?;
        posted.insert(key, quantity);
    }
    Ok(posted)
}

/// The transfer logs of a location, newest first.
pub async fn day_logs<C: ConnectionTrait>(
    db: &C,
    principal: &crate::access::Principal,
    location_id: i64,
    first: u64,
) -> ServiceResult<Vec<sales_import::Model>> {
    super::locations::get(db, principal, location_id, crate::access::Role::Viewer).await?;
    Ok(sales_import::Entity::find()
        .filter(sales_import::Column::LocationId.eq(location_id))
        .order_by_desc(sales_import::Column::Id)
        .limit(first.clamp(1, 500))
        .all(db)
        .await?)
}
