//! Fuzzing of the parsers that read what strangers send (issue 10): the CSV import parser and
//! the decimal conversion every quantity and amount enters through. Inputs are the committed
//! corpus (`tests/fuzz-corpus/`), mutations of it, and random bytes; for each, the parser must
//! answer — rows, row errors, or a whole-file error — and never panic, and every row it accepts
//! carries quantities within the documented bounds. `LARDER_FUZZ_CASES` sets how many inputs
//! each target tries (default 3,000: a few seconds; CI's budget allows far more).

use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rust_decimal::Decimal;
use service::pos::csv_import::{self, CsvConfig};
use service::quantity::{MAX_INPUT, to_micro};

fn cases() -> u32 {
    std::env::var("LARDER_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3_000)
}

fn corpus(kind: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-corpus")
        .join(kind);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|f| f.unwrap().path())
        .collect();
    files.sort();
    files.iter().map(|f| std::fs::read(f).unwrap()).collect()
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Repeat(usize, usize, usize),
}

fn mutate(mut input: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let len = input.len().max(1);
        match m {
            Mutation::Flip(at, bits) => {
                if let Some(b) = input.get_mut(at % len) {
                    *b ^= bits;
                }
            }
            Mutation::Insert(at, bytes) => {
                let at = (at % len).min(input.len());
                input.splice(at..at, bytes.iter().copied());
            }
            Mutation::Delete(at, n) => {
                let at = (at % len).min(input.len());
                let end = (at + n).min(input.len());
                input.drain(at..end);
            }
            Mutation::Repeat(at, n, times) => {
                let at = (at % len).min(input.len());
                let end = (at + n).min(input.len());
                let piece = input[at..end].to_vec();
                for _ in 0..(*times % 8) {
                    input.splice(at..at, piece.iter().copied());
                }
            }
        }
        input.truncate(64 * 1024);
    }
    input
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let interesting = prop::sample::select(vec![
        b",".to_vec(),
        b";".to_vec(),
        b"\"".to_vec(),
        b"\n".to_vec(),
        b"\r\n".to_vec(),
        b"\xef\xbb\xbf".to_vec(),
        b"\xff\xfe".to_vec(),
        b"99999999999999999999999999999".to_vec(),
        b"-0,000000000001".to_vec(),
        b"1e999".to_vec(),
        b"29.02.2026 25:61".to_vec(),
    ]);
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Mutation::Flip(a, b)),
        (
            any::<usize>(),
            prop_oneof![interesting, prop::collection::vec(any::<u8>(), 0..16)]
        )
            .prop_map(|(a, b)| Mutation::Insert(a, b)),
        (any::<usize>(), 0usize..64).prop_map(|(a, n)| Mutation::Delete(a, n)),
        (any::<usize>(), 0usize..64, any::<usize>())
            .prop_map(|(a, n, t)| Mutation::Repeat(a, n, t)),
    ]
}

fn config() -> impl Strategy<Value = CsvConfig> {
    (
        prop::sample::select(vec![",", ";", "\t"]),
        prop::sample::select(vec![".", ","]),
        any::<bool>(),
        prop::sample::select(vec!["utf-8", "windows-1252"]),
        prop::sample::select(vec!["%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y"]),
    )
        .prop_map(|(delimiter, decimal, header, encoding, date)| CsvConfig {
            delimiter: delimiter.into(),
            has_header: header,
            code_column: if header { "Code".into() } else { "1".into() },
            name_column: Some(if header { "Item".into() } else { "2".into() }),
            quantity_column: if header { "Qty".into() } else { "3".into() },
            sales_value_column: Some(if header { "Total".into() } else { "4".into() }),
            date_column: if header { "Date".into() } else { "5".into() },
            date_format: date.into(),
            decimal_separator: Some(decimal.into()),
            encoding: Some(encoding.into()),
        })
}

fn company() -> entity::company::Model {
    entity::company::Model {
        id: 1,
        name: "Fuzz".into(),
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

/// The parser answers and keeps every accepted quantity within the bounds.
fn parse_all(input: &[u8], config: &CsvConfig) {
    let company = company();
    let limit = MAX_INPUT as i128 * 1_000_000;
    let _ = csv_import::parse(input, config, &company, |row| {
        if let Ok(row) = row {
            assert!((row.quantity_micro as i128).abs() <= limit, "{row:?}");
        }
        true
    });
    let _ = csv_import::preview(input, config, &company, 20);
}

#[test]
fn the_csv_parser_answers_every_input_without_panicking() {
    let seeds = corpus("csv");
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    let input = prop_oneof![
        3 => (prop::sample::select(seeds), prop::collection::vec(mutation(), 0..6))
            .prop_map(|(seed, ms)| mutate(seed, &ms)),
        1 => prop::collection::vec(any::<u8>(), 0..2048),
    ];
    runner
        .run(&(input, config()), |(input, config)| {
            parse_all(&input, &config);
            Ok(())
        })
        .unwrap();
}

#[test]
fn every_decimal_converts_or_is_refused_without_panicking() {
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    let text = prop_oneof![
        "-?[0-9]{0,40}(\\.[0-9]{0,40})?",
        "[-+0-9.,eE ]{0,40}",
        any::<f64>().prop_map(|f| f.to_string()),
        any::<i128>().prop_map(|i| i.to_string()),
    ];
    runner
        .run(&text, |text| {
            if let Ok(value) = text.trim().parse::<Decimal>() {
                match to_micro(value, "quantity") {
                    Ok(micro) => {
                        prop_assert!(value.abs() <= Decimal::from(MAX_INPUT));
                        prop_assert!((micro as i128).abs() <= MAX_INPUT as i128 * 1_000_000);
                    }
                    Err(e) => prop_assert_eq!(e.field(), Some("quantity")),
                }
            }
            Ok(())
        })
        .unwrap();
    for extreme in [
        Decimal::MAX,
        Decimal::MIN,
        Decimal::new(1, 28),
        -Decimal::new(1, 28),
    ] {
        let _ = to_micro(extreme, "quantity");
    }
}
