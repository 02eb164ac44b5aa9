use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0019_transfer_out_index"
    }
}

/// Before a backdated posting locks anything it looks ahead for the TRANSFER_OUTs later in its
/// pair (`ledger::locks::fed_pairs`: the pairs their receivers are in get locked too). Through
/// the pair's time index that read every later entry of the pair to find the few transfers:
/// 13,094 rows on PostgreSQL, ~35 ms, before the recompute had begun. The TRANSFER_OUTs alone,
/// in the same order, are a small index; it changes only when a transfer is posted.
const UP: &str = r#"
CREATE INDEX ledger_pair_transfers_out ON ledger_entries(ingredient_id, storage_unit_id, occurred_at, id)
    WHERE transaction_type = 'TRANSFER_OUT'
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_sql(manager, UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_sql(manager, "DROP INDEX ledger_pair_transfers_out").await
    }
}
