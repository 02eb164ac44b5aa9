//! The ledger: every movement with its running balance, filters that live in the URL, and —
//! for one ingredient in one storage unit — the summary cards and the stock-over-time chart.

use leptos::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{PageHead, load_error};
use crate::api;
use crate::format::{money, qty};
use crate::i18n::t;
use crate::model::{Connection, Edge, Named};
use crate::query::query_param;
use crate::session::use_session;
use crate::states::TransactionType;

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    pub id: String,
    pub transaction_type: TransactionType,
    pub quantity: String,
    pub unit_cost: Option<String>,
    pub value: Option<String>,
    pub balance_after: String,
    pub occurred_at: String,
    pub reversal_of: Option<String>,
    pub ingredient: EntryIngredient,
    pub storage_unit: Named,
    pub source: Source,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryIngredient {
    pub name: String,
    pub base_unit: String,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    pub kind: String,
    pub description: String,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Data {
    ledger: Connection<Entry>,
    storage_units: Vec<Named>,
    ingredients: Vec<Named>,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Summary {
    current_balance: String,
    total_receipts: String,
    total_issues: String,
    total_entries: i64,
    average_cost: Option<String>,
    value: String,
    receipts_week_over_week: Option<String>,
    issues_week_over_week: Option<String>,
}

const ENTRY_FIELDS: &str = "id transactionType quantity unitCost value balanceAfter occurredAt reversalOf ingredient { name baseUnit } storageUnit { id name } source { kind description }";

fn opt(v: String) -> Value {
    if v.is_empty() { Value::Null } else { json!(v) }
}

#[component]
pub fn Ledger() -> impl IntoView {
    let session = use_session();
    let (ingredient, set_ingredient) = query_param("ingredient");
    let (unit, set_unit) = query_param("unit");
    let (kind, set_kind) = query_param("type");
    let (from, set_from) = query_param("from");
    let (to, set_to) = query_param("to");
    let (after, set_after) = query_param("after");
    let reload = RwSignal::new(0);
    let data = LocalResource::new(move || {
        reload.track();
        let filter = json!({
            "ingredientIds": if ingredient.get().is_empty() { Value::Null } else { json!([ingredient.get()]) },
            "storageUnitIds": if unit.get().is_empty() { Value::Null } else { json!([unit.get()]) },
            "types": if kind.get().is_empty() { Value::Null } else { json!([kind.get()]) },
            "from": if from.get().is_empty() { Value::Null } else { json!(format!("{}T00:00:00Z", from.get())) },
            "to": if to.get().is_empty() { Value::Null } else { json!(format!("{}T23:59:59Z", to.get())) },
        });
        let (company, after) = (session.company_id(), after.get());
        async move {
            api::gql::<Data>(
                &format!("query($c: ID!, $f: LedgerFilter, $a: String) {{ ledger(companyId: $c, filter: $f, newestFirst: true, first: 50, after: $a) {{ totalCount pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {ENTRY_FIELDS} }} }} }} storageUnits(companyId: $c) {{ id name }} ingredients(companyId: $c) {{ id name }} }}"),
                json!({"c": company, "f": filter, "a": opt(after)}),
            )
            .await
        }
    });
    let one_pair = Memo::new(move |_| {
        (!ingredient.get().is_empty() && !unit.get().is_empty())
            .then(|| (ingredient.get(), unit.get()))
    });
    let reverse = move |id: String| {
        leptos::task::spawn_local(async move {
            if let Err(e) = api::gql::<Value>(
                "mutation($id: ID!) { reverseEntry(entryId: $id) { id } }",
                json!({"id": id}),
            )
            .await
                && let Some(w) = web_sys::window()
            {
                let _ = w.alert_with_message(&e.message);
            }
            reload.update(|n| *n += 1);
        });
    };
    let (set_a, set_b, set_c, set_d, set_e) = (
        set_after.clone(),
        set_after.clone(),
        set_after.clone(),
        set_after.clone(),
        set_after.clone(),
    );
    view! {
        <PageHead title=t("nav-ledger")>
            <button class="secondary outline" on:click=move |_| {
                let href = csv_href(&session.company_id(), &ingredient.get_untracked(), &unit.get_untracked(), &kind.get_untracked());
                leptos::task::spawn_local(async move {
                    let _ = api::download(&href, "ledger.csv").await;
                });
            }>{t("ledger-export-csv")}</button>
        </PageHead>
        <div class="toolbar">
            <select aria-label=t("field-ingredient") name="ingredient" on:change:target=move |ev| { set_a(String::new()); set_ingredient(ev.target().value()) }>
                <option value="">{t("ledger-all-ingredients")}</option>
                {move || data.get().and_then(Result::ok).map(|d| d.ingredients.into_iter().map(|i| {
                    let selected = ingredient.get() == i.id;
                    view! { <option value=i.id selected=selected>{i.name}</option> }
                }).collect_view())}
            </select>
            <select aria-label=t("field-storage-unit") name="unit" on:change:target=move |ev| { set_b(String::new()); set_unit(ev.target().value()) }>
                <option value="">{t("filter-all-storage-units")}</option>
                {move || data.get().and_then(Result::ok).map(|d| d.storage_units.into_iter().map(|s| {
                    let selected = unit.get() == s.id;
                    view! { <option value=s.id selected=selected>{s.name}</option> }
                }).collect_view())}
            </select>
            <select aria-label=t("ledger-type") on:change:target=move |ev| { set_c(String::new()); set_kind(ev.target().value()) }>
                <option value="">{t("ledger-all-types")}</option>
                {TransactionType::ALL.iter().map(|t| view! { <option value=t.code() selected=move || kind.get() == t.code()>{t.label()}</option> }).collect_view()}
            </select>
            <input type="date" aria-label=t("transfer-from") prop:value=move || from.get() on:change:target=move |ev| { set_d(String::new()); set_from(ev.target().value()) } />
            <input type="date" aria-label=t("transfer-to") prop:value=move || to.get() on:change:target=move |ev| { set_e(String::new()); set_to(ev.target().value()) } />
        </div>
        {move || one_pair.get().map(|(i, s)| view! { <PairOverview ingredient=i unit=s reload=reload /> })}
        <Suspense fallback=|| view! { <p aria-busy="true">{crate::i18n::t("loading")}</p> }>
            {move || data.get().map(|r| match r {
                Ok(d) => {
                    let next = d.ledger.next_cursor();
                    let set_after = set_after.clone();
                    view! {
                        <p class="muted">{format!("{} entries, newest first", d.ledger.total_count)}</p>
                        <div class="overflow-auto">
                            <table id="ledger">
                                <thead><tr><th>{t("ledger-when")}</th><th>{t("field-ingredient")}</th><th>{t("field-storage-unit")}</th><th>{t("ledger-type")}</th><th class="num">{t("field-quantity")}</th><th class="num">{t("ledger-unit-cost")}</th><th class="num">{t("field-value")}</th><th class="num">{t("ledger-balance")}</th><th>{t("ledger-source")}</th><th></th></tr></thead>
                                <tbody>
                                    {d.ledger.edges.into_iter().map(|e| entry_row(e.node, session.can_manage(), reverse)).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        {next.map(|cursor| view! { <button class="secondary outline" on:click=move |_| set_after(cursor.clone())>{t("ledger-older-entries")}</button> })}
                    }.into_any()
                }
                Err(e) => load_error(e),
            })}
        </Suspense>
    }
}

/// The CSV export of the filtered view.
fn csv_href(company: &str, ingredient: &str, unit: &str, kind: &str) -> String {
    let mut href = format!("/api/ledger.csv?companyId={company}");
    for (k, v) in [
        ("ingredientIds", ingredient),
        ("storageUnitIds", unit),
        ("types", kind),
    ] {
        if !v.is_empty() {
            href.push_str(&format!("&{k}={v}"));
        }
    }
    href
}

fn entry_row(
    e: Entry,
    can_manage: bool,
    reverse: impl Fn(String) + Copy + 'static,
) -> impl IntoView {
    let negative = e.balance_after.starts_with('-');
    let when = crate::format::when(&e.occurred_at);
    let reversible = can_manage && e.reversal_of.is_none() && !e.transaction_type.is_transfer();
    let id = e.id.clone();
    view! {
        <tr>
            <td class="when">{when}</td>
            <td>{e.ingredient.name.clone()}</td>
            <td>{e.storage_unit.name.clone()}</td>
            <td><span class="badge">{e.transaction_type.label()}</span></td>
            <td class="num">{format!("{} {}", qty(&e.quantity), e.ingredient.base_unit)}</td>
            <td class="num">{e.unit_cost.as_deref().map(money).unwrap_or_default()}</td>
            <td class="num">{e.value.as_deref().map(money).unwrap_or_default()}</td>
            <td class="num balance" class:negative=negative>{qty(&e.balance_after)}</td>
            <td class="muted source" title=e.source.kind.clone()>{e.source.description.clone()}</td>
            <td class="row-actions">
                {reversible.then(|| view! { <button class="secondary outline" title=t("ledger-post-an-opposite-entry") on:click=move |_| reverse(id.clone())>{t("ledger-reverse")}</button> })}
            </td>
        </tr>
    }
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct History {
    ledger_summary: Summary,
    ledger: HistoryConnection,
}

#[derive(Clone, Deserialize)]
struct HistoryConnection {
    edges: Vec<Edge<Entry>>,
}

/// Summary cards and the chart of one ingredient in one storage unit.
#[component]
fn PairOverview(ingredient: String, unit: String, reload: RwSignal<i32>) -> impl IntoView {
    let session = use_session();
    let data = LocalResource::new(move || {
        reload.track();
        let (company, ingredient, unit) = (session.company_id(), ingredient.clone(), unit.clone());
        async move {
            api::gql::<History>(
                &format!("query($c: ID!, $i: ID!, $s: ID!) {{ ledgerSummary(ingredientId: $i, storageUnitId: $s) {{ currentBalance totalReceipts totalIssues totalEntries averageCost value receiptsWeekOverWeek issuesWeekOverWeek }} ledger(companyId: $c, filter: {{ingredientIds: [$i], storageUnitIds: [$s]}}, last: 500) {{ edges {{ node {{ {ENTRY_FIELDS} }} }} }} }}"),
                json!({"c": company, "i": ingredient, "s": unit}),
            )
            .await
        }
    });
    move || {
        data.get().map(|r| match r {
            Ok(h) => {
                let s = h.ledger_summary;
                let points: Vec<Entry> = h.ledger.edges.into_iter().map(|e| e.node).collect();
                view! {
                    <div class="cards">
                        <article><small class="muted">{t("ledger-current-balance")}</small><div class="figure">{qty(&s.current_balance)}</div><small>{format!("worth {}", money(&s.value))}</small></article>
                        <article><small class="muted">{t("ledger-total-receipts")}</small><div class="figure">{qty(&s.total_receipts)}</div><Trend change=s.receipts_week_over_week /></article>
                        <article><small class="muted">{t("ledger-total-issues")}</small><div class="figure">{qty(&s.total_issues)}</div><Trend change=s.issues_week_over_week /></article>
                        <article><small class="muted">{t("ledger-entries")}</small><div class="figure">{s.total_entries}</div><small>{format!("average cost {}", s.average_cost.as_deref().map(money).unwrap_or_else(|| "—".into()))}</small></article>
                    </div>
                    <StockChart entries=points />
                }
                .into_any()
            }
            Err(e) => load_error(e),
        })
    }
}

#[component]
fn Trend(change: Option<String>) -> impl IntoView {
    match change.and_then(|c| c.parse::<f64>().ok()) {
        None => {
            view! { <small class="muted">{t("ledger-no-data-the-week-before")}</small> }.into_any()
        }
        Some(c) => {
            let arrow = if c > 0.0 {
                "▲"
            } else if c < 0.0 {
                "▼"
            } else {
                "="
            };
            view! { <small>{format!("{arrow} {c:+.1} % vs the week before")}</small> }.into_any()
        }
    }
}

/// Balance over time as a step line, receipts marked green and issues/waste red (SVG, no JS).
#[component]
pub fn StockChart(entries: Vec<Entry>) -> impl IntoView {
    if entries.len() < 2 {
        return view! { <p class="muted">{t("ledger-not-enough-movements-for-a-chart-yet")}</p> }
            .into_any();
    }
    let (w, h, pad) = (800.0f64, 220.0f64, 30.0f64);
    let times: Vec<f64> = entries
        .iter()
        .map(|e| js_sys::Date::parse(&e.occurred_at))
        .collect();
    let balances: Vec<f64> = entries
        .iter()
        .map(|e| e.balance_after.parse::<f64>().unwrap_or(0.0))
        .collect();
    let (t0, t1) = (times[0], *times.last().unwrap());
    let lo = balances.iter().cloned().fold(0.0, f64::min);
    let hi = balances
        .iter()
        .cloned()
        .fold(f64::MIN, f64::max)
        .max(lo + 1.0);
    let x = move |t: f64| pad + (t - t0) / (t1 - t0).max(1.0) * (w - 2.0 * pad);
    let y = move |b: f64| h - pad - (b - lo) / (hi - lo) * (h - 2.0 * pad);
    let mut d = format!("M {:.1} {:.1}", x(times[0]), y(balances[0]));
    for k in 1..entries.len() {
        d.push_str(&format!(" H {:.1} V {:.1}", x(times[k]), y(balances[k])));
    }
    let marks = entries
        .iter()
        .zip(times.iter().zip(&balances))
        .filter_map(|(e, (t, b))| {
            let color = match e.transaction_type {
                TransactionType::Adjust => return None,
                t if t.is_inflow() => "#1a7f37",
                _ => "#c62828",
            };
            let title = format!("{} {} {} → {}", crate::format::day(&e.occurred_at), e.transaction_type, e.quantity, e.balance_after);
            Some(view! { <circle cx=format!("{:.1}", x(*t)) cy=format!("{:.1}", y(*b)) r="3" fill=color><title>{title}</title></circle> })
        })
        .collect_view();
    let zero = y(0.0);
    view! {
        <figure>
            <svg viewBox=format!("0 0 {w} {h}") role="img" aria-label=t("ledger-stock-over-time") class="stock-chart" style="width:100%;height:auto">
                <line x1=pad y1=zero x2=w - pad y2=zero stroke="#999" stroke-dasharray="4 4" />
                <text x=2 y=y(hi) + 4.0 font-size="11">{format!("{hi:.1}")}</text>
                <text x=2 y=zero + 4.0 font-size="11">"0"</text>
                <path d=d fill="none" stroke="#00895a" stroke-width="2" />
                {marks}
            </svg>
            <figcaption class="muted">{t("ledger-stock-over-time-receipts-green-issue")}</figcaption>
        </figure>
    }
    .into_any()
}
