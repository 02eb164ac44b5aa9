//! Barcodes read two ways. A scanner that types — most USB and Bluetooth scanners are a
//! keyboard — sends the code's digits faster than a person types, then Enter: that burst is
//! caught on the window, kept out of whatever field had the focus, and handed over as a scan.
//! Where the browser has the `BarcodeDetector` API (Chrome on Android, some desktops), the
//! camera reads codes too; it is feature-detected, and nothing is loaded from elsewhere.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// A person types a key every 100 ms or more; a scanner sends one every few.
const MAX_GAP_MS: f64 = 50.0;

#[derive(Default)]
struct Burst {
    digits: String,
    last_ms: f64,
    /// The field that had the focus when the burst began, and its value then.
    field: Option<(web_sys::HtmlInputElement, String)>,
}

/// Calls `on_scan` with each code a typing scanner sends while the calling component lives.
/// `is_code` says which bursts are codes (a GTIN's check digit, say), so a fast typist's
/// quantity is never taken for one.
pub fn listen_for_scanner(is_code: fn(&str) -> bool, on_scan: impl Fn(String) + 'static) {
    let burst = Rc::new(RefCell::new(Burst::default()));
    let handle = window_event_listener(leptos::ev::keydown, move |ev: web_sys::KeyboardEvent| {
        let now = js_sys::Date::now();
        let mut b = burst.borrow_mut();
        if now - b.last_ms > MAX_GAP_MS {
            b.digits.clear();
            b.field = None;
        }
        b.last_ms = now;
        let key = ev.key();
        if key.len() == 1 && key.chars().all(|c| c.is_ascii_digit()) {
            if b.digits.is_empty() {
                // Keydown comes before the digit lands in the field: its value now is what it
                // held before the scanner began typing into it.
                b.field = focused_input().map(|i| {
                    let before = i.value();
                    (i, before)
                });
            }
            b.digits.push_str(&key);
            return;
        }
        if key == "Enter" && is_code(&b.digits) {
            ev.prevent_default();
            ev.stop_propagation();
            if let Some((input, before)) = b.field.take() {
                input.set_value(&before);
                let init = web_sys::EventInit::new();
                init.set_bubbles(true);
                if let Ok(event) = web_sys::Event::new_with_event_init_dict("input", &init) {
                    let _ = input.dispatch_event(&event);
                }
            }
            let code = std::mem::take(&mut b.digits);
            drop(b);
            on_scan(code);
            return;
        }
        b.digits.clear();
        b.field = None;
    });
    on_cleanup(move || handle.remove());
}

fn focused_input() -> Option<web_sys::HtmlInputElement> {
    web_sys::window()?
        .document()?
        .active_element()?
        .dyn_into::<web_sys::HtmlInputElement>()
        .ok()
}

fn barcode_detector() -> Option<js_sys::Function> {
    let window = web_sys::window()?;
    js_sys::Reflect::get(&window, &"BarcodeDetector".into())
        .ok()
        .and_then(|c| c.dyn_into::<js_sys::Function>().ok())
}

/// Whether this browser can read codes with the camera.
pub fn camera_available() -> bool {
    barcode_detector().is_some()
        && web_sys::window()
            .and_then(|w| w.navigator().media_devices().ok())
            .is_some()
}

/// Reads one code with the camera into `video`; None when stopped (`cancelled` set) or when the
/// camera is refused.
pub async fn read_with_camera(
    video: web_sys::HtmlVideoElement,
    cancelled: RwSignal<bool>,
) -> Result<Option<String>, String> {
    let detector_class = barcode_detector().ok_or("this browser cannot read barcodes")?;
    let formats = js_sys::Array::of4(
        &"ean_13".into(),
        &"ean_8".into(),
        &"upc_a".into(),
        &"itf".into(),
    );
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"formats".into(), &formats).map_err(said)?;
    let detector =
        js_sys::Reflect::construct(&detector_class, &js_sys::Array::of1(&options)).map_err(said)?;
    let devices = web_sys::window()
        .ok_or("no window")?
        .navigator()
        .media_devices()
        .map_err(said)?;
    let constraints = web_sys::MediaStreamConstraints::new();
    let facing = js_sys::Object::new();
    js_sys::Reflect::set(&facing, &"facingMode".into(), &"environment".into()).map_err(said)?;
    constraints.set_video(&facing);
    let stream: web_sys::MediaStream = JsFuture::from(
        devices
            .get_user_media_with_constraints(&constraints)
            .map_err(said)?,
    )
    .await
    .map_err(said)?
    .dyn_into()
    .map_err(said)?;
    video.set_src_object(Some(&stream));
    let _ = video.play();
    let detect: js_sys::Function = js_sys::Reflect::get(&detector, &"detect".into())
        .map_err(said)?
        .dyn_into()
        .map_err(said)?;
    let mut found = None;
    while !cancelled.get_untracked() {
        crate::api::sleep(250).await;
        let Ok(promise) = detect.call1(&detector, &video) else {
            continue;
        };
        let Ok(codes) = JsFuture::from(js_sys::Promise::from(promise)).await else {
            continue;
        };
        let first = js_sys::Array::from(&codes).get(0);
        if let Some(raw) = js_sys::Reflect::get(&first, &"rawValue".into())
            .ok()
            .and_then(|v| v.as_string())
        {
            found = Some(raw);
            break;
        }
    }
    for track in stream.get_tracks().iter() {
        if let Ok(track) = track.dyn_into::<web_sys::MediaStreamTrack>() {
            track.stop();
        }
    }
    video.set_src_object(None);
    Ok(found)
}

fn said(e: JsValue) -> String {
    e.as_string()
        .or_else(|| {
            js_sys::Reflect::get(&e, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
        })
        .unwrap_or_else(|| "the camera could not be used".into())
}
