//! A POS location's row (its storage unit, activation, manual imports, latest job) and the
//! form that adds a CSV location.

use leptos::prelude::*;
use serde_json::{Value, json};

use crate::api::{self, ApiError};
use crate::forms::{Field, FormError, Select, ServerError, required};
use crate::pages::connections::TransferLogs;
use crate::pages::jobs::{Job, JobProgress};
use crate::session::use_session;

use crate::i18n::t;
use crate::model::PosLocation;

#[component]
pub(super) fn LocationRow(
    location: PosLocation,
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
                    message: t("locations-link-first"),
                    code: "CLIENT".into(),
                    field: Some("storageUnitId".into()),
                }));
                return;
            };
            let question = crate::i18n::t_with(
                "locations-activate-question",
                &[
                    ("name", crate::i18n::s(name.clone())),
                    ("unit", crate::i18n::s(linked)),
                ],
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
                    message: t("locations-pick-day"),
                    code: "CLIENT".into(),
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
                    <br /><small class="field-error unlisted">{t("integrations-no-longer-listed-by-the-pos-not-tran")}</small>
                })}
                <TransferLogs location_id=location.id.clone() />
            </td>
            <td>
                <Select label=t("field-storage-unit") value=unit options=Signal::derive(move || unit_names.clone()) field="storageUnitId" error=error empty=t("integrations-choose") />
                {session.can_manage().then(|| view! { <button class="secondary small" on:click=link>{t("integrations-link")}</button> })}
            </td>
            <td>{if active { "active" } else { "not active" }}</td>
            <td class="actions">
                {(session.can_manage() && !active).then(|| view! { <button class="activate" on:click=activate>{t("integrations-activate")}</button> })}
                {(session.can_manage() && active).then(|| view! {
                    <div class="transfer-row">
                        <input type="date" aria-label=t("integrations-business-day") prop:value=move || date.get() on:change:target=move |ev| date.set(ev.target().value()) />
                        <button class="small" on:click=transfer>{t("integrations-transfer-day")}</button>
                        <button class="secondary outline small" on:click=rerun>{t("integrations-rerun-migration")}</button>
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
pub(super) fn NewLocation(integration_id: String, version: RwSignal<u32>) -> impl IntoView {
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
            <Field label=t("integrations-location-code") value=external field="externalId" error=error check=required placeholder="dining-room" />
            <Field label=t("integrations-location-name") value=name field="name" error=error check=required placeholder=t("integrations-dining-room-2") />
            <FormError error=error />
            <button type="submit" class="secondary">{t("integrations-add-location")}</button>
        </form>
    }
}
