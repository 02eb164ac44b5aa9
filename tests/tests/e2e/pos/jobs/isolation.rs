//! Another company's POS ids are not found.

use super::*;

/// Every POS query and mutation given another company's ids answers NOT_FOUND (or nothing, for
/// `job`) and changes nothing.
async fn pos_isolation(app: TestApp) {
    let victim = app.csv_setup("victim@example.com").await;
    let job = app.activate(&victim.token, &victim.location).await;
    let job_id = job["id"].as_str().unwrap().to_string();
    let intruder = app.csv_setup("intruder@example.com").await;
    let snapshot = "query($c: ID!, $i: ID!) { posIntegrations(companyId: $c) { name automaticTransfer csvConfig { codeColumn } locations { name active storageUnit { id } } } posItems(integrationId: $i) { externalId mapping { quantityFactor } } jobs(companyId: $c) { id state } }";
    let before = app
        .ok(
            &victim.token,
            snapshot,
            json!({"c": victim.company, "i": victim.integration}),
        )
        .await;
    let v = json!({
        "c": victim.company, "i": victim.integration, "l": victim.location, "j": job_id,
        "s": victim.kitchen, "g": victim.beans, "r": victim.cappuccino,
        "ownI": intruder.integration, "ownL": intruder.location, "ownS": intruder.kitchen,
    });
    let config = tests::pos::CSV_CONFIG;
    let calls = [
        "query($c: ID!) { posIntegrations(companyId: $c) { id } }".to_string(),
        "query($i: ID!) { posIntegration(id: $i) { id } }".into(),
        "query($l: ID!) { posLocation(id: $l) { id } }".into(),
        "query($i: ID!) { posItems(integrationId: $i) { externalId } }".into(),
        "query($i: ID!) { unmappedItems(integrationId: $i) { externalId } }".into(),
        "query($i: ID!) { mappingHealth(integrationId: $i) { items } }".into(),
        "query($c: ID!) { jobs(companyId: $c) { id } }".into(),
        "query($i: ID!) { webhookSecret(integrationId: $i) }".into(),
        format!("query($i: ID!) {{ previewCsv(integrationId: $i, config: {config}, sampleBase64: \"\") {{ header }} }}"),
        "mutation($c: ID!) { createPosIntegration(companyId: $c, provider: CSV, name: \"x\") { id } }".into(),
        format!("mutation($i: ID!) {{ configureCsvImport(integrationId: $i, config: {config}) {{ id }} }}"),
        "mutation($i: ID!) { createPosLocation(integrationId: $i, externalId: \"x\", name: \"x\") { id } }".into(),
        "mutation($l: ID!, $ownS: ID!) { linkStorageUnit(locationId: $l, storageUnitId: $ownS) { id } }".into(),
        "mutation($ownL: ID!, $s: ID!) { linkStorageUnit(locationId: $ownL, storageUnitId: $s) { id } }".into(),
        "mutation($l: ID!) { activateLocation(locationId: $l) { id } }".into(),
        "mutation($l: ID!) { deactivateLocation(locationId: $l) { id } }".into(),
        "mutation($l: ID!) { rerunMigration(locationId: $l) { id } }".into(),
        "mutation($l: ID!) { startManualTransfer(locationId: $l, businessDate: \"2026-01-01\") { id } }".into(),
        "mutation($i: ID!) { mapPosItem(integrationId: $i, externalId: \"X\", quantityFactor: \"1\", ignore: true) { externalId } }".into(),
        "mutation($ownI: ID!, $g: ID!) { mapPosItem(integrationId: $ownI, externalId: \"X\", ingredientId: $g, quantityFactor: \"1\") { externalId } }".into(),
        "mutation($ownI: ID!, $r: ID!) { mapPosItems(integrationId: $ownI, externalIds: [\"X\"], recipeId: $r, quantityFactor: \"1\") }".into(),
        "mutation($i: ID!) { unmapPosItem(integrationId: $i, externalId: \"X\") { externalId } }".into(),
        "mutation($i: ID!) { transferUntransferredDays(integrationId: $i) { id } }".into(),
        "mutation($i: ID!) { pauseAutomaticTransfer(integrationId: $i) { id } }".into(),
        "mutation($i: ID!) { resumeAutomaticTransfer(integrationId: $i) { id } }".into(),
        "mutation($j: ID!) { cancelJob(id: $j) { id } }".into(),
        "mutation($i: ID!) { rotateWebhookSecret(integrationId: $i) }".into(),
        "mutation($c: ID!) { createPosIntegration(companyId: $c, provider: SIDES, name: \"x\", sidesLogin: {username: \"u\", password: \"p\"}) { id } }".into(),
        "mutation($i: ID!) { connectSides(integrationId: $i, username: \"u\", password: \"p\") { id } }".into(),
        "mutation($i: ID!) { testPosConnection(integrationId: $i) }".into(),
        "mutation($i: ID!) { lightspeedAuthorizeUrl(integrationId: $i) }".into(),
        "mutation($i: ID!) { syncLocations(integrationId: $i) { id } }".into(),
        "mutation($i: ID!) { syncItems(integrationId: $i) { id } }".into(),
    ];
    for call in &calls {
        // Only the variables the operation declares.
        let vars: serde_json::Map<String, Value> = v
            .as_object()
            .unwrap()
            .iter()
            .filter(|(k, _)| call.contains(&format!("${k}:")))
            .map(|(k, val)| (k.clone(), val.clone()))
            .collect();
        let r = app
            .gql(Some(&intruder.token), call, Value::Object(vars))
            .await;
        assert_eq!(error_code(&r), "NOT_FOUND", "{call}: {r}");
    }
    let r = app
        .gql(
            Some(&intruder.token),
            "query($j: ID!) { job(id: $j) { id } }",
            json!({"j": job_id}),
        )
        .await;
    assert_eq!(r["data"]["job"], Value::Null);
    let up = app
        .upload_csv(
            &intruder.token,
            &victim.integration,
            &victim.location,
            "x.csv",
            b"a".to_vec(),
            false,
        )
        .await;
    assert_eq!(error_code(&up), "NOT_FOUND");
    let up = app
        .upload_csv(
            &intruder.token,
            &intruder.integration,
            &victim.location,
            "x.csv",
            b"a".to_vec(),
            false,
        )
        .await;
    assert_eq!(error_code(&up), "NOT_FOUND");
    let after = app
        .ok(
            &victim.token,
            snapshot,
            json!({"c": victim.company, "i": victim.integration}),
        )
        .await;
    assert_eq!(before, after, "the victim's POS setup is unchanged");
}
on_both_backends!(foreign_pos_ids_are_not_found, pos_isolation);
