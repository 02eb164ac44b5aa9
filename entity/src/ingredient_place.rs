use sea_orm::entity::prelude::*;

/// Where an ingredient stands in one storage unit: its place (None: not placed) and its position
/// among the place's ingredients.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ingredient_places")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub company_id: i64,
    pub ingredient_id: i64,
    pub storage_unit_id: i64,
    pub place_id: Option<i64>,
    pub position: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
