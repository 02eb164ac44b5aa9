//! Bugs and slow work hold nothing up (issue 10, general defences): an operation that panics —
//! from GraphQL over HTTP, on a socket, or in a job — is answered INTERNAL or ends its run
//! FAILED; one that runs past its time limit answers TIMEOUT. Either way its transaction is
//! rolled back, the write lock is free for everyone else, and the next request works. The
//! panics and stalls come from `service::faults`, armed for one company; company ids repeat
//! across test databases, so the tests of this file take turns ([`one_at_a_time`]).

use std::time::Duration;

use serde_json::{Value, json};
use service::faults::{self, Action, Fault};
use tests::kitchen::Kitchen;
use tests::pos::{days_ago, sales_csv};
use tests::socket::{next, open_acknowledged, send};
use tests::{TestApp, error_code, on_both_backends};

/// A hang guard for what must come at once (the time limit in these tests is 1 s).
const PROMPT: Duration = Duration::from_secs(8);

const RECEIPT: &str = "mutation($s: ID!, $i: ID!) { postReceipt(input: {storageUnitId: $s, ingredientId: $i, quantity: \"2\"}, unitCost: \"1.5\") { id } }";

fn receipt(k: &Kitchen) -> Value {
    json!({"s": k.unit, "i": k.flour})
}

async fn receive(app: &TestApp, k: &Kitchen) -> Value {
    tokio::time::timeout(PROMPT, app.gql(Some(&k.token), RECEIPT, receipt(k)))
        .await
        .expect("answered promptly")
}

/// Held by each test here while it runs: a point armed for company 1 of one test's database
/// must not fire in another's.
async fn one_at_a_time() -> tokio::sync::MutexGuard<'static, ()> {
    static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    TURN.lock().await
}

fn one_second_limit(settings: &mut api::config::ServeSettings) {
    settings.request_timeout_seconds = 1;
}

async fn a_mutation_that_panics_is_internal_keeps_nothing_and_frees_the_write_lock(app: TestApp) {
    let _turn = one_at_a_time().await;
    let k = app.kitchen("panic@example.com").await;
    let other = app.kitchen("bystander@example.com").await;
    let armed = faults::arm(Fault::Posting, k.company_id, Action::Panic);
    let r = receive(&app, &k).await;
    assert_eq!(error_code(&r), "INTERNAL", "{r}");
    let message = r["errors"][0]["message"].as_str().unwrap();
    assert!(
        !message.contains("fault point"),
        "the panic's text stays in the log: {r}"
    );
    // The write lock was released with the rolled-back transaction: another company writes.
    assert!(receive(&app, &other).await["data"]["postReceipt"]["id"].is_string());
    drop(armed);
    assert_eq!(
        app.ledger_count(&k).await,
        0,
        "the panicked posting kept nothing"
    );
    assert!(receive(&app, &k).await["data"]["postReceipt"]["id"].is_string());
    assert_eq!(app.ledger_count(&k).await, 1);
}
on_both_backends!(a_mutation_that_panics_is_internal_keeps_nothing_and_frees_the_write_lock);

async fn a_request_past_its_time_limit_answers_timeout_and_keeps_nothing(app: TestApp) {
    let _turn = one_at_a_time().await;
    let k = app.kitchen("slow@example.com").await;
    let other = app.kitchen("quick@example.com").await;
    let armed = faults::arm(
        Fault::Posting,
        k.company_id,
        Action::Stall(Duration::from_secs(600)),
    );
    let r = receive(&app, &k).await;
    assert_eq!(error_code(&r), "TIMEOUT", "{r}");
    assert!(receive(&app, &other).await["data"]["postReceipt"]["id"].is_string());
    drop(armed);
    assert_eq!(
        app.ledger_count(&k).await,
        0,
        "the stopped posting kept nothing"
    );
    assert!(receive(&app, &k).await["data"]["postReceipt"]["id"].is_string());
}
on_both_backends!(
    a_request_past_its_time_limit_answers_timeout_and_keeps_nothing,
    a_request_past_its_time_limit_answers_timeout_and_keeps_nothing,
    super::one_second_limit
);

async fn socket_operations_that_panic_or_overrun_are_answered_and_the_socket_stays(app: TestApp) {
    let _turn = one_at_a_time().await;
    let k = app.kitchen("socket-faults@example.com").await;
    let mut socket = open_acknowledged(&app, &k.token).await;
    let operation = |id: &str| json!({"id": id, "type": "subscribe", "payload": {"query": RECEIPT, "variables": receipt(&k)}});
    for (id, action, code) in [
        ("panics", Action::Panic, "INTERNAL"),
        ("stalls", Action::Stall(Duration::from_secs(600)), "TIMEOUT"),
    ] {
        let _armed = faults::arm(Fault::Posting, k.company_id, action);
        send(&mut socket, operation(id)).await;
        let answer = next(&mut socket).await.unwrap();
        assert_eq!(answer["type"], "next", "{answer}");
        assert_eq!(answer["id"], id);
        assert_eq!(
            answer["payload"]["errors"][0]["extensions"]["code"], code,
            "{answer}"
        );
        let complete = next(&mut socket).await.unwrap();
        assert_eq!(complete, json!({"type": "complete", "id": id}));
    }
    assert_eq!(app.ledger_count(&k).await, 0);
    send(&mut socket, operation("works")).await;
    let answer = next(&mut socket).await.unwrap();
    assert!(
        answer["payload"]["data"]["postReceipt"]["id"].is_string(),
        "{answer}"
    );
    assert_eq!(app.ledger_count(&k).await, 1);
}
on_both_backends!(
    socket_operations_that_panic_or_overrun_are_answered_and_the_socket_stays,
    socket_operations_that_panic_or_overrun_are_answered_and_the_socket_stays,
    super::one_second_limit
);

async fn a_job_that_panics_ends_failed_and_frees_its_location(app: TestApp) {
    let _turn = one_at_a_time().await;
    let s = app.csv_setup("job-panic@example.com").await;
    let company_id: i64 = s.company.parse().unwrap();
    app.ok(&s.token, "mutation($i: ID!, $b: ID!) { mapPosItem(integrationId: $i, externalId: \"ESP\", ingredientId: $b, quantityFactor: \"0.009\") { externalId } }", json!({"i": s.integration, "b": s.beans})).await;
    // The scheduler is not under test: once the migration has failed, the active location has
    // no transfer log, and a scheduler tick queued its automatic transfer before the manual one
    // below, which was then refused as CONFLICT (seen once in CI).
    app.ok(
        &s.token,
        "mutation($i: ID!) { pauseAutomaticTransfer(integrationId: $i) { automaticTransfer } }",
        json!({"i": s.integration}),
    )
    .await;
    let day = days_ago(2);
    let file = sales_csv(&[("ESP", "Espresso", "5", "12.50", day, "11:00")]);
    let up = app
        .upload_csv(
            &s.token,
            &s.integration,
            &s.location,
            "day.csv",
            file,
            false,
        )
        .await;
    let stored = app
        .wait_job(&s.token, up["data"]["uploadPosCsv"]["id"].as_str().unwrap())
        .await;
    assert_eq!(stored["state"], "SUCCEEDED", "{stored:#}");

    let armed = faults::arm(Fault::Posting, company_id, Action::Panic);
    let migration = app.activate(&s.token, &s.location).await;
    drop(armed);
    assert_eq!(migration["state"], "FAILED", "{migration:#}");
    let message = migration["error"].as_str().unwrap_or_default().to_string()
        + migration["message"].as_str().unwrap_or_default();
    assert!(!message.contains("fault point"), "{migration:#}");
    assert_eq!(
        app.stock(&s.token, &s.company, &s.kitchen, &s.beans).await,
        "0",
        "the panicked run posted nothing"
    );
    // The location is free: a manual transfer of the day runs and posts it.
    let again = app
        .ok(&s.token, "mutation($l: ID!, $d: NaiveDate!) { startManualTransfer(locationId: $l, businessDate: $d) { id } }", json!({"l": s.location, "d": day}))
        .await;
    let done = app
        .wait_job(
            &s.token,
            again["startManualTransfer"]["id"].as_str().unwrap(),
        )
        .await;
    assert_eq!(done["state"], "SUCCEEDED", "{done:#}");
    assert_eq!(
        app.stock(&s.token, &s.company, &s.kitchen, &s.beans).await,
        "-0.045"
    );
}
on_both_backends!(a_job_that_panics_ends_failed_and_frees_its_location);

/// A draft cancelled while it is being shipped: the ship, already in its write transaction,
/// wins, and the cancellation is refused with CONFLICT. The cancel used to read DRAFT, wait for
/// the ship's write lock, and then mark the shipped transfer CANCELLED: the stock it had sent
/// belonged to a transfer nobody could receive.
async fn a_transfer_cancelled_while_it_ships_stays_shipped(app: TestApp) {
    let _turn = one_at_a_time().await;
    let k = app.kitchen("ship-cancel@example.com").await;
    receive(&app, &k).await;
    let bar = app
        .ok(
            &k.token,
            "mutation($c: ID!) { createStorageUnit(companyId: $c, name: \"Bar\") { id } }",
            json!({"c": k.company}),
        )
        .await["createStorageUnit"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let draft = app
        .ok(&k.token, "mutation($f: ID!, $t: ID!, $i: ID!) { createTransfer(fromStorageUnitId: $f, toStorageUnitId: $t, lines: [{ingredientId: $i, quantity: \"1\"}]) { id } }", json!({"f": k.unit, "t": bar, "i": k.flour}))
        .await["createTransfer"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let armed = faults::arm(
        Fault::Posting,
        k.company_id,
        Action::Stall(Duration::from_millis(1500)),
    );
    let app = std::sync::Arc::new(app);
    let ship = {
        let (app, token, id) = (app.clone(), k.token.clone(), draft.clone());
        tokio::spawn(async move {
            app.gql(
                Some(&token),
                "mutation($id: ID!) { shipTransfer(id: $id) { status } }",
                json!({"id": id}),
            )
            .await
        })
    };
    tokio::time::sleep(Duration::from_millis(400)).await;
    let cancel = app
        .gql(
            Some(&k.token),
            "mutation($id: ID!) { cancelTransfer(id: $id) { status } }",
            json!({"id": draft}),
        )
        .await;
    let shipped = ship.await.unwrap();
    drop(armed);
    assert_eq!(
        shipped["data"]["shipTransfer"]["status"], "SHIPPED",
        "{shipped:#}"
    );
    assert_eq!(error_code(&cancel), "CONFLICT", "{cancel:#}");
    let now = app
        .ok(
            &k.token,
            "query($id: ID!) { transfer(id: $id) { status } }",
            json!({"id": draft}),
        )
        .await;
    assert_eq!(now["transfer"]["status"], "SHIPPED");
}
on_both_backends!(a_transfer_cancelled_while_it_ships_stays_shipped);
