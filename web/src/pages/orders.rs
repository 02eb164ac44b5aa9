//! Vendor orders: create with lines, send, and receive — everything open or some packs of each
//! line — into a storage unit.

use leptos::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{PageHead, load_error};
use crate::api::{self, ApiError};
use crate::format::{money, qty};
use crate::forms::{Field, FormError, Select, decimal, positive_number};
use crate::model::Named;
use crate::session::use_session;
use crate::states::OrderStatus;

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Order {
    id: String,
    status: OrderStatus,
    reference: Option<String>,
    created_at: String,
    vendor: Option<Named>,
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
    orders: Vec<Order>,
    vendors: Vec<Named>,
    products: Vec<ProductChoice>,
    storage_units: Vec<Named>,
}

#[derive(Clone, Deserialize)]
struct ProductChoice {
    id: String,
    name: String,
    vendor: Option<Named>,
}

#[component]
pub fn Orders() -> impl IntoView {
    let session = use_session();
    let data = LocalResource::new(move || {
        let company = session.company_id();
        async move {
            api::gql::<Data>(
                "query($c: ID!) { orders(companyId: $c) { id status reference createdAt vendor { id name } items { id packs pricePerPack receivedPacks openPacks product { name packName } } } vendors(companyId: $c) { id name } products(companyId: $c) { id name vendor { id name } } storageUnits(companyId: $c) { id name } }",
                json!({"c": company}),
            )
            .await
        }
    });
    move || {
        data.get().map(|r| match r {
            Ok(d) => view! { <OrdersView data=d reload=move || data.refetch() /> }.into_any(),
            Err(e) => load_error(e),
        })
    }
}

#[component]
fn OrdersView(data: Data, reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let session = use_session();
    let vendor = RwSignal::new(String::new());
    let product = RwSignal::new(String::new());
    let packs = RwSignal::new(String::new());
    let price = RwSignal::new(String::new());
    let reference = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let vendors: Vec<(String, String)> = data
        .vendors
        .iter()
        .map(|v| (v.id.clone(), v.name.clone()))
        .collect();
    let all_products = data.products.clone();
    let products = Signal::derive(move || {
        all_products
            .iter()
            .filter(|p| p.vendor.as_ref().is_some_and(|v| v.id == vendor.get()))
            .map(|p| (p.id.clone(), p.name.clone()))
            .collect::<Vec<_>>()
    });
    let units: Vec<(String, String)> = data
        .storage_units
        .iter()
        .map(|s| (s.id.clone(), s.name.clone()))
        .collect();
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
        <PageHead title="Orders"><span></span></PageHead>
        <details>
            <summary role="button" class="outline">"New order"</summary>
            <form on:submit=create id="new-order">
                <div class="grid">
                    <Select label="Vendor" value=vendor options=vendors field="vendorId" error=error empty="Choose…" />
                    <Field label="Reference" value=reference field="reference" error=error />
                </div>
                <div class="grid">
                    <Select label="Product" value=product options=products field="items[0].productId" error=error empty="Choose…" />
                    <Field label="Packs" value=packs field="items[0].packs" error=error check=positive_number decimal=true />
                    <Field label="Price per pack" value=price field="items[0].pricePerPack" error=error decimal=true />
                </div>
                <FormError error=error />
                <button type="submit">"Create order"</button>
            </form>
        </details>
        {if data.orders.is_empty() {
            view! { <p class="muted">"No orders yet."</p> }.into_any()
        } else {
            data.orders.into_iter().map(|o| view! { <OrderCard order=o units=units.clone() reload=reload /> }).collect_view().into_any()
        }}
    }
}

#[component]
fn OrderCard(
    order: Order,
    units: Vec<(String, String)>,
    reload: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let unit = RwSignal::new(units.first().map(|u| u.0.clone()).unwrap_or_default());
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
                .filter(|(_, p)| {
                    decimal(&p.get_untracked())
                        .parse::<f64>()
                        .is_ok_and(|n| n > 0.0)
                })
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
                " " <span class="badge">{order.status.code()}</span>
                <span class="muted">{format!(" {} {}", order.reference.unwrap_or_default(), order.created_at.get(..10).unwrap_or(""))}</span>
            </header>
            <form on:submit=receive>
                <table>
                    <thead><tr><th>"Product"</th><th class="num">"Ordered"</th><th class="num">"Price / pack"</th><th class="num">"Received"</th><th>"Receive now (packs)"</th></tr></thead>
                    <tbody>
                        {items.into_iter().zip(signals).enumerate().map(|(k, (i, packs))| view! {
                            <tr>
                                <td>{i.product.name.clone()}</td>
                                <td class="num">{format!("{} {}", qty(&i.packs), i.product.pack_name)}</td>
                                <td class="num">{money(&i.price_per_pack)}</td>
                                <td class="num">{qty(&i.received_packs)}</td>
                                <td>{open.then(|| view! { <Field label="" value=packs field=format!("lines[{k}].packs") error=error decimal=true /> })}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                {open.then(|| view! {
                    <div class="grid">
                        <Select label="Receive into" value=unit options=units.clone() field="storageUnitId" error=error />
                        <button type="submit">"Receive"</button>
                        {draft.then(|| view! { <button type="button" class="secondary outline" on:click=send.clone()>"Mark as sent"</button> })}
                    </div>
                })}
                <FormError error=error />
            </form>
        </article>
    }
}
