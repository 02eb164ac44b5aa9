//! What an invoice line's unit code (BT-130, UN/ECE Recommendation 20 and 21) counts: a mass
//! or a volume, converted into the ingredient's base unit, or what the seller sells — packs of
//! the product, each its packaging factor of base units ("20 H87" of "Mineralwasser 12 × 1,0 l"
//! are 20 crates).

use rust_decimal::Decimal;

use crate::units::{self, BaseUnit, Unit};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// `scale` of `unit` per one of the code (a tonne is 1,000 KG).
    Amount {
        unit: Unit,
        scale: Decimal,
    },
    Packs,
}

/// Piece and package codes: one of them is one pack of the product.
const PACK_CODES: &[&str] = &[
    "H87", "C62", "EA", "XPP", "PCE", "CT", "XCT", "BX", "XBX", "CS", "XCS", "BO", "XBO", "CA",
    "XCA", "PA", "XPA", "PK", "XPK", "BG", "XBG", "BE", "XBE", "CR", "XCR", "SA", "XSA", "TN",
    "XTN", "JR", "XJR", "BJ", "XBJ", "TU", "XTU", "SET", "NAR", "NMP",
];

/// How a unit code counts, or None for one Larder does not know (a day, an hour, a kWh).
pub fn measure(code: &str) -> Option<Measure> {
    let amount = |unit, scale: i64, exponent: u32| Measure::Amount {
        unit,
        scale: Decimal::new(scale, exponent),
    };
    Some(match code.trim().to_ascii_uppercase().as_str() {
        "KGM" => amount(Unit::Kg, 1, 0),
        "GRM" => amount(Unit::G, 1, 0),
        "MGM" => amount(Unit::G, 1, 3),
        "TNE" => amount(Unit::Kg, 1000, 0),
        "LTR" => amount(Unit::L, 1, 0),
        "MLT" => amount(Unit::Ml, 1, 0),
        "CLT" => amount(Unit::Cl, 1, 0),
        "DLT" => amount(Unit::L, 1, 1),
        "HLT" => amount(Unit::L, 100, 0),
        "MTQ" => amount(Unit::L, 1000, 0),
        other if PACK_CODES.contains(&other) => Measure::Packs,
        _ => return None,
    })
}

/// A line's quantity in the ingredient's base unit, or why it cannot be said.
pub fn base_quantity(
    quantity: Decimal,
    code: &str,
    base: BaseUnit,
    packaging_factor: Decimal,
) -> Result<Decimal, String> {
    match measure(code) {
        Some(Measure::Packs) => Ok(quantity * packaging_factor),
        Some(Measure::Amount { unit, scale }) => {
            units::to_base(quantity * scale, unit, base, "unitCode").map_err(|e| e.to_string())
        }
        None => Err(format!(
            "the unit code {code} is neither a mass, a volume nor a piece or package"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn masses_and_volumes_convert_and_pieces_count_packs() {
        assert_eq!(
            base_quantity(dec!(2500), "GRM", BaseUnit::Kg, dec!(5)),
            Ok(dec!(2.5))
        );
        assert_eq!(
            base_quantity(dec!(0.5), "TNE", BaseUnit::Kg, dec!(5)),
            Ok(dec!(500))
        );
        assert_eq!(
            base_quantity(dec!(75), "CLT", BaseUnit::L, dec!(1)),
            Ok(dec!(0.75))
        );
        // 20 crates of 12 × 1,0 l.
        assert_eq!(
            base_quantity(dec!(20), "H87", BaseUnit::L, dec!(12)),
            Ok(dec!(240))
        );
        assert_eq!(
            base_quantity(dec!(3), "XPP", BaseUnit::Pcs, dec!(6)),
            Ok(dec!(18))
        );
        assert!(base_quantity(dec!(1), "KGM", BaseUnit::Pcs, dec!(1)).is_err());
        assert!(base_quantity(dec!(1), "HUR", BaseUnit::Kg, dec!(1)).is_err());
    }
}
