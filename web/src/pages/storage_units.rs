//! Storage units: list with search (in the URL), create, rename, archive.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use serde::Deserialize;
use serde_json::json;

use super::{PageHead, load_error};
use crate::api::{self, ApiError};
use crate::app::use_session;
use crate::forms::{Field, FormError, required};
use crate::model::StorageUnit;

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Data {
    storage_units: Vec<StorageUnit>,
}

/// A list filter that lives in the URL's query string, so a link reproduces the view.
pub fn query_param(key: &'static str) -> (Memo<String>, impl Fn(String) + Clone) {
    let query = use_query_map();
    let navigate = use_navigate();
    let value = Memo::new(move |_| query.get().get(key).unwrap_or_default());
    let set = move |v: String| {
        let mut params = query.get_untracked();
        if v.is_empty() {
            params.remove(key);
        } else {
            params.replace(key, v);
        }
        let path = web_sys::window()
            .and_then(|w| w.location().pathname().ok())
            .unwrap_or_default();
        navigate(
            &format!("{path}{}", params.to_query_string()),
            leptos_router::NavigateOptions {
                replace: true,
                ..Default::default()
            },
        );
    };
    (value, set)
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
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        leptos::task::spawn_local(async move {
            let result = api::gql::<serde_json::Value>(
                "mutation($c: ID!, $n: String!, $a: String) { createStorageUnit(companyId: $c, name: $n, address: $a) { id } }",
                json!({"c": session.company_id(), "n": name.get_untracked(), "a": address.get_untracked()}),
            )
            .await;
            match result {
                Ok(_) => {
                    name.set(String::new());
                    address.set(String::new());
                    units.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let archive = move |id: String| {
        leptos::task::spawn_local(async move {
            let _ = api::gql::<serde_json::Value>(
                "mutation($id: ID!) { archiveStorageUnit(id: $id) { id } }",
                json!({"id": id}),
            )
            .await;
            units.refetch();
        });
    };
    view! {
        <PageHead title="Storage units">
            <input type="search" placeholder="Search storage units" aria-label="Search"
                prop:value=move || search.get()
                on:input:target=move |ev| set_search(ev.target().value()) />
        </PageHead>
        <Show when=move || session.can_manage()>
            <details>
                <summary role="button" class="outline">"New storage unit"</summary>
                <form on:submit=create>
                    <div class="grid">
                        <Field label="Name" value=name field="name" error=error check=required placeholder="Walk-in cooler" />
                        <Field label="Address (optional)" value=address field="address" error=error />
                    </div>
                    <FormError error=error />
                    <button type="submit">"Create storage unit"</button>
                </form>
            </details>
        </Show>
        <Suspense fallback=|| view! { <p aria-busy="true">"Loading…"</p> }>
            {move || units.get().map(|r| match r {
                Ok(data) if data.storage_units.is_empty() => view! { <p class="muted">"No storage units yet."</p> }.into_any(),
                Ok(data) => view! {
                    <div class="overflow-auto">
                        <table>
                            <thead><tr><th>"Name"</th><th>"Address"</th><th></th></tr></thead>
                            <tbody>
                                {data.storage_units.into_iter().map(|u| {
                                    let id = u.id.clone();
                                    view! {
                                        <tr>
                                            <td>{u.name}</td>
                                            <td class="muted">{u.address.unwrap_or_default()}</td>
                                            <td class="row-actions">
                                                <Show when=move || session.can_manage()>
                                                    {let id = id.clone(); view! { <button class="secondary outline" on:click=move |_| archive(id.clone())>"Archive"</button> }}
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
