//! Larder's business rules. Every function takes `&impl ConnectionTrait` (or a connection that
//! can begin a transaction) and the calling [`access::Principal`], so the API and the jobs call
//! the same rules, inside or outside a transaction. Nothing here knows HTTP or GraphQL.

pub mod access;
pub mod accounts;
pub mod api_tokens;
pub mod business_days;
pub mod companies;
pub mod counting;
pub mod crypto;
pub mod csv_cells;
pub mod db;
pub mod demo;
pub mod error;
pub mod faults;
pub mod food_cost;
pub mod gtin;
pub mod ingredients;
pub mod invoices;
pub mod job_runs;
pub mod ledger;
pub mod memberships;
pub mod movements;
pub mod operations;
pub mod orders;
pub mod owned;
pub mod paging;
pub mod pos;
pub mod principal_cache;
pub mod products;
pub mod purchasing;
pub mod quantity;
pub mod recipes;
pub mod records;
pub mod secrets;
pub mod stock_counts;
pub mod storage_units;
pub mod transfers;
pub mod units;
pub mod validate;
pub mod vendors;

pub use error::{ServiceError, ServiceResult};
pub use sea_orm::DatabaseConnection;
