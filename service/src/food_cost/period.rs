//! The period a food cost report covers: it ends after it starts and spans at most a year;
//! without one, the last 30 days.

use chrono::{DateTime, Duration, Utc};

use crate::error::{ServiceError, ServiceResult};

/// The longest period one report covers.
pub const MAX_DAYS: i64 = 366;
/// What a report covers when no period is given.
pub const DEFAULT_DAYS: i64 = 30;

/// `from`..`to` when it ends after it starts and spans at most [`MAX_DAYS`].
pub fn checked(
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> ServiceResult<(DateTime<Utc>, DateTime<Utc>)> {
    if to <= from {
        return Err(ServiceError::validation(
            "to",
            "the period must end after it starts",
        ));
    }
    if to - from > Duration::days(MAX_DAYS) {
        return Err(ServiceError::validation(
            "from",
            format!("a report covers at most {MAX_DAYS} days"),
        ));
    }
    Ok((from, to))
}

/// The period given, each missing end filled in: `to` now, `from` 30 days before `to`.
pub fn or_recent(
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> ServiceResult<(DateTime<Utc>, DateTime<Utc>)> {
    let to = to.unwrap_or_else(Utc::now);
    checked(from.unwrap_or(to - Duration::days(DEFAULT_DAYS)), to)
}
