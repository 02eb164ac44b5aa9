use sea_orm::entity::prelude::*;

/// How much of an ingredient a storage unit should hold (DESIGN.md, "Purchasing").
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stock_policies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub company_id: i64,
    pub ingredient_id: i64,
    pub storage_unit_id: i64,
    pub kind: StockPolicyKind,
    /// MANUAL: order when on hand + on order is at or below this (base units).
    pub reorder_point_micro: Option<i64>,
    /// MANUAL: order up to this (base units).
    pub par_level_micro: Option<i64>,
    /// AUTOMATIC: days until the next order is placed.
    pub review_days: i64,
    /// AUTOMATIC: days of average usage kept as safety stock.
    pub safety_days_micro: i64,
    /// AUTOMATIC: completed business days the usage forecast averages.
    pub usage_window_days: i64,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// MANUAL: a reorder point and a par level. AUTOMATIC: from the usage forecast.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum StockPolicyKind {
    #[sea_orm(string_value = "MANUAL")]
    Manual,
    #[sea_orm(string_value = "AUTOMATIC")]
    Automatic,
}

crate::said_as_words!(StockPolicyKind);
