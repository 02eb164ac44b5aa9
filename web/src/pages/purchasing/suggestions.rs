//! Reorder suggestions grouped by vendor: packs editable, each line's reason one tap away, the
//! vendor's total against its minimum order value; one button makes the drafts, one per draft
//! sends it. Totals of edited packs are packs × the server's price per pack, in exact decimals.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_router::components::A;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api::{self, ApiError};
use crate::format::{money, qty};
use crate::forms::FormError;
use crate::i18n::{n, s, t, t_with};
use crate::model::Named;
use crate::pages::{FilterSelect, filter_value, load_error};
use crate::query::query_param;
use crate::session::use_session;
use fluent_bundle::FluentValue;

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Ingredient {
    name: String,
    base_unit: String,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Pack {
    id: String,
    pack_name: String,
    packaging_factor: String,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct VendorTerms {
    id: String,
    name: String,
    lead_time_days: i64,
    order_weekdays: Vec<u32>,
    minimum_order_value: Option<String>,
    orders_today: bool,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Suggestion {
    ingredient: Ingredient,
    storage_unit: Named,
    product: Option<Pack>,
    vendor: Option<VendorTerms>,
    on_hand: String,
    on_order: String,
    days_of_stock_left: Option<String>,
    suggested_quantity: String,
    suggested_packs: String,
    price_per_pack: Option<String>,
    estimated_cost: Option<String>,
    kind: String,
    need: String,
    average_daily_usage: Option<String>,
    lead_time_days: i64,
    cover_usage: Option<String>,
    by_weekday: bool,
    raised_to_minimum: bool,
    policy: PolicyFigures,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PolicyFigures {
    reorder_point: Option<String>,
    par_level: Option<String>,
    review_days: i64,
    safety_days: String,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Data {
    reorder_suggestions: Vec<Suggestion>,
    storage_units: Vec<Named>,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Draft {
    id: String,
    reference: Option<String>,
    total: String,
    below_minimum_order_value: bool,
    vendor: Option<Named>,
    status: String,
}

const QUERY: &str = "query($c: ID!, $u: ID) { reorderSuggestions(companyId: $c, storageUnitId: $u) { ingredient { name baseUnit } storageUnit { id name } product { id packName packagingFactor } vendor { id name leadTimeDays orderWeekdays minimumOrderValue ordersToday } onHand onOrder daysOfStockLeft suggestedQuantity suggestedPacks pricePerPack estimatedCost kind need averageDailyUsage leadTimeDays coverUsage byWeekday raisedToMinimum policy { reorderPoint parLevel reviewDays safetyDays } } storageUnits(companyId: $c) { id name } }";

const CREATE: &str = "mutation($c: ID!, $l: [OrderFromSuggestionInput!]!) { createOrdersFromSuggestions(companyId: $c, lines: $l) { id reference total belowMinimumOrderValue status vendor { id name } } }";

/// A line's key in the packs being edited: (product, storage unit).
type LineKey = (String, String);

/// Suggestions of one vendor (none: ingredients without a preferred product).
struct Group {
    vendor: Option<VendorTerms>,
    lines: Vec<Suggestion>,
}

fn by_vendor(suggestions: Vec<Suggestion>) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for s in suggestions {
        let vendor = s.vendor.as_ref().map(|v| v.id.clone());
        match groups
            .iter_mut()
            .find(|g| g.vendor.as_ref().map(|v| v.id.clone()) == vendor)
        {
            Some(g) => g.lines.push(s),
            None => groups.push(Group {
                vendor: s.vendor.clone(),
                lines: vec![s],
            }),
        }
    }
    groups
}

/// Why a line is suggested, in the reader's language, from the figures the server used.
fn reason(s: &Suggestion) -> String {
    let unit = s.ingredient.base_unit.as_str();
    let q = |v: &str| fluent(qty(v));
    let common = [
        ("unit", fluent(unit.to_string())),
        ("onHand", q(&s.on_hand)),
        ("onOrder", q(&s.on_order)),
        ("need", q(&s.need)),
    ];
    let mut args: Vec<(&str, FluentValue<'static>)> = common.into_iter().collect();
    let key = if s.kind == "MANUAL" {
        args.push((
            "reorder",
            q(s.policy.reorder_point.as_deref().unwrap_or("0")),
        ));
        args.push(("par", q(s.policy.par_level.as_deref().unwrap_or("0"))));
        "purchasing-reason-manual"
    } else {
        args.push((
            "average",
            q(s.average_daily_usage.as_deref().unwrap_or("0")),
        ));
        args.push(("lead", n(s.lead_time_days as f64)));
        args.push(("review", n(s.policy.review_days as f64)));
        args.push(("safety", q(&s.policy.safety_days)));
        // For the plural only ("1 safety day"); the figure shown is `safety`, in the reader's format.
        let safety_count = s.policy.safety_days.parse::<f64>().unwrap_or_default();
        args.push(("safetyCount", n(safety_count)));
        args.push(("forecast", q(s.cover_usage.as_deref().unwrap_or("0"))));
        if s.by_weekday {
            "purchasing-reason-weekday"
        } else {
            "purchasing-reason-flat"
        }
    };
    let mut text = t_with(key, &args);
    match &s.product {
        Some(p) => {
            text.push(' ');
            text.push_str(&t_with(
                "purchasing-reason-packs",
                &[
                    ("packs", q(&s.suggested_packs)),
                    ("pack", fluent(p.pack_name.clone())),
                    ("factor", q(&p.packaging_factor)),
                    ("unit", fluent(unit.to_string())),
                ],
            ));
            if s.raised_to_minimum {
                text.push(' ');
                text.push_str(&t("purchasing-reason-minimum"));
            }
        }
        None => {
            text.push(' ');
            text.push_str(&t("purchasing-reason-no-product"));
        }
    }
    text
}

fn fluent(v: String) -> FluentValue<'static> {
    s(v)
}

fn decimal(v: &str) -> Decimal {
    v.parse().unwrap_or_default()
}

/// Monday = 1 as the reader's short weekday names; today's (on the company's clock) marked.
fn weekdays(v: &VendorTerms) -> String {
    if v.order_weekdays.is_empty() {
        return t("purchasing-any-day");
    }
    v.order_weekdays
        .iter()
        .map(|d| t(&format!("weekday-{d}")))
        .collect::<Vec<_>>()
        .join(", ")
}

#[component]
pub fn Suggestions() -> impl IntoView {
    let session = use_session();
    let (unit, set_unit) = query_param("unit");
    let data = LocalResource::new(move || {
        let (company, unit) = (session.company_id(), unit.get());
        async move { api::gql::<Data>(QUERY, json!({"c": company, "u": filter_value(unit)})).await }
    });
    // Packs as edited, by line; filled from the suggestions as they load.
    let packs = RwSignal::new(HashMap::<LineKey, String>::new());
    Effect::new(move |_| {
        if let Some(Ok(d)) = data.get() {
            packs.set(
                d.reorder_suggestions
                    .iter()
                    .filter_map(|s| {
                        let p = s.product.as_ref()?;
                        Some((
                            (p.id.clone(), s.storage_unit.id.clone()),
                            s.suggested_packs.clone(),
                        ))
                    })
                    .collect(),
            );
        }
    });
    let error = RwSignal::new(None::<ApiError>);
    let drafts = RwSignal::new(Vec::<Draft>::new());
    let create = move |_| {
        let lines: Vec<Value> = packs
            .get_untracked()
            .into_iter()
            .filter(|(_, p)| decimal(&crate::forms::decimal(p)) > Decimal::ZERO)
            .map(|((product, unit), p)| json!({"productId": product, "storageUnitId": unit, "packs": crate::forms::decimal(&p)}))
            .collect();
        leptos::task::spawn_local(async move {
            match api::gql::<Value>(CREATE, json!({"c": session.company_id(), "l": lines})).await {
                Ok(v) => {
                    error.set(None);
                    drafts.set(
                        serde_json::from_value(v["createOrdersFromSuggestions"].clone())
                            .unwrap_or_default(),
                    );
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let units = Signal::derive(move || match data.get() {
        Some(Ok(d)) => d
            .storage_units
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect(),
        _ => Vec::new(),
    });
    view! {
        <div class="toolbar report-filters">
            <FilterSelect label=t("field-storage-unit") all=t("filter-all-storage-units") options=units value=unit on_change=set_unit />
        </div>
        <DraftsMade drafts=drafts />
        {move || data.get().map(|r| match r {
            Ok(d) if d.reorder_suggestions.is_empty() => view! {
                <p class="muted">{t("purchasing-nothing-to-order")}" "<A href="/purchasing?view=policies">{t("purchasing-set-policies")}</A></p>
            }.into_any(),
            Ok(d) => view! {
                {by_vendor(d.reorder_suggestions).into_iter().map(|g| view! { <VendorGroup group=g packs=packs /> }).collect_view()}
                <FormError error=error />
                <button id="create-drafts" on:click=create>{t("purchasing-create-drafts")}</button>
            }.into_any(),
            Err(e) => load_error(e),
        })}
    }
}

#[component]
fn VendorGroup(group: Group, packs: RwSignal<HashMap<LineKey, String>>) -> impl IntoView {
    let Group { vendor, lines } = group;
    let minimum = vendor.as_ref().and_then(|v| v.minimum_order_value.clone());
    // The vendor's total at the packs as edited.
    let priced: Vec<(LineKey, Decimal)> = lines
        .iter()
        .filter_map(|s| {
            let p = s.product.as_ref()?;
            Some((
                (p.id.clone(), s.storage_unit.id.clone()),
                decimal(s.price_per_pack.as_deref()?),
            ))
        })
        .collect();
    let total = Memo::new(move |_| {
        let edited = packs.get();
        priced
            .iter()
            .map(|(key, price)| {
                decimal(&crate::forms::decimal(
                    edited.get(key).map_or("0", |p| p.as_str()),
                )) * price
            })
            .sum::<Decimal>()
    });
    let minimum_for_check = minimum.clone();
    let below = Memo::new(move |_| {
        minimum_for_check
            .as_deref()
            .is_some_and(|m| total.get() < decimal(m))
    });
    let title = vendor
        .as_ref()
        .map_or_else(|| t("purchasing-no-preferred-product"), |v| v.name.clone());
    view! {
        <article class="vendor-group">
            <header>
                <strong>{title}</strong>
                {vendor.as_ref().map(|v| view! {
                    <small class="muted">" · "{t_with("purchasing-lead-time", &[("days", n(v.lead_time_days as f64))])}" · "{weekdays(v)}</small>
                    {v.orders_today.then(|| view! { " "<mark class="today">{t("purchasing-orders-today")}</mark> })}
                })}
            </header>
            <div class="table-scroll" tabindex="0">
                <table>
                    <thead><tr>
                        <th>{t("field-ingredient")}</th><th class="num">{t("purchasing-on-hand")}</th><th class="num">{t("purchasing-on-order")}</th>
                        <th class="num">{t("purchasing-days-left")}</th><th class="num">{t("purchasing-order")}</th><th class="num">{t("purchasing-estimated-cost")}</th>
                    </tr></thead>
                    <tbody>
                        {lines.into_iter().map(|line| view! { <SuggestionRow line=line packs=packs /> }).collect_view()}
                    </tbody>
                </table>
            </div>
            {vendor.is_some().then(|| view! {
                <footer class:negative=move || below.get()>
                    <strong>{t("purchasing-total")}" "<span class="money">{move || money(&total.get().to_string())}</span></strong>
                    {minimum.clone().map(|m| view! {
                        " "<span>{move || if below.get() {
                            t_with("purchasing-below-minimum", &[("minimum", s(money(&m)))])
                        } else {
                            t_with("purchasing-minimum", &[("minimum", s(money(&m)))])
                        }}</span>
                    })}
                </footer>
            })}
        </article>
    }
}

#[component]
fn SuggestionRow(line: Suggestion, packs: RwSignal<HashMap<LineKey, String>>) -> impl IntoView {
    let unit = line.ingredient.base_unit.clone();
    let key = line
        .product
        .as_ref()
        .map(|p| (p.id.clone(), line.storage_unit.id.clone()));
    let order = match (&line.product, key.clone()) {
        (Some(p), Some(key)) => {
            let read_key = key.clone();
            let label = format!("× {} ({} {})", p.pack_name, qty(&p.packaging_factor), unit);
            view! {
                <input class="packs" type="number" min="0" step="1" inputmode="numeric"
                    aria-label=format!("{} {}", t("purchasing-packs"), line.ingredient.name)
                    prop:value=move || packs.with(|m| m.get(&read_key).cloned().unwrap_or_default())
                    on:input:target=move |ev| {
                        let v = ev.target().value();
                        packs.update(|m| { m.insert(key.clone(), v); });
                    } />
                " "<small>{label}</small>
            }
            .into_any()
        }
        _ => view! { <span>{qty(&line.suggested_quantity)}" "{unit.clone()}</span> }.into_any(),
    };
    let reason = reason(&line);
    let price = line.price_per_pack.clone();
    let cost = move || match (&key, &price) {
        (Some(key), Some(price)) => {
            let p = packs.with(|m| m.get(key).cloned().unwrap_or_default());
            Some(money(
                &(decimal(&crate::forms::decimal(&p)) * decimal(price)).to_string(),
            ))
        }
        _ => line.estimated_cost.as_deref().map(money),
    };
    // The reason opens as a row of its own, as wide as the table.
    let why = RwSignal::new(false);

    view! {
        <tr>
            <td>
                <strong>{line.ingredient.name.clone()}</strong>" "<small class="muted">{line.storage_unit.name.clone()}</small>" "
                <button type="button" class="reason-toggle secondary outline"
                    aria-expanded=move || if why.get() { "true" } else { "false" }
                    on:click=move |_| why.update(|w| *w = !*w)>{t("purchasing-why")}</button>
            </td>
            <td class="num">{qty(&line.on_hand)}" "{unit.clone()}</td>
            <td class="num">{qty(&line.on_order)}" "{unit}</td>
            <td class="num">{line.days_of_stock_left.as_deref().map(qty).unwrap_or_else(|| "–".into())}</td>
            <td class="num order-cell">{order}</td>
            <td class="num money">{cost}</td>
        </tr>
        <Show when=move || why.get()>
            <tr class="reason-row"><td colspan="6"><small>{reason.clone()}</small></td></tr>
        </Show>
    }
}

/// The drafts just made: each with its total, a flag when under the vendor's minimum, a link,
/// and a button that sends it.
#[component]
fn DraftsMade(drafts: RwSignal<Vec<Draft>>) -> impl IntoView {
    let error = RwSignal::new(None::<ApiError>);
    let send = move |id: String| {
        leptos::task::spawn_local(async move {
            match api::gql::<Value>(
                "mutation($id: ID!) { sendOrder(id: $id) { id status } }",
                json!({"id": id.clone()}),
            )
            .await
            {
                Ok(_) => drafts.update(|d| {
                    if let Some(draft) = d.iter_mut().find(|d| d.id == id) {
                        draft.status = "SENT".into();
                    }
                }),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    move || {
        let made = drafts.get();
        (!made.is_empty()).then(|| view! {
            <article id="drafts-made" role="status">
                <header><strong>{t("purchasing-drafts-made")}</strong></header>
                <ul class="plain">
                    {made.into_iter().map(|d| {
                        let id = d.id.clone();
                        view! {
                            <li>
                                <A href=format!("/orders/{}", d.id)>{d.vendor.map(|v| v.name).unwrap_or_default()}" · "{d.reference.unwrap_or_default()}</A>" "
                                <span class="money">{money(&d.total)}</span>" "
                                {d.below_minimum_order_value.then(|| view! { <mark class="warning">{t("purchasing-under-minimum")}</mark> })}" "
                                {if d.status == "DRAFT" {
                                    view! { <button class="secondary" on:click=move |_| send(id.clone())>{t("purchasing-send")}</button> }.into_any()
                                } else {
                                    view! { <strong>{t("purchasing-sent")}</strong> }.into_any()
                                }}
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <FormError error=error />
            </article>
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, set_lang};

    fn milk(kind: &str, safety: &str) -> Suggestion {
        Suggestion {
            ingredient: Ingredient {
                name: "Milk".into(),
                base_unit: "L".into(),
            },
            storage_unit: Named {
                id: "1".into(),
                name: "Bar".into(),
            },
            product: Some(Pack {
                id: "7".into(),
                pack_name: "crate".into(),
                packaging_factor: "10".into(),
            }),
            vendor: None,
            on_hand: "4".into(),
            on_order: "0".into(),
            days_of_stock_left: Some("2".into()),
            suggested_quantity: "20".into(),
            suggested_packs: "2".into(),
            price_per_pack: Some("12".into()),
            estimated_cost: Some("24".into()),
            kind: kind.into(),
            need: "16".into(),
            average_daily_usage: Some("2".into()),
            lead_time_days: 2,
            cover_usage: Some("18".into()),
            by_weekday: false,
            raised_to_minimum: false,
            policy: PolicyFigures {
                reorder_point: Some("4".into()),
                par_level: Some("20".into()),
                review_days: 7,
                safety_days: safety.into(),
            },
        }
    }

    #[test]
    fn the_reason_is_said_in_the_readers_language() {
        set_lang(Lang::En);
        assert_eq!(
            reason(&milk("AUTOMATIC", "1")),
            "2 L/day × (2 + 7 days + 1 safety day) − 4 on hand − 0 on order = 16 L → 2 × crate of 10 L"
        );
        assert!(reason(&milk("AUTOMATIC", "1.5")).contains("1.5 safety days"));
        assert_eq!(
            reason(&milk("MANUAL", "1")),
            "at or below the reorder point of 4 L: par 20 − 4 on hand − 0 on order = 16 L → 2 × crate of 10 L"
        );
        set_lang(Lang::De);
        assert!(
            reason(&milk("AUTOMATIC", "1.5")).contains("1,5 Sicherheitstage"),
            "{}",
            reason(&milk("AUTOMATIC", "1.5"))
        );
        set_lang(Lang::En);
    }
}
