//! Bound values for SQL written by hand: each value pushed answers with its placeholder (`$n`
//! on PostgreSQL, `?` on SQLite). A statement whose text depends only on how many rows it
//! carries is prepared once per connection and reused (sqlx caches it), where literal values
//! make the server parse and plan every one again.

use sea_orm::{DatabaseBackend, Statement, Value};

pub struct Params {
    backend: DatabaseBackend,
    values: Vec<Value>,
}

impl Params {
    pub fn new(backend: DatabaseBackend) -> Self {
        Self::with_capacity(backend, 0)
    }

    /// Room for `values` bound values.
    pub fn with_capacity(backend: DatabaseBackend, values: usize) -> Self {
        Self {
            backend,
            values: Vec::with_capacity(values),
        }
    }

    /// Binds `value`; returns its placeholder for the SQL text.
    pub fn push(&mut self, value: impl Into<Value>) -> String {
        let mut placeholder = String::new();
        self.bind_into(&mut placeholder, value.into());
        placeholder
    }

    /// `(…, …)`: one row of placeholders for `values`.
    pub fn row<const N: usize>(&mut self, values: [Value; N]) -> String {
        let mut row = String::with_capacity(N * 6 + 2);
        self.row_into(&mut row, values);
        row
    }

    /// Appends `(…, …)` for `values` to `sql` (statements of thousands of rows: no string per
    /// cell).
    pub fn row_into<const N: usize>(&mut self, sql: &mut String, values: [Value; N]) {
        sql.push('(');
        for (k, value) in values.into_iter().enumerate() {
            if k > 0 {
                sql.push_str(", ");
            }
            self.bind_into(sql, value);
        }
        sql.push(')');
    }

    fn bind_into(&mut self, sql: &mut String, value: Value) {
        use std::fmt::Write;
        self.values.push(value);
        match self.backend {
            DatabaseBackend::Postgres => {
                let _ = write!(sql, "${}", self.values.len());
            }
            _ => sql.push('?'),
        }
    }

    /// The statement `sql` with the values bound so far.
    pub fn statement(self, sql: String) -> Statement {
        Statement::from_sql_and_values(self.backend, sql, self.values)
    }
}
