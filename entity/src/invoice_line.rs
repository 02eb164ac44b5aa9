use sea_orm::entity::prelude::*;

/// One line of an invoice, as read (decimal text with the invoice's decimals), and what it was
/// matched to.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoice_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub invoice_id: i64,
    pub company_id: i64,
    /// The line's place in the file, from 0.
    pub position: i64,
    /// BT-126.
    pub line_id: String,
    /// BT-153, BT-155, BT-157.
    pub name: String,
    pub seller_item_id: Option<String>,
    pub gtin: Option<String>,
    /// BT-129 with its unit code BT-130 (UN/ECE Rec 20/21).
    pub quantity: String,
    pub unit_code: String,
    /// BT-146 per BT-149 (`price_base_quantity`, 1 when absent).
    pub net_price: String,
    pub price_base_quantity: Option<String>,
    /// BT-131.
    pub net_amount: String,
    /// BT-152.
    pub vat_percent: Option<String>,
    pub match_kind: InvoiceLineMatch,
    pub product_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// How a line found its product, or that it is not stock (a deposit, a delivery fee).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum InvoiceLineMatch {
    #[sea_orm(string_value = "SELLER_ITEM_ID")]
    SellerItemId,
    #[sea_orm(string_value = "GTIN")]
    Gtin,
    #[sea_orm(string_value = "REMEMBERED")]
    Remembered,
    #[sea_orm(string_value = "MANUAL")]
    Manual,
    #[sea_orm(string_value = "NOT_STOCK")]
    NotStock,
    #[sea_orm(string_value = "NONE")]
    None,
}

crate::said_as_words!(InvoiceLineMatch);
