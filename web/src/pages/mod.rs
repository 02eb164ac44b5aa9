pub mod auth;
pub mod connections;
pub mod counting;
pub mod dashboard;
pub mod food_cost;
pub mod ingredients;
pub mod integrations;
pub mod inventory;
pub mod invoices;
pub mod jobs;
pub mod ledger;
pub mod mapping;
pub mod movements;
pub mod orders;
pub mod places;
pub mod products;
pub mod purchasing;
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

/// Below a paged list: how many rows match, and a button to the next (older) page.
#[component]
pub fn ListFooter(
    #[prop(into)] total: String,
    next: Option<String>,
    #[prop(into)] more: String,
    on_more: impl Fn(String) + Clone + 'static,
) -> impl IntoView {
    view! {
        <p class="muted">{total}</p>
        {next.map(|cursor| view! {
            <button class="secondary outline" on:click=move |_| on_more(cursor.clone())>{more}</button>
        })}
    }
}

/// A query variable from a URL filter: absent when empty.
pub fn filter_value(v: String) -> serde_json::Value {
    if v.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::Value::String(v)
    }
}

/// A list filter as a select: "all" (the empty value) or one of `options` (value, label);
/// choosing calls `on_change` with the value.
#[component]
pub fn FilterSelect(
    #[prop(into)] label: String,
    #[prop(into)] all: String,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    value: Memo<String>,
    on_change: impl Fn(String) + 'static,
) -> impl IntoView {
    view! {
        <select aria-label=label on:change:target=move |ev| on_change(ev.target().value())>
            <option value="">{all}</option>
            {move || options.get().into_iter().map(|(code, name)| {
                let chosen = code.clone();
                view! { <option value=code selected=move || value.get() == chosen>{name}</option> }
            }).collect_view()}
        </select>
    }
}

/// A date input's value as the start or end of that day (UTC), or nothing when empty.
pub fn day_bound(date: &str, end: bool) -> serde_json::Value {
    if date.is_empty() {
        serde_json::Value::Null
    } else if end {
        serde_json::Value::String(format!("{date}T23:59:59Z"))
    } else {
        serde_json::Value::String(format!("{date}T00:00:00Z"))
    }
}
