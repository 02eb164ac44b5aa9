//! Vendors: list with search, create, edit in place, archive.

use leptos::prelude::*;
use serde::Deserialize;
use serde_json::json;

use super::{PageHead, load_error};
use crate::api::{self, ApiError};
use crate::forms::{Field, RecordForm, act_on, required, send};
use crate::i18n::t;
use crate::model::Vendor;
use crate::query::query_param;
use crate::session::use_session;

#[derive(Clone, Deserialize)]
struct Data {
    vendors: Vec<Vendor>,
}

#[component]
pub fn Vendors() -> impl IntoView {
    let session = use_session();
    let (search, set_search) = query_param("q");
    let list = LocalResource::new(move || {
        let (company, search) = (session.company_id(), search.get());
        async move {
            api::gql::<Data>(
                "query($c: ID!, $q: String) { vendors(companyId: $c, search: $q) { id name email phone notes leadTimeDays orderWeekdays minimumOrderValue } }",
                json!({"c": company, "q": search}),
            )
            .await
        }
    });
    // None: the form creates; Some(id): it edits that vendor.
    let editing = RwSignal::new(None::<String>);
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let notes = RwSignal::new(String::new());
    let lead_time = RwSignal::new("1".to_string());
    let weekdays = RwSignal::new(Vec::<u32>::new());
    let minimum = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let reset = move || {
        editing.set(None);
        for s in [name, email, phone, notes, minimum] {
            s.set(String::new());
        }
        lead_time.set("1".into());
        weekdays.set(Vec::new());
    };
    let edit = move |v: Vendor| {
        editing.set(Some(v.id));
        name.set(v.name);
        email.set(v.email.unwrap_or_default());
        phone.set(v.phone.unwrap_or_default());
        notes.set(v.notes.unwrap_or_default());
        lead_time.set(v.lead_time_days.to_string());
        weekdays.set(v.order_weekdays);
        minimum.set(
            v.minimum_order_value
                .as_deref()
                .map(crate::format::typed_number)
                .unwrap_or_default(),
        );
    };
    let submit = move || {
        let minimum = minimum.get_untracked();
        let input = json!({"name": name.get_untracked(), "email": email.get_untracked(), "phone": phone.get_untracked(), "notes": notes.get_untracked(),
            "leadTimeDays": lead_time.get_untracked().trim().parse::<i64>().ok(), "orderWeekdays": weekdays.get_untracked(),
            "minimumOrderValue": if minimum.trim().is_empty() { serde_json::Value::Null } else { json!(crate::forms::decimal(&minimum)) }});
        let done = move || {
            reset();
            list.refetch();
        };
        match editing.get_untracked() {
            None => send(
                error,
                "mutation($c: ID!, $in: VendorInput!) { createVendor(companyId: $c, input: $in) { id } }",
                json!({"c": session.company_id(), "in": input}),
                done,
            ),
            Some(id) => send(
                error,
                "mutation($id: ID!, $in: VendorInput!) { updateVendor(id: $id, input: $in) { id } }",
                json!({"id": id, "in": input}),
                done,
            ),
        }
    };
    let archive = move |id: String| {
        act_on(
            error,
            "mutation($id: ID!) { archiveVendor(id: $id) { id } }",
            id,
            move || list.refetch(),
        )
    };
    view! {
        <PageHead title=t("nav-vendors")>
            <input type="search" placeholder=t("vendors-search-vendors") aria-label=t("ingredients-search")
                prop:value=move || search.get()
                on:input:target=move |ev| set_search(ev.target().value()) />
        </PageHead>
        <Show when=move || session.can_manage()>
            <RecordForm noun="vendor" on_submit=submit error=error
                editing=Signal::derive(move || editing.get().is_some()) on_cancel=Callback::new(move |()| reset())>
                <div class="grid">
                    <Field label=t("ingredients-name") value=name field="name" error=error check=required />
                    <Field label=t("vendors-order-email") value=email field="email" error=error kind="email" />
                    <Field label=t("vendors-phone") value=phone field="phone" error=error kind="tel" />
                </div>
                <div class="grid">
                    <Field label=t("vendors-lead-time") value=lead_time field="leadTimeDays" error=error kind="number" />
                    <Field label=t("vendors-minimum-order") value=minimum field="minimumOrderValue" error=error decimal=true />
                </div>
                <fieldset class="weekdays">
                    <legend>{t("vendors-order-weekdays")}</legend>
                    {(1..=7u32).map(|d| view! {
                        <label>
                            <input type="checkbox" prop:checked=move || weekdays.with(|w| w.contains(&d))
                                on:change:target=move |ev| {
                                    let on = ev.target().checked();
                                    weekdays.update(|w| { w.retain(|x| *x != d); if on { w.push(d); w.sort_unstable(); } });
                                } />
                            {t(&format!("weekday-{d}"))}
                        </label>
                    }).collect_view()}
                </fieldset>
                <Field label=t("vendors-notes-delivery-days-minimum-order") value=notes field="notes" error=error />
            </RecordForm>
        </Show>
        <Suspense fallback=|| view! { <p aria-busy="true">{crate::i18n::t("loading")}</p> }>
            {move || list.get().map(|r| match r {
                Ok(data) if data.vendors.is_empty() => view! { <p class="muted">{t("vendors-no-vendors-match")}</p> }.into_any(),
                Ok(data) => view! {
                    <div class="overflow-auto">
                        <table>
                            <thead><tr><th>{t("ingredients-name")}</th><th>{t("auth-email")}</th><th>{t("vendors-phone")}</th><th>{t("vendors-terms")}</th><th>{t("vendors-notes")}</th><th></th></tr></thead>
                            <tbody>
                                {data.vendors.into_iter().map(|v| {
                                    let (for_edit, id) = (v.clone(), v.id.clone());
                                    let terms = vendor_terms(&v);
                                    view! {
                                        <tr>
                                            <td>{v.name}</td>
                                            <td>{v.email.unwrap_or_default()}</td>
                                            <td>{v.phone.unwrap_or_default()}</td>
                                            <td>{terms}</td>
                                            <td class="muted">{v.notes.unwrap_or_default()}</td>
                                            <td class="row-actions">
                                                <Show when=move || session.can_manage()>
                                                    {let (for_edit, id) = (for_edit.clone(), id.clone()); view! {
                                                        <button class="secondary outline" on:click=move |_| edit(for_edit.clone())>{t("vendors-edit")}</button>
                                                        <button class="secondary outline" on:click=move |_| archive(id.clone())>{t("ingredients-archive")}</button>
                                                    }}
                                                </Show>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
                Err(e) => load_error(e),
            })}
        </Suspense>
    }
}

/// "2 days · Mon, Thu · min. €100.00".
fn vendor_terms(v: &Vendor) -> String {
    let mut parts = vec![crate::i18n::t_with(
        "purchasing-lead-time",
        &[("days", crate::i18n::n(v.lead_time_days as f64))],
    )];
    if !v.order_weekdays.is_empty() {
        parts.push(
            v.order_weekdays
                .iter()
                .map(|d| t(&format!("weekday-{d}")))
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    if let Some(m) = &v.minimum_order_value {
        parts.push(crate::i18n::t_with(
            "purchasing-minimum",
            &[("minimum", crate::i18n::s(crate::format::money(m)))],
        ));
    }
    parts.join(" · ")
}
