//! Storage units: the places stock is kept (Main Storage, Bar, Kitchen).

use chrono::Utc;
use entity::storage_unit::{self, Column};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::access::{Principal, Role};
use crate::error::ServiceResult;
use crate::owned::{find_owned, name_matches};
use crate::validate;

pub const ENTITY: &str = "storage unit";

/// A storage unit a report or a form narrows to: none, or one of the company's — another
/// company's, or none at all, is NOT_FOUND naming `storageUnitId`.
pub async fn check_in_company<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
    storage_unit_id: Option<i64>,
) -> ServiceResult<()> {
    if let Some(unit) = storage_unit_id {
        crate::owned::find_in_company::<storage_unit::Entity, _>(
            db,
            company_id,
            unit,
            ENTITY,
            "storageUnitId",
        )
        .await?;
    }
    Ok(())
}

pub async fn create<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    name: &str,
    address: Option<&str>,
) -> ServiceResult<storage_unit::Model> {
    principal.require(company_id, Role::Manager, "company")?;
    let name = validate::name("name", name)?;
    ensure_unique(db, company_id, &name, None).await?;
    Ok(storage_unit::ActiveModel {
        company_id: Set(company_id),
        name: Set(name),
        address: Set(validate::optional("address", address)?),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

async fn ensure_unique<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
    name: &str,
    except: Option<i64>,
) -> ServiceResult<()> {
    crate::owned::ensure_unique_name::<storage_unit::Entity, _>(
        db,
        Column::CompanyId,
        company_id,
        name,
        except,
        "a storage unit",
    )
    .await
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
) -> ServiceResult<storage_unit::Model> {
    find_owned::<storage_unit::Entity, _>(db, principal, id, Role::Viewer, ENTITY).await
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    search: Option<&str>,
    include_archived: bool,
) -> ServiceResult<Vec<storage_unit::Model>> {
    principal.require_read(company_id, "company")?;
    let mut query = storage_unit::Entity::find().filter(Column::CompanyId.eq(company_id));
    if !include_archived {
        query = query.filter(Column::ArchivedAt.is_null());
    }
    let backend = db.get_database_backend();
    if let Some(term) = validate::search_term(search)? {
        query = query.filter(name_matches(backend, Column::Name, &term));
    }
    Ok(query.order_by_asc(Column::Name).all(db).await?)
}

pub async fn update<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
    name: Option<&str>,
    address: Option<Option<&str>>,
) -> ServiceResult<storage_unit::Model> {
    let current =
        find_owned::<storage_unit::Entity, _>(db, principal, id, Role::Manager, ENTITY).await?;
    let mut active: storage_unit::ActiveModel = current.clone().into();
    if let Some(name) = name {
        let name = validate::name("name", name)?;
        ensure_unique(db, current.company_id, &name, Some(id)).await?;
        active.name = Set(name);
    }
    if let Some(address) = address {
        active.address = Set(validate::optional("address", address)?);
    }
    Ok(active.update(db).await?)
}

pub async fn set_archived<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
    archived: bool,
) -> ServiceResult<storage_unit::Model> {
    let current =
        find_owned::<storage_unit::Entity, _>(db, principal, id, Role::Manager, ENTITY).await?;
    let mut active: storage_unit::ActiveModel = current.into();
    active.archived_at = Set(archived.then(Utc::now));
    Ok(active.update(db).await?)
}
