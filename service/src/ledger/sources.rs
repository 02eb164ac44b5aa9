//! Where an entry came from, resolved to the record behind it: the order item, transfer line,
//! stock count, reversed entry or POS sale — the ledger's drill-down.

use entity::{
    invoice, invoice_line, ledger_entry, product, purchase_order, purchase_order_item, stock_count,
    storage_unit, transfer, transfer_line, vendor,
};
use sea_orm::{ActiveEnum, ConnectionTrait, EntityTrait};

use super::SourceKind;

use crate::error::ServiceResult;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceDetail {
    /// One line for people: "Order #3 from Green Valley: 2 × box (Tomatoes, box 10 kg)".
    pub description: String,
    pub order_id: Option<i64>,
    pub transfer_id: Option<i64>,
    pub stock_count_id: Option<i64>,
    pub reversed_entry_id: Option<i64>,
    pub invoice_id: Option<i64>,
}

fn id_of(e: &ledger_entry::Model) -> Option<i64> {
    e.source_id.as_deref().and_then(|s| s.parse().ok())
}

pub async fn describe<C: ConnectionTrait>(
    db: &C,
    e: &ledger_entry::Model,
) -> ServiceResult<SourceDetail> {
    let mut d = SourceDetail::default();
    match e.source_kind {
        SourceKind::OrderItem => {
            if let Some(item) = purchase_order_item::Entity::find_by_id(id_of(e).unwrap_or(-1))
                .one(db)
                .await?
            {
                let order = purchase_order::Entity::find_by_id(item.order_id)
                    .one(db)
                    .await?;
                let vendor = match &order {
                    Some(o) => vendor::Entity::find_by_id(o.vendor_id)
                        .one(db)
                        .await?
                        .map(|v| v.name),
                    None => None,
                };
                let product = product::Entity::find_by_id(item.product_id)
                    .one(db)
                    .await?
                    .map(|p| p.name)
                    .unwrap_or_default();
                d.order_id = Some(item.order_id);
                d.description = format!(
                    "Order #{} from {}: {product}",
                    item.order_id,
                    vendor.unwrap_or_default()
                );
            }
        }
        SourceKind::TransferLine => {
            if let Some(line) = transfer_line::Entity::find_by_id(id_of(e).unwrap_or(-1))
                .one(db)
                .await?
                && let Some(t) = transfer::Entity::find_by_id(line.transfer_id)
                    .one(db)
                    .await?
            {
                let from = storage_unit::Entity::find_by_id(t.from_storage_unit_id)
                    .one(db)
                    .await?
                    .map(|s| s.name)
                    .unwrap_or_default();
                let to = storage_unit::Entity::find_by_id(t.to_storage_unit_id)
                    .one(db)
                    .await?
                    .map(|s| s.name)
                    .unwrap_or_default();
                d.transfer_id = Some(t.id);
                let lot = line
                    .lot_number
                    .map(|l| format!(", lot {l}"))
                    .unwrap_or_default();
                let expiry = line
                    .expiry_date
                    .map(|x| format!(", best before {x}"))
                    .unwrap_or_default();
                d.description = format!("Transfer #{} {from} → {to}{lot}{expiry}", t.id);
            }
        }
        SourceKind::InvoiceLine => {
            if let Some(line) = invoice_line::Entity::find_by_id(id_of(e).unwrap_or(-1))
                .one(db)
                .await?
                && let Some(i) = invoice::Entity::find_by_id(line.invoice_id).one(db).await?
            {
                d.invoice_id = Some(i.id);
                d.description = format!(
                    "Invoice {} from {}, line {}: {}",
                    i.number, i.seller_name, line.line_id, line.name
                );
            }
        }
        SourceKind::Transfer => d.description = "Transfer (shipped and received at once)".into(),
        SourceKind::StockCount => {
            d.stock_count_id = id_of(e);
            if let Some(count) = stock_count::Entity::find_by_id(id_of(e).unwrap_or(-1))
                .one(db)
                .await?
            {
                d.description = format!("Stock count #{}", count.id);
            } else {
                d.description = "Stock count".into();
            }
        }
        SourceKind::Reversal => {
            d.reversed_entry_id = e.reversal_of;
            d.description = format!("Reversal of entry #{}", e.reversal_of.unwrap_or_default());
        }
        SourceKind::Waste => {
            d.description = format!("Waste: {}", e.reason.clone().unwrap_or_default())
        }
        SourceKind::DirectReceipt => d.description = "Receipt without an order".into(),
        SourceKind::ManualIssue => d.description = "Manual issue".into(),
        other => d.description = other.to_value(),
    }
    if let Some(item) = &e.pos_item_name {
        d.description = format!("POS sale: {item}");
    }
    if let Some(note) = e.note.as_deref().filter(|n| !n.is_empty()) {
        d.description = format!("{} — {note}", d.description);
    }
    Ok(d)
}
