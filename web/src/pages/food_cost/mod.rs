//! Food cost: where the money goes — actual vs theoretical usage between counts, the menu
//! matrix, and price changes. Every figure is the server's; the page formats and draws.

mod charts;
mod menu;
mod prices;
mod variance;

use leptos::prelude::*;
use leptos_router::components::A;

use super::PageHead;
use crate::i18n::t;
use crate::query::query_param;

pub use prices::LatestPriceChanges;

/// The three reports, one at a time (`?view=menu`, `?view=prices`; AvT by default).
#[component]
pub fn FoodCost() -> impl IntoView {
    let (view_of, _) = query_param("view");
    let tab = move |key: &'static str, label: String| {
        let current = move || {
            if view_of.get() == key || (key == "variance" && view_of.get().is_empty()) {
                "page"
            } else {
                "false"
            }
        };
        view! { <A href=format!("/food-cost?view={key}") attr:aria-current=current>{label}</A> }
    };
    view! {
        <PageHead title=t("nav-food-cost")><span></span></PageHead>
        <nav class="tabs" aria-label=t("nav-food-cost")>
            {tab("variance", t("food-variance"))}
            {tab("menu", t("food-menu"))}
            {tab("prices", t("food-prices"))}
        </nav>
        {move || match view_of.get().as_str() {
            "menu" => view! { <menu::MenuEngineering /> }.into_any(),
            "prices" => view! { <prices::PriceChanges /> }.into_any(),
            _ => view! { <variance::Variance /> }.into_any(),
        }}
    }
}
