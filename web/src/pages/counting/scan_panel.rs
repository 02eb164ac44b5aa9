//! Scanning on the count sheet: a code from a typing scanner or the camera adds one pack of its
//! product where the counter stands. Codes are looked up in the sheet's own list first (so a
//! scan works without a signal), then on the server; an unknown code can be given to a product
//! that has none.

use leptos::html;
use leptos::prelude::*;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::json;

use super::sheet::{Barcode, Id, is_gtin};
use super::view::{Counting, Found};
use crate::api::{self, ApiError};
use crate::i18n::{t, t_with};
use crate::scanning::{camera_available, listen_for_scanner, read_with_camera};

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Product {
    id: String,
    name: String,
    gtin: Option<String>,
    pack_name: String,
    packaging_factor: String,
    ingredient: Option<IngredientName>,
}

#[derive(Clone, Deserialize)]
struct IngredientName {
    id: String,
    name: String,
}

impl Product {
    fn barcode(&self) -> Barcode {
        Barcode {
            id: self.id.clone(),
            gtin: self.gtin.clone(),
            pack_name: self.pack_name.clone(),
            packaging_factor: self.packaging_factor.clone(),
            ingredient: self.ingredient.as_ref().map(|i| Id { id: i.id.clone() }),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Lookup {
    find_by_barcode: Match,
}

#[derive(Deserialize)]
struct Match {
    product: Option<Product>,
}

/// One more pack of `barcode`'s product where the counter stands: what stands there already,
/// one pack more. Counted in another pack before, the earlier count becomes loose.
fn one_more(c: Counting, barcode: &Barcode) -> Option<String> {
    let ingredient = barcode.ingredient.as_ref()?.id.clone();
    let sheet = c.server.get_untracked();
    let line = sheet.lines.iter().find(|l| l.ingredient.id == ingredient);
    let at = c.at_place.get_untracked();
    let place = if at.is_empty() {
        line.and_then(|l| l.place.as_ref().map(|p| p.id.clone()))
    } else {
        Some(at)
    };
    let factor: Decimal = barcode.packaging_factor.parse().ok()?;
    let before = c.standing_at(&ingredient, place.as_deref());
    let same_pack = before
        .as_ref()
        .is_some_and(|e| e.product.as_ref().map(|p| &p.id) == Some(&barcode.id));
    let found = match &before {
        Some(e) if same_pack => Found {
            packs: Some(
                e.packs
                    .as_deref()
                    .and_then(|p| p.parse::<Decimal>().ok())
                    .unwrap_or_default()
                    + Decimal::ONE,
            ),
            product_id: Some(barcode.id.clone()),
            pack_factor: factor,
            loose: e.loose_quantity.as_deref().and_then(|l| l.parse().ok()),
        },
        Some(e) => Found {
            packs: Some(Decimal::ONE),
            product_id: Some(barcode.id.clone()),
            pack_factor: factor,
            loose: e.quantity.parse().ok(),
        },
        None => Found {
            packs: Some(Decimal::ONE),
            product_id: Some(barcode.id.clone()),
            pack_factor: factor,
            loose: None,
        },
    };
    let packs = found.packs.unwrap_or_default();
    c.add(&ingredient, place, found);
    let name = line.map_or_else(String::new, |l| l.ingredient.name.clone());
    Some(t_with(
        "count-scanned",
        &[
            ("pack", barcode.pack_name.clone().into()),
            ("ingredient", name.into()),
            (
                "packs",
                crate::i18n::n(packs.to_string().parse().unwrap_or(0.0)),
            ),
        ],
    ))
}

#[component]
pub(super) fn ScanPanel(c: Counting, company: String) -> impl IntoView {
    let said = RwSignal::new(None::<String>);
    let unknown = RwSignal::new(None::<String>);
    let company = StoredValue::new(company);
    let scan = move |code: String| {
        unknown.set(None);
        if let Some(barcode) = c.server.get_untracked().scanned(&code).cloned() {
            said.set(one_more(c, &barcode));
            return;
        }
        leptos::task::spawn_local(async move {
            let found = api::gql::<Lookup>(
                "query($c: ID!, $code: String!) { findByBarcode(companyId: $c, code: $code) { product { id name gtin packName packagingFactor ingredient { id name } } } }",
                json!({"c": company.get_value(), "code": code}),
            )
            .await;
            match found {
                Ok(Lookup {
                    find_by_barcode: Match { product: Some(p) },
                }) => {
                    let barcode = p.barcode();
                    c.server.update(|s| s.barcodes.push(barcode.clone()));
                    said.set(one_more(c, &barcode));
                }
                Ok(_) => {
                    said.set(Some(t_with(
                        "count-unknown-code",
                        &[("code", code.clone().into())],
                    )));
                    unknown.set(Some(code));
                }
                Err(e) if e.code == "NETWORK" => {
                    said.set(Some(t_with(
                        "count-unknown-offline",
                        &[("code", code.into())],
                    )));
                }
                Err(e) => said.set(Some(e.said())),
            }
        });
    };
    listen_for_scanner(is_gtin, scan);
    let camera = camera_available();
    let watching = RwSignal::new(false);
    let cancelled = RwSignal::new(false);
    let video = NodeRef::<html::Video>::new();
    let start_camera = move |_| {
        cancelled.set(false);
        watching.set(true);
        leptos::task::spawn_local(async move {
            // The video element is drawn once `watching` is set.
            api::sleep(50).await;
            let Some(element) = video.get_untracked() else {
                return;
            };
            match read_with_camera(element, cancelled).await {
                Ok(Some(code)) => scan(code),
                Ok(None) => {}
                Err(e) => said.set(Some(e)),
            }
            watching.set(false);
        });
    };
    view! {
        <div class="scan" id="count-scan">
            <p class="muted">{t("count-scan-hint")}</p>
            {camera.then(|| view! {
                <button type="button" class="secondary" id="count-camera" on:click=start_camera>{t("count-camera")}</button>
            })}
            {move || watching.get().then(|| view! {
                <div class="camera">
                    <video node_ref=video autoplay=true playsinline=true muted=true></video>
                    <button type="button" class="secondary outline" on:click=move |_| cancelled.set(true)>{t("action-cancel")}</button>
                </div>
            })}
            {move || said.get().map(|m| view! { <p role="status" id="count-scanned">{m}</p> })}
            {move || unknown.get().map(|code| view! { <AssignCode code=code company=company.get_value() on_done=move |b: Barcode| {
                unknown.set(None);
                c.server.update(|s| s.barcodes.push(b.clone()));
                said.set(one_more(c, &b));
            } /> })}
        </div>
    }
}

#[derive(Deserialize)]
struct Products {
    products: Vec<Product>,
}

/// Gives an unknown code to one of the company's products that has none, then counts it.
#[component]
fn AssignCode(
    code: String,
    company: String,
    on_done: impl Fn(Barcode) + Copy + 'static,
) -> impl IntoView {
    let products = LocalResource::new(move || {
        let company = company.clone();
        async move {
            api::gql::<Products>(
                "query($c: ID!) { products(companyId: $c) { id name gtin packName packagingFactor ingredient { id name } } }",
                json!({"c": company}),
            )
            .await
            .map(|p| p.products.into_iter().filter(|p| p.gtin.is_none()).collect::<Vec<_>>())
        }
    });
    let chosen = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let code = StoredValue::new(code);
    let assign = move |_| {
        let product = chosen.get_untracked();
        if product.is_empty() {
            return;
        }
        leptos::task::spawn_local(async move {
            #[derive(Deserialize)]
            #[serde(rename_all = "camelCase")]
            struct Assigned {
                assign_barcode: Product,
            }
            match api::gql::<Assigned>(
                "mutation($p: ID!, $code: String!) { assignBarcode(productId: $p, code: $code) { id name gtin packName packagingFactor ingredient { id name } } }",
                json!({"p": product, "code": code.get_value()}),
            )
            .await
            {
                Ok(a) => on_done(a.assign_barcode.barcode()),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <div class="assign-code" id="count-assign">
            <label>
                <span class="label-text">{t("count-assign-to")}</span>
                <select name="assignProduct" on:change=move |ev| chosen.set(event_target_value(&ev))>
                    <option value="">{t("choose")}</option>
                    {move || products.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|p| {
                        let label = format!("{} — {} ({})", p.ingredient.as_ref().map(|i| i.name.clone()).unwrap_or_default(), p.name, p.pack_name);
                        view! { <option value=p.id>{label}</option> }
                    }).collect_view()}
                </select>
            </label>
            <crate::forms::FormError error=error />
            <button type="button" on:click=assign>{t("count-assign")}</button>
        </div>
    }
}
