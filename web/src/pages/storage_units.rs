//! Storage units: list with search (in the URL), create, rename, archive.

use leptos::prelude::*;
use serde::Deserialize;
use serde_json::json;

use super::{PageHead, load_error};
use crate::api::{self, ApiError};
use crate::forms::{Field, RecordForm, act_on, required, send};
use crate::i18n::t;
use crate::model::StorageUnit;
use crate::query::query_param;
use crate::session::use_session;

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Data {
    storage_units: Vec<StorageUnit>,
}

#[component]
pub fn StorageUnits() -> impl IntoView {
    let session = use_session();
    let (search, set_search) = query_param("q");
    let units = LocalResource::new(move || {
        let (company, search) = (session.company_id(), search.get());
        async move {
            api::gql::<Data>(
                "query($c: ID!, $q: String) { storageUnits(companyId: $c, search: $q) { id name address archived } }",
                json!({"c": company, "q": search}),
            )
            .await
        }
    });
    let name = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let create = move || {
        send(
            error,
            "mutation($c: ID!, $n: String!, $a: String) { createStorageUnit(companyId: $c, name: $n, address: $a) { id } }",
            json!({"c": session.company_id(), "n": name.get_untracked(), "a": address.get_untracked()}),
            move || {
                name.set(String::new());
                address.set(String::new());
                units.refetch();
            },
        )
    };
    let archive = move |id: String| {
        act_on(
            error,
            "mutation($id: ID!) { archiveStorageUnit(id: $id) { id } }",
            id,
            move || units.refetch(),
        )
    };
    view! {
        <PageHead title=t("nav-storage-units")>
            <input type="search" placeholder=t("storage-units-search-storage-units") aria-label=t("ingredients-search")
                prop:value=move || search.get()
                on:input:target=move |ev| set_search(ev.target().value()) />
        </PageHead>
        <Show when=move || session.can_manage()>
            <RecordForm noun="storage-unit" on_submit=create error=error>
                <div class="grid">
                    <Field label=t("ingredients-name") value=name field="name" error=error check=required placeholder=t("storage-units-walk-in-cooler") />
                    <Field label=t("storage-units-address-optional") value=address field="address" error=error />
                </div>
            </RecordForm>
        </Show>
        <Suspense fallback=|| view! { <p aria-busy="true">{crate::i18n::t("loading")}</p> }>
            {move || units.get().map(|r| match r {
                Ok(data) if data.storage_units.is_empty() => view! { <p class="muted">{t("storage-units-no-storage-units-yet")}</p> }.into_any(),
                Ok(data) => view! {
                    <div class="overflow-auto">
                        <table>
                            <thead><tr><th>{t("ingredients-name")}</th><th>{t("storage-units-address")}</th><th></th></tr></thead>
                            <tbody>
                                {data.storage_units.into_iter().map(|u| {
                                    let id = u.id.clone();
                                    view! {
                                        <tr>
                                            <td>{u.name}</td>
                                            <td class="muted">{u.address.unwrap_or_default()}</td>
                                            <td class="row-actions">
                                                <a role="button" class="secondary outline" href=format!("/storage-units/{}/places", u.id)>{t("places-title")}</a>
                                                <Show when=move || session.can_manage()>
                                                    {let id = id.clone(); view! { <button class="secondary outline" on:click=move |_| archive(id.clone())>{t("ingredients-archive")}</button> }}
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
