//! List filters kept in the URL's query string, so a link (or the back button) reproduces a view.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

/// A list filter that lives in the URL's query string, so a link reproduces the view.
pub fn query_param(key: &'static str) -> (Memo<String>, impl Fn(String) + Clone) {
    let query = use_query_map();
    let navigate = use_navigate();
    let value = Memo::new(move |_| query.get().get(key).unwrap_or_default());
    let set = move |v: String| {
        let mut params = query.get_untracked();
        if v.is_empty() {
            params.remove(key);
        } else {
            params.replace(key, v);
        }
        let path = web_sys::window()
            .and_then(|w| w.location().pathname().ok())
            .unwrap_or_default();
        navigate(
            &format!("{path}{}", params.to_query_string()),
            leptos_router::NavigateOptions {
                replace: true,
                ..Default::default()
            },
        );
    };
    (value, set)
}
