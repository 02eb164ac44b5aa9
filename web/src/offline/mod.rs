//! Working without a signal (DESIGN.md, "Counting anywhere", offline): the service worker that
//! keeps the app shell (`worker`), the browser's IndexedDB for what a count needs (`store`), and
//! the entries waiting to be sent (`outbox`).

pub mod outbox;
pub mod store;
pub mod worker;
