use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "recipe_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub company_id: i64,
    pub recipe_id: i64,
    pub position: i32,
    pub ingredient_id: Option<i64>,
    pub sub_recipe_id: Option<i64>,
    /// Net quantity per portion, in `unit`.
    pub quantity_micro: i64,
    pub unit: String,
    /// Preparation loss in percent (10 % → 10_000_000).
    pub trim_percent_micro: i64,
    pub issue_storage_unit_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
