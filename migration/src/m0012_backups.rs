use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0012_backups"
    }
}

/// Scheduled backups (DESIGN.md, "Operations"): each one taken, so every process of the
/// database knows when the last succeeded (`/health`, the metrics) and none takes a second one
/// in the same period.
const UP: &str = r#"
CREATE TABLE backups (
    id {PK},
    taken_at {TS} NOT NULL,
    file TEXT NOT NULL,
    bytes BIGINT NOT NULL
);
CREATE INDEX backups_taken_at ON backups(taken_at);
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_sql(manager, UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_sql(manager, "DROP TABLE backups").await
    }
}
