pub mod auth;
pub mod connections;
pub mod dashboard;
pub mod ingredients;
pub mod integrations;
pub mod inventory;
pub mod jobs;
pub mod ledger;
pub mod mapping;
pub mod movements;
pub mod orders;
pub mod products;
pub mod recipes;
pub mod reports;
pub mod settings;
pub mod storage_units;
pub mod vendors;

use leptos::prelude::*;

/// A page's title row with an optional action on the right.
#[component]
pub fn PageHead(#[prop(into)] title: String, children: Children) -> impl IntoView {
    view! {
        <div class="page-head">
            <h1>{title}</h1>
            <div class="toolbar">{children()}</div>
        </div>
    }
}

/// What a list shows while loading or after a failure.
pub fn load_error(e: crate::api::ApiError) -> AnyView {
    view! { <p class="form-error" role="alert">{e.said()}</p> }.into_any()
}
