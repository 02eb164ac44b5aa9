use sea_orm::{DbErr, SqlErr};

/// Every way a service call can fail. The API maps each variant to a stable GraphQL error code;
/// the message is written for the person who sees it.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{0}")]
    Unauthenticated(String),
    #[error("too many failed logins: try again in {retry_after_seconds} seconds")]
    LockedOut { retry_after_seconds: i64 },
    /// Too many requests of one kind from one client or for one account, or the server is
    /// saturated: come back after the given time.
    #[error("{message}: try again in {retry_after_seconds} seconds")]
    RateLimited {
        retry_after_seconds: i64,
        message: String,
    },
    #[error("{0}")]
    Forbidden(String),
    /// A row that does not exist, or belongs to a company the caller cannot see: the two must
    /// look the same.
    #[error("{entity} not found")]
    NotFound {
        entity: &'static str,
        field: Option<String>,
    },
    #[error("{message}")]
    Validation { field: String, message: String },
    #[error("{message}")]
    Conflict { field: String, message: String },
    /// An input past a size limit (a file, a body): VALIDATION to GraphQL, 413 over plain HTTP.
    #[error("{message}")]
    TooLarge { field: String, message: String },
    /// A POS answered with an error, garbage, or not at all (after its retries).
    #[error("{provider} {message}")]
    Provider { provider: String, message: String },
    /// A clash with another writer that running the unit of work again resolves: a lock
    /// taken out of order and refused, a deadlock, a serialization failure, SQLite busy.
    /// The write lane's `retrying` re-runs the unit; one that escapes is shown as RATE_LIMITED.
    #[error("another change was being written at the same moment: {0}")]
    Contended(String),
    #[error("database error: {0}")]
    Database(#[source] DbErr),
    #[error("internal error: {0}")]
    Internal(String),
}

impl ServiceError {
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn conflict(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Conflict {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn provider(provider: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Provider {
            provider: provider.into(),
            message: message.into(),
        }
    }

    pub fn not_found(entity: &'static str) -> Self {
        Self::NotFound {
            entity,
            field: None,
        }
    }

    /// A not-found reached through an input field (`ingredientId` names a foreign ingredient).
    pub fn not_found_at(entity: &'static str, field: impl Into<String>) -> Self {
        Self::NotFound {
            entity,
            field: Some(field.into()),
        }
    }

    /// A not-found that names the input field it was reached through; other errors unchanged.
    pub fn at_field(self, field: &str) -> Self {
        match self {
            Self::NotFound { entity, .. } => Self::not_found_at(entity, field),
            other => other,
        }
    }

    /// The same error with its field placed under `prefix` when it is one of `fields`: the
    /// service names an input's fields bare (`quantity`), a caller that nests them in an object
    /// says where (`input.quantity`).
    pub fn nested(self, prefix: &str, fields: &[&str]) -> Self {
        let place = |field: String| {
            if fields.contains(&field.as_str()) {
                format!("{prefix}{field}")
            } else {
                field
            }
        };
        match self {
            Self::Validation { field, message } => Self::Validation {
                field: place(field),
                message,
            },
            Self::Conflict { field, message } => Self::Conflict {
                field: place(field),
                message,
            },
            Self::NotFound { entity, field } => Self::NotFound {
                entity,
                field: field.map(place),
            },
            other => other,
        }
    }

    /// The field an error is about, for the client to show it next to the input.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Validation { field, .. }
            | Self::Conflict { field, .. }
            | Self::TooLarge { field, .. } => Some(field),
            Self::NotFound { field, .. } => field.as_deref(),
            _ => None,
        }
    }
}

impl From<DbErr> for ServiceError {
    fn from(err: DbErr) -> Self {
        if let Some(why) = transient(&err) {
            return Self::Contended(why.into());
        }
        if matches!(
            err,
            DbErr::ConnectionAcquire(sea_orm::error::ConnAcquireErr::Timeout)
        ) {
            // A wait for a pooled connection that ran out: the pool is too small for the load.
            metrics::counter!("larder_db_pool_acquire_timeouts_total").increment(1);
            return Self::RateLimited {
                retry_after_seconds: 1,
                message: "the database is busy".into(),
            };
        }
        match err.sql_err() {
            // The database's own words name its tables and values: they go to the log only.
            Some(SqlErr::UniqueConstraintViolation(detail)) => {
                tracing::info!(%detail, "unique constraint refused a write");
                match UNIQUE_GUARDS.iter().find(|g| g.refused(&detail)) {
                    Some(guard) => Self::conflict(guard.field, guard.message),
                    None => Self::conflict("input", "already exists"),
                }
            }
            _ => Self::Database(err),
        }
    }
}

/// A unique constraint of the schema and the input it guards: a write it refuses is a CONFLICT
/// naming that field, in the service's own terms.
struct UniqueGuard {
    table: &'static str,
    columns: &'static [&'static str],
    /// A unique index created by name; else PostgreSQL's `{table}_{columns}_key`.
    index: Option<&'static str>,
    field: &'static str,
    message: &'static str,
}

impl UniqueGuard {
    /// Whether the database's `detail` reports this constraint. SQLite says
    /// `UNIQUE constraint failed: products.vendor_id, products.sku`; PostgreSQL names the
    /// constraint in quotes.
    fn refused(&self, detail: &str) -> bool {
        let columns: Vec<String> = self
            .columns
            .iter()
            .map(|c| format!("{}.{c}", self.table))
            .collect();
        let constraint = self.index.map_or_else(
            || format!("{}_{}_key", self.table, self.columns.join("_")),
            str::to_string,
        );
        detail.ends_with(&format!(": {}", columns.join(", ")))
            || detail.contains(&format!("\"{constraint}\""))
    }
}

const fn guard(
    table: &'static str,
    columns: &'static [&'static str],
    field: &'static str,
    message: &'static str,
) -> UniqueGuard {
    UniqueGuard {
        table,
        columns,
        index: None,
        field,
        message,
    }
}

const NAME_TAKEN: &str = "already exists";

/// Every unique constraint of the migrations (`migration/src`).
const UNIQUE_GUARDS: &[UniqueGuard] = &[
    guard("users", &["email"], "email", "is already registered"),
    guard(
        "memberships",
        &["user_id", "company_id"],
        "email",
        "is already a member",
    ),
    guard("sessions", &["token_hash"], "token", "already exists"),
    guard("api_tokens", &["token_hash"], "token", "already exists"),
    guard("storage_units", &["company_id", "name"], "name", NAME_TAKEN),
    guard("ingredients", &["company_id", "name"], "name", NAME_TAKEN),
    guard(
        "packaging_levels",
        &["ingredient_id", "name"],
        "packagingLevels",
        "two packaging levels have the same name",
    ),
    guard("recipes", &["company_id", "name"], "name", NAME_TAKEN),
    guard("vendors", &["company_id", "name"], "name", NAME_TAKEN),
    guard(
        "products",
        &["vendor_id", "sku"],
        "sku",
        "the vendor already has a product with this SKU",
    ),
    UniqueGuard {
        table: "invoices",
        columns: &["company_id", "seller_key", "number"],
        index: Some("invoices_seller_number"),
        field: "file",
        message: "this seller's invoice of this number was imported already",
    },
    UniqueGuard {
        table: "invoices",
        columns: &["company_id", "sha256"],
        index: Some("invoices_sha256"),
        field: "file",
        message: "this file was imported already",
    },
    UniqueGuard {
        table: "products",
        columns: &["company_id", "gtin_key"],
        index: Some("products_gtin_key"),
        field: "gtin",
        message: "this GTIN was given to another product at the same moment",
    },
    UniqueGuard {
        table: "storage_places",
        columns: &["storage_unit_id", "name"],
        index: Some("storage_places_name"),
        field: "name",
        message: "this storage unit already has a place of this name",
    },
    UniqueGuard {
        table: "ingredient_places",
        columns: &["ingredient_id", "storage_unit_id"],
        index: Some("ingredient_places_pair"),
        field: "ingredientId",
        message: "this ingredient was placed at the same moment",
    },
    UniqueGuard {
        table: "count_entries",
        columns: &["count_id", "client_id"],
        index: Some("count_entries_client"),
        field: "clientId",
        message: "an entry with this client id was saved at the same moment",
    },
    UniqueGuard {
        table: "invoice_line_choices",
        columns: &["company_id", "vendor_id", "line_name"],
        index: Some("invoice_line_choices_name"),
        field: "lineId",
        message: "this line name was matched at the same moment",
    },
    UniqueGuard {
        table: "ledger_entries",
        columns: &["reversal_of"],
        index: Some("ledger_reversed_once"),
        field: "entryId",
        message: "this entry is already reversed",
    },
    UniqueGuard {
        table: "stock_counts",
        columns: &["storage_unit_id"],
        index: Some("stock_counts_one_open"),
        field: "storageUnitId",
        message: "this storage unit already has an open count",
    },
    guard(
        "stock_count_lines",
        &["count_id", "ingredient_id"],
        "ingredientId",
        "this ingredient is counted twice",
    ),
    guard(
        "pos_locations",
        &["integration_id", "external_id"],
        "externalId",
        "the integration already has this location",
    ),
    guard(
        "pos_items",
        &["integration_id", "external_id"],
        "externalId",
        "the integration already has this item",
    ),
    guard(
        "pos_mappings",
        &["integration_id", "external_id"],
        "externalId",
        "this item is already mapped",
    ),
    guard(
        "pos_sale_lines",
        &["location_id", "line_key"],
        "lineKey",
        "this sale line is already stored",
    ),
    UniqueGuard {
        table: "job_runs",
        columns: &["lock_key"],
        index: Some("job_runs_one_at_a_time"),
        field: "locationId",
        message: "a job for this location is already queued or running",
    },
    guard(
        "csv_imports",
        &["integration_id", "content_hash"],
        "file",
        "this file was uploaded already",
    ),
    guard(
        "webhook_events",
        &["integration_id", "event_id"],
        "eventId",
        "this event was received already",
    ),
    guard("pos_oauth_states", &["state"], "state", "already exists"),
];

/// What makes `err` a clash that goes away when the unit of work runs again, by the
/// database's error code (never its message, which follows the server's language).
fn transient(err: &DbErr) -> Option<&'static str> {
    use sea_orm::RuntimeErr;
    let (DbErr::Query(RuntimeErr::SqlxError(e))
    | DbErr::Exec(RuntimeErr::SqlxError(e))
    | DbErr::Conn(RuntimeErr::SqlxError(e))) = err
    else {
        return None;
    };
    let code = e.as_database_error()?.code()?;
    match code.as_ref() {
        "40001" => Some("serialization failure"),
        "40P01" => Some("deadlock"),
        "55P03" => Some("lock not available"),
        // SQLite's extended codes carry the primary one in their low byte: BUSY (5) and its
        // variants (BUSY_SNAPSHOT, BUSY_TIMEOUT, …), LOCKED (6).
        sqlite => match sqlite.parse::<i32>().map(|c| c & 0xff) {
            Ok(5) => Some("database busy"),
            Ok(6) => Some("database table locked"),
            _ => None,
        },
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(detail: &str) -> Option<&'static str> {
        UNIQUE_GUARDS
            .iter()
            .find(|g| g.refused(detail))
            .map(|g| g.field)
    }

    #[test]
    fn a_unique_violation_names_the_field_it_guards_on_both_databases() {
        for (sqlite, postgres, field) in [
            (
                "UNIQUE constraint failed: products.vendor_id, products.sku",
                "duplicate key value violates unique constraint \"products_vendor_id_sku_key\"",
                "sku",
            ),
            (
                "UNIQUE constraint failed: users.email",
                "duplicate key value violates unique constraint \"users_email_key\"",
                "email",
            ),
            (
                "UNIQUE constraint failed: stock_counts.storage_unit_id",
                "duplicate key value violates unique constraint \"stock_counts_one_open\"",
                "storageUnitId",
            ),
            (
                "UNIQUE constraint failed: ingredients.company_id, ingredients.name",
                "duplicate key value violates unique constraint \"ingredients_company_id_name_key\"",
                "name",
            ),
        ] {
            assert_eq!(field_of(sqlite), Some(field), "{sqlite}");
            assert_eq!(field_of(postgres), Some(field), "{postgres}");
        }
    }

    #[test]
    fn a_unique_violation_of_an_unknown_constraint_names_no_wrong_field() {
        assert_eq!(field_of("UNIQUE constraint failed: things.thing"), None);
        assert_eq!(field_of("UNIQUE constraint failed: xusers.email"), None);
    }
}
