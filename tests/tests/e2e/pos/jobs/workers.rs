//! Worker processes: a killed worker resumes, two workers share one queue.

use super::*;

/// A `larder worker` process on the test's database.
fn start_worker(app: &TestApp, name: &str) -> Child {
    Command::new(larder_binary())
        .arg("worker")
        .env(
            "DATABASE_URL",
            app.database_url.as_deref().expect("PostgreSQL"),
        )
        .env("LARDER_DATA_DIR", app.data_dir.join(name))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("larder worker starts")
}

/// Sales on 85 days, 200 cappuccino lines a day: a migration of 34,000 ledger entries.
fn busy_quarter() -> Vec<u8> {
    let mut rows = Vec::new();
    for day in 2..=86 {
        for k in 0..200 {
            rows.push((
                "CAP",
                "Cappuccino",
                "1",
                "3.5",
                days_ago(day),
                if k % 2 == 0 { "09:00" } else { "15:30" },
            ));
        }
    }
    sales_csv(&rows)
}

/// Each (sale line, ingredient) has one ISSUE, and the totals are those of one clean run.
async fn assert_migrated_once(app: &TestApp, s: &tests::pos::CsvSetup) {
    use sea_orm::{ConnectionTrait, Statement};
    let dup = app.db.query_one_raw(Statement::from_string(app.db.get_database_backend(),
        "SELECT COUNT(*) AS n FROM (SELECT source_id, ingredient_id FROM ledger_entries WHERE source_kind = 'POS_SALE' GROUP BY source_id, ingredient_id HAVING COUNT(*) > 1) d")).await.unwrap().unwrap();
    assert_eq!(
        dup.try_get::<i64>("", "n").unwrap(),
        0,
        "no sale line posted twice"
    );
    // 85 days × 200 cappuccinos × 0.018 KG = 306 KG beans; × 0.15 L = 2,550 L milk.
    assert_eq!(
        app.stock(&s.token, &s.company, &s.kitchen, &s.beans).await,
        "-306"
    );
    assert_eq!(
        app.stock(&s.token, &s.company, &s.kitchen, &s.milk).await,
        "-2550"
    );
}

async fn prepared(app: &TestApp, email: &str) -> tests::pos::CsvSetup {
    let s = app.csv_setup(email).await;
    app.ok(&s.token, "mutation($i: ID!, $r: ID!) { mapPosItem(integrationId: $i, externalId: \"CAP\", recipeId: $r, quantityFactor: \"1\") { externalId } }", json!({"i": s.integration, "r": s.cappuccino})).await;
    let up = app
        .upload_csv(
            &s.token,
            &s.integration,
            &s.location,
            "quarter.csv",
            busy_quarter(),
            false,
        )
        .await;
    let job = app
        .wait_job(&s.token, up["data"]["uploadPosCsv"]["id"].as_str().unwrap())
        .await;
    assert_eq!(job["state"], "SUCCEEDED", "{job:#}");
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_worker_resumes_and_posts_exactly_once_postgres() {
    let app = TestApp::spawn_with(Backend::Postgres, |s| s.no_workers = true).await;
    let mut worker = start_worker(&app, "w1");
    let s = prepared(&app, "crash@example.com").await;
    let job = app
        .ok(
            &s.token,
            "mutation($l: ID!) { activateLocation(locationId: $l) { id } }",
            json!({"l": s.location}),
        )
        .await;
    let id = job["activateLocation"]["id"].as_str().unwrap().to_string();
    // Kill the worker with SIGKILL in the middle of the migration.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let r = app
            .ok(
                &s.token,
                "query($j: ID!) { job(id: $j) { state progressDone } }",
                json!({"j": id}),
            )
            .await;
        let done = r["job"]["progressDone"].as_i64().unwrap();
        if r["job"]["state"] == "RUNNING" && done >= 10 {
            assert!(
                done < 90,
                "the migration ended before the kill: slow the test data down"
            );
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the migration never got going: {r}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    worker.kill().expect("SIGKILL");
    worker.wait().unwrap();
    let r = app
        .ok(
            &s.token,
            "query($j: ID!) { job(id: $j) { state progressDone } }",
            json!({"j": id}),
        )
        .await;
    assert_eq!(
        r["job"]["state"], "RUNNING",
        "left running by the dead worker"
    );
    let mut second = start_worker(&app, "w2");
    let job = app.wait_job(&s.token, &id).await;
    second.kill().ok();
    second.wait().ok();
    assert_eq!(job["state"], "SUCCEEDED", "{job:#}");
    assert_eq!(job["progressDone"], 90);
    assert!(job["attempts"].as_i64().unwrap() >= 2, "{job:#}");
    assert_migrated_once(&app, &s).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_share_the_queue_without_duplicates_postgres() {
    let app = TestApp::spawn_with(Backend::Postgres, |s| s.no_workers = true).await;
    let mut workers = [start_worker(&app, "a"), start_worker(&app, "b")];
    let s = prepared(&app, "pair@example.com").await;
    let job = app.activate(&s.token, &s.location).await;
    assert_eq!(job["state"], "SUCCEEDED", "{job:#}");
    assert_eq!(job["attempts"], 1, "one worker took it");
    // A rerun on the other worker (or the same) posts nothing new.
    let rerun = app
        .ok(
            &s.token,
            "mutation($l: ID!) { rerunMigration(locationId: $l) { id } }",
            json!({"l": s.location}),
        )
        .await;
    app.wait_job(&s.token, rerun["rerunMigration"]["id"].as_str().unwrap())
        .await;
    for w in &mut workers {
        w.kill().ok();
        w.wait().ok();
    }
    assert_migrated_once(&app, &s).await;
}
