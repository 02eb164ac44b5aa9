//! Company isolation: every query and mutation given another company's id answers NOT_FOUND,
//! exactly like an id that does not exist, and changes nothing.

use serde_json::{Value, json};
use tests::{TestApp, error_code, on_both_backends};

struct Foreign {
    company: String,
    unit: String,
    ingredient: String,
    recipe: String,
    vendor: String,
    product: String,
    token_id: String,
    user: String,
    /// The ledger's rows: an entry, an order and its item, a transfer, an open count.
    entry: String,
    order: String,
    order_item: String,
    transfer: String,
    count: String,
    /// A place of the storage unit.
    place: String,
}

async fn seed_company(app: &TestApp, token: &str, company: &str) -> Foreign {
    let unit = app
        .ok(
            token,
            "mutation($c: ID!) { createStorageUnit(companyId: $c, name: \"Bar\") { id } }",
            json!({"c": company}),
        )
        .await;
    let unit = unit["createStorageUnit"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let ing = app
        .ok(token, "mutation($c: ID!) { createIngredient(companyId: $c, name: \"Lime\", baseUnit: PCS) { id } }", json!({"c": company}))
        .await;
    let ingredient = ing["createIngredient"]["id"].as_str().unwrap().to_string();
    let rec = app
        .ok(
            token,
            "mutation($c: ID!, $i: ID!) { createRecipe(companyId: $c, name: \"Mojito\", yieldQuantity: \"1\", lines: [{ingredientId: $i, quantity: \"0.5\", unit: PCS}]) { id } }",
            json!({"c": company, "i": ingredient}),
        )
        .await;
    let recipe = rec["createRecipe"]["id"].as_str().unwrap().to_string();
    let ven = app
        .ok(
            token,
            "mutation($c: ID!) { createVendor(companyId: $c, input: {name: \"Fruit Co\"}) { id } }",
            json!({"c": company}),
        )
        .await;
    let vendor = ven["createVendor"]["id"].as_str().unwrap().to_string();
    let prod = app
        .ok(
            token,
            "mutation($c: ID!, $v: ID!, $i: ID!) { createProduct(companyId: $c, input: {vendorId: $v, ingredientId: $i, name: \"Limes 50\", sku: \"L50\", packagingFactor: \"50\"}) { id } }",
            json!({"c": company, "v": vendor, "i": ingredient}),
        )
        .await;
    let product = prod["createProduct"]["id"].as_str().unwrap().to_string();
    let tok = app
        .ok(token, "mutation($c: ID!) { createApiToken(companyId: $c, name: \"t\", role: VIEWER) { apiToken { id } } }", json!({"c": company}))
        .await;
    let token_id = tok["createApiToken"]["apiToken"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let me = app.ok(token, "{ me { id } }", json!({})).await;
    let entry = app
        .ok(token, "mutation($s: ID!, $i: ID!) { postReceipt(input: {storageUnitId: $s, ingredientId: $i, quantity: \"5\"}, unitCost: \"1\") { id } }", json!({"s": unit, "i": ingredient}))
        .await["postReceipt"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let order = app
        .ok(token, "mutation($c: ID!, $v: ID!, $p: ID!) { createOrder(companyId: $c, vendorId: $v, items: [{productId: $p, packs: \"1\", pricePerPack: \"9\"}]) { id items { id } } }", json!({"c": company, "v": vendor, "p": product}))
        .await;
    let order_item = order["createOrder"]["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let order = order["createOrder"]["id"].as_str().unwrap().to_string();
    let second = app
        .ok(
            token,
            "mutation($c: ID!) { createStorageUnit(companyId: $c, name: \"Cellar\") { id } }",
            json!({"c": company}),
        )
        .await["createStorageUnit"]["id"]
        .clone();
    let transfer = app
        .ok(token, "mutation($f: ID!, $t: ID!, $i: ID!) { createTransfer(fromStorageUnitId: $f, toStorageUnitId: $t, lines: [{ingredientId: $i, quantity: \"1\"}]) { id } }", json!({"f": unit, "t": second, "i": ingredient}))
        .await["createTransfer"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let count = app
        .ok(
            token,
            "mutation($s: ID!) { startStockCount(storageUnitId: $s) { id } }",
            json!({"s": unit}),
        )
        .await["startStockCount"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let place = app
        .ok(
            token,
            "mutation($s: ID!) { createStoragePlace(storageUnitId: $s, name: \"Shelf\") { id } }",
            json!({"s": unit}),
        )
        .await["createStoragePlace"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    Foreign {
        place,
        entry,
        order,
        order_item,
        transfer,
        count,
        company: company.into(),
        unit,
        ingredient,
        recipe,
        vendor,
        product,
        token_id,
        user: me["me"]["id"].as_str().unwrap().into(),
    }
}

/// Every operation that takes an id, aimed at the foreign company's rows.
fn operations(f: &Foreign, own_ingredient: &str, own_company: &str) -> Vec<(&'static str, Value)> {
    vec![
        (
            "query($id: ID!) { company(id: $id) { name } }",
            json!({"id": f.company}),
        ),
        (
            "query($id: ID!) { members(companyId: $id) { email } }",
            json!({"id": f.company}),
        ),
        (
            "query($id: ID!) { apiTokens(companyId: $id) { id } }",
            json!({"id": f.company}),
        ),
        (
            "query($id: ID!) { storageUnits(companyId: $id) { id } }",
            json!({"id": f.company}),
        ),
        (
            "query($id: ID!) { storageUnit(id: $id) { id } }",
            json!({"id": f.unit}),
        ),
        (
            "query($id: ID!) { ingredients(companyId: $id) { id } }",
            json!({"id": f.company}),
        ),
        (
            "query($id: ID!) { ingredient(id: $id) { id } }",
            json!({"id": f.ingredient}),
        ),
        (
            "query($id: ID!) { convertToBaseUnit(ingredientId: $id, quantity: \"1\", unit: PCS) }",
            json!({"id": f.ingredient}),
        ),
        (
            "query($id: ID!) { recipes(companyId: $id) { id } }",
            json!({"id": f.company}),
        ),
        (
            "query($id: ID!) { recipe(id: $id) { id } }",
            json!({"id": f.recipe}),
        ),
        (
            "query($id: ID!) { vendors(companyId: $id) { id } }",
            json!({"id": f.company}),
        ),
        (
            "query($id: ID!) { vendor(id: $id) { id } }",
            json!({"id": f.vendor}),
        ),
        (
            "query($id: ID!) { products(companyId: $id) { id } }",
            json!({"id": f.company}),
        ),
        (
            "query($id: ID!) { product(id: $id) { id } }",
            json!({"id": f.product}),
        ),
        (
            "mutation($id: ID!) { updateCompany(id: $id, input: {name: \"Mine\"}) { id } }",
            json!({"id": f.company}),
        ),
        (
            "mutation($id: ID!) { archiveCompany(id: $id) { id } }",
            json!({"id": f.company}),
        ),
        (
            "mutation($id: ID!) { addMember(companyId: $id, email: \"a@example.com\", role: OWNER) { role } }",
            json!({"id": f.company}),
        ),
        (
            "mutation($id: ID!, $u: ID!) { removeMember(companyId: $id, userId: $u) }",
            json!({"id": f.company, "u": f.user}),
        ),
        (
            "mutation($id: ID!) { createApiToken(companyId: $id, name: \"x\", role: OWNER) { token } }",
            json!({"id": f.company}),
        ),
        (
            "mutation($id: ID!) { revokeApiToken(id: $id) { id } }",
            json!({"id": f.token_id}),
        ),
        (
            "mutation($id: ID!) { createStorageUnit(companyId: $id, name: \"Mine\") { id } }",
            json!({"id": f.company}),
        ),
        (
            "mutation($id: ID!) { updateStorageUnit(id: $id, name: \"Mine\") { id } }",
            json!({"id": f.unit}),
        ),
        (
            "mutation($id: ID!) { archiveStorageUnit(id: $id) { id } }",
            json!({"id": f.unit}),
        ),
        (
            "mutation($id: ID!) { createIngredient(companyId: $id, name: \"Mine\", baseUnit: KG) { id } }",
            json!({"id": f.company}),
        ),
        (
            "mutation($id: ID!) { updateIngredient(id: $id, input: {name: \"Mine\"}) { id } }",
            json!({"id": f.ingredient}),
        ),
        (
            "mutation($id: ID!) { archiveIngredient(id: $id) { id } }",
            json!({"id": f.ingredient}),
        ),
        (
            "mutation($id: ID!) { createRecipe(companyId: $id, name: \"Mine\", yieldQuantity: \"1\", lines: []) { id } }",
            json!({"id": f.company}),
        ),
        (
            "mutation($id: ID!) { updateRecipe(id: $id, input: {name: \"Mine\"}) { id } }",
            json!({"id": f.recipe}),
        ),
        (
            "mutation($id: ID!) { archiveRecipe(id: $id) { id } }",
            json!({"id": f.recipe}),
        ),
        (
            "mutation($id: ID!) { createVendor(companyId: $id, input: {name: \"Mine\"}) { id } }",
            json!({"id": f.company}),
        ),
        (
            "mutation($id: ID!) { updateVendor(id: $id, input: {name: \"Mine\"}) { id } }",
            json!({"id": f.vendor}),
        ),
        (
            "mutation($id: ID!) { archiveVendor(id: $id) { id } }",
            json!({"id": f.vendor}),
        ),
        (
            "mutation($id: ID!, $v: ID!, $i: ID!) { createProduct(companyId: $id, input: {vendorId: $v, ingredientId: $i, name: \"Mine\", sku: \"M\", packagingFactor: \"1\"}) { id } }",
            json!({"id": f.company, "v": f.vendor, "i": f.ingredient}),
        ),
        (
            "mutation($id: ID!, $v: ID!, $i: ID!) { updateProduct(id: $id, input: {vendorId: $v, ingredientId: $i, name: \"Mine\", sku: \"M\", packagingFactor: \"1\"}) { id } }",
            json!({"id": f.product, "v": f.vendor, "i": f.ingredient}),
        ),
        (
            "mutation($id: ID!) { archiveProduct(id: $id) { id } }",
            json!({"id": f.product}),
        ),
        // The ledger and everything that posts to it.
        (
            "query($id: ID!) { ledger(companyId: $id) { totalCount } }",
            json!({"id": f.company}),
        ),
        (
            "query($id: ID!) { ledgerEntry(id: $id) { id } }",
            json!({"id": f.entry}),
        ),
        (
            "query($i: ID!, $s: ID!) { ledgerSummary(ingredientId: $i, storageUnitId: $s) { value } }",
            json!({"i": f.ingredient, "s": f.unit}),
        ),
        (
            "query($id: ID!) { stockLevels(companyId: $id) { quantity } }",
            json!({"id": f.company}),
        ),
        (
            "query($id: ID!) { recentMovements(companyId: $id) { id } }",
            json!({"id": f.company}),
        ),
        (
            "query($id: ID!) { inventoryReport(companyId: $id) { from } }",
            json!({"id": f.company}),
        ),
        (
            "query($id: ID!) { orders(companyId: $id) { id } }",
            json!({"id": f.company}),
        ),
        (
            "query($id: ID!) { order(id: $id) { id } }",
            json!({"id": f.order}),
        ),
        (
            "query($id: ID!) { transfers(companyId: $id) { id } }",
            json!({"id": f.company}),
        ),
        (
            "query($id: ID!) { transfer(id: $id) { id } }",
            json!({"id": f.transfer}),
        ),
        (
            "query($id: ID!) { stockCounts(companyId: $id) { id } }",
            json!({"id": f.company}),
        ),
        (
            "query($id: ID!) { stockCount(id: $id) { id } }",
            json!({"id": f.count}),
        ),
        (
            "mutation($s: ID!, $i: ID!) { postReceipt(input: {storageUnitId: $s, ingredientId: $i, quantity: \"1\"}, unitCost: \"1\") { id } }",
            json!({"s": f.unit, "i": f.ingredient}),
        ),
        (
            "mutation($s: ID!, $i: ID!) { postIssue(input: {storageUnitId: $s, ingredientId: $i, quantity: \"1\"}) { id } }",
            json!({"s": f.unit, "i": f.ingredient}),
        ),
        (
            "mutation($s: ID!, $i: ID!) { postWaste(input: {storageUnitId: $s, ingredientId: $i, quantity: \"1\"}, reason: \"Spoiled\") { id } }",
            json!({"s": f.unit, "i": f.ingredient}),
        ),
        (
            "mutation($s: ID!, $i: ID!) { transferStock(fromStorageUnitId: $s, toStorageUnitId: $s, ingredientId: $i, quantity: \"1\") { id } }",
            json!({"s": f.unit, "i": f.ingredient}),
        ),
        (
            "mutation($s: ID!, $i: ID!) { postStockCount(storageUnitId: $s, countedAt: \"2026-01-01T00:00:00Z\", lines: [{ingredientId: $i, countedQuantity: \"0\"}]) { id } }",
            json!({"s": f.unit, "i": f.ingredient}),
        ),
        (
            "mutation($id: ID!) { reverseEntry(entryId: $id) { id } }",
            json!({"id": f.entry}),
        ),
        (
            "mutation($c: ID!, $v: ID!, $p: ID!) { createOrder(companyId: $c, vendorId: $v, items: [{productId: $p, packs: \"1\", pricePerPack: \"1\"}]) { id } }",
            json!({"c": f.company, "v": f.vendor, "p": f.product}),
        ),
        (
            "mutation($id: ID!) { sendOrder(id: $id) { id } }",
            json!({"id": f.order}),
        ),
        (
            "mutation($id: ID!) { cancelOrder(id: $id) { id } }",
            json!({"id": f.order}),
        ),
        (
            "mutation($id: ID!, $s: ID!, $it: ID!) { receiveOrder(orderId: $id, storageUnitId: $s, lines: [{itemId: $it, packs: \"1\"}]) { id } }",
            json!({"id": f.order, "s": f.unit, "it": f.order_item}),
        ),
        (
            "mutation($s: ID!, $i: ID!) { createTransfer(fromStorageUnitId: $s, toStorageUnitId: $s, lines: [{ingredientId: $i, quantity: \"1\"}]) { id } }",
            json!({"s": f.unit, "i": f.ingredient}),
        ),
        (
            "mutation($id: ID!) { shipTransfer(id: $id) { id } }",
            json!({"id": f.transfer}),
        ),
        (
            "mutation($id: ID!) { receiveTransfer(id: $id) { id } }",
            json!({"id": f.transfer}),
        ),
        (
            "mutation($id: ID!) { cancelTransfer(id: $id) { id } }",
            json!({"id": f.transfer}),
        ),
        (
            "mutation($s: ID!) { startStockCount(storageUnitId: $s) { id } }",
            json!({"s": f.unit}),
        ),
        (
            "mutation($id: ID!, $i: ID!) { saveStockCount(countId: $id, lines: [{ingredientId: $i, countedQuantity: \"1\"}]) { id } }",
            json!({"id": f.count, "i": f.ingredient}),
        ),
        (
            "mutation($id: ID!) { postStockCountSession(countId: $id) { count { id } } }",
            json!({"id": f.count}),
        ),
        (
            "mutation($id: ID!) { cancelStockCount(countId: $id) { id } }",
            json!({"id": f.count}),
        ),
        // Own company, foreign rows inside the input.
        (
            "mutation($c: ID!, $i: ID!) { createRecipe(companyId: $c, name: \"Stolen\", yieldQuantity: \"1\", lines: [{ingredientId: $i, quantity: \"1\", unit: PCS}]) { id } }",
            json!({"c": own_company, "i": f.ingredient}),
        ),
        (
            "mutation($c: ID!, $r: ID!) { createRecipe(companyId: $c, name: \"Stolen\", yieldQuantity: \"1\", lines: [{subRecipeId: $r, quantity: \"1\", unit: PCS}]) { id } }",
            json!({"c": own_company, "r": f.recipe}),
        ),
        (
            "mutation($c: ID!, $i: ID!, $s: ID!) { createRecipe(companyId: $c, name: \"Stolen\", yieldQuantity: \"1\", lines: [{ingredientId: $i, quantity: \"1\", unit: PCS}], defaultIssueStorageUnitId: $s) { id } }",
            json!({"c": own_company, "i": own_ingredient, "s": f.unit}),
        ),
        (
            "mutation($c: ID!, $v: ID!, $i: ID!) { createProduct(companyId: $c, input: {vendorId: $v, ingredientId: $i, name: \"Stolen\", sku: \"S\", packagingFactor: \"1\"}) { id } }",
            json!({"c": own_company, "v": f.vendor, "i": own_ingredient}),
        ),
        // Counting anywhere.
        (
            "mutation($s: ID!) { createStoragePlace(storageUnitId: $s, name: \"Mine\") { id } }",
            json!({"s": f.unit}),
        ),
        (
            "mutation($p: ID!) { renameStoragePlace(id: $p, name: \"Mine\") { id } }",
            json!({"p": f.place}),
        ),
        (
            "mutation($p: ID!) { removeStoragePlace(id: $p) }",
            json!({"p": f.place}),
        ),
        (
            "mutation($s: ID!, $p: ID!) { arrangeStoragePlaces(storageUnitId: $s, placeIds: [$p]) { id } }",
            json!({"s": f.unit, "p": f.place}),
        ),
        (
            "mutation($i: ID!, $s: ID!, $p: ID) { setIngredientPlace(ingredientId: $i, storageUnitId: $s, placeId: $p) }",
            json!({"i": f.ingredient, "s": f.unit, "p": f.place}),
        ),
        (
            "mutation($s: ID!, $i: ID!) { placeIngredients(storageUnitId: $s, ingredientIds: [$i]) }",
            json!({"s": f.unit, "i": f.ingredient}),
        ),
        (
            "query($c: ID!) { findByBarcode(companyId: $c, code: \"4006381333931\") { code } }",
            json!({"c": f.company}),
        ),
        (
            "mutation($p: ID!) { assignBarcode(productId: $p, code: \"4006381333931\") { id } }",
            json!({"p": f.product}),
        ),
        (
            "mutation($c: ID!, $i: ID!) { saveCountEntries(countId: $c, entries: [{clientId: \"x\", ingredientId: $i, quantity: \"1\", countedAt: \"2026-12-01T00:00:00Z\"}]) { id } }",
            json!({"c": f.count, "i": f.ingredient}),
        ),
    ]
}

async fn isolation(app: TestApp) {
    let (victim, victim_company) = app.sign_up("victim@example.com").await;
    let foreign = seed_company(&app, &victim, &victim_company).await;
    let (intruder, own_company) = app.sign_up("intruder@example.com").await;
    let own = app
        .ok(&intruder, "mutation($c: ID!) { createIngredient(companyId: $c, name: \"Salt\", baseUnit: KG) { id } }", json!({"c": own_company}))
        .await;
    let own_ingredient = own["createIngredient"]["id"].as_str().unwrap().to_string();
    let intruder_token = app
        .ok(&intruder, "mutation($c: ID!) { createApiToken(companyId: $c, name: \"mine\", role: MANAGER) { token } }", json!({"c": own_company}))
        .await["createApiToken"]["token"]
        .as_str()
        .unwrap()
        .to_string();

    let snapshot = "query($c: ID!) { ledger(companyId: $c) { totalCount } orders(companyId: $c) { status } transfers(companyId: $c) { status } stockCounts(companyId: $c) { status }  company(id: $c) { name } storageUnits(companyId: $c) { name archived places { name ingredients { name } } } ingredients(companyId: $c) { name archived } recipes(companyId: $c) { name archived lines { quantity } } vendors(companyId: $c) { name archived } products(companyId: $c) { name sku archived } members(companyId: $c) { email role } apiTokens(companyId: $c) { revokedAt } }";
    let before = app
        .ok(&victim, snapshot, json!({"c": victim_company}))
        .await;

    for token in [&intruder, &intruder_token] {
        for (query, variables) in operations(&foreign, &own_ingredient, &own_company) {
            let response = app.gql(Some(token), query, variables.clone()).await;
            assert_eq!(
                error_code(&response),
                "NOT_FOUND",
                "{query} with {variables}: {response}"
            );
        }
    }
    // A foreign id reads exactly like one that does not exist.
    let missing = app
        .gql(
            Some(&intruder),
            "query { ingredient(id: \"999999\") { id } }",
            json!({}),
        )
        .await;
    let foreign_read = app
        .gql(
            Some(&intruder),
            "query($id: ID!) { ingredient(id: $id) { id } }",
            json!({"id": foreign.ingredient}),
        )
        .await;
    assert_eq!(
        missing["errors"][0]["message"],
        foreign_read["errors"][0]["message"]
    );
    assert_eq!(
        missing["errors"][0]["extensions"],
        foreign_read["errors"][0]["extensions"]
    );

    let after = app
        .ok(&victim, snapshot, json!({"c": victim_company}))
        .await;
    assert_eq!(before, after, "the foreign company is unchanged");
    let own_recipes = app
        .ok(
            &intruder,
            "query($c: ID!) { recipes(companyId: $c) { id } products(companyId: $c) { id } }",
            json!({"c": own_company}),
        )
        .await;
    assert_eq!(own_recipes["recipes"].as_array().unwrap().len(), 0);
    assert_eq!(own_recipes["products"].as_array().unwrap().len(), 0);
}
on_both_backends!(foreign_ids_are_not_found_everywhere, isolation);
