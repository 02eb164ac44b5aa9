//! Registers the service worker (`/sw.js`, served by Larder with the build's version written
//! in). Browsers without one — or a page not served over HTTPS or from localhost — run the app
//! as before, online only.

pub fn register() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    // Feature-detected: `navigator.serviceWorker` is undefined outside secure contexts.
    if js_sys::Reflect::get(&navigator, &"serviceWorker".into()).is_ok_and(|v| v.is_undefined()) {
        return;
    }
    let _ = navigator.service_worker().register("/sw.js");
}
