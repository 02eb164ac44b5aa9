//! A company's recipes loaded once and expanded into base-unit ingredient quantities per
//! portion: sub-recipes followed, trim added — what POS sales issue and what recipes cost.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;
use std::sync::Arc;

use entity::recipe::{self, Column};
use entity::{ingredient, recipe_line};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::error::{ServiceError, ServiceResult};
use crate::quantity::{MAX_INPUT, SCALE, from_micro};
use crate::units::{self, BaseUnit, Unit};

pub const ENTITY: &str = "recipe";
/// Deeper nesting than this is a modelling mistake, not a kitchen.
const MAX_DEPTH: usize = 16;

/// One ingredient quantity a portion of a recipe takes, and where it is taken from (`None`:
/// the storage unit linked to the POS location).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpandedLine {
    pub ingredient_id: i64,
    pub storage_unit_id: Option<i64>,
    pub quantity: Decimal,
}

/// All recipes of a company with their lines and ingredients' base units, loaded once, so that
/// expanding many recipes (a day of POS sales) costs no further queries.
pub struct RecipeBook {
    recipes: HashMap<i64, recipe::Model>,
    lines: HashMap<i64, Vec<recipe_line::Model>>,
    base_units: HashMap<i64, BaseUnit>,
}

impl RecipeBook {
    pub async fn load<C: ConnectionTrait>(db: &C, company_id: i64) -> ServiceResult<Self> {
        let recipes: HashMap<i64, recipe::Model> = recipe::Entity::find()
            .filter(Column::CompanyId.eq(company_id))
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.id, r))
            .collect();
        let mut lines: HashMap<i64, Vec<recipe_line::Model>> = HashMap::new();
        for line in recipe_line::Entity::find()
            .filter(recipe_line::Column::CompanyId.eq(company_id))
            .order_by_asc(recipe_line::Column::Position)
            .all(db)
            .await?
        {
            lines.entry(line.recipe_id).or_default().push(line);
        }
        let base_units = ingredient::Entity::find()
            .filter(ingredient::Column::CompanyId.eq(company_id))
            .all(db)
            .await?
            .into_iter()
            .map(|i| Ok((i.id, BaseUnit::parse(&i.base_unit)?)))
            .collect::<ServiceResult<_>>()?;
        Ok(Self {
            recipes,
            lines,
            base_units,
        })
    }

    /// The recipes not archived (the book keeps archived ones too: old sales expand them).
    pub fn current_recipe_ids(&self) -> impl Iterator<Item = i64> + '_ {
        self.recipes
            .values()
            .filter(|r| r.archived_at.is_none())
            .map(|r| r.id)
    }

    /// Base-unit quantities per portion of `recipe_id`, summed per (ingredient, storage unit),
    /// sub-recipes expanded and trim loss added (10 % trim on 100 g net → 111.111111 g).
    ///
    /// Each (recipe, inherited storage unit) is expanded once per call and reused wherever it
    /// appears again, so a chain of recipes that each use the previous one many times costs
    /// lines × recipes, not lines to the power of the depth.
    pub fn expand(&self, recipe_id: i64) -> ServiceResult<Vec<ExpandedLine>> {
        let mut memo = HashMap::new();
        let sums = self.per_portion(recipe_id, None, 0, &mut memo)?;
        Ok(sums
            .iter()
            .map(|(&(ingredient_id, storage_unit_id), q)| ExpandedLine {
                ingredient_id,
                storage_unit_id,
                quantity: q.round_dp(SCALE).normalize(),
            })
            .collect())
    }

    /// [`expand`](Self::expand) on a blocking thread: expanding a large book is CPU work, and
    /// an async worker doing it would keep every other request it serves waiting.
    pub async fn expand_off_thread(
        self: Arc<Self>,
        recipe_id: i64,
    ) -> ServiceResult<Vec<ExpandedLine>> {
        tokio::task::spawn_blocking(move || self.expand(recipe_id))
            .await
            .map_err(|e| ServiceError::Internal(format!("recipe expansion stopped: {e}")))?
    }

    fn per_portion(
        &self,
        recipe_id: i64,
        inherited_storage: Option<i64>,
        depth: usize,
        memo: &mut HashMap<(i64, Option<i64>), Rc<PortionSums>>,
    ) -> ServiceResult<Rc<PortionSums>> {
        if let Some(done) = memo.get(&(recipe_id, inherited_storage)) {
            return Ok(done.clone());
        }
        if depth > MAX_DEPTH {
            return Err(ServiceError::validation(
                "subRecipeId",
                "recipes nest too deeply (a cycle?)",
            ));
        }
        let recipe = self
            .recipes
            .get(&recipe_id)
            .ok_or_else(|| ServiceError::not_found(ENTITY))?;
        let mut sums = PortionSums::new();
        let mut add = |key: (i64, Option<i64>), quantity: Decimal| -> ServiceResult<()> {
            let sum = sums.entry(key).or_default();
            *sum = sum
                .checked_add(quantity)
                .filter(|q| q.abs() <= Decimal::from(MAX_INPUT))
                .ok_or_else(|| too_much(&recipe.name))?;
            Ok(())
        };
        for line in self.lines.get(&recipe_id).into_iter().flatten() {
            let storage = line
                .issue_storage_unit_id
                .or(recipe.default_issue_storage_unit_id)
                .or(inherited_storage);
            let net = from_micro(line.quantity_micro);
            let kept = Decimal::ONE - from_micro(line.trim_percent_micro) / Decimal::ONE_HUNDRED;
            let unit = Unit::parse(&line.unit)?;
            match (line.ingredient_id, line.sub_recipe_id) {
                (Some(ingredient_id), _) => {
                    let base = *self
                        .base_units
                        .get(&ingredient_id)
                        .ok_or_else(|| ServiceError::not_found("ingredient"))?;
                    add(
                        (ingredient_id, storage),
                        units::to_base(net, unit, base, "unit")? / kept,
                    )?;
                }
                (None, Some(sub)) => {
                    let portions = net / kept;
                    let sub_sums = self.per_portion(sub, storage, depth + 1, memo)?;
                    for (key, quantity) in sub_sums.iter() {
                        let needed = quantity
                            .checked_mul(portions)
                            .ok_or_else(|| too_much(&recipe.name))?;
                        add(*key, needed)?;
                    }
                }
                (None, None) => {}
            }
        }
        let sums = Rc::new(sums);
        memo.insert((recipe_id, inherited_storage), sums.clone());
        Ok(sums)
    }
}

/// Quantities per portion of one recipe, keyed by (ingredient, storage unit).
type PortionSums = BTreeMap<(i64, Option<i64>), Decimal>;

fn too_much(recipe: &str) -> ServiceError {
    ServiceError::validation(
        "lines",
        format!(
            "{recipe} needs more than {MAX_INPUT} base units of an ingredient per portion: check the quantities of its lines and sub-recipes"
        ),
    )
}
