//! The check that every text the app asks for is in every language's catalogue: a test module
//! of its own, because it reads both the catalogues (`i18n`) and the server's states (`states`),
//! and `states` reads its labels from `i18n`.

use std::collections::BTreeSet;

use crate::i18n::{Lang, keys};
use crate::states::*;

/// Every `t("key")` and `t_with("key", …)` in the app's sources, and the keys made from a
/// family (`role-owner`, `type-receipt`, `vendor-new` …).
fn keys_in_code() -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    let mut files = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        // These files define the lookup and this check (their text shows `t("key")`); they
        // ask for no text.
        if path.ends_with("i18n.rs") || path.ends_with("catalogue_check.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for opener in ["t(\"", "t_with(\"", "noun=\""] {
            for (at, _) in text.match_indices(opener) {
                // A `t(` that is the end of another name (`set(`, `get(`) is not a lookup.
                let before = text[..at].chars().next_back();
                if opener != "noun=\"" && before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let rest = &text[at + opener.len()..];
                let key = &rest[..rest.find('"').unwrap()];
                if opener == "noun=\"" {
                    for verb in ["new", "edit", "create", "save"] {
                        keys.insert(format!("{key}-{verb}"));
                    }
                } else {
                    keys.insert(key.to_string());
                }
            }
        }
    }
    let enums: [Vec<String>; 8] = [
        Role::ALL.iter().map(|v| v.key()).collect(),
        OrderStatus::ALL.iter().map(|v| v.key()).collect(),
        TransactionType::ALL.iter().map(|v| v.key()).collect(),
        JobState::ALL.iter().map(|v| v.key()).collect(),
        JobKind::ALL.iter().map(|v| v.key()).collect(),
        PosProvider::ALL.iter().map(|v| v.key()).collect(),
        PosConnectionState::ALL.iter().map(|v| v.key()).collect(),
        AutomaticTransferState::ALL
            .iter()
            .map(|v| v.key())
            .collect(),
    ];
    keys.extend(enums.into_iter().flatten());
    for role in Role::ALL {
        keys.insert(format!("{}-can", role.key()));
    }
    // The server's waste reasons (`wasteReasons`) and "Other".
    for reason in [
        "spoiled",
        "damaged",
        "expired",
        "preparation-loss",
        "comps",
        "staff-meal",
        "customer-return",
        "spillage",
        "over-portioned",
        "other",
    ] {
        keys.insert(format!("reason-{reason}"));
    }
    keys
}

#[test]
fn every_key_the_app_asks_for_is_in_every_catalogue() {
    let wanted = keys_in_code();
    for lang in Lang::ALL {
        let have: BTreeSet<String> = keys(lang).into_iter().collect();
        let missing: Vec<_> = wanted.difference(&have).collect();
        assert!(missing.is_empty(), "{} lacks {missing:?}", lang.code());
    }
}
