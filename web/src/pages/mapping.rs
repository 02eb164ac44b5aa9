//! The mapping page: mapping health first (share of sold quantity and revenue mapped, revenue
//! still unmapped), then the items — unmapped first with amounts sold — each mapped to an
//! ingredient or a recipe with a quantity factor, or ignored; many at once with the checkboxes.
//! Filter and search live in the URL.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{PageHead, load_error};
use crate::api;
use crate::forms::{FormError, ServerError};
use crate::i18n::t;
use crate::model::Named;
use crate::query::query_param;
use crate::session::use_session;

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct Mapping {
    ingredient: Option<Named>,
    recipe: Option<Named>,
    ignored: bool,
    quantity_factor: String,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct Item {
    external_id: String,
    name: String,
    mapping: Option<Mapping>,
    amount_sold: String,
    sales_value: String,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct Health {
    items: i64,
    mapped_items: i64,
    ignored_items: i64,
    unmapped_items: i64,
    sold_mapped_percent: Option<String>,
    revenue_mapped_percent: Option<String>,
    unmapped_revenue: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Data {
    pos_items: Vec<Item>,
    mapping_health: Health,
    ingredients: Vec<Named>,
    recipes: Vec<Named>,
}

#[component]
pub fn MappingPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.get().get("id").unwrap_or_default());
    let (filter, set_filter) = query_param("filter");
    let (search, set_search) = query_param("q");
    let version = RwSignal::new(0u32);
    let data = LocalResource::new(move || {
        version.get();
        let (id, filter, search, company) =
            (id.get(), filter.get(), search.get(), session.company_id());
        async move {
            let filter = if filter.is_empty() {
                "ALL".to_string()
            } else {
                filter.to_uppercase()
            };
            api::gql::<Data>(
                "query($i: ID!, $f: MappingFilter, $q: String, $c: ID!) { posItems(integrationId: $i, filter: $f, search: $q) { externalId name amountSold salesValue mapping { ingredient { id name } recipe { id name } ignored quantityFactor } } mappingHealth(integrationId: $i) { items mappedItems ignoredItems unmappedItems soldMappedPercent revenueMappedPercent unmappedRevenue } ingredients(companyId: $c) { id name } recipes(companyId: $c) { id name } }",
                json!({"i": id, "f": filter, "q": search, "c": company}),
            )
            .await
        }
    });
    let tab = move |value: &'static str, label: &'static str| {
        let set = set_filter.clone();
        view! {
            <button class=move || if filter.get() == value { "tab active" } else { "tab secondary outline" } on:click=move |_| set(value.to_string())>{label}</button>
        }
    };
    view! {
        <PageHead title=t("mapping-item-mapping")>
            <A href=move || format!("/integrations/{}", id.get())>{t("mapping-integration")}</A>
        </PageHead>
        <Transition fallback=|| view! { <p aria-busy="true">{crate::i18n::t("loading")}</p> }>
            {move || data.get().map(|r| match r {
                Ok(d) => view! { <HealthCards health=d.mapping_health.clone() /> }.into_any(),
                Err(e) => load_error(e),
            })}
        </Transition>
        <div class="toolbar filters">
            {tab("", "All")}{tab("unmapped", "Unmapped")}{tab("mapped", "Mapped")}{tab("ignored", "Ignored")}
            <input type="search" placeholder=t("mapping-search-items") aria-label=t("mapping-search-items") prop:value=move || search.get() on:change:target=move |ev| set_search(ev.target().value()) />
        </div>
        <Transition fallback=|| ()>
            {move || data.get().map(|r| match r {
                Ok(d) => view! { <ItemTable integration=id.get() data=d version /> }.into_any(),
                Err(e) => load_error(e),
            })}
        </Transition>
    }
}

#[component]
fn HealthCards(health: Health) -> impl IntoView {
    let pct = |p: Option<String>| p.map(|p| format!("{p}%")).unwrap_or_else(|| "—".into());
    view! {
        <div class="cards mapping-health">
            <article><small class="muted">{t("mapping-units-sold-that-are-mapped")}</small><strong>{pct(health.sold_mapped_percent)}</strong></article>
            <article><small class="muted">{t("mapping-revenue-that-is-mapped")}</small><strong>{pct(health.revenue_mapped_percent)}</strong></article>
            <article><small class="muted">{t("mapping-revenue-still-unmapped")}</small><strong class="num">{health.unmapped_revenue}</strong></article>
            <article><small class="muted">{t("mapping-items")}</small><strong>{format!("{} mapped · {} ignored · {} unmapped", health.mapped_items, health.ignored_items, health.unmapped_items)}</strong></article>
        </div>
    }
}

#[component]
fn ItemTable(integration: String, data: Data, version: RwSignal<u32>) -> impl IntoView {
    let session = use_session();
    let selected = RwSignal::new(BTreeSet::<String>::new());
    let target = RwSignal::new(String::new());
    let factor = RwSignal::new("1".to_string());
    let error: ServerError = RwSignal::new(None);
    let mut targets: Vec<(String, String)> = data
        .recipes
        .iter()
        .map(|r| (format!("recipe:{}", r.id), format!("Recipe · {}", r.name)))
        .collect();
    targets.extend(data.ingredients.iter().map(|i| {
        (
            format!("ingredient:{}", i.id),
            format!("Ingredient · {}", i.name),
        )
    }));
    targets.push(("ignore".into(), "Ignore (not stock)".into()));
    let targets = StoredValue::new(targets);
    let integration = StoredValue::new(integration);
    let apply = move |ids: Vec<String>, choice: String, factor: String| {
        let (ingredient, recipe, ignore) = match choice.split_once(':') {
            Some(("ingredient", id)) => (Value::from(id), Value::Null, false),
            Some(("recipe", id)) => (Value::Null, Value::from(id), false),
            _ if choice == "ignore" => (Value::Null, Value::Null, true),
            _ => (Value::Null, Value::Null, false),
        };
        let factor = if ignore {
            "0".to_string()
        } else {
            crate::forms::decimal(&factor)
        };
        leptos::task::spawn_local(async move {
            match api::gql::<Value>(
                "mutation($i: ID!, $e: [String!]!, $g: ID, $r: ID, $f: Decimal!, $x: Boolean) { mapPosItems(integrationId: $i, externalIds: $e, ingredientId: $g, recipeId: $r, quantityFactor: $f, ignore: $x) }",
                json!({"i": integration.get_value(), "e": ids, "g": ingredient, "r": recipe, "f": factor, "x": ignore}),
            )
            .await
            {
                Ok(_) => {
                    selected.set(BTreeSet::new());
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let bulk = move |_| {
        apply(
            selected.get_untracked().into_iter().collect(),
            target.get_untracked(),
            factor.get_untracked(),
        )
    };
    let can_manage = session.can_manage();
    view! {
        {can_manage.then(|| view! {
            <div class="bulk-map toolbar">
                <span>{move || format!("{} selected", selected.get().len())}</span>
                <select aria-label=t("mapping-map-to-2") on:change:target=move |ev| target.set(ev.target().value())>
                    <option value="">{t("mapping-map-to")}</option>
                    {targets.get_value().into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
                </select>
                <input class="factor" aria-label=t("mapping-quantity-factor") inputmode="decimal" prop:value=move || factor.get() on:input:target=move |ev| factor.set(ev.target().value()) />
                <button class="small" on:click=bulk disabled=move || selected.get().is_empty() || target.get().is_empty()>{t("mapping-map-selected")}</button>
            </div>
        })}
        {move || error.get().map(|e| view! { <p class="form-error" role="alert">{format!("{}{}", e.field.map(|f| format!("{f}: ")).unwrap_or_default(), e.message)}</p> })}
        <FormError error=error />
        <table class="mapping">
            <thead><tr><th></th><th>{t("integrations-item")}</th><th class="num">{t("mapping-sold")}</th><th class="num">{t("mapping-revenue")}</th><th>{t("mapping-maps-to")}</th><th class="num">{t("mapping-factor")}</th><th></th></tr></thead>
            <tbody>
                {data.pos_items.into_iter().map(|item| {
                    let ext = item.external_id.clone();
                    let ext_check = ext.clone();
                    let current = match &item.mapping {
                        Some(m) if m.ignored => "ignore".to_string(),
                        Some(Mapping { recipe: Some(r), .. }) => format!("recipe:{}", r.id),
                        Some(Mapping { ingredient: Some(i), .. }) => format!("ingredient:{}", i.id),
                        _ => String::new(),
                    };
                    let choice = RwSignal::new(current.clone());
                    let row_factor = RwSignal::new(item.mapping.as_ref().map(|m| m.quantity_factor.clone()).unwrap_or_else(|| "1".into()));
                    let unmapped = item.mapping.is_none();
                    let save = {
                        let ext = ext.clone();
                        move |_| apply(vec![ext.clone()], choice.get_untracked(), row_factor.get_untracked())
                    };
                    view! {
                        <tr class:unmapped=unmapped data-item=ext.clone()>
                            <td><input type="checkbox" aria-label=t("mapping-select") on:change:target=move |ev| {
                                let on = ev.target().checked();
                                selected.update(|s| { if on { s.insert(ext_check.clone()); } else { s.remove(&ext_check); } });
                            } /></td>
                            <td>{item.name.clone()}<br /><small class="muted">{item.external_id.clone()}</small></td>
                            <td class="num">{item.amount_sold.clone()}</td>
                            <td class="num">{item.sales_value.clone()}</td>
                            <td>
                                <select aria-label=t("mapping-maps-to") on:change:target=move |ev| choice.set(ev.target().value())>
                                    <option value="" selected=current.is_empty()>{t("mapping-unmapped")}</option>
                                    {targets.get_value().into_iter().map(|(v, l)| { let sel = v == current; view! { <option value=v selected=sel>{l}</option> } }).collect_view()}
                                </select>
                            </td>
                            <td class="num"><input class="factor" aria-label=t("mapping-quantity-factor") inputmode="decimal" prop:value=move || row_factor.get() on:input:target=move |ev| row_factor.set(ev.target().value()) /></td>
                            <td>{can_manage.then(|| view! { <button class="small secondary" on:click=save.clone()>{t("profile-save")}</button> })}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <p class="muted">{t("mapping-factor-base-units-of-the-ingredient")}</p>
    }
}
