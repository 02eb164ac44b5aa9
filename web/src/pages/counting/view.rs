//! The count sheet: the storage unit walked place by place, each line's packs and loose
//! quantity counted where the counter stands, the books beside them unless the count is blind.
//! Every entry is kept in the browser first and sent from there (`offline::outbox`).

use futures::future::{AbortHandle, Abortable};
use leptos::prelude::*;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::scan_panel::ScanPanel;
use super::sheet::{Entry, Id, Line, SHEET_FIELDS, Sheet, counted, default_pack, standing};
use crate::api::{self, ApiError};
use crate::forms::FormError;
use crate::i18n::{n, t, t_with};
use crate::offline::outbox::{self, Sent, Waiting};
use crate::offline::store::{self, KEPT};

/// How often entries that wait are tried again (Background Sync is Chromium's alone).
const RETRY_MS: i32 = 10_000;

/// The state one sheet shares with its rows and its scan panel.
#[derive(Clone, Copy)]
pub(super) struct Counting {
    pub server: RwSignal<Sheet>,
    /// Entries made here and not yet saved by the server.
    pub waiting: RwSignal<Vec<Entry>>,
    pub online: RwSignal<bool>,
    pub error: RwSignal<Option<ApiError>>,
    /// The place the counter says they stand at, where scans are counted ("": each scanned
    /// ingredient's own place).
    pub at_place: RwSignal<String>,
    user: StoredValue<String>,
    unit: StoredValue<String>,
}

/// A fresh client id: random, so two devices never make the same one.
fn client_id() -> String {
    let mut bytes = [0u8; 16];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// What a counter found of one ingredient at one place: packs of a product (or of the smallest
/// packaging level) and a loose quantity in the base unit.
#[derive(Clone, Debug, Default)]
pub(super) struct Found {
    pub packs: Option<Decimal>,
    pub product_id: Option<String>,
    pub pack_factor: Decimal,
    pub loose: Option<Decimal>,
}

impl Counting {
    pub fn standing_at(&self, ingredient: &str, place: Option<&str>) -> Option<Entry> {
        let server = self.server.get();
        let waiting = self.waiting.get();
        let all = standing(server.entries.iter().chain(waiting.iter()));
        all.get(&(ingredient.to_string(), place.map(str::to_string)))
            .map(|e| (*e).clone())
    }

    /// Records an entry: kept in the browser at once, then sent.
    pub fn add(&self, ingredient: &str, place: Option<String>, found: Found) {
        let total =
            found.packs.unwrap_or_default() * found.pack_factor + found.loose.unwrap_or_default();
        let id = client_id();
        let at = js_sys::Date::new_0();
        let counted_at: String = at.to_iso_string().into();
        let input = json!({
            "clientId": id, "ingredientId": ingredient, "placeId": place,
            "packs": found.packs.map(|p| p.to_string()), "productId": found.product_id,
            "quantity": found.loose.map(|l| l.to_string()), "countedAt": counted_at,
        });
        let shown = Entry {
            client_id: id.clone(),
            ingredient: Id {
                id: ingredient.to_string(),
            },
            place: place.map(|p| Id { id: p }),
            quantity: total.normalize().to_string(),
            packs: found.packs.map(|p| p.to_string()),
            loose_quantity: found.loose.map(|l| l.to_string()),
            product: found.product_id.map(|p| Id { id: p }),
            counted_at: counted_at.clone(),
            counted_by: Id {
                id: self.user.get_value(),
            },
            at_ms: at.get_time(),
        };
        let waiting = Waiting {
            count_id: self.server.get_untracked().id,
            user_id: self.user.get_value(),
            client_id: id,
            input,
            shown: serde_json::to_value(&shown).unwrap_or(Value::Null),
        };
        let this = *self;
        leptos::task::spawn_local(async move {
            match outbox::add(&waiting).await {
                Ok(()) => {
                    this.waiting.update(|w| w.push(shown));
                    this.send();
                }
                Err(message) => this.error.set(Some(ApiError {
                    message,
                    code: "STORAGE".into(),
                    field: None,
                })),
            }
        });
    }

    /// Reads what waits from the browser's keeping (after a reload, it is all there is).
    fn reload_waiting(&self) {
        let this = *self;
        leptos::task::spawn_local(async move {
            let count = this.server.get_untracked().id;
            if let Ok(w) = outbox::waiting(&count, &this.user.get_value()).await {
                this.waiting.set(
                    w.into_iter()
                        .filter_map(|w| serde_json::from_value::<Entry>(w.shown).ok())
                        .collect(),
                );
            }
        });
    }

    /// Sends what waits; the server's answer becomes the sheet.
    pub fn send(&self) {
        let this = *self;
        leptos::task::spawn_local(async move {
            let count = this.server.get_untracked().id;
            match outbox::send(&count, &this.user.get_value(), SHEET_FIELDS).await {
                Sent::Nothing => {}
                Sent::Saved { sheet, refused } => {
                    this.online.set(true);
                    if let Some(sheet) = sheet.and_then(|s| serde_json::from_value::<Sheet>(s).ok())
                    {
                        let barcodes = this.server.get_untracked().barcodes;
                        let sheet = Sheet {
                            barcodes,
                            ..super::stamped(sheet)
                        };
                        super::keep(&this.unit.get_value(), &sheet).await;
                        this.server.set(sheet);
                    }
                    if let Some((error, dropped)) = refused {
                        this.error.set(Some(ApiError {
                            message: t_with(
                                "count-entries-refused",
                                &[
                                    ("count", n(dropped as f64)),
                                    ("reason", error.said().into()),
                                ],
                            ),
                            ..error
                        }));
                    }
                    this.reload_waiting();
                }
                Sent::Offline => this.online.set(false),
                Sent::Refused(e) => this.error.set(Some(e)),
            }
        });
    }
}

#[component]
pub(super) fn CountSheet(
    sheet: Sheet,
    offline: bool,
    user: String,
    unit: String,
    company: String,
    on_posted: impl Fn(String) + Copy + 'static,
) -> impl IntoView {
    let c = Counting {
        server: RwSignal::new(sheet),
        waiting: RwSignal::new(Vec::new()),
        online: RwSignal::new(!offline),
        error: RwSignal::new(None),
        at_place: RwSignal::new(String::new()),
        user: StoredValue::new(user),
        unit: StoredValue::new(unit),
    };
    c.reload_waiting();
    c.send();
    let online_listener = window_event_listener_untyped("online", move |_| c.send());
    on_cleanup(move || online_listener.remove());
    let (stop, registration) = AbortHandle::new_pair();
    on_cleanup(move || stop.abort());
    leptos::task::spawn_local(async move {
        let _ = Abortable::new(
            async move {
                loop {
                    api::sleep(RETRY_MS).await;
                    if !c.waiting.get_untracked().is_empty() {
                        c.send();
                    }
                }
            },
            registration,
        )
        .await;
    });
    let blind = move || c.server.get().blind;
    let sections = move || c.server.get().sections(&c.waiting.get());
    let status = move || {
        let waiting = c.waiting.get().len();
        if waiting > 0 {
            let said = t_with("count-waiting", &[("count", n(waiting as f64))]);
            if c.online.get() {
                said
            } else {
                format!("{} · {said}", t("count-offline"))
            }
        } else if c.online.get() {
            t("count-all-saved")
        } else {
            t("count-offline")
        }
    };
    let progress = move || {
        let server = c.server.get();
        let waiting = c.waiting.get();
        let all = standing(server.entries.iter().chain(waiting.iter()));
        let done = server
            .lines
            .iter()
            .filter(|l| counted(&all, &l.ingredient.id).is_some() || l.counted_quantity.is_some())
            .count();
        (done, server.lines.len())
    };
    let post = move |_| {
        let waiting = c.waiting.get_untracked().len();
        if waiting > 0 {
            c.error.set(Some(ApiError {
                message: t_with("count-post-waiting", &[("count", n(waiting as f64))]),
                code: "WAITING".into(),
                field: None,
            }));
            c.send();
            return;
        }
        let conflicts = c.server.get_untracked().conflicts.len();
        if conflicts > 0 {
            let ask = t_with("count-post-conflicts", &[("count", n(conflicts as f64))]);
            let sure = web_sys::window()
                .and_then(|w| w.confirm_with_message(&ask).ok())
                .unwrap_or(false);
            if !sure {
                return;
            }
        }
        let (id, unit) = (c.server.get_untracked().id, c.unit.get_value());
        leptos::task::spawn_local(async move {
            match api::gql::<Value>(
                "mutation($c: ID!) { postStockCountSession(countId: $c) { adjustments { id } } }",
                json!({"c": id}),
            )
            .await
            {
                Ok(d) => {
                    let _ = store::delete(KEPT, &[super::sheet_key(&unit)]).await;
                    let adjusted = d["postStockCountSession"]["adjustments"]
                        .as_array()
                        .map_or(0, Vec::len);
                    on_posted(t_with("count-posted", &[("count", n(adjusted as f64))]));
                }
                Err(e) => c.error.set(Some(e)),
            }
        });
    };
    view! {
        <section id="count" class="count-sheet">
            <p role="status" id="count-sync" class:muted=move || c.waiting.get().is_empty()>{status}</p>
            <p>{move || { let (done, total) = progress(); t_with("count-progress", &[("done", n(done as f64)), ("total", n(total as f64))]) }}</p>
            <progress value=move || progress().0 max=move || progress().1></progress>
            {move || blind().then(|| view! { <p class="muted" id="count-blind">{t("count-blind")}</p> })}
            <Conflicts c=c />
            <label>
                <span class="label-text">{t("count-at-place")}</span>
                <select name="atPlace" on:change=move |ev| c.at_place.set(event_target_value(&ev))>
                    <option value="">{t("count-own-place")}</option>
                    {move || c.server.get().storage_unit.places.into_iter().map(|p| view! { <option value=p.id>{p.name}</option> }).collect_view()}
                </select>
            </label>
            <ScanPanel c=c company=company />
            <For each=sections key=|s| s.place.as_ref().map(|p| p.id.clone()) let:section>
                {
                let place_id = section.place.as_ref().map(|p| p.id.clone());
                let lines = section.lines.clone();
                let place_attr = place_id.clone().unwrap_or_default();
                view! {
                <h3 class="count-place">{section.place.as_ref().map_or_else(|| t("count-unplaced"), |p| p.name.clone())}</h3>
                <div class="table-scroll">
                <table class="count-lines" data-place=place_attr>
                    <thead><tr>
                        <th>{t("field-ingredient")}</th>
                        {move || (!blind()).then(|| view! { <th class="num">{t("count-on-books")}</th> })}
                        <th>{t("count-packs")}</th><th>{t("count-loose")}</th>
                        <th class="num">{t("count-counted")}</th>
                        {move || (!blind()).then(|| view! { <th class="num">{t("count-difference")}</th> })}
                    </tr></thead>
                    <tbody>
                        <For each=move || lines.clone() key=|l| l.ingredient.id.clone() let:line>
                            <CountRow c=c line=line place=place_id.clone() />
                        </For>
                    </tbody>
                </table>
                </div>
                }
                }
            </For>
            {move || (!blind()).then(|| view! { <p class="muted">{t_with("count-check-hint", &[("percent", n(c.server.get().check_above_percent as f64))])}</p> })}
            <FormError error=c.error />
            <button type="button" id="count-post" on:click=post>{t("count-post")}</button>
        </section>
    }
}

#[component]
fn Conflicts(c: Counting) -> impl IntoView {
    move || {
        let conflicts = c.server.get().conflicts;
        (!conflicts.is_empty()).then(|| {
            view! {
                <article class="count-conflicts" id="count-conflicts">
                    <strong>{t("count-conflicts")}</strong>
                    <ul>
                        {conflicts.into_iter().map(|k| {
                            let who: Vec<String> = k.entries.iter().map(|e| format!("{} {}", e.counted_by.name, crate::format::qty(&e.quantity))).collect();
                            let place = k.place.map(|p| p.name).unwrap_or_else(|| t("count-unplaced"));
                            view! { <li>{format!("{} · {place}: {}", k.ingredient.name, who.join(" / "))}</li> }
                        }).collect_view()}
                    </ul>
                    <p class="muted">{t("count-conflicts-hint")}</p>
                </article>
            }
        })
    }
}

/// A signed difference for people: "+2.5", "-3", "0".
fn signed(d: Decimal) -> String {
    let q = crate::format::qty(&d.to_string());
    if d > Decimal::ZERO {
        format!("+{q}")
    } else {
        q
    }
}

fn parse(v: &str) -> Option<Decimal> {
    let v = crate::forms::decimal(v);
    (!v.trim().is_empty()).then(|| v.parse().ok()).flatten()
}

#[component]
fn CountRow(c: Counting, line: Line, place: Option<String>) -> impl IntoView {
    let ingredient = line.ingredient.id.clone();
    let pack = default_pack(&line.ingredient);
    // A memo: the fields below are reset only when what stands here changes, not whenever any
    // entry of the sheet arrives (which would wipe what is being typed).
    let here = {
        let (ingredient, place) = (ingredient.clone(), place.clone());
        Memo::new(move |_| c.standing_at(&ingredient, place.as_deref()))
    };
    let total = {
        let (ingredient, drafted) = (ingredient.clone(), line.counted_quantity.clone());
        Signal::derive(move || {
            let server = c.server.get();
            let waiting = c.waiting.get();
            let all = standing(server.entries.iter().chain(waiting.iter()));
            counted(&all, &ingredient).or_else(|| drafted.as_deref().and_then(|d| d.parse().ok()))
        })
    };
    let book: Option<Decimal> = line.book_quantity.as_deref().and_then(|b| b.parse().ok());
    let packs = RwSignal::new(String::new());
    let loose = RwSignal::new(String::new());
    // What stands here shows in the fields (another counter's too, once it arrives).
    Effect::new(move |_| {
        let e = here.get();
        packs.set(
            e.as_ref()
                .and_then(|e| e.packs.clone())
                .map(|p| crate::format::qty(&p))
                .unwrap_or_default(),
        );
        loose.set(
            e.as_ref()
                .and_then(|e| e.loose_quantity.clone())
                .map(|p| crate::format::qty(&p))
                .unwrap_or_default(),
        );
    });
    let commit = {
        let (ingredient, place, pack) = (ingredient.clone(), place.clone(), pack.clone());
        move || {
            let (p, l) = (parse(&packs.get_untracked()), parse(&loose.get_untracked()));
            if p.is_none() && l.is_none() {
                return;
            }
            let found = Found {
                packs: p,
                product_id: pack.as_ref().and_then(|(id, _, _)| id.clone()),
                pack_factor: pack.as_ref().map_or(Decimal::ZERO, |(_, _, f)| *f),
                loose: l,
            };
            // Typed where the line stands on the sheet; only scans follow "counting at".
            c.add(&ingredient, place.clone(), found);
        }
    };
    let commit_loose = commit.clone();
    let unit = line.ingredient.base_unit.clone();
    let name = line.ingredient.name.clone();
    let blind = move || c.server.get().blind;
    let difference = move || {
        let d = total.get()? - book?;
        Some(d)
    };
    // Far from the books (the service's rule): worth a second look before posting.
    let check = move || {
        let percent = Decimal::from(c.server.get().check_above_percent);
        difference().zip(book).is_some_and(|(d, b)| {
            !d.is_zero() && d.abs() * Decimal::ONE_HUNDRED > b.abs() * percent
        })
    };
    view! {
        <tr data-ingredient=ingredient.clone()>
            <td>{name.clone()}</td>
            {move || (!blind()).then(|| view! { <td class="num">{book.map(|b| format!("{} {unit}", crate::format::qty(&b.to_string())))}</td> })}
            <td>{pack.as_ref().map(|(_, pack_name, _)| {
                let label = format!("{name}: {pack_name}");
                view! { <input type="text" inputmode="decimal" name="packs" aria-label=label placeholder=pack_name.clone()
                    prop:value=move || packs.get() on:input=move |ev| packs.set(event_target_value(&ev))
                    on:change=move |_| commit() /> }
            })}</td>
            <td><input type="text" inputmode="decimal" name="loose" aria-label=format!("{name}: {}", line.ingredient.base_unit) placeholder=line.ingredient.base_unit.clone()
                prop:value=move || loose.get() on:input=move |ev| loose.set(event_target_value(&ev))
                on:change=move |_| commit_loose() /></td>
            <td class="num counted">{move || total.get().map(|t| crate::format::qty(&t.to_string())).unwrap_or_default()}</td>
            {move || (!blind()).then(|| view! { <td class="num" class:negative=check>
                {move || difference().map(signed).unwrap_or_default()}
            </td> })}
        </tr>
    }
}
