use leptos::prelude::*;
#[component] pub fn Vendors() -> impl IntoView { view! { <p>"todo"</p> } }
