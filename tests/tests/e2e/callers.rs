//! Callers remembered between requests (`service::principal_cache`): on PostgreSQL each process
//! keeps who a token speaks for, and forgets it the moment a logout, a revocation or a changed
//! membership commits — in whichever process it was made.

use std::time::{Duration, Instant};

use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use tests::{Backend, TestApp, error_code, on_both_backends};

const CREATE_UNIT: &str =
    "mutation($c: ID!, $n: String!) { createStorageUnit(companyId: $c, name: $n) { id } }";
const SET_ROLE: &str = "mutation($c: ID!, $e: String!, $r: Role!) { addMember(companyId: $c, email: $e, role: $r) { role } }";

/// A second API process on the same database (a process of its own in production; here a
/// server of its own in the test's process, with nothing shared but the database).
async fn second_process(app: &TestApp) -> TestApp {
    let dir = std::env::temp_dir().join(format!("larder_second_{}", uuid::Uuid::new_v4().simple()));
    let mut settings = api::config::ServeSettings::for_data_dir(match app.backend {
        Backend::Sqlite => app.data_dir.clone(),
        Backend::Postgres => dir,
    });
    settings.database_url = app.database_url.clone();
    settings.no_workers = true;
    TestApp::start(app.backend, settings, None).await
}

/// Asks `query` on `app` until the answer is refused with `code`, for at most two seconds
/// (a notification crosses processes in milliseconds; a cache that missed it would answer
/// as before for a minute). Returns how long it took.
async fn refused_soon(
    app: &TestApp,
    token: &str,
    query: &str,
    variables: Value,
    code: &str,
) -> Duration {
    let started = Instant::now();
    loop {
        let answer = app.gql(Some(token), query, variables.clone()).await;
        if answer.get("errors").is_some() && error_code(&answer) == code {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "still answered after 2 s: {answer}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn a_change_made_in_another_process_holds_there_at_once(first: TestApp) {
    let second = second_process(&first).await;
    let (owner, company) = first.sign_up("owner@example.com").await;
    let (member, _) = first.sign_up("cook@example.com").await;
    first
        .ok(
            &owner,
            SET_ROLE,
            json!({"c": company, "e": "cook@example.com", "r": "MANAGER"}),
        )
        .await;
    // Read (and, on PostgreSQL, remembered) by the second process.
    second
        .ok(&member, CREATE_UNIT, json!({"c": company, "n": "Bar"}))
        .await;

    // A role lowered in the first process.
    first
        .ok(
            &owner,
            SET_ROLE,
            json!({"c": company, "e": "cook@example.com", "r": "VIEWER"}),
        )
        .await;
    refused_soon(
        &second,
        &member,
        CREATE_UNIT,
        json!({"c": company, "n": "Cellar"}),
        "FORBIDDEN",
    )
    .await;

    // A logout in the first process.
    second.ok(&owner, "{ me { id } }", json!({})).await;
    first.ok(&owner, "mutation { logout }", json!({})).await;
    refused_soon(
        &second,
        &owner,
        "{ me { id } }",
        json!({}),
        "UNAUTHENTICATED",
    )
    .await;

    // A revoked API token.
    let login = first
        .gql(
            None,
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
            json!({"e": "owner@example.com", "p": "correct horse battery"}),
        )
        .await;
    let owner = login["data"]["login"]["token"]
        .as_str()
        .expect("signed in")
        .to_string();
    let created = first
        .ok(
            &owner,
            "mutation($c: ID!) { createApiToken(companyId: $c, name: \"Bridge\", role: STAFF) { token apiToken { id } } }",
            json!({"c": company}),
        )
        .await;
    let api_token = created["createApiToken"]["token"]
        .as_str()
        .unwrap()
        .to_string();
    let units = "query($c: ID!) { storageUnits(companyId: $c) { id } }";
    second.ok(&api_token, units, json!({"c": company})).await;
    first
        .ok(
            &owner,
            "mutation($id: ID!) { revokeApiToken(id: $id) { revokedAt } }",
            json!({"id": created["createApiToken"]["apiToken"]["id"]}),
        )
        .await;
    refused_soon(
        &second,
        &api_token,
        units,
        json!({"c": company}),
        "UNAUTHENTICATED",
    )
    .await;

    // A membership removed: the company is gone for the member.
    let me = first.ok(&member, "{ me { id } }", json!({})).await;
    second.ok(&member, units, json!({"c": company})).await;
    first
        .ok(
            &owner,
            "mutation($c: ID!, $u: ID!) { removeMember(companyId: $c, userId: $u) }",
            json!({"c": company, "u": me["me"]["id"]}),
        )
        .await;
    refused_soon(&second, &member, units, json!({"c": company}), "NOT_FOUND").await;
}
on_both_backends!(a_change_made_in_another_process_holds_there_at_once);

/// On PostgreSQL a caller read once is not read again: a session deleted where no trigger
/// tells anyone still works from memory — until the listening connection is lost, when every
/// process stops trusting what it remembers and reads the database again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_process_that_stopped_listening_reads_every_caller_again() {
    let app = TestApp::spawn(Backend::Postgres).await;
    app.sign_up("owner@example.com").await;
    let owner = remembered_then_deleted_behind_its_back(&app).await;
    let listening = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                     WHERE datname = current_database() AND query LIKE 'LISTEN %larder_auth%'";
    let ended = app
        .db
        .query_all_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            listening,
        ))
        .await
        .unwrap();
    assert_eq!(ended.len(), 1, "one connection listens for sign-in changes");
    refused_soon(&app, &owner, "{ me { id } }", json!({}), "UNAUTHENTICATED").await;
}

/// Signs in afresh, lets the process remember the caller, then deletes the session where no
/// trigger tells anyone: answers the token, which still works from memory. Other tests in this
/// process change someone's access all the time, and each change rightly makes every cache
/// here forget; an attempt that met one is made again (seen in a full local run: the first
/// attempt forgotten with no local change, so the old assertion that one must have happened
/// failed — a notification or a listener still connecting forgets too).
async fn remembered_then_deleted_behind_its_back(app: &TestApp) -> String {
    for _ in 0..20 {
        let login = app
            .gql(
                None,
                "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
                json!({"e": "owner@example.com", "p": "correct horse battery"}),
            )
            .await;
        let token = login["data"]["login"]["token"]
            .as_str()
            .expect("signed in")
            .to_string();
        app.ok(&token, "{ me { id } }", json!({})).await;
        let silently = format!(
            "BEGIN; SET LOCAL session_replication_role = replica; \
             DELETE FROM sessions WHERE token_hash = '{}'; COMMIT",
            service::secrets::token_hash(&token)
        );
        app.db.execute_unprepared(&silently).await.unwrap();
        let answer = app.gql(Some(&token), "{ me { id } }", json!({})).await;
        if answer.get("errors").is_none() {
            return token;
        }
        // Forgotten: a local change in this process, or one this database announced (the
        // login's own clean-up of expired sessions), or the listener not (yet) listening under
        // a loaded machine's delays — none of which the test can rule out; the next attempt.
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the caller was forgotten in every one of 20 attempts");
}

/// An API token that ends while a process remembers its caller is refused at its end, not up to
/// a minute later: what is remembered keeps the token's own end.
async fn an_api_token_ends_on_time(app: TestApp) {
    let (owner, company) = app.sign_up("owner@example.com").await;
    let ends = chrono::Utc::now() + chrono::Duration::seconds(2);
    let created = app
        .ok(
            &owner,
            "mutation($c: ID!, $e: DateTime) { createApiToken(companyId: $c, name: \"Short\", role: STAFF, expiresAt: $e) { token } }",
            json!({"c": company, "e": ends.to_rfc3339()}),
        )
        .await;
    let token = created["createApiToken"]["token"]
        .as_str()
        .unwrap()
        .to_string();
    let units = "query($c: ID!) { storageUnits(companyId: $c) { id } }";
    app.ok(&token, units, json!({"c": company})).await;
    app.ok(&token, units, json!({"c": company})).await;
    let wait = (ends - chrono::Utc::now()).to_std().unwrap_or_default();
    tokio::time::sleep(wait + Duration::from_millis(50)).await;
    let answer = app.gql(Some(&token), units, json!({"c": company})).await;
    assert_eq!(error_code(&answer), "UNAUTHENTICATED", "{answer}");
}
on_both_backends!(
    an_api_token_is_refused_at_its_end,
    an_api_token_ends_on_time
);
