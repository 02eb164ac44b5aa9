//! The CSV import parser on any bytes and any of its settings: it answers rows, row errors or
//! a whole-file error, never panics, and keeps every accepted quantity within the input bound.
#![no_main]

use libfuzzer_sys::fuzz_target;
use service::pos::csv_import::{self, CsvConfig};
use service::quantity::MAX_INPUT;

/// The first byte picks the settings; the rest is the file.
fn config(choice: u8) -> CsvConfig {
    let header = choice & 1 == 0;
    let column = |name: &str, position: &str| {
        if header {
            name.to_string()
        } else {
            position.to_string()
        }
    };
    CsvConfig {
        delimiter: [",", ";", "\t"][(choice >> 1) as usize % 3].into(),
        has_header: header,
        code_column: column("Code", "1"),
        name_column: Some(column("Item", "2")),
        quantity_column: column("Qty", "3"),
        sales_value_column: Some(column("Total", "4")),
        date_column: column("Date", "5"),
        date_format: ["%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y"][(choice >> 3) as usize % 3]
            .into(),
        decimal_separator: Some(if choice & 0x20 == 0 { "." } else { "," }.into()),
        encoding: Some(if choice & 0x40 == 0 { "utf-8" } else { "windows-1252" }.into()),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((choice, file)) = data.split_first() else {
        return;
    };
    let config = config(*choice);
    let company = entity::company::Model {
        id: 1,
        name: "Fuzz".into(),
        currency: "EUR".into(),
        timezone: "Europe/Berlin".into(),
        business_day_start_hour: 5,
        sales_vat_percent_micro: 0,
        price_alert_percent_micro: 5_000_000,
        blind_counts: false,
        archived_at: None,
        created_at: chrono::DateTime::UNIX_EPOCH,
    };
    let limit = MAX_INPUT as i128 * 1_000_000;
    let _ = csv_import::parse(file, &config, &company, |row| {
        if let Ok(row) = row {
            assert!((row.quantity_micro as i128).abs() <= limit, "{row:?}");
        }
        true
    });
    let _ = csv_import::preview(file, &config, &company, 20);
});
