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
    pub transaction_type: TransactionType,
    pub quantity_micro: i64,
    /// The cost an inflow brings (a receipt's price per base unit); none for derived costs.
    pub input_cost_micro: Option<i64>,
    pub occurred_at: i64,
    pub posted_at: i64,
    pub source_kind: SourceKind,
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
    /// A POS sale's entries: the integration whose till sold it (with `pos_article_id`, the item).
    pub pos_integration_id: Option<i64>,
    pub created_by: Option<i64>,
    pub unit_cost_micro: Option<i64>,
    pub value_micro: i64,
    pub balance_after_micro: i64,
    pub average_cost_after_micro: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The kind of a movement.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum TransactionType {
    #[sea_orm(string_value = "RECEIPT")]
    Receipt,
    #[sea_orm(string_value = "ISSUE")]
    Issue,
    #[sea_orm(string_value = "WASTE")]
    Waste,
    #[sea_orm(string_value = "TRANSFER_OUT")]
    TransferOut,
    #[sea_orm(string_value = "TRANSFER_IN")]
    TransferIn,
    #[sea_orm(string_value = "ADJUST")]
    Adjust,
}

/// What an entry came from: `source_id` names the row (an order item, a transfer line, a count line, a POS sale line, the reversed entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum SourceKind {
    #[sea_orm(string_value = "MANUAL")]
    Manual,
    #[sea_orm(string_value = "DIRECT_RECEIPT")]
    DirectReceipt,
    #[sea_orm(string_value = "MANUAL_ISSUE")]
    ManualIssue,
    #[sea_orm(string_value = "WASTE")]
    Waste,
    #[sea_orm(string_value = "ORDER_ITEM")]
    OrderItem,
    #[sea_orm(string_value = "TRANSFER_LINE")]
    TransferLine,
    #[sea_orm(string_value = "TRANSFER")]
    Transfer,
    #[sea_orm(string_value = "STOCK_COUNT")]
    StockCount,
    #[sea_orm(string_value = "REVERSAL")]
    Reversal,
    #[sea_orm(string_value = "POS_SALE")]
    PosSale,
    /// A line of a posted e-invoice (`source_id`: the invoice line).
    #[sea_orm(string_value = "INVOICE_LINE")]
    InvoiceLine,
}

crate::said_as_words!(TransactionType, SourceKind);
