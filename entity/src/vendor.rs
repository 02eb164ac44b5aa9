use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "vendors")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub company_id: i64,
    pub name: String,
    /// The vendor's VAT id (BT-31), how an e-invoice finds its vendor.
    pub vat_id: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub notes: Option<String>,
    pub archived_at: Option<DateTimeUtc>,
    /// Days from ordering to delivery.
    pub lead_time_days: i64,
    /// ISO weekdays (Monday = 1) the vendor takes orders on, comma-separated; empty: any day.
    pub order_weekdays: String,
    pub minimum_order_value_micro: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
