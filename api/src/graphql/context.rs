//! What a resolver gets from the request: the database, the caller, settings.

use async_graphql::{Context, ID};
use sea_orm::DatabaseConnection;
use service::ServiceError;
use service::access::Principal;

use super::errors::{to_graphql, unauthenticated};

#[derive(Debug, Clone)]
pub struct AppSettings {
    pub session_ttl: chrono::Duration,
    pub cipher: service::crypto::Cipher,
    pub csv_max_bytes: u64,
    /// Largest GraphQL JSON body.
    pub graphql_max_body_bytes: u64,
    /// Longest one GraphQL request may run.
    pub request_timeout: std::time::Duration,
    /// Longest a request body may pause between chunks.
    pub body_idle: std::time::Duration,
    pub live: std::sync::Arc<service::pos::live::LiveSettings>,
    /// How often an open socket's caller is authenticated again while operations run.
    pub socket_recheck: std::time::Duration,
    pub login_limits: std::sync::Arc<crate::rate_limit::LoginLimits>,
    /// Requests running at once per client address, per door.
    pub in_flight: crate::rate_limit::InFlightLimits,
    /// The callers this process authenticated lately (`service::principal_cache`).
    pub callers: std::sync::Arc<service::principal_cache::PrincipalCache>,
}

/// Per-request data: who called (or why their token was refused) and the raw token.
#[derive(Debug, Clone, Default)]
pub struct RequestContext {
    pub token: Option<String>,
    pub principal: Option<Result<Principal, String>>,
    /// The peer's address (the rate limits' key); none over a socket that has no peer.
    pub client: Option<std::net::IpAddr>,
}

pub trait ContextExt {
    fn db(&self) -> &DatabaseConnection;
    fn settings(&self) -> &AppSettings;
    fn cipher(&self) -> &service::crypto::Cipher;
    fn live(&self) -> &service::pos::live::LiveSettings;
    /// The authenticated caller, or UNAUTHENTICATED.
    fn principal(&self) -> async_graphql::Result<&Principal>;
    fn request(&self) -> Option<&RequestContext>;
}

impl ContextExt for Context<'_> {
    fn db(&self) -> &DatabaseConnection {
        self.data_unchecked::<DatabaseConnection>()
    }

    fn settings(&self) -> &AppSettings {
        self.data_unchecked::<AppSettings>()
    }

    fn cipher(&self) -> &service::crypto::Cipher {
        &self.settings().cipher
    }

    fn live(&self) -> &service::pos::live::LiveSettings {
        &self.settings().live
    }

    fn principal(&self) -> async_graphql::Result<&Principal> {
        match self.request().and_then(|r| r.principal.as_ref()) {
            Some(Ok(p)) => Ok(p),
            Some(Err(why)) => Err(to_graphql(ServiceError::Unauthenticated(why.clone()))),
            None => Err(unauthenticated()),
        }
    }

    fn request(&self) -> Option<&RequestContext> {
        self.data_opt::<RequestContext>()
    }
}

/// GraphQL ids are the decimal row ids; anything else names no row.
pub fn parse_id(
    id: &async_graphql::ID,
    entity: &'static str,
    field: &str,
) -> async_graphql::Result<i64> {
    id.parse::<i64>()
        .map_err(|_| to_graphql(ServiceError::not_found_at(entity, field)))
}

pub fn parse_opt_id(
    id: &Option<async_graphql::ID>,
    entity: &'static str,
    field: &str,
) -> async_graphql::Result<Option<i64>> {
    id.as_ref()
        .map(|id| parse_id(id, entity, field))
        .transpose()
}

/// A row id as GraphQL shows it.
pub fn id(n: i64) -> ID {
    ID(n.to_string())
}
