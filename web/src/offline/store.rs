//! Records kept in the browser's IndexedDB, as JSON text under a key: the last sheet of each
//! storage unit's open count, the storage units to choose from, and the outbox of entries. Text
//! rather than structured values: what is kept is what the API answered, read back by the same
//! types.

use rexie::{ObjectStore, Rexie, TransactionMode};
use wasm_bindgen::JsValue;

const DATABASE: &str = "larder-offline";
/// The last answer for a key (a count sheet, the storage units).
pub const KEPT: &str = "kept";
/// Entries not yet saved by the server, by client id.
pub const OUTBOX: &str = "outbox";

async fn open() -> Result<Rexie, String> {
    Rexie::builder(DATABASE)
        .version(1)
        .add_object_store(ObjectStore::new(KEPT))
        .add_object_store(ObjectStore::new(OUTBOX))
        .build()
        .await
        .map_err(|e| format!("the browser's storage is not available: {e}"))
}

fn said(e: rexie::Error) -> String {
    format!("the browser's storage failed: {e}")
}

pub async fn put(store: &str, key: &str, json: &str) -> Result<(), String> {
    let db = open().await?;
    let tx = db
        .transaction(&[store], TransactionMode::ReadWrite)
        .map_err(said)?;
    tx.store(store)
        .map_err(said)?
        .put(&JsValue::from_str(json), Some(&JsValue::from_str(key)))
        .await
        .map_err(said)?;
    tx.done().await.map_err(said)?;
    Ok(())
}

pub async fn get(store: &str, key: &str) -> Result<Option<String>, String> {
    let db = open().await?;
    let tx = db
        .transaction(&[store], TransactionMode::ReadOnly)
        .map_err(said)?;
    let value = tx
        .store(store)
        .map_err(said)?
        .get(JsValue::from_str(key))
        .await
        .map_err(said)?;
    Ok(value.and_then(|v| v.as_string()))
}

pub async fn delete(store: &str, keys: &[String]) -> Result<(), String> {
    let db = open().await?;
    let tx = db
        .transaction(&[store], TransactionMode::ReadWrite)
        .map_err(said)?;
    let s = tx.store(store).map_err(said)?;
    for key in keys {
        s.delete(JsValue::from_str(key)).await.map_err(said)?;
    }
    tx.done().await.map_err(said)?;
    Ok(())
}

/// Every record of a store.
pub async fn all(store: &str) -> Result<Vec<String>, String> {
    let db = open().await?;
    let tx = db
        .transaction(&[store], TransactionMode::ReadOnly)
        .map_err(said)?;
    let values = tx
        .store(store)
        .map_err(said)?
        .get_all(None, None)
        .await
        .map_err(said)?;
    Ok(values.into_iter().filter_map(|v| v.as_string()).collect())
}
