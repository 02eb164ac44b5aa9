//! Settings: the company (owner), its members and API tokens for integrators.

use leptos::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{PageHead, load_error};
use crate::api::{self, ApiError};
use crate::forms::{Field, FormError, Select, decimal, required, send};
use crate::i18n::{Lang, t};
use crate::model::{ApiToken, Company, Member};
use crate::session::use_session;
use crate::states::Role;

fn role_label(role: Role) -> String {
    t(&format!("{}-can", role.key()))
}

/// An API token acts at most as a MANAGER (the server refuses more).
fn token_roles() -> Vec<(String, String)> {
    roles()
        .into_iter()
        .filter(|(v, _)| v != Role::Owner.code())
        .collect()
}

fn roles() -> Vec<(String, String)> {
    Role::ALL
        .iter()
        .map(|r| (r.code().to_string(), role_label(*r)))
        .collect()
}

#[component]
pub fn Settings() -> impl IntoView {
    let session = use_session();
    view! {
        <PageHead title=t("nav-settings")><span></span></PageHead>
        <Profile />
        {move || {
            let company = session.company.get()?;
            let me = session.me.get()?;
            let current = me.memberships.into_iter().find(|m| m.company.id == company)?.company;
            Some(view! { <CompanyForm company=current /> })
        }}
        <Members />
        <Show when=move || session.is_owner()>
            <ApiTokens />
        </Show>
    }
}

/// The user's own name and the app's language: theirs, saved on the server, followed on every
/// device they sign in on.
#[component]
fn Profile() -> impl IntoView {
    let session = use_session();
    let me = session.me.get_untracked();
    let name = RwSignal::new(me.as_ref().map(|m| m.name.clone()).unwrap_or_default());
    let locale = RwSignal::new(
        me.and_then(|m| m.locale)
            .map(|l| l.to_lowercase())
            .unwrap_or_default(),
    );
    let error = RwSignal::new(None::<ApiError>);
    let languages = Signal::stored(
        Lang::ALL
            .iter()
            .map(|l| (l.code().to_string(), l.name().to_string()))
            .collect::<Vec<_>>(),
    );
    let save = move || {
        let chosen = Lang::from_tag(&locale.get_untracked());
        let input = json!({
            "name": name.get_untracked(),
            "locale": chosen.map(|l| l.code().to_uppercase()),
        });
        send(
            error,
            "mutation($in: UpdateMeInput!) { updateMe(input: $in) { locale } }",
            json!({"in": input}),
            move || {
                crate::i18n::remember(chosen);
                // Every view is built in the new language.
                if let Some(w) = web_sys::window() {
                    let _ = w.location().reload();
                }
            },
        );
    };
    view! {
        <article id="profile">
            <header><strong>{t("profile-title")}</strong></header>
            <form on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); save(); }>
                <div class="grid">
                    <Field label=t("profile-name") value=name field="name" error=error check=required />
                    <Select label=t("profile-language") value=locale options=languages field="locale" error=error empty=t("profile-language-browser") />
                </div>
                <FormError error=error />
                <button type="submit">{t("profile-save")}</button>
            </form>
        </article>
    }
}

#[component]
fn CompanyForm(company: Company) -> impl IntoView {
    let session = use_session();
    let id = company.id.clone();
    let name = RwSignal::new(company.name);
    let currency = RwSignal::new(company.currency);
    let timezone = RwSignal::new(company.timezone);
    let hour = RwSignal::new(company.business_day_start_hour.to_string());
    let vat = RwSignal::new(crate::format::typed_number(&company.sales_vat_percent));
    let alert = RwSignal::new(crate::format::typed_number(&company.price_alert_percent));
    let blind = RwSignal::new(company.blind_counts);
    let error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = id.clone();
        leptos::task::spawn_local(async move {
            let Ok(h) = hour.get_untracked().trim().parse::<i32>() else {
                error.set(Some(ApiError {
                    message: "Enter an hour from 0 to 23".into(),
                    code: "VALIDATION".into(),
                    field: Some("businessDayStartHour".into()),
                }));
                return;
            };
            let input = json!({"name": name.get_untracked(), "currency": currency.get_untracked(), "timezone": timezone.get_untracked(), "businessDayStartHour": h, "salesVatPercent": decimal(&vat.get_untracked()), "priceAlertPercent": decimal(&alert.get_untracked()), "blindCounts": blind.get_untracked()});
            match api::gql::<Value>("mutation($id: ID!, $in: CompanyPatchInput!) { updateCompany(id: $id, input: $in) { id } }", json!({"id": id, "in": input})).await {
                Ok(_) => {
                    saved.set(true);
                    session.reload();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <article>
            <header><strong>{t("nav-company")}</strong></header>
            <form on:submit=submit>
                <fieldset disabled=move || !session.is_owner()>
                    <div class="grid">
                        <Field label=t("ingredients-name") value=name field="name" error=error check=required />
                        <Field label=t("settings-currency-iso-code") value=currency field="currency" error=error check=required />
                    </div>
                    <div class="grid">
                        <Field label=t("settings-timezone-iana") value=timezone field="timezone" error=error check=required />
                        <Field label=t("settings-business-day-starts-at-hour") value=hour field="businessDayStartHour" error=error kind="number" />
                    </div>
                    <div class="grid">
                        <Field label=t("settings-sales-vat") value=vat field="salesVatPercent" error=error decimal=true />
                        <Field label=t("settings-price-alert") value=alert field="priceAlertPercent" error=error decimal=true />
                    </div>
                    <label>
                        <input type="checkbox" name="blindCounts" prop:checked=move || blind.get() on:change=move |ev| blind.set(event_target_checked(&ev)) />
                        {t("settings-blind-counts")}
                    </label>
                    <FormError error=error />
                    <button type="submit">{t("settings-save-company")}</button>
                    {move || saved.get().then(|| view! { <p role="status">{t("ingredients-saved")}</p> })}
                </fieldset>
            </form>
        </article>
    }
}

#[derive(Clone, Deserialize)]
struct MembersData {
    members: Vec<Member>,
}

#[component]
fn Members() -> impl IntoView {
    let session = use_session();
    let list = LocalResource::new(move || {
        let company = session.company_id();
        async move {
            api::gql::<MembersData>(
                "query($c: ID!) { members(companyId: $c) { email name role } }",
                json!({"c": company}),
            )
            .await
        }
    });
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Staff.code().to_string());
    let error = RwSignal::new(None::<ApiError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        leptos::task::spawn_local(async move {
            match api::gql::<Value>(
                "mutation($c: ID!, $e: String!, $r: Role!) { addMember(companyId: $c, email: $e, role: $r) { email } }",
                json!({"c": session.company_id(), "e": email.get_untracked(), "r": role.get_untracked()}),
            )
            .await
            {
                Ok(_) => {
                    email.set(String::new());
                    list.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <article>
            <header><strong>{t("settings-members")}</strong></header>
            <Suspense fallback=|| view! { <p aria-busy="true">{crate::i18n::t("loading")}</p> }>
                {move || list.get().map(|r| match r {
                    Ok(data) => view! {
                        <table>
                            <thead><tr><th>{t("ingredients-name")}</th><th>{t("auth-email")}</th><th>{t("settings-role")}</th></tr></thead>
                            <tbody>
                                {data.members.into_iter().map(|m| view! { <tr><td>{m.name}</td><td>{m.email}</td><td>{m.role.label()}</td></tr> }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(e) => load_error(e),
                })}
            </Suspense>
            <Show when=move || session.is_owner()>
                <form on:submit=submit>
                    <p class="muted">{t("settings-add-someone-who-has-signed-up-to-lar")}</p>
                    <div class="grid">
                        <Field label=t("auth-email") value=email field="email" error=error kind="email" check=required />
                        <Select label=t("settings-role") value=role options=roles() field="role" error=error />
                    </div>
                    <FormError error=error />
                    <button type="submit">{t("settings-add-member")}</button>
                </form>
            </Show>
        </article>
    }
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokensData {
    api_tokens: Vec<ApiToken>,
}

#[component]
fn ApiTokens() -> impl IntoView {
    let session = use_session();
    let list = LocalResource::new(move || {
        let company = session.company_id();
        async move {
            api::gql::<TokensData>(
                "query($c: ID!) { apiTokens(companyId: $c) { id name role prefix createdAt lastUsedAt revokedAt } }",
                json!({"c": company}),
            )
            .await
        }
    });
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Viewer.code().to_string());
    let error = RwSignal::new(None::<ApiError>);
    let created = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        leptos::task::spawn_local(async move {
            match api::gql::<Value>(
                "mutation($c: ID!, $n: String!, $r: Role!) { createApiToken(companyId: $c, name: $n, role: $r) { token } }",
                json!({"c": session.company_id(), "n": name.get_untracked(), "r": role.get_untracked()}),
            )
            .await
            {
                Ok(data) => {
                    created.set(data["createApiToken"]["token"].as_str().map(str::to_string));
                    name.set(String::new());
                    list.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let revoke = move |id: String| {
        leptos::task::spawn_local(async move {
            let _ = api::gql::<Value>(
                "mutation($id: ID!) { revokeApiToken(id: $id) { id } }",
                json!({"id": id}),
            )
            .await;
            list.refetch();
        });
    };
    view! {
        <article>
            <header><strong>{t("settings-api-tokens")}</strong><span class="muted">{t("settings-for-integrations-on-the-graphql-api")}</span></header>
            {move || created.get().map(|token| view! {
                <p role="status">{t("settings-copy-this-token-now-it-is-not-shown")} <code class="token-once">{token}</code></p>
            })}
            <Suspense fallback=|| view! { <p aria-busy="true">{crate::i18n::t("loading")}</p> }>
                {move || list.get().map(|r| match r {
                    Ok(data) => view! {
                        <table>
                            <thead><tr><th>{t("ingredients-name")}</th><th>{t("settings-role")}</th><th>{t("settings-token")}</th><th>{t("settings-last-used")}</th><th></th></tr></thead>
                            <tbody>
                                {data.api_tokens.into_iter().map(|token| {
                                    let id = token.id.clone();
                                    let revoked = token.revoked_at.is_some();
                                    view! {
                                        <tr>
                                            <td>{token.name}</td>
                                            <td>{token.role.label()}</td>
                                            <td><code>{format!("{}…", token.prefix)}</code></td>
                                            <td class="muted">{token.last_used_at.unwrap_or_else(|| "never".into())}</td>
                                            <td class="row-actions">
                                                {if revoked {
                                                    view! { <span class="badge off">{t("settings-revoked")}</span> }.into_any()
                                                } else {
                                                    view! { <button class="secondary outline" on:click=move |_| revoke(id.clone())>{t("settings-revoke")}</button> }.into_any()
                                                }}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(e) => load_error(e),
                })}
            </Suspense>
            <form on:submit=submit>
                <div class="grid">
                    <Field label=t("settings-token-name") value=name field="name" error=error check=required placeholder=t("settings-accounting-export") />
                    <Select label=t("settings-role") value=role options=token_roles() field="role" error=error />
                </div>
                <FormError error=error />
                <button type="submit">{t("settings-create-token")}</button>
            </form>
        </article>
    }
}
