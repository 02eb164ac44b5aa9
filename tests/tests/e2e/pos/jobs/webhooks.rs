//! Signed webhooks start jobs; subscriptions push their progress.

use super::*;

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
on_both_backends!(webhooks_need_a_fresh_signature_and_run_once, webhooks);

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
