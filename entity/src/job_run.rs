use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "job_runs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub company_id: i64,
    pub kind: String,
    pub state: String,
    pub integration_id: Option<i64>,
    pub location_id: Option<i64>,
    pub params: String,
    pub lock_key: Option<String>,
    pub progress_done: i64,
    pub progress_total: i64,
    pub message: Option<String>,
    pub error: Option<String>,
    pub attempts: i64,
    pub requested_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub started_at: Option<DateTimeUtc>,
    pub finished_at: Option<DateTimeUtc>,
    pub heartbeat_at: Option<DateTimeUtc>,
    pub enqueued_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
