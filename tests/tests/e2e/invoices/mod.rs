//! E-invoices (issue 26, DESIGN.md "E-invoices"): a vendor's XRechnung, ZUGFeRD or Peppol file
//! read, matched to the vendor, its products and the order, checked beside the order and the
//! last receipt, and posted as the delivery's receipts at the invoice's cost.

mod posting;
mod refusals;
mod samples;

use serde_json::{Value, json};
use tests::TestApp;
use tests::einvoice::{INVOICE_FIELDS, Invoice, Line};
use tests::kitchen::Kitchen;

pub fn id(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("an id, not {v}"))
        .to_string()
}

pub fn dec(v: &Value) -> rust_decimal::Decimal {
    v.as_str()
        .unwrap_or_else(|| panic!("a decimal, not {v}"))
        .parse()
        .unwrap()
}

/// A kitchen buying from one wholesaler: flour in 25 kg sacks, mineral water in crates of
/// 12 × 1 l (known by GTIN), milk by the litre, wine in cases of 6 × 0.75 l.
pub struct Wholesaler {
    pub k: Kitchen,
    pub vendor: String,
    pub wine: String,
    pub flour_product: String,
    pub water_product: String,
    pub milk_product: String,
}

pub const SELLER: &str = "Frischdienst Nord GmbH";
pub const WATER_GTIN: &str = "4006381333931";

impl Wholesaler {
    pub async fn open(app: &TestApp, email: &str) -> Self {
        let k = app.kitchen(email).await;
        let t = k.token.as_str();
        let c = json!({"c": k.company});
        let vendor = id(&app
            .ok(t, "mutation($c: ID!) { createVendor(companyId: $c, input: {name: \"Frischdienst Nord GmbH\", vatId: \"DE 123 456 789\"}) { id vatId } }", c.clone())
            .await["createVendor"]["id"]);
        let ingredient = |name: &'static str, unit: &'static str| {
            let c = c.clone();
            async move {
                id(&app
                    .ok(t, &format!("mutation($c: ID!) {{ createIngredient(companyId: $c, name: \"{name}\", baseUnit: {unit}) {{ id }} }}"), c)
                    .await["createIngredient"]["id"])
            }
        };
        let water = ingredient("Mineral water", "L").await;
        let milk = ingredient("Milk", "L").await;
        let wine = ingredient("Riesling", "L").await;
        let product = |ingredient: String,
                       name: &'static str,
                       sku: &'static str,
                       factor: &'static str,
                       gtin: Option<&'static str>| {
            let vendor = vendor.clone();
            let company = k.company.clone();
            async move {
                let gtin = gtin.map(|g| format!(", gtin: \"{g}\"")).unwrap_or_default();
                id(&app
                    .ok(t, &format!("mutation($c: ID!, $v: ID!, $i: ID!) {{ createProduct(companyId: $c, input: {{vendorId: $v, ingredientId: $i, name: \"{name}\", sku: \"{sku}\", packName: \"pack\", packagingFactor: \"{factor}\"{gtin}}}) {{ id gtin }} }}"), json!({"c": company, "v": vendor, "i": ingredient}))
                    .await["createProduct"]["id"])
            }
        };
        let flour_product = product(
            k.flour.clone(),
            "Mehl Type 550 25 kg",
            "MEHL-550",
            "25",
            None,
        )
        .await;
        let water_product = product(
            water,
            "Mineralwasser 12 x 1,0 l",
            "MW-12",
            "12",
            Some(WATER_GTIN),
        )
        .await;
        let milk_product = product(milk, "Vollmilch 1 l", "MILCH-1", "1", None).await;
        product(wine.clone(), "Riesling 6 x 0,75 l", "RIES-6", "4.5", None).await;
        Self {
            k,
            vendor,
            wine,
            flour_product,
            water_product,
            milk_product,
        }
    }

    /// A sent order of this vendor, for the kitchen's storage unit.
    pub async fn order(&self, app: &TestApp, reference: &str, items: Value) -> String {
        let t = self.k.token.as_str();
        let order = id(&app
            .ok(t, "mutation($c: ID!, $v: ID!, $r: String, $i: [OrderItemInput!]!, $s: ID) { createOrder(companyId: $c, vendorId: $v, reference: $r, items: $i, storageUnitId: $s) { id } }", json!({"c": self.k.company, "v": self.vendor, "r": reference, "i": items, "s": self.k.unit}))
            .await["createOrder"]["id"]);
        app.ok(
            t,
            "mutation($o: ID!) { sendOrder(id: $o) { status } }",
            json!({"o": order}),
        )
        .await;
        order
    }

    pub async fn invoice(&self, app: &TestApp, id: &str) -> Value {
        app.ok(
            &self.k.token,
            &format!("query($i: ID!) {{ invoice(id: $i) {{ {INVOICE_FIELDS} }} }}"),
            json!({"i": id}),
        )
        .await["invoice"]
            .clone()
    }

    /// The ledger's entries of the company, oldest first.
    pub async fn entries(&self, app: &TestApp) -> Vec<Value> {
        let r = app
            .ok(&self.k.token, "query($c: ID!) { ledger(companyId: $c, first: 500) { edges { node { id transactionType quantity unitCost occurredAt reason ingredient { id name } storageUnit { id } source { kind id invoiceId description } } } } }", json!({"c": self.k.company}))
            .await;
        r["ledger"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"].clone())
            .collect()
    }
}

/// The week's delivery: flour by the kilogram at a new price, water in crates by GTIN, milk by
/// the litre with an allowance in its net amount, and the crates' deposit (no product).
pub fn delivery<'a>(number: &'a str, order_reference: Option<&'a str>) -> Invoice<'a> {
    Invoice {
        number,
        type_code: "380",
        issue_date: "2026-12-01",
        seller_name: SELLER,
        seller_vat_id: Some("DE 123456789"),
        order_reference,
        lines: vec![
            Line {
                id: "1",
                name: "Mehl Type 550",
                seller_item_id: Some("MEHL-550"),
                gtin: None,
                quantity: "50",
                unit_code: "KGM",
                net_price: "0.84",
                net_amount: "42.00",
                vat_percent: "7",
            },
            Line {
                id: "2",
                name: "Mineralwasser 12 x 1,0 l",
                seller_item_id: Some("W-0012"),
                gtin: Some(WATER_GTIN),
                quantity: "10",
                unit_code: "H87",
                net_price: "6.00",
                net_amount: "60.00",
                vat_percent: "19",
            },
            Line {
                id: "3",
                name: "Vollmilch 3,5 %",
                seller_item_id: Some("MILCH-1"),
                gtin: None,
                quantity: "12",
                unit_code: "LTR",
                net_price: "1.10",
                net_amount: "12.00",
                vat_percent: "7",
            },
            Line {
                id: "4",
                name: "Pfand Kasten",
                seller_item_id: None,
                gtin: None,
                quantity: "10",
                unit_code: "H87",
                net_price: "3.30",
                net_amount: "33.00",
                vat_percent: "19",
            },
        ],
    }
}
