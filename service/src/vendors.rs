//! Vendors: who stock is ordered from.

use chrono::Utc;
use entity::vendor::{self, Column};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::access::{Principal, Role};
use crate::error::{ServiceError, ServiceResult};
use crate::owned::{find_owned, name_matches};
use crate::validate;

pub const ENTITY: &str = "vendor";

#[derive(Debug, Clone, Default)]
pub struct VendorInput {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub notes: Option<String>,
    /// Days from ordering to delivery (0–90; default 1). None keeps the current one.
    pub lead_time_days: Option<i64>,
    /// ISO weekdays (Monday = 1) orders are placed on; empty: any day. None keeps them.
    pub order_weekdays: Option<Vec<i64>>,
    /// Some(None) clears the minimum; None keeps it.
    pub minimum_order_value: Option<Option<Decimal>>,
    /// The VAT id e-invoices name the vendor by (BT-31); Some(None) clears it, None keeps it.
    pub vat_id: Option<Option<String>>,
}

/// A VAT id as compared: upper case, without the spaces, dots and dashes people write in it
/// (`DE 123 456 789` is `DE123456789`).
pub fn normalized_vat_id(vat_id: &str) -> String {
    vat_id
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '.' | '-' | '/'))
        .flat_map(char::to_uppercase)
        .collect()
}

/// A VAT id as stored: a country's two letters and 2 to 13 letters or digits.
fn checked_vat_id(vat_id: Option<&str>) -> ServiceResult<Option<String>> {
    let Some(raw) = vat_id.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let id = normalized_vat_id(raw);
    let (country, rest) = id.split_at(id.len().min(2));
    let valid = country.chars().all(|c| c.is_ascii_uppercase())
        && country.len() == 2
        && (2..=13).contains(&rest.len())
        && rest.chars().all(|c| c.is_ascii_alphanumeric());
    if !valid {
        return Err(ServiceError::validation(
            "vatId",
            "a VAT id is a country code and 2 to 13 letters or digits, like DE123456789",
        ));
    }
    Ok(Some(id))
}

/// The longest lead time a vendor may have, in days.
pub const MAX_LEAD_TIME_DAYS: i64 = 90;

/// The ordering terms of `input`, over `current` where the input leaves them out.
struct Terms {
    lead_time_days: i64,
    order_weekdays: String,
    minimum_order_value_micro: Option<i64>,
}

fn terms(input: &VendorInput, current: Option<&vendor::Model>) -> ServiceResult<Terms> {
    let lead_time_days = match input.lead_time_days {
        Some(days) if !(0..=MAX_LEAD_TIME_DAYS).contains(&days) => {
            return Err(ServiceError::validation(
                "leadTimeDays",
                format!("must be between 0 and {MAX_LEAD_TIME_DAYS} days"),
            ));
        }
        Some(days) => days,
        None => current.map_or(1, |c| c.lead_time_days),
    };
    let order_weekdays = match &input.order_weekdays {
        Some(days) => {
            if let Some(bad) = days.iter().find(|d| !(1..=7).contains(*d)) {
                return Err(ServiceError::validation(
                    "orderWeekdays",
                    format!("{bad} is not a weekday: Monday is 1, Sunday 7"),
                ));
            }
            let mut days = days.clone();
            days.sort_unstable();
            days.dedup();
            days.iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",")
        }
        None => current
            .map(|c| c.order_weekdays.clone())
            .unwrap_or_default(),
    };
    let minimum_order_value_micro = match input.minimum_order_value {
        Some(Some(value)) => Some(validate::price("minimumOrderValue", value)?),
        Some(None) => None,
        None => current.and_then(|c| c.minimum_order_value_micro),
    };
    Ok(Terms {
        lead_time_days,
        order_weekdays,
        minimum_order_value_micro,
    })
}

/// Whether the vendor takes orders on business day `day` (any day when it names none).
pub fn takes_orders_on(vendor: &vendor::Model, day: chrono::NaiveDate) -> bool {
    use chrono::Datelike;
    let days = order_weekdays(vendor);
    days.is_empty() || days.contains(&day.weekday().number_from_monday())
}

/// The ISO weekdays (Monday = 1) a vendor takes orders on; empty: any day.
pub fn order_weekdays(vendor: &vendor::Model) -> Vec<u32> {
    vendor
        .order_weekdays
        .split(',')
        .filter_map(|d| d.trim().parse().ok())
        .collect()
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
    let terms = terms(&input, None)?;
    Ok(vendor::ActiveModel {
        company_id: Set(company_id),
        name: Set(name),
        email: Set(checked_email(input.email.as_deref())?),
        phone: Set(validate::optional("phone", input.phone.as_deref())?),
        notes: Set(validate::optional("notes", input.notes.as_deref())?),
        lead_time_days: Set(terms.lead_time_days),
        order_weekdays: Set(terms.order_weekdays),
        minimum_order_value_micro: Set(terms.minimum_order_value_micro),
        vat_id: Set(checked_vat_id(input.vat_id.flatten().as_deref())?),
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

/// Replaces the vendor's fields with `input` (the form sends them all); ordering terms left
/// out stay as they are.
pub async fn update<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
    input: VendorInput,
) -> ServiceResult<vendor::Model> {
    let current = find_owned::<vendor::Entity, _>(db, principal, id, Role::Manager, ENTITY).await?;
    let name = validate::name("name", &input.name)?;
    ensure_unique(db, current.company_id, &name, Some(id)).await?;
    let terms = terms(&input, Some(&current))?;
    let mut active: vendor::ActiveModel = current.into();
    active.name = Set(name);
    active.email = Set(checked_email(input.email.as_deref())?);
    active.phone = Set(validate::optional("phone", input.phone.as_deref())?);
    active.notes = Set(validate::optional("notes", input.notes.as_deref())?);
    active.lead_time_days = Set(terms.lead_time_days);
    active.order_weekdays = Set(terms.order_weekdays);
    active.minimum_order_value_micro = Set(terms.minimum_order_value_micro);
    if let Some(vat_id) = input.vat_id {
        active.vat_id = Set(checked_vat_id(vat_id.as_deref())?);
    }
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
