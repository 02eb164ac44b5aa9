//! POS integrations over GraphQL, one file per concept: integrations, locations, mappings and
//! CSV files. Each resolver translates and calls one service function.

pub mod csv;
pub mod integrations;
pub mod locations;
pub mod mappings;

pub use integrations::PosIntegration;
pub use locations::PosLocation;
