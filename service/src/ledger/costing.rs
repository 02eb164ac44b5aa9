//! Running balance and perpetual weighted average cost (DESIGN.md, ledger invariants 2–4), as a
//! pure fold over one (ingredient, storage unit)'s entries in (occurred_at, id) order. The
//! database keeps its results per entry; a from-scratch replay is this same fold.

use crate::error::{ServiceError, ServiceResult};

const MICRO: i128 = 1_000_000;

/// What costing needs to know of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CostFacts {
    pub quantity: i64,
    /// The cost the entry brings or takes at a fixed price (a receipt, a reversal).
    pub input_cost: Option<i64>,
    /// A TRANSFER_IN's cost: its TRANSFER_OUT's unit cost.
    pub linked_cost: Option<i64>,
    pub is_transfer_in: bool,
}

/// The state of a pair after an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PairState {
    pub balance: i64,
    /// None until the pair has ever had a cost.
    pub average_cost: Option<i64>,
}

/// What an entry is worth, and the state after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Derived {
    pub unit_cost: Option<i64>,
    pub value: i64,
    pub state: PairState,
}

/// `a × b ÷ c`, rounded half away from zero, in 128 bits.
fn mul_div(a: i128, b: i128, c: i128) -> i64 {
    let n = a * b;
    let q = n / c;
    let r = n % c;
    let rounded = if 2 * r.abs() >= c.abs() {
        q + n.signum() * c.signum()
    } else {
        q
    };
    rounded.clamp(i64::MIN as i128, i64::MAX as i128) as i64
}

/// Quantity (millionths of a unit) × unit cost (millionths of money) → value in millionths.
pub fn value_of(quantity: i64, unit_cost: i64) -> i64 {
    mul_div(quantity as i128, unit_cost as i128, MICRO)
}

/// Applies one entry to the state of its pair.
///
/// * An inflow at a known cost (receipt, transfer in, a reversal putting stock back) moves the
///   average to (qty·avg + in_qty·in_cost) ÷ (qty + in_qty); with zero or negative stock before
///   it, the average becomes the inflow's own cost.
/// * An outflow at a fixed cost (reversing a receipt) takes its value out of the pool.
/// * Everything else (issue, waste, transfer out, adjust) is valued at the average in force; a
///   pair that never had a cost values it at 0.
pub fn apply(before: PairState, e: &CostFacts) -> Derived {
    let balance = before.balance.saturating_add(e.quantity);
    let inflow_cost = match (e.input_cost, e.is_transfer_in) {
        (Some(cost), _) => Some(cost),
        (None, true) => Some(
            e.linked_cost
                .unwrap_or_else(|| before.average_cost.unwrap_or(0)),
        ),
        (None, false) => None,
    };
    match inflow_cost {
        Some(cost) if e.quantity > 0 => {
            let average = match before.average_cost {
                Some(avg) if before.balance > 0 => mul_div(
                    before.balance as i128 * avg as i128 + e.quantity as i128 * cost as i128,
                    1,
                    balance as i128,
                ),
                _ => cost,
            };
            Derived {
                unit_cost: Some(cost),
                value: value_of(e.quantity, cost),
                state: PairState {
                    balance,
                    average_cost: Some(average),
                },
            }
        }
        Some(cost) if e.quantity < 0 => {
            let average = match before.average_cost {
                Some(avg) if before.balance > 0 && balance > 0 => {
                    let remaining =
                        before.balance as i128 * avg as i128 + e.quantity as i128 * cost as i128;
                    Some(mul_div(remaining.max(0), 1, balance as i128))
                }
                other => other,
            };
            Derived {
                unit_cost: Some(cost),
                value: value_of(e.quantity, cost),
                state: PairState {
                    balance,
                    average_cost: average,
                },
            }
        }
        _ => {
            let cost = before.average_cost.unwrap_or(0);
            Derived {
                unit_cost: Some(cost),
                value: value_of(e.quantity, cost),
                state: PairState {
                    balance,
                    average_cost: before.average_cost,
                },
            }
        }
    }
}

/// A from-scratch replay of a pair's entries (already in (occurred_at, id) order).
pub fn replay(entries: &[CostFacts]) -> Vec<Derived> {
    let mut state = PairState::default();
    entries
        .iter()
        .map(|e| {
            let d = apply(state, e);
            state = d.state;
            d
        })
        .collect()
}

/// Refuses an entry whose value, or whose pair's balance after it, passes
/// [`MAX_TOTAL`](crate::quantity::MAX_TOTAL): costing saturates rather than overflows, and this
/// turns a saturated figure into a clear error before the transaction commits.
pub fn within_bounds(d: &Derived) -> ServiceResult<()> {
    use crate::quantity::{MAX_TOTAL, within_total};
    if within_total(d.state.balance as i128).is_none() {
        return Err(ServiceError::validation(
            "quantity",
            format!(
                "would take the stock of the ingredient in the storage unit past {MAX_TOTAL} base units"
            ),
        ));
    }
    if within_total(d.value as i128).is_none() {
        return Err(ServiceError::validation(
            "quantity",
            format!("the entry would be worth more than {MAX_TOTAL}"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: i64 = 1_000_000;

    fn receipt(q: i64, cost: i64) -> CostFacts {
        CostFacts {
            quantity: q * M,
            input_cost: Some(cost * M),
            linked_cost: None,
            is_transfer_in: false,
        }
    }

    fn out(q: i64) -> CostFacts {
        CostFacts {
            quantity: -q * M,
            input_cost: None,
            linked_cost: None,
            is_transfer_in: false,
        }
    }

    #[test]
    fn weighted_average_of_two_receipts() {
        // 10 KG at 5.00 then 10 KG at 7.00 → 6.00.
        let d = replay(&[receipt(10, 5), receipt(10, 7)]);
        assert_eq!(
            d[1].state,
            PairState {
                balance: 20 * M,
                average_cost: Some(6 * M)
            }
        );
        assert_eq!(d[1].value, 70 * M);
    }

    #[test]
    fn running_balance_example() {
        // RECEIPT +20 → 20; ISSUE −4 → 16; WASTE −1 → 15; ADJUST +2 → 17.
        let adjust = CostFacts {
            quantity: 2 * M,
            input_cost: None,
            linked_cost: None,
            is_transfer_in: false,
        };
        let d = replay(&[receipt(20, 3), out(4), out(1), adjust]);
        let balances: Vec<i64> = d.iter().map(|d| d.state.balance / M).collect();
        assert_eq!(balances, [20, 16, 15, 17]);
        assert_eq!(d[1].unit_cost, Some(3 * M));
        assert_eq!(d[1].value, -12 * M);
        assert_eq!(
            d[3].state.average_cost,
            Some(3 * M),
            "an adjustment does not move the average"
        );
    }

    #[test]
    fn inflow_into_negative_stock_sets_its_own_cost() {
        let d = replay(&[receipt(5, 4), out(8), receipt(10, 9)]);
        assert_eq!(d[1].state.balance, -3 * M);
        assert_eq!(
            d[2].state,
            PairState {
                balance: 7 * M,
                average_cost: Some(9 * M)
            }
        );
    }

    #[test]
    fn outflow_without_any_cost_is_worth_zero() {
        let d = replay(&[out(2)]);
        assert_eq!(d[0].unit_cost, Some(0));
        assert_eq!(d[0].value, 0);
        assert_eq!(d[0].state.average_cost, None);
    }

    #[test]
    fn reversing_a_receipt_takes_its_value_out() {
        // 10 at 5 + 10 at 7 = 120; reversing the second leaves 10 at 5.
        let reversal = CostFacts {
            quantity: -10 * M,
            input_cost: Some(7 * M),
            linked_cost: None,
            is_transfer_in: false,
        };
        let d = replay(&[receipt(10, 5), receipt(10, 7), reversal]);
        assert_eq!(
            d[2].state,
            PairState {
                balance: 10 * M,
                average_cost: Some(5 * M)
            }
        );
        assert_eq!(d[2].value, -70 * M);
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(value_of(1, 500_000), 1); // 0.000001 × 0.5 → 0.0000005 → 0.000001
        assert_eq!(value_of(-1, 500_000), -1);
        assert_eq!(mul_div(10, 1, 3), 3);
        assert_eq!(mul_div(20, 1, 3), 7);
    }
}
