//! The same transfers through pgledger (github.com/pgr0ss/pgledger, MIT), a double-entry ledger
//! that lives entirely in PostgreSQL functions: one `pgledger_create_transfer` call locks both
//! accounts in id order, updates their balances and inserts the transfer and its two entries — the
//! plain SQL limit's shape, done by the server in one round trip. A yardstick from outside: what
//! another ledger does with the same clients, the same units and the same driver.
//! Its SQL is not part of Larder: `LARDER_BENCH_PGLEDGER` names a checkout of it, and the row is
//! left out without one.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement,
};

use super::{CLIENTS, Figures, UNITS, dice_for_request, load, two_units};

/// pgledger's install order (its README and its justfile's `dbload`): the vendored ULID helpers
/// first, because `pgledger.sql` creates `pgledger_generate_id` as a `LANGUAGE sql` function, whose
/// body PostgreSQL checks at creation and which calls `uuid_to_ulid`. No extension is needed:
/// `gen_random_uuid` is built in since PostgreSQL 13 (`uuidv7` is used when there, from 18).
const FILES: [&str; 3] = [
    "vendor/scoville-pgsql-ulid/ulid-to-uuid.sql",
    "vendor/scoville-pgsql-ulid/uuid-to-ulid.sql",
    "pgledger.sql",
];

/// The checkout of pgledger named by `LARDER_BENCH_PGLEDGER`, if any.
pub fn sql_dir() -> Option<PathBuf> {
    std::env::var_os("LARDER_BENCH_PGLEDGER")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
}

/// `CLIENTS` clients making random transfers of 0.5 among `UNITS` pgledger accounts, in a
/// scratch database beside `bench_url`'s (reached the same way: TCP or the socket), so that
/// pgledger's tables, type and helper functions never meet Larder's schema. The scratch database
/// is dropped whatever happens.
pub async fn transfers(bench_url: &str, dir: &Path) -> Result<Figures, String> {
    let name = format!("larder_bench_pgledger_{}", std::process::id());
    tests::create_pg_database(&name).await;
    let figures = run(bench_url, &name, dir).await;
    tests::drop_pg_database(&name).await;
    figures
}

async fn run(bench_url: &str, name: &str, dir: &Path) -> Result<Figures, String> {
    let mut url = url::Url::parse(bench_url).map_err(|e| format!("{bench_url}: {e}"))?;
    url.set_path(&format!("/{name}"));
    let mut options = ConnectOptions::new(url.to_string());
    options.max_connections(CLIENTS as u32).sqlx_logging(false);
    let db = Arc::new(
        Database::connect(options)
            .await
            .map_err(|e| e.to_string())?,
    );
    for file in FILES {
        let path = dir.join(file);
        let sql = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        // One simple-query message a file: the `$$` bodies go through as they are.
        db.execute_unprepared(&sql)
            .await
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    // Accounts take the defaults (a balance may go below zero, as Larder's stock may); each
    // starts with 100000, like Larder's units after their receipt, moved in from a supplier.
    let supplier = id(
        &db,
        "SELECT id FROM pgledger_create_account('supplier', 'KG')",
        [],
    )
    .await?;
    let mut accounts = Vec::new();
    for u in 0..UNITS {
        let account = id(
            &db,
            "SELECT id FROM pgledger_create_account($1, 'KG')",
            [format!("Unit {u}").into()],
        )
        .await?;
        id(
            &db,
            "SELECT id FROM pgledger_create_transfer($1, $2, 100000)",
            [supplier.clone().into(), account.clone().into()],
        )
        .await?;
        accounts.push(account);
    }
    let accounts = Arc::new(accounts);
    // Bound ids, as pgledger's own performance check does (pgx, `$1, $2`); sqlx prepares the
    // statement once a connection. One call a transfer, in autocommit.
    Ok(load(move |client, n| {
        let (db, accounts) = (db.clone(), accounts.clone());
        async move {
            let (from, to) = two_units(&mut dice_for_request(client, n));
            id(
                &db,
                "SELECT id FROM pgledger_create_transfer($1, $2, 0.5)",
                [accounts[from].clone().into(), accounts[to].clone().into()],
            )
            .await
            .map(|_| ())
        }
    })
    .await)
}

/// The `id` of the one row `sql` answers.
async fn id<const N: usize>(
    db: &DatabaseConnection,
    sql: &str,
    values: [sea_orm::Value; N],
) -> Result<String, String> {
    db.query_one_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        sql,
        values,
    ))
    .await
    .map_err(|e| e.to_string())?
    .ok_or_else(|| format!("no row from {sql}"))?
    .try_get("", "id")
    .map_err(|e| e.to_string())
}
