//! Integrations: one connection to a POS (or a CSV source) of a company, with its automatic
//! transfer switch and its webhook secret.

use chrono::{Duration, Utc};
use entity::pos_integration::{self, Column};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};

use super::csv_import::CsvConfig;
use super::{AutomaticTransfer, ConnectionState, Provider};
use crate::access::{Principal, Role};
use crate::crypto::Cipher;
use crate::error::{ServiceError, ServiceResult};
use crate::validate;

pub const ENTITY: &str = "POS integration";
/// How long the previous webhook secret keeps working after a rotation.
pub const ROTATION_GRACE_HOURS: i64 = 24;

pub async fn create<C: ConnectionTrait>(
    db: &C,
    cipher: &Cipher,
    principal: &Principal,
    company_id: i64,
    provider: Provider,
    name: &str,
) -> ServiceResult<pos_integration::Model> {
    principal.require(company_id, Role::Manager, "company")?;
    let name = validate::name("name", name)?;
    if provider == Provider::LightspeedK {
        let existing = pos_integration::Entity::find()
            .filter(Column::CompanyId.eq(company_id))
            .filter(Column::Provider.eq(provider))
            .one(db)
            .await?;
        if existing.is_some() {
            return Err(ServiceError::conflict(
                "provider",
                "this company already has a Lightspeed integration",
            ));
        }
    }
    // CSV needs no connection: it is connected once configured.
    Ok(pos_integration::ActiveModel {
        company_id: Set(company_id),
        provider: Set(provider),
        name: Set(name),
        connection_state: Set(ConnectionState::NotConnected),
        automatic_transfer: Set(AutomaticTransfer::Active),
        webhook_secret_enc: Set(cipher.encrypt(&crate::secrets::new_token("whsec_"))),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// The integration, if the caller holds `min` in its company.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
    min: Role,
) -> ServiceResult<pos_integration::Model> {
    let row = pos_integration::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found(ENTITY))?;
    principal.require(row.company_id, min, ENTITY)?;
    Ok(row)
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
) -> ServiceResult<Vec<pos_integration::Model>> {
    principal.require_read(company_id, "company")?;
    Ok(pos_integration::Entity::find()
        .filter(Column::CompanyId.eq(company_id))
        .order_by_asc(Column::Id)
        .all(db)
        .await?)
}

pub async fn configure_csv<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
    config: CsvConfig,
) -> ServiceResult<pos_integration::Model> {
    let row = get(db, principal, id, Role::Manager).await?;
    if row.provider != Provider::Csv {
        return Err(ServiceError::validation(
            "integrationId",
            "only a CSV integration takes an import configuration",
        ));
    }
    config.validate()?;
    let mut active = row.into_active_model();
    active.csv_config = Set(Some(serde_json::to_string(&config).unwrap_or_default()));
    active.connection_state = Set(ConnectionState::Connected);
    Ok(active.update(db).await?)
}

pub fn csv_config(row: &pos_integration::Model) -> ServiceResult<CsvConfig> {
    row.csv_config
        .as_deref()
        .and_then(|c| serde_json::from_str(c).ok())
        .ok_or_else(|| {
            ServiceError::validation(
                "integrationId",
                "configure the CSV import (columns, date format) before uploading",
            )
        })
}

pub async fn set_automatic_transfer<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
    active: bool,
) -> ServiceResult<pos_integration::Model> {
    let row = get(db, principal, id, Role::Manager).await?;
    let mut model = row.into_active_model();
    model.automatic_transfer = Set(if active {
        AutomaticTransfer::Active
    } else {
        AutomaticTransfer::Paused
    });
    model.paused_at = Set((!active).then(Utc::now));
    Ok(model.update(db).await?)
}

/// The current webhook secret, in clear (shown to managers so they can configure the sender).
pub async fn webhook_secret<C: ConnectionTrait>(
    db: &C,
    cipher: &Cipher,
    principal: &Principal,
    id: i64,
) -> ServiceResult<String> {
    let row = get(db, principal, id, Role::Manager).await?;
    cipher.decrypt(&row.webhook_secret_enc)
}

/// A new webhook secret; the old one keeps working for [`ROTATION_GRACE_HOURS`] so senders can
/// switch over without losing events.
pub async fn rotate_webhook_secret<C: ConnectionTrait>(
    db: &C,
    cipher: &Cipher,
    principal: &Principal,
    id: i64,
) -> ServiceResult<String> {
    let row = get(db, principal, id, Role::Manager).await?;
    let secret = crate::secrets::new_token("whsec_");
    let mut model = row.clone().into_active_model();
    model.previous_webhook_secret_enc = Set(Some(row.webhook_secret_enc));
    model.previous_secret_valid_until =
        Set(Some(Utc::now() + Duration::hours(ROTATION_GRACE_HOURS)));
    model.webhook_secret_enc = Set(cipher.encrypt(&secret));
    model.update(db).await?;
    Ok(secret)
}

/// Marks a live integration NEEDS_RECONNECT with the reason: its stored access stopped working
/// (a refused token refresh, a Sides login that no longer works). Transfers and syncs stop with
/// that message until it is connected again; its setup stays.
pub async fn mark_needs_reconnect<C: ConnectionTrait>(
    db: &C,
    integration: pos_integration::Model,
    message: &str,
) -> ServiceResult<()> {
    let mut model = integration.into_active_model();
    model.connection_state = Set(ConnectionState::NeedsReconnect);
    model.connection_error = Set(Some(message.to_string()));
    model.update(db).await?;
    Ok(())
}
