//! The CSV provider: a configured import (delimiter, header row, columns by name or position,
//! date format, decimal comma, encoding), a preview, and a streaming parser that reports every
//! invalid row with the row number a spreadsheet shows (the header is row 1).

use std::collections::HashMap;
use std::io::Read;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use entity::company;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::business_days;
use crate::error::{ServiceError, ServiceResult};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CsvConfig {
    pub delimiter: String,
    pub has_header: bool,
    pub code_column: String,
    pub name_column: Option<String>,
    pub quantity_column: String,
    pub sales_value_column: Option<String>,
    pub date_column: String,
    pub date_format: String,
    pub decimal_separator: Option<String>,
    pub encoding: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Windows1252,
}

impl CsvConfig {
    pub fn validate(&self) -> ServiceResult<()> {
        self.delimiter_byte()?;
        self.decimal_comma()?;
        self.encoding()?;
        if self.date_format.trim().is_empty() {
            return Err(ServiceError::validation("dateFormat", "must not be empty"));
        }
        crate::validate::bounded("dateFormat", &self.date_format, 64)?;
        // A format chrono cannot use fails on every row; say so once, now.
        let probe = chrono::format::StrftimeItems::new(&self.date_format);
        if probe
            .into_iter()
            .any(|i| matches!(i, chrono::format::Item::Error))
        {
            return Err(ServiceError::validation(
                "dateFormat",
                format!(
                    "{} is not a valid date format (use e.g. %d.%m.%Y or %Y-%m-%d %H:%M)",
                    self.date_format
                ),
            ));
        }
        for (field, value) in [
            ("codeColumn", Some(&self.code_column)),
            ("quantityColumn", Some(&self.quantity_column)),
            ("dateColumn", Some(&self.date_column)),
            ("nameColumn", self.name_column.as_ref()),
            ("salesValueColumn", self.sales_value_column.as_ref()),
        ] {
            if let Some(v) = value {
                crate::validate::bounded(field, v, 100)?;
                if v.trim().is_empty() {
                    return Err(ServiceError::validation(field, "name the column"));
                }
                if !self.has_header && v.trim().parse::<usize>().map_or(true, |n| n == 0) {
                    return Err(ServiceError::validation(
                        field,
                        "without a header row, columns are positions: 1, 2, 3…",
                    ));
                }
            }
        }
        Ok(())
    }

    pub fn delimiter_byte(&self) -> ServiceResult<u8> {
        match self.delimiter.as_str() {
            "," => Ok(b','),
            ";" => Ok(b';'),
            "\t" | "tab" | "TAB" | "\\t" => Ok(b'\t'),
            other => Err(ServiceError::validation(
                "delimiter",
                format!("{other:?} is not supported: use comma, semicolon or tab"),
            )),
        }
    }

    pub fn decimal_comma(&self) -> ServiceResult<bool> {
        match self.decimal_separator.as_deref().unwrap_or(".") {
            "." => Ok(false),
            "," => Ok(true),
            other => Err(ServiceError::validation(
                "decimalSeparator",
                format!("{other:?} is not supported: use . or ,"),
            )),
        }
    }

    pub fn encoding(&self) -> ServiceResult<Encoding> {
        match self
            .encoding
            .as_deref()
            .unwrap_or("utf-8")
            .to_ascii_lowercase()
            .as_str()
        {
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "windows-1252" | "cp1252" | "latin1" | "iso-8859-1" => Ok(Encoding::Windows1252),
            other => Err(ServiceError::validation(
                "encoding",
                format!("{other} is not supported: use utf-8 or windows-1252"),
            )),
        }
    }
}

/// A valid row.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvRow {
    pub row: u64,
    pub code: String,
    pub name: String,
    /// Signed millionths: a negative quantity is a refund.
    pub quantity_micro: i64,
    pub sales_value_micro: Option<i64>,
    pub business_date: NaiveDate,
    /// Microseconds since the epoch.
    pub sold_at: i64,
}

/// An invalid row: where, which column, what is wrong, and the value found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RowError {
    pub row: u64,
    pub column: String,
    pub message: String,
    pub value: String,
}

struct Columns {
    code: (usize, String),
    name: Option<(usize, String)>,
    quantity: (usize, String),
    sales_value: Option<(usize, String)>,
    date: (usize, String),
}

fn resolve(config: &CsvConfig, header: Option<&csv::StringRecord>) -> ServiceResult<Columns> {
    let find = |field: &str, spec: &str| -> ServiceResult<(usize, String)> {
        let spec = spec.trim();
        match header {
            Some(h) => h
                .iter()
                .position(|c| c.trim().eq_ignore_ascii_case(spec))
                .map(|i| (i, spec.to_string()))
                .ok_or_else(|| {
                    ServiceError::validation(
                        field,
                        format!(
                            "column \"{spec}\" is not in the header row (it has: {})",
                            h.iter().map(str::trim).collect::<Vec<_>>().join(", ")
                        ),
                    )
                }),
            None => spec
                .parse::<usize>()
                .ok()
                .filter(|n| *n > 0)
                .map(|n| (n - 1, format!("column {n}")))
                .ok_or_else(|| ServiceError::validation(field, "columns are positions: 1, 2, 3…")),
        }
    };
    Ok(Columns {
        code: find("codeColumn", &config.code_column)?,
        name: config
            .name_column
            .as_deref()
            .map(|c| find("nameColumn", c))
            .transpose()?,
        quantity: find("quantityColumn", &config.quantity_column)?,
        sales_value: config
            .sales_value_column
            .as_deref()
            .map(|c| find("salesValueColumn", c))
            .transpose()?,
        date: find("dateColumn", &config.date_column)?,
    })
}

/// A decimal cell as a file writes it: spaces ignored, the configured separator only.
pub fn parse_decimal(raw: &str, decimal_comma: bool) -> Result<Decimal, String> {
    let cleaned: String = raw.trim().chars().filter(|c| !c.is_whitespace()).collect();
    if cleaned.is_empty() {
        return Err("is empty".into());
    }
    let (wrong, _) = if decimal_comma {
        ('.', ',')
    } else {
        (',', '.')
    };
    if cleaned.contains(wrong) {
        return Err(if decimal_comma {
            "has a point but the decimal separator is set to comma".into()
        } else {
            "has a comma but the decimal separator is set to point".into()
        });
    }
    let normal = if decimal_comma {
        cleaned.replace(',', ".")
    } else {
        cleaned
    };
    normal
        .parse::<Decimal>()
        .map_err(|_| "is not a number".to_string())
}

fn to_micro(d: Decimal) -> Result<i64, String> {
    crate::quantity::to_micro(d, "value").map_err(|e| e.to_string())
}

/// Parses CSV from `input` row by row, calling `each` with every row (valid or not). Memory
/// stays flat whatever the size. A problem with the whole file (a column missing from the
/// header, an empty file) is an error; a problem with a row is a [`RowError`].
pub fn parse<R: Read>(
    input: R,
    config: &CsvConfig,
    company: &company::Model,
    mut each: impl FnMut(Result<CsvRow, RowError>) -> bool,
) -> ServiceResult<u64> {
    config.validate()?;
    let decimal_comma = config.decimal_comma()?;
    let reader: Box<dyn Read> = match config.encoding()? {
        Encoding::Utf8 => Box::new(input),
        Encoding::Windows1252 => Box::new(
            encoding_rs_io::DecodeReaderBytesBuilder::new()
                .encoding(Some(encoding_rs::WINDOWS_1252))
                .build(input),
        ),
    };
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(config.delimiter_byte()?)
        .has_headers(config.has_header)
        .flexible(true)
        .from_reader(reader);
    let header = if config.has_header {
        let h = csv.headers().map_err(|e| file_error(&e))?.clone();
        if h.is_empty() || (h.len() == 1 && h[0].trim().is_empty()) {
            return Err(ServiceError::validation("file", "the file is empty"));
        }
        Some(h)
    } else {
        None
    };
    let columns = resolve(config, header.as_ref())?;
    let first_row: u64 = if config.has_header { 2 } else { 1 };
    let mut record = csv::StringRecord::new();
    let mut rows = 0u64;
    loop {
        let row = first_row + rows;
        match csv.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                rows += 1;
                if record.len() == 1 && record[0].trim().is_empty() {
                    rows -= 1; // a blank line is not a row
                    continue;
                }
                if !each(parse_row(
                    row,
                    &record,
                    &columns,
                    config,
                    company,
                    decimal_comma,
                )) {
                    break;
                }
            }
            Err(e) => {
                rows += 1;
                let message = match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => {
                        "is not valid UTF-8 text (if the file comes from Excel on Windows, choose the windows-1252 encoding)".to_string()
                    }
                    _ => e.to_string(),
                };
                if !each(Err(RowError {
                    row,
                    column: String::new(),
                    message,
                    value: String::new(),
                })) {
                    break;
                }
            }
        }
    }
    if rows == 0 {
        return Err(ServiceError::validation(
            "file",
            "the file has no data rows",
        ));
    }
    Ok(rows)
}

fn file_error(e: &csv::Error) -> ServiceError {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => ServiceError::validation(
            "encoding",
            "the header row is not valid UTF-8 text: choose the windows-1252 encoding",
        ),
        _ => ServiceError::validation("file", format!("the file cannot be read as CSV: {e}")),
    }
}

fn parse_row(
    row: u64,
    record: &csv::StringRecord,
    columns: &Columns,
    config: &CsvConfig,
    company: &company::Model,
    decimal_comma: bool,
) -> Result<CsvRow, RowError> {
    let cell = |(i, name): &(usize, String)| -> Result<String, RowError> {
        record
            .get(*i)
            .map(|v| v.trim().to_string())
            .ok_or_else(|| RowError {
                row,
                column: name.clone(),
                message: format!("the row has only {} columns", record.len()),
                value: String::new(),
            })
    };
    let fail = |column: &(usize, String), message: String, value: &str| RowError {
        row,
        column: column.1.clone(),
        message,
        value: value.to_string(),
    };
    let code = cell(&columns.code)?;
    if code.is_empty() {
        return Err(fail(&columns.code, "the POS code is empty".into(), ""));
    }
    let name = match &columns.name {
        Some(c) => Some(cell(c)?)
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| code.clone()),
        None => code.clone(),
    };
    let raw_quantity = cell(&columns.quantity)?;
    let quantity = parse_decimal(&raw_quantity, decimal_comma)
        .and_then(to_micro)
        .map_err(|m| {
            fail(
                &columns.quantity,
                format!("the quantity {m}"),
                &raw_quantity,
            )
        })?;
    if quantity == 0 {
        return Err(fail(
            &columns.quantity,
            "the quantity is zero".into(),
            &raw_quantity,
        ));
    }
    let sales_value = match &columns.sales_value {
        Some(c) => {
            let raw = cell(c)?;
            if raw.is_empty() {
                None
            } else {
                Some(
                    parse_decimal(&raw, decimal_comma)
                        .and_then(to_micro)
                        .map_err(|m| fail(c, format!("the sales value {m}"), &raw))?,
                )
            }
        }
        None => None,
    };
    let raw_date = cell(&columns.date)?;
    let local = NaiveDateTime::parse_from_str(&raw_date, &config.date_format)
        .ok()
        .map(|t| (t, true))
        .or_else(|| {
            NaiveDate::parse_from_str(&raw_date, &config.date_format)
                .ok()
                .map(|d| (d.and_time(NaiveTime::MIN), false))
        })
        .ok_or_else(|| {
            fail(
                &columns.date,
                format!("the date does not match the format {}", config.date_format),
                &raw_date,
            )
        })?;
    let (business_date, sold_at) = match local {
        (t, true) => {
            let utc = business_days::local_to_utc(company, t);
            (business_days::business_date_of(company, utc), utc)
        }
        // A date without a time is the business day itself; its sales are placed at midday.
        (t, false) => {
            let date = t.date();
            let noon = date.and_hms_opt(12, 0, 0).unwrap_or(t);
            (date, business_days::local_to_utc(company, noon))
        }
    };
    Ok(CsvRow {
        row,
        code,
        name,
        quantity_micro: quantity,
        sales_value_micro: sales_value,
        business_date,
        sold_at: crate::ledger::to_micros(sold_at),
    })
}

/// What a preview shows: the header as read and the first rows as parsed.
#[derive(Debug, Clone, Default)]
pub struct Preview {
    pub header: Vec<String>,
    pub rows: Vec<Result<CsvRow, RowError>>,
}

/// Parses the first `limit` rows of a sample (the start of a file) with `config`.
pub fn preview(
    sample: &[u8],
    config: &CsvConfig,
    company: &company::Model,
    limit: usize,
) -> ServiceResult<Preview> {
    let mut out = Preview::default();
    if config.has_header {
        let text = decode_sample(sample, config)?;
        let mut r = csv::ReaderBuilder::new()
            .delimiter(config.delimiter_byte()?)
            .flexible(true)
            .from_reader(text.as_bytes());
        out.header = r
            .headers()
            .map(|h| h.iter().map(|c| c.trim().to_string()).collect())
            .unwrap_or_default();
    }
    // A sample cut mid-row ends in a broken last row: drop everything after the last newline.
    let cut = sample
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(sample, |i| &sample[..=i]);
    parse(cut, config, company, |row| {
        out.rows.push(row);
        out.rows.len() < limit
    })?;
    Ok(out)
}

fn decode_sample(sample: &[u8], config: &CsvConfig) -> ServiceResult<String> {
    Ok(match config.encoding()? {
        Encoding::Utf8 => {
            String::from_utf8_lossy(sample.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(sample))
                .into_owned()
        }
        Encoding::Windows1252 => encoding_rs::WINDOWS_1252.decode(sample).0.into_owned(),
    })
}

/// Distinct item codes and names seen, bounded by the menu, not the file.
pub type SeenItems = HashMap<String, String>;

#[cfg(test)]
mod tests;
