//! Helpers for the live POS tests: a server pointed at a fresh simulator, the Lightspeed OAuth
//! round trip done the way a browser does it, and the stock a set of mappings should have taken
//! for the simulator's sales (computed from the simulator's own receipts, not through Larder).

use std::collections::BTreeMap;
use std::time::Duration;

use api::config::ServeSettings;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::sim::{GenKind, SimConfig, Simulator};
use crate::{Backend, TestApp};

/// Runs `body(app, sim)` on both backends, each with its own simulator.
#[macro_export]
macro_rules! on_both_backends_with_sim {
    ($body:ident) => {
        $crate::on_both_backends_with_sim!($body, $body);
    };
    ($name:ident, $body:ident) => {
        $crate::on_both_backends_with_sim!($name, $body, |_s| {});
    };
    ($name:ident, $body:ident, $configure:expr) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let (app, sim) =
                    $crate::live::spawn_with_sim($crate::Backend::Sqlite, $configure).await;
                super::$body(app, sim).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let (app, sim) =
                    $crate::live::spawn_with_sim($crate::Backend::Postgres, $configure).await;
                super::$body(app, sim).await
            }
        }
    };
}

/// A simulator with small days (40 lines) and a server pointed at it with quick retries.
pub async fn spawn_with_sim(
    backend: Backend,
    configure: impl FnOnce(&mut ServeSettings),
) -> (TestApp, Simulator) {
    let sim = Simulator::start(
        SimConfig {
            lines_per_day: 40,
            ..Default::default()
        },
        "127.0.0.1:0",
    )
    .await
    .expect("simulator starts");
    let app = TestApp::spawn_with(backend, |s| {
        crate::point_at_simulator(&sim, &mut s.pos);
        s.pos.pos_attempts = 3;
        s.pos.pos_retry_base_ms = 20;
        s.pos.pos_timeout_seconds = 2;
        configure(s);
    })
    .await;
    (app, sim)
}

/// Points the Lightspeed client at the V1 (`devp-`) endpoints: the API host's `/oauth/*`, as
/// Lightspeed's V1 clients use them.
pub fn lightspeed_v1_client(s: &mut ServeSettings) {
    let api = s
        .pos
        .lightspeed_api_url
        .clone()
        .expect("configured for the simulator first");
    s.pos.lightspeed_oauth_version = "v1".into();
    s.pos.lightspeed_auth_url = Some(format!("{api}/oauth/authorize"));
    s.pos.lightspeed_token_url = Some(format!("{api}/oauth/token"));
}

impl TestApp {
    /// Connects a Lightspeed integration as a browser and the SPA would: ask Larder for the
    /// authorize URL, open the simulator's consent page, press Authorize, follow the redirect to
    /// Larder's callback, and finish the authorization from the user's session. Returns where the
    /// callback sent the browser.
    pub async fn connect_lightspeed(&self, token: &str, integration: &str) -> String {
        let back = self.authorize_lightspeed(token, integration).await;
        let state = back
            .split("lightspeedAuthorization=")
            .nth(1)
            .expect("the callback hands the SPA the authorization to finish");
        let state = url::form_urlencoded::parse(format!("s={state}").as_bytes())
            .next()
            .unwrap()
            .1
            .into_owned();
        let done = self
            .ok(
                token,
                "mutation($s: String!) { finishLightspeedAuthorization(state: $s) { connectionState } }",
                json!({"s": state}),
            )
            .await;
        assert_eq!(
            done["finishLightspeedAuthorization"]["connectionState"],
            "CONNECTED"
        );
        back
    }

    /// The browser's part of [`connect_lightspeed`](Self::connect_lightspeed), up to the callback's
    /// redirect (which it returns).
    pub async fn authorize_lightspeed(&self, token: &str, integration: &str) -> String {
        let url = self
            .ok(
                token,
                "mutation($i: ID!) { lightspeedAuthorizeUrl(integrationId: $i) }",
                json!({"i": integration}),
            )
            .await["lightspeedAuthorizeUrl"]
            .as_str()
            .unwrap()
            .to_string();
        let parsed = url::Url::parse(&url).unwrap();
        let query: BTreeMap<String, String> = parsed.query_pairs().into_owned().collect();
        assert_eq!(query["response_type"], "code");
        if parsed.path().ends_with("/oauth/authorize") {
            // V1: no offline_access scope, no PKCE.
            assert_eq!(query["scope"], "financial-api items");
            assert!(!query.contains_key("code_challenge"), "{url}");
        } else {
            assert_eq!(query["scope"], "financial-api items offline_access");
            assert_eq!(query["code_challenge_method"], "S256");
        }
        assert!(query["redirect_uri"].ends_with("/oauth/lightspeed/callback"));
        let client = browser_like_client();
        let page = client.get(&url).send().await.unwrap();
        assert_eq!(page.status(), 200);
        assert!(page.text().await.unwrap().contains("Authorize"));
        let approve = client
            .post(parsed.as_str())
            .form(&[
                ("decision", "allow"),
                ("client_id", query["client_id"].as_str()),
                ("redirect_uri", query["redirect_uri"].as_str()),
                ("scope", query["scope"].as_str()),
                ("state", query["state"].as_str()),
                (
                    "code_challenge",
                    query.get("code_challenge").map_or("", String::as_str),
                ),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(approve.status(), 302);
        let callback = approve.headers()["location"].to_str().unwrap().to_string();
        self.follow_callback(&callback).await
    }

    /// GETs Larder's OAuth callback; returns the SPA address it redirects to.
    pub async fn follow_callback(&self, callback: &str) -> String {
        let client = browser_like_client();
        let back = client.get(callback).send().await.unwrap();
        assert_eq!(back.status(), 303, "{:?}", back.text().await);
        back.headers()["location"].to_str().unwrap().to_string()
    }

    /// Queues a sync and waits for it; returns the job.
    pub async fn sync(&self, token: &str, integration: &str, what: &str) -> Value {
        let r = self
            .ok(
                token,
                &format!("mutation($i: ID!) {{ {what}(integrationId: $i) {{ id }} }}"),
                json!({"i": integration}),
            )
            .await;
        let job = self.wait_job(token, r[what]["id"].as_str().unwrap()).await;
        assert_eq!(job["state"], "SUCCEEDED", "{job:#}");
        job
    }

    /// The integration's locations: (name → id).
    pub async fn pos_locations(&self, token: &str, integration: &str) -> BTreeMap<String, String> {
        let r = self
            .ok(
                token,
                "query($i: ID!) { posIntegration(id: $i) { locations { id name externalId } } }",
                json!({"i": integration}),
            )
            .await;
        r["posIntegration"]["locations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                (
                    l["name"].as_str().unwrap().to_string(),
                    l["id"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    pub async fn map_item(&self, token: &str, integration: &str, external_id: &str, target: Value) {
        let mut vars = json!({"i": integration, "e": external_id});
        for (k, v) in target.as_object().unwrap() {
            vars[k] = v.clone();
        }
        if vars.get("f").is_none() {
            vars["f"] = json!("1");
        }
        self.ok(token, "mutation($i: ID!, $e: String!, $g: ID, $r: ID, $f: Decimal!, $ig: Boolean) { mapPosItem(integrationId: $i, externalId: $e, ingredientId: $g, recipeId: $r, quantityFactor: $f, ignore: $ig) { externalId } }", vars).await;
    }

    /// Waits until a job of `kind` for `location` exists and has ended; returns it.
    pub async fn wait_for_job_of_kind(&self, token: &str, company: &str, kind: &str) -> Value {
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        loop {
            let r = self
                .ok(
                    token,
                    "query($c: ID!) { jobs(companyId: $c) { id kind state message error } }",
                    json!({"c": company}),
                )
                .await;
            if let Some(job) = r["jobs"].as_array().unwrap().iter().find(|j| {
                j["kind"] == kind
                    && matches!(
                        j["state"].as_str(),
                        Some("SUCCEEDED" | "FAILED" | "CANCELLED")
                    )
            }) {
                return job.clone();
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no {kind} job ended: {r:#}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

/// An HTTP client that, like a test needs to, stops at each redirect instead of following it.
pub fn browser_like_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

/// What the simulator's sales of `dates` at `location` should take from stock, per key, given
/// `uses`: item index → [(key, units per unit sold)]. Sales deduct, refunds put back, voided
/// and cancelled accounts count nothing.
pub fn expected_usage(
    sim: &Simulator,
    location: &str,
    dates: &[NaiveDate],
    uses: &BTreeMap<usize, Vec<(&'static str, Decimal)>>,
) -> BTreeMap<&'static str, Decimal> {
    let mut out = BTreeMap::new();
    for date in dates {
        for receipt in sim.state().receipts(location, *date) {
            if matches!(receipt.kind, GenKind::Void | GenKind::Cancelled) {
                continue;
            }
            for line in &receipt.lines {
                if let Some(parts) = uses.get(&line.item) {
                    let sold = Decimal::new(line.quantity_milli, 3);
                    for (key, per_unit) in parts {
                        *out.entry(*key).or_insert(Decimal::ZERO) -= sold * per_unit;
                    }
                }
            }
        }
    }
    out
}

/// The migration's days: the 90 business days that have closed by now for a company made by
/// [`TestApp::sign_up`], oldest first.
pub fn migration_days() -> Vec<NaiveDate> {
    let last = crate::pos::last_closed_day();
    (0..90)
        .rev()
        .map(|n| last - chrono::Duration::days(n))
        .collect()
}

pub fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}
