//! The app shell: session, routes, navigation and the company switcher.

use leptos::prelude::*;
use leptos_router::components::{A, Outlet, ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::hooks::use_navigate;
use leptos_router::path;
use serde::Deserialize;
use serde_json::json;

use crate::api;
use crate::model::Me;
use crate::pages;

/// Who is signed in and which company they are working in; shared by every page.
#[derive(Clone, Copy)]
pub struct Session {
    pub me: RwSignal<Option<Me>>,
    pub company: RwSignal<Option<String>>,
    pub loaded: RwSignal<bool>,
}

impl Session {
    /// The company every page works in.
    pub fn company_id(&self) -> String {
        self.company.get().unwrap_or_default()
    }

    pub fn role(&self) -> Option<String> {
        let company = self.company.get()?;
        self.me
            .get()?
            .memberships
            .into_iter()
            .find(|m| m.company.id == company)
            .map(|m| m.role)
    }

    /// Managers and owners edit master data; others see it read-only.
    pub fn can_manage(&self) -> bool {
        matches!(self.role().as_deref(), Some("OWNER") | Some("MANAGER"))
    }

    pub fn is_owner(&self) -> bool {
        self.role().as_deref() == Some("OWNER")
    }

    /// Keeps a new session's token and loads who it belongs to.
    pub fn sign_in(self, token: &str) {
        api::set_token(Some(token));
        self.reload();
    }

    /// Reloads the user and their memberships (after sign-in, or a company change).
    pub fn reload(self) {
        // Pages wait for the answer instead of taking "no user yet" for "signed out".
        self.loaded.set(false);
        leptos::task::spawn_local(async move {
            #[derive(Deserialize)]
            struct Data {
                me: Me,
            }
            match api::gql::<Data>(ME, json!({})).await {
                Ok(data) => {
                    let stored = api::stored_company();
                    let pick = stored
                        .filter(|c| data.me.memberships.iter().any(|m| &m.company.id == c))
                        .or_else(|| data.me.memberships.first().map(|m| m.company.id.clone()));
                    self.company.set(pick);
                    self.me.set(Some(data.me));
                }
                Err(_) => self.me.set(None),
            }
            self.loaded.set(true);
        });
    }
}

const ME: &str = "{ me { id name email memberships { role company { id name currency timezone businessDayStartHour } } } }";

pub fn use_session() -> Session {
    expect_context::<Session>()
}

#[component]
pub fn App() -> impl IntoView {
    let session = Session {
        me: RwSignal::new(None),
        company: RwSignal::new(None),
        loaded: RwSignal::new(false),
    };
    provide_context(session);
    if api::token().is_some() {
        session.reload();
    } else {
        session.loaded.set(true);
    }
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
            <div>{move || session.role().unwrap_or_default()}</div>
            <button class="secondary outline" on:click=logout>"Sign out"</button>
        </div>
    }
}
