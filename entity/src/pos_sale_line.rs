use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pos_sale_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub company_id: i64,
    pub location_id: i64,
    pub business_date: Date,
    pub line_key: String,
    pub external_item_id: String,
    pub item_name: String,
    pub quantity_micro: i64,
    pub sales_value_micro: Option<i64>,
    pub sold_at: i64,
    pub transaction_id: Option<String>,
    pub receipt_number: Option<String>,
    pub status: SaleStatus,
    pub csv_import_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// SALE deducts, REFUND puts stock back, VOID and CANCELLED deduct nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum SaleStatus {
    #[sea_orm(string_value = "SALE")]
    Sale,
    #[sea_orm(string_value = "REFUND")]
    Refund,
    #[sea_orm(string_value = "VOID")]
    Void,
    #[sea_orm(string_value = "CANCELLED")]
    Cancelled,
}

crate::said_as_words!(SaleStatus);
