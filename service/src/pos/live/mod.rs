//! Live POS connections: the provider interface ([`PosSource`]) the pipeline fetches through,
//! its two implementations (Lightspeed K-Series, Sides POS), the settings that say where each
//! POS is (so a simulator or a customer's sandbox can stand in), and the work every provider
//! shares: connecting, testing, syncing locations and items.

pub mod http;
pub mod lightspeed;
pub mod sides;
pub mod sync;

use crate::db::Writer;
use chrono::NaiveDate;
use entity::pos_integration;
use sea_orm::ConnectionTrait;

use super::sale_lines::NewSaleLine;
use super::{ConnectionState, Provider};
use crate::crypto::Cipher;
use crate::error::{ServiceError, ServiceResult};
pub use http::HttpPolicy;
pub use lightspeed::LightspeedSettings;
pub use sides::SidesSettings;

/// Where the live POSes are and how they are called. One per process, shared by the API (connect,
/// test) and the workers (sync, fetch).
#[derive(Debug, Clone)]
pub struct LiveSettings {
    pub cipher: Cipher,
    pub lightspeed: LightspeedSettings,
    pub sides: SidesSettings,
    /// Larder's own address as the browser sees it: the OAuth redirect URI is made from it.
    pub public_url: String,
    pub http: HttpPolicy,
    /// Days a transfer job fetches ahead of the day it posts.
    pub prefetch_days: usize,
    client: reqwest::Client,
}

impl LiveSettings {
    pub fn new(
        cipher: Cipher,
        lightspeed: LightspeedSettings,
        sides: SidesSettings,
        public_url: &str,
        http: HttpPolicy,
    ) -> Self {
        let client = reqwest::Client::builder()
            // The OAuth token endpoint must not be followed through redirects (oauth2 crate docs).
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(http.timeout.min(std::time::Duration::from_secs(10)))
            .user_agent(concat!("Larder/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("a TLS backend is compiled in");
        Self {
            cipher,
            lightspeed,
            sides,
            public_url: public_url.trim_end_matches('/').to_string(),
            http,
            prefetch_days: 4,
            client,
        }
    }

    /// Settings for tests and embedded use: the given endpoints, quick retries.
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }
}

/// A location (Lightspeed business location, Sides store) as the POS lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteLocation {
    pub external_id: String,
    pub name: String,
    pub timezone: Option<String>,
}

/// A sellable item (Lightspeed item, Sides product) as the POS lists it; `external_id` is the
/// key sale lines carry, so mappings made on items apply to sales.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteItem {
    pub external_id: String,
    pub name: String,
    pub category: Option<String>,
}

/// One business day of one location: its sale lines, and whether the POS says it is complete
/// (a day that is not is never posted).
#[derive(Debug, Clone)]
pub struct RemoteDay {
    pub lines: Vec<NewSaleLine>,
    pub complete: bool,
}

/// What the pipeline needs of a live POS. Each provider keeps its wire format in its own module.
pub trait PosSource {
    /// Checks that the POS is reachable and accepts the stored credentials.
    fn check(&self) -> impl Future<Output = ServiceResult<()>> + Send;
    fn locations(&self) -> impl Future<Output = ServiceResult<Vec<RemoteLocation>>> + Send;
    fn items(&self, location: &str) -> impl Future<Output = ServiceResult<Vec<RemoteItem>>> + Send;
    fn day(
        &self,
        location: &str,
        date: NaiveDate,
    ) -> impl Future<Output = ServiceResult<RemoteDay>> + Send;
}

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

/// Marks a live integration NEEDS_RECONNECT with the reason: its stored access stopped working
/// (a refused token refresh, a Sides login that no longer works). Transfers and syncs stop with
/// that message until it is connected again; its setup stays.
pub async fn mark_needs_reconnect<C: ConnectionTrait>(
    db: &C,
    integration: pos_integration::Model,
    message: &str,
) -> ServiceResult<()> {
    use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
    let mut model = integration.into_active_model();
    model.connection_state = Set(ConnectionState::NeedsReconnect);
    model.connection_error = Set(Some(message.to_string()));
    model.update(db).await?;
    Ok(())
}

/// The provider's name as people know it, for messages.
pub fn provider_name(provider: Provider) -> &'static str {
    match provider {
        Provider::LightspeedK => "Lightspeed",
        Provider::Sides => "Sides",
        Provider::Csv => "CSV",
    }
}

/// Parses a POS decimal string ("1.000", "-2.5") into millionths, never through a float.
pub(crate) fn decimal_micro(provider: &str, what: &str, value: &str) -> ServiceResult<i64> {
    let parsed: rust_decimal::Decimal = value.trim().parse().map_err(|_| {
        ServiceError::provider(
            provider,
            format!("answered with data Larder cannot read ({what} {value:?} is not a number)"),
        )
    })?;
    // The input bound (a billion) holds for a POS as for a person.
    crate::quantity::to_micro(parsed, what).map_err(|_| {
        ServiceError::provider(
            provider,
            format!("answered with data Larder cannot read ({what} {value:?} is out of range)"),
        )
    })
}

/// An RFC 3339 time as microseconds since the epoch.
pub(crate) fn time_micros(provider: &str, what: &str, value: &str) -> ServiceResult<i64> {
    chrono::DateTime::parse_from_rfc3339(value.trim())
        .map(|t| t.timestamp_micros())
        .map_err(|_| {
            ServiceError::provider(
                provider,
                format!("answered with data Larder cannot read ({what} {value:?} is not a time)"),
            )
        })
}

/// Wire types every provider reads the same way: as documented, no stricter.
pub(crate) mod wire {
    use serde::{Deserialize, Deserializer};

    /// A decimal a contract documents as "decimal": a JSON number or a string.
    #[derive(Debug, Deserialize)]
    #[serde(untagged)]
    pub enum Amount {
        Number(serde_json::Number),
        Text(String),
    }

    impl Amount {
        pub fn text(&self) -> String {
            match self {
                Amount::Number(n) => n.to_string(),
                Amount::Text(s) => s.clone(),
            }
        }
    }

    /// Ids may come as numbers or strings.
    #[derive(Debug, Deserialize)]
    #[serde(untagged)]
    pub enum Id {
        Number(i64),
        Text(String),
    }

    impl std::fmt::Display for Id {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            match self {
                Id::Number(n) => write!(f, "{n}"),
                Id::Text(s) => f.write_str(s),
            }
        }
    }

    /// A list or flag that may be missing or `null`: both read as its default.
    pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: Default + Deserialize<'de>,
    {
        Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
    }
}
