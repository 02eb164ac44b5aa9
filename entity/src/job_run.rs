use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "job_runs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub company_id: i64,
    pub kind: JobKind,
    pub state: JobState,
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

/// What a job run does.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum JobKind {
    #[sea_orm(string_value = "HISTORICAL_MIGRATION")]
    HistoricalMigration,
    #[sea_orm(string_value = "MANUAL_TRANSFER")]
    ManualTransfer,
    #[sea_orm(string_value = "AUTOMATIC_TRANSFER")]
    AutomaticTransfer,
    #[sea_orm(string_value = "CSV_IMPORT")]
    CsvImport,
    #[sea_orm(string_value = "SYNC_LOCATIONS")]
    SyncLocations,
    #[sea_orm(string_value = "SYNC_ITEMS")]
    SyncItems,
}

/// Where a job run is; SUCCEEDED, FAILED and CANCELLED are final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum JobState {
    #[sea_orm(string_value = "QUEUED")]
    Queued,
    #[sea_orm(string_value = "RUNNING")]
    Running,
    #[sea_orm(string_value = "SUCCEEDED")]
    Succeeded,
    #[sea_orm(string_value = "FAILED")]
    Failed,
    #[sea_orm(string_value = "CANCELLED")]
    Cancelled,
}

impl JobState {
    /// A run in one of these states still holds its lock (a location).
    pub const ACTIVE: [JobState; 2] = [JobState::Queued, JobState::Running];

    /// Nothing more happens to a run in a final state.
    pub fn is_finished(self) -> bool {
        matches!(
            self,
            JobState::Succeeded | JobState::Failed | JobState::Cancelled
        )
    }
}

crate::said_as_words!(JobKind, JobState);
