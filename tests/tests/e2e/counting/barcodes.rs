//! Barcodes: a GTIN names one product in use per company, whatever length the scanner sends;
//! an unknown code can be given to a product that has none.

use serde_json::json;
use tests::{TestApp, error_code, error_field, on_both_backends};

use super::{Cellar, id};

const FIND: &str = "query($c: ID!, $code: String!) { findByBarcode(companyId: $c, code: $code) { code product { name gtin } ingredient { name } } }";
const EAN: &str = "4006381333931";

async fn product(
    app: &TestApp,
    c: &Cellar,
    vendor: &str,
    sku: &str,
    gtin: Option<&str>,
) -> serde_json::Value {
    let gtin = gtin.map_or(String::new(), |g| format!(", gtin: \"{g}\""));
    app.gql(Some(&c.owner), &format!("mutation($c: ID!, $v: ID!, $i: ID!) {{ createProduct(companyId: $c, input: {{vendorId: $v, ingredientId: $i, name: \"Flour {sku}\", sku: \"{sku}\", packName: \"sack\", packagingFactor: \"25\"{gtin}}}) {{ id gtin }} }}"), json!({"c": c.company, "v": vendor, "i": c.flour}))
        .await
}

async fn vendor(app: &TestApp, c: &Cellar) -> String {
    id(&app
        .ok(
            &c.owner,
            "mutation($c: ID!) { createVendor(companyId: $c, input: {name: \"Mill\"}) { id } }",
            json!({"c": c.company}),
        )
        .await["createVendor"]["id"])
}

async fn gtins(app: TestApp) {
    let c = Cellar::open(&app, "scan@example.com").await;
    let mill = vendor(&app, &c).await;
    let sack = product(&app, &c, &mill, "F25", Some(EAN)).await;
    assert_eq!(sack["data"]["createProduct"]["gtin"], EAN);
    // The EAN-13 and the GTIN-14 a scanner may send are one code.
    for code in [EAN, "04006381333931"] {
        let found = app
            .ok(&c.anna, FIND, json!({"c": c.company, "code": code}))
            .await;
        assert_eq!(
            found["findByBarcode"],
            json!({"code": code, "product": {"name": "Flour F25", "gtin": EAN}, "ingredient": {"name": "Flour"}})
        );
    }
    // One product per code in a company, in either length.
    let twin = product(&app, &c, &mill, "F25b", Some("04006381333931")).await;
    assert_eq!(error_code(&twin), "CONFLICT");
    assert_eq!(error_field(&twin), "gtin");
    // Another company may carry the same code, and neither sees the other's.
    let rival = Cellar::open(&app, "rival.scan@example.com").await;
    let rival_mill = vendor(&app, &rival).await;
    let theirs = product(&app, &rival, &rival_mill, "R1", Some(EAN)).await;
    assert!(theirs.get("errors").is_none(), "{theirs:#}");
    let empty = app
        .ok(
            &rival.owner,
            FIND,
            json!({"c": rival.company, "code": "96385074"}),
        )
        .await;
    assert_eq!(
        empty["findByBarcode"],
        json!({"code": "96385074", "product": null, "ingredient": null})
    );
    let foreign = app
        .gql(
            Some(&rival.owner),
            FIND,
            json!({"c": c.company, "code": EAN}),
        )
        .await;
    assert_eq!(error_code(&foreign), "NOT_FOUND");
    // A misread is not a code: scan again.
    for bad in ["4006381333932", "12345", "abc", &"9".repeat(100)] {
        let r = app
            .gql(Some(&c.anna), FIND, json!({"c": c.company, "code": bad}))
            .await;
        assert_eq!(error_code(&r), "VALIDATION", "{bad}");
        assert_eq!(error_field(&r), "code");
    }
    // An archived product frees its code.
    let sack_id = id(&sack["data"]["createProduct"]["id"]);
    app.ok(
        &c.owner,
        "mutation($p: ID!) { archiveProduct(id: $p) { id } }",
        json!({"p": sack_id}),
    )
    .await;
    let again = product(&app, &c, &mill, "F25c", Some(EAN)).await;
    assert!(again.get("errors").is_none(), "{again:#}");
    // … and cannot come back while another carries it.
    let back = app
        .gql(
            Some(&c.owner),
            "mutation($p: ID!) { archiveProduct(id: $p, archived: false) { id } }",
            json!({"p": sack_id}),
        )
        .await;
    assert_eq!(error_code(&back), "CONFLICT");
}
on_both_backends!(a_gtin_names_one_product_per_company_in_any_length, gtins);

async fn assigning(app: TestApp) {
    let c = Cellar::open(&app, "assign@example.com").await;
    let mill = vendor(&app, &c).await;
    let plain = id(&product(&app, &c, &mill, "P1", None).await["data"]["createProduct"]["id"]);
    let coded = id(&product(&app, &c, &mill, "P2", Some(EAN)).await["data"]["createProduct"]["id"]);
    const ASSIGN: &str =
        "mutation($p: ID!, $code: String!) { assignBarcode(productId: $p, code: $code) { gtin } }";
    // A counter fills a blank…
    let done = app
        .ok(&c.anna, ASSIGN, json!({"p": plain, "code": "96385074"}))
        .await;
    assert_eq!(done["assignBarcode"]["gtin"], "96385074");
    let found = app
        .ok(&c.anna, FIND, json!({"c": c.company, "code": "96385074"}))
        .await;
    assert_eq!(found["findByBarcode"]["product"]["name"], "Flour P1");
    // … and again is no change; but does not overwrite one, nor take another product's.
    app.ok(&c.anna, ASSIGN, json!({"p": plain, "code": "96385074"}))
        .await;
    let overwrite = app
        .gql(
            Some(&c.anna),
            ASSIGN,
            json!({"p": coded, "code": "036000291452"}),
        )
        .await;
    assert_eq!(error_code(&overwrite), "CONFLICT");
    let third = id(&product(&app, &c, &mill, "P3", None).await["data"]["createProduct"]["id"]);
    let taken = app
        .gql(Some(&c.anna), ASSIGN, json!({"p": third, "code": EAN}))
        .await;
    assert_eq!(error_code(&taken), "CONFLICT");
    let bad = app
        .gql(
            Some(&c.anna),
            ASSIGN,
            json!({"p": third, "code": "4006381333932"}),
        )
        .await;
    assert_eq!(error_code(&bad), "VALIDATION");
}
on_both_backends!(
    an_unknown_code_can_be_given_to_a_product_without_one,
    assigning
);
