//! GraphQL over HTTP from the browser: the session token from local storage, errors kept with
//! their `extensions.code` and `extensions.field` so forms can show them next to the input.

use gloo_net::http::Request;
use gloo_storage::{LocalStorage, Storage};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

const TOKEN_KEY: &str = "larder.token";
const COMPANY_KEY: &str = "larder.company";

#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub message: String,
    pub code: String,
    pub field: Option<String>,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl ApiError {
    fn network(e: impl std::fmt::Display) -> Self {
        Self {
            message: format!("the server could not be reached: {e}"),
            code: "NETWORK".into(),
            field: None,
        }
    }
}

pub fn token() -> Option<String> {
    LocalStorage::get::<String>(TOKEN_KEY).ok()
}

pub fn set_token(token: Option<&str>) {
    match token {
        Some(t) => {
            let _ = LocalStorage::set(TOKEN_KEY, t);
        }
        None => LocalStorage::delete(TOKEN_KEY),
    }
}

pub fn stored_company() -> Option<String> {
    LocalStorage::get::<String>(COMPANY_KEY).ok()
}

pub fn store_company(id: &str) {
    let _ = LocalStorage::set(COMPANY_KEY, id);
}

/// Runs an operation; `data` is decoded into `T`.
pub async fn gql<T: DeserializeOwned>(query: &str, variables: Value) -> Result<T, ApiError> {
    let mut request = Request::post("/graphql").header("Content-Type", "application/json");
    if let Some(t) = token() {
        request = request.header("Authorization", &format!("Bearer {t}"));
    }
    let response = request
        .body(json!({"query": query, "variables": variables}).to_string())
        .map_err(ApiError::network)?
        .send()
        .await
        .map_err(ApiError::network)?;
    let body: Value = response.json().await.map_err(ApiError::network)?;
    if let Some(error) = body.get("errors").and_then(|e| e.get(0)) {
        let ext = &error["extensions"];
        let code = ext["code"].as_str().unwrap_or("ERROR").to_string();
        if code == "UNAUTHENTICATED" && token().is_some() && !query.contains("login(") {
            // The session ended (expired, logged out elsewhere): back to the login page.
            set_token(None);
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_href("/login");
            }
        }
        return Err(ApiError {
            message: error["message"]
                .as_str()
                .unwrap_or("request failed")
                .to_string(),
            code,
            field: ext["field"].as_str().map(str::to_string),
        });
    }
    serde_json::from_value(body["data"].clone()).map_err(|e| ApiError {
        message: format!("unexpected answer: {e}"),
        code: "DECODE".into(),
        field: None,
    })
}
