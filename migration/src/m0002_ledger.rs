use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0002_ledger"
    }
}

/// The inventory ledger. Facts (what happened) are written once; the derived columns
/// (balance_after_micro, average_cost_after_micro, unit_cost_micro, value_micro) are recomputed
/// when a backdated entry lands before them. Times are microseconds since the Unix epoch, so
/// they sort and compare the same on both backends.
const UP: &str = r#"
CREATE TABLE ledger_entries (
    id {PK},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    ingredient_id BIGINT NOT NULL REFERENCES ingredients(id),
    storage_unit_id BIGINT NOT NULL REFERENCES storage_units(id),
    transaction_type TEXT NOT NULL CHECK (transaction_type IN ('RECEIPT', 'ISSUE', 'WASTE', 'TRANSFER_OUT', 'TRANSFER_IN', 'ADJUST')),
    quantity_micro BIGINT NOT NULL,
    input_cost_micro BIGINT,
    occurred_at BIGINT NOT NULL,
    posted_at BIGINT NOT NULL,
    source_kind TEXT NOT NULL,
    source_id TEXT,
    paired_entry_id BIGINT REFERENCES ledger_entries(id),
    reversal_of BIGINT REFERENCES ledger_entries(id),
    reason TEXT,
    note TEXT,
    pos_item_name TEXT,
    pos_amount_sold_micro BIGINT,
    pos_sales_value_micro BIGINT,
    pos_article_id TEXT,
    pos_transaction_id TEXT,
    pos_receipt_number TEXT,
    pos_sold_at BIGINT,
    created_by BIGINT REFERENCES users(id),
    unit_cost_micro BIGINT,
    value_micro BIGINT NOT NULL DEFAULT 0,
    balance_after_micro BIGINT NOT NULL DEFAULT 0,
    average_cost_after_micro BIGINT
);
CREATE INDEX ledger_pair_time ON ledger_entries(ingredient_id, storage_unit_id, occurred_at, id);
CREATE INDEX ledger_ingredient_time ON ledger_entries(ingredient_id, occurred_at, id);
CREATE INDEX ledger_company_time ON ledger_entries(company_id, occurred_at, id);
CREATE INDEX ledger_storage_time ON ledger_entries(storage_unit_id, occurred_at, id);
CREATE INDEX ledger_source ON ledger_entries(source_kind, source_id);
CREATE UNIQUE INDEX ledger_one_reversal ON ledger_entries(reversal_of);
CREATE TABLE stock_balances (
    ingredient_id BIGINT NOT NULL REFERENCES ingredients(id),
    storage_unit_id BIGINT NOT NULL REFERENCES storage_units(id),
    company_id BIGINT NOT NULL REFERENCES companies(id),
    quantity_micro BIGINT NOT NULL DEFAULT 0,
    average_cost_micro BIGINT,
    entry_count BIGINT NOT NULL DEFAULT 0,
    last_occurred_at BIGINT,
    PRIMARY KEY (ingredient_id, storage_unit_id)
);
CREATE INDEX stock_balances_company ON stock_balances(company_id, storage_unit_id)
"#;

/// Only a statement that sets a fact column fires these: recomputing derived columns does not.
const FACTS: &str = "company_id, ingredient_id, storage_unit_id, transaction_type, quantity_micro, input_cost_micro, \
    occurred_at, posted_at, source_kind, source_id, paired_entry_id, reversal_of, reason, created_by";

fn guards(backend: sea_orm::DatabaseBackend) -> Vec<String> {
    match backend {
        sea_orm::DatabaseBackend::Sqlite => vec![
            "CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries \
             BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only: post a reversal instead'); END"
                .into(),
            format!(
                "CREATE TRIGGER ledger_entries_facts_fixed BEFORE UPDATE OF {FACTS} ON ledger_entries \
                 BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only: their facts cannot change'); END"
            ),
        ],
        _ => vec![
            "CREATE FUNCTION ledger_entries_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'ledger entries are append-only: post a reversal instead'; END IF; \
             RAISE EXCEPTION 'ledger entries are append-only: their facts cannot change'; END $$"
                .into(),
            format!("CREATE TRIGGER ledger_entries_facts_fixed BEFORE UPDATE OF {FACTS} ON ledger_entries FOR EACH ROW EXECUTE FUNCTION ledger_entries_guard()"),
            "CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION ledger_entries_guard()".into(),
            // Room on each page, so recomputing derived columns updates rows in place (HOT)
            // instead of adding an entry to every index.
            "ALTER TABLE ledger_entries SET (fillfactor = 80)".into(),
        ],
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_sql(manager, UP).await?;
        let conn = manager.get_connection();
        for statement in guards(manager.get_database_backend()) {
            conn.execute_unprepared(&statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_sql(
            manager,
            "DROP TABLE stock_balances;\nDROP TABLE ledger_entries",
        )
        .await
    }
}
