//! Crash safety (issue 11), with real processes killed by SIGKILL:
//! * a `larder worker` killed at random moments of a POS migration, 20 times in a row, then
//!   left to finish: the ledger equals that of a company whose identical migration ran without
//!   interruption, and every job run ends SUCCEEDED;
//! * a `larder serve` killed during a burst of postings: every posting a client was told had
//!   succeeded is in the ledger, none twice, and the books balance.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use entity::{job_run, ledger_entry};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use tests::books::check_invariants;
use tests::dice::Dice;
use tests::pos::{CsvSetup, days_ago, sales_csv};
use tests::{Backend, TestApp, on_both_backends};

const KILLS: usize = 20;

/// A `larder` process on the test server's database (`worker`, or `serve` on a free port).
fn spawn_larder(app: &TestApp, args: &[&str]) -> Child {
    let mut command = Command::new(tests::larder_binary());
    command
        .args(args)
        .arg("--data-dir")
        .arg(&app.data_dir)
        // The scheduler must not add transfers of its own to what is compared.
        .env("LARDER_TRANSFER_SCHEDULE", "0 0 0 1 1 * 2099")
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(url) = &app.database_url {
        command.env("DATABASE_URL", url);
    }
    command.spawn().expect("larder starts")
}

fn spawn_worker(app: &TestApp) -> Child {
    spawn_larder(app, &["worker", "--worker-heartbeat-seconds", "1"])
}

fn kill(mut child: Child) {
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();
}

/// A CSV company with opening stock and 88 days of sales (240 lines a day) stored and mapped,
/// not yet activated.
async fn company_with_sales(app: &TestApp, email: &str) -> CsvSetup {
    let s = app.csv_setup(email).await;
    for (ingredient, qty, cost) in [(&s.beans, "400", "14.5"), (&s.milk, "3000", "1.1")] {
        app.ok(&s.token, "mutation($s: ID!, $i: ID!, $q: Decimal!, $c: Decimal!) { postReceipt(input: {storageUnitId: $s, ingredientId: $i, quantity: $q, occurredAt: \"2020-01-01T00:00:00Z\"}, unitCost: $c) { id } }", json!({"s": s.kitchen, "i": ingredient, "q": qty, "c": cost})).await;
    }
    // Two days back is always closed, 89 is always inside the 90-day window.
    // A sale every five minutes from 08:00 to 18:00: days heavy enough that 20 kills land
    // inside the migration on a fast machine too.
    let times: Vec<String> = (0..120)
        .map(|k| format!("{:02}:{:02}", 8 + k / 12, (k % 12) * 5))
        .collect();
    let days: Vec<_> = (2..90).map(days_ago).collect();
    let mut rows = Vec::new();
    for (d, day) in days.iter().enumerate() {
        for (k, time) in times.iter().enumerate() {
            let cups = ["1", "2", "3"][(d + k) % 3];
            rows.push(("CAP", "Cappuccino", cups, "3.50", *day, time.as_str()));
            rows.push(("ESP", "Espresso", cups, "2.50", *day, time.as_str()));
        }
    }
    let up = app
        .upload_csv(
            &s.token,
            &s.integration,
            &s.location,
            "quarter.csv",
            sales_csv(&rows),
            false,
        )
        .await;
    let job = up["data"]["uploadPosCsv"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{up:#}"))
        .to_string();
    assert_eq!(app.wait_job(&s.token, &job).await["state"], "SUCCEEDED");
    app.ok(&s.token, "mutation($i: ID!, $r: ID!) { mapPosItem(integrationId: $i, externalId: \"CAP\", recipeId: $r, quantityFactor: \"1\") { externalId } }", json!({"i": s.integration, "r": s.cappuccino})).await;
    app.ok(&s.token, "mutation($i: ID!, $b: ID!) { mapPosItem(integrationId: $i, externalId: \"ESP\", ingredientId: $b, quantityFactor: \"0.009\") { externalId } }", json!({"i": s.integration, "b": s.beans})).await;
    s
}

async fn activate(app: &TestApp, s: &CsvSetup) -> i64 {
    app.ok(
        &s.token,
        "mutation($l: ID!) { activateLocation(locationId: $l) { id } }",
        json!({"l": s.location}),
    )
    .await["activateLocation"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

async fn run_state(app: &TestApp, id: i64) -> job_run::Model {
    job_run::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

/// A company's entries as facts and derived values, free of ids and posting times, in the
/// order their pairs' running balances follow.
async fn ledger_as_facts(app: &TestApp, company: &str) -> Vec<Value> {
    let entries = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::CompanyId.eq(company.parse::<i64>().unwrap()))
        .order_by_asc(ledger_entry::Column::OccurredAt)
        .order_by_asc(ledger_entry::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    let names: std::collections::HashMap<i64, String> = entity::ingredient::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|i| (i.id, i.name))
        .collect();
    let mut facts: Vec<Value> = entries
        .iter()
        .map(|e| {
            json!([
                names[&e.ingredient_id],
                e.occurred_at,
                e.pos_sold_at,
                e.pos_item_name,
                e.transaction_type,
                e.quantity_micro,
                e.input_cost_micro,
                e.unit_cost_micro,
                e.value_micro,
                e.balance_after_micro,
                e.average_cost_after_micro,
                e.source_kind.to_string(),
                e.pos_amount_sold_micro,
                e.pos_sales_value_micro,
            ])
        })
        .collect();
    facts.sort_by_key(|f| f.to_string());
    facts
}

async fn worker_killed_mid_migration(backend: Backend) {
    let app = TestApp::spawn_with(backend, |s| s.no_workers = true).await;
    let setup_worker = spawn_worker(&app);
    let crashed = company_with_sales(&app, "crashed@example.com").await;
    let calm = company_with_sales(&app, "calm@example.com").await;
    kill(setup_worker);

    let migration = activate(&app, &crashed).await;
    let mut dice = Dice::new(0x5DEE_CE66_D1CE_F00D);
    let mut interrupted = 0;
    for k in 0..KILLS {
        let before = run_state(&app, migration).await;
        if before.state == job_run::JobState::Succeeded {
            break;
        }
        let worker = spawn_worker(&app);
        // Once this worker has taken the run (the queue hands it over after the last one's
        // beats stopped) — every other time only once it has finished a day — a random moment
        // later: before its first day, mid-day, between days, or while a day commits.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            let now = run_state(&app, migration).await;
            let taken = now.attempts > before.attempts;
            if taken && (k % 2 == 0 || now.progress_done > before.progress_done) {
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "no worker took the run over and moved it on"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        tokio::time::sleep(Duration::from_millis(dice.roll(100))).await;
        kill(worker);
        interrupted += 1;
    }
    assert_eq!(interrupted, KILLS, "the migration outlasted every kill");
    let progress = run_state(&app, migration).await;
    eprintln!(
        "after {KILLS} kills: {} of 90 days, {} claims",
        progress.progress_done, progress.attempts
    );
    assert!(
        (1..90).contains(&progress.progress_done),
        "part-way after the kills: {} of 90 days",
        progress.progress_done
    );

    // Left alone, one worker finishes it; the calm company's identical migration runs whole.
    let worker = spawn_worker(&app);
    let done = app.wait_job(&crashed.token, &migration.to_string()).await;
    assert_eq!(done["state"], "SUCCEEDED", "{done:#}");
    assert_eq!(done["progressDone"], 90);
    let calm_run = activate(&app, &calm).await;
    let calm_done = app.wait_job(&calm.token, &calm_run.to_string()).await;
    assert_eq!(calm_done["state"], "SUCCEEDED", "{calm_done:#}");
    kill(worker);

    let crashed_ledger = ledger_as_facts(&app, &crashed.company).await;
    let calm_ledger = ledger_as_facts(&app, &calm.company).await;
    assert!(calm_ledger.len() > 88 * 2, "the migration posted the days");
    assert_eq!(
        crashed_ledger.len(),
        calm_ledger.len(),
        "as many entries as a calm run"
    );
    for (c, k) in crashed_ledger.iter().zip(&calm_ledger) {
        assert_eq!(c, k, "the interrupted ledger differs from a calm run");
    }
    let runs = job_run::Entity::find().all(&app.db).await.unwrap();
    for r in &runs {
        assert_eq!(
            r.state,
            job_run::JobState::Succeeded,
            "every job run ends SUCCEEDED: {r:?}"
        );
    }
    check_invariants(&app.db, crashed.company.parse().unwrap()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_killed_twenty_times_mid_migration_leaves_the_ledger_of_a_calm_run_sqlite() {
    worker_killed_mid_migration(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_killed_twenty_times_mid_migration_leaves_the_ledger_of_a_calm_run_postgres() {
    worker_killed_mid_migration(Backend::Postgres).await;
}

/// What a client sent and what it was told.
struct Sent {
    note: String,
    quantity_micro: i64,
    /// The entry id, when the server said it succeeded.
    posted: Option<i64>,
}

/// `count` clients posting issues of flour, each with a note of its own, until `stop`: client
/// `c` starts on `urls[c % urls.len()]`; when a request fails (its server is going away) it goes
/// on through the next URL, or stops when there is only one.
fn posting_clients(
    count: u32,
    urls: &[String],
    k: &tests::kitchen::Kitchen,
    stop: &std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> Vec<tokio::task::JoinHandle<Vec<Sent>>> {
    (0..count)
        .map(|c| {
            let (urls, token, unit, flour, stop) = (
                urls.to_vec(),
                k.token.clone(),
                k.unit.clone(),
                k.flour.clone(),
                stop.clone(),
            );
            tokio::spawn(async move {
                let http = reqwest::Client::new();
                let mut sent = Vec::new();
                let mut via = c as usize % urls.len();
                let mut i = 0u32;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    i += 1;
                    let note = format!("client {c} posting {i}");
                    let quantity_micro = 1_000_000 + i64::from(c) * 1_000 + i64::from(i);
                    let body = json!({
                        "query": "mutation($i: MovementInput!, $n: String) { postIssue(input: $i, note: $n) { id } }",
                        "variables": {"i": {"storageUnitId": unit, "ingredientId": flour, "quantity": format!("{}", rust_decimal::Decimal::new(quantity_micro, 6))}, "n": note},
                    });
                    let answer = http.post(format!("{}graphql", urls[via])).bearer_auth(&token).json(&body).send().await;
                    let posted = match answer {
                        Ok(r) => r.json::<Value>().await.ok().and_then(|v| v["data"]["postIssue"]["id"].as_str().map(|id| id.parse().unwrap())),
                        Err(_) => None,
                    };
                    let failed = posted.is_none();
                    sent.push(Sent { note, quantity_micro, posted });
                    if failed {
                        if urls.len() == 1 {
                            break; // the server is gone
                        }
                        via = (via + 1) % urls.len();
                    }
                }
                sent
            })
        })
        .collect()
}

/// Stops the clients and holds the ledger against what they were told: every posting answered
/// is in it once, with its id and quantity, and every entry is one a client sent, whole. Returns
/// how many entries nobody was told about (postings in flight when a server went away).
async fn answered_postings_are_in_the_ledger_once(
    app: &TestApp,
    k: &tests::kitchen::Kitchen,
    stop: &std::sync::atomic::AtomicBool,
    clients: Vec<tokio::task::JoinHandle<Vec<Sent>>>,
) -> usize {
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut sent = Vec::new();
    for c in clients {
        sent.extend(c.await.unwrap());
    }
    let told_ok: Vec<&Sent> = sent.iter().filter(|s| s.posted.is_some()).collect();
    assert!(
        told_ok.len() > 20,
        "the load was under way: {} postings",
        told_ok.len()
    );
    let entries = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::CompanyId.eq(k.company_id))
        .all(&app.db)
        .await
        .unwrap();
    let mut by_note: std::collections::HashMap<&str, Vec<&ledger_entry::Model>> =
        Default::default();
    for e in &entries {
        by_note
            .entry(e.note.as_deref().unwrap_or(""))
            .or_default()
            .push(e);
    }
    for s in &told_ok {
        let found = by_note
            .get(s.note.as_str())
            .unwrap_or_else(|| panic!("{} was told posted but is missing", s.note));
        assert_eq!(found.len(), 1, "{} is in the ledger once", s.note);
        assert_eq!(Some(found[0].id), s.posted);
        assert_eq!(found[0].quantity_micro, -s.quantity_micro);
    }
    for e in &entries {
        let matching: Vec<&Sent> = sent
            .iter()
            .filter(|s| Some(s.note.as_str()) == e.note.as_deref())
            .collect();
        assert_eq!(matching.len(), 1, "every entry was sent, once");
        assert_eq!(e.quantity_micro, -matching[0].quantity_micro);
    }
    check_invariants(&app.db, k.company_id).await;
    entries.len() - told_ok.len()
}

async fn api_killed_during_a_burst(app: TestApp) {
    let k = app.kitchen("burst@example.com").await;
    let mut server = spawn_larder(&app, &["serve", "--no-workers", "--bind", "127.0.0.1:0"]);
    let url = served_at(&mut server);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let clients = posting_clients(8, &[url], &k, &stop);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    kill(server);
    let unknown = answered_postings_are_in_the_ledger_once(&app, &k, &stop, clients).await;
    // Beyond those, at most the postings in flight when the server died (one per client), each
    // whole or not at all.
    assert!(unknown <= 8, "{unknown} entries nobody was told about");
}
on_both_backends!(
    postings_a_client_saw_succeed_survive_a_killed_api,
    api_killed_during_a_burst
);

/// Where a `larder serve` child runs.
fn served_at(server: &mut Child) -> String {
    tests::served_at(server).unwrap_or_else(|line| panic!("unexpected first line {line:?}"))
}

/// Waits for a process told to stop; its exit status.
async fn stopped(mut child: Child, within: Duration) -> std::process::ExitStatus {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "still running after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Two API processes and two workers on one PostgreSQL database, under postings and a POS
/// migration; one of each stopped with SIGTERM mid-load. The API drains (every posting it
/// answered is in the ledger once, it exits 0), the clients go on through the other one, the
/// migration finishes on the other worker with the ledger of a calm run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_drains_one_of_two_apis_and_one_of_two_workers_mid_load() {
    let app = TestApp::spawn_with(Backend::Postgres, |s| s.no_workers = true).await;
    let workers = [spawn_worker(&app), spawn_worker(&app)];
    let moving = company_with_sales(&app, "drain@example.com").await;
    let calm = company_with_sales(&app, "drain-calm@example.com").await;
    let k = app.kitchen("drain-posts@example.com").await;
    let mut apis = Vec::new();
    let mut urls = Vec::new();
    for _ in 0..2 {
        let mut api = spawn_larder(&app, &["serve", "--no-workers", "--bind", "127.0.0.1:0"]);
        urls.push(served_at(&mut api));
        apis.push(api);
    }
    let migration = activate(&app, &moving).await;

    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let clients = posting_clients(4, &urls, &k, &stop);
    // Mid-load, once the migration has posted a day: one API and one worker are told to stop.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while run_state(&app, migration).await.progress_done == 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the migration started"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let [first_worker, second_worker] = workers;
    let first_api = apis.remove(0);
    tests::sigterm(&first_api);
    tests::sigterm(&first_worker);
    let api_status = stopped(first_api, Duration::from_secs(20)).await;
    assert!(
        api_status.success(),
        "the API drained and exited cleanly: {api_status}"
    );
    let worker_status = stopped(first_worker, Duration::from_secs(30)).await;
    assert!(
        worker_status.success(),
        "the worker stopped cleanly: {worker_status}"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    // Postings through the drained API that it answered after SIGTERM are in too.
    answered_postings_are_in_the_ledger_once(&app, &k, &stop, clients).await;

    let done = app.wait_job(&moving.token, &migration.to_string()).await;
    assert_eq!(done["state"], "SUCCEEDED", "{done:#}");
    let calm_run = activate(&app, &calm).await;
    let calm_done = app.wait_job(&calm.token, &calm_run.to_string()).await;
    assert_eq!(calm_done["state"], "SUCCEEDED", "{calm_done:#}");
    assert_eq!(
        ledger_as_facts(&app, &moving.company).await,
        ledger_as_facts(&app, &calm.company).await,
        "the migration handed over mid-way posted what a calm run posts"
    );
    for child in apis.into_iter().chain([second_worker]) {
        kill(child);
    }
}
