//! How long stock lasts: days of stock left at the last 28 business days' usage, with a small
//! chart of the last 14 days — beside each row of the inventory, and the first to run out on
//! the dashboard.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_router::components::A;
use serde::Deserialize;
use serde_json::json;

use crate::api;
use crate::format::qty;
use crate::i18n::{s, t, t_with};
use crate::model::Named;
use crate::session::use_session;

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Outlook {
    pub ingredient: Named,
    pub storage_unit: Named,
    pub days_of_stock_left: Option<String>,
    pub daily_usage: Vec<String>,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Data {
    stock_outlook: Vec<Outlook>,
}

/// The outlook of every pair that used stock, keyed by (ingredient, storage unit).
pub fn use_outlook(unit: Memo<String>) -> LocalResource<HashMap<(String, String), Outlook>> {
    let session = use_session();
    LocalResource::new(move || {
        let (company, unit) = (session.company_id(), unit.get());
        async move {
            api::gql::<Data>(
                "query($c: ID!, $u: ID) { stockOutlook(companyId: $c, storageUnitId: $u) { ingredient { id name } storageUnit { id name } daysOfStockLeft dailyUsage } }",
                json!({"c": company, "u": crate::pages::filter_value(unit)}),
            )
            .await
            .map(|d| {
                d.stock_outlook
                    .into_iter()
                    .map(|o| ((o.ingredient.id.clone(), o.storage_unit.id.clone()), o))
                    .collect()
            })
            .unwrap_or_default()
        }
    })
}

/// A line of daily usage, 60 × 16 px, scaled to its own peak (the shape is what matters).
#[component]
pub fn Sparkline(usage: Vec<String>, #[prop(into)] label: String) -> impl IntoView {
    let values: Vec<f64> = usage
        .iter()
        .map(|v| v.parse::<f64>().unwrap_or(0.0).max(0.0))
        .collect();
    let peak = values.iter().cloned().fold(0.0_f64, f64::max);
    let step = 60.0 / (values.len().max(2) - 1) as f64;
    let points = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let y = if peak > 0.0 {
                15.0 - v / peak * 14.0
            } else {
                15.0
            };
            format!("{:.1},{:.1}", i as f64 * step, y)
        })
        .collect::<Vec<_>>()
        .join(" ");
    view! {
        <svg class="sparkline" width="60" height="16" viewBox="0 0 60 16" role="img" aria-label=label>
            <polyline points=points fill="none" stroke="currentColor" stroke-width="1.5" />
        </svg>
    }
}

/// "3.5 days" for a days-left figure.
pub fn days_left(days: Option<&str>) -> String {
    days.map(|d| t_with("purchasing-days", &[("days", s(qty(d)))]))
        .unwrap_or_else(|| "–".into())
}

/// The dashboard's card: the five pairs that run out first.
#[component]
pub fn RunningOut() -> impl IntoView {
    let all = Memo::new(|_| String::new());
    let outlook = use_outlook(all);
    view! {
        <article id="running-out">
            <header><strong>{t("purchasing-running-out")}</strong></header>
            {move || outlook.get().map(|map| {
                let mut rows: Vec<Outlook> = map.into_values().collect();
                rows.sort_by(|a, b| {
                    let days = |o: &Outlook| o.days_of_stock_left.as_deref().and_then(|d| d.parse::<f64>().ok()).unwrap_or(f64::MAX);
                    days(a).total_cmp(&days(b))
                });
                if rows.is_empty() {
                    return view! { <p class="muted">{t("purchasing-no-usage")}</p> }.into_any();
                }
                view! {
                    <ul class="plain">
                        {rows.into_iter().take(5).map(|o| view! {
                            <li>
                                <strong>{o.ingredient.name.clone()}</strong>" "<small class="muted">{o.storage_unit.name.clone()}</small>" "
                                {t_with("purchasing-runs-out-in", &[("days", s(days_left(o.days_of_stock_left.as_deref())))])}" "
                                <Sparkline usage=o.daily_usage.clone() label=t("purchasing-usage-14-days") />
                            </li>
                        }).collect_view()}
                    </ul>
                    <A href="/purchasing">{t("nav-purchasing")}</A>
                }.into_any()
            })}
        </article>
    }
}
