//! The ZUGFeRD / Factur-X PDF reader (issue 26) on any bytes behind a PDF header: it finds the
//! embedded invoice or answers a `ReadError`, never panics, and never inflates a stream past
//! its bound (libFuzzer's memory limit would fail the run).
#![no_main]

use libfuzzer_sys::fuzz_target;
use service::invoices::read::read_invoice;

fuzz_target!(|data: &[u8]| {
    let mut pdf = b"%PDF-1.7\n".to_vec();
    pdf.extend_from_slice(data);
    if let Ok(file) = read_invoice(&pdf) {
        assert_eq!(file.content_type, "application/pdf");
        assert!(!file.document.lines.is_empty());
    }
});
