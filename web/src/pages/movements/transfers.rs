//! Transfers between storage units: a new one, and those in transit to receive.

use leptos::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};

use super::choices::{choices, ingredient_options, unit_options};
use super::transfer_list::TransferList;
use crate::api::{self, ApiError};
use crate::forms::{Field, FormError, Select, decimal, positive_number};
use crate::i18n::{s, t, t_with};
use crate::model::Named;
use crate::pages::{PageHead, load_error};
use crate::session::use_session;

#[component]
pub fn Transfers() -> impl IntoView {
    let data = choices();
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let ingredient = RwSignal::new(String::new());
    let quantity = RwSignal::new(String::new());
    let lot = RwSignal::new(String::new());
    let in_transit = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<String>);
    let reload = RwSignal::new(0);
    let units = Signal::derive(move || {
        data.get()
            .and_then(Result::ok)
            .map(|c| unit_options(&c))
            .unwrap_or_default()
    });
    let ingredients = Signal::derive(move || {
        data.get()
            .and_then(Result::ok)
            .map(|c| ingredient_options(&c))
            .unwrap_or_default()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        leptos::task::spawn_local(async move {
            if in_transit.get_untracked() {
                // Shipped now, received at the other end later: the stock is in transit.
                let line = json!({"ingredientId": ingredient.get_untracked(), "quantity": decimal(&quantity.get_untracked()), "lotNumber": opt(lot.get_untracked())});
                let created = api::gql::<Value>(
                    "mutation($f: ID!, $t: ID!, $l: [TransferLineInput!]!) { createTransfer(fromStorageUnitId: $f, toStorageUnitId: $t, lines: $l) { id } }",
                    json!({"f": from.get_untracked(), "t": to.get_untracked(), "l": [line]}),
                )
                .await;
                let shipped = match created {
                    Ok(d) => {
                        api::gql::<Value>(
                            "mutation($id: ID!) { shipTransfer(id: $id) { id } }",
                            json!({"id": d["createTransfer"]["id"]}),
                        )
                        .await
                    }
                    Err(e) => Err(e),
                };
                match shipped {
                    Ok(_) => {
                        quantity.set(String::new());
                        done.set(Some(t("transfer-shipped")));
                        reload.update(|n| *n += 1);
                    }
                    Err(e) => error.set(Some(e)),
                }
                return;
            }
            let vars = json!({"f": from.get_untracked(), "t": to.get_untracked(), "i": ingredient.get_untracked(), "q": decimal(&quantity.get_untracked())});
            match api::gql::<Value>("mutation($f: ID!, $t: ID!, $i: ID!, $q: Decimal!) { transferStock(fromStorageUnitId: $f, toStorageUnitId: $t, ingredientId: $i, quantity: $q) { unitCost } }", vars).await {
                Ok(d) => {
                    quantity.set(String::new());
                    done.set(Some(t_with("transfer-moved", &[("cost", s(crate::format::money(d["transferStock"][0]["unitCost"].as_str().unwrap_or("?"))))])));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <PageHead title=t("nav-transfers")><span></span></PageHead>
        <form on:submit=submit id="transfer">
            <div class="grid">
                <Select label=t("transfer-from") value=from options=units field="fromStorageUnitId" error=error empty=t("choose") />
                <Select label=t("transfer-to") value=to options=units field="toStorageUnitId" error=error empty=t("choose") />
            </div>
            <div class="grid">
                <Select label=t("field-ingredient") value=ingredient options=ingredients field="ingredientId" error=error empty=t("choose") />
                <Field label=t("field-quantity-base") value=quantity field="quantity" error=error check=positive_number decimal=true />
            </div>
            <div class="grid">
                <Field label=t("transfer-lot") value=lot field="lines[0].lotNumber" error=error />
                <label><input type="checkbox" role="switch" prop:checked=move || in_transit.get() on:change:target=move |ev| in_transit.set(ev.target().checked()) />{t("transfer-in-transit-switch")}</label>
            </div>
            <FormError error=error />
            {move || done.get().map(|m| view! { <p role="status">{m}</p> })}
            <button type="submit">{move || if in_transit.get() { t("transfer-ship") } else { t("transfer-now") }}</button>
        </form>
        <Pending reload=reload />
        <TransferList units=units reload=move || reload.track() />
    }
}

fn opt(v: String) -> Value {
    if v.trim().is_empty() {
        Value::Null
    } else {
        json!(v)
    }
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PendingTransfer {
    id: String,
    from_storage_unit: Option<Named>,
    to_storage_unit: Option<Named>,
    shipped_at: Option<String>,
    lines: Vec<PendingLine>,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PendingLine {
    ingredient: Option<Named>,
    quantity: String,
    lot_number: Option<String>,
}

#[derive(Clone, Deserialize)]
struct PendingData {
    transfers: Vec<PendingTransfer>,
}

/// Shipped and not yet received: in transit, with one action to receive.
#[component]
fn Pending(reload: RwSignal<i32>) -> impl IntoView {
    let session = use_session();
    let data = LocalResource::new(move || {
        reload.track();
        let company = session.company_id();
        async move {
            api::gql::<PendingData>(
                "query($c: ID!) { transfers(companyId: $c, status: SHIPPED) { id fromStorageUnit { id name } toStorageUnit { id name } shippedAt lines { ingredient { id name } quantity lotNumber } } }",
                json!({"c": company}),
            )
            .await
        }
    });
    let receive = move |id: String| {
        leptos::task::spawn_local(async move {
            let _ = api::gql::<Value>(
                "mutation($id: ID!) { receiveTransfer(id: $id) { id } }",
                json!({"id": id}),
            )
            .await;
            reload.update(|n| *n += 1);
        });
    };
    view! {
        <article id="pending-transfers">
            <header><strong>{t("transfer-in-transit")}</strong></header>
            {move || data.get().map(|r| match r {
                Ok(d) if d.transfers.is_empty() => view! { <p class="muted">{t("transfer-nothing-on-way")}</p> }.into_any(),
                Ok(d) => view! {
                    <table>
                        <tbody>
                            {d.transfers.into_iter().map(|t| {
                                let id = t.id.clone();
                                let what = t.lines.iter().map(|l| format!("{} {}{}", crate::format::qty(&l.quantity), l.ingredient.as_ref().map_or("", |i| i.name.as_str()), l.lot_number.as_ref().map(|lot| format!(" ({})", t_with("transfer-lot-of", &[("lot", s(lot.clone()))]))).unwrap_or_default())).collect::<Vec<_>>().join(", ");
                                view! {
                                    <tr>
                                        <td>{format!("{} → {}", t.from_storage_unit.map(|s| s.name).unwrap_or_default(), t.to_storage_unit.map(|s| s.name).unwrap_or_default())}</td>
                                        <td>{what}</td>
                                        <td class="muted">{t.shipped_at.as_deref().map(crate::format::when).unwrap_or_default()}</td>
                                        <td class="row-actions"><button class="secondary outline" on:click=move |_| receive(id.clone())>{crate::i18n::t("transfer-receive")}</button></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
                Err(e) => load_error(e),
            })}
        </article>
    }
}
