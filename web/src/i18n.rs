//! Every string the app shows, from one catalogue per language — `web/locales/en.ftl` and
//! `web/locales/de.ftl`, in Project Fluent's format — so a translator edits one file and a test
//! (`tests::catalogue`) proves both hold every key the code asks for.
//!
//! The language is the user's choice saved on the server (`User.locale`), else the browser's;
//! changing it reloads the app, so a string is looked up once, when its view is built.

use std::cell::{Cell, RefCell};

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};

pub use crate::lang::Lang;

/// A language's catalogue.
fn source(lang: Lang) -> &'static str {
    match lang {
        Lang::En => include_str!("../locales/en.ftl"),
        Lang::De => include_str!("../locales/de.ftl"),
    }
}

thread_local! {
    static LANG: Cell<Lang> = const { Cell::new(Lang::En) };
    static BUNDLES: RefCell<Vec<(Lang, FluentBundle<FluentResource>)>> = RefCell::new(
        Lang::ALL.into_iter().map(|l| (l, bundle(l))).collect()
    );
}

fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let id = lang.code().parse().expect("a valid language identifier");
    let mut bundle = FluentBundle::new(vec![id]);
    // Plain text: no invisible isolation marks around placed values.
    bundle.set_use_isolating(false);
    let resource =
        FluentResource::try_new(source(lang).to_string()).unwrap_or_else(|(partial, _)| partial);
    let _ = bundle.add_resource(resource);
    bundle
}

const STORED: &str = "larder.lang";

/// The language to start in: the user's choice remembered from their last visit, else the first
/// of the browser's languages the app speaks, else English.
pub fn chosen_or_browser() -> Lang {
    use gloo_storage::Storage;
    if let Some(stored) = gloo_storage::LocalStorage::get::<String>(STORED)
        .ok()
        .and_then(|c| Lang::from_tag(&c))
    {
        return stored;
    }
    browser().unwrap_or_default()
}

#[cfg(target_arch = "wasm32")]
fn browser() -> Option<Lang> {
    let navigator = web_sys::window()?.navigator();
    navigator
        .languages()
        .iter()
        .filter_map(|l| l.as_string())
        .chain(navigator.language())
        .find_map(|tag| Lang::from_tag(&tag))
}

#[cfg(not(target_arch = "wasm32"))]
fn browser() -> Option<Lang> {
    None
}

/// Remembers the user's choice (from their profile) and speaks it; `None` follows the browser.
pub fn remember(choice: Option<Lang>) {
    use gloo_storage::Storage;
    match choice {
        Some(lang) => {
            let _ = gloo_storage::LocalStorage::set(STORED, lang.code());
            set_lang(lang);
        }
        None => {
            gloo_storage::LocalStorage::delete(STORED);
            set_lang(browser().unwrap_or_default());
        }
    }
}

/// The language the app speaks now.
pub fn lang() -> Lang {
    LANG.with(Cell::get)
}

/// Speaks `lang` from now on (numbers and dates too).
pub fn set_lang(lang: Lang) {
    LANG.with(|l| l.set(lang));
    crate::format::set_lang(lang);
}

/// The text of `key` in the current language; the key itself if the catalogue lacks it.
pub fn t(key: &str) -> String {
    t_in(lang(), key, None)
}

/// The text of `key` with its placeholders filled (`{ $count }`).
pub fn t_with(key: &str, args: &[(&str, FluentValue<'static>)]) -> String {
    let mut fluent = FluentArgs::new();
    for (name, value) in args {
        fluent.set(*name, value.clone());
    }
    t_in(lang(), key, Some(&fluent))
}

/// A number for a placeholder.
pub fn n(value: impl Into<f64>) -> FluentValue<'static> {
    FluentValue::from(value.into())
}

/// A text for a placeholder.
pub fn s(value: impl Into<String>) -> FluentValue<'static> {
    FluentValue::from(value.into())
}

pub fn t_in(lang: Lang, key: &str, args: Option<&FluentArgs>) -> String {
    BUNDLES.with(|bundles| {
        let bundles = bundles.borrow();
        let Some((_, bundle)) = bundles.iter().find(|(l, _)| *l == lang) else {
            return key.to_string();
        };
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            return key.to_string();
        };
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned()
    })
}

/// Every key a catalogue holds, for the test that compares them.
#[cfg(test)]
pub fn keys(lang: Lang) -> Vec<String> {
    let resource = FluentResource::try_new(source(lang).to_string())
        .unwrap_or_else(|(_, errors)| panic!("{} has errors: {errors:?}", lang.code()));
    resource
        .entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn the_catalogues_hold_the_same_keys() {
        let en: BTreeSet<String> = keys(Lang::En).into_iter().collect();
        let de: BTreeSet<String> = keys(Lang::De).into_iter().collect();
        assert_eq!(
            en.symmetric_difference(&de).collect::<Vec<_>>(),
            Vec::<&String>::new()
        );
    }

    #[test]
    fn a_count_is_said_in_each_language_s_plural() {
        let one = [("count", n(1.0))];
        let many = [("count", n(3.0))];
        let said = |lang, args: &[(&str, FluentValue<'static>)]| {
            let mut fluent = FluentArgs::new();
            for (k, v) in args {
                fluent.set(*k, v.clone());
            }
            t_in(lang, "dash-days-untransferred", Some(&fluent))
        };
        assert_eq!(said(Lang::En, &one), "One day not transferred");
        assert_eq!(said(Lang::En, &many), "3 days not transferred");
        assert_eq!(said(Lang::De, &many), "3 Tage nicht übertragen");
    }

    #[test]
    fn a_browser_language_picks_the_app_s_language() {
        assert_eq!(Lang::from_tag("de-AT"), Some(Lang::De));
        assert_eq!(Lang::from_tag("en_US"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr-FR"), None);
    }
}
