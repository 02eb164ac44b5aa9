//! Exact quantities and money: `rust_decimal` in code, millionths in 64-bit integers in the
//! database (DESIGN.md, "Storage and scale"), so sums stay exact on SQLite as on PostgreSQL.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::error::{ServiceError, ServiceResult};

pub const SCALE: u32 = 6;
const MICRO: i64 = 1_000_000;

/// Converts a decimal to millionths, rounding half away from zero past the sixth place.
pub fn to_micro(value: Decimal, field: &str) -> ServiceResult<i64> {
    let scaled = value.round_dp_with_strategy(SCALE, RoundingStrategy::MidpointAwayFromZero)
        * Decimal::from(MICRO);
    i64::try_from(scaled.trunc()).map_err(|_| ServiceError::validation(field, "is too large"))
}

pub fn from_micro(micro: i64) -> Decimal {
    Decimal::new(micro, SCALE).normalize()
}

/// A strictly positive quantity, in millionths.
pub fn positive_micro(value: Decimal, field: &str) -> ServiceResult<i64> {
    let micro = to_micro(value, field)?;
    if micro <= 0 {
        return Err(ServiceError::validation(field, "must be greater than zero"));
    }
    Ok(micro)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn round_trips_six_places() {
        assert_eq!(to_micro(dec!(12.345678), "q").unwrap(), 12_345_678);
        assert_eq!(from_micro(12_345_678), dec!(12.345678));
        assert_eq!(to_micro(dec!(0.0000005), "q").unwrap(), 1);
        assert_eq!(to_micro(dec!(-1.5), "q").unwrap(), -1_500_000);
    }

    #[test]
    fn refuses_zero_and_overflow() {
        assert!(positive_micro(dec!(0), "q").is_err());
        assert!(to_micro(dec!(99999999999999999999), "q").is_err());
    }
}
