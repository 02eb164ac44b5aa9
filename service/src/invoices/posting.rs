//! Posting an invoice (DESIGN.md, "E-invoices", Posting), in one transaction: what was not
//! received yet becomes RECEIPTs at the invoice's cost (closing the order's items they cover);
//! what was received at another price is corrected — the receipt reversed and posted again at
//! the same business time at the invoice's cost — so the ledger recomputes every cost after
//! it; a credit note posts nothing, or, when asked, its lines as goods returned (WASTE).

use std::collections::HashMap;

use chrono::Utc;
use entity::invoice::{self, InvoiceKind, InvoiceStatus};
use entity::ledger_entry::{self, SourceKind, TransactionType};
use entity::purchase_order;
use entity::{purchase_order_item, storage_unit};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::records::find;
use super::view::{LineView, view};
use crate::access::{Principal, Role};
use crate::db::Writer;
use crate::error::{ServiceError, ServiceResult};
use crate::ledger::posting::NewEntry;
use crate::owned::find_in_company;
use crate::quantity::{from_micro, to_micro};

/// The waste reason of goods a credit note takes back.
pub const RETURNED_TO_VENDOR: &str = "Returned to vendor";

pub struct PostInvoice {
    pub invoice_id: i64,
    /// Where the goods go; default: the order's storage unit.
    pub storage_unit_id: Option<i64>,
    /// A credit note's matched lines posted as returned (WASTE).
    pub post_returns: bool,
}

pub async fn post_invoice<C: Writer>(
    db: &C,
    principal: &Principal,
    request: PostInvoice,
) -> ServiceResult<invoice::Model> {
    let current = find(db, principal, request.invoice_id, Role::Staff).await?;
    let request = &request;
    crate::db::retrying(|| async move {
        let txn = crate::db::begin_write(db).await?;
        // Read inside the write transaction: a second click waits, then finds it posted.
        let invoice = invoice::Entity::find_by_id(current.id)
            .lock_exclusive()
            .one(&txn)
            .await?
            .ok_or_else(|| ServiceError::not_found(super::ENTITY))?;
        if invoice.status != InvoiceStatus::Open {
            return Err(ServiceError::conflict(
                "invoiceId",
                format!("this invoice is {} already", invoice.status),
            ));
        }
        if invoice.vendor_id.is_none() {
            return Err(ServiceError::validation(
                "invoiceId",
                "choose the invoice's vendor before posting it",
            ));
        }
        let order = match invoice.purchase_order_id {
            Some(id) => purchase_order::Entity::find_by_id(id).one(&txn).await?,
            None => None,
        };
        let storage_unit_id = request
            .storage_unit_id
            .or(order.as_ref().and_then(|o| o.storage_unit_id))
            .ok_or_else(|| {
                ServiceError::validation(
                    "storageUnitId",
                    "choose the storage unit the delivery goes to",
                )
            })?;
        find_in_company::<storage_unit::Entity, _>(
            &txn,
            invoice.company_id,
            storage_unit_id,
            "storage unit",
            "storageUnitId",
        )
        .await?;
        let shown = view(&txn, invoice.clone()).await?;
        if let Some((k, line)) = shown
            .lines
            .iter()
            .enumerate()
            .find(|(_, l)| l.problem.is_some())
        {
            return Err(ServiceError::validation(
                format!("lines[{k}]"),
                format!(
                    "line {} ({}): {}",
                    line.line.line_id,
                    line.line.name,
                    line.problem.clone().unwrap_or_default()
                ),
            ));
        }
        let stock: Vec<&LineView> = shown.lines.iter().filter(|l| l.product.is_some()).collect();
        let plan = Plan {
            company_id: invoice.company_id,
            storage_unit_id,
            at: crate::ledger::entry_time(None, "postedAt")?,
            by: principal.acting_user_id(),
        };
        let entries = match invoice.kind {
            InvoiceKind::Invoice => plan.receive(&txn, order.as_ref(), &stock).await?,
            InvoiceKind::CreditNote if request.post_returns => plan.returns(&stock)?,
            InvoiceKind::CreditNote => Vec::new(),
        };
        crate::ledger::posting::post(&txn, entries).await?;
        let mut active: invoice::ActiveModel = invoice.into();
        active.status = Set(InvoiceStatus::Posted);
        active.storage_unit_id = Set(Some(storage_unit_id));
        active.posted_by = Set(Some(principal.acting_user_id()));
        active.posted_at = Set(Some(Utc::now()));
        let posted = active.update(&txn).await?;
        txn.commit().await?;
        Ok(posted)
    })
    .await
}

struct Plan {
    company_id: i64,
    storage_unit_id: i64,
    at: crate::ledger::EntryTime,
    by: i64,
}

/// A stock line's quantity and cost in base units, checked.
struct Billed {
    quantity: Decimal,
    unit_cost_micro: i64,
}

fn billed(line: &LineView) -> ServiceResult<Billed> {
    let field = format!("line {}", line.line.line_id);
    let quantity = line.base_quantity.unwrap_or_default();
    Ok(Billed {
        quantity,
        unit_cost_micro: to_micro(line.unit_cost.unwrap_or_default(), &field)?,
    })
}

impl Plan {
    fn entry(
        &self,
        line: &LineView,
        kind: TransactionType,
        quantity: Decimal,
    ) -> ServiceResult<NewEntry> {
        let product = line.product.as_ref().expect("a stock line has a product");
        let field = format!("line {}", line.line.line_id);
        let mut e = NewEntry::new(
            self.company_id,
            product.ingredient_id,
            self.storage_unit_id,
            kind,
            to_micro(quantity, &field)?,
            self.at.micros,
        );
        e.at_posting = self.at.at_posting;
        e.source_kind = SourceKind::InvoiceLine;
        e.source_id = Some(line.line.id.to_string());
        e.note = Some(format!(
            "{} {} ({})",
            line.line.quantity, line.line.unit_code, line.line.name
        ));
        e.created_by = Some(self.by);
        Ok(e)
    }

    /// An invoice's lines: receipts for what the order has not received, cost corrections for
    /// what it received at another price.
    async fn receive<C: ConnectionTrait>(
        &self,
        db: &C,
        order: Option<&purchase_order::Model>,
        lines: &[&LineView],
    ) -> ServiceResult<Vec<NewEntry>> {
        let items: Vec<purchase_order_item::Model> = match order {
            Some(o) => {
                purchase_order_item::Entity::find()
                    .filter(purchase_order_item::Column::OrderId.eq(o.id))
                    .all(db)
                    .await?
            }
            None => Vec::new(),
        };
        let mut entries = Vec::new();
        let mut newly_received: HashMap<i64, i64> = HashMap::new();
        for line in lines {
            let product = line.product.as_ref().expect("a stock line has a product");
            let bill = billed(line)?;
            if bill.quantity < Decimal::ZERO {
                entries.push(self.returned(line, -bill.quantity)?);
                continue;
            }
            let mut open = bill.quantity;
            if let Some(item) = items.iter().find(|i| i.product_id == product.id) {
                for received in receipts_of(db, item.id).await? {
                    if open <= Decimal::ZERO {
                        break;
                    }
                    open -= from_micro(received.quantity_micro);
                    if received.input_cost_micro != Some(bill.unit_cost_micro) {
                        entries.extend(self.correct(line, &received, bill.unit_cost_micro));
                    }
                }
                let factor = from_micro(product.packaging_factor_micro);
                let packs_open = item.packs_micro - item.received_packs_micro;
                if open > Decimal::ZERO && packs_open > 0 {
                    let packs = to_micro((open / factor).round_dp(6), "packs")?.min(packs_open);
                    *newly_received.entry(item.id).or_default() += packs;
                }
            }
            if open > Decimal::ZERO {
                let mut e = self.entry(line, TransactionType::Receipt, open)?;
                e.input_cost_micro = Some(bill.unit_cost_micro);
                entries.push(e);
            }
        }
        if let Some(order) = order
            && !newly_received.is_empty()
        {
            crate::orders::count_received(db, order, &items, &newly_received).await?;
        }
        Ok(entries)
    }

    /// A receipt at the order's price, corrected to the invoice's: reversed, and posted again at
    /// the same time, in the same storage unit, at the invoice's cost.
    fn correct(
        &self,
        line: &LineView,
        received: &ledger_entry::Model,
        cost_micro: i64,
    ) -> [NewEntry; 2] {
        let mut reversal = NewEntry::new(
            received.company_id,
            received.ingredient_id,
            received.storage_unit_id,
            TransactionType::Receipt,
            -received.quantity_micro,
            received.occurred_at,
        );
        reversal.input_cost_micro = received.input_cost_micro;
        reversal.source_kind = SourceKind::Reversal;
        reversal.source_id = Some(received.id.to_string());
        reversal.reversal_of = Some(received.id);
        reversal.note = Some(format!(
            "cost corrected by invoice line {}",
            line.line.line_id
        ));
        reversal.created_by = Some(self.by);
        let mut again = reversal.clone();
        again.quantity_micro = received.quantity_micro;
        again.input_cost_micro = Some(cost_micro);
        again.source_kind = SourceKind::InvoiceLine;
        again.source_id = Some(line.line.id.to_string());
        again.reversal_of = None;
        again.note = Some(format!(
            "{} at the invoice's price ({})",
            line.line.name, line.line.line_id
        ));
        [reversal, again]
    }

    /// A credit note's lines as goods returned to the vendor (however the note signs them).
    fn returns(&self, lines: &[&LineView]) -> ServiceResult<Vec<NewEntry>> {
        lines
            .iter()
            .map(|line| self.returned(line, billed(line)?.quantity.abs()))
            .collect()
    }

    /// `quantity` of a line's goods gone back to the vendor: WASTE at the average cost.
    fn returned(&self, line: &LineView, quantity: Decimal) -> ServiceResult<NewEntry> {
        let mut e = self.entry(line, TransactionType::Waste, -quantity)?;
        e.reason = Some(RETURNED_TO_VENDOR.into());
        Ok(e)
    }
}

/// An order item's receipts that stand (not reversed), oldest first.
async fn receipts_of<C: ConnectionTrait>(
    db: &C,
    item_id: i64,
) -> ServiceResult<Vec<ledger_entry::Model>> {
    let entries = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::SourceKind.eq(SourceKind::OrderItem))
        .filter(ledger_entry::Column::SourceId.eq(item_id.to_string()))
        .filter(ledger_entry::Column::TransactionType.eq(TransactionType::Receipt))
        .order_by_asc(ledger_entry::Column::OccurredAt)
        .order_by_asc(ledger_entry::Column::Id)
        .all(db)
        .await?;
    let reversed: Vec<i64> = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::ReversalOf.is_in(entries.iter().map(|e| e.id)))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|e| e.reversal_of)
        .collect();
    Ok(entries
        .into_iter()
        .filter(|e| !reversed.contains(&e.id) && e.quantity_micro > 0)
        .collect())
}
