//! Food cost worked through by hand: a café's costs on both bases (trim, a sub-recipe, an
//! ingredient without a cost), VAT on menu prices and POS sales, a price change with what it
//! does to the recipes, the four menu classes with a refund and an item without a sales value,
//! and actual vs theoretical usage between two counts with waste and a count difference.

use chrono::{Duration, SecondsFormat, Utc};
use serde_json::{Value, json};
use tests::pos::{days_ago, sales_csv};
use tests::{TestApp, error_code, on_both_backends};

fn at(hours_ago: i64) -> String {
    (Utc::now() - Duration::hours(hours_ago)).to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn id(v: &Value) -> String {
    v.as_str().expect("an id").to_string()
}

/// Decimals compared as numbers: the API may write 0.5 as "0.5" or "0.50".
fn dec(v: &Value) -> rust_decimal::Decimal {
    v.as_str()
        .unwrap_or_else(|| panic!("a decimal, not {v}"))
        .parse()
        .unwrap()
}

fn d(s: &str) -> rust_decimal::Decimal {
    s.parse().unwrap()
}

/// An item as the test reads it: code, units, revenue, cost, class.
type MenuRow = (String, String, Option<String>, String, Option<String>);

const RECIPE_COST: &str = "query($r: ID!) { recipe(id: $r) { menuPrice foodCostPercent average: cost { perPortion complete lines { ingredient { name } quantity unitCost cost } } latest: cost(basis: LATEST_RECEIPT) { perPortion complete } } }";

async fn a_cafe_worked_by_hand(app: TestApp) {
    let s = app.csv_setup("food-cost@example.com").await;
    let (token, c) = (&s.token, json!({"c": s.company}));
    let company = app
        .ok(token, "mutation($c: ID!) { updateCompany(id: $c, input: {salesVatPercent: \"10\"}) { salesVatPercent priceAlertPercent } }", c.clone())
        .await;
    assert_eq!(dec(&company["updateCompany"]["salesVatPercent"]), d("10"));
    assert_eq!(dec(&company["updateCompany"]["priceAlertPercent"]), d("5"));

    // Stock ten days ago: beans 1 KG at 20.00, milk 10 L at 1.00, bread 20 at 0.25.
    for (ingredient, quantity, cost) in [
        (&s.beans, "1", "20"),
        (&s.milk, "10", "1"),
        (&s.bread, "20", "0.25"),
    ] {
        app.ok(token, "mutation($s: ID!, $i: ID!, $q: Decimal!, $u: Decimal!, $t: DateTime!) { postReceipt(input: {storageUnitId: $s, ingredientId: $i, quantity: $q, occurredAt: $t}, unitCost: $u) { id } }", json!({"s": s.kitchen, "i": ingredient, "q": quantity, "u": cost, "t": at(240)})).await;
    }
    // Counted five days ago: the books were right (a count that finds nothing still counts).
    let count = |hours_ago: i64, beans: &str, milk: &str, bread: &str| {
        let vars = json!({"s": s.kitchen, "t": at(hours_ago), "l": [
            {"ingredientId": s.beans, "countedQuantity": beans},
            {"ingredientId": s.milk, "countedQuantity": milk},
            {"ingredientId": s.bread, "countedQuantity": bread},
        ]});
        let app = &app;
        async move {
            app.ok(token, "mutation($s: ID!, $t: DateTime!, $l: [CountLineInput!]!) { postStockCount(storageUnitId: $s, countedAt: $t, lines: $l) { quantity } }", vars)
                .await["postStockCount"]
                .as_array()
                .unwrap()
                .len()
        }
    };
    assert_eq!(
        count(120, "1", "10", "20").await,
        0,
        "no difference, no adjustment"
    );

    // The menu: toast (2 slices), a latte (a cappuccino and 100 ml milk at 20 % trim, sold at
    // 4.40), a garnished toast whose basil was never bought.
    let basil = id(&app.ok(token, "mutation($c: ID!) { createIngredient(companyId: $c, name: \"Basil\", baseUnit: KG) { id } }", c.clone()).await["createIngredient"]["id"]);
    let recipe = |name: &'static str, lines: Value, price: Option<&str>| {
        let vars = json!({"c": s.company, "n": name, "l": lines, "p": price});
        let app = &app;
        async move {
            id(&app
                .ok(token, "mutation($c: ID!, $n: String!, $l: [RecipeLineInput!]!, $p: Decimal) { createRecipe(companyId: $c, name: $n, yieldQuantity: \"1\", lines: $l, menuPrice: $p) { id } }", vars)
                .await["createRecipe"]["id"])
        }
    };
    let toast = recipe(
        "Toast",
        json!([{"ingredientId": s.bread, "quantity": "2", "unit": "PCS"}]),
        Some("5.50"),
    )
    .await;
    let latte = recipe(
        "Latte",
        json!([
            {"subRecipeId": s.cappuccino, "quantity": "1", "unit": "PCS"},
            {"ingredientId": s.milk, "quantity": "100", "unit": "ML", "trimPercent": "20"},
        ]),
        Some("4.40"),
    )
    .await;
    let garnished = recipe(
        "Garnished toast",
        json!([
            {"ingredientId": s.bread, "quantity": "1", "unit": "PCS"},
            {"ingredientId": basil, "quantity": "5", "unit": "G"},
        ]),
        None,
    )
    .await;

    // Two days ago the till sold: cappuccinos and espressos (popular), toast (few, rich), a
    // croissant refunded once, napkins without a value.
    let d2 = days_ago(2);
    let file = sales_csv(&[
        ("CAP", "Cappuccino", "10", "33.00", d2, "09:00"),
        ("ESP", "Espresso", "10", "22.00", d2, "09:10"),
        ("TST", "Toast", "2", "11.00", d2, "09:20"),
        ("CRO", "Croissant", "3", "3.30", d2, "09:30"),
        ("CRO", "Croissant", "-1", "-1.10", d2, "09:40"),
        ("NAP", "Napkins", "5", "", d2, "09:50"),
    ]);
    let up = app
        .upload_csv(token, &s.integration, &s.location, "day.csv", file, false)
        .await;
    app.wait_job(token, &id(&up["data"]["uploadPosCsv"]["id"]))
        .await;
    let map = |code: &'static str, target: Value| {
        let mut vars = json!({"i": s.integration, "x": code});
        vars.as_object_mut()
            .unwrap()
            .extend(target.as_object().unwrap().clone());
        let app = &app;
        async move {
            app.ok(token, "mutation($i: ID!, $x: String!, $r: ID, $g: ID, $f: Decimal!) { mapPosItem(integrationId: $i, externalId: $x, recipeId: $r, ingredientId: $g, quantityFactor: $f) { externalId } }", vars).await;
        }
    };
    map("CAP", json!({"r": s.cappuccino, "f": "1"})).await;
    map("ESP", json!({"g": s.beans, "f": "0.009"})).await;
    map("TST", json!({"r": toast, "f": "1"})).await;
    map("CRO", json!({"g": s.bread, "f": "1"})).await;
    app.activate(token, &s.location).await;

    // Waste a day and a bit ago; counted 20 hours ago: 100 g of beans are gone.
    app.ok(token, "mutation($s: ID!, $i: ID!, $t: DateTime!) { postWaste(input: {storageUnitId: $s, ingredientId: $i, quantity: \"1\", occurredAt: $t}, reason: \"Spoiled\") { id } }", json!({"s": s.kitchen, "i": s.milk, "t": at(30)})).await;
    // Books: beans 1 − 0.18 (cappuccinos) − 0.09 (espressos) = 0.73; milk 10 − 1.5 − 1 = 7.5;
    // bread 20 − 4 (toast) − 3 + 1 (croissants) = 14.
    assert_eq!(
        count(20, "0.63", "7.5", "14").await,
        1,
        "only the beans differ"
    );

    // A delivery after the count: milk at 1.20 a litre, 20 % up on the last receipt.
    let vendor = id(&app.ok(token, "mutation($c: ID!) { createVendor(companyId: $c, input: {name: \"Dairy Mondo\"}) { id } }", c.clone()).await["createVendor"]["id"]);
    let product = id(&app.ok(token, "mutation($c: ID!, $v: ID!, $i: ID!) { createProduct(companyId: $c, input: {vendorId: $v, ingredientId: $i, name: \"Milk 7.5 L\", sku: \"M75\", packName: \"crate\", packagingFactor: \"7.5\"}) { id } }", json!({"c": s.company, "v": vendor, "i": s.milk})).await["createProduct"]["id"]);
    let order = id(&app.ok(token, "mutation($c: ID!, $v: ID!, $p: ID!) { createOrder(companyId: $c, vendorId: $v, items: [{productId: $p, packs: \"1\", pricePerPack: \"9\"}]) { id } }", json!({"c": s.company, "v": vendor, "p": product})).await["createOrder"]["id"]);
    app.ok(
        token,
        "mutation($o: ID!) { sendOrder(id: $o) { id } }",
        json!({"o": order}),
    )
    .await;
    // The receive form sees the new price before it is posted: 9.00 ÷ 7.5 L = 1.20, 20 % up.
    let before = app
        .ok(
            token,
            "query($o: ID!) { order(id: $o) { items { priceChangePercent } } }",
            json!({"o": order}),
        )
        .await;
    assert_eq!(
        dec(&before["order"]["items"][0]["priceChangePercent"]),
        d("20")
    );
    app.ok(token, "mutation($o: ID!, $s: ID!, $t: DateTime!) { receiveOrder(orderId: $o, storageUnitId: $s, occurredAt: $t) { id } }", json!({"o": order, "s": s.kitchen, "t": at(1)})).await;

    // Recipe costs. Milk on hand: 7.5 L at 1.00 and 7.5 L at 1.20 → average 1.10; latest 1.20.
    // Cappuccino: 0.018 KG × 20 + 0.15 L × 1.10 = 0.525 (latest: 0.36 + 0.18 = 0.54).
    // Latte: a cappuccino + 0.1 L ÷ (1 − 0.2) = 0.125 L × 1.10 → 0.6625 (latest 0.69);
    // 4.40 gross is 4.00 net of 10 % VAT: food cost 16.5625 %.
    let latte_cost = app.ok(token, RECIPE_COST, json!({"r": latte})).await;
    let r = &latte_cost["recipe"];
    assert_eq!(dec(&r["average"]["perPortion"]), d("0.6625"));
    assert_eq!(r["average"]["complete"], true);
    assert_eq!(dec(&r["latest"]["perPortion"]), d("0.69"));
    assert_eq!(dec(&r["menuPrice"]), d("4.40"));
    assert_eq!(dec(&r["foodCostPercent"]), d("16.5625"));
    let lines: Vec<(
        String,
        rust_decimal::Decimal,
        rust_decimal::Decimal,
        rust_decimal::Decimal,
    )> = r["average"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["ingredient"]["name"].as_str().unwrap().to_string(),
                dec(&l["quantity"]),
                dec(&l["unitCost"]),
                dec(&l["cost"]),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("Coffee beans".into(), d("0.018"), d("20"), d("0.36")),
            ("Milk".into(), d("0.275"), d("1.1"), d("0.3025")),
        ],
        "most expensive first; milk 0.15 + 0.125 L"
    );
    // Basil was never bought: the cost is the bread's alone, and says so.
    let g = app.ok(token, RECIPE_COST, json!({"r": garnished})).await;
    assert_eq!(dec(&g["recipe"]["average"]["perPortion"]), d("0.25"));
    assert_eq!(g["recipe"]["average"]["complete"], false);
    assert_eq!(
        g["recipe"]["average"]["lines"][1]["ingredient"]["name"],
        "Basil"
    );
    assert_eq!(g["recipe"]["average"]["lines"][1]["cost"], Value::Null);
    assert_eq!(g["recipe"]["foodCostPercent"], Value::Null);

    // The price change, with what it does to the cappuccino and the latte (latest basis).
    let changes = app
        .ok(token, "query($c: ID!) { priceChanges(companyId: $c) { ingredient { name } vendor { name } product { name } previousUnitCost unitCost changePercent recipes { recipe { name } before after } } }", c.clone())
        .await;
    let list = changes["priceChanges"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{changes:#}");
    let change = &list[0];
    assert_eq!(change["ingredient"]["name"], "Milk");
    assert_eq!(change["vendor"]["name"], "Dairy Mondo");
    assert_eq!(change["product"]["name"], "Milk 7.5 L");
    assert_eq!(
        (dec(&change["previousUnitCost"]), dec(&change["unitCost"])),
        (d("1"), d("1.2"))
    );
    assert_eq!(dec(&change["changePercent"]), d("20"));
    let moved: Vec<(String, rust_decimal::Decimal, rust_decimal::Decimal)> = change["recipes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["recipe"]["name"].as_str().unwrap().to_string(),
                dec(&r["before"]),
                dec(&r["after"]),
            )
        })
        .collect();
    assert_eq!(
        moved,
        [
            ("Cappuccino".into(), d("0.51"), d("0.54")),
            ("Latte".into(), d("0.635"), d("0.69")),
        ]
    );

    // Menu engineering over the sales day. Revenue net of 10 % VAT; cost as posted then
    // (milk 1.00): cappuccino 10 × 0.51, espresso 10 × 0.18, toast 2 × 0.50, croissant 2 × 0.25.
    // Margin per unit: 2.49, 1.82, 4.50, 0.75; average 53.6 ÷ 24 = 2.2333; popular from
    // 70 % × ¼ = 17.5 % of the 24 units.
    let menu = app
        .ok(token, "query($c: ID!, $f: DateTime!, $t: DateTime!) { menuEngineering(companyId: $c, from: $f, to: $t) { totalRevenue totalCost popularFromUnits averageMarginPerUnit items { externalId unitsSold revenue cost margin foodCostPercent marginPerUnit menuClass recipe { name } } } }", json!({"c": s.company, "f": at(96), "t": at(0)}))
        .await;
    let m = &menu["menuEngineering"];
    let items: Vec<MenuRow> = m["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["externalId"].as_str().unwrap().to_string(),
                dec(&i["unitsSold"]).to_string(),
                i["revenue"].as_str().map(|v| d(v).normalize().to_string()),
                dec(&i["cost"]).normalize().to_string(),
                i["menuClass"].as_str().map(String::from),
            )
        })
        .collect();
    let row = |code: &str, units: &str, revenue: Option<&str>, cost: &str, class: Option<&str>| {
        (
            code.to_string(),
            units.to_string(),
            revenue.map(String::from),
            cost.to_string(),
            class.map(String::from),
        )
    };
    assert_eq!(
        items,
        [
            row("CAP", "10", Some("30"), "5.1", Some("STAR")),
            row("ESP", "10", Some("20"), "1.8", Some("PLOWHORSE")),
            row("TST", "2", Some("10"), "1", Some("PUZZLE")),
            row("CRO", "2", Some("2"), "0.5", Some("DOG")),
            row("NAP", "5", None, "0", None),
        ],
        "largest revenue first; napkins listed, not classified"
    );
    assert_eq!(dec(&m["totalRevenue"]), d("62"));
    assert_eq!(dec(&m["popularFromUnits"]), d("4.2"), "70 % of 24 ÷ 4");
    assert_eq!(dec(&m["averageMarginPerUnit"]), d("2.233333"));
    assert_eq!(dec(&m["totalCost"]), d("8.4"));
    let cappuccino = &m["items"][0];
    assert_eq!(dec(&cappuccino["margin"]), d("24.9"));
    assert_eq!(dec(&cappuccino["foodCostPercent"]), d("17"));
    assert_eq!(dec(&cappuccino["marginPerUnit"]), d("2.49"));
    assert_eq!(cappuccino["recipe"]["name"], "Cappuccino");

    // AvT between the two counts (the default period), largest unexplained loss first.
    let avt = app
        .ok(token, "query($c: ID!, $s: ID) { varianceReport(companyId: $c, storageUnitId: $s) { from to rows { ingredient { name } countedAtStart countedAtEnd opening { quantity value } theoretical { quantity value } waste { quantity value } otherIssues { quantity } unexplained { quantity value } actual { quantity value } closing { quantity value } variance { quantity value } variancePercent } totals { unexplained { value } variance { value } theoretical { value } } } }", json!({"c": s.company, "s": s.kitchen}))
        .await;
    let v = &avt["varianceReport"];
    let pair = |a: &Value| (dec(&a["quantity"]), dec(&a["value"]));
    let rows = v["rows"].as_array().unwrap();
    let names: Vec<&str> = rows
        .iter()
        .map(|r| r["ingredient"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Coffee beans", "Milk", "Bread"]);
    let beans = &rows[0];
    assert_eq!(pair(&beans["opening"]), (d("1"), d("20")));
    assert_eq!(pair(&beans["theoretical"]), (d("0.27"), d("5.4")));
    assert_eq!(pair(&beans["unexplained"]), (d("0.1"), d("2")));
    assert_eq!(pair(&beans["actual"]), (d("0.37"), d("7.4")));
    assert_eq!(pair(&beans["closing"]), (d("0.63"), d("12.6")));
    assert_eq!(pair(&beans["variance"]), (d("0.1"), d("2")));
    assert_eq!(dec(&beans["variancePercent"]), d("37.037037"));
    assert_eq!(
        (
            beans["countedAtStart"].clone(),
            beans["countedAtEnd"].clone()
        ),
        (json!(true), json!(true))
    );
    let milk = &rows[1];
    assert_eq!(pair(&milk["theoretical"]), (d("1.5"), d("1.5")));
    assert_eq!(pair(&milk["waste"]), (d("1"), d("1")));
    assert_eq!(pair(&milk["variance"]), (d("1"), d("1")));
    assert_eq!(dec(&milk["variancePercent"]), d("66.666667"));
    assert_eq!(
        pair(&milk["closing"]),
        (d("7.5"), d("7.5")),
        "the later delivery is outside the period"
    );
    let bread = &rows[2];
    assert_eq!(
        pair(&bread["theoretical"]),
        (d("6"), d("1.5")),
        "croissants net of the refund"
    );
    assert_eq!(pair(&bread["variance"]), (d("0"), d("0")));
    assert_eq!(dec(&v["totals"]["unexplained"]["value"]), d("2"));
    assert_eq!(dec(&v["totals"]["theoretical"]["value"]), d("8.4"));
    assert_eq!(dec(&v["totals"]["variance"]["value"]), d("3"));
    // The period the counts set: both are kept as records, the one that found nothing too.
    let counts = app
        .ok(token, "query($c: ID!) { stockCountConnection(companyId: $c, status: POSTED) { edges { node { countedAt } } } }", c.clone())
        .await;
    let times: Vec<&str> = counts["stockCountConnection"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["countedAt"].as_str().unwrap())
        .collect();
    assert_eq!(times.len(), 2);
    let parse = |t: &str| chrono::DateTime::parse_from_rfc3339(t).unwrap();
    assert_eq!(parse(v["from"].as_str().unwrap()), parse(times[1]));
    assert_eq!(parse(v["to"].as_str().unwrap()), parse(times[0]));
}
on_both_backends!(a_cafe_worked_by_hand);

/// Every new query and mutation answers another company's ids as not found, and changes nothing.
async fn food_cost_stays_within_the_company(app: TestApp) {
    let s = app.csv_setup("fc-owner@example.com").await;
    let (rival, rival_company) = app.sign_up("fc-rival@example.com").await;
    let period = json!({"c": s.company, "f": "2026-01-01T00:00:00Z", "t": "2026-02-01T00:00:00Z"});
    for (query, vars) in [
        (
            "query($c: ID!, $f: DateTime!, $t: DateTime!) { menuEngineering(companyId: $c, from: $f, to: $t) { totalCost } }",
            period.clone(),
        ),
        (
            "query($c: ID!) { varianceReport(companyId: $c) { from } }",
            json!({"c": s.company}),
        ),
        (
            "query($c: ID!) { priceChanges(companyId: $c) { unitCost } }",
            json!({"c": s.company}),
        ),
        (
            "query($r: ID!) { recipe(id: $r) { cost { perPortion } } }",
            json!({"r": s.cappuccino}),
        ),
        (
            "mutation($c: ID!) { updateCompany(id: $c, input: {salesVatPercent: \"19\"}) { id } }",
            json!({"c": s.company}),
        ),
        (
            "mutation($r: ID!) { updateRecipe(id: $r, input: {menuPrice: \"1\"}) { id } }",
            json!({"r": s.cappuccino}),
        ),
    ] {
        let answer = app.gql(Some(&rival), query, vars).await;
        assert_eq!(error_code(&answer), "NOT_FOUND", "{query}: {answer:#}");
    }
    // The rival's own reports cannot reach the owner's storage unit or integration either.
    let foreign_unit = app
        .gql(
            Some(&rival),
            "query($c: ID!, $s: ID) { varianceReport(companyId: $c, storageUnitId: $s) { from } }",
            json!({"c": rival_company, "s": s.kitchen}),
        )
        .await;
    assert_eq!(error_code(&foreign_unit), "NOT_FOUND");
    let foreign_integration = app
        .gql(Some(&rival), "query($c: ID!, $i: ID) { menuEngineering(companyId: $c, from: \"2026-01-01T00:00:00Z\", to: \"2026-02-01T00:00:00Z\", integrationId: $i) { totalCost } }", json!({"c": rival_company, "i": s.integration}))
        .await;
    assert_eq!(error_code(&foreign_integration), "NOT_FOUND");
    let unchanged = app
        .ok(&s.token, "query($r: ID!, $c: ID!) { recipe(id: $r) { menuPrice } company(id: $c) { salesVatPercent } }", json!({"r": s.cappuccino, "c": s.company}))
        .await;
    assert_eq!(unchanged["recipe"]["menuPrice"], Value::Null);
    assert_eq!(dec(&unchanged["company"]["salesVatPercent"]), d("0"));
}
on_both_backends!(food_cost_stays_within_the_company);

/// Absurd numbers and periods are refused with the field they concern, and change nothing.
async fn food_cost_inputs_are_bounded(app: TestApp) {
    let s = app.csv_setup("fc-bounds@example.com").await;
    for (query, vars, field) in [
        (
            "mutation($c: ID!) { updateCompany(id: $c, input: {salesVatPercent: \"101\"}) { id } }",
            json!({"c": s.company}),
            "salesVatPercent",
        ),
        (
            "mutation($c: ID!) { updateCompany(id: $c, input: {priceAlertPercent: \"-1\"}) { id } }",
            json!({"c": s.company}),
            "priceAlertPercent",
        ),
        (
            "mutation($r: ID!) { updateRecipe(id: $r, input: {menuPrice: \"-0.01\"}) { id } }",
            json!({"r": s.cappuccino}),
            "menuPrice",
        ),
        (
            "query($c: ID!) { menuEngineering(companyId: $c, from: \"2026-02-01T00:00:00Z\", to: \"2026-01-01T00:00:00Z\") { totalCost } }",
            json!({"c": s.company}),
            "to",
        ),
        (
            "query($c: ID!) { menuEngineering(companyId: $c, from: \"2020-01-01T00:00:00Z\", to: \"2026-01-01T00:00:00Z\") { totalCost } }",
            json!({"c": s.company}),
            "from",
        ),
        (
            "query($c: ID!) { varianceReport(companyId: $c, from: \"2020-01-01T00:00:00Z\", to: \"2026-01-01T00:00:00Z\") { from } }",
            json!({"c": s.company}),
            "from",
        ),
        (
            "query($c: ID!) { priceChanges(companyId: $c, from: \"2026-02-01T00:00:00Z\", to: \"2026-01-01T00:00:00Z\") { unitCost } }",
            json!({"c": s.company}),
            "to",
        ),
    ] {
        let answer = app.gql(Some(&s.token), query, vars).await;
        assert_eq!(error_code(&answer), "VALIDATION", "{query}: {answer:#}");
        assert_eq!(tests::error_field(&answer), field, "{query}: {answer:#}");
    }
}
on_both_backends!(food_cost_inputs_are_bounded);
