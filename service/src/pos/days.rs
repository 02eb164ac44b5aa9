//! Business days in the company's timezone: a day starts at the company's business-day hour, so
//! a sale at 01:30 belongs to the previous day when the day starts at 05:00.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use entity::company;

/// The business day `at` falls in.
pub fn business_date_of(company: &company::Model, at: DateTime<Utc>) -> NaiveDate {
    let tz: chrono_tz::Tz = company.timezone.parse().unwrap_or(chrono_tz::UTC);
    (at.with_timezone(&tz) - Duration::hours(company.business_day_start_hour as i64)).date_naive()
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
}
