//! The HTTP face of Larder: actix-web serving GraphQL (queries, mutations, subscriptions),
//! health, and the SPA. Resolvers translate GraphQL to service calls and errors to codes; no
//! business rule lives here.

pub mod body;
pub mod config;
pub mod endpoint;
pub mod exports;
pub mod food_cost_csv;
pub mod graphql;
pub mod graphql_http;
pub mod graphql_ws;
pub mod invoice_files;
pub mod metrics;
pub mod oauth;
pub mod observe;
pub mod operations;
pub mod rate_limit;
pub mod request_span;
pub mod routes;
pub mod startup;
pub mod telemetry;
pub mod uploads;
