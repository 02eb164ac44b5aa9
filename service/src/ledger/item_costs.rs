//! What the ledger charged for each POS item, per UTC day (`pos_item_costs`, migration m0017),
//! kept beside the entries so that a report over 90 days sums about 9,000 rows rather than the
//! 500,000 ISSUE entries behind them (issue 25: menu engineering). Written in the unit of work
//! that changes an entry's value — a posting adds its POS entries' values, a recompute what it
//! changed — and read by [`costs_by_item`]: whole days from here, a period's partial first and
//! last days from the ledger. [`rebuild`] checks it against the ledger and repairs it.
//!
//! An entry counts when it names both its integration and its article (every such entry is a
//! POS sale's ISSUE). A sum is kept in two parts, like `quantity::exact_sum_sql`'s: whole
//! billionths and the rest, each added to as it comes, so no number of entries overflows it.

use std::collections::BTreeMap;

use sea_orm::{ConnectionTrait, Statement};

use super::costing::Derived;
use super::new_entry::NewEntry;
use crate::db::params::Params;
use crate::error::ServiceResult;
use crate::quantity::{exact_sum_sql, join_sum};

/// A UTC day in ledger microseconds.
pub const DAY_MICROS: i64 = 86_400_000_000;

/// Where the two parts of a kept sum divide (as `quantity::exact_sum_sql`).
const PART: i128 = 1_000_000_000;

/// Rows written in one statement.
const ROWS_PER_STATEMENT: usize = 500;

/// The start of the UTC day holding `occurred_at`.
pub fn day_start(occurred_at: i64) -> i64 {
    occurred_at - occurred_at.rem_euclid(DAY_MICROS)
}

/// `day_start` in SQL, for a column of ledger microseconds (`%` truncates on both backends).
fn day_start_sql(column: &str) -> String {
    format!("{column} - ((({column} % {DAY_MICROS}) + {DAY_MICROS}) % {DAY_MICROS})")
}

/// One POS item on one day.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct ItemDay {
    company_id: i64,
    day_start: i64,
    integration_id: i64,
    article_id: String,
}

/// The POS item as a report keys it: (integration id, article id).
pub type ItemKey = (i64, String);

/// What a unit of work changes in the kept costs, gathered and written once at its end.
#[derive(Debug, Default)]
pub(super) struct ItemCostChanges(BTreeMap<ItemDay, i128>);

impl ItemCostChanges {
    /// The values a batch of new entries brings in, where costing settled them before insertion
    /// (the others go in at 0 and their recompute adds what they come to).
    pub fn of_new(entries: &[NewEntry], derived: &[Option<Derived>]) -> Self {
        let mut changes = Self::default();
        for (entry, derived) in entries.iter().zip(derived) {
            if let (Some(pos), Some(d)) = (&entry.pos, derived) {
                changes.add(
                    entry.company_id,
                    (pos.integration_id, pos.article_id.as_deref()),
                    entry.occurred_at,
                    d.value.into(),
                );
            }
        }
        changes
    }

    /// An entry's value changed by `change` (its whole value when it is new). Entries that are
    /// not a POS item's are not kept.
    pub fn add(
        &mut self,
        company_id: i64,
        item: (Option<i64>, Option<&str>),
        occurred_at: i64,
        change: i128,
    ) {
        let (Some(integration_id), Some(article_id)) = item else {
            return;
        };
        if change == 0 {
            return;
        }
        let key = ItemDay {
            company_id,
            day_start: day_start(occurred_at),
            integration_id,
            article_id: article_id.to_string(),
        };
        *self.0.entry(key).or_default() += change;
    }

    /// Adds the changes to the kept rows, creating the days not kept yet. Sorted by key, so
    /// concurrent writers take the rows' locks in one order.
    pub async fn write<C: ConnectionTrait>(self, db: &C) -> ServiceResult<()> {
        let changes: Vec<(ItemDay, i128)> = self
            .0
            .into_iter()
            .filter(|(_, change)| *change != 0)
            .collect();
        for chunk in changes.chunks(ROWS_PER_STATEMENT) {
            let mut params = Params::new(db.get_database_backend());
            let rows: Vec<String> = chunk
                .iter()
                .map(|(key, change)| {
                    // |change / PART| < 2⁶³ for any batch of 64-bit values.
                    params.row([
                        key.company_id.into(),
                        key.day_start.into(),
                        key.integration_id.into(),
                        key.article_id.clone().into(),
                        ((change / PART) as i64).into(),
                        ((change % PART) as i64).into(),
                    ])
                })
                .collect();
            let sql = format!(
                "INSERT INTO pos_item_costs (company_id, day_start, pos_integration_id, \
                 pos_article_id, value_high, value_low) VALUES {} \
                 ON CONFLICT (company_id, day_start, pos_integration_id, pos_article_id) DO UPDATE \
                 SET value_high = pos_item_costs.value_high + excluded.value_high, \
                 value_low = pos_item_costs.value_low + excluded.value_low",
                rows.join(", ")
            );
            db.execute_raw(params.statement(sql)).await?;
        }
        Ok(())
    }
}

/// Which POS sales a report reads: a company's (or one integration's) in [from, to), ledger
/// microseconds.
pub struct ItemScope {
    pub company_id: i64,
    pub integration_id: Option<i64>,
    pub from: i64,
    pub to: i64,
}

/// Σ value of each POS item's entries in the scope (negative: stock left), exactly as summing
/// the entries would: the whole days inside the period from the kept rows, the partial days at
/// its ends from the ledger (through the `ledger_pos_item` index).
pub async fn costs_by_item<C: ConnectionTrait>(
    db: &C,
    scope: &ItemScope,
) -> ServiceResult<Vec<(ItemKey, i128)>> {
    let backend = db.get_database_backend();
    // Whole days: [first, last) — empty when the period holds no whole day.
    let first = day_start(scope.from.saturating_add(DAY_MICROS - 1));
    let last = day_start(scope.to).max(first);
    let in_integration = scope
        .integration_id
        .map(|i| format!(" AND pos_integration_id = {i}"))
        .unwrap_or_default();
    let [high, low] = exact_sum_sql(backend, "value_micro");
    let ledger_part = |from: i64, to: i64| {
        format!(
            "SELECT pos_integration_id, pos_article_id, {high}, {low} FROM ledger_entries \
             WHERE company_id = {} AND occurred_at >= {from} AND occurred_at < {to} \
             AND pos_integration_id IS NOT NULL AND pos_article_id IS NOT NULL{} \
             GROUP BY pos_integration_id, pos_article_id",
            scope.company_id, in_integration,
        )
    };
    let mut parts = Vec::new();
    if first >= last {
        parts.push(ledger_part(scope.from, scope.to));
    } else {
        let [kept_high, kept_low] = [
            "CAST(SUM(value_high) AS BIGINT)",
            "CAST(SUM(value_low) AS BIGINT)",
        ];
        parts.push(format!(
            "SELECT pos_integration_id, pos_article_id, {kept_high}, {kept_low} FROM pos_item_costs \
             WHERE company_id = {} AND day_start >= {first} AND day_start < {last}{} \
             GROUP BY pos_integration_id, pos_article_id",
            scope.company_id,
            in_integration,
        ));
        if scope.from < first {
            parts.push(ledger_part(scope.from, first));
        }
        if last < scope.to {
            parts.push(ledger_part(last, scope.to));
        }
    }
    let rows = db
        .query_all_raw(Statement::from_string(backend, parts.join(" UNION ALL ")))
        .await?;
    let mut by_item: BTreeMap<ItemKey, i128> = BTreeMap::new();
    for row in rows {
        let part = |k: usize| row.try_get_by_index::<i64>(k);
        let key = (part(0)?, row.try_get_by_index::<String>(1)?);
        *by_item.entry(key).or_default() += join_sum(part(2)?, part(3)?);
    }
    Ok(by_item.into_iter().collect())
}

/// Checks a company's kept costs against its ledger and, where any differs, writes them anew
/// from it. Returns how many (item, day) rows were wrong or missing.
pub async fn rebuild<C: ConnectionTrait>(db: &C, company_id: i64) -> ServiceResult<u64> {
    let backend = db.get_database_backend();
    let [high, low] = exact_sum_sql(backend, "value_micro");
    let day = day_start_sql("occurred_at");
    let from_ledger = format!(
        "SELECT {day} AS day_start, pos_integration_id, pos_article_id, {high} AS value_high, \
         {low} AS value_low FROM ledger_entries WHERE company_id = {company_id} \
         AND pos_integration_id IS NOT NULL AND pos_article_id IS NOT NULL \
         GROUP BY {day}, pos_integration_id, pos_article_id"
    );
    let sums = |sql: String| async move {
        let rows = db
            .query_all_raw(Statement::from_string(backend, sql))
            .await?;
        rows.into_iter()
            .map(|row| {
                let part = |k: usize| row.try_get_by_index::<i64>(k);
                Ok((
                    (part(0)?, part(1)?, row.try_get_by_index::<String>(2)?),
                    join_sum(part(3)?, part(4)?),
                ))
            })
            .collect::<ServiceResult<BTreeMap<(i64, i64, String), i128>>>()
    };
    let expected = sums(from_ledger.clone()).await?;
    let kept = sums(format!(
        "SELECT day_start, pos_integration_id, pos_article_id, value_high, value_low \
         FROM pos_item_costs WHERE company_id = {company_id}"
    ))
    .await?;
    // A kept row of zero for a day without entries left is as good as no row.
    let wrong = expected
        .iter()
        .filter(|(key, value)| kept.get(*key).copied().unwrap_or(0) != **value)
        .count()
        + kept
            .iter()
            .filter(|(key, value)| **value != 0 && !expected.contains_key(*key))
            .count();
    if wrong > 0 {
        db.execute_unprepared(&format!(
            "DELETE FROM pos_item_costs WHERE company_id = {company_id}"
        ))
        .await?;
        db.execute_unprepared(&format!(
            "INSERT INTO pos_item_costs (company_id, day_start, pos_integration_id, \
             pos_article_id, value_high, value_low) SELECT {company_id}, day_start, \
             pos_integration_id, pos_article_id, value_high, value_low FROM ({from_ledger}) AS s"
        ))
        .await?;
    }
    Ok(wrong as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_starts_at_utc_midnight_before_and_after_1970() {
        assert_eq!(day_start(0), 0);
        assert_eq!(day_start(DAY_MICROS - 1), 0);
        assert_eq!(day_start(DAY_MICROS), DAY_MICROS);
        assert_eq!(day_start(-1), -DAY_MICROS);
        assert_eq!(day_start(-DAY_MICROS), -DAY_MICROS);
    }

    #[test]
    fn changes_of_one_item_and_day_add_up_and_others_are_not_kept() {
        let mut changes = ItemCostChanges::default();
        changes.add(1, (Some(7), Some("pizza")), 10, -500);
        changes.add(1, (Some(7), Some("pizza")), DAY_MICROS - 1, -250);
        changes.add(1, (Some(7), Some("pizza")), DAY_MICROS, -1);
        changes.add(1, (None, None), 10, -99);
        changes.add(1, (Some(7), None), 10, -99);
        let kept: Vec<i128> = changes.0.values().copied().collect();
        assert_eq!(kept, vec![-750, -1]);
    }
}
