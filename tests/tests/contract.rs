//! The public contract (../shared/contract.graphql): every name it promises is offered, except
//! those listed in tests/contract-pending.txt for parts not built yet — a list that only shrinks.

use std::collections::BTreeSet;
use std::process::Command;

use tests::{TestApp, on_both_backends};

async fn contract(app: TestApp) {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let checker = format!("{root}/../shared/tools/contract-check");
    assert!(
        std::path::Path::new(&checker).exists(),
        "{checker} missing: the repository is checked out beside shared/"
    );
    let address = app.address.clone();
    let out = tokio::task::spawn_blocking(move || {
        Command::new("python3").arg(&checker).arg(&address).output()
    })
    .await
    .unwrap()
    .expect("python3 runs the contract check");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let missing: BTreeSet<&str> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("missing: "))
        .collect();
    let pending_file =
        std::fs::read_to_string(format!("{root}/tests/contract-pending.txt")).unwrap();
    let pending: BTreeSet<&str> = pending_file
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let regressed: Vec<_> = missing.difference(&pending).collect();
    assert!(
        regressed.is_empty(),
        "the schema lacks contract names it must offer: {regressed:?}\n{stdout}"
    );
    let done: Vec<_> = pending.difference(&missing).collect();
    assert!(
        done.is_empty(),
        "now offered, remove from tests/contract-pending.txt: {done:?}"
    );
}
on_both_backends!(schema_offers_the_contract, contract);
