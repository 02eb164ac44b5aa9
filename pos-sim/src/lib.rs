//! A local simulator of the two live POS APIs Larder connects to — Lightspeed K-Series (OAuth2
//! and its financial and items APIs) and Sides POS (Larder's documented contract) — with
//! deterministic sales from a seed and switches that inject faults. Tests start it in-process on
//! a random port; `larder-pos-sim` serves it for the demo and for manual use. A crate of its own,
//! so the demo builds it without the test suite's dependencies.
//!
//! Its data: one Lightspeed business with three locations and three Sides stores, a menu of 80
//! items (64 dishes and drinks, 16 modifiers), and for every business day receipts during opening
//! hours (11:00–23:30 local, busier at lunch and dinner), some closing after midnight, with
//! refunds, voids and cancelled accounts. A day is complete once it is over in the location's
//! timezone (or never, while an "incomplete" switch names it).

pub mod data;
mod lightspeed;
mod sides;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use actix_web::dev::ServerHandle;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use chrono::NaiveDate;
use serde::Deserialize;

pub use data::{GenKind, GenLine, GenReceipt, MENU_SIZE, Menu};

#[derive(Debug, Clone)]
pub struct SimConfig {
    pub seed: u64,
    /// Sale lines per location and business day (approximately, modifiers included).
    pub lines_per_day: usize,
    pub client_id: String,
    pub client_secret: String,
    /// Life of an access token, in seconds.
    pub access_token_seconds: i64,
    pub sides_username: String,
    pub sides_password: String,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            seed: 42,
            lines_per_day: 120,
            client_id: "devp-v2-larder-sim".into(),
            client_secret: "sim-secret".into(),
            access_token_seconds: 3600,
            sides_username: "demo".into(),
            sides_password: "sides-demo".into(),
        }
    }
}

/// A fault to inject into the next `count` matching requests.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "fault", rename_all = "snake_case")]
pub enum Fault {
    /// 500 with Lightspeed's documented error body.
    ServerError,
    /// 429 with `Retry-After`.
    TooManyRequests { retry_after: u64 },
    /// Answers after this long (past the client's timeout).
    Slow { millis: u64 },
    /// 200 with a body that is not the JSON promised.
    Malformed,
}

#[derive(Debug, Clone)]
struct FaultRule {
    fault: Fault,
    path_contains: String,
    /// Matching requests let through before the fault starts.
    skip: u32,
    remaining: u32,
}

#[derive(Debug)]
pub(crate) struct PendingCode {
    pub client_id: String,
    pub redirect_uri: String,
    pub scope: String,
    pub challenge: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct AccessToken {
    pub scope: String,
    pub expires_at: i64,
}

/// Everything the simulator remembers; tests reach it through [`Simulator::state`].
pub struct SimState {
    pub config: SimConfig,
    pub menu: Menu,
    faults: Mutex<Vec<FaultRule>>,
    incomplete: Mutex<HashSet<(String, NaiveDate)>>,
    /// Locations (stores) the POS no longer lists: closed, or taken off the account.
    delisted: Mutex<HashSet<String>>,
    late: Mutex<HashMap<(String, NaiveDate), u32>>,
    pub(crate) codes: Mutex<HashMap<String, PendingCode>>,
    pub(crate) access_tokens: Mutex<HashMap<String, AccessToken>>,
    /// Refresh token → scope; a used one is removed (single use).
    pub(crate) refresh_tokens: Mutex<HashMap<String, String>>,
    pub(crate) sides_sessions: Mutex<BTreeSet<String>>,
    pub(crate) sides_password: Mutex<String>,
    refreshes: AtomicU64,
    /// Most items one `/items/v1/items` page holds, whatever `amount` asks (documented: 1000).
    items_page_max: AtomicUsize,
    /// Life of the access tokens issued from now on, in seconds (starts as the config's).
    access_token_seconds: AtomicI64,
    requests: Mutex<Vec<String>>,
    counter: AtomicU64,
}

impl SimState {
    fn new(config: SimConfig) -> Self {
        Self {
            menu: Menu::new(),
            faults: Mutex::new(Vec::new()),
            incomplete: Mutex::new(HashSet::new()),
            delisted: Mutex::new(HashSet::new()),
            late: Mutex::new(HashMap::new()),
            codes: Mutex::new(HashMap::new()),
            access_tokens: Mutex::new(HashMap::new()),
            refresh_tokens: Mutex::new(HashMap::new()),
            sides_sessions: Mutex::new(BTreeSet::new()),
            sides_password: Mutex::new(config.sides_password.clone()),
            refreshes: AtomicU64::new(0),
            items_page_max: AtomicUsize::new(1000),
            access_token_seconds: AtomicI64::new(config.access_token_seconds),
            requests: Mutex::new(Vec::new()),
            counter: AtomicU64::new(1),
            config,
        }
    }

    /// The Sides account's password changes (sessions already open end).
    pub fn set_sides_password(&self, password: &str) {
        *self.sides_password.lock().unwrap() = password.to_string();
        self.sides_sessions.lock().unwrap().clear();
    }

    /// Takes a location (a Sides store) off the POS's list, or puts it back: unlisted, it is
    /// missing from the list and its other endpoints answer 404.
    pub fn set_listed(&self, location: &str, listed: bool) {
        let mut delisted = self.delisted.lock().unwrap();
        if listed {
            delisted.remove(location);
        } else {
            delisted.insert(location.to_string());
        }
    }

    pub(crate) fn is_listed(&self, location: &str) -> bool {
        !self.delisted.lock().unwrap().contains(location)
    }

    /// Access tokens issued from now on live `seconds`.
    pub fn set_access_token_seconds(&self, seconds: i64) {
        self.access_token_seconds.store(seconds, Ordering::SeqCst);
    }

    pub(crate) fn access_token_seconds(&self) -> i64 {
        self.access_token_seconds.load(Ordering::SeqCst)
    }

    /// Caps the items pages below the documented 1000 (an API stricter than its documentation).
    pub fn set_items_page_max(&self, max: usize) {
        self.items_page_max.store(max.max(1), Ordering::SeqCst);
    }

    pub(crate) fn items_page_max(&self) -> usize {
        self.items_page_max.load(Ordering::SeqCst)
    }

    /// Makes the next `count` requests whose path contains `path_contains` fail with `fault`.
    pub fn inject(&self, fault: Fault, path_contains: &str, count: u32) {
        self.inject_after(fault, path_contains, 0, count);
    }

    /// Like [`inject`](Self::inject), once `skip` matching requests have been answered.
    pub fn inject_after(&self, fault: Fault, path_contains: &str, skip: u32, count: u32) {
        self.faults.lock().unwrap().push(FaultRule {
            fault,
            path_contains: path_contains.into(),
            skip,
            remaining: count,
        });
    }

    pub fn clear_faults(&self) {
        self.faults.lock().unwrap().clear();
    }

    /// Every access token issued so far stops working (as if an hour had passed).
    pub fn expire_access_tokens(&self) {
        for token in self.access_tokens.lock().unwrap().values_mut() {
            token.expires_at = 0;
        }
    }

    /// Every refresh token stops working (revoked, or expired unused): the next refresh fails
    /// with `invalid_grant`.
    pub fn revoke_refresh_tokens(&self) {
        self.refresh_tokens.lock().unwrap().clear();
    }

    /// `date` of `location` stays incomplete (`dataComplete: false`, Sides `closed: false`).
    pub fn set_incomplete(&self, location: &str, date: NaiveDate, incomplete: bool) {
        let mut set = self.incomplete.lock().unwrap();
        if incomplete {
            set.insert((location.to_string(), date));
        } else {
            set.remove(&(location.to_string(), date));
        }
    }

    /// A receipt of `date` closed late appears (one more each call).
    pub fn add_late_receipt(&self, location: &str, date: NaiveDate) {
        *self
            .late
            .lock()
            .unwrap()
            .entry((location.to_string(), date))
            .or_default() += 1;
    }

    /// Refresh grants the token endpoint has honoured.
    pub fn refreshes(&self) -> u64 {
        self.refreshes.load(Ordering::SeqCst)
    }

    pub(crate) fn count_refresh(&self) {
        self.refreshes.fetch_add(1, Ordering::SeqCst);
    }

    /// How many requests reached a path containing `part`.
    pub fn requests_to(&self, part: &str) -> usize {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter(|p| p.contains(part))
            .count()
    }

    pub(crate) fn new_token(&self, prefix: &str) -> String {
        let n = self.counter.fetch_add(1, Ordering::SeqCst);
        let noise: u64 = rand_u64();
        format!("{prefix}{n:x}{noise:016x}")
    }

    /// The receipts of a location's business day as the POS knows them now.
    pub fn receipts(&self, location: &str, date: NaiveDate) -> Vec<GenReceipt> {
        let late = self
            .late
            .lock()
            .unwrap()
            .get(&(location.to_string(), date))
            .copied()
            .unwrap_or(0);
        let today = data::today_in(data::timezone_of(location));
        if date > today {
            return Vec::new();
        }
        let mut receipts = data::day_receipts(
            &self.menu,
            self.config.seed,
            location,
            date,
            self.config.lines_per_day,
            late,
        );
        if date == today {
            // Only what has been closed by now.
            let now = chrono::Utc::now().timestamp_micros();
            receipts.retain(|r| r.closed_at_micros <= now);
        }
        receipts
    }

    pub fn is_complete(&self, location: &str, date: NaiveDate) -> bool {
        date < data::today_in(data::timezone_of(location))
            && !self
                .incomplete
                .lock()
                .unwrap()
                .contains(&(location.to_string(), date))
    }

    fn take_fault(&self, path: &str) -> Option<Fault> {
        let mut faults = self.faults.lock().unwrap();
        let rule = faults
            .iter_mut()
            .find(|r| r.remaining > 0 && path.contains(&r.path_contains))?;
        if rule.skip > 0 {
            rule.skip -= 1;
            return None;
        }
        rule.remaining -= 1;
        let fault = rule.fault.clone();
        faults.retain(|r| r.remaining > 0);
        Some(fault)
    }
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos(),
    );
    h.finish()
}

/// The injected fault for this request, if any, as the answer to give instead.
pub(crate) async fn fault_answer(state: &SimState, req: &HttpRequest) -> Option<HttpResponse> {
    let path = req.path().to_string();
    state.requests.lock().unwrap().push(path.clone());
    match state.take_fault(&path)? {
        Fault::ServerError => Some(HttpResponse::InternalServerError().json(serde_json::json!({
            "timestamp": chrono::Utc::now().to_rfc3339(),
            "path": path,
            "status": 500,
            "error": "Internal Server Error",
            "requestId": state.new_token("req-"),
        }))),
        Fault::TooManyRequests { retry_after } => Some(
            HttpResponse::TooManyRequests()
                .insert_header(("Retry-After", retry_after.to_string()))
                .json(serde_json::json!({"error": "Too Many Requests"})),
        ),
        Fault::Slow { millis } => {
            tokio::time::sleep(Duration::from_millis(millis)).await;
            None
        }
        Fault::Malformed => Some(
            HttpResponse::Ok()
                .content_type("application/json")
                .body("{\"sales\": [ {\"accountFiscId\": \"A1\", \"salesLines\": [ {\"id\": "),
        ),
    }
}

/// A running simulator.
pub struct Simulator {
    pub address: SocketAddr,
    state: web::Data<SimState>,
    handle: ServerHandle,
}

impl Simulator {
    /// Starts on `bind` (port 0: a free port).
    pub async fn start(config: SimConfig, bind: &str) -> std::io::Result<Self> {
        let state = web::Data::new(SimState::new(config));
        let data = state.clone();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .configure(lightspeed::routes)
                .configure(sides::routes)
                .configure(control_routes)
        })
        .workers(2)
        .bind(bind)?;
        let address = server.addrs()[0];
        let server = server.run();
        let handle = server.handle();
        tokio::spawn(server);
        Ok(Self {
            address,
            state,
            handle,
        })
    }

    pub fn state(&self) -> &SimState {
        &self.state
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    pub fn lightspeed_auth_url(&self) -> String {
        format!(
            "{}/realms/k-series/protocol/openid-connect/auth",
            self.url()
        )
    }

    pub fn lightspeed_token_url(&self) -> String {
        format!(
            "{}/realms/k-series/protocol/openid-connect/token",
            self.url()
        )
    }

    /// The Lightspeed API base (the same host; paths `/f/…` and `/items/…`).
    pub fn lightspeed_api_url(&self) -> String {
        self.url()
    }

    pub fn sides_api_url(&self) -> String {
        format!("{}/sides", self.url())
    }

    /// What it was started with (the OAuth client Larder must present, the Sides login).
    pub fn config(&self) -> &SimConfig {
        &self.state.config
    }

    pub async fn stop(self) {
        self.handle.stop(true).await;
    }
}

/// The switches over HTTP, for the binary: `POST /_sim/faults` `{"fault": "server_error",
/// "path": "/sales-daily", "skip": 0, "count": 3}` (faults: server_error, too_many_requests with
/// `retry_after`, slow with `millis`, malformed), `POST /_sim/expire-tokens`,
/// `POST /_sim/revoke-refresh-tokens`, `POST /_sim/incomplete` and `POST /_sim/late-receipt`
/// with `{"location": "…", "date": "YYYY-MM-DD"}`, `GET /_sim/stats`.
fn control_routes(cfg: &mut web::ServiceConfig) {
    #[derive(Deserialize)]
    struct FaultBody {
        #[serde(flatten)]
        fault: Fault,
        #[serde(default)]
        path: String,
        #[serde(default)]
        skip: u32,
        #[serde(default = "one")]
        count: u32,
    }
    fn one() -> u32 {
        1
    }
    #[derive(Deserialize)]
    struct DayBody {
        location: String,
        date: NaiveDate,
        #[serde(default = "yes")]
        incomplete: bool,
    }
    fn yes() -> bool {
        true
    }
    cfg.route(
        "/_sim/faults",
        web::post().to(
            |state: web::Data<SimState>, body: web::Json<FaultBody>| async move {
                let body = body.into_inner();
                state.inject_after(body.fault, &body.path, body.skip, body.count);
                HttpResponse::NoContent().finish()
            },
        ),
    )
    .route(
        "/_sim/expire-tokens",
        web::post().to(|state: web::Data<SimState>| async move {
            state.expire_access_tokens();
            HttpResponse::NoContent().finish()
        }),
    )
    .route(
        "/_sim/revoke-refresh-tokens",
        web::post().to(|state: web::Data<SimState>| async move {
            state.revoke_refresh_tokens();
            HttpResponse::NoContent().finish()
        }),
    )
    .route(
        "/_sim/incomplete",
        web::post().to(
            |state: web::Data<SimState>, body: web::Json<DayBody>| async move {
                state.set_incomplete(&body.location, body.date, body.incomplete);
                HttpResponse::NoContent().finish()
            },
        ),
    )
    .route(
        "/_sim/late-receipt",
        web::post().to(
            |state: web::Data<SimState>, body: web::Json<DayBody>| async move {
                state.add_late_receipt(&body.location, body.date);
                HttpResponse::NoContent().finish()
            },
        ),
    )
    .route(
        "/_sim/stats",
        web::get().to(|state: web::Data<SimState>| async move {
            HttpResponse::Ok().json(serde_json::json!({
                "refreshes": state.refreshes(),
                "requests": state.requests.lock().unwrap().len(),
            }))
        }),
    );
}
