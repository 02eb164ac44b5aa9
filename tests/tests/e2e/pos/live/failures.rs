//! Injected POS faults: 500s, 429s, garbage and timeouts from Lightspeed and Sides.

use super::*;

async fn faults(app: TestApp, sim: Simulator) {
    let (s, integration, location) = lightspeed_ready(&app, "faults@example.com").await;
    let days = migration_days();
    let state = sim.state();

    // A migration that fails part-way leaves whole days: each logged day has all its entries,
    // the others none — and a rerun finishes with the same ledger as an uninterrupted run.
    state.inject_after(Fault::ServerError, "/sales-daily", 30, 3 * 4);
    let job = app.activate(&s.token, &location).await;
    assert_eq!(job["state"], "FAILED", "{job:#}");
    let logged = {
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        entity::sales_import::Entity::find()
            .filter(
                entity::sales_import::Column::JobRunId.eq(job["id"]
                    .as_str()
                    .unwrap()
                    .parse::<i64>()
                    .unwrap()),
            )
            .count(&app.db)
            .await
            .unwrap()
    };
    assert!(
        (20..=30).contains(&logged),
        "failed part-way, after whole days: {logged}"
    );
    // The failed job dropped its other prefetches, so some injected faults may be left unused.
    state.clear_faults();
    let rerun = app
        .ok(
            &s.token,
            "mutation($l: ID!) { rerunMigration(locationId: $l) { id } }",
            json!({"l": location}),
        )
        .await;
    let job = app
        .wait_job(&s.token, rerun["rerunMigration"]["id"].as_str().unwrap())
        .await;
    assert_eq!(job["state"], "SUCCEEDED", "{job:#}");
    let menu = tests::sim::Menu::new();
    let expected = expected_usage(&sim, LOCATION, &days, &uses(&menu));
    assert_stock(&app, &s, &expected).await;

    // Passing failures are retried: two 500s, then an answer.
    state.inject(Fault::ServerError, "/sales-daily", 2);
    let job = manual_transfer(&app, &s, &location, days[1]).await;
    assert_eq!(job["state"], "SUCCEEDED", "{job:#}");
    // 429 with Retry-After is waited out.
    state.inject(Fault::TooManyRequests { retry_after: 1 }, "/sales-daily", 1);
    let before = state.requests_to("/sales-daily");
    let job = manual_transfer(&app, &s, &location, days[2]).await;
    assert_eq!(job["state"], "SUCCEEDED", "{job:#}");
    assert_eq!(state.requests_to("/sales-daily") - before, 2);

    // Failures that outlast the retries, and garbage: FAILED with the POS's story, nothing posted.
    // (Margherita is newly mapped, so a transfer that got through would post.)
    let margherita = menu.by_name("Margherita").sku();
    app.map_item(
        &s.token,
        &integration,
        &margherita,
        json!({"g": s.bread, "f": "1"}),
    )
    .await;
    let cases: Vec<(Fault, u32, &str)> = vec![
        (
            Fault::ServerError,
            10,
            "answered 500 Internal Server Error: Internal Server Error (gave up after 3 tries)",
        ),
        (
            Fault::TooManyRequests { retry_after: 600 },
            10,
            "is limiting requests (429, retry after 600 s)",
        ),
        (
            Fault::Slow { millis: 2500 },
            10,
            "did not answer in time (gave up after 3 tries)",
        ),
        (Fault::Malformed, 1, "answered with data Larder cannot read"),
    ];
    for (k, (fault, count, why)) in cases.into_iter().enumerate() {
        let day = days[30 + k];
        state.clear_faults();
        state.inject(fault, "/sales-daily", count);
        let entries = issue_count(&app).await;
        let logs = day_logs(&app, &location, day).await;
        let job = manual_transfer(&app, &s, &location, day).await;
        assert_eq!(job["state"], "FAILED", "{job:#}");
        let error = job["error"].as_str().unwrap();
        assert!(error.starts_with("Lightspeed "), "{error}");
        assert!(error.contains(why), "{error} ≠ {why}");
        assert_eq!(issue_count(&app).await, entries, "{why}: nothing posted");
        assert_eq!(
            day_logs(&app, &location, day).await,
            logs,
            "{why}: no transfer log"
        );
    }
    state.clear_faults();

    // A day the POS has not completed is not posted, and the job says so.
    state.set_incomplete(LOCATION, days[40], true);
    let entries = issue_count(&app).await;
    let logs = day_logs(&app, &location, days[40]).await;
    let job = manual_transfer(&app, &s, &location, days[40]).await;
    assert_eq!(job["state"], "SUCCEEDED");
    assert!(
        job["message"]
            .as_str()
            .unwrap()
            .contains("not complete in the POS yet"),
        "{job:#}"
    );
    assert_eq!(issue_count(&app).await, entries);
    assert_eq!(day_logs(&app, &location, days[40]).await, logs);
    state.set_incomplete(LOCATION, days[40], false);
    // Nothing the failures touched moved stock: only the first mappings' usage is there.
    assert_stock(&app, &s, &expected).await;
}

on_both_backends_with_sim!(lightspeed_failures_post_nothing_and_say_why, faults);

/// Sides: a wrong-password session (Sides changed it) fails the job clearly; a Sides outage
/// fails testPosConnection with the reason.
async fn sides_faults(app: TestApp, sim: Simulator) {
    let s = app.csv_setup("sides-faults@example.com").await;
    let created = app
        .ok(&s.token, "mutation($c: ID!) { createPosIntegration(companyId: $c, provider: SIDES, name: \"Sides\") { id connectionState } }", json!({"c": s.company}))
        .await;
    let integration = created["createPosIntegration"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        created["createPosIntegration"]["connectionState"],
        "NOT_CONNECTED"
    );
    app.ok(&s.token, "mutation($i: ID!) { connectSides(integrationId: $i, username: \"demo\", password: \"sides-demo\") { connectionState } }", json!({"i": integration})).await;
    sim.state().inject(Fault::ServerError, "/sides/", 10);
    let down = app
        .gql(
            Some(&s.token),
            "mutation($i: ID!) { testPosConnection(integrationId: $i) }",
            json!({"i": integration}),
        )
        .await;
    assert_eq!(error_code(&down), "POS_UNAVAILABLE", "{down:#}");
    assert!(
        down["errors"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("Sides answered 500"),
        "{down:#}"
    );
    sim.state().clear_faults();
    sim.state().inject(Fault::Malformed, "/sides/stores", 1);
    let r = app
        .ok(
            &s.token,
            "mutation($i: ID!) { syncLocations(integrationId: $i) { id } }",
            json!({"i": integration}),
        )
        .await;
    let job = app
        .wait_job(&s.token, r["syncLocations"]["id"].as_str().unwrap())
        .await;
    assert_eq!(job["state"], "FAILED");
    assert!(
        job["error"].as_str().unwrap().contains("cannot read"),
        "{job:#}"
    );
    assert!(
        app.pos_locations(&s.token, &integration).await.is_empty(),
        "nothing half-synced"
    );

    // A store Sides stops listing keeps its setup but is marked, cannot be activated, and no
    // longer fails the products sync (its products endpoint answers 404); listed again, it is
    // back.
    sim.state().clear_faults();
    app.sync(&s.token, &integration, "syncLocations").await;
    let delivery = app.pos_locations(&s.token, &integration).await["Delivery Kitchen"].clone();
    app.ok(
        &s.token,
        "mutation($l: ID!, $s: ID!) { linkStorageUnit(locationId: $l, storageUnitId: $s) { id } }",
        json!({"l": delivery, "s": s.kitchen}),
    )
    .await;
    sim.state().set_listed("102", false);
    let job = app.sync(&s.token, &integration, "syncLocations").await;
    assert!(
        job["message"]
            .as_str()
            .unwrap()
            .ends_with("no longer listed by the POS: Delivery Kitchen"),
        "{job:#}"
    );
    let listed = |r: Value| -> BTreeMap<String, bool> {
        r["posIntegration"]["locations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                (
                    l["name"].as_str().unwrap().to_string(),
                    l["listedByPos"].as_bool().unwrap(),
                )
            })
            .collect()
    };
    let q = "query($i: ID!) { posIntegration(id: $i) { locations { name listedByPos storageUnit { id } } } }";
    let now = app.ok(&s.token, q, json!({"i": integration})).await;
    assert_eq!(
        listed(now.clone()),
        BTreeMap::from([
            ("Bar".to_string(), true),
            ("Delivery Kitchen".to_string(), false),
            ("Main Restaurant".to_string(), true),
        ])
    );
    let kept = now["posIntegration"]["locations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "Delivery Kitchen")
        .unwrap()["storageUnit"]["id"]
        .clone();
    assert_eq!(kept, s.kitchen.as_str(), "its setup is kept");
    let items = app.sync(&s.token, &integration, "syncItems").await;
    assert!(
        items["message"]
            .as_str()
            .unwrap()
            .contains("from 2 locations"),
        "{items:#}"
    );
    let refused = app
        .gql(
            Some(&s.token),
            "mutation($l: ID!) { activateLocation(locationId: $l) { id } }",
            json!({"l": delivery}),
        )
        .await;
    assert_eq!(error_code(&refused), "VALIDATION", "{refused:#}");
    assert!(
        refused["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("no longer lists"),
        "{refused:#}"
    );
    sim.state().set_listed("102", true);
    app.sync(&s.token, &integration, "syncLocations").await;
    let back = app.ok(&s.token, q, json!({"i": integration})).await;
    assert!(listed(back).values().all(|l| *l));

    // An empty list (a lost permission, a POS fault) does not unlist everything: refused.
    for store in ["101", "102", "103"] {
        sim.state().set_listed(store, false);
    }
    let r = app
        .ok(
            &s.token,
            "mutation($i: ID!) { syncLocations(integrationId: $i) { id } }",
            json!({"i": integration}),
        )
        .await;
    let job = app
        .wait_job(&s.token, r["syncLocations"]["id"].as_str().unwrap())
        .await;
    assert_eq!(job["state"], "FAILED", "{job:#}");
    assert!(
        job["error"]
            .as_str()
            .unwrap()
            .contains("listed no stores at all; nothing was changed"),
        "{job:#}"
    );
    let unchanged = app.ok(&s.token, q, json!({"i": integration})).await;
    assert!(listed(unchanged).values().all(|l| *l));
}
on_both_backends_with_sim!(sides_failures_post_nothing_and_say_why, sides_faults);
