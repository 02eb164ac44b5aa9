//! Menu engineering (DESIGN.md, "Food cost"): per POS item sold in a period, units, revenue net
//! of VAT, the cost the ledger charged at sale time, margin — and its Kasavana–Smith class.
//! Two aggregate queries: the sale lines' units and values; the cost of their ISSUE entries,
//! kept per item and day beside the ledger (`ledger::item_costs`).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use entity::pos_mapping;
use rust_decimal::Decimal;
use sea_orm::{ActiveEnum, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Statement};

use super::current_cost::ratio;
use super::recipe_cost::net_of_vat;
use crate::access::{Principal, Role};
use crate::error::{ServiceError, ServiceResult};
use crate::ledger::item_costs::{ItemKey, ItemScope, costs_by_item};
use crate::ledger::to_micros;
use crate::pos::integrations;
use crate::pos::sale_lines::SaleStatus;
use crate::quantity::{exact_sum_sql, from_micro, join_sum};

/// An item is popular when its share of units is at least this share of an equal split.
const POPULARITY_RULE: Decimal = Decimal::from_parts(70, 0, 0, false, 2);

/// Kasavana–Smith: popularity (share of units) × profitability (margin per unit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MenuClass {
    Star,
    Plowhorse,
    Puzzle,
    Dog,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemPerformance {
    pub integration_id: i64,
    pub external_id: String,
    pub name: String,
    pub recipe_id: Option<i64>,
    pub ingredient_id: Option<i64>,
    /// Net of refunds.
    pub units_sold: Decimal,
    /// Net of VAT; none when the till sent no sales value.
    pub revenue: Option<Decimal>,
    pub cost: Decimal,
    pub margin: Option<Decimal>,
    pub food_cost_percent: Option<Decimal>,
    pub margin_per_unit: Option<Decimal>,
    pub menu_class: Option<MenuClass>,
}

pub struct MenuEngineering {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// Largest revenue first; items without revenue after them.
    pub items: Vec<ItemPerformance>,
    pub total_revenue: Decimal,
    pub total_cost: Decimal,
    /// The classes' two lines: units an item must sell to be popular (70 % of an equal share),
    /// and the average margin per unit; none when nothing could be classified.
    pub popular_from_units: Option<Decimal>,
    pub average_margin_per_unit: Option<Decimal>,
}

/// Sales of one POS item: units and sales value (gross, as the till reported it).
struct Sold {
    name: String,
    units: i128,
    value: i128,
    /// Lines that carried a sales value.
    valued_lines: i64,
    cost: i128,
}

pub async fn menu_engineering<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    integration_id: Option<i64>,
) -> ServiceResult<MenuEngineering> {
    let company = crate::companies::get(db, principal, company_id).await?;
    let (from, to) = super::period::checked(from, to)?;
    if let Some(integration) = integration_id {
        let foreign = || ServiceError::not_found_at(integrations::ENTITY, "integrationId");
        match integrations::get(db, principal, integration, Role::Viewer).await {
            Ok(found) if found.company_id == company_id => {}
            Ok(_) | Err(ServiceError::NotFound { .. }) => return Err(foreign()),
            Err(e) => return Err(e),
        }
    }
    let scope = ItemScope {
        company_id,
        integration_id,
        from: to_micros(from),
        to: to_micros(to),
    };
    let mut sold = sales(db, &scope).await?;
    // An item's cost counts beside its sales: entries of lines voided since they were posted
    // (until reprocessing reverses them) have no sales in the period to stand beside.
    for (key, cost) in costs_by_item(db, &scope).await? {
        if let Some(item) = sold.get_mut(&key) {
            item.cost += cost;
        }
    }
    let mappings: HashMap<(i64, String), pos_mapping::Model> = pos_mapping::Entity::find()
        .filter(pos_mapping::Column::CompanyId.eq(company_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| ((m.integration_id, m.external_id.clone()), m))
        .collect();
    let vat = company.sales_vat_percent_micro;
    let mut items: Vec<ItemPerformance> = sold
        .into_iter()
        .map(|((integration_id, external_id), s)| {
            let mapping = mappings.get(&(integration_id, external_id.clone()));
            let units = from_micro(s.units);
            let cost = -from_micro(s.cost);
            let revenue = (s.valued_lines > 0).then(|| net_of_vat(from_micro(s.value), vat));
            let margin = revenue.map(|r| r - cost);
            ItemPerformance {
                integration_id,
                external_id,
                name: s.name,
                recipe_id: mapping.and_then(|m| m.recipe_id),
                ingredient_id: mapping.and_then(|m| m.ingredient_id),
                units_sold: units,
                food_cost_percent: revenue
                    .filter(|r| !r.is_zero())
                    .map(|r| ratio(cost * Decimal::ONE_HUNDRED, r)),
                margin_per_unit: margin.filter(|_| !units.is_zero()).map(|m| ratio(m, units)),
                revenue,
                cost,
                margin,
                menu_class: None,
            }
        })
        .collect();
    let lines = classify(&mut items);
    items.sort_by(|a, b| b.revenue.cmp(&a.revenue).then(a.name.cmp(&b.name)));
    Ok(MenuEngineering {
        from,
        to,
        total_revenue: items.iter().filter_map(|i| i.revenue).sum(),
        total_cost: items.iter().map(|i| i.cost).sum(),
        popular_from_units: lines.map(|l| l.popular_from_units),
        average_margin_per_unit: lines.map(|l| l.average_margin_per_unit),
        items,
    })
}

/// Kasavana–Smith over the items with a sales value and units sold: popular when an item's
/// share of units is at least 70 % of 1/n; profitable when its margin per unit is at least the
/// average margin per unit (total margin ÷ total units). Returns where the two lines lie.
fn classify(items: &mut [ItemPerformance]) -> Option<ClassLines> {
    let classified =
        |i: &ItemPerformance| i.margin_per_unit.is_some() && i.units_sold > Decimal::ZERO;
    let n = items.iter().filter(|i| classified(i)).count();
    if n == 0 {
        return None;
    }
    let units: Decimal = items
        .iter()
        .filter(|i| classified(i))
        .map(|i| i.units_sold)
        .sum();
    let margin: Decimal = items
        .iter()
        .filter(|i| classified(i))
        .filter_map(|i| i.margin)
        .sum();
    let average_margin = margin / units;
    let popular_share = POPULARITY_RULE / Decimal::from(n as u64);
    for item in items.iter_mut().filter(|i| classified(i)) {
        let popular = item.units_sold / units >= popular_share;
        let profitable = item.margin.unwrap_or_default() / item.units_sold >= average_margin;
        item.menu_class = Some(match (popular, profitable) {
            (true, true) => MenuClass::Star,
            (true, false) => MenuClass::Plowhorse,
            (false, true) => MenuClass::Puzzle,
            (false, false) => MenuClass::Dog,
        });
    }
    Some(ClassLines {
        popular_from_units: ratio(popular_share * units, Decimal::ONE),
        average_margin_per_unit: ratio(margin, units),
    })
}

/// Where the menu matrix divides: popular from this many units, profitable from this margin.
#[derive(Clone, Copy)]
struct ClassLines {
    popular_from_units: Decimal,
    average_margin_per_unit: Decimal,
}

/// `FROM … WHERE …` of the sale lines in `scope`: its company's (or one integration's) sales and
/// refunds in [from, to).
fn lines_sql(scope: &ItemScope) -> String {
    let in_integration = scope
        .integration_id
        .map(|i| format!(" AND loc.integration_id = {i}"))
        .unwrap_or_default();
    format!(
        "FROM pos_sale_lines l JOIN pos_locations loc ON loc.id = l.location_id \
         WHERE l.company_id = {} AND l.sold_at >= {} AND l.sold_at < {} \
         AND l.status IN ('{}', '{}'){in_integration}",
        scope.company_id,
        scope.from,
        scope.to,
        SaleStatus::Sale.to_value(),
        SaleStatus::Refund.to_value(),
    )
}

async fn sales<C: ConnectionTrait>(
    db: &C,
    scope: &ItemScope,
) -> ServiceResult<BTreeMap<ItemKey, Sold>> {
    let [units_high, units_low] = exact_sum_sql(db.get_database_backend(), "l.quantity_micro");
    let [value_high, value_low] = exact_sum_sql(
        db.get_database_backend(),
        "COALESCE(l.sales_value_micro, 0)",
    );
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            format!(
                "SELECT loc.integration_id, l.external_item_id, MAX(l.item_name), \
                 {units_high}, {units_low}, {value_high}, {value_low}, COUNT(l.sales_value_micro) \
                 {} GROUP BY loc.integration_id, l.external_item_id",
                lines_sql(scope)
            ),
        ))
        .await?;
    let mut out = BTreeMap::new();
    for row in rows {
        let part = |k: usize| row.try_get_by_index::<i64>(k);
        out.insert(
            (part(0)?, row.try_get_by_index::<String>(1)?),
            Sold {
                name: row.try_get_by_index(2)?,
                units: join_sum(part(3)?, part(4)?),
                value: join_sum(part(5)?, part(6)?),
                valued_lines: part(7)?,
                cost: 0,
            },
        );
    }
    Ok(out)
}
