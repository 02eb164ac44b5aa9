//! The first page after sign-in, the story at a glance: what the stock is worth and how that
//! moved over 30 days, what is out, how the tills' sync is doing, what is on its way, and the
//! latest movements.

use leptos::prelude::*;
use leptos_router::components::A;
use serde::Deserialize;
use serde_json::json;

use super::inventory::Level;
use super::ledger::Entry;
use crate::api;
use crate::format::{day, money, percent, qty};
use crate::i18n::{n, t, t_with};
use crate::model::StockValue;
use crate::session::use_session;

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Data {
    stock_value: StockValue,
    stock_value_history: Vec<ValuePoint>,
    critical_stock: Vec<Level>,
    recent_movements: Vec<Entry>,
    in_transit: Total,
    pos_integrations: Vec<Till>,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Total {
    total_count: i64,
}

#[derive(Clone, Deserialize)]
struct ValuePoint {
    date: String,
    value: String,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Till {
    id: String,
    name: String,
    untransferred_days: Vec<serde_json::Value>,
    mapping_health: Health,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Health {
    unmapped_revenue: String,
    revenue_mapped_percent: Option<String>,
}

const QUERY: &str = "query($c: ID!) { \
    stockValue(companyId: $c) { total storageUnits { storageUnit { name } value } } \
    stockValueHistory(companyId: $c, days: 30) { date value } \
    criticalStock(companyId: $c, first: 8) { ingredient { id name baseUnit } storageUnit { id name } quantity averageCost value negative } \
    recentMovements(companyId: $c, first: 8) { id transactionType quantity unitCost value balanceAfter occurredAt reversalOf ingredient { name baseUnit } storageUnit { id name } source { kind description } } \
    inTransit: transferConnection(companyId: $c, status: SHIPPED, first: 1) { totalCount } \
    posIntegrations(companyId: $c) { id name untransferredDays { businessDate } mappingHealth(lastDays: 30) { unmappedRevenue revenueMappedPercent } } }";

#[component]
pub fn Dashboard() -> impl IntoView {
    let session = use_session();
    let data = LocalResource::new(move || {
        let company = session.company_id();
        async move { api::gql::<Data>(QUERY, json!({ "c": company })).await }
    });
    let company_name = move || {
        let id = session.company.get();
        session
            .me
            .get()
            .and_then(|me| {
                me.memberships
                    .into_iter()
                    .find(|m| Some(&m.company.id) == id.as_ref())
            })
            .map(|m| m.company.name)
    };
    view! {
        <div class="page-head"><h1>{company_name}</h1></div>
        <Suspense fallback=|| view! { <p aria-busy="true">{t("loading")}</p> }>
            {move || data.get().map(|r| match r {
                Ok(d) => view! { <Story d /> }.into_any(),
                Err(e) => super::load_error(e),
            })}
        </Suspense>
    }
}

#[component]
fn Story(d: Data) -> impl IntoView {
    let critical = d.critical_stock.clone();
    view! {
        <div class="cards" id="value-by-unit">
            <article>
                <small class="muted">{t("dash-stock-value")}</small>
                <div class="figure money">{money(&d.stock_value.total)}</div>
                <A href="/inventory">{t("nav-inventory")}</A>
            </article>
            <article id="in-transit">
                <small class="muted">{t("dash-in-transit")}</small>
                <div class="figure">{d.in_transit.total_count}</div>
                <A href="/transfers">{t("dash-receive-them")}</A>
            </article>
            {d.stock_value.storage_units.iter().map(|u| view! {
                <article>
                    <small class="muted">{u.storage_unit.name.clone()}</small>
                    <div class="figure money">{money(&u.value)}</div>
                </article>
            }).collect_view()}
        </div>
        <article id="value-chart">
            <header><strong>{t("dash-value-30-days")}</strong></header>
            <ValueChart points=d.stock_value_history.clone() />
        </article>
        <div class="grid">
            <crate::pages::purchasing::RunningOut />
            <crate::pages::food_cost::LatestPriceChanges />
        </div>
        <div class="grid">
            <article id="critical">
                <header><strong>{t("dash-critical")}</strong><span class="muted">" — "{t("dash-critical-hint")}</span></header>
                {if critical.is_empty() {
                    view! { <p class="muted">{t("dash-nothing-out")}</p> }.into_any()
                } else {
                    view! {
                        <table>
                            <tbody>
                                {critical.into_iter().map(|l| view! {
                                    <tr>
                                        <td><A href=format!("/ledger?ingredient={}&unit={}", l.ingredient.id, l.storage_unit.id)>{l.ingredient.name.clone()}</A></td>
                                        <td>{l.storage_unit.name.clone()}</td>
                                        <td class="num negative">{format!("{} {}", qty(&l.quantity), l.ingredient.base_unit)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
            </article>
            <article id="pos-health">
                <header><strong>{t("dash-tills")}</strong><span class="muted">" — "{t("dash-last-30-days")}</span></header>
                {if d.pos_integrations.is_empty() {
                    view! { <p class="muted">{t("dash-no-tills")}</p> }.into_any()
                } else {
                    d.pos_integrations.clone().into_iter().map(|i| {
                        let missing = i.untransferred_days.len();
                        view! {
                            <p>
                                <A href=format!("/integrations/{}", i.id)>{i.name}</A><br />
                                {if missing == 0 {
                                    view! { <span>{t("dash-all-days-transferred")}</span> }.into_any()
                                } else {
                                    view! { <span class="negative">{t_with("dash-days-untransferred", &[("count", n(missing as f64))])}</span> }.into_any()
                                }}<br />
                                <small class="muted">{t("dash-unmapped-revenue")}": "</small>
                                <span class="money">{money(&i.mapping_health.unmapped_revenue)}</span>
                                {i.mapping_health.revenue_mapped_percent.map(|p| view! {
                                    <small class="muted">" ("{t_with("dash-mapped-share", &[("share", crate::i18n::s(percent(&p)))])}")"</small>
                                })}
                            </p>
                        }
                    }).collect_view().into_any()
                }}
            </article>
        </div>
        <article id="recent">
            <header><strong>{t("dash-recent")}</strong></header>
            <div class="table-scroll">
                <table>
                    <tbody>
                        {d.recent_movements.into_iter().map(|e| view! {
                            <tr>
                                <td><span class="badge">{e.transaction_type.label()}</span></td>
                                <td>{e.ingredient.name.clone()}</td>
                                <td>{e.storage_unit.name.clone()}</td>
                                <td class="num">{format!("{} {}", qty(&e.quantity), e.ingredient.base_unit)}</td>
                                <td class="num">{e.value.as_deref().map(money).unwrap_or_default()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <A href="/ledger">{t("dash-whole-ledger")}</A>
        </article>
    }
}

/// The stock's value at the end of each day, as a line: the y axis in money, the x axis in days.
#[component]
fn ValueChart(points: Vec<ValuePoint>) -> impl IntoView {
    // Plot coordinates only: the figures people read are the service's, formatted exactly.
    let values: Vec<f64> = points
        .iter()
        .map(|p| p.value.parse::<f64>().unwrap_or(0.0))
        .collect();
    if values.len() < 2 {
        return view! { <p class="muted">{t("dash-no-history")}</p> }.into_any();
    }
    let (w, h, left, pad) = (720.0f64, 200.0f64, 90.0f64, 24.0f64);
    let lo = values.iter().cloned().fold(f64::MAX, f64::min).min(0.0);
    let hi = values
        .iter()
        .cloned()
        .fold(f64::MIN, f64::max)
        .max(lo + 1.0);
    let x = |i: usize| left + i as f64 / (values.len() - 1) as f64 * (w - left - pad);
    let y = |v: f64| h - pad - (v - lo) / (hi - lo) * (h - 2.0 * pad);
    let line = values
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
        .collect::<Vec<_>>()
        .join(" ");
    let top = points
        .iter()
        .max_by(|a, b| {
            let (a, b): (f64, f64) = (
                a.value.parse().unwrap_or(0.0),
                b.value.parse().unwrap_or(0.0),
            );
            a.total_cmp(&b)
        })
        .map(|p| p.value.clone())
        .unwrap_or_default();
    let first = points.first().map(|p| day(&p.date)).unwrap_or_default();
    let last = points.last().map(|p| day(&p.date)).unwrap_or_default();
    let marks = points
        .iter()
        .zip(&values)
        .enumerate()
        .map(|(i, (p, v))| {
            let title = format!("{}: {}", day(&p.date), money(&p.value));
            view! { <circle cx=format!("{:.1}", x(i)) cy=format!("{:.1}", y(*v)) r="3"><title>{title}</title></circle> }
        })
        .collect_view();
    view! {
        <figure class="value-chart">
            <svg viewBox=format!("0 0 {w} {h}") role="img" aria-label=t("dash-value-30-days") preserveAspectRatio="none">
                <line class="axis" x1=left y1=y(lo) x2=w - pad y2=y(lo) />
                <text x=left - 6.0 y=y(hi) + 4.0 text-anchor="end">{money(&top)}</text>
                <text x=left - 6.0 y=y(lo) text-anchor="end">{money(&lo.to_string())}</text>
                <polyline points=line />
                {marks}
                <text x=left y=h - 4.0>{first}</text>
                <text x=w - pad y=h - 4.0 text-anchor="end">{last}</text>
            </svg>
        </figure>
    }
    .into_any()
}
