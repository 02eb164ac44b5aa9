//! Purchasing: what to order from whom and why (the server's reorder suggestions, grouped by
//! vendor, packs editable, drafts in one click, sent in another), stock policies in bulk per
//! storage unit, and how long stock lasts.

mod outlook;
mod policies;
mod suggestions;

use leptos::prelude::*;
use leptos_router::components::A;

use super::PageHead;
use crate::i18n::t;
use crate::query::query_param;

pub use outlook::{RunningOut, Sparkline, days_left, use_outlook};
pub use policies::IngredientPurchasing;

/// Suggestions by default; `?view=policies` for the bulk policy form.
#[component]
pub fn Purchasing() -> impl IntoView {
    let (view_of, _) = query_param("view");
    let tab = move |key: &'static str, label: String| {
        let current = move || {
            if view_of.get() == key || (key == "suggestions" && view_of.get().is_empty()) {
                "page"
            } else {
                "false"
            }
        };
        view! { <A href=format!("/purchasing?view={key}") attr:aria-current=current>{label}</A> }
    };
    view! {
        <PageHead title=t("nav-purchasing")><span></span></PageHead>
        <nav class="tabs" aria-label=t("nav-purchasing")>
            {tab("suggestions", t("purchasing-suggestions"))}
            {tab("policies", t("purchasing-policies"))}
        </nav>
        {move || match view_of.get().as_str() {
            "policies" => view! { <policies::BulkPolicies /> }.into_any(),
            _ => view! { <suggestions::Suggestions /> }.into_any(),
        }}
    }
}
