use sea_orm::entity::prelude::*;

/// A line name from one vendor matched by hand once: the next invoice's line of that name takes
/// the same product, or is again not stock.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoice_line_choices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub company_id: i64,
    pub vendor_id: i64,
    /// The line's name, trimmed and lower-cased.
    pub line_name: String,
    /// None: not stock.
    pub product_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
