//! The app shell: routes, navigation and the company switcher.

use leptos::prelude::*;
use leptos_router::components::{A, Outlet, ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::hooks::use_navigate;
use leptos_router::path;
use serde_json::json;

use crate::api;
use crate::pages;
use crate::session::{Session, use_session};

#[component]
pub fn App() -> impl IntoView {
    Session::provide();
    view! {
        <Router>
            <Routes fallback=|| view! { <main class="auth"><h1>"Not found"</h1><A href="/">"Back to Larder"</A></main> }>
                <Route path=path!("/login") view=pages::auth::Login />
                <Route path=path!("/signup") view=pages::auth::SignUp />
                <ParentRoute path=path!("") view=Shell>
                    <Route path=path!("") view=pages::dashboard::Dashboard />
                    <Route path=path!("inventory") view=pages::inventory::Inventory />
                    <Route path=path!("ledger") view=pages::ledger::Ledger />
                    <Route path=path!("orders") view=pages::orders::Orders />
                    <Route path=path!("waste") view=pages::movements::Waste />
                    <Route path=path!("transfers") view=pages::movements::Transfers />
                    <Route path=path!("stock-counts") view=pages::movements::StockCounts />
                    <Route path=path!("reports") view=pages::reports::Reports />
                    <Route path=path!("storage-units") view=pages::storage_units::StorageUnits />
                    <Route path=path!("ingredients") view=pages::ingredients::Ingredients />
                    <Route path=path!("ingredients/:id") view=pages::ingredients::IngredientDetail />
                    <Route path=path!("recipes") view=pages::recipes::Recipes />
                    <Route path=path!("recipes/:id") view=pages::recipes::RecipeEditor />
                    <Route path=path!("vendors") view=pages::vendors::Vendors />
                    <Route path=path!("products") view=pages::products::Products />
                    <Route path=path!("integrations") view=pages::integrations::Integrations />
                    <Route path=path!("integrations/:id") view=pages::integrations::IntegrationDetail />
                    <Route path=path!("integrations/:id/mapping") view=pages::mapping::MappingPage />
                    <Route path=path!("jobs") view=pages::jobs::Jobs />
                    <Route path=path!("settings") view=pages::settings::Settings />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// Layout for signed-in pages; without a session, to the login page.
#[component]
fn Shell() -> impl IntoView {
    let session = use_session();
    move || {
        if !session.loaded.get() {
            return view! { <main class="auth" aria-busy="true">"Loading…"</main> }.into_any();
        }
        if session.me.get().is_none() {
            return view! { <Redirect path="/login" /> }.into_any();
        }
        view! {
            <div class="app">
                <aside>
                    <div class="brand"><img src="/favicon.svg" alt="" />"Larder"</div>
                    <CompanySwitcher />
                    <nav>
                        <ul>
                            <li><A href="/" exact=true>"Dashboard"</A></li>
                            <li><A href="/inventory">"Inventory"</A></li>
                            <li><A href="/orders">"Orders"</A></li>
                            <li><A href="/waste">"Waste"</A></li>
                            <li><A href="/transfers">"Transfers"</A></li>
                            <li><A href="/stock-counts">"Stock counts"</A></li>
                            <li><A href="/ledger">"Ledger"</A></li>
                            <li><A href="/reports">"Reports"</A></li>
                            <li><A href="/storage-units">"Storage units"</A></li>
                            <li><A href="/ingredients">"Ingredients"</A></li>
                            <li><A href="/recipes">"Recipes"</A></li>
                            <li><A href="/vendors">"Vendors"</A></li>
                            <li><A href="/products">"Products"</A></li>
                            <li><A href="/integrations">"Integrations"</A></li>
                            <li><A href="/jobs">"Jobs"</A></li>
                            <li><A href="/settings">"Settings"</A></li>
                        </ul>
                    </nav>
                    <UserBox />
                </aside>
                <main>
                    {move || session.company.get().map(|_| view! { <Outlet /> })}
                </main>
            </div>
        }
        .into_any()
    }
}

#[component]
fn CompanySwitcher() -> impl IntoView {
    let session = use_session();
    view! {
        <label class="company-switcher">
            <small class="muted">"Company"</small>
            <select
                aria-label="Company"
                on:change:target=move |ev| {
                    let id = ev.target().value();
                    api::store_company(&id);
                    session.company.set(Some(id));
                }
            >
                {move || {
                    let current = session.company.get();
                    session
                        .me
                        .get()
                        .map(|me| me.memberships)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|m| {
                            let selected = current.as_deref() == Some(m.company.id.as_str());
                            view! { <option value=m.company.id selected=selected>{m.company.name}</option> }
                        })
                        .collect_view()
                }}
            </select>
        </label>
    }
}

#[component]
fn UserBox() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let logout = move |_| {
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let _ = api::gql::<serde_json::Value>("mutation { logout }", json!({})).await;
            api::set_token(None);
            session.me.set(None);
            navigate("/login", Default::default());
        });
    };
    view! {
        <div class="user-box">
            <div>{move || session.me.get().map(|m| m.name).unwrap_or_default()}</div>
            <div>{move || session.role().map(|r| r.code()).unwrap_or_default()}</div>
            <button class="secondary outline" on:click=logout>"Sign out"</button>
        </div>
    }
}
