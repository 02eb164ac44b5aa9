//! Places and the walk: the count sheet follows the storage unit's places in order, each place's
//! ingredients by position, the unplaced last.

use serde_json::json;
use tests::{TestApp, error_code, error_field, on_both_backends};

use super::{Cellar, id, names};

const ARRANGE: &str = "mutation($u: ID!, $p: [ID!]!) { arrangeStoragePlaces(storageUnitId: $u, placeIds: $p) { name position } }";
const PLACE_MANY: &str = "mutation($u: ID!, $p: ID, $i: [ID!]!, $at: Int) { placeIngredients(storageUnitId: $u, placeId: $p, ingredientIds: $i, position: $at) }";

async fn walking_order(app: TestApp) {
    let c = Cellar::open(&app, "walk@example.com").await;
    for ingredient in [&c.flour, &c.oil, &c.salt] {
        c.receive(&app, ingredient, "10").await;
    }
    // Sugar is not on the books here, but it has a place: the sheet lists it anyway.
    app.ok(
        &c.owner,
        PLACE_MANY,
        json!({"u": c.unit, "p": c.shelf, "i": [c.salt, c.flour]}),
    )
    .await;
    c.place(&app, &c.sugar, Some(&c.cold_room)).await;
    let count = c.start(&app, &c.owner).await;
    let sheet = c.sheet(&app, &c.owner, &count).await;
    assert_eq!(names(&sheet), ["Salt", "Flour", "Sugar", "Oil"]);
    assert_eq!(sheet["lines"][2]["place"]["name"], "Cold room");
    assert_eq!(sheet["lines"][2]["bookQuantity"], "0");
    assert_eq!(sheet["lines"][3]["place"], json!(null), "oil is not placed");

    // The cold room walked first; flour moved to the front of the shelf; oil into the cold room.
    let arranged = app
        .ok(
            &c.owner,
            ARRANGE,
            json!({"u": c.unit, "p": [c.cold_room, c.shelf]}),
        )
        .await;
    assert_eq!(
        arranged["arrangeStoragePlaces"],
        json!([{"name": "Cold room", "position": 0}, {"name": "Dry store shelf", "position": 1}])
    );
    app.ok(&c.owner, "mutation($i: ID!, $u: ID!, $p: ID) { setIngredientPlace(ingredientId: $i, storageUnitId: $u, placeId: $p, position: 0) }", json!({"i": c.flour, "u": c.unit, "p": c.shelf}))
        .await;
    app.ok(
        &c.owner,
        PLACE_MANY,
        json!({"u": c.unit, "p": c.cold_room, "i": [c.oil], "at": 0}),
    )
    .await;
    let sheet = c.sheet(&app, &c.owner, &count).await;
    assert_eq!(names(&sheet), ["Oil", "Sugar", "Flour", "Salt"]);

    // A removed place's ingredients walk with the unplaced, by name.
    app.ok(
        &c.owner,
        "mutation($p: ID!) { removeStoragePlace(id: $p) }",
        json!({"p": c.cold_room}),
    )
    .await;
    let sheet = c.sheet(&app, &c.owner, &count).await;
    assert_eq!(names(&sheet), ["Flour", "Salt", "Oil", "Sugar"]);
    let places = app
        .ok(
            &c.owner,
            "query($c: ID!) { storageUnits(companyId: $c) { places { name position } } }",
            json!({"c": c.company}),
        )
        .await;
    assert_eq!(
        places["storageUnits"][0]["places"],
        json!([{"name": "Dry store shelf", "position": 0}])
    );
}
on_both_backends!(the_count_sheet_walks_the_places_in_order, walking_order);

async fn place_rules(app: TestApp) {
    let c = Cellar::open(&app, "rules@example.com").await;
    // Naming the places in a new order must name each once.
    let partial = app
        .gql(
            Some(&c.owner),
            ARRANGE,
            json!({"u": c.unit, "p": [c.shelf]}),
        )
        .await;
    assert_eq!(error_code(&partial), "VALIDATION");
    assert_eq!(error_field(&partial), "placeIds");
    let twice = app
        .gql(
            Some(&c.owner),
            ARRANGE,
            json!({"u": c.unit, "p": [c.shelf, c.shelf]}),
        )
        .await;
    assert_eq!(error_code(&twice), "VALIDATION");
    // Two places of one unit cannot share a name.
    let same = app
        .gql(Some(&c.owner), "mutation($u: ID!) { createStoragePlace(storageUnitId: $u, name: \"Cold room\") { id } }", json!({"u": c.unit}))
        .await;
    assert_eq!(error_code(&same), "CONFLICT");
    // Staff count; arranging the room is for managers.
    let staff = app
        .gql(
            Some(&c.anna),
            "mutation($u: ID!) { createStoragePlace(storageUnitId: $u, name: \"Cellar\") { id } }",
            json!({"u": c.unit}),
        )
        .await;
    assert_eq!(error_code(&staff), "FORBIDDEN");
    // Another unit's place, another company's place or ingredient: not found.
    let bar = id(&app
        .ok(
            &c.owner,
            "mutation($c: ID!) { createStorageUnit(companyId: $c, name: \"Bar\") { id } }",
            json!({"c": c.company}),
        )
        .await["createStorageUnit"]["id"]);
    let wrong_unit = app
        .gql(
            Some(&c.owner),
            PLACE_MANY,
            json!({"u": bar, "p": c.shelf, "i": [c.flour]}),
        )
        .await;
    assert_eq!(error_code(&wrong_unit), "NOT_FOUND");
    assert_eq!(error_field(&wrong_unit), "placeId");
    let rival = Cellar::open(&app, "rival@example.com").await;
    let foreign = app
        .gql(
            Some(&rival.owner),
            PLACE_MANY,
            json!({"u": rival.unit, "p": rival.shelf, "i": [c.flour]}),
        )
        .await;
    assert_eq!(error_code(&foreign), "NOT_FOUND");
    assert_eq!(error_field(&foreign), "ingredientIds[0]");
    let foreign_place = app
        .gql(
            Some(&rival.owner),
            "mutation($p: ID!) { renameStoragePlace(id: $p, name: \"Mine\") { id } }",
            json!({"p": c.shelf}),
        )
        .await;
    assert_eq!(error_code(&foreign_place), "NOT_FOUND");
    let seen = app
        .ok(
            &rival.owner,
            "query($c: ID!) { storageUnits(companyId: $c) { places { name } } }",
            json!({"c": rival.company}),
        )
        .await;
    assert_eq!(
        seen["storageUnits"][0]["places"],
        json!([{"name": "Dry store shelf"}, {"name": "Cold room"}])
    );
    let negative = app
        .gql(
            Some(&c.owner),
            PLACE_MANY,
            json!({"u": c.unit, "p": c.shelf, "i": [c.flour], "at": -1}),
        )
        .await;
    assert_eq!(error_code(&negative), "VALIDATION");
}
on_both_backends!(
    places_are_arranged_by_managers_within_their_company,
    place_rules
);
