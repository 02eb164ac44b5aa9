use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pos_locations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub company_id: i64,
    pub integration_id: i64,
    pub external_id: String,
    pub name: String,
    pub synced: bool,
    pub storage_unit_id: Option<i64>,
    pub active: bool,
    pub activated_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub timezone: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
