//! API tokens for integrators: company-scoped, limited to a role, shown once, stored hashed.

use chrono::{DateTime, Utc};
use entity::api_token;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::access::{Principal, Role};
use crate::error::{ServiceError, ServiceResult};
use crate::{secrets, validate};

/// The highest role a token acts with: managing members and tokens needs a person.
pub const MAX_TOKEN_ROLE: Role = Role::Manager;

pub struct CreatedToken {
    /// The secret, returned once and never stored.
    pub token: String,
    pub record: api_token::Model,
}

pub async fn create<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    name: &str,
    role: Role,
    expires_at: Option<DateTime<Utc>>,
) -> ServiceResult<CreatedToken> {
    principal.require(company_id, Role::Owner, "company")?;
    let user_id = principal.require_user()?;
    let name = validate::name("name", name)?;
    if role > MAX_TOKEN_ROLE {
        return Err(ServiceError::validation(
            "role",
            "an API token can be at most MANAGER: members, tokens and the company stay with people",
        ));
    }
    let now = Utc::now();
    if expires_at.is_some_and(|e| e <= now) {
        return Err(ServiceError::validation(
            "expiresAt",
            "must be in the future",
        ));
    }
    let token = secrets::new_token("ldt_");
    let record = api_token::ActiveModel {
        company_id: Set(company_id),
        name: Set(name),
        role: Set(role),
        token_hash: Set(secrets::token_hash(&token)),
        token_prefix: Set(token[..12].to_string()),
        created_by: Set(user_id),
        created_at: Set(now),
        expires_at: Set(expires_at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(CreatedToken { token, record })
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
) -> ServiceResult<Vec<api_token::Model>> {
    principal.require(company_id, Role::Owner, "company")?;
    Ok(api_token::Entity::find()
        .filter(api_token::Column::CompanyId.eq(company_id))
        .order_by_desc(api_token::Column::Id)
        .all(db)
        .await?)
}

pub async fn revoke<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
) -> ServiceResult<api_token::Model> {
    let found = api_token::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found("API token"))?;
    principal.require(found.company_id, Role::Owner, "API token")?;
    if found.revoked_at.is_some() {
        return Ok(found);
    }
    let mut active: api_token::ActiveModel = found.into();
    active.revoked_at = Set(Some(Utc::now()));
    let revoked = active.update(db).await?;
    crate::principal_cache::auth_changed();
    Ok(revoked)
}

pub(crate) async fn authenticate<C: ConnectionTrait>(
    db: &C,
    hash: &str,
    now: DateTime<Utc>,
) -> ServiceResult<crate::principal_cache::Caller> {
    let found = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(hash))
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::Unauthenticated("the API token is not valid".into()))?;
    if found.revoked_at.is_some() {
        return Err(ServiceError::Unauthenticated(
            "the API token was revoked".into(),
        ));
    }
    if found.expires_at.is_some_and(|e| e <= now) {
        return Err(ServiceError::Unauthenticated(
            "the API token has expired".into(),
        ));
    }
    // A token acts for its creator: it can do no more than they still may in the company, and
    // nothing once they have left it (tokens made before the MANAGER cap are capped too).
    let creator_role = crate::memberships::memberships_of(db, found.created_by)
        .await?
        .get(&found.company_id)
        .copied()
        .ok_or_else(|| {
            ServiceError::Unauthenticated(
                "the API token's creator no longer belongs to the company".into(),
            )
        })?;
    let principal = Principal::ApiToken {
        token_id: found.id,
        company_id: found.company_id,
        role: found.role.min(creator_role).min(MAX_TOKEN_ROLE),
        created_by: found.created_by,
    };
    let expires_at = found.expires_at;
    // Recorded at most once a minute, so a busy integration does not write on every request.
    if found
        .last_used_at
        .is_none_or(|t| now - t > chrono::Duration::minutes(1))
    {
        let mut active: api_token::ActiveModel = found.into();
        active.last_used_at = Set(Some(now));
        active.update(db).await?;
    }
    Ok(crate::principal_cache::Caller {
        principal,
        expires_at,
    })
}
