//! Incoming webhooks: `POST /webhooks/{integrationId}` with headers `X-Larder-Timestamp` (unix
//! seconds) and `X-Larder-Signature: v1=<hex HMAC-SHA256 of "timestamp.body">`. A valid event
//! queues the transfer of one location's business day; a wrong signature, a timestamp more than
//! five minutes off, or an event id seen before queues nothing and says why.

use crate::db::Writer;
use chrono::{DateTime, NaiveDate, Utc};
use entity::{job_run, pos_integration, pos_location, webhook_event};
use hmac::{Hmac, Mac};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::Deserialize;
use sha2::Sha256;

use super::locations;
use crate::business_days;
use crate::crypto::Cipher;
use crate::error::{ServiceError, ServiceResult};
use crate::job_runs::JobKind;

pub const TIMESTAMP_HEADER: &str = "X-Larder-Timestamp";
pub const SIGNATURE_HEADER: &str = "X-Larder-Signature";
pub const TOLERANCE_SECONDS: i64 = 300;

/// The event body.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportRequest {
    pub event_id: String,
    /// The location's id in the POS (as synced or created).
    pub location_external_id: String,
    pub business_date: NaiveDate,
}

fn mac(secret: &str, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

fn matches(secret: &str, timestamp: i64, body: &[u8], signature: &str) -> bool {
    let Some(given) = signature
        .trim()
        .strip_prefix("v1=")
        .and_then(|h| hex::decode(h).ok())
    else {
        return false;
    };
    mac(secret, timestamp, body).verify_slice(&given).is_ok() // constant time
}

/// Checks and accepts one event, queuing its transfer. Everything happens in one transaction:
/// a refused event leaves no trace, so the sender can fix and resend it.
pub async fn receive<C: Writer>(
    db: &C,
    cipher: &Cipher,
    integration_id: i64,
    timestamp: Option<&str>,
    signature: Option<&str>,
    body: &[u8],
    now: DateTime<Utc>,
) -> ServiceResult<job_run::Model> {
    let integration = pos_integration::Entity::find_by_id(integration_id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found(super::integrations::ENTITY))?;
    let (Some(timestamp), Some(signature)) = (timestamp, signature) else {
        return Err(ServiceError::Unauthenticated(format!(
            "the {TIMESTAMP_HEADER} and {SIGNATURE_HEADER} headers are required"
        )));
    };
    let ts: i64 = timestamp
        .trim()
        .parse()
        .map_err(|_| ServiceError::validation("timestamp", "the timestamp must be unix seconds"))?;
    let current = cipher.decrypt(&integration.webhook_secret_enc)?;
    let mut valid = matches(&current, ts, body, signature);
    if !valid
        && let (Some(previous), Some(until)) = (
            &integration.previous_webhook_secret_enc,
            integration.previous_secret_valid_until,
        )
        && until > now
    {
        valid = matches(&cipher.decrypt(previous)?, ts, body, signature);
    }
    if !valid {
        return Err(ServiceError::Unauthenticated(
            "the signature does not match this integration's webhook secret".into(),
        ));
    }
    // Checked after the signature, so a stranger learns nothing about timing.
    if (now.timestamp() - ts).abs() > TOLERANCE_SECONDS {
        return Err(ServiceError::validation(
            "timestamp",
            format!(
                "the event is stale: its timestamp is {} seconds from now (at most {TOLERANCE_SECONDS} allowed)",
                (now.timestamp() - ts).abs()
            ),
        ));
    }
    let event: ImportRequest = serde_json::from_slice(body).map_err(|e| {
        ServiceError::validation(
            "body",
            format!("expected {{\"eventId\", \"locationExternalId\", \"businessDate\"}}: {e}"),
        )
    })?;
    let event = &event;
    crate::db::retrying(|| async move {
        let txn = crate::db::begin_write(db).await?;
        let seen = webhook_event::Entity::find()
            .filter(webhook_event::Column::IntegrationId.eq(integration_id))
            .filter(webhook_event::Column::EventId.eq(event.event_id.as_str()))
            .one(&txn)
            .await?;
        if seen.is_some() {
            return Err(ServiceError::conflict(
                "eventId",
                format!(
                    "event {} was already received; it is not processed twice",
                    event.event_id
                ),
            ));
        }
        let location = pos_location::Entity::find()
            .filter(pos_location::Column::IntegrationId.eq(integration_id))
            .filter(pos_location::Column::ExternalId.eq(event.location_external_id.as_str()))
            .one(&txn)
            .await?
            .ok_or_else(|| ServiceError::not_found_at(locations::ENTITY, "locationExternalId"))?;
        if !location.active {
            return Err(ServiceError::validation(
                "locationExternalId",
                "the location is not active in Larder",
            ));
        }
        if !location.synced {
            return Err(ServiceError::validation(
                "locationExternalId",
                "the POS no longer lists this location in Larder; sync locations first",
            ));
        }
        let company = locations::company_of(&txn, location.company_id).await?;
        if event.business_date > business_days::last_completed(&company, now) {
            return Err(ServiceError::validation(
                "businessDate",
                format!("{} has not closed yet", event.business_date),
            ));
        }
        let job = locations::queue_days(
            &txn,
            None,
            &location,
            JobKind::AutomaticTransfer,
            vec![event.business_date],
            "transfer asked for by a webhook",
        )
        .await?;
        webhook_event::ActiveModel {
            integration_id: Set(integration_id),
            event_id: Set(event.event_id.clone()),
            received_at: Set(now),
            job_run_id: Set(Some(job.id)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        Ok(job)
    })
    .await
}
