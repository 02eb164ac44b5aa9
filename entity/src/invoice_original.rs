use sea_orm::entity::prelude::*;

/// The file an invoice was read from, byte for byte: invoices are kept as received.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoice_originals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub invoice_id: i64,
    pub company_id: i64,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
