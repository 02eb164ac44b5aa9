//! Business days as a test sees them: a company's day starts at its own hour in its own
//! timezone, so "today" is not the calendar date around midnight. Tests that took the calendar
//! date failed between midnight and the day start; every test asks here instead.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

/// The business day running now for a company in `tz` whose days start at `start_hour`.
pub fn open_business_day(tz: Tz, start_hour: i64) -> NaiveDate {
    (Utc::now().with_timezone(&tz) - Duration::hours(start_hour)).date_naive()
}

/// `hour:minute` on the wall clock of calendar date `date` in `tz`, as UTC.
pub fn local(tz: Tz, date: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    tz.from_local_datetime(&date.and_hms_opt(hour, minute, 0).expect("a time of day"))
        .earliest()
        .expect("a wall-clock time that exists")
        .with_timezone(&Utc)
}

/// RFC 3339, as GraphQL takes it.
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
