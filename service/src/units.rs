//! Units and conversion into an ingredient's base unit (DESIGN.md, "Master data"): conversion
//! only within one dimension; packaging levels convert through their factor.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{ServiceError, ServiceResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BaseUnit {
    Kg,
    L,
    Pcs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Unit {
    G,
    Kg,
    Ml,
    Cl,
    L,
    Pcs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    Mass,
    Volume,
    Count,
}

impl Dimension {
    fn as_str(self) -> &'static str {
        match self {
            Dimension::Mass => "mass",
            Dimension::Volume => "volume",
            Dimension::Count => "count",
        }
    }
}

impl BaseUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            BaseUnit::Kg => "KG",
            BaseUnit::L => "L",
            BaseUnit::Pcs => "PCS",
        }
    }

    pub fn parse(s: &str) -> ServiceResult<Self> {
        match s {
            "KG" => Ok(BaseUnit::Kg),
            "L" => Ok(BaseUnit::L),
            "PCS" => Ok(BaseUnit::Pcs),
            other => Err(ServiceError::validation(
                "baseUnit",
                format!("unknown base unit {other}"),
            )),
        }
    }

    pub fn dimension(self) -> Dimension {
        self.unit().dimension()
    }

    pub fn unit(self) -> Unit {
        match self {
            BaseUnit::Kg => Unit::Kg,
            BaseUnit::L => Unit::L,
            BaseUnit::Pcs => Unit::Pcs,
        }
    }
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::G => "G",
            Unit::Kg => "KG",
            Unit::Ml => "ML",
            Unit::Cl => "CL",
            Unit::L => "L",
            Unit::Pcs => "PCS",
        }
    }

    pub fn parse(s: &str) -> ServiceResult<Self> {
        match s {
            "G" => Ok(Unit::G),
            "KG" => Ok(Unit::Kg),
            "ML" => Ok(Unit::Ml),
            "CL" => Ok(Unit::Cl),
            "L" => Ok(Unit::L),
            "PCS" => Ok(Unit::Pcs),
            other => Err(ServiceError::validation(
                "unit",
                format!("unknown unit {other}"),
            )),
        }
    }

    pub fn dimension(self) -> Dimension {
        match self {
            Unit::G | Unit::Kg => Dimension::Mass,
            Unit::Ml | Unit::Cl | Unit::L => Dimension::Volume,
            Unit::Pcs => Dimension::Count,
        }
    }

    /// How many of the dimension's base unit one of this unit is.
    fn factor(self) -> Decimal {
        match self {
            Unit::G | Unit::Ml => Decimal::new(1, 3),
            Unit::Cl => Decimal::new(1, 2),
            Unit::Kg | Unit::L | Unit::Pcs => Decimal::ONE,
        }
    }
}

/// Converts `quantity` in `unit` into `base`; a unit of another dimension is refused, naming
/// `field` so the client can show the error next to the input.
pub fn to_base(
    quantity: Decimal,
    unit: Unit,
    base: BaseUnit,
    field: &str,
) -> ServiceResult<Decimal> {
    if unit.dimension() != base.dimension() {
        return Err(ServiceError::validation(
            field,
            format!(
                "{} is a {} unit but the ingredient is counted in {} ({})",
                unit.as_str(),
                unit.dimension().as_str(),
                base.as_str(),
                base.dimension().as_str()
            ),
        ));
    }
    Ok(quantity * unit.factor())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn converts_within_a_dimension() {
        assert_eq!(
            to_base(dec!(250), Unit::G, BaseUnit::Kg, "q").unwrap(),
            dec!(0.25)
        );
        assert_eq!(
            to_base(dec!(33), Unit::Cl, BaseUnit::L, "q").unwrap(),
            dec!(0.33)
        );
        assert_eq!(
            to_base(dec!(500), Unit::Ml, BaseUnit::L, "q").unwrap(),
            dec!(0.5)
        );
        assert_eq!(
            to_base(dec!(3), Unit::Pcs, BaseUnit::Pcs, "q").unwrap(),
            dec!(3)
        );
    }

    #[test]
    fn refuses_another_dimension() {
        let err = to_base(dec!(1), Unit::Ml, BaseUnit::Kg, "lines[0].unit").unwrap_err();
        assert_eq!(err.field(), Some("lines[0].unit"));
        assert!(err.to_string().contains("volume"), "{err}");
    }
}
