//! Lightspeed K-Series as reference/pos-apis.md §1 describes it: the Keycloak realm's authorize
//! page and token endpoint (V2; the V1 `/oauth/*` paths take the token parameters in the query), expiring access tokens,
//! single-use rotating refresh tokens, scope checks, and the financial and items endpoints with
//! the documented JSON shapes (decimals as strings, ids as numbers).

use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use chrono::{NaiveDate, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::Digest;

use super::data::{self, GenKind, LIGHTSPEED_BUSINESS, LIGHTSPEED_LOCATIONS};
use super::{AccessToken, PendingCode, SimState, fault_answer};

pub fn routes(cfg: &mut web::ServiceConfig) {
    for base in ["/realms/k-series/protocol/openid-connect", "/oauth"] {
        let (auth, token) = if base == "/oauth" {
            (format!("{base}/authorize"), format!("{base}/token"))
        } else {
            (format!("{base}/auth"), format!("{base}/token"))
        };
        cfg.route(&auth, web::get().to(authorize_page))
            .route(&auth, web::post().to(authorize_decision));
        if base == "/oauth" {
            cfg.route(&token, web::post().to(token_endpoint_v1));
        } else {
            cfg.route(&token, web::post().to(token_endpoint));
        }
    }
    cfg.route("/f/data/businesses", web::get().to(businesses))
        .route("/items/v1/items", web::get().to(items))
        .route(
            "/f/v2/business-location/{id}/sales-daily",
            web::get().to(sales_daily),
        )
        .route("/f/v2/business-location/{id}/sales", web::get().to(sales));
}

#[derive(Deserialize)]
struct AuthorizeQuery {
    response_type: Option<String>,
    client_id: Option<String>,
    redirect_uri: Option<String>,
    scope: Option<String>,
    state: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn oauth_error(status: u16, error: &str, description: &str) -> HttpResponse {
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).expect("status"))
        .json(json!({"error": error, "error_description": description}))
}

/// The consent page a user sees at Lightspeed: it names the client and the scopes and posts the
/// decision back.
async fn authorize_page(
    state: web::Data<SimState>,
    query: web::Query<AuthorizeQuery>,
) -> HttpResponse {
    let q = query.into_inner();
    if q.response_type.as_deref() != Some("code") {
        return HttpResponse::BadRequest().body("response_type must be code");
    }
    if q.client_id.as_deref() != Some(state.config.client_id.as_str()) {
        return HttpResponse::BadRequest().body("Client not found");
    }
    let Some(redirect_uri) = q.redirect_uri.filter(|r| !r.is_empty()) else {
        return HttpResponse::BadRequest().body("Invalid parameter: redirect_uri");
    };
    let scope = q.scope.unwrap_or_default();
    if let Some(method) = &q.code_challenge_method
        && method != "S256"
    {
        return HttpResponse::BadRequest().body("Invalid parameter: code_challenge_method");
    }
    let hidden = |name: &str, value: &str| {
        format!(
            r#"<input type="hidden" name="{name}" value="{}">"#,
            escape(value)
        )
    };
    let fields = [
        hidden("client_id", &state.config.client_id),
        hidden("redirect_uri", &redirect_uri),
        hidden("scope", &scope),
        hidden("state", q.state.as_deref().unwrap_or("")),
        hidden("code_challenge", q.code_challenge.as_deref().unwrap_or("")),
    ]
    .join("\n");
    let scopes: String = scope
        .split_whitespace()
        .map(|s| format!("<li><code>{}</code></li>", escape(s)))
        .collect();
    HttpResponse::Ok().content_type("text/html; charset=utf-8").body(format!(
        r#"<!doctype html><html><head><meta charset="utf-8"><title>Lightspeed (simulated) — authorize</title>
<style>body{{font-family:sans-serif;max-width:32rem;margin:4rem auto}}button{{font-size:1.1rem;padding:.5rem 1.5rem;margin-right:1rem}}</style></head>
<body><h1>Lightspeed K-Series <small>(simulator)</small></h1>
<p>Signed in as <b>manager@trattoria-simulata.example</b> of <b>{business}</b>.</p>
<p><b>Larder</b> asks for access to:</p><ul>{scopes}</ul>
<form method="post">{fields}
<button id="authorize" name="decision" value="allow" type="submit">Authorize</button>
<button id="deny" name="decision" value="deny" type="submit">Deny</button></form></body></html>"#,
        business = escape(LIGHTSPEED_BUSINESS.1),
    ))
}

#[derive(Deserialize)]
struct Decision {
    decision: String,
    client_id: String,
    redirect_uri: String,
    scope: String,
    state: String,
    code_challenge: String,
}

fn with_query(base: &str, pairs: &[(&str, &str)]) -> String {
    let mut url = url::Url::parse(base).expect("redirect_uri was checked at the page");
    {
        let mut q = url.query_pairs_mut();
        for (k, v) in pairs {
            q.append_pair(k, v);
        }
    }
    url.to_string()
}

async fn authorize_decision(state: web::Data<SimState>, form: web::Form<Decision>) -> HttpResponse {
    let d = form.into_inner();
    if url::Url::parse(&d.redirect_uri).is_err() {
        return HttpResponse::BadRequest().body("Invalid parameter: redirect_uri");
    }
    let target = if d.decision == "allow" {
        let code = state.new_token("code-");
        state.codes.lock().unwrap().insert(
            code.clone(),
            PendingCode {
                client_id: d.client_id,
                redirect_uri: d.redirect_uri.clone(),
                scope: d.scope,
                challenge: (!d.code_challenge.is_empty()).then_some(d.code_challenge),
            },
        );
        with_query(&d.redirect_uri, &[("state", &d.state), ("code", &code)])
    } else {
        with_query(
            &d.redirect_uri,
            &[
                ("error", "access_denied"),
                ("error_description", "The user denied access"),
                ("state", &d.state),
            ],
        )
    };
    HttpResponse::Found()
        .insert_header(("Location", target))
        .finish()
}

#[derive(Deserialize)]
struct TokenForm {
    grant_type: String,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    refresh_token: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

fn basic_credentials(req: &HttpRequest) -> Option<(String, String)> {
    let header = req.headers().get("Authorization")?.to_str().ok()?;
    let encoded = header.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    let decode = |s: &str| {
        url::form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    Some((decode(id), decode(secret)))
}

/// V2 (Keycloak): the parameters in the form body.
async fn token_endpoint(
    req: HttpRequest,
    state: web::Data<SimState>,
    form: web::Form<TokenForm>,
) -> HttpResponse {
    issue_tokens(req, state, form.into_inner()).await
}

/// V1: the parameters in the URL's query ("POST with URL (query) parameters"); a form body is
/// not read, as the V1 endpoint does not.
async fn token_endpoint_v1(req: HttpRequest, state: web::Data<SimState>) -> HttpResponse {
    match web::Query::<TokenForm>::from_query(req.query_string()) {
        Ok(query) => issue_tokens(req, state, query.into_inner()).await,
        Err(_) => oauth_error(
            400,
            "invalid_request",
            "Required request parameter 'grant_type' is not present",
        ),
    }
}

async fn issue_tokens(
    req: HttpRequest,
    state: web::Data<SimState>,
    form: TokenForm,
) -> HttpResponse {
    if let Some(answer) = fault_answer(&state, &req).await {
        return answer;
    }
    let (id, secret) = basic_credentials(&req)
        .or_else(|| Some((form.client_id.clone()?, form.client_secret.clone()?)))
        .unwrap_or_default();
    if id != state.config.client_id || secret != state.config.client_secret {
        return oauth_error(401, "invalid_client", "Invalid client credentials");
    }
    let scope = match form.grant_type.as_str() {
        "authorization_code" => {
            let Some(pending) = form
                .code
                .as_deref()
                .and_then(|c| state.codes.lock().unwrap().remove(c))
            else {
                return oauth_error(400, "invalid_grant", "Code not valid");
            };
            if pending.client_id != id
                || form.redirect_uri.as_deref() != Some(pending.redirect_uri.as_str())
            {
                return oauth_error(400, "invalid_grant", "Incorrect redirect_uri");
            }
            if let Some(challenge) = &pending.challenge {
                let Some(verifier) = &form.code_verifier else {
                    return oauth_error(400, "invalid_grant", "PKCE code verifier not specified");
                };
                let computed = base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .encode(sha2::Sha256::digest(verifier.as_bytes()));
                if &computed != challenge {
                    return oauth_error(
                        400,
                        "invalid_grant",
                        "PKCE verification failed: Code mismatch",
                    );
                }
            }
            pending.scope
        }
        "refresh_token" => {
            // Single use: the token is gone whether or not the answer reaches the client.
            let Some(scope) = form
                .refresh_token
                .as_deref()
                .and_then(|t| state.refresh_tokens.lock().unwrap().remove(t))
            else {
                return oauth_error(400, "invalid_grant", "Token is not active");
            };
            state.count_refresh();
            scope
        }
        other => {
            return oauth_error(
                400,
                "unsupported_grant_type",
                &format!("Unsupported grant_type {other}"),
            );
        }
    };
    let access = state.new_token("at-");
    let refresh = state.new_token("rt-");
    let lifetime = state.access_token_seconds();
    state.access_tokens.lock().unwrap().insert(
        access.clone(),
        AccessToken {
            scope: scope.clone(),
            expires_at: Utc::now().timestamp() + lifetime,
        },
    );
    state
        .refresh_tokens
        .lock()
        .unwrap()
        .insert(refresh.clone(), scope.clone());
    // Only the fields the vendor documents (reference/pos-apis.md §1.2): no `token_type`.
    HttpResponse::Ok().json(json!({
        "access_token": access,
        "expires_in": lifetime,
        "refresh_expires_in": 0,
        "refresh_token": refresh,
        "scope": scope,
    }))
}

/// The caller's token, checked for expiry and `scope`; `Some` is the refusal to answer with.
fn authorize(state: &SimState, req: &HttpRequest, scope: &str) -> Option<HttpResponse> {
    let token = req
        .headers()
        .get("Authorization")
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .unwrap_or_default();
    let tokens = state.access_tokens.lock().unwrap();
    let Some(found) = tokens.get(token) else {
        return Some(HttpResponse::Unauthorized().json(json!({"error": "invalid_token"})));
    };
    if found.expires_at <= Utc::now().timestamp() {
        return Some(
            HttpResponse::Unauthorized()
                .json(json!({"error": "invalid_token", "error_description": "Token expired"})),
        );
    }
    if !found.scope.split_whitespace().any(|s| s == scope) {
        return Some(
            HttpResponse::Forbidden()
                .json(json!({"error": format!("insufficient scope: {scope} required")})),
        );
    }
    None
}

macro_rules! guard {
    ($state:expr, $req:expr, $scope:expr) => {
        if let Some(answer) = fault_answer(&$state, &$req).await {
            return answer;
        }
        if let Some(answer) = authorize(&$state, &$req, $scope) {
            return answer;
        }
    };
}

async fn businesses(req: HttpRequest, state: web::Data<SimState>) -> HttpResponse {
    guard!(state, req, "financial-api");
    HttpResponse::Ok().json(json!({
        "_embedded": {"businessList": [{
            "businessName": LIGHTSPEED_BUSINESS.1,
            "businessId": LIGHTSPEED_BUSINESS.0,
            "currencyCode": "EUR",
            "businessLocations": LIGHTSPEED_LOCATIONS.iter().filter(|(id, _, _)| state.is_listed(&id.to_string())).map(|(id, name, tz)| json!({
                "blName": name, "blID": id, "country": "DE", "timezone": tz,
            })).collect::<Vec<_>>(),
        }]},
        "_links": {"self": {"href": "https://api.ikentoo.com/data/businesses"}}
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ItemsQuery {
    business_location_id: Option<i64>,
    offset: Option<usize>,
    amount: Option<usize>,
}

async fn items(
    req: HttpRequest,
    state: web::Data<SimState>,
    query: web::Query<ItemsQuery>,
) -> HttpResponse {
    guard!(state, req, "items");
    let Some(location) = query.business_location_id else {
        return HttpResponse::BadRequest().json(json!({"status": "400", "timestamp": Utc::now().to_rfc3339(),
            "message": "Required request parameter 'businessLocationId' is not present", "apiSubExceptions": []}));
    };
    if !LIGHTSPEED_LOCATIONS
        .iter()
        .any(|(id, _, _)| *id == location)
        || !state.is_listed(&location.to_string())
    {
        return HttpResponse::NotFound().json(
            json!({"status": "404", "timestamp": Utc::now().to_rfc3339(),
            "message": format!("Business location {location} not found"), "apiSubExceptions": []}),
        );
    }
    let offset = query.offset.unwrap_or(0);
    let amount = query.amount.unwrap_or(100).clamp(1, state.items_page_max());
    let page: Vec<Value> = state
        .menu
        .items
        .iter()
        .skip(offset)
        .take(amount)
        .map(|item| {
            json!({
                "id": item.lightspeed_id(),
                "name": item.name,
                "docketName": item.name,
                "sku": item.sku(),
                "active": true,
                "barcode": null,
                "barcodes": [],
                "accountingGroup": {"id": 40570261078000i64 + item.category.len() as i64, "name": item.category},
                "statisticGroups": [{"category": "default", "value": item.category}],
                "costPrice": (item.price_cents as f64) / 300.0,
                "prices": [{"amount": (item.price_cents as f64) / 100.0, "name": "Default"}],
                "sharingType": "SHARED",
                "priceMode": "AMOUNT",
                "inventorySource": "PURCHASED",
                "disabled": false,
                "contentDimension": if item.by_weight { "MASS" } else { "DIMENSION_LESS" },
                "itemType": if item.modifier { "SUB_ITEM" } else { "ITEM" },
            })
        })
        .collect();
    HttpResponse::Ok().json(page)
}

fn to_rfc3339(micros: i64) -> String {
    chrono::DateTime::from_timestamp_micros(micros)
        .expect("a valid time")
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn sale_json(state: &SimState, receipt: &data::GenReceipt) -> Value {
    let (sale_type, cancelled) = match receipt.kind {
        GenKind::Sale => ("SALE", false),
        GenKind::Refund => ("REFUND", false),
        GenKind::Void => ("VOID", false),
        GenKind::Cancelled => ("SALE", true),
    };
    let lines: Vec<Value> = receipt
        .lines
        .iter()
        .map(|line| {
            let item = &state.menu.items[line.item];
            json!({
                "id": line.id,
                "parentLineId": line.parent,
                "totalNetAmountWithTax": data::decimal_cents(line.total_cents),
                "totalNetAmountWithoutTax": data::decimal_cents(line.total_cents * 100 / 119),
                "menuListPrice": data::decimal_cents(item.price_cents),
                "unitCostPrice": data::decimal_cents(item.price_cents / 3),
                "taxCode": "VAT19",
                "taxRatePercentage": "19.00",
                "sku": item.sku(),
                "name": item.name,
                "statisticGroup": item.category,
                "quantity": data::decimal_milli(line.quantity_milli),
                "accountingGroup": {"accountingGroupId": 141948669132845i64, "name": item.category, "statisticGroup": item.category},
                "currency": "EUR",
                "tags": [],
                "revenueCenter": "Fixed POS",
                "categories": [{"category": "default", "value": item.category}],
                "timeOfSale": to_rfc3339(receipt.opened_at_micros),
                "staffId": 14670,
                "staffName": "Manager",
                "deviceId": 75125,
                "deviceName": "iPad9",
                "voidReason": if receipt.kind == GenKind::Void { Value::from("User Mistake") } else { Value::Null },
            })
        })
        .collect();
    json!({
        "accountReference": format!("ref-{}", receipt.account_id),
        "accountFiscId": receipt.account_id,
        "receiptId": receipt.receipt_id,
        "source": {"initialAccountId": receipt.account_id, "previousAccountId": null},
        "salesLines": lines,
        "payments": [],
        "timeOfOpening": to_rfc3339(receipt.opened_at_micros),
        "timeClosed": to_rfc3339(receipt.closed_at_micros),
        "cancelled": cancelled,
        "tableNumber": (receipt.number % 24 + 1).to_string(),
        "ownerName": "Manager",
        "ownerId": 14670,
        "type": sale_type,
        "externalReferences": [],
        "nbCovers": 2.0,
        "dineIn": true,
    })
}

fn known_location(state: &SimState, id: &str) -> Option<HttpResponse> {
    if LIGHTSPEED_LOCATIONS
        .iter()
        .any(|(known, _, _)| known.to_string() == id)
        && state.is_listed(id)
    {
        None
    } else {
        Some(
            HttpResponse::NotFound()
                .json(json!({"error": format!("Business location {id} not found")})),
        )
    }
}

#[derive(Deserialize)]
struct DailyQuery {
    date: Option<String>,
}

async fn sales_daily(
    req: HttpRequest,
    state: web::Data<SimState>,
    path: web::Path<String>,
    query: web::Query<DailyQuery>,
) -> HttpResponse {
    guard!(state, req, "financial-api");
    let location = path.into_inner();
    if let Some(answer) = known_location(&state, &location) {
        return answer;
    }
    let Some(raw) = query.date.as_deref() else {
        return HttpResponse::BadRequest().json(json!({"error": "Required request parameter 'date' for method parameter type LocalDate is not present"}));
    };
    let Ok(date) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") else {
        return HttpResponse::BadRequest()
            .json(json!({"error": format!("Invalid date format: {raw}")}));
    };
    let sales: Vec<Value> = state
        .receipts(&location, date)
        .iter()
        .map(|r| sale_json(&state, r))
        .collect();
    let tz = data::timezone_of(&location);
    let next_start = chrono::TimeZone::from_local_datetime(
        &tz,
        &(date + chrono::Duration::days(1))
            .and_hms_opt(5, 0, 0)
            .expect("a time"),
    )
    .earliest()
    .map(|t| t.to_rfc3339())
    .unwrap_or_default();
    HttpResponse::Ok().json(json!({
        "sales": sales,
        "nextStartOfDayAsIso8601": next_start,
        "dataComplete": state.is_complete(&location, date),
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SalesQuery {
    from: Option<String>,
    to: Option<String>,
    page_size: Option<usize>,
    next_page_token: Option<String>,
}

/// `/sales`: receipts closed in [from, to), sorted by `timeClosed`, paged by an opaque token.
async fn sales(
    req: HttpRequest,
    state: web::Data<SimState>,
    path: web::Path<String>,
    query: web::Query<SalesQuery>,
) -> HttpResponse {
    guard!(state, req, "financial-api");
    let location = path.into_inner();
    if let Some(answer) = known_location(&state, &location) {
        return answer;
    }
    let parse = |s: &str| chrono::DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc));
    let Some(from_raw) = query.from.as_deref() else {
        return HttpResponse::BadRequest().json(json!({"error": "Required request parameter 'from' for method parameter type OffsetDateTime is not present"}));
    };
    let Ok(from) = parse(from_raw) else {
        return HttpResponse::BadRequest()
            .json(json!({"error": format!("Invalid date format: {from_raw}")}));
    };
    let to = match query.to.as_deref() {
        Some(raw) => match parse(raw) {
            Ok(t) => t.min(Utc::now()),
            Err(_) => {
                return HttpResponse::BadRequest()
                    .json(json!({"error": format!("Invalid date format: {raw}")}));
            }
        },
        None => Utc::now(),
    };
    if from > to {
        return HttpResponse::BadRequest().json(json!({"error": format!("Invalid date range: 'from' date {from} should not be after 'to' date {to}")}));
    }
    if to - from > chrono::Duration::days(365) {
        return HttpResponse::BadRequest()
            .json(json!({"error": "Invalid date range: at most 365 days"}));
    }
    let tz = data::timezone_of(&location);
    let mut all = Vec::new();
    let mut day = from.with_timezone(&tz).date_naive() - chrono::Duration::days(1);
    while day <= to.with_timezone(&tz).date_naive() {
        all.extend(state.receipts(&location, day).into_iter().filter(|r| {
            r.closed_at_micros >= from.timestamp_micros()
                && r.closed_at_micros < to.timestamp_micros()
        }));
        day += chrono::Duration::days(1);
    }
    all.sort_by_key(|r| (r.closed_at_micros, r.account_id.clone()));
    let offset: usize = query
        .next_page_token
        .as_deref()
        .and_then(|t| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(t)
                .ok()
        })
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.strip_prefix("o:").and_then(|n| n.parse().ok()))
        .unwrap_or(0);
    let size = query.page_size.unwrap_or(50).clamp(1, 100);
    let page: Vec<Value> = all
        .iter()
        .skip(offset)
        .take(size)
        .map(|r| sale_json(&state, r))
        .collect();
    let mut body = json!({"sales": page});
    if offset + size < all.len() {
        body["nextPageToken"] = Value::from(
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("o:{}", offset + size)),
        );
    }
    HttpResponse::Ok().json(body)
}
