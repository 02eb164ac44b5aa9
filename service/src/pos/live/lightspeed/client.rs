//! The three reads Larder needs, as one integration sees the API: business locations, items
//! (paged) and one business day of sales.

use crate::db::Writer;
use std::sync::Mutex;

use chrono::NaiveDate;

use super::oauth::{Tokens, refresh};
use super::settings::{ITEMS_PAGE, MAX_ITEMS, NAME, SCOPES};
use super::wire;
use crate::error::{ServiceError, ServiceResult};
use crate::pos::live::http::{self, Reply};
use crate::pos::live::settings::LiveSettings;
use crate::pos::live::source::{RemoteDay, RemoteItem, RemoteLocation, decimal_micro, time_micros};
use crate::pos::sale_lines::{NewSaleLine, SaleStatus};

/// The Lightspeed API as one integration sees it.
pub struct LightspeedClient<'a, C> {
    db: &'a C,
    live: &'a LiveSettings,
    integration_id: i64,
    tokens: Mutex<Tokens>,
}

impl<'a, C: Writer + Clone + Send + Sync + 'static> LightspeedClient<'a, C> {
    pub fn new(db: &'a C, live: &'a LiveSettings, integration_id: i64, tokens: Tokens) -> Self {
        Self {
            db,
            live,
            integration_id,
            tokens: Mutex::new(tokens),
        }
    }

    fn current(&self) -> Tokens {
        self.tokens.lock().expect("token lock").clone()
    }

    /// An access token good for the next minute: the one in hand, else a refreshed one.
    async fn access_token(&self, rejected: Option<&str>) -> ServiceResult<String> {
        let tokens = self.current();
        if tokens.fresh() && rejected != Some(tokens.access_token.as_str()) {
            return Ok(tokens.access_token);
        }
        // In a task of its own: it runs to the end even if this caller goes away (a cancelled
        // job), so a rotated refresh token is never lost, and it does not wait on this caller to
        // be polled while it holds the integration's lock (a prefetching job posts meanwhile).
        let (db, live, id) = (self.db.clone(), self.live.clone(), self.integration_id);
        let rejected = rejected.map(str::to_string);
        let tokens =
            tokio::spawn(async move { refresh(&db, &live, id, rejected.as_deref()).await })
                .await
                .map_err(|e| ServiceError::Internal(format!("the token refresh stopped: {e}")))??;
        let token = tokens.access_token.clone();
        *self.tokens.lock().expect("token lock") = tokens;
        Ok(token)
    }

    /// GET `path` with the bearer token; a 401 refreshes the token once and tries again.
    async fn get(&self, path: &str, query: &[(&str, String)]) -> ServiceResult<Reply> {
        let url = format!(
            "{}{path}",
            self.live.lightspeed.api_url.trim_end_matches('/')
        );
        let token = self.access_token(None).await?;
        let reply = http::get_authorized(
            NAME,
            &self.live.http,
            self.live.client(),
            &url,
            query,
            token,
            |rejected| async move { self.access_token(Some(&rejected)).await },
        )
        .await?;
        match reply.status.as_u16() {
            200..=299 => Ok(reply),
            401 => Err(ServiceError::provider(
                NAME,
                format!(
                    "refused a freshly renewed access token: {}",
                    reply.message()
                ),
            )),
            403 => Err(ServiceError::provider(
                NAME,
                format!(
                    "refused access ({}); reauthorize with the scopes {}",
                    reply.message(),
                    SCOPES.join(", ")
                ),
            )),
            status => Err(ServiceError::provider(
                NAME,
                format!("answered {status}: {}", reply.message()),
            )),
        }
    }

    pub async fn check(&self) -> ServiceResult<()> {
        self.locations().await.map(|_| ())
    }

    pub async fn locations(&self) -> ServiceResult<Vec<RemoteLocation>> {
        let reply = self
            .get(
                "/f/data/businesses",
                &[("page", "0".into()), ("size", "1000".into())],
            )
            .await?;
        let body: wire::Businesses = reply.json(NAME)?;
        let many = body.embedded.business_list.len() > 1;
        Ok(body
            .embedded
            .business_list
            .into_iter()
            .flat_map(|business| {
                let business_name = business.business_name.clone();
                business.business_locations.into_iter().map(move |l| {
                    let external_id = l.bl_id.to_string();
                    let location_name = l.bl_name.unwrap_or_else(|| external_id.clone());
                    RemoteLocation {
                        // With several businesses the location name alone can be ambiguous.
                        name: match (&business_name, many) {
                            (Some(business), true) => format!("{business} – {location_name}"),
                            _ => location_name,
                        },
                        external_id,
                        timezone: l.timezone,
                    }
                })
            })
            .collect())
    }

    /// Pages through the items until a page comes back empty. A short page is not taken as the
    /// last: the documented maximum of `amount` is 1000, but an API that caps pages lower would
    /// otherwise lose every item after its first page. A page that brings no item not seen
    /// before also ends it (an API ignoring `offset`).
    pub async fn items(&self, location: &str) -> ServiceResult<Vec<RemoteItem>> {
        let mut items = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut offset = 0usize;
        loop {
            let reply = self
                .get(
                    "/items/v1/items",
                    &[
                        ("businessLocationId", location.to_string()),
                        ("offset", offset.to_string()),
                        ("amount", ITEMS_PAGE.to_string()),
                    ],
                )
                .await?;
            let page: Vec<wire::Item> = reply.json(NAME)?;
            let count = page.len();
            let mut new = 0usize;
            for item in page {
                let name = item.name.or_else(|| item.sku.clone()).unwrap_or_default();
                if name.trim().is_empty() {
                    tracing::warn!(
                        "Lightspeed listed an item with neither a name nor a SKU; skipped"
                    );
                    continue;
                }
                // Items are known to Larder by this key, so it is also what makes one new.
                let external_id = item_key(item.sku.as_deref(), &name);
                if !seen.insert(external_id.clone()) {
                    continue;
                }
                new += 1;
                items.push(RemoteItem {
                    external_id,
                    category: item
                        .accounting_group
                        .and_then(|g| g.name)
                        .or_else(|| item.statistic_groups.into_iter().find_map(|g| g.value)),
                    name,
                });
            }
            if count == 0 || new == 0 {
                return Ok(items);
            }
            offset += count;
            if offset >= MAX_ITEMS {
                return Err(ServiceError::provider(
                    NAME,
                    format!(
                        "listed more than {MAX_ITEMS} items for one location; is paging ignored?"
                    ),
                ));
            }
        }
    }

    pub async fn day(&self, location: &str, date: NaiveDate) -> ServiceResult<RemoteDay> {
        let reply = self
            .get(
                &format!("/f/v2/business-location/{location}/sales-daily"),
                &[("date", date.to_string())],
            )
            .await?;
        let body: wire::SalesDaily = reply.json(NAME)?;
        let mut lines = Vec::new();
        for sale in body.sales {
            let status = match (sale.cancelled, sale.sale_type.as_deref().unwrap_or("SALE")) {
                (true, _) | (_, "CANCEL") => SaleStatus::Cancelled,
                (_, "SALE") => SaleStatus::Sale,
                (_, "REFUND") => SaleStatus::Refund,
                _ => SaleStatus::Void,
            };
            let closed = sale.time_closed.as_deref();
            for line in sale.sales_lines {
                let name = line
                    .name
                    .clone()
                    .or_else(|| line.sku.clone())
                    .unwrap_or_else(|| "(unnamed item)".into());
                let mut quantity = decimal_micro(NAME, "quantity", &line.quantity.text())?;
                if status == SaleStatus::Refund && quantity > 0 {
                    quantity = -quantity;
                }
                let sold_at = match line.time_of_sale.as_deref().or(closed) {
                    Some(t) => time_micros(NAME, "timeOfSale", t)?,
                    None => date
                        .and_hms_opt(12, 0, 0)
                        .expect("noon exists")
                        .and_utc()
                        .timestamp_micros(),
                };
                lines.push(NewSaleLine {
                    business_date: date,
                    line_key: line.id,
                    external_item_id: item_key(line.sku.as_deref(), &name),
                    item_name: name,
                    quantity_micro: quantity,
                    sales_value_micro: match &line.total_net_amount_with_tax {
                        Some(v) => Some(decimal_micro(NAME, "totalNetAmountWithTax", &v.text())?),
                        None => None,
                    },
                    sold_at,
                    transaction_id: sale.account_fisc_id.clone(),
                    receipt_number: sale.receipt_id.clone(),
                    status,
                    csv_import_id: None,
                });
            }
        }
        Ok(RemoteDay {
            lines,
            complete: body.data_complete.unwrap_or(true),
        })
    }
}

/// The key mappings are made on: the SKU sale lines carry, else the name.
fn item_key(sku: Option<&str>, name: &str) -> String {
    match sku.map(str::trim).filter(|s| !s.is_empty()) {
        Some(sku) => sku.to_string(),
        None => format!("name:{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_keyed_by_sku_else_name() {
        assert_eq!(item_key(Some("52"), "Burger"), "52");
        assert_eq!(item_key(Some("  "), "Burger"), "name:Burger");
        assert_eq!(item_key(None, "Burger"), "name:Burger");
    }
}
