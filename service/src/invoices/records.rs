//! Reading invoices back: one by id, a company's list (newest first, by status and vendor),
//! and the original file as it was received.

use entity::invoice::{self, Column, InvoiceStatus};
use entity::invoice_original;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::access::{Principal, Role};
use crate::error::{ServiceError, ServiceResult};
use crate::owned::{CompanyOwned, find_owned};
use crate::paging::{Page, PageRequest, SortOrder, keyset_page};

pub const ENTITY: &str = "invoice";

impl CompanyOwned for invoice::Model {
    fn company_id(&self) -> i64 {
        self.company_id
    }
}

/// The invoice `id` for a caller who holds at least `min` in its company.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
    min: Role,
) -> ServiceResult<invoice::Model> {
    find_owned::<invoice::Entity, _>(db, principal, id, min, ENTITY).await
}

#[derive(Debug, Clone, Default)]
pub struct InvoiceFilter {
    pub status: Option<InvoiceStatus>,
    pub vendor_id: Option<i64>,
}

/// One page of a company's invoices, newest first, by keyset on the id.
pub async fn page<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    filter: &InvoiceFilter,
    request: &PageRequest<i64>,
) -> ServiceResult<Page<invoice::Model>> {
    principal.require_read(company_id, "company")?;
    let mut query = invoice::Entity::find().filter(Column::CompanyId.eq(company_id));
    if let Some(status) = filter.status {
        query = query.filter(Column::Status.eq(status));
    }
    if let Some(vendor_id) = filter.vendor_id {
        query = query.filter(Column::VendorId.eq(vendor_id));
    }
    let total = sea_orm::PaginatorTrait::count(query.clone(), db).await?;
    let order = SortOrder::descending(vec![Column::Id]);
    Ok(keyset_page(db, query, &order, request, total).await?)
}

/// The file an invoice was read from, byte for byte.
pub struct Original {
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

pub async fn original<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
) -> ServiceResult<Original> {
    let invoice = find(db, principal, id, Role::Viewer).await?;
    let file = invoice_original::Entity::find_by_id(invoice.id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::Internal(format!("invoice {} has no original", invoice.id)))?;
    Ok(Original {
        file_name: invoice.file_name,
        content_type: file.content_type,
        bytes: file.bytes,
    })
}
