//! Many hands at once (issue 11, point 8): 20 clients over GraphQL for LARDER_BENCH_SECONDS
//! (default 10) each, doing random `transferStock` among 10 storage units of one ingredient,
//! then `postIssue` — throughput, p50/p99 and errors — beside the limit: a plain SQL transaction
//! of the same shape (lock the balance rows in order, update them, insert the entries) from 20
//! tasks through the same driver, on the same database in the same run: on Larder's own
//! `stock_balances` and `ledger_entries`, and on two bare tables (the floor).
//! Each load runs LARDER_BENCH_WARMUP seconds (default 2) before it is measured; a row's
//! LARDER_BENCH_SECONDS (default 12) are measured in LARDER_BENCH_ROUNDS turns (default 3).
//! Run: `cargo bench -p tests --bench concurrent_clients`
//! (LARDER_BENCH_BACKENDS=sqlite,postgres-socket,postgres; the default is all three).
//! With LARDER_BENCH_PGLEDGER naming a checkout of pgledger, the PostgreSQL backends also get a
//! row of the same transfers through pgledger's `pgledger_create_transfer`.

#[path = "concurrent_parts/pgledger.rs"]
mod pgledger;

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tests::dice::Dice;

const CLIENTS: usize = 20;
const UNITS: usize = 10;

fn seconds() -> u64 {
    env_number("LARDER_BENCH_SECONDS", 12)
}

/// Rounds each row's seconds are split into (LARDER_BENCH_ROUNDS, default 3): Larder, plain
/// SQL, the bare tables and pgledger take turns, so a row and its limit share the machine's
/// slow and fast minutes alike (this 2-core machine moved ±25 % between minutes).
fn rounds() -> u64 {
    env_number("LARDER_BENCH_ROUNDS", 3).max(1)
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// Seconds each load runs before it is measured (LARDER_BENCH_WARMUP, default 2): new pool
/// connections, PostgreSQL's per-connection caches and prepared statements are warm in every
/// row alike. Without it the first row of a run measured up to a third less than the same row
/// run later.
fn warmup_seconds() -> u64 {
    env_number("LARDER_BENCH_WARMUP", 2)
}

/// The dice of a client's `n`th request.
fn dice_for_request(client: usize, n: u64) -> Dice {
    Dice::new(
        (client as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)
            ^ n.wrapping_mul(0xBF58_476D_1CE4_E5B9),
    )
}

/// Two different storage units: from, to.
fn two_units(dice: &mut Dice) -> (usize, usize) {
    let from = dice.roll(UNITS as u64) as usize;
    let to = (from + 1 + dice.roll(UNITS as u64 - 1) as usize) % UNITS;
    (from, to)
}

/// What a run of the clients measured.
struct Figures {
    done: usize,
    errors: usize,
    first_error: Option<String>,
    elapsed: Duration,
    latencies_ms: Vec<f64>,
}

impl Figures {
    fn none() -> Self {
        Self {
            done: 0,
            errors: 0,
            first_error: None,
            elapsed: Duration::ZERO,
            latencies_ms: Vec::new(),
        }
    }

    /// Adds another round's figures.
    fn absorb(&mut self, round: Figures) {
        self.done += round.done;
        self.errors += round.errors;
        if self.first_error.is_none() {
            self.first_error = round.first_error;
        }
        self.elapsed += round.elapsed;
        self.latencies_ms.extend(round.latencies_ms);
        self.latencies_ms.sort_by(|a, b| a.total_cmp(b));
    }

    fn per_second(&self) -> f64 {
        self.done as f64 / self.elapsed.as_secs_f64()
    }

    fn percentile(&self, p: f64) -> f64 {
        if self.latencies_ms.is_empty() {
            return f64::NAN;
        }
        let at = ((self.latencies_ms.len() as f64 - 1.0) * p).round() as usize;
        self.latencies_ms[at]
    }
}

/// Runs `CLIENTS` tasks calling `one(client, dice)` until the time is up.
async fn load<F, Fut>(one: F) -> Figures
where
    F: Fn(usize, u64) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<(), String>> + Send,
{
    let one = Arc::new(one);
    let started = Instant::now() + Duration::from_secs(warmup_seconds());
    let until = started + Duration::from_millis(seconds() * 1000 / rounds());
    let mut tasks = Vec::new();
    for client in 0..CLIENTS {
        let one = one.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let (mut errors, mut first_error) = (0, None);
            let mut n = 0u64;
            while Instant::now() < until {
                n += 1;
                let t = Instant::now();
                let outcome = one(client, n).await;
                if t < started {
                    continue;
                }
                match outcome {
                    Ok(()) => latencies.push(t.elapsed().as_secs_f64() * 1000.0),
                    Err(e) => {
                        errors += 1;
                        first_error.get_or_insert(e);
                    }
                }
            }
            (latencies, errors, first_error)
        }));
    }
    let mut figures = Figures::none();
    for t in tasks {
        let (latencies, errors, first_error) = t.await.expect("a client");
        figures.done += latencies.len();
        figures.latencies_ms.extend(latencies);
        figures.errors += errors;
        if figures.first_error.is_none() {
            figures.first_error = first_error;
        }
    }
    figures.elapsed = started.elapsed();
    figures.latencies_ms.sort_by(|a, b| a.total_cmp(b));
    figures
}

/// Larder, served in this process on a free port, with a company of 10 storage units holding
/// one ingredient.
struct Served {
    url: String,
    token: String,
    company: String,
    units: Vec<String>,
    ingredient: String,
    http: reqwest::Client,
}

impl Served {
    async fn gql(&self, query: &str, variables: Value) -> Result<Value, String> {
        let answer: Value = self
            .http
            .post(format!("{}/graphql", self.url))
            .bearer_auth(&self.token)
            .json(&json!({"query": query, "variables": variables}))
            .send()
            .await
            .map_err(|e| e.to_string())?
            .json()
            .await
            .map_err(|e| e.to_string())?;
        match answer.get("errors") {
            Some(errors) => Err(errors.to_string()),
            None => Ok(answer["data"].clone()),
        }
    }
}

async fn serve(url: &str, data_dir: std::path::PathBuf) -> Served {
    let mut settings = api::config::ServeSettings::for_data_dir(data_dir);
    settings.database_url = Some(url.to_string());
    settings.bind = "127.0.0.1:0".parse().unwrap();
    settings.no_workers = true;
    let app = api::startup::Application::build(settings)
        .await
        .expect("server");
    let address = format!("http://{}", app.address());
    tokio::spawn(app.run_until_stopped());
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(CLIENTS)
        .build()
        .unwrap();
    let signed: Value = http
        .post(format!("{address}/graphql"))
        .json(&json!({
            "query": "mutation($i: SignUpInput!) { signUp(input: $i) { token user { memberships { company { id } } } } }",
            "variables": {"i": {"email": "bench@example.com", "password": "benchmark!", "name": "Bench", "companyName": "Bench Bistro", "timezone": "Europe/Berlin", "currency": "EUR"}},
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = signed["data"]["signUp"]["token"]
        .as_str()
        .unwrap()
        .to_string();
    let company = signed["data"]["signUp"]["user"]["memberships"][0]["company"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut served = Served {
        url: address,
        token,
        company: company.clone(),
        units: Vec::new(),
        ingredient: String::new(),
        http,
    };
    served.ingredient = served
        .gql("mutation($c: ID!) { createIngredient(companyId: $c, name: \"Flour\", baseUnit: KG) { id } }", json!({"c": company}))
        .await
        .unwrap()["createIngredient"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    for u in 0..UNITS {
        let unit = served
            .gql("mutation($c: ID!, $n: String!) { createStorageUnit(companyId: $c, name: $n) { id } }", json!({"c": company, "n": format!("Unit {u}")}))
            .await
            .unwrap()["createStorageUnit"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        served
            .gql("mutation($s: ID!, $i: ID!) { postReceipt(input: {storageUnitId: $s, ingredientId: $i, quantity: \"100000\", occurredAt: \"2020-01-01T00:00:00Z\"}, unitCost: \"1.25\") { id } }", json!({"s": unit, "i": served.ingredient}))
            .await
            .unwrap();
        served.units.push(unit);
    }
    served
}

async fn graphql_transfers(served: Arc<Served>) -> Figures {
    load(move |client, n| {
        let served = served.clone();
        async move {
            let (from, to) = two_units(&mut dice_for_request(client, n));
            served
                .gql("mutation($f: ID!, $t: ID!, $i: ID!) { transferStock(fromStorageUnitId: $f, toStorageUnitId: $t, ingredientId: $i, quantity: \"0.5\") { id } }", json!({"f": served.units[from], "t": served.units[to], "i": served.ingredient}))
                .await
                .map(|_| ())
        }
    })
    .await
}

async fn graphql_issues(served: Arc<Served>) -> Figures {
    load(move |client, n| {
        let served = served.clone();
        async move {
            let unit = dice_for_request(client, n).roll(UNITS as u64) as usize;
            served
                .gql("mutation($s: ID!, $i: ID!) { postIssue(input: {storageUnitId: $s, ingredientId: $i, quantity: \"0.25\"}) { id } }", json!({"s": served.units[unit], "i": served.ingredient}))
                .await
                .map(|_| ())
        }
    })
    .await
}

/// Where the plain SQL limit writes.
#[derive(Clone, Copy)]
enum Tables {
    /// Larder's own `stock_balances` and `ledger_entries` (their indexes, foreign keys and
    /// append-only triggers): the shape a posting has, without anything else a request does.
    Larder { company: i64, ingredient: i64 },
    /// Two bare tables of the same columns' kind, keyed by unit alone: the floor.
    Bare,
}

/// The limit: the same shape in plain SQL, through the same driver with a pool of `CLIENTS`
/// connections. A transfer locks two balance rows in order, updates both and inserts two
/// entries; an issue locks, updates and inserts one.
async fn plain_sql(url: &str, sides: usize, tables: Tables, units: Arc<Vec<i64>>) -> Figures {
    use sea_orm::{ConnectOptions, ConnectionTrait, Database, DbBackend, TransactionTrait};
    let mut options = ConnectOptions::new(url.to_string());
    options.max_connections(CLIENTS as u32).sqlx_logging(false);
    let db = Arc::new(Database::connect(options).await.unwrap());
    let sqlite = db.get_database_backend() == DbBackend::Sqlite;
    if let Tables::Bare = tables {
        let id = if sqlite {
            "INTEGER PRIMARY KEY"
        } else {
            "BIGSERIAL PRIMARY KEY"
        };
        for sql in [
            "DROP TABLE IF EXISTS plain_entries".to_string(),
            "DROP TABLE IF EXISTS plain_balances".to_string(),
            "CREATE TABLE plain_balances (unit BIGINT PRIMARY KEY, quantity BIGINT NOT NULL, entries BIGINT NOT NULL)".to_string(),
            format!("CREATE TABLE plain_entries (id {id}, unit BIGINT NOT NULL, quantity BIGINT NOT NULL, balance_after BIGINT NOT NULL, at BIGINT NOT NULL)"),
        ] {
            db.execute_unprepared(&sql).await.unwrap();
        }
        for u in units.iter() {
            db.execute_unprepared(&format!(
                "INSERT INTO plain_balances VALUES ({u}, 100000000000, 1)"
            ))
            .await
            .unwrap();
        }
    }
    load(move |client, n| {
        let (db, units) = (db.clone(), units.clone());
        async move {
            let (from, to) = two_units(&mut dice_for_request(client, n));
            let mut sides_of = vec![(units[from], -500_000i64), (units[to], 500_000)];
            sides_of.truncate(sides);
            sides_of.sort();
            let kind = |q: i64| match (sides, q < 0) {
                (1, _) => "ISSUE",
                (_, true) => "TRANSFER_OUT",
                _ => "TRANSFER_IN",
            };
            let fail = |e: sea_orm::DbErr| e.to_string();
            let txn = db
                .begin_with_options(sea_orm::TransactionOptions {
                    isolation_level: None,
                    access_mode: None,
                    sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
                })
                .await
                .map_err(fail)?;
            let lock = if sqlite { "" } else { " FOR UPDATE" };
            let mut statements = Vec::new();
            match tables {
                Tables::Bare => {
                    let list = sides_of.iter().map(|(u, _)| u.to_string()).collect::<Vec<_>>().join(", ");
                    statements.push(format!("SELECT quantity FROM plain_balances WHERE unit IN ({list}) ORDER BY unit{lock}"));
                    for (unit, q) in &sides_of {
                        statements.push(format!("UPDATE plain_balances SET quantity = quantity + {q}, entries = entries + 1 WHERE unit = {unit}"));
                        statements.push(format!("INSERT INTO plain_entries (unit, quantity, balance_after, at) SELECT unit, {q}, quantity, {n} FROM plain_balances WHERE unit = {unit}"));
                    }
                }
                Tables::Larder { company, ingredient } => {
                    let list = sides_of.iter().map(|(u, _)| format!("({ingredient}, {u})")).collect::<Vec<_>>().join(", ");
                    statements.push(format!("SELECT quantity_micro FROM stock_balances WHERE (ingredient_id, storage_unit_id) IN ({list}) ORDER BY ingredient_id, storage_unit_id{lock}"));
                    let now = chrono::Utc::now().timestamp_micros();
                    for (unit, q) in &sides_of {
                        let pair = format!("ingredient_id = {ingredient} AND storage_unit_id = {unit}");
                        statements.push(format!("UPDATE stock_balances SET quantity_micro = quantity_micro + {q}, entry_count = entry_count + 1, last_occurred_at = {now} WHERE {pair}"));
                        // SQLite's ledger has no rowid to draw ids from (m0018): the next past the largest.
                        let (id, next_id) = if sqlite { ("id, ", "(SELECT COALESCE(MAX(id), 0) + 1 FROM ledger_entries), ") } else { ("", "") };
                        statements.push(format!("INSERT INTO ledger_entries ({id}company_id, ingredient_id, storage_unit_id, transaction_type, quantity_micro, occurred_at, posted_at, source_kind, unit_cost_micro, value_micro, balance_after_micro, average_cost_after_micro) SELECT {next_id}{company}, ingredient_id, storage_unit_id, '{}', {q}, {now}, {now}, 'PLAIN_SQL', average_cost_micro, 0, quantity_micro, average_cost_micro FROM stock_balances WHERE {pair}", kind(*q)));
                    }
                }
            }
            for sql in statements {
                txn.execute_unprepared(&sql).await.map_err(fail)?;
            }
            sea_orm::TransactionSession::commit(txn).await.map_err(fail)?;
            Ok(())
        }
    })
    .await
}

fn row(label: &str, operation: &str, graphql: &Figures, plain: &Figures, bare: &Figures) {
    println!(
        "| {label} | {operation} | {:.0}/s | {:.1} | {:.1} | {} | {:.0}/s | {:.1} | {:.1} | {:.0} % | {:.0}/s |",
        graphql.per_second(),
        graphql.percentile(0.5),
        graphql.percentile(0.99),
        graphql.errors,
        plain.per_second(),
        plain.percentile(0.5),
        plain.percentile(0.99),
        100.0 * graphql.per_second() / plain.per_second(),
        bare.per_second(),
    );
    for (what, f) in [
        ("GraphQL", graphql),
        ("plain SQL", plain),
        ("bare tables", bare),
    ] {
        report_errors(label, operation, what, f);
    }
}

fn report_errors(label: &str, operation: &str, what: &str, f: &Figures) {
    if let Some(e) = &f.first_error {
        eprintln!(
            "{label} {operation} {what}: {} errors, the first: {e}",
            f.errors
        );
    }
}

/// pgledger's row; where the table says GraphQL / plain, Larder's `transferStock` beside it.
fn pgledger_row(label: &str, pgledger: &Figures, transfers: &Figures) {
    println!(
        "| {label} | pgledger transfer | {:.0}/s | {:.1} | {:.1} | {} | | | | transferStock {:.0} % of it | |",
        pgledger.per_second(),
        pgledger.percentile(0.5),
        pgledger.percentile(0.99),
        pgledger.errors,
        100.0 * transfers.per_second() / pgledger.per_second(),
    );
    report_errors(label, "transfer", "pgledger", pgledger);
}

fn main() {
    println!(
        "{CLIENTS} clients, {} s a row in {} rounds, {UNITS} storage units of one ingredient; latencies in ms",
        seconds(),
        rounds()
    );
    println!(
        "| database | operation | GraphQL | p50 | p99 | errors | plain SQL | p50 | p99 | GraphQL / plain | bare tables |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    tests::for_each_bench_database("sqlite,postgres-socket,postgres", |label, url| async move {
        let dir = std::env::temp_dir().join(format!("larder_bench_clients_{}", std::process::id()));
        let served = Arc::new(serve(&url, dir.clone()).await);
        let id = |s: &str| s.parse::<i64>().expect("a decimal id");
        let units: Arc<Vec<i64>> = Arc::new(served.units.iter().map(|u| id(u)).collect());
        let larder = Tables::Larder {
            company: id(&served.company),
            ingredient: id(&served.ingredient),
        };
        let pgledger_sql = pgledger::sql_dir().filter(|_| url.starts_with("postgres"));
        let (mut transfers, mut plain, mut bare) =
            (Figures::none(), Figures::none(), Figures::none());
        let mut with_pgledger: Option<Result<Figures, String>> =
            pgledger_sql.as_ref().map(|_| Ok(Figures::none()));
        for _ in 0..rounds() {
            transfers.absorb(graphql_transfers(served.clone()).await);
            plain.absorb(plain_sql(&url, 2, larder, units.clone()).await);
            bare.absorb(plain_sql(&url, 2, Tables::Bare, units.clone()).await);
            if let (Some(sql), Some(Ok(figures))) = (&pgledger_sql, &mut with_pgledger) {
                match pgledger::transfers(&url, sql).await {
                    Ok(round) => figures.absorb(round),
                    Err(e) => with_pgledger = Some(Err(e)),
                }
            }
        }
        row(label, "transferStock", &transfers, &plain, &bare);
        match with_pgledger {
            Some(Ok(f)) => pgledger_row(label, &f, &transfers),
            Some(Err(e)) => eprintln!("{label} pgledger transfer: {e}"),
            None => {}
        }
        let (mut issues, mut plain, mut bare) = (Figures::none(), Figures::none(), Figures::none());
        for _ in 0..rounds() {
            issues.absorb(graphql_issues(served.clone()).await);
            plain.absorb(plain_sql(&url, 1, larder, units.clone()).await);
            bare.absorb(plain_sql(&url, 1, Tables::Bare, units.clone()).await);
        }
        row(label, "postIssue", &issues, &plain, &bare);
        let _ = std::fs::remove_dir_all(dir);
    });
}
