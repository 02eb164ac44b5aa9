//! What a portion of a recipe costs: its expansion (sub-recipes and trim included) at each
//! ingredient's current cost; and its food cost % against the menu price, net of VAT.

use std::collections::{BTreeMap, HashMap};

use entity::recipe;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::current_cost::{CostBasis, current_costs};
use crate::error::ServiceResult;
use crate::quantity::{SCALE, from_micro};
use crate::recipes::RecipeBook;

/// One ingredient of a portion: how much, at what unit cost, for what cost (unknown without a
/// unit cost).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostLine {
    pub ingredient_id: i64,
    pub quantity: Decimal,
    pub unit_cost: Option<Decimal>,
    pub cost: Option<Decimal>,
}

/// A portion's cost: the sum of the lines that have a cost; `complete` when every line has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipeCost {
    pub per_portion: Decimal,
    pub complete: bool,
    /// Most expensive first; lines without a cost last.
    pub lines: Vec<CostLine>,
}

/// Costs a recipe from an already loaded book and cost table (no queries).
pub fn cost_of(
    book: &RecipeBook,
    costs: &HashMap<i64, Decimal>,
    recipe_id: i64,
) -> ServiceResult<RecipeCost> {
    // The expansion is per (ingredient, storage unit); the cost is per ingredient.
    let mut quantities: BTreeMap<i64, Decimal> = BTreeMap::new();
    for line in book.expand(recipe_id)? {
        *quantities.entry(line.ingredient_id).or_default() += line.quantity;
    }
    let mut lines: Vec<CostLine> = quantities
        .into_iter()
        .map(|(ingredient_id, quantity)| {
            let unit_cost = costs.get(&ingredient_id).copied();
            CostLine {
                ingredient_id,
                quantity,
                unit_cost,
                cost: unit_cost.map(|c| money(quantity * c)),
            }
        })
        .collect();
    // Descending, so the unknown costs (None) come last.
    lines.sort_by_key(|l| std::cmp::Reverse(l.cost));
    Ok(RecipeCost {
        per_portion: money(lines.iter().filter_map(|l| l.cost).sum()),
        complete: lines.iter().all(|l| l.cost.is_some()),
        lines,
    })
}

/// Money to 6 places, as the API returns it (pages round).
fn money(value: Decimal) -> Decimal {
    value.round_dp(SCALE).normalize()
}

/// The costs of many recipes at once — a recipe list — with one book and one cost table per
/// company. Ids the caller may see only (the API reaches them from recipes it showed).
pub async fn recipe_costs<C: ConnectionTrait>(
    db: &C,
    recipe_ids: &[i64],
    basis: CostBasis,
) -> ServiceResult<HashMap<i64, RecipeCost>> {
    let owners: Vec<(i64, i64)> = recipe::Entity::find()
        .select_only()
        .column(recipe::Column::Id)
        .column(recipe::Column::CompanyId)
        .filter(recipe::Column::Id.is_in(recipe_ids.to_vec()))
        .into_tuple()
        .all(db)
        .await?;
    let mut by_company: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for (recipe, company) in owners {
        by_company.entry(company).or_default().push(recipe);
    }
    let mut out = HashMap::new();
    for (company, recipes) in by_company {
        let book = RecipeBook::load(db, company).await?;
        let costs = current_costs(db, company, basis).await?;
        for recipe in recipes {
            out.insert(recipe, cost_of(&book, &costs, recipe)?);
        }
    }
    Ok(out)
}

/// A gross amount (as the guest pays) without its VAT.
pub fn net_of_vat(gross: Decimal, vat_percent_micro: i64) -> Decimal {
    money(net(gross, vat_percent_micro))
}

/// A gross amount without its VAT, unrounded (the food cost percentage divides by it).
fn net(gross: Decimal, vat_percent_micro: i64) -> Decimal {
    gross / (Decimal::ONE + from_micro(vat_percent_micro) / Decimal::ONE_HUNDRED)
}

/// Cost as a percentage of the net price; none for a free item.
pub fn food_cost_percent(
    cost: Decimal,
    gross_price: Decimal,
    vat_percent_micro: i64,
) -> Option<Decimal> {
    let net = net(gross_price, vat_percent_micro);
    (!net.is_zero()).then(|| money(cost * Decimal::ONE_HUNDRED / net))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn food_cost_is_cost_over_the_price_net_of_vat() {
        // 2.00 of cost on a 11.90 gross price with 19 % VAT: net 10.00, food cost 20 %.
        assert_eq!(
            food_cost_percent(dec!(2), dec!(11.90), 19_000_000),
            Some(dec!(20))
        );
        assert_eq!(net_of_vat(dec!(11.90), 19_000_000), dec!(10));
        assert_eq!(food_cost_percent(dec!(2), dec!(0), 0), None);
        // Unrounded to six places: 1 ÷ 3 of the price.
        assert_eq!(
            food_cost_percent(dec!(1), dec!(3), 0),
            Some(dec!(33.333333))
        );
    }
}
