//! `larder backup` while the server keeps posting, and `larder restore` into an empty target:
//! the restored books are a consistent snapshot of the moment the backup was taken, and a
//! backup of a quiet Larder restores to books that answer exactly as the original's.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use entity::ledger_entry;
use sea_orm::{EntityTrait, QueryOrder};
use serde_json::json;
use tests::{TestApp, on_both_backends};

use super::{Target, backup, books, said};

async fn entries(db: &sea_orm::DatabaseConnection) -> Vec<ledger_entry::Model> {
    ledger_entry::Entity::find()
        .order_by_asc(ledger_entry::Column::Id)
        .all(db)
        .await
        .unwrap()
}

async fn a_backup_taken_under_writes_restores_to_a_consistent_ledger(app: TestApp) {
    let k = app.kitchen("keeper@ops.test").await;
    app.ok(
        &k.token,
        "mutation($c: ID!) { createPosIntegration(companyId: $c, provider: CSV, name: \"Till\") { id } }",
        json!({"c": k.company}),
    )
    .await;
    app.ok(&k.token, "mutation($i: ID!, $s: ID!) { postReceipt(input: {ingredientId: $i, storageUnitId: $s, quantity: \"500\"}, unitCost: \"1.25\") { id } }", json!({"i": k.flour, "s": k.unit})).await;

    // Two clients keep posting while the backup runs.
    let app = Arc::new(app);
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..2 {
        let (app, stop, token, flour, unit) = (
            app.clone(),
            stop.clone(),
            k.token.clone(),
            k.flour.clone(),
            k.unit.clone(),
        );
        writers.push(tokio::spawn(async move {
            let mut posted = 0u32;
            while !stop.load(Ordering::Relaxed) {
                let query = if posted % 3 == 2 {
                    "mutation($i: ID!, $s: ID!) { postIssue(input: {ingredientId: $i, storageUnitId: $s, quantity: \"0.5\"}) { id } }"
                } else {
                    "mutation($i: ID!, $s: ID!, $cost: Decimal!) { postReceipt(input: {ingredientId: $i, storageUnitId: $s, quantity: \"2\"}, unitCost: $cost) { id } }"
                };
                let cost = format!("{}.{}", 1 + w, posted % 100);
                app.ok(&token, query, json!({"i": flour, "s": unit, "cost": cost}))
                    .await;
                posted += 1;
            }
            posted
        }));
    }
    tokio::time::sleep(Duration::from_millis(400)).await;
    let scratch = tempfile::tempdir().unwrap();
    let busy = scratch.path().join("busy.tar.gz");
    let output = backup(&app, &busy);
    assert!(
        output.status.success(),
        "backup under writes: {}",
        said(&output)
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    let mut posted = 0;
    for writer in writers {
        posted += writer.await.unwrap();
    }
    assert!(posted > 4, "the clients kept posting ({posted})");
    let original = entries(&app.db).await;

    let target = Target::new(app.backend).await;
    let restored_output = target.restore(&busy);
    assert!(
        restored_output.status.success(),
        "restore: {}",
        said(&restored_output)
    );
    let restored = target.serve().await;
    let snapshot = entries(&restored.db).await;
    // A snapshot of one moment: entries of transactions committed before it, each exactly as
    // the original holds it, whose balances and costs replay from the restored ledger alone.
    assert!(!snapshot.is_empty() && snapshot.len() <= original.len());
    let by_id: std::collections::BTreeMap<i64, &ledger_entry::Model> =
        original.iter().map(|e| (e.id, e)).collect();
    for copy in &snapshot {
        assert_eq!(
            Some(&copy),
            by_id.get(&copy.id),
            "a restored entry differs from the original's"
        );
    }
    tests::books::check_invariants(&restored.db, k.company_id).await;

    // The same server, quiet now: its backup restores to books that answer as the original.
    let quiet = scratch.path().join("quiet.tar.gz");
    let output = backup(&app, &quiet);
    assert!(output.status.success(), "backup: {}", said(&output));
    let target = Target::new(app.backend).await;
    let output = target.restore(&quiet);
    assert!(output.status.success(), "restore: {}", said(&output));
    let copy = target.serve().await;
    assert_eq!(entries(&copy.db).await, original);
    assert_eq!(
        books(&copy, &k.token, &k.company).await,
        books(&app, &k.token, &k.company).await,
        "the restored Larder answers as the original (sessions, webhook secrets and all)"
    );
    // And goes on: a new posting gets a new id after every restored one.
    let next = copy
        .ok(&k.token, "mutation($i: ID!, $s: ID!) { postReceipt(input: {ingredientId: $i, storageUnitId: $s, quantity: \"1\"}, unitCost: \"1\") { id } }", json!({"i": k.flour, "s": k.unit}))
        .await;
    let id: i64 = next["postReceipt"]["id"].as_str().unwrap().parse().unwrap();
    assert!(id > original.last().unwrap().id);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for file in [quiet.clone(), copy.data_dir.join("secret.key")] {
            let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{} is its owner's alone", file.display());
        }
    }
}

on_both_backends!(a_backup_taken_under_writes_restores_to_a_consistent_ledger);
