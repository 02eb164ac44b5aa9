//! Larder's single-page app: Leptos in the browser, talking GraphQL to the API that serves it.

mod api;
mod app;
#[cfg(test)]
mod catalogue_check;
mod format;
mod forms;
mod i18n;
mod lang;
mod model;
mod offline;
mod pages;
mod query;
mod scanning;
mod session;
mod states;
mod subscription;

fn main() {
    console_error_panic_hook::set_once();
    offline::worker::register();
    leptos::mount::mount_to_body(app::App);
}
