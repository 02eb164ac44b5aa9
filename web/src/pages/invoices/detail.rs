//! One invoice beside its order: each line's match, its quantity and cost in the ingredient's
//! base unit, and the differences — invoiced against ordered and received, the price against
//! the order's and the last receipt's — then the vendor or an unmatched line settled once, the
//! storage unit chosen, and the invoice posted (or discarded).

use leptos::prelude::*;
use leptos_router::components::A;
use serde::Deserialize;
use serde_json::{Value, json};

use super::super::{PageHead, load_error};
use super::OriginalLink;
use crate::api::{self, ApiError};
use crate::format::{money_in, percent, qty};
use crate::forms::{FormError, Select};
use crate::i18n::t;
use crate::model::Named;
use crate::session::use_session;
use crate::states::{InvoiceKind, InvoiceLineMatch, InvoiceStatus};

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Invoice {
    id: String,
    number: String,
    kind: InvoiceKind,
    issue_date: String,
    currency: String,
    seller_name: String,
    seller_vat_id: Option<String>,
    status: InvoiceStatus,
    line_total: String,
    tax_total: String,
    grand_total: String,
    warnings: Vec<String>,
    file_name: String,
    vendor: Option<Named>,
    order: Option<OrderRef>,
    lines: Vec<Line>,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct OrderRef {
    id: String,
    reference: Option<String>,
    storage_unit: Option<Named>,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Line {
    line_id: String,
    name: String,
    quantity: String,
    unit_code: String,
    net_amount: String,
    #[serde(rename = "match")]
    matched: InvoiceLineMatch,
    product: Option<LineProduct>,
    base_quantity: Option<String>,
    unit_cost: Option<String>,
    ordered_quantity: Option<String>,
    received_quantity: Option<String>,
    order_unit_cost: Option<String>,
    previous_unit_cost: Option<String>,
    problem: Option<String>,
}

#[derive(Clone, Deserialize)]
struct LineProduct {
    name: String,
    ingredient: Option<BaseUnitOf>,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct BaseUnitOf {
    base_unit: String,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Data {
    invoice: Invoice,
    vendors: Vec<Named>,
    storage_units: Vec<Named>,
    products: Vec<ProductChoice>,
}

#[derive(Clone, Deserialize)]
struct ProductChoice {
    id: String,
    name: String,
    vendor: Option<Named>,
}

const FIELDS: &str = "id number kind issueDate currency sellerName sellerVatId status lineTotal taxTotal grandTotal warnings fileName vendor { id name } order { id reference storageUnit { id name } } lines { lineId name quantity unitCode netAmount match product { id name ingredient { baseUnit } } baseQuantity unitCost orderedQuantity receivedQuantity orderUnitCost previousUnitCost problem }";

#[component]
pub fn InvoiceDetail() -> impl IntoView {
    let session = use_session();
    let params = leptos_router::hooks::use_params_map();
    let data = LocalResource::new(move || {
        let (company, id) = (
            session.company_id(),
            params.get().get("id").unwrap_or_default(),
        );
        async move {
            api::gql::<Data>(
                &format!("query($c: ID!, $i: ID!) {{ invoice(id: $i) {{ {FIELDS} }} vendors(companyId: $c) {{ id name }} storageUnits(companyId: $c) {{ id name }} products(companyId: $c) {{ id name vendor {{ id name }} }} }}"),
                json!({"c": company, "i": id}),
            )
            .await
        }
    });
    view! {
        <PageHead title=t("invoices-invoice")><A href="/invoices">{t("invoices-back")}</A></PageHead>
        {move || data.get().map(|r| match r {
            Ok(d) => view! { <InvoiceCard data=d reload=move || data.refetch() /> }.into_any(),
            Err(e) => load_error(e),
        })}
    }
}

/// Runs a mutation on the invoice, then reloads it (or shows why not).
fn act(
    query: &'static str,
    vars: Value,
    error: RwSignal<Option<ApiError>>,
    reload: impl Fn() + 'static,
) {
    leptos::task::spawn_local(async move {
        match api::gql::<Value>(query, vars).await {
            Ok(_) => {
                error.set(None);
                reload()
            }
            Err(e) => error.set(Some(e)),
        }
    });
}

/// A cost beside another: the other, and how far this one is from it (dearer is flagged).
fn beside(cost: Option<&str>, other: Option<&str>, currency: &str) -> AnyView {
    let Some(other) = other else {
        return view! { <span class="muted">"–"</span> }.into_any();
    };
    let change = cost
        .and_then(|c| c.parse::<rust_decimal::Decimal>().ok())
        .zip(other.parse::<rust_decimal::Decimal>().ok())
        .filter(|(_, o)| !o.is_zero())
        .map(|(c, o)| ((c - o) / o * rust_decimal::Decimal::ONE_HUNDRED).round_dp(1));
    view! {
        {money_in(currency, other)}
        {change.filter(|c| !c.is_zero()).map(|c| {
            let up = c.is_sign_positive();
            let shown = if up { format!("+{}", percent(&c.to_string())) } else { percent(&c.to_string()) };
            view! { <small class="price-change" class:negative=up>" "{shown}</small> }
        })}
    }
    .into_any()
}

#[component]
fn InvoiceCard(data: Data, reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let i = data.invoice.clone();
    let error = RwSignal::new(None::<ApiError>);
    let open = i.status == InvoiceStatus::Open;
    let currency = i.currency.clone();
    let unit = RwSignal::new(
        i.order
            .as_ref()
            .and_then(|o| o.storage_unit.as_ref())
            .map(|u| u.id.clone())
            .or_else(|| data.storage_units.first().map(|u| u.id.clone()))
            .unwrap_or_default(),
    );
    let units: Vec<(String, String)> = data
        .storage_units
        .iter()
        .map(|u| (u.id.clone(), u.name.clone()))
        .collect();
    let vendor_choice = RwSignal::new(String::new());
    let vendors: Vec<(String, String)> = data
        .vendors
        .iter()
        .map(|v| (v.id.clone(), v.name.clone()))
        .collect();
    let vendor_id = i.vendor.as_ref().map(|v| v.id.clone());
    let products: Vec<(String, String)> = data
        .products
        .iter()
        .filter(|p| {
            p.vendor
                .as_ref()
                .map(|v| Some(&v.id) == vendor_id.as_ref())
                .unwrap_or(false)
        })
        .map(|p| (p.id.clone(), p.name.clone()))
        .collect();
    let returns = RwSignal::new(false);
    let credit = i.kind == InvoiceKind::CreditNote;
    let (id_vendor, id_post, id_discard) = (i.id.clone(), i.id.clone(), i.id.clone());
    let set_vendor = move |_| {
        act(
            "mutation($i: ID!, $v: ID!) { setInvoiceVendor(invoiceId: $i, vendorId: $v) { id } }",
            json!({"i": id_vendor, "v": vendor_choice.get_untracked()}),
            error,
            reload,
        )
    };
    let post = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        act(
            "mutation($i: ID!, $s: ID, $r: Boolean) { postInvoice(invoiceId: $i, storageUnitId: $s, postReturns: $r) { id } }",
            json!({"i": id_post, "s": unit.get_untracked(), "r": returns.get_untracked()}),
            error,
            reload,
        )
    };
    let discard = move |_| {
        act(
            "mutation($i: ID!) { discardInvoice(invoiceId: $i) { id } }",
            json!({"i": id_discard}),
            error,
            reload,
        )
    };
    view! {
        <article class="invoice" id="invoice">
            <header>
                <strong>{format!("{} · {}", i.number, i.seller_name)}</strong>
                " " <span class="badge" id="invoice-status">{i.status.label()}</span>
                " " <span class="badge">{i.kind.label()}</span>
                <span class="muted">{format!(" {} {}", crate::format::day(&i.issue_date), i.seller_vat_id.clone().unwrap_or_default())}</span>
                <p>
                    {t("invoices-net")}" "{money_in(&currency, &i.line_total)}" · "{t("invoices-tax")}" "{money_in(&currency, &i.tax_total)}" · "
                    <strong>{t("invoices-total")}" "{money_in(&currency, &i.grand_total)}</strong>" · "
                    <OriginalLink id=i.id.clone() name=i.file_name.clone() />
                </p>
                {i.order.clone().map(|o| view! { <p>{t("orders-order")}" " <A href=format!("/orders/{}", o.id)>{format!("#{} {}", o.id, o.reference.unwrap_or_default())}</A></p> })}
                {i.warnings.iter().map(|w| view! { <p class="warning" role="note">{w.clone()}</p> }).collect_view()}
            </header>
            {(open && i.vendor.is_none()).then(|| view! {
                <div class="grid" id="choose-vendor">
                    <p>{t("invoices-no-vendor")}</p>
                    <Select label=t("field-vendor") value=vendor_choice options=vendors.clone() field="vendorId" error=error empty=t("choose") />
                    <button type="button" on:click=set_vendor>{t("invoices-set-vendor")}</button>
                </div>
            })}
            <div class="table-scroll">
                <table id="invoice-lines">
                    <thead><tr>
                        <th>{t("invoices-line")}</th><th class="num">{t("invoices-invoiced")}</th><th class="num">{t("invoices-amount")}</th>
                        <th class="num">{t("invoices-ordered-received")}</th><th class="num">{t("invoices-unit-cost")}</th>
                    </tr></thead>
                    <tbody>
                        {i.lines.iter().map(|l| view! {
                            <LineRow line=l.clone() invoice=i.id.clone() currency=currency.clone() open products=products.clone() error reload />
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {open.then(|| view! {
                <form on:submit=post id="post-invoice" class="grid">
                    <Select label=t("orders-receive-into") value=unit options=units.clone() field="storageUnitId" error=error />
                    {credit.then(|| view! {
                        <label><input type="checkbox" name="post-returns" prop:checked=move || returns.get() on:change:target=move |ev| returns.set(ev.target().checked()) />{t("invoices-post-returns")}</label>
                    })}
                    <button type="submit">{t("invoices-post")}</button>
                    <button type="button" class="secondary outline" on:click=discard>{t("invoices-discard")}</button>
                </form>
            })}
            <FormError error=error />
        </article>
    }
}

#[component]
fn LineRow(
    line: Line,
    invoice: String,
    currency: String,
    open: bool,
    products: Vec<(String, String)>,
    error: RwSignal<Option<ApiError>>,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let chosen = RwSignal::new(String::new());
    // The vendor's products, narrowed as a name is typed.
    let search = RwSignal::new(String::new());
    let found = Signal::derive(move || {
        let wanted = search.get().to_lowercase();
        products
            .iter()
            .filter(|(_, name)| name.to_lowercase().contains(&wanted))
            .cloned()
            .collect::<Vec<_>>()
    });
    let unmatched = line.matched == InvoiceLineMatch::None;
    let (id_match, id_stock) = (
        (invoice.clone(), line.line_id.clone()),
        (invoice, line.line_id.clone()),
    );
    let choose = move |_| {
        act(
            "mutation($i: ID!, $l: String!, $p: ID) { matchInvoiceLine(invoiceId: $i, lineId: $l, productId: $p) { id } }",
            json!({"i": id_match.0, "l": id_match.1, "p": chosen.get_untracked()}),
            error,
            reload,
        )
    };
    let not_stock = move |_| {
        act(
            "mutation($i: ID!, $l: String!) { matchInvoiceLine(invoiceId: $i, lineId: $l, notStock: true) { id } }",
            json!({"i": id_stock.0, "l": id_stock.1}),
            error,
            reload,
        )
    };
    let field = format!("line-{}", line.line_id);
    let unit = line
        .product
        .as_ref()
        .and_then(|p| p.ingredient.as_ref())
        .map(|i| i.base_unit.to_lowercase())
        .unwrap_or_default();
    view! {
        <tr class:unmatched=unmatched class:not-stock=line.matched == InvoiceLineMatch::NotStock>
            <td>
                <small class="muted">{format!("{} · ", line.line_id)}</small>{line.name.clone()}
                <br/><small><span class="badge">{line.matched.label()}</span>" "{line.product.clone().map(|p| p.name).filter(|p| *p != line.name).unwrap_or_default()}</small>
                {line.problem.clone().map(|p| view! { <br/><small class="form-error">{p}</small> })}
                {(open && (unmatched || line.matched == InvoiceLineMatch::Remembered)).then(|| view! {
                    <div class="match-line">
                        <input type="search" class="product-search" placeholder=t("invoices-search-product") aria-label=t("invoices-search-product")
                            prop:value=move || search.get() on:input:target=move |ev| search.set(ev.target().value()) />
                        <Select label=t("invoices-choose-product") value=chosen options=found field=field.clone() error=error empty=t("choose") />
                        <button type="button" class="secondary" on:click=choose>{t("invoices-match")}</button>
                        <button type="button" class="secondary outline" on:click=not_stock>{t("invoices-not-stock")}</button>
                    </div>
                })}
            </td>
            <td class="num">{format!("{} {}", qty(&line.quantity), line.unit_code)}{line.base_quantity.as_deref().map(|b| view! { <br/><small class="muted">{format!("= {} {}", qty(b), unit)}</small> })}</td>
            <td class="num">{money_in(&currency, &line.net_amount)}</td>
            <td class="num">{match (line.ordered_quantity.as_deref(), line.received_quantity.as_deref()) {
                (Some(o), Some(r)) => format!("{} / {}", qty(o), qty(r)),
                _ => String::new(),
            }}</td>
            <td class="num unit-cost">
                {line.unit_cost.as_deref().map(|c| money_in(&currency, c)).unwrap_or_default()}
                {line.order_unit_cost.is_some().then(|| view! { <br/><small>{t("invoices-order-price")}" "{beside(line.unit_cost.as_deref(), line.order_unit_cost.as_deref(), &currency)}</small> })}
                {line.previous_unit_cost.is_some().then(|| view! { <br/><small>{t("invoices-last-price")}" "{beside(line.unit_cost.as_deref(), line.previous_unit_cost.as_deref(), &currency)}</small> })}
            </td>
        </tr>
    }
}
