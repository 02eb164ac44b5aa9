//! The cached balance of each pair (`stock_balances`): what a posting or a recompute leaves
//! there, written by bound statements that a posting may also carry inside its own.

use std::sync::LazyLock;

use sea_orm::ConnectionTrait;

use super::TransactionType;
use super::costing::PairState;
use super::locks::Pair;
use crate::db::params::Params;
use crate::error::ServiceResult;

/// A pair's cached balance after a posting.
pub(super) struct BalanceUpdate {
    pub pair: Pair,
    pub state: PairState,
    /// Entries the posting added to the pair.
    pub added: i64,
    /// Its latest entry's time (`i64::MIN`: no entry of its own, the time stays).
    pub latest: i64,
    /// What its new RECEIPTs and ISSUEs add to the pair's totals (the ledger summary's).
    pub totals: Totals,
}

/// The quantities a batch adds to a pair's all-time receipts and issues (issues positive);
/// `None` past [`TOTAL_BOUND`], and the pair's total is unknown from then on (`NULL`: the
/// summary sums the ledger instead).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Totals {
    pub received: Option<i64>,
    pub issued: Option<i64>,
}

/// Half of 64 bits: two totals under it add up without overflow.
const TOTAL_BOUND: i64 = i64::MAX / 2;

impl Totals {
    /// Nothing added (a pair a recompute followed a transfer into).
    pub const NOTHING: Self = Self {
        received: Some(0),
        issued: Some(0),
    };

    /// The totals of `entries`' RECEIPTs and ISSUEs, exactly.
    pub fn of(entries: impl IntoIterator<Item = (TransactionType, i64)>) -> Self {
        let (mut received, mut issued) = (0i128, 0i128);
        for (kind, quantity) in entries {
            match kind {
                TransactionType::Receipt => received += quantity as i128,
                TransactionType::Issue => issued -= quantity as i128,
                _ => {}
            }
        }
        Self::from_sums(received, issued)
    }

    /// Exact sums as totals: each known only while under [`TOTAL_BOUND`].
    pub fn from_sums(received: i128, issued: i128) -> Self {
        let bounded = |v: i128| i64::try_from(v).ok().filter(|v| v.abs() < TOTAL_BOUND);
        Self {
            received: bounded(received),
            issued: bounded(issued),
        }
    }
}

/// `column` plus `added`, or `NULL` once either is unknown or the sum reaches [`TOTAL_BOUND`]
/// (the rule [`Totals::from_sums`] keeps, so the repair agrees with the cache). Both are under
/// the bound, so the sum itself cannot overflow.
fn add_total(column: &str, added: &str) -> String {
    let sum = format!("stock_balances.{column} + v.{added}");
    format!(
        "{column} = CASE WHEN v.{added} IS NULL OR stock_balances.{column} IS NULL \
         OR ABS({sum}) >= {TOTAL_BOUND} THEN NULL ELSE {sum} END"
    )
}

/// The columns of the `v` rows [`balance_rows`] writes and [`UPDATE_FROM_V`] reads.
pub(super) const V_COLUMNS: &str =
    "v(ingredient_id, storage_unit_id, quantity, average, added, latest, received, issued)";

/// `(…), (…)`: the bound rows of `v`, one per pair.
pub(super) fn balance_rows(params: &mut Params, balances: &[BalanceUpdate]) -> String {
    let mut rows = String::with_capacity(balances.len() * 50);
    for (k, b) in balances.iter().enumerate() {
        if k > 0 {
            rows.push_str(", ");
        }
        params.row_into(
            &mut rows,
            [
                b.pair.0.into(),
                b.pair.1.into(),
                b.state.balance.into(),
                b.state.average_cost.into(),
                b.added.into(),
                b.latest.into(),
                b.totals.received.into(),
                b.totals.issued.into(),
            ],
        );
    }
    rows
}

/// Sets each pair of `v` to its final state, `added` more entries, and the latest time: a
/// statement of its own ([`write_balances`]) or a part of a posting's one statement.
pub(super) static UPDATE_FROM_V: LazyLock<String> = LazyLock::new(|| {
    format!(
        "UPDATE stock_balances SET quantity_micro = v.quantity, average_cost_micro = v.average, \
         entry_count = stock_balances.entry_count + v.added, {}, {}, \
         last_occurred_at = CASE WHEN stock_balances.last_occurred_at IS NULL OR stock_balances.last_occurred_at < v.latest \
             THEN v.latest ELSE stock_balances.last_occurred_at END \
         FROM v WHERE stock_balances.ingredient_id = v.ingredient_id AND stock_balances.storage_unit_id = v.storage_unit_id",
        add_total("received_micro", "received"),
        add_total("issued_micro", "issued"),
    )
});

/// Pairs one statement updates.
pub(super) const PAIRS_PER_STATEMENT: usize = 500;

/// Sets each pair's cached balance: its final state, `added` more entries, and the latest time.
pub(super) async fn write_balances<C: ConnectionTrait>(
    db: &C,
    balances: &[BalanceUpdate],
) -> ServiceResult<()> {
    for chunk in balances.chunks(PAIRS_PER_STATEMENT) {
        // Bound, so a posting's update is one prepared statement per number of pairs.
        let mut params = Params::new(db.get_database_backend());
        let rows = balance_rows(&mut params, chunk);
        db.execute_raw(params.statement(format!(
            "WITH {V_COLUMNS} AS (VALUES {rows}) {}",
            *UPDATE_FROM_V
        )))
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_total_is_known_only_under_the_bound() {
        let bound = TOTAL_BOUND as i128;
        assert_eq!(
            Totals::from_sums(bound - 1, 0).received,
            Some(TOTAL_BOUND - 1)
        );
        assert_eq!(Totals::from_sums(bound, -bound).received, None);
        assert_eq!(Totals::from_sums(0, -bound).issued, None);
        assert_eq!(Totals::from_sums(i128::MAX, 0).received, None);
    }

    #[test]
    fn totals_count_receipts_and_issues_only_issues_as_positive_figures() {
        let totals = Totals::of([
            (TransactionType::Receipt, 10),
            (TransactionType::Receipt, -4),
            (TransactionType::Issue, -3),
            (TransactionType::Waste, -1),
            (TransactionType::TransferIn, 7),
        ]);
        assert_eq!(
            totals,
            Totals {
                received: Some(6),
                issued: Some(3)
            }
        );
    }
}
