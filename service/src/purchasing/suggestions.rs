//! Reorder suggestions (DESIGN.md, "Purchasing"): for each pair with a stock policy, what to
//! order so the storage unit lasts until the next delivery after the next review — in whole
//! packs of the ingredient's preferred product — and why.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use entity::{ingredient, product, stock_balance, stock_policy, vendor};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::policies::StockPolicyKind;
use super::supply::{latest_receipt_costs, on_order, pack_prices};
use super::usage::{Forecast, Pair, UsageHistory, daily_usage};
use crate::access::Principal;
use crate::business_days::business_date_of;
use crate::error::ServiceResult;
use crate::owned::company_records;
use crate::quantity::from_micro;

/// A vendor's lead time when the ingredient has no preferred product (DESIGN.md default).
const DEFAULT_LEAD_TIME_DAYS: i64 = 1;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReorderSuggestion {
    pub ingredient_id: i64,
    pub storage_unit_id: i64,
    pub product_id: Option<i64>,
    pub vendor_id: Option<i64>,
    pub on_hand: Decimal,
    pub on_order: Decimal,
    pub average_daily_usage: Decimal,
    pub days_of_stock_left: Option<Decimal>,
    /// What the pair needs before rounding to packs.
    pub need: Decimal,
    /// Packs × packaging factor; the need itself without a preferred product.
    pub suggested_quantity: Decimal,
    /// Whole packs; 0 without a preferred product.
    pub suggested_packs: Decimal,
    pub price_per_pack: Option<Decimal>,
    pub estimated_cost: Option<Decimal>,
    /// The figures in words (English); the fields below let a page say them in its language.
    pub reason: String,
    pub policy: stock_policy::Model,
    pub lead_time_days: i64,
    /// AUTOMATIC: the forecast usage over the cover period (today, lead time, review days).
    pub cover_usage: Option<Decimal>,
    /// The forecast went by weekday (else flat).
    pub by_weekday: bool,
    /// The packs were raised to the product's minimum.
    pub raised_to_minimum: bool,
}

/// The suggestions of a company (or one storage unit) at `now`, for the pairs that need
/// something: by vendor (none last), then storage unit and ingredient.
pub async fn reorder_suggestions<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    storage_unit_id: Option<i64>,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<ReorderSuggestion>> {
    let company = crate::companies::get(db, principal, company_id).await?;
    crate::storage_units::check_in_company(db, company_id, storage_unit_id).await?;
    let policies = super::policies::list(db, principal, company_id, storage_unit_id).await?;
    if policies.is_empty() {
        return Ok(Vec::new());
    }
    let books = Books::load(db, &company, storage_unit_id, &policies, now).await?;
    let today = business_date_of(&company, now);
    let mut out: Vec<ReorderSuggestion> = policies
        .iter()
        .filter_map(|p| books.suggest(p, today))
        .collect();
    out.sort_by_key(|s| {
        (
            s.vendor_id.is_none(),
            s.vendor_id,
            s.storage_unit_id,
            s.ingredient_id,
        )
    });
    Ok(out)
}

/// Everything the suggestions read, loaded once for all pairs.
struct Books {
    ingredients: HashMap<i64, ingredient::Model>,
    products: HashMap<i64, product::Model>,
    vendors: HashMap<i64, vendor::Model>,
    on_hand: HashMap<Pair, Decimal>,
    on_order: HashMap<Pair, Decimal>,
    usage: UsageHistory,
    pack_prices: HashMap<i64, Decimal>,
    unit_costs: HashMap<i64, Decimal>,
}

impl Books {
    async fn load<C: ConnectionTrait>(
        db: &C,
        company: &entity::company::Model,
        storage_unit_id: Option<i64>,
        policies: &[stock_policy::Model],
        now: DateTime<Utc>,
    ) -> ServiceResult<Self> {
        let company_id = company.id;
        let ingredients: HashMap<i64, ingredient::Model> =
            company_records(db, ingredient::Column::CompanyId, company_id).await?;
        let products: HashMap<i64, product::Model> =
            company_records(db, product::Column::CompanyId, company_id).await?;
        let vendors = company_records(db, vendor::Column::CompanyId, company_id).await?;
        let mut balances =
            stock_balance::Entity::find().filter(stock_balance::Column::CompanyId.eq(company_id));
        if let Some(unit) = storage_unit_id {
            balances = balances.filter(stock_balance::Column::StorageUnitId.eq(unit));
        }
        let on_hand = balances
            .all(db)
            .await?
            .into_iter()
            .map(|b| {
                (
                    (b.ingredient_id, b.storage_unit_id),
                    from_micro(b.quantity_micro),
                )
            })
            .collect();
        let window = policies
            .iter()
            .map(|p| p.usage_window_days)
            .max()
            .unwrap_or(1);
        let preferred: Vec<product::Model> = policies
            .iter()
            .filter_map(|p| ingredients.get(&p.ingredient_id)?.preferred_product_id)
            .filter_map(|id| products.get(&id).cloned())
            .collect();
        let unit_costs = latest_receipt_costs(db, company_id).await?;
        Ok(Self {
            on_order: on_order(db, company_id, storage_unit_id).await?,
            usage: daily_usage(db, company, storage_unit_id, window, now).await?,
            pack_prices: pack_prices(db, company_id, &preferred, &unit_costs).await?,
            unit_costs,
            ingredients,
            products,
            vendors,
            on_hand,
        })
    }

    /// The pair's suggestion, or none when it needs nothing.
    fn suggest(&self, policy: &stock_policy::Model, today: NaiveDate) -> Option<ReorderSuggestion> {
        let pair = (policy.ingredient_id, policy.storage_unit_id);
        let ingredient = self.ingredients.get(&policy.ingredient_id)?;
        let product = ingredient
            .preferred_product_id
            .and_then(|id| self.products.get(&id));
        let vendor = product.and_then(|p| self.vendors.get(&p.vendor_id));
        let on_hand = self.on_hand.get(&pair).copied().unwrap_or_default();
        let on_order = self.on_order.get(&pair).copied().unwrap_or_default();
        let (days, usage) = self
            .usage
            .last_days(pair, policy.usage_window_days as usize);
        let forecast = Forecast::from_usage(&days, &usage);
        let unit = unit_word(&ingredient.base_unit);
        let stock = Stock { on_hand, on_order };
        let lead_time_days = vendor.map_or(DEFAULT_LEAD_TIME_DAYS, |v| v.lead_time_days);
        let Need {
            quantity: need,
            why,
            cover_usage,
        } = match policy.kind {
            StockPolicyKind::Automatic => {
                automatic_need(policy, &forecast, today, lead_time_days, stock, unit)
            }
            StockPolicyKind::Manual => manual_need(policy, stock, unit)?,
        };
        if need <= Decimal::ZERO {
            return None;
        }
        let rounded = product.map(|p| round_to_packs(need, p));
        let (suggested_quantity, suggested_packs) = rounded
            .as_ref()
            .map_or((need, Decimal::ZERO), |r| (r.quantity, r.packs));
        let price_per_pack = product.and_then(|p| self.pack_prices.get(&p.id).copied());
        let estimated_cost = match &rounded {
            Some(r) => price_per_pack.map(|price| r.packs * price),
            None => self
                .unit_costs
                .get(&ingredient.id)
                .map(|cost| (need * cost).round_dp(6)),
        };
        let packs_why = match (&rounded, product) {
            (Some(r), Some(p)) => format!(
                " → {} × {} of {} {unit}{}",
                shown(r.packs),
                p.pack_name,
                shown(from_micro(p.packaging_factor_micro)),
                if r.raised_to_minimum {
                    format!(" (the vendor's minimum: {} packs)", shown(r.packs))
                } else {
                    String::new()
                }
            ),
            _ => " (no preferred product: order it by hand)".into(),
        };
        Some(ReorderSuggestion {
            ingredient_id: ingredient.id,
            storage_unit_id: policy.storage_unit_id,
            product_id: product.map(|p| p.id),
            vendor_id: vendor.map(|v| v.id),
            on_hand,
            on_order,
            average_daily_usage: forecast.average_daily.round_dp(6),
            days_of_stock_left: forecast.days_left(on_hand),
            need: need.round_dp(6),
            suggested_quantity: suggested_quantity.round_dp(6),
            suggested_packs,
            price_per_pack,
            estimated_cost,
            reason: format!("{why}{packs_why}"),
            policy: policy.clone(),
            lead_time_days,
            cover_usage: cover_usage.map(|c| c.round_dp(6)),
            by_weekday: policy.kind == StockPolicyKind::Automatic && forecast.by_weekday.is_some(),
            raised_to_minimum: rounded.as_ref().is_some_and(|r| r.raised_to_minimum),
        })
    }
}

#[derive(Clone, Copy)]
struct Stock {
    on_hand: Decimal,
    on_order: Decimal,
}

/// What a pair needs before rounding, and the figures that led there in words.
struct Need {
    quantity: Decimal,
    why: String,
    cover_usage: Option<Decimal>,
}

/// Forecast over the cover period (today and the lead time + review days after, each at its
/// weekday's forecast) + safety days at the flat average − on hand − on order.
fn automatic_need(
    policy: &stock_policy::Model,
    forecast: &Forecast,
    today: NaiveDate,
    lead_time_days: i64,
    stock: Stock,
    unit: &str,
) -> Need {
    let cover_days = lead_time_days + policy.review_days;
    let cover = forecast.over(today, cover_days);
    let safety_days = from_micro(policy.safety_days_micro);
    let safety = safety_days * forecast.average_daily;
    let quantity = cover + safety - stock.on_hand - stock.on_order;
    let average = shown(forecast.average_daily);
    let usage = match forecast.by_weekday {
        Some(_) => format!(
            "{} {unit} forecast by weekday over ({lead_time_days} + {} days) + {} × {average} {unit}/day",
            shown(cover),
            policy.review_days,
            safety_words(safety_days),
        ),
        None => format!(
            "{average} {unit}/day × ({lead_time_days} + {} days + {})",
            policy.review_days,
            safety_words(safety_days),
        ),
    };
    Need {
        quantity,
        why: format!(
            "{usage} − {} on hand − {} on order = {} {unit}",
            shown(stock.on_hand),
            shown(stock.on_order),
            shown(quantity),
        ),
        cover_usage: Some(cover),
    }
}

/// Par − on hand − on order, when on hand + on order is at or below the reorder point.
fn manual_need(policy: &stock_policy::Model, stock: Stock, unit: &str) -> Option<Need> {
    let reorder = from_micro(policy.reorder_point_micro?);
    let par = from_micro(policy.par_level_micro?);
    if stock.on_hand + stock.on_order > reorder {
        return None;
    }
    let quantity = par - stock.on_hand - stock.on_order;
    Some(Need {
        quantity,
        why: format!(
            "at or below the reorder point of {} {unit}: par {} − {} on hand − {} on order = {} {unit}",
            shown(reorder),
            shown(par),
            shown(stock.on_hand),
            shown(stock.on_order),
            shown(quantity),
        ),
        cover_usage: None,
    })
}

struct Rounded {
    packs: Decimal,
    quantity: Decimal,
    raised_to_minimum: bool,
}

/// Up to whole packs, then up to the product's minimum packs (itself taken up to whole packs).
fn round_to_packs(need: Decimal, product: &product::Model) -> Rounded {
    let factor = from_micro(product.packaging_factor_micro);
    let whole = (need / factor).ceil();
    let minimum = from_micro(product.minimum_packs_micro).ceil();
    let packs = whole.max(minimum);
    Rounded {
        packs,
        quantity: packs * factor,
        raised_to_minimum: minimum > whole,
    }
}

/// "1 safety day", "2.5 safety days".
fn safety_words(days: Decimal) -> String {
    if days == Decimal::ONE {
        "1 safety day".into()
    } else {
        format!("{} safety days", shown(days))
    }
}

/// A figure in a reason: at most three decimals.
fn shown(value: Decimal) -> String {
    value.round_dp(3).normalize().to_string()
}

/// The base unit as a reason writes it.
fn unit_word(base_unit: &str) -> &'static str {
    match base_unit {
        "KG" => "kg",
        "L" => "L",
        _ => "pcs",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn policy(kind: StockPolicyKind) -> stock_policy::Model {
        stock_policy::Model {
            id: 1,
            company_id: 1,
            ingredient_id: 1,
            storage_unit_id: 1,
            kind,
            reorder_point_micro: Some(4_000_000),
            par_level_micro: Some(20_000_000),
            review_days: 7,
            safety_days_micro: 1_000_000,
            usage_window_days: 28,
            updated_at: Utc::now(),
        }
    }

    fn crate_of_milk() -> product::Model {
        product::Model {
            id: 1,
            company_id: 1,
            vendor_id: 1,
            ingredient_id: 1,
            name: "Milk".into(),
            sku: "M".into(),
            gtin: None,
            gtin_key: None,
            pack_name: "crate".into(),
            packaging_factor_micro: 10_000_000,
            archived_at: None,
            minimum_packs_micro: 1_000_000,
            created_at: Utc::now(),
        }
    }

    #[test]
    fn the_issue_example_orders_two_crates() {
        // 2 L/day × (2 + 7 days) + 1 safety day − 4 on hand − 0 on order = 16 L → 2 crates.
        let days: Vec<NaiveDate> = (0..13)
            .map(|k| NaiveDate::from_ymd_opt(2026, 11, 1).unwrap() + Duration::days(k))
            .collect();
        let forecast = Forecast::from_usage(&days, &[Decimal::TWO; 13]);
        let stock = Stock {
            on_hand: Decimal::from(4),
            on_order: Decimal::ZERO,
        };
        let need = automatic_need(
            &policy(StockPolicyKind::Automatic),
            &forecast,
            days[12] + Duration::days(1),
            2,
            stock,
            "L",
        );
        assert_eq!(need.quantity, Decimal::from(16));
        assert_eq!(
            need.why,
            "2 L/day × (2 + 7 days + 1 safety day) − 4 on hand − 0 on order = 16 L"
        );
        let rounded = round_to_packs(need.quantity, &crate_of_milk());
        assert_eq!(
            (rounded.packs, rounded.quantity),
            (Decimal::TWO, Decimal::from(20))
        );
    }

    #[test]
    fn a_manual_policy_orders_up_to_par_only_at_the_reorder_point() {
        let p = policy(StockPolicyKind::Manual);
        let above = Stock {
            on_hand: Decimal::from(3),
            on_order: Decimal::from(2),
        };
        assert!(manual_need(&p, above, "kg").is_none());
        let at = Stock {
            on_hand: Decimal::from(3),
            on_order: Decimal::ONE,
        };
        assert_eq!(
            manual_need(&p, at, "kg").unwrap().quantity,
            Decimal::from(16)
        );
    }

    #[test]
    fn packs_round_up_then_up_to_the_minimum() {
        let mut p = crate_of_milk();
        p.minimum_packs_micro = 3_000_000;
        let r = round_to_packs(Decimal::new(105, 1), &p);
        assert_eq!((r.packs, r.raised_to_minimum), (Decimal::from(3), true));
        let r = round_to_packs(Decimal::new(305, 1), &p);
        assert_eq!(
            (r.packs, r.quantity, r.raised_to_minimum),
            (Decimal::from(4), Decimal::from(40), false)
        );
    }
}
