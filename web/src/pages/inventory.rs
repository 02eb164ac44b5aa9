//! Inventory: stock per storage unit (value, average cost, negative in red), and a receipt form
//! for stock that arrives without an order.

use leptos::prelude::*;
use leptos_router::components::A;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{PageHead, load_error};
use crate::api::{self, ApiError};
use crate::format::{money, qty};
use crate::forms::{Field, FormError, Select, decimal, positive_number};
use crate::i18n::t;
use crate::model::Named;
use crate::model::StockValue;
use crate::query::query_param;
use crate::session::use_session;

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Level {
    pub ingredient: LevelIngredient,
    pub storage_unit: Named,
    pub quantity: String,
    pub average_cost: Option<String>,
    pub value: String,
    pub negative: bool,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LevelIngredient {
    pub id: String,
    pub name: String,
    pub base_unit: String,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Data {
    stock_value: StockValue,
    stock_levels: Vec<Level>,
    storage_units: Vec<Named>,
    ingredients: Vec<Named>,
}

#[component]
pub fn Inventory() -> impl IntoView {
    let session = use_session();
    let (unit, set_unit) = query_param("unit");
    let data = LocalResource::new(move || {
        let (company, unit) = (session.company_id(), unit.get());
        async move {
            api::gql::<Data>(
                "query($c: ID!, $s: ID) { stockValue(companyId: $c, storageUnitId: $s) { total storageUnits { storageUnit { name } value } } stockLevels(companyId: $c, storageUnitId: $s) { ingredient { id name baseUnit } storageUnit { id name } quantity averageCost value negative } storageUnits(companyId: $c) { id name } ingredients(companyId: $c) { id name } }",
                json!({"c": company, "s": if unit.is_empty() { Value::Null } else { json!(unit) }}),
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
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let outlook = crate::pages::purchasing::use_outlook(unit);
    let ingredients = Signal::derive(move || {
        data.get()
            .and_then(Result::ok)
            .map(|d| {
                d.ingredients
                    .iter()
                    .map(|s| (s.id.clone(), s.name.clone()))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    view! {
        <PageHead title=t("nav-inventory")>
            <select aria-label=t("field-storage-unit") on:change:target=move |ev| set_unit(ev.target().value())>
                <option value="">{t("filter-all-storage-units")}</option>
                {move || units.get().into_iter().map(|(id, n)| {
                    let selected = unit.get() == id;
                    view! { <option value=id selected=selected>{n}</option> }
                }).collect_view()}
            </select>
        </PageHead>
        <ReceiveForm units=units ingredients=ingredients on_done=move || data.refetch() />
        <Suspense fallback=|| view! { <p aria-busy="true">{crate::i18n::t("loading")}</p> }>
            {move || data.get().map(|r| match r {
                Ok(d) if d.stock_levels.is_empty() => view! { <p class="muted">{t("inventory-empty")}</p> }.into_any(),
                Ok(d) => {
                    view! {
                        <p>{t("dash-stock-value")}": " <strong class="money">{money(&d.stock_value.total)}</strong></p>
                        <div class="overflow-auto">
                            <table id="stock">
                                <thead><tr><th>{t("field-ingredient")}</th><th>{t("field-storage-unit")}</th><th class="num">{t("field-quantity")}</th><th class="num">{t("field-average-cost")}</th><th class="num">{t("field-value")}</th><th class="num">{t("purchasing-days-left")}</th></tr></thead>
                                <tbody>
                                    {d.stock_levels.into_iter().map(|l| {
                                        let key = (l.ingredient.id.clone(), l.storage_unit.id.clone());
                                        let href = format!("/ledger?ingredient={}&unit={}", l.ingredient.id, l.storage_unit.id);
                                        view! {
                                            <tr>
                                                <td><A href=href>{l.ingredient.name.clone()}</A></td>
                                                <td>{l.storage_unit.name.clone()}</td>
                                                <td class="num" class:negative=l.negative>{format!("{} {}", qty(&l.quantity), l.ingredient.base_unit)}</td>
                                                <td class="num">{l.average_cost.as_deref().map(money).unwrap_or_default()}</td>
                                                <td class="num" class:negative=l.negative>{money(&l.value)}</td>
                                                <td class="num days-left">{move || outlook.get().and_then(|m| m.get(&key).cloned()).map(|o| view! {
                                                    {crate::pages::purchasing::days_left(o.days_of_stock_left.as_deref())}" "
                                                    <crate::pages::purchasing::Sparkline usage=o.daily_usage label=t("purchasing-usage-14-days") />
                                                })}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
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

#[component]
fn ReceiveForm(
    units: Signal<Vec<(String, String)>>,
    ingredients: Signal<Vec<(String, String)>>,
    on_done: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let unit = RwSignal::new(String::new());
    let ingredient = RwSignal::new(String::new());
    let quantity = RwSignal::new(String::new());
    let cost = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        leptos::task::spawn_local(async move {
            let input = json!({"storageUnitId": unit.get_untracked(), "ingredientId": ingredient.get_untracked(), "quantity": decimal(&quantity.get_untracked())});
            match api::gql::<Value>("mutation($in: MovementInput!, $c: Decimal!) { postReceipt(input: $in, unitCost: $c) { id } }", json!({"in": input, "c": decimal(&cost.get_untracked())})).await {
                Ok(_) => {
                    quantity.set(String::new());
                    on_done();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <details>
            <summary role="button" class="outline">{t("inventory-receive-without-order")}</summary>
            <form on:submit=submit>
                <div class="grid">
                    <Select label=t("field-storage-unit") value=unit options=units field="input.storageUnitId" error=error empty=t("choose") />
                    <Select label=t("field-ingredient") value=ingredient options=ingredients field="input.ingredientId" error=error empty=t("choose") />
                    <Field label=t("field-quantity-base") value=quantity field="input.quantity" error=error check=positive_number decimal=true />
                    <Field label=t("field-price-per-unit") value=cost field="unitCost" error=error decimal=true />
                </div>
                <FormError error=error />
                <button type="submit">{t("inventory-post-receipt")}</button>
            </form>
        </details>
    }
}
