use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0014_sparse_ledger_indexes"
    }
}

/// Most entries are no reversal, and manual ones have no source id, yet both indexes held a
/// row for every entry: one more index write for every posting, and on PostgreSQL for every
/// entry a backdated posting recomputes (an update that changes an indexed column writes a new
/// row into every index). Every lookup through them names a value (`source_id IN (…)`,
/// `reversal_of = …`), which implies the column is not null: both backends use the partial
/// index for it. Uniqueness is unchanged: nulls never collided. The new indexes get new names
/// (an index dropped and created again under its name in one SQLite migration was refused as
/// existing).
const UP: &str = r#"
CREATE INDEX ledger_source_given ON ledger_entries(source_kind, source_id) WHERE source_id IS NOT NULL;
DROP INDEX ledger_source;
CREATE UNIQUE INDEX ledger_reversed_once ON ledger_entries(reversal_of) WHERE reversal_of IS NOT NULL;
DROP INDEX ledger_one_reversal
"#;

const DOWN: &str = r#"
CREATE INDEX ledger_source ON ledger_entries(source_kind, source_id);
DROP INDEX ledger_source_given;
CREATE UNIQUE INDEX ledger_one_reversal ON ledger_entries(reversal_of);
DROP INDEX ledger_reversed_once
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
