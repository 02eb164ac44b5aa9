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
        Self {
            backend,
            values: Vec::new(),
        }
    }

    /// Binds `value`; returns its placeholder for the SQL text.
    pub fn push(&mut self, value: impl Into<Value>) -> String {
        self.values.push(value.into());
        match self.backend {
            DatabaseBackend::Postgres => format!("${}", self.values.len()),
            _ => "?".to_string(),
        }
    }

    /// `(…, …)`: one row of placeholders for `values`.
    pub fn row<const N: usize>(&mut self, values: [Value; N]) -> String {
        let cells: Vec<String> = values.into_iter().map(|v| self.push(v)).collect();
        format!("({})", cells.join(", "))
    }

    /// The statement `sql` with the values bound so far.
    pub fn statement(self, sql: String) -> Statement {
        Statement::from_sql_and_values(self.backend, sql, self.values)
    }
}
