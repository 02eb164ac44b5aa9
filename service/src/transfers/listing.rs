//! Reading transfers: one the caller may see, its lines, a company's transfers a page at a time,
//! and the "in transit" badges of storage units.

use std::collections::HashMap;

use entity::transfer::{self, Column, TransferStatus};
use entity::transfer_line;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};

use crate::access::Principal;
use crate::error::{ServiceError, ServiceResult};
use crate::paging::{Page, PageRequest, SortOrder, keyset_page};

pub const ENTITY: &str = "transfer";

/// A transfer the caller can see: they are in the shipping or the receiving company.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
) -> ServiceResult<transfer::Model> {
    transfer::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|t| {
            principal.role_in(t.company_id).is_some()
                || principal.role_in(t.to_company_id).is_some()
        })
        .ok_or_else(|| ServiceError::not_found(ENTITY))
}

pub async fn lines<C: ConnectionTrait>(
    db: &C,
    transfer_id: i64,
) -> ServiceResult<Vec<transfer_line::Model>> {
    Ok(transfer_line::Entity::find()
        .filter(transfer_line::Column::TransferId.eq(transfer_id))
        .order_by_asc(transfer_line::Column::Id)
        .all(db)
        .await?)
}

/// Transfers of a company, sent or received; `status` SHIPPED lists what is in transit.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    status: Option<TransferStatus>,
) -> ServiceResult<Vec<transfer::Model>> {
    principal.require_read(company_id, "company")?;
    let mut q = transfer::Entity::find().filter(
        Condition::any()
            .add(Column::CompanyId.eq(company_id))
            .add(Column::ToCompanyId.eq(company_id)),
    );
    if let Some(s) = status {
        q = q.filter(Column::Status.eq(s));
    }
    Ok(q.order_by_desc(Column::Id).all(db).await?)
}

/// Shipped transfers on their way to each of these storage units: their "pending" badges.
pub async fn pending_into<C: ConnectionTrait>(
    db: &C,
    storage_unit_ids: &[i64],
) -> ServiceResult<HashMap<i64, i64>> {
    let mut out = HashMap::new();
    for t in transfer::Entity::find()
        .filter(Column::ToStorageUnitId.is_in(storage_unit_ids.to_vec()))
        .filter(Column::Status.eq(TransferStatus::Shipped))
        .all(db)
        .await?
    {
        *out.entry(t.to_storage_unit_id).or_insert(0) += 1;
    }
    Ok(out)
}

/// Which transfers a list shows: a status, and a storage unit they leave or arrive at.
#[derive(Debug, Clone, Default)]
pub struct TransferFilter {
    pub status: Option<TransferStatus>,
    pub storage_unit_id: Option<i64>,
}

/// One page of a company's transfers, sent or received, newest first, by keyset on the id.
pub async fn page<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    filter: &TransferFilter,
    request: &PageRequest<i64>,
) -> ServiceResult<Page<transfer::Model>> {
    principal.require_read(company_id, "company")?;
    let mut query = transfer::Entity::find().filter(
        Condition::any()
            .add(Column::CompanyId.eq(company_id))
            .add(Column::ToCompanyId.eq(company_id)),
    );
    if let Some(status) = filter.status {
        query = query.filter(Column::Status.eq(status));
    }
    if let Some(unit) = filter.storage_unit_id {
        query = query.filter(
            Condition::any()
                .add(Column::FromStorageUnitId.eq(unit))
                .add(Column::ToStorageUnitId.eq(unit)),
        );
    }
    let total = query.clone().count(db).await?;
    let order = SortOrder::descending(vec![Column::Id]);
    Ok(keyset_page(db, query, &order, request, total).await?)
}
