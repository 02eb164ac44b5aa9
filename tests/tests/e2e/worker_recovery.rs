//! Job workers never die silently (issue 11): a worker whose database was locked from outside
//! past its busy timeout (SQLite) or whose connections were cut (PostgreSQL) is started again,
//! and a job queued afterwards runs to SUCCEEDED. `/health` lists the workers' beats and
//! `/health/ready` answers 200 once one has beaten recently.

use std::time::Duration;

use sea_orm::ConnectionTrait;
use serde_json::Value;
use tests::pos::{days_ago, sales_csv};
use tests::{Backend, TestApp, on_both_backends};

async fn ready_status(app: &TestApp) -> (u16, Value) {
    let response = app
        .client
        .get(format!("{}/health/ready", app.address))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

async fn eventually_ready(app: &TestApp) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let (status, body) = ready_status(app).await;
        if status == 200 {
            return body;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "never ready: {status} {body}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Takes the database from the server's workers: on SQLite the write lock, held from another
/// connection longer than the busy timeout (10 s); on PostgreSQL every other connection,
/// terminated.
async fn take_the_database_away(app: &TestApp) {
    let outside = sea_orm::Database::connect(app.connection_url())
        .await
        .unwrap();
    match app.backend {
        Backend::Sqlite => {
            outside.execute_unprepared("BEGIN IMMEDIATE").await.unwrap();
            tokio::time::sleep(Duration::from_secs(13)).await;
            outside.execute_unprepared("ROLLBACK").await.unwrap();
        }
        Backend::Postgres => {
            outside
                .execute_unprepared(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                     WHERE datname = current_database() AND pid <> pg_backend_pid()",
                )
                .await
                .unwrap();
        }
    }
    outside.close().await.unwrap();
}

async fn a_worker_comes_back_after_its_database_was_away(app: TestApp) {
    let s = app.csv_setup("recovery@example.com").await;
    let health = eventually_ready(&app).await;
    assert_eq!(health["jobs"]["status"], "ok", "{health}");
    assert!(
        !health["jobs"]["workers"].as_array().unwrap().is_empty(),
        "{health}"
    );

    take_the_database_away(&app).await;

    // A job queued now runs: its worker was started again.
    let file = sales_csv(&[("ESP", "Espresso", "1", "2.50", days_ago(2), "10:00")]);
    let up = app
        .upload_csv(
            &s.token,
            &s.integration,
            &s.location,
            "after.csv",
            file,
            false,
        )
        .await;
    let job = up["data"]["uploadPosCsv"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{up}"))
        .to_string();
    let done = app.wait_job(&s.token, &job).await;
    assert_eq!(done["state"], "SUCCEEDED", "{done:#}");
    eventually_ready(&app).await;
}
on_both_backends!(a_worker_comes_back_after_its_database_was_away);
