//! The shapes the pages read from GraphQL.

use serde::{Deserialize, Serialize};

use crate::states::{AutomaticTransferState, JobState, PosConnectionState, PosProvider, Role};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Company {
    pub id: String,
    pub name: String,
    pub currency: String,
    pub timezone: String,
    pub business_day_start_hour: i32,
    /// The VAT included in sales values and menu prices.
    pub sales_vat_percent: String,
    pub price_alert_percent: String,
    /// Staff count without seeing the books (absent in a user kept by an older app).
    #[serde(default)]
    pub blind_counts: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Membership {
    pub role: Role,
    pub company: Company,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Me {
    pub id: String,
    pub name: String,
    pub email: String,
    /// The language the user chose (`EN`, `DE`); none: the browser's.
    pub locale: Option<String>,
    pub memberships: Vec<Membership>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct StorageUnit {
    pub id: String,
    pub name: String,
    pub address: Option<String>,
    pub archived: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PackagingLevel {
    pub name: String,
    pub factor: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ingredient {
    pub id: String,
    pub name: String,
    pub base_unit: String,
    pub category: Option<String>,
    pub active: bool,
    pub archived: bool,
    pub packaging_levels: Vec<PackagingLevel>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Named {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecipeSummary {
    pub id: String,
    pub name: String,
    pub yield_quantity: String,
    pub active: bool,
    pub lines: Vec<serde_json::Value>,
    pub cost: RecipeCost,
    pub menu_price: Option<String>,
    pub food_cost_percent: Option<String>,
}

/// A portion's cost as the service computed it (unrounded; pages round).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecipeCost {
    pub per_portion: String,
    pub complete: bool,
    #[serde(default)]
    pub lines: Vec<RecipeCostLine>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecipeCostLine {
    pub ingredient: NamedUnit,
    pub quantity: String,
    pub unit_cost: Option<String>,
    pub cost: Option<String>,
}

/// An ingredient as a cost line names it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NamedUnit {
    pub id: String,
    pub name: String,
    pub base_unit: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecipeLine {
    pub ingredient: Option<Named>,
    pub sub_recipe: Option<Named>,
    pub quantity: String,
    pub unit: String,
    pub trim_percent: String,
    pub issue_storage_unit: Option<Named>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExpandedIngredient {
    pub name: String,
    pub base_unit: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExpandedLine {
    pub quantity: String,
    pub ingredient: Option<ExpandedIngredient>,
    pub storage_unit: Option<Named>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Recipe {
    pub id: String,
    pub name: String,
    pub yield_quantity: String,
    pub active: bool,
    pub default_issue_storage_unit: Option<Named>,
    pub lines: Vec<RecipeLine>,
    pub expanded: Vec<ExpandedLine>,
    pub menu_price: Option<String>,
    pub food_cost_percent: Option<String>,
    pub cost: RecipeCost,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Vendor {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub notes: Option<String>,
    #[serde(default)]
    pub lead_time_days: i64,
    /// ISO weekdays, Monday = 1.
    #[serde(default)]
    pub order_weekdays: Vec<u32>,
    #[serde(default)]
    pub minimum_order_value: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Product {
    pub id: String,
    pub name: String,
    pub sku: String,
    pub gtin: Option<String>,
    pub pack_name: String,
    pub packaging_factor: String,
    pub vendor: Option<Named>,
    pub ingredient: Option<ProductIngredient>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductIngredient {
    pub id: String,
    pub name: String,
    pub base_unit: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Member {
    pub email: String,
    pub name: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiToken {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub prefix: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// What the stock is worth, as the service sums it (exactly, in the company's currency).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StockValue {
    pub total: String,
    pub storage_units: Vec<StorageUnitValue>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StorageUnitValue {
    pub storage_unit: NamedRef,
    pub value: String,
}

/// A row named by a nested field (`storageUnit { name }`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct NamedRef {
    pub name: String,
}

// A POS integration as the integrations pages read it.

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PosIntegration {
    pub id: String,
    pub name: String,
    pub provider: PosProvider,
    pub connection_state: PosConnectionState,
    pub automatic_transfer: AutomaticTransferState,
    pub csv_config: Option<CsvConfig>,
    pub locations: Vec<PosLocation>,
    pub untransferred_days: Vec<UntransferredDay>,
    pub connection_error: Option<String>,
    pub connected_at: Option<String>,
    pub locations_synced_at: Option<String>,
    pub items_synced_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CsvConfig {
    pub delimiter: String,
    pub has_header: bool,
    pub code_column: String,
    pub name_column: Option<String>,
    pub quantity_column: String,
    pub sales_value_column: Option<String>,
    pub date_column: String,
    pub date_format: String,
    pub decimal_separator: String,
    pub encoding: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PosLocation {
    pub id: String,
    pub external_id: String,
    pub name: String,
    pub active: bool,
    pub storage_unit: Option<Named>,
    pub latest_job: Option<JobRef>,
    pub timezone: Option<String>,
    pub listed_by_pos: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobRef {
    pub id: String,
    pub state: JobState,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UntransferredDay {
    pub location_name: String,
    pub business_date: String,
}

/// One page of a list the API pages with cursors (a GraphQL connection).
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Connection<T> {
    pub total_count: i64,
    pub page_info: PageInfo,
    pub edges: Vec<Edge<T>>,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageInfo {
    pub has_next_page: bool,
    pub end_cursor: Option<String>,
}

#[derive(Clone, Deserialize)]
pub struct Edge<T> {
    pub node: T,
}

impl<T> Connection<T> {
    /// Where the next page starts, if there is one.
    pub fn next_cursor(&self) -> Option<String> {
        self.page_info
            .has_next_page
            .then(|| self.page_info.end_cursor.clone())
            .flatten()
    }
}
