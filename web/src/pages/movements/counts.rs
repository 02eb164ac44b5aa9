//! Stock counts: a count sheet against the books, saved line by line, posted once.

use leptos::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};

use super::choices::{ChoiceIngredient, choices, unit_options};
use super::count_list::CountList;
use crate::api::{self, ApiError};
use crate::forms::{Field, FormError, Select, decimal};
use crate::i18n::{n, t, t_with};
use crate::model::Named;
use crate::pages::{PageHead, load_error};

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Session {
    id: String,
    check_above_percent: i32,
    lines: Vec<SessionLine>,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SessionLine {
    ingredient: ChoiceIngredient,
    book_quantity: String,
    counted_quantity: Option<String>,
    /// The service's difference and whether it is worth a second look, as last saved.
    difference: Option<String>,
    check: bool,
}

/// What a save answers of each line: its difference and whether to look again.
#[derive(Clone, Deserialize)]
struct Checked {
    ingredient: Named,
    difference: Option<String>,
    check: bool,
}

#[derive(Clone, Deserialize)]
struct Saved {
    lines: Vec<Checked>,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SaveAnswer {
    save_stock_count: Saved,
}

/// A line's difference as the service last said it, and whether it needs a second look.
type Shown = (Option<String>, bool);

/// A signed difference for people: "+2.5", "-3", "0".
fn signed(d: &str) -> String {
    let q = crate::format::qty(d);
    if q.starts_with('-') || q == "0" {
        q
    } else {
        format!("+{q}")
    }
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Started {
    start_stock_count: Session,
}

const SESSION: &str = "id checkAbovePercent lines { ingredient { id name baseUnit } bookQuantity countedQuantity difference check }";

#[component]
pub fn StockCounts() -> impl IntoView {
    let data = choices();
    let unit = RwSignal::new(String::new());
    let version = RwSignal::new(0);
    // Choosing a storage unit opens its count, or resumes the one already open.
    let session = LocalResource::new(move || {
        version.track();
        let unit = unit.get();
        async move {
            if unit.is_empty() {
                return Ok(None);
            }
            api::gql::<Started>(
                &format!(
                    "mutation($s: ID!) {{ startStockCount(storageUnitId: $s) {{ {SESSION} }} }}"
                ),
                json!({"s": unit}),
            )
            .await
            .map(|d| Some(d.start_stock_count))
        }
    });
    let units = Signal::derive(move || {
        data.get()
            .and_then(Result::ok)
            .map(|c| unit_options(&c))
            .unwrap_or_default()
    });
    let error = RwSignal::new(None::<ApiError>);
    let posted = RwSignal::new(None::<String>);
    // A new choice of unit clears what the last post said.
    Effect::new(move |_| {
        if !unit.get().is_empty() {
            posted.set(None);
        }
    });
    view! {
        <PageHead title=t("count-title")><span></span></PageHead>
        <Select label=t("count-storage-unit") value=unit options=units field="storageUnitId" error=error empty=t("choose") />
        {move || posted.get().map(|m| view! { <p role="status" id="count-posted">{m}</p> })}
        {move || session.get().map(|r| match r {
            Ok(None) => view! { <p class="muted">{t("count-choose")}</p> }.into_any(),
            Ok(Some(s)) if s.lines.is_empty() => view! { <p class="muted">{t("count-nothing-stocked")}</p> }.into_any(),
            Ok(Some(s)) => view! { <CountSheet session=s on_posted=move |said: String| {
                // Posted: say so and close the sheet (choosing the unit again starts a new count).
                posted.set(Some(said));
                unit.set(String::new());
                version.update(|n| *n += 1);
            } /> }.into_any(),
            Err(e) => load_error(e),
        })}
        <CountList units=units reload=move || { version.track(); session.track(); } resume=move |u| unit.set(u) />
    }
}

#[component]
fn CountSheet(session: Session, on_posted: impl Fn(String) + Copy + 'static) -> impl IntoView {
    let check_above = session.check_above_percent;
    let counted: Vec<(SessionLine, RwSignal<String>)> = session
        .lines
        .into_iter()
        .map(|l| {
            let value = l
                .counted_quantity
                .as_deref()
                .map(crate::format::qty)
                .unwrap_or_default();
            (l, RwSignal::new(value))
        })
        .collect();
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<String>);
    let inputs: Vec<(String, RwSignal<String>)> = counted
        .iter()
        .map(|(l, s)| (l.ingredient.id.clone(), *s))
        .collect();
    let total = inputs.len();
    let progress = {
        let inputs = inputs.clone();
        Signal::derive(move || {
            inputs
                .iter()
                .filter(|(_, s)| !s.get().trim().is_empty())
                .count()
        })
    };
    let id = session.id.clone();
    let drafts = move |inputs: &[(String, RwSignal<String>)]| -> Vec<Value> {
        inputs
            .iter()
            .map(|(ingredient, s)| {
                let v = s.get_untracked();
                json!({"ingredientId": ingredient, "countedQuantity": if v.trim().is_empty() { Value::Null } else { json!(decimal(&v)) }})
            })
            .collect()
    };
    // The service says what each saved line's difference is and whether it needs a second look.
    let checks: Vec<(String, RwSignal<Shown>)> = counted
        .iter()
        .map(|(l, _)| {
            (
                l.ingredient.id.clone(),
                RwSignal::new((l.difference.clone(), l.check)),
            )
        })
        .collect();
    let show = {
        let checks = checks.clone();
        move |saved: Saved| {
            for line in saved.lines {
                if let Some((_, shown)) = checks.iter().find(|(id, _)| *id == line.ingredient.id) {
                    shown.set((line.difference, line.check));
                }
            }
        }
    };
    let save_lines = {
        let (id, show) = (id.clone(), show.clone());
        move |lines: Vec<Value>| {
            let (id, show) = (id.clone(), show.clone());
            async move {
                let saved = api::gql::<SaveAnswer>("mutation($c: ID!, $l: [CountDraftInput!]!) { saveStockCount(countId: $c, lines: $l) { lines { ingredient { id name } difference check } } }", json!({"c": id, "l": lines})).await?;
                show(saved.save_stock_count);
                Ok::<(), ApiError>(())
            }
        }
    };
    // A line is saved as soon as it is counted: the difference shows, and nothing is lost.
    let autosave = {
        let (inputs, save_lines) = (inputs.clone(), save_lines.clone());
        move |i: usize| {
            let line = drafts(&inputs[i..=i]);
            let save_lines = save_lines.clone();
            leptos::task::spawn_local(async move {
                if let Err(e) = save_lines(line).await {
                    error.set(Some(e));
                }
            });
        }
    };
    let save = {
        let (id, inputs) = (id.clone(), inputs.clone());
        move |post: bool| {
            let (id, lines, save_lines) = (id.clone(), drafts(&inputs), save_lines.clone());
            leptos::task::spawn_local(async move {
                if let Err(e) = save_lines(lines).await {
                    error.set(Some(e));
                    return;
                }
                if !post {
                    done.set(Some(t("count-draft-saved")));
                    return;
                }
                // Partial counts: only counted lines are posted; the rest stay untouched.
                match api::gql::<Value>("mutation($c: ID!) { postStockCountSession(countId: $c) { adjustments { id } } }", json!({"c": id})).await {
                    Ok(d) => on_posted(t_with("count-posted", &[("count", n(d["postStockCountSession"]["adjustments"].as_array().map_or(0, Vec::len) as f64))])),
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };
    let save_draft = save.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save(true);
    };
    view! {
        <form on:submit=submit id="count">
            <p>{move || t_with("count-progress", &[("done", n(progress.get() as f64)), ("total", n(total as f64))])}</p>
            <progress value=move || progress.get() max=total></progress>
            <table>
                <thead><tr><th>{t("field-ingredient")}</th><th class="num">{t("count-on-books")}</th><th>{t("count-counted")}</th><th class="num">{t("count-difference")}</th></tr></thead>
                <tbody>
                    {counted.into_iter().zip(checks).enumerate().map(|(i, ((line, value), (_, shown)))| {
                        let autosave = autosave.clone();
                        view! {
                            <tr>
                                <td>{line.ingredient.name.clone()}</td>
                                <td class="num">{format!("{} {}", crate::format::qty(&line.book_quantity), line.ingredient.base_unit)}</td>
                                <td on:change=move |_| autosave(i)><Field label=line.ingredient.name.clone() value=value field=format!("lines[{i}].countedQuantity") error=error decimal=true /></td>
                                <td class="num" class:negative=move || shown.get().1>
                                    {move || shown.get().0.as_deref().map(signed).unwrap_or_default()}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <p class="muted">{t_with("count-check-hint", &[("percent", n(check_above as f64))])}</p>
            <FormError error=error />
            {move || done.get().map(|m| view! { <p role="status">{m}</p> })}
            <div class="grid">
                <button type="button" class="secondary outline" on:click=move |_| save_draft(false)>{t("count-save-draft")}</button>
                <button type="submit">{t("count-post")}</button>
            </div>
        </form>
    }
}
