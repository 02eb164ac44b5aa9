//! Where the live POSes are and how they are called: one per process, shared by the API
//! (connect, test) and the workers (sync, fetch).

use super::http::HttpPolicy;
use super::lightspeed::settings::LightspeedSettings;
use crate::crypto::Cipher;

/// Where Sides is.
#[derive(Debug, Clone)]
pub struct SidesSettings {
    pub api_url: String,
}

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
