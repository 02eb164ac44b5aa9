use leptos::prelude::*;
#[component] pub fn Recipes() -> impl IntoView { view! { <p>"todo"</p> } }
#[component] pub fn RecipeEditor() -> impl IntoView { view! { <p>"todo"</p> } }
