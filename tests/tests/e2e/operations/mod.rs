//! Operations (issue 24): a Larder its keeper can back up while it runs, restore into an empty
//! target, move from SQLite to PostgreSQL, watch (metrics, logs with request ids) and run as
//! many processes on one PostgreSQL database.

mod backup;
mod move_to;
mod processes;
mod refusals;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};
use tests::{Backend, TestApp};

/// `larder ARGS` with the test's database settings only (nothing from the environment).
pub fn larder(args: &[&str]) -> Command {
    let mut command = Command::new(tests::larder_binary());
    command
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("LARDER_DATA_DIR")
        .env_remove("LARDER_SECRET_KEY")
        .env_remove("RUST_BACKTRACE");
    command
}

/// `larder backup` of `app` into `out`.
pub fn backup(app: &TestApp, out: &Path) -> Output {
    let mut command = larder(&["backup", "--out"]);
    command.arg(out).arg("--data-dir").arg(&app.data_dir);
    if let Some(url) = &app.database_url {
        command.args(["--database-url", url]);
    }
    command.output().expect("larder runs")
}

/// What a command said on stderr.
pub fn said(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A fresh target for a restore or a move: a data dir that does not exist yet and, on
/// PostgreSQL, an empty database.
pub struct Target {
    pub backend: Backend,
    pub data_dir: PathBuf,
    pub database: Option<String>,
}

impl Target {
    pub async fn new(backend: Backend) -> Self {
        let name = format!("larder_ops_{}", uuid::Uuid::new_v4().simple());
        let database = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => {
                tests::create_pg_database(&name).await;
                Some(name.clone())
            }
        };
        Self {
            backend,
            data_dir: std::env::temp_dir().join(name),
            database,
        }
    }

    pub fn url(&self) -> Option<String> {
        self.database
            .as_ref()
            .map(|name| format!("postgres://postgres@127.0.0.1:5432/{name}"))
    }

    /// `larder restore FILE` into this target.
    pub fn restore(&self, file: &Path) -> Output {
        let mut command = larder(&["restore"]);
        command.arg(file).arg("--data-dir").arg(&self.data_dir);
        if let Some(url) = self.url() {
            command.args(["--database-url", &url]);
        }
        command.output().expect("larder runs")
    }

    /// A server on what was restored or moved here; it cleans the target up when dropped.
    pub async fn serve(self) -> TestApp {
        let mut settings = api::config::ServeSettings::for_data_dir(self.data_dir.clone());
        settings.database_url = self.url();
        TestApp::start(self.backend, settings, self.database).await
    }
}

/// Signs `email` in with `password`; the token.
pub async fn login(app: &TestApp, email: &str, password: &str) -> String {
    let response = app
        .gql(
            None,
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
            json!({"e": email, "p": password}),
        )
        .await;
    response["data"]["login"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("{email} signs in: {response:#}"))
        .to_string()
}

/// A company's books as its users read them: stock levels and value, the newest 500 ledger
/// entries with every derived figure, the integrations and their webhook secrets (readable only
/// with the right key), orders and counts.
pub async fn books(app: &TestApp, token: &str, company: &str) -> Value {
    let mut books = app
        .ok(
            token,
            "query($c: ID!) {
                stockLevels(companyId: $c) { ingredient { name } storageUnit { name } quantity value averageCost }
                stockValue(companyId: $c) { total storageUnits { storageUnit { name } value } }
                ledger(companyId: $c, first: 500, newestFirst: true) { totalCount nodes {
                    id transactionType quantity unitCost value balanceAfter averageCostAfter occurredAt
                    ingredient { name } storageUnit { name } reason reversalOf } }
                posIntegrations(companyId: $c) { id name provider connectionState }
                orders(companyId: $c) { id status reference }
                stockCounts(companyId: $c) { id status }
            }",
            json!({"c": company}),
        )
        .await;
    let mut secrets = Vec::new();
    for integration in books["posIntegrations"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        let secret = app
            .ok(
                token,
                "query($i: ID!) { webhookSecret(integrationId: $i) }",
                json!({"i": integration["id"]}),
            )
            .await;
        secrets.push(secret["webhookSecret"].clone());
    }
    books["webhookSecrets"] = Value::Array(secrets);
    books
}
