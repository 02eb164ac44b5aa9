//! An entry as a writer hands it to the ledger, before anything is derived from it.

use super::{SourceKind, TransactionType};

/// Where a sale came from, kept on the ISSUE entries it caused.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PosSale {
    pub item_name: String,
    pub amount_sold_micro: i64,
    pub sales_value_micro: Option<i64>,
    pub article_id: Option<String>,
    pub transaction_id: Option<String>,
    pub receipt_number: Option<String>,
    pub sold_at: Option<i64>,
    /// The integration whose till sold it: with `article_id`, the POS item.
    pub integration_id: Option<i64>,
}

/// An entry to post. Quantities are signed millionths of the ingredient's base unit.
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub company_id: i64,
    pub ingredient_id: i64,
    pub storage_unit_id: i64,
    pub kind: TransactionType,
    pub quantity_micro: i64,
    /// Price per base unit an inflow brings (receipts), or the fixed cost of a reversal.
    pub input_cost_micro: Option<i64>,
    pub occurred_at: i64,
    pub source_kind: SourceKind,
    pub source_id: Option<String>,
    pub reversal_of: Option<i64>,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub pos: Option<PosSale>,
    pub created_by: Option<i64>,
    /// For a TRANSFER_IN: the index, in the same batch, of the TRANSFER_OUT it receives.
    pub receives: Option<usize>,
    /// For a TRANSFER_IN: the TRANSFER_OUT, posted earlier, it receives.
    pub receives_entry: Option<i64>,
    /// No time was given: the entry happens when it is posted (`ledger::EntryTime`).
    pub at_posting: bool,
}

impl NewEntry {
    pub fn new(
        company_id: i64,
        ingredient_id: i64,
        storage_unit_id: i64,
        kind: TransactionType,
        quantity_micro: i64,
        occurred_at: i64,
    ) -> Self {
        Self {
            company_id,
            ingredient_id,
            storage_unit_id,
            kind,
            quantity_micro,
            input_cost_micro: None,
            occurred_at,
            source_kind: SourceKind::Manual,
            source_id: None,
            reversal_of: None,
            reason: None,
            note: None,
            pos: None,
            created_by: None,
            receives: None,
            receives_entry: None,
            at_posting: false,
        }
    }
}
