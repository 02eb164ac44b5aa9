//! Waste: one line or many, posted all or nothing, each with a reason.

use leptos::prelude::*;
use serde_json::{Value, json};

use super::choices::{Choices, choices, ingredient_options, unit_options};
use crate::api::{self, ApiError};
use crate::forms::{Field, FormError, Select, ServerError, decimal, positive_number};
use crate::i18n::{n, t, t_with};
use crate::pages::{PageHead, load_error};

#[derive(Clone, Copy)]
struct WasteRow {
    key: usize,
    ingredient: RwSignal<String>,
    quantity: RwSignal<String>,
    reason: RwSignal<String>,
    other: RwSignal<String>,
}

impl WasteRow {
    fn new(key: usize) -> Self {
        Self {
            key,
            ingredient: RwSignal::new(String::new()),
            quantity: RwSignal::new(String::new()),
            reason: RwSignal::new("Spoiled".into()),
            other: RwSignal::new(String::new()),
        }
    }
}

#[component]
pub fn Waste() -> impl IntoView {
    let data = choices();
    move || {
        data.get().map(|r| match r {
            Ok(c) => view! { <WasteForm choices=c /> }.into_any(),
            Err(e) => load_error(e),
        })
    }
}

#[component]
fn WasteForm(choices: Choices) -> impl IntoView {
    let unit = RwSignal::new(
        choices
            .storage_units
            .first()
            .map(|s| s.id.clone())
            .unwrap_or_default(),
    );
    let rows = RwSignal::new(vec![WasteRow::new(0)]);
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<String>);
    let units = unit_options(&choices);
    let reasons: Vec<(String, String)> = choices
        .waste_reasons
        .iter()
        .cloned()
        .chain(["Other".to_string()])
        .map(|r| {
            (
                r.clone(),
                t(&format!("reason-{}", r.to_lowercase().replace(' ', "-"))),
            )
        })
        .collect();
    let ingredients = ingredient_options(&choices);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        leptos::task::spawn_local(async move {
            let lines: Vec<Value> = rows
                .get_untracked()
                .iter()
                .map(|r| {
                    let reason = if r.reason.get_untracked() == "Other" { format!("Other: {}", r.other.get_untracked()) } else { r.reason.get_untracked() };
                    json!({"input": {"storageUnitId": unit.get_untracked(), "ingredientId": r.ingredient.get_untracked(), "quantity": decimal(&r.quantity.get_untracked())}, "reason": reason})
                })
                .collect();
            let count = lines.len();
            match api::gql::<Value>(
                "mutation($l: [WasteLineInput!]!) { postBulkWaste(lines: $l) { id } }",
                json!({"l": lines}),
            )
            .await
            {
                Ok(_) => {
                    rows.set(vec![WasteRow::new(0)]);
                    done.set(Some(t_with("waste-posted", &[("count", n(count as f64))])));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let add = move |_| {
        rows.update(|r| {
            let key = r.iter().map(|x| x.key + 1).max().unwrap_or(0);
            r.push(WasteRow::new(key));
        })
    };
    view! {
        <PageHead title=t("nav-waste")><span></span></PageHead>
        <form on:submit=submit id="waste">
            <Select label=t("field-storage-unit") value=unit options=units field="storageUnitId" error=error />
            <table class="line-editor">
                <thead><tr><th>{t("field-ingredient")}</th><th>{t("field-quantity-base")}</th><th>{t("field-reason")}</th><th></th></tr></thead>
                <tbody>
                    <For each=move || rows.get().into_iter().enumerate() key=|(i, r)| (*i, r.key) let:item>
                        {
                            let (i, row) = item;
                            view! { <WasteLine index=i row=row rows=rows ingredients=ingredients.clone() reasons=reasons.clone() error=error /> }
                        }
                    </For>
                </tbody>
            </table>
            <button type="button" class="secondary outline" on:click=add>{t("waste-add-line")}</button>
            <FormError error=error />
            {move || done.get().map(|m| view! { <p role="status">{m}</p> })}
            <button type="submit">{t("waste-post")}</button>
        </form>
    }
}

#[component]
fn WasteLine(
    index: usize,
    row: WasteRow,
    rows: RwSignal<Vec<WasteRow>>,
    ingredients: Vec<(String, String)>,
    reasons: Vec<(String, String)>,
    error: ServerError,
) -> impl IntoView {
    // One line is posted as the single form; many as lines[i] — errors name either.
    let field = move |f: &str| {
        if rows.with_untracked(|r| r.len()) > 1 {
            format!("lines[{index}].{f}")
        } else {
            format!("input.{f}")
        }
    };
    let reason_field = if rows.with_untracked(|r| r.len()) > 1 {
        format!("lines[{index}].reason")
    } else {
        "reason".into()
    };
    view! {
        <tr>
            <td><Select label=t("field-ingredient") value=row.ingredient options=ingredients field=field("ingredientId") error=error empty=t("choose") /></td>
            <td><Field label=t("field-quantity-base") value=row.quantity field=field("quantity") error=error check=positive_number decimal=true /></td>
            <td>
                <Select label=t("field-reason") value=row.reason options=reasons field=reason_field error=error />
                <Show when=move || row.reason.get() == "Other">
                    <Field label=t("waste-what-happened") value=row.other field="other" error=error />
                </Show>
            </td>
            <td class="row-actions"><button type="button" class="secondary outline" aria-label=t("waste-remove-line") on:click=move |_| rows.update(|r| r.retain(|x| x.key != row.key))>"✕"</button></td>
        </tr>
    }
}
