//! `larder move-to postgres://…`: a stopped SQLite Larder copied into an empty PostgreSQL
//! database, table by table in batches, and verified before it is committed. The schema, the
//! rows and the checks run in one PostgreSQL transaction: a failed or refused move leaves the
//! target empty.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, QueryResult, Statement,
    TransactionTrait, Value,
};

use super::{OperationResult, migration_level, quoted, reach_postgres, refused, table_names};

/// Where the copy is, for a progress bar.
#[derive(Debug, Clone)]
pub struct CopyProgress {
    pub table: String,
    pub copied: u64,
    pub rows: u64,
    pub tables_done: usize,
    pub tables: usize,
    /// Whether this report closes its table (the last one said of it).
    pub finished: bool,
}

/// What was checked after the copy, to print.
#[derive(Debug, Clone, Default)]
pub struct Verified {
    /// Each copied table and its row count (equal on both sides).
    pub tables: Vec<(String, u64)>,
    /// Ledger pairs (ingredient, storage unit) whose count, quantity, value, balances and
    /// averages summed the same on both sides.
    pub ledger_pairs: u64,
    /// Identity sequences set past their table's highest id.
    pub sequences: Vec<String>,
    /// Tables of the source not copied (the job queue's own: queued runs are queued again when
    /// a worker starts).
    pub left_out: Vec<String>,
    pub migration: String,
}

/// A column as PostgreSQL types it: what the SQLite value is read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColumnKind {
    Integer,
    Boolean,
    Timestamp,
    Date,
    Bytes,
    Float,
    Text,
}

struct Column {
    name: String,
    kind: ColumnKind,
    nullable: bool,
}

struct Table {
    name: String,
    columns: Vec<Column>,
    /// Columns written NULL at first and set after every table is in: a reference in a cycle
    /// (an ingredient's preferred product, whose product names the ingredient).
    deferred: Vec<String>,
    /// What the copy pages by, in the order rows were written: `rowid`, or `id` in a table
    /// kept in another order without one (the ledger, m0018; an entry names only earlier ones).
    key: &'static str,
}

pub async fn move_to(
    source: &DatabaseConnection,
    target_url: &str,
    on_progress: &mut (dyn FnMut(&CopyProgress) + Send),
) -> OperationResult<Verified> {
    if source.get_database_backend() != DbBackend::Sqlite {
        return Err(refused(
            "move-to copies an SQLite Larder; this one is on PostgreSQL already",
        ));
    }
    let shown = crate::db::without_password(target_url);
    let target = reach_postgres(target_url).await?;
    let existing = table_names(&target).await?;
    if !existing.is_empty() {
        return Err(refused(format!(
            "the database at {shown} is not empty ({} tables): move into an empty database only",
            existing.len()
        )));
    }
    // The source as this binary would run it (a no-op when it is current).
    {
        use migration::MigratorTrait;
        migration::Migrator::up(source, None).await?;
    }
    let txn = target.begin().await?;
    {
        use migration::MigratorTrait;
        migration::Migrator::up(&txn, None).await?;
    }
    let target_tables: BTreeSet<String> = table_names(&txn).await?.into_iter().collect();
    let source_tables = table_names(source).await?;
    let mut verified = Verified {
        migration: migration_level(source).await?,
        ..Default::default()
    };
    let mut copied_names = Vec::new();
    for name in source_tables {
        if name == "seaql_migrations" {
            continue;
        }
        if target_tables.contains(&name) {
            copied_names.push(name);
        } else {
            verified.left_out.push(name);
        }
    }
    let tables = plan(source, &txn, &copied_names).await?;
    let total = tables.len();
    for (done, table) in tables.iter().enumerate() {
        copy_table(source, &txn, table, done, total, on_progress).await?;
    }
    for table in &tables {
        set_deferred(source, &txn, table).await?;
    }
    verified.sequences = advance_sequences(&txn, &tables).await?;
    for table in &tables {
        let here = count_rows(source, &table.name).await?;
        let there = count_rows(&txn, &table.name).await?;
        if here != there {
            return Err(refused(format!(
                "verification failed, nothing was kept: {} has {here} rows in SQLite and {there} in PostgreSQL",
                table.name
            )));
        }
        verified.tables.push((table.name.clone(), here));
    }
    verified.ledger_pairs = compare_ledger(source, &txn).await?;
    txn.commit().await?;
    target.close().await?;
    Ok(verified)
}

/// Each table's columns typed by PostgreSQL, in an order that inserts every referenced row
/// before the rows that reference it.
async fn plan(
    source: &DatabaseConnection,
    target: &DatabaseTransaction,
    names: &[String],
) -> OperationResult<Vec<Table>> {
    let mut references: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut tables: BTreeMap<String, Table> = BTreeMap::new();
    for name in names {
        let rows = target
            .query_all_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT column_name, data_type, is_nullable FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
                [name.clone().into()],
            ))
            .await?;
        let mut columns = Vec::new();
        for row in rows {
            let data_type: String = row.try_get_by_index(1)?;
            columns.push(Column {
                name: row.try_get_by_index(0)?,
                kind: kind_of(&data_type),
                nullable: row.try_get_by_index::<String>(2)? == "YES",
            });
        }
        let keys = source
            .query_all_raw(Statement::from_string(
                DbBackend::Sqlite,
                format!(
                    "SELECT \"table\", \"from\" FROM pragma_foreign_key_list('{}')",
                    name.replace('\'', "''")
                ),
            ))
            .await?;
        let mut refs = Vec::new();
        for key in keys {
            let to: String = key.try_get_by_index(0)?;
            let from: String = key.try_get_by_index(1)?;
            if &to != name {
                refs.push((to, from));
            }
        }
        references.insert(name.clone(), refs);
        let definition: Option<String> = source
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                [name.clone().into()],
            ))
            .await?
            .map(|row| row.try_get_by_index(0))
            .transpose()?;
        let without_rowid =
            definition.is_some_and(|sql| sql.to_uppercase().contains("WITHOUT ROWID"));
        tables.insert(
            name.clone(),
            Table {
                name: name.clone(),
                columns,
                deferred: Vec::new(),
                key: if without_rowid { "id" } else { "rowid" },
            },
        );
    }
    // Kahn's order; a cycle is broken at a nullable reference, set after the copy.
    let mut order = Vec::new();
    let mut placed: BTreeSet<String> = BTreeSet::new();
    while placed.len() < tables.len() {
        let ready: Vec<String> = tables
            .keys()
            .filter(|t| !placed.contains(*t))
            .filter(|t| {
                references[*t]
                    .iter()
                    .all(|(to, _)| placed.contains(to) || !tables.contains_key(to))
            })
            .cloned()
            .collect();
        if !ready.is_empty() {
            for t in ready {
                placed.insert(t.clone());
                order.push(t);
            }
            continue;
        }
        let (table, column) = tables
            .keys()
            .filter(|t| !placed.contains(*t))
            .flat_map(|t| {
                references[t]
                    .iter()
                    .filter(|(to, _)| !placed.contains(to))
                    .map(move |(_, from)| (t.clone(), from.clone()))
            })
            .find(|(t, from)| {
                tables[t]
                    .columns
                    .iter()
                    .any(|c| &c.name == from && c.nullable)
            })
            .ok_or_else(|| refused("the tables reference each other through required columns"))?;
        tables
            .get_mut(&table)
            .expect("listed")
            .deferred
            .push(column.clone());
        references
            .get_mut(&table)
            .expect("listed")
            .retain(|(_, from)| from != &column);
    }
    Ok(order
        .into_iter()
        .map(|t| tables.remove(&t).expect("planned"))
        .collect())
}

fn kind_of(data_type: &str) -> ColumnKind {
    match data_type {
        "bigint" | "integer" | "smallint" => ColumnKind::Integer,
        "boolean" => ColumnKind::Boolean,
        "timestamp with time zone" | "timestamp without time zone" => ColumnKind::Timestamp,
        "date" => ColumnKind::Date,
        "bytea" => ColumnKind::Bytes,
        "double precision" | "real" => ColumnKind::Float,
        _ => ColumnKind::Text,
    }
}

/// Rows per INSERT: PostgreSQL takes at most 65,535 parameters a statement.
fn batch_rows(columns: usize) -> usize {
    (60_000 / columns.max(1)).min(1_000)
}

async fn copy_table(
    source: &DatabaseConnection,
    target: &DatabaseTransaction,
    table: &Table,
    done: usize,
    total: usize,
    on_progress: &mut (dyn FnMut(&CopyProgress) + Send),
) -> OperationResult<()> {
    let rows = count_rows(source, &table.name).await?;
    let names: Vec<String> = table.columns.iter().map(|c| quoted(&c.name)).collect();
    let batch = batch_rows(table.columns.len());
    let mut progress = CopyProgress {
        table: table.name.clone(),
        copied: 0,
        rows,
        tables_done: done,
        tables: total,
        finished: false,
    };
    on_progress(&progress);
    let mut after = i64::MIN;
    loop {
        let select = format!(
            "SELECT {key}, {} FROM {} WHERE {key} > ? ORDER BY {key} LIMIT {batch}",
            names.join(", "),
            quoted(&table.name),
            key = table.key,
        );
        let chunk = source
            .query_all_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                select,
                [after.into()],
            ))
            .await?;
        let Some(last) = chunk.last() else { break };
        after = last.try_get_by_index(0)?;
        let mut values = Vec::with_capacity(chunk.len() * names.len());
        let mut tuples = Vec::with_capacity(chunk.len());
        for row in &chunk {
            let mut places = Vec::with_capacity(names.len());
            for (i, column) in table.columns.iter().enumerate() {
                let value = if table.deferred.contains(&column.name) {
                    Value::BigInt(None)
                } else {
                    read_value(row, i + 1, column)?
                };
                values.push(value);
                places.push(format!("${}", values.len()));
            }
            tuples.push(format!("({})", places.join(", ")));
        }
        target
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                format!(
                    "INSERT INTO {} ({}) OVERRIDING SYSTEM VALUE VALUES {}",
                    quoted(&table.name),
                    names.join(", "),
                    tuples.join(", ")
                ),
                values,
            ))
            .await?;
        progress.copied += chunk.len() as u64;
        on_progress(&progress);
    }
    progress.tables_done = done + 1;
    progress.finished = true;
    on_progress(&progress);
    Ok(())
}

fn read_value(row: &QueryResult, index: usize, column: &Column) -> OperationResult<Value> {
    let value = match column.kind {
        ColumnKind::Integer => Value::BigInt(row.try_get_by_index::<Option<i64>>(index)?),
        ColumnKind::Boolean => Value::Bool(row.try_get_by_index::<Option<bool>>(index)?),
        ColumnKind::Timestamp => {
            Value::ChronoDateTimeUtc(row.try_get_by_index::<Option<DateTime<Utc>>>(index)?)
        }
        ColumnKind::Date => Value::ChronoDate(row.try_get_by_index::<Option<NaiveDate>>(index)?),
        ColumnKind::Bytes => Value::Bytes(row.try_get_by_index::<Option<Vec<u8>>>(index)?),
        ColumnKind::Float => Value::Double(row.try_get_by_index::<Option<f64>>(index)?),
        ColumnKind::Text => Value::String(row.try_get_by_index::<Option<String>>(index)?),
    };
    Ok(value)
}

/// Sets the references written NULL during the copy, by id.
async fn set_deferred(
    source: &DatabaseConnection,
    target: &DatabaseTransaction,
    table: &Table,
) -> OperationResult<()> {
    for column in &table.deferred {
        let rows = source
            .query_all_raw(Statement::from_string(
                DbBackend::Sqlite,
                format!(
                    "SELECT id, {c} FROM {t} WHERE {c} IS NOT NULL ORDER BY id",
                    c = quoted(column),
                    t = quoted(&table.name)
                ),
            ))
            .await?;
        for chunk in rows.chunks(1_000) {
            let mut values = Vec::new();
            let mut tuples = Vec::new();
            for row in chunk {
                values.push(Value::BigInt(Some(row.try_get_by_index(0)?)));
                values.push(Value::BigInt(Some(row.try_get_by_index(1)?)));
                tuples.push(format!(
                    "(${}::bigint, ${}::bigint)",
                    values.len() - 1,
                    values.len()
                ));
            }
            target
                .execute_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    format!(
                        "UPDATE {t} SET {c} = v.value FROM (VALUES {}) AS v(id, value) WHERE {t}.id = v.id",
                        tuples.join(", "),
                        t = quoted(&table.name),
                        c = quoted(column)
                    ),
                    values,
                ))
                .await?;
        }
    }
    Ok(())
}

/// Every identity sequence set to its table's highest id, so the next row gets a new one.
async fn advance_sequences(
    target: &DatabaseTransaction,
    tables: &[Table],
) -> OperationResult<Vec<String>> {
    let mut advanced = Vec::new();
    for table in tables {
        if !table.columns.iter().any(|c| c.name == "id") {
            continue;
        }
        let row = target
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_get_serial_sequence($1, 'id')",
                [quoted(&table.name).into()],
            ))
            .await?;
        let Some(sequence) =
            row.and_then(|r| r.try_get_by_index::<Option<String>>(0).ok().flatten())
        else {
            continue;
        };
        let t = quoted(&table.name);
        target
            .execute_unprepared(&format!(
                "SELECT setval('{sequence}', COALESCE((SELECT MAX(id) FROM {t}), 0) + 1, false)"
            ))
            .await?;
        let check = target
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                format!(
                    "SELECT (SELECT last_value FROM {sequence}) > COALESCE((SELECT MAX(id) FROM {t}), 0)"
                ),
            ))
            .await?
            .map(|r| r.try_get_by_index::<bool>(0))
            .transpose()?;
        if check != Some(true) {
            return Err(refused(format!(
                "verification failed, nothing was kept: {sequence} is not past the highest id of {}",
                table.name
            )));
        }
        advanced.push(sequence);
    }
    Ok(advanced)
}

async fn count_rows(db: &(impl ConnectionTrait + ?Sized), table: &str) -> OperationResult<u64> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COUNT(*) FROM {}", quoted(table)),
        ))
        .await?
        .ok_or_else(|| refused(format!("{table} could not be counted")))?;
    Ok(row.try_get_by_index::<i64>(0)? as u64)
}

/// Per ledger pair: entries, and the sums of quantity, value, running balance and average cost
/// after each entry — every derived value of the ledger, compared on both sides.
async fn compare_ledger(
    source: &DatabaseConnection,
    target: &DatabaseTransaction,
) -> OperationResult<u64> {
    const SUMS: &str = "SELECT ingredient_id, storage_unit_id, COUNT(*), \
        CAST(SUM(quantity_micro) AS TEXT), CAST(SUM(value_micro) AS TEXT), \
        CAST(SUM(balance_after_micro) AS TEXT), CAST(SUM(average_cost_after_micro) AS TEXT) \
        FROM ledger_entries GROUP BY ingredient_id, storage_unit_id \
        ORDER BY ingredient_id, storage_unit_id";
    async fn sums(db: &(impl ConnectionTrait + ?Sized)) -> OperationResult<Vec<Vec<String>>> {
        let rows = db
            .query_all_raw(Statement::from_string(db.get_database_backend(), SUMS))
            .await?;
        rows.iter()
            .map(|r| {
                let mut out = Vec::new();
                for i in 0..3 {
                    out.push(r.try_get_by_index::<i64>(i)?.to_string());
                }
                for i in 3..7 {
                    out.push(r.try_get_by_index::<Option<String>>(i)?.unwrap_or_default());
                }
                Ok(out)
            })
            .collect()
    }
    let (here, there) = (sums(source).await?, sums(target).await?);
    if here != there {
        let first = here
            .iter()
            .zip(&there)
            .find(|(a, b)| a != b)
            .map(|(a, _)| format!("ingredient {} in storage unit {}", a[0], a[1]))
            .unwrap_or_else(|| "the number of pairs".into());
        return Err(refused(format!(
            "verification failed, nothing was kept: the ledger differs at {first}"
        )));
    }
    Ok(here.len() as u64)
}
