//! Larder end to end: the real server on a random port, on SQLite and on PostgreSQL, driven as
//! its users drive it (GraphQL over HTTP and WebSocket, uploads, webhooks, the browser, worker
//! processes). One binary, one module per capability; each test is named after the rule it
//! proves, and `on_both_backends!` runs it as `<rule>::sqlite` and `<rule>::postgres`.
//!
//! Run one capability with `cargo test -p tests --test e2e ledger::`.

mod accounts;
mod browser;
mod callers;
mod concurrency_model;
mod contract;
mod counting;
mod crash_safety;
mod demo;
mod food_cost;
mod hardening;
mod health;
mod invoices;
mod isolation;
mod ledger;
mod lists;
mod master_data;
mod operations;
mod orders_and_reports;
mod pos;
mod postgres_tcp;
mod process;
mod purchasing;
mod worker_recovery;
