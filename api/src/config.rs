//! Typed configuration: every setting is a flag with a `LARDER_*` environment variable
//! (README, "Configuration").

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "larder", version, about = "Larder: inventory for restaurants")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API, GraphQL and the SPA.
    Serve(ServeSettings),
    /// Run the job workers (and the scheduler) alone, without the API: for scale-out.
    Worker(ServeSettings),
    /// Print the GraphQL schema (SDL).
    Schema,
    /// Back up a Larder, running or not, into one archive (database, secret key, manifest).
    Backup(BackupArgs),
    /// Restore a backup into an empty data dir or an empty PostgreSQL database.
    Restore(RestoreArgs),
    /// Copy a stopped SQLite Larder into an empty PostgreSQL database, and verify the copy.
    MoveTo(MoveToArgs),
}

/// Where a Larder's data is, for the operations commands: the flags `serve` takes for it.
#[derive(Clone, Args)]
pub struct DatabaseArgs {
    /// The data dir: the SQLite file and the secret key.
    #[arg(long, env = "LARDER_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// A PostgreSQL URL (postgres://…) instead of the embedded SQLite file.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// The key (64 hex digits) when it is not in `<data dir>/secret.key`.
    #[arg(long, env = "LARDER_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,
}

impl DatabaseArgs {
    pub fn database_url(&self) -> String {
        database_url(&self.data_dir, self.database_url.as_deref())
    }

    pub fn is_postgres(&self) -> bool {
        self.database_url.as_deref().is_some_and(|u| !u.is_empty())
    }

    /// The key the Larder runs with: the flag, else the data dir's key file (never created
    /// here: a backup of a Larder without its key could not read its POS credentials).
    pub fn key_hex(&self) -> anyhow::Result<String> {
        if let Some(key) = self.secret_key.as_deref().filter(|k| !k.is_empty()) {
            service::crypto::Cipher::from_hex(key)?;
            return Ok(key.to_string());
        }
        let path = self.data_dir.join("secret.key");
        let key = std::fs::read_to_string(&path).map_err(|e| {
            anyhow::anyhow!(
                "cannot read the secret key {} ({e}): give --data-dir of the Larder, or --secret-key",
                path.display()
            )
        })?;
        service::crypto::Cipher::from_hex(key.trim())?;
        Ok(key.trim().to_string())
    }
}

impl std::fmt::Debug for DatabaseArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseArgs")
            .field("data_dir", &self.data_dir)
            .field("database_url", &redacted(&self.database_url))
            .field("secret_key", &redacted(&self.secret_key))
            .finish()
    }
}

#[derive(Debug, Clone, Args)]
pub struct BackupArgs {
    /// The archive to write (a .tar.gz; it must not exist).
    #[arg(long)]
    pub out: PathBuf,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Debug, Clone, Args)]
pub struct RestoreArgs {
    /// The archive `larder backup` wrote.
    pub file: PathBuf,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Debug, Clone, Args)]
pub struct MoveToArgs {
    /// The empty PostgreSQL database to move into (postgres://…).
    pub url: String,
    /// The SQLite Larder's data dir (it must be stopped).
    #[arg(long, env = "LARDER_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// For a person at a terminal.
    Human,
    /// One JSON object a line, for a log collector.
    Json,
}

fn database_url(data_dir: &std::path::Path, url: Option<&str>) -> String {
    match url {
        Some(url) if !url.is_empty() => url.to_string(),
        _ => format!(
            "sqlite://{}?mode=rwc",
            data_dir.join("larder.sqlite").display()
        ),
    }
}

/// `Debug` is written by hand below: the settings hold secrets (the encryption key, the demo
/// password, a database URL's password, the Lightspeed client secret) that a log must not.
#[derive(Clone, Args)]
pub struct ServeSettings {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "LARDER_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Where the embedded SQLite database (and later the queue) lives.
    #[arg(long, env = "LARDER_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// A PostgreSQL URL (postgres://…) instead of the embedded SQLite file.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// Seed an empty database with a demo restaurant.
    #[arg(long, env = "LARDER_DEMO")]
    pub demo: bool,
    /// The demo user's password; a random one is printed when not given.
    #[arg(long, env = "LARDER_DEMO_PASSWORD", hide_env_values = true)]
    pub demo_password: Option<String>,
    /// The built SPA (Trunk's dist directory).
    #[arg(long, env = "LARDER_STATIC_DIR")]
    pub static_dir: Option<PathBuf>,
    /// How long a login session lasts, in seconds.
    #[arg(long, env = "LARDER_SESSION_TTL_SECONDS", default_value_t = 7 * 24 * 3600)]
    pub session_ttl_seconds: i64,
    /// Deepest GraphQL query accepted.
    #[arg(long, env = "LARDER_GRAPHQL_MAX_DEPTH", default_value_t = 16)]
    pub graphql_max_depth: usize,
    /// Highest GraphQL query complexity accepted (each field counts 1, lists more).
    #[arg(long, env = "LARDER_GRAPHQL_MAX_COMPLEXITY", default_value_t = 20_000)]
    pub graphql_max_complexity: usize,
    /// Largest GraphQL request body (JSON) accepted, in bytes; a larger one is refused with 413
    /// before it is read.
    #[arg(long, env = "LARDER_GRAPHQL_MAX_BODY_BYTES", default_value_t = 1 << 20)]
    pub graphql_max_body_bytes: usize,
    /// Longest one GraphQL request may run, in seconds; past it the request answers TIMEOUT and
    /// its transaction is rolled back.
    #[arg(long, env = "LARDER_REQUEST_TIMEOUT_SECONDS", default_value_t = 20)]
    pub request_timeout_seconds: u64,
    /// Longest a request body may pause between two chunks, in seconds, before it is refused
    /// with 408 (a slow or stalled client).
    #[arg(long, env = "LARDER_BODY_IDLE_TIMEOUT_SECONDS", default_value_t = 10)]
    pub body_idle_timeout_seconds: u64,
    /// Turn off GraphQL introspection and the GraphiQL page (production deployments that do
    /// not want the schema browsable).
    #[arg(long, env = "LARDER_DISABLE_INTROSPECTION")]
    pub disable_introspection: bool,
    /// `login` and `signUp` attempts one client address may make a minute.
    #[arg(
        long,
        env = "LARDER_SIGN_INS_PER_ADDRESS_PER_MINUTE",
        default_value_t = 60
    )]
    pub sign_ins_per_address_per_minute: u32,
    /// `login` attempts one account (e-mail) may receive a minute, from anywhere.
    #[arg(
        long,
        env = "LARDER_SIGN_INS_PER_ACCOUNT_PER_MINUTE",
        default_value_t = 10
    )]
    pub sign_ins_per_account_per_minute: u32,
    /// How often a WebSocket's caller is authenticated again while its subscriptions run, in
    /// seconds (a logout, revoked token or lost membership closes the socket).
    #[arg(long, env = "LARDER_SOCKET_RECHECK_SECONDS", default_value_t = 30)]
    pub socket_recheck_seconds: u64,
    /// GraphQL requests one client address may have running at once (more answer 429).
    #[arg(long, env = "LARDER_REQUESTS_PER_ADDRESS", default_value_t = 32)]
    pub requests_per_address: usize,
    /// CSV uploads and exports one client address may have running at once (more answer 429).
    #[arg(long, env = "LARDER_FILE_REQUESTS_PER_ADDRESS", default_value_t = 4)]
    pub file_requests_per_address: usize,
    /// GraphQL sockets one client address may have open at once (more are refused with 429).
    #[arg(long, env = "LARDER_SOCKETS_PER_ADDRESS", default_value_t = 32)]
    pub sockets_per_address: usize,
    /// Serve the API alone; job workers run in `larder worker` processes.
    #[arg(long, env = "LARDER_NO_WORKERS")]
    pub no_workers: bool,
    /// Key (64 hex digits) that encrypts webhook secrets and POS credentials at rest; by default
    /// generated once into `<data dir>/secret.key`. Every process of one database needs the same.
    #[arg(long, env = "LARDER_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,
    /// Largest CSV upload accepted, in bytes.
    #[arg(long, env = "LARDER_CSV_MAX_BYTES", default_value_t = 50_000_000)]
    pub csv_max_bytes: u64,
    /// When the scheduler looks for closed business days to transfer (cron with seconds).
    #[arg(
        long,
        env = "LARDER_TRANSFER_SCHEDULE",
        default_value = "0 */5 * * * *"
    )]
    pub transfer_schedule: String,
    /// Jobs one worker process runs at once.
    #[arg(long, env = "LARDER_WORKER_CONCURRENCY", default_value_t = 2)]
    pub worker_concurrency: usize,
    /// How often a worker tells the queue it is alive, in seconds. The jobs of a worker silent
    /// for three beats (killed, or its machine gone) are handed to another worker.
    #[arg(long, env = "LARDER_WORKER_HEARTBEAT_SECONDS", default_value_t = 2)]
    pub worker_heartbeat_seconds: u64,
    /// Larder's address as browsers reach it (the Lightspeed OAuth redirect URI is made from it);
    /// by default `http://<bound address>`.
    #[arg(long, env = "LARDER_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Where Prometheus scrapes the metrics (`/metrics`); off unless given.
    #[arg(long, env = "LARDER_METRICS_BIND")]
    pub metrics_bind: Option<SocketAddr>,
    /// `human` or `json` (one object a line).
    #[arg(long, env = "LARDER_LOG_FORMAT", value_enum, default_value_t = LogFormat::Human)]
    pub log_format: LogFormat,
    /// Take scheduled backups into this folder (off unless given).
    #[arg(long, env = "LARDER_BACKUP_DIR")]
    pub backup_dir: Option<PathBuf>,
    /// Hours between scheduled backups (a decimal: 0.5 is every half hour).
    #[arg(long, env = "LARDER_BACKUP_EVERY", default_value_t = 24.0)]
    pub backup_every: f64,
    /// Scheduled backups kept in the folder; older ones are removed.
    #[arg(long, env = "LARDER_BACKUP_KEEP", default_value_t = 7)]
    pub backup_keep: usize,
    #[command(flatten)]
    pub pos: PosSettings,
}

/// Where the live POSes are (the defaults are the vendors' production endpoints) and how hard
/// they are tried.
#[derive(Clone, Args)]
pub struct PosSettings {
    /// The Lightspeed K-Series API client's id.
    #[arg(long, env = "LARDER_LIGHTSPEED_CLIENT_ID", default_value = "")]
    pub lightspeed_client_id: String,
    #[arg(
        long,
        env = "LARDER_LIGHTSPEED_CLIENT_SECRET",
        default_value = "",
        hide_env_values = true
    )]
    pub lightspeed_client_secret: String,
    /// `v2` (Keycloak realm, PKCE, the default) or `v1` (older `devp-` clients).
    #[arg(long, env = "LARDER_LIGHTSPEED_OAUTH_VERSION", default_value = "v2")]
    pub lightspeed_oauth_version: String,
    /// The authorize page (default: the production endpoint of the OAuth version).
    #[arg(long, env = "LARDER_LIGHTSPEED_AUTH_URL")]
    pub lightspeed_auth_url: Option<String>,
    /// The token endpoint (default: the production endpoint of the OAuth version).
    #[arg(long, env = "LARDER_LIGHTSPEED_TOKEN_URL")]
    pub lightspeed_token_url: Option<String>,
    /// The API base (default https://api.lsk.lightspeed.app; trial: https://api.trial.lsk.lightspeed.app).
    #[arg(long, env = "LARDER_LIGHTSPEED_API_URL")]
    pub lightspeed_api_url: Option<String>,
    /// The Sides POS API base (no public default exists: Sides hands it to partners).
    #[arg(long, env = "LARDER_SIDES_API_URL", default_value = "")]
    pub sides_api_url: String,
    /// Seconds one POS request may take, connect to last byte.
    #[arg(long, env = "LARDER_POS_TIMEOUT_SECONDS", default_value_t = 30)]
    pub pos_timeout_seconds: u64,
    /// Tries of one POS request before the job fails with the POS's message.
    #[arg(long, env = "LARDER_POS_ATTEMPTS", default_value_t = 5)]
    pub pos_attempts: u32,
    /// First backoff between tries, in milliseconds (doubling, with jitter, up to 30 s).
    #[arg(long, env = "LARDER_POS_RETRY_BASE_MS", default_value_t = 500)]
    pub pos_retry_base_ms: u64,
}

impl Default for PosSettings {
    fn default() -> Self {
        Self {
            lightspeed_client_id: String::new(),
            lightspeed_client_secret: String::new(),
            lightspeed_oauth_version: "v2".into(),
            lightspeed_auth_url: None,
            lightspeed_token_url: None,
            lightspeed_api_url: None,
            sides_api_url: String::new(),
            pos_timeout_seconds: 30,
            pos_attempts: 5,
            pos_retry_base_ms: 500,
        }
    }
}

impl PosSettings {
    /// The live POS settings; `public_url` is where this server is reached.
    pub fn live(
        &self,
        cipher: service::crypto::Cipher,
        public_url: &str,
    ) -> anyhow::Result<service::pos::live::LiveSettings> {
        use service::pos::live::{HttpPolicy, LightspeedSettings, SidesSettings, lightspeed};
        let version = match self.lightspeed_oauth_version.to_ascii_lowercase().as_str() {
            "v2" => lightspeed::OAuthVersion::V2,
            "v1" => lightspeed::OAuthVersion::V1,
            other => anyhow::bail!("LARDER_LIGHTSPEED_OAUTH_VERSION must be v1 or v2, not {other}"),
        };
        let mut lightspeed = LightspeedSettings::production(version);
        lightspeed.client_id = self.lightspeed_client_id.clone();
        lightspeed.client_secret = self.lightspeed_client_secret.clone();
        if let Some(url) = self.lightspeed_auth_url.clone().filter(|u| !u.is_empty()) {
            lightspeed.auth_url = url;
        }
        if let Some(url) = self.lightspeed_token_url.clone().filter(|u| !u.is_empty()) {
            lightspeed.token_url = url;
        }
        if let Some(url) = self.lightspeed_api_url.clone().filter(|u| !u.is_empty()) {
            lightspeed.api_url = url;
        }
        let http = HttpPolicy {
            timeout: std::time::Duration::from_secs(self.pos_timeout_seconds.max(1)),
            attempts: self.pos_attempts.max(1),
            base_delay: std::time::Duration::from_millis(self.pos_retry_base_ms),
            ..HttpPolicy::default()
        };
        Ok(service::pos::live::LiveSettings::new(
            cipher,
            lightspeed,
            SidesSettings {
                api_url: self.sides_api_url.clone(),
            },
            public_url,
            http,
        ))
    }
}

const REDACTED: &str = "<redacted>";

fn redacted<T>(value: &Option<T>) -> Option<&'static str> {
    value.as_ref().map(|_| REDACTED)
}

impl std::fmt::Debug for ServeSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServeSettings")
            .field("bind", &self.bind)
            .field("data_dir", &self.data_dir)
            .field("database_url", &redacted(&self.database_url))
            .field("demo", &self.demo)
            .field("demo_password", &redacted(&self.demo_password))
            .field("static_dir", &self.static_dir)
            .field("session_ttl_seconds", &self.session_ttl_seconds)
            .field("graphql_max_depth", &self.graphql_max_depth)
            .field("graphql_max_complexity", &self.graphql_max_complexity)
            .field("graphql_max_body_bytes", &self.graphql_max_body_bytes)
            .field("request_timeout_seconds", &self.request_timeout_seconds)
            .field("body_idle_timeout_seconds", &self.body_idle_timeout_seconds)
            .field("disable_introspection", &self.disable_introspection)
            .field(
                "sign_ins_per_address_per_minute",
                &self.sign_ins_per_address_per_minute,
            )
            .field(
                "sign_ins_per_account_per_minute",
                &self.sign_ins_per_account_per_minute,
            )
            .field("socket_recheck_seconds", &self.socket_recheck_seconds)
            .field("requests_per_address", &self.requests_per_address)
            .field("file_requests_per_address", &self.file_requests_per_address)
            .field("sockets_per_address", &self.sockets_per_address)
            .field("no_workers", &self.no_workers)
            .field("secret_key", &redacted(&self.secret_key))
            .field("csv_max_bytes", &self.csv_max_bytes)
            .field("transfer_schedule", &self.transfer_schedule)
            .field("worker_concurrency", &self.worker_concurrency)
            .field("worker_heartbeat_seconds", &self.worker_heartbeat_seconds)
            .field("public_url", &self.public_url)
            .field("metrics_bind", &self.metrics_bind)
            .field("log_format", &self.log_format)
            .field("backup_dir", &self.backup_dir)
            .field("backup_every", &self.backup_every)
            .field("backup_keep", &self.backup_keep)
            .field("pos", &self.pos)
            .finish()
    }
}

impl std::fmt::Debug for PosSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PosSettings")
            .field("lightspeed_client_id", &self.lightspeed_client_id)
            .field("lightspeed_client_secret", &REDACTED)
            .field("lightspeed_oauth_version", &self.lightspeed_oauth_version)
            .field("lightspeed_auth_url", &self.lightspeed_auth_url)
            .field("lightspeed_token_url", &self.lightspeed_token_url)
            .field("lightspeed_api_url", &self.lightspeed_api_url)
            .field("sides_api_url", &self.sides_api_url)
            .field("pos_timeout_seconds", &self.pos_timeout_seconds)
            .field("pos_attempts", &self.pos_attempts)
            .field("pos_retry_base_ms", &self.pos_retry_base_ms)
            .finish()
    }
}

impl ServeSettings {
    pub fn database_url(&self) -> String {
        database_url(&self.data_dir, self.database_url.as_deref())
    }

    /// The data dir's settings as the operations commands take them.
    pub fn database(&self) -> DatabaseArgs {
        DatabaseArgs {
            data_dir: self.data_dir.clone(),
            database_url: self.database_url.clone(),
            secret_key: self.secret_key.clone(),
        }
    }

    /// The backup schedule, when a folder is given.
    pub fn backup_schedule(&self) -> Option<service::operations::schedule::Schedule> {
        let dir = self.backup_dir.clone()?;
        let seconds = (self.backup_every * 3600.0).clamp(1.0, 366.0 * 24.0 * 3600.0);
        Some(service::operations::schedule::Schedule {
            dir,
            every: std::time::Duration::from_secs_f64(seconds),
            keep: self.backup_keep.max(1),
        })
    }

    /// The SPA's files: the flag, else the checkout's `web/dist` as seen from the working
    /// directory (the repository root, or a crate directory as under `cargo test`), else the one
    /// beside the workspace this binary was built in. The working directory comes first: with a
    /// target directory shared by two checkouts, a binary built in one would otherwise serve the
    /// other's SPA.
    pub fn static_dir(&self) -> PathBuf {
        if let Some(dir) = &self.static_dir {
            return dir.clone();
        }
        let here = std::env::current_dir().unwrap_or_default();
        [here.join("web/dist"), here.join("../web/dist")]
            .into_iter()
            .find(|dir| dir.join("index.html").is_file())
            .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../web/dist")))
    }

    /// Settings for a test or an embedded use: a free port, the given data dir, no demo.
    pub fn for_data_dir(data_dir: PathBuf) -> Self {
        Self {
            bind: "127.0.0.1:0".parse().expect("valid address"),
            data_dir,
            database_url: None,
            demo: false,
            demo_password: None,
            static_dir: None,
            session_ttl_seconds: 7 * 24 * 3600,
            graphql_max_depth: 16,
            graphql_max_complexity: 20_000,
            graphql_max_body_bytes: 1 << 20,
            request_timeout_seconds: 20,
            body_idle_timeout_seconds: 10,
            disable_introspection: false,
            sign_ins_per_address_per_minute: 60,
            sign_ins_per_account_per_minute: 10,
            socket_recheck_seconds: 30,
            requests_per_address: 32,
            file_requests_per_address: 4,
            sockets_per_address: 32,
            no_workers: false,
            secret_key: None,
            csv_max_bytes: 50_000_000,
            transfer_schedule: "0 */5 * * * *".into(),
            worker_concurrency: 2,
            worker_heartbeat_seconds: 2,
            public_url: None,
            metrics_bind: None,
            log_format: LogFormat::Human,
            backup_dir: None,
            backup_every: 24.0,
            backup_keep: 7,
            pos: PosSettings::default(),
        }
    }

    /// The encryption key: the setting, else the data dir's key file (created on first use).
    pub fn cipher(&self) -> anyhow::Result<service::crypto::Cipher> {
        if self.secret_key.as_deref().is_none_or(str::is_empty) {
            std::fs::create_dir_all(&self.data_dir)?;
            let path = self.data_dir.join("secret.key");
            if !path.exists() {
                write_private(&path, &service::crypto::Cipher::generate_hex())?;
            }
        }
        Ok(service::crypto::Cipher::from_hex(
            &self.database().key_hex()?,
        )?)
    }

    pub fn worker_options(&self) -> jobs::WorkerOptions {
        jobs::WorkerOptions {
            concurrency: self.worker_concurrency.max(1),
            schedule: self.transfer_schedule.clone(),
            // Whole seconds: apalis measures silence in whole seconds on SQLite, where a beat
            // under one would make every running job look orphaned.
            heartbeat: std::time::Duration::from_secs(self.worker_heartbeat_seconds.max(1)),
            ..Default::default()
        }
    }
}

/// Creates `path` readable by its owner alone from the first byte on (a chmod after writing
/// leaves a moment in which others can read the key); an existing file is never overwritten.
fn write_private(path: &std::path::Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(contents.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_holds_no_secret() {
        let mut settings = ServeSettings::for_data_dir("data".into());
        settings.secret_key = Some("00aa11bb".repeat(8));
        settings.demo_password = Some("demo-password-123".into());
        settings.database_url = Some("postgres://larder:db-password-456@db/larder".into());
        settings.pos.lightspeed_client_secret = "client-secret-789".into();
        let printed = format!("{settings:?}");
        for secret in [
            "00aa11bb",
            "demo-password-123",
            "db-password-456",
            "client-secret-789",
        ] {
            assert!(!printed.contains(secret), "{secret} printed: {printed}");
        }
        assert!(printed.contains("transfer_schedule"), "{printed}");
    }
}
