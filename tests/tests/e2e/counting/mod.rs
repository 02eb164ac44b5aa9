//! Counting anywhere (issue 27, DESIGN.md "Counting anywhere"): places in walking order, barcodes,
//! several counters' entries settled place by place, blind counts. The offline app is in
//! `browser::counting`.

mod barcodes;
mod entries;
mod places;

use serde_json::{Value, json};
use tests::TestApp;

pub fn id(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("an id, not {v}"))
        .to_string()
}

/// A bistro's Main Storage with two places, an owner and two STAFF counters; flour (KG, sacks of
/// 25), oil (L, no pack), salt (KG) and sugar (KG).
pub struct Cellar {
    pub owner: String,
    pub anna: String,
    pub ben: String,
    pub company: String,
    pub unit: String,
    pub shelf: String,
    pub cold_room: String,
    pub flour: String,
    pub oil: String,
    pub salt: String,
    pub sugar: String,
}

pub const SHEET: &str = "query($c: ID!) { stockCount(id: $c) { blind lines { ingredient { name } place { name } bookQuantity countedQuantity difference } entries { clientId quantity packs countedBy { email } place { name } } conflicts { ingredient { name } place { name } entries { clientId quantity } } } }";
pub const SAVE: &str = "mutation($c: ID!, $e: [CountEntryInput!]!) { saveCountEntries(countId: $c, entries: $e) { id entries { clientId } } }";

impl Cellar {
    pub async fn open(app: &TestApp, email: &str) -> Self {
        let (owner, company) = app.sign_up(email).await;
        let c = json!({"c": company});
        let unit = id(&app
            .ok(&owner, "mutation($c: ID!) { createStorageUnit(companyId: $c, name: \"Main Storage\") { id } }", c.clone())
            .await["createStorageUnit"]["id"]);
        let ingredient = |name: &'static str, unit: &'static str, levels: &'static str| {
            let (c, owner) = (c.clone(), owner.clone());
            async move {
                id(&app
                    .ok(&owner, &format!("mutation($c: ID!) {{ createIngredient(companyId: $c, name: \"{name}\", baseUnit: {unit}{levels}) {{ id }} }}"), c)
                    .await["createIngredient"]["id"])
            }
        };
        let flour = ingredient(
            "Flour",
            "KG",
            ", packagingLevels: [{name: \"sack\", factor: \"25\"}]",
        )
        .await;
        let oil = ingredient("Oil", "L", "").await;
        let salt = ingredient("Salt", "KG", "").await;
        let sugar = ingredient("Sugar", "KG", "").await;
        let place = |name: &'static str| {
            let (owner, unit) = (owner.clone(), unit.clone());
            async move {
                id(&app
                    .ok(&owner, "mutation($u: ID!, $n: String!) { createStoragePlace(storageUnitId: $u, name: $n) { id } }", json!({"u": unit, "n": name}))
                    .await["createStoragePlace"]["id"])
            }
        };
        let shelf = place("Dry store shelf").await;
        let cold_room = place("Cold room").await;
        let mut counters = Vec::new();
        for name in ["anna", "ben"] {
            let email = format!("{name}.{email}");
            let (token, _) = app.sign_up(&email).await;
            app.ok(&owner, "mutation($c: ID!, $e: String!) { addMember(companyId: $c, email: $e, role: STAFF) { role } }", json!({"c": company, "e": email}))
                .await;
            counters.push(token);
        }
        let ben = counters.pop().unwrap();
        let anna = counters.pop().unwrap();
        Self {
            owner,
            anna,
            ben,
            company,
            unit,
            shelf,
            cold_room,
            flour,
            oil,
            salt,
            sugar,
        }
    }

    /// Receives `quantity` of `ingredient` into Main Storage at 2 €.
    pub async fn receive(&self, app: &TestApp, ingredient: &str, quantity: &str) {
        app.ok(&self.owner, "mutation($in: MovementInput!) { postReceipt(input: $in, unitCost: \"2\") { id } }", json!({"in": {"storageUnitId": self.unit, "ingredientId": ingredient, "quantity": quantity, "occurredAt": "2026-11-01T08:00:00Z"}}))
            .await;
    }

    pub async fn place(&self, app: &TestApp, ingredient: &str, place: Option<&str>) {
        app.ok(&self.owner, "mutation($i: ID!, $u: ID!, $p: ID) { setIngredientPlace(ingredientId: $i, storageUnitId: $u, placeId: $p) }", json!({"i": ingredient, "u": self.unit, "p": place}))
            .await;
    }

    pub async fn start(&self, app: &TestApp, token: &str) -> String {
        id(&app
            .ok(
                token,
                "mutation($u: ID!) { startStockCount(storageUnitId: $u) { id } }",
                json!({"u": self.unit}),
            )
            .await["startStockCount"]["id"])
    }

    pub async fn sheet(&self, app: &TestApp, token: &str, count: &str) -> Value {
        app.ok(token, SHEET, json!({"c": count})).await["stockCount"].clone()
    }
}

/// An entry as a device sends it.
pub fn entry(client: &str, ingredient: &str, place: Option<&str>, counted_at: &str) -> Value {
    json!({"clientId": client, "ingredientId": ingredient, "placeId": place, "countedAt": counted_at})
}

/// The names of a sheet's lines, in order.
pub fn names(sheet: &Value) -> Vec<String> {
    sheet["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["ingredient"]["name"].as_str().unwrap().to_string())
        .collect()
}
