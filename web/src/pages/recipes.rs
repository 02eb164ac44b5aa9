//! Recipes: list, and an editor with a line editor (ingredients or sub-recipes, quantity, unit,
//! trim, issue storage unit) and the expansion into base-unit quantities per portion.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{PageHead, load_error};
use crate::api::{self, ApiError};
use crate::format::{money, percent, qty};
use crate::forms::{Field, FormError, Select, ServerError, decimal, positive_number, required};
use crate::i18n::{s, t, t_with};
use crate::model::{Named, Recipe, RecipeCost, RecipeSummary};
use crate::query::query_param;
use crate::session::use_session;

#[derive(Clone, Deserialize)]
struct ListData {
    recipes: Vec<RecipeSummary>,
}

#[component]
pub fn Recipes() -> impl IntoView {
    let session = use_session();
    let (search, set_search) = query_param("q");
    let list = LocalResource::new(move || {
        let (company, search) = (session.company_id(), search.get());
        async move {
            api::gql::<ListData>(
                "query($c: ID!, $q: String) { recipes(companyId: $c, search: $q) { id name yieldQuantity active lines { id } cost { perPortion complete } menuPrice foodCostPercent } }",
                json!({"c": company, "q": search}),
            )
            .await
        }
    });
    view! {
        <PageHead title=t("nav-recipes")>
            <input type="search" placeholder=t("recipes-search-recipes") aria-label=t("ingredients-search")
                prop:value=move || search.get()
                on:input:target=move |ev| set_search(ev.target().value()) />
            <Show when=move || session.can_manage()>
                <A href="/recipes/new" attr:role="button">{t("recipes-new-recipe")}</A>
            </Show>
        </PageHead>
        <Suspense fallback=|| view! { <p aria-busy="true">{crate::i18n::t("loading")}</p> }>
            {move || list.get().map(|r| match r {
                Ok(data) if data.recipes.is_empty() => view! { <p class="muted">{t("recipes-no-recipes-match")}</p> }.into_any(),
                Ok(data) => view! {
                    <div class="table-scroll" tabindex="0">
                    <table id="recipes">
                        <thead><tr><th>{t("ingredients-name")}</th><th class="num">{t("recipes-cost-per-portion")}</th><th class="num">{t("recipes-menu-price")}</th><th class="num">{t("recipes-food-cost")}</th><th class="num">{t("field-lines")}</th><th>{t("field-status")}</th></tr></thead>
                        <tbody>
                            {data.recipes.into_iter().map(|r| view! {
                                <tr>
                                    <td><A href=format!("/recipes/{}", r.id)>{r.name}</A></td>
                                    <td class="num money">{money(&r.cost.per_portion)}{(!r.cost.complete).then(|| view! { <span class="badge off" title=t("recipes-cost-incomplete")>"?"</span> })}</td>
                                    <td class="num money">{r.menu_price.as_deref().map(money).unwrap_or_default()}</td>
                                    <td class="num">{r.food_cost_percent.as_deref().map(percent).unwrap_or_default()}</td>
                                    <td class="num">{r.lines.len()}</td>
                                    <td>{if r.active { t("recipes-active") } else { t("recipes-inactive") }}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                }.into_any(),
                Err(e) => load_error(e),
            })}
        </Suspense>
    }
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Choices {
    ingredients: Vec<IngredientChoice>,
    recipes: Vec<Named>,
    storage_units: Vec<Named>,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct IngredientChoice {
    id: String,
    name: String,
    base_unit: String,
}

#[derive(Clone, Deserialize)]
struct OneData {
    recipe: Recipe,
}

const RECIPE_FIELDS: &str = "id name yieldQuantity active menuPrice foodCostPercent defaultIssueStorageUnit { id name } lines { ingredient { id name } subRecipe { id name } quantity unit trimPercent issueStorageUnit { id name } } expanded { quantity ingredient { name baseUnit } storageUnit { id name } } cost { perPortion complete lines { ingredient { id name baseUnit } quantity unitCost cost } }";

#[component]
pub fn RecipeEditor() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.get().get("id").unwrap_or_default());
    let choices = LocalResource::new(move || {
        let company = session.company_id();
        async move {
            api::gql::<Choices>(
                "query($c: ID!) { ingredients(companyId: $c) { id name baseUnit } recipes(companyId: $c) { id name } storageUnits(companyId: $c) { id name } }",
                json!({"c": company}),
            )
            .await
        }
    });
    let recipe = LocalResource::new(move || {
        let id = id.get();
        async move {
            if id == "new" {
                return Ok(None);
            }
            api::gql::<OneData>(
                &format!("query($id: ID!) {{ recipe(id: $id) {{ {RECIPE_FIELDS} }} }}"),
                json!({"id": id}),
            )
            .await
            .map(|d| Some(d.recipe))
        }
    });
    view! {
        <PageHead title=t("recipes-recipe")>
            <A href="/recipes">{t("recipes-all-recipes")}</A>
        </PageHead>
        <Suspense fallback=|| view! { <p aria-busy="true">{crate::i18n::t("loading")}</p> }>
            {move || match (choices.get(), recipe.get()) {
                (Some(Ok(choices)), Some(Ok(recipe))) => view! { <RecipeForm recipe=recipe choices=choices /> }.into_any(),
                (Some(Err(e)), _) | (_, Some(Err(e))) => load_error(e),
                _ => view! { <p aria-busy="true">{crate::i18n::t("loading")}</p> }.into_any(),
            }}
        </Suspense>
    }
}

/// What a recipe line uses: an ingredient, or another recipe (a sub-recipe).
#[derive(Clone, Copy, PartialEq, Eq)]
enum LineKind {
    Ingredient,
    SubRecipe,
}

/// One editable recipe line.
#[derive(Clone, Copy)]
struct LineRow {
    key: usize,
    kind: LineKind,
    item: RwSignal<String>,
    quantity: RwSignal<String>,
    unit: RwSignal<String>,
    trim: RwSignal<String>,
    storage: RwSignal<String>,
}

impl LineRow {
    fn new(key: usize, kind: LineKind) -> Self {
        Self {
            key,
            kind,
            item: RwSignal::new(String::new()),
            quantity: RwSignal::new(String::new()),
            unit: RwSignal::new(if kind == LineKind::SubRecipe {
                "PCS".into()
            } else {
                "G".into()
            }),
            trim: RwSignal::new("0".into()),
            storage: RwSignal::new(String::new()),
        }
    }

    fn to_json(self) -> Value {
        let item = self.item.get_untracked();
        let storage = self.storage.get_untracked();
        let is_recipe = self.kind == LineKind::SubRecipe;
        json!({
            "ingredientId": if is_recipe || item.is_empty() { Value::Null } else { json!(item) },
            "subRecipeId": if is_recipe && !item.is_empty() { json!(item) } else { Value::Null },
            "quantity": decimal(&self.quantity.get_untracked()),
            "unit": if is_recipe { "PCS".to_string() } else { self.unit.get_untracked() },
            "trimPercent": decimal(&self.trim.get_untracked()),
            "issueStorageUnitId": if storage.is_empty() { Value::Null } else { json!(storage) },
        })
    }
}

fn units() -> Vec<(String, String)> {
    ["G", "KG", "ML", "CL", "L", "PCS"]
        .into_iter()
        .map(|u| (u.to_string(), u.to_string()))
        .collect()
}

fn pairs(items: &[Named]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|n| (n.id.clone(), n.name.clone()))
        .collect()
}

#[component]
fn RecipeForm(recipe: Option<Recipe>, choices: Choices) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let existing_id = recipe.as_ref().map(|r| r.id.clone());
    let name = RwSignal::new(recipe.as_ref().map(|r| r.name.clone()).unwrap_or_default());
    let yield_quantity = RwSignal::new(
        recipe
            .as_ref()
            .map(|r| r.yield_quantity.clone())
            .unwrap_or_else(|| "1".into()),
    );
    let default_storage = RwSignal::new(
        recipe
            .as_ref()
            .and_then(|r| r.default_issue_storage_unit.as_ref().map(|s| s.id.clone()))
            .unwrap_or_default(),
    );
    let active = RwSignal::new(recipe.as_ref().is_none_or(|r| r.active));
    let menu_price = RwSignal::new(
        recipe
            .as_ref()
            .and_then(|r| r.menu_price.as_deref().map(crate::format::typed_number))
            .unwrap_or_default(),
    );
    let costing = recipe
        .as_ref()
        .map(|r| (r.cost.clone(), r.food_cost_percent.clone()));
    let rows = RwSignal::new(
        recipe
            .as_ref()
            .map(|r| {
                r.lines
                    .iter()
                    .enumerate()
                    .map(|(key, l)| {
                        let row = LineRow::new(
                            key,
                            if l.sub_recipe.is_some() {
                                LineKind::SubRecipe
                            } else {
                                LineKind::Ingredient
                            },
                        );
                        row.item.set(
                            l.ingredient
                                .as_ref()
                                .or(l.sub_recipe.as_ref())
                                .map(|n| n.id.clone())
                                .unwrap_or_default(),
                        );
                        row.quantity.set(l.quantity.clone());
                        row.unit.set(l.unit.clone());
                        row.trim.set(l.trim_percent.clone());
                        row.storage.set(
                            l.issue_storage_unit
                                .as_ref()
                                .map(|s| s.id.clone())
                                .unwrap_or_default(),
                        );
                        row
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default(),
    );
    let expanded = recipe
        .as_ref()
        .map(|r| r.expanded.clone())
        .unwrap_or_default();
    let error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    let ingredient_options: Vec<(String, String)> = choices
        .ingredients
        .iter()
        .map(|i| (i.id.clone(), format!("{} ({})", i.name, i.base_unit)))
        .collect();
    let own_id = existing_id.clone().unwrap_or_default();
    let recipe_options: Vec<(String, String)> = pairs(&choices.recipes)
        .into_iter()
        .filter(|(id, _)| *id != own_id)
        .collect();
    let storage_options = pairs(&choices.storage_units);
    let add = move |kind: LineKind| {
        rows.update(|r| {
            let key = r.iter().map(|l| l.key + 1).max().unwrap_or(0);
            r.push(LineRow::new(key, kind));
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let existing_id = existing_id.clone();
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let lines: Vec<Value> = rows
                .get_untracked()
                .into_iter()
                .map(LineRow::to_json)
                .collect();
            let storage = default_storage.get_untracked();
            let storage = if storage.is_empty() {
                Value::Null
            } else {
                json!(storage)
            };
            let price = menu_price.get_untracked();
            let price = if price.trim().is_empty() {
                Value::Null
            } else {
                json!(decimal(&price))
            };
            let result = match existing_id {
                None => api::gql::<Value>(
                    "mutation($c: ID!, $n: String!, $y: Decimal!, $l: [RecipeLineInput!]!, $a: Boolean!, $s: ID, $p: Decimal) { createRecipe(companyId: $c, name: $n, yieldQuantity: $y, lines: $l, active: $a, defaultIssueStorageUnitId: $s, menuPrice: $p) { id } }",
                    json!({"c": session.company_id(), "n": name.get_untracked(), "y": decimal(&yield_quantity.get_untracked()), "l": lines, "a": active.get_untracked(), "s": storage, "p": price}),
                )
                .await
                .map(|d| d["createRecipe"]["id"].as_str().unwrap_or_default().to_string()),
                Some(id) => api::gql::<Value>(
                    "mutation($id: ID!, $in: RecipePatchInput!) { updateRecipe(id: $id, input: $in) { id } }",
                    json!({"id": id, "in": {"name": name.get_untracked(), "yieldQuantity": decimal(&yield_quantity.get_untracked()), "lines": lines, "active": active.get_untracked(), "defaultIssueStorageUnitId": storage, "menuPrice": price}}),
                )
                .await
                .map(|_| id),
            };
            match result {
                Ok(id) => {
                    saved.set(true);
                    // Reload so the expansion reflects the saved lines.
                    navigate(
                        &format!("/recipes/{id}?saved={}", js_sys::Date::now()),
                        Default::default(),
                    );
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form on:submit=submit>
            <fieldset disabled=move || !session.can_manage()>
                <div class="grid">
                    <Field label=t("ingredients-name") value=name field="name" error=error check=required />
                    <Field label=t("recipes-yield-portions-per-batch") value=yield_quantity field="yieldQuantity" error=error check=positive_number decimal=true />
                    <Select label=t("recipes-default-issue-storage-unit") value=default_storage options=storage_options.clone() field="defaultIssueStorageUnitId" error=error empty=t("recipes-the-pos-location-s") />
                    <Field label=t("recipes-menu-price-gross") value=menu_price field="menuPrice" error=error decimal=true />
                </div>
                <label>
                    <input type="checkbox" role="switch" prop:checked=move || active.get() on:change:target=move |ev| active.set(ev.target().checked()) />
                    "Active"
                </label>
                <h3>{t("recipes-lines-per-portion")}</h3>
                <div class="overflow-auto">
                    <table class="line-editor">
                        <thead><tr><th>{t("recipes-ingredient-or-sub-recipe")}</th><th>{t("field-quantity")}</th><th>{t("recipes-unit")}</th><th>{t("recipes-trim")}</th><th>{t("recipes-issue-from")}</th><th></th></tr></thead>
                        <tbody>
                            <For each=move || rows.get().into_iter().enumerate() key=|(i, r)| (*i, r.key) let:item>
                                {
                                    let (index, row) = item;
                                    let options = if row.kind == LineKind::SubRecipe { recipe_options.clone() } else { ingredient_options.clone() };
                                    view! { <LineEditor index=index row=row options=options storage_options=storage_options.clone() rows=rows error=error /> }
                                }
                            </For>
                        </tbody>
                    </table>
                </div>
                <div class="grid">
                    <button type="button" class="secondary outline" on:click=move |_| add(LineKind::Ingredient)>{t("recipes-add-ingredient-line")}</button>
                    <button type="button" class="secondary outline" on:click=move |_| add(LineKind::SubRecipe)>{t("recipes-add-sub-recipe-line")}</button>
                </div>
                <FormError error=error />
                <button type="submit">{t("recipes-save-recipe")}</button>
                {move || saved.get().then(|| view! { <p role="status">{t("ingredients-saved")}</p> })}
            </fieldset>
        </form>
        {costing.map(|(cost, food_cost)| view! { <CostCard cost=cost food_cost=food_cost /> })}
        {(!expanded.is_empty()).then(|| view! {
            <article>
                <header><strong>{t("recipes-one-portion-takes")}</strong><span class="muted">{t("recipes-sub-recipes-expanded-trim-loss-added")}</span></header>
                <table id="expanded">
                    <thead><tr><th>{t("field-ingredient")}</th><th class="num">{t("field-quantity")}</th><th>{t("recipes-issued-from")}</th></tr></thead>
                    <tbody>
                        {expanded.into_iter().map(|l| {
                            let (name, unit) = l.ingredient.map(|i| (i.name, i.base_unit)).unwrap_or_default();
                            view! {
                                <tr>
                                    <td>{name}</td>
                                    <td class="num">{format!("{} {unit}", l.quantity)}</td>
                                    <td>{l.storage_unit.map(|s| s.name).unwrap_or_else(|| "POS location's storage unit".into())}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </article>
        })}
    }
}

#[component]
fn LineEditor(
    index: usize,
    row: LineRow,
    options: Vec<(String, String)>,
    storage_options: Vec<(String, String)>,
    rows: RwSignal<Vec<LineRow>>,
    error: ServerError,
) -> impl IntoView {
    let is_recipe = row.kind == LineKind::SubRecipe;
    let field = move |f: &str| format!("lines[{index}].{f}");
    let item_field = if is_recipe {
        field("subRecipeId")
    } else {
        field("ingredientId")
    };
    let move_up = move |_| {
        rows.update(|r| {
            if let Some(pos) = r.iter().position(|l| l.key == row.key).filter(|p| *p > 0) {
                r.swap(pos, pos - 1);
            }
        })
    };
    view! {
        <tr>
            <td>
                <Select label=if is_recipe { t("recipes-sub-recipe") } else { t("field-ingredient") } value=row.item options=options field=item_field error=error empty=t("choose") />
            </td>
            <td><Field label=t("field-quantity") value=row.quantity field=field("quantity") error=error check=positive_number decimal=true /></td>
            <td>
                {if is_recipe {
                    view! { <span class="muted">{t("recipes-portions")}</span> }.into_any()
                } else {
                    view! { <Select label=t("recipes-unit") value=row.unit options=units() field=field("unit") error=error /> }.into_any()
                }}
            </td>
            <td><Field label=t("recipes-trim") value=row.trim field=field("trimPercent") error=error decimal=true /></td>
            <td><Select label=t("recipes-issue-from") value=row.storage options=storage_options field=field("issueStorageUnitId") error=error empty=t("recipes-recipe-default") /></td>
            <td class="row-actions">
                <button type="button" class="secondary outline" title=t("recipes-move-up") on:click=move_up>"↑"</button>
                <button type="button" class="secondary outline" title=t("recipes-remove-line") on:click=move |_| rows.update(|r| r.retain(|l| l.key != row.key))>"✕"</button>
            </td>
        </tr>
    }
}

/// What a portion costs now, line by line (the service's figures, rounded for reading), and
/// the food cost against the menu price.
#[component]
fn CostCard(cost: RecipeCost, food_cost: Option<String>) -> impl IntoView {
    view! {
        <article id="recipe-cost">
            <header>
                <strong>{t("recipes-cost-per-portion")}": "<span class="money">{money(&cost.per_portion)}</span></strong>
                {food_cost.map(|p| view! { " · " {t_with("recipes-food-cost-of-price", &[("percent", s(percent(&p)))])} })}
            </header>
            {(!cost.complete).then(|| view! { <p class="form-error">{t("recipes-cost-incomplete")}</p> })}
            <div class="table-scroll" tabindex="0">
                <table>
                    <thead><tr><th>{t("field-ingredient")}</th><th class="num">{t("field-quantity")}</th><th class="num">{t("recipes-unit-cost")}</th><th class="num">{t("recipes-line-cost")}</th></tr></thead>
                    <tbody>
                        {cost.lines.into_iter().map(|l| view! {
                            <tr>
                                <td>{l.ingredient.name}</td>
                                <td class="num">{format!("{} {}", qty(&l.quantity), l.ingredient.base_unit)}</td>
                                <td class="num money">{l.unit_cost.as_deref().map(money).unwrap_or_else(|| t("recipes-no-cost"))}</td>
                                <td class="num money">{l.cost.as_deref().map(money).unwrap_or_default()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </article>
    }
}
