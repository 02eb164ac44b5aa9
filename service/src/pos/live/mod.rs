//! Live POS connections: the provider interface ([`PosSource`]) the pipeline fetches through,
//! its two implementations (Lightspeed K-Series, Sides POS), the settings that say where each
//! POS is (so a simulator or a customer's sandbox can stand in), and the work every provider
//! shares: connecting, testing, syncing locations and items.

pub mod http;
pub mod lightspeed;
mod settings;
pub mod sides;
mod source;
pub mod sync;

use crate::db::Writer;
use chrono::NaiveDate;
use entity::pos_integration;

use super::{ConnectionState, Provider};
use crate::error::{ServiceError, ServiceResult};
pub use http::HttpPolicy;
pub use lightspeed::LightspeedSettings;
pub use settings::{LiveSettings, SidesSettings};
pub use source::{PosSource, RemoteDay, RemoteItem, RemoteLocation, provider_name};

/// The live POS of one integration.
pub enum Connector<'a, C> {
    Lightspeed(lightspeed::LightspeedClient<'a, C>),
    Sides(sides::SidesClient<'a>),
}

impl<'a, C: Writer + Clone + Send + Sync + 'static> Connector<'a, C> {
    /// The connector for `integration`, with its credentials decrypted. A CSV integration, or a
    /// live one never connected, has none.
    pub fn open(
        db: &'a C,
        live: &'a LiveSettings,
        integration: &pos_integration::Model,
    ) -> ServiceResult<Self> {
        let provider = integration.provider;
        if provider == Provider::Csv {
            return Err(ServiceError::validation(
                "integrationId",
                "a CSV integration has no live POS connection; upload files instead",
            ));
        }
        if integration.connection_state == ConnectionState::NeedsReconnect {
            return Err(ServiceError::provider(
                provider_name(provider),
                format!(
                    "needs to be reconnected: {}",
                    integration
                        .connection_error
                        .as_deref()
                        .unwrap_or("the stored access no longer works")
                ),
            ));
        }
        let sealed = integration.credentials_enc.as_deref().ok_or_else(|| {
            ServiceError::validation(
                "integrationId",
                format!("connect {} first", provider_name(provider)),
            )
        })?;
        let plain = live.cipher.decrypt(sealed)?;
        Ok(match provider {
            Provider::LightspeedK => Connector::Lightspeed(lightspeed::LightspeedClient::new(
                db,
                live,
                integration.id,
                serde_json::from_str(&plain)
                    .map_err(|_| ServiceError::Internal("unreadable Lightspeed tokens".into()))?,
            )),
            Provider::Sides => Connector::Sides(sides::SidesClient::new(
                live,
                serde_json::from_str(&plain)
                    .map_err(|_| ServiceError::Internal("unreadable Sides credentials".into()))?,
            )),
            Provider::Csv => unreachable!("refused above"),
        })
    }
}

impl<C: Writer + Clone + Send + Sync + 'static> PosSource for Connector<'_, C> {
    async fn check(&self) -> ServiceResult<()> {
        match self {
            Connector::Lightspeed(c) => c.check().await,
            Connector::Sides(c) => c.check().await,
        }
    }

    async fn locations(&self) -> ServiceResult<Vec<RemoteLocation>> {
        match self {
            Connector::Lightspeed(c) => c.locations().await,
            Connector::Sides(c) => c.locations().await,
        }
    }

    async fn items(&self, location: &str) -> ServiceResult<Vec<RemoteItem>> {
        match self {
            Connector::Lightspeed(c) => c.items(location).await,
            Connector::Sides(c) => c.items(location).await,
        }
    }

    async fn day(&self, location: &str, date: NaiveDate) -> ServiceResult<RemoteDay> {
        match self {
            Connector::Lightspeed(c) => c.day(location, date).await,
            Connector::Sides(c) => c.day(location, date).await,
        }
    }
}

/// Creates an integration. A Sides login given here is checked with Sides first, and the
/// integration is created only if Sides accepts it; no other provider takes one.
pub async fn create_integration<C: Writer>(
    db: &C,
    live: &LiveSettings,
    principal: &crate::access::Principal,
    company_id: i64,
    provider: Provider,
    name: &str,
    sides_login: Option<sides::Login>,
) -> ServiceResult<pos_integration::Model> {
    match (provider, sides_login) {
        (Provider::Sides, Some(login)) => {
            sides::create(db, live, principal, company_id, name, login).await
        }
        (_, Some(_)) => Err(ServiceError::validation(
            "sidesLogin",
            "only a Sides integration takes a Sides login",
        )),
        (_, None) => {
            super::integrations::create(db, &live.cipher, principal, company_id, provider, name)
                .await
        }
    }
}
