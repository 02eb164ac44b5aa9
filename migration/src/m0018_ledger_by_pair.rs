use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0018_ledger_by_pair"
    }
}

/// SQLite keeps a table in the order of its primary key. With `id` as that key a pair's
/// entries lay one to a page among every other pair's, so a backdated posting that rewrote
/// 13,000 of them wrote 13,000 pages (~50 MB into the WAL). Kept in the order of (ingredient,
/// storage unit, time, id) — `WITHOUT ROWID` — a pair's tail is a few hundred adjacent pages,
/// read and rewritten in one sweep. Ids stay unique (`ledger_entry_id`) and are drawn by the
/// writer (`ledger::rows`), past the largest. PostgreSQL has no clustered tables and is left
/// as it is. The pair's time index is the key itself now.
const COLUMNS: &str = "company_id BIGINT NOT NULL REFERENCES companies(id),
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
    average_cost_after_micro BIGINT,
    pos_integration_id BIGINT";

const NAMES: &str = "id, company_id, ingredient_id, storage_unit_id, transaction_type, quantity_micro, \
    input_cost_micro, occurred_at, posted_at, source_kind, source_id, paired_entry_id, reversal_of, \
    reason, note, pos_item_name, pos_amount_sold_micro, pos_sales_value_micro, pos_article_id, \
    pos_transaction_id, pos_receipt_number, pos_sold_at, created_by, unit_cost_micro, value_micro, \
    balance_after_micro, average_cost_after_micro, pos_integration_id";

/// One shape of the table: how it is created (as `ledger_entries_new`, renamed once filled),
/// the index it needs beside its key, and the index of the other shape it does without.
struct Shape {
    create: String,
    index: Option<&'static str>,
    replaces: &'static str,
}

fn by_pair() -> Shape {
    Shape {
        create: format!(
            "CREATE TABLE ledger_entries_new (id INTEGER NOT NULL, {COLUMNS}, \
             PRIMARY KEY (ingredient_id, storage_unit_id, occurred_at, id)) WITHOUT ROWID"
        ),
        index: Some("CREATE UNIQUE INDEX ledger_entry_id ON ledger_entries(id)"),
        replaces: "ledger_pair_time",
    }
}

fn by_id() -> Shape {
    Shape {
        create: format!(
            "CREATE TABLE ledger_entries_new (id INTEGER PRIMARY KEY AUTOINCREMENT, {COLUMNS})"
        ),
        index: Some(
            "CREATE INDEX ledger_pair_time ON ledger_entries(ingredient_id, storage_unit_id, occurred_at, id)",
        ),
        replaces: "ledger_entry_id",
    }
}

/// Rebuilds the table in `shape` the way SQLite documents for a change `ALTER TABLE` cannot
/// make: foreign keys off (on, dropping the old table would count every transfer naming an
/// entry as a violation, and renaming would point other tables' references at the old name),
/// one transaction, the new table filled in key order, the old one dropped, the new one
/// renamed, the old one's other indexes and its guards created again. One batch of statements,
/// so that all of it runs on one connection of the pool.
async fn rebuild(manager: &SchemaManager<'_>, shape: Shape) -> Result<(), DbErr> {
    let conn = manager.get_connection();
    let attached = conn
        .query_all_raw(Statement::from_string(
            DatabaseBackend::Sqlite,
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'ledger_entries' \
             AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type",
        ))
        .await?;
    let mut kept = Vec::new();
    let mut statements = vec!["PRAGMA foreign_keys = OFF".to_string(), "BEGIN".into()];
    for row in &attached {
        let (kind, name, sql): (String, String, String) = (
            row.try_get("", "type")?,
            row.try_get("", "name")?,
            row.try_get("", "sql")?,
        );
        statements.push(format!("DROP {} {name}", kind.to_uppercase()));
        if name != shape.replaces {
            kept.push(sql);
        }
    }
    statements.push(shape.create);
    statements.push(format!(
        "INSERT INTO ledger_entries_new ({NAMES}) SELECT {NAMES} FROM ledger_entries \
         ORDER BY ingredient_id, storage_unit_id, occurred_at, id"
    ));
    statements.push("DROP TABLE ledger_entries".into());
    statements.push("ALTER TABLE ledger_entries_new RENAME TO ledger_entries".into());
    statements.extend(shape.index.map(String::from));
    statements.extend(kept);
    statements.push("COMMIT".into());
    statements.push("PRAGMA foreign_keys = ON".into());
    conn.execute_unprepared(&statements.join(";\n")).await?;
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Sqlite {
            return Ok(());
        }
        rebuild(manager, by_pair()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Sqlite {
            return Ok(());
        }
        rebuild(manager, by_id()).await
    }
}
