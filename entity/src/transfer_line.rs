use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "transfer_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub transfer_id: i64,
    pub ingredient_id: i64,
    /// The receiving company's ingredient (the same one within a company).
    pub target_ingredient_id: i64,
    pub quantity_micro: i64,
    pub lot_number: Option<String>,
    /// YYYY-MM-DD
    pub expiry_date: Option<String>,
    pub out_entry_id: Option<i64>,
    pub in_entry_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
