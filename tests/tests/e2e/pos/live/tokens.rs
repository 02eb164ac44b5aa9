//! Lightspeed's V1 API, token refresh and rotation, reconnecting.

use super::*;

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
    a_v1_lightspeed_client_sends_its_parameters_in_the_query,
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
    tests::point_at_simulator(&sim, &mut pos);
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
on_both_backends_with_sim!(
    lightspeed_tokens_refresh_rotate_and_ask_to_reconnect,
    tokens_and_reconnect
);
