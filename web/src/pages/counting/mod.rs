//! The stock count (DESIGN.md, "Counting anywhere"): choose a storage unit and its open count
//! opens — or resumes — as a sheet that walks the room place by place. The sheet and every entry
//! made on it are kept in the browser, so a count started online goes on without a signal,
//! survives a reload, and is sent when the connection returns.

mod history;
mod scan_panel;
mod sheet;
mod view;

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::api::{self, ApiError};
use crate::i18n::t;
use crate::offline::store::{self, KEPT};
use crate::pages::{PageHead, load_error};
use crate::session::use_session;
use history::CountList;
use sheet::{Barcode, SHEET_FIELDS, Sheet};
use view::CountSheet;

const UNIT_KEY: &str = "larder.count.unit";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct UnitChoice {
    id: String,
    name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Units {
    storage_units: Vec<UnitChoice>,
}

/// The storage units to choose from: the server's, else the list kept from the last time.
async fn load_units(company: String) -> Result<Vec<UnitChoice>, ApiError> {
    let key = format!("units:{company}");
    match api::gql::<Units>(
        "query($c: ID!) { storageUnits(companyId: $c) { id name } }",
        json!({"c": company}),
    )
    .await
    {
        Ok(u) => {
            if let Ok(json) = serde_json::to_string(&u.storage_units) {
                let _ = store::put(KEPT, &key, &json).await;
            }
            Ok(u.storage_units)
        }
        Err(e) if e.code == "NETWORK" => kept(&key).await.ok_or(e),
        Err(e) => Err(e),
    }
}

async fn kept<T: for<'de> Deserialize<'de>>(key: &str) -> Option<T> {
    let json = store::get(KEPT, key).await.ok()??;
    serde_json::from_str(&json).ok()
}

/// The times of a sheet's entries as numbers: the server and the browser write them differently.
pub(super) fn stamped(mut sheet: Sheet) -> Sheet {
    for e in &mut sheet.entries {
        e.at_ms = js_sys::Date::parse(&e.counted_at);
    }
    sheet
}

pub(super) fn sheet_key(unit: &str) -> String {
    format!("sheet:{unit}")
}

/// Keeps the sheet for a reload without a signal.
pub(super) async fn keep(unit: &str, sheet: &Sheet) {
    if let Ok(json) = serde_json::to_string(sheet) {
        let _ = store::put(KEPT, &sheet_key(unit), &json).await;
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Started {
    start_stock_count: Sheet,
}

#[derive(Deserialize)]
struct Products {
    products: Vec<Barcode>,
}

#[derive(Clone)]
struct Loaded {
    sheet: Sheet,
    /// Read from the browser's keeping: the server could not be reached.
    offline: bool,
}

/// The unit's open count (started if none is): from the server, else as kept last time.
async fn load_sheet(company: String, unit: String) -> Result<Option<Loaded>, ApiError> {
    if unit.is_empty() {
        return Ok(None);
    }
    let started = api::gql::<Started>(
        &format!("mutation($u: ID!) {{ startStockCount(storageUnitId: $u) {{ {SHEET_FIELDS} }} }}"),
        json!({"u": unit}),
    )
    .await;
    match started {
        Ok(s) => {
            let mut sheet = stamped(s.start_stock_count);
            // The codes to scan by, kept with the sheet so a scan works without a signal.
            if let Ok(p) = api::gql::<Products>(
                "query($c: ID!) { products(companyId: $c) { id gtin packName packagingFactor ingredient { id } } }",
                json!({"c": company}),
            )
            .await
            {
                sheet.barcodes = p.products.into_iter().filter(|b| b.gtin.is_some()).collect();
            }
            keep(&unit, &sheet).await;
            Ok(Some(Loaded {
                sheet,
                offline: false,
            }))
        }
        Err(e) if e.code == "NETWORK" => match kept::<Sheet>(&sheet_key(&unit)).await {
            Some(sheet) => Ok(Some(Loaded {
                sheet: stamped(sheet),
                offline: true,
            })),
            None => Err(e),
        },
        Err(e) => Err(e),
    }
}

#[component]
pub fn StockCounts() -> impl IntoView {
    let session = use_session();
    let unit = RwSignal::new(LocalStorage::get::<String>(UNIT_KEY).unwrap_or_default());
    let version = RwSignal::new(0);
    let units = LocalResource::new(move || {
        let company = session.company_id();
        async move { load_units(company).await }
    });
    let loaded = LocalResource::new(move || {
        version.track();
        let (company, unit) = (session.company_id(), unit.get());
        async move { load_sheet(company, unit).await }
    });
    let options = Signal::derive(move || {
        units
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect::<Vec<_>>()
    });
    let posted = RwSignal::new(None::<String>);
    let choose = move |id: String| {
        let _ = LocalStorage::set(UNIT_KEY, &id);
        posted.set(None);
        unit.set(id);
    };
    let user = Signal::derive(move || session.me.get().map(|m| m.id).unwrap_or_default());
    view! {
        <PageHead title=t("count-title")><span></span></PageHead>
        <label>
            <span class="label-text">{t("count-storage-unit")}</span>
            <select name="storageUnitId" prop:value=move || unit.get()
                on:change=move |ev| choose(event_target_value(&ev))>
                <option value="">{t("choose")}</option>
                {move || options.get().into_iter().map(|(id, name)| {
                    let selected = id == unit.get_untracked();
                    view! { <option value=id selected=selected>{name}</option> }
                }).collect_view()}
            </select>
        </label>
        {move || posted.get().map(|m| view! { <p role="status" id="count-posted">{m}</p> })}
        {move || loaded.get().map(|r| match r {
            Ok(None) => view! { <p class="muted">{t("count-choose")}</p> }.into_any(),
            Ok(Some(l)) if l.sheet.lines.is_empty() && l.sheet.entries.is_empty() => {
                view! { <p class="muted">{t("count-nothing-stocked")}</p> }.into_any()
            }
            Ok(Some(l)) => view! {
                <CountSheet sheet=l.sheet offline=l.offline user=user.get_untracked()
                    unit=unit.get_untracked() company=session.company_id()
                    on_posted=move |said: String| {
                        posted.set(Some(said));
                        let _ = LocalStorage::set(UNIT_KEY, "");
                        unit.set(String::new());
                        version.update(|n| *n += 1);
                    } />
            }.into_any(),
            Err(e) => load_error(e),
        })}
        <CountList units=options reload=move || { version.track(); loaded.track(); } resume=choose />
    }
}
