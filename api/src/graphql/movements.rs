//! Stock movements a person posts over GraphQL: receipts, issues, waste (one or many lines),
//! transfers in one step and reversals. Each resolver translates and calls one service function.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use service::ServiceError;
use service::ingredients::QuantityUnit;
use service::movements;

use super::context::{ContextExt, parse_id, parse_opt_id};
use super::errors::{GqlResult, internal};
use super::scalars::Unit;

use super::ledger::LedgerEntry;

#[derive(InputObject)]
pub struct MovementInput {
    pub storage_unit_id: ID,
    pub ingredient_id: ID,
    /// In `unit`, or in the packaging level, or else in the ingredient's base unit.
    pub quantity: Decimal,
    pub unit: Option<Unit>,
    pub packaging_level_id: Option<ID>,
    /// Business time; default now. Earlier than later entries is fine (back-filled).
    pub occurred_at: Option<DateTime<Utc>>,
}

/// The fields of a `MovementInput`, as the service names them in its errors.
const MOVEMENT_FIELDS: &[&str] = &[
    "storageUnitId",
    "ingredientId",
    "quantity",
    "unit",
    "packagingLevelId",
    "occurredAt",
];

/// A service error about a movement given as `input: MovementInput`, placed inside `input`.
fn in_input(e: ServiceError) -> ServiceError {
    e.nested("input.", MOVEMENT_FIELDS)
}

impl MovementInput {
    fn into_service(self, prefix: &str) -> async_graphql::Result<movements::Movement> {
        let unit = match (
            parse_opt_id(
                &self.packaging_level_id,
                "packaging level",
                &format!("{prefix}packagingLevelId"),
            )?,
            self.unit,
        ) {
            (Some(level), _) => Some(QuantityUnit::PackagingLevel(level)),
            (None, Some(unit)) => Some(QuantityUnit::Unit(unit.into())),
            (None, None) => None,
        };
        Ok(movements::Movement {
            storage_unit_id: parse_id(
                &self.storage_unit_id,
                "storage unit",
                &format!("{prefix}storageUnitId"),
            )?,
            ingredient_id: parse_id(
                &self.ingredient_id,
                "ingredient",
                &format!("{prefix}ingredientId"),
            )?,
            quantity: self.quantity,
            unit,
            occurred_at: self.occurred_at,
        })
    }
}

#[derive(InputObject)]
pub struct WasteLineInput {
    pub input: MovementInput,
    /// Spoiled, Damaged, Expired, Preparation loss, Comps, Staff meal, Customer return, Spillage,
    /// Over-portioned, or "Other: <text>".
    pub reason: String,
}

#[derive(Default)]
pub struct LedgerMutation;

#[Object]
impl LedgerMutation {
    /// Stock received without an order. `unitCost` is the price of one entered unit.
    async fn post_receipt(
        &self,
        ctx: &Context<'_>,
        input: MovementInput,
        unit_cost: Decimal,
        note: Option<String>,
    ) -> async_graphql::Result<LedgerEntry> {
        let m = input.into_service("input.")?;
        Ok(LedgerEntry(
            movements::post_receipt(ctx.db(), ctx.principal()?, m, unit_cost, note)
                .await
                .map_err(in_input)
                .gql()?,
        ))
    }

    async fn post_issue(
        &self,
        ctx: &Context<'_>,
        input: MovementInput,
        note: Option<String>,
    ) -> async_graphql::Result<LedgerEntry> {
        let m = input.into_service("input.")?;
        Ok(LedgerEntry(
            movements::post_issue(ctx.db(), ctx.principal()?, m, note)
                .await
                .map_err(in_input)
                .gql()?,
        ))
    }

    async fn post_waste(
        &self,
        ctx: &Context<'_>,
        input: MovementInput,
        reason: String,
    ) -> async_graphql::Result<LedgerEntry> {
        let line = movements::WasteLine {
            movement: input.into_service("input.")?,
            reason,
        };
        let mut posted = movements::post_waste(ctx.db(), ctx.principal()?, vec![line])
            .await
            .map_err(in_input)
            .gql()?;
        posted
            .pop()
            .map(LedgerEntry)
            .ok_or_else(|| internal("nothing posted"))
    }

    /// Many waste lines at once: all are posted or none.
    async fn post_bulk_waste(
        &self,
        ctx: &Context<'_>,
        lines: Vec<WasteLineInput>,
    ) -> async_graphql::Result<Vec<LedgerEntry>> {
        let lines = lines
            .into_iter()
            .enumerate()
            .map(|(i, l)| {
                Ok(movements::WasteLine {
                    movement: l.input.into_service(&format!("lines[{i}]."))?,
                    reason: l.reason,
                })
            })
            .collect::<async_graphql::Result<Vec<_>>>()?;
        let posted = movements::post_waste(ctx.db(), ctx.principal()?, lines)
            .await
            .gql()?;
        Ok(posted.into_iter().map(LedgerEntry).collect())
    }

    /// Ships and receives at once: [TRANSFER_OUT, TRANSFER_IN] at the source's average cost.
    #[allow(clippy::too_many_arguments)]
    async fn transfer_stock(
        &self,
        ctx: &Context<'_>,
        from_storage_unit_id: ID,
        to_storage_unit_id: ID,
        ingredient_id: ID,
        quantity: Decimal,
        unit: Option<Unit>,
        occurred_at: Option<DateTime<Utc>>,
    ) -> async_graphql::Result<Vec<LedgerEntry>> {
        let m = movements::Movement {
            storage_unit_id: parse_id(&from_storage_unit_id, "storage unit", "fromStorageUnitId")?,
            ingredient_id: parse_id(&ingredient_id, "ingredient", "ingredientId")?,
            quantity,
            unit: unit.map(|u| QuantityUnit::Unit(u.into())),
            occurred_at,
        };
        let to = parse_id(&to_storage_unit_id, "storage unit", "toStorageUnitId")?;
        let (out, inn) = movements::transfer_stock(ctx.db(), ctx.principal()?, m, to)
            .await
            .gql()?;
        Ok(vec![LedgerEntry(out), LedgerEntry(inn)])
    }

    /// A new opposite entry at the same time and cost (managers).
    async fn reverse_entry(
        &self,
        ctx: &Context<'_>,
        entry_id: ID,
        note: Option<String>,
    ) -> async_graphql::Result<LedgerEntry> {
        let id = parse_id(&entry_id, "ledger entry", "entryId")?;
        Ok(LedgerEntry(
            movements::reverse_entry(ctx.db(), ctx.principal()?, id, note)
                .await
                .gql()?,
        ))
    }
}
