//! The public contract: every name the repository's copy (tests/contract/contract.graphql)
//! promises is offered by the live schema, except those listed in tests/contract-pending.txt for
//! parts not built yet — a list that only shrinks. Beside ../shared, the copy still holds every
//! name the shared file promises.

use std::collections::BTreeSet;

use serde_json::json;
use tests::contract::{INTROSPECTION, lacking, names, parse, promised};
use tests::{TestApp, on_both_backends};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{ROOT}/{path}")).unwrap_or_else(|e| panic!("{path}: {e}"))
}

async fn schema_offers_every_promised_name(app: TestApp) {
    let answer = app.gql(None, INTROSPECTION, json!({})).await;
    let types = &answer["data"]["__schema"]["types"];
    assert!(types.is_array(), "introspection answered: {answer}");
    let copy = read("tests/contract/contract.graphql");
    let missing: BTreeSet<String> = lacking(&parse(&copy), types).into_iter().collect();
    let pending_file = read("tests/contract-pending.txt");
    let pending: BTreeSet<String> = pending_file
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    let regressed: Vec<_> = missing.difference(&pending).collect();
    assert!(
        regressed.is_empty(),
        "the schema lacks contract names it must offer: {regressed:?}"
    );
    let done: Vec<_> = pending.difference(&missing).collect();
    assert!(
        done.is_empty(),
        "now offered, remove from tests/contract-pending.txt: {done:?}"
    );
}
on_both_backends!(
    schema_offers_the_contract,
    schema_offers_every_promised_name
);

#[test]
fn the_copy_holds_every_name_the_shared_contract_promises() {
    let shared = format!("{ROOT}/../shared/contract.graphql");
    let Ok(shared) = std::fs::read_to_string(&shared) else {
        eprintln!("{shared} is not beside this clone: nothing to compare the copy with");
        return;
    };
    let copy = names(&parse(&read("tests/contract/contract.graphql")));
    let owed: Vec<String> = names(&parse(promised(&shared)))
        .difference(&copy)
        .cloned()
        .collect();
    assert!(
        owed.is_empty(),
        "tests/contract/contract.graphql lacks names ../shared/contract.graphql promises: {owed:?}"
    );
}
