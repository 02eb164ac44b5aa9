//! Vendor orders: create with lines, send, and receive — everything open or some packs of each
//! line — into a storage unit.

use leptos::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{FilterSelect, ListFooter, PageHead, filter_value, load_error};
use crate::api::{self, ApiError};
use crate::format::{money, qty};
use crate::forms::{Field, FormError, Select, decimal, positive_number};
use crate::i18n::{n, t, t_with};
use crate::model::{Connection, Named};
use crate::query::query_param;
use crate::session::use_session;
use crate::states::OrderStatus;
use leptos_router::components::A;

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Order {
    id: String,
    status: OrderStatus,
    reference: Option<String>,
    created_at: String,
    vendor: Option<Named>,
    storage_unit: Option<Named>,
    items: Vec<Item>,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Item {
    id: String,
    packs: String,
    price_per_pack: String,
    received_packs: String,
    open_packs: String,
    product: ItemProduct,
    /// How far this price is from the last delivery, when it is worth a look (the server's).
    price_change_percent: Option<String>,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ItemProduct {
    name: String,
    pack_name: String,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Data {
    order_connection: Connection<OrderRow>,
    vendors: Vec<Named>,
    products: Vec<ProductChoice>,
}

/// An order as its list row shows it.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct OrderRow {
    id: String,
    status: OrderStatus,
    reference: Option<String>,
    created_at: String,
    vendor: Option<Named>,
    items: Vec<serde_json::Value>,
}

#[derive(Clone, Deserialize)]
struct ProductChoice {
    id: String,
    name: String,
    vendor: Option<Named>,
}

/// Rows a page of the list holds.
const PAGE: i32 = 25;

/// Orders, newest first, a page at a time: filtered by status and by text in the reference or
/// the vendor's name, the filters and the page in the URL. An order opens on its own page.
#[component]
pub fn Orders() -> impl IntoView {
    let session = use_session();
    let (status, set_status) = query_param("status");
    let (search, set_search) = query_param("q");
    let (after, set_after) = query_param("after");
    let data = LocalResource::new(move || {
        let (company, status, search, after) = (
            session.company_id(),
            status.get(),
            search.get(),
            after.get(),
        );
        async move {
            api::gql::<Data>(
                "query($c: ID!, $s: OrderStatus, $q: String, $a: String, $n: Int) { orderConnection(companyId: $c, status: $s, search: $q, after: $a, first: $n) { totalCount pageInfo { hasNextPage endCursor } edges { node { id status reference createdAt vendor { id name } items { id } } } } vendors(companyId: $c) { id name } products(companyId: $c) { id name vendor { id name } } }",
                json!({"c": company, "s": filter_value(status), "q": filter_value(search), "a": filter_value(after), "n": PAGE}),
            )
            .await
        }
    });
    let (set_status_now, set_after_now, set_search_now) =
        (set_status.clone(), set_after.clone(), set_after.clone());
    view! {
        <PageHead title=t("nav-orders")>
            <input type="search" placeholder=t("orders-search") aria-label=t("orders-search")
                prop:value=move || search.get()
                on:input:target=move |ev| { set_search_now(String::new()); set_search(ev.target().value()) } />
            <FilterSelect label=t("orders-status") all=t("orders-all-statuses") options=OrderStatus::choices() value=status
                on_change=move |v| { set_after_now(String::new()); set_status_now(v) } />
        </PageHead>
        {move || data.get().map(|r| match r {
            Ok(d) => {
                let set_after = set_after.clone();
                view! { <OrderList data=d on_more=move |cursor| set_after(cursor) reload=move || data.refetch() /> }.into_any()
            }
            Err(e) => load_error(e),
        })}
    }
}

#[component]
fn OrderList(
    data: Data,
    on_more: impl Fn(String) + Clone + 'static,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let page = data.order_connection.clone();
    let next = page.next_cursor();
    view! {
        <NewOrder vendors=data.vendors.clone() products=data.products.clone() reload=reload />
        {if page.edges.is_empty() {
            view! { <p class="muted">{t("orders-none")}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll">
                    <table id="orders">
                        <thead><tr><th>"#"</th><th>{t("field-vendor")}</th><th>{t("field-reference")}</th><th>{t("field-date")}</th><th>{t("field-status")}</th><th class="num">{t("field-lines")}</th></tr></thead>
                        <tbody>
                            {page.edges.into_iter().map(|e| {
                                let o = e.node;
                                view! {
                                    <tr>
                                        <td><A href=format!("/orders/{}", o.id)>{format!("#{}", o.id)}</A></td>
                                        <td>{o.vendor.map(|v| v.name).unwrap_or_default()}</td>
                                        <td>{o.reference.unwrap_or_default()}</td>
                                        <td class="date">{crate::format::day(&o.created_at)}</td>
                                        <td><span class="badge">{o.status.label()}</span></td>
                                        <td class="num">{o.items.len()}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        <ListFooter total=t_with("orders-count", &[("count", n(page.total_count as f64))]) next=next more=t("orders-older") on_more=on_more />
    }
}

#[component]
fn NewOrder(
    vendors: Vec<Named>,
    products: Vec<ProductChoice>,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let session = use_session();
    let vendor = RwSignal::new(String::new());
    let product = RwSignal::new(String::new());
    let packs = RwSignal::new(String::new());
    let price = RwSignal::new(String::new());
    let reference = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let vendors: Vec<(String, String)> = vendors
        .iter()
        .map(|v| (v.id.clone(), v.name.clone()))
        .collect();
    let products = Signal::derive(move || {
        products
            .iter()
            .filter(|p| p.vendor.as_ref().is_some_and(|v| v.id == vendor.get()))
            .map(|p| (p.id.clone(), p.name.clone()))
            .collect::<Vec<_>>()
    });
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        leptos::task::spawn_local(async move {
            let vars = json!({"c": session.company_id(), "v": vendor.get_untracked(), "r": reference.get_untracked(),
                "i": [{"productId": product.get_untracked(), "packs": decimal(&packs.get_untracked()), "pricePerPack": decimal(&price.get_untracked())}]});
            match api::gql::<Value>("mutation($c: ID!, $v: ID!, $r: String, $i: [OrderItemInput!]!) { createOrder(companyId: $c, vendorId: $v, reference: $r, items: $i) { id } }", vars).await {
                Ok(_) => reload(),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <details>
            <summary role="button" class="outline">{t("orders-new")}</summary>
            <form on:submit=create id="new-order">
                <div class="grid">
                    <Select label=t("field-vendor") value=vendor options=vendors field="vendorId" error=error empty=t("choose") />
                    <Field label=t("field-reference") value=reference field="reference" error=error />
                </div>
                <div class="grid">
                    <Select label=t("field-product") value=product options=products field="items[0].productId" error=error empty=t("choose") />
                    <Field label=t("orders-packs") value=packs field="items[0].packs" error=error check=positive_number decimal=true />
                    <Field label=t("orders-price-per-pack") value=price field="items[0].pricePerPack" error=error decimal=true />
                </div>
                <FormError error=error />
                <button type="submit">{t("orders-create")}</button>
            </form>
        </details>
    }
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct OneOrder {
    order: Order,
    storage_units: Vec<Named>,
}

/// One order: its lines, sending it, and receiving it — everything open or some packs of each
/// line — into a storage unit.
#[component]
pub fn OrderDetail() -> impl IntoView {
    let session = use_session();
    let params = leptos_router::hooks::use_params_map();
    let data = LocalResource::new(move || {
        let (company, id) = (
            session.company_id(),
            params.get().get("id").unwrap_or_default(),
        );
        async move {
            api::gql::<OneOrder>(
                "query($c: ID!, $o: ID!) { order(id: $o) { id status reference createdAt vendor { id name } storageUnit { id name } items { id packs pricePerPack receivedPacks openPacks priceChangePercent product { name packName } } } storageUnits(companyId: $c) { id name } }",
                json!({"c": company, "o": id}),
            )
            .await
        }
    });
    view! {
        <PageHead title=t("orders-order")><A href="/orders">{t("orders-back")}</A></PageHead>
        {move || data.get().map(|r| match r {
            Ok(d) => {
                let units: Vec<(String, String)> = d
                    .storage_units
                    .iter()
                    .map(|s| (s.id.clone(), s.name.clone()))
                    .collect();
                view! { <OrderCard order=d.order units reload=move || data.refetch() /> }.into_any()
            }
            Err(e) => load_error(e),
        })}
    }
}

#[component]
fn OrderCard(
    order: Order,
    units: Vec<(String, String)>,
    reload: impl Fn() + Copy + 'static,
) -> impl IntoView {
    // The storage unit the order is for, else the first.
    let unit = RwSignal::new(
        order
            .storage_unit
            .as_ref()
            .map(|u| u.id.clone())
            .or_else(|| units.first().map(|u| u.0.clone()))
            .unwrap_or_default(),
    );
    let error = RwSignal::new(None::<ApiError>);
    let receiving: Vec<(String, RwSignal<String>)> = order
        .items
        .iter()
        .map(|i| (i.id.clone(), RwSignal::new(qty(&i.open_packs))))
        .collect();
    let signals: Vec<RwSignal<String>> = receiving.iter().map(|(_, s)| *s).collect();
    let open = matches!(
        order.status,
        OrderStatus::Draft | OrderStatus::Sent | OrderStatus::Partial
    );
    let id = order.id.clone();
    let send_id = order.id.clone();
    let receive = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (id, receiving) = (id.clone(), receiving.clone());
        leptos::task::spawn_local(async move {
            let lines: Vec<Value> = receiving
                .iter()
                .filter(|(_, p)| positive_number(&p.get_untracked()).is_none())
                .map(|(item, p)| json!({"itemId": item, "packs": decimal(&p.get_untracked())}))
                .collect();
            match api::gql::<Value>("mutation($o: ID!, $s: ID!, $l: [ReceiveLineInput!]) { receiveOrder(orderId: $o, storageUnitId: $s, lines: $l) { id } }", json!({"o": id, "s": unit.get_untracked(), "l": lines})).await {
                Ok(_) => reload(),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let send = move |_| {
        let id = send_id.clone();
        leptos::task::spawn_local(async move {
            match api::gql::<Value>(
                "mutation($o: ID!) { sendOrder(id: $o) { id } }",
                json!({"o": id}),
            )
            .await
            {
                Ok(_) => reload(),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let draft = order.status == OrderStatus::Draft;
    let items = order.items.clone();
    view! {
        <article class="order">
            <header>
                <strong>{format!("#{} {}", order.id, order.vendor.map(|v| v.name).unwrap_or_default())}</strong>
                " " <span class="badge">{order.status.label()}</span>
                <span class="muted">{format!(" {} {}", order.reference.unwrap_or_default(), crate::format::day(&order.created_at))}</span>
            </header>
            <form on:submit=receive>
                <table>
                    <thead><tr><th>{t("field-product")}</th><th class="num">{t("orders-ordered")}</th><th class="num">{t("orders-price-per-pack")}</th><th class="num">{t("orders-received")}</th><th>{t("orders-receive-now")}</th></tr></thead>
                    <tbody>
                        {items.into_iter().zip(signals).enumerate().map(|(k, (i, packs))| view! {
                            <tr>
                                <td>{i.product.name.clone()}</td>
                                <td class="num">{format!("{} {}", qty(&i.packs), i.product.pack_name)}</td>
                                <td class="num">{money(&i.price_per_pack)}{i.price_change_percent.as_deref().map(|p| {
                                    let up = !p.starts_with('-');
                                    let shown = if up { format!("+{}", crate::format::percent(p)) } else { crate::format::percent(p) };
                                    view! { <small class="price-change" class:negative=up title=t("orders-price-changed")>" "{shown}</small> }
                                })}</td>
                                <td class="num">{qty(&i.received_packs)}</td>
                                <td>{open.then(|| view! { <Field label=i.product.name.clone() value=packs field=format!("lines[{k}].packs") error=error decimal=true /> })}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                {open.then(|| view! {
                    <div class="grid">
                        <Select label=t("orders-receive-into") value=unit options=units.clone() field="storageUnitId" error=error />
                        <button type="submit">{t("transfer-receive")}</button>
                        {draft.then(|| view! { <button type="button" class="secondary outline" on:click=send.clone()>{t("orders-mark-sent")}</button> })}
                    </div>
                })}
                <FormError error=error />
            </form>
        </article>
    }
}
