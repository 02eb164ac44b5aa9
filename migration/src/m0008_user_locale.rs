use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0008_user_locale"
    }
}

/// The language a user chose for the app (`en`, `de`); none: their browser's.
const UP: &str = r#"
ALTER TABLE users ADD COLUMN locale TEXT;
"#;

const DOWN: &str = r#"
ALTER TABLE users DROP COLUMN locale;
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_sql(manager, UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_sql(manager, DOWN).await
    }
}
