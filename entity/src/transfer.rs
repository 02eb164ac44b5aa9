use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "transfers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The shipping company.
    pub company_id: i64,
    pub to_company_id: i64,
    pub from_storage_unit_id: i64,
    pub to_storage_unit_id: i64,
    /// DRAFT, SHIPPED, CLOSED, CANCELLED
    pub status: String,
    pub note: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub shipped_at: Option<DateTimeUtc>,
    pub received_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
