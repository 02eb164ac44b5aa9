//! GraphQL enums mirroring the service's.

use async_graphql::Enum;
use service::units::{BaseUnit as SBase, Unit as SUnit};

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum BaseUnit {
    Kg,
    L,
    Pcs,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum Unit {
    G,
    Kg,
    Ml,
    Cl,
    L,
    Pcs,
}

/// A language the app is written in.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "service::accounts::Locale")]
pub enum Locale {
    En,
    De,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "service::access::Role")]
pub enum Role {
    Owner,
    Manager,
    Staff,
    Viewer,
}

impl From<BaseUnit> for SBase {
    fn from(u: BaseUnit) -> Self {
        match u {
            BaseUnit::Kg => SBase::Kg,
            BaseUnit::L => SBase::L,
            BaseUnit::Pcs => SBase::Pcs,
        }
    }
}

impl From<SBase> for BaseUnit {
    fn from(u: SBase) -> Self {
        match u {
            SBase::Kg => BaseUnit::Kg,
            SBase::L => BaseUnit::L,
            SBase::Pcs => BaseUnit::Pcs,
        }
    }
}

impl BaseUnit {
    pub fn from_db(s: &str) -> Self {
        SBase::parse(s).map(Into::into).unwrap_or(BaseUnit::Pcs)
    }
}

impl From<Unit> for SUnit {
    fn from(u: Unit) -> Self {
        match u {
            Unit::G => SUnit::G,
            Unit::Kg => SUnit::Kg,
            Unit::Ml => SUnit::Ml,
            Unit::Cl => SUnit::Cl,
            Unit::L => SUnit::L,
            Unit::Pcs => SUnit::Pcs,
        }
    }
}

impl Unit {
    pub fn from_db(s: &str) -> Self {
        match SUnit::parse(s).unwrap_or(SUnit::Pcs) {
            SUnit::G => Unit::G,
            SUnit::Kg => Unit::Kg,
            SUnit::Ml => Unit::Ml,
            SUnit::Cl => Unit::Cl,
            SUnit::L => Unit::L,
            SUnit::Pcs => Unit::Pcs,
        }
    }
}

/// Which cost a recipe is costed at.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
#[graphql(remote = "service::food_cost::CostBasis")]
pub enum CostBasis {
    /// The weighted average of the stock on hand (else the latest inflow's cost).
    #[default]
    Average,
    /// The latest receipt's unit cost: what the next delivery will probably cost.
    LatestReceipt,
}

/// Kasavana–Smith menu classes: popularity (share of units) × profitability (margin per unit).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "service::food_cost::menu::MenuClass")]
pub enum MenuClass {
    /// Popular and profitable.
    Star,
    /// Popular, below the average margin per unit.
    Plowhorse,
    /// Profitable, not popular.
    Puzzle,
    /// Neither.
    Dog,
}

/// How a storage unit's stock of an ingredient is kept up (DESIGN.md, "Purchasing").
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "service::purchasing::policies::StockPolicyKind")]
pub enum StockPolicyKind {
    /// Order up to the par level when on hand + on order is at or below the reorder point.
    Manual,
    /// Order what the usage forecast needs until the next delivery after the next review.
    Automatic,
}
