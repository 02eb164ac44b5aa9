//! A storage unit's places, arranged for the walk a count takes: shelves and areas in order
//! (up, down, add, remove), the ingredients on each in order, and many moved onto a place at once.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{PageHead, load_error};
use crate::api::{self, ApiError};
use crate::forms::{Field, FormError, required};
use crate::i18n::t;
use crate::model::Named;
use crate::session::use_session;

#[derive(Clone, Deserialize)]
struct Place {
    id: String,
    name: String,
    ingredients: Vec<Named>,
}

#[derive(Clone, Deserialize)]
struct Unit {
    id: String,
    name: String,
    places: Vec<Place>,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Data {
    storage_units: Vec<Unit>,
    ingredients: Vec<Named>,
}

/// Runs a mutation, then `done`; a refusal shows above the list.
fn run(
    error: RwSignal<Option<ApiError>>,
    query: &'static str,
    variables: Value,
    done: impl FnOnce() + 'static,
) {
    leptos::task::spawn_local(async move {
        match api::gql::<Value>(query, variables).await {
            Ok(_) => {
                error.set(None);
                done();
            }
            Err(e) => error.set(Some(e)),
        }
    });
}

#[component]
pub fn StoragePlaces() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let unit_id = move || params.get().get("id").unwrap_or_default();
    let data = LocalResource::new(move || {
        let company = session.company_id();
        async move {
            api::gql::<Data>(
                "query($c: ID!) { storageUnits(companyId: $c) { id name places { id name ingredients { id name } } } ingredients(companyId: $c, active: true) { id name } }",
                json!({"c": company}),
            )
            .await
        }
    });
    let error = RwSignal::new(None::<ApiError>);
    let name = RwSignal::new(String::new());
    let selected = RwSignal::new(Vec::<String>::new());
    let target = RwSignal::new(String::new());
    let reload = move || data.refetch();
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        run(
            error,
            "mutation($u: ID!, $n: String!) { createStoragePlace(storageUnitId: $u, name: $n) { id } }",
            json!({"u": unit_id(), "n": name.get_untracked()}),
            move || {
                name.set(String::new());
                reload();
            },
        );
    };
    let move_selected = move |_| {
        let place = target.get_untracked();
        run(
            error,
            "mutation($u: ID!, $p: ID, $i: [ID!]!) { placeIngredients(storageUnitId: $u, placeId: $p, ingredientIds: $i) }",
            json!({"u": unit_id(), "p": if place.is_empty() { Value::Null } else { json!(place) }, "i": selected.get_untracked()}),
            move || {
                selected.set(Vec::new());
                reload();
            },
        );
    };
    let checkbox = move |id: String, name: String| {
        let key = id.clone();
        view! {
            <label class="place-pick">
                <input type="checkbox" prop:checked=move || selected.get().contains(&key)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        selected.update(|s| { s.retain(|x| *x != id); if on { s.push(id.clone()); } });
                    } />
                {name}
            </label>
        }
    };
    view! {
        {move || data.get().map(|r| match r {
            Err(e) => load_error(e),
            Ok(d) => {
                let Some(unit) = d.storage_units.into_iter().find(|u| u.id == unit_id()) else {
                    return view! { <p class="muted">{t("places-no-unit")}</p> }.into_any();
                };
                let placed: Vec<String> = unit.places.iter().flat_map(|p| p.ingredients.iter().map(|i| i.id.clone())).collect();
                let unplaced: Vec<Named> = d.ingredients.into_iter().filter(|i| !placed.contains(&i.id)).collect();
                let order: Vec<String> = unit.places.iter().map(|p| p.id.clone()).collect();
                let options: Vec<(String, String)> = unit.places.iter().map(|p| (p.id.clone(), p.name.clone())).collect();
                let places = unit.places.clone();
                let unit_name = unit.name.clone();
                view! {
                    <PageHead title=format!("{unit_name} · {}", t("places-title"))><span></span></PageHead>
                    <p class="muted">{t("places-hint")}</p>
                    <FormError error=error />
                    <div class="grid place-move" id="place-move">
                        <label>
                            <span class="label-text">{t("places-move-selected")}</span>
                            <select name="targetPlace" on:change=move |ev| target.set(event_target_value(&ev))>
                                <option value="" selected=move || target.get().is_empty()>{t("count-unplaced")}</option>
                                {options.into_iter().map(|(id, name)| {
                                    let chosen = id.clone();
                                    view! { <option value=id selected=move || target.get() == chosen>{name}</option> }
                                }).collect_view()}
                            </select>
                        </label>
                        <button type="button" on:click=move_selected disabled=move || selected.get().is_empty()>{t("places-move")}</button>
                    </div>
                    {places.into_iter().enumerate().map(|(i, place)| {
                        let swap = |a: usize, b: usize, order: &[String]| { let mut o = order.to_vec(); o.swap(a, b); o };
                        let (up, down) = (
                            (i > 0).then(|| swap(i, i - 1, &order)),
                            (i + 1 < order.len()).then(|| swap(i, i + 1, &order)),
                        );
                        let arrange = move |o: Vec<String>| run(error, "mutation($u: ID!, $p: [ID!]!) { arrangeStoragePlaces(storageUnitId: $u, placeIds: $p) { id } }", json!({"u": unit_id(), "p": o}), reload);
                        let place_id = place.id.clone();
                        let count = place.ingredients.len();
                        view! {
                            <article class="place" data-place=place.id.clone()>
                                <header class="page-head">
                                    <strong>{place.name.clone()}</strong>
                                    <div class="toolbar">
                                        <button type="button" class="secondary outline" aria-label=t("places-up") disabled=up.is_none() on:click={let up = up.clone(); move |_| if let Some(o) = up.clone() { arrange(o) }}>"↑"</button>
                                        <button type="button" class="secondary outline" aria-label=t("places-down") disabled=down.is_none() on:click={let down = down.clone(); move |_| if let Some(o) = down.clone() { arrange(o) }}>"↓"</button>
                                        <button type="button" class="secondary outline" on:click={let id = place_id.clone(); move |_| run(error, "mutation($p: ID!) { removeStoragePlace(id: $p) }", json!({"p": id}), reload)}>{t("places-remove")}</button>
                                    </div>
                                </header>
                                <ol>
                                    {place.ingredients.into_iter().enumerate().map(|(j, ing)| {
                                        let (id, place) = (ing.id.clone(), place_id.clone());
                                        let shift = move |to: usize| {
                                            let (id, place) = (id.clone(), place.clone());
                                            move |_| run(error, "mutation($i: ID!, $u: ID!, $p: ID, $at: Int) { setIngredientPlace(ingredientId: $i, storageUnitId: $u, placeId: $p, position: $at) }",
                                                json!({"i": id, "u": unit_id(), "p": place, "at": to}), reload)
                                        };
                                        view! {
                                            <li class="placed">
                                                {checkbox(ing.id.clone(), ing.name.clone())}
                                                <span class="toolbar">
                                                    <button type="button" class="secondary outline" aria-label=t("places-up") disabled={j == 0} on:click=shift(j.saturating_sub(1))>"↑"</button>
                                                    <button type="button" class="secondary outline" aria-label=t("places-down") disabled={j + 1 >= count} on:click=shift(j + 1)>"↓"</button>
                                                </span>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ol>
                            </article>
                        }
                    }).collect_view()}
                    <article class="place" id="unplaced">
                        <header><strong>{t("count-unplaced")}</strong></header>
                        <ul>{unplaced.into_iter().map(|i| view! { <li>{checkbox(i.id, i.name)}</li> }).collect_view()}</ul>
                    </article>
                }.into_any()
            }
        })}
        <Show when=move || session.can_manage()>
            <form on:submit=add id="place-add">
                <Field label=t("places-new") value=name field="name" error=error check=required placeholder=t("places-example") />
                <button type="submit">{t("places-add")}</button>
            </form>
        </Show>
    }
}
