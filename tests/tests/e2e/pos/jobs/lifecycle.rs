//! Cancelling, conflicting, pausing and resuming jobs; untransferred days.

use super::*;

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
