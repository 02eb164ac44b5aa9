//! Actual vs theoretical usage: by default between the storage unit's last two counts, the
//! rows largest unexplained loss first, a chart of the largest variances in money, and each
//! ingredient's ledger for the period one click away.

use leptos::prelude::*;
use leptos_router::components::A;
use serde::Deserialize;
use serde_json::json;

use super::charts::{Bar, Bars};
use crate::api;
use crate::format::{money, percent, qty};
use crate::i18n::t;
use crate::model::Named;
use crate::pages::{FilterSelect, day_bound, filter_value, load_error};
use crate::query::query_param;
use crate::session::use_session;

#[derive(Clone, Deserialize)]
struct Amount {
    quantity: String,
    value: String,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RowIngredient {
    id: String,
    name: String,
    base_unit: String,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Row {
    ingredient: Option<RowIngredient>,
    storage_unit: Option<Named>,
    counted_at_start: bool,
    counted_at_end: bool,
    opening: Amount,
    theoretical: Amount,
    waste: Amount,
    other_issues: Amount,
    unexplained: Amount,
    actual: Amount,
    closing: Amount,
    variance: Amount,
    variance_percent: Option<String>,
}

#[derive(Clone, Deserialize)]
struct Report {
    from: String,
    to: String,
    rows: Vec<Row>,
    totals: Row,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Data {
    variance_report: Report,
    storage_units: Vec<Named>,
}

const AMOUNT: &str = "{ quantity value }";

/// The bars: the largest variances in money, at most eight.
fn largest(rows: &[Row]) -> Vec<Bar> {
    let mut by_value: Vec<(f64, &Row)> = rows
        .iter()
        .map(|r| (r.variance.value.parse::<f64>().unwrap_or(0.0), r))
        .filter(|(v, _)| *v != 0.0)
        .collect();
    by_value.sort_by(|a, b| b.0.abs().total_cmp(&a.0.abs()));
    by_value
        .into_iter()
        .take(8)
        .map(|(_, r)| Bar {
            label: r
                .ingredient
                .as_ref()
                .map(|i| i.name.clone())
                .unwrap_or_default(),
            value: r.variance.value.clone(),
        })
        .collect()
}

#[component]
pub fn Variance() -> impl IntoView {
    let session = use_session();
    let (unit, set_unit) = query_param("unit");
    let (from, set_from) = query_param("from");
    let (to, set_to) = query_param("to");
    let data = LocalResource::new(move || {
        let fields = format!(
            "ingredient {{ id name baseUnit }} storageUnit {{ id name }} countedAtStart countedAtEnd opening {AMOUNT} theoretical {AMOUNT} waste {AMOUNT} otherIssues {AMOUNT} unexplained {AMOUNT} actual {AMOUNT} closing {AMOUNT} variance {AMOUNT} variancePercent"
        );
        let vars = json!({
            "c": session.company_id(), "s": filter_value(unit.get()),
            "f": day_bound(&from.get(), false), "t": day_bound(&to.get(), true),
        });
        async move {
            api::gql::<Data>(
                &format!("query($c: ID!, $s: ID, $f: DateTime, $t: DateTime) {{ varianceReport(companyId: $c, storageUnitId: $s, from: $f, to: $t) {{ from to rows {{ {fields} }} totals {{ {fields} }} }} storageUnits(companyId: $c) {{ id name }} }}"),
                vars,
            )
            .await
        }
    });
    let units = Signal::derive(move || {
        data.get()
            .and_then(Result::ok)
            .map(|d| {
                d.storage_units
                    .iter()
                    .map(|s| (s.id.clone(), s.name.clone()))
                    .collect()
            })
            .unwrap_or_default()
    });
    let download = move |_| {
        let mut href = format!(
            "/api/reports/variance.csv?companyId={}",
            session.company_id()
        );
        if !unit.get_untracked().is_empty() {
            href.push_str(&format!("&storageUnitId={}", unit.get_untracked()));
        }
        for (key, date, end) in [
            ("from", from.get_untracked(), false),
            ("to", to.get_untracked(), true),
        ] {
            if let Some(bound) = day_bound(&date, end).as_str() {
                href.push_str(&format!("&{key}={bound}"));
            }
        }
        leptos::task::spawn_local(async move {
            let _ = api::download(&href, "variance.csv").await;
        });
    };
    let (reset_from, reset_to) = (set_from.clone(), set_to.clone());
    view! {
        <div class="toolbar report-filters">
            <FilterSelect label=t("field-storage-unit") all=t("filter-all-storage-units") options=units value=unit on_change=set_unit />
            <label>{t("food-from")}<input type="date" prop:value=move || from.get() on:change:target=move |ev| set_from(ev.target().value()) /></label>
            <label>{t("food-to")}<input type="date" prop:value=move || to.get() on:change:target=move |ev| set_to(ev.target().value()) /></label>
            <button class="secondary outline" on:click=move |_| { reset_from(String::new()); reset_to(String::new()); }>{t("food-last-two-counts")}</button>
            <button class="secondary outline" on:click=download>{t("ledger-export-csv")}</button>
        </div>
        {move || data.get().map(|r| match r {
            Ok(d) => view! { <VarianceTable report=d.variance_report /> }.into_any(),
            Err(e) => load_error(e),
        })}
    }
}

#[component]
fn VarianceTable(report: Report) -> impl IntoView {
    let bars = largest(&report.rows);
    let (from_day, to_day) = (report.from[..10].to_string(), report.to[..10].to_string());
    let empty = report.rows.is_empty();
    view! {
        <p class="muted" id="variance-period">{format!("{} – {}", crate::format::when(&report.from), crate::format::when(&report.to))}</p>
        {(!bars.is_empty()).then(|| view! { <Bars bars=bars title=t("food-largest-variances") /> })}
        {if empty {
            view! { <p class="muted">{t("food-no-movements")}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll" tabindex="0">
                    <table id="variance">
                        <thead><tr>
                            <th>{t("field-ingredient")}</th><th>{t("field-storage-unit")}</th><th>{t("food-counted")}</th>
                            <th class="num">{t("reports-opening")}</th><th class="num">{t("food-theoretical")}</th><th class="num">{t("nav-waste")}</th>
                            <th class="num">{t("food-other-issues")}</th><th class="num">{t("food-unexplained")}</th><th class="num">{t("food-actual")}</th>
                            <th class="num">{t("reports-closing")}</th><th class="num">{t("food-variance-value")}</th><th class="num">{t("food-variance-percent")}</th>
                        </tr></thead>
                        <tbody>
                            {report.rows.into_iter().map(|r| {
                                let unit = r.ingredient.as_ref().map(|i| i.base_unit.clone()).unwrap_or_default();
                                let q = move |a: &Amount| format!("{} {unit}", qty(&a.quantity));
                                let ledger = format!(
                                    "/ledger?ingredient={}&unit={}&from={from_day}&to={to_day}",
                                    r.ingredient.as_ref().map(|i| i.id.as_str()).unwrap_or(""),
                                    r.storage_unit.as_ref().map(|s| s.id.as_str()).unwrap_or(""),
                                );
                                let counted = match (r.counted_at_start, r.counted_at_end) {
                                    (true, true) => "✓ ✓",
                                    (true, false) => "✓ –",
                                    (false, true) => "– ✓",
                                    (false, false) => "– –",
                                };
                                let loss = r.unexplained.value.parse::<f64>().unwrap_or(0.0) > 0.0;
                                view! {
                                    <tr>
                                        <td><A href=ledger>{r.ingredient.map(|i| i.name).unwrap_or_default()}</A></td>
                                        <td>{r.storage_unit.map(|s| s.name).unwrap_or_default()}</td>
                                        <td title=t("food-counted-hint")>{counted}</td>
                                        <td class="num">{q(&r.opening)}</td>
                                        <td class="num">{q(&r.theoretical)}</td>
                                        <td class="num">{q(&r.waste)}</td>
                                        <td class="num">{q(&r.other_issues)}</td>
                                        <td class="num" class:negative=loss>{q(&r.unexplained)}</td>
                                        <td class="num">{q(&r.actual)}</td>
                                        <td class="num">{q(&r.closing)}</td>
                                        <td class="num money">{money(&r.variance.value)}</td>
                                        <td class="num">{r.variance_percent.as_deref().map(percent).unwrap_or_default()}</td>
                                    </tr>
                                }
                            }).collect_view()}
                            <tr class="total">
                                <td>{t("reports-total-values")}</td><td></td><td></td>
                                <td class="num money">{money(&report.totals.opening.value)}</td>
                                <td class="num money">{money(&report.totals.theoretical.value)}</td>
                                <td class="num money">{money(&report.totals.waste.value)}</td>
                                <td class="num money">{money(&report.totals.other_issues.value)}</td>
                                <td class="num money">{money(&report.totals.unexplained.value)}</td>
                                <td class="num money">{money(&report.totals.actual.value)}</td>
                                <td class="num money">{money(&report.totals.closing.value)}</td>
                                <td class="num money">{money(&report.totals.variance.value)}</td>
                                <td class="num">{report.totals.variance_percent.as_deref().map(percent).unwrap_or_default()}</td>
                            </tr>
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}
