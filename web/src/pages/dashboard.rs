//! The first page after sign-in: what is in this company, at a glance.

use leptos::prelude::*;
use leptos_router::components::A;
use serde::Deserialize;
use serde_json::json;

use crate::api;
use crate::app::use_session;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Counts {
    storage_units: Vec<serde_json::Value>,
    ingredients: Vec<serde_json::Value>,
    recipes: Vec<serde_json::Value>,
    vendors: Vec<serde_json::Value>,
    products: Vec<serde_json::Value>,
}

#[component]
pub fn Dashboard() -> impl IntoView {
    let session = use_session();
    let counts = LocalResource::new(move || {
        let company = session.company_id();
        async move {
            api::gql::<Counts>(
                "query($c: ID!) { storageUnits(companyId: $c) { id } ingredients(companyId: $c) { id } recipes(companyId: $c) { id } vendors(companyId: $c) { id } products(companyId: $c) { id } }",
                json!({"c": company}),
            )
            .await
        }
    });
    let company_name = move || {
        let id = session.company.get();
        session
            .me
            .get()
            .and_then(|me| {
                me.memberships
                    .into_iter()
                    .find(|m| Some(&m.company.id) == id.as_ref())
            })
            .map(|m| m.company.name)
    };
    view! {
        <div class="page-head"><h1>{company_name}</h1></div>
        <Suspense fallback=|| view! { <p aria-busy="true">"Loading…"</p> }>
            {move || counts.get().map(|r| match r {
                Ok(c) => view! {
                    <div class="cards">
                        <Card label="Storage units" count=c.storage_units.len() href="/storage-units" />
                        <Card label="Ingredients" count=c.ingredients.len() href="/ingredients" />
                        <Card label="Recipes" count=c.recipes.len() href="/recipes" />
                        <Card label="Vendors" count=c.vendors.len() href="/vendors" />
                        <Card label="Products" count=c.products.len() href="/products" />
                    </div>
                }.into_any(),
                Err(e) => super::load_error(e),
            })}
        </Suspense>
    }
}

#[component]
fn Card(label: &'static str, count: usize, href: &'static str) -> impl IntoView {
    view! {
        <article>
            <div class="figure">{count}</div>
            <A href=href>{label}</A>
        </article>
    }
}
