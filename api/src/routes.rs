//! HTTP endpoints: health, GraphQL over POST and WebSocket, GraphiQL, and the SPA.

use std::path::PathBuf;

use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::http::GraphiQLSource;
use sea_orm::DatabaseConnection;
use serde_json::json;

use crate::graphql::RequestContext;

/// How long a worker may go without a beat (it beats every 2 s) before it counts as stopped.
const WORKER_SILENCE: chrono::Duration = chrono::Duration::seconds(30);

/// `GET /health`: liveness, with what a readiness check needs — the database, and the job
/// workers of every process on it with their last beat (`jobs.status` is `degraded` when none
/// has beaten within 30 s: jobs would stay QUEUED). 503 only when the database is unreachable.
pub async fn health(db: web::Data<DatabaseConnection>) -> HttpResponse {
    let report = health_report(&db).await;
    if report.database_ok {
        HttpResponse::Ok().json(report.body)
    } else {
        HttpResponse::ServiceUnavailable().json(report.body)
    }
}

/// `GET /health/ready`: 200 when the database answers and a job worker has beaten recently, else
/// 503 — for a load balancer or an orchestrator that should not send work here yet.
pub async fn ready(db: web::Data<DatabaseConnection>) -> HttpResponse {
    let report = health_report(&db).await;
    if report.database_ok && report.workers_ok {
        HttpResponse::Ok().json(report.body)
    } else {
        HttpResponse::ServiceUnavailable().json(report.body)
    }
}

struct HealthReport {
    database_ok: bool,
    workers_ok: bool,
    body: serde_json::Value,
}

async fn health_report(db: &DatabaseConnection) -> HealthReport {
    let backend = service::db::backend_name(db);
    if let Err(e) = db.ping().await {
        tracing::error!(error = %e, "health check: database unreachable");
        return HealthReport {
            database_ok: false,
            workers_ok: false,
            body: json!({
                "status": "unavailable",
                "database": backend,
                "version": env!("CARGO_PKG_VERSION"),
            }),
        };
    }
    let workers = jobs::health::workers_seen(db).await.unwrap_or_else(|e| {
        tracing::warn!(error = %e, "health check: could not read the job workers");
        Vec::new()
    });
    let now = chrono::Utc::now();
    let workers_ok = workers.iter().any(|w| now - w.last_seen <= WORKER_SILENCE);
    let last_backup = service::operations::schedule::last_success(db)
        .await
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, "health check: could not read the last backup");
            None
        });
    HealthReport {
        database_ok: true,
        workers_ok,
        body: json!({
            "status": "ok",
            "database": backend,
            "version": env!("CARGO_PKG_VERSION"),
            "jobs": {
                "status": if workers_ok { "ok" } else { "degraded" },
                "workers": workers,
            },
            "backup": { "lastSuccessAt": last_backup.map(|at| at.to_rfc3339()) },
        }),
    }
}

pub fn bearer(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

/// Authenticates the token once per request; a bad token is kept as the reason, so operations
/// that need no caller (login) still work and the others say why they refuse.
pub async fn request_context(
    db: &DatabaseConnection,
    callers: &service::principal_cache::PrincipalCache,
    token: Option<String>,
) -> RequestContext {
    let principal = match &token {
        None => None,
        Some(t) => Some(
            service::accounts::authenticate_cached(db, callers, t)
                .await
                .map_err(|e| e.to_string()),
        ),
    };
    RequestContext {
        token,
        principal,
        client: None,
    }
}

pub async fn graphiql() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(
            GraphiQLSource::build()
                .endpoint("/graphql")
                .subscription_endpoint("/graphql/ws")
                .finish(),
        )
}

/// Any path that is not a file of the SPA gets its index.html, so client-side routes survive a
/// reload.
pub async fn spa_index(dir: web::Data<StaticDir>) -> HttpResponse {
    match std::fs::read_to_string(dir.0.join("index.html")) {
        // Asked for each time: it names the build's hashed files, so an old copy would run an
        // old app after a deploy (those files may be cached for good).
        Ok(html) => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header(("Cache-Control", "no-cache"))
            .body(html),
        Err(_) => HttpResponse::NotFound().content_type("text/plain; charset=utf-8").body(format!(
            "The SPA is not built (no {}/index.html). Build it with `TRUNK_OFFLINE=true trunk build --release` or start Larder with the README's command.",
            dir.0.display()
        )),
    }
}

pub struct StaticDir(pub PathBuf);

/// The service worker, with this build's version written in: a hash of the SPA's page, which
/// names every hashed file of the build, so a deploy is a new worker (and a new cache), and
/// every API process serving the same build serves the same worker. Never cached by the browser:
/// it is how an update is found.
pub async fn service_worker(dir: web::Data<StaticDir>) -> HttpResponse {
    use sha2::{Digest, Sha256};
    let (Ok(script), Ok(page)) = (
        std::fs::read_to_string(dir.0.join("sw.js")),
        std::fs::read(dir.0.join("index.html")),
    ) else {
        return HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("The SPA is not built: no service worker.");
    };
    let digest = Sha256::digest(&page);
    let build: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header(("Cache-Control", "no-cache"))
        .body(script.replace("__LARDER_BUILD__", &build))
}
