//! The inventory report: a period (default yesterday), opening and closing stock and value,
//! and the movements between them; CSV download of the same.

use leptos::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{PageHead, load_error};
use crate::api;
use crate::format::{money, qty};
use crate::i18n::t;
use crate::query::query_param;
use crate::session::use_session;

#[derive(Clone, Deserialize)]
struct Amount {
    quantity: String,
    value: String,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Row {
    ingredient: Option<RowIngredient>,
    storage_unit: Option<RowUnit>,
    opening: Amount,
    receipts: Amount,
    issues: Amount,
    waste: Amount,
    adjustments: Amount,
    transfers_in: Amount,
    transfers_out: Amount,
    closing: Amount,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RowIngredient {
    name: String,
    base_unit: String,
}

#[derive(Clone, Deserialize)]
struct RowUnit {
    name: String,
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
    inventory_report: Report,
}

const AMOUNT: &str = "{ quantity value }";

#[component]
pub fn Reports() -> impl IntoView {
    let session = use_session();
    let (from, set_from) = query_param("from");
    let (to, set_to) = query_param("to");
    let (active, set_active) = query_param("active");
    let data = LocalResource::new(move || {
        let (company, from, to, active) = (
            session.company_id(),
            from.get(),
            to.get(),
            active.get() == "1",
        );
        let (f, t) = if from.is_empty() || to.is_empty() {
            (Value::Null, Value::Null)
        } else {
            (
                json!(format!("{from}T00:00:00Z")),
                json!(format!("{to}T23:59:59Z")),
            )
        };
        async move {
            let fields = format!(
                "ingredient {{ name baseUnit }} storageUnit {{ name }} opening {AMOUNT} receipts {AMOUNT} issues {AMOUNT} waste {AMOUNT} adjustments {AMOUNT} transfersIn {AMOUNT} transfersOut {AMOUNT} closing {AMOUNT}"
            );
            api::gql::<Data>(
                &format!("query($c: ID!, $f: DateTime, $t: DateTime, $a: Boolean!) {{ inventoryReport(companyId: $c, from: $f, to: $t, filter: {{activeOnly: $a}}) {{ from to rows {{ {fields} }} totals {{ {fields} }} }} }}"),
                json!({"c": company, "f": f, "t": t, "a": active}),
            )
            .await
        }
    });
    let download = move |_| {
        let mut href = format!(
            "/api/reports/inventory.csv?companyId={}",
            session.company_id()
        );
        if !from.get_untracked().is_empty() && !to.get_untracked().is_empty() {
            href.push_str(&format!(
                "&from={}T00:00:00Z&to={}T23:59:59Z",
                from.get_untracked(),
                to.get_untracked()
            ));
        }
        if active.get_untracked() == "1" {
            href.push_str("&activeOnly=true");
        }
        leptos::task::spawn_local(async move {
            let _ = api::download(&href, "inventory-report.csv").await;
        });
    };
    view! {
        <PageHead title=t("reports-inventory-report")>
            <input type="date" aria-label=t("transfer-from") prop:value=move || from.get() on:change:target=move |ev| set_from(ev.target().value()) />
            <input type="date" aria-label=t("transfer-to") prop:value=move || to.get() on:change:target=move |ev| set_to(ev.target().value()) />
            <label><input type="checkbox" prop:checked=move || active.get() == "1" on:change:target=move |ev| set_active(if ev.target().checked() { "1".into() } else { String::new() }) />{t("reports-only-with-movements")}</label>
            <button class="secondary outline" on:click=download>{t("ledger-export-csv")}</button>
        </PageHead>
        <Suspense fallback=|| view! { <p aria-busy="true">{crate::i18n::t("loading")}</p> }>
            {move || data.get().map(|r| match r {
                Ok(d) => {
                    let r = d.inventory_report;
                    view! {
                        <p class="muted">{format!("{} – {}", crate::format::when(&r.from), crate::format::when(&r.to))}</p>
                        <div class="overflow-auto">
                            <table id="report">
                                <thead><tr>
                                    <th>{t("field-ingredient")}</th><th>{t("field-storage-unit")}</th><th class="num">{t("reports-opening")}</th><th class="num">{t("reports-receipts")}</th><th class="num">{t("reports-issues")}</th>
                                    <th class="num">{t("nav-waste")}</th><th class="num">{t("reports-adjust")}</th><th class="num">{t("type-transfer-in")}</th><th class="num">{t("type-transfer-out")}</th><th class="num">{t("reports-closing")}</th><th class="num">{t("reports-closing-value")}</th>
                                </tr></thead>
                                <tbody>
                                    {r.rows.into_iter().map(|row| report_row(row, false)).collect_view()}
                                    {report_row(r.totals, true)}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }
                Err(e) => load_error(e),
            })}
        </Suspense>
    }
}

fn report_row(r: Row, total: bool) -> impl IntoView {
    let unit = r
        .ingredient
        .as_ref()
        .map(|i| i.base_unit.clone())
        .unwrap_or_default();
    let q = move |a: &Amount| {
        if total {
            money(&a.value)
        } else {
            qty(&a.quantity)
        }
    };
    let negative = r.closing.quantity.starts_with('-');
    view! {
        <tr class:total=total>
            <td>{if total { crate::i18n::t("reports-total-values") } else { r.ingredient.map(|i| i.name).unwrap_or_default() }}</td>
            <td>{r.storage_unit.map(|s| s.name).unwrap_or_default()}</td>
            <td class="num">{q(&r.opening)}</td>
            <td class="num">{q(&r.receipts)}</td>
            <td class="num">{q(&r.issues)}</td>
            <td class="num">{q(&r.waste)}</td>
            <td class="num">{q(&r.adjustments)}</td>
            <td class="num">{q(&r.transfers_in)}</td>
            <td class="num">{q(&r.transfers_out)}</td>
            <td class="num" class:negative=negative>{format!("{} {unit}", q(&r.closing))}</td>
            <td class="num">{money(&r.closing.value)}</td>
        </tr>
    }
}
