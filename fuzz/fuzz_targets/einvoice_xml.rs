//! The e-invoice XML reader (CII and UBL, issue 26) on any bytes: it answers a document or a
//! `ReadError`, never panics, and what it answers holds its bounds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use service::invoices::read::{LINES_LIMIT, read_invoice};

fuzz_target!(|data: &[u8]| {
    if let Ok(file) = read_invoice(data) {
        let document = file.document;
        assert!(!document.lines.is_empty() && document.lines.len() <= LINES_LIMIT);
        assert!(document.number.chars().count() <= 1_000);
        let _ = document.warnings();
    }
});
