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
    /// A POS answered with an error, garbage, or not at all (after its retries).
    #[error("{provider} {message}")]
    Provider { provider: String, message: String },
    /// A clash with another writer that running the unit of work again resolves: a lock
    /// taken out of order and refused, a deadlock, a serialization failure, SQLite busy.
    /// [`crate::db::retrying`] re-runs the unit; one that escapes is shown as RATE_LIMITED.
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

    /// The field an error is about, for the client to show it next to the input.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Validation { field, .. } | Self::Conflict { field, .. } => Some(field),
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
            return Self::RateLimited {
                retry_after_seconds: 1,
                message: "the database is busy".into(),
            };
        }
        match err.sql_err() {
            // The database's own words name its tables and values: they go to the log only.
            Some(SqlErr::UniqueConstraintViolation(detail)) => {
                tracing::info!(%detail, "unique constraint refused a write");
                Self::conflict("name", "already exists")
            }
            _ => Self::Database(err),
        }
    }
}

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
