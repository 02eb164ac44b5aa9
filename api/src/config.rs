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
    /// Print the GraphQL schema (SDL).
    Schema,
}

#[derive(Debug, Clone, Args)]
pub struct ServeSettings {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "LARDER_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Where the embedded SQLite database (and later the queue) lives.
    #[arg(long, env = "LARDER_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// A PostgreSQL URL (postgres://…) instead of the embedded SQLite file.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// Seed an empty database with a demo restaurant.
    #[arg(long, env = "LARDER_DEMO")]
    pub demo: bool,
    /// The demo user's password; a random one is printed when not given.
    #[arg(long, env = "LARDER_DEMO_PASSWORD")]
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
    #[arg(long, env = "LARDER_GRAPHQL_MAX_COMPLEXITY", default_value_t = 5000)]
    pub graphql_max_complexity: usize,
}

impl ServeSettings {
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) if !url.is_empty() => url.clone(),
            _ => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("larder.sqlite").display()
            ),
        }
    }

    /// The SPA's files: the flag, else `web/dist` beside the workspace this binary was built in.
    pub fn static_dir(&self) -> PathBuf {
        self.static_dir
            .clone()
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
            graphql_max_complexity: 5000,
        }
    }
}
