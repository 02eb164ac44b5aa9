//! Syncing a live POS's locations and items into Larder's cache (jobs, so a slow POS never holds
//! a request), and testing a connection.

use crate::db::Writer;
use std::collections::{BTreeMap, BTreeSet};

use chrono::Utc;
use entity::{job_run, pos_integration, pos_item, pos_location};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};

use super::Connector;
use super::settings::LiveSettings;
use super::source::{PosSource, RemoteItem, provider_name};
use crate::access::{Principal, Role};
use crate::error::{ServiceError, ServiceResult};
use crate::job_runs::{self, JobKind, JobParams, NewJob};
use crate::pos::{ConnectionState, Provider, integrations};

/// Queues a SYNC_LOCATIONS or SYNC_ITEMS run; one of each kind at a time per integration.
pub async fn queue<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    integration_id: i64,
    kind: JobKind,
) -> ServiceResult<job_run::Model> {
    let integration = integrations::get(db, principal, integration_id, Role::Manager).await?;
    let provider = integration.provider;
    if provider == Provider::Csv {
        return Err(ServiceError::validation(
            "integrationId",
            "a CSV integration has nothing to sync: its locations are created by hand and its items come from the files",
        ));
    }
    if integration.connection_state != ConnectionState::Connected {
        return Err(ServiceError::validation(
            "integrationId",
            format!(
                "connect {} before syncing{}",
                provider_name(provider),
                integration
                    .connection_error
                    .as_deref()
                    .map(|e| format!(" ({e})"))
                    .unwrap_or_default()
            ),
        ));
    }
    let (what, lock) = match kind {
        JobKind::SyncLocations => ("locations", "sync-locations"),
        JobKind::SyncItems => ("items", "sync-items"),
        _ => return Err(ServiceError::Internal("not a sync job".into())),
    };
    job_runs::create(
        db,
        NewJob {
            company_id: integration.company_id,
            kind,
            integration_id: Some(integration.id),
            location_id: None,
            params: JobParams::default(),
            lock_key: Some(format!("{lock}:{}", integration.id)),
            total: 1,
            message: format!("sync of {what} from {}: queued", provider_name(provider)),
            requested_by: principal.require_user().ok(),
        },
    )
    .await
    .map_err(|e| match e {
        ServiceError::Conflict { .. } => ServiceError::conflict(
            "integrationId",
            format!("a sync of {what} is already queued or running for this integration"),
        ),
        other => other,
    })
}

/// Checks that the POS answers and accepts the stored credentials. CSV: that it is configured.
pub async fn test_connection<C: Writer + Clone + Send + Sync + 'static>(
    db: &C,
    live: &LiveSettings,
    principal: &Principal,
    integration_id: i64,
) -> ServiceResult<()> {
    let integration = integrations::get(db, principal, integration_id, Role::Manager).await?;
    if integration.provider == Provider::Csv {
        return integrations::csv_config(&integration).map(|_| ());
    }
    Connector::open(db, live, &integration)?.check().await
}

async fn integration_of<C: ConnectionTrait>(
    db: &C,
    job: &job_run::Model,
) -> ServiceResult<pos_integration::Model> {
    let id = job
        .integration_id
        .ok_or_else(|| ServiceError::Internal("the job names no integration".into()))?;
    pos_integration::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found(integrations::ENTITY))
}

/// Runs a SYNC_LOCATIONS job: new locations are added (not active, to be linked), known ones
/// get their current name and timezone. Locations the POS no longer lists are kept (their
/// history points at them) and marked unlisted (`synced = false`) until a sync finds them again.
pub async fn run_locations<C: Writer + Clone + Send + Sync + 'static>(
    db: &C,
    live: &LiveSettings,
    job: &job_run::Model,
) -> ServiceResult<String> {
    let integration = integration_of(db, job).await?;
    let what = if integration.provider == Provider::Sides {
        "stores"
    } else {
        "locations"
    };
    let remote = Connector::open(db, live, &integration)?.locations().await?;
    let provider = provider_name(integration.provider);
    let txn = crate::db::begin_write(db).await?;
    let known: BTreeMap<String, pos_location::Model> = pos_location::Entity::find()
        .filter(pos_location::Column::IntegrationId.eq(integration.id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|l| (l.external_id.clone(), l))
        .collect();
    // An empty list where there were locations is far likelier a lost permission or a POS
    // fault than every location closing at once: refused, so it cannot stop every transfer.
    if remote.is_empty() && known.values().any(|l| l.synced) {
        return Err(ServiceError::provider(
            provider,
            format!(
                "listed no {what} at all; nothing was changed (check the account's access at {provider})"
            ),
        ));
    }
    let now = Utc::now();
    let mut added = 0;
    for location in &remote {
        match known.get(&location.external_id) {
            Some(row) => {
                let mut model = row.clone().into_active_model();
                model.name = Set(location.name.clone());
                model.timezone = Set(location.timezone.clone());
                model.synced = Set(true);
                model.update(&txn).await?;
            }
            None => {
                added += 1;
                pos_location::ActiveModel {
                    company_id: Set(integration.company_id),
                    integration_id: Set(integration.id),
                    external_id: Set(location.external_id.clone()),
                    name: Set(location.name.clone()),
                    timezone: Set(location.timezone.clone()),
                    synced: Set(true),
                    active: Set(false),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
            }
        }
    }
    // One the POS no longer lists (closed, or taken off the account) keeps its setup and
    // history but is marked unlisted: it cannot be activated, items are not read for it and the
    // scheduler leaves it alone, until a sync finds it again.
    let listed: BTreeSet<&str> = remote.iter().map(|l| l.external_id.as_str()).collect();
    let mut unlisted = Vec::new();
    for row in known.values() {
        if row.synced && !listed.contains(row.external_id.as_str()) {
            unlisted.push(row.name.clone());
            let mut model = row.clone().into_active_model();
            model.synced = Set(false);
            model.update(&txn).await?;
        }
    }
    let mut model = integration.into_active_model();
    model.locations_synced_at = Set(Some(now));
    model.update(&txn).await?;
    txn.commit().await?;
    job_runs::progress(db, job.id, 1, 1, &format!("{what} synced")).await?;
    let mut message = format!(
        "{} {what} synced ({added} new); link each to a storage unit before activating it",
        remote.len()
    );
    if !unlisted.is_empty() {
        message.push_str(&format!(
            "; no longer listed by the POS: {}",
            unlisted.join(", ")
        ));
    }
    Ok(message)
}

/// Runs a SYNC_ITEMS job: the items of every synced location, merged by key, into the cache.
pub async fn run_items<C: Writer + Clone + Send + Sync + 'static>(
    db: &C,
    live: &LiveSettings,
    job: &job_run::Model,
) -> ServiceResult<Option<String>> {
    let integration = integration_of(db, job).await?;
    let locations = pos_location::Entity::find()
        .filter(pos_location::Column::IntegrationId.eq(integration.id))
        .filter(pos_location::Column::Synced.eq(true))
        .order_by_asc(pos_location::Column::Id)
        .all(db)
        .await?;
    if locations.is_empty() {
        return Err(ServiceError::validation(
            "integrationId",
            "no location is listed by the POS: sync the locations first (items are listed per location)",
        ));
    }
    let connector = Connector::open(db, live, &integration)?;
    let total = locations.len() as i64;
    let mut items: BTreeMap<String, RemoteItem> = BTreeMap::new();
    for (k, location) in locations.iter().enumerate() {
        for item in connector.items(&location.external_id).await? {
            items.entry(item.external_id.clone()).or_insert(item);
        }
        let message = format!("items of {} read", location.name);
        if !job_runs::progress(db, job.id, k as i64 + 1, total, &message).await? {
            return Ok(None);
        }
    }
    let now = Utc::now();
    let txn = crate::db::begin_write(db).await?;
    let rows: Vec<RemoteItem> = items.into_values().collect();
    for chunk in rows.chunks(300) {
        pos_item::Entity::insert_many(chunk.iter().map(|item| pos_item::ActiveModel {
            company_id: Set(integration.company_id),
            integration_id: Set(integration.id),
            external_id: Set(item.external_id.clone()),
            name: Set(item.name.clone()),
            category: Set(item.category.clone()),
            seen_at: Set(now),
            ..Default::default()
        }))
        .on_conflict(
            OnConflict::columns([
                pos_item::Column::IntegrationId,
                pos_item::Column::ExternalId,
            ])
            .update_columns([
                pos_item::Column::Name,
                pos_item::Column::Category,
                pos_item::Column::SeenAt,
            ])
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    }
    let mut model = integration.into_active_model();
    model.items_synced_at = Set(Some(now));
    model.update(&txn).await?;
    txn.commit().await?;
    Ok(Some(format!(
        "{} items synced from {total} locations; map them on the mapping page",
        rows.len()
    )))
}
