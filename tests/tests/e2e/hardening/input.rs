//! Hostile input (issue 10): every attack is answered at once with a clear, specific error,
//! writes nothing, and holds up no other company.

use std::time::Duration;

use serde_json::{Value, json};
use tests::{TestApp, error_code, error_field, on_both_backends};

/// A hang guard: the old code took hours (or forever) here. Not a benchmark.
const PROMPT: Duration = Duration::from_secs(20);

async fn within<T>(what: &str, work: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(PROMPT, work)
        .await
        .unwrap_or_else(|_| panic!("{what} did not answer promptly"))
}

const CREATE_RECIPE: &str = "mutation($c: ID!, $n: String!, $l: [RecipeLineInput!]!) { createRecipe(companyId: $c, name: $n, yieldQuantity: \"1\", lines: $l) { id } }";

async fn a_chain_of_recipes_expands_once_per_recipe(app: TestApp) {
    let k = app.kitchen("chain@example.com").await;
    // R0: one micro-kilogram of flour; R1..R5: 100 portions of the one before, each on its own
    // line. Expanded naively that is 100^5 walks; the result is 10^-6 KG × 100^5 = 10,000 KG.
    let mut previous = app
        .ok(&k.token, CREATE_RECIPE, json!({"c": k.company, "n": "R0", "l": [{"ingredientId": k.flour, "quantity": "0.000001", "unit": "KG"}]}))
        .await["createRecipe"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let first = previous.clone();
    for level in 1..=5 {
        let lines: Vec<Value> = (0..100)
            .map(|_| json!({"subRecipeId": previous, "quantity": "1", "unit": "PCS"}))
            .collect();
        let created = within(
            "creating a recipe",
            app.ok(
                &k.token,
                CREATE_RECIPE,
                json!({"c": k.company, "n": format!("R{level}"), "l": lines}),
            ),
        )
        .await;
        previous = created["createRecipe"]["id"].as_str().unwrap().to_string();
    }
    let expanded = within(
        "expanding the chain",
        app.ok(
            &k.token,
            "query($r: ID!) { recipe(id: $r) { expanded { quantity } } }",
            json!({"r": previous}),
        ),
    )
    .await;
    assert_eq!(expanded["recipe"]["expanded"][0]["quantity"], "10000");
    // The cycle check walks each recipe once too: R0 using R5 is refused, naming the way.
    let cycle = within(
        "checking for a cycle",
        app.gql(
            Some(&k.token),
            "mutation($r: ID!, $s: ID!) { updateRecipe(id: $r, input: {lines: [{subRecipeId: $s, quantity: \"1\", unit: PCS}]}) { id } }",
            json!({"r": first, "s": previous}),
        ),
    )
    .await;
    assert_eq!(error_code(&cycle), "VALIDATION", "{cycle}");
    assert_eq!(error_field(&cycle), "lines[0].subRecipeId");
    // More than 200 lines is refused, naming the field.
    let lines: Vec<Value> = (0..201)
        .map(|_| json!({"ingredientId": k.flour, "quantity": "1", "unit": "KG"}))
        .collect();
    let too_many = app
        .gql(
            Some(&k.token),
            CREATE_RECIPE,
            json!({"c": k.company, "n": "Huge", "l": lines}),
        )
        .await;
    assert_eq!(error_code(&too_many), "VALIDATION");
    assert_eq!(error_field(&too_many), "lines");
}
on_both_backends!(a_chain_of_recipes_expands_once_per_recipe);

const RECEIPT: &str =
    "mutation($in: MovementInput!, $c: Decimal!) { postReceipt(input: $in, unitCost: $c) { id } }";

async fn absurd_numbers_are_validation_errors_that_write_nothing(app: TestApp) {
    let k = app.kitchen("numbers@example.com").await;
    let movement = |quantity: &str| json!({"storageUnitId": k.unit, "ingredientId": k.flour, "quantity": quantity});
    for (quantity, cost, field) in [
        ("1", "100000000000000000000000", "unitCost"),
        ("100000000000000000000000", "1", "input.quantity"),
        ("1000000001", "1", "input.quantity"),
        // Within each bound, but worth more than 10^12.
        ("1000000000", "1000000000", "unitCost"),
    ] {
        let r = app
            .gql(
                Some(&k.token),
                RECEIPT,
                json!({"in": movement(quantity), "c": cost}),
            )
            .await;
        assert_eq!(error_code(&r), "VALIDATION", "{quantity} × {cost}: {r}");
        assert!(
            error_field(&r).ends_with(field.trim_start_matches("input.")),
            "{quantity} × {cost} names {field}: {r}"
        );
    }
    // A packaging level times a huge count used to overflow a decimal.
    let level = app
        .ok(
            &k.token,
            "query($i: ID!) { ingredient(id: $i) { packagingLevels { id } } }",
            json!({"i": k.flour}),
        )
        .await["ingredient"]["packagingLevels"][0]["id"]
        .clone();
    let r = app
        .gql(Some(&k.token), RECEIPT, json!({"in": {"storageUnitId": k.unit, "ingredientId": k.flour, "quantity": "70000000000000000000000000000", "packagingLevelId": level}, "c": "1"}))
        .await;
    assert_eq!(error_code(&r), "VALIDATION", "{r}");
    assert_eq!(app.ledger_count(&k).await, 0, "nothing was written");

    // A VIEWER's filter bound.
    let r = app
        .gql(Some(&k.token), "query($c: ID!) { ledger(companyId: $c, filter: {minCurrentStock: \"100000000000000000000000\"}) { totalCount } }", json!({"c": k.company}))
        .await;
    assert_eq!(error_code(&r), "VALIDATION", "{r}");
    assert_eq!(error_field(&r), "filter.minCurrentStock");
    // The server still serves: a normal receipt posts.
    app.ok(&k.token, RECEIPT, json!({"in": movement("2"), "c": "1.5"}))
        .await;
    assert_eq!(app.ledger_count(&k).await, 1);
}
on_both_backends!(absurd_numbers_are_validation_errors_that_write_nothing);

async fn sums_of_the_largest_entries_are_exact(app: TestApp) {
    let k = app.kitchen("sums@example.com").await;
    let movement = json!({"storageUnitId": k.unit, "ingredientId": k.flour, "quantity": "1000"});
    // Twelve receipts worth 10^12 each (the largest entry value), each issued again: 1.2 × 10^19
    // millionths in, the same out. A 64-bit SUM overflowed at ten (INTERNAL on both backends).
    for _ in 0..12 {
        app.ok(
            &k.token,
            RECEIPT,
            json!({"in": movement, "c": "1000000000"}),
        )
        .await;
        app.ok(
            &k.token,
            "mutation($in: MovementInput!) { postIssue(input: $in) { id } }",
            json!({"in": movement}),
        )
        .await;
    }
    let report = app
        .ok(&k.token, "query($c: ID!, $f: DateTime!, $t: DateTime!) { inventoryReport(companyId: $c, from: $f, to: $t) { rows { receipts { quantity value } issues { quantity value } closing { quantity value } } totals { receipts { value } issues { value } } } }", json!({
            "c": k.company,
            "f": (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc3339(),
            "t": (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339(),
        }))
        .await;
    let row = &report["inventoryReport"]["rows"][0];
    assert_eq!(
        row["receipts"],
        json!({"quantity": "12000", "value": "12000000000000"})
    );
    assert_eq!(row["issues"]["quantity"], "-12000", "{row}");
    assert_eq!(row["issues"]["value"], "-12000000000000", "{row}");
    assert_eq!(row["closing"], json!({"quantity": "0", "value": "0"}));
    assert_eq!(
        report["inventoryReport"]["totals"]["receipts"]["value"],
        "12000000000000"
    );
    let summary = app
        .ok(&k.token, "query($i: ID!, $s: ID!) { ledgerSummary(ingredientId: $i, storageUnitId: $s) { currentBalance totalReceipts totalIssues totalEntries } }", json!({"i": k.flour, "s": k.unit}))
        .await;
    assert_eq!(
        summary["ledgerSummary"],
        json!({"currentBalance": "0", "totalReceipts": "12000", "totalIssues": "12000", "totalEntries": 24})
    );
}
on_both_backends!(sums_of_the_largest_entries_are_exact);

async fn page_sizes_and_aliases_count_toward_the_query_limits(app: TestApp) {
    let k = app.kitchen("aliases@example.com").await;
    // 30 aliases of a 500-row page: 30 × 500 rows, over the complexity limit.
    let aliases: String = (0..30)
        .map(|i| {
            format!("a{i}: ledger(companyId: $c, first: 500) {{ edges {{ node {{ id }} }} }} ")
        })
        .collect();
    let r = app
        .gql(
            Some(&k.token),
            &format!("query($c: ID!) {{ {aliases} }}"),
            json!({"c": k.company}),
        )
        .await;
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("complex"),
        "{r}"
    );
    // 700 cheap aliases: refused for their number.
    let aliases: String = (0..700)
        .map(|i| format!("a{i}: ledger(companyId: $c, first: 1) {{ totalCount }} "))
        .collect();
    let r = app
        .gql(
            Some(&k.token),
            &format!("query($c: ID!) {{ {aliases} }}"),
            json!({"c": k.company}),
        )
        .await;
    assert_eq!(error_code(&r), "QUERY_TOO_LARGE", "{r}");
    // Fragments that double at every level are measured without expanding them.
    let mut bomb = String::from("query { ...F0 }\n");
    for i in 0..30 {
        bomb.push_str(&format!(
            "fragment F{i} on Query {{ ...F{} ...F{} }}\n",
            i + 1,
            i + 1
        ));
    }
    bomb.push_str("fragment F30 on Query { me { id } }\n");
    let r = within("a fragment bomb", app.gql(Some(&k.token), &bomb, json!({}))).await;
    assert_eq!(error_code(&r), "QUERY_TOO_LARGE", "{r}");
    // A page the SPA asks for still passes.
    app.ok(&k.token, "query($c: ID!) { ledger(companyId: $c, first: 500) { totalCount edges { node { id transactionType quantity unitCost value balanceAfter averageCostAfter occurredAt reason reversalOf source { kind id } ingredient { name } storageUnit { name } } } } }", json!({"c": k.company}))
        .await;
}
on_both_backends!(page_sizes_and_aliases_count_toward_the_query_limits);

const LOGIN: &str =
    "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }";

async fn concurrent_wrong_passwords_each_count(app: TestApp) {
    app.sign_up("guessed@example.com").await;
    let guesses = (0..8).map(|i| {
        app.gql(
            None,
            LOGIN,
            json!({"e": "guessed@example.com", "p": format!("wrong guess {i}")}),
        )
    });
    let answers = futures::future::join_all(guesses).await;
    for answer in &answers {
        assert!(
            ["UNAUTHENTICATED", "RATE_LIMITED"].contains(&error_code(answer)),
            "{answer}"
        );
    }
    // Eight wrong guesses at once lock the account: the right password is refused now.
    let right = app
        .gql(
            None,
            LOGIN,
            json!({"e": "guessed@example.com", "p": "correct horse battery"}),
        )
        .await;
    assert!(
        right["errors"][0]["extensions"]["retryAfterSeconds"]
            .as_i64()
            .is_some_and(|s| s > 0),
        "locked with a time to wait: {right}"
    );
    // One login per request.
    let two = app
        .gql(
            None,
            r#"mutation { a: login(email: "x@example.com", password: "y") { token } b: login(email: "x@example.com", password: "z") { token } }"#,
            json!({}),
        )
        .await;
    assert_eq!(error_code(&two), "QUERY_TOO_LARGE", "{two}");
}
on_both_backends!(concurrent_wrong_passwords_each_count);

async fn a_lock_that_has_passed_lets_the_right_password_in(app: TestApp) {
    app.sign_up("relocked@example.com").await;
    for i in 0..6 {
        let r = app
            .gql(
                None,
                LOGIN,
                json!({"e": "relocked@example.com", "p": format!("wrong guess {i}")}),
            )
            .await;
        assert_eq!(error_code(&r), "UNAUTHENTICATED", "{r}");
    }
    // The lock passes; the right password signs in again (the count does not keep the
    // account locked for ever).
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let passed = chrono::Utc::now() - chrono::Duration::seconds(1);
    entity::user::Entity::update_many()
        .col_expr(
            entity::user::Column::LockedUntil,
            sea_orm::sea_query::Expr::value(Some(passed)),
        )
        .filter(entity::user::Column::Email.eq("relocked@example.com"))
        .exec(&app.db)
        .await
        .unwrap();
    let after = app
        .gql(
            None,
            LOGIN,
            json!({"e": "relocked@example.com", "p": "correct horse battery"}),
        )
        .await;
    assert!(
        after["data"]["login"]["token"].is_string(),
        "signed in after the lock passed: {after}"
    );
}
on_both_backends!(a_lock_that_has_passed_lets_the_right_password_in);

async fn sign_ins_are_rate_limited_per_address(app: TestApp) {
    let mut limited = None;
    for i in 0..70 {
        let r = app
            .gql(
                None,
                LOGIN,
                json!({"e": format!("nobody{i}@example.com"), "p": "whatever it is"}),
            )
            .await;
        if error_code(&r) == "RATE_LIMITED" {
            limited = Some(r);
            break;
        }
        assert_eq!(error_code(&r), "UNAUTHENTICATED", "{r}");
    }
    let r = limited.expect("a client address is limited before 70 sign-ins a minute");
    assert!(
        r["errors"][0]["extensions"]["retryAfterSeconds"]
            .as_i64()
            .is_some_and(|s| (1..=60).contains(&s)),
        "{r}"
    );
}
on_both_backends!(sign_ins_are_rate_limited_per_address);

async fn api_tokens_act_at_most_as_managers_and_only_while_their_creator_may(app: TestApp) {
    let (owner, company) = app.sign_up("owner@example.com").await;
    let r = app
        .gql(Some(&owner), "mutation($c: ID!) { createApiToken(companyId: $c, name: \"root\", role: OWNER) { token } }", json!({"c": company}))
        .await;
    assert_eq!(error_code(&r), "VALIDATION", "{r}");
    assert_eq!(error_field(&r), "role");
    // A manager's token stops working when the manager leaves.
    let (manager, _) = app.sign_up("manager@example.com").await;
    let added = app
        .ok(&owner, "mutation($c: ID!) { addMember(companyId: $c, email: \"manager@example.com\", role: OWNER) { userId } }", json!({"c": company}))
        .await;
    let manager_id = added["addMember"]["userId"].as_str().unwrap().to_string();
    let token = app
        .ok(&manager, "mutation($c: ID!) { createApiToken(companyId: $c, name: \"sync\", role: MANAGER) { token } }", json!({"c": company}))
        .await["createApiToken"]["token"]
        .as_str()
        .unwrap()
        .to_string();
    // A token cannot add a person, whoever made it.
    let r = app
        .gql(Some(&token), "mutation($c: ID!) { addMember(companyId: $c, email: \"owner@example.com\", role: OWNER) { role } }", json!({"c": company}))
        .await;
    assert_eq!(error_code(&r), "FORBIDDEN", "{r}");
    let read = "query($c: ID!) { storageUnits(companyId: $c) { id } }";
    app.ok(&token, read, json!({"c": company})).await;
    app.ok(
        &owner,
        "mutation($c: ID!, $u: ID!) { removeMember(companyId: $c, userId: $u) }",
        json!({"c": company, "u": manager_id}),
    )
    .await;
    let r = app.gql(Some(&token), read, json!({"c": company})).await;
    assert_eq!(error_code(&r), "UNAUTHENTICATED", "{r}");
}
on_both_backends!(api_tokens_act_at_most_as_managers_and_only_while_their_creator_may);

async fn an_item_received_on_two_lines_is_refused_naming_the_line(app: TestApp) {
    let k = app.kitchen("orders@example.com").await;
    let vendor = app
        .ok(
            &k.token,
            "mutation($c: ID!) { createVendor(companyId: $c, input: {name: \"Mill\"}) { id } }",
            json!({"c": k.company}),
        )
        .await["createVendor"]["id"]
        .clone();
    let product = app
        .ok(&k.token, "mutation($c: ID!, $v: ID!, $i: ID!) { createProduct(companyId: $c, input: {vendorId: $v, ingredientId: $i, name: \"Flour 25 kg\", sku: \"F25\", packName: \"sack\", packagingFactor: \"25\"}) { id } }", json!({"c": k.company, "v": vendor, "i": k.flour}))
        .await["createProduct"]["id"]
        .clone();
    let order = app
        .ok(&k.token, "mutation($c: ID!, $v: ID!, $p: ID!) { createOrder(companyId: $c, vendorId: $v, items: [{productId: $p, packs: \"3\", pricePerPack: \"20\"}]) { id items { id } } }", json!({"c": k.company, "v": vendor, "p": product}))
        .await;
    let order_id = order["createOrder"]["id"].clone();
    let item = order["createOrder"]["items"][0]["id"].clone();
    app.ok(
        &k.token,
        "mutation($o: ID!) { sendOrder(id: $o) { status } }",
        json!({"o": order_id}),
    )
    .await;
    let receive = "mutation($o: ID!, $s: ID!, $l: [ReceiveLineInput!], $at: DateTime) { receiveOrder(orderId: $o, storageUnitId: $s, lines: $l, occurredAt: $at) { id } }";
    let r = app
        .gql(Some(&k.token), receive, json!({"o": order_id, "s": k.unit, "l": [{"itemId": item, "packs": "2"}, {"itemId": item, "packs": "2"}]}))
        .await;
    assert_eq!(error_code(&r), "VALIDATION", "{r}");
    assert_eq!(error_field(&r), "lines[1].itemId");
    // A delivery dated in the future is refused as a movement would be.
    let r = app
        .gql(Some(&k.token), receive, json!({"o": order_id, "s": k.unit, "l": [{"itemId": item, "packs": "1"}], "at": "2999-01-01T00:00:00Z"}))
        .await;
    assert_eq!(error_code(&r), "VALIDATION", "{r}");
    assert_eq!(error_field(&r), "occurredAt");
    assert_eq!(app.ledger_count(&k).await, 0);
}
on_both_backends!(an_item_received_on_two_lines_is_refused_naming_the_line);

async fn names_and_searches_are_text_not_patterns(app: TestApp) {
    let k = app.kitchen("names@example.com").await;
    let create =
        "mutation($c: ID!, $n: String!) { createStorageUnit(companyId: $c, name: $n) { id } }";
    // `%` is a name like any other: it clashes with nothing.
    app.ok(&k.token, create, json!({"c": k.company, "n": "%"}))
        .await;
    app.ok(&k.token, create, json!({"c": k.company, "n": "Bar_1"}))
        .await;
    app.ok(&k.token, create, json!({"c": k.company, "n": "BarX1"}))
        .await;
    for clash in ["kitchen", "KITCHEN"] {
        let r = app
            .gql(Some(&k.token), create, json!({"c": k.company, "n": clash}))
            .await;
        assert_eq!(error_code(&r), "CONFLICT", "{clash}: {r}");
    }
    app.ok(&k.token, create, json!({"c": k.company, "n": "Ünïcode"}))
        .await;
    let r = app
        .gql(
            Some(&k.token),
            create,
            json!({"c": k.company, "n": "ünïcode"}),
        )
        .await;
    assert_eq!(
        error_code(&r),
        "CONFLICT",
        "case folds in every alphabet: {r}"
    );
    // `_` and `%` in a search match themselves.
    let search = "query($c: ID!, $s: String) { storageUnits(companyId: $c, search: $s) { name } }";
    let found = app
        .ok(&k.token, search, json!({"c": k.company, "s": "bar_"}))
        .await;
    assert_eq!(found["storageUnits"], json!([{"name": "Bar_1"}]));
    let found = app
        .ok(&k.token, search, json!({"c": k.company, "s": "%"}))
        .await;
    assert_eq!(found["storageUnits"], json!([{"name": "%"}]));
    // A search folds case in every alphabet too (SQLite's LIKE folds ASCII only), and `.` is text.
    for term in ["ÜNÏ", "ünïcode", "Ünï"] {
        let found = app
            .ok(&k.token, search, json!({"c": k.company, "s": term}))
            .await;
        assert_eq!(
            found["storageUnits"],
            json!([{"name": "Ünïcode"}]),
            "{term}"
        );
    }
    let found = app
        .ok(&k.token, search, json!({"c": k.company, "s": "n.c"}))
        .await;
    assert_eq!(found["storageUnits"], json!([]));
    // A search is bounded.
    let r = app
        .gql(
            Some(&k.token),
            search,
            json!({"c": k.company, "s": "x".repeat(50_000)}),
        )
        .await;
    assert_eq!(error_code(&r), "VALIDATION", "{r}");
    assert_eq!(error_field(&r), "search");
    // So is a waste reason's text.
    let r = app
        .gql(Some(&k.token), "mutation($in: MovementInput!, $r: String!) { postWaste(input: $in, reason: $r) { id } }", json!({"in": {"storageUnitId": k.unit, "ingredientId": k.flour, "quantity": "1"}, "r": format!("Other: {}", "y".repeat(5000))}))
        .await;
    assert_eq!(error_code(&r), "VALIDATION", "{r}");
}
on_both_backends!(names_and_searches_are_text_not_patterns);

async fn a_receiving_member_sees_no_more_of_the_source_than_the_transfer(app: TestApp) {
    let (owner, source) = app.sign_up("group@example.com").await;
    let target = app
        .ok(&owner, "mutation { createCompany(input: {name: \"Second site\", currency: \"EUR\", timezone: \"Europe/Berlin\"}) { id } }", json!({}))
        .await["createCompany"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let unit = |company: &str, name: &str| {
        app.ok(&owner, "mutation($c: ID!, $n: String!) { createStorageUnit(companyId: $c, name: $n, address: \"Secret Street 1\") { id } }", json!({"c": company, "n": name}))
    };
    let from = unit(&source, "Central").await["createStorageUnit"]["id"].clone();
    let to = unit(&target, "Branch").await["createStorageUnit"]["id"].clone();
    let ingredient = |company: &str| {
        app.ok(&owner, "mutation($c: ID!) { createIngredient(companyId: $c, name: \"Oil\", baseUnit: L, category: \"Secret category\", packagingLevels: [{name: \"drum\", factor: \"200\"}]) { id } }", json!({"c": company}))
    };
    let oil = ingredient(&source).await["createIngredient"]["id"].clone();
    ingredient(&target).await;
    app.ok(
        &owner,
        RECEIPT,
        json!({"in": {"storageUnitId": from, "ingredientId": oil, "quantity": "10"}, "c": "2"}),
    )
    .await;
    let transfer = app
        .ok(&owner, "mutation($f: ID!, $t: ID!, $i: ID!) { createTransfer(fromStorageUnitId: $f, toStorageUnitId: $t, lines: [{ingredientId: $i, quantity: \"4\"}]) { id } }", json!({"f": from, "t": to, "i": oil}))
        .await["createTransfer"]["id"]
        .clone();
    app.ok(
        &owner,
        "mutation($t: ID!) { shipTransfer(id: $t) { status } }",
        json!({"t": transfer}),
    )
    .await;
    let (receiver, _) = app.sign_up("receiver@example.com").await;
    app.ok(&owner, "mutation($c: ID!) { addMember(companyId: $c, email: \"receiver@example.com\", role: STAFF) { userId } }", json!({"c": target}))
        .await;
    let seen = app
        .ok(&receiver, "query($t: ID!) { transfer(id: $t) { fromStorageUnit { name address pendingTransfersIn } toStorageUnit { address } lines { quantity ingredient { name category packagingLevels { id } } } } }", json!({"t": transfer}))
        .await;
    let t = &seen["transfer"];
    assert_eq!(t["fromStorageUnit"]["name"], "Central");
    assert_eq!(t["fromStorageUnit"]["address"], Value::Null, "{seen}");
    assert_eq!(
        t["toStorageUnit"]["address"], "Secret Street 1",
        "their own"
    );
    assert_eq!(t["lines"][0]["quantity"], "4");
    assert_eq!(t["lines"][0]["ingredient"]["name"], "Oil");
    assert_eq!(t["lines"][0]["ingredient"]["category"], Value::Null);
    assert_eq!(t["lines"][0]["ingredient"]["packagingLevels"], json!([]));
}
on_both_backends!(a_receiving_member_sees_no_more_of_the_source_than_the_transfer);

/// A state the code does not know, read from the database, is an error the log explains —
/// never quietly shown as some other state (the old code showed an unknown connection state as
/// NOT_CONNECTED and an unknown provider as CSV).
async fn an_unknown_stored_state_is_an_error_not_a_default(app: TestApp) {
    use sea_orm::ConnectionTrait;
    let s = app.csv_setup("unknown-state@example.com").await;
    let query = "query($i: ID!) { posIntegration(id: $i) { connectionState } }";
    let before = app.ok(&s.token, query, json!({"i": s.integration})).await;
    assert_eq!(before["posIntegration"]["connectionState"], "CONNECTED");
    app.db
        .execute_unprepared(&format!(
            "UPDATE pos_integrations SET connection_state = 'HALF_CONNECTED' WHERE id = {}",
            s.integration
        ))
        .await
        .unwrap();
    let after = app
        .gql(Some(&s.token), query, json!({"i": s.integration}))
        .await;
    assert_eq!(error_code(&after), "INTERNAL", "{after}");
    assert!(
        after["data"].is_null() || after["data"]["posIntegration"].is_null(),
        "no state is made up: {after}"
    );
}
on_both_backends!(an_unknown_stored_state_is_an_error_not_a_default);
