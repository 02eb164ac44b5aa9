//! Business days in the company's timezone: a day starts at the company's business-day hour, so
//! a sale at 01:30 belongs to the previous day when the day starts at 05:00.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use entity::company;

/// The business day `at` falls in.
pub fn business_date_of(company: &company::Model, at: DateTime<Utc>) -> NaiveDate {
    let tz: chrono_tz::Tz = company.timezone.parse().unwrap_or(chrono_tz::UTC);
    // On the wall clock, not in elapsed time: the morning the clocks go forward, 05:30 is
    // already the new business day although only four hours passed since midnight.
    (at.with_timezone(&tz).naive_local() - Duration::hours(company.business_day_start_hour as i64))
        .date()
}

/// The last business day that has closed by `now`.
pub fn last_completed(company: &company::Model, now: DateTime<Utc>) -> NaiveDate {
    business_date_of(company, now) - Duration::days(1)
}

/// The `n` completed business days before `now`, oldest first.
pub fn last_completed_days(company: &company::Model, now: DateTime<Utc>, n: i64) -> Vec<NaiveDate> {
    let last = last_completed(company, now);
    (0..n).rev().map(|k| last - Duration::days(k)).collect()
}

/// The last `n` business days up to `now`, today (still running) included: (first, last).
pub fn recent_span(company: &company::Model, now: DateTime<Utc>, n: i64) -> (NaiveDate, NaiveDate) {
    let today = business_date_of(company, now);
    (today - Duration::days(n.max(1) - 1), today)
}

/// Business day `date` as [start, end): from the company's business-day hour in its timezone to
/// the same hour the next day.
pub fn bounds(company: &company::Model, date: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let start_of = |d: NaiveDate| {
        local_to_utc(
            company,
            d.and_hms_opt(company.business_day_start_hour as u32, 0, 0)
                .unwrap_or_default(),
        )
    };
    (start_of(date), start_of(date + Duration::days(1)))
}

/// A local wall-clock time on a date, as UTC (the earlier one across a DST fold).
pub fn local_to_utc(company: &company::Model, local: chrono::NaiveDateTime) -> DateTime<Utc> {
    use chrono::TimeZone;
    let tz: chrono_tz::Tz = company.timezone.parse().unwrap_or(chrono_tz::UTC);
    tz.from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(local + Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&local))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn company(tz: &str, start: i32) -> company::Model {
        company::Model {
            id: 1,
            name: "c".into(),
            currency: "EUR".into(),
            timezone: tz.into(),
            business_day_start_hour: start,
            sales_vat_percent_micro: 0,
            price_alert_percent_micro: 5_000_000,
            blind_counts: false,
            archived_at: None,
            created_at: Utc::now(),
        }
    }

    #[test]
    fn early_morning_sales_belong_to_the_day_before() {
        let c = company("Europe/Berlin", 5);
        // 01:30 Berlin (CET, UTC+1) on 10 March is 00:30 UTC.
        let at = Utc.with_ymd_and_hms(2026, 3, 10, 0, 30, 0).unwrap();
        assert_eq!(
            business_date_of(&c, at),
            NaiveDate::from_ymd_opt(2026, 3, 9).unwrap()
        );
        let later = Utc.with_ymd_and_hms(2026, 3, 10, 4, 30, 0).unwrap();
        assert_eq!(
            business_date_of(&c, later),
            NaiveDate::from_ymd_opt(2026, 3, 10).unwrap()
        );
        assert_eq!(
            last_completed(&c, later),
            NaiveDate::from_ymd_opt(2026, 3, 9).unwrap()
        );
        let days = last_completed_days(&c, later, 90);
        assert_eq!(days.len(), 90);
        assert_eq!(days[89], NaiveDate::from_ymd_opt(2026, 3, 9).unwrap());
    }

    #[test]
    fn a_business_day_runs_from_its_start_hour_to_the_next_in_local_time() {
        let c = company("Europe/Berlin", 5);
        let day = NaiveDate::from_ymd_opt(2026, 3, 9).unwrap();
        let (start, end) = bounds(&c, day);
        assert_eq!(start, Utc.with_ymd_and_hms(2026, 3, 9, 4, 0, 0).unwrap());
        assert_eq!(end, Utc.with_ymd_and_hms(2026, 3, 10, 4, 0, 0).unwrap());
        // The business day the clocks go forward in (they do at 02:00 on 29 March 2026, inside
        // the day that starts on the 28th at 05:00) is an hour short.
        let (start, end) = bounds(&c, NaiveDate::from_ymd_opt(2026, 3, 28).unwrap());
        assert_eq!((end - start).num_hours(), 23);
        // A sale in the last minute of the day belongs to it, the first minute after does not.
        assert_eq!(
            business_date_of(&c, end - Duration::minutes(1)),
            NaiveDate::from_ymd_opt(2026, 3, 28).unwrap()
        );
        assert_eq!(
            business_date_of(&c, end),
            NaiveDate::from_ymd_opt(2026, 3, 29).unwrap()
        );
    }

    #[test]
    fn the_last_completed_day_turns_over_at_the_start_hour() {
        // last_completed is a pure function of `now`: the same instant gives the same day,
        // whatever the calendar says when the test runs.
        let c = company("America/New_York", 6);
        let now = Utc.with_ymd_and_hms(2026, 7, 1, 9, 59, 0).unwrap(); // 05:59 EDT
        assert_eq!(
            last_completed(&c, now),
            NaiveDate::from_ymd_opt(2026, 6, 29).unwrap()
        );
        let after = Utc.with_ymd_and_hms(2026, 7, 1, 10, 0, 0).unwrap(); // 06:00 EDT
        assert_eq!(
            last_completed(&c, after),
            NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()
        );
    }
}
