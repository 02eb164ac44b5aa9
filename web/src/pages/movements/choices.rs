//! What the movement forms choose from: storage units, active ingredients, waste reasons.

use leptos::prelude::*;
use serde::Deserialize;
use serde_json::json;

use crate::api::{self, ApiError};
use crate::model::Named;
use crate::session::use_session;

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Choices {
    pub storage_units: Vec<Named>,
    pub ingredients: Vec<ChoiceIngredient>,
    /// The server's list; "Other" asks for a text.
    pub waste_reasons: Vec<String>,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ChoiceIngredient {
    pub id: String,
    pub name: String,
    pub base_unit: String,
}

pub(super) fn choices() -> LocalResource<Result<Choices, ApiError>> {
    let session = use_session();
    LocalResource::new(move || {
        let company = session.company_id();
        async move {
            api::gql::<Choices>("query($c: ID!) { storageUnits(companyId: $c) { id name } ingredients(companyId: $c, active: true) { id name baseUnit } wasteReasons }", json!({"c": company})).await
        }
    })
}

pub(super) fn unit_options(c: &Choices) -> Vec<(String, String)> {
    c.storage_units
        .iter()
        .map(|s| (s.id.clone(), s.name.clone()))
        .collect()
}

pub(super) fn ingredient_options(c: &Choices) -> Vec<(String, String)> {
    c.ingredients
        .iter()
        .map(|i| (i.id.clone(), format!("{} ({})", i.name, i.base_unit)))
        .collect()
}
