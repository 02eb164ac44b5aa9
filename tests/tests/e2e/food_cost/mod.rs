//! Food cost control (DESIGN.md, "Food cost"): recipe costs, price changes, menu engineering
//! and actual vs theoretical usage, worked by hand; the AvT identity as a property.

mod identity;
mod item_costs;
mod worked;
