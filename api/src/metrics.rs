//! Metrics in Prometheus' text format on a listener of their own (`--metrics-bind`, off by
//! default), through the `metrics` facade and its Prometheus exporter. Counters are recorded
//! where things happen (HTTP here, GraphQL in its extension, the ledger in `service`, jobs in
//! `jobs`); gauges that describe a state — the pool, the last backup — are read when scraped.

use std::net::TcpListener;
use std::sync::OnceLock;

use actix_web::{App, HttpResponse, HttpServer, dev::Server, web};
use metrics::{counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use sea_orm::DatabaseConnection;

/// The process's recorder: installed once, whatever the number of servers in it (tests).
fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let handle = PrometheusBuilder::new()
            .set_buckets(&[
                0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0,
            ])
            .expect("valid buckets")
            .install_recorder()
            .expect("the only metrics recorder of the process");
        describe();
        handle
    })
}

fn describe() {
    describe_counter!(
        "larder_http_requests_total",
        "HTTP requests by route pattern, method and status"
    );
    describe_histogram!(
        "larder_http_request_duration_seconds",
        metrics::Unit::Seconds,
        "HTTP request durations by route pattern"
    );
    describe_counter!(
        "larder_graphql_operations_total",
        "GraphQL root fields run, by field and outcome (ok or the error code)"
    );
    describe_counter!(
        "larder_ledger_entries_posted_total",
        "Ledger entries written"
    );
    describe_counter!("larder_jobs_total", "Job runs finished, by kind and state");
    describe_histogram!(
        "larder_job_duration_seconds",
        metrics::Unit::Seconds,
        "Job run durations by kind"
    );
    describe_counter!(
        "larder_pos_api_calls_total",
        "Calls to a POS API, by provider and status"
    );
    describe_gauge!(
        "larder_db_pool_connections",
        "Database pool connections by state (in_use, idle)"
    );
    describe_counter!(
        "larder_db_pool_acquire_timeouts_total",
        "Waits for a pooled database connection that ran out of time"
    );
    describe_gauge!(
        "larder_sqlite_write_queue_depth",
        "Write transactions waiting for SQLite's write lane"
    );
    describe_counter!(
        "larder_webhook_deliveries_total",
        "Outbound webhook deliveries by outcome"
    );
    describe_gauge!(
        "larder_last_backup_timestamp_seconds",
        "When the last backup of this database succeeded (Unix seconds)"
    );
    // Present from the first scrape, at zero, so a dashboard's query has a series to read.
    counter!("larder_ledger_entries_posted_total").absolute(0);
}

/// Starts recording (before anything records); idempotent.
pub fn install() {
    handle();
}

pub fn http_request(route: &str, method: &str, status: u16, seconds: f64) {
    let labels = [
        ("route", route.to_string()),
        ("method", method.to_string()),
        ("status", status.to_string()),
    ];
    counter!("larder_http_requests_total", &labels).increment(1);
    histogram!("larder_http_request_duration_seconds", "route" => route.to_string(), "method" => method.to_string())
        .record(seconds);
}

/// `GET /metrics` on the metrics listener.
async fn scrape(db: web::Data<DatabaseConnection>) -> HttpResponse {
    read_states(&db).await;
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(handle().render())
}

async fn read_states(db: &DatabaseConnection) {
    let (size, idle) = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle() as u32)
        }
        _ => {
            let pool = db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle() as u32)
        }
    };
    gauge!("larder_db_pool_connections", "state" => "in_use").set(size.saturating_sub(idle) as f64);
    gauge!("larder_db_pool_connections", "state" => "idle").set(idle as f64);
    gauge!("larder_sqlite_write_queue_depth").set(service::db::write::queue_depth() as f64);
    match service::operations::schedule::last_success(db).await {
        Ok(Some(at)) => gauge!("larder_last_backup_timestamp_seconds").set(at.timestamp() as f64),
        Ok(None) => {}
        Err(e) => tracing::warn!(error = %e, "metrics: could not read the last backup"),
    }
}

/// The metrics listener: its own server, so the API's port never exposes them.
pub fn serve(listener: TcpListener, db: DatabaseConnection) -> std::io::Result<Server> {
    let db = web::Data::new(db);
    Ok(HttpServer::new(move || {
        App::new()
            .app_data(db.clone())
            .route("/metrics", web::get().to(scrape))
    })
    .workers(1)
    .shutdown_timeout(5)
    .listen(listener)?
    .run())
}
