//! Users, sign-up, login with lockout and sessions (memberships: `memberships`).

use crate::db::Writer;
use std::collections::HashMap;

use chrono::{Duration, Utc};
use entity::{session, user};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Set,
    Statement,
};

use crate::access::{Principal, Role};
use crate::companies::{self, CompanyInput};
use crate::error::{ServiceError, ServiceResult};
use crate::principal_cache::{Caller, PrincipalCache};
use crate::secrets;
use crate::validate;

/// Failed logins in a row before an account is locked for a while.
pub const MAX_FAILED_LOGINS: i32 = 5;
const MAX_LOCK_SECONDS: i64 = 15 * 60;

pub struct SignUp {
    pub email: String,
    pub password: String,
    pub name: String,
    pub company_name: String,
    pub timezone: Option<String>,
    pub currency: Option<String>,
}

pub struct Session {
    pub token: String,
    pub user: user::Model,
}

/// Creates a user, a new company and the user's OWNER membership, then signs them in.
pub async fn sign_up<C: Writer>(
    db: &C,
    input: SignUp,
    session_ttl: Duration,
) -> ServiceResult<Session> {
    let email = validate::email("email", &input.email)?;
    validate::password("password", &input.password)?;
    let name = validate::name("name", &input.name)?;
    let company_input = CompanyInput {
        name: input.company_name,
        currency: input.currency.unwrap_or_else(|| "EUR".into()),
        timezone: input.timezone.unwrap_or_else(|| "UTC".into()),
        business_day_start_hour: 5,
    };
    let company_input = companies::validated(company_input, "companyName")?;
    let hash = secrets::hash_password(input.password).await?;

    let txn = crate::db::begin_write(db).await?;
    if user::Entity::find()
        .filter(user::Column::Email.eq(&email))
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(ServiceError::conflict(
            "email",
            "an account with this email already exists",
        ));
    }
    let user = user::ActiveModel {
        email: Set(email),
        name: Set(name),
        password_hash: Set(hash),
        failed_login_count: Set(0),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let company = companies::insert(&txn, company_input).await?;
    crate::memberships::insert_membership(&txn, user.id, company.id, Role::Owner).await?;
    let token = start_session(&txn, user.id, session_ttl).await?;
    txn.commit().await?;
    Ok(Session { token, user })
}

pub async fn login<C: ConnectionTrait>(
    db: &C,
    email: &str,
    password: &str,
    session_ttl: Duration,
) -> ServiceResult<Session> {
    let wrong = || ServiceError::Unauthenticated("wrong email or password".into());
    let email = email.trim().to_lowercase();
    let Some(found) = user::Entity::find()
        .filter(user::Column::Email.eq(&email))
        .one(db)
        .await?
    else {
        // Spend the same time as a real check so the answer does not tell which emails exist.
        let _ = secrets::verify_password(password.to_string(), dummy_hash().to_string()).await;
        return Err(wrong());
    };
    let now = Utc::now();
    let locked = |until: chrono::DateTime<Utc>| ServiceError::LockedOut {
        retry_after_seconds: (until - now).num_seconds().max(1),
    };
    if let Some(until) = found.locked_until.filter(|until| *until > now) {
        return Err(locked(until));
    }
    // The attempt is counted as a failure before the password is checked, in one atomic
    // update: concurrent wrong guesses each get their own number, and those past the limit are
    // refused without a hash. A right password clears the count afterwards.
    let attempt = user::Entity::update_many()
        .col_expr(
            user::Column::FailedLoginCount,
            sea_orm::sea_query::ExprTrait::add(Expr::col(user::Column::FailedLoginCount), 1),
        )
        .filter(user::Column::Id.eq(found.id))
        .exec_with_returning(db)
        .await?
        .into_iter()
        .next()
        .map_or(found.failed_login_count + 1, |u| u.failed_login_count);
    // Past the limit with no lock yet written: a guess racing the one that reached the limit,
    // refused without a hash. Once a lock has passed, the next attempt is checked again (a
    // right password unlocks; a wrong one locks for twice as long).
    if attempt > MAX_FAILED_LOGINS && found.locked_until.is_none() {
        let until = lock_until(attempt - 1, now);
        return Err(locked(until));
    }
    if !secrets::verify_password(password.to_string(), found.password_hash.clone()).await? {
        if attempt >= MAX_FAILED_LOGINS {
            user::Entity::update_many()
                .col_expr(
                    user::Column::LockedUntil,
                    Expr::value(lock_until(attempt, now)),
                )
                .filter(user::Column::Id.eq(found.id))
                .exec(db)
                .await?;
        }
        return Err(wrong());
    }
    let mut active: user::ActiveModel = found.into();
    active.failed_login_count = Set(0);
    active.locked_until = Set(None);
    let user = active.update(db).await?;
    let token = start_session(db, user.id, session_ttl).await?;
    Ok(Session { token, user })
}

/// When an account with `failures` failed logins in a row unlocks: a minute at the limit,
/// doubling with each failure after it, at most a quarter of an hour.
fn lock_until(failures: i32, now: chrono::DateTime<Utc>) -> chrono::DateTime<Utc> {
    let doublings = (failures - MAX_FAILED_LOGINS).clamp(0, 10) as u32;
    now + Duration::seconds((60_i64 << doublings).min(MAX_LOCK_SECONDS))
}

fn dummy_hash() -> &'static str {
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0qd1dQ5FP2cqHbq6Bq6KOEE9DWkk6qPBwYDq9Us+aVc"
}

async fn start_session<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
    ttl: Duration,
) -> ServiceResult<String> {
    let token = secrets::new_token("lds_");
    let now = Utc::now();
    session::ActiveModel {
        user_id: Set(user_id),
        token_hash: Set(secrets::token_hash(&token)),
        expires_at: Set(now + ttl),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// Ends the session the token belongs to. API tokens are revoked, not logged out.
pub async fn logout<C: ConnectionTrait>(db: &C, token: &str) -> ServiceResult<bool> {
    let result = session::Entity::delete_many()
        .filter(session::Column::TokenHash.eq(secrets::token_hash(token)))
        .exec(db)
        .await?;
    crate::principal_cache::auth_changed();
    Ok(result.rows_affected > 0)
}

/// Turns a bearer token (session or API token) into the caller, or says why it cannot.
pub async fn authenticate<C: ConnectionTrait>(db: &C, token: &str) -> ServiceResult<Principal> {
    let hash = secrets::token_hash(token);
    Ok(read_caller(db, token, &hash, Utc::now()).await?.principal)
}

/// [`authenticate`] through `cache` (`principal_cache`): a caller remembered is not read again.
pub async fn authenticate_cached(
    db: &sea_orm::DatabaseConnection,
    cache: &PrincipalCache,
    token: &str,
) -> ServiceResult<Principal> {
    let hash = secrets::token_hash(token);
    let now = Utc::now();
    if let Some(principal) = cache.get(&hash, now) {
        return Ok(principal);
    }
    let reading = cache.reading();
    let caller = read_caller(db, token, &hash, now).await?;
    cache.keep(reading, hash, caller.principal.clone(), caller.expires_at);
    Ok(caller.principal)
}

async fn read_caller<C: ConnectionTrait>(
    db: &C,
    token: &str,
    hash: &str,
    now: chrono::DateTime<Utc>,
) -> ServiceResult<Caller> {
    if token.starts_with("ldt_") {
        return crate::api_tokens::authenticate(db, hash, now).await;
    }
    // The session and its user's memberships in one round trip: this runs before every request.
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            match db.get_database_backend() {
                DbBackend::Postgres => SESSION_WITH_MEMBERSHIPS.replace('?', "$1"),
                _ => SESSION_WITH_MEMBERSHIPS.to_string(),
            },
            [hash.into()],
        ))
        .await?;
    let Some(first) = rows.first() else {
        return Err(ServiceError::Unauthenticated(
            "the session token is not valid; sign in again".into(),
        ));
    };
    let session_id: i64 = first.try_get("", "session_id")?;
    let user_id: i64 = first.try_get("", "user_id")?;
    let expires_at: chrono::DateTime<Utc> = first.try_get("", "expires_at")?;
    if expires_at <= now {
        session::Entity::delete_by_id(session_id).exec(db).await?;
        return Err(ServiceError::Unauthenticated(
            "the session has expired; sign in again".into(),
        ));
    }
    let mut memberships = HashMap::new();
    for row in &rows {
        let company: Option<i64> = row.try_get("", "company_id")?;
        let role: Option<Role> = row.try_get("", "role")?;
        if let (Some(company), Some(role)) = (company, role) {
            memberships.insert(company, role);
        }
    }
    Ok(Caller {
        principal: Principal::User {
            user_id,
            memberships,
        },
        expires_at: Some(expires_at),
    })
}

const SESSION_WITH_MEMBERSHIPS: &str = "SELECT s.id AS session_id, s.user_id, s.expires_at, m.company_id, m.role \
     FROM sessions s LEFT JOIN memberships m ON m.user_id = s.user_id WHERE s.token_hash = ?";

pub use entity::user::Locale;

/// What a user changes about themself: each field given is set; `locale: Some(None)` goes back
/// to the browser's language.
#[derive(Debug, Clone, Default)]
pub struct ProfilePatch {
    pub name: Option<String>,
    pub locale: Option<Option<Locale>>,
}

/// Changes the signed-in user's own name or language. An API token speaks for a company, not
/// for a person: it changes no one's profile.
pub async fn update_me<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    patch: ProfilePatch,
) -> ServiceResult<user::Model> {
    let Principal::User { user_id, .. } = principal else {
        return Err(ServiceError::Forbidden(
            "an API token cannot change a user's profile; sign in as the user".into(),
        ));
    };
    let mut user: user::ActiveModel = find_user(db, *user_id).await?.into();
    if let Some(name) = patch.name {
        user.name = Set(validate::name("name", &name)?);
    }
    if let Some(locale) = patch.locale {
        user.locale = Set(locale);
    }
    Ok(user.update(db).await?)
}

pub async fn find_user<C: ConnectionTrait>(db: &C, user_id: i64) -> ServiceResult<user::Model> {
    user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found("user"))
}
