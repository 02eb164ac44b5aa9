//! The GraphQL schema: types, queries, mutations, subscriptions, and how service errors become
//! GraphQL errors with a stable `extensions.code`.

pub mod api_tokens;
pub mod context;
pub mod counting;
pub mod errors;
pub mod food_cost;
pub mod inputs;
pub mod invoices;
pub mod jobs;
pub mod ledger;
pub mod loaders;
pub mod movements;
pub mod mutation;
pub mod observed;
pub mod orders;
pub mod paging;
pub mod pos;
pub mod purchasing;
pub mod query;
pub mod reports;
pub mod scalars;
pub mod shape;
pub mod stock_counts;
pub mod subscription;
pub mod transfers;
pub mod types;

use async_graphql::Schema;

pub use context::RequestContext;

pub type LarderSchema = Schema<query::Query, mutation::Mutation, subscription::Subscription>;

pub struct SchemaLimits {
    pub max_depth: usize,
    pub max_complexity: usize,
    pub introspection: bool,
}

/// The complexity of a list field: its children counted once per row it may return (`first`
/// or `last`, else the field's default, never more than the service's page limit), so that
/// aliases of a large page cannot pass as cheap.
pub fn page_cost(
    first: Option<i32>,
    last: Option<i32>,
    default: usize,
    child_complexity: usize,
) -> usize {
    let rows = first
        .or(last)
        .map_or(default, |n| n.max(1) as usize)
        .min(service::paging::MAX_PAGE as usize);
    rows.saturating_mul(child_complexity.max(1))
}

/// Builds the schema; request data (the caller, loaders) is added per request.
pub fn build(
    db: sea_orm::DatabaseConnection,
    settings: context::AppSettings,
    limits: SchemaLimits,
) -> LarderSchema {
    let builder = Schema::build(
        query::Query::default(),
        mutation::Mutation::default(),
        subscription::Subscription,
    )
    .data(db)
    .data(settings)
    .extension(observed::OperationMetrics)
    .limit_depth(limits.max_depth)
    .limit_complexity(limits.max_complexity)
    .limit_recursive_depth(32)
    .limit_directives(8)
    .disable_suggestions();
    if limits.introspection {
        builder.finish()
    } else {
        builder.disable_introspection().finish()
    }
}

/// The schema as SDL, as `larder schema` prints it and `schema.graphql` keeps it.
pub fn sdl() -> String {
    Schema::build(
        query::Query::default(),
        mutation::Mutation::default(),
        subscription::Subscription,
    )
    .finish()
    .sdl_with_options(
        async_graphql::SDLExportOptions::new()
            .sorted_fields()
            .sorted_enum_items(),
    )
}
