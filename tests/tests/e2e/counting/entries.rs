//! Entries from several counters: saved once by the device's id, summed over places, the later
//! standing at one place with a disagreement listed until a newer entry settles it; blind counts.

use serde_json::{Value, json};
use tests::{TestApp, error_code, error_field, on_both_backends};

use super::{Cellar, SAVE, entry};

fn with(mut e: Value, fields: Value) -> Value {
    for (k, v) in fields.as_object().unwrap() {
        e[k] = v.clone();
    }
    e
}

async fn save(app: &TestApp, token: &str, count: &str, entries: Value) -> Value {
    app.gql(Some(token), SAVE, json!({"c": count, "e": entries}))
        .await
}

fn line<'a>(sheet: &'a Value, name: &str) -> &'a Value {
    sheet["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["ingredient"]["name"] == name)
        .unwrap_or_else(|| panic!("{name} on the sheet: {sheet:#}"))
}

async fn two_counters(app: TestApp) {
    let c = Cellar::open(&app, "two@example.com").await;
    c.receive(&app, &c.flour, "60").await;
    c.place(&app, &c.flour, Some(&c.shelf)).await;
    let count = c.start(&app, &c.anna).await;
    // Anna counts two sacks on the shelf (a sack: the smallest packaging level, 25 kg) and a
    // loose 3.5 kg; Ben, at the same time, finds 500 g in the cold room.
    let anna = with(
        entry("anna-1", &c.flour, Some(&c.shelf), "2026-12-06T22:00:00Z"),
        json!({"packs": "2", "quantity": "3.5"}),
    );
    let ben = with(
        entry(
            "ben-1",
            &c.flour,
            Some(&c.cold_room),
            "2026-12-06T22:01:00Z",
        ),
        json!({"quantity": "500", "unit": "G"}),
    );
    let (a, b) = tokio::join!(
        save(&app, &c.anna, &count, json!([anna])),
        save(&app, &c.ben, &count, json!([ben]))
    );
    assert!(a.get("errors").is_none(), "{a:#}");
    assert!(b.get("errors").is_none(), "{b:#}");
    let sheet = c.sheet(&app, &c.owner, &count).await;
    let flour = line(&sheet, "Flour");
    assert_eq!(
        flour["countedQuantity"], "54",
        "50 + 3.5 on the shelf, 0.5 in the cold room"
    );
    assert_eq!(flour["difference"], "-6");
    assert_eq!(sheet["conflicts"], json!([]), "two places, no conflict");
    let entries = sheet["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["packs"], "2");
    assert_eq!(entries[0]["countedBy"]["email"], "anna.two@example.com");
    // Posting is one ADJUST of the sum, at the count's time.
    let posted = app
        .ok(&c.owner, "mutation($c: ID!) { postStockCountSession(countId: $c, countedAt: \"2026-12-06T22:30:00Z\") { adjustments { transactionType quantity } } }", json!({"c": count}))
        .await;
    assert_eq!(
        posted["postStockCountSession"]["adjustments"],
        json!([{"transactionType": "ADJUST", "quantity": "-6"}])
    );
    // The count is closed to entries now: a device still sending gets a clear answer.
    let late = save(
        &app,
        &c.ben,
        &count,
        json!([entry("ben-2", &c.flour, None, "2026-12-06T22:10:00Z")]),
    )
    .await;
    assert_eq!(error_code(&late), "CONFLICT");
}
on_both_backends!(
    two_counters_entries_are_summed_over_places_and_posted_once,
    two_counters
);

async fn idempotent(app: TestApp) {
    let c = Cellar::open(&app, "again@example.com").await;
    c.receive(&app, &c.oil, "4").await;
    let count = c.start(&app, &c.anna).await;
    let e = with(
        entry(
            "3f2c1a9e-0b5d-4c8e-9a31-7d6f0e2b4c11",
            &c.oil,
            Some(&c.shelf),
            "2026-12-06T21:00:00Z",
        ),
        json!({"quantity": "1.25"}),
    );
    // A flaky connection: the same batch sent three times, once with the entry twice in it.
    for batch in [json!([e]), json!([e, e]), json!([e])] {
        let r = save(&app, &c.anna, &count, batch).await;
        assert!(r.get("errors").is_none(), "{r:#}");
    }
    let sheet = c.sheet(&app, &c.owner, &count).await;
    assert_eq!(sheet["entries"].as_array().unwrap().len(), 1);
    assert_eq!(line(&sheet, "Oil")["countedQuantity"], "1.25");
    // The same id with another quantity is not the same entry.
    let other = save(
        &app,
        &c.anna,
        &count,
        json!([with(e.clone(), json!({"quantity": "2"}))]),
    )
    .await;
    assert_eq!(error_code(&other), "CONFLICT");
    assert_eq!(error_field(&other), "entries[0].clientId");
    // Nor is it from another counter.
    let stolen = save(&app, &c.ben, &count, json!([e])).await;
    assert_eq!(error_code(&stolen), "CONFLICT");
    // A batch with one bad entry saves none of it.
    let mixed = save(
        &app,
        &c.anna,
        &count,
        json!([
            with(
                entry("ok-1", &c.salt, None, "2026-12-06T21:05:00Z"),
                json!({"quantity": "1"})
            ),
            with(
                entry("bad-1", &c.salt, None, "2026-12-06T21:06:00Z"),
                json!({"quantity": "-1"})
            )
        ]),
    )
    .await;
    assert_eq!(error_code(&mixed), "VALIDATION");
    assert_eq!(error_field(&mixed), "entries[1].quantity");
    let sheet = c.sheet(&app, &c.owner, &count).await;
    assert_eq!(sheet["entries"].as_array().unwrap().len(), 1);
    // A total set by hand would be undone by the next entry: refused for an ingredient that has
    // entries, taken for one that has none.
    let by_hand = app
        .gql(Some(&c.anna), "mutation($c: ID!, $i: ID!) { saveStockCount(countId: $c, lines: [{ingredientId: $i, countedQuantity: \"9\"}]) { id } }", json!({"c": count, "i": c.oil}))
        .await;
    assert_eq!(error_code(&by_hand), "CONFLICT");
    app.ok(&c.anna, "mutation($c: ID!, $i: ID!) { saveStockCount(countId: $c, lines: [{ingredientId: $i, countedQuantity: \"9\"}]) { id } }", json!({"c": count, "i": c.salt}))
        .await;
}
on_both_backends!(an_entry_is_saved_once_by_its_client_id, idempotent);

async fn conflicts(app: TestApp) {
    let c = Cellar::open(&app, "clash@example.com").await;
    c.receive(&app, &c.salt, "8").await;
    let count = c.start(&app, &c.anna).await;
    let at = |client: &str, quantity: &str, minute: u32| {
        with(
            entry(
                client,
                &c.salt,
                Some(&c.shelf),
                &format!("2026-12-06T20:{minute:02}:00Z"),
            ),
            json!({"quantity": quantity}),
        )
    };
    // Anna corrects herself: no conflict.
    save(
        &app,
        &c.anna,
        &count,
        json!([at("a1", "5", 0), at("a2", "6", 1)]),
    )
    .await;
    let sheet = c.sheet(&app, &c.owner, &count).await;
    assert_eq!(sheet["conflicts"], json!([]));
    assert_eq!(line(&sheet, "Salt")["countedQuantity"], "6");
    // Ben, counting the same shelf, finds 7: his stands, and the pair is a conflict.
    save(&app, &c.ben, &count, json!([at("b1", "7", 2)])).await;
    let sheet = c.sheet(&app, &c.owner, &count).await;
    assert_eq!(line(&sheet, "Salt")["countedQuantity"], "7");
    assert_eq!(
        sheet["conflicts"],
        json!([{"ingredient": {"name": "Salt"}, "place": {"name": "Dry store shelf"}, "entries": [{"clientId": "a2", "quantity": "6"}, {"clientId": "b1", "quantity": "7"}]}])
    );
    // An entry Anna made offline before Ben's arrives late: it is older, so it changes nothing.
    save(&app, &c.anna, &count, json!([at("a0", "4", 0)])).await;
    let sheet = c.sheet(&app, &c.owner, &count).await;
    assert_eq!(line(&sheet, "Salt")["countedQuantity"], "7");
    assert_eq!(sheet["conflicts"].as_array().unwrap().len(), 1);
    // Posting with a conflict open is allowed (the app asks first)…
    // …but a recount settles it, whoever makes it.
    save(&app, &c.anna, &count, json!([at("a3", "6.5", 5)])).await;
    let sheet = c.sheet(&app, &c.owner, &count).await;
    assert_eq!(sheet["conflicts"], json!([]));
    assert_eq!(line(&sheet, "Salt")["countedQuantity"], "6.5");
}
on_both_backends!(
    a_disagreement_at_one_place_is_a_conflict_until_a_newer_entry,
    conflicts
);

async fn blind(app: TestApp) {
    let c = Cellar::open(&app, "blind@example.com").await;
    c.receive(&app, &c.salt, "8").await;
    let count = c.start(&app, &c.anna).await;
    save(
        &app,
        &c.anna,
        &count,
        json!([with(
            entry("a1", &c.salt, None, "2026-12-06T20:00:00Z"),
            json!({"quantity": "1"})
        )]),
    )
    .await;
    let seen = c.sheet(&app, &c.anna, &count).await;
    assert_eq!(seen["blind"], false);
    assert_eq!(line(&seen, "Salt")["bookQuantity"], "8");
    // Staff may not switch it; the owner does.
    let staff = app
        .gql(Some(&c.anna), "mutation($c: ID!) { updateCompany(id: $c, input: {blindCounts: true}) { blindCounts } }", json!({"c": c.company}))
        .await;
    assert_eq!(error_code(&staff), "FORBIDDEN");
    let set = app
        .ok(&c.owner, "mutation($c: ID!) { updateCompany(id: $c, input: {blindCounts: true}) { blindCounts } }", json!({"c": c.company}))
        .await;
    assert_eq!(set["updateCompany"]["blindCounts"], true);
    let staff_sheet = c.sheet(&app, &c.anna, &count).await;
    assert_eq!(staff_sheet["blind"], true);
    let salt = line(&staff_sheet, "Salt");
    assert_eq!(salt["bookQuantity"], json!(null));
    assert_eq!(salt["difference"], json!(null));
    assert_eq!(
        salt["countedQuantity"], "1",
        "what they counted themselves stays visible"
    );
    let owner_sheet = c.sheet(&app, &c.owner, &count).await;
    assert_eq!(owner_sheet["blind"], false);
    assert_eq!(line(&owner_sheet, "Salt")["bookQuantity"], "8");
    assert_eq!(line(&owner_sheet, "Salt")["difference"], "-7");
}
on_both_backends!(
    a_blind_count_hides_the_books_from_staff_not_from_managers,
    blind
);

async fn refusals(app: TestApp) {
    let c = Cellar::open(&app, "refuse@example.com").await;
    let rival = Cellar::open(&app, "rival.refuse@example.com").await;
    let count = c.start(&app, &c.anna).await;
    let at = "2026-12-06T20:00:00Z";
    let cases = [
        (
            with(entry("x", &c.oil, None, at), json!({"packs": "1"})),
            "VALIDATION",
            "entries[0].packs",
        ),
        (
            entry("x", &c.oil, None, at),
            "VALIDATION",
            "entries[0].quantity",
        ),
        (
            with(
                entry("has space", &c.oil, None, at),
                json!({"quantity": "1"}),
            ),
            "VALIDATION",
            "entries[0].clientId",
        ),
        (
            with(
                entry(&"x".repeat(65), &c.oil, None, at),
                json!({"quantity": "1"}),
            ),
            "VALIDATION",
            "entries[0].clientId",
        ),
        (
            with(
                entry("x", &c.oil, None, "2099-01-01T00:00:00Z"),
                json!({"quantity": "1"}),
            ),
            "VALIDATION",
            "entries[0].countedAt",
        ),
        (
            with(
                entry("x", &c.oil, None, at),
                json!({"quantity": "1", "unit": "KG"}),
            ),
            "VALIDATION",
            "entries[0].unit",
        ),
        (
            with(entry("x", &c.flour, None, at), json!({"packs": "1e9"})),
            "VALIDATION",
            "entries[0].packs",
        ),
        (
            with(entry("x", &rival.oil, None, at), json!({"quantity": "1"})),
            "NOT_FOUND",
            "entries[0].ingredientId",
        ),
        (
            with(
                entry("x", &c.oil, Some(&rival.shelf), at),
                json!({"quantity": "1"}),
            ),
            "NOT_FOUND",
            "entries[0].placeId",
        ),
    ];
    for (e, code, field) in cases {
        let r = save(&app, &c.anna, &count, json!([e])).await;
        assert_eq!(error_code(&r), code, "{e}: {r:#}");
        assert_eq!(error_field(&r), field, "{e}: {r:#}");
    }
    let too_many: Vec<Value> = (0..1001)
        .map(|i| {
            with(
                entry(&format!("e{i}"), &c.oil, None, at),
                json!({"quantity": "1"}),
            )
        })
        .collect();
    let r = save(&app, &c.anna, &count, json!(too_many)).await;
    assert_eq!(error_code(&r), "VALIDATION");
    // Another company's count is not there.
    let foreign = save(
        &app,
        &rival.owner,
        &count,
        json!([with(
            entry("x", &rival.oil, None, at),
            json!({"quantity": "1"})
        )]),
    )
    .await;
    assert_eq!(error_code(&foreign), "NOT_FOUND");
    let sheet = c.sheet(&app, &c.owner, &count).await;
    assert_eq!(sheet["entries"], json!([]), "nothing refused was kept");
}
on_both_backends!(bad_entries_are_refused_naming_the_field, refusals);
