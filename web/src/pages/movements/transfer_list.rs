//! Every transfer of the company, newest first, a page at a time: filtered by status and by a
//! storage unit it leaves or arrives at, the filters and the page in the URL.

use leptos::prelude::*;
use serde::Deserialize;
use serde_json::json;

use crate::api;
use crate::i18n::{n, t, t_with};
use crate::model::{Connection, Named};
use crate::pages::{FilterSelect, ListFooter, filter_value, load_error};
use crate::query::query_param;
use crate::session::use_session;
use crate::states::TransferStatus;

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TransferRow {
    id: String,
    status: TransferStatus,
    from_storage_unit: Option<Named>,
    to_storage_unit: Option<Named>,
    created_at: String,
    received_at: Option<String>,
    lines: Vec<TransferLine>,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TransferLine {
    ingredient: Option<Named>,
    quantity: String,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Data {
    transfer_connection: Connection<TransferRow>,
}

/// Rows a page of the list holds.
const PAGE: i32 = 25;

const QUERY: &str = "query($c: ID!, $s: TransferStatus, $u: ID, $a: String, $n: Int) { transferConnection(companyId: $c, status: $s, storageUnitId: $u, after: $a, first: $n) { totalCount pageInfo { hasNextPage endCursor } edges { node { id status fromStorageUnit { id name } toStorageUnit { id name } createdAt receivedAt lines { ingredient { id name } quantity } } } } }";

/// What a transfer moved, in one line: "2 Tomatoes, 1.5 Basil".
fn moved(lines: &[TransferLine]) -> String {
    lines
        .iter()
        .map(|l| {
            let name = l.ingredient.as_ref().map_or("", |i| i.name.as_str());
            format!("{} {name}", crate::format::qty(&l.quantity))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[component]
pub(super) fn TransferList(
    units: Signal<Vec<(String, String)>>,
    /// Read inside the list's loader: whatever it reads reloads the list when it changes.
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let session = use_session();
    let (status, set_status) = query_param("status");
    let (unit, set_unit) = query_param("unit");
    let (after, set_after) = query_param("after");
    let data = LocalResource::new(move || {
        reload();
        let vars = json!({
            "c": session.company_id(), "s": filter_value(status.get()), "u": filter_value(unit.get()),
            "a": filter_value(after.get()), "n": PAGE,
        });
        async move { api::gql::<Data>(QUERY, vars).await }
    });
    let (restart_status, restart_unit) = (set_after.clone(), set_after.clone());
    view! {
        <article id="transfer-list">
            <header class="page-head">
                <strong>{t("transfer-all")}</strong>
                <div class="toolbar">
                    <FilterSelect label=t("field-status") all=t("transfer-all-statuses") options=TransferStatus::choices() value=status
                        on_change=move |v| { restart_status(String::new()); set_status(v) } />
                    <FilterSelect label=t("field-storage-unit") all=t("filter-all-storage-units") options=units value=unit
                        on_change=move |v| { restart_unit(String::new()); set_unit(v) } />
                </div>
            </header>
            {move || data.get().map(|r| match r {
                Ok(d) => {
                    let page = d.transfer_connection;
                    let next = page.next_cursor();
                    let set_after = set_after.clone();
                    view! {
                        {if page.edges.is_empty() {
                            view! { <p class="muted">{t("transfer-none")}</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-scroll" tabindex="0">
                                    <table id="transfers">
                                        <thead><tr><th>"#"</th><th>{t("field-date")}</th><th>{t("transfer-route")}</th><th>{t("transfer-what")}</th><th>{t("field-status")}</th></tr></thead>
                                        <tbody>
                                            {page.edges.into_iter().map(|e| {
                                                let row = e.node;
                                                let route = format!("{} → {}", row.from_storage_unit.map(|s| s.name).unwrap_or_default(), row.to_storage_unit.map(|s| s.name).unwrap_or_default());
                                                let when = row.received_at.as_deref().unwrap_or(&row.created_at).to_string();
                                                view! {
                                                    <tr>
                                                        <td>{format!("#{}", row.id)}</td>
                                                        <td class="date">{crate::format::when(&when)}</td>
                                                        <td>{route}</td>
                                                        <td>{moved(&row.lines)}</td>
                                                        <td><span class="badge">{row.status.label()}</span></td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                        <ListFooter total=t_with("transfer-count", &[("count", n(page.total_count as f64))]) next=next more=t("transfer-older") on_more=move |cursor| set_after(cursor) />
                    }.into_any()
                }
                Err(e) => load_error(e),
            })}
        </article>
    }
}
