//! The first page after sign-in: stock value by storage unit, critical stock, recent movements,
//! and what the company holds.

use leptos::prelude::*;
use leptos_router::components::A;
use serde::Deserialize;
use serde_json::json;

use super::inventory::Level;
use super::ledger::Entry;
use crate::api;
use crate::format::{money, qty};
use crate::model::StockValue;
use crate::session::use_session;

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Data {
    stock_value: StockValue,
    critical_stock: Vec<Level>,
    recent_movements: Vec<Entry>,
    ingredients: Vec<serde_json::Value>,
    recipes: Vec<serde_json::Value>,
    vendors: Vec<serde_json::Value>,
    transfers: Vec<serde_json::Value>,
}

#[component]
pub fn Dashboard() -> impl IntoView {
    let session = use_session();
    let data = LocalResource::new(move || {
        let company = session.company_id();
        async move {
            api::gql::<Data>(
                "query($c: ID!) { stockValue(companyId: $c) { total storageUnits { storageUnit { name } value } } criticalStock(companyId: $c, first: 12) { ingredient { id name baseUnit } storageUnit { id name } quantity averageCost value negative } recentMovements(companyId: $c, first: 8) { id transactionType quantity unitCost value balanceAfter occurredAt reversalOf ingredient { name baseUnit } storageUnit { id name } source { kind description } } ingredients(companyId: $c) { id } recipes(companyId: $c) { id } vendors(companyId: $c) { id } transfers(companyId: $c, status: SHIPPED) { id } }",
                json!({"c": company}),
            )
            .await
        }
    });
    let company_name = move || {
        let id = session.company.get();
        session
            .me
            .get()
            .and_then(|me| {
                me.memberships
                    .into_iter()
                    .find(|m| Some(&m.company.id) == id.as_ref())
            })
            .map(|m| m.company.name)
    };
    view! {
        <div class="page-head"><h1>{company_name}</h1></div>
        <Suspense fallback=|| view! { <p aria-busy="true">"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Ok(d) => {
                    let critical = d.critical_stock.clone();
                    view! {
                        <div class="cards" id="value-by-unit">
                            <article><small class="muted">"Stock value"</small><div class="figure">{money(&d.stock_value.total)}</div><A href="/inventory">"Inventory"</A></article>
                            <article id="in-transit"><small class="muted">"Transfers in transit"</small><div class="figure">{d.transfers.len()}</div><A href="/transfers">"Receive them"</A></article>
                            {d.stock_value.storage_units.iter().map(|u| view! {
                                <article><small class="muted">{u.storage_unit.name.clone()}</small><div class="figure">{money(&u.value)}</div></article>
                            }).collect_view()}
                        </div>
                        <div class="grid">
                            <article id="critical">
                                <header><strong>"Critical stock"</strong><span class="muted">" — depleted or below zero"</span></header>
                                {if critical.is_empty() {
                                    view! { <p class="muted">"Nothing is out."</p> }.into_any()
                                } else {
                                    view! {
                                        <table>
                                            <tbody>
                                                {critical.into_iter().map(|l| view! {
                                                    <tr>
                                                        <td><A href=format!("/ledger?ingredient={}&unit={}", l.ingredient.id, l.storage_unit.id)>{l.ingredient.name.clone()}</A></td>
                                                        <td>{l.storage_unit.name.clone()}</td>
                                                        <td class="num negative">{format!("{} {}", qty(&l.quantity), l.ingredient.base_unit)}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    }.into_any()
                                }}
                            </article>
                            <article id="recent">
                                <header><strong>"Recent movements"</strong></header>
                                <table>
                                    <tbody>
                                        {d.recent_movements.into_iter().map(|e| view! {
                                            <tr>
                                                <td><span class="badge">{e.transaction_type.code()}</span></td>
                                                <td>{e.ingredient.name.clone()}</td>
                                                <td>{e.storage_unit.name.clone()}</td>
                                                <td class="num">{format!("{} {}", qty(&e.quantity), e.ingredient.base_unit)}</td>
                                                <td class="num">{e.value.as_deref().map(money).unwrap_or_default()}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                <A href="/ledger">"The whole ledger"</A>
                            </article>
                        </div>
                        <div class="cards">
                            <Card label="Ingredients" count=d.ingredients.len() href="/ingredients" />
                            <Card label="Recipes" count=d.recipes.len() href="/recipes" />
                            <Card label="Vendors" count=d.vendors.len() href="/vendors" />
                        </div>
                    }.into_any()
                }
                Err(e) => super::load_error(e),
            })}
        </Suspense>
    }
}

#[component]
fn Card(label: &'static str, count: usize, href: &'static str) -> impl IntoView {
    view! {
        <article>
            <div class="figure">{count}</div>
            <A href=href>{label}</A>
        </article>
    }
}
