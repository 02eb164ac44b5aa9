//! Black-box test helpers: start the real server on a random port against a fresh SQLite file
//! or a fresh PostgreSQL database, and talk GraphQL to it over HTTP.

use std::path::PathBuf;

pub mod bench;
pub mod books;
pub mod calendar;
pub mod contract;
pub mod dice;
pub mod einvoice;
pub mod kitchen;
pub mod live;
pub mod pos;
pub mod relay;
pub mod socket;

/// The POS simulator (its own crate, so the demo builds it without this crate's dependencies).
pub use pos_sim as sim;

use api::config::ServeSettings;
use serde_json::{Value, json};

pub const POSTGRES_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs one async test body once per backend, as two tests named `sqlite` and `postgres` in a
/// module named after the rule the body proves (the body's own name when it names the rule).
#[macro_export]
macro_rules! on_both_backends {
    ($body:ident) => {
        $crate::on_both_backends!($body, $body);
    };
    ($name:ident, $body:ident) => {
        $crate::on_both_backends!($name, $body, |_| {});
    };
    // With the server's settings adjusted by `$configure` (a short timeout…).
    ($name:ident, $body:ident, $configure:expr) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$body($crate::TestApp::spawn_with($crate::Backend::Sqlite, $configure).await)
                    .await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$body(
                    $crate::TestApp::spawn_with($crate::Backend::Postgres, $configure).await,
                )
                .await
            }
        }
    };
}

pub struct TestApp {
    pub address: String,
    /// The server's own database, for checks a client cannot make (the database's guards).
    pub db: sea_orm::DatabaseConnection,
    pub backend: Backend,
    pub client: reqwest::Client,
    pub data_dir: PathBuf,
    /// The PostgreSQL URL, for processes the test starts beside the server.
    pub database_url: Option<String>,
    /// Where the metrics are served (`http://…`), when the settings asked for them.
    pub metrics_address: Option<String>,
    pg_database: Option<String>,
}

impl TestApp {
    /// The URL of the server's database, for a connection of the test's own.
    pub fn connection_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("larder.sqlite").display()
            )
        })
    }

    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Starts the server with settings adjusted by `configure` (a short session lifetime…).
    pub async fn spawn_with(backend: Backend, configure: impl FnOnce(&mut ServeSettings)) -> Self {
        if std::env::var_os("LARDER_TEST_LOG").is_some() {
            api::telemetry::init(api::config::LogFormat::Human);
        }
        let name = format!("larder_test_{}", uuid::Uuid::new_v4().simple());
        let data_dir = std::env::temp_dir().join(&name);
        let mut settings = ServeSettings::for_data_dir(data_dir.clone());
        let pg_database = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => {
                create_pg_database(&name).await;
                settings.database_url = Some(format!("postgres://postgres@127.0.0.1:5432/{name}"));
                Some(name)
            }
        };
        configure(&mut settings);
        let app = Self::start(backend, settings, pg_database).await;
        number_companies_apart(&app.db).await;
        app
    }

    /// Starts a server on an existing data dir or database (a restored backup, a moved
    /// Larder); dropping it removes the data dir and the PostgreSQL database `pg_database`.
    pub async fn start(
        backend: Backend,
        settings: ServeSettings,
        pg_database: Option<String>,
    ) -> Self {
        let (data_dir, database_url) = (settings.data_dir.clone(), settings.database_url.clone());
        let app = api::startup::Application::build(settings)
            .await
            .expect("server starts");
        let address = format!("http://{}", app.address());
        let metrics_address = app.metrics_address().map(|a| format!("http://{a}"));
        let db = app.db().clone();
        tokio::spawn(app.run_until_stopped());
        Self {
            address,
            db,
            backend,
            // Bounded: a request that never answers fails its test (naming the request) instead
            // of holding the suite past its time limit. The server stops any operation at 20 s.
            client: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(180))
                .build()
                .expect("an HTTP client"),
            data_dir,
            database_url,
            metrics_address,
            pg_database,
        }
    }

    /// Posts a GraphQL operation and returns the whole response (data and errors).
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut request = self
            .client
            .post(format!("{}/graphql", self.address))
            .json(&json!({
                "query": query,
                "variables": variables,
            }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("request reaches the server");
        response.json().await.expect("GraphQL answers JSON")
    }

    /// Like [`gql`](Self::gql) but the operation must succeed; returns `data`.
    pub async fn ok(&self, token: &str, query: &str, variables: Value) -> Value {
        let response = self.gql(Some(token), query, variables).await;
        assert!(
            response.get("errors").is_none(),
            "unexpected errors: {response:#}\nfor {query}"
        );
        response["data"].clone()
    }

    /// Signs up a new user with their own company; returns (token, company id).
    pub async fn sign_up(&self, email: &str) -> (String, String) {
        let response = self
            .gql(
                None,
                "mutation($input: SignUpInput!) { signUp(input: $input) { token user { memberships { company { id } } } } }",
                json!({"input": {"email": email, "password": "correct horse battery", "name": "Chef", "companyName": format!("{email}'s bistro"), "timezone": "Europe/Berlin", "currency": "EUR"}}),
            )
            .await;
        assert!(
            response.get("errors").is_none(),
            "sign-up failed: {response:#}"
        );
        let data = &response["data"]["signUp"];
        (
            data["token"].as_str().unwrap().to_string(),
            data["user"]["memberships"][0]["company"]["id"]
                .as_str()
                .unwrap()
                .to_string(),
        )
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.data_dir);
        if let Some(name) = self.pg_database.take() {
            // Drop runs inside the test's runtime: clean up from a thread with its own.
            let _ = std::thread::spawn(move || {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime")
                    .block_on(drop_pg_database(&name));
            })
            .join();
        }
    }
}

/// Makes this database number its next company from a block no other test database of this
/// process uses. Every end-to-end test runs in one process, and what a process keys by company
/// id (fault points) must not reach another test's company that happens to share its id.
async fn number_companies_apart(db: &sea_orm::DatabaseConnection) {
    use sea_orm::ConnectionTrait;
    use std::sync::atomic::{AtomicI64, Ordering};
    static NEXT_BLOCK: AtomicI64 = AtomicI64::new(1);
    let first = NEXT_BLOCK.fetch_add(1, Ordering::Relaxed) * 1_000_000;
    let sql = match db.get_database_backend() {
        sea_orm::DbBackend::Sqlite => format!(
            "DELETE FROM sqlite_sequence WHERE name = 'companies' AND seq < {first}; \
             INSERT INTO sqlite_sequence (name, seq) SELECT 'companies', {first} \
             WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'companies')"
        ),
        _ => format!(
            "SELECT setval(pg_get_serial_sequence('companies', 'id'), \
             GREATEST({first}, (SELECT COALESCE(MAX(id), 0) FROM companies)))"
        ),
    };
    db.execute_unprepared(&sql)
        .await
        .expect("company ids start at this test's block");
}

async fn admin_connection() -> sea_orm::DatabaseConnection {
    sea_orm::Database::connect(POSTGRES_ADMIN_URL)
        .await
        .expect("PostgreSQL is running at 127.0.0.1:5432")
}

/// Creates an empty PostgreSQL database for one test.
pub async fn create_pg_database(name: &str) {
    use sea_orm::ConnectionTrait;
    admin_connection()
        .await
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create test database");
}

pub async fn drop_pg_database(name: &str) {
    use sea_orm::ConnectionTrait;
    let _ = admin_connection()
        .await
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await;
}

/// For benchmarks: runs `bench(label, url)` on a fresh database of each backend named in
/// `LARDER_BENCH_BACKENDS` (`sqlite`, `postgres` over TCP, `postgres-socket`), or `default`.
/// With `RUST_LOG` set, the service's traces go to stderr (where a recompute's time goes).
pub fn for_each_bench_database<F, Fut>(default: &str, mut bench: F)
where
    F: FnMut(&'static str, String) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    if std::env::var_os("RUST_LOG").is_some() {
        api::telemetry::init(api::config::LogFormat::Human);
    }
    let backends = std::env::var("LARDER_BENCH_BACKENDS").unwrap_or_else(|_| default.into());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    for backend in backends.split(',') {
        let name = format!("larder_bench_{}", std::process::id());
        match backend {
            "sqlite" => {
                let dir = std::env::temp_dir().join(&name);
                std::fs::create_dir_all(&dir).expect("bench dir");
                let url = format!("sqlite://{}?mode=rwc", dir.join("bench.sqlite").display());
                rt.block_on(bench("SQLite", url));
                let _ = std::fs::remove_dir_all(dir);
            }
            "postgres" | "postgres-socket" => {
                rt.block_on(create_pg_database(&name));
                let (label, url) = if backend == "postgres" {
                    (
                        "PostgreSQL over TCP (127.0.0.1)",
                        format!("postgres://postgres@127.0.0.1:5432/{name}"),
                    )
                } else {
                    (
                        "PostgreSQL over its Unix socket",
                        format!("postgres://postgres@localhost/{name}?host=/var/run/postgresql"),
                    )
                };
                rt.block_on(bench(label, url));
                rt.block_on(drop_pg_database(&name));
            }
            other => eprintln!("unknown backend {other}"),
        }
    }
}

/// For benchmarks: `rows` complete ISSUE rows bulk-inserted into the ledger (500 a statement,
/// `per_txn` a transaction) over `ingredients` in `storage_unit`, computing nothing — the limit
/// a posting engine is measured against, or a ledger filled to a realistic size. With
/// `pos_integration`, each row is what a POS sale's ISSUE holds (its sale line's item, article,
/// integration, transaction and times), so it lands in the same indexes as the pipeline's.
pub async fn bulk_insert_ledger_rows(
    db: &sea_orm::DatabaseConnection,
    company: i64,
    ingredients: &[i64],
    storage_unit: i64,
    rows: usize,
    per_txn: usize,
    pos_integration: Option<i64>,
) {
    use sea_orm::ConnectionTrait;
    let now = service::ledger::to_micros(chrono::Utc::now());
    let (pos_columns, source_kind) = match pos_integration {
        Some(_) => (
            ", pos_sales_value_micro, pos_article_id, pos_transaction_id, pos_sold_at, pos_integration_id",
            "POS_SALE",
        ),
        None => ("", "BENCH"),
    };
    let sqlite = db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite;
    let mut written = 0usize;
    while written < rows {
        let txn_rows = per_txn.max(1).min(rows - written);
        let txn = service::db::begin_write(db).await.unwrap();
        // SQLite's ledger has no rowid to draw ids from (m0018): the rows take the next ones.
        let first_id: i64 = if sqlite {
            txn.query_one_raw(sea_orm::Statement::from_string(
                sea_orm::DatabaseBackend::Sqlite,
                "SELECT COALESCE(MAX(id), 0) + 1 AS id FROM ledger_entries",
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get("", "id")
            .unwrap()
        } else {
            0
        };
        let id_column = if sqlite { "id, " } else { "" };
        let mut sql = Vec::new();
        for chunk_start in (0..txn_rows).step_by(500) {
            let values: Vec<String> = (chunk_start..(chunk_start + 500).min(txn_rows))
                .map(|k| {
                    let n = written + k;
                    let i = ingredients[n % ingredients.len()];
                    let pos = pos_integration.map_or(String::new(), |p| {
                        format!(", 9500000, 'ITEM-{:03}', 'T{}', {now}, {p}", n % 100, n / 3)
                    });
                    let id = if sqlite { format!("{}, ", first_id + k as i64) } else { String::new() };
                    format!("({id}{company}, {i}, {storage_unit}, 'ISSUE', -18000, {now}, {now}, '{source_kind}', '{n}', 2000000, -36000, 1000000, 2000000, 'Item', 1000000{pos})")
                })
                .collect();
            sql.push(format!("INSERT INTO ledger_entries ({id_column}company_id, ingredient_id, storage_unit_id, transaction_type, quantity_micro, occurred_at, posted_at, source_kind, source_id, unit_cost_micro, value_micro, balance_after_micro, average_cost_after_micro, pos_item_name, pos_amount_sold_micro{pos_columns}) VALUES {}", values.join(", ")));
        }
        for statement in sql {
            txn.execute_unprepared(&statement).await.unwrap();
        }
        sea_orm::TransactionSession::commit(txn).await.unwrap();
        written += txn_rows;
    }
}

/// Live POS settings for code that runs jobs directly (benchmarks): the simulator's endpoints when
/// given, quick retries, a throwaway key.
pub fn live_settings(sim: Option<&sim::Simulator>) -> service::pos::live::LiveSettings {
    let mut pos = api::config::PosSettings {
        pos_retry_base_ms: 50,
        pos_timeout_seconds: 5,
        ..Default::default()
    };
    if let Some(sim) = sim {
        point_at_simulator(sim, &mut pos);
    }
    let cipher = service::crypto::Cipher::from_hex(&service::crypto::Cipher::generate_hex())
        .expect("a generated key");
    pos.live(cipher, "http://127.0.0.1:9")
        .expect("valid settings")
}

/// Larder's POS settings pointing at the simulator `sim`.
pub fn point_at_simulator(sim: &sim::Simulator, pos: &mut api::config::PosSettings) {
    pos.lightspeed_client_id = sim.config().client_id.clone();
    pos.lightspeed_client_secret = sim.config().client_secret.clone();
    pos.lightspeed_auth_url = Some(sim.lightspeed_auth_url());
    pos.lightspeed_token_url = Some(sim.lightspeed_token_url());
    pos.lightspeed_api_url = Some(sim.lightspeed_api_url());
    pos.sides_api_url = sim.sides_api_url();
}

/// Where a `larder serve` child runs, from the first line it prints (`Larder is running at
/// http://…/`); the line itself when it says something else (the server did not start).
pub fn served_at(server: &mut std::process::Child) -> Result<String, String> {
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(server.stdout.take().expect("stdout piped")),
        &mut line,
    )
    .expect("the server's stdout");
    line.trim()
        .strip_prefix("Larder is running at ")
        .map(str::to_string)
        .ok_or(line)
}

/// Tells a child process to stop, as a service manager does.
pub fn sigterm(child: &std::process::Child) {
    let _ = nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    );
}

/// `target/debug/larder`, built by `cargo test` for the workspace (the api package's binary).
pub fn larder_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let bin = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target dir")
        .join("larder");
    assert!(
        bin.exists(),
        "{} missing: run `cargo build -p api` (or `cargo test` for the workspace)",
        bin.display()
    );
    bin
}

/// The `extensions.code` of the first error.
pub fn error_code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("expected an error: {response:#}"))
}

/// The `extensions.field` of the first error.
pub fn error_field(response: &Value) -> &str {
    response["errors"][0]["extensions"]["field"]
        .as_str()
        .unwrap_or("")
}

/// A headless Chromium driven over WebDriver (Debian's chromium and chromium-driver).
pub struct Browser {
    pub client: fantoccini::Client,
    driver: std::process::Child,
    /// Where chromedriver listens, for the DevTools commands WebDriver has no word for.
    driver_url: String,
    profile: PathBuf,
}

impl Browser {
    /// A laptop-sized window speaking the browser's default English.
    pub async fn start() -> Self {
        Self::start_as(1366, 900, "en-US").await
    }

    /// A window of `width` × `height` CSS pixels whose browser prefers `language` (`de-DE`).
    pub async fn start_as(width: u32, height: u32, language: &str) -> Self {
        // Several crates bring rustls with different providers; WebDriver runs over plain HTTP
        // on loopback, but the client still needs one chosen.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = std::process::Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()))
            .arg(format!("--port={port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("chromedriver on PATH (apt-get install chromium-driver; the README's test command installs it)");
        let profile =
            std::env::temp_dir().join(format!("larder-chrome-{}", uuid::Uuid::new_v4().simple()));
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": std::env::var("CHROME_BINARY").unwrap_or_else(|_| "/usr/bin/chromium".into()),
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    format!("--window-size={width},{height}"), format!("--lang={language}"),
                    format!("--user-data-dir={}", profile.display())],
                "prefs": {"intl.accept_languages": language},
            }),
        );
        let url = format!("http://127.0.0.1:{port}");
        let mut last_error = String::new();
        for _ in 0..50 {
            match fantoccini::ClientBuilder::rustls()
                .expect("TLS config")
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    return Self {
                        client,
                        driver,
                        driver_url: url,
                        profile,
                    };
                }
                Err(e) => last_error = e.to_string(),
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        panic!("could not start a Chromium session: {last_error}");
    }

    /// Runs a DevTools command in the page's target (chromedriver's `goog/cdp/execute`).
    pub async fn cdp(&self, command: &str, params: Value) -> Value {
        let session = self
            .client
            .session_id()
            .await
            .ok()
            .flatten()
            .expect("a WebDriver session");
        let answer: Value = reqwest::Client::new()
            .post(format!(
                "{}/session/{session}/goog/cdp/execute",
                self.driver_url
            ))
            .json(&json!({"cmd": command, "params": params}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{command}: {e}"))
            .json()
            .await
            .unwrap_or_else(|e| panic!("{command}: {e}"));
        assert!(
            answer["value"].get("error").is_none(),
            "{command} failed: {answer}"
        );
        answer["value"].clone()
    }

    /// The page's own network cut (or back): DevTools' offline mode. A service worker's fetches
    /// still go out — cut those with a [`relay::Relay`].
    pub async fn set_offline(&self, offline: bool) {
        self.cdp("Network.enable", json!({})).await;
        self.cdp(
            "Network.emulateNetworkConditions",
            json!({"offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}),
        )
        .await;
    }

    /// Clicks what `locator` finds; it must be on the page.
    pub async fn click(&self, locator: fantoccini::Locator<'_>) {
        let what = format!("{locator:?}");
        self.client
            .find(locator)
            .await
            .unwrap_or_else(|e| panic!("{what} is on the page: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("{what} can be clicked: {e}"));
    }

    /// Saves a screenshot into `$LARDER_SCREENSHOTS` (default: a temp dir), to look at.
    pub async fn screenshot(&self, name: &str) {
        if let Ok(png) = self.client.screenshot().await {
            let dir = std::env::var_os("LARDER_SCREENSHOTS")
                .map(PathBuf::from)
                .unwrap_or_else(|| std::env::temp_dir().join("larder-screenshots"));
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::write(dir.join(format!("{name}.png")), png);
        }
    }

    pub async fn close(self) {
        let Browser {
            client,
            mut driver,
            profile,
            ..
        } = self;
        let _ = client.close().await;
        let _ = driver.kill();
        let _ = driver.wait();
        let _ = std::fs::remove_dir_all(profile);
    }
}
