use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "csv_imports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub company_id: i64,
    pub integration_id: i64,
    pub location_id: i64,
    pub content_hash: String,
    pub file_name: String,
    pub size_bytes: i64,
    pub config: String,
    pub post_valid_rows_only: bool,
    pub rows_total: i64,
    pub rows_invalid: i64,
    pub row_errors: String,
    pub state: CsvImportState,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Where an uploaded CSV file is: UPLOADED, CHECKED (or INVALID), then IMPORTED.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum CsvImportState {
    #[sea_orm(string_value = "UPLOADED")]
    Uploaded,
    #[sea_orm(string_value = "CHECKED")]
    Checked,
    #[sea_orm(string_value = "INVALID")]
    Invalid,
    #[sea_orm(string_value = "IMPORTED")]
    Imported,
}

crate::said_as_words!(CsvImportState);
