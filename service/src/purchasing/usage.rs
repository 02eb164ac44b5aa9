//! The usage forecast (DESIGN.md, "Purchasing"): what each (ingredient, storage unit) used on
//! each of the last completed business days — −Σ of its ISSUE and WASTE entries, reversals
//! netted, refunds too — and from it the average daily usage, per weekday where the window
//! covers every weekday at least twice.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use entity::company;
use rust_decimal::Decimal;
use sea_orm::{ActiveEnum, ConnectionTrait, Statement};

use crate::business_days;
use crate::error::ServiceResult;
use crate::ledger::{TransactionType, to_micros};
use crate::quantity::{exact_sum_sql, from_micro, join_sum};

/// (ingredient, storage unit).
pub type Pair = (i64, i64);

/// The longest usage window, in business days: a quarter.
pub const MAX_WINDOW_DAYS: i64 = 91;

const DAY_MICROS: i64 = 86_400_000_000;

/// Each pair's usage per business day, oldest day first (base units, positive: stock used).
pub struct UsageHistory {
    pub days: Vec<NaiveDate>,
    pub by_pair: HashMap<Pair, Vec<Decimal>>,
}

impl UsageHistory {
    /// The pair's usage over the last `window` days of the history (zeros where it used none).
    pub fn last_days(&self, pair: Pair, window: usize) -> (Vec<NaiveDate>, Vec<Decimal>) {
        let window = window.min(self.days.len());
        let from = self.days.len() - window;
        let usage = self
            .by_pair
            .get(&pair)
            .map_or_else(|| vec![Decimal::ZERO; window], |u| u[from..].to_vec());
        (self.days[from..].to_vec(), usage)
    }
}

/// The usage of a company's pairs (of one storage unit, or all) over the `window` business
/// days completed by `now`: one aggregate query, grouped by pair and business day.
pub async fn daily_usage<C: ConnectionTrait>(
    db: &C,
    company: &company::Model,
    storage_unit_id: Option<i64>,
    window: i64,
    now: DateTime<Utc>,
) -> ServiceResult<UsageHistory> {
    let days = business_days::last_completed_days(company, now, window.clamp(1, MAX_WINDOW_DAYS));
    let starts: Vec<i64> = days
        .iter()
        .chain(std::iter::once(&(days[days.len() - 1] + Duration::days(1))))
        .map(|d| to_micros(business_days::bounds(company, *d).0))
        .collect();
    let [high, low] = exact_sum_sql(db.get_database_backend(), "quantity_micro");
    let in_unit = storage_unit_id
        .map(|u| format!(" AND storage_unit_id = {u}"))
        .unwrap_or_default();
    let sql = format!(
        "SELECT ingredient_id, storage_unit_id, {day} AS day, {high}, {low} FROM ledger_entries \
         WHERE company_id = {company} AND transaction_type IN ('{issue}', '{waste}') \
         AND occurred_at >= {from} AND occurred_at < {to}{in_unit} \
         GROUP BY ingredient_id, storage_unit_id, {day}",
        day = day_index_sql(&starts),
        company = company.id,
        issue = TransactionType::Issue.to_value(),
        waste = TransactionType::Waste.to_value(),
        from = starts[0],
        to = starts[starts.len() - 1],
    );
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?;
    let mut by_pair: HashMap<Pair, Vec<Decimal>> = HashMap::new();
    for row in rows {
        let part = |k: usize| row.try_get_by_index::<i64>(k);
        let day = usize::try_from(part(2)?).unwrap_or(usize::MAX);
        if day >= days.len() {
            continue;
        }
        let used = -from_micro(join_sum(part(3)?, part(4)?));
        by_pair
            .entry((part(0)?, part(1)?))
            .or_insert_with(|| vec![Decimal::ZERO; days.len()])[day] = used;
    }
    Ok(UsageHistory { days, by_pair })
}

/// SQL for the index (0 = oldest) of the business day an entry's `occurred_at` falls in, given
/// the days' starts (and the last one's end). Days of exactly 24 hours in a row share one
/// division; a day the clocks change in (23 or 25 hours) is its own branch — so the grouping
/// follows the company's wall clock without a timezone database in SQL.
fn day_index_sql(starts: &[i64]) -> String {
    let mut branches = Vec::new();
    let mut k = 0;
    while k + 1 < starts.len() {
        let run_start = k;
        while k + 1 < starts.len() && starts[k + 1] - starts[k] == DAY_MICROS {
            k += 1;
        }
        if k > run_start {
            branches.push(format!(
                "WHEN occurred_at < {} THEN {run_start} + (occurred_at - {}) / {DAY_MICROS}",
                starts[k], starts[run_start]
            ));
        } else {
            branches.push(format!("WHEN occurred_at < {} THEN {k}", starts[k + 1]));
            k += 1;
        }
    }
    format!("(CASE {} ELSE -1 END)", branches.join(" "))
}

/// Average daily usage over a window: flat, and per weekday when every weekday occurs in the
/// window at least twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forecast {
    /// Σ usage ÷ days (never below zero: refunds do not make stock grow by itself).
    pub average_daily: Decimal,
    /// Monday first.
    pub by_weekday: Option<[Decimal; 7]>,
}

impl Forecast {
    pub fn from_usage(days: &[NaiveDate], usage: &[Decimal]) -> Self {
        let n = days.len().max(1);
        let total: Decimal = usage.iter().sum();
        let average_daily = (total / Decimal::from(n as u64)).max(Decimal::ZERO);
        let mut sums = [Decimal::ZERO; 7];
        let mut counts = [0u64; 7];
        for (day, used) in days.iter().zip(usage) {
            let w = day.weekday().num_days_from_monday() as usize;
            sums[w] += *used;
            counts[w] += 1;
        }
        let by_weekday = counts.iter().all(|c| *c >= 2).then(|| {
            let mut averages = [Decimal::ZERO; 7];
            for w in 0..7 {
                averages[w] = (sums[w] / Decimal::from(counts[w])).max(Decimal::ZERO);
            }
            averages
        });
        Self {
            average_daily,
            by_weekday,
        }
    }

    /// The forecast for business day `day`.
    pub fn on(&self, day: NaiveDate) -> Decimal {
        match &self.by_weekday {
            Some(w) => w[day.weekday().num_days_from_monday() as usize],
            None => self.average_daily,
        }
    }

    /// The forecast over `n` business days from `first`.
    pub fn over(&self, first: NaiveDate, n: i64) -> Decimal {
        (0..n).map(|k| self.on(first + Duration::days(k))).sum()
    }

    /// How many days the stock lasts at the flat average; none when nothing is used.
    pub fn days_left(&self, on_hand: Decimal) -> Option<Decimal> {
        (self.average_daily > Decimal::ZERO)
            .then(|| (on_hand.max(Decimal::ZERO) / self.average_daily).round_dp(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_window_of_two_weeks_forecasts_by_weekday() {
        // 14 days from Monday 2 November 2026: 10 on weekdays, 30 on Saturdays, 0 on Sundays.
        let days: Vec<NaiveDate> = (0..14)
            .map(|k| date(2026, 11, 2) + Duration::days(k))
            .collect();
        let usage: Vec<Decimal> = days
            .iter()
            .map(|d| match d.weekday().num_days_from_monday() {
                5 => Decimal::from(30),
                6 => Decimal::ZERO,
                _ => Decimal::from(10),
            })
            .collect();
        let f = Forecast::from_usage(&days, &usage);
        assert_eq!(f.average_daily, Decimal::from(160) / Decimal::from(14));
        assert_eq!(f.on(date(2026, 11, 28)), Decimal::from(30));
        assert_eq!(f.on(date(2026, 11, 29)), Decimal::ZERO);
        // Friday to Monday: 10 + 30 + 0 + 10.
        assert_eq!(f.over(date(2026, 11, 27), 4), Decimal::from(50));
        // 13 days miss a second Sunday: flat.
        let flat = Forecast::from_usage(&days[..13], &usage[..13]);
        assert!(flat.by_weekday.is_none());
        assert_eq!(
            flat.over(date(2026, 11, 27), 2).round_dp(6),
            (Decimal::from(320) / Decimal::from(13)).round_dp(6)
        );
    }

    #[test]
    fn days_run_from_start_to_start_across_a_clock_change() {
        // Three days; the middle one is 25 hours long (the clocks went back).
        let h = 3_600_000_000;
        let starts = [0, 24 * h, 49 * h, 73 * h];
        let sql = day_index_sql(&starts);
        assert_eq!(
            sql,
            format!(
                "(CASE WHEN occurred_at < {} THEN 0 + (occurred_at - 0) / {DAY_MICROS} WHEN occurred_at < {} THEN 1 WHEN occurred_at < {} THEN 2 + (occurred_at - {}) / {DAY_MICROS} ELSE -1 END)",
                24 * h,
                49 * h,
                73 * h,
                49 * h
            )
        );
    }
}
