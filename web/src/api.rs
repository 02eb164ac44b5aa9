//! GraphQL over HTTP from the browser: the session token from local storage, errors kept with
//! their `extensions.code` and `extensions.field` so forms can show them next to the input.

use gloo_net::http::Request;
use gloo_storage::{LocalStorage, Storage};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

const TOKEN_KEY: &str = "larder.token";
const COMPANY_KEY: &str = "larder.company";
/// Who the token belongs to, as last answered: what a reload without a signal signs in as.
const ME_KEY: &str = "larder.me";

#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub message: String,
    pub code: String,
    pub field: Option<String>,
}

impl ApiError {
    /// The error in the reader's language: the server's own words in English; elsewhere what
    /// its code means, with the server's words after it.
    pub fn said(&self) -> String {
        let lang = crate::i18n::lang();
        if lang == crate::i18n::Lang::En {
            return self.message.clone();
        }
        let meaning = crate::i18n::t(&format!(
            "error-{}",
            self.code.to_lowercase().replace('_', "-")
        ));
        if meaning.starts_with("error-") {
            self.message.clone()
        } else {
            format!("{meaning} ({})", self.message)
        }
    }
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
        None => {
            LocalStorage::delete(TOKEN_KEY);
            LocalStorage::delete(ME_KEY);
        }
    }
}

pub fn keep_me(me: &crate::model::Me) {
    let _ = LocalStorage::set(ME_KEY, me);
}

pub fn kept_me() -> Option<crate::model::Me> {
    LocalStorage::get(ME_KEY).ok()
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

/// Downloads an authenticated file (a CSV export, an invoice's original): fetched with the
/// session's token, handed to the browser as a blob of the type the server names, so the token
/// never travels in a URL and a PDF stays byte for byte.
pub async fn download(path: &str, filename: &str) -> Result<(), ApiError> {
    let mut request = Request::get(path);
    if let Some(t) = token() {
        request = request.header("Authorization", &format!("Bearer {t}"));
    }
    let response = request.send().await.map_err(ApiError::network)?;
    let kind = response
        .headers()
        .get("content-type")
        .unwrap_or_else(|| "application/octet-stream".into());
    let body = response.binary().await.map_err(ApiError::network)?;
    if !response.ok() {
        let text = String::from_utf8_lossy(&body).to_string();
        let message = serde_json::from_str::<Value>(&text)
            .ok()
            .and_then(|v| {
                v["error"]["message"]
                    .as_str()
                    .or(v["error"].as_str())
                    .map(str::to_string)
            })
            .unwrap_or(text);
        return Err(ApiError {
            message,
            code: response.status().to_string(),
            field: None,
        });
    }
    let bytes = js_sys::Uint8Array::from(body.as_slice());
    let parts = js_sys::Array::of1(&bytes);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(&kind);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|_| ApiError::network("blob"))?;
    let url =
        web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| ApiError::network("url"))?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| ApiError::network("no document"))?;
    let anchor: web_sys::HtmlAnchorElement = wasm_bindgen::JsCast::unchecked_into(
        document
            .create_element("a")
            .map_err(|_| ApiError::network("anchor"))?,
    );
    anchor.set_href(&url);
    anchor.set_download(filename);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Waits `ms` milliseconds (for polling).
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The start of a chosen file (up to 64 KB), base64-encoded, for the server to preview.
pub async fn file_sample(file: &web_sys::File) -> Result<String, ApiError> {
    use base64::Engine;
    let blob = file
        .slice_with_i32_and_i32(0, 64 * 1024)
        .map_err(|_| ApiError::network("the file cannot be read"))?;
    let buffer = wasm_bindgen_futures::JsFuture::from(blob.array_buffer())
        .await
        .map_err(|_| ApiError::network("the file cannot be read"))?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    Ok(base64::engine::general_purpose::STANDARD.encode(bytes))
}

/// Uploads a file with a GraphQL multipart request; `query` takes the file as `$f`.
pub async fn upload<T: DeserializeOwned>(
    query: &str,
    mut variables: Value,
    file: &web_sys::File,
) -> Result<T, ApiError> {
    variables["f"] = Value::Null;
    let form = web_sys::FormData::new().map_err(|_| ApiError::network("form"))?;
    let _ = form.append_with_str(
        "operations",
        &json!({"query": query, "variables": variables}).to_string(),
    );
    let _ = form.append_with_str("map", &json!({"0": ["variables.f"]}).to_string());
    let _ = form.append_with_blob_and_filename("0", file, &file.name());
    let mut request = Request::post("/graphql");
    if let Some(t) = token() {
        request = request.header("Authorization", &format!("Bearer {t}"));
    }
    let response = request
        .body(form)
        .map_err(ApiError::network)?
        .send()
        .await
        .map_err(ApiError::network)?;
    let text = response.text().await.map_err(ApiError::network)?;
    let body: Value = serde_json::from_str(&text).map_err(|_| ApiError {
        message: format!("the upload was refused: {}", text.trim()),
        code: response.status().to_string(),
        field: Some("file".into()),
    })?;
    if let Some(error) = body.get("errors").and_then(|e| e.get(0)) {
        return Err(ApiError {
            message: error["message"]
                .as_str()
                .unwrap_or("upload failed")
                .to_string(),
            code: error["extensions"]["code"]
                .as_str()
                .unwrap_or("ERROR")
                .to_string(),
            field: error["extensions"]["field"].as_str().map(str::to_string),
        });
    }
    serde_json::from_value(body["data"].clone()).map_err(|e| ApiError {
        message: format!("unexpected answer: {e}"),
        code: "DECODE".into(),
        field: None,
    })
}
