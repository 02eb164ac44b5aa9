//! The ledger over time: what the stock was worth at the end of each business day, for the
//! dashboard's chart — read from the running balances, so it is exact for every day shown.

use chrono::{NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::ConnectionTrait;

use super::costing::value_of;
use super::reading::balances_at;
use super::to_micros;
use crate::access::Principal;
use crate::error::{ServiceError, ServiceResult};
use crate::quantity::from_micro;

/// The most days one history spans.
pub const MAX_DAYS: u32 = 366;

/// What the stock was worth when a business day ended (today: now).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayValue {
    pub date: NaiveDate,
    pub value: Decimal,
}

/// The company's stock value at the end of each of its last `days` business days, today
/// included (so far), oldest first: one balance lookup per pair and day.
pub async fn stock_value_history<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    days: u32,
) -> ServiceResult<Vec<DayValue>> {
    if days == 0 || days > MAX_DAYS {
        return Err(ServiceError::validation(
            "days",
            format!("must be between 1 and {MAX_DAYS}"),
        ));
    }
    let company = crate::companies::get(db, principal, company_id).await?;
    let now = Utc::now();
    let today = crate::business_days::business_date_of(&company, now);
    let mut out = Vec::with_capacity(days as usize);
    for back in (0..days as i64).rev() {
        let date = today - chrono::Duration::days(back);
        let (_, end) = crate::business_days::bounds(&company, date);
        let at = to_micros(end.min(now)) - 1;
        let value: i128 = balances_at(db, company_id, None, at)
            .await?
            .values()
            .map(|b| value_of(b.quantity_micro, b.average_cost_micro.unwrap_or(0)) as i128)
            .sum();
        out.push(DayValue {
            date,
            value: from_micro(value),
        });
    }
    Ok(out)
}
