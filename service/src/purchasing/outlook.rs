//! Days of stock left: how long each (ingredient, storage unit) lasts at its usage over the
//! last 28 completed business days — for the inventory page and the dashboard, with or without
//! a stock policy.

use chrono::{DateTime, Utc};
use entity::stock_balance;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::usage::{Forecast, daily_usage};
use crate::access::Principal;
use crate::error::ServiceResult;
use crate::quantity::from_micro;

/// The days the average is taken over, and the days the sparkline shows.
pub const WINDOW_DAYS: i64 = 28;
pub const SPARKLINE_DAYS: usize = 14;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockOutlook {
    pub ingredient_id: i64,
    pub storage_unit_id: i64,
    pub on_hand: Decimal,
    pub average_daily_usage: Decimal,
    pub days_of_stock_left: Option<Decimal>,
    /// The last [`SPARKLINE_DAYS`] days' usage, oldest first.
    pub daily_usage: Vec<Decimal>,
}

/// Every pair of the company (or one storage unit) that used stock in the window, the one that
/// runs out first first.
pub async fn stock_outlook<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    storage_unit_id: Option<i64>,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<StockOutlook>> {
    let company = crate::companies::get(db, principal, company_id).await?;
    let mut balances =
        stock_balance::Entity::find().filter(stock_balance::Column::CompanyId.eq(company_id));
    crate::storage_units::check_in_company(db, company_id, storage_unit_id).await?;
    if let Some(unit) = storage_unit_id {
        balances = balances.filter(stock_balance::Column::StorageUnitId.eq(unit));
    }
    let usage = daily_usage(db, &company, storage_unit_id, WINDOW_DAYS, now).await?;
    let mut out: Vec<StockOutlook> = balances
        .all(db)
        .await?
        .into_iter()
        .filter_map(|b| {
            let pair = (b.ingredient_id, b.storage_unit_id);
            let used = usage.by_pair.get(&pair)?;
            let forecast = Forecast::from_usage(&usage.days, used);
            let on_hand = from_micro(b.quantity_micro);
            (forecast.average_daily > Decimal::ZERO).then(|| StockOutlook {
                ingredient_id: b.ingredient_id,
                storage_unit_id: b.storage_unit_id,
                on_hand,
                average_daily_usage: forecast.average_daily.round_dp(6),
                days_of_stock_left: forecast.days_left(on_hand),
                daily_usage: used[used.len().saturating_sub(SPARKLINE_DAYS)..].to_vec(),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        a.days_of_stock_left
            .cmp(&b.days_of_stock_left)
            .then(a.ingredient_id.cmp(&b.ingredient_id))
    });
    Ok(out)
}
