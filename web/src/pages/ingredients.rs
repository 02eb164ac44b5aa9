//! Ingredients: list with search and filters in the URL, create with packaging levels, edit.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{PageHead, load_error};
use crate::api::{self, ApiError};
use crate::forms::{Field, FormError, RecordForm, Select, ServerError, decimal, required, send};
use crate::i18n::{n, t, t_with};
use crate::model::{Connection, Ingredient};
use crate::query::query_param;
use crate::session::use_session;

const FIELDS: &str = "id name baseUnit category active archived packagingLevels { name factor }";

pub fn base_units() -> Vec<(String, String)> {
    [
        ("KG", "kilogram (KG)"),
        ("L", "litre (L)"),
        ("PCS", "pieces (PCS)"),
    ]
    .into_iter()
    .map(|(v, l)| (v.to_string(), l.to_string()))
    .collect()
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListData {
    ingredient_connection: Connection<Ingredient>,
}

/// Rows a page of the list holds.
const PAGE: i32 = 50;

#[component]
pub fn Ingredients() -> impl IntoView {
    let session = use_session();
    let (search, set_search) = query_param("q");
    let (category, set_category) = query_param("category");
    let (status, set_status) = query_param("status");
    // The page: the cursor after which it starts, in the URL like the filters.
    let (after, set_after) = query_param("after");
    let list = LocalResource::new(move || {
        let (company, search, category, status, after) = (
            session.company_id(),
            search.get(),
            category.get(),
            status.get(),
            after.get(),
        );
        let active = match status.as_str() {
            "active" => json!(true),
            "inactive" => json!(false),
            _ => Value::Null,
        };
        async move {
            api::gql::<ListData>(
                &format!("query($c: ID!, $q: String, $cat: String, $a: Boolean, $after: String, $n: Int) {{ ingredientConnection(companyId: $c, search: $q, category: $cat, active: $a, after: $after, first: $n) {{ totalCount pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {FIELDS} }} }} }} }}"),
                json!({"c": company, "q": search, "cat": if category.is_empty() { Value::Null } else { json!(category) }, "a": active, "after": if after.is_empty() { Value::Null } else { json!(after) }, "n": PAGE}),
            )
            .await
        }
    });
    let set_category_c = set_category.clone();
    let (first_page, next_page) = (set_after.clone(), set_after.clone());
    let (reset_search, reset_status) = (set_after.clone(), set_after.clone());
    view! {
        <PageHead title=t("nav-ingredients")>
            <input type="search" placeholder=t("ingredients-search-ingredients") aria-label=t("ingredients-search")
                prop:value=move || search.get()
                on:input:target=move |ev| { reset_search(String::new()); set_search(ev.target().value()) } />
            <input type="text" placeholder=t("ingredients-category") aria-label=t("ingredients-category")
                prop:value=move || category.get()
                on:change:target=move |ev| set_category_c(ev.target().value()) />
            <select aria-label=t("field-status") on:change:target=move |ev| { reset_status(String::new()); set_status(ev.target().value()) }>
                <option value="" selected=move || status.get().is_empty()>{t("ingredients-all")}</option>
                <option value="active" selected=move || status.get() == "active">{t("ingredients-active")}</option>
                <option value="inactive" selected=move || status.get() == "inactive">{t("ingredients-inactive")}</option>
            </select>
        </PageHead>
        <Show when=move || session.can_manage()>
            <NewIngredient on_created=move || list.refetch() />
        </Show>
        <Suspense fallback=|| view! { <p aria-busy="true">{crate::i18n::t("loading")}</p> }>
            {move || list.get().map(|r| match r {
                Ok(data) if data.ingredient_connection.edges.is_empty() => view! { <p class="muted">{t("ingredients-no-ingredients-match")}</p> }.into_any(),
                Ok(data) => {
                    let page = data.ingredient_connection;
                    let next = page.next_cursor();
                    let (first_page, next_page) = (first_page.clone(), next_page.clone());
                    view! {
                    <div class="overflow-auto">
                        <table id="ingredients">
                            <thead><tr><th>{t("ingredients-name")}</th><th>{t("ingredients-category")}</th><th>{t("ingredients-base-unit")}</th><th>{t("ingredients-packaging")}</th><th>{t("field-status")}</th></tr></thead>
                            <tbody>
                                {page.edges.into_iter().map(|e| e.node).map(|i| {
                                    let packaging = packaging_text(&i);
                                    view! {
                                    <tr>
                                        <td><A href=format!("/ingredients/{}", i.id)>{i.name.clone()}</A></td>
                                        <td>{i.category.clone().unwrap_or_default()}</td>
                                        <td>{i.base_unit.clone()}</td>
                                        <td class="muted">{packaging}</td>
                                        <td>{if i.active { view! { <span class="badge">{t("ingredients-active-2")}</span> }.into_any() } else { view! { <span class="badge off">{t("ingredients-inactive-2")}</span> }.into_any() }}</td>
                                    </tr>
                                }}).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <p class="muted">{t_with("ingredients-count", &[("count", n(page.total_count as f64))])}</p>
                    <div class="button-row">
                        {(!after.get_untracked().is_empty()).then(|| view! {
                            <button class="secondary outline" on:click=move |_| first_page(String::new())>{t("list-first-page")}</button>
                        })}
                        {next.map(|cursor| view! {
                            <button class="secondary outline" on:click=move |_| next_page(cursor.clone())>{t("list-next-page")}</button>
                        })}
                    </div>
                    }.into_any()
                }
                Err(e) => load_error(e),
            })}
        </Suspense>
    }
}

fn packaging_text(i: &Ingredient) -> String {
    i.packaging_levels
        .iter()
        .map(|l| format!("1 {} = {} {}", l.name, l.factor, i.base_unit))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One editable packaging level row.
#[derive(Clone, Copy)]
pub struct LevelRow {
    key: usize,
    name: RwSignal<String>,
    factor: RwSignal<String>,
}

fn level_rows(levels: &[crate::model::PackagingLevel]) -> Vec<LevelRow> {
    levels
        .iter()
        .enumerate()
        .map(|(key, l)| LevelRow {
            key,
            name: RwSignal::new(l.name.clone()),
            factor: RwSignal::new(l.factor.clone()),
        })
        .collect()
}

fn levels_json(rows: &[LevelRow]) -> Value {
    json!(rows
        .iter()
        .filter(|r| !r.name.get_untracked().trim().is_empty())
        .map(|r| json!({"name": r.name.get_untracked(), "factor": decimal(&r.factor.get_untracked())}))
        .collect::<Vec<_>>())
}

#[component]
fn PackagingEditor(
    rows: RwSignal<Vec<LevelRow>>,
    base_unit: RwSignal<String>,
    error: ServerError,
) -> impl IntoView {
    let add = move |_| {
        rows.update(|r| {
            let key = r.iter().map(|l| l.key + 1).max().unwrap_or(0);
            r.push(LevelRow {
                key,
                name: RwSignal::new(String::new()),
                factor: RwSignal::new(String::new()),
            });
        })
    };
    view! {
        <fieldset>
            <legend>{t("ingredients-packaging-levels-quantities-in")} {move || base_unit.get()} ")"</legend>
            <For each=move || rows.get().into_iter().enumerate() key=|(_, r)| r.key let:item>
                {
                    let (index, row) = item;
                    view! {
                        <div class="grid">
                            <Field label=t("ingredients-level-box-case") value=row.name field=format!("packagingLevels[{index}].name") error=error />
                            <Field label=t("ingredients-base-units-in-one") value=row.factor field=format!("packagingLevels[{index}].factor") error=error decimal=true />
                            <div class="row-actions">
                                <button type="button" class="secondary outline" on:click=move |_| rows.update(|r| r.retain(|l| l.key != row.key))>{t("ingredients-remove")}</button>
                            </div>
                        </div>
                    }
                }
            </For>
            <button type="button" class="secondary outline" on:click=add>{t("ingredients-add-packaging-level")}</button>
        </fieldset>
    }
}

#[component]
fn NewIngredient(on_created: impl Fn() + Copy + 'static) -> impl IntoView {
    let session = use_session();
    let name = RwSignal::new(String::new());
    let base_unit = RwSignal::new("KG".to_string());
    let category = RwSignal::new(String::new());
    let rows = RwSignal::new(Vec::<LevelRow>::new());
    let error = RwSignal::new(None::<ApiError>);
    let submit = move || {
        send(
            error,
            "mutation($c: ID!, $n: String!, $u: BaseUnit!, $cat: String, $p: [PackagingLevelInput!]!) { createIngredient(companyId: $c, name: $n, baseUnit: $u, category: $cat, packagingLevels: $p) { id } }",
            json!({"c": session.company_id(), "n": name.get_untracked(), "u": base_unit.get_untracked(), "cat": category.get_untracked(), "p": levels_json(&rows.get_untracked())}),
            move || {
                name.set(String::new());
                rows.set(vec![]);
                on_created();
            },
        )
    };
    view! {
        <RecordForm noun="ingredient" on_submit=submit error=error id="new-ingredient">
            <div class="grid">
                <Field label=t("ingredients-name") value=name field="name" error=error check=required placeholder=t("ingredients-san-marzano-tomatoes") />
                <Select label=t("ingredients-base-unit") value=base_unit options=Signal::derive(base_units) field="baseUnit" error=error />
                <Field label=t("ingredients-category") value=category field="category" error=error placeholder=t("ingredients-produce") />
            </div>
            <PackagingEditor rows=rows base_unit=base_unit error=error />
        </RecordForm>
    }
}

#[derive(Clone, Deserialize)]
struct OneData {
    ingredient: Ingredient,
}

#[component]
pub fn IngredientDetail() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.get().get("id").unwrap_or_default());
    let loaded = LocalResource::new(move || {
        let id = id.get();
        async move {
            api::gql::<OneData>(
                &format!("query($id: ID!) {{ ingredient(id: $id) {{ {FIELDS} }} }}"),
                json!({"id": id}),
            )
            .await
        }
    });
    view! {
        <Suspense fallback=|| view! { <p aria-busy="true">{crate::i18n::t("loading")}</p> }>
            {move || loaded.get().map(|r| match r {
                Ok(data) => {
                    let id = data.ingredient.id.clone();
                    view! {
                        <IngredientForm ingredient=data.ingredient />
                        <crate::pages::purchasing::IngredientPurchasing ingredient_id=id />
                    }
                    .into_any()
                }
                Err(e) => load_error(e),
            })}
        </Suspense>
    }
}

#[component]
fn IngredientForm(ingredient: Ingredient) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let id = ingredient.id.clone();
    let name = RwSignal::new(ingredient.name.clone());
    let base_unit = RwSignal::new(ingredient.base_unit.clone());
    let category = RwSignal::new(ingredient.category.clone().unwrap_or_default());
    let active = RwSignal::new(ingredient.active);
    let rows = RwSignal::new(level_rows(&ingredient.packaging_levels));
    let error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    let save_id = id.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = save_id.clone();
        leptos::task::spawn_local(async move {
            let cat = category.get_untracked();
            let input = json!({
                "name": name.get_untracked(), "baseUnit": base_unit.get_untracked(),
                "category": if cat.trim().is_empty() { Value::Null } else { json!(cat) },
                "active": active.get_untracked(), "packagingLevels": levels_json(&rows.get_untracked()),
            });
            match api::gql::<Value>("mutation($id: ID!, $in: IngredientPatchInput!) { updateIngredient(id: $id, input: $in) { id } }", json!({"id": id, "in": input})).await {
                Ok(_) => saved.set(true),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let archive = move |_| {
        let id = id.clone();
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match api::gql::<Value>(
                "mutation($id: ID!) { archiveIngredient(id: $id) { id } }",
                json!({"id": id}),
            )
            .await
            {
                Ok(_) => navigate("/ingredients", Default::default()),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <PageHead title=t("field-ingredient")>
            <A href="/ingredients">{t("ingredients-all-ingredients")}</A>
        </PageHead>
        <form on:submit=save on:input=move |_| saved.set(false)>
            <fieldset disabled=move || !session.can_manage()>
                <div class="grid">
                    <Field label=t("ingredients-name") value=name field="name" error=error check=required />
                    <Select label=t("ingredients-base-unit") value=base_unit options=Signal::derive(base_units) field="baseUnit" error=error />
                    <Field label=t("ingredients-category") value=category field="category" error=error />
                </div>
                <label>
                    <input type="checkbox" role="switch" prop:checked=move || active.get() on:change:target=move |ev| active.set(ev.target().checked()) />
                    "Active (inactive ingredients stay in history but leave pickers)"
                </label>
                <PackagingEditor rows=rows base_unit=base_unit error=error />
                <FormError error=error />
                <div class="grid">
                    <button type="submit">{t("profile-save")}</button>
                    <button type="button" class="secondary outline" on:click=archive>{t("ingredients-archive")}</button>
                </div>
                {move || saved.get().then(|| view! { <p role="status">{t("ingredients-saved")}</p> })}
            </fieldset>
        </form>
    }
}
