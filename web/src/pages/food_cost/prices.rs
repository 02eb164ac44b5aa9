//! Price changes: receipts whose unit cost moved at least the company's alert percentage, what
//! each did to the recipes' cost per portion; the dashboard shows the latest few.

use leptos::prelude::*;
use serde::Deserialize;
use serde_json::json;

use crate::api;
use crate::format::{money, percent};
use crate::i18n::t;
use crate::model::Named;
use crate::pages::load_error;
use crate::session::use_session;

#[derive(Clone, Deserialize)]
struct RecipeMove {
    recipe: Named,
    before: String,
    after: String,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Change {
    ingredient: Named,
    vendor: Option<Named>,
    product: Option<Named>,
    previous_unit_cost: String,
    unit_cost: String,
    change_percent: String,
    occurred_at: String,
    recipes: Vec<RecipeMove>,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Data {
    price_changes: Vec<Change>,
}

const QUERY: &str = "query($c: ID!) { priceChanges(companyId: $c) { ingredient { id name } vendor { id name } product { id name } previousUnitCost unitCost changePercent occurredAt recipes { recipe { id name } before after } } }";

fn load() -> LocalResource<Result<Data, api::ApiError>> {
    let session = use_session();
    LocalResource::new(move || {
        let company = session.company_id();
        async move { api::gql::<Data>(QUERY, json!({"c": company})).await }
    })
}

/// "+20 %" or "−8.3 %".
fn signed(p: &str) -> String {
    if p.starts_with('-') {
        percent(p)
    } else {
        format!("+{}", percent(p))
    }
}

#[component]
pub fn PriceChanges() -> impl IntoView {
    let data = load();
    let session = use_session();
    let download = move |_| {
        let href = format!(
            "/api/reports/price-changes.csv?companyId={}",
            session.company_id()
        );
        leptos::task::spawn_local(async move {
            let _ = api::download(&href, "price-changes.csv").await;
        });
    };
    view! {
        <div class="toolbar report-filters">
            <span class="muted">{t("food-prices-last-30-days")}</span>
            <button class="secondary outline" on:click=download>{t("ledger-export-csv")}</button>
        </div>
        {move || data.get().map(|r| match r {
            Ok(d) if d.price_changes.is_empty() => view! { <p class="muted">{t("food-no-price-changes")}</p> }.into_any(),
            Ok(d) => view! {
                <div class="table-scroll" tabindex="0">
                    <table id="price-changes">
                        <thead><tr><th>{t("field-date")}</th><th>{t("field-ingredient")}</th><th>{t("field-vendor")}</th><th class="num">{t("food-before")}</th><th class="num">{t("food-after")}</th><th class="num">{t("food-change")}</th><th>{t("food-recipes-per-portion")}</th></tr></thead>
                        <tbody>
                            {d.price_changes.into_iter().map(|c| view! {
                                <tr>
                                    <td class="date">{crate::format::day(&c.occurred_at)}</td>
                                    <td>{c.ingredient.name}</td>
                                    <td>{[c.vendor.map(|v| v.name), c.product.map(|p| p.name)].into_iter().flatten().collect::<Vec<_>>().join(" · ")}</td>
                                    <td class="num money">{money(&c.previous_unit_cost)}</td>
                                    <td class="num money">{money(&c.unit_cost)}</td>
                                    <td class="num" class:negative=!c.change_percent.starts_with('-')>{signed(&c.change_percent)}</td>
                                    <td>{c.recipes.into_iter().map(|r| format!("{}: {} → {}", r.recipe.name, money(&r.before), money(&r.after))).collect::<Vec<_>>().join("; ")}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any(),
            Err(e) => load_error(e),
        })}
    }
}

/// The dashboard's card: the five latest price changes.
#[component]
pub fn LatestPriceChanges() -> impl IntoView {
    let data = load();
    view! {
        <article id="latest-price-changes">
            <header><strong>{t("food-prices")}</strong></header>
            {move || data.get().map(|r| match r {
                Ok(d) if d.price_changes.is_empty() => view! { <p class="muted">{t("food-no-price-changes")}</p> }.into_any(),
                Ok(d) => view! {
                    <ul class="plain">
                        {d.price_changes.into_iter().take(5).map(|c| view! {
                            <li>
                                <strong>{c.ingredient.name}</strong>" "
                                <span class="money">{money(&c.previous_unit_cost)}" → "{money(&c.unit_cost)}</span>" "
                                <span class:negative=!c.change_percent.starts_with('-')>{format!("({})", signed(&c.change_percent))}</span>
                                <small class="muted">" · "{crate::format::day(&c.occurred_at)}</small>
                            </li>
                        }).collect_view()}
                    </ul>
                    <leptos_router::components::A href="/food-cost?view=prices">{t("food-all-price-changes")}</leptos_router::components::A>
                }.into_any(),
                Err(e) => load_error(e),
            })}
        </article>
    }
}
