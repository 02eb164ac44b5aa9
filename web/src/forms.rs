//! Form pieces shared by the pages: inputs that validate as the user types and show the
//! server's error next to the field it names.

use leptos::prelude::*;
use serde_json::Value;

use crate::api::{self, ApiError};
use crate::i18n::t;

/// The last error the server gave for a form.
pub type ServerError = RwSignal<Option<ApiError>>;

/// A labelled input bound to `value`; `check` is the client-side rule, run as the user types.
#[component]
pub fn Field(
    #[prop(into)] label: String,
    value: RwSignal<String>,
    #[prop(into)] field: String,
    error: ServerError,
    #[prop(optional)] check: Option<fn(&str) -> Option<String>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] placeholder: String,
    #[prop(optional)] decimal: bool,
) -> impl IntoView {
    let touched = RwSignal::new(false);
    // A value set by the page (a form reset), not typed, is not the user's mistake yet.
    let typed = StoredValue::new(value.get_untracked());
    Effect::new(move |_| {
        if value.get() != typed.get_value() {
            touched.set(false);
        }
    });
    let field_name = field.clone();
    let local = Signal::derive(move || {
        if touched.get() {
            check.and_then(|c| c(&value.get()))
        } else {
            None
        }
    });
    let server = Signal::derive(move || {
        error
            .get()
            .filter(|e| e.field.as_deref() == Some(field_name.as_str()))
            .map(|e| e.said())
    });
    let message = Signal::derive(move || local.get().or_else(|| server.get()));
    view! {
        <label>
            <span class="label-text">{label}</span>
            <input
                type=kind
                name=field
                placeholder=placeholder
                inputmode=if decimal { "decimal" } else { "text" }
                prop:value=move || value.get()
                on:input:target=move |ev| {
                    let v = ev.target().value();
                    typed.set_value(v.clone());
                    touched.set(true);
                    value.set(v);
                    error.set(None);
                }
                aria-invalid=move || message.get().map(|_| "true")
            />
            {move || message.get().map(|m| view! { <small class="field-error">{m}</small> })}
        </label>
    }
}

pub fn required(v: &str) -> Option<String> {
    v.trim().is_empty().then(|| t("check-required"))
}

pub fn positive_number(v: &str) -> Option<String> {
    match decimal(v).parse::<rust_decimal::Decimal>() {
        Ok(n) if n > rust_decimal::Decimal::ZERO => None,
        Ok(_) => Some(t("check-positive")),
        Err(_) => Some(t("check-number")),
    }
}

/// A number as typed in the reader's language (a decimal comma on many kitchen tablets), as
/// the API reads it.
pub fn decimal(v: &str) -> String {
    crate::format::typed_number(v)
}

/// An error about no particular field, shown above the form's buttons.
#[component]
pub fn FormError(error: ServerError) -> impl IntoView {
    move || {
        error
            .get()
            .filter(|e| e.field.is_none())
            .map(|e| view! { <p class="form-error" role="alert">{e.said()}</p> })
    }
}

/// A select with the given (value, label) options.
#[component]
pub fn Select(
    #[prop(into)] label: String,
    value: RwSignal<String>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(into)] field: String,
    error: ServerError,
    #[prop(optional, into)] empty: Option<String>,
) -> impl IntoView {
    let field_name = field.clone();
    let message = Signal::derive(move || {
        error
            .get()
            .filter(|e| e.field.as_deref() == Some(field_name.as_str()))
            .map(|e| e.said())
    });
    view! {
        <label>
            <span class="label-text">{label}</span>
            <select
                name=field
                on:change:target=move |ev| {
                    value.set(ev.target().value());
                    error.set(None);
                }
                aria-invalid=move || message.get().map(|_| "true")
            >
                {empty.map(|e| view! { <option value="" selected=move || value.get().is_empty()>{e}</option> })}
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|(v, l)| {
                            let selected_value = v.clone();
                            view! { <option value=v selected=move || value.get() == selected_value>{l}</option> }
                        })
                        .collect_view()
                }}
            </select>
            {move || message.get().map(|m| view! { <small class="field-error">{m}</small> })}
        </label>
    }
}

/// A list page's form for one record, folded away until asked for: "New vendor" opens it,
/// "Create vendor" sends it; while `editing`, it is open and says "Edit vendor", "Save vendor"
/// and offers "Cancel". The fields are its children; server errors land on them by name.
#[component]
pub fn RecordForm(
    /// The record's catalogue key: its texts are `<noun>-new`, `-edit`, `-create`, `-save`.
    noun: &'static str,
    on_submit: impl Fn() + 'static,
    error: ServerError,
    #[prop(into, default = Signal::stored(false))] editing: Signal<bool>,
    #[prop(optional)] on_cancel: Option<Callback<()>>,
    #[prop(optional)] id: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let open = RwSignal::new(false);
    Effect::new(move |_| {
        if editing.get() {
            open.set(true);
        }
    });
    let said = move |new: &str, old: &str| {
        let verb = if editing.get() { old } else { new };
        t(&format!("{noun}-{verb}"))
    };
    view! {
        <details prop:open=move || open.get()>
            <summary role="button" class="outline" on:click=move |ev| { ev.prevent_default(); open.update(|o| *o = !*o); }>
                {move || said("new", "edit")}
            </summary>
            <form id=id on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); on_submit(); }>
                {children()}
                <FormError error=error />
                <div class="grid">
                    <button type="submit">{move || said("create", "save")}</button>
                    {on_cancel.map(|cancel| view! {
                        <Show when=move || editing.get()>
                            <button type="button" class="secondary outline" on:click=move |_| cancel.run(())>{t("action-cancel")}</button>
                        </Show>
                    })}
                </div>
            </form>
        </details>
    }
}

/// Sends a form's mutation: on success clears the form's error and runs `done` (reset the
/// fields, reload the list); else shows the server's error on the field it names.
pub fn send(
    error: ServerError,
    mutation: &'static str,
    variables: Value,
    done: impl FnOnce() + 'static,
) {
    leptos::task::spawn_local(async move {
        match api::gql::<Value>(mutation, variables).await {
            Ok(_) => {
                error.set(None);
                done();
            }
            Err(e) => error.set(Some(e)),
        }
    });
}

/// A row's action on one record by id (archive it): `mutation` takes `$id`; then `done`.
pub fn act_on(
    error: ServerError,
    mutation: &'static str,
    id: String,
    done: impl FnOnce() + 'static,
) {
    send(error, mutation, serde_json::json!({ "id": id }), done);
}
