//! Exact quantities and money: `rust_decimal` in code, millionths in 64-bit integers in the
//! database (DESIGN.md, "Storage and scale"), so sums stay exact on SQLite as on PostgreSQL.
//!
//! Every decimal a client, a file or a POS sends enters through [`to_micro`], which enforces one
//! documented bound (README, "Limits"), so that no later product or sum can overflow:
//! * an input — a quantity, a unit cost, a price, a factor, a filter bound — is at most
//!   [`MAX_INPUT`] (10⁹) in magnitude;
//! * a ledger entry's value and a pair's balance are at most [`MAX_TOTAL`] (10¹²) in magnitude,
//!   checked where they are computed; their millionths (10¹⁸) fit in 64 bits.

use rust_decimal::{Decimal, RoundingStrategy};
use sea_orm::DbBackend;

use crate::error::{ServiceError, ServiceResult};

pub const SCALE: u32 = 6;
const MICRO: i64 = 1_000_000;
/// The largest magnitude of any decimal input, in its own unit.
pub const MAX_INPUT: i64 = 1_000_000_000;
/// The largest magnitude of a ledger entry's value or a pair's balance, in units.
pub const MAX_TOTAL: i64 = 1_000_000_000_000;

/// Converts a decimal input to millionths, rounding half away from zero past the sixth place;
/// a magnitude over [`MAX_INPUT`] is a VALIDATION error naming `field`.
pub fn to_micro(value: Decimal, field: &str) -> ServiceResult<i64> {
    if value.abs() > Decimal::from(MAX_INPUT) {
        return Err(too_large(field, MAX_INPUT));
    }
    let scaled = value.round_dp_with_strategy(SCALE, RoundingStrategy::MidpointAwayFromZero)
        * Decimal::from(MICRO);
    i64::try_from(scaled.trunc()).map_err(|_| too_large(field, MAX_INPUT))
}

/// Millionths back to a decimal; sums (i128) beyond a decimal's 96 bits — about 10²² units,
/// more than any ledger can hold — saturate.
pub fn from_micro(micro: impl Into<i128>) -> Decimal {
    let micro = micro.into();
    Decimal::try_from_i128_with_scale(micro, SCALE)
        .unwrap_or(if micro < 0 {
            Decimal::MIN
        } else {
            Decimal::MAX
        })
        .normalize()
}

/// What an exact sum of a millionths column is split into in SQL: whole billionths and the rest.
const SUM_PART: i64 = 1_000_000_000;

/// The two SQL expressions whose values, joined by [`join_sum`], are the exact sum of `expr`.
///
/// Why: an entry's value may be 10¹⁸ millionths, so ten of them overflow a 64-bit `SUM`
/// (SQLite raises "integer overflow", PostgreSQL's cast to BIGINT fails). On SQLite each part is
/// summed row by row, below 10⁹ per row in magnitude, so the parts' sums stay within 64 bits for
/// billions of rows (integer division and remainder truncate toward zero). PostgreSQL sums a
/// BIGINT into an exact NUMERIC already: it sums once (both parts name the same aggregate, which
/// it computes once per group) and splits the total, half the per-row work of two sums.
pub fn exact_sum_sql(backend: DbBackend, expr: &str) -> [String; 2] {
    match backend {
        DbBackend::Postgres => {
            let total = format!("CAST(COALESCE(SUM({expr}), 0) AS NUMERIC)");
            [
                format!("CAST(DIV({total}, {SUM_PART}) AS BIGINT)"),
                format!("CAST(MOD({total}, {SUM_PART}) AS BIGINT)"),
            ]
        }
        _ => [
            format!("CAST(COALESCE(SUM(({expr}) / {SUM_PART}), 0) AS BIGINT)"),
            format!("CAST(COALESCE(SUM(({expr}) % {SUM_PART}), 0) AS BIGINT)"),
        ],
    }
}

/// The exact sum from the two parts of [`exact_sum_sql`].
pub fn join_sum(high: i64, low: i64) -> i128 {
    high as i128 * SUM_PART as i128 + low as i128
}

/// A strictly positive quantity, in millionths.
pub fn positive_micro(value: Decimal, field: &str) -> ServiceResult<i64> {
    let micro = to_micro(value, field)?;
    if micro <= 0 {
        return Err(ServiceError::validation(field, "must be greater than zero"));
    }
    Ok(micro)
}

/// `a × b` of two millionth amounts, in millionths (truncated toward zero), or `None` past
/// [`MAX_INPUT`]: the product (units sold × a mapping's factor) is itself a quantity to post.
pub fn mul_micro(a: i64, b: i64) -> Option<i64> {
    let product = a as i128 * b as i128 / MICRO as i128;
    (product.abs() <= MAX_INPUT as i128 * MICRO as i128).then_some(product as i64)
}

/// `Some` when a millionth amount is within [`MAX_TOTAL`] units.
pub fn within_total(micro: i128) -> Option<i64> {
    (micro.abs() <= MAX_TOTAL as i128 * MICRO as i128).then_some(micro as i64)
}

/// The product of two decimals, refused (naming `field`) where it would pass [`MAX_TOTAL`].
pub fn checked_product(a: Decimal, b: Decimal, field: &str) -> ServiceResult<Decimal> {
    a.checked_mul(b)
        .filter(|p| p.abs() <= Decimal::from(MAX_TOTAL))
        .ok_or_else(|| too_large(field, MAX_TOTAL))
}

pub fn too_large(field: &str, limit: i64) -> ServiceError {
    ServiceError::validation(
        field,
        format!("is too large: at most {} in magnitude", group(limit)),
    )
}

/// 1000000000 → "1,000,000,000", for messages.
fn group(n: i64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
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
    fn split_sums_join_to_the_exact_total() {
        // What SQL computes for each part: truncating division and remainder, row by row.
        let rows = [i64::MAX / 9, -1_000_000_000_000_000_000, 999_999_999, -7, 5];
        let high: i64 = rows.iter().map(|r| r / SUM_PART).sum();
        let low: i64 = rows.iter().map(|r| r % SUM_PART).sum();
        let exact: i128 = rows.iter().map(|r| *r as i128).sum();
        assert_eq!(join_sum(high, low), exact);
        assert_eq!(from_micro(i128::MAX), Decimal::MAX);
    }

    #[test]
    fn refuses_zero_and_overflow() {
        assert!(positive_micro(dec!(0), "q").is_err());
        assert!(to_micro(dec!(99999999999999999999), "q").is_err());
    }

    #[test]
    fn inputs_are_bounded_by_one_billion_without_panicking() {
        assert_eq!(
            to_micro(dec!(1000000000), "q").unwrap(),
            1_000_000_000_000_000
        );
        let err = to_micro(dec!(1000000000.000001), "unitCost").unwrap_err();
        assert_eq!(err.field(), Some("unitCost"));
        assert!(err.to_string().contains("1,000,000,000"), "{err}");
        // Near Decimal's own limit, where `value * 1e6` used to panic.
        assert!(to_micro(Decimal::MAX, "q").is_err());
        assert!(to_micro(Decimal::MIN, "q").is_err());
        assert!(to_micro(dec!(100000000000000000000000), "q").is_err());
    }

    #[test]
    fn products_past_the_total_bound_are_refused() {
        assert_eq!(mul_micro(2_000_000, 3_500_000), Some(7_000_000));
        assert_eq!(mul_micro(i64::MAX, i64::MAX), None);
        assert!(checked_product(Decimal::MAX, dec!(2), "q").is_err());
        assert!(checked_product(dec!(1000000), dec!(1000001), "q").is_err());
        assert_eq!(checked_product(dec!(2), dec!(3), "q").unwrap(), dec!(6));
    }
}
