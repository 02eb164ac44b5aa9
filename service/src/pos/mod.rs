//! POS integrations (DESIGN.md "POS integrations"): the parts every provider shares — the
//! integration and its locations, the items cache and mappings, the raw sale lines, the
//! day-by-day pipeline into the ledger — and the CSV provider. Live providers only add a client
//! that fills sale lines ([`live`]).

pub mod csv_import;
pub mod integrations;
pub mod live;
pub mod locations;
pub mod mappings;
pub mod pipeline;
pub mod sale_lines;
pub mod uploads;
pub mod webhooks;
pub mod work;

pub use entity::pos_integration::{AutomaticTransfer, ConnectionState, Provider};

/// The lock a location's migrations and transfers share: one at a time.
pub fn location_lock(location_id: i64) -> String {
    format!("location:{location_id}")
}
