//! Stock operations a person posts: receipts, issues, waste, transfers, reversals. Each is one
//! write transaction; each checks role, company and units before writing anything.

use crate::db::Writer;
use chrono::{DateTime, Utc};
use entity::{ingredient, ledger_entry, storage_unit};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::access::{Principal, Role};
use crate::error::{ServiceError, ServiceResult};
use crate::ingredients::{self, QuantityFields, QuantityUnit, Sign};
use crate::ledger::posting::{self, NewEntry};
use crate::ledger::{SourceKind, TransactionType, to_micros};
use crate::owned::find_owned_with;
use crate::quantity::{SCALE, to_micro};

/// Waste reasons (DESIGN.md invariant 8); anything else is "Other: <text>".
pub const WASTE_REASONS: [&str; 9] = [
    "Spoiled",
    "Damaged",
    "Expired",
    "Preparation loss",
    "Comps",
    "Staff meal",
    "Customer return",
    "Spillage",
    "Over-portioned",
];

/// A quantity of one ingredient in one storage unit, as a person enters it.
#[derive(Debug, Clone)]
pub struct Movement {
    pub storage_unit_id: i64,
    pub ingredient_id: i64,
    pub quantity: Decimal,
    pub unit: Option<QuantityUnit>,
    pub occurred_at: Option<DateTime<Utc>>,
}

/// A movement checked against the caller and converted to base-unit millionths.
struct Checked {
    company_id: i64,
    ingredient: ingredient::Model,
    storage_unit_id: i64,
    quantity_micro: i64,
    occurred_at: i64,
    at_posting: bool,
}

async fn check<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    m: &Movement,
    min: Role,
    field: &str,
) -> ServiceResult<Checked> {
    let (ingredient, storage) = find_owned_with::<ingredient::Entity, storage_unit::Entity, _>(
        db,
        principal,
        m.ingredient_id,
        min,
        "ingredient",
        m.storage_unit_id,
        "storage unit",
        &format!("{field}storageUnitId"),
    )
    .await?;
    if storage.archived_at.is_some() {
        return Err(ServiceError::validation(
            format!("{field}storageUnitId"),
            "this storage unit is archived",
        ));
    }
    let quantity_micro = ingredients::entered_quantity(
        db,
        &ingredient,
        m.quantity,
        m.unit.clone(),
        Sign::Positive,
        &QuantityFields::at(field, "quantity"),
    )
    .await?;
    let occurred_at = crate::ledger::business_time(m.occurred_at, &format!("{field}occurredAt"))?;
    Ok(Checked {
        company_id: ingredient.company_id,
        ingredient,
        storage_unit_id: m.storage_unit_id,
        quantity_micro,
        occurred_at: to_micros(occurred_at),
        at_posting: m.occurred_at.is_none(),
    })
}

fn entry(
    c: &Checked,
    kind: TransactionType,
    signed_quantity: i64,
    principal: &Principal,
) -> NewEntry {
    let mut e = NewEntry::new(
        c.company_id,
        c.ingredient.id,
        c.storage_unit_id,
        kind,
        signed_quantity,
        c.occurred_at,
    );
    e.at_posting = c.at_posting;
    e.created_by = Some(principal.acting_user_id());
    e
}

/// Posts one entry in a transaction of its own; a reversal at most once per original.
async fn post_one<C: Writer>(db: &C, e: NewEntry) -> ServiceResult<ledger_entry::Model> {
    let e = &e;
    let mut posted = crate::db::retrying(|| async move {
        let txn = crate::db::begin_write(db).await?;
        if let Some(original) = e.reversal_of {
            refuse_second_reversal(&txn, e, original).await?;
        }
        let posted = posting::post(&txn, vec![e.clone()]).await?;
        txn.commit().await?;
        Ok(posted)
    })
    .await?;
    posted
        .pop()
        .ok_or_else(|| ServiceError::Internal("nothing posted".into()))
}

/// Asked under the pair's lock: two managers reversing the same entry at once are serialised
/// here, and the second finds the first's reversal.
async fn refuse_second_reversal<C: ConnectionTrait>(
    txn: &C,
    reversal: &NewEntry,
    original: i64,
) -> ServiceResult<()> {
    crate::ledger::locks::lock_ahead(
        txn,
        &[crate::ledger::locks::Planned {
            pair: (reversal.ingredient_id, reversal.storage_unit_id),
            company_id: reversal.company_id,
            occurred_at: reversal.occurred_at,
            receives_transfer: false,
            lands_last: false,
        }],
    )
    .await?;
    let already = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::ReversalOf.eq(original))
        .one(txn)
        .await?;
    match already {
        Some(_) => Err(ServiceError::conflict(
            "entryId",
            "this entry was already reversed",
        )),
        None => Ok(()),
    }
}

/// A receipt without an order (opening stock, a market purchase). `unit_cost` is the price of
/// one entered unit (a box when entered in boxes); the ledger keeps it per base unit.
pub async fn post_receipt<C: Writer>(
    db: &C,
    principal: &Principal,
    m: Movement,
    unit_cost: Decimal,
    note: Option<String>,
) -> ServiceResult<ledger_entry::Model> {
    let c = check(db, principal, &m, Role::Staff, "").await?;
    if unit_cost < Decimal::ZERO {
        return Err(ServiceError::validation("unitCost", "must not be negative"));
    }
    // Price per entered unit × entered quantity = what was paid; per base unit from there.
    to_micro(unit_cost, "unitCost")?;
    let paid = crate::quantity::checked_product(unit_cost, m.quantity, "unitCost")?;
    let per_base = (paid / (Decimal::new(c.quantity_micro, SCALE))).round_dp(SCALE);
    let mut e = entry(&c, TransactionType::Receipt, c.quantity_micro, principal);
    e.input_cost_micro = Some(to_micro(per_base, "unitCost")?);
    e.source_kind = SourceKind::DirectReceipt;
    e.note = crate::validate::optional("note", note.as_deref())?;
    post_one(db, e).await
}

/// A manual issue (consumed outside the POS).
pub async fn post_issue<C: Writer>(
    db: &C,
    principal: &Principal,
    m: Movement,
    note: Option<String>,
) -> ServiceResult<ledger_entry::Model> {
    let c = check(db, principal, &m, Role::Staff, "").await?;
    let mut e = entry(&c, TransactionType::Issue, -c.quantity_micro, principal);
    e.source_kind = SourceKind::ManualIssue;
    e.note = crate::validate::optional("note", note.as_deref())?;
    post_one(db, e).await
}

/// Checks a waste reason: one of the list, or "Other: <text>".
pub fn waste_reason(reason: &str, field: &str) -> ServiceResult<String> {
    let reason = reason.trim();
    if let Some(known) = WASTE_REASONS
        .iter()
        .find(|r| r.eq_ignore_ascii_case(reason))
    {
        return Ok(known.to_string());
    }
    match reason.split_once(':') {
        Some((other, text))
            if other.trim().eq_ignore_ascii_case("other") && !text.trim().is_empty() =>
        {
            Ok(format!(
                "Other: {}",
                crate::validate::bounded(field, text.trim(), 200)?
            ))
        }
        _ => Err(ServiceError::validation(
            field,
            format!(
                "give one of {} or \"Other: <what happened>\"",
                WASTE_REASONS.join(", ")
            ),
        )),
    }
}

pub struct WasteLine {
    pub movement: Movement,
    pub reason: String,
}

/// Waste of one or many lines: all are posted, or none (the first bad line names itself).
pub async fn post_waste<C: Writer>(
    db: &C,
    principal: &Principal,
    lines: Vec<WasteLine>,
) -> ServiceResult<Vec<ledger_entry::Model>> {
    if lines.is_empty() {
        return Err(ServiceError::validation("lines", "give at least one line"));
    }
    let bulk = lines.len() > 1;
    let mut entries = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let prefix = if bulk {
            format!("lines[{i}].")
        } else {
            String::new()
        };
        let reason_field = if bulk {
            format!("lines[{i}].reason")
        } else {
            "reason".to_string()
        };
        let reason = waste_reason(&line.reason, &reason_field)?;
        let c = check(db, principal, &line.movement, Role::Staff, &prefix).await?;
        let mut e = entry(&c, TransactionType::Waste, -c.quantity_micro, principal);
        e.source_kind = SourceKind::Waste;
        e.reason = Some(reason);
        entries.push(e);
    }
    let entries = &entries;
    crate::db::retrying(|| async move {
        let txn = crate::db::begin_write(db).await?;
        let posted = posting::post(&txn, entries.clone()).await?;
        txn.commit().await?;
        Ok(posted)
    })
    .await
}

/// Moves stock between two storage units at once (shipped and received): TRANSFER_OUT at the
/// source's average cost, TRANSFER_IN at the same cost — a transfer like any other
/// ([`crate::transfers::transfer_now`]), across companies when the caller staffs both.
pub async fn transfer_stock<C: Writer>(
    db: &C,
    principal: &Principal,
    from: Movement,
    to_storage_unit_id: i64,
) -> ServiceResult<(ledger_entry::Model, ledger_entry::Model)> {
    let line = crate::transfers::TransferLineInput {
        ingredient_id: from.ingredient_id,
        quantity: from.quantity,
        unit: from.unit,
        lot_number: None,
        expiry_date: None,
    };
    crate::transfers::transfer_now(
        db,
        principal,
        from.storage_unit_id,
        to_storage_unit_id,
        line,
        from.occurred_at,
    )
    .await
}

/// Reverses an entry with an opposite one at the same time and cost (managers). Transfers are
/// reversed by transferring back; an entry is reversed at most once.
pub async fn reverse_entry<C: Writer>(
    db: &C,
    principal: &Principal,
    entry_id: i64,
    note: Option<String>,
) -> ServiceResult<ledger_entry::Model> {
    let original = ledger_entry::Entity::find_by_id(entry_id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found("ledger entry"))?;
    principal.require(original.company_id, Role::Manager, "ledger entry")?;
    let kind = original.transaction_type;
    if matches!(
        kind,
        TransactionType::TransferIn | TransactionType::TransferOut
    ) {
        return Err(ServiceError::validation(
            "entryId",
            "a transfer is undone by transferring the stock back, not by reversing one side",
        ));
    }
    if original.reversal_of.is_some() {
        return Err(ServiceError::validation(
            "entryId",
            "this entry is itself a reversal",
        ));
    }
    let mut e = NewEntry::new(
        original.company_id,
        original.ingredient_id,
        original.storage_unit_id,
        kind,
        -original.quantity_micro,
        original.occurred_at,
    );
    e.input_cost_micro = original.input_cost_micro.or(original.unit_cost_micro);
    e.source_kind = SourceKind::Reversal;
    e.source_id = Some(original.id.to_string());
    e.reversal_of = Some(original.id);
    e.reason = original.reason.clone();
    e.note = crate::validate::optional("note", note.as_deref())?;
    e.created_by = Some(principal.acting_user_id());
    post_one(db, e).await
}

#[cfg(test)]
mod tests {
    use super::waste_reason;

    #[test]
    fn a_waste_reason_is_one_of_the_list_in_its_own_spelling() {
        assert_eq!(waste_reason("  spoiled ", "reason").unwrap(), "Spoiled");
        assert_eq!(
            waste_reason("PREPARATION LOSS", "reason").unwrap(),
            "Preparation loss"
        );
    }

    #[test]
    fn any_other_waste_is_other_with_what_happened() {
        assert_eq!(
            waste_reason("other:  dropped the tray ", "reason").unwrap(),
            "Other: dropped the tray"
        );
        for refused in ["Other:", "other:   ", "burnt", ""] {
            let err = waste_reason(refused, "lines[3].reason").unwrap_err();
            assert_eq!(err.field(), Some("lines[3].reason"), "{refused:?}");
        }
        let long = format!("Other: {}", "x".repeat(201));
        assert!(waste_reason(&long, "reason").is_err(), "bounded");
    }
}
