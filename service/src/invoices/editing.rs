//! What a person settles on an imported invoice before posting it: the vendor when the invoice
//! named none Larder knows (the VAT id is then kept on the vendor, so the next invoice finds
//! it), a line's product or that it is not stock (remembered for that line name from that
//! vendor), or that the invoice is discarded.

use entity::invoice::{self, InvoiceStatus};
use entity::invoice_line::{self, InvoiceLineMatch};
use entity::{invoice_line_choice, product, vendor};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::matching::{self, LineKeys};
use super::records::find;
use crate::access::{Principal, Role};
use crate::db::Writer;
use crate::error::{ServiceError, ServiceResult};
use crate::owned::find_in_company;

fn open(invoice: &invoice::Model) -> ServiceResult<()> {
    if invoice.status != InvoiceStatus::Open {
        return Err(ServiceError::conflict(
            "invoiceId",
            format!(
                "this invoice is {} and can no longer change",
                invoice.status
            ),
        ));
    }
    Ok(())
}

/// Sets the invoice's vendor, keeps the invoice's VAT id on a vendor that has none, and
/// matches the lines and the order again for that vendor (lines matched by hand stay).
pub async fn set_vendor<C: Writer>(
    db: &C,
    principal: &Principal,
    invoice_id: i64,
    vendor_id: i64,
) -> ServiceResult<invoice::Model> {
    let current = find(db, principal, invoice_id, Role::Staff).await?;
    open(&current)?;
    let chosen = find_in_company::<vendor::Entity, _>(
        db,
        current.company_id,
        vendor_id,
        "vendor",
        "vendorId",
    )
    .await?;
    let txn = crate::db::begin_write(db).await?;
    if chosen.vat_id.is_none()
        && let Some(vat) = &current.seller_vat_id
    {
        let mut v: vendor::ActiveModel = chosen.clone().into();
        v.vat_id = Set(Some(crate::vendors::normalized_vat_id(vat)));
        v.update(&txn).await?;
    }
    let lines = invoice_line::Entity::find()
        .filter(invoice_line::Column::InvoiceId.eq(current.id))
        .order_by_asc(invoice_line::Column::Position)
        .all(&txn)
        .await?;
    let keys: Vec<LineKeys> = lines
        .iter()
        .map(|l| LineKeys {
            seller_item_id: l.seller_item_id.as_deref(),
            gtin: l.gtin.as_deref(),
            name: &l.name,
        })
        .collect();
    let matches = matching::match_lines(&txn, current.company_id, chosen.id, &keys).await?;
    for (line, matched) in lines.iter().zip(&matches) {
        if line.match_kind == InvoiceLineMatch::Manual || *matched == line_match(line) {
            continue;
        }
        let mut active: invoice_line::ActiveModel = line.clone().into();
        active.match_kind = Set(matched.kind);
        active.product_id = Set(matched.product_id);
        active.update(&txn).await?;
    }
    let products: Vec<i64> = matches.iter().filter_map(|m| m.product_id).collect();
    let order = matching::find_order(
        &txn,
        current.company_id,
        chosen.id,
        current.order_reference.as_deref(),
        &products,
    )
    .await?;
    let mut active: invoice::ActiveModel = current.into();
    active.vendor_id = Set(Some(chosen.id));
    active.purchase_order_id = Set(order.map(|o| o.id));
    let updated = active.update(&txn).await?;
    txn.commit().await?;
    Ok(updated)
}

fn line_match(line: &invoice_line::Model) -> matching::LineMatch {
    matching::LineMatch {
        kind: line.match_kind,
        product_id: line.product_id,
    }
}

/// Matches one line by hand to one of the vendor's products, or marks it not stock; the choice
/// is remembered for that line name from that vendor.
pub async fn match_line<C: Writer>(
    db: &C,
    principal: &Principal,
    invoice_id: i64,
    line_id: &str,
    product_id: Option<i64>,
    not_stock: bool,
) -> ServiceResult<invoice::Model> {
    let current = find(db, principal, invoice_id, Role::Staff).await?;
    open(&current)?;
    let Some(vendor_id) = current.vendor_id else {
        return Err(ServiceError::validation(
            "invoiceId",
            "choose the invoice's vendor first: lines are matched to that vendor's products",
        ));
    };
    let chosen = match (product_id, not_stock) {
        (Some(_), true) | (None, false) => {
            return Err(ServiceError::validation(
                "productId",
                "give either a product or notStock: true",
            ));
        }
        (Some(id), false) => {
            let p = find_in_company::<product::Entity, _>(
                db,
                current.company_id,
                id,
                "product",
                "productId",
            )
            .await?;
            if p.vendor_id != vendor_id {
                return Err(ServiceError::validation(
                    "productId",
                    "this product is another vendor's: choose one of the invoice's vendor",
                ));
            }
            Some(p.id)
        }
        (None, true) => None,
    };
    let line = invoice_line::Entity::find()
        .filter(invoice_line::Column::InvoiceId.eq(current.id))
        .filter(invoice_line::Column::LineId.eq(line_id))
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found_at("invoice line", "lineId"))?;
    let txn = crate::db::begin_write(db).await?;
    let kind = if chosen.is_some() {
        InvoiceLineMatch::Manual
    } else {
        InvoiceLineMatch::NotStock
    };
    let name = matching::line_name_key(&line.name);
    let mut active: invoice_line::ActiveModel = line.into();
    active.match_kind = Set(kind);
    active.product_id = Set(chosen);
    active.update(&txn).await?;
    remember(&txn, current.company_id, vendor_id, name, chosen).await?;
    txn.commit().await?;
    Ok(current)
}

async fn remember<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
    vendor_id: i64,
    line_name: String,
    product_id: Option<i64>,
) -> ServiceResult<()> {
    invoice_line_choice::Entity::insert(invoice_line_choice::ActiveModel {
        company_id: Set(company_id),
        vendor_id: Set(vendor_id),
        line_name: Set(line_name),
        product_id: Set(product_id),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([
            invoice_line_choice::Column::CompanyId,
            invoice_line_choice::Column::VendorId,
            invoice_line_choice::Column::LineName,
        ])
        .update_column(invoice_line_choice::Column::ProductId)
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Discards an open invoice: it stays listed (and its file kept) but is never posted.
pub async fn discard<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    invoice_id: i64,
) -> ServiceResult<invoice::Model> {
    let current = find(db, principal, invoice_id, Role::Staff).await?;
    let changed = invoice::Entity::update_many()
        .col_expr(
            invoice::Column::Status,
            sea_orm::sea_query::Expr::value(InvoiceStatus::Discarded),
        )
        .filter(invoice::Column::Id.eq(current.id))
        .filter(invoice::Column::Status.eq(InvoiceStatus::Open))
        .exec(db)
        .await?;
    if changed.rows_affected == 0 {
        open(&current)?;
    }
    find(db, principal, invoice_id, Role::Staff).await
}
