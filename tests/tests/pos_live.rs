//! The live POS connectors end to end against the simulator, on SQLite and PostgreSQL: connect
//! (OAuth round trip / checked login), sync, link, map, activate with the 90-day migration, the
//! ledger and unmapped list it leaves, manual transfer, rerun after a mapping change, pause and
//! resume, the automatic transfer of a newly completed day with a late receipt of the day before;
//! token refresh and rotation, NEEDS_RECONNECT and reauthorization; injected faults.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde_json::{Value, json};
use tests::live::{dec, expected_usage, migration_days};
use tests::sim::{Fault, Simulator};
use tests::{TestApp, error_code, error_field, on_both_backends_with_sim};

const LOCATION: &str = "45454565682155";
const STORE: &str = "101";

/// Espresso → 0.009 KG beans; Cappuccino → the Cappuccino recipe (18 g beans, 150 ml milk);
/// the "Oat milk" modifier → 0.15 L milk; Focaccia → 1 bread; Olive Marinate ignored.
async fn map_menu(
    app: &TestApp,
    s: &tests::pos::CsvSetup,
    integration: &str,
    key: impl Fn(&str) -> String,
) {
    let mappings = [
        ("Espresso", json!({"g": s.beans, "f": "0.009"})),
        ("Cappuccino", json!({"r": s.cappuccino, "f": "1"})),
        ("Oat milk", json!({"g": s.milk, "f": "0.15"})),
        ("Focaccia", json!({"g": s.bread, "f": "1"})),
        ("Olive Marinate", json!({"ig": true})),
    ];
    for (name, target) in mappings {
        app.map_item(&s.token, integration, &key(name), target)
            .await;
    }
}

fn uses(menu: &tests::sim::Menu) -> BTreeMap<usize, Vec<(&'static str, Decimal)>> {
    BTreeMap::from([
        (
            menu.by_name("Espresso").index,
            vec![("beans", dec("0.009"))],
        ),
        (
            menu.by_name("Cappuccino").index,
            vec![("beans", dec("0.018")), ("milk", dec("0.15"))],
        ),
        (menu.by_name("Oat milk").index, vec![("milk", dec("0.15"))]),
        (menu.by_name("Focaccia").index, vec![("bread", dec("1"))]),
    ])
}

async fn stock_of(app: &TestApp, s: &tests::pos::CsvSetup, ingredient: &str) -> Decimal {
    dec(&app
        .stock(&s.token, &s.company, &s.kitchen, ingredient)
        .await)
}

async fn assert_stock(app: &TestApp, s: &tests::pos::CsvSetup, expected: &BTreeMap<&str, Decimal>) {
    for (key, ingredient) in [("beans", &s.beans), ("milk", &s.milk), ("bread", &s.bread)] {
        let want = expected.get(key).copied().unwrap_or_default().normalize();
        assert_eq!(
            stock_of(app, s, ingredient).await.normalize(),
            want,
            "{key}"
        );
    }
}

async fn issue_count(app: &TestApp) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM ledger_entries WHERE source_kind = 'POS_SALE'",
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

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
on_both_backends_with_sim!(lightspeed_whole_flow, lightspeed_flow, |s| {
    s.transfer_schedule = "* * * * * *".into();
});

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
on_both_backends_with_sim!(sides_whole_flow, sides_flow, |s| {
    s.transfer_schedule = "* * * * * *".into();
});

/// A Lightspeed integration connected and synced, Dining Room linked, mapped and active.
async fn lightspeed_ready(app: &TestApp, email: &str) -> (tests::pos::CsvSetup, String, String) {
    let s = app.csv_setup(email).await;
    let created = app
        .ok(&s.token, "mutation($c: ID!) { createPosIntegration(companyId: $c, provider: LIGHTSPEED_K, name: \"Lightspeed\") { id } }", json!({"c": s.company}))
        .await;
    let integration = created["createPosIntegration"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.connect_lightspeed(&s.token, &integration).await;
    app.sync(&s.token, &integration, "syncLocations").await;
    let location = app.pos_locations(&s.token, &integration).await["Dining Room"].clone();
    app.ok(
        &s.token,
        "mutation($l: ID!, $s: ID!) { linkStorageUnit(locationId: $l, storageUnitId: $s) { id } }",
        json!({"l": location, "s": s.kitchen}),
    )
    .await;
    let menu = tests::sim::Menu::new();
    map_menu(app, &s, &integration, |n| menu.by_name(n).sku()).await;
    (s, integration, location)
}

async fn manual_transfer(
    app: &TestApp,
    s: &tests::pos::CsvSetup,
    location: &str,
    date: chrono::NaiveDate,
) -> Value {
    let r = app
        .ok(&s.token, "mutation($l: ID!, $d: NaiveDate!) { startManualTransfer(locationId: $l, businessDate: $d) { id } }", json!({"l": location, "d": date}))
        .await;
    app.wait_job(&s.token, r["startManualTransfer"]["id"].as_str().unwrap())
        .await
}

async fn day_logs(app: &TestApp, location: &str, date: chrono::NaiveDate) -> u64 {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    entity::sales_import::Entity::find()
        .filter(entity::sales_import::Column::LocationId.eq(location.parse::<i64>().unwrap()))
        .filter(entity::sales_import::Column::BusinessDate.eq(date))
        .count(&app.db)
        .await
        .unwrap()
}

/// A V1 API client: the authorization without PKCE or `offline_access`, the token requests with
/// their parameters in the URL's query (the simulator's V1 endpoint reads nothing else), and a
/// refresh on an expired token that rotates the refresh token.
async fn lightspeed_v1(app: TestApp, sim: Simulator) {
    let s = app.csv_setup("v1@example.com").await;
    let created = app
        .ok(&s.token, "mutation($c: ID!) { createPosIntegration(companyId: $c, provider: LIGHTSPEED_K, name: \"Lightspeed\") { id } }", json!({"c": s.company}))
        .await;
    let integration = created["createPosIntegration"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.connect_lightspeed(&s.token, &integration).await;
    assert_eq!(sim.state().requests_to("/oauth/token"), 1);
    assert_eq!(
        sim.state()
            .requests_to("/realms/k-series/protocol/openid-connect/token"),
        0
    );
    let job = app.sync(&s.token, &integration, "syncLocations").await;
    assert!(
        job["message"].as_str().unwrap().starts_with("3 locations"),
        "{job:#}"
    );
    sim.state().expire_access_tokens();
    let refreshes = sim.state().refreshes();
    app.sync(&s.token, &integration, "syncLocations").await;
    assert_eq!(sim.state().refreshes(), refreshes + 1);
    // The rotated refresh token was kept: the next refresh works too.
    sim.state().expire_access_tokens();
    app.sync(&s.token, &integration, "syncLocations").await;
    assert_eq!(sim.state().refreshes(), refreshes + 2);
    // Refreshed before expiry: a token with less than the one-minute margin left is renewed
    // before use, though Lightspeed would still take it.
    sim.state().set_access_token_seconds(45);
    sim.state().expire_access_tokens();
    app.sync(&s.token, &integration, "syncLocations").await;
    assert_eq!(sim.state().refreshes(), refreshes + 3);
    app.sync(&s.token, &integration, "syncLocations").await;
    assert_eq!(
        sim.state().refreshes(),
        refreshes + 4,
        "a 45-second token is renewed before use"
    );
}
on_both_backends_with_sim!(
    lightspeed_v1_client,
    lightspeed_v1,
    tests::live::lightspeed_v1_client
);

async fn tokens_and_reconnect(app: TestApp, sim: Simulator) {
    let (s, integration, location) = lightspeed_ready(&app, "tokens@example.com").await;
    let job = app.activate(&s.token, &location).await;
    assert_eq!(job["state"], "SUCCEEDED", "{job:#}");
    let days = migration_days();
    // An expired access token is refreshed on the 401, and the rotated refresh token kept.
    sim.state().expire_access_tokens();
    let refreshes = sim.state().refreshes();
    let job = manual_transfer(&app, &s, &location, days[10]).await;
    assert_eq!(job["state"], "SUCCEEDED", "{job:#}");
    assert_eq!(sim.state().refreshes(), refreshes + 1);
    // Again: the refresh token stored last time is the one that works now (the old one is dead).
    sim.state().expire_access_tokens();
    let job = manual_transfer(&app, &s, &location, days[11]).await;
    assert_eq!(job["state"], "SUCCEEDED", "{job:#}");
    assert_eq!(sim.state().refreshes(), refreshes + 2);

    // Many refreshes at once (workers of several processes): exactly one reaches Lightspeed.
    let cipher = api::config::ServeSettings {
        secret_key: None,
        ..api::config::ServeSettings::for_data_dir(app.data_dir.clone())
    }
    .cipher()
    .unwrap();
    let mut pos = api::config::PosSettings::default();
    sim.configure(&mut pos);
    let live = pos.live(cipher.clone(), "http://127.0.0.1:9").unwrap();
    use sea_orm::EntityTrait;
    let id: i64 = integration.parse().unwrap();
    let sealed = entity::pos_integration::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .credentials_enc
        .unwrap();
    let current: service::pos::live::lightspeed::Tokens =
        serde_json::from_str(&cipher.decrypt(&sealed).unwrap()).unwrap();
    let before = sim.state().refreshes();
    let results = futures::future::join_all((0..6).map(|_| {
        service::pos::live::lightspeed::refresh(&app.db, &live, id, Some(&current.access_token))
    }))
    .await;
    let tokens: Vec<String> = results
        .into_iter()
        .map(|r| r.expect("refreshed").access_token)
        .collect();
    assert_eq!(
        sim.state().refreshes(),
        before + 1,
        "one refresh for six callers"
    );
    assert!(tokens.iter().all(|t| t == &tokens[0]));

    // A refresh Lightspeed refuses: NEEDS_RECONNECT with the reason, the day posts nothing
    // (Margherita is newly mapped, so a transfer that got through would post).
    let menu = tests::sim::Menu::new();
    let margherita = menu.by_name("Margherita");
    app.map_item(
        &s.token,
        &integration,
        &margherita.sku(),
        json!({"g": s.bread, "f": "1"}),
    )
    .await;
    let day = *days
        .iter()
        .find(|d| {
            sim.state().receipts(LOCATION, **d).iter().any(|r| {
                r.kind == tests::sim::GenKind::Sale
                    && r.lines.iter().any(|l| l.item == margherita.index)
            })
        })
        .expect("a day with a Margherita sold");
    sim.state().revoke_refresh_tokens();
    sim.state().expire_access_tokens();
    let entries = issue_count(&app).await;
    let logs = day_logs(&app, &location, day).await;
    let job = manual_transfer(&app, &s, &location, day).await;
    assert_eq!(job["state"], "FAILED");
    assert!(
        job["error"]
            .as_str()
            .unwrap()
            .contains("refused to renew access"),
        "{job:#}"
    );
    assert_eq!(issue_count(&app).await, entries);
    assert_eq!(day_logs(&app, &location, day).await, logs);
    let state = app
        .ok(
            &s.token,
            "query($i: ID!) { posIntegration(id: $i) { connectionState connectionError } }",
            json!({"i": integration}),
        )
        .await;
    assert_eq!(
        state["posIntegration"]["connectionState"],
        "NEEDS_RECONNECT"
    );
    assert!(
        state["posIntegration"]["connectionError"]
            .as_str()
            .unwrap()
            .contains("invalid_grant")
    );
    let sync = app
        .gql(
            Some(&s.token),
            "mutation($i: ID!) { syncItems(integrationId: $i) { id } }",
            json!({"i": integration}),
        )
        .await;
    assert_eq!(error_code(&sync), "VALIDATION");

    // Reauthorize: connected again, the location still linked, the mappings still there.
    // First an authorization link handed to someone else: their session cannot finish it.
    let back = app.authorize_lightspeed(&s.token, &integration).await;
    let state = url::form_urlencoded::parse(back.split_once('?').unwrap().1.as_bytes())
        .find(|(k, _)| k == "lightspeedAuthorization")
        .unwrap()
        .1
        .into_owned();
    let (intruder, _) = app.sign_up("intruder@example.com").await;
    let stolen = app
        .gql(
            Some(&intruder),
            "mutation($s: String!) { finishLightspeedAuthorization(state: $s) { id } }",
            json!({"s": state}),
        )
        .await;
    assert_eq!(error_code(&stolen), "NOT_FOUND", "{stolen:#}");
    let still = app
        .ok(
            &s.token,
            "query($i: ID!) { posIntegration(id: $i) { connectionState } }",
            json!({"i": integration}),
        )
        .await;
    assert_eq!(
        still["posIntegration"]["connectionState"],
        "NEEDS_RECONNECT"
    );
    // Its starter can.
    let done = app
        .ok(&s.token, "mutation($s: String!) { finishLightspeedAuthorization(state: $s) { connectionState } }", json!({"s": state}))
        .await;
    assert_eq!(
        done["finishLightspeedAuthorization"]["connectionState"],
        "CONNECTED"
    );
    let job = manual_transfer(&app, &s, &location, day).await;
    assert_eq!(job["state"], "SUCCEEDED", "{job:#}");
    assert!(issue_count(&app).await > entries);
    let mapped = app
        .ok(
            &s.token,
            "query($i: ID!) { posItems(integrationId: $i, filter: MAPPED) { externalId } }",
            json!({"i": integration}),
        )
        .await;
    assert_eq!(mapped["posItems"].as_array().unwrap().len(), 5);

    // The callback refuses a state it never issued, and a reused one.
    let bogus = app
        .follow_callback(&format!(
            "{}/oauth/lightspeed/callback?code=x&state=forged",
            app.address
        ))
        .await;
    assert!(bogus.starts_with("/integrations?oauthError="), "{bogus}");
    // A user who declines at Lightspeed comes back with the reason, the integration unchanged.
    let url = app
        .ok(
            &s.token,
            "mutation($i: ID!) { lightspeedAuthorizeUrl(integrationId: $i) }",
            json!({"i": integration}),
        )
        .await["lightspeedAuthorizeUrl"]
        .as_str()
        .unwrap()
        .to_string();
    let state_param = url::Url::parse(&url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .into_owned();
    let declined = app
        .follow_callback(&format!(
            "{}/oauth/lightspeed/callback?error=access_denied&state={state_param}",
            app.address
        ))
        .await;
    assert!(
        declined.starts_with(&format!("/integrations/{integration}?oauthError=")),
        "{declined}"
    );
    let reused = app
        .follow_callback(&format!(
            "{}/oauth/lightspeed/callback?code=x&state={state_param}",
            app.address
        ))
        .await;
    assert!(reused.starts_with("/integrations?oauthError="), "{reused}");
}
on_both_backends_with_sim!(lightspeed_tokens, tokens_and_reconnect);

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

on_both_backends_with_sim!(lightspeed_faults, faults);

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
on_both_backends_with_sim!(sides_failures, sides_faults);

/// The simulator holds Lightspeed's OAuth rules (so the tests above mean something): the
/// client's secret, the PKCE verifier, single-use codes and refresh tokens, scopes, expiry.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simulator_enforces_the_oauth_rules() {
    use base64::Engine;
    use sha2::Digest;
    let sim = Simulator::start(tests::sim::SimConfig::default(), "127.0.0.1:0")
        .await
        .unwrap();
    let client = tests::live::browser_like_client();
    let config = sim.state().config.clone();
    let verifier = "a-verifier-that-is-long-enough-for-pkce-0123456789";
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(verifier.as_bytes()));
    let redirect = "http://127.0.0.1:9/oauth/lightspeed/callback";
    // Consent for `financial-api` only.
    let code = |scope: &'static str| {
        let (client, sim_auth, challenge) =
            (client.clone(), sim.lightspeed_auth_url(), challenge.clone());
        let client_id = config.client_id.clone();
        async move {
            let r = client
                .post(sim_auth)
                .form(&[
                    ("decision", "allow"),
                    ("client_id", &client_id),
                    ("redirect_uri", redirect),
                    ("scope", scope),
                    ("state", "s1"),
                    ("code_challenge", &challenge),
                ])
                .send()
                .await
                .unwrap();
            let location = url::Url::parse(r.headers()["location"].to_str().unwrap()).unwrap();
            location
                .query_pairs()
                .find(|(k, _)| k == "code")
                .unwrap()
                .1
                .into_owned()
        }
    };
    let token = |form: Vec<(&'static str, String)>, secret: String| {
        let (client, url, id) = (
            client.clone(),
            sim.lightspeed_token_url(),
            config.client_id.clone(),
        );
        async move {
            let r = client
                .post(url)
                .basic_auth(id, Some(secret))
                .form(&form)
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }
    };
    let secret = config.client_secret.clone();
    let c = code("financial-api").await;
    let (status, body) = token(
        vec![
            ("grant_type", "authorization_code".into()),
            ("code", c.clone()),
            ("redirect_uri", redirect.into()),
            ("code_verifier", verifier.into()),
        ],
        "wrong".into(),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
    let (status, body) = token(
        vec![
            ("grant_type", "authorization_code".into()),
            ("code", c.clone()),
            ("redirect_uri", redirect.into()),
            ("code_verifier", "not-the-verifier".into()),
        ],
        secret.clone(),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    // The code was spent by the failed try: a code works once.
    let (status, _) = token(
        vec![
            ("grant_type", "authorization_code".into()),
            ("code", c),
            ("redirect_uri", redirect.into()),
            ("code_verifier", verifier.into()),
        ],
        secret.clone(),
    )
    .await;
    assert_eq!(status, 400);
    let c = code("financial-api").await;
    let (status, tokens) = token(
        vec![
            ("grant_type", "authorization_code".into()),
            ("code", c),
            ("redirect_uri", redirect.into()),
            ("code_verifier", verifier.into()),
        ],
        secret.clone(),
    )
    .await;
    assert_eq!(status, 200, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap().to_string();
    let get = |path: String, token: String| {
        let (client, base) = (client.clone(), sim.url());
        async move {
            client
                .get(format!("{base}{path}"))
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(get("/f/data/businesses".into(), access.clone()).await, 200);
    assert_eq!(
        get(
            format!("/items/v1/items?businessLocationId={LOCATION}"),
            access.clone()
        )
        .await,
        403,
        "no items scope"
    );
    // Refresh tokens rotate and work once.
    let refresh = tokens["refresh_token"].as_str().unwrap().to_string();
    let (status, rotated) = token(
        vec![
            ("grant_type", "refresh_token".into()),
            ("refresh_token", refresh.clone()),
        ],
        secret.clone(),
    )
    .await;
    assert_eq!(status, 200);
    assert_ne!(rotated["refresh_token"], refresh.as_str());
    let (status, body) = token(
        vec![
            ("grant_type", "refresh_token".into()),
            ("refresh_token", refresh),
        ],
        secret.clone(),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    // Expired access tokens are refused.
    sim.state().expire_access_tokens();
    assert_eq!(
        get(
            "/f/data/businesses".into(),
            rotated["access_token"].as_str().unwrap().into()
        )
        .await,
        401
    );
    sim.stop().await;
}
