//! The parser's edge cases: encodings, separators, quoting, dates, bad rows.

use super::*;

fn company() -> company::Model {
    company::Model {
        id: 1,
        name: "c".into(),
        currency: "EUR".into(),
        timezone: "Europe/Berlin".into(),
        business_day_start_hour: 5,
        sales_vat_percent_micro: 0,
        price_alert_percent_micro: 5_000_000,
        blind_counts: false,
        archived_at: None,
        created_at: chrono::Utc::now(),
    }
}

fn config(delimiter: &str, decimal: &str) -> CsvConfig {
    CsvConfig {
        delimiter: delimiter.into(),
        has_header: true,
        code_column: "Code".into(),
        name_column: Some("Item".into()),
        quantity_column: "Qty".into(),
        sales_value_column: Some("Total".into()),
        date_column: "Date".into(),
        date_format: "%d.%m.%Y %H:%M".into(),
        decimal_separator: Some(decimal.into()),
        encoding: None,
    }
}

fn all(input: &[u8], config: &CsvConfig) -> ServiceResult<Vec<Result<CsvRow, RowError>>> {
    let mut out = Vec::new();
    parse(input, config, &company(), |r| {
        out.push(r);
        true
    })?;
    Ok(out)
}

#[test]
fn bom_semicolons_and_decimal_commas() {
    let file = "\u{FEFF}Code;Item;Qty;Total;Date\nESP;Espresso;1,5;3,75;10.03.2026 09:00\n";
    let rows = all(file.as_bytes(), &config(";", ",")).unwrap();
    let row = rows[0].as_ref().unwrap();
    assert_eq!(row.code, "ESP", "the BOM is not part of the first header");
    assert_eq!(row.quantity_micro, 1_500_000);
    assert_eq!(row.sales_value_micro, Some(3_750_000));
    assert_eq!(row.row, 2);
    // A point where a comma is expected is an error, not a silent 15.
    let rows = all(
        b"Code;Item;Qty;Total;Date\nESP;Espresso;1.5;3;10.03.2026 09:00\n",
        &config(";", ","),
    )
    .unwrap();
    assert!(
        rows[0]
            .as_ref()
            .unwrap_err()
            .message
            .contains("decimal separator")
    );
}

#[test]
fn quoted_fields_with_newlines_count_as_one_spreadsheet_row() {
    let file = "Code,Item,Qty,Total,Date\n\"PLT\",\"Party platter\nfor four\",1,40,10.03.2026 20:00\nESP,Espresso,0,0,10.03.2026 21:00\n";
    let rows = all(file.as_bytes(), &config(",", ".")).unwrap();
    assert_eq!(rows[0].as_ref().unwrap().name, "Party platter\nfor four");
    let err = rows[1].as_ref().unwrap_err();
    assert_eq!(
        (err.row, err.column.as_str()),
        (3, "Qty"),
        "the row a spreadsheet shows"
    );
}

#[test]
fn business_day_and_refunds() {
    // 01:30 on the 11th belongs to the 10th when the day starts at 05:00.
    let file = "Code,Item,Qty,Total,Date\nESP,Espresso,-2,-5,11.03.2026 01:30\n";
    let row = all(file.as_bytes(), &config(",", "."))
        .unwrap()
        .remove(0)
        .unwrap();
    assert_eq!(
        row.business_date,
        NaiveDate::from_ymd_opt(2026, 3, 10).unwrap()
    );
    assert_eq!(row.quantity_micro, -2_000_000);
}

#[test]
fn windows_1252_and_invalid_utf8() {
    let mut file = b"Code,Item,Qty,Total,Date\nCAF,Caf".to_vec();
    file.push(0xE9); // é in windows-1252
    file.extend_from_slice(b" au lait,1,3,10.03.2026 09:00\n");
    let mut cfg = config(",", ".");
    let rows = all(&file, &cfg).unwrap();
    assert!(
        rows[0]
            .as_ref()
            .unwrap_err()
            .message
            .contains("windows-1252")
    );
    cfg.encoding = Some("windows-1252".into());
    let rows = all(&file, &cfg).unwrap();
    assert_eq!(rows[0].as_ref().unwrap().name, "Café au lait");
}

#[test]
fn whole_file_problems() {
    assert!(all(b"", &config(",", ".")).is_err(), "empty file");
    assert!(
        all(b"Code,Item,Qty,Total,Date\n", &config(",", ".")).is_err(),
        "no rows"
    );
    let missing = all(
        b"Code,Item,Amount,Total,Date\nA,B,1,1,10.03.2026 09:00\n",
        &config(",", "."),
    )
    .unwrap_err();
    assert_eq!(missing.field(), Some("quantityColumn"));
    let mut positional = config(",", ".");
    positional.has_header = false;
    positional.code_column = "1".into();
    positional.name_column = None;
    positional.quantity_column = "3".into();
    positional.sales_value_column = None;
    positional.date_column = "4".into();
    let rows = all(b"ESP,x,2,10.03.2026 09:00\nESP,x\n", &positional).unwrap();
    assert_eq!(rows[0].as_ref().unwrap().row, 1);
    assert!(
        rows[1]
            .as_ref()
            .unwrap_err()
            .message
            .contains("only 2 columns")
    );
    let bad = CsvConfig {
        delimiter: "|".into(),
        ..config(",", ".")
    };
    assert_eq!(bad.validate().unwrap_err().field(), Some("delimiter"));
}

#[test]
fn preview_cuts_the_broken_last_row() {
    let sample = b"Code,Item,Qty,Total,Date\nESP,Espresso,1,2.5,10.03.2026 09:00\nCAP,Cappu";
    let p = preview(sample, &config(",", "."), &company(), 20).unwrap();
    assert_eq!(p.header, vec!["Code", "Item", "Qty", "Total", "Date"]);
    assert_eq!(p.rows.len(), 1);
}
