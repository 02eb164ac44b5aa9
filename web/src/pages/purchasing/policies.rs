//! Stock policies: one form for a policy's fields (MANUAL: reorder point and par level;
//! AUTOMATIC: review, safety and usage window days), used in bulk for the ingredients of a
//! storage unit, and on an ingredient's page beside its preferred product.

use std::collections::HashSet;

use leptos::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api::{self, ApiError};
use crate::format::qty;
use crate::forms::{Field, FormError, Select, ServerError, decimal};
use crate::i18n::{n, s, t, t_with};
use crate::model::Named;
use crate::pages::load_error;
use crate::query::query_param;
use crate::session::use_session;

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Policy {
    ingredient: Named,
    storage_unit: Named,
    kind: String,
    reorder_point: Option<String>,
    par_level: Option<String>,
    review_days: i64,
    safety_days: String,
    usage_window_days: i64,
}

const POLICY: &str = "ingredient { id name } storageUnit { id name } kind reorderPoint parLevel reviewDays safetyDays usageWindowDays";

/// "Manual: reorder at 4, up to 20" or "Automatic: review 7 days, 1 safety day, 28-day window".
fn summary(p: &Policy) -> String {
    if p.kind == "MANUAL" {
        t_with(
            "purchasing-manual-summary",
            &[
                ("reorder", s(qty(p.reorder_point.as_deref().unwrap_or("0")))),
                ("par", s(qty(p.par_level.as_deref().unwrap_or("0")))),
            ],
        )
    } else {
        t_with(
            "purchasing-automatic-summary",
            &[
                ("review", n(p.review_days as f64)),
                ("safety", s(qty(&p.safety_days))),
                ("window", n(p.usage_window_days as f64)),
            ],
        )
    }
}

/// A policy's fields as the form holds them.
#[derive(Clone, Copy)]
struct PolicyDraft {
    kind: RwSignal<String>,
    reorder_point: RwSignal<String>,
    par_level: RwSignal<String>,
    review_days: RwSignal<String>,
    safety_days: RwSignal<String>,
    usage_window_days: RwSignal<String>,
}

impl PolicyDraft {
    fn new() -> Self {
        Self {
            kind: RwSignal::new("AUTOMATIC".into()),
            reorder_point: RwSignal::new(String::new()),
            par_level: RwSignal::new(String::new()),
            review_days: RwSignal::new("7".into()),
            safety_days: RwSignal::new("1".into()),
            usage_window_days: RwSignal::new("28".into()),
        }
    }

    /// The StockPolicyInput fields, without the pair.
    fn fields(&self) -> serde_json::Map<String, Value> {
        let number = |v: RwSignal<String>| {
            let v = v.get_untracked();
            if v.trim().is_empty() {
                Value::Null
            } else {
                json!(decimal(&v))
            }
        };
        let days = |v: RwSignal<String>| {
            v.get_untracked()
                .trim()
                .parse::<i64>()
                .map_or(Value::Null, |d| json!(d))
        };
        let mut m = serde_json::Map::new();
        m.insert("kind".into(), json!(self.kind.get_untracked()));
        if self.kind.get_untracked() == "MANUAL" {
            m.insert("reorderPoint".into(), number(self.reorder_point));
            m.insert("parLevel".into(), number(self.par_level));
        } else {
            m.insert("reviewDays".into(), days(self.review_days));
            m.insert("safetyDays".into(), number(self.safety_days));
            m.insert("usageWindowDays".into(), days(self.usage_window_days));
        }
        m
    }
}

fn kinds() -> Vec<(String, String)> {
    vec![
        ("AUTOMATIC".into(), t("purchasing-kind-automatic")),
        ("MANUAL".into(), t("purchasing-kind-manual")),
    ]
}

/// The policy's fields; server errors land on `prefix` + the field's name.
#[component]
fn PolicyFields(
    draft: PolicyDraft,
    error: ServerError,
    #[prop(into)] prefix: String,
) -> impl IntoView {
    let at = move |f: &str| format!("{prefix}{f}");
    view! {
        <div class="grid">
            <Select label=t("purchasing-kind") value=draft.kind options=Signal::derive(kinds) field=at("kind") error=error />
            <Show when=move || draft.kind.get() == "MANUAL" fallback={
                let at = at.clone();
                move || view! {
                    <Field label=t("purchasing-review-days") value=draft.review_days field=at("reviewDays") error=error kind="number" />
                    <Field label=t("purchasing-safety-days") value=draft.safety_days field=at("safetyDays") error=error decimal=true />
                    <Field label=t("purchasing-window-days") value=draft.usage_window_days field=at("usageWindowDays") error=error kind="number" />
                }
            }>
                <Field label=t("purchasing-reorder-point") value=draft.reorder_point field=at("reorderPoint") error=error decimal=true />
                <Field label=t("purchasing-par-level") value=draft.par_level field=at("parLevel") error=error decimal=true />
            </Show>
        </div>
    }
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct BulkData {
    storage_units: Vec<Named>,
    ingredients: Vec<Named>,
    stock_policies: Vec<Policy>,
}

/// Policies for many ingredients of one storage unit at once.
#[component]
pub fn BulkPolicies() -> impl IntoView {
    let session = use_session();
    let (unit, set_unit) = query_param("unit");
    let data = LocalResource::new(move || {
        let (company, unit) = (session.company_id(), unit.get());
        async move {
            api::gql::<BulkData>(
                &format!("query($c: ID!, $u: ID) {{ storageUnits(companyId: $c) {{ id name }} ingredients(companyId: $c, active: true) {{ id name }} stockPolicies(companyId: $c, storageUnitId: $u) {{ {POLICY} }} }}"),
                json!({"c": company, "u": crate::pages::filter_value(unit)}),
            )
            .await
        }
    });
    let selected = RwSignal::new(HashSet::<String>::new());
    let draft = PolicyDraft::new();
    let error = RwSignal::new(None::<ApiError>);
    let applied = RwSignal::new(None::<usize>);
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let unit = unit.get_untracked();
        let policies: Vec<Value> = selected
            .get_untracked()
            .into_iter()
            .map(|ingredient| {
                let mut m = draft.fields();
                m.insert("ingredientId".into(), json!(ingredient));
                m.insert("storageUnitId".into(), json!(unit));
                Value::Object(m)
            })
            .collect();
        let count = policies.len();
        leptos::task::spawn_local(async move {
            match api::gql::<Value>("mutation($c: ID!, $p: [StockPolicyInput!]!) { setStockPolicies(companyId: $c, policies: $p) { kind } }", json!({"c": session.company_id(), "p": policies})).await {
                Ok(_) => {
                    error.set(None);
                    applied.set(Some(count));
                    selected.set(HashSet::new());
                    data.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let remove = move |ingredient: String| {
        let unit = unit.get_untracked();
        leptos::task::spawn_local(async move {
            match api::gql::<Value>("mutation($i: ID!, $u: ID!) { removeStockPolicy(ingredientId: $i, storageUnitId: $u) }", json!({"i": ingredient, "u": unit})).await {
                Ok(_) => data.refetch(),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        {move || data.get().map(|r| match r {
            Err(e) => load_error(e),
            Ok(d) => {
                let set_unit = set_unit.clone();
                // Policies are per storage unit: the first one until another is chosen.
                if unit.get_untracked().is_empty()
                    && let Some(first) = d.storage_units.first()
                {
                    set_unit(first.id.clone());
                }
                let units: Vec<(String, String)> = d.storage_units.iter().map(|u| (u.id.clone(), u.name.clone())).collect();
                let policy_of = |id: &str| d.stock_policies.iter().find(|p| p.ingredient.id == id).cloned();
                let all: Vec<String> = d.ingredients.iter().map(|i| i.id.clone()).collect();
                view! {
                    <div class="toolbar report-filters">
                        <select aria-label=t("field-storage-unit") on:change:target=move |ev| set_unit(ev.target().value())>
                            {units.into_iter().map(|(id, name)| {
                                let chosen = id.clone();
                                view! { <option value=id selected=move || unit.get() == chosen>{name}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <form id="bulk-policies" on:submit=apply>
                        <PolicyFields draft=draft error=error prefix="policies[0]." />
                        <FormError error=error />
                        <button type="submit" disabled=move || selected.with(HashSet::is_empty) || !session.can_manage()>
                            {move || t_with("purchasing-apply-to", &[("count", n(selected.with(HashSet::len) as f64))])}
                        </button>
                        {move || applied.get().map(|c| view! { <p role="status">{t_with("purchasing-applied", &[("count", n(c as f64))])}</p> })}
                    </form>
                    <div class="table-scroll" tabindex="0">
                        <table id="policies">
                            <thead><tr>
                                <th><input type="checkbox" aria-label=t("purchasing-select-all")
                                    on:change:target=move |ev| selected.set(if ev.target().checked() { all.iter().cloned().collect() } else { HashSet::new() }) /></th>
                                <th>{t("field-ingredient")}</th><th>{t("purchasing-policy")}</th><th></th>
                            </tr></thead>
                            <tbody>
                                {d.ingredients.iter().map(|i| {
                                    let (id, check_id, remove_id) = (i.id.clone(), i.id.clone(), i.id.clone());
                                    let policy = policy_of(&i.id);
                                    let has = policy.is_some();
                                    view! {
                                        <tr>
                                            <td><input type="checkbox" aria-label=i.name.clone()
                                                prop:checked=move || selected.with(|s| s.contains(&check_id))
                                                on:change:target=move |ev| {
                                                    let on = ev.target().checked();
                                                    selected.update(|s| { if on { s.insert(id.clone()); } else { s.remove(&id); } });
                                                } /></td>
                                            <td>{i.name.clone()}</td>
                                            <td>{policy.as_ref().map(summary).unwrap_or_else(|| t("purchasing-no-policy"))}</td>
                                            <td class="row-actions">{has.then(|| view! {
                                                <button class="secondary outline" on:click=move |_| remove(remove_id.clone())>{t("purchasing-remove")}</button>
                                            })}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }
        })}
    }
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct IngredientData {
    ingredient: PreferredOf,
    products: Vec<Named>,
    storage_units: Vec<Named>,
    stock_policies: Vec<Policy>,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PreferredOf {
    preferred_product: Option<Named>,
}

/// On an ingredient's page: the product it is ordered in, and its policy in each storage unit.
#[component]
pub fn IngredientPurchasing(ingredient_id: String) -> impl IntoView {
    let session = use_session();
    let for_load = ingredient_id.clone();
    let data = LocalResource::new(move || {
        let (company, id) = (session.company_id(), for_load.clone());
        async move {
            api::gql::<IngredientData>(
                &format!("query($c: ID!, $i: ID!) {{ ingredient(id: $i) {{ preferredProduct {{ id name }} }} products(companyId: $c, ingredientId: $i) {{ id name }} storageUnits(companyId: $c) {{ id name }} stockPolicies(companyId: $c) {{ {POLICY} }} }}"),
                json!({"c": company, "i": id}),
            )
            .await
        }
    });
    let preferred = RwSignal::new(String::new());
    let unit = RwSignal::new(String::new());
    let draft = PolicyDraft::new();
    let error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(d)) = data.get() {
            preferred.set(
                d.ingredient
                    .preferred_product
                    .map(|p| p.id)
                    .unwrap_or_default(),
            );
        }
    });
    let (prefer_id, policy_id) = (ingredient_id.clone(), ingredient_id.clone());
    let prefer = move |_| {
        let id = prefer_id.clone();
        let product = crate::pages::filter_value(preferred.get_untracked());
        leptos::task::spawn_local(async move {
            match api::gql::<Value>("mutation($id: ID!, $p: ID) { updateIngredient(id: $id, input: {preferredProductId: $p}) { id } }", json!({"id": id, "p": product})).await {
                Ok(_) => saved.set(true),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let set_policy = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut input = draft.fields();
        input.insert("ingredientId".into(), json!(policy_id.clone()));
        input.insert("storageUnitId".into(), json!(unit.get_untracked()));
        leptos::task::spawn_local(async move {
            match api::gql::<Value>(
                "mutation($i: StockPolicyInput!) { setStockPolicy(input: $i) { kind } }",
                json!({"i": input}),
            )
            .await
            {
                Ok(_) => {
                    error.set(None);
                    data.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let own = ingredient_id.clone();
    view! {
        <section id="ingredient-purchasing">
            <h2>{t("nav-purchasing")}</h2>
            {move || data.get().map(|r| match r {
                Err(e) => load_error(e),
                Ok(d) => {
                    let products: Vec<(String, String)> = d.products.iter().map(|p| (p.id.clone(), p.name.clone())).collect();
                    let units: Vec<(String, String)> = d.storage_units.iter().map(|u| (u.id.clone(), u.name.clone())).collect();
                    let mine: Vec<Policy> = d.stock_policies.into_iter().filter(|p| p.ingredient.id == own).collect();
                    view! {
                        <div class="grid">
                            <Select label=t("purchasing-preferred-product") value=preferred options=Signal::stored(products) field="preferredProductId" error=error empty=t("purchasing-none") />
                            <button type="button" class="secondary" on:click=prefer.clone()>{t("purchasing-save-preferred")}</button>
                        </div>
                        {move || saved.get().then(|| view! { <p role="status">{t("purchasing-saved")}</p> })}
                        <ul class="plain">
                            {mine.iter().map(|p| view! { <li><strong>{p.storage_unit.name.clone()}</strong>": "{summary(p)}</li> }).collect_view()}
                        </ul>
                        <form on:submit=set_policy.clone()>
                            <Select label=t("field-storage-unit") value=unit options=Signal::stored(units) field="storageUnitId" error=error empty=t("choose") />
                            <PolicyFields draft=draft error=error prefix="" />
                            <FormError error=error />
                            <button type="submit" disabled=move || !session.can_manage()>{t("purchasing-set-policy")}</button>
                        </form>
                    }.into_any()
                }
            })}
        </section>
    }
}
