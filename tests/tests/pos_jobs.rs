//! Jobs around the pipeline: webhooks, progress over subscriptions, cancelling, pausing and the
//! automatic transfer, and workers in other processes (crash recovery, two workers at once).

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tests::pos::{days_ago, sales_csv, send_webhook};
use tests::{Backend, TestApp, error_code, larder_binary, on_both_backends};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

async fn secret(app: &TestApp, token: &str, integration: &str) -> String {
    let r = app
        .ok(
            token,
            "query($i: ID!) { webhookSecret(integrationId: $i) }",
            json!({"i": integration}),
        )
        .await;
    r["webhookSecret"].as_str().unwrap().to_string()
}

async fn job_count(app: &TestApp, token: &str, company: &str) -> usize {
    let r = app
        .ok(
            token,
            "query($c: ID!) { jobs(companyId: $c, first: 500) { id } }",
            json!({"c": company}),
        )
        .await;
    r["jobs"].as_array().unwrap().len()
}

async fn webhooks(app: TestApp) {
    let s = app.csv_setup("hooks@example.com").await;
    app.activate(&s.token, &s.location).await;
    let secret = secret(&app, &s.token, &s.integration).await;
    assert!(secret.len() >= 32, "at least 24 random bytes");
    let now = chrono::Utc::now().timestamp();
    let event = json!({"eventId": "evt-1", "locationExternalId": "main-street", "businessDate": days_ago(2)});
    let before = job_count(&app, &s.token, &s.company).await;

    // Wrong signature, stale timestamp: refused, nothing queued.
    let (status, body) = send_webhook(&app, &s.integration, "whsec_wrong", now, &event).await;
    assert_eq!(status, 401, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("signature")
    );
    let (status, body) = send_webhook(&app, &s.integration, &secret, now - 600, &event).await;
    assert_eq!(status, 400);
    assert!(
        body["error"]["message"].as_str().unwrap().contains("stale"),
        "{body}"
    );
    assert_eq!(job_count(&app, &s.token, &s.company).await, before);

    // A valid event queues the day's transfer; the same event id again is a replay.
    let (status, body) = send_webhook(&app, &s.integration, &secret, now, &event).await;
    assert_eq!(status, 202, "{body}");
    let job = app
        .wait_job(&s.token, body["jobId"].as_str().unwrap())
        .await;
    assert_eq!(job["kind"], "AUTOMATIC_TRANSFER");
    assert_eq!(job["state"], "SUCCEEDED");
    let (status, body) = send_webhook(&app, &s.integration, &secret, now, &event).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(job_count(&app, &s.token, &s.company).await, before + 1);

    // After a rotation the old secret keeps working for a while, and the new one works.
    let rotated = app
        .ok(
            &s.token,
            "mutation($i: ID!) { rotateWebhookSecret(integrationId: $i) }",
            json!({"i": s.integration}),
        )
        .await;
    let new_secret = rotated["rotateWebhookSecret"].as_str().unwrap().to_string();
    assert_ne!(new_secret, secret);
    for (id, key) in [("evt-2", &secret), ("evt-3", &new_secret)] {
        let e = json!({"eventId": id, "locationExternalId": "main-street", "businessDate": days_ago(3)});
        let (status, body) = send_webhook(&app, &s.integration, key, now, &e).await;
        assert_eq!(status, 202, "{body}");
        app.wait_job(&s.token, body["jobId"].as_str().unwrap())
            .await;
    }
    // An unknown location or a day not closed yet is refused with why.
    let e =
        json!({"eventId": "evt-4", "locationExternalId": "nowhere", "businessDate": days_ago(2)});
    assert_eq!(
        send_webhook(&app, &s.integration, &new_secret, now, &e)
            .await
            .0,
        404
    );
    let e = json!({"eventId": "evt-5", "locationExternalId": "main-street", "businessDate": days_ago(-1)});
    assert_eq!(
        send_webhook(&app, &s.integration, &new_secret, now, &e)
            .await
            .0,
        400
    );
}
on_both_backends!(webhook_signature_staleness_and_replay, webhooks);

async fn next_json(
    socket: &mut (impl StreamExt<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin),
) -> Value {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(30), socket.next())
            .await
            .expect("a message within 30 s")
            .expect("socket open")
            .expect("a frame");
        if let Message::Text(text) = msg {
            return serde_json::from_str(&text).unwrap();
        }
    }
}

async fn subscription(app: TestApp) {
    let s = app.csv_setup("live@example.com").await;
    let url = format!("{}/graphql/ws", app.address.replace("http://", "ws://"));
    let mut request = url.into_client_request().unwrap();
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    socket.send(Message::Text(json!({"type": "connection_init", "payload": {"authorization": format!("Bearer {}", s.token)}}).to_string().into())).await.unwrap();
    assert_eq!(next_json(&mut socket).await["type"], "connection_ack");
    socket.send(Message::Text(json!({"id": "jobs", "type": "subscribe", "payload": {"query": "subscription($c: ID!) { companyJobs(companyId: $c) { id kind state progressDone progressTotal } }", "variables": {"c": s.company}}}).to_string().into())).await.unwrap();
    // Give the subscription a moment to be registered before the job starts.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let job = app
        .ok(
            &s.token,
            "mutation($l: ID!) { activateLocation(locationId: $l) { id } }",
            json!({"l": s.location}),
        )
        .await;
    let job_id = job["activateLocation"]["id"].as_str().unwrap().to_string();
    let mut seen = Vec::new();
    loop {
        let msg = next_json(&mut socket).await;
        assert_eq!(msg["type"], "next", "{msg}");
        let run = msg["payload"]["data"]["companyJobs"].clone();
        assert_eq!(run["id"], job_id);
        seen.push((
            run["state"].as_str().unwrap().to_string(),
            run["progressDone"].as_i64().unwrap(),
        ));
        if run["state"] == "SUCCEEDED" {
            assert_eq!(run["progressDone"], 90);
            break;
        }
    }
    assert!(
        seen.iter()
            .any(|(state, done)| state == "RUNNING" && *done > 0 && *done < 90),
        "progress was pushed as it happened: {seen:?}"
    );

    // jobProgress on a finished job sends its final state and completes.
    socket.send(Message::Text(json!({"id": "one", "type": "subscribe", "payload": {"query": "subscription($j: ID!) { jobProgress(jobId: $j) { state progressDone } }", "variables": {"j": job_id}}}).to_string().into())).await.unwrap();
    let mut got_complete = false;
    // The companyJobs subscription stays open beside it and may still push (late duplicates of
    // the progress notifications); only "one"'s messages matter here.
    for _ in 0..100 {
        let msg = next_json(&mut socket).await;
        if msg["id"] == "one" && msg["type"] == "next" {
            assert_eq!(msg["payload"]["data"]["jobProgress"]["state"], "SUCCEEDED");
        }
        if msg["id"] == "one" && msg["type"] == "complete" {
            got_complete = true;
            break;
        }
    }
    assert!(got_complete);
    // Another company's job cannot be watched.
    let (other, _) = app.sign_up("peek@example.com").await;
    let r = app
        .gql(
            Some(&other),
            "query($j: ID!) { job(id: $j) { id } }",
            json!({"j": job_id}),
        )
        .await;
    assert_eq!(r["data"]["job"], Value::Null);
}
on_both_backends!(subscription_pushes_progress, subscription);

async fn cancel_and_conflict(backend: Backend) {
    // The API alone: runs stay QUEUED, so cancelling and conflicts are seen deterministically.
    let app = TestApp::spawn_with(backend, |s| s.no_workers = true).await;
    let s = app.csv_setup("queue@example.com").await;
    let job = app
        .ok(
            &s.token,
            "mutation($l: ID!) { activateLocation(locationId: $l) { id state } }",
            json!({"l": s.location}),
        )
        .await;
    assert_eq!(job["activateLocation"]["state"], "QUEUED");
    let id = job["activateLocation"]["id"].as_str().unwrap();
    let again = app.gql(Some(&s.token), "mutation($l: ID!, $d: NaiveDate!) { startManualTransfer(locationId: $l, businessDate: $d) { id } }", json!({"l": s.location, "d": days_ago(2)})).await;
    assert_eq!(error_code(&again), "CONFLICT");
    assert!(
        again["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("already queued"),
        "{again}"
    );
    let cancelled = app
        .ok(
            &s.token,
            "mutation($j: ID!) { cancelJob(id: $j) { state finishedAt } }",
            json!({"j": id}),
        )
        .await;
    assert_eq!(cancelled["cancelJob"]["state"], "CANCELLED");
    let twice = app
        .gql(
            Some(&s.token),
            "mutation($j: ID!) { cancelJob(id: $j) { state } }",
            json!({"j": id}),
        )
        .await;
    assert_eq!(error_code(&twice), "CONFLICT");
    // Once cancelled, the location is free again; a future day is refused.
    let future = app.gql(Some(&s.token), "mutation($l: ID!, $d: NaiveDate!) { startManualTransfer(locationId: $l, businessDate: $d) { id } }", json!({"l": s.location, "d": days_ago(-2)})).await;
    assert_eq!(error_code(&future), "VALIDATION");
    let manual = app.ok(&s.token, "mutation($l: ID!, $d: NaiveDate!) { startManualTransfer(locationId: $l, businessDate: $d) { state } }", json!({"l": s.location, "d": days_ago(2)})).await;
    assert_eq!(manual["startManualTransfer"]["state"], "QUEUED");

    // Activation rules: an unlinked location says so.
    let loc = app.ok(&s.token, "mutation($i: ID!) { createPosLocation(integrationId: $i, externalId: \"pier\", name: \"Pier\") { id } }", json!({"i": s.integration})).await;
    let r = app
        .gql(
            Some(&s.token),
            "mutation($l: ID!) { activateLocation(locationId: $l) { id } }",
            json!({"l": loc["createPosLocation"]["id"]}),
        )
        .await;
    assert_eq!(tests::error_field(&r), "storageUnitId");
    // A storage unit of another company cannot be linked.
    let (other, other_company) = app.sign_up("other@example.com").await;
    let foreign = app
        .ok(
            &other,
            "mutation($c: ID!) { createStorageUnit(companyId: $c, name: \"Theirs\") { id } }",
            json!({"c": other_company}),
        )
        .await;
    let r = app.gql(Some(&s.token), "mutation($l: ID!, $s: ID!) { linkStorageUnit(locationId: $l, storageUnitId: $s) { id } }", json!({"l": loc["createPosLocation"]["id"], "s": foreign["createStorageUnit"]["id"]})).await;
    assert_eq!(error_code(&r), "NOT_FOUND");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_and_conflict_sqlite() {
    cancel_and_conflict(Backend::Sqlite).await
}
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_and_conflict_postgres() {
    cancel_and_conflict(Backend::Postgres).await
}

async fn pause_resume(backend: Backend) {
    // The scheduler looks every second here (every five minutes by default).
    let app = TestApp::spawn_with(backend, |s| s.transfer_schedule = "* * * * * *".into()).await;
    let s = app.csv_setup("pause@example.com").await;
    app.ok(&s.token, "mutation($i: ID!, $b: ID!) { mapPosItem(integrationId: $i, externalId: \"ESP\", ingredientId: $b, quantityFactor: \"0.01\") { externalId } }", json!({"i": s.integration, "b": s.beans})).await;
    app.ok(
        &s.token,
        "mutation($i: ID!) { pauseAutomaticTransfer(integrationId: $i) { automaticTransfer } }",
        json!({"i": s.integration}),
    )
    .await;
    let file = sales_csv(&[
        ("ESP", "Espresso", "10", "25", days_ago(2), "10:00"),
        ("ESP", "Espresso", "20", "50", days_ago(3), "10:00"),
    ]);
    let up = app
        .upload_csv(
            &s.token,
            &s.integration,
            &s.location,
            "late.csv",
            file,
            false,
        )
        .await;
    app.wait_job(&s.token, up["data"]["uploadPosCsv"]["id"].as_str().unwrap())
        .await;
    app.activate(&s.token, &s.location).await;
    // As if the location had been activated five days ago and time had passed while paused:
    // its migration ended five days back, the days since were never transferred.
    use sea_orm::ConnectionTrait;
    let five_days_ago = chrono::Utc::now() - chrono::Duration::days(5);
    let cutoff = days_ago(5);
    let at = match backend {
        Backend::Sqlite => five_days_ago
            .format("%Y-%m-%d %H:%M:%S%.f+00:00")
            .to_string(),
        Backend::Postgres => five_days_ago.to_rfc3339(),
    };
    app.db
        .execute_unprepared(&format!(
            "UPDATE pos_locations SET activated_at = '{at}' WHERE id = {}",
            s.location
        ))
        .await
        .unwrap();
    app.db
        .execute_unprepared(&format!(
            "DELETE FROM pos_day_transfers WHERE location_id = {} AND business_date > '{cutoff}'",
            s.location
        ))
        .await
        .unwrap();
    let q = "query($i: ID!) { posIntegration(id: $i) { automaticTransfer untransferredDays { businessDate } } }";
    // Paused: days since activation are listed, and the scheduler leaves them alone.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let r = app.ok(&s.token, q, json!({"i": s.integration})).await;
    assert_eq!(r["posIntegration"]["automaticTransfer"], "PAUSED");
    let missed = r["posIntegration"]["untransferredDays"]
        .as_array()
        .unwrap()
        .len();
    // Every closed business day after the cutoff.
    let expected = (tests::pos::last_closed_day() - cutoff).num_days() as usize;
    assert!(expected >= 3, "{expected}");
    assert_eq!(missed, expected, "{r:#}");

    // Resume: the scheduler transfers the last closed day (and the one before) by itself…
    app.ok(
        &s.token,
        "mutation($i: ID!) { resumeAutomaticTransfer(integrationId: $i) { automaticTransfer } }",
        json!({"i": s.integration}),
    )
    .await;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let jobs = app
            .ok(
                &s.token,
                "query($c: ID!) { jobs(companyId: $c) { kind state } }",
                json!({"c": s.company}),
            )
            .await;
        if jobs["jobs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|j| j["kind"] == "AUTOMATIC_TRANSFER" && j["state"] == "SUCCEEDED")
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no automatic transfer ran: {jobs:#}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let r = app.ok(&s.token, q, json!({"i": s.integration})).await;
    let left = r["posIntegration"]["untransferredDays"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(left, missed - 2, "{r:#}");
    // …and one action transfers the rest.
    let jobs = app
        .ok(
            &s.token,
            "mutation($i: ID!) { transferUntransferredDays(integrationId: $i) { id } }",
            json!({"i": s.integration}),
        )
        .await;
    for job in jobs["transferUntransferredDays"].as_array().unwrap() {
        app.wait_job(&s.token, job["id"].as_str().unwrap()).await;
    }
    let r = app.ok(&s.token, q, json!({"i": s.integration})).await;
    assert_eq!(r["posIntegration"]["untransferredDays"], json!([]));
    // Both uploaded days are in the ledger once: 30 × 0.01 KG.
    assert_eq!(
        app.stock(&s.token, &s.company, &s.kitchen, &s.beans).await,
        "-0.3"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pause_resume_and_untransferred_days_sqlite() {
    pause_resume(Backend::Sqlite).await
}
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pause_resume_and_untransferred_days_postgres() {
    pause_resume(Backend::Postgres).await
}

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

/// Every POS query and mutation given another company's ids answers NOT_FOUND (or nothing, for
/// `job`) and changes nothing.
async fn pos_isolation(app: TestApp) {
    let victim = app.csv_setup("victim@example.com").await;
    let job = app.activate(&victim.token, &victim.location).await;
    let job_id = job["id"].as_str().unwrap().to_string();
    let intruder = app.csv_setup("intruder@example.com").await;
    let snapshot = "query($c: ID!, $i: ID!) { posIntegrations(companyId: $c) { name automaticTransfer csvConfig { codeColumn } locations { name active storageUnit { id } } } posItems(integrationId: $i) { externalId mapping { quantityFactor } } jobs(companyId: $c) { id state } }";
    let before = app
        .ok(
            &victim.token,
            snapshot,
            json!({"c": victim.company, "i": victim.integration}),
        )
        .await;
    let v = json!({
        "c": victim.company, "i": victim.integration, "l": victim.location, "j": job_id,
        "s": victim.kitchen, "g": victim.beans, "r": victim.cappuccino,
        "ownI": intruder.integration, "ownL": intruder.location, "ownS": intruder.kitchen,
    });
    let config = tests::pos::CSV_CONFIG;
    let calls = [
        "query($c: ID!) { posIntegrations(companyId: $c) { id } }".to_string(),
        "query($i: ID!) { posIntegration(id: $i) { id } }".into(),
        "query($l: ID!) { posLocation(id: $l) { id } }".into(),
        "query($i: ID!) { posItems(integrationId: $i) { externalId } }".into(),
        "query($i: ID!) { unmappedItems(integrationId: $i) { externalId } }".into(),
        "query($i: ID!) { mappingHealth(integrationId: $i) { items } }".into(),
        "query($c: ID!) { jobs(companyId: $c) { id } }".into(),
        "query($i: ID!) { webhookSecret(integrationId: $i) }".into(),
        format!("query($i: ID!) {{ previewCsv(integrationId: $i, config: {config}, sampleBase64: \"\") {{ header }} }}"),
        "mutation($c: ID!) { createPosIntegration(companyId: $c, provider: CSV, name: \"x\") { id } }".into(),
        format!("mutation($i: ID!) {{ configureCsvImport(integrationId: $i, config: {config}) {{ id }} }}"),
        "mutation($i: ID!) { createPosLocation(integrationId: $i, externalId: \"x\", name: \"x\") { id } }".into(),
        "mutation($l: ID!, $ownS: ID!) { linkStorageUnit(locationId: $l, storageUnitId: $ownS) { id } }".into(),
        "mutation($ownL: ID!, $s: ID!) { linkStorageUnit(locationId: $ownL, storageUnitId: $s) { id } }".into(),
        "mutation($l: ID!) { activateLocation(locationId: $l) { id } }".into(),
        "mutation($l: ID!) { deactivateLocation(locationId: $l) { id } }".into(),
        "mutation($l: ID!) { rerunMigration(locationId: $l) { id } }".into(),
        "mutation($l: ID!) { startManualTransfer(locationId: $l, businessDate: \"2026-01-01\") { id } }".into(),
        "mutation($i: ID!) { mapPosItem(integrationId: $i, externalId: \"X\", quantityFactor: \"1\", ignore: true) { externalId } }".into(),
        "mutation($ownI: ID!, $g: ID!) { mapPosItem(integrationId: $ownI, externalId: \"X\", ingredientId: $g, quantityFactor: \"1\") { externalId } }".into(),
        "mutation($ownI: ID!, $r: ID!) { mapPosItems(integrationId: $ownI, externalIds: [\"X\"], recipeId: $r, quantityFactor: \"1\") }".into(),
        "mutation($i: ID!) { unmapPosItem(integrationId: $i, externalId: \"X\") { externalId } }".into(),
        "mutation($i: ID!) { transferUntransferredDays(integrationId: $i) { id } }".into(),
        "mutation($i: ID!) { pauseAutomaticTransfer(integrationId: $i) { id } }".into(),
        "mutation($i: ID!) { resumeAutomaticTransfer(integrationId: $i) { id } }".into(),
        "mutation($j: ID!) { cancelJob(id: $j) { id } }".into(),
        "mutation($i: ID!) { rotateWebhookSecret(integrationId: $i) }".into(),
        "mutation($c: ID!) { createPosIntegration(companyId: $c, provider: SIDES, name: \"x\", sidesLogin: {username: \"u\", password: \"p\"}) { id } }".into(),
        "mutation($i: ID!) { connectSides(integrationId: $i, username: \"u\", password: \"p\") { id } }".into(),
        "mutation($i: ID!) { testPosConnection(integrationId: $i) }".into(),
        "mutation($i: ID!) { lightspeedAuthorizeUrl(integrationId: $i) }".into(),
        "mutation($i: ID!) { syncLocations(integrationId: $i) { id } }".into(),
        "mutation($i: ID!) { syncItems(integrationId: $i) { id } }".into(),
    ];
    for call in &calls {
        // Only the variables the operation declares.
        let vars: serde_json::Map<String, Value> = v
            .as_object()
            .unwrap()
            .iter()
            .filter(|(k, _)| call.contains(&format!("${k}:")))
            .map(|(k, val)| (k.clone(), val.clone()))
            .collect();
        let r = app
            .gql(Some(&intruder.token), call, Value::Object(vars))
            .await;
        assert_eq!(error_code(&r), "NOT_FOUND", "{call}: {r}");
    }
    let r = app
        .gql(
            Some(&intruder.token),
            "query($j: ID!) { job(id: $j) { id } }",
            json!({"j": job_id}),
        )
        .await;
    assert_eq!(r["data"]["job"], Value::Null);
    let up = app
        .upload_csv(
            &intruder.token,
            &victim.integration,
            &victim.location,
            "x.csv",
            b"a".to_vec(),
            false,
        )
        .await;
    assert_eq!(error_code(&up), "NOT_FOUND");
    let up = app
        .upload_csv(
            &intruder.token,
            &intruder.integration,
            &victim.location,
            "x.csv",
            b"a".to_vec(),
            false,
        )
        .await;
    assert_eq!(error_code(&up), "NOT_FOUND");
    let after = app
        .ok(
            &victim.token,
            snapshot,
            json!({"c": victim.company, "i": victim.integration}),
        )
        .await;
    assert_eq!(before, after, "the victim's POS setup is unchanged");
}
on_both_backends!(foreign_pos_ids_are_not_found, pos_isolation);
