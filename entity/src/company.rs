use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "companies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub currency: String,
    pub timezone: String,
    pub business_day_start_hour: i32,
    /// The VAT included in POS sales values and menu prices, in millionths of a percent (0: the
    /// POS reports net values).
    pub sales_vat_percent_micro: i64,
    /// How far a receipt's unit cost must move from the previous one to be a price change.
    pub price_alert_percent_micro: i64,
    /// STAFF count without seeing the books (DESIGN.md, "Counting anywhere").
    pub blind_counts: bool,
    pub archived_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
