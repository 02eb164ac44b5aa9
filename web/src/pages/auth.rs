//! Sign-in and sign-up.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use serde::Deserialize;
use serde_json::json;

use crate::api::{self, ApiError};
use crate::forms::{Field, FormError, required};
use crate::i18n::t;
use crate::session::use_session;

#[derive(Deserialize)]
struct Token {
    token: String,
}

#[component]
pub fn Login() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let navigate = navigate.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            #[derive(Deserialize)]
            struct Data {
                login: Token,
            }
            let result = api::gql::<Data>(
                "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
                json!({"e": email.get_untracked(), "p": password.get_untracked()}),
            )
            .await;
            busy.set(false);
            match result {
                Ok(data) => {
                    session.sign_in(&data.login.token);
                    navigate("/", Default::default());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <main class="auth">
            <article>
                <header><h1>{t("auth-sign-in-title")}</h1></header>
                <form on:submit=submit>
                    <Field label=t("auth-email") value=email field="email" error=error kind="email" check=required />
                    <Field label=t("auth-password") value=password field="password" error=error kind="password" check=required />
                    <FormError error=error />
                    <button type="submit" aria-busy=move || busy.get().then_some("true")>{t("auth-sign-in")}</button>
                </form>
                <footer>{t("auth-new-here")}" " <A href="/signup">{t("auth-create-account-link")}</A></footer>
            </article>
        </main>
    }
}

fn password_rule(v: &str) -> Option<String> {
    (v.chars().count() < 8).then(|| t("check-password-length"))
}

fn email_rule(v: &str) -> Option<String> {
    (!v.contains('@') || !v.contains('.')).then(|| t("check-email"))
}

#[component]
pub fn SignUp() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let company = RwSignal::new(String::new());
    let timezone = RwSignal::new(browser_timezone());
    let currency = RwSignal::new("EUR".to_string());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let navigate = navigate.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            #[derive(Deserialize)]
            #[serde(rename_all = "camelCase")]
            struct Data {
                sign_up: Token,
            }
            let input = json!({
                "name": name.get_untracked(), "email": email.get_untracked(), "password": password.get_untracked(),
                "companyName": company.get_untracked(), "timezone": timezone.get_untracked(), "currency": currency.get_untracked(),
            });
            let result = api::gql::<Data>(
                "mutation($input: SignUpInput!) { signUp(input: $input) { token } }",
                json!({"input": input}),
            )
            .await;
            busy.set(false);
            match result {
                Ok(data) => {
                    session.sign_in(&data.sign_up.token);
                    navigate("/", Default::default());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <main class="auth">
            <article>
                <header><h1>{t("auth-sign-up-title")}</h1></header>
                <form on:submit=submit>
                    <Field label=t("auth-your-name") value=name field="name" error=error check=required />
                    <Field label=t("auth-email") value=email field="email" error=error kind="email" check=email_rule />
                    <Field label=t("auth-password") value=password field="password" error=error kind="password" check=password_rule />
                    <Field label=t("auth-company-name") value=company field="companyName" error=error check=required />
                    <div class="grid">
                        <Field label=t("company-timezone") value=timezone field="timezone" error=error check=required />
                        <Field label=t("company-currency") value=currency field="currency" error=error check=required />
                    </div>
                    <FormError error=error />
                    <button type="submit" aria-busy=move || busy.get().then_some("true")>{t("auth-create-account")}</button>
                </form>
                <footer>{t("auth-have-account")}" " <A href="/login">{t("auth-sign-in")}</A></footer>
            </article>
        </main>
    }
}

/// The browser's IANA timezone, the likeliest one for a new restaurant.
fn browser_timezone() -> String {
    js_sys_timezone().unwrap_or_else(|| "UTC".to_string())
}

fn js_sys_timezone() -> Option<String> {
    let intl = js_sys::Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let ctor = js_sys::Reflect::get(&intl, &"DateTimeFormat".into()).ok()?;
    let ctor: js_sys::Function = ctor.into();
    let formatter = ctor.call0(&intl).ok()?;
    let resolved: js_sys::Function = js_sys::Reflect::get(&formatter, &"resolvedOptions".into())
        .ok()?
        .into();
    let options = resolved.call0(&formatter).ok()?;
    js_sys::Reflect::get(&options, &"timeZone".into())
        .ok()?
        .as_string()
}
