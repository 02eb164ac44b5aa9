//! The decimal parsers every quantity and amount enters through — the CSV cell reader (both
//! separators) and `Decimal`'s own, as GraphQL uses it — followed by the one checked conversion
//! to millionths: any text converts within the bound or is refused naming its field.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;
use service::pos::csv_import::parse_decimal;
use service::quantity::{MAX_INPUT, from_micro, to_micro};

fn check(value: Decimal) {
    match to_micro(value, "quantity") {
        Ok(micro) => {
            assert!(value.abs() <= Decimal::from(MAX_INPUT), "{value}");
            assert!((micro as i128).abs() <= MAX_INPUT as i128 * 1_000_000);
            // Six places survive the round trip exactly.
            assert_eq!(from_micro(micro), value.round_dp_with_strategy(6, rust_decimal::RoundingStrategy::MidpointAwayFromZero).normalize());
        }
        Err(e) => assert_eq!(e.field(), Some("quantity")),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for comma in [false, true] {
        if let Ok(value) = parse_decimal(text, comma) {
            check(value);
        }
    }
    if let Ok(value) = text.trim().parse::<Decimal>() {
        check(value);
    }
});
