use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0004_transfers"
    }
}

/// Transfers between storage units (of one company or two): DRAFT → SHIPPED → CLOSED, each line
/// keeping the entries it posted.
const UP: &str = r#"
CREATE TABLE transfers (
    id {PK},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    to_company_id BIGINT NOT NULL REFERENCES companies(id),
    from_storage_unit_id BIGINT NOT NULL REFERENCES storage_units(id),
    to_storage_unit_id BIGINT NOT NULL REFERENCES storage_units(id),
    status TEXT NOT NULL CHECK (status IN ('DRAFT', 'SHIPPED', 'CLOSED', 'CANCELLED')),
    note TEXT,
    created_by BIGINT REFERENCES users(id),
    created_at {TS} NOT NULL,
    shipped_at {TS},
    received_at {TS}
);
CREATE INDEX transfers_from ON transfers(company_id, status);
CREATE INDEX transfers_to ON transfers(to_company_id, status);
CREATE TABLE transfer_lines (
    id {PK},
    transfer_id BIGINT NOT NULL REFERENCES transfers(id),
    ingredient_id BIGINT NOT NULL REFERENCES ingredients(id),
    target_ingredient_id BIGINT NOT NULL REFERENCES ingredients(id),
    quantity_micro BIGINT NOT NULL CHECK (quantity_micro > 0),
    lot_number TEXT,
    expiry_date TEXT,
    out_entry_id BIGINT REFERENCES ledger_entries(id),
    in_entry_id BIGINT REFERENCES ledger_entries(id)
);
CREATE INDEX transfer_lines_transfer ON transfer_lines(transfer_id)
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_sql(manager, UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_sql(manager, "DROP TABLE transfer_lines;\nDROP TABLE transfers").await
    }
}
