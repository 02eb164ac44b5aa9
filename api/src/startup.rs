//! Building and running the server: database, schema, routes, graceful shutdown.

use std::net::{SocketAddr, TcpListener};

use actix_web::dev::Server;
use actix_web::{App, HttpServer, guard, web};
use sea_orm::DatabaseConnection;
use tracing_actix_web::TracingLogger;

use crate::config::ServeSettings;
use crate::graphql::{self, SchemaLimits, context::AppSettings};
use crate::routes;

pub struct Application {
    address: SocketAddr,
    server: Server,
    db: DatabaseConnection,
}

impl Application {
    /// Opens (and migrates) the database, seeds demo data when asked, binds the port.
    pub async fn build(settings: ServeSettings) -> anyhow::Result<Self> {
        if settings.database_url.as_deref().is_none_or(str::is_empty) {
            std::fs::create_dir_all(&settings.data_dir)?;
        }
        let db = service::db::connect(&settings.database_url()).await?;
        tracing::info!(database = service::db::backend_name(&db), "database ready");
        if settings.demo {
            let password = settings
                .demo_password
                .clone()
                .unwrap_or_else(service::secrets::random_password);
            match service::demo::seed(&db, &password).await? {
                service::demo::Seeded::Created => println!(
                    "Demo data created. Sign in as {} with password {password}",
                    service::demo::DEMO_EMAIL
                ),
                service::demo::Seeded::AlreadyPresent => println!(
                    "The database already has data; demo user {} keeps the password it was given",
                    service::demo::DEMO_EMAIL
                ),
            }
        }
        let listener = TcpListener::bind(settings.bind)?;
        let address = listener.local_addr()?;
        let server = run(listener, db.clone(), &settings)?;
        Ok(Self {
            address,
            server,
            db,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Runs until SIGINT/SIGTERM, then finishes in-flight requests.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }

    pub fn into_server(self) -> Server {
        self.server
    }
}

fn run(
    listener: TcpListener,
    db: DatabaseConnection,
    settings: &ServeSettings,
) -> anyhow::Result<Server> {
    let schema = graphql::build(
        db.clone(),
        AppSettings {
            session_ttl: chrono::Duration::seconds(settings.session_ttl_seconds),
        },
        SchemaLimits {
            max_depth: settings.graphql_max_depth,
            max_complexity: settings.graphql_max_complexity,
        },
    );
    let static_dir = settings.static_dir();
    let schema = web::Data::new(schema);
    let db = web::Data::new(db);
    let server = HttpServer::new(move || {
        App::new()
            .wrap(TracingLogger::default())
            .app_data(schema.clone())
            .app_data(db.clone())
            .app_data(web::Data::new(routes::StaticDir(static_dir.clone())))
            .route("/health", web::get().to(routes::health))
            .route("/api/ledger.csv", web::get().to(crate::exports::ledger_csv))
            .route(
                "/api/reports/inventory.csv",
                web::get().to(crate::exports::inventory_csv),
            )
            .service(
                web::resource("/graphql")
                    .guard(guard::Post())
                    .to(routes::graphql),
            )
            .service(web::resource("/graphql/ws").to(routes::graphql_ws))
            .service(
                web::resource("/graphql")
                    .guard(guard::Get())
                    .guard(guard::Header("upgrade", "websocket"))
                    .to(routes::graphql_ws),
            )
            .service(
                web::resource("/graphql")
                    .guard(guard::Get())
                    .to(routes::graphiql),
            )
            .service(
                actix_files::Files::new("/", static_dir.clone())
                    .index_file("index.html")
                    .default_handler(web::to(routes::spa_index)),
            )
            .default_service(web::to(routes::spa_index))
    })
    .shutdown_timeout(10)
    .listen(listener)?
    .run();
    Ok(server)
}
