//! Finding what an invoice names among the company's own records (DESIGN.md, "E-invoices",
//! Matching): the vendor by VAT id, then by exact name; each line's product by the seller's
//! item id (the product's SKU), then by GTIN, then by the choice a person made for that line
//! name from that vendor before; the order by its reference, then the vendor's open order whose
//! items the lines cover best.

use std::collections::HashMap;

use entity::invoice_line::InvoiceLineMatch;
use entity::purchase_order::OrderStatus;
use entity::{invoice, invoice_line_choice, product, purchase_order, purchase_order_item, vendor};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::error::ServiceResult;
use crate::vendors::normalized_vat_id;

/// What identifies one line: the keys a product is found by.
#[derive(Debug, Clone, Copy)]
pub struct LineKeys<'a> {
    pub seller_item_id: Option<&'a str>,
    pub gtin: Option<&'a str>,
    pub name: &'a str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineMatch {
    pub kind: InvoiceLineMatch,
    pub product_id: Option<i64>,
}

impl LineMatch {
    pub const NONE: LineMatch = LineMatch {
        kind: InvoiceLineMatch::None,
        product_id: None,
    };
}

/// A line name as remembered: trimmed, spaces collapsed, lower case.
pub fn line_name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The seller as the duplicate rule knows it: its VAT id, else its name.
pub fn seller_key(vat_id: Option<&str>, name: &str) -> String {
    match vat_id {
        Some(vat) => format!("vat:{}", normalized_vat_id(vat)),
        None => format!("name:{}", line_name_key(name)),
    }
}

/// The company's vendor the invoice is from: the one with its VAT id, else the one with its
/// exact name (case aside). Archived vendors are found too: an old vendor's late invoice is
/// still theirs.
pub async fn find_vendor<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
    vat_id: Option<&str>,
    name: &str,
) -> ServiceResult<Option<vendor::Model>> {
    let vendors = vendor::Entity::find()
        .filter(vendor::Column::CompanyId.eq(company_id))
        .order_by_asc(vendor::Column::Id)
        .all(db)
        .await?;
    if let Some(vat) = vat_id.map(normalized_vat_id)
        && let Some(v) = vendors
            .iter()
            .find(|v| v.vat_id.as_deref().map(normalized_vat_id).as_deref() == Some(&vat))
    {
        return Ok(Some(v.clone()));
    }
    let wanted = name.trim().to_lowercase();
    Ok(vendors
        .into_iter()
        .find(|v| v.name.trim().to_lowercase() == wanted))
}

/// Each line's product among the vendor's products, in the lines' order.
pub async fn match_lines<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
    vendor_id: i64,
    lines: &[LineKeys<'_>],
) -> ServiceResult<Vec<LineMatch>> {
    let products = product::Entity::find()
        .filter(product::Column::CompanyId.eq(company_id))
        .filter(product::Column::VendorId.eq(vendor_id))
        .filter(product::Column::ArchivedAt.is_null())
        .order_by_asc(product::Column::Id)
        .all(db)
        .await?;
    let choices: HashMap<String, Option<i64>> = invoice_line_choice::Entity::find()
        .filter(invoice_line_choice::Column::CompanyId.eq(company_id))
        .filter(invoice_line_choice::Column::VendorId.eq(vendor_id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.line_name, c.product_id))
        .collect();
    let by_sku = |sku: &str| {
        products
            .iter()
            .find(|p| p.sku.trim().eq_ignore_ascii_case(sku.trim()))
    };
    let by_gtin = |gtin: &str| {
        let wanted = crate::gtin::normalized(gtin);
        products.iter().find(|p| {
            wanted.is_some() && p.gtin.as_deref().and_then(crate::gtin::normalized) == wanted
        })
    };
    Ok(lines
        .iter()
        .map(|line| {
            if let Some(p) = line.seller_item_id.and_then(by_sku) {
                return LineMatch {
                    kind: InvoiceLineMatch::SellerItemId,
                    product_id: Some(p.id),
                };
            }
            if let Some(p) = line.gtin.and_then(by_gtin) {
                return LineMatch {
                    kind: InvoiceLineMatch::Gtin,
                    product_id: Some(p.id),
                };
            }
            match choices.get(&line_name_key(line.name)) {
                Some(Some(product_id)) if products.iter().any(|p| p.id == *product_id) => {
                    LineMatch {
                        kind: InvoiceLineMatch::Remembered,
                        product_id: Some(*product_id),
                    }
                }
                Some(None) => LineMatch {
                    kind: InvoiceLineMatch::NotStock,
                    product_id: None,
                },
                _ => LineMatch::NONE,
            }
        })
        .collect())
}

/// Orders an invoice may bill: sent, partly or wholly received.
const BILLABLE: [OrderStatus; 3] = [
    OrderStatus::Sent,
    OrderStatus::Partial,
    OrderStatus::Received,
];

/// The order the invoice bills: the vendor's order whose reference (or number) the invoice
/// gives, else the vendor's billable order not yet billed by a posted invoice whose items cover
/// the most matched lines (the newest of equals).
pub async fn find_order<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
    vendor_id: i64,
    reference: Option<&str>,
    product_ids: &[i64],
) -> ServiceResult<Option<purchase_order::Model>> {
    let orders = purchase_order::Entity::find()
        .filter(purchase_order::Column::CompanyId.eq(company_id))
        .filter(purchase_order::Column::VendorId.eq(vendor_id))
        .filter(purchase_order::Column::Status.is_in(BILLABLE))
        .order_by_desc(purchase_order::Column::Id)
        .all(db)
        .await?;
    if let Some(reference) = reference.map(str::trim).filter(|r| !r.is_empty()) {
        let number = reference
            .trim_start_matches(|c: char| {
                c == '#' || c.is_ascii_alphabetic() || c == '-' || c == ' '
            })
            .parse::<i64>()
            .ok();
        let named = orders.iter().find(|o| {
            o.reference
                .as_deref()
                .is_some_and(|r| r.trim().eq_ignore_ascii_case(reference))
        });
        if let Some(order) = named.or_else(|| orders.iter().find(|o| Some(o.id) == number)) {
            return Ok(Some(order.clone()));
        }
    }
    if product_ids.is_empty() || orders.is_empty() {
        return Ok(None);
    }
    let billed: Vec<i64> = invoice::Entity::find()
        .filter(invoice::Column::CompanyId.eq(company_id))
        .filter(invoice::Column::Status.eq(entity::invoice::InvoiceStatus::Posted))
        .filter(invoice::Column::PurchaseOrderId.is_in(orders.iter().map(|o| o.id)))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|i| i.purchase_order_id)
        .collect();
    let items = purchase_order_item::Entity::find()
        .filter(purchase_order_item::Column::OrderId.is_in(orders.iter().map(|o| o.id)))
        .all(db)
        .await?;
    let covered = |order: &purchase_order::Model| {
        items
            .iter()
            .filter(|i| i.order_id == order.id && product_ids.contains(&i.product_id))
            .count()
    };
    // `orders` is newest first, and `max_by_key` keeps the last of equals: walk it reversed.
    Ok(orders
        .iter()
        .rev()
        .filter(|o| !billed.contains(&o.id))
        .map(|o| (covered(o), o))
        .filter(|(n, _)| *n > 0)
        .max_by_key(|(n, _)| *n)
        .map(|(_, o)| o.clone()))
}
