use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "csv_upload_chunks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub csv_import_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    pub data: Vec<u8>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
