//! Purchasing (DESIGN.md, "Purchasing"): stock policies per (ingredient, storage unit), the
//! usage forecast, what is on order, reorder suggestions, and the draft orders made of them.

pub mod drafts;
pub mod outlook;
pub mod policies;
pub mod suggestions;
pub mod supply;
pub mod usage;
