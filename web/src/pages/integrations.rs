//! Integrations: POS connections and their locations. For CSV: the import configuration with a
//! live preview of the chosen file, uploads with a progress bar and the row-error report. For
//! every provider: linking locations to storage units, activation (which starts the 90-day
//! migration), manual transfers, pause and resume with the untransferred days.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use serde::Deserialize;
use serde_json::{Value, json};
use wasm_bindgen::JsCast;

use super::connections::{ConnectPos, Connection, ConnectionCard, TransferLogs};
use super::jobs::{Job, JobProgress};
use super::{PageHead, load_error};
use crate::api::{self, ApiError};
use crate::forms::{Field, FormError, Select, ServerError, required};
use crate::session::use_session;

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct Integration {
    id: String,
    name: String,
    provider: String,
    connection_state: String,
    automatic_transfer: String,
    csv_config: Option<CsvConfig>,
    locations: Vec<Location>,
    untransferred_days: Vec<UntransferredDay>,
    connection_error: Option<String>,
    connected_at: Option<String>,
    locations_synced_at: Option<String>,
    items_synced_at: Option<String>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct CsvConfig {
    delimiter: String,
    has_header: bool,
    code_column: String,
    name_column: Option<String>,
    quantity_column: String,
    sales_value_column: Option<String>,
    date_column: String,
    date_format: String,
    decimal_separator: String,
    encoding: String,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct Location {
    id: String,
    external_id: String,
    name: String,
    active: bool,
    storage_unit: Option<Unit>,
    latest_job: Option<JobRef>,
    timezone: Option<String>,
    listed_by_pos: bool,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
struct Unit {
    id: String,
    name: String,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct JobRef {
    id: String,
    state: String,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct UntransferredDay {
    location_name: String,
    business_date: String,
}

const INTEGRATION_FIELDS: &str = "id name provider connectionState automaticTransfer csvConfig { delimiter hasHeader codeColumn nameColumn quantityColumn salesValueColumn dateColumn dateFormat decimalSeparator encoding } locations { id externalId name active timezone listedByPos storageUnit { id name } latestJob { id state } } untransferredDays { locationName businessDate } connectionError connectedAt locationsSyncedAt itemsSyncedAt";

fn provider_label(p: &str) -> &'static str {
    match p {
        "LIGHTSPEED_K" => "Lightspeed K-Series",
        "SIDES" => "Sides POS",
        _ => "CSV upload",
    }
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
                pos_integrations: Vec<Integration>,
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
        <PageHead title="Integrations">
            <span class="muted">"Sales from your POS become ISSUE movements."</span>
        </PageHead>
        <Transition fallback=|| view! { <p aria-busy="true">"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Ok(list) if list.is_empty() => view! { <p class="muted">"No integration yet: connect Lightspeed or Sides, or add a CSV upload, below."</p> }.into_any(),
                Ok(list) => view! {
                    <table>
                        <thead><tr><th>"Name"</th><th>"Provider"</th><th>"Connection"</th><th>"Automatic transfer"</th><th>"Locations"</th><th></th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|i| view! {
                                <tr>
                                    <td><A href=format!("/integrations/{}", i.id)>{i.name.clone()}</A></td>
                                    <td>{provider_label(&i.provider)}</td>
                                    <td>{i.connection_state.replace('_', " ").to_lowercase()}</td>
                                    <td>{i.automatic_transfer.to_lowercase()}</td>
                                    <td class="num">{format!("{} ({} active)", i.locations.len(), i.locations.iter().filter(|l| l.active).count())}</td>
                                    <td><A href=format!("/integrations/{}/mapping", i.id)>"Mapping"</A></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
                Err(e) => load_error(e),
            })}
        </Transition>
        {move || session.can_manage().then(|| view! {
            <h2>"Connect a POS"</h2>
            <ConnectPos />
            <form class="inline-form" on:submit=create>
                <h2>"Add a CSV upload"</h2>
                <p class="muted">"For any POS that exports sales as a file. Lightspeed and Sides connect directly."</p>
                <Field label="Name" value=name field="name" error=error check=required placeholder="Till export" />
                <FormError error=error />
                <button type="submit">"Add CSV integration"</button>
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
                pos_integration: Integration,
                storage_units: Vec<Unit>,
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
        <Transition fallback=|| view! { <p aria-busy="true">"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Ok((integration, units)) => view! { <IntegrationView integration units version refresh /> }.into_any(),
                Err(e) => load_error(e),
            })}
        </Transition>
    }
}

#[component]
fn IntegrationView(
    integration: Integration,
    units: Vec<Unit>,
    version: RwSignal<u32>,
    refresh: Callback<Job>,
) -> impl IntoView {
    let session = use_session();
    let is_csv = integration.provider == "CSV";
    let paused = integration.automatic_transfer == "PAUSED";
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
        <PageHead title="Integration">
            <A href=mapping_href>"Map items →"</A>
        </PageHead>
        <h2 class="integration-name">{integration.name.clone()} <small class="muted">{format!(" · {}", provider_label(&integration.provider))}</small></h2>
        <section class="card">
            <div class="job-line">
                <strong>"Automatic transfer: "</strong>
                <span class=if paused { "job-state failed" } else { "job-state succeeded" }>{integration.automatic_transfer.clone()}</span>
                {session.can_manage().then(|| view! {
                    <button class="secondary small" on:click=toggle>{if paused { "Resume" } else { "Pause" }}</button>
                })}
            </div>
            <small class="muted">"Each closed business day of every active location is transferred soon after it closes; the day before is pulled again to catch late receipts."</small>
            {(!untransferred.is_empty()).then(|| view! {
                <div class="untransferred">
                    <p><strong>{format!("{} untransferred days", untransferred.len())}</strong></p>
                    <ul>{untransferred.iter().map(|d| view! { <li>{format!("{} · {}", d.business_date, d.location_name)}</li> }).collect_view()}</ul>
                    <button on:click=catch_up>"Transfer them now"</button>
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
                provider: integration.provider.clone(),
                connection_state: integration.connection_state.clone(),
                connection_error: integration.connection_error.clone(),
                connected_at: integration.connected_at.clone(),
                locations_synced_at: integration.locations_synced_at.clone(),
                items_synced_at: integration.items_synced_at.clone(),
            };
            view! { <ConnectionCard connection refresh /> }
        })}
        <h2>"Locations"</h2>
        <table class="locations">
            <thead><tr><th>"Location"</th><th>"Storage unit (sales are taken from)"</th><th>"Status"</th><th></th></tr></thead>
            <tbody>
                {locations.into_iter().map(|l| view! { <LocationRow location=l units=unit_options.clone() version refresh /> }).collect_view()}
            </tbody>
        </table>
        {is_csv.then(move || view! { <NewLocation integration_id version /> })}
        {is_csv.then(move || view! { <CsvUpload integration /> })}
    }
}

#[component]
fn LocationRow(
    location: Location,
    units: Vec<(String, String)>,
    version: RwSignal<u32>,
    refresh: Callback<Job>,
) -> impl IntoView {
    let session = use_session();
    let unit = RwSignal::new(
        location
            .storage_unit
            .as_ref()
            .map(|u| u.id.clone())
            .unwrap_or_default(),
    );
    let error: ServerError = RwSignal::new(None);
    // The latest job stays in view (its final state), a running one moves; the flag marks one
    // started from this row.
    let job = RwSignal::new(location.latest_job.as_ref().map(|j| (j.id.clone(), false)));
    let date = RwSignal::new(String::new());
    let location_id = location.id.clone();
    let unit_names = units.clone();
    let link = {
        let id = location_id.clone();
        move |_| {
            let (id, unit_id) = (id.clone(), unit.get_untracked());
            leptos::task::spawn_local(async move {
                match api::gql::<Value>("mutation($l: ID!, $s: ID!) { linkStorageUnit(locationId: $l, storageUnitId: $s) { id } }", json!({"l": id, "s": unit_id})).await {
                    Ok(_) => version.update(|v| *v += 1),
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };
    let run = move |query: &'static str, vars: Value, key: &'static str| {
        leptos::task::spawn_local(async move {
            match api::gql::<Value>(query, vars).await {
                Ok(v) => job.set(v[key]["id"].as_str().map(|id| (id.to_string(), true))),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let activate = {
        let (id, name) = (location_id.clone(), location.name.clone());
        let linked = location.storage_unit.as_ref().map(|u| u.name.clone());
        move |_| {
            let Some(linked) = linked.clone() else {
                error.set(Some(ApiError {
                    message: "Link a storage unit first: sales are taken from it.".into(),
                    code: "VALIDATION".into(),
                    field: Some("storageUnitId".into()),
                }));
                return;
            };
            let question = format!(
                "Activate {name}?\n\nThe last 90 days of its sales will be deducted from {linked}. A wrong storage unit posts stock in the wrong place."
            );
            let ok = web_sys::window()
                .and_then(|w| w.confirm_with_message(&question).ok())
                .unwrap_or(false);
            if ok {
                run(
                    "mutation($l: ID!) { activateLocation(locationId: $l) { id } }",
                    json!({"l": id}),
                    "activateLocation",
                );
            }
        }
    };
    let rerun = {
        let id = location_id.clone();
        move |_| {
            run(
                "mutation($l: ID!) { rerunMigration(locationId: $l) { id } }",
                json!({"l": id}),
                "rerunMigration",
            )
        }
    };
    let transfer = {
        let id = location_id.clone();
        move |_| {
            if date.get_untracked().is_empty() {
                error.set(Some(ApiError {
                    message: "Pick the business day to transfer".into(),
                    code: "VALIDATION".into(),
                    field: Some("businessDate".into()),
                }));
                return;
            }
            run(
                "mutation($l: ID!, $d: NaiveDate!) { startManualTransfer(locationId: $l, businessDate: $d) { id } }",
                json!({"l": id, "d": date.get_untracked()}),
                "startManualTransfer",
            )
        }
    };
    let active = location.active;
    view! {
        <tr data-location=location.external_id.clone() data-linked=location.storage_unit.as_ref().map(|u| u.name.clone())>
            <td>
                {location.name.clone()}<br />
                <small class="muted">{location.external_id.clone()}{location.timezone.clone().map(|tz| format!(" · {tz}"))}</small>
                {(!location.listed_by_pos).then(|| view! {
                    <br /><small class="field-error unlisted">"No longer listed by the POS: not transferred until a sync finds it again"</small>
                })}
                <TransferLogs location_id=location.id.clone() />
            </td>
            <td>
                <Select label="" value=unit options=Signal::derive(move || unit_names.clone()) field="storageUnitId" error=error empty="— choose —" />
                {session.can_manage().then(|| view! { <button class="secondary small" on:click=link>"Link"</button> })}
            </td>
            <td>{if active { "active" } else { "not active" }}</td>
            <td class="actions">
                {(session.can_manage() && !active).then(|| view! { <button class="activate" on:click=activate>"Activate"</button> })}
                {(session.can_manage() && active).then(|| view! {
                    <div class="transfer-row">
                        <input type="date" aria-label="Business day" prop:value=move || date.get() on:change:target=move |ev| date.set(ev.target().value()) />
                        <button class="small" on:click=transfer>"Transfer day"</button>
                        <button class="secondary outline small" on:click=rerun>"Rerun migration"</button>
                    </div>
                })}
                <FormError error=error />
                {move || error.get().filter(|e| e.field.as_deref() == Some("locationId") || e.field.as_deref() == Some("businessDate")).map(|e| view! { <small class="field-error">{e.message}</small> })}
                {move || job.get().map(|(j, started_here)| view! { <JobProgress job_id=j on_done=refresh started_here=started_here /> })}
            </td>
        </tr>
    }
}

#[component]
fn NewLocation(integration_id: String, version: RwSignal<u32>) -> impl IntoView {
    let external = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let error: ServerError = RwSignal::new(None);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = integration_id.clone();
        leptos::task::spawn_local(async move {
            match api::gql::<Value>("mutation($i: ID!, $e: String!, $n: String!) { createPosLocation(integrationId: $i, externalId: $e, name: $n) { id } }", json!({"i": id, "e": external.get_untracked(), "n": name.get_untracked()})).await {
                Ok(_) => {
                    external.set(String::new());
                    name.set(String::new());
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="inline-form" on:submit=submit>
            <Field label="Location code" value=external field="externalId" error=error check=required placeholder="dining-room" />
            <Field label="Location name" value=name field="name" error=error check=required placeholder="Dining room" />
            <FormError error=error />
            <button type="submit" class="secondary">"Add location"</button>
        </form>
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PreviewRow {
    row: i64,
    code: Option<String>,
    name: Option<String>,
    quantity: Option<String>,
    sales_value: Option<String>,
    business_date: Option<String>,
    error: Option<super::jobs::CsvRowError>,
}

#[derive(Clone, Debug, Deserialize)]
struct Preview {
    header: Vec<String>,
    rows: Vec<PreviewRow>,
}

fn chosen_file(id: &str) -> Option<web_sys::File> {
    let input = web_sys::window()?
        .document()?
        .get_element_by_id(id)?
        .dyn_into::<web_sys::HtmlInputElement>()
        .ok()?;
    input.files()?.get(0)
}

/// The import configuration, with the chosen file's first rows parsed live as it changes.
#[component]
fn CsvSetup(integration: Integration, version: RwSignal<u32>) -> impl IntoView {
    let c = integration.csv_config.clone();
    let get = |f: fn(&CsvConfig) -> String, default: &str| {
        RwSignal::new(c.as_ref().map(f).unwrap_or_else(|| default.to_string()))
    };
    let delimiter = get(|c| c.delimiter.clone(), ",");
    let has_header = RwSignal::new(c.as_ref().is_none_or(|c| c.has_header));
    let code = get(|c| c.code_column.clone(), "Code");
    let name = get(|c| c.name_column.clone().unwrap_or_default(), "Item");
    let quantity = get(|c| c.quantity_column.clone(), "Qty");
    let value = get(
        |c| c.sales_value_column.clone().unwrap_or_default(),
        "Total",
    );
    let date = get(|c| c.date_column.clone(), "Date");
    let format = get(|c| c.date_format.clone(), "%Y-%m-%d %H:%M");
    let decimal = get(|c| c.decimal_separator.clone(), ".");
    let encoding = get(|c| c.encoding.clone(), "utf-8");
    let error: ServerError = RwSignal::new(None);
    let saved = RwSignal::new(false);
    let sample = RwSignal::new(None::<String>);
    let config = move || {
        json!({
            "delimiter": delimiter.get(), "hasHeader": has_header.get(), "codeColumn": code.get(),
            "nameColumn": name.get(), "quantityColumn": quantity.get(), "salesValueColumn": value.get(),
            "dateColumn": date.get(), "dateFormat": format.get(), "decimalSeparator": decimal.get(), "encoding": encoding.get(),
        })
    };
    let integration_id = integration.id.clone();
    let preview_id = integration_id.clone();
    let preview = LocalResource::new(move || {
        let (cfg, sample, id) = (config(), sample.get(), preview_id.clone());
        async move {
            let sample = sample?;
            #[derive(Deserialize)]
            #[serde(rename_all = "camelCase")]
            struct Data {
                preview_csv: Preview,
            }
            Some(
                api::gql::<Data>(
                    "query($i: ID!, $c: CsvImportConfigInput!, $s: String!) { previewCsv(integrationId: $i, config: $c, sampleBase64: $s, rows: 10) { header rows { row code name quantity salesValue businessDate error { row column message value } } } }",
                    json!({"i": id, "c": cfg, "s": sample}),
                )
                .await
                .map(|d| d.preview_csv),
            )
        }
    });
    let pick = move |_| match chosen_file("csv-sample") {
        Some(file) => leptos::task::spawn_local(async move {
            match api::file_sample(&file).await {
                Ok(s) => sample.set(Some(s)),
                Err(e) => error.set(Some(e)),
            }
        }),
        None => error.set(Some(ApiError {
            message: "Choose a file to preview".into(),
            code: "VALIDATION".into(),
            field: None,
        })),
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = integration_id.clone();
        let cfg = config();
        leptos::task::spawn_local(async move {
            match api::gql::<Value>("mutation($i: ID!, $c: CsvImportConfigInput!) { configureCsvImport(integrationId: $i, config: $c) { id } }", json!({"i": id, "c": cfg})).await {
                Ok(_) => {
                    saved.set(true);
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let delimiters = vec![
        (",".to_string(), "Comma ,".to_string()),
        (";".to_string(), "Semicolon ;".to_string()),
        ("tab".to_string(), "Tab".to_string()),
    ];
    let decimals = vec![
        (".".to_string(), "Point 1.5".to_string()),
        (",".to_string(), "Comma 1,5".to_string()),
    ];
    let encodings = vec![
        ("utf-8".to_string(), "UTF-8".to_string()),
        (
            "windows-1252".to_string(),
            "Windows-1252 (Excel)".to_string(),
        ),
    ];
    view! {
        <details class="card" open=integration.csv_config.is_none()>
            <summary><strong>"CSV import configuration"</strong></summary>
            <form on:submit=save class="csv-config">
                <div class="grid">
                    <Select label="Delimiter" value=delimiter options=Signal::derive(move || delimiters.clone()) field="delimiter" error=error />
                    <Select label="Decimal separator" value=decimal options=Signal::derive(move || decimals.clone()) field="decimalSeparator" error=error />
                    <Select label="Encoding" value=encoding options=Signal::derive(move || encodings.clone()) field="encoding" error=error />
                </div>
                <label><input type="checkbox" prop:checked=move || has_header.get() on:change:target=move |ev| has_header.set(ev.target().checked()) />"The first row is a header (columns by name; otherwise by position 1, 2, 3…)"</label>
                <div class="grid">
                    <Field label="POS code column" value=code field="codeColumn" error=error check=required />
                    <Field label="Item name column" value=name field="nameColumn" error=error />
                    <Field label="Quantity column" value=quantity field="quantityColumn" error=error check=required />
                </div>
                <div class="grid">
                    <Field label="Sales value column" value=value field="salesValueColumn" error=error />
                    <Field label="Date column" value=date field="dateColumn" error=error check=required />
                    <Field label="Date format" value=format field="dateFormat" error=error check=required placeholder="%d.%m.%Y %H:%M" />
                </div>
                <label>"Preview with a file " <input type="file" id="csv-sample" accept=".csv,text/csv,text/plain" on:change=pick /></label>
                <small class="muted">"Try the "<a href="/sales-sample.csv" download="sales-sample.csv">"sample sales file"</a>" (semicolons, decimal commas, dates like 09.11.2026 12:04)."</small>
                <Suspense fallback=|| ()>
                    {move || preview.get().flatten().map(|r| match r {
                        Ok(p) => view! { <PreviewTable preview=p /> }.into_any(),
                        Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
                    })}
                </Suspense>
                <FormError error=error />
                <button type="submit">"Save configuration"</button>
                {move || saved.get().then(|| view! { <small class="muted">" Saved."</small> })}
            </form>
        </details>
    }
}

#[component]
fn PreviewTable(preview: Preview) -> impl IntoView {
    view! {
        <div class="overflow-auto">
            <p class="muted">{format!("Header: {}", preview.header.join(" | "))}</p>
            <table class="csv-preview">
                <thead><tr><th class="num">"Row"</th><th>"Code"</th><th>"Item"</th><th class="num">"Qty"</th><th class="num">"Value"</th><th>"Business day"</th><th>"Problem"</th></tr></thead>
                <tbody>
                    {preview.rows.into_iter().map(|r| {
                        let bad = r.error.is_some();
                        view! {
                            <tr class:invalid=bad>
                                <td class="num">{r.row}</td>
                                <td>{r.code.unwrap_or_default()}</td>
                                <td>{r.name.unwrap_or_default()}</td>
                                <td class="num">{r.quantity.unwrap_or_default()}</td>
                                <td class="num">{r.sales_value.unwrap_or_default()}</td>
                                <td>{r.business_date.unwrap_or_default()}</td>
                                <td>{r.error.map(|e| format!("{}: {} ({})", e.column, e.message, e.value)).unwrap_or_default()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Upload a sales file for one location and follow its import.
#[component]
fn CsvUpload(integration: Integration) -> impl IntoView {
    let location = RwSignal::new(
        integration
            .locations
            .first()
            .map(|l| l.id.clone())
            .unwrap_or_default(),
    );
    let options: Vec<(String, String)> = integration
        .locations
        .iter()
        .map(|l| (l.id.clone(), l.name.clone()))
        .collect();
    let valid_only = RwSignal::new(false);
    let error: ServerError = RwSignal::new(None);
    let job = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let id = integration.id.clone();
    let upload = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(file) = chosen_file("csv-upload") else {
            error.set(Some(ApiError {
                message: "Choose a file".into(),
                code: "VALIDATION".into(),
                field: Some("file".into()),
            }));
            return;
        };
        let (id, loc) = (id.clone(), location.get_untracked());
        busy.set(true);
        job.set(None);
        leptos::task::spawn_local(async move {
            let r = api::upload::<Value>(
                "mutation($i: ID!, $l: ID!, $f: Upload!, $v: Boolean) { uploadPosCsv(integrationId: $i, locationId: $l, file: $f, postValidRowsOnly: $v) { id } }",
                json!({"i": id, "l": loc, "v": valid_only.get_untracked()}),
                &file,
            )
            .await;
            busy.set(false);
            match r {
                Ok(v) => job.set(v["uploadPosCsv"]["id"].as_str().map(str::to_string)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="card upload">
            <h2>"Upload sales"</h2>
            <form on:submit=upload>
                <Select label="Location" value=location options=Signal::derive(move || options.clone()) field="locationId" error=error />
                <label>"Sales file" <input type="file" id="csv-upload" name="file" accept=".csv,text/csv,text/plain" /></label>
                {move || error.get().filter(|e| e.field.as_deref() == Some("file")).map(|e| view! { <small class="field-error">{e.message}</small> })}
                <label><input type="checkbox" prop:checked=move || valid_only.get() on:change:target=move |ev| valid_only.set(ev.target().checked()) />"Post the valid rows only (by default a file with any invalid row posts nothing)"</label>
                <FormError error=error />
                <button type="submit" aria-busy=move || busy.get().then_some("true")>"Upload"</button>
            </form>
            {move || job.get().map(|j| view! { <JobProgress job_id=j /> })}
        </section>
    }
}
