//! Keyset pages for lists that grow: a cursor is the sort key of the last row seen, so pages stay
//! stable while rows are added and no offset is scanned.

use sea_orm::sea_query::{IntoCondition, Value};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, Order, QueryFilter, QueryOrder,
    QuerySelect, Select,
};

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

/// A cursor: the values of a list's sort columns for one row, in the columns' order.
pub trait SortKey {
    fn values(&self) -> Vec<Value>;
}

impl SortKey for i64 {
    fn values(&self) -> Vec<Value> {
        vec![(*self).into()]
    }
}

impl SortKey for (i64, i64) {
    fn values(&self) -> Vec<Value> {
        vec![self.0.into(), self.1.into()]
    }
}

impl SortKey for (String, i64) {
    fn values(&self) -> Vec<Value> {
        vec![self.0.clone().into(), self.1.into()]
    }
}

/// How a list is sorted: its columns (the last one unique, usually the id), all ascending or all
/// descending.
pub struct SortOrder<Col> {
    pub columns: Vec<Col>,
    pub descending: bool,
}

impl<Col: ColumnTrait> SortOrder<Col> {
    pub fn ascending(columns: Vec<Col>) -> Self {
        Self {
            columns,
            descending: false,
        }
    }

    pub fn descending(columns: Vec<Col>) -> Self {
        Self {
            columns,
            descending: true,
        }
    }

    /// The rows strictly past `key` in the direction `greater` (a lexicographic comparison of
    /// the sort columns: (a, b) > (x, y) is a > x, or a = x and b > y).
    fn past(&self, key: &[Value], greater: bool) -> Condition {
        let mut any = Condition::any();
        for (i, column) in self.columns.iter().enumerate() {
            let mut all = Condition::all();
            for (earlier, value) in self.columns.iter().zip(key).take(i) {
                all = all.add(earlier.eq(value.clone()));
            }
            let value = key[i].clone();
            let beyond = if greater {
                column.gt(value)
            } else {
                column.lt(value)
            };
            any = any.add(all.add(beyond).into_condition());
        }
        any
    }
}

/// One page of `query` in `order`, by keyset; `total` is the caller's count of every matching
/// row (some lists know it without counting).
pub async fn keyset_page<E, K, C>(
    db: &C,
    query: Select<E>,
    order: &SortOrder<E::Column>,
    request: &PageRequest<K>,
    total: u64,
) -> Result<Page<E::Model>, DbErr>
where
    E: EntityTrait,
    K: SortKey,
    C: ConnectionTrait,
{
    let mut query = query;
    // "After" means further along the list's own order; "before" the other way.
    if let Some(key) = &request.after {
        query = query.filter(order.past(&key.values(), !order.descending));
    }
    if let Some(key) = &request.before {
        query = query.filter(order.past(&key.values(), order.descending));
    }
    // Reading from the end means walking the order backwards.
    let descending_sql = order.descending != request.from_end;
    let direction = if descending_sql {
        Order::Desc
    } else {
        Order::Asc
    };
    for column in &order.columns {
        query = query.order_by(*column, direction.clone());
    }
    let mut rows = query.limit(request.limit + 1).all(db).await?;
    let more = rows.len() as u64 > request.limit;
    rows.truncate(request.limit as usize);
    if request.from_end {
        rows.reverse();
    }
    let (has_previous, has_next) = if request.from_end {
        (more, request.before.is_some())
    } else {
        (request.after.is_some(), more)
    };
    Ok(Page {
        items: rows,
        has_previous,
        has_next,
        total,
    })
}
