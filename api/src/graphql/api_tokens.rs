//! Sign-in answers and API tokens over GraphQL: a token's secret is shown once, then only its
//! prefix.

use async_graphql::{ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use service::records;

use super::context::id;
use super::scalars::Role;
use super::types::User;

pub struct ApiToken(pub records::ApiToken);

#[Object]
impl ApiToken {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn role(&self) -> Role {
        self.0.role.into()
    }
    /// The first characters of the token, to recognise it; the rest is never stored.
    async fn prefix(&self) -> &str {
        &self.0.token_prefix
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.0.expires_at
    }
    async fn last_used_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_used_at
    }
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }
}

/// A new API token: `token` is shown this once.
#[derive(SimpleObject)]
pub struct CreatedApiToken {
    pub token: String,
    pub api_token: ApiToken,
}

#[derive(SimpleObject)]
pub struct AuthPayload {
    pub token: String,
    pub user: User,
}
