//! Paging: a service page as a GraphQL connection, and GraphQL's first/last as a bounded
//! keyset request.

use std::future::Future;

use async_graphql::SimpleObject;
use async_graphql::connection::{self, Connection, Edge, OpaqueCursor};
use service::paging::{MAX_PAGE, Page, PageRequest};

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

/// GraphQL's paging arguments, as a resolver received them.
pub struct PageArgs {
    pub after: Option<String>,
    pub before: Option<String>,
    pub first: Option<i32>,
    pub last: Option<i32>,
}

/// A paged list field: the arguments checked (first and last not negative, cursors readable),
/// one service page fetched for the bounded request, and returned as a connection whose cursors
/// are the rows' sort keys.
pub async fn paged<K, M, N, Fut>(
    args: PageArgs,
    fetch: impl FnOnce(PageRequest<K>) -> Fut,
    key: impl Fn(&M) -> K,
    node: impl Fn(M) -> N,
) -> async_graphql::Result<Connection<OpaqueCursor<K>, N, TotalCount>>
where
    K: serde::Serialize + serde::de::DeserializeOwned + Send + Sync,
    N: async_graphql::OutputType,
    Fut: Future<Output = async_graphql::Result<Page<M>>>,
{
    connection::query(
        args.after,
        args.before,
        args.first,
        args.last,
        |after: Option<OpaqueCursor<K>>, before: Option<OpaqueCursor<K>>, first, last| async move {
            let request = page_request(after.map(|c| c.0), before.map(|c| c.0), first, last);
            let page = fetch(request).await?;
            Ok::<_, async_graphql::Error>(to_connection(page, key, node))
        },
    )
    .await
}
