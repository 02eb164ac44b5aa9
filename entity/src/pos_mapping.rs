use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pos_mappings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub company_id: i64,
    pub integration_id: i64,
    pub external_id: String,
    pub target: MappingTarget,
    pub ingredient_id: Option<i64>,
    pub recipe_id: Option<i64>,
    pub quantity_factor_micro: i64,
    pub updated_by: Option<i64>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// What a POS item is mapped to: an ingredient, a recipe, or nothing (IGNORE).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum MappingTarget {
    #[sea_orm(string_value = "INGREDIENT")]
    Ingredient,
    #[sea_orm(string_value = "RECIPE")]
    Recipe,
    #[sea_orm(string_value = "IGNORE")]
    Ignore,
}

crate::said_as_words!(MappingTarget);
