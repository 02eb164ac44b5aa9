//! Food cost control (DESIGN.md, "Food cost"): what recipes cost, which prices moved, how each
//! menu item earns, and where stock went between two counts — all read from the ledger, never
//! stored twice. Figures are unrounded (6 decimal places); pages round them.

pub mod current_cost;
pub mod menu;
pub mod period;
pub mod prices;
pub mod recipe_cost;
pub mod variance;

pub use current_cost::CostBasis;
