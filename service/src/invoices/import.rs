//! Importing an e-invoice file: read it (bounded in time and size, off the async threads), refuse
//! a duplicate, match it, and store the invoice, its lines and the file as received in one
//! transaction. Nothing is stored for a file that cannot be read.

use std::time::Duration;

use chrono::Utc;
use entity::invoice::{self, InvoiceStatus};
use entity::{invoice_line, invoice_original};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

use super::document::InvoiceDocument;
use super::matching::{self, LineKeys, LineMatch};
use super::read::{ReadError, ReadFile, read_invoice};
use crate::access::{Principal, Role};
use crate::db::Writer;
use crate::error::{ServiceError, ServiceResult};

/// Longest a file may take to read: a real invoice takes milliseconds.
const READ_TIME_LIMIT: Duration = Duration::from_secs(10);
/// Lines inserted per statement (15 columns each, well under SQLite's bound parameters).
const LINES_PER_STATEMENT: usize = 500;

pub struct InvoiceUpload {
    pub file_name: Option<String>,
    pub bytes: Vec<u8>,
}

/// A read failure as the service says it: over a limit, or not a readable invoice.
impl From<ReadError> for ServiceError {
    fn from(err: ReadError) -> Self {
        match err {
            ReadError::TooLarge(message) => ServiceError::TooLarge {
                field: "file".into(),
                message,
            },
            other => ServiceError::validation("file", other.to_string()),
        }
    }
}

/// Reads `bytes` on a blocking thread, within [`READ_TIME_LIMIT`].
pub async fn read_bounded(bytes: Vec<u8>) -> ServiceResult<(ReadFile, Vec<u8>)> {
    let reading = tokio::task::spawn_blocking(move || read_invoice(&bytes).map(|f| (f, bytes)));
    match tokio::time::timeout(READ_TIME_LIMIT, reading).await {
        Err(_) => Err(ServiceError::validation(
            "file",
            "the file took too long to read: it is not an invoice Larder can read",
        )),
        Ok(Err(join)) => Err(ServiceError::Internal(format!(
            "reading an invoice: {join}"
        ))),
        Ok(Ok(read)) => Ok(read?),
    }
}

pub async fn import<C: Writer>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    upload: InvoiceUpload,
) -> ServiceResult<invoice::Model> {
    principal.require(company_id, Role::Staff, "company")?;
    if upload.bytes.is_empty() {
        return Err(ServiceError::validation("file", "the file is empty"));
    }
    let (file, bytes) = read_bounded(upload.bytes).await?;
    let document = file.document;
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let seller_key = matching::seller_key(document.seller_vat_id.as_deref(), &document.seller_name);
    refuse_duplicate(db, company_id, &sha256, &seller_key, &document).await?;
    let vendor = matching::find_vendor(
        db,
        company_id,
        document.seller_vat_id.as_deref(),
        &document.seller_name,
    )
    .await?;
    let keys: Vec<LineKeys> = document
        .lines
        .iter()
        .map(|l| LineKeys {
            seller_item_id: l.seller_item_id.as_deref(),
            gtin: l.gtin.as_deref(),
            name: &l.name,
        })
        .collect();
    let (matches, order) = match &vendor {
        Some(v) => {
            let matches = matching::match_lines(db, company_id, v.id, &keys).await?;
            let products: Vec<i64> = matches.iter().filter_map(|m| m.product_id).collect();
            let order = matching::find_order(
                db,
                company_id,
                v.id,
                document.order_reference.as_deref(),
                &products,
            )
            .await?;
            (matches, order)
        }
        None => (vec![LineMatch::NONE; keys.len()], None),
    };
    let file_name = file_name(upload.file_name.as_deref(), file.content_type);
    let txn = crate::db::begin_write(db).await?;
    let stored = invoice::ActiveModel {
        company_id: Set(company_id),
        number: Set(document.number.clone()),
        kind: Set(document.kind),
        syntax: Set(document.syntax),
        type_code: Set(document.type_code.clone()),
        issue_date: Set(document.issue_date),
        currency: Set(document.currency.clone()),
        seller_name: Set(document.seller_name.clone()),
        seller_vat_id: Set(document.seller_vat_id.clone()),
        seller_key: Set(seller_key),
        order_reference: Set(document.order_reference.clone()),
        vendor_id: Set(vendor.as_ref().map(|v| v.id)),
        purchase_order_id: Set(order.as_ref().map(|o| o.id)),
        status: Set(InvoiceStatus::Open),
        line_total: Set(document.totals.line_total.to_string()),
        tax_total: Set(document.totals.tax_total.to_string()),
        grand_total: Set(document.totals.grand_total.to_string()),
        warnings: Set(serde_json::to_string(&document.warnings()).unwrap_or_else(|_| "[]".into())),
        file_name: Set(file_name),
        sha256: Set(sha256),
        imported_by: Set(Some(principal.acting_user_id())),
        imported_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    insert_lines(&txn, &stored, &document, &matches).await?;
    invoice_original::ActiveModel {
        invoice_id: Set(stored.id),
        company_id: Set(company_id),
        content_type: Set(file.content_type.to_string()),
        bytes: Set(bytes),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    metrics::counter!("larder_invoices_imported_total").increment(1);
    Ok(stored)
}

/// The same file, or the same seller's invoice number, a second time: CONFLICT, naming the
/// invoice already there. (The unique indexes refuse a race the same way.)
async fn refuse_duplicate<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
    sha256: &str,
    seller_key: &str,
    document: &InvoiceDocument,
) -> ServiceResult<()> {
    let same_file = invoice::Entity::find()
        .filter(invoice::Column::CompanyId.eq(company_id))
        .filter(invoice::Column::Sha256.eq(sha256))
        .one(db)
        .await?;
    if let Some(earlier) = same_file {
        return Err(ServiceError::conflict(
            "file",
            format!(
                "this file was imported already, as invoice {} from {}",
                earlier.number, earlier.seller_name
            ),
        ));
    }
    let same_number = invoice::Entity::find()
        .filter(invoice::Column::CompanyId.eq(company_id))
        .filter(invoice::Column::SellerKey.eq(seller_key))
        .filter(invoice::Column::Number.eq(&document.number))
        .one(db)
        .await?;
    if let Some(earlier) = same_number {
        return Err(ServiceError::conflict(
            "file",
            format!(
                "invoice {} from {} was imported already, on {}",
                earlier.number,
                earlier.seller_name,
                earlier.imported_at.format("%Y-%m-%d")
            ),
        ));
    }
    Ok(())
}

async fn insert_lines<C: ConnectionTrait>(
    db: &C,
    stored: &invoice::Model,
    document: &InvoiceDocument,
    matches: &[LineMatch],
) -> ServiceResult<()> {
    let rows: Vec<invoice_line::ActiveModel> = document
        .lines
        .iter()
        .zip(matches)
        .enumerate()
        .map(|(position, (line, matched))| invoice_line::ActiveModel {
            invoice_id: Set(stored.id),
            company_id: Set(stored.company_id),
            position: Set(position as i64),
            line_id: Set(line.line_id.clone()),
            name: Set(line.name.clone()),
            seller_item_id: Set(line.seller_item_id.clone()),
            gtin: Set(line.gtin.clone()),
            quantity: Set(line.quantity.to_string()),
            unit_code: Set(line.unit_code.clone()),
            net_price: Set(line.net_price.to_string()),
            price_base_quantity: Set(line.price_base_quantity.map(|q| q.to_string())),
            net_amount: Set(line.net_amount.to_string()),
            vat_percent: Set(line.vat_percent.map(|v| v.to_string())),
            match_kind: Set(matched.kind),
            product_id: Set(matched.product_id),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(LINES_PER_STATEMENT) {
        invoice_line::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// The name the file is kept under: the one given (its last path segment, bounded), else one
/// after its kind.
fn file_name(given: Option<&str>, content_type: &str) -> String {
    let base = given
        .map(|n| n.rsplit(['/', '\\']).next().unwrap_or(n).trim())
        .filter(|n| !n.is_empty())
        .map(|n| {
            n.chars()
                .filter(|c| !c.is_control())
                .take(200)
                .collect::<String>()
        });
    base.unwrap_or_else(|| {
        if content_type == "application/pdf" {
            "invoice.pdf".into()
        } else {
            "invoice.xml".into()
        }
    })
}
