//! Whole Lightspeed and Sides flows: connect, sync, link, map, activate, transfer.

use super::*;

/// Everything a live location goes through after connect and sync: link, map, activate, check
/// the migration, rerun after a mapping change, a manual transfer picking up a late receipt,
/// pause, the automatic transfer of a newly completed day after resume.
async fn location_flow(
    app: &TestApp,
    sim: &Simulator,
    s: &tests::pos::CsvSetup,
    integration: &str,
    location_name: &str,
    external: &str,
    key: impl Fn(&str) -> String,
) {
    let menu = tests::sim::Menu::new();
    let location = app.pos_locations(&s.token, integration).await[location_name].clone();
    // Activation needs a storage unit.
    let refused = app
        .gql(
            Some(&s.token),
            "mutation($l: ID!) { activateLocation(locationId: $l) { id } }",
            json!({"l": location}),
        )
        .await;
    assert_eq!(error_code(&refused), "VALIDATION", "{refused:#}");
    app.ok(
        &s.token,
        "mutation($l: ID!, $s: ID!) { linkStorageUnit(locationId: $l, storageUnitId: $s) { id } }",
        json!({"l": location, "s": s.kitchen}),
    )
    .await;
    map_menu(app, s, integration, &key).await;
    // Paused from the start so only the steps below move stock; yesterday not complete yet.
    app.ok(
        &s.token,
        "mutation($i: ID!) { pauseAutomaticTransfer(integrationId: $i) { automaticTransfer } }",
        json!({"i": integration}),
    )
    .await;
    let days = migration_days();
    let yesterday = *days.last().unwrap();
    let day_before = days[days.len() - 2];
    sim.state().set_incomplete(external, yesterday, true);

    let job = app.activate(&s.token, &location).await;
    assert_eq!(job["state"], "SUCCEEDED", "{job:#}");
    let message = job["message"].as_str().unwrap();
    assert!(message.starts_with("89 days transferred"), "{message}");
    assert!(
        message.contains(&format!("not posted: {yesterday}")),
        "{message}"
    );
    let uses = uses(&menu);
    let mut expected = expected_usage(sim, external, &days[..89], &uses);
    assert_stock(app, s, &expected).await;

    // The unmapped list: every sold item without a mapping, with what was sold of it.
    let unmapped = app
        .ok(
            &s.token,
            "query($i: ID!) { unmappedItems(integrationId: $i) { externalId name amountSold } }",
            json!({"i": integration}),
        )
        .await;
    let list = unmapped["unmappedItems"].as_array().unwrap();
    for mapped in [
        "Espresso",
        "Cappuccino",
        "Oat milk",
        "Focaccia",
        "Olive Marinate",
    ] {
        assert!(
            !list.iter().any(|u| u["name"] == mapped),
            "{mapped} is mapped"
        );
    }
    let margherita = menu.by_name("Margherita");
    let sold = -expected_usage(
        sim,
        external,
        &days[..89],
        &BTreeMap::from([(margherita.index, vec![("x", Decimal::ONE)])]),
    )["x"];
    let row = list
        .iter()
        .find(|u| u["externalId"] == key("Margherita"))
        .expect("Margherita is sold and unmapped");
    assert_eq!(dec(row["amountSold"].as_str().unwrap()), sold);

    // Map Margherita (1 bread, say) and rerun: only the difference is posted.
    let before = issue_count(app).await;
    app.map_item(
        &s.token,
        integration,
        &key("Margherita"),
        json!({"g": s.bread, "f": "1"}),
    )
    .await;
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
    let mut uses = uses;
    uses.insert(margherita.index, vec![("bread", Decimal::ONE)]);
    expected = expected_usage(sim, external, &days[..89], &uses);
    assert_stock(app, s, &expected).await;
    let added = issue_count(app).await - before;
    let margherita_lines: i64 = days[..89]
        .iter()
        .flat_map(|d| sim.state().receipts(external, *d))
        .filter(|r| {
            matches!(
                r.kind,
                tests::sim::GenKind::Sale | tests::sim::GenKind::Refund
            )
        })
        .flat_map(|r| r.lines)
        .filter(|l| l.item == margherita.index)
        .count() as i64;
    assert_eq!(
        added, margherita_lines,
        "the rerun posts one entry per newly mapped line"
    );

    // A receipt of the day before closes late; a manual transfer of that day posts just it.
    sim.state().add_late_receipt(external, day_before);
    let manual = app
        .ok(&s.token, "mutation($l: ID!, $d: NaiveDate!) { startManualTransfer(locationId: $l, businessDate: $d) { id } }", json!({"l": location, "d": day_before}))
        .await;
    let job = app
        .wait_job(
            &s.token,
            manual["startManualTransfer"]["id"].as_str().unwrap(),
        )
        .await;
    assert_eq!(job["state"], "SUCCEEDED", "{job:#}");
    expected = expected_usage(sim, external, &days[..89], &uses);
    assert_stock(app, s, &expected).await;

    // Paused: yesterday completes and another late receipt arrives, nothing moves by itself.
    sim.state().set_incomplete(external, yesterday, false);
    sim.state().add_late_receipt(external, day_before);
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    let automatic = app
        .ok(
            &s.token,
            "query($c: ID!) { jobs(companyId: $c) { kind } }",
            json!({"c": s.company}),
        )
        .await;
    assert!(
        !automatic["jobs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|j| j["kind"] == "AUTOMATIC_TRANSFER"),
        "nothing runs while paused"
    );
    // Resumed: the scheduler transfers yesterday and pulls the day before again.
    app.ok(
        &s.token,
        "mutation($i: ID!) { resumeAutomaticTransfer(integrationId: $i) { automaticTransfer } }",
        json!({"i": integration}),
    )
    .await;
    let job = app
        .wait_for_job_of_kind(&s.token, &s.company, "AUTOMATIC_TRANSFER")
        .await;
    assert_eq!(job["state"], "SUCCEEDED", "{job:#}");
    assert!(
        job["message"]
            .as_str()
            .unwrap()
            .starts_with("2 days transferred"),
        "{job:#}"
    );
    expected = expected_usage(sim, external, &days, &uses);
    assert_stock(app, s, &expected).await;

    // The transfer logs of the location say what happened, newest first.
    let logs = app
        .ok(&s.token, "query($l: ID!) { posLocation(id: $l) { transferLogs(first: 3) { businessDate linesTotal } } }", json!({"l": location}))
        .await;
    let dates: Vec<&str> = logs["posLocation"]["transferLogs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["businessDate"].as_str().unwrap())
        .collect();
    assert!(dates.contains(&yesterday.to_string().as_str()), "{logs:#}");
}

async fn lightspeed_flow(app: TestApp, sim: Simulator) {
    let s = app.csv_setup("lightspeed@example.com").await;
    let created = app
        .ok(&s.token, "mutation($c: ID!) { createPosIntegration(companyId: $c, provider: LIGHTSPEED_K, name: \"Lightspeed\") { id connectionState } }", json!({"c": s.company}))
        .await;
    assert_eq!(
        created["createPosIntegration"]["connectionState"],
        "NOT_CONNECTED"
    );
    let integration = created["createPosIntegration"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    // One Lightspeed integration per company.
    let second = app
        .gql(Some(&s.token), "mutation($c: ID!) { createPosIntegration(companyId: $c, provider: LIGHTSPEED_K, name: \"Again\") { id } }", json!({"c": s.company}))
        .await;
    assert_eq!(error_code(&second), "CONFLICT");
    // Syncing before connecting says so.
    let early = app
        .gql(
            Some(&s.token),
            "mutation($i: ID!) { syncLocations(integrationId: $i) { id } }",
            json!({"i": integration}),
        )
        .await;
    assert!(
        early["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("connect Lightspeed"),
        "{early:#}"
    );

    let back = app.connect_lightspeed(&s.token, &integration).await;
    assert!(
        back.starts_with(&format!(
            "/integrations/{integration}?lightspeedAuthorization="
        )),
        "{back}"
    );
    let state = app
        .ok(
            &s.token,
            "query($i: ID!) { posIntegration(id: $i) { connectionState connectedAt } }",
            json!({"i": integration}),
        )
        .await;
    assert_eq!(state["posIntegration"]["connectionState"], "CONNECTED");
    let tested = app
        .ok(
            &s.token,
            "mutation($i: ID!) { testPosConnection(integrationId: $i) }",
            json!({"i": integration}),
        )
        .await;
    assert_eq!(tested["testPosConnection"], true);

    app.sync(&s.token, &integration, "syncLocations").await;
    let locations = app
        .ok(&s.token, "query($i: ID!) { posIntegration(id: $i) { locationsSyncedAt locations { name externalId timezone active } } }", json!({"i": integration}))
        .await;
    let list = locations["posIntegration"]["locations"].as_array().unwrap();
    assert_eq!(list.len(), 3);
    let terrace = list.iter().find(|l| l["name"] == "Terrace").unwrap();
    assert_eq!(terrace["timezone"], "Europe/London");
    assert_eq!(terrace["externalId"], "45454565682157");
    // Pages capped below the documented 1000: every page is read, up to the empty one.
    sim.state().set_items_page_max(30);
    let items_requests = sim.state().requests_to("/items/v1/items");
    let job = app.sync(&s.token, &integration, "syncItems").await;
    assert!(
        job["message"]
            .as_str()
            .unwrap()
            .starts_with("80 items synced"),
        "{job:#}"
    );
    assert_eq!(
        sim.state().requests_to("/items/v1/items") - items_requests,
        3 * 4,
        "30 + 30 + 20 + an empty page, for each of the 3 locations"
    );
    let items = app
        .ok(
            &s.token,
            "query($i: ID!) { posItems(integrationId: $i) { externalId name } }",
            json!({"i": integration}),
        )
        .await;
    assert_eq!(items["posItems"].as_array().unwrap().len(), 80);

    let menu = tests::sim::Menu::new();
    location_flow(
        &app,
        &sim,
        &s,
        &integration,
        "Dining Room",
        LOCATION,
        |name| menu.by_name(name).sku(),
    )
    .await;

    // Tokens are stored encrypted: no token the simulator issued appears in the row.
    use sea_orm::EntityTrait;
    let row = entity::pos_integration::Entity::find_by_id(integration.parse::<i64>().unwrap())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let sealed = row.credentials_enc.unwrap();
    assert!(
        !sealed.contains("at-") && !sealed.contains("rt-"),
        "tokens are encrypted at rest"
    );
}
on_both_backends_with_sim!(
    lightspeed_sales_become_issues_from_connect_to_daily_transfer,
    lightspeed_flow,
    |s| {
        s.transfer_schedule = "* * * * * *".into();
    }
);

async fn sides_flow(app: TestApp, sim: Simulator) {
    let s = app.csv_setup("sides@example.com").await;
    // A wrong login creates nothing.
    let refused = app
        .gql(Some(&s.token), "mutation($c: ID!) { createPosIntegration(companyId: $c, provider: SIDES, name: \"Sides\", sidesLogin: {username: \"demo\", password: \"wrong\"}) { id } }", json!({"c": s.company}))
        .await;
    assert_eq!(error_code(&refused), "VALIDATION", "{refused:#}");
    assert_eq!(error_field(&refused), "password");
    let listed = app
        .ok(
            &s.token,
            "query($c: ID!) { posIntegrations(companyId: $c) { provider } }",
            json!({"c": s.company}),
        )
        .await;
    assert!(
        !listed["posIntegrations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["provider"] == "SIDES")
    );

    let created = app
        .ok(&s.token, "mutation($c: ID!) { createPosIntegration(companyId: $c, provider: SIDES, name: \"Sides\", sidesLogin: {username: \"demo\", password: \"sides-demo\"}) { id connectionState } }", json!({"c": s.company}))
        .await;
    assert_eq!(
        created["createPosIntegration"]["connectionState"],
        "CONNECTED"
    );
    let integration = created["createPosIntegration"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let tested = app
        .ok(
            &s.token,
            "mutation($i: ID!) { testPosConnection(integrationId: $i) }",
            json!({"i": integration}),
        )
        .await;
    assert_eq!(tested["testPosConnection"], true);
    // New credentials that Sides refuses change nothing.
    let wrong = app
        .gql(Some(&s.token), "mutation($i: ID!) { connectSides(integrationId: $i, username: \"demo\", password: \"nope\") { id } }", json!({"i": integration}))
        .await;
    assert_eq!(error_field(&wrong), "password", "{wrong:#}");
    let tested = app
        .ok(
            &s.token,
            "mutation($i: ID!) { testPosConnection(integrationId: $i) }",
            json!({"i": integration}),
        )
        .await;
    assert_eq!(tested["testPosConnection"], true);

    app.sync(&s.token, &integration, "syncLocations").await;
    let names: Vec<String> = app
        .pos_locations(&s.token, &integration)
        .await
        .into_keys()
        .collect();
    assert_eq!(names, ["Bar", "Delivery Kitchen", "Main Restaurant"]);
    app.sync(&s.token, &integration, "syncItems").await;

    let menu = tests::sim::Menu::new();
    location_flow(
        &app,
        &sim,
        &s,
        &integration,
        "Main Restaurant",
        STORE,
        |name| menu.by_name(name).sides_id().to_string(),
    )
    .await;

    // Updating the login keeps the setup: the location stays linked and active.
    app.ok(&s.token, "mutation($i: ID!) { connectSides(integrationId: $i, username: \"demo\", password: \"sides-demo\") { connectionState } }", json!({"i": integration})).await;
    let kept = app
        .ok(&s.token, "query($i: ID!) { posIntegration(id: $i) { locations { name active storageUnit { id } } } }", json!({"i": integration}))
        .await;
    let main = kept["posIntegration"]["locations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "Main Restaurant")
        .unwrap()
        .clone();
    assert_eq!(main["active"], true);
    assert_eq!(main["storageUnit"]["id"], s.kitchen.as_str());
}
on_both_backends_with_sim!(
    sides_sales_become_issues_from_connect_to_daily_transfer,
    sides_flow,
    |s| {
        s.transfer_schedule = "* * * * * *".into();
    }
);
