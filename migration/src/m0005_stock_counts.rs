use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0005_stock_counts"
    }
}

/// Count sessions: at most one OPEN per storage unit (a partial unique index on both backends).
const UP: &str = r#"
CREATE TABLE stock_counts (
    id {PK},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    storage_unit_id BIGINT NOT NULL REFERENCES storage_units(id),
    status TEXT NOT NULL CHECK (status IN ('OPEN', 'POSTED', 'CANCELLED')),
    counted_at {TS},
    created_by BIGINT REFERENCES users(id),
    created_at {TS} NOT NULL,
    posted_at {TS}
);
CREATE UNIQUE INDEX stock_counts_one_open ON stock_counts(storage_unit_id) WHERE status = 'OPEN';
CREATE TABLE stock_count_lines (
    id {PK},
    count_id BIGINT NOT NULL REFERENCES stock_counts(id),
    ingredient_id BIGINT NOT NULL REFERENCES ingredients(id),
    counted_micro BIGINT,
    UNIQUE (count_id, ingredient_id)
)
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_sql(manager, UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_sql(
            manager,
            "DROP TABLE stock_count_lines;\nDROP TABLE stock_counts",
        )
        .await
    }
}
