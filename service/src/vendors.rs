//! Vendors: who stock is ordered from.

use chrono::Utc;
use entity::vendor::{self, Column};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::access::{Principal, Role};
use crate::error::ServiceResult;
use crate::owned::{find_owned, name_matches};
use crate::validate;

pub const ENTITY: &str = "vendor";

#[derive(Debug, Clone, Default)]
pub struct VendorInput {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub notes: Option<String>,
}

fn checked_email(email: Option<&str>) -> ServiceResult<Option<String>> {
    validate::optional("email", email)?
        .map(|e| validate::email("email", &e))
        .transpose()
}

pub async fn create<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    input: VendorInput,
) -> ServiceResult<vendor::Model> {
    principal.require(company_id, Role::Manager, "company")?;
    let name = validate::name("name", &input.name)?;
    ensure_unique(db, company_id, &name, None).await?;
    Ok(vendor::ActiveModel {
        company_id: Set(company_id),
        name: Set(name),
        email: Set(checked_email(input.email.as_deref())?),
        phone: Set(validate::optional("phone", input.phone.as_deref())?),
        notes: Set(validate::optional("notes", input.notes.as_deref())?),
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
    crate::owned::ensure_unique_name::<vendor::Entity, _>(
        db,
        Column::CompanyId,
        company_id,
        name,
        except,
        "a vendor",
    )
    .await
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
) -> ServiceResult<vendor::Model> {
    find_owned::<vendor::Entity, _>(db, principal, id, Role::Viewer, ENTITY).await
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    search: Option<&str>,
    include_archived: bool,
) -> ServiceResult<Vec<vendor::Model>> {
    principal.require_read(company_id, "company")?;
    let mut query = vendor::Entity::find().filter(Column::CompanyId.eq(company_id));
    if !include_archived {
        query = query.filter(Column::ArchivedAt.is_null());
    }
    let backend = db.get_database_backend();
    if let Some(term) = validate::search_term(search)? {
        query = query.filter(name_matches(backend, Column::Name, &term));
    }
    Ok(query.order_by_asc(Column::Name).all(db).await?)
}

/// Replaces the vendor's fields with `input` (the form sends them all).
pub async fn update<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
    input: VendorInput,
) -> ServiceResult<vendor::Model> {
    let current = find_owned::<vendor::Entity, _>(db, principal, id, Role::Manager, ENTITY).await?;
    let name = validate::name("name", &input.name)?;
    ensure_unique(db, current.company_id, &name, Some(id)).await?;
    let mut active: vendor::ActiveModel = current.into();
    active.name = Set(name);
    active.email = Set(checked_email(input.email.as_deref())?);
    active.phone = Set(validate::optional("phone", input.phone.as_deref())?);
    active.notes = Set(validate::optional("notes", input.notes.as_deref())?);
    Ok(active.update(db).await?)
}

pub async fn set_archived<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
    archived: bool,
) -> ServiceResult<vendor::Model> {
    let current = find_owned::<vendor::Entity, _>(db, principal, id, Role::Manager, ENTITY).await?;
    let mut active: vendor::ActiveModel = current.into();
    active.archived_at = Set(archived.then(Utc::now));
    Ok(active.update(db).await?)
}
