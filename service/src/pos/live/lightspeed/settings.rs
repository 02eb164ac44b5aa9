//! Where Lightspeed is and who Larder is to it: endpoints, the OAuth client, and the limits of
//! what it reads.

use crate::error::{ServiceError, ServiceResult};

pub(super) const NAME: &str = "Lightspeed";
/// What Larder asks for: financial data, items, and a long-lived refresh token.
pub const SCOPES: [&str; 3] = ["financial-api", "items", "offline_access"];
/// An access token this close to its expiry is refreshed before use.
pub(super) const REFRESH_MARGIN_SECONDS: i64 = 60;
/// How long a started authorization may take.
pub(super) const STATE_TTL_MINUTES: i64 = 15;
pub(super) const ITEMS_PAGE: usize = 1000;
/// No restaurant has this many items: past it the API is taken to ignore `offset`.
pub(super) const MAX_ITEMS: usize = 100_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OAuthVersion {
    /// Keycloak realm (`auth.lsk-prod.app`), PKCE, `offline_access`: clients created since 2025.
    V2,
    /// The API host's own `/oauth/authorize` and `/oauth/token`: older `devp-` clients.
    V1,
}

#[derive(Clone)]
pub struct LightspeedSettings {
    pub client_id: String,
    pub client_secret: String,
    pub auth_url: String,
    pub token_url: String,
    pub api_url: String,
    pub version: OAuthVersion,
}

impl std::fmt::Debug for LightspeedSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LightspeedSettings")
            .field("client_id", &self.client_id)
            .field("auth_url", &self.auth_url)
            .field("token_url", &self.token_url)
            .field("api_url", &self.api_url)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

impl LightspeedSettings {
    /// Production endpoints for a client of `version`; any of them may be overridden.
    pub fn production(version: OAuthVersion) -> Self {
        let api = "https://api.lsk.lightspeed.app";
        let (auth_url, token_url) = match version {
            OAuthVersion::V2 => (
                "https://auth.lsk-prod.app/realms/k-series/protocol/openid-connect/auth".into(),
                "https://auth.lsk-prod.app/realms/k-series/protocol/openid-connect/token".into(),
            ),
            OAuthVersion::V1 => (
                format!("{api}/oauth/authorize"),
                format!("{api}/oauth/token"),
            ),
        };
        Self {
            client_id: String::new(),
            client_secret: String::new(),
            auth_url,
            token_url,
            api_url: api.into(),
            version,
        }
    }

    pub(super) fn configured(&self) -> ServiceResult<()> {
        if self.client_id.is_empty() || self.client_secret.is_empty() {
            return Err(ServiceError::validation(
                "integrationId",
                "Lightspeed is not configured on this server: set LARDER_LIGHTSPEED_CLIENT_ID and LARDER_LIGHTSPEED_CLIENT_SECRET",
            ));
        }
        Ok(())
    }
}
