//! The inventory ledger: append-only entries with running balances and weighted average costs
//! (DESIGN.md, "The ledger"). `posting` writes and recomputes, `costing` is the arithmetic,
//! `reading` answers questions about it.

pub mod costing;
pub mod locks;
pub mod posting;
pub mod reading;
pub mod report;
pub mod sources;

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{ServiceError, ServiceResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TransactionType {
    Receipt,
    Issue,
    Waste,
    TransferOut,
    TransferIn,
    Adjust,
}

impl TransactionType {
    pub const ALL: [TransactionType; 6] = [
        TransactionType::Receipt,
        TransactionType::Issue,
        TransactionType::Waste,
        TransactionType::TransferOut,
        TransactionType::TransferIn,
        TransactionType::Adjust,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TransactionType::Receipt => "RECEIPT",
            TransactionType::Issue => "ISSUE",
            TransactionType::Waste => "WASTE",
            TransactionType::TransferOut => "TRANSFER_OUT",
            TransactionType::TransferIn => "TRANSFER_IN",
            TransactionType::Adjust => "ADJUST",
        }
    }

    pub fn parse(s: &str) -> ServiceResult<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| {
                ServiceError::validation("transactionType", format!("unknown transaction type {s}"))
            })
    }
}

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
