use sea_orm::entity::prelude::*;

/// What one counter found of one ingredient at one place of a count, as the counter's device
/// recorded it (`client_id` is made there, so saving it again changes nothing).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "count_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub company_id: i64,
    pub count_id: i64,
    pub client_id: String,
    pub ingredient_id: i64,
    pub place_id: Option<i64>,
    /// Packs and loose together, in base-unit millionths.
    pub quantity_micro: i64,
    /// The product whose packs were counted, when packs were.
    pub product_id: Option<i64>,
    pub packs_micro: Option<i64>,
    /// The loose part, in base-unit millionths.
    pub loose_micro: Option<i64>,
    pub counted_at: DateTimeUtc,
    pub counted_by: i64,
    pub saved_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
