//! Sides POS as Larder's documented contract describes it (service::pos::live::sides), under
//! `/sides`: login, stores, products, and the daily sales report of a store.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{Value, json};

use super::data::{self, GenKind, SIDES_STORES};
use super::{SimState, fault_answer};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/sides/auth/login", web::post().to(login))
        .route("/sides/stores", web::get().to(stores))
        .route("/sides/stores/{id}/products", web::get().to(products))
        .route("/sides/stores/{id}/reports/daily", web::get().to(daily));
}

#[derive(Deserialize)]
struct LoginBody {
    username: String,
    password: String,
}

async fn login(
    req: HttpRequest,
    state: web::Data<SimState>,
    body: web::Json<LoginBody>,
) -> HttpResponse {
    if let Some(answer) = fault_answer(&state, &req).await {
        return answer;
    }
    if body.username != state.config.sides_username
        || body.password != *state.sides_password.lock().unwrap()
    {
        return HttpResponse::Unauthorized()
            .json(json!({"message": "invalid username or password"}));
    }
    let token = state.new_token("sides-");
    state.sides_sessions.lock().unwrap().insert(token.clone());
    HttpResponse::Ok().json(json!({"token": token, "expires_in": 3600}))
}

fn authorize(state: &SimState, req: &HttpRequest) -> Option<HttpResponse> {
    let token = req
        .headers()
        .get("Authorization")
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .unwrap_or_default();
    if state.sides_sessions.lock().unwrap().contains(token) {
        None
    } else {
        Some(HttpResponse::Unauthorized().json(json!({"message": "session expired"})))
    }
}

macro_rules! guard {
    ($state:expr, $req:expr) => {
        if let Some(answer) = fault_answer(&$state, &$req).await {
            return answer;
        }
        if let Some(answer) = authorize(&$state, &$req) {
            return answer;
        }
    };
}

fn known_store(state: &SimState, id: &str) -> Option<HttpResponse> {
    if SIDES_STORES.iter().any(|(s, _, _)| s.to_string() == id) && state.is_listed(id) {
        None
    } else {
        Some(HttpResponse::NotFound().json(json!({"message": format!("store {id} not found")})))
    }
}

async fn stores(req: HttpRequest, state: web::Data<SimState>) -> HttpResponse {
    guard!(state, req);
    HttpResponse::Ok().json(
        SIDES_STORES
            .iter()
            .filter(|(id, _, _)| state.is_listed(&id.to_string()))
            .map(|(id, name, address)| json!({"id": id, "name": name, "address": address}))
            .collect::<Vec<_>>(),
    )
}

async fn products(
    req: HttpRequest,
    state: web::Data<SimState>,
    path: web::Path<String>,
) -> HttpResponse {
    guard!(state, req);
    if let Some(answer) = known_store(&state, &path) {
        return answer;
    }
    HttpResponse::Ok().json(
        state
            .menu
            .items
            .iter()
            .map(|item| {
                json!({
                    "id": item.sides_id(),
                    "name": item.name,
                    "number": item.sku(),
                    "price": data::decimal_cents(item.price_cents),
                    "category": item.category,
                })
            })
            .collect::<Vec<_>>(),
    )
}

#[derive(Deserialize)]
struct DailyQuery {
    date: Option<String>,
}

async fn daily(
    req: HttpRequest,
    state: web::Data<SimState>,
    path: web::Path<String>,
    query: web::Query<DailyQuery>,
) -> HttpResponse {
    guard!(state, req);
    let store = path.into_inner();
    if let Some(answer) = known_store(&state, &store) {
        return answer;
    }
    let Some(date) = query
        .date
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    else {
        return HttpResponse::BadRequest().json(json!({"message": "date must be YYYY-MM-DD"}));
    };
    let day_tag = date.format("%Y%m%d").to_string();
    let orders: Vec<Value> = state
        .receipts(&store, date)
        .iter()
        .map(|receipt| {
            let status = match receipt.kind {
                GenKind::Sale => "COMPLETED",
                GenKind::Refund => "REFUNDED",
                GenKind::Void => "VOIDED",
                GenKind::Cancelled => "CANCELLED",
            };
            let positions: Vec<Value> = receipt
                .lines
                .iter()
                .map(|line| {
                    let item = &state.menu.items[line.item];
                    // Numeric ids: the line's running number within the store's day.
                    let n: i64 = line
                        .id
                        .rsplit('.')
                        .next()
                        .and_then(|n| n.parse().ok())
                        .unwrap_or(0);
                    json!({
                        "id": format!("{store}{day_tag}{n:05}").parse::<i64>().unwrap_or(n),
                        "product_id": item.sides_id(),
                        "name": item.name,
                        "quantity": data::decimal_milli(line.quantity_milli),
                        "unit_price": data::decimal_cents(item.price_cents),
                        "total": data::decimal_cents(line.total_cents),
                    })
                })
                .collect();
            json!({
                "id": format!("{store}{day_tag}{:04}", receipt.number).parse::<i64>().unwrap_or(0),
                "number": receipt.number.to_string(),
                "created_at": chrono::DateTime::from_timestamp_micros(receipt.opened_at_micros)
                    .expect("a time")
                    .to_rfc3339(),
                "status": status,
                "bill_positions": positions,
            })
        })
        .collect();
    HttpResponse::Ok().json(json!({
        "date": date.to_string(),
        "store_id": store.parse::<i64>().unwrap_or(0),
        "closed": state.is_complete(&store, date),
        "orders": orders,
    }))
}
