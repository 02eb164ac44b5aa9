//! HTTP endpoints: health, GraphQL over POST and WebSocket, GraphiQL, and the SPA.

use std::path::PathBuf;

use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::http::GraphiQLSource;
use sea_orm::DatabaseConnection;
use serde_json::json;

use crate::graphql::RequestContext;

pub async fn health(db: web::Data<DatabaseConnection>) -> HttpResponse {
    let backend = service::db::backend_name(&db);
    match db.ping().await {
        Ok(()) => HttpResponse::Ok().json(json!({
            "status": "ok",
            "database": backend,
            "version": env!("CARGO_PKG_VERSION"),
        })),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            HttpResponse::ServiceUnavailable().json(json!({
                "status": "unavailable",
                "database": backend,
                "version": env!("CARGO_PKG_VERSION"),
            }))
        }
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
pub async fn request_context(db: &DatabaseConnection, token: Option<String>) -> RequestContext {
    let principal = match &token {
        None => None,
        Some(t) => Some(
            service::accounts::authenticate(db, t)
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
        Ok(html) => HttpResponse::Ok().content_type("text/html; charset=utf-8").body(html),
        Err(_) => HttpResponse::NotFound().content_type("text/plain; charset=utf-8").body(format!(
            "The SPA is not built (no {}/index.html). Build it with `TRUNK_OFFLINE=true trunk build --release` or start Larder with the README's command.",
            dir.0.display()
        )),
    }
}

pub struct StaticDir(pub PathBuf);
