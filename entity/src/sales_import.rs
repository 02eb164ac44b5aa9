//! One import of a business day's POS sales into the ledger (its log: lines, posted, skipped,
//! unmapped, errors). The table keeps its first name, `pos_day_transfers`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pos_day_transfers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub company_id: i64,
    pub location_id: i64,
    pub business_date: Date,
    pub job_run_id: Option<i64>,
    pub transferred_at: DateTimeUtc,
    pub lines_total: i64,
    pub lines_posted: i64,
    pub lines_skipped: i64,
    pub lines_unmapped: i64,
    pub entries_posted: i64,
    pub log: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
