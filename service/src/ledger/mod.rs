//! The inventory ledger: append-only entries with running balances and weighted average costs
//! (DESIGN.md, "The ledger"). `posting` writes, `recompute` refolds after a backdated entry,
//! `costing` is the arithmetic, `locks` the order writers lock in, `reading` and `report`
//! answer questions about it.

mod balances;
pub mod costing;
pub mod history;
mod ids_back;
pub mod item_costs;
pub mod locks;
mod new_entry;
pub mod posting;
pub mod reading;
pub mod recompute;
pub mod report;
mod rewrite;
mod rows;
pub mod sources;

use chrono::{DateTime, TimeZone, Utc};

use crate::error::{ServiceError, ServiceResult};

pub use entity::ledger_entry::{SourceKind, TransactionType};

/// How far ahead of the server's clock a business time may be (a tablet's clock runs fast).
const CLOCK_SKEW: chrono::Duration = chrono::Duration::minutes(5);

/// The business time of a movement, receipt or count: `at`, or now when not given; a time in
/// the future is refused naming `field` (stock cannot move before it happens).
pub fn business_time(at: Option<DateTime<Utc>>, field: &str) -> ServiceResult<DateTime<Utc>> {
    let now = Utc::now();
    let at = at.unwrap_or(now);
    if at > now + CLOCK_SKEW {
        return Err(ServiceError::validation(field, "cannot be in the future"));
    }
    Ok(at)
}

/// When an entry happens, in ledger microseconds: a time the caller gave, or — none given —
/// when it is posted, which [`posting::post`] places after everything its pair holds by then (a
/// writer that committed a moment earlier does not make it a backdated entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryTime {
    pub micros: i64,
    pub at_posting: bool,
}

/// [`business_time`] as an [`EntryTime`].
pub fn entry_time(at: Option<DateTime<Utc>>, field: &str) -> ServiceResult<EntryTime> {
    Ok(EntryTime {
        micros: to_micros(business_time(at, field)?),
        at_posting: at.is_none(),
    })
}

/// Ledger times are microseconds since the Unix epoch in the database.
pub fn to_micros(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

pub fn from_micros(us: i64) -> DateTime<Utc> {
    Utc.timestamp_micros(us).single().unwrap_or_default()
}
