//! Integrations: POS connections and their locations. For CSV: the import configuration with a
//! live preview of the chosen file, uploads with a progress bar and the row-error report. For
//! every provider: linking locations to storage units, activation (which starts the 90-day
//! migration), manual transfers, pause and resume with the untransferred days.

mod csv;
mod locations;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use serde::Deserialize;
use serde_json::{Value, json};

use super::connections::{ConnectPos, Connection, ConnectionCard};
use super::jobs::{Job, JobProgress};
use super::{PageHead, load_error};
use crate::api::{self};
use crate::forms::{Field, FormError, ServerError, required};
use crate::session::use_session;

use crate::i18n::t;
use crate::model::{Named, PosIntegration};
use crate::states::{AutomaticTransferState, PosProvider};
use csv::{CsvSetup, CsvUpload};
use locations::{LocationRow, NewLocation};

const INTEGRATION_FIELDS: &str = "id name provider connectionState automaticTransfer csvConfig { delimiter hasHeader codeColumn nameColumn quantityColumn salesValueColumn dateColumn dateFormat decimalSeparator encoding } locations { id externalId name active timezone listedByPos storageUnit { id name } latestJob { id state } } untransferredDays { locationName businessDate } connectionError connectedAt locationsSyncedAt itemsSyncedAt";

fn provider_label(p: PosProvider) -> String {
    p.label()
}

#[component]
pub fn Integrations() -> impl IntoView {
    let session = use_session();
    let version = RwSignal::new(0u32);
    let data = LocalResource::new(move || {
        version.get();
        let company = session.company_id();
        async move {
            #[derive(Deserialize)]
            #[serde(rename_all = "camelCase")]
            struct Data {
                pos_integrations: Vec<PosIntegration>,
            }
            api::gql::<Data>(
                &format!(
                    "query($c: ID!) {{ posIntegrations(companyId: $c) {{ {INTEGRATION_FIELDS} }} }}"
                ),
                json!({"c": company}),
            )
            .await
            .map(|d| d.pos_integrations)
        }
    });
    let name = RwSignal::new(String::new());
    let error: ServerError = RwSignal::new(None);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let company = session.company_id();
        leptos::task::spawn_local(async move {
            match api::gql::<Value>(
                "mutation($c: ID!, $n: String!) { createPosIntegration(companyId: $c, provider: CSV, name: $n) { id } }",
                json!({"c": company, "n": name.get_untracked()}),
            )
            .await
            {
                Ok(v) => {
                    name.set(String::new());
                    let id = v["createPosIntegration"]["id"].as_str().unwrap_or_default().to_string();
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().set_href(&format!("/integrations/{id}"));
                    }
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <PageHead title=t("nav-integrations")>
            <span class="muted">{t("integrations-sales-from-your-pos-become-issue-mov")}</span>
        </PageHead>
        <Transition fallback=|| view! { <p aria-busy="true">{crate::i18n::t("loading")}</p> }>
            {move || data.get().map(|r| match r {
                Ok(list) if list.is_empty() => view! { <p class="muted">{t("integrations-no-integration-yet-connect-lightspee")}</p> }.into_any(),
                Ok(list) => view! {
                    <table>
                        <thead><tr><th>{t("ingredients-name")}</th><th>{t("integrations-provider")}</th><th>{t("integrations-connection")}</th><th>{t("integrations-automatic-transfer")}</th><th>{t("integrations-locations")}</th><th></th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|i| view! {
                                <tr>
                                    <td><A href=format!("/integrations/{}", i.id)>{i.name.clone()}</A></td>
                                    <td>{provider_label(i.provider)}</td>
                                    <td>{i.connection_state.label()}</td>
                                    <td>{i.automatic_transfer.label()}</td>
                                    <td class="num">{format!("{} ({} active)", i.locations.len(), i.locations.iter().filter(|l| l.active).count())}</td>
                                    <td><A href=format!("/integrations/{}/mapping", i.id)>{t("integrations-mapping")}</A></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
                Err(e) => load_error(e),
            })}
        </Transition>
        {move || session.can_manage().then(|| view! {
            <h2>{t("integrations-connect-a-pos")}</h2>
            <ConnectPos />
            <form class="inline-form" on:submit=create>
                <h2>{t("integrations-add-a-csv-upload")}</h2>
                <p class="muted">{t("integrations-for-any-pos-that-exports-sales-as-a")}</p>
                <Field label=t("ingredients-name") value=name field="name" error=error check=required placeholder=t("integrations-till-export") />
                <FormError error=error />
                <button type="submit">{t("integrations-add-csv-integration")}</button>
            </form>
        })}
    }
}

#[component]
pub fn IntegrationDetail() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.get().get("id").unwrap_or_default());
    let version = RwSignal::new(0u32);
    let session = use_session();
    let data = LocalResource::new(move || {
        version.get();
        let (id, company) = (id.get(), session.company_id());
        async move {
            #[derive(Deserialize)]
            #[serde(rename_all = "camelCase")]
            struct Data {
                pos_integration: PosIntegration,
                storage_units: Vec<Named>,
            }
            api::gql::<Data>(
                &format!("query($i: ID!, $c: ID!) {{ posIntegration(id: $i) {{ {INTEGRATION_FIELDS} }} storageUnits(companyId: $c) {{ id name }} }}"),
                json!({"i": id, "c": company}),
            )
            .await
            .map(|d| (d.pos_integration, d.storage_units))
        }
    });
    let refresh = Callback::new(move |_: Job| version.update(|v| *v += 1));
    view! {
        <Transition fallback=|| view! { <p aria-busy="true">{crate::i18n::t("loading")}</p> }>
            {move || data.get().map(|r| match r {
                Ok((integration, units)) => view! { <IntegrationView integration units version refresh /> }.into_any(),
                Err(e) => load_error(e),
            })}
        </Transition>
    }
}

#[component]
fn IntegrationView(
    integration: PosIntegration,
    units: Vec<Named>,
    version: RwSignal<u32>,
    refresh: Callback<Job>,
) -> impl IntoView {
    let session = use_session();
    let is_csv = integration.provider == PosProvider::Csv;
    let paused = integration.automatic_transfer == AutomaticTransferState::Paused;
    let integration_id = integration.id.clone();
    let toggle_error: ServerError = RwSignal::new(None);
    let toggle = {
        let id = integration_id.clone();
        move |_| {
            let id = id.clone();
            leptos::task::spawn_local(async move {
                let op = if paused {
                    "resumeAutomaticTransfer"
                } else {
                    "pauseAutomaticTransfer"
                };
                match api::gql::<Value>(
                    &format!("mutation($i: ID!) {{ {op}(integrationId: $i) {{ id }} }}"),
                    json!({"i": id}),
                )
                .await
                {
                    Ok(_) => version.update(|v| *v += 1),
                    Err(e) => toggle_error.set(Some(e)),
                }
            });
        }
    };
    let catch_up_jobs = RwSignal::new(Vec::<String>::new());
    let catch_up = {
        let id = integration_id.clone();
        move |_| {
            let id = id.clone();
            leptos::task::spawn_local(async move {
                match api::gql::<Value>(
                    "mutation($i: ID!) { transferUntransferredDays(integrationId: $i) { id } }",
                    json!({"i": id}),
                )
                .await
                {
                    Ok(v) => catch_up_jobs.set(
                        v["transferUntransferredDays"]
                            .as_array()
                            .cloned()
                            .unwrap_or_default()
                            .iter()
                            .filter_map(|j| j["id"].as_str().map(str::to_string))
                            .collect(),
                    ),
                    Err(e) => toggle_error.set(Some(e)),
                }
            });
        }
    };
    let mapping_href = format!("/integrations/{}/mapping", integration.id);
    let untransferred = integration.untransferred_days.clone();
    let locations = integration.locations.clone();
    let unit_options: Vec<(String, String)> = units
        .iter()
        .map(|u| (u.id.clone(), u.name.clone()))
        .collect();
    view! {
        <PageHead title=t("integrations-posintegration")>
            <A href=mapping_href>{t("integrations-map-items")}</A>
        </PageHead>
        <h2 class="integration-name">{integration.name.clone()} <small class="muted">{format!(" · {}", provider_label(integration.provider))}</small></h2>
        <section class="card">
            <div class="job-line">
                <strong>{t("integrations-automatic-transfer-2")}</strong>
                <span class=if paused { "job-state failed" } else { "job-state succeeded" }>{integration.automatic_transfer.label()}</span>
                {session.can_manage().then(|| view! {
                    <button class="secondary small" on:click=toggle>{if paused { t("integrations-resume") } else { t("integrations-pause") }}</button>
                })}
            </div>
            <small class="muted">{t("integrations-each-closed-business-day-of-every-ac")}</small>
            {(!untransferred.is_empty()).then(|| view! {
                <div class="untransferred">
                    <p><strong>{format!("{} untransferred days", untransferred.len())}</strong></p>
                    <ul>{untransferred.iter().map(|d| view! { <li>{format!("{} · {}", d.business_date, d.location_name)}</li> }).collect_view()}</ul>
                    <button on:click=catch_up>{t("integrations-transfer-them-now")}</button>
                </div>
            })}
            {move || catch_up_jobs.get().into_iter().map(|j| view! { <JobProgress job_id=j on_done=refresh started_here=true /> }).collect_view()}
            <FormError error=toggle_error />
        </section>
        {is_csv.then({
            let integration = integration.clone();
            move || view! { <CsvSetup integration version /> }
        })}
        {(!is_csv).then(|| {
            let connection = Connection {
                id: integration.id.clone(),
                provider: integration.provider,
                connection_state: integration.connection_state,
                connection_error: integration.connection_error.clone(),
                connected_at: integration.connected_at.clone(),
                locations_synced_at: integration.locations_synced_at.clone(),
                items_synced_at: integration.items_synced_at.clone(),
            };
            view! { <ConnectionCard connection refresh /> }
        })}
        <h2>{t("integrations-locations")}</h2>
        <table class="locations">
            <thead><tr><th>{t("integrations-location")}</th><th>{t("integrations-storage-unit-sales-are-taken-from")}</th><th>{t("field-status")}</th><th></th></tr></thead>
            <tbody>
                {locations.into_iter().map(|l| view! { <LocationRow location=l units=unit_options.clone() version refresh /> }).collect_view()}
            </tbody>
        </table>
        {is_csv.then(move || view! { <NewLocation integration_id version /> })}
        {is_csv.then(move || view! { <CsvUpload integration /> })}
    }
}
