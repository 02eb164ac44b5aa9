//! Forms that post stock movements: waste (one line or many, all or nothing), transfers between
//! storage units, and stock counts against the books.

use leptos::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{PageHead, load_error};
use crate::api::{self, ApiError};
use crate::forms::{Field, FormError, Select, ServerError, decimal, positive_number};
use crate::model::Named;
use crate::session::use_session;

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Choices {
    storage_units: Vec<Named>,
    ingredients: Vec<ChoiceIngredient>,
    /// The server's list; "Other" asks for a text.
    waste_reasons: Vec<String>,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ChoiceIngredient {
    id: String,
    name: String,
    base_unit: String,
}

fn choices() -> LocalResource<Result<Choices, ApiError>> {
    let session = use_session();
    LocalResource::new(move || {
        let company = session.company_id();
        async move {
            api::gql::<Choices>("query($c: ID!) { storageUnits(companyId: $c) { id name } ingredients(companyId: $c, active: true) { id name baseUnit } wasteReasons }", json!({"c": company})).await
        }
    })
}

fn unit_options(c: &Choices) -> Vec<(String, String)> {
    c.storage_units
        .iter()
        .map(|s| (s.id.clone(), s.name.clone()))
        .collect()
}

fn ingredient_options(c: &Choices) -> Vec<(String, String)> {
    c.ingredients
        .iter()
        .map(|i| (i.id.clone(), format!("{} ({})", i.name, i.base_unit)))
        .collect()
}

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
        .map(|r| (r.clone(), r))
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
                    done.set(Some(format!(
                        "Posted {count} waste line{}.",
                        if count == 1 { "" } else { "s" }
                    )));
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
        <PageHead title="Waste"><span></span></PageHead>
        <form on:submit=submit id="waste">
            <Select label="Storage unit" value=unit options=units field="storageUnitId" error=error />
            <table class="line-editor">
                <thead><tr><th>"Ingredient"</th><th>"Quantity (base unit)"</th><th>"Reason"</th><th></th></tr></thead>
                <tbody>
                    <For each=move || rows.get().into_iter().enumerate() key=|(i, r)| (*i, r.key) let:item>
                        {
                            let (i, row) = item;
                            view! { <WasteLine index=i row=row rows=rows ingredients=ingredients.clone() reasons=reasons.clone() error=error /> }
                        }
                    </For>
                </tbody>
            </table>
            <button type="button" class="secondary outline" on:click=add>"Add line"</button>
            <FormError error=error />
            {move || done.get().map(|m| view! { <p role="status">{m}</p> })}
            <button type="submit">"Post waste"</button>
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
            <td><Select label="" value=row.ingredient options=ingredients field=field("ingredientId") error=error empty="Choose…" /></td>
            <td><Field label="" value=row.quantity field=field("quantity") error=error check=positive_number decimal=true /></td>
            <td>
                <Select label="" value=row.reason options=reasons field=reason_field error=error />
                <Show when=move || row.reason.get() == "Other">
                    <Field label="What happened" value=row.other field="other" error=error />
                </Show>
            </td>
            <td class="row-actions"><button type="button" class="secondary outline" on:click=move |_| rows.update(|r| r.retain(|x| x.key != row.key))>"✕"</button></td>
        </tr>
    }
}

#[component]
pub fn Transfers() -> impl IntoView {
    let data = choices();
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let ingredient = RwSignal::new(String::new());
    let quantity = RwSignal::new(String::new());
    let lot = RwSignal::new(String::new());
    let in_transit = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<String>);
    let reload = RwSignal::new(0);
    let units = Signal::derive(move || {
        data.get()
            .and_then(Result::ok)
            .map(|c| unit_options(&c))
            .unwrap_or_default()
    });
    let ingredients = Signal::derive(move || {
        data.get()
            .and_then(Result::ok)
            .map(|c| ingredient_options(&c))
            .unwrap_or_default()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        leptos::task::spawn_local(async move {
            if in_transit.get_untracked() {
                // Shipped now, received at the other end later: the stock is in transit.
                let line = json!({"ingredientId": ingredient.get_untracked(), "quantity": decimal(&quantity.get_untracked()), "lotNumber": opt(lot.get_untracked())});
                let created = api::gql::<Value>(
                    "mutation($f: ID!, $t: ID!, $l: [TransferLineInput!]!) { createTransfer(fromStorageUnitId: $f, toStorageUnitId: $t, lines: $l) { id } }",
                    json!({"f": from.get_untracked(), "t": to.get_untracked(), "l": [line]}),
                )
                .await;
                let shipped = match created {
                    Ok(d) => {
                        api::gql::<Value>(
                            "mutation($id: ID!) { shipTransfer(id: $id) { id } }",
                            json!({"id": d["createTransfer"]["id"]}),
                        )
                        .await
                    }
                    Err(e) => Err(e),
                };
                match shipped {
                    Ok(_) => {
                        quantity.set(String::new());
                        done.set(Some("Shipped; it is in transit until received.".into()));
                        reload.update(|n| *n += 1);
                    }
                    Err(e) => error.set(Some(e)),
                }
                return;
            }
            let vars = json!({"f": from.get_untracked(), "t": to.get_untracked(), "i": ingredient.get_untracked(), "q": decimal(&quantity.get_untracked())});
            match api::gql::<Value>("mutation($f: ID!, $t: ID!, $i: ID!, $q: Decimal!) { transferStock(fromStorageUnitId: $f, toStorageUnitId: $t, ingredientId: $i, quantity: $q) { unitCost } }", vars).await {
                Ok(d) => {
                    quantity.set(String::new());
                    done.set(Some(format!("Moved at {} per unit.", d["transferStock"][0]["unitCost"].as_str().unwrap_or("?"))));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <PageHead title="Transfers"><span></span></PageHead>
        <form on:submit=submit id="transfer">
            <div class="grid">
                <Select label="From" value=from options=units field="fromStorageUnitId" error=error empty="Choose…" />
                <Select label="To" value=to options=units field="toStorageUnitId" error=error empty="Choose…" />
            </div>
            <div class="grid">
                <Select label="Ingredient" value=ingredient options=ingredients field="ingredientId" error=error empty="Choose…" />
                <Field label="Quantity (base unit)" value=quantity field="quantity" error=error check=positive_number decimal=true />
            </div>
            <div class="grid">
                <Field label="Lot number (optional)" value=lot field="lines[0].lotNumber" error=error />
                <label><input type="checkbox" role="switch" prop:checked=move || in_transit.get() on:change:target=move |ev| in_transit.set(ev.target().checked()) />"Ship now, receive at the other end later"</label>
            </div>
            <FormError error=error />
            {move || done.get().map(|m| view! { <p role="status">{m}</p> })}
            <button type="submit">{move || if in_transit.get() { "Ship" } else { "Transfer now" }}</button>
        </form>
        <Pending reload=reload />
    }
}

fn opt(v: String) -> Value {
    if v.trim().is_empty() {
        Value::Null
    } else {
        json!(v)
    }
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PendingTransfer {
    id: String,
    from_storage_unit: Option<Named>,
    to_storage_unit: Option<Named>,
    shipped_at: Option<String>,
    lines: Vec<PendingLine>,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PendingLine {
    ingredient: Option<Named>,
    quantity: String,
    lot_number: Option<String>,
}

#[derive(Clone, Deserialize)]
struct PendingData {
    transfers: Vec<PendingTransfer>,
}

/// Shipped and not yet received: in transit, with one action to receive.
#[component]
fn Pending(reload: RwSignal<i32>) -> impl IntoView {
    let session = use_session();
    let data = LocalResource::new(move || {
        reload.track();
        let company = session.company_id();
        async move {
            api::gql::<PendingData>(
                "query($c: ID!) { transfers(companyId: $c, status: SHIPPED) { id fromStorageUnit { id name } toStorageUnit { id name } shippedAt lines { ingredient { id name } quantity lotNumber } } }",
                json!({"c": company}),
            )
            .await
        }
    });
    let receive = move |id: String| {
        leptos::task::spawn_local(async move {
            let _ = api::gql::<Value>(
                "mutation($id: ID!) { receiveTransfer(id: $id) { id } }",
                json!({"id": id}),
            )
            .await;
            reload.update(|n| *n += 1);
        });
    };
    view! {
        <article id="pending-transfers">
            <header><strong>"In transit"</strong></header>
            {move || data.get().map(|r| match r {
                Ok(d) if d.transfers.is_empty() => view! { <p class="muted">"Nothing is on its way."</p> }.into_any(),
                Ok(d) => view! {
                    <table>
                        <tbody>
                            {d.transfers.into_iter().map(|t| {
                                let id = t.id.clone();
                                let what = t.lines.iter().map(|l| format!("{} {}{}", crate::format::qty(&l.quantity), l.ingredient.as_ref().map_or("", |i| i.name.as_str()), l.lot_number.as_ref().map(|n| format!(" (lot {n})")).unwrap_or_default())).collect::<Vec<_>>().join(", ");
                                view! {
                                    <tr>
                                        <td>{format!("{} → {}", t.from_storage_unit.map(|s| s.name).unwrap_or_default(), t.to_storage_unit.map(|s| s.name).unwrap_or_default())}</td>
                                        <td>{what}</td>
                                        <td class="muted">{t.shipped_at.unwrap_or_default().get(..16).unwrap_or("").replace('T', " ")}</td>
                                        <td class="row-actions"><button class="secondary outline" on:click=move |_| receive(id.clone())>"Receive"</button></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
                Err(e) => load_error(e),
            })}
        </article>
    }
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Session {
    id: String,
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

const SESSION: &str =
    "id lines { ingredient { id name baseUnit } bookQuantity countedQuantity difference check }";

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
    view! {
        <PageHead title="Stock count"><span></span></PageHead>
        <Select label="Storage unit to count" value=unit options=units field="storageUnitId" error=error empty="Choose…" />
        {move || session.get().map(|r| match r {
            Ok(None) => view! { <p class="muted">"Choose a storage unit: its open count is resumed, or a new one starts."</p> }.into_any(),
            Ok(Some(s)) if s.lines.is_empty() => view! { <p class="muted">"Nothing is stocked in this storage unit yet."</p> }.into_any(),
            Ok(Some(s)) => view! { <CountSheet session=s on_posted=move || version.update(|n| *n += 1) /> }.into_any(),
            Err(e) => load_error(e),
        })}
    }
}

#[component]
fn CountSheet(session: Session, on_posted: impl Fn() + Copy + 'static) -> impl IntoView {
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
                    done.set(Some("Draft saved.".into()));
                    return;
                }
                // Partial counts: only counted lines are posted; the rest stay untouched.
                match api::gql::<Value>("mutation($c: ID!) { postStockCountSession(countId: $c) { adjustments { id } } }", json!({"c": id})).await {
                    Ok(d) => {
                        done.set(Some(format!("Posted: {} adjustment(s).", d["postStockCountSession"]["adjustments"].as_array().map_or(0, Vec::len))));
                        on_posted();
                    }
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
            <p>{move || format!("{} of {total} lines counted", progress.get())}</p>
            <progress value=move || progress.get() max=total></progress>
            <table>
                <thead><tr><th>"Ingredient"</th><th class="num">"On the books"</th><th>"Counted"</th><th class="num">"Difference"</th></tr></thead>
                <tbody>
                    {counted.into_iter().zip(checks).enumerate().map(|(i, ((line, value), (_, shown)))| {
                        let autosave = autosave.clone();
                        view! {
                            <tr>
                                <td>{line.ingredient.name.clone()}</td>
                                <td class="num">{format!("{} {}", crate::format::qty(&line.book_quantity), line.ingredient.base_unit)}</td>
                                <td on:change=move |_| autosave(i)><Field label="" value=value field=format!("lines[{i}].countedQuantity") error=error decimal=true /></td>
                                <td class="num" class:negative=move || shown.get().1>
                                    {move || shown.get().0.as_deref().map(signed).unwrap_or_default()}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <p class="muted">"Differences over 20 % of the books are marked red: check them before posting."</p>
            <FormError error=error />
            {move || done.get().map(|m| view! { <p role="status">{m}</p> })}
            <div class="grid">
                <button type="button" class="secondary outline" on:click=move |_| save_draft(false)>"Save draft"</button>
                <button type="submit">"Post count"</button>
            </div>
        </form>
    }
}
