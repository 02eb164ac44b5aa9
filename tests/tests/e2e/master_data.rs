//! Master data end to end: storage units, ingredients with packaging, recipes with sub-recipes,
//! trim and expansion, cycles, unit conversion, vendors and products, and the API's limits.

use serde_json::{Value, json};
use tests::{TestApp, error_code, error_field, on_both_backends};

fn id(v: &Value) -> String {
    v.as_str().expect("an id").to_string()
}

async fn ingredient(app: &TestApp, token: &str, company: &str, name: &str, unit: &str) -> String {
    let r = app
        .ok(token, "mutation($c: ID!, $n: String!, $u: BaseUnit!) { createIngredient(companyId: $c, name: $n, baseUnit: $u, category: \"Produce\") { id } }", json!({"c": company, "n": name, "u": unit}))
        .await;
    id(&r["createIngredient"]["id"])
}

async fn storage_units_and_ingredients(app: TestApp) {
    let (t, c) = app.sign_up("chef@example.com").await;
    for name in ["Main Storage", "Bar", "Kitchen"] {
        app.ok(&t, "mutation($c: ID!, $n: String!) { createStorageUnit(companyId: $c, name: $n, address: \"Back door\") { id } }", json!({"c": c, "n": name}))
            .await;
    }
    let dup = app
        .gql(
            Some(&t),
            "mutation($c: ID!) { createStorageUnit(companyId: $c, name: \"bar\") { id } }",
            json!({"c": c}),
        )
        .await;
    assert_eq!(error_code(&dup), "CONFLICT");
    assert_eq!(error_field(&dup), "name");
    let found = app
        .ok(
            &t,
            "query($c: ID!) { storageUnits(companyId: $c, search: \"KIT\") { name address } }",
            json!({"c": c}),
        )
        .await;
    assert_eq!(
        found["storageUnits"],
        json!([{"name": "Kitchen", "address": "Back door"}])
    );

    let r = app
        .ok(
            &t,
            "mutation($c: ID!) { createIngredient(companyId: $c, name: \"Tomatoes\", baseUnit: KG, category: \"Produce\", packagingLevels: [{name: \"box\", factor: \"10\"}, {name: \"crate\", factor: \"25.5\"}]) { id name baseUnit active packagingLevels { id name factor } } }",
            json!({"c": c}),
        )
        .await;
    let tomatoes = &r["createIngredient"];
    assert_eq!(tomatoes["packagingLevels"][0]["factor"], "10");
    assert_eq!(tomatoes["packagingLevels"][1]["factor"], "25.5");
    let box_id = tomatoes["packagingLevels"][0]["id"].clone();
    let tid = tomatoes["id"].clone();

    // Unit conversion: within a dimension, through packaging, and a clear refusal across.
    let convert = "query($i: ID!, $q: Decimal!, $u: Unit, $p: ID) { convertToBaseUnit(ingredientId: $i, quantity: $q, unit: $u, packagingLevelId: $p) }";
    let g = app
        .ok(&t, convert, json!({"i": tid, "q": "250", "u": "G"}))
        .await;
    assert_eq!(g["convertToBaseUnit"], "0.25");
    let boxes = app
        .ok(&t, convert, json!({"i": tid, "q": "2", "p": box_id}))
        .await;
    assert_eq!(boxes["convertToBaseUnit"], "20");
    let wrong = app
        .gql(Some(&t), convert, json!({"i": tid, "q": "1", "u": "ML"}))
        .await;
    assert_eq!(error_code(&wrong), "VALIDATION");
    assert!(
        wrong["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("volume"),
        "{wrong}"
    );

    let bad_level = app
        .gql(Some(&t), "mutation($c: ID!) { createIngredient(companyId: $c, name: \"Eggs\", baseUnit: PCS, packagingLevels: [{name: \"tray\", factor: \"0\"}]) { id } }", json!({"c": c}))
        .await;
    assert_eq!(error_code(&bad_level), "VALIDATION");
    assert_eq!(error_field(&bad_level), "packagingLevels[0].factor");

    let updated = app
        .ok(&t, "mutation($id: ID!) { updateIngredient(id: $id, input: {name: \"Roma tomatoes\", category: null, active: false, packagingLevels: [{name: \"box\", factor: \"6\"}]}) { name category active packagingLevels { factor } } }", json!({"id": tid}))
        .await;
    assert_eq!(
        updated["updateIngredient"],
        json!({"name": "Roma tomatoes", "category": null, "active": false, "packagingLevels": [{"factor": "6"}]})
    );
    ingredient(&app, &t, &c, "Basil", "KG").await;
    let active = app
        .ok(
            &t,
            "query($c: ID!) { ingredients(companyId: $c, active: true) { name } }",
            json!({"c": c}),
        )
        .await;
    assert_eq!(active["ingredients"], json!([{"name": "Basil"}]));
    app.ok(
        &t,
        "mutation($id: ID!) { archiveIngredient(id: $id) { archived } }",
        json!({"id": tid}),
    )
    .await;
    let listed = app.ok(&t, "query($c: ID!) { ingredients(companyId: $c) { name } all: ingredients(companyId: $c, includeArchived: true) { name archived } }", json!({"c": c})).await;
    assert_eq!(listed["ingredients"].as_array().unwrap().len(), 1);
    assert_eq!(listed["all"].as_array().unwrap().len(), 2);
}
on_both_backends!(
    storage_units_ingredients_and_conversion,
    storage_units_and_ingredients
);

const CREATE_RECIPE: &str = "mutation($c: ID!, $n: String!, $l: [RecipeLineInput!]!, $s: ID) { createRecipe(companyId: $c, name: $n, yieldQuantity: \"4\", lines: $l, defaultIssueStorageUnitId: $s) { id name yieldQuantity } }";
const EXPANDED: &str = "query($id: ID!) { recipe(id: $id) { lines { position unit quantity trimPercent ingredient { name } subRecipe { name } } expanded { quantity ingredient { name } storageUnit { name } } } }";

async fn recipes(app: TestApp) {
    let (t, c) = app.sign_up("chef@example.com").await;
    let bar = app
        .ok(
            &t,
            "mutation($c: ID!) { createStorageUnit(companyId: $c, name: \"Bar\") { id } }",
            json!({"c": c}),
        )
        .await;
    let bar = id(&bar["createStorageUnit"]["id"]);
    let kitchen = app
        .ok(
            &t,
            "mutation($c: ID!) { createStorageUnit(companyId: $c, name: \"Kitchen\") { id } }",
            json!({"c": c}),
        )
        .await;
    let kitchen = id(&kitchen["createStorageUnit"]["id"]);
    let tomato = ingredient(&app, &t, &c, "Tomatoes", "KG").await;
    let oil = ingredient(&app, &t, &c, "Olive oil", "L").await;
    let cola = ingredient(&app, &t, &c, "Cola", "L").await;
    let bun = ingredient(&app, &t, &c, "Bun", "PCS").await;

    // Sauce: 100 g net tomatoes at 10 % trim → 111.111111 g; 2 cl oil.
    let sauce = app
        .ok(
            &t,
            CREATE_RECIPE,
            json!({"c": c, "n": "Tomato sauce", "s": kitchen, "l": [
                {"ingredientId": tomato, "quantity": "100", "unit": "G", "trimPercent": "10"},
                {"ingredientId": oil, "quantity": "2", "unit": "CL"}
            ]}),
        )
        .await;
    let sauce = id(&sauce["createRecipe"]["id"]);
    // Menu: 2 portions of sauce, a bun, and a cola from the Bar.
    let menu = app
        .ok(
            &t,
            CREATE_RECIPE,
            json!({"c": c, "n": "Burger menu", "l": [
                {"subRecipeId": sauce, "quantity": "2", "unit": "PCS"},
                {"ingredientId": bun, "quantity": "1", "unit": "PCS"},
                {"ingredientId": cola, "quantity": "330", "unit": "ML", "issueStorageUnitId": bar}
            ]}),
        )
        .await;
    assert_eq!(menu["createRecipe"]["yieldQuantity"], "4");
    let menu = id(&menu["createRecipe"]["id"]);

    let sauce_view = app.ok(&t, EXPANDED, json!({"id": sauce})).await;
    assert_eq!(sauce_view["recipe"]["lines"][0]["trimPercent"], "10");
    let expanded = &sauce_view["recipe"]["expanded"];
    assert_eq!(expanded.as_array().unwrap().len(), 2);
    let tomato_line = expanded
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["ingredient"]["name"] == "Tomatoes")
        .unwrap();
    assert_eq!(tomato_line["quantity"], "0.111111");
    assert_eq!(tomato_line["storageUnit"]["name"], "Kitchen");

    let menu_view = app.ok(&t, EXPANDED, json!({"id": menu})).await;
    let mut got: Vec<(String, String, String)> = menu_view["recipe"]["expanded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["ingredient"]["name"].as_str().unwrap().to_string(),
                l["quantity"].as_str().unwrap().to_string(),
                l["storageUnit"]["name"].as_str().unwrap_or("-").to_string(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            ("Bun".into(), "1".into(), "-".into()),
            ("Cola".into(), "0.33".into(), "Bar".into()),
            ("Olive oil".into(), "0.04".into(), "Kitchen".into()),
            ("Tomatoes".into(), "0.222222".into(), "Kitchen".into()),
        ]
    );

    // Cycles are refused, naming the path, and the recipe keeps its lines.
    let cycle = app
        .gql(Some(&t), "mutation($id: ID!, $m: ID!) { updateRecipe(id: $id, input: {lines: [{subRecipeId: $m, quantity: \"1\", unit: PCS}]}) { id } }", json!({"id": sauce, "m": menu}))
        .await;
    assert_eq!(error_code(&cycle), "VALIDATION");
    assert_eq!(error_field(&cycle), "lines[0].subRecipeId");
    assert!(
        cycle["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Tomato sauce → Burger menu → Tomato sauce"),
        "{cycle}"
    );
    let self_cycle = app
        .gql(Some(&t), "mutation($id: ID!) { updateRecipe(id: $id, input: {lines: [{subRecipeId: $id, quantity: \"1\", unit: PCS}]}) { id } }", json!({"id": sauce}))
        .await;
    assert_eq!(error_code(&self_cycle), "VALIDATION");
    assert_eq!(app.ok(&t, EXPANDED, json!({"id": sauce})).await, sauce_view);

    // A mass unit on a volume ingredient names the line and the field.
    let wrong = app
        .gql(Some(&t), CREATE_RECIPE, json!({"c": c, "n": "Bad", "l": [{"ingredientId": tomato, "quantity": "1", "unit": "KG"}, {"ingredientId": oil, "quantity": "5", "unit": "G"}]}))
        .await;
    assert_eq!(error_code(&wrong), "VALIDATION");
    assert_eq!(error_field(&wrong), "lines[1].unit");
    let neither = app
        .gql(
            Some(&t),
            CREATE_RECIPE,
            json!({"c": c, "n": "Bad", "l": [{"quantity": "1", "unit": "KG"}]}),
        )
        .await;
    assert_eq!(error_field(&neither), "lines[0].ingredientId");
    let trim = app
        .gql(Some(&t), CREATE_RECIPE, json!({"c": c, "n": "Bad", "l": [{"ingredientId": tomato, "quantity": "1", "unit": "KG", "trimPercent": "100"}]}))
        .await;
    assert_eq!(error_field(&trim), "lines[0].trimPercent");
    let recipes = app
        .ok(
            &t,
            "query($c: ID!) { recipes(companyId: $c) { name } }",
            json!({"c": c}),
        )
        .await;
    assert_eq!(
        recipes["recipes"].as_array().unwrap().len(),
        2,
        "refused recipes left nothing behind"
    );

    // A sub-recipe in use cannot be archived.
    let r = app
        .gql(
            Some(&t),
            "mutation($id: ID!) { archiveRecipe(id: $id) { id } }",
            json!({"id": sauce}),
        )
        .await;
    assert_eq!(error_code(&r), "CONFLICT");
}
on_both_backends!(recipes_expand_and_refuse_cycles, recipes);

async fn vendors_and_products(app: TestApp) {
    let (t, c) = app.sign_up("chef@example.com").await;
    let tomato = ingredient(&app, &t, &c, "Tomatoes", "KG").await;
    let v = app
        .ok(&t, "mutation($c: ID!) { createVendor(companyId: $c, input: {name: \"Green Farm\", email: \"orders@greenfarm.example\", phone: \"+49 30 1234\"}) { id email } }", json!({"c": c}))
        .await;
    let vendor = id(&v["createVendor"]["id"]);
    let bad_email = app.gql(Some(&t), "mutation($c: ID!) { createVendor(companyId: $c, input: {name: \"X\", email: \"nope\"}) { id } }", json!({"c": c})).await;
    assert_eq!(error_field(&bad_email), "email");

    let create = "mutation($c: ID!, $in: ProductInput!) { createProduct(companyId: $c, input: $in) { id name sku packName packagingFactor vendor { name } ingredient { name } } }";
    let p = app
        .ok(&t, create, json!({"c": c, "in": {"vendorId": vendor, "ingredientId": tomato, "name": "Tomatoes 10 kg", "sku": "TOM-10", "packName": "box", "packagingFactor": "10"}}))
        .await;
    assert_eq!(p["createProduct"]["packagingFactor"], "10");
    assert_eq!(p["createProduct"]["vendor"]["name"], "Green Farm");
    let half = app
        .ok(&t, create, json!({"c": c, "in": {"vendorId": vendor, "ingredientId": tomato, "name": "Cherry tomatoes 500 g", "sku": "CT-500", "packagingFactor": "500", "packagingUnit": "G"}}))
        .await;
    assert_eq!(half["createProduct"]["packagingFactor"], "0.5");
    let dup = app
        .gql(Some(&t), create, json!({"c": c, "in": {"vendorId": vendor, "ingredientId": tomato, "name": "Again", "sku": "TOM-10", "packagingFactor": "10"}}))
        .await;
    assert_eq!(error_code(&dup), "CONFLICT");
    assert_eq!(error_field(&dup), "sku");
    let wrong_dim = app
        .gql(Some(&t), create, json!({"c": c, "in": {"vendorId": vendor, "ingredientId": tomato, "name": "Juice", "sku": "J", "packagingFactor": "1", "packagingUnit": "L"}}))
        .await;
    assert_eq!(error_code(&wrong_dim), "VALIDATION");
    assert_eq!(error_field(&wrong_dim), "packagingUnit");

    let search = app
        .ok(
            &t,
            "query($c: ID!) { products(companyId: $c, search: \"ct-5\") { sku } }",
            json!({"c": c}),
        )
        .await;
    assert_eq!(search["products"], json!([{"sku": "CT-500"}]));
    let by_vendor = app
        .ok(
            &t,
            "query($c: ID!, $v: ID!) { products(companyId: $c, vendorId: $v) { sku } }",
            json!({"c": c, "v": vendor}),
        )
        .await;
    assert_eq!(by_vendor["products"].as_array().unwrap().len(), 2);
}
on_both_backends!(
    vendors_and_products_are_kept_per_company,
    vendors_and_products
);

async fn limits(app: TestApp) {
    let (t, _) = app.sign_up("chef@example.com").await;
    let deep = format!("{{ me {{ memberships {{ company {{ id }} }} {} }} }}", "");
    app.ok(&t, &deep, json!({})).await;
    // Far deeper than any real client needs: refused before it runs.
    let mut nested = String::from("id");
    for _ in 0..9 {
        nested = format!("lines {{ subRecipe {{ {nested} }} }}");
    }
    let response = app
        .gql(
            Some(&t),
            &format!("query {{ recipe(id: \"1\") {{ {nested} }} }}"),
            json!({}),
        )
        .await;
    let message = response["errors"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(
        message.contains("too deep") || message.contains("nested"),
        "{response}"
    );
    assert!(response["data"].is_null());
    // Typos get no hints of the schema's names.
    let typo = app.gql(Some(&t), "{ mee { id } }", json!({})).await;
    assert!(
        !typo["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Did you mean"),
        "{typo}"
    );
}
on_both_backends!(graphql_limits_hold, limits);

const PAGE: &str = "query($c: ID!, $f: Int, $a: String, $l: Int, $b: String) { ingredientConnection(companyId: $c, first: $f, after: $a, last: $l, before: $b) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { name } } } }";

fn names(page: &Value) -> Vec<String> {
    page["ingredientConnection"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["name"].as_str().unwrap().to_string())
        .collect()
}

async fn paging(app: TestApp) {
    let (t, c) = app.sign_up("chef@example.com").await;
    for name in [
        "Garlic", "Apples", "Eggs", "Basil", "Figs", "Dill", "Chives",
    ] {
        ingredient(&app, &t, &c, name, "KG").await;
    }
    let first = app.ok(&t, PAGE, json!({"c": c, "f": 3})).await;
    assert_eq!(first["ingredientConnection"]["totalCount"], 7);
    assert_eq!(names(&first), ["Apples", "Basil", "Chives"]);
    assert_eq!(
        first["ingredientConnection"]["pageInfo"]["hasNextPage"],
        true
    );
    assert_eq!(
        first["ingredientConnection"]["pageInfo"]["hasPreviousPage"],
        false
    );
    let end = first["ingredientConnection"]["pageInfo"]["endCursor"].clone();
    // A row added before the cursor does not shift the next page.
    ingredient(&app, &t, &c, "Anise", "KG").await;
    let second = app.ok(&t, PAGE, json!({"c": c, "f": 3, "a": end})).await;
    assert_eq!(names(&second), ["Dill", "Eggs", "Figs"]);
    assert_eq!(
        second["ingredientConnection"]["pageInfo"]["hasPreviousPage"],
        true
    );
    let end = second["ingredientConnection"]["pageInfo"]["endCursor"].clone();
    let third = app.ok(&t, PAGE, json!({"c": c, "f": 3, "a": end})).await;
    assert_eq!(names(&third), ["Garlic"]);
    assert_eq!(
        third["ingredientConnection"]["pageInfo"]["hasNextPage"],
        false
    );
    // Backwards from the end.
    let last = app.ok(&t, PAGE, json!({"c": c, "l": 2})).await;
    assert_eq!(names(&last), ["Figs", "Garlic"]);
    let start = last["ingredientConnection"]["pageInfo"]["startCursor"].clone();
    let before = app.ok(&t, PAGE, json!({"c": c, "l": 2, "b": start})).await;
    assert_eq!(names(&before), ["Dill", "Eggs"]);
    assert_eq!(
        before["ingredientConnection"]["pageInfo"]["hasPreviousPage"],
        true
    );
    let garbage = app
        .gql(Some(&t), PAGE, json!({"c": c, "f": 2, "a": "not-a-cursor"}))
        .await;
    assert!(garbage["errors"].is_array(), "{garbage}");
}
on_both_backends!(ingredient_lists_page_with_cursors, paging);
