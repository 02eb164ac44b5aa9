//! Orders → Invoices: vendors' e-invoices (XRechnung, ZUGFeRD, Factur-X, Peppol UBL) dropped on
//! the page or picked on a tablet, read by the server, listed newest first by status and
//! vendor, each opening beside its order (`detail`) to be checked and posted.

mod detail;

pub use detail::InvoiceDetail;

use leptos::prelude::*;
use leptos_router::components::A;
use serde::Deserialize;
use serde_json::{Value, json};
use wasm_bindgen::JsCast;

use super::{FilterSelect, ListFooter, PageHead, filter_value, load_error};
use crate::api;
use crate::format::money_in;
use crate::i18n::{n, t, t_with};
use crate::model::{Connection, Named};
use crate::query::query_param;
use crate::session::use_session;
use crate::states::InvoiceStatus;

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct InvoiceRow {
    id: String,
    number: String,
    seller_name: String,
    issue_date: String,
    currency: String,
    grand_total: String,
    status: InvoiceStatus,
    file_name: String,
    vendor: Option<Named>,
}

#[derive(Clone, Deserialize)]
struct Data {
    invoices: Connection<InvoiceRow>,
    vendors: Vec<Named>,
}

const PAGE: i32 = 25;

/// What became of one dropped file.
#[derive(Clone)]
struct Outcome {
    file: String,
    result: Result<(String, String), String>,
}

#[component]
pub fn Invoices() -> impl IntoView {
    let session = use_session();
    let (status, set_status) = query_param("status");
    let (vendor, set_vendor) = query_param("vendor");
    let (after, set_after) = query_param("after");
    let data = LocalResource::new(move || {
        let (company, status, vendor, after) = (
            session.company_id(),
            status.get(),
            vendor.get(),
            after.get(),
        );
        async move {
            api::gql::<Data>(
                "query($c: ID!, $s: InvoiceStatus, $v: ID, $a: String, $n: Int) { invoices(companyId: $c, status: $s, vendorId: $v, after: $a, first: $n) { totalCount pageInfo { hasNextPage endCursor } edges { node { id number sellerName issueDate currency grandTotal status fileName vendor { id name } } } } vendors(companyId: $c) { id name } }",
                json!({"c": company, "s": filter_value(status), "v": filter_value(vendor), "a": filter_value(after), "n": PAGE}),
            )
            .await
        }
    });
    let vendors = Signal::derive(move || {
        data.get()
            .and_then(Result::ok)
            .map(|d| d.vendors.into_iter().map(|v| (v.id, v.name)).collect())
            .unwrap_or_default()
    });
    let (after_on_status, after_on_vendor) = (set_after.clone(), set_after.clone());
    view! {
        <PageHead title=t("nav-invoices")>
            <A href="/orders">{t("nav-orders")}</A>
            <FilterSelect label=t("orders-status") all=t("orders-all-statuses") options=InvoiceStatus::choices() value=status
                on_change=move |v| { after_on_status(String::new()); set_status(v) } />
            <FilterSelect label=t("field-vendor") all=t("invoices-all-vendors") options=vendors value=vendor
                on_change=move |v| { after_on_vendor(String::new()); set_vendor(v) } />
        </PageHead>
        <DropZone on_done=move || data.refetch() />
        {move || data.get().map(|r| match r {
            Ok(d) => {
                let set_after = set_after.clone();
                view! { <InvoiceList page=d.invoices on_more=move |c| set_after(c) /> }.into_any()
            }
            Err(e) => load_error(e),
        })}
    }
}

/// Where files are dropped or picked: each is imported in turn, and what became of it is said
/// beside its name, with a link to the invoice read from it.
#[component]
fn DropZone(on_done: impl Fn() + Copy + 'static) -> impl IntoView {
    let session = use_session();
    let outcomes = RwSignal::new(Vec::<Outcome>::new());
    let busy = RwSignal::new(false);
    let import = move |files: Vec<web_sys::File>| {
        if files.is_empty() {
            return;
        }
        busy.set(true);
        outcomes.set(Vec::new());
        let company = session.company_id();
        leptos::task::spawn_local(async move {
            for file in files {
                let result = api::upload::<Value>(
                    "mutation($c: ID!, $f: Upload!) { importInvoice(companyId: $c, file: $f) { id number } }",
                    json!({"c": company}),
                    &file,
                )
                .await
                .map(|v| {
                    let i = &v["importInvoice"];
                    (i["id"].as_str().unwrap_or_default().to_string(), i["number"].as_str().unwrap_or_default().to_string())
                })
                .map_err(|e| e.said());
                outcomes.update(|o| {
                    o.push(Outcome {
                        file: file.name(),
                        result,
                    })
                });
            }
            busy.set(false);
            on_done();
        });
    };
    let files_of = |list: Option<web_sys::FileList>| -> Vec<web_sys::File> {
        list.map(|l| (0..l.length()).filter_map(|k| l.get(k)).collect())
            .unwrap_or_default()
    };
    let dragging = RwSignal::new(false);
    view! {
        <section class="card dropzone" id="invoice-drop" class:dragging=move || dragging.get()
            on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true) }
            on:dragleave=move |_| dragging.set(false)
            on:drop=move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                dragging.set(false);
                import(files_of(ev.data_transfer().and_then(|d| d.files())));
            }>
            <p>{t("invoices-drop")}</p>
            <label>
                {t("invoices-pick")}
                <input type="file" id="invoice-files" multiple accept=".xml,.pdf,application/xml,text/xml,application/pdf"
                    on:change=move |ev| {
                        let input: web_sys::HtmlInputElement = ev.target().unwrap().unchecked_into();
                        import(files_of(input.files()));
                        input.set_value("");
                    } />
            </label>
            {move || busy.get().then(|| view! { <p aria-busy="true">{t("invoices-reading")}</p> })}
            <ul id="invoice-outcomes">
                {move || outcomes.get().into_iter().map(|o| match o.result {
                    Ok((id, number)) => view! {
                        <li class="ok">{o.file}": " <A href=format!("/invoices/{id}")>{t_with("invoices-read", &[("number", number.into())])}</A></li>
                    }.into_any(),
                    Err(message) => view! { <li class="form-error" role="alert">{o.file}": "{message}</li> }.into_any(),
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn InvoiceList(
    page: Connection<InvoiceRow>,
    on_more: impl Fn(String) + Clone + 'static,
) -> impl IntoView {
    let next = page.next_cursor();
    let total = page.total_count;
    if page.edges.is_empty() {
        return view! { <p class="muted">{t("invoices-none")}</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table id="invoices">
                <thead><tr><th>{t("invoices-number")}</th><th>{t("field-vendor")}</th><th>{t("field-date")}</th><th class="num">{t("invoices-total")}</th><th>{t("field-status")}</th><th>{t("invoices-original")}</th></tr></thead>
                <tbody>
                    {page.edges.into_iter().map(|e| {
                        let i = e.node;
                        let (id, name) = (i.id.clone(), i.file_name.clone());
                        view! {
                            <tr>
                                <td><A href=format!("/invoices/{}", i.id)>{i.number.clone()}</A></td>
                                <td>{i.vendor.map(|v| v.name).unwrap_or_else(|| i.seller_name.clone())}</td>
                                <td>{crate::format::day(&i.issue_date)}</td>
                                <td class="num">{money_in(&i.currency, &i.grand_total)}</td>
                                <td><span class="badge">{i.status.label()}</span></td>
                                <td><OriginalLink id name /></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <ListFooter total=t_with("invoices-count", &[("count", n(total as f64))]) next=next more=t("invoices-older") on_more=on_more />
    }
    .into_any()
}

/// The file as it was received, one click away.
#[component]
fn OriginalLink(id: String, name: String) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let label = name.clone();
    view! {
        <button class="link" title=t("invoices-original") on:click=move |_| {
            let (id, name) = (id.clone(), name.clone());
            leptos::task::spawn_local(async move {
                if let Err(e) = api::download(&format!("/api/invoices/{id}/original"), &name).await {
                    error.set(Some(e.said()));
                }
            });
        }>{label}</button>
        {move || error.get().map(|e| view! { <small class="form-error">{e}</small> })}
    }
}
