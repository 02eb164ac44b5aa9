//! Menu engineering: each POS item's popularity and margin per unit over a period (the last 30
//! days by default), the four Kasavana–Smith classes as a matrix, and the table.

use leptos::prelude::*;
use serde::Deserialize;
use serde_json::json;

use super::charts::{Matrix, Point};
use crate::api;
use crate::format::{money, percent, qty};
use crate::i18n::t;
use crate::model::Named;
use crate::pages::{day_bound, load_error};
use crate::query::query_param;
use crate::session::use_session;

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Item {
    external_id: String,
    name: String,
    recipe: Option<Named>,
    units_sold: String,
    revenue: Option<String>,
    cost: String,
    margin: Option<String>,
    food_cost_percent: Option<String>,
    margin_per_unit: Option<String>,
    menu_class: Option<String>,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Menu {
    from: String,
    to: String,
    items: Vec<Item>,
    total_revenue: String,
    total_cost: String,
    popular_from_units: Option<String>,
    average_margin_per_unit: Option<String>,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Data {
    menu_engineering: Menu,
}

/// A class as the catalogue and the stylesheet name it.
fn class_key(class: &str) -> &'static str {
    match class {
        "STAR" => "star",
        "PLOWHORSE" => "plowhorse",
        "PUZZLE" => "puzzle",
        _ => "dog",
    }
}

/// Milliseconds since the epoch as an RFC 3339 instant.
fn instant(millis: f64) -> String {
    js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(millis))
        .to_iso_string()
        .as_string()
        .unwrap_or_default()
}

#[component]
pub fn MenuEngineering() -> impl IntoView {
    let session = use_session();
    let (from, set_from) = query_param("from");
    let (to, set_to) = query_param("to");
    // Without dates: the 30 days up to now (instants, not business days).
    let period = move || {
        let now = js_sys::Date::now();
        let f = day_bound(&from.get(), false)
            .as_str()
            .map(String::from)
            .unwrap_or_else(|| instant(now - 30.0 * 86_400_000.0));
        let t = day_bound(&to.get(), true)
            .as_str()
            .map(String::from)
            .unwrap_or_else(|| instant(now));
        (f, t)
    };
    let data = LocalResource::new(move || {
        let (f, t) = period();
        let company = session.company_id();
        async move {
            api::gql::<Data>(
                "query($c: ID!, $f: DateTime!, $t: DateTime!) { menuEngineering(companyId: $c, from: $f, to: $t) { from to totalRevenue totalCost popularFromUnits averageMarginPerUnit items { externalId name recipe { id name } unitsSold revenue cost margin foodCostPercent marginPerUnit menuClass } } }",
                json!({"c": company, "f": f, "t": t}),
            )
            .await
        }
    });
    let download = move |_| {
        let (f, t) = period();
        let href = format!(
            "/api/reports/menu-engineering.csv?companyId={}&from={f}&to={t}",
            session.company_id()
        );
        leptos::task::spawn_local(async move {
            let _ = api::download(&href, "menu-engineering.csv").await;
        });
    };
    view! {
        <div class="toolbar report-filters">
            <label>{t("food-from")}<input type="date" prop:value=move || from.get() on:change:target=move |ev| set_from(ev.target().value()) /></label>
            <label>{t("food-to")}<input type="date" prop:value=move || to.get() on:change:target=move |ev| set_to(ev.target().value()) /></label>
            <button class="secondary outline" on:click=download>{t("ledger-export-csv")}</button>
        </div>
        {move || data.get().map(|r| match r {
            Ok(d) => view! { <MenuView menu=d.menu_engineering /> }.into_any(),
            Err(e) => load_error(e),
        })}
    }
}

#[component]
fn MenuView(menu: Menu) -> impl IntoView {
    let points: Vec<Point> = menu
        .items
        .iter()
        .filter_map(|i| {
            Some(Point {
                label: i.name.clone(),
                units: i.units_sold.clone(),
                margin_per_unit: i.margin_per_unit.clone()?,
                class: class_key(i.menu_class.as_deref()?),
            })
        })
        .collect();
    let labels = [
        t("menu-class-star"),
        t("menu-class-plowhorse"),
        t("menu-class-puzzle"),
        t("menu-class-dog"),
    ];
    view! {
        <p class="muted">{format!("{} – {}", crate::format::when(&menu.from), crate::format::when(&menu.to))}</p>
        <div class="cards">
            <article><small class="muted">{t("food-revenue-net")}</small><div class="figure money">{money(&menu.total_revenue)}</div></article>
            <article><small class="muted">{t("food-cost-of-sales")}</small><div class="figure money">{money(&menu.total_cost)}</div></article>
        </div>
        {if points.is_empty() {
            view! { <p class="muted">{t("food-no-sales")}</p> }.into_any()
        } else {
            view! { <Matrix points=points popular_from=menu.popular_from_units.clone() average_margin=menu.average_margin_per_unit.clone() labels=labels title=t("food-menu-matrix") /> }.into_any()
        }}
        <div class="table-scroll" tabindex="0">
            <table id="menu-engineering">
                <thead><tr>
                    <th>{t("food-item")}</th><th>{t("field-recipe")}</th><th class="num">{t("food-units-sold")}</th><th class="num">{t("food-revenue-net")}</th>
                    <th class="num">{t("food-cost-of-sales")}</th><th class="num">{t("food-margin")}</th><th class="num">{t("recipes-food-cost")}</th>
                    <th class="num">{t("food-margin-per-unit")}</th><th>{t("food-class")}</th>
                </tr></thead>
                <tbody>
                    {menu.items.into_iter().map(|i| view! {
                        <tr>
                            <td title=i.external_id.clone()>{i.name}</td>
                            <td>{i.recipe.map(|r| r.name).unwrap_or_default()}</td>
                            <td class="num">{qty(&i.units_sold)}</td>
                            <td class="num money">{i.revenue.as_deref().map(money).unwrap_or_default()}</td>
                            <td class="num money">{money(&i.cost)}</td>
                            <td class="num money">{i.margin.as_deref().map(money).unwrap_or_default()}</td>
                            <td class="num">{i.food_cost_percent.as_deref().map(percent).unwrap_or_default()}</td>
                            <td class="num money">{i.margin_per_unit.as_deref().map(money).unwrap_or_default()}</td>
                            <td>{i.menu_class.as_deref().map(|c| {
                                let key = class_key(c);
                                view! { <span class=format!("badge class-{key}")>{t(&format!("menu-class-{key}"))}</span> }
                            })}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
