use sea_orm::entity::prelude::*;

/// One movement of stock. Times are microseconds since the Unix epoch; quantities and money are
/// millionths. The last four columns are derived and recomputed after backdated postings.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ledger_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub company_id: i64,
    pub ingredient_id: i64,
    pub storage_unit_id: i64,
    pub transaction_type: String,
    pub quantity_micro: i64,
    /// The cost an inflow brings (a receipt's price per base unit); none for derived costs.
    pub input_cost_micro: Option<i64>,
    pub occurred_at: i64,
    pub posted_at: i64,
    pub source_kind: String,
    pub source_id: Option<String>,
    /// A TRANSFER_IN's TRANSFER_OUT (and back).
    pub paired_entry_id: Option<i64>,
    pub reversal_of: Option<i64>,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub pos_item_name: Option<String>,
    pub pos_amount_sold_micro: Option<i64>,
    pub pos_sales_value_micro: Option<i64>,
    pub pos_article_id: Option<String>,
    pub pos_transaction_id: Option<String>,
    pub pos_receipt_number: Option<String>,
    pub pos_sold_at: Option<i64>,
    pub created_by: Option<i64>,
    pub unit_cost_micro: Option<i64>,
    pub value_micro: i64,
    pub balance_after_micro: i64,
    pub average_cost_after_micro: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
