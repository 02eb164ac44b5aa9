use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "products")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub company_id: i64,
    pub vendor_id: i64,
    pub ingredient_id: i64,
    pub name: String,
    pub sku: String,
    /// The GTIN (EAN/UPC) printed on the pack, check digit verified; e-invoices name it (BT-157).
    pub gtin: Option<String>,
    /// The GTIN padded to 14 digits: what scans and uniqueness compare.
    pub gtin_key: Option<String>,
    /// What one pack is called (box, case, bottle).
    pub pack_name: String,
    /// Base units of the ingredient in one pack.
    pub packaging_factor_micro: i64,
    pub archived_at: Option<DateTimeUtc>,
    /// The fewest packs the vendor delivers.
    pub minimum_packs_micro: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
