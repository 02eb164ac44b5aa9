//! Memberships: who belongs to which company with which role — a user's companies, a
//! company's members, adding and removing them (owners only), and the owner a company keeps.

use std::collections::HashMap;

use chrono::Utc;
use entity::{company, membership, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::access::{Principal, Role};
use crate::error::{ServiceError, ServiceResult};
use crate::validate;

pub async fn memberships_of<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
) -> ServiceResult<HashMap<i64, Role>> {
    Ok(membership::Entity::find()
        .filter(membership::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.company_id, m.role))
        .collect())
}

/// The companies a user belongs to, with the role, by company name.
pub async fn user_memberships<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
) -> ServiceResult<Vec<(company::Model, Role)>> {
    let rows = membership::Entity::find()
        .filter(membership::Column::UserId.eq(user_id))
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|m| m.company_id).collect();
    let companies: HashMap<i64, company::Model> = company::Entity::find()
        .filter(company::Column::Id.is_in(ids))
        .filter(company::Column::ArchivedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let mut out = Vec::with_capacity(rows.len());
    for m in rows {
        if let Some(company) = companies.get(&m.company_id) {
            out.push((company.clone(), m.role));
        }
    }
    out.sort_by_key(|(company, _)| company.name.to_lowercase());
    Ok(out)
}

pub(crate) async fn insert_membership<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
    company_id: i64,
    role: Role,
) -> ServiceResult<membership::Model> {
    Ok(membership::ActiveModel {
        user_id: Set(user_id),
        company_id: Set(company_id),
        role: Set(role),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .inspect(|_| crate::principal_cache::auth_changed())?)
}

/// A member as the company's settings page lists them.
pub struct Member {
    pub user: user::Model,
    pub role: Role,
}

pub async fn members<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
) -> ServiceResult<Vec<Member>> {
    principal.require_read(company_id, "company")?;
    let rows = membership::Entity::find()
        .filter(membership::Column::CompanyId.eq(company_id))
        .order_by_asc(membership::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|m| m.user_id).collect();
    let users: HashMap<i64, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    rows.into_iter()
        .filter_map(|m| users.get(&m.user_id).cloned().map(|u| (u, m.role)))
        .map(|(user, role)| Ok(Member { user, role }))
        .collect()
}

/// Adds an existing user (by email) to a company, or changes their role. Owners only.
pub async fn add_member<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    email: &str,
    role: Role,
) -> ServiceResult<Member> {
    principal.require(company_id, Role::Owner, "company")?;
    let email = validate::email("email", email)?;
    let user = user::Entity::find()
        .filter(user::Column::Email.eq(&email))
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found_at("user", "email"))?;
    let existing = membership::Entity::find()
        .filter(membership::Column::CompanyId.eq(company_id))
        .filter(membership::Column::UserId.eq(user.id))
        .one(db)
        .await?;
    match existing {
        Some(m) => {
            if m.role == Role::Owner && role != Role::Owner {
                ensure_another_owner(db, company_id, user.id).await?;
            }
            let mut active: membership::ActiveModel = m.into();
            active.role = Set(role);
            active.update(db).await?;
            crate::principal_cache::auth_changed();
        }
        None => {
            insert_membership(db, user.id, company_id, role).await?;
        }
    }
    Ok(Member { user, role })
}

pub async fn remove_member<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    user_id: i64,
) -> ServiceResult<bool> {
    principal.require(company_id, Role::Owner, "company")?;
    let m = membership::Entity::find()
        .filter(membership::Column::CompanyId.eq(company_id))
        .filter(membership::Column::UserId.eq(user_id))
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found_at("member", "userId"))?;
    if m.role == Role::Owner {
        ensure_another_owner(db, company_id, user_id).await?;
    }
    membership::Entity::delete_by_id(m.id).exec(db).await?;
    crate::principal_cache::auth_changed();
    Ok(true)
}

async fn ensure_another_owner<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
    leaving: i64,
) -> ServiceResult<()> {
    let others = membership::Entity::find()
        .filter(membership::Column::CompanyId.eq(company_id))
        .filter(membership::Column::Role.eq(Role::Owner))
        .filter(membership::Column::UserId.ne(leaving))
        .all(db)
        .await?;
    if others.is_empty() {
        return Err(ServiceError::conflict(
            "role",
            "a company needs at least one owner",
        ));
    }
    Ok(())
}
