//! Sides POS (formerly SimplyDelivery). No public API documentation exists
//! (reference/pos-apis.md §2.2), so this module is the one place that knows its wire contract —
//! Larder's documented assumption, to be replaced when Sides hands over partner docs:
//!
//! - `POST /auth/login {username, password}` → `{token, expires_in}`; 401 on a wrong login
//! - `GET /stores` → `[{id, name, address}]`
//! - `GET /stores/{id}/products` → `[{id, name, number, price, category}]`
//! - `GET /stores/{id}/reports/daily?date=YYYY-MM-DD` → `{date, store_id, orders: [{id,
//!   number, created_at, status, bill_positions: [{id, product_id, name, quantity (decimal),
//!   unit_price, total}]}]}`; `status` is COMPLETED, REFUNDED, CANCELLED or VOIDED.
//!
//! Read as documented, no stricter: a field the contract does not promise is optional (an extra
//! `closed: false` holds a day back; without it a past day is whole), a decimal may come as a
//! number or a string, and a missing promised field fails the read naming the field.
//!
//! Products are keyed by their id. The session token lives in memory only; a 401 logs in again.

use crate::db::Writer;
use chrono::{NaiveDate, Utc};
use entity::pos_integration;
use sea_orm::{ActiveModelTrait, ConnectionTrait, IntoActiveModel, Set};
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;

use super::http::{self, Reply};
use super::settings::LiveSettings;
use super::source::{PosSource, RemoteDay, RemoteItem, RemoteLocation, decimal_micro, time_micros};
use crate::access::{Principal, Role};
use crate::error::{ServiceError, ServiceResult};
use crate::pos::sale_lines::{NewSaleLine, SaleStatus};
use crate::pos::{ConnectionState, Provider, integrations};

const NAME: &str = "Sides";

/// Stored encrypted as JSON in `credentials_enc`.
#[derive(Clone, Serialize, Deserialize)]
pub struct Login {
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for Login {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Login")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

pub struct SidesClient<'a> {
    live: &'a LiveSettings,
    login: Login,
    token: Mutex<Option<String>>,
}

impl<'a> SidesClient<'a> {
    pub fn new(live: &'a LiveSettings, login: Login) -> Self {
        Self {
            live,
            login,
            token: Mutex::new(None),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.live.sides.api_url.trim_end_matches('/'))
    }

    /// Logs in; a refused login is a VALIDATION error on the password field (the form shows it).
    async fn log_in(&self) -> ServiceResult<String> {
        if self.live.sides.api_url.trim().is_empty() {
            return Err(ServiceError::validation(
                "integrationId",
                "Sides is not configured on this server: set LARDER_SIDES_API_URL",
            ));
        }
        let url = self.url("/auth/login");
        let reply = http::send(NAME, &self.live.http, || {
            self.live.client().post(&url).json(&serde_json::json!({
                "username": self.login.username,
                "password": self.login.password,
            }))
        })
        .await?;
        match reply.status.as_u16() {
            200..=299 => Ok(reply.json::<wire::Session>(NAME)?.token),
            401 | 403 => Err(ServiceError::validation(
                "password",
                format!(
                    "Sides refused the username or password ({})",
                    reply.message()
                ),
            )),
            status => Err(ServiceError::provider(
                NAME,
                format!("answered {status} to the login: {}", reply.message()),
            )),
        }
    }

    async fn token(&self, rejected: Option<&str>) -> ServiceResult<String> {
        let mut held = self.token.lock().await;
        match held.as_deref() {
            Some(token) if Some(token) != rejected => Ok(token.to_string()),
            _ => {
                let token = self.log_in().await?;
                *held = Some(token.clone());
                Ok(token)
            }
        }
    }

    async fn get(&self, path: &str, query: &[(&str, String)]) -> ServiceResult<Reply> {
        let url = self.url(path);
        let token = self.token(None).await?;
        let reply = http::get_authorized(
            NAME,
            &self.live.http,
            self.live.client(),
            &url,
            query,
            token,
            |rejected| async move { self.token(Some(&rejected)).await },
        )
        .await?;
        match reply.status.as_u16() {
            200..=299 => Ok(reply),
            status => Err(ServiceError::provider(
                NAME,
                format!("answered {status}: {}", reply.message()),
            )),
        }
    }
}

impl PosSource for SidesClient<'_> {
    async fn check(&self) -> ServiceResult<()> {
        self.token(None).await?;
        self.locations().await.map(|_| ())
    }

    async fn locations(&self) -> ServiceResult<Vec<RemoteLocation>> {
        let stores: Vec<wire::Store> = self.get("/stores", &[]).await?.json(NAME)?;
        Ok(stores
            .into_iter()
            .map(|s| RemoteLocation {
                external_id: s.id.to_string(),
                name: s.name,
                timezone: None,
            })
            .collect())
    }

    async fn items(&self, location: &str) -> ServiceResult<Vec<RemoteItem>> {
        let products: Vec<wire::Product> = self
            .get(&format!("/stores/{location}/products"), &[])
            .await?
            .json(NAME)?;
        Ok(products
            .into_iter()
            .map(|p| RemoteItem {
                external_id: p.id.to_string(),
                name: p.name,
                category: p.category,
            })
            .collect())
    }

    async fn day(&self, location: &str, date: NaiveDate) -> ServiceResult<RemoteDay> {
        let report: wire::DailyReport = self
            .get(
                &format!("/stores/{location}/reports/daily"),
                &[("date", date.to_string())],
            )
            .await?
            .json(NAME)?;
        let mut lines = Vec::new();
        for order in report.orders {
            let status = match order.status.as_str() {
                "COMPLETED" => SaleStatus::Sale,
                "REFUNDED" => SaleStatus::Refund,
                "CANCELLED" => SaleStatus::Cancelled,
                "VOIDED" => SaleStatus::Void,
                other => {
                    return Err(ServiceError::provider(
                        NAME,
                        format!(
                            "answered with data Larder cannot read (order {} has status {other:?})",
                            order.id
                        ),
                    ));
                }
            };
            let sold_at = time_micros(NAME, "created_at", &order.created_at)?;
            for position in order.bill_positions {
                let mut quantity = decimal_micro(NAME, "quantity", &position.quantity.text())?;
                if status == SaleStatus::Refund && quantity > 0 {
                    quantity = -quantity;
                }
                lines.push(NewSaleLine {
                    business_date: date,
                    // Position ids may restart per order: the order makes them unique.
                    line_key: format!("{}:{}", order.id, position.id),
                    external_item_id: position.product_id.to_string(),
                    item_name: position.name,
                    quantity_micro: quantity,
                    sales_value_micro: match &position.total {
                        Some(v) => Some(decimal_micro(NAME, "total", &v.text())?),
                        None => None,
                    },
                    sold_at,
                    transaction_id: Some(order.id.to_string()),
                    receipt_number: order.number.clone(),
                    status,
                    csv_import_id: None,
                });
            }
        }
        Ok(RemoteDay {
            lines,
            complete: report.closed.unwrap_or(true),
        })
    }
}

/// Checks a login against Sides without storing anything.
pub async fn check_login(live: &LiveSettings, login: &Login) -> ServiceResult<()> {
    SidesClient::new(live, login.clone()).check().await
}

/// Connects (or reconnects with new credentials) a Sides integration: the login is checked
/// first, and only a working one is stored. Locations, mappings and history stay.
pub async fn connect<C: Writer>(
    db: &C,
    live: &LiveSettings,
    principal: &Principal,
    integration_id: i64,
    login: Login,
) -> ServiceResult<pos_integration::Model> {
    let integration = integrations::get(db, principal, integration_id, Role::Manager).await?;
    if integration.provider != Provider::Sides {
        return Err(ServiceError::validation(
            "integrationId",
            "only a Sides integration connects with a username and password",
        ));
    }
    validate_login(&login)?;
    check_login(live, &login).await?;
    store_login(db, live, integration, &login).await
}

/// Creates a Sides integration only if its login works.
pub async fn create<C: Writer>(
    db: &C,
    live: &LiveSettings,
    principal: &Principal,
    company_id: i64,
    name: &str,
    login: Login,
) -> ServiceResult<pos_integration::Model> {
    principal.require(company_id, Role::Manager, "company")?;
    validate_login(&login)?;
    check_login(live, &login).await?;
    let txn = crate::db::begin_write(db).await?;
    let integration = integrations::create(
        &txn,
        &live.cipher,
        principal,
        company_id,
        Provider::Sides,
        name,
    )
    .await?;
    let integration = store_login(&txn, live, integration, &login).await?;
    txn.commit().await?;
    Ok(integration)
}

fn validate_login(login: &Login) -> ServiceResult<()> {
    crate::validate::bounded("username", &login.username, 200)?;
    crate::validate::bounded("password", &login.password, 1024)?;
    if login.username.trim().is_empty() {
        return Err(ServiceError::validation(
            "username",
            "enter the Sides username",
        ));
    }
    if login.password.is_empty() {
        return Err(ServiceError::validation(
            "password",
            "enter the Sides password",
        ));
    }
    Ok(())
}

async fn store_login<C: ConnectionTrait>(
    db: &C,
    live: &LiveSettings,
    integration: pos_integration::Model,
    login: &Login,
) -> ServiceResult<pos_integration::Model> {
    let mut model = integration.into_active_model();
    model.credentials_enc = Set(Some(
        live.cipher
            .encrypt(&serde_json::to_string(login).unwrap_or_default()),
    ));
    model.connection_state = Set(ConnectionState::Connected);
    model.connection_error = Set(None);
    model.connected_at = Set(Some(Utc::now()));
    Ok(model.update(db).await?)
}

mod wire {
    use serde::Deserialize;

    pub use super::super::source::wire::Id;

    #[derive(Deserialize)]
    pub struct Session {
        pub token: String,
    }

    #[derive(Deserialize)]
    pub struct Store {
        pub id: Id,
        pub name: String,
    }

    #[derive(Deserialize)]
    pub struct Product {
        pub id: Id,
        pub name: String,
        pub category: Option<String>,
    }

    /// The documented report has no `closed`: where it is sent it says whether the store closed
    /// the day; where it is not, a past business day (the only kind Larder asks for) is whole.
    #[derive(Deserialize)]
    pub struct DailyReport {
        #[serde(default)]
        pub closed: Option<bool>,
        #[serde(default)]
        pub orders: Vec<Order>,
    }

    #[derive(Deserialize)]
    pub struct Order {
        pub id: Id,
        pub number: Option<String>,
        pub created_at: String,
        pub status: String,
        #[serde(default)]
        pub bill_positions: Vec<BillPosition>,
    }

    #[derive(Deserialize)]
    pub struct BillPosition {
        pub id: Id,
        pub product_id: Id,
        pub name: String,
        pub quantity: super::super::source::wire::Amount,
        pub total: Option<super::super::source::wire::Amount>,
    }
}

#[cfg(test)]
mod tests {
    use super::wire::DailyReport;

    #[test]
    fn the_documented_daily_report_reads_without_closed_and_with_numbers() {
        let documented = r#"{"date": "2026-11-01", "store_id": 7, "orders": [{"id": 1, "number": "A-1",
            "created_at": "2026-11-01T12:30:00Z", "status": "COMPLETED", "bill_positions": [
            {"id": 1, "product_id": 42, "name": "Pizza", "quantity": 2.5, "unit_price": 9.5, "total": "23.75"}]}]}"#;
        let report: DailyReport = serde_json::from_str(documented).expect("documented shape reads");
        assert_eq!(report.closed, None);
        assert_eq!(report.orders[0].bill_positions[0].quantity.text(), "2.5");
        let missing: Result<DailyReport, _> = serde_json::from_str(
            r#"{"orders": [{"id": 1, "status": "COMPLETED", "bill_positions": []}]}"#,
        );
        let err = missing
            .err()
            .expect("a promised field is required")
            .to_string();
        assert!(err.contains("created_at"), "{err}");
    }
}
