//! A kitchen's purchasing worked through by hand: milk on an automatic policy from 28 days of
//! usage, flour on a manual par with a sent order on the way, pack and minimum rounding, one
//! draft per vendor at the latest price, a vendor under its minimum, and what sending changes.

use rust_decimal::Decimal;
use serde_json::{Value, json};
use tests::calendar::open_business_day;
use tests::{TestApp, error_code, error_field, on_both_backends};

use super::{SUGGESTIONS, dec, id, issue, noons_before, receive};

/// What a test needs of the kitchen: its token, company, storage unit and the two ingredients
/// with their preferred products.
struct Buyer {
    token: String,
    company: String,
    kitchen: String,
    milk: String,
    flour: String,
    crate_of_milk: String,
    sack_of_flour: String,
}

async fn buyer(app: &TestApp, email: &str) -> Buyer {
    let k = app.kitchen(email).await;
    let t = k.token.as_str();
    let c = json!({"c": k.company});
    let milk = id(&app
        .ok(t, "mutation($c: ID!) { createIngredient(companyId: $c, name: \"Milk\", baseUnit: L) { id } }", c.clone())
        .await["createIngredient"]["id"]);
    let dairy = app
        .ok(t, "mutation($c: ID!) { createVendor(companyId: $c, input: {name: \"Dairy\", leadTimeDays: 2, orderWeekdays: [4, 1, 4], minimumOrderValue: \"100\"}) { id leadTimeDays orderWeekdays minimumOrderValue } }", c.clone())
        .await["createVendor"]
        .clone();
    assert_eq!(dairy["leadTimeDays"], 2);
    assert_eq!(dairy["orderWeekdays"], json!([1, 4]));
    assert_eq!(dec(&dairy["minimumOrderValue"]), Decimal::from(100));
    let mill = app
        .ok(t, "mutation($c: ID!) { createVendor(companyId: $c, input: {name: \"Mill\"}) { id leadTimeDays orderWeekdays minimumOrderValue } }", c.clone())
        .await["createVendor"]
        .clone();
    assert_eq!(mill["leadTimeDays"], 1, "a lead time of one day by default");
    assert_eq!(mill["minimumOrderValue"], Value::Null);
    let product = |vendor: &Value,
                   ingredient: &str,
                   sku: &str,
                   pack: &str,
                   factor: &str,
                   minimum: Option<&str>| {
        json!({"c": k.company, "p": {"vendorId": vendor["id"], "ingredientId": ingredient, "name": sku, "sku": sku, "packName": pack, "packagingFactor": factor, "minimumPacks": minimum}})
    };
    let crate_of_milk = app
        .ok(t, "mutation($c: ID!, $p: ProductInput!) { createProduct(companyId: $c, input: $p) { id minimumPacks } }", product(&dairy, &milk, "MILK-10", "crate", "10", None))
        .await["createProduct"]
        .clone();
    assert_eq!(dec(&crate_of_milk["minimumPacks"]), Decimal::ONE);
    let sack_of_flour = app
        .ok(t, "mutation($c: ID!, $p: ProductInput!) { createProduct(companyId: $c, input: $p) { id minimumPacks } }", product(&mill, &k.flour, "FLOUR-25", "sack", "25", Some("4")))
        .await["createProduct"]
        .clone();
    for (ingredient, product) in [(&milk, &crate_of_milk), (&k.flour, &sack_of_flour)] {
        let set = app
            .ok(t, "mutation($i: ID!, $p: ID!) { updateIngredient(id: $i, input: {preferredProductId: $p}) { preferredProduct { id } } }", json!({"i": ingredient, "p": product["id"]}))
            .await;
        assert_eq!(
            set["updateIngredient"]["preferredProduct"]["id"],
            product["id"]
        );
    }
    Buyer {
        token: k.token.clone(),
        company: k.company.clone(),
        kitchen: k.unit.clone(),
        milk,
        flour: k.flour.clone(),
        crate_of_milk: id(&crate_of_milk["id"]),
        sack_of_flour: id(&sack_of_flour["id"]),
    }
}

async fn a_kitchen_orders_milk_and_flour_as_worked_by_hand(app: TestApp) {
    let b = buyer(&app, "buyer@example.com").await;
    let t = b.token.as_str();
    // Milk: 60 L received at 1.20 long ago, 2 L used at noon on each of the 28 completed
    // business days: 4 L on hand.
    receive(&app, t, &b.kitchen, &b.milk, "60", "1.20").await;
    let open_day = open_business_day(chrono_tz::Europe::Berlin, 5);
    for (_, noon) in noons_before(open_day, 28) {
        issue(&app, t, &b.kitchen, &b.milk, "2", noon).await;
    }
    // Flour: 4 kg on hand, one sack (25 kg) on a sent order for the kitchen at 20 a sack.
    receive(&app, t, &b.kitchen, &b.flour, "4", "0.70").await;
    let order = app
        .ok(t, "mutation($c: ID!, $v: ID!, $p: ID!, $u: ID!) { createOrder(companyId: $c, vendorId: $v, items: [{productId: $p, packs: \"1\", pricePerPack: \"20\"}], storageUnitId: $u) { id storageUnit { name } } }",
            json!({"c": b.company, "v": vendor_of(&app, t, &b.sack_of_flour).await, "p": b.sack_of_flour, "u": b.kitchen}))
        .await["createOrder"]
        .clone();
    assert_eq!(order["storageUnit"]["name"], "Kitchen");
    app.ok(
        t,
        "mutation($o: ID!) { sendOrder(id: $o) { status } }",
        json!({"o": order["id"]}),
    )
    .await;

    // No policies: no suggestions.
    let none = app.ok(t, SUGGESTIONS, json!({"c": b.company})).await;
    assert_eq!(none["reorderSuggestions"], json!([]));

    let policies = app
        .ok(t, "mutation($c: ID!, $p: [StockPolicyInput!]!) { setStockPolicies(companyId: $c, policies: $p) { ingredient { name } kind reorderPoint parLevel reviewDays safetyDays usageWindowDays } }",
            json!({"c": b.company, "p": [
                {"ingredientId": b.milk, "storageUnitId": b.kitchen, "kind": "AUTOMATIC"},
                {"ingredientId": b.flour, "storageUnitId": b.kitchen, "kind": "MANUAL", "reorderPoint": "30", "parLevel": "100"},
            ]}))
        .await;
    let milk_policy = &policies["setStockPolicies"][0];
    assert_eq!(milk_policy["reviewDays"], 7);
    assert_eq!(dec(&milk_policy["safetyDays"]), Decimal::ONE);
    assert_eq!(milk_policy["usageWindowDays"], 28);

    let s = app
        .ok(t, SUGGESTIONS, json!({"c": b.company, "u": b.kitchen}))
        .await;
    let rows = s["reorderSuggestions"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{s:#}");
    // Dairy before Mill (vendors in the order they were made).
    let milk = &rows[0];
    assert_eq!(milk["ingredient"]["name"], "Milk");
    assert_eq!(milk["vendor"]["name"], "Dairy");
    assert_eq!(milk["kind"], "AUTOMATIC");
    // 2 L every day: 2 L/day on every weekday. Cover: today + 2 lead + 7 review − 1 = 9 days
    // = 18 L, + 1 safety day × 2 L = 20 L, − 4 on hand − 0 on order = 16 L → 2 crates of 10 L.
    assert_eq!(dec(&milk["onHand"]), Decimal::from(4));
    assert_eq!(dec(&milk["onOrder"]), Decimal::ZERO);
    assert_eq!(dec(&milk["averageDailyUsage"]), Decimal::TWO);
    assert_eq!(dec(&milk["daysOfStockLeft"]), Decimal::TWO);
    assert_eq!(dec(&milk["need"]), Decimal::from(16));
    assert_eq!(dec(&milk["suggestedPacks"]), Decimal::TWO);
    assert_eq!(dec(&milk["suggestedQuantity"]), Decimal::from(20));
    // No order of the crate yet: the latest receipt, 1.20 × 10 L = 12 a crate.
    assert_eq!(dec(&milk["pricePerPack"]), Decimal::from(12));
    assert_eq!(dec(&milk["estimatedCost"]), Decimal::from(24));
    assert_eq!(
        milk["reason"],
        "18 L forecast by weekday over (2 + 7 days) + 1 safety day × 2 L/day − 4 on hand − 0 on order = 16 L → 2 × crate of 10 L"
    );
    // Flour: 4 on hand + 25 on order = 29 ≤ 30: par 100 − 4 − 25 = 71 kg → 3 sacks, raised to
    // the minimum of 4 (100 kg) at the latest order's 20 a sack.
    let flour = &rows[1];
    assert_eq!(flour["ingredient"]["name"], "Flour");
    assert_eq!(flour["vendor"]["name"], "Mill");
    assert_eq!(dec(&flour["onHand"]), Decimal::from(4));
    assert_eq!(dec(&flour["onOrder"]), Decimal::from(25));
    assert_eq!(
        flour["daysOfStockLeft"],
        Value::Null,
        "flour was never used"
    );
    assert_eq!(dec(&flour["need"]), Decimal::from(71));
    assert_eq!(dec(&flour["suggestedPacks"]), Decimal::from(4));
    assert_eq!(dec(&flour["suggestedQuantity"]), Decimal::from(100));
    assert_eq!(dec(&flour["estimatedCost"]), Decimal::from(80));
    assert_eq!(
        flour["reason"],
        "at or below the reorder point of 30 kg: par 100 − 4 on hand − 25 on order = 71 kg → 4 × sack of 25 kg (the vendor's minimum: 4 packs)"
    );

    // The accepted lines become one draft per vendor, at the latest price per pack.
    let drafts = app
        .ok(t, "mutation($c: ID!, $l: [OrderFromSuggestionInput!]!) { createOrdersFromSuggestions(companyId: $c, lines: $l) { id status reference total belowMinimumOrderValue storageUnit { name } vendor { name } items { packs pricePerPack product { id } } } }",
            json!({"c": b.company, "l": [
                {"productId": b.crate_of_milk, "packs": "2", "storageUnitId": b.kitchen},
                {"productId": b.sack_of_flour, "packs": "4", "storageUnitId": b.kitchen},
            ]}))
        .await["createOrdersFromSuggestions"]
        .clone();
    let drafts = drafts.as_array().unwrap();
    assert_eq!(drafts.len(), 2);
    let dairy = &drafts[0];
    assert_eq!(dairy["vendor"]["name"], "Dairy");
    assert_eq!(dairy["status"], "DRAFT");
    assert_eq!(dairy["storageUnit"]["name"], "Kitchen");
    assert_eq!(dec(&dairy["items"][0]["packs"]), Decimal::TWO);
    assert_eq!(dec(&dairy["items"][0]["pricePerPack"]), Decimal::from(12));
    assert_eq!(dec(&dairy["total"]), Decimal::from(24));
    assert_eq!(
        dairy["belowMinimumOrderValue"], true,
        "24 is under Dairy's 100"
    );
    let mill = &drafts[1];
    assert_eq!(mill["vendor"]["name"], "Mill");
    assert_eq!(dec(&mill["items"][0]["pricePerPack"]), Decimal::from(20));
    assert_eq!(dec(&mill["total"]), Decimal::from(80));
    assert_eq!(mill["belowMinimumOrderValue"], false);

    // A draft is not on order; once sent, the milk is (20 L): it needs nothing more.
    let again = app.ok(t, SUGGESTIONS, json!({"c": b.company})).await;
    assert_eq!(again["reorderSuggestions"].as_array().unwrap().len(), 2);
    app.ok(
        t,
        "mutation($o: ID!) { sendOrder(id: $o) { status } }",
        json!({"o": dairy["id"]}),
    )
    .await;
    let sent = app.ok(t, SUGGESTIONS, json!({"c": b.company})).await;
    let names: Vec<&str> = sent["reorderSuggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["ingredient"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Flour"]);

    // The days of stock left, for the inventory page: milk only (flour was never used).
    let outlook = app
        .ok(t, "query($c: ID!) { stockOutlook(companyId: $c) { ingredient { name } onHand averageDailyUsage daysOfStockLeft dailyUsage } }", json!({"c": b.company}))
        .await;
    let rows = outlook["stockOutlook"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["ingredient"]["name"], "Milk");
    assert_eq!(dec(&rows[0]["daysOfStockLeft"]), Decimal::TWO);
    assert_eq!(rows[0]["dailyUsage"].as_array().unwrap().len(), 14);
    assert!(
        rows[0]["dailyUsage"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| dec(d) == Decimal::TWO)
    );

    // Without a policy the pair gets nothing.
    app.ok(
        t,
        "mutation($i: ID!, $u: ID!) { removeStockPolicy(ingredientId: $i, storageUnitId: $u) }",
        json!({"i": b.flour, "u": b.kitchen}),
    )
    .await;
    let left = app.ok(t, SUGGESTIONS, json!({"c": b.company})).await;
    assert_eq!(left["reorderSuggestions"], json!([]));
}

async fn vendor_of(app: &TestApp, token: &str, product: &str) -> String {
    id(&app
        .ok(
            token,
            "query($p: ID!) { product(id: $p) { vendor { id } } }",
            json!({"p": product}),
        )
        .await["product"]["vendor"]["id"])
}

on_both_backends!(a_kitchen_orders_milk_and_flour_as_worked_by_hand);

async fn purchasing_stays_within_the_company(app: TestApp) {
    let b = buyer(&app, "owner@example.com").await;
    let rival = app.kitchen("rival@example.com").await;
    let r = rival.token.as_str();
    let foreign = [
        (
            "query($c: ID!) { stockPolicies(companyId: $c) { kind } }",
            json!({"c": b.company}),
        ),
        (SUGGESTIONS, json!({"c": b.company})),
        (
            "query($c: ID!) { stockOutlook(companyId: $c) { onHand } }",
            json!({"c": b.company}),
        ),
        (
            "mutation($i: ID!, $u: ID!) { setStockPolicy(input: {ingredientId: $i, storageUnitId: $u, kind: AUTOMATIC}) { kind } }",
            json!({"i": b.milk, "u": b.kitchen}),
        ),
        (
            "mutation($i: ID!, $u: ID!) { removeStockPolicy(ingredientId: $i, storageUnitId: $u) }",
            json!({"i": b.milk, "u": b.kitchen}),
        ),
    ];
    for (query, variables) in foreign {
        let answer = app.gql(Some(r), query, variables).await;
        assert!(
            ["FORBIDDEN", "NOT_FOUND"].contains(&error_code(&answer)),
            "{query}: {answer:#}"
        );
    }
    // Their own company, our rows: not found, and named.
    let mixed = app
        .gql(Some(r), "mutation($c: ID!, $i: ID!, $u: ID!) { setStockPolicies(companyId: $c, policies: [{ingredientId: $i, storageUnitId: $u, kind: AUTOMATIC}]) { kind } }", json!({"c": rival.company, "i": b.milk, "u": rival.unit}))
        .await;
    assert_eq!(error_code(&mixed), "NOT_FOUND");
    assert_eq!(error_field(&mixed), "policies[0].ingredientId");
    let ours = app
        .gql(Some(r), "mutation($c: ID!, $p: ID!, $u: ID!) { createOrdersFromSuggestions(companyId: $c, lines: [{productId: $p, packs: \"1\", storageUnitId: $u}]) { id } }", json!({"c": rival.company, "p": b.crate_of_milk, "u": rival.unit}))
        .await;
    assert_eq!(error_code(&ours), "NOT_FOUND");
    assert_eq!(error_field(&ours), "lines[0].productId");
    let their_unit = app
        .gql(Some(&b.token), "query($c: ID!, $u: ID!) { reorderSuggestions(companyId: $c, storageUnitId: $u) { need } }", json!({"c": b.company, "u": rival.unit}))
        .await;
    assert_eq!(error_code(&their_unit), "NOT_FOUND");
    // Another company's product cannot be preferred.
    let crossed = app
        .gql(Some(r), "mutation($i: ID!, $p: ID!) { updateIngredient(id: $i, input: {preferredProductId: $p}) { id } }", json!({"i": rival.flour, "p": b.sack_of_flour}))
        .await;
    assert_eq!(error_code(&crossed), "NOT_FOUND");
    assert_eq!(error_field(&crossed), "preferredProductId");
}

on_both_backends!(purchasing_stays_within_the_company);

async fn purchasing_inputs_are_checked(app: TestApp) {
    let b = buyer(&app, "careful@example.com").await;
    let t = b.token.as_str();
    let bad_policies = [
        (json!({"kind": "MANUAL", "parLevel": "10"}), "reorderPoint"),
        (
            json!({"kind": "MANUAL", "reorderPoint": "20", "parLevel": "10"}),
            "reorderPoint",
        ),
        (
            json!({"kind": "MANUAL", "reorderPoint": "0", "parLevel": "0"}),
            "parLevel",
        ),
        (json!({"kind": "AUTOMATIC", "reviewDays": 0}), "reviewDays"),
        (
            json!({"kind": "AUTOMATIC", "usageWindowDays": 400}),
            "usageWindowDays",
        ),
        (
            json!({"kind": "AUTOMATIC", "safetyDays": "-1"}),
            "safetyDays",
        ),
        (
            json!({"kind": "MANUAL", "reorderPoint": "1", "parLevel": "1e20"}),
            "parLevel",
        ),
    ];
    for (fields, field) in bad_policies {
        let mut input = json!({"ingredientId": b.milk, "storageUnitId": b.kitchen});
        input
            .as_object_mut()
            .unwrap()
            .extend(fields.as_object().unwrap().clone());
        let answer = app
            .gql(
                Some(t),
                "mutation($i: StockPolicyInput!) { setStockPolicy(input: $i) { kind } }",
                json!({"i": input}),
            )
            .await;
        assert_eq!(error_code(&answer), "VALIDATION", "{input}: {answer:#}");
        assert_eq!(error_field(&answer), field, "{input}: {answer:#}");
    }
    let weekday = app
        .gql(Some(t), "mutation($c: ID!) { createVendor(companyId: $c, input: {name: \"Weekly\", orderWeekdays: [0]}) { id } }", json!({"c": b.company}))
        .await;
    assert_eq!(error_field(&weekday), "orderWeekdays");
    let lead = app
        .gql(Some(t), "mutation($c: ID!) { createVendor(companyId: $c, input: {name: \"Slow\", leadTimeDays: 365}) { id } }", json!({"c": b.company}))
        .await;
    assert_eq!(error_field(&lead), "leadTimeDays");
    let none = app
        .gql(
            Some(t),
            "mutation($c: ID!) { createOrdersFromSuggestions(companyId: $c, lines: []) { id } }",
            json!({"c": b.company}),
        )
        .await;
    assert_eq!(error_field(&none), "lines");
    let zero = app
        .gql(Some(t), "mutation($c: ID!, $p: ID!, $u: ID!) { createOrdersFromSuggestions(companyId: $c, lines: [{productId: $p, packs: \"0\", storageUnitId: $u}]) { id } }", json!({"c": b.company, "p": b.crate_of_milk, "u": b.kitchen}))
        .await;
    assert_eq!(error_field(&zero), "lines[0].packs");
    // A milk crate cannot be flour's preferred product.
    let other = app
        .gql(Some(t), "mutation($i: ID!, $p: ID!) { updateIngredient(id: $i, input: {preferredProductId: $p}) { id } }", json!({"i": b.flour, "p": b.crate_of_milk}))
        .await;
    assert_eq!(error_field(&other), "preferredProductId");
    // Nothing was written.
    let orders = app
        .ok(
            t,
            "query($c: ID!) { orders(companyId: $c) { id } stockPolicies(companyId: $c) { kind } }",
            json!({"c": b.company}),
        )
        .await;
    assert_eq!(orders["orders"], json!([]));
    assert_eq!(orders["stockPolicies"], json!([]));
}

on_both_backends!(purchasing_inputs_are_checked);
