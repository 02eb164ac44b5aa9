//! Authorizing Larder with Lightspeed: the OAuth2 code flow with PKCE, the tokens it yields
//! (encrypted at rest) and their refresh, one at a time per integration.

use crate::db::Writer;

use chrono::{Duration, Utc};
use entity::{pos_integration, pos_oauth_state};
use oauth2::basic::{BasicClient, BasicErrorResponseType};
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet, EndpointSet,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RefreshToken, RequestTokenError, Scope,
    TokenResponse, TokenUrl,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, IntoActiveModel,
    QueryFilter, Set, Statement,
};
use serde::{Deserialize, Serialize};

use super::settings::{NAME, OAuthVersion, REFRESH_MARGIN_SECONDS, SCOPES, STATE_TTL_MINUTES};
use crate::access::{Principal, Role};
use crate::error::{ServiceError, ServiceResult};
use crate::pos::live::settings::LiveSettings;
use crate::pos::{ConnectionState, Provider, integrations};

type OAuthClient =
    BasicClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

fn oauth_client(live: &LiveSettings) -> ServiceResult<OAuthClient> {
    let settings = &live.lightspeed;
    settings.configured()?;
    let bad = |what: &str| ServiceError::Internal(format!("the Lightspeed {what} is not a URL"));
    Ok(BasicClient::new(ClientId::new(settings.client_id.clone()))
        .set_client_secret(ClientSecret::new(settings.client_secret.clone()))
        .set_auth_uri(AuthUrl::new(settings.auth_url.clone()).map_err(|_| bad("auth URL"))?)
        .set_token_uri(TokenUrl::new(settings.token_url.clone()).map_err(|_| bad("token URL"))?)
        .set_redirect_uri(
            RedirectUrl::new(redirect_uri(live)).map_err(|_| bad("public URL (redirect)"))?,
        ))
}

type TokenReply = Result<oauth2::HttpResponse, oauth2::HttpClientError<reqwest::Error>>;

/// Sends the token requests the oauth2 crate forms: as they are for V2 (parameters in the body),
/// with the parameters moved into the URL's query for V1, whose endpoint takes them there
/// (reference/pos-apis.md §1.2, "Token request").
fn token_transport(
    live: &LiveSettings,
) -> impl Fn(oauth2::HttpRequest) -> futures::future::BoxFuture<'static, TokenReply> + Send + Sync {
    let client = live.client().clone();
    let in_query = live.lightspeed.version == OAuthVersion::V1;
    move |request| {
        let client = client.clone();
        let request = if in_query {
            parameters_in_query(request)
        } else {
            request
        };
        Box::pin(async move {
            use oauth2::AsyncHttpClient;
            client.call(request).await.map(bearer_by_default)
        })
    }
}

/// A token reply without `token_type` read as a Bearer token. The documented reply has
/// `access_token`, `refresh_token`, `expires_in` and `scope` only (reference/pos-apis.md §1.2);
/// the oauth2 crate requires `token_type`, so a server answering as documented failed to connect.
fn bearer_by_default(response: oauth2::HttpResponse) -> oauth2::HttpResponse {
    if !response.status().is_success() {
        return response;
    }
    let (parts, body) = response.into_parts();
    let body = match serde_json::from_slice::<serde_json::Value>(&body) {
        Ok(serde_json::Value::Object(mut reply)) if !reply.contains_key("token_type") => {
            reply.insert("token_type".into(), "Bearer".into());
            serde_json::to_vec(&reply).unwrap_or(body)
        }
        _ => body,
    };
    oauth2::http::Response::from_parts(parts, body)
}

/// The same request with its form body appended to the URL's query (already URL-encoded), and
/// no body.
fn parameters_in_query(request: oauth2::HttpRequest) -> oauth2::HttpRequest {
    let (mut parts, body) = request.into_parts();
    if body.is_empty() {
        return oauth2::http::Request::from_parts(parts, body);
    }
    let uri = parts.uri.to_string();
    let separator = if uri.contains('?') { '&' } else { '?' };
    if let Ok(with_query) = format!("{uri}{separator}{}", String::from_utf8_lossy(&body)).parse() {
        parts.uri = with_query;
        parts.headers.remove(oauth2::http::header::CONTENT_TYPE);
        return oauth2::http::Request::from_parts(parts, Vec::new());
    }
    oauth2::http::Request::from_parts(parts, body)
}

/// Where Lightspeed sends the browser back to.
pub fn redirect_uri(live: &LiveSettings) -> String {
    format!("{}/oauth/lightspeed/callback", live.public_url)
}

/// The tokens of one integration, stored encrypted as JSON in `credentials_enc`.
#[derive(Clone, Serialize, Deserialize)]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: Option<String>,
    /// Unix seconds.
    pub expires_at: i64,
    pub scope: Option<String>,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("expires_at", &self.expires_at)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

impl Tokens {
    fn from_response(
        response: &oauth2::basic::BasicTokenResponse,
        previous_refresh: Option<String>,
    ) -> Self {
        Self {
            access_token: response.access_token().secret().clone(),
            // A rotated refresh token replaces the old one, which no longer works.
            refresh_token: response
                .refresh_token()
                .map(|t| t.secret().clone())
                .or(previous_refresh),
            expires_at: Utc::now().timestamp()
                + response
                    .expires_in()
                    .map(|d| d.as_secs() as i64)
                    .unwrap_or(3600),
            scope: response
                .scopes()
                .map(|s| s.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ")),
        }
    }

    pub(super) fn fresh(&self) -> bool {
        self.expires_at > Utc::now().timestamp() + REFRESH_MARGIN_SECONDS
    }
}

/// Starts an authorization: remembers a single-use `state` and a PKCE verifier, and returns the
/// authorize URL the browser goes to. Reauthorizing an integration goes the same way and keeps
/// its locations, mappings and history.
pub async fn authorize_url<C: ConnectionTrait>(
    db: &C,
    live: &LiveSettings,
    principal: &Principal,
    integration_id: i64,
) -> ServiceResult<String> {
    let integration = integrations::get(db, principal, integration_id, Role::Manager).await?;
    if integration.provider != Provider::LightspeedK {
        return Err(ServiceError::validation(
            "integrationId",
            "only a Lightspeed integration connects through Lightspeed's authorization page",
        ));
    }
    let user_id = principal.require_user()?;
    let client = oauth_client(live)?;
    let mut request = client.authorize_url(CsrfToken::new_random);
    for scope in SCOPES {
        if scope == "offline_access" && live.lightspeed.version == OAuthVersion::V1 {
            continue;
        }
        request = request.add_scope(Scope::new(scope.into()));
    }
    // PKCE is accepted by the V2 (Keycloak) endpoints; the V1 ones predate it.
    let verifier = if live.lightspeed.version == OAuthVersion::V2 {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        request = request.set_pkce_challenge(challenge);
        verifier.secret().clone()
    } else {
        String::new()
    };
    let (url, state) = request.url();
    let now = Utc::now();
    pos_oauth_state::Entity::delete_many()
        .filter(pos_oauth_state::Column::ExpiresAt.lt(now))
        .exec(db)
        .await?;
    pos_oauth_state::ActiveModel {
        state: Set(state.secret().clone()),
        integration_id: Set(integration.id),
        user_id: Set(user_id),
        pkce_verifier_enc: Set(live.cipher.encrypt(&verifier)),
        created_at: Set(now),
        expires_at: Set(now + Duration::minutes(STATE_TTL_MINUTES)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(url.to_string())
}

/// The integration an authorization in progress is for (to send the browser back to it).
pub async fn integration_of_state<C: ConnectionTrait>(
    db: &C,
    state: &str,
) -> ServiceResult<Option<i64>> {
    Ok(pos_oauth_state::Entity::find()
        .filter(pos_oauth_state::Column::State.eq(state))
        .one(db)
        .await?
        .map(|s| s.integration_id))
}

/// Drops an authorization the user declined at Lightspeed (or that failed there).
pub async fn abandon_authorization<C: ConnectionTrait>(db: &C, state: &str) -> ServiceResult<()> {
    pos_oauth_state::Entity::delete_many()
        .filter(pos_oauth_state::Column::State.eq(state))
        .exec(db)
        .await?;
    Ok(())
}

/// The callback's half: Lightspeed sent the browser back with `code` for `state`. The code is
/// kept (encrypted) with the pending authorization; nothing is exchanged yet, because the
/// callback cannot tell whose browser this is. Returns the integration to send the browser to.
pub async fn receive_callback<C: ConnectionTrait>(
    db: &C,
    live: &LiveSettings,
    state: &str,
    code: &str,
) -> ServiceResult<i64> {
    let pending = pending(db, state).await?;
    let mut model = pending.clone().into_active_model();
    model.code_enc = Set(Some(live.cipher.encrypt(code)));
    model.update(db).await?;
    Ok(pending.integration_id)
}

async fn pending<C: ConnectionTrait>(db: &C, state: &str) -> ServiceResult<pos_oauth_state::Model> {
    let pending = pos_oauth_state::Entity::find()
        .filter(pos_oauth_state::Column::State.eq(state))
        .one(db)
        .await?
        .ok_or_else(|| {
            ServiceError::validation(
                "state",
                "this authorization was not started here or was already used; start it again",
            )
        })?;
    if pending.expires_at < Utc::now() {
        return Err(ServiceError::validation(
            "state",
            "the authorization took too long; start it again",
        ));
    }
    Ok(pending)
}

/// Finishes an authorization from the session of the user who started it (an authorization
/// link sent to someone else cannot connect their Lightspeed account to the sender's company):
/// the code the callback kept is exchanged with the PKCE verifier, the tokens stored encrypted.
/// Single use. Returns the integration, CONNECTED.
pub async fn finish_authorization<C: Writer>(
    db: &C,
    live: &LiveSettings,
    principal: &Principal,
    state: &str,
) -> ServiceResult<pos_integration::Model> {
    let pending = pending(db, state).await?;
    let integration =
        integrations::get(db, principal, pending.integration_id, Role::Manager).await?;
    if principal.require_user()? != pending.user_id {
        return Err(ServiceError::validation(
            "state",
            "this authorization was started by someone else; start your own from the integration page",
        ));
    }
    let Some(code) = pending.code_enc.as_deref() else {
        return Err(ServiceError::validation(
            "state",
            "Lightspeed has not sent this authorization back yet",
        ));
    };
    let code = live.cipher.decrypt(code)?;
    // Single use, whatever happens next; a second finisher of the same state loses here.
    let taken = pos_oauth_state::Entity::delete_by_id(pending.id)
        .exec(db)
        .await?;
    if taken.rows_affected != 1 {
        return Err(ServiceError::validation(
            "state",
            "this authorization was already used; start it again",
        ));
    }
    let client = oauth_client(live)?;
    let mut exchange = client.exchange_code(AuthorizationCode::new(code));
    let verifier = live.cipher.decrypt(&pending.pkce_verifier_enc)?;
    if !verifier.is_empty() {
        exchange = exchange.set_pkce_verifier(PkceCodeVerifier::new(verifier));
    }
    let transport = token_transport(live);
    let response = tokio::time::timeout(live.http.timeout, exchange.request_async(&transport))
        .await
        .map_err(|_| ServiceError::provider(NAME, "did not answer the token request in time"))?
        .map_err(|e| token_error("could not finish the authorization", &e))?;
    let tokens = Tokens::from_response(&response, None);
    let mut model = integration.into_active_model();
    model.credentials_enc = Set(Some(live.cipher.encrypt(&to_json(&tokens))));
    model.connection_state = Set(ConnectionState::Connected);
    model.connection_error = Set(None);
    model.connected_at = Set(Some(Utc::now()));
    Ok(model.update(db).await?)
}

fn to_json(tokens: &Tokens) -> String {
    serde_json::to_string(tokens).unwrap_or_default()
}

type TokenError = RequestTokenError<
    oauth2::HttpClientError<reqwest::Error>,
    oauth2::StandardErrorResponse<BasicErrorResponseType>,
>;

/// True when the token endpoint says the grant itself is dead (not a passing failure).
fn grant_refused(e: &TokenError) -> bool {
    matches!(
        e,
        RequestTokenError::ServerResponse(r) if matches!(
            r.error(),
            BasicErrorResponseType::InvalidGrant
                | BasicErrorResponseType::InvalidClient
                | BasicErrorResponseType::UnauthorizedClient
        )
    )
}

fn token_error(what: &str, e: &TokenError) -> ServiceError {
    let detail = match e {
        RequestTokenError::ServerResponse(r) => match r.error_description() {
            Some(d) => format!("{}: {d}", r.error()),
            None => r.error().to_string(),
        },
        RequestTokenError::Request(e) => format!("the token endpoint could not be reached ({e})"),
        // Never the body, nor serde's message (which quotes values): a 200 that fails to parse
        // may carry tokens. The path of the field at fault is enough to act on.
        RequestTokenError::Parse(e, _) => format!(
            "the token endpoint answered with data Larder cannot read (at `{}`)",
            e.path()
        ),
        RequestTokenError::Other(e) => e.clone(),
    };
    ServiceError::provider(NAME, format!("{what} ({detail})"))
}

/// Refreshes the tokens of an integration, one refresh at a time across every process (a
/// Lightspeed refresh token works once): the integration row is held (`FOR NO KEY UPDATE`, or SQLite's
/// write lock) while the token endpoint is called, and the rotated refresh token is committed
/// before the new access token is used. Another process that refreshed meanwhile is noticed and
/// its token used. A refused refresh marks the integration NEEDS_RECONNECT.
pub async fn refresh<C: Writer>(
    db: &C,
    live: &LiveSettings,
    integration_id: i64,
    rejected: Option<&str>,
) -> ServiceResult<Tokens> {
    let client = oauth_client(live)?;
    let txn = crate::db::begin_write(db).await?;
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            // NO KEY: inserts that reference the integration (items, lines) need not wait.
            "SELECT id FROM pos_integrations WHERE id = $1 FOR NO KEY UPDATE",
            [sea_orm::Value::from(integration_id)],
        ))
        .await?;
    }
    let row = pos_integration::Entity::find_by_id(integration_id)
        .one(&txn)
        .await?
        .ok_or_else(|| ServiceError::not_found(integrations::ENTITY))?;
    if row.connection_state == ConnectionState::NeedsReconnect {
        return Err(ServiceError::provider(
            NAME,
            format!(
                "needs to be reauthorized: {}",
                row.connection_error.as_deref().unwrap_or("access expired")
            ),
        ));
    }
    let sealed = row
        .credentials_enc
        .as_deref()
        .ok_or_else(|| ServiceError::validation("integrationId", "connect Lightspeed first"))?;
    let stored: Tokens = serde_json::from_str(&live.cipher.decrypt(sealed)?)
        .map_err(|_| ServiceError::Internal("unreadable Lightspeed tokens".into()))?;
    if stored.fresh() && rejected != Some(stored.access_token.as_str()) {
        txn.commit().await?;
        return Ok(stored);
    }
    let Some(refresh_token) = stored.refresh_token.clone() else {
        let message = "the connection has no refresh token; reauthorize it";
        crate::pos::integrations::mark_needs_reconnect(&txn, row, message).await?;
        txn.commit().await?;
        return Err(ServiceError::provider(NAME, message));
    };
    let grant = RefreshToken::new(refresh_token.clone());
    let transport = token_transport(live);
    let exchange = client
        .exchange_refresh_token(&grant)
        .request_async(&transport);
    // Bounded: the integration stays locked meanwhile.
    let Ok(outcome) = tokio::time::timeout(live.http.timeout, exchange).await else {
        return Err(ServiceError::provider(
            NAME,
            "did not answer the token refresh in time",
        ));
    };
    match outcome {
        Ok(response) => {
            let tokens = Tokens::from_response(&response, Some(refresh_token));
            let mut model = row.into_active_model();
            model.credentials_enc = Set(Some(live.cipher.encrypt(&to_json(&tokens))));
            model.update(&txn).await?;
            txn.commit().await?;
            tracing::info!(
                integration = integration_id,
                "Lightspeed access token refreshed"
            );
            Ok(tokens)
        }
        Err(e) if grant_refused(&e) => {
            let error = token_error("refused to renew access; reauthorize the connection", &e);
            crate::pos::integrations::mark_needs_reconnect(&txn, row, &error.to_string()).await?;
            txn.commit().await?;
            tracing::warn!(integration = integration_id, %error, "Lightspeed connection needs reauthorizing");
            Err(error)
        }
        // Passing failures (unreachable, 5xx) leave the connection as it is: the next try may work.
        Err(e) => Err(token_error("could not renew access", &e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_reply_without_token_type_is_a_bearer_token_and_others_are_untouched() {
        let reply = |status: u16, body: &str| {
            oauth2::http::Response::builder()
                .status(status)
                .body(body.as_bytes().to_vec())
                .unwrap()
        };
        let read = |r: oauth2::HttpResponse| -> serde_json::Value {
            serde_json::from_slice(r.body()).unwrap()
        };
        let patched = bearer_by_default(reply(200, r#"{"access_token":"a","expires_in":3600}"#));
        assert_eq!(read(patched)["token_type"], "Bearer");
        let kept = bearer_by_default(reply(200, r#"{"access_token":"a","token_type":"mac"}"#));
        assert_eq!(read(kept)["token_type"], "mac");
        let error = bearer_by_default(reply(400, r#"{"error":"invalid_grant"}"#));
        assert!(read(error).get("token_type").is_none());
        assert_eq!(bearer_by_default(reply(200, "garbage")).body(), b"garbage");
    }

    #[test]
    fn v1_token_parameters_go_in_the_query() {
        let request = oauth2::http::Request::builder()
            .method("POST")
            .uri("https://api.lsk.lightspeed.app/oauth/token")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Authorization", "Basic abc")
            .body(b"grant_type=authorization_code&code=x%2By&redirect_uri=https%3A%2F%2Fl.example%2Fcb".to_vec())
            .unwrap();
        let moved = parameters_in_query(request);
        assert_eq!(
            moved.uri().to_string(),
            "https://api.lsk.lightspeed.app/oauth/token?grant_type=authorization_code&code=x%2By&redirect_uri=https%3A%2F%2Fl.example%2Fcb"
        );
        assert!(moved.body().is_empty());
        assert!(moved.headers().get("Content-Type").is_none());
        assert_eq!(moved.headers()["Authorization"], "Basic abc");
    }
}
