//! How the ledger is stored: what a backdated posting's rewrite of derived values may touch,
//! and SQLite's WAL copied back into the database file off the writers' path.

use std::time::{Duration, Instant};

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
    let indexes = indexed_columns(&app).await;
    assert!(
        indexes.iter().any(|(name, _)| name == "ledger_pair_time"),
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
