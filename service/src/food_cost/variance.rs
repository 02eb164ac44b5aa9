//! Actual vs theoretical usage (DESIGN.md, "Food cost"): for a storage unit (or all) and a period
//! (from, to], per ingredient and storage unit, what the POS says was used, what was wasted or
//! issued otherwise, and what the counts found missing — all from the period's ledger entries,
//! summed in one aggregate query.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use entity::{stock_balance, stock_count, stock_count_line};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveEnum, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Statement,
};

use crate::access::Principal;
use crate::error::ServiceResult;
use crate::ledger::report::Amount;
use crate::ledger::{SourceKind, TransactionType, reading, to_micros};
use crate::quantity::{SCALE, exact_sum_sql, from_micro, join_sum};
use crate::stock_counts::CountStatus;

/// One ingredient in one storage unit over the period. Usage amounts are positive when stock
/// left (`unexplained` > 0: the count found less than the books).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VarianceRow {
    pub ingredient_id: Option<i64>,
    pub storage_unit_id: Option<i64>,
    pub counted_at_start: bool,
    pub counted_at_end: bool,
    pub opening: Amount,
    pub receipts: Amount,
    pub transfers_in: Amount,
    pub transfers_out: Amount,
    pub closing: Amount,
    pub theoretical: Amount,
    pub waste: Amount,
    pub other_issues: Amount,
    pub unexplained: Amount,
}

impl VarianceRow {
    /// Theoretical + waste + other issues + unexplained, which equals opening + receipts +
    /// transfers in − transfers out − closing in quantity (the ledger's running balance).
    pub fn actual(&self) -> Amount {
        self.theoretical + self.waste + self.other_issues + self.unexplained
    }

    pub fn variance(&self) -> Amount {
        self.actual() - self.theoretical
    }

    /// Variance value ÷ theoretical value × 100; none without theoretical usage.
    pub fn variance_percent(&self) -> Option<Decimal> {
        let theoretical = from_micro(self.theoretical.value);
        (!theoretical.is_zero()).then(|| {
            (from_micro(self.variance().value) * Decimal::ONE_HUNDRED / theoretical)
                .round_dp(SCALE)
                .normalize()
        })
    }

    fn moved(&self) -> bool {
        [
            self.opening,
            self.receipts,
            self.transfers_in,
            self.transfers_out,
            self.closing,
            self.theoretical,
            self.waste,
            self.other_issues,
            self.unexplained,
        ]
        .iter()
        .any(|a| *a != Amount::default())
    }

    /// Files the period's sum of one kind of entry (signed as posted) under its heading.
    fn add(&mut self, kind: TransactionType, from_pos: bool, sum: Amount) {
        match kind {
            TransactionType::Receipt => self.receipts += sum,
            TransactionType::TransferIn => self.transfers_in += sum,
            TransactionType::TransferOut => self.transfers_out += -sum,
            TransactionType::Issue if from_pos => self.theoretical += -sum,
            TransactionType::Issue => self.other_issues += -sum,
            TransactionType::Waste => self.waste += -sum,
            TransactionType::Adjust => self.unexplained += -sum,
        }
    }

    fn add_row(&mut self, o: &VarianceRow) {
        self.opening += o.opening;
        self.receipts += o.receipts;
        self.transfers_in += o.transfers_in;
        self.transfers_out += o.transfers_out;
        self.closing += o.closing;
        self.theoretical += o.theoretical;
        self.waste += o.waste;
        self.other_issues += o.other_issues;
        self.unexplained += o.unexplained;
    }
}

pub struct VarianceReport {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// Largest unexplained loss (in value) first.
    pub rows: Vec<VarianceRow>,
    pub totals: VarianceRow,
}

/// The AvT report. Without a period it runs between the storage unit's (or the company's) last
/// two posted counts; with one count, from it until now; with none, over the last 30 days.
pub async fn variance_report<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    storage_unit_id: Option<i64>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> ServiceResult<VarianceReport> {
    principal.require_read(company_id, "company")?;
    crate::storage_units::check_in_company(db, company_id, storage_unit_id).await?;
    let (from, to) = period(db, company_id, storage_unit_id, from, to).await?;
    let (f, t) = (to_micros(from), to_micros(to));
    let mut rows: BTreeMap<(i64, i64), VarianceRow> = BTreeMap::new();
    let mut pairs =
        stock_balance::Entity::find().filter(stock_balance::Column::CompanyId.eq(company_id));
    if let Some(unit) = storage_unit_id {
        pairs = pairs.filter(stock_balance::Column::StorageUnitId.eq(unit));
    }
    for pair in pairs.all(db).await? {
        rows.insert(
            (pair.ingredient_id, pair.storage_unit_id),
            VarianceRow {
                ingredient_id: Some(pair.ingredient_id),
                storage_unit_id: Some(pair.storage_unit_id),
                ..Default::default()
            },
        );
    }
    for (pair, balance) in reading::balances_at(db, company_id, storage_unit_id, f).await? {
        if let Some(row) = rows.get_mut(&pair) {
            row.opening = Amount::held(balance);
        }
    }
    for (pair, balance) in reading::balances_at(db, company_id, storage_unit_id, t).await? {
        if let Some(row) = rows.get_mut(&pair) {
            row.closing = Amount::held(balance);
        }
    }
    for sum in period_sums(db, company_id, storage_unit_id, f, t).await? {
        if let Some(row) = rows.get_mut(&sum.pair) {
            row.add(sum.kind, sum.from_pos, sum.amount);
        }
    }
    let start = counted_at(db, company_id, storage_unit_id, from).await?;
    let end = counted_at(db, company_id, storage_unit_id, to).await?;
    let mut rows: Vec<VarianceRow> = rows
        .into_iter()
        .filter(|(_, row)| row.moved())
        .map(|(pair, mut row)| {
            row.counted_at_start = start.contains(&pair);
            row.counted_at_end = end.contains(&pair);
            row
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.unexplained.value));
    let mut totals = VarianceRow {
        counted_at_start: rows.iter().all(|r| r.counted_at_start),
        counted_at_end: rows.iter().all(|r| r.counted_at_end),
        ..Default::default()
    };
    for row in &rows {
        totals.add_row(row);
    }
    Ok(VarianceReport {
        from,
        to,
        rows,
        totals,
    })
}

/// The period asked for, or the one between the last two counts (see [`variance_report`]).
async fn period<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
    storage_unit_id: Option<i64>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> ServiceResult<(DateTime<Utc>, DateTime<Utc>)> {
    let now = Utc::now();
    let (from, to) = match (from, to) {
        (Some(from), to) => (from, to.unwrap_or(now)),
        (None, to) => {
            let mut counts = stock_count::Entity::find()
                .select_only()
                .column(stock_count::Column::CountedAt)
                .filter(stock_count::Column::CompanyId.eq(company_id))
                .filter(stock_count::Column::Status.eq(CountStatus::Posted))
                .filter(stock_count::Column::CountedAt.is_not_null());
            if let Some(unit) = storage_unit_id {
                counts = counts.filter(stock_count::Column::StorageUnitId.eq(unit));
            }
            if let Some(to) = to {
                counts = counts.filter(stock_count::Column::CountedAt.lte(to));
            }
            // Distinct times: storage units counted together bound the same period.
            let last: Vec<Option<DateTime<Utc>>> = counts
                .distinct()
                .order_by_desc(stock_count::Column::CountedAt)
                .limit(2)
                .into_tuple()
                .all(db)
                .await?;
            let last: Vec<DateTime<Utc>> = last.into_iter().flatten().collect();
            let end = to.unwrap_or(now);
            // The latest count before the end starts the period; with no end given, the latest
            // count ends it and the one before starts it.
            let start = match (to, last.as_slice()) {
                (None, [latest, previous, ..]) => {
                    return super::period::checked(*previous, *latest);
                }
                (_, [latest, ..]) if *latest < end => Some(*latest),
                (_, [_, previous, ..]) => Some(*previous),
                _ => None,
            };
            (
                start.unwrap_or(end - Duration::days(super::period::DEFAULT_DAYS)),
                end,
            )
        }
    };
    super::period::checked(from, to)
}

/// The period's entries of one pair, one kind and one origin (POS sale or not), summed.
struct PeriodSum {
    pair: (i64, i64),
    kind: TransactionType,
    from_pos: bool,
    amount: Amount,
}

async fn period_sums<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
    storage_unit_id: Option<i64>,
    f: i64,
    t: i64,
) -> ServiceResult<Vec<PeriodSum>> {
    let [quantity_high, quantity_low] = exact_sum_sql(db.get_database_backend(), "quantity_micro");
    let [value_high, value_low] = exact_sum_sql(db.get_database_backend(), "value_micro");
    let in_unit = storage_unit_id
        .map(|s| format!(" AND storage_unit_id = {s}"))
        .unwrap_or_default();
    let pos_sale = SourceKind::PosSale.to_value();
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            format!(
                "SELECT ingredient_id, storage_unit_id, transaction_type, \
                 CASE WHEN source_kind = '{pos_sale}' THEN 1 ELSE 0 END, \
                 {quantity_high}, {quantity_low}, {value_high}, {value_low} \
                 FROM ledger_entries WHERE company_id = {company_id}{in_unit} \
                 AND occurred_at > {f} AND occurred_at <= {t} \
                 GROUP BY 1, 2, 3, 4"
            ),
        ))
        .await?;
    rows.into_iter()
        .map(|row| {
            let part = |k: usize| row.try_get_by_index::<i64>(k);
            Ok(PeriodSum {
                pair: (part(0)?, part(1)?),
                kind: row.try_get_by_index::<TransactionType>(2)?,
                from_pos: row.try_get_by_index::<i32>(3)? == 1,
                amount: Amount {
                    quantity: join_sum(part(4)?, part(5)?),
                    value: join_sum(part(6)?, part(7)?),
                },
            })
        })
        .collect()
}

/// The pairs a posted count counted at exactly `at` (a period bound the counts set).
async fn counted_at<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
    storage_unit_id: Option<i64>,
    at: DateTime<Utc>,
) -> ServiceResult<HashSet<(i64, i64)>> {
    let mut counts = stock_count::Entity::find()
        .filter(stock_count::Column::CompanyId.eq(company_id))
        .filter(stock_count::Column::Status.eq(CountStatus::Posted))
        .filter(stock_count::Column::CountedAt.eq(at));
    if let Some(unit) = storage_unit_id {
        counts = counts.filter(stock_count::Column::StorageUnitId.eq(unit));
    }
    let counts = counts.all(db).await?;
    let units: std::collections::HashMap<i64, i64> =
        counts.iter().map(|c| (c.id, c.storage_unit_id)).collect();
    let lines = stock_count_line::Entity::find()
        .filter(stock_count_line::Column::CountId.is_in(units.keys().copied()))
        .filter(stock_count_line::Column::CountedMicro.is_not_null())
        .all(db)
        .await?;
    Ok(lines
        .into_iter()
        .map(|l| (l.ingredient_id, units[&l.count_id]))
        .collect())
}
