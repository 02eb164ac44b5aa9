//! Companies: the tenants. Every other row carries a `company_id`.

use crate::db::Writer;
use chrono::Utc;
use entity::company;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};

use crate::access::{Principal, Role};
use crate::error::{ServiceError, ServiceResult};
use crate::validate;

#[derive(Debug, Clone)]
pub struct CompanyInput {
    pub name: String,
    pub currency: String,
    pub timezone: String,
    pub business_day_start_hour: i32,
}

pub(crate) fn validated(input: CompanyInput, name_field: &str) -> ServiceResult<CompanyInput> {
    Ok(CompanyInput {
        name: validate::name(name_field, &input.name)?,
        currency: validate::currency("currency", &input.currency)?,
        timezone: validate::timezone("timezone", &input.timezone)?,
        business_day_start_hour: validate::business_day_start_hour(
            "businessDayStartHour",
            input.business_day_start_hour,
        )?,
    })
}

pub(crate) async fn insert<C: ConnectionTrait>(
    db: &C,
    input: CompanyInput,
) -> ServiceResult<company::Model> {
    Ok(company::ActiveModel {
        name: Set(input.name),
        currency: Set(input.currency),
        timezone: Set(input.timezone),
        business_day_start_hour: Set(input.business_day_start_hour),
        sales_vat_percent_micro: Set(0),
        price_alert_percent_micro: Set(DEFAULT_PRICE_ALERT_PERCENT * 1_000_000),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// A signed-in user opens another company (a second restaurant) and owns it.
pub async fn create<C: Writer>(
    db: &C,
    principal: &Principal,
    input: CompanyInput,
) -> ServiceResult<company::Model> {
    let user_id = principal.require_user()?;
    let input = &validated(input, "name")?;
    crate::db::retrying(|| async move {
        let txn = crate::db::begin_write(db).await?;
        let company = insert(&txn, input.clone()).await?;
        crate::memberships::insert_membership(&txn, user_id, company.id, Role::Owner).await?;
        txn.commit().await?;
        Ok(company)
    })
    .await
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
) -> ServiceResult<company::Model> {
    principal.require_read(id, "company")?;
    company::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|c| c.archived_at.is_none())
        .ok_or_else(|| ServiceError::not_found("company"))
}

/// A receipt whose unit cost moves this many percent from the previous one is a price change,
/// until the company says otherwise.
pub const DEFAULT_PRICE_ALERT_PERCENT: i64 = 5;
/// The most VAT a sales value can include.
pub const MAX_VAT_PERCENT: i64 = 100;
/// The largest price move a company can ask to be told about.
pub const MAX_PRICE_ALERT_PERCENT: i64 = 1000;

#[derive(Debug, Clone, Default)]
pub struct CompanyPatch {
    pub name: Option<String>,
    pub currency: Option<String>,
    pub timezone: Option<String>,
    pub business_day_start_hour: Option<i32>,
    pub sales_vat_percent: Option<rust_decimal::Decimal>,
    pub price_alert_percent: Option<rust_decimal::Decimal>,
    /// Staff count without seeing the books.
    pub blind_counts: Option<bool>,
}

pub async fn update<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
    patch: CompanyPatch,
) -> ServiceResult<company::Model> {
    principal.require(id, Role::Owner, "company")?;
    let current = get(db, principal, id).await?;
    let input = validated(
        CompanyInput {
            name: patch.name.unwrap_or(current.name.clone()),
            currency: patch.currency.unwrap_or(current.currency.clone()),
            timezone: patch.timezone.unwrap_or(current.timezone.clone()),
            business_day_start_hour: patch
                .business_day_start_hour
                .unwrap_or(current.business_day_start_hour),
        },
        "name",
    )?;
    let vat = patch
        .sales_vat_percent
        .map(|v| validate::percent("salesVatPercent", v, MAX_VAT_PERCENT))
        .transpose()?;
    let alert = patch
        .price_alert_percent
        .map(|v| validate::percent("priceAlertPercent", v, MAX_PRICE_ALERT_PERCENT))
        .transpose()?;
    let mut active: company::ActiveModel = current.into();
    if let Some(vat) = vat {
        active.sales_vat_percent_micro = Set(vat);
    }
    if let Some(alert) = alert {
        active.price_alert_percent_micro = Set(alert);
    }
    if let Some(blind) = patch.blind_counts {
        active.blind_counts = Set(blind);
    }
    active.name = Set(input.name);
    active.currency = Set(input.currency);
    active.timezone = Set(input.timezone);
    active.business_day_start_hour = Set(input.business_day_start_hour);
    Ok(active.update(db).await?)
}

/// Archiving hides a company from its members' lists; its rows stay for the books.
pub async fn archive<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
) -> ServiceResult<company::Model> {
    principal.require(id, Role::Owner, "company")?;
    let current = get(db, principal, id).await?;
    let mut active: company::ActiveModel = current.into();
    active.archived_at = Set(Some(Utc::now()));
    Ok(active.update(db).await?)
}
