//! Live POS connections in the SPA: connecting Lightspeed (the browser goes to Lightspeed's
//! authorization page and comes back through Larder's callback) and Sides (a login Larder checks
//! before saving), the connection card of an integration (state, what went wrong, test,
//! reauthorize or new credentials, syncs with their progress), and a location's transfer logs.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::Deserialize;
use serde_json::{Value, json};

use super::jobs::{Job, JobProgress};
use crate::api::{self, ApiError};
use crate::forms::{Field, FormError, ServerError, required};
use crate::i18n::t;
use crate::session::use_session;
use crate::states::{PosConnectionState, PosProvider};

/// Sends the browser to Lightspeed's authorization page for `integration`.
async fn go_to_lightspeed(integration: &str) -> Result<(), ApiError> {
    let v = api::gql::<Value>(
        "mutation($i: ID!) { lightspeedAuthorizeUrl(integrationId: $i) }",
        json!({"i": integration}),
    )
    .await?;
    if let (Some(url), Some(w)) = (v["lightspeedAuthorizeUrl"].as_str(), web_sys::window()) {
        let _ = w.location().set_href(url);
    }
    Ok(())
}

fn open_integration(id: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_href(&format!("/integrations/{id}"));
    }
}

/// "Connect a POS": Lightspeed (OAuth) and Sides (login checked before it is saved).
#[component]
pub fn ConnectPos() -> impl IntoView {
    let session = use_session();
    let ls_name = RwSignal::new("Lightspeed".to_string());
    let ls_error: ServerError = RwSignal::new(None);
    let connect_lightspeed = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let company = session.company_id();
        leptos::task::spawn_local(async move {
            let created = api::gql::<Value>(
                "mutation($c: ID!, $n: String!) { createPosIntegration(companyId: $c, provider: LIGHTSPEED_K, name: $n) { id } }",
                json!({"c": company, "n": ls_name.get_untracked()}),
            )
            .await;
            let result = match created {
                Ok(v) => {
                    let id = v["createPosIntegration"]["id"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string();
                    go_to_lightspeed(&id).await
                }
                Err(e) => Err(e),
            };
            if let Err(e) = result {
                ls_error.set(Some(e));
            }
        });
    };
    let sides_name = RwSignal::new("Sides".to_string());
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let sides_error: ServerError = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let connect_sides = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let company = session.company_id();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let r = api::gql::<Value>(
                "mutation($c: ID!, $n: String!, $u: String!, $p: String!) { createPosIntegration(companyId: $c, provider: SIDES, name: $n, sidesLogin: {username: $u, password: $p}) { id } }",
                json!({"c": company, "n": sides_name.get_untracked(), "u": username.get_untracked(), "p": password.get_untracked()}),
            )
            .await;
            busy.set(false);
            match r {
                Ok(v) => {
                    open_integration(v["createPosIntegration"]["id"].as_str().unwrap_or_default())
                }
                Err(e) => sides_error.set(Some(e)),
            }
        });
    };
    view! {
        <div class="grid connect-pos">
            <form class="card" id="connect-lightspeed" on:submit=connect_lightspeed>
                <h3>{t("connections-lightspeed-k-series")}</h3>
                <p class="muted">{t("connections-you-sign-in-at-lightspeed-and-allow")}</p>
                <Field label=t("ingredients-name") value=ls_name field="name" error=ls_error check=required />
                <FormError error=ls_error />
                <button type="submit">{t("connections-connect-lightspeed")}</button>
            </form>
            <form class="card" id="connect-sides" on:submit=connect_sides>
                <h3>{t("connections-sides-pos")}</h3>
                <p class="muted">{t("connections-larder-signs-in-to-sides-with-this-l")}</p>
                <Field label=t("ingredients-name") value=sides_name field="name" error=sides_error check=required />
                <Field label=t("connections-sides-username") value=username field="username" error=sides_error check=required />
                <Field label=t("connections-sides-password") value=password field="password" error=sides_error check=required kind="password" />
                <FormError error=sides_error />
                <button type="submit" aria-busy=move || busy.get().to_string()>{t("connections-test-connection-and-save")}</button>
            </form>
        </div>
    }
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Connection {
    pub id: String,
    pub provider: PosProvider,
    pub connection_state: PosConnectionState,
    pub connection_error: Option<String>,
    pub connected_at: Option<String>,
    pub locations_synced_at: Option<String>,
    pub items_synced_at: Option<String>,
}

fn when(at: &Option<String>) -> String {
    at.as_deref()
        .map(crate::format::when)
        .unwrap_or_else(|| t("connections-never"))
}

/// A live integration's connection: its state and the actions that keep it working.
#[component]
pub fn ConnectionCard(connection: Connection, refresh: Callback<Job>) -> impl IntoView {
    let session = use_session();
    let query = use_query_map();
    let is_lightspeed = connection.provider == PosProvider::LightspeedK;
    let error: ServerError = RwSignal::new(None);
    let tested = RwSignal::new(None::<bool>);
    let sync_jobs = RwSignal::new(Vec::<String>::new());
    let id = connection.id.clone();
    let reauthorize = {
        let id = id.clone();
        move |_| {
            let id = id.clone();
            leptos::task::spawn_local(async move {
                if let Err(e) = go_to_lightspeed(&id).await {
                    error.set(Some(e));
                }
            });
        }
    };
    let test = {
        let id = id.clone();
        move |_| {
            let id = id.clone();
            tested.set(None);
            leptos::task::spawn_local(async move {
                match api::gql::<Value>(
                    "mutation($i: ID!) { testPosConnection(integrationId: $i) }",
                    json!({"i": id}),
                )
                .await
                {
                    Ok(v) => {
                        error.set(None);
                        tested.set(Some(v["testPosConnection"].as_bool().unwrap_or(false)));
                    }
                    Err(e) => {
                        tested.set(Some(false));
                        error.set(Some(e));
                    }
                }
            });
        }
    };
    let sync = {
        let id = id.clone();
        move |what: &'static str| {
            let id = id.clone();
            leptos::task::spawn_local(async move {
                match api::gql::<Value>(
                    &format!("mutation($i: ID!) {{ {what}(integrationId: $i) {{ id }} }}"),
                    json!({"i": id}),
                )
                .await
                {
                    Ok(v) => {
                        if let Some(job) = v[what]["id"].as_str() {
                            sync_jobs.update(|j| j.push(job.to_string()));
                        }
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };
    let sync_locations = {
        let sync = sync.clone();
        move |_| sync("syncLocations")
    };
    let sync_items = move |_| sync("syncItems");
    let state_class = match connection.connection_state {
        PosConnectionState::Connected => "job-state succeeded",
        PosConnectionState::NeedsReconnect => "job-state failed",
        PosConnectionState::NotConnected => "job-state queued",
    };
    let connected = connection.connection_state == PosConnectionState::Connected;
    let needs_login = !connected;
    // Back from Lightspeed: finish the authorization from this (the starter's) session, then
    // show the outcome with a clean URL.
    let finishing = query.get_untracked().get("lightspeedAuthorization");
    if let Some(state) = finishing.clone() {
        let id = id.clone();
        leptos::task::spawn_local(async move {
            let target = match api::gql::<Value>(
                "mutation($s: String!) { finishLightspeedAuthorization(state: $s) { id } }",
                json!({"s": state}),
            )
            .await
            {
                Ok(_) => format!("/integrations/{id}?connected=lightspeed"),
                Err(e) => format!(
                    "/integrations/{id}?oauthError={}",
                    String::from(js_sys::encode_uri_component(&e.message))
                ),
            };
            if let Some(w) = web_sys::window() {
                let _ = w.location().replace(&target);
            }
        });
    }
    view! {
        <section class="card connection">
            {finishing.is_some().then(|| view! { <p class="notice" aria-busy="true">{t("connections-finishing-the-lightspeed-connection")}</p> })}
            {move || query.get().get("connected").map(|_| view! {
                <p class="notice success" role="status">{t("connections-lightspeed-is-connected-sync-the-loc")}</p>
            })}
            {move || query.get().get("oauthError").map(|e| view! {
                <p class="notice error" role="alert">{e}</p>
            })}
            <div class="job-line">
                <strong>{t("connections-connection")}</strong>
                <span class=state_class id="connection-state">{connection.connection_state.label()}</span>
                {move || tested.get().map(|ok| view! {
                    <span class=if ok { "muted" } else { "field-error" }>{if ok { t("connections-test-ok") } else { t("connections-test-failed") }}</span>
                })}
            </div>
            {connection.connection_error.clone().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            <small class="muted">{crate::i18n::t_with("connections-synced", &[
                ("connected", crate::i18n::s(when(&connection.connected_at))),
                ("locations", crate::i18n::s(when(&connection.locations_synced_at))),
                ("items", crate::i18n::s(when(&connection.items_synced_at))),
            ])}</small>
            {session.can_manage().then(|| view! {
                <div class="button-row">
                    {is_lightspeed.then(|| view! {
                        <button class=if needs_login { "primary" } else { "secondary" } on:click=reauthorize.clone()>
                            {if needs_login { t("connections-connect-lightspeed") } else { t("connections-reauthorize") }}
                        </button>
                    })}
                    {connected.then(|| view! {
                        <button class="secondary" on:click=test.clone()>{t("connections-test-connection")}</button>
                        <button id="sync-locations" on:click=sync_locations.clone()>{if is_lightspeed { t("connections-sync-locations") } else { t("connections-sync-stores") }}</button>
                        <button id="sync-items" on:click=sync_items>{if is_lightspeed { t("connections-sync-items") } else { t("connections-sync-products") }}</button>
                    })}
                </div>
            })}
            {move || sync_jobs.get().into_iter().map(|j| view! { <JobProgress job_id=j on_done=refresh started_here=true /> }).collect_view()}
            <FormError error=error />
            {(!is_lightspeed && session.can_manage()).then(|| view! { <SidesLogin integration=id.clone() /> })}
        </section>
    }
}

/// New Sides credentials for an integration: checked with Sides, setup kept.
#[component]
fn SidesLogin(integration: String) -> impl IntoView {
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error: ServerError = RwSignal::new(None);
    let saved = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = integration.clone();
        saved.set(false);
        leptos::task::spawn_local(async move {
            match api::gql::<Value>(
                "mutation($i: ID!, $u: String!, $p: String!) { connectSides(integrationId: $i, username: $u, password: $p) { id } }",
                json!({"i": id, "u": username.get_untracked(), "p": password.get_untracked()}),
            )
            .await
            {
                Ok(_) => {
                    error.set(None);
                    password.set(String::new());
                    saved.set(true);
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().reload();
                    }
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <details>
            <summary>{t("connections-change-the-sides-login")}</summary>
            <form class="inline-form" on:submit=submit>
                <Field label=t("connections-sides-username") value=username field="username" error=error check=required />
                <Field label=t("connections-sides-password") value=password field="password" error=error check=required kind="password" />
                <FormError error=error />
                <button type="submit" class="secondary">{t("connections-test-and-save")}</button>
                {move || saved.get().then(|| view! { <small class="muted">{t("ingredients-saved")}</small> })}
            </form>
        </details>
    }
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct TransferLog {
    business_date: String,
    transferred_at: String,
    lines_total: i64,
    lines_posted: i64,
    lines_skipped: i64,
    lines_unmapped: i64,
    entries_posted: i64,
}

fn unmapped_class(n: i64) -> &'static str {
    if n > 0 { "num warn" } else { "num" }
}

/// The last transfers of a location, loaded when opened.
#[component]
pub fn TransferLogs(location_id: String) -> impl IntoView {
    let open = RwSignal::new(false);
    let logs = LocalResource::new(move || {
        let (id, open) = (location_id.clone(), open.get());
        async move {
            if !open {
                return Ok(Vec::new());
            }
            #[derive(Deserialize)]
            #[serde(rename_all = "camelCase")]
            struct Loc {
                transfer_logs: Vec<TransferLog>,
            }
            #[derive(Deserialize)]
            #[serde(rename_all = "camelCase")]
            struct Data {
                pos_location: Loc,
            }
            api::gql::<Data>(
                "query($l: ID!) { posLocation(id: $l) { transferLogs(first: 14) { businessDate transferredAt linesTotal linesPosted linesSkipped linesUnmapped entriesPosted } } }",
                json!({"l": id}),
            )
            .await
            .map(|d| d.pos_location.transfer_logs)
        }
    });
    view! {
        <details class="transfer-logs" on:toggle=move |_| open.set(true)>
            <summary>{t("connections-transfer-log")}</summary>
            <Transition fallback=|| view! { <p aria-busy="true">{crate::i18n::t("loading")}</p> }>
                {move || logs.get().map(|r| match r {
                    Ok(list) if list.is_empty() => view! { <p class="muted">{t("connections-no-day-transferred-yet")}</p> }.into_any(),
                    Ok(list) => view! {
                        <table class="compact">
                            <thead><tr><th>{t("connections-day")}</th><th class="num">{t("field-lines")}</th><th class="num">{t("connections-posted")}</th><th class="num">{t("connections-skipped")}</th><th class="num">{t("connections-unmapped")}</th><th class="num">{t("ledger-entries")}</th><th>{t("ledger-when")}</th></tr></thead>
                            <tbody>{list.into_iter().map(|l| view! {
                                <tr>
                                    <td>{l.business_date}</td>
                                    <td class="num">{l.lines_total}</td>
                                    <td class="num">{l.lines_posted}</td>
                                    <td class="num">{l.lines_skipped}</td>
                                    <td class=unmapped_class(l.lines_unmapped)>{l.lines_unmapped}</td>
                                    <td class="num">{l.entries_posted}</td>
                                    <td><small>{crate::format::when(&l.transferred_at)}</small></td>
                                </tr>
                            }).collect_view()}</tbody>
                        </table>
                    }.into_any(),
                    Err(e) => super::load_error(e),
                })}
            </Transition>
        </details>
    }
}
