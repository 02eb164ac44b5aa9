//! POS locations: synced from the POS, or created by the user for CSV. Each is linked to the
//! storage unit its sales are taken from, then activated, which starts its historical migration.

use crate::db::Writer;
use chrono::{NaiveDate, Utc};
use entity::pos_location::{self, Column};
use entity::{company, job_run, sales_import, storage_unit};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::{ConnectionState, Provider, integrations, location_lock};
use crate::access::{Principal, Role};
use crate::business_days;
use crate::error::{ServiceError, ServiceResult};
use crate::job_runs::{self, JobKind, JobParams, NewJob};
use crate::owned::find_in_company;
use crate::validate;

pub const ENTITY: &str = "POS location";
/// How far back the historical migration reaches.
pub const MIGRATION_DAYS: i64 = 90;

pub async fn get<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
    min: Role,
) -> ServiceResult<pos_location::Model> {
    let row = pos_location::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found(ENTITY))?;
    principal.require(row.company_id, min, ENTITY)?;
    Ok(row)
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    integration_id: i64,
) -> ServiceResult<Vec<pos_location::Model>> {
    Ok(pos_location::Entity::find()
        .filter(Column::IntegrationId.eq(integration_id))
        .order_by_asc(Column::Name)
        .all(db)
        .await?)
}

/// A location the user names for a CSV integration (live POSes sync theirs).
pub async fn create<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    integration_id: i64,
    external_id: &str,
    name: &str,
) -> ServiceResult<pos_location::Model> {
    let integration = integrations::get(db, principal, integration_id, Role::Manager).await?;
    if integration.provider != Provider::Csv {
        return Err(ServiceError::validation(
            "integrationId",
            "locations of a live POS come from its sync; only CSV locations are created by hand",
        ));
    }
    let external_id = validate::name("externalId", external_id)?;
    let name = validate::name("name", name)?;
    let exists = pos_location::Entity::find()
        .filter(Column::IntegrationId.eq(integration_id))
        .filter(Column::ExternalId.eq(external_id.as_str()))
        .one(db)
        .await?;
    if exists.is_some() {
        return Err(ServiceError::conflict(
            "externalId",
            format!("this integration already has a location {external_id}"),
        ));
    }
    Ok(pos_location::ActiveModel {
        company_id: Set(integration.company_id),
        integration_id: Set(integration_id),
        external_id: Set(external_id),
        name: Set(name),
        synced: Set(true),
        active: Set(false),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Links the storage unit sales are taken from. Changing it on an active location is allowed
/// (later days post there); past postings stay where they were.
pub async fn link_storage_unit<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    location_id: i64,
    storage_unit_id: i64,
) -> ServiceResult<pos_location::Model> {
    let location = get(db, principal, location_id, Role::Manager).await?;
    let unit = find_in_company::<storage_unit::Entity, _>(
        db,
        location.company_id,
        storage_unit_id,
        crate::storage_units::ENTITY,
        "storageUnitId",
    )
    .await?;
    if unit.archived_at.is_some() {
        return Err(ServiceError::validation(
            "storageUnitId",
            format!("{} is archived", unit.name),
        ));
    }
    let mut model = location.into_active_model();
    model.storage_unit_id = Set(Some(unit.id));
    Ok(model.update(db).await?)
}

/// Activates a location and queues its historical migration (the last 90 completed business
/// days), in one transaction. Each unmet rule of DESIGN.md gets its own error.
pub async fn activate<C: Writer>(
    db: &C,
    principal: &Principal,
    location_id: i64,
) -> ServiceResult<job_run::Model> {
    crate::db::retrying(|| async move {
        let txn = crate::db::begin_write(db).await?;
        let location = get(&txn, principal, location_id, Role::Manager).await?;
        if !location.synced {
            return Err(ServiceError::validation(
                "locationId",
                "the POS no longer lists this location; check it at the POS, then sync locations again",
            ));
        }
        let Some(unit_id) = location.storage_unit_id else {
            return Err(ServiceError::validation(
                "storageUnitId",
                "link a storage unit first: sales are taken from it",
            ));
        };
        let unit = storage_unit::Entity::find_by_id(unit_id).one(&txn).await?;
        if unit.is_none_or(|u| u.company_id != location.company_id) {
            return Err(ServiceError::validation(
                "storageUnitId",
                "the linked storage unit belongs to another company; link one of this company's",
            ));
        }
        let integration =
            integrations::get(&txn, principal, location.integration_id, Role::Manager).await?;
        if integration.connection_state != ConnectionState::Connected {
            return Err(ServiceError::validation(
                "integrationId",
                "the integration is not connected (configure the CSV import, or connect the POS)",
            ));
        }
        let company = company::Entity::find_by_id(location.company_id)
            .one(&txn)
            .await?
            .ok_or_else(|| ServiceError::not_found("company"))?;
        let dates = business_days::last_completed_days(&company, Utc::now(), MIGRATION_DAYS);
        let job = queue_days(
            &txn,
            Some(principal.acting_user_id()),
            &location,
            JobKind::HistoricalMigration,
            dates,
            "historical migration",
        )
        .await?;
        let mut model = location.into_active_model();
        model.active = Set(true);
        model.activated_at = Set(Some(Utc::now()));
        model.update(&txn).await?;
        txn.commit().await?;
        Ok(job)
    })
    .await
}

pub async fn deactivate<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    location_id: i64,
) -> ServiceResult<pos_location::Model> {
    let location = get(db, principal, location_id, Role::Manager).await?;
    let mut model = location.into_active_model();
    model.active = Set(false);
    Ok(model.update(db).await?)
}

/// Queues a run over `dates` of one location; a run already queued or running for the location
/// is a CONFLICT.
pub async fn queue_days<C: ConnectionTrait>(
    db: &C,
    requested_by: Option<i64>,
    location: &pos_location::Model,
    kind: JobKind,
    dates: Vec<NaiveDate>,
    what: &str,
) -> ServiceResult<job_run::Model> {
    let total = dates.len() as i64;
    let first = dates.first().copied();
    let last = dates.last().copied();
    job_runs::create(
        db,
        NewJob {
            company_id: location.company_id,
            kind,
            integration_id: Some(location.integration_id),
            location_id: Some(location.id),
            params: JobParams {
                dates,
                ..Default::default()
            },
            lock_key: Some(location_lock(location.id)),
            total,
            message: match (first, last) {
                (Some(a), Some(b)) if a != b => {
                    format!("{what} of {} days, {a} to {b}: queued", total)
                }
                (Some(a), _) => format!("{what} of {a}: queued"),
                _ => format!("{what}: queued"),
            },
            requested_by,
        },
    )
    .await
}

/// Reruns the historical migration of an active location (after mappings were added or fixed):
/// each day posts only the difference from what it posted before.
pub async fn rerun_migration<C: Writer>(
    db: &C,
    principal: &Principal,
    location_id: i64,
) -> ServiceResult<job_run::Model> {
    let location = get(db, principal, location_id, Role::Manager).await?;
    require_active(&location)?;
    let company = company_of(db, location.company_id).await?;
    let dates = business_days::last_completed_days(&company, Utc::now(), MIGRATION_DAYS);
    queue_days(
        db,
        Some(principal.acting_user_id()),
        &location,
        JobKind::HistoricalMigration,
        dates,
        "rerun of the historical migration",
    )
    .await
}

/// A manual transfer of one completed business day.
pub async fn start_manual_import<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    location_id: i64,
    date: NaiveDate,
) -> ServiceResult<job_run::Model> {
    let location = get(db, principal, location_id, Role::Manager).await?;
    require_active(&location)?;
    let company = company_of(db, location.company_id).await?;
    if date > business_days::last_completed(&company, Utc::now()) {
        return Err(ServiceError::validation(
            "businessDate",
            format!("{date} has not closed yet; only completed business days are transferred"),
        ));
    }
    queue_days(
        db,
        Some(principal.acting_user_id()),
        &location,
        JobKind::ManualTransfer,
        vec![date],
        "manual transfer",
    )
    .await
}

fn require_active(location: &pos_location::Model) -> ServiceResult<()> {
    if location.active {
        Ok(())
    } else {
        Err(ServiceError::validation(
            "locationId",
            "activate the location first (its historical migration comes with it)",
        ))
    }
}

pub async fn company_of<C: ConnectionTrait>(db: &C, id: i64) -> ServiceResult<company::Model> {
    company::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found("company"))
}

/// Completed business days since activation that were never transferred (days missed while
/// automatic transfer was paused, or that failed), oldest first.
pub async fn unimported_days<C: ConnectionTrait>(
    db: &C,
    location: &pos_location::Model,
) -> ServiceResult<Vec<NaiveDate>> {
    let Some(activated_at) = location.activated_at else {
        return Ok(vec![]);
    };
    let company = company_of(db, location.company_id).await?;
    let first = business_days::last_completed(&company, activated_at) + chrono::Duration::days(1);
    let last = business_days::last_completed(&company, Utc::now());
    if last < first {
        return Ok(vec![]);
    }
    let done: std::collections::HashSet<NaiveDate> = sales_import::Entity::find()
        .select_only()
        .column(sales_import::Column::BusinessDate)
        .filter(sales_import::Column::LocationId.eq(location.id))
        .filter(sales_import::Column::BusinessDate.gte(first))
        .into_tuple::<NaiveDate>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(first
        .iter_days()
        .take_while(|d| *d <= last)
        .filter(|d| !done.contains(d))
        .collect())
}

/// Whether the scheduler and "transfer them now" take a location's days: it is active and its
/// POS still lists it (an unlisted one's days cannot be fetched).
pub fn imported_automatically(location: &pos_location::Model) -> bool {
    location.active && location.synced
}

/// The untransferred days of each active location of an integration (locations with none left
/// out, and those the POS no longer lists: their days cannot be fetched).
pub async fn unimported_by_location<C: ConnectionTrait>(
    db: &C,
    integration_id: i64,
) -> ServiceResult<Vec<(pos_location::Model, Vec<NaiveDate>)>> {
    let mut out = Vec::new();
    for location in list(db, integration_id)
        .await?
        .into_iter()
        .filter(imported_automatically)
    {
        let dates = unimported_days(db, &location).await?;
        if !dates.is_empty() {
            out.push((location, dates));
        }
    }
    Ok(out)
}

/// Queues the transfer of every untransferred day of an integration's active locations.
pub async fn import_unimported<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    integration_id: i64,
) -> ServiceResult<Vec<job_run::Model>> {
    integrations::get(db, principal, integration_id, Role::Manager).await?;
    let mut jobs = Vec::new();
    for (location, dates) in unimported_by_location(db, integration_id).await? {
        jobs.push(
            queue_days(
                db,
                Some(principal.acting_user_id()),
                &location,
                JobKind::ManualTransfer,
                dates,
                "transfer of untransferred days",
            )
            .await?,
        );
    }
    Ok(jobs)
}
