//! Count entries waiting to be sent: kept in IndexedDB the moment they are made, sent in one
//! `saveCountEntries` when the connection allows — on start, when the browser says it is online
//! again, on a timer (Background Sync is Chromium's alone) — and removed only once the server
//! has them. The server saves each once by its client id, so sending again after a lost answer
//! is harmless.

use std::cell::Cell;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::store::{self, OUTBOX};
use crate::api::{self, ApiError};

/// The most entries one request sends (the server's own limit).
const BATCH: usize = 1_000;

/// An entry made on this device, not yet saved by the server.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Waiting {
    pub count_id: String,
    /// Sent only while the same person is signed in: it is saved as theirs.
    pub user_id: String,
    pub client_id: String,
    /// The `CountEntryInput` as the API takes it.
    pub input: Value,
    /// The entry as the sheet shows it meanwhile.
    pub shown: Value,
}

pub async fn add(w: &Waiting) -> Result<(), String> {
    let json = serde_json::to_string(w).map_err(|e| e.to_string())?;
    store::put(OUTBOX, &w.client_id, &json).await
}

/// The entries of `count_id` that `user_id` made here and the server does not have yet, oldest
/// first.
pub async fn waiting(count_id: &str, user_id: &str) -> Result<Vec<Waiting>, String> {
    let mut out: Vec<Waiting> = store::all(OUTBOX)
        .await?
        .iter()
        .filter_map(|j| serde_json::from_str::<Waiting>(j).ok())
        .filter(|w| w.count_id == count_id && w.user_id == user_id)
        .collect();
    out.sort_by(|a, b| {
        let at = |w: &Waiting| {
            w.input["countedAt"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        };
        at(a).cmp(&at(b))
    });
    Ok(out)
}

/// What a send came to.
#[derive(Clone, Debug)]
pub enum Sent {
    /// Nothing was waiting (or a send was already under way).
    Nothing,
    /// Everything that waited is sent: the server's sheet as it last answered (none if every
    /// entry was refused), and the entries it refused as wrong — dropped, as they would be
    /// refused forever — with its reason.
    Saved {
        sheet: Option<Value>,
        refused: Option<(ApiError, usize)>,
    },
    /// No connection: everything waits.
    Offline,
    /// The server refused the whole send (the count was posted meanwhile, say): all waits.
    Refused(ApiError),
}

thread_local! {
    static SENDING: Cell<bool> = const { Cell::new(false) };
}

/// Sends what waits for `count_id`, asking for `fields` of the count in the answer.
pub async fn send(count_id: &str, user_id: &str, fields: &str) -> Sent {
    if SENDING.with(|s| s.replace(true)) {
        return Sent::Nothing;
    }
    let sent = send_all(count_id, user_id, fields).await;
    SENDING.with(|s| s.set(false));
    sent
}

async fn send_all(count_id: &str, user_id: &str, fields: &str) -> Sent {
    let mut sheet = None;
    let mut refused: Option<(ApiError, usize)> = None;
    let mut sent_any = false;
    loop {
        let pending = match waiting(count_id, user_id).await {
            Ok(p) => p,
            Err(message) => {
                return Sent::Refused(ApiError {
                    message,
                    code: "STORAGE".into(),
                    field: None,
                });
            }
        };
        if pending.is_empty() {
            return if sent_any {
                Sent::Saved { sheet, refused }
            } else {
                Sent::Nothing
            };
        }
        sent_any = true;
        let batch = &pending[..pending.len().min(BATCH)];
        let inputs: Vec<Value> = batch.iter().map(|w| w.input.clone()).collect();
        let query = format!(
            "mutation($c: ID!, $e: [CountEntryInput!]!) {{ saveCountEntries(countId: $c, entries: $e) {{ {fields} }} }}"
        );
        match api::gql::<Value>(&query, json!({"c": count_id, "e": inputs})).await {
            Ok(data) => {
                let keys: Vec<String> = batch.iter().map(|w| w.client_id.clone()).collect();
                if let Err(message) = store::delete(OUTBOX, &keys).await {
                    return Sent::Refused(ApiError {
                        message,
                        code: "STORAGE".into(),
                        field: None,
                    });
                }
                sheet = Some(data["saveCountEntries"].clone());
            }
            Err(e) if e.code == "NETWORK" => return Sent::Offline,
            Err(e) => match refused_entry(&e).and_then(|i| batch.get(i)) {
                // One entry the server will never take: drop it, say so, send the rest.
                Some(bad) => {
                    if store::delete(OUTBOX, std::slice::from_ref(&bad.client_id))
                        .await
                        .is_err()
                    {
                        return Sent::Refused(e);
                    }
                    let n = refused.as_ref().map_or(0, |r| r.1) + 1;
                    refused = Some((e, n));
                }
                None => return Sent::Refused(e),
            },
        }
    }
}

/// The entry an error names: `entries[3].quantity` → 3.
fn refused_entry(e: &ApiError) -> Option<usize> {
    let field = e.field.as_deref()?;
    let rest = field.strip_prefix("entries[")?;
    rest[..rest.find(']')?].parse().ok()
}
