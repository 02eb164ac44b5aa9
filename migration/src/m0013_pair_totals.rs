use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0013_pair_totals"
    }
}

/// A ledger summary's totals (everything received and issued into one storage unit) summed
/// the whole history of the pair: 13,000 random row reads for a busy pair. The cached balance
/// now keeps both sums beside the quantity, written with it in every posting; `NULL` means the
/// sum left 64 bits (an absurd history), and the summary sums the ledger as before.
const BOUND: &str = "4611686018427387903";

fn backfill(backend: sea_orm::DatabaseBackend, column: &str, kind: &str, sign: &str) -> String {
    let pair = "e.ingredient_id = stock_balances.ingredient_id AND e.storage_unit_id = stock_balances.storage_unit_id";
    let of_kind =
        format!("CASE WHEN e.transaction_type = '{kind}' THEN {sign}e.quantity_micro ELSE 0 END");
    match backend {
        // SUM stops with an error past 64 bits: a floating TOTAL decides first whether to take it.
        sea_orm::DatabaseBackend::Sqlite => format!(
            "UPDATE stock_balances SET {column} = CASE \
             WHEN (SELECT ABS(TOTAL({of_kind})) FROM ledger_entries e WHERE {pair}) < {BOUND} \
             THEN (SELECT COALESCE(SUM({of_kind}), 0) FROM ledger_entries e WHERE {pair}) END"
        ),
        // PostgreSQL sums BIGINT into NUMERIC: no overflow, only the bound to check.
        _ => format!(
            "UPDATE stock_balances SET {column} = (SELECT CASE WHEN ABS(COALESCE(SUM({of_kind}), 0)) < {BOUND} \
             THEN COALESCE(SUM({of_kind}), 0)::BIGINT END FROM ledger_entries e WHERE {pair})"
        ),
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        crate::run_sql(
            manager,
            "ALTER TABLE stock_balances ADD COLUMN received_micro BIGINT DEFAULT 0;\n\
             ALTER TABLE stock_balances ADD COLUMN issued_micro BIGINT DEFAULT 0",
        )
        .await?;
        let conn = manager.get_connection();
        conn.execute_unprepared(&backfill(backend, "received_micro", "RECEIPT", ""))
            .await?;
        conn.execute_unprepared(&backfill(backend, "issued_micro", "ISSUE", "-"))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_sql(
            manager,
            "ALTER TABLE stock_balances DROP COLUMN issued_micro;\n\
             ALTER TABLE stock_balances DROP COLUMN received_micro",
        )
        .await
    }
}
