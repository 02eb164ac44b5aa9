//! Hostile traffic at the doors (issue 10): bodies over their limits or stalled, the GraphQL over
//! HTTP protocol, and graphql-transport-ws — each answered at once with a clear refusal while
//! other companies keep being served.

use std::time::Duration;

use futures::StreamExt;
use serde_json::{Value, json};
use tests::socket::{init, next, open_socket, send, try_open_socket};
use tests::{TestApp, error_code, on_both_backends};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_tungstenite::tungstenite::Message;

/// A refusal must come this fast; on the old code these requests waited for bodies that never
/// came (a hang guard, not a benchmark).
const PROMPT: Duration = Duration::from_secs(5);

/// Sends raw request bytes and returns the status code of the answer.
async fn raw_status(app: &TestApp, request: String) -> u16 {
    let address = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(PROMPT, stream.read(&mut buf))
        .await
        .expect("the server answers without waiting for the body")
        .unwrap();
    let head = String::from_utf8_lossy(&buf[..n]).to_string();
    head.split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("an HTTP status line: {head}"))
}

async fn a_graphql_body_over_the_limit_is_refused_before_it_is_read(app: TestApp) {
    let status = raw_status(
        &app,
        "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 3000000000\r\n\r\n{".into(),
    )
    .await;
    assert_eq!(status, 413);
    // Chunked (no declared length): cut off as it passes the limit.
    let big = format!(
        "{{\"query\": \"{{ __typename }}\", \"variables\": {{\"x\": \"{}\"}}}}",
        "a".repeat(2 << 20)
    );
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(futures::stream::iter(
            big.into_bytes()
                .chunks(64 * 1024)
                .map(|c| Ok::<_, std::io::Error>(c.to_vec()))
                .collect::<Vec<_>>(),
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
}
on_both_backends!(a_graphql_body_over_the_limit_is_refused_before_it_is_read);

async fn an_anonymous_upload_is_refused_before_its_body_is_read(app: TestApp) {
    let status = raw_status(
        &app,
        "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=xyz\r\nContent-Length: 100000000\r\n\r\n--xyz\r\n".into(),
    )
    .await;
    assert_eq!(status, 401);
}
on_both_backends!(an_anonymous_upload_is_refused_before_its_body_is_read);

async fn a_stalled_csv_upload_holds_up_no_other_company(app: TestApp) {
    let s = app.csv_setup("slow@example.com").await;
    // A client that sends a few bytes of a large file, then nothing.
    let address = app.address.trim_start_matches("http://").to_string();
    let mut stalled = tokio::net::TcpStream::connect(&address).await.unwrap();
    stalled
        .write_all(format!(
            "POST /api/pos/csv?integrationId={}&locationId={} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Length: 1000000\r\n\r\ncode,name,quantity",
            s.integration, s.location, s.token
        ).as_bytes())
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    // Meanwhile another company writes.
    let (token, company) = app.sign_up("busy@example.com").await;
    let write = app.gql(
        Some(&token),
        "mutation($c: ID!) { createStorageUnit(companyId: $c, name: \"Bar\") { id } }",
        json!({"c": company}),
    );
    let answer = tokio::time::timeout(PROMPT, write)
        .await
        .expect("another company's write is not held up by a stalled upload");
    assert!(answer.get("errors").is_none(), "{answer}");
    // The stalled upload itself is refused once its idle limit passes, and stored nothing.
    let mut buf = vec![0u8; 2048];
    let n = tokio::time::timeout(Duration::from_secs(15), stalled.read(&mut buf))
        .await
        .expect("the stalled upload is answered")
        .unwrap();
    let head = String::from_utf8_lossy(&buf[..n]);
    assert!(head.starts_with("HTTP/1.1 4"), "{head}");
    let jobs = app
        .ok(
            &s.token,
            "query($c: ID!, $l: ID) { jobs(companyId: $c, locationId: $l) { id } }",
            json!({"c": s.company, "l": s.location}),
        )
        .await;
    assert_eq!(jobs["jobs"], json!([]), "nothing was queued: {jobs}");
}

on_both_backends!(
    a_stalled_csv_upload_holds_up_no_other_company,
    a_stalled_csv_upload_holds_up_no_other_company,
    super::quick_timeouts
);

/// A body may pause 2 s, a socket's caller is checked every second.
fn quick_timeouts(settings: &mut api::config::ServeSettings) {
    settings.body_idle_timeout_seconds = 2;
    settings.socket_recheck_seconds = 1;
}

async fn graphql_over_http_speaks_the_spec(app: TestApp) {
    let post = |content_type: Option<&str>, accept: Option<&str>, body: &str| {
        let mut request = app
            .client
            .post(format!("{}/graphql", app.address))
            .body(body.to_string());
        if let Some(ct) = content_type {
            request = request.header("content-type", ct);
        }
        if let Some(accept) = accept {
            request = request.header("accept", accept);
        }
        request.send()
    };
    let query = r#"{"query": "{ __typename }"}"#;
    // application/json when that is what the client accepts.
    let r = post(Some("application/json"), Some("application/json"), query)
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    // graphql-response+json: a request error (nothing ran) is a 400 without data.
    let r = post(
        Some("application/json"),
        Some("application/graphql-response+json"),
        r#"{"query": "{ __typename "}"#,
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 400);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/graphql-response+json")
    );
    let body: Value = r.json().await.unwrap();
    assert!(
        body.get("data").is_none() || body["data"].is_null(),
        "{body}"
    );
    assert!(body["errors"].is_array());
    // A field error still answers 200 with graphql-response+json.
    let r = post(
        Some("application/json"),
        Some("application/graphql-response+json"),
        r#"{"query": "{ me { id } }"}"#,
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    // No content type, text/plain, form-encoded: refused, nothing runs.
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let r = post(
            content_type,
            None,
            r#"{"query": "mutation { signUp(input: {email: \"csrf@example.com\", password: \"correct horse battery\", name: \"X\", companyName: \"X\"}) { token } }"}"#,
        )
        .await
        .unwrap();
        assert!(
            r.status().is_client_error(),
            "{content_type:?}: {}",
            r.status()
        );
    }
    let login = app
        .gql(
            None,
            r#"mutation { login(email: "csrf@example.com", password: "correct horse battery") { token } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        error_code(&login),
        "UNAUTHENTICATED",
        "the cross-site sign-up did not run"
    );
    // A batch is refused.
    let r = post(
        Some("application/json"),
        None,
        &format!("[{query}, {query}]"),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 400);
}
on_both_backends!(graphql_over_http_speaks_the_spec);

fn subscribe(id: &str, company: &str) -> Value {
    json!({"id": id, "type": "subscribe", "payload": {"query": "subscription($c: ID!) { companyJobs(companyId: $c) { id } }", "variables": {"c": company}}})
}

async fn graphql_transport_ws_speaks_the_protocol_and_keeps_no_old_rights(app: TestApp) {
    let (token, company) = app.sign_up("socket@example.com").await;
    // A forged token gets no ack: 4403.
    let mut socket = open_socket(&app).await;
    send(&mut socket, init("lds_forged")).await;
    assert_eq!(next(&mut socket).await, Err(4403));
    // Subscribe before the ack: 4401.
    let mut socket = open_socket(&app).await;
    send(&mut socket, subscribe("a", &company)).await;
    assert_eq!(next(&mut socket).await, Err(4401));
    // Not a protocol message: 4400.
    let mut socket = open_socket(&app).await;
    send(&mut socket, json!({"hello": "there"})).await;
    assert_eq!(next(&mut socket).await, Err(4400));
    // A second init: 4429; a duplicate id: 4409.
    let mut socket = open_socket(&app).await;
    send(&mut socket, init(&token)).await;
    assert_eq!(next(&mut socket).await.unwrap()["type"], "connection_ack");
    send(&mut socket, init(&token)).await;
    assert_eq!(next(&mut socket).await, Err(4429));
    let mut socket = open_socket(&app).await;
    send(&mut socket, init(&token)).await;
    assert_eq!(next(&mut socket).await.unwrap()["type"], "connection_ack");
    send(&mut socket, subscribe("a", &company)).await;
    send(&mut socket, subscribe("a", &company)).await;
    assert_eq!(next(&mut socket).await, Err(4409));

    // After logout, an open socket runs nothing more: the next operation closes it.
    let (other, other_company) = app.sign_up("leaver@example.com").await;
    let mut socket = open_socket(&app).await;
    send(&mut socket, init(&other)).await;
    assert_eq!(next(&mut socket).await.unwrap()["type"], "connection_ack");
    app.ok(&other, "mutation { logout }", json!({})).await;
    send(&mut socket, subscribe("b", &other_company)).await;
    assert_eq!(next(&mut socket).await, Err(4403));

    // A member removed from the company loses a running subscription at the next check.
    let (member, _) = app.sign_up("member@example.com").await;
    let added = app
        .ok(
            &token,
            "mutation($c: ID!) { addMember(companyId: $c, email: \"member@example.com\", role: VIEWER) { userId } }",
            json!({"c": company}),
        )
        .await;
    let member_id = added["addMember"]["userId"].as_str().unwrap().to_string();
    let mut socket = open_socket(&app).await;
    send(&mut socket, init(&member)).await;
    assert_eq!(next(&mut socket).await.unwrap()["type"], "connection_ack");
    send(&mut socket, subscribe("c", &company)).await;
    app.ok(
        &token,
        "mutation($c: ID!, $u: ID!) { removeMember(companyId: $c, userId: $u) }",
        json!({"c": company, "u": member_id}),
    )
    .await;
    let mut closed = None;
    for _ in 0..10 {
        if let Err(code) = next(&mut socket).await {
            closed = Some(code);
            break;
        }
    }
    assert_eq!(closed, Some(4403), "the socket closes when access changes");
}

on_both_backends!(
    graphql_transport_ws_speaks_the_protocol_and_keeps_no_old_rights,
    graphql_transport_ws_speaks_the_protocol_and_keeps_no_old_rights,
    super::quick_timeouts
);

async fn introspection_and_graphiql_can_be_switched_off(app: TestApp) {
    let response = app
        .gql(None, "{ __schema { types { name } } }", json!({}))
        .await;
    assert!(
        response["data"]["__schema"].is_null(),
        "the schema is not shown: {response}"
    );
    let page = app
        .client
        .get(format!("{}/graphql", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains("graphiql"), "GraphiQL is not served");
}

on_both_backends!(
    introspection_and_graphiql_can_be_switched_off,
    introspection_and_graphiql_can_be_switched_off,
    |s| s.disable_introspection = true
);

async fn a_socket_that_never_initialises_is_closed_with_4408(app: TestApp) {
    let mut socket = open_socket(&app).await;
    let closed = tokio::time::timeout(
        api::graphql_ws::INIT_TIMEOUT + Duration::from_secs(5),
        socket.next(),
    )
    .await
    .expect("the server closes the socket")
    .expect("a message")
    .expect("a close frame");
    match closed {
        Message::Close(Some(frame)) => assert_eq!(u16::from(frame.code), 4408),
        other => panic!("expected close 4408, got {other:?}"),
    }
}
on_both_backends!(a_socket_that_never_initialises_is_closed_with_4408);

/// One address may run one upload or export, one socket and two GraphQL requests at once.
fn one_at_a_time_per_address(settings: &mut api::config::ServeSettings) {
    settings.file_requests_per_address = 1;
    settings.sockets_per_address = 1;
    settings.requests_per_address = 2;
}

/// Starts a request whose body never finishes; it holds its place until dropped.
async fn stalled_request(app: &TestApp, head: String) -> tokio::net::TcpStream {
    let address = app.address.trim_start_matches("http://");
    let mut stalled = tokio::net::TcpStream::connect(address).await.unwrap();
    stalled.write_all(head.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    stalled
}

/// Polls until `status` answers `expected` (a place is given back when the server sees the
/// client go, which takes a moment).
async fn eventually_status<F, Fut>(expected: u16, status: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = u16>,
{
    let deadline = tokio::time::Instant::now() + PROMPT;
    loop {
        let got = status().await;
        if got == expected {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "still {got}, not {expected}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn an_address_runs_a_bounded_number_of_expensive_requests_at_once(app: TestApp) {
    let s = app.csv_setup("in-flight@example.com").await;
    let export = || {
        app.client
            .get(format!(
                "{}/api/ledger.csv?companyId={}",
                app.address, s.company
            ))
            .bearer_auth(&s.token)
            .send()
    };
    let export_status = || async { export().await.unwrap().status().as_u16() };
    // A stalled upload takes the address's one place for files: an export waits its turn.
    let stalled = stalled_request(&app, format!(
        "POST /api/pos/csv?integrationId={}&locationId={} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Length: 1000000\r\n\r\ncode,name",
        s.integration, s.location, s.token
    )).await;
    let refused = export().await.unwrap();
    assert_eq!(refused.status(), 429);
    assert_eq!(refused.headers()["retry-after"], "1");
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "RATE_LIMITED", "{body}");
    // GraphQL is another door: it still answers.
    app.ok(&s.token, "{ me { email } }", json!({})).await;
    drop(stalled);
    eventually_status(200, export_status).await;

    // Two GraphQL requests with stalled bodies take both places: the third is refused.
    let graphql_head = "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"query\":";
    let first = stalled_request(&app, graphql_head.to_string()).await;
    let second = stalled_request(&app, graphql_head.to_string()).await;
    let busy = app.gql(Some(&s.token), "{ me { email } }", json!({})).await;
    assert_eq!(error_code(&busy), "RATE_LIMITED", "{busy}");
    assert_eq!(busy["errors"][0]["extensions"]["retryAfterSeconds"], 1);
    drop((first, second));
    let me = || async {
        let r = app.gql(Some(&s.token), "{ me { email } }", json!({})).await;
        if r.get("errors").is_none() { 200 } else { 429 }
    };
    eventually_status(200, me).await;

    // One socket open: a second is refused at the handshake, and allowed once the first closes.
    let socket = open_socket(&app).await;
    assert_eq!(try_open_socket(&app).await.err(), Some(429));
    drop(socket);
    let handshake = || async {
        try_open_socket(&app)
            .await
            .map_or_else(|status| status, |_| 101)
    };
    eventually_status(101, handshake).await;
}
on_both_backends!(
    an_address_runs_a_bounded_number_of_expensive_requests_at_once,
    an_address_runs_a_bounded_number_of_expensive_requests_at_once,
    super::one_at_a_time_per_address
);
