//! The company's stock counts, newest first, a page at a time: filtered by status and storage
//! unit, the filters and the page in the URL. An open count is resumed from its row.

use leptos::prelude::*;
use serde::Deserialize;
use serde_json::json;

use crate::api;
use crate::i18n::{n, t, t_with};
use crate::model::{Connection, Named};
use crate::pages::{FilterSelect, ListFooter, filter_value, load_error};
use crate::query::query_param;
use crate::session::use_session;
use crate::states::CountStatus;

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CountRow {
    id: String,
    status: CountStatus,
    storage_unit: Option<Named>,
    created_at: String,
    counted_at: Option<String>,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Data {
    stock_count_connection: Connection<CountRow>,
}

/// Rows a page of the list holds.
const PAGE: i32 = 25;

const QUERY: &str = "query($c: ID!, $s: StockCountStatus, $u: ID, $a: String, $n: Int) { stockCountConnection(companyId: $c, status: $s, storageUnitId: $u, after: $a, first: $n) { totalCount pageInfo { hasNextPage endCursor } edges { node { id status storageUnit { id name } createdAt countedAt } } } }";

/// `resume` opens an open count's sheet (by choosing its storage unit).
#[component]
pub(super) fn CountList(
    units: Signal<Vec<(String, String)>>,
    /// Read inside the list's loader: whatever it reads reloads the list when it changes.
    reload: impl Fn() + Copy + Send + Sync + 'static,
    resume: impl Fn(String) + Copy + Send + Sync + 'static,
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
        <article id="count-list">
            <header class="page-head">
                <strong>{t("count-history")}</strong>
                <div class="toolbar">
                    <FilterSelect label=t("field-status") all=t("count-all-statuses") options=CountStatus::choices() value=status
                        on_change=move |v| { restart_status(String::new()); set_status(v) } />
                    <FilterSelect label=t("field-storage-unit") all=t("filter-all-storage-units") options=units value=unit
                        on_change=move |v| { restart_unit(String::new()); set_unit(v) } />
                </div>
            </header>
            {move || data.get().map(|r| match r {
                Ok(d) => {
                    let page = d.stock_count_connection;
                    let next = page.next_cursor();
                    let set_after = set_after.clone();
                    view! {
                        {if page.edges.is_empty() {
                            view! { <p class="muted">{t("count-none")}</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-scroll" tabindex="0">
                                    <table id="counts">
                                        <thead><tr><th>"#"</th><th>{t("field-date")}</th><th>{t("field-storage-unit")}</th><th>{t("field-status")}</th><th></th></tr></thead>
                                        <tbody>
                                            {page.edges.into_iter().map(|e| {
                                                let row = e.node;
                                                let when = row.counted_at.as_deref().unwrap_or(&row.created_at).to_string();
                                                let unit_id = row.storage_unit.as_ref().map(|s| s.id.clone()).unwrap_or_default();
                                                let open = row.status == CountStatus::Open;
                                                view! {
                                                    <tr>
                                                        <td>{format!("#{}", row.id)}</td>
                                                        <td class="date">{crate::format::when(&when)}</td>
                                                        <td>{row.storage_unit.map(|s| s.name).unwrap_or_default()}</td>
                                                        <td><span class="badge">{row.status.label()}</span></td>
                                                        <td class="row-actions">{open.then(|| view! {
                                                            <button class="secondary outline" on:click=move |_| resume(unit_id.clone())>{t("count-resume")}</button>
                                                        })}</td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                        <ListFooter total=t_with("count-count", &[("count", n(page.total_count as f64))]) next=next more=t("count-older") on_more=move |cursor| set_after(cursor) />
                    }.into_any()
                }
                Err(e) => load_error(e),
            })}
        </article>
    }
}
