//! Building and running the server: database, schema, routes, graceful shutdown.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::{App, HttpServer, guard, web};
use sea_orm::DatabaseConnection;
use service::pos::live::LiveSettings;
use tracing_actix_web::TracingLogger;

use crate::config::ServeSettings;
use crate::graphql::{self, SchemaLimits, context::AppSettings};
use crate::rate_limit::{InFlight, InFlightLimits};
use crate::request_span::RequestSpan;
use crate::routes;
use service::operations::in_use::DataDirLock;

pub struct Application {
    address: SocketAddr,
    server: Server,
    db: DatabaseConnection,
    workers: Option<Workers>,
    metrics: Option<(SocketAddr, Server)>,
    /// Held while the server runs on an SQLite data dir: `move-to` refuses meanwhile.
    _data_dir: Option<DataDirLock>,
}

/// The job workers running beside the server, and how to stop them.
struct Workers {
    stop: tokio::sync::oneshot::Sender<()>,
    handle: tokio::task::JoinHandle<anyhow::Result<()>>,
}

fn start_workers(
    db: &DatabaseConnection,
    settings: &ServeSettings,
    live: Arc<LiveSettings>,
) -> Workers {
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let handle = tokio::spawn(jobs::run(
        db.clone(),
        settings.worker_options(),
        live,
        async move {
            let _ = stopped.await;
        },
    ));
    Workers { stop, handle }
}

/// Opens the database of `settings` (creating an SQLite data dir, and holding its lock).
async fn open_database(
    settings: &ServeSettings,
) -> anyhow::Result<(DatabaseConnection, Option<DataDirLock>)> {
    let lock = if settings.database().is_postgres() {
        None
    } else {
        std::fs::create_dir_all(&settings.data_dir)?;
        Some(DataDirLock::running(&settings.data_dir)?)
    };
    Ok((service::db::connect(&settings.database_url()).await?, lock))
}

/// Takes scheduled backups while the process runs (any number of processes may; one takes
/// each backup). A failure is logged and tried again at the next check.
fn start_backups(db: &DatabaseConnection, settings: &ServeSettings) -> anyhow::Result<()> {
    let Some(schedule) = settings.backup_schedule() else {
        return Ok(());
    };
    // The key a backup carries: the one this process encrypts with (created on first start).
    settings.cipher()?;
    let key = settings.database().key_hex()?;
    let (db, url) = (db.clone(), settings.database_url());
    // Checked ten times a period (at most every minute): a process started late, or one whose
    // peer took the last backup, still notices when the next is due.
    let check = (schedule.every / 10).clamp(
        std::time::Duration::from_secs(1),
        std::time::Duration::from_secs(60),
    );
    tokio::spawn(async move {
        loop {
            match service::operations::schedule::take_if_due(&db, &url, &key, &schedule).await {
                Ok(Some(file)) => tracing::info!(file = %file.display(), "scheduled backup taken"),
                Ok(None) => {}
                Err(e) => tracing::error!(error = %e, "scheduled backup failed"),
            }
            tokio::time::sleep(check).await;
        }
    });
    Ok(())
}

/// The metrics listener, when `--metrics-bind` is given.
fn start_metrics(
    db: &DatabaseConnection,
    settings: &ServeSettings,
) -> anyhow::Result<Option<(SocketAddr, Server)>> {
    let Some(bind) = settings.metrics_bind else {
        return Ok(None);
    };
    let listener = TcpListener::bind(bind)?;
    let address = listener.local_addr()?;
    let server = crate::metrics::serve(listener, db.clone())?;
    tracing::info!(%address, "metrics at /metrics");
    Ok(Some((address, server)))
}

/// `larder worker`: the relay, workers and scheduler alone, until SIGINT/SIGTERM.
pub async fn run_worker(settings: ServeSettings) -> anyhow::Result<()> {
    crate::metrics::install();
    let (db, _data_dir) = open_database(&settings).await?;
    start_backups(&db, &settings)?;
    let metrics = start_metrics(&db, &settings)?;
    if let Some((_, server)) = metrics {
        tokio::spawn(server);
    }
    println!(
        "Larder worker running on {}",
        service::db::backend_name(&db)
    );
    let public_url = settings
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", settings.bind));
    let live = Arc::new(settings.pos.live(settings.cipher()?, &public_url)?);
    jobs::run(db, settings.worker_options(), live, shutdown_signal()).await
}

async fn shutdown_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}

impl Application {
    /// Opens (and migrates) the database, seeds demo data when asked, binds the port.
    pub async fn build(settings: ServeSettings) -> anyhow::Result<Self> {
        // Recording starts before anything is posted (the demo's seeding included).
        crate::metrics::install();
        let (db, data_dir) = open_database(&settings).await?;
        tracing::info!(database = service::db::backend_name(&db), "database ready");
        if settings.demo {
            let given = settings.demo_password.clone();
            let password = given
                .clone()
                .unwrap_or_else(service::secrets::random_password);
            let started = std::time::Instant::now();
            let seeded = service::demo::seed(&db, &settings.cipher()?, &password).await?;
            let took = started.elapsed().as_secs_f64();
            match seeded {
                // A password the operator chose is theirs already: it stays out of the output.
                service::demo::Seeded::Created if given.is_some() => println!(
                    "Demo data created in {took:.1} s. Sign in as {} with the password given in --demo-password",
                    service::demo::DEMO_EMAIL
                ),
                service::demo::Seeded::Created => println!(
                    "Demo data created in {took:.1} s. Sign in as {} with password {password}",
                    service::demo::DEMO_EMAIL
                ),
                service::demo::Seeded::AlreadyPresent => println!(
                    "The database already has data; demo user {} keeps the password it was given",
                    service::demo::DEMO_EMAIL
                ),
            }
        }
        let cipher = settings.cipher()?;
        jobs::setup(&db).await?;
        tokio::spawn(jobs::forward_job_notifications(db.clone()));
        let listener = TcpListener::bind(settings.bind)?;
        let address = listener.local_addr()?;
        let public_url = settings
            .public_url
            .clone()
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| format!("http://{address}"));
        let live = Arc::new(settings.pos.live(cipher.clone(), &public_url)?);
        let workers = (!settings.no_workers).then(|| start_workers(&db, &settings, live.clone()));
        start_backups(&db, &settings)?;
        let metrics = start_metrics(&db, &settings)?;
        let server = run(listener, db.clone(), &settings, cipher, live)?;
        Ok(Self {
            address,
            server,
            db,
            workers,
            metrics,
            _data_dir: data_dir,
        })
    }

    /// Where the metrics are served, when they are.
    pub fn metrics_address(&self) -> Option<SocketAddr> {
        self.metrics.as_ref().map(|(address, _)| *address)
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Runs until SIGINT/SIGTERM, then finishes in-flight requests.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let metrics = self.metrics.map(|(_, server)| {
            let handle = server.handle();
            tokio::spawn(server);
            handle
        });
        let served = self.server.await;
        if let Some(metrics) = metrics {
            metrics.stop(true).await;
        }
        if let Some(workers) = self.workers {
            let _ = workers.stop.send(());
            match tokio::time::timeout(std::time::Duration::from_secs(15), workers.handle).await {
                Ok(Ok(Err(e))) => tracing::warn!(error = %e, "job workers stopped with an error"),
                Err(_) => tracing::warn!("job workers did not stop in time"),
                _ => {}
            }
        }
        served
    }
}

fn run(
    listener: TcpListener,
    db: DatabaseConnection,
    settings: &ServeSettings,
    cipher: service::crypto::Cipher,
    live: Arc<LiveSettings>,
) -> anyhow::Result<Server> {
    let app_settings = AppSettings {
        session_ttl: chrono::Duration::seconds(settings.session_ttl_seconds),
        cipher,
        live,
        csv_max_bytes: settings.csv_max_bytes,
        graphql_max_body_bytes: settings.graphql_max_body_bytes as u64,
        request_timeout: std::time::Duration::from_secs(settings.request_timeout_seconds),
        body_idle: std::time::Duration::from_secs(settings.body_idle_timeout_seconds),
        socket_recheck: std::time::Duration::from_secs(settings.socket_recheck_seconds.max(1)),
        login_limits: Arc::new(crate::rate_limit::LoginLimits::new(
            settings.sign_ins_per_address_per_minute,
            settings.sign_ins_per_account_per_minute,
        )),
        in_flight: InFlightLimits {
            requests: InFlight::new("GraphQL requests", settings.requests_per_address),
            files: InFlight::new("uploads and exports", settings.file_requests_per_address),
            sockets: InFlight::new("GraphQL sockets", settings.sockets_per_address),
        },
        callers: service::principal_cache::PrincipalCache::start(&db),
    };
    let schema = graphql::build(
        db.clone(),
        app_settings.clone(),
        SchemaLimits {
            max_depth: settings.graphql_max_depth,
            max_complexity: settings.graphql_max_complexity,
            introspection: !settings.disable_introspection,
        },
    );
    let static_dir = settings.static_dir();
    // GraphiQL browses the schema: it goes with introspection.
    let graphiql = !settings.disable_introspection;
    let schema = web::Data::new(schema);
    let db = web::Data::new(db);
    let app_settings = web::Data::new(app_settings);
    let csv_limit = settings.csv_max_bytes as usize;
    // One file per upload mutation; the operations and map fields are small. The bound is the
    // CSV limit (50 MB by default), above the 25 MB an invoice PDF may have.
    let multipart = web::Data::new(
        async_graphql::http::MultipartOptions::default()
            .max_file_size(csv_limit)
            .max_num_files(1),
    );
    let server = HttpServer::new(move || {
        App::new()
            .wrap(actix_web::middleware::from_fn(crate::observe::observe))
            .wrap(TracingLogger::<RequestSpan>::new())
            .app_data(schema.clone())
            .app_data(db.clone())
            .app_data(app_settings.clone())
            .app_data(web::PayloadConfig::new(1 << 20))
            .app_data(multipart.clone())
            .service(
                web::resource("/api/pos/csv")
                    .app_data(web::PayloadConfig::new(csv_limit))
                    .route(web::post().to(crate::uploads::upload_csv)),
            )
            .service(
                web::resource("/api/invoices")
                    .app_data(web::PayloadConfig::new(service::invoices::read::PDF_LIMIT))
                    .route(web::post().to(crate::invoice_files::import)),
            )
            .route(
                "/api/invoices/{id}/original",
                web::get().to(crate::invoice_files::original),
            )
            .route(
                "/oauth/lightspeed/callback",
                web::get().to(crate::oauth::lightspeed_callback),
            )
            .route(
                "/webhooks/{integration_id}",
                web::post().to(crate::uploads::webhook),
            )
            .app_data(web::Data::new(routes::StaticDir(static_dir.clone())))
            .route("/health", web::get().to(routes::health))
            .route("/health/ready", web::get().to(routes::ready))
            .route("/api/ledger.csv", web::get().to(crate::exports::ledger_csv))
            .route(
                "/api/reports/inventory.csv",
                web::get().to(crate::exports::inventory_csv),
            )
            .route(
                "/api/reports/variance.csv",
                web::get().to(crate::food_cost_csv::variance_csv),
            )
            .route(
                "/api/reports/menu-engineering.csv",
                web::get().to(crate::food_cost_csv::menu_engineering_csv),
            )
            .route(
                "/api/reports/price-changes.csv",
                web::get().to(crate::food_cost_csv::price_changes_csv),
            )
            .service(
                web::resource("/graphql")
                    .guard(guard::Post())
                    .to(crate::graphql_http::graphql),
            )
            .service(web::resource("/graphql/ws").to(crate::graphql_ws::graphql_ws))
            .service(
                web::resource("/graphql")
                    .guard(guard::Get())
                    .guard(guard::Header("upgrade", "websocket"))
                    .to(crate::graphql_ws::graphql_ws),
            )
            .service(
                web::resource("/graphql")
                    .guard(guard::Get())
                    .guard(guard::fn_guard(move |_| graphiql))
                    .to(routes::graphiql),
            )
            .route("/sw.js", web::get().to(routes::service_worker))
            .route("/", web::get().to(routes::spa_index))
            .route("/index.html", web::get().to(routes::spa_index))
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
