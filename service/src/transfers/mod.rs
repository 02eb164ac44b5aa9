//! Transfers as a workflow (DESIGN.md invariant 6): a DRAFT lists lines (with optional lot and
//! expiry), SHIPPED posts TRANSFER_OUT at the source's average cost, CLOSED posts TRANSFER_IN at
//! the same cost in the target — within one company or across two the caller may staff. Shipped
//! and not received is "in transit" and listed as pending.

mod checking;
mod listing;
mod shipping;
mod storing;

pub use entity::transfer::TransferStatus;
pub use listing::*;
pub use shipping::*;
