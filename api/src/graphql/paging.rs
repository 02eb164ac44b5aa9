//! Paging: a service page as a GraphQL connection, and GraphQL's first/last as a bounded
//! keyset request.

use async_graphql::SimpleObject;
use async_graphql::connection::{Connection, Edge, OpaqueCursor};
use service::paging::{MAX_PAGE, PageRequest};

/// Extra fields of a connection.
#[derive(SimpleObject)]
pub struct TotalCount {
    /// Rows matching the filter, all pages together.
    pub total_count: i64,
}

/// A service page as a GraphQL connection: cursors are the rows' sort keys.
pub fn to_connection<K, M, N>(
    page: service::paging::Page<M>,
    key: impl Fn(&M) -> K,
    node: impl Fn(M) -> N,
) -> Connection<OpaqueCursor<K>, N, TotalCount>
where
    K: serde::Serialize + serde::de::DeserializeOwned + Send + Sync,
    N: async_graphql::OutputType,
{
    let mut conn = Connection::with_additional_fields(
        page.has_previous,
        page.has_next,
        TotalCount {
            total_count: page.total as i64,
        },
    );
    conn.edges.extend(
        page.items
            .into_iter()
            .map(|row| Edge::new(OpaqueCursor(key(&row)), node(row))),
    );
    conn
}

/// GraphQL's first/last become a bounded keyset request (default 50, at most 500).
pub fn page_request<K>(
    after: Option<K>,
    before: Option<K>,
    first: Option<usize>,
    last: Option<usize>,
) -> PageRequest<K> {
    let from_end = last.is_some() && first.is_none();
    let limit = first.or(last).unwrap_or(50).clamp(1, MAX_PAGE as usize) as u64;
    PageRequest {
        after,
        before,
        limit,
        from_end,
    }
}
