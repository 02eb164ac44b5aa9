//! The inventory report (DESIGN.md): for a period and filters, each (ingredient, storage unit)'s
//! opening and closing quantity and value, with receipts, issues, waste, adjustments and
//! transfers in and out between them.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use entity::{ingredient, stock_balance, storage_unit};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::costing::value_of;
use super::{TransactionType, reading, to_micros};
use crate::access::Principal;
use crate::business_days;
use crate::error::{ServiceError, ServiceResult};
use crate::quantity::{exact_sum_sql, join_sum};

#[derive(Debug, Clone, Default)]
pub struct ReportFilter {
    pub ingredient_ids: Option<Vec<i64>>,
    pub storage_unit_ids: Option<Vec<i64>>,
    /// Only the ingredients this recipe expands into.
    pub recipe_id: Option<i64>,
    /// Only rows with a movement of one of these types in the period.
    pub types: Option<Vec<TransactionType>>,
    /// Only rows with any movement in the period.
    pub active_only: bool,
}

/// Quantity and value, in millionths: sums over a period, so wider than one entry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Amount {
    pub quantity: i128,
    pub value: i128,
}

impl Amount {
    /// What a balance holds, valued at its average cost.
    pub fn held(balance: reading::BalanceAt) -> Self {
        Self {
            quantity: balance.quantity_micro.into(),
            value: value_of(
                balance.quantity_micro,
                balance.average_cost_micro.unwrap_or(0),
            )
            .into(),
        }
    }
}

impl std::ops::AddAssign for Amount {
    fn add_assign(&mut self, o: Self) {
        self.quantity += o.quantity;
        self.value += o.value;
    }
}

impl std::ops::Add for Amount {
    type Output = Self;
    fn add(mut self, o: Self) -> Self {
        self += o;
        self
    }
}

impl std::ops::Sub for Amount {
    type Output = Self;
    fn sub(self, o: Self) -> Self {
        self + -o
    }
}

impl std::ops::Neg for Amount {
    type Output = Self;
    fn neg(self) -> Self {
        Self {
            quantity: -self.quantity,
            value: -self.value,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ReportRow {
    pub ingredient: Option<ingredient::Model>,
    pub storage_unit: Option<storage_unit::Model>,
    pub opening: Amount,
    pub receipts: Amount,
    pub issues: Amount,
    pub waste: Amount,
    pub adjustments: Amount,
    pub transfers_in: Amount,
    pub transfers_out: Amount,
    pub closing: Amount,
}

impl ReportRow {
    fn add(&mut self, kind: TransactionType, a: Amount) {
        let slot = match kind {
            TransactionType::Receipt => &mut self.receipts,
            TransactionType::Issue => &mut self.issues,
            TransactionType::Waste => &mut self.waste,
            TransactionType::Adjust => &mut self.adjustments,
            TransactionType::TransferIn => &mut self.transfers_in,
            TransactionType::TransferOut => &mut self.transfers_out,
        };
        *slot += a;
    }
}

pub struct Report {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub rows: Vec<ReportRow>,
    pub totals: ReportRow,
}

pub async fn inventory_report<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    filter: &ReportFilter,
) -> ServiceResult<Report> {
    let company = crate::companies::get(db, principal, company_id).await?;
    // A period is both ends or neither (yesterday's business day): half of one is refused,
    // not guessed.
    let (from, to) = match (from, to) {
        (Some(from), Some(to)) => (from, to),
        (None, None) => business_days::bounds(
            &company,
            business_days::last_completed(&company, Utc::now()),
        ),
        _ => {
            return Err(ServiceError::validation(
                "to",
                "give both from and to, or neither for yesterday",
            ));
        }
    };
    if to <= from {
        return Err(ServiceError::validation(
            "to",
            "the period must end after it starts",
        ));
    }
    let ingredients: HashMap<i64, ingredient::Model> =
        crate::owned::company_records(db, ingredient::Column::CompanyId, company_id).await?;
    let units: HashMap<i64, storage_unit::Model> =
        crate::owned::company_records(db, storage_unit::Column::CompanyId, company_id).await?;
    let recipe_ingredients: Option<HashSet<i64>> = match filter.recipe_id {
        None => None,
        Some(recipe) => {
            crate::owned::find_in_company::<entity::recipe::Entity, _>(
                db, company_id, recipe, "recipe", "recipeId",
            )
            .await?;
            let book = crate::recipes::RecipeBook::load(db, company_id).await?;
            Some(
                std::sync::Arc::new(book)
                    .expand_off_thread(recipe)
                    .await?
                    .into_iter()
                    .map(|l| l.ingredient_id)
                    .collect(),
            )
        }
    };
    let keep = |ingredient: i64, storage: i64| {
        filter
            .ingredient_ids
            .as_ref()
            .is_none_or(|ids| ids.contains(&ingredient))
            && filter
                .storage_unit_ids
                .as_ref()
                .is_none_or(|ids| ids.contains(&storage))
            && recipe_ingredients
                .as_ref()
                .is_none_or(|ids| ids.contains(&ingredient))
    };
    let pairs: Vec<stock_balance::Model> = stock_balance::Entity::find()
        .filter(stock_balance::Column::CompanyId.eq(company_id))
        .all(db)
        .await?
        .into_iter()
        .filter(|b| keep(b.ingredient_id, b.storage_unit_id))
        .collect();

    // Movements in the period, summed per pair and type in one query.
    let (f, t) = (to_micros(from), to_micros(to));
    let [quantity_high, quantity_low] = exact_sum_sql(db.get_database_backend(), "quantity_micro");
    let [value_high, value_low] = exact_sum_sql(db.get_database_backend(), "value_micro");
    let sums = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!(
                "SELECT ingredient_id, storage_unit_id, transaction_type, \
                 {quantity_high}, {quantity_low}, {value_high}, {value_low} \
                 FROM ledger_entries WHERE company_id = {company_id} AND occurred_at >= {f} AND occurred_at < {t} \
                 GROUP BY ingredient_id, storage_unit_id, transaction_type"
            ),
        ))
        .await?;
    let mut moved: BTreeMap<(i64, i64), Vec<(TransactionType, Amount)>> = BTreeMap::new();
    for row in sums {
        let pair = (
            row.try_get_by_index::<i64>(0)?,
            row.try_get_by_index::<i64>(1)?,
        );
        let kind = row.try_get_by_index::<TransactionType>(2)?;
        let part = |k: usize| row.try_get_by_index::<i64>(k);
        let amount = Amount {
            quantity: join_sum(part(3)?, part(4)?),
            value: join_sum(part(5)?, part(6)?),
        };
        moved.entry(pair).or_default().push((kind, amount));
    }

    let opening = reading::balances_at(db, company_id, None, f - 1).await?;
    let closing = reading::balances_at(db, company_id, None, t - 1).await?;
    let mut rows = Vec::new();
    let mut totals = ReportRow::default();
    for b in pairs {
        let pair = (b.ingredient_id, b.storage_unit_id);
        let movements = moved.remove(&pair).unwrap_or_default();
        if filter.active_only && movements.is_empty() {
            continue;
        }
        if let Some(types) = &filter.types
            && !movements.iter().any(|(k, _)| types.contains(k))
        {
            continue;
        }
        let open = opening.get(&pair).copied().unwrap_or_default();
        let close = closing.get(&pair).copied().unwrap_or_default();
        let mut row = ReportRow {
            ingredient: ingredients.get(&pair.0).cloned(),
            storage_unit: units.get(&pair.1).cloned(),
            opening: Amount::held(open),
            closing: Amount::held(close),
            ..Default::default()
        };
        for (kind, amount) in movements {
            row.add(kind, amount);
            totals.add(kind, amount);
        }
        totals.opening += row.opening;
        totals.closing += row.closing;
        rows.push(row);
    }
    rows.sort_by(|a, b| {
        let name = |r: &ReportRow| {
            (
                r.ingredient.as_ref().map(|i| i.name.to_lowercase()),
                r.storage_unit.as_ref().map(|s| s.name.to_lowercase()),
            )
        };
        name(a).cmp(&name(b))
    });
    Ok(Report {
        from,
        to,
        rows,
        totals,
    })
}
