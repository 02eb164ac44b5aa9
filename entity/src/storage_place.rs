use sea_orm::entity::prelude::*;

/// A shelf or area of a storage unit, in the order a count walks them.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "storage_places")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub company_id: i64,
    pub storage_unit_id: i64,
    pub name: String,
    /// 0, 1, 2 … among the unit's places in use.
    pub position: i64,
    /// Removed places keep their rows for the counts that name them.
    pub archived_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
