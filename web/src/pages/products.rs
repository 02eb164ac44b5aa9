use leptos::prelude::*;
#[component] pub fn Products() -> impl IntoView { view! { <p>"todo"</p> } }
