use sea_orm::entity::prelude::*;

/// The cached current state of one (ingredient, storage unit): always equal to its last ledger
/// entry's running balance and average, and the row writers lock to serialise postings.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stock_balances")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub ingredient_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub storage_unit_id: i64,
    pub company_id: i64,
    pub quantity_micro: i64,
    pub average_cost_micro: Option<i64>,
    pub entry_count: i64,
    pub last_occurred_at: Option<i64>,
    /// Every RECEIPT's quantity summed (reversals included); `None` past 64 bits.
    pub received_micro: Option<i64>,
    /// Every ISSUE's quantity summed, as a positive figure; `None` past 64 bits.
    pub issued_micro: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
