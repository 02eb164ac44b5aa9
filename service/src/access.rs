//! Who is calling and what they may do: roles, memberships and the company check every service
//! call starts with. A company the caller has no membership in reads as "not found".

use std::collections::HashMap;

use sea_orm::ActiveEnum;

use crate::error::{ServiceError, ServiceResult};

pub use entity::membership::Role;

/// The authenticated caller: a signed-in user with their memberships, or a company-scoped API
/// token limited to its role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    User {
        user_id: i64,
        memberships: HashMap<i64, Role>,
    },
    ApiToken {
        token_id: i64,
        company_id: i64,
        role: Role,
        created_by: i64,
    },
}

impl Principal {
    pub fn role_in(&self, company_id: i64) -> Option<Role> {
        match self {
            Principal::User { memberships, .. } => memberships.get(&company_id).copied(),
            Principal::ApiToken {
                company_id: c,
                role,
                ..
            } => (*c == company_id).then_some(*role),
        }
    }

    /// The user behind the call; for an API token, the user who created it.
    pub fn acting_user_id(&self) -> i64 {
        match self {
            Principal::User { user_id, .. } => *user_id,
            Principal::ApiToken { created_by, .. } => *created_by,
        }
    }

    pub fn company_ids(&self) -> Vec<i64> {
        match self {
            Principal::User { memberships, .. } => memberships.keys().copied().collect(),
            Principal::ApiToken { company_id, .. } => vec![*company_id],
        }
    }

    /// Checks the caller may act in `company_id` with at least `min`. Not a member: the company
    /// (or the row that led here) does not exist for them; a member without the role: forbidden.
    pub fn require(&self, company_id: i64, min: Role, entity: &'static str) -> ServiceResult<Role> {
        match self.role_in(company_id) {
            None => Err(ServiceError::not_found(entity)),
            Some(role) if role < min => Err(ServiceError::Forbidden(format!(
                "this needs the {} role or higher; you are {}",
                min.to_value(),
                role.to_value()
            ))),
            Some(role) => Ok(role),
        }
    }

    /// Reading needs any membership.
    pub fn require_read(&self, company_id: i64, entity: &'static str) -> ServiceResult<Role> {
        self.require(company_id, Role::Viewer, entity)
    }

    pub fn require_user(&self) -> ServiceResult<i64> {
        match self {
            Principal::User { user_id, .. } => Ok(*user_id),
            Principal::ApiToken { .. } => Err(ServiceError::Forbidden(
                "this needs a signed-in user, not an API token".into(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn foreign_company_is_not_found_and_low_role_is_forbidden() {
        let p = Principal::User {
            user_id: 1,
            memberships: HashMap::from([(7, Role::Staff)]),
        };
        assert!(matches!(
            p.require(8, Role::Viewer, "company"),
            Err(ServiceError::NotFound { .. })
        ));
        assert!(matches!(
            p.require(7, Role::Manager, "company"),
            Err(ServiceError::Forbidden(_))
        ));
        assert_eq!(p.require(7, Role::Staff, "company").unwrap(), Role::Staff);
    }
}
