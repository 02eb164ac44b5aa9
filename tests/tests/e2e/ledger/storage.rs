//! How the ledger is stored: what a backdated posting's rewrite of derived values may touch,
//! and SQLite's WAL copied back into the database file off the writers' path.

use std::time::{Duration, Instant};

use migration::MigratorTrait;
use sea_orm::{ConnectionTrait, Statement};
use tests::{Backend, TestApp, on_both_backends};

/// The columns a recompute rewrites (DESIGN.md, ledger invariants 2–4).
const DERIVED: [&str; 4] = [
    "unit_cost_micro",
    "value_micro",
    "balance_after_micro",
    "average_cost_after_micro",
];

/// Each index of `ledger_entries` with its definition (columns and predicate).
async fn indexed_columns(app: &TestApp) -> Vec<(String, String)> {
    let sql = match app.backend {
        Backend::Sqlite => {
            "SELECT name AS idx, sql AS cols FROM sqlite_master \
             WHERE type = 'index' AND tbl_name = 'ledger_entries' AND sql IS NOT NULL"
        }
        Backend::Postgres => {
            "SELECT indexname AS idx, indexdef AS cols FROM pg_indexes WHERE tablename = 'ledger_entries'"
        }
    };
    app.db
        .query_all_raw(Statement::from_string(app.db.get_database_backend(), sql))
        .await
        .unwrap()
        .into_iter()
        .map(|row| {
            (
                row.try_get::<String>("", "idx").unwrap(),
                row.try_get::<String>("", "cols").unwrap(),
            )
        })
        .collect()
}

/// A backdated posting rewrites the derived values of every later entry of its pair. An index
/// holding one of them turns each such update into a new row in every index (PostgreSQL: no
/// HOT update) and moves the entry within the index (SQLite): 13,094 entries took ~800 ms.
async fn no_index_of_the_ledger_holds_a_derived_column(app: TestApp) {
    let mut indexes = indexed_columns(&app).await;
    // SQLite keeps the table itself in the pair's time order (m0018): its key is that index.
    let pair_index = match app.backend {
        Backend::Sqlite => "ledger_entries",
        Backend::Postgres => "ledger_pair_time",
    };
    if app.backend == Backend::Sqlite {
        let definition = ledger_definition(&app).await;
        let key = definition
            .split_once("PRIMARY KEY (")
            .and_then(|(_, rest)| rest.split_once(')'))
            .map(|(columns, _)| columns.to_string())
            .unwrap_or_else(|| panic!("a table keyed by pair: {definition}"));
        indexes.push(("ledger_entries".into(), key));
    }
    assert!(
        indexes.iter().any(|(name, _)| name == pair_index),
        "{indexes:?}"
    );
    for (name, columns) in &indexes {
        for derived in DERIVED {
            assert!(
                !columns.contains(derived),
                "index {name} holds {derived}: {columns}"
            );
        }
    }
}

on_both_backends!(no_index_of_the_ledger_holds_a_derived_column);

/// How SQLite defines the ledger table.
async fn ledger_definition(app: &TestApp) -> String {
    app.db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'ledger_entries'",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "sql")
        .unwrap()
}

/// The ids of a shop's entries, with their balances after, in id order.
async fn entries(app: &TestApp) -> Vec<(i64, i64, Option<i64>)> {
    app.db
        .query_all_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT id, balance_after_micro, paired_entry_id FROM ledger_entries ORDER BY id",
        ))
        .await
        .unwrap()
        .iter()
        .map(|row| {
            (
                row.try_get("", "id").unwrap(),
                row.try_get("", "balance_after_micro").unwrap(),
                row.try_get("", "paired_entry_id").unwrap(),
            )
        })
        .collect()
}

/// SQLite keeps a pair's entries together (m0018: the table in the order of pair, time and id,
/// without a rowid), so a backdated posting rewrites adjacent pages. The migration rebuilds a
/// ledger that holds entries — a transfer's TRANSFER_IN, copied in pair order before the
/// TRANSFER_OUT it names, included — both ways without losing or renumbering one, and new
/// entries take ids past the largest.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_keeps_a_pairs_entries_together_and_ids_continue_past_the_largest() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let definition = ledger_definition(&app).await;
    assert!(
        definition.contains(
            "PRIMARY KEY (ingredient_id, storage_unit_id, occurred_at, id)) WITHOUT ROWID"
        ),
        "{definition}"
    );
    let s = super::shop(&app).await;
    super::receipt(&app, &s, &s.main, "10", "4", "2026-08-05T08:00:00Z").await;
    app.ok(&s.token, "mutation($f: ID!, $t: ID!, $i: ID!) { transferStock(fromStorageUnitId: $f, toStorageUnitId: $t, ingredientId: $i, quantity: \"3\", occurredAt: \"2026-08-06T08:00:00Z\") { id } }", serde_json::json!({"f": s.main, "t": s.bar, "i": s.tomatoes}))
        .await;
    super::receipt(&app, &s, &s.bar, "1", "4", "2026-08-01T08:00:00Z").await;
    let before = entries(&app).await;
    assert_eq!(before.len(), 4, "{before:?}");
    assert!(before.iter().any(|(_, _, paired)| paired.is_some()));

    let migrations = migration::Migrator::migrations();
    let m0018 = migrations
        .iter()
        .position(|m| m.name() == "m0018_ledger_by_pair")
        .unwrap();
    migration::Migrator::down(&app.db, Some((migrations.len() - m0018) as u32))
        .await
        .unwrap();
    assert!(!ledger_definition(&app).await.contains("WITHOUT ROWID"));
    assert_eq!(
        entries(&app).await,
        before,
        "the way back keeps every entry"
    );
    migration::Migrator::up(&app.db, None).await.unwrap();
    assert!(ledger_definition(&app).await.contains("WITHOUT ROWID"));
    assert_eq!(
        entries(&app).await,
        before,
        "the way there keeps every entry"
    );

    let largest = before.iter().map(|(id, _, _)| *id).max().unwrap();
    let next = super::receipt(&app, &s, &s.main, "1", "4", "2026-08-07T08:00:00Z").await;
    let id: i64 = next["id"].as_str().unwrap().parse().unwrap();
    assert_eq!(id, largest + 1);
    let ids: Vec<i64> = entries(&app).await.iter().map(|(id, _, _)| *id).collect();
    assert_eq!(
        ids,
        (1..=ids.len() as i64).collect::<Vec<_>>(),
        "no id skipped"
    );
}

/// The write lane's commits leave the checkpoint to a background task: what they wrote still
/// reaches the database file, without any reader or writer asking for it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_writes_reach_the_database_file_without_a_writer_checkpointing() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let file = app.data_dir.join("larder.sqlite");
    let backend = app.db.get_database_backend();
    app.db
        .execute_unprepared("CREATE TABLE scratch (payload BLOB)")
        .await
        .unwrap();
    let before = std::fs::metadata(&file).unwrap().len();
    // 8 MB: twice the WAL a commit used to checkpoint itself, far under the lane's backstop.
    let txn = service::db::begin_write(&app.db).await.unwrap();
    for _ in 0..8 {
        txn.execute_raw(Statement::from_string(
            backend,
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 250) \
             INSERT INTO scratch SELECT randomblob(4000) FROM n",
        ))
        .await
        .unwrap();
    }
    txn.commit().await.unwrap();
    let started = Instant::now();
    let grown = loop {
        let size = std::fs::metadata(&file).unwrap().len();
        if size >= before + 8_000_000 || started.elapsed() > Duration::from_secs(20) {
            break size - before;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(
        grown >= 8_000_000,
        "the database file grew by {grown} bytes; the WAL was never checkpointed"
    );
}

/// A backdated posting goes in through the bulk insert (on PostgreSQL one bound array per
/// column, parsed by the server): text that looks like the array syntax — quotes,
/// backslashes, braces, commas, the word NULL — comes back exactly as it was posted.
async fn backdated_text(app: TestApp) {
    let s = super::shop(&app).await;
    super::receipt(&app, &s, &s.main, "10", "4", "2026-08-05T08:00:00Z").await;
    let notes = [
        r#"crate "B" \ {left,right}"#,
        "NULL",
        "{}",
        "Größe 1/2, \"fresh\"",
    ];
    for (day, note) in notes.iter().enumerate() {
        app.ok(&s.token, "mutation($in: MovementInput!, $n: String) { postReceipt(input: $in, unitCost: \"2\", note: $n) { id } }", serde_json::json!({"in": {"storageUnitId": s.main, "ingredientId": s.tomatoes, "quantity": "1", "occurredAt": format!("2026-08-0{}T08:00:00Z", day + 1)}, "n": note}))
            .await;
    }
    let read = app
        .ok(&s.token, "query($c: ID!, $f: LedgerFilter) { ledger(companyId: $c, filter: $f, first: 50) { edges { node { note balanceAfter } } } }", serde_json::json!({"c": s.company, "f": {"storageUnitIds": [s.main]}}))
        .await;
    let nodes: Vec<&serde_json::Value> = read["ledger"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"])
        .collect();
    let read_notes: Vec<&str> = nodes.iter().filter_map(|n| n["note"].as_str()).collect();
    for note in notes {
        assert!(
            read_notes.contains(&note),
            "{note:?} not among {read_notes:?}"
        );
    }
    assert!(
        nodes.iter().any(|n| n["note"].is_null()),
        "the first receipt has no note, not the text NULL"
    );
    assert!(
        nodes.iter().any(|n| n["balanceAfter"] == "14"),
        "recomputed: {nodes:?}"
    );
}
on_both_backends!(a_backdated_entry_keeps_its_text_exactly, backdated_text);
