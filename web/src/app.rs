//! The app shell: routes, navigation and the company switcher.

use leptos::prelude::*;
use leptos_router::components::{A, Outlet, ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::hooks::use_navigate;
use leptos_router::path;
use serde_json::json;

use crate::api;
use crate::i18n::{self, t};
use crate::pages;
use crate::session::{Session, use_session};

#[component]
pub fn App() -> impl IntoView {
    i18n::set_lang(i18n::chosen_or_browser());
    Session::provide();
    view! {
        <Router>
            <Routes fallback=|| view! { <main class="auth"><h1>{t("page-not-found")}</h1><A href="/">{t("page-back-home")}</A></main> }>
                <Route path=path!("/login") view=pages::auth::Login />
                <Route path=path!("/signup") view=pages::auth::SignUp />
                <ParentRoute path=path!("") view=Shell>
                    <Route path=path!("") view=pages::dashboard::Dashboard />
                    <Route path=path!("inventory") view=pages::inventory::Inventory />
                    <Route path=path!("ledger") view=pages::ledger::Ledger />
                    <Route path=path!("orders") view=pages::orders::Orders />
                    <Route path=path!("orders/:id") view=pages::orders::OrderDetail />
                    <Route path=path!("invoices") view=pages::invoices::Invoices />
                    <Route path=path!("invoices/:id") view=pages::invoices::InvoiceDetail />
                    <Route path=path!("waste") view=pages::movements::Waste />
                    <Route path=path!("transfers") view=pages::movements::Transfers />
                    <Route path=path!("stock-counts") view=pages::counting::StockCounts />
                    <Route path=path!("reports") view=pages::reports::Reports />
                    <Route path=path!("food-cost") view=pages::food_cost::FoodCost />
                    <Route path=path!("purchasing") view=pages::purchasing::Purchasing />
                    <Route path=path!("storage-units") view=pages::storage_units::StorageUnits />
                    <Route path=path!("storage-units/:id/places") view=pages::places::StoragePlaces />
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
            return view! { <main class="auth" aria-busy="true">{t("loading")}</main> }.into_any();
        }
        if session.me.get().is_none() {
            return view! { <Redirect path="/login" /> }.into_any();
        }
        // Money in the company's currency, times on its clock.
        Effect::new(move |_| {
            let company = session.company.get();
            if let Some(c) = session.me.get().and_then(|me| {
                me.memberships
                    .into_iter()
                    .find(|m| Some(&m.company.id) == company.as_ref())
            }) {
                crate::format::set_company(&c.company.currency, &c.company.timezone);
            }
        });
        // Under 1000 px the navigation folds into a menu; a chosen page folds it again.
        let menu_open = RwSignal::new(false);
        view! {
            <div class="app" class:nav-open=move || menu_open.get()>
                <header class="topbar">
                    <button class="menu-button secondary outline" aria-controls="main-nav"
                        aria-expanded=move || if menu_open.get() { "true" } else { "false" }
                        on:click=move |_| menu_open.update(|o| *o = !*o)>
                        <span aria-hidden="true">"☰"</span>" "{t("nav-menu")}
                    </button>
                    <span class="brand"><img src="/favicon.svg" alt="" />"Larder"</span>
                </header>
                <aside id="main-nav" on:click=move |ev| {
                    let on_link = ev
                        .target()
                        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                        .and_then(|e| e.closest("a").ok().flatten())
                        .is_some();
                    if on_link {
                        menu_open.set(false);
                    }
                }>
                    <div class="brand"><img src="/favicon.svg" alt="" />"Larder"</div>
                    <CompanySwitcher />
                    <nav aria-label=t("nav-label")>
                        <ul>
                            <li><A href="/" exact=true>{t("nav-dashboard")}</A></li>
                            <li><A href="/inventory">{t("nav-inventory")}</A></li>
                            <li><A href="/orders">{t("nav-orders")}</A></li>
                            <li class="sub"><A href="/invoices">{t("nav-invoices")}</A></li>
                            <li><A href="/purchasing">{t("nav-purchasing")}</A></li>
                            <li><A href="/waste">{t("nav-waste")}</A></li>
                            <li><A href="/transfers">{t("nav-transfers")}</A></li>
                            <li><A href="/stock-counts">{t("nav-stock-counts")}</A></li>
                            <li><A href="/ledger">{t("nav-ledger")}</A></li>
                            <li><A href="/reports">{t("nav-reports")}</A></li>
                            <li><A href="/food-cost">{t("nav-food-cost")}</A></li>
                            <li><A href="/storage-units">{t("nav-storage-units")}</A></li>
                            <li><A href="/ingredients">{t("nav-ingredients")}</A></li>
                            <li><A href="/recipes">{t("nav-recipes")}</A></li>
                            <li><A href="/vendors">{t("nav-vendors")}</A></li>
                            <li><A href="/products">{t("nav-products")}</A></li>
                            <li><A href="/integrations">{t("nav-integrations")}</A></li>
                            <li><A href="/jobs">{t("nav-jobs")}</A></li>
                            <li><A href="/settings">{t("nav-settings")}</A></li>
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
            <small class="muted">{t("nav-company")}</small>
            <select
                aria-label=t("nav-company")
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
            <div>{move || session.role().map(|r| r.label()).unwrap_or_default()}</div>
            <button class="secondary outline" on:click=logout>{t("nav-sign-out")}</button>
        </div>
    }
}
