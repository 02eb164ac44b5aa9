use leptos::prelude::*;
#[component] pub fn Settings() -> impl IntoView { view! { <p>"todo"</p> } }
