//! Keyset pages for lists that grow: a cursor is the sort key of the last row seen, so pages stay
//! stable while rows are added and no offset is scanned.

/// What a caller asks for: up to `limit` rows after `after` and/or before `before`; with
/// `from_end`, the last `limit` rows of that range (GraphQL's `last`).
#[derive(Debug, Clone)]
pub struct PageRequest<K> {
    pub after: Option<K>,
    pub before: Option<K>,
    pub limit: u64,
    pub from_end: bool,
}

pub struct Page<T> {
    pub items: Vec<T>,
    pub has_previous: bool,
    pub has_next: bool,
    /// Rows matching the filter, all pages together.
    pub total: u64,
}

/// The largest page anyone gets, whatever they ask.
pub const MAX_PAGE: u64 = 500;
