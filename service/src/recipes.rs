//! Recipes: a yield, lines of ingredients or sub-recipes per portion, and the expansion of a
//! recipe into base-unit ingredient quantities per portion (DESIGN.md, "Master data").

use crate::db::Writer;
use std::collections::{HashMap, HashSet};

use chrono::Utc;
use entity::recipe::{self, Column};
use entity::{ingredient, recipe_line, storage_unit};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::access::{Principal, Role};
use crate::error::{ServiceError, ServiceResult};
use crate::owned::{find_in_company, find_owned, name_matches};
use crate::quantity::{positive_micro, to_micro};
use crate::units::{self, BaseUnit, Unit};
use crate::validate;

mod book;
pub use book::{ENTITY, ExpandedLine, RecipeBook};

/// More lines than this in one recipe is a data mistake (or an attack on the expansion).
pub const MAX_LINES: usize = 200;

#[derive(Debug, Clone)]
pub struct RecipeLineInput {
    pub ingredient_id: Option<i64>,
    pub sub_recipe_id: Option<i64>,
    /// Net quantity per portion; for a sub-recipe, portions of it.
    pub quantity: Decimal,
    pub unit: Unit,
    pub trim_percent: Decimal,
    pub issue_storage_unit_id: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct RecipeInput {
    pub name: String,
    pub yield_quantity: Decimal,
    pub active: bool,
    pub default_issue_storage_unit_id: Option<i64>,
    /// What a guest pays for a portion, VAT included.
    pub menu_price: Option<Decimal>,
    pub lines: Vec<RecipeLineInput>,
}

#[derive(Debug, Clone, Default)]
pub struct RecipePatch {
    pub name: Option<String>,
    pub yield_quantity: Option<Decimal>,
    pub active: Option<bool>,
    pub default_issue_storage_unit_id: Option<Option<i64>>,
    /// `Some(None)` clears the menu price.
    pub menu_price: Option<Option<Decimal>>,
    pub lines: Option<Vec<RecipeLineInput>>,
}

struct ValidLine {
    ingredient_id: Option<i64>,
    sub_recipe_id: Option<i64>,
    quantity_micro: i64,
    unit: Unit,
    trim_percent_micro: i64,
    issue_storage_unit_id: Option<i64>,
}

pub async fn create<C: Writer>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    input: RecipeInput,
) -> ServiceResult<recipe::Model> {
    principal.require(company_id, Role::Manager, "company")?;
    let name = validate::name("name", &input.name)?;
    let yield_micro = positive_micro(input.yield_quantity, "yieldQuantity")?;
    let menu_price = input
        .menu_price
        .map(|p| validate::price("menuPrice", p))
        .transpose()?;
    let (name, input) = (&name, &input);
    crate::db::retrying(|| async move {
        let txn = crate::db::begin_write(db).await?;
        ensure_unique(&txn, company_id, name, None).await?;
        check_storage_unit(
            &txn,
            company_id,
            input.default_issue_storage_unit_id,
            "defaultIssueStorageUnitId",
        )
        .await?;
        let lines = validate_lines(&txn, company_id, None, &input.lines).await?;
        let created = recipe::ActiveModel {
            company_id: Set(company_id),
            name: Set(name.clone()),
            yield_micro: Set(yield_micro),
            active: Set(input.active),
            default_issue_storage_unit_id: Set(input.default_issue_storage_unit_id),
            menu_price_micro: Set(menu_price),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        replace_lines(&txn, &created, lines).await?;
        txn.commit().await?;
        Ok(created)
    })
    .await
}

pub async fn update<C: Writer>(
    db: &C,
    principal: &Principal,
    id: i64,
    patch: RecipePatch,
) -> ServiceResult<recipe::Model> {
    let current = find_owned::<recipe::Entity, _>(db, principal, id, Role::Manager, ENTITY).await?;
    let company_id = current.company_id;
    let menu_price = patch
        .menu_price
        .map(|p| p.map(|p| validate::price("menuPrice", p)).transpose())
        .transpose()?;
    let (current, patch) = (&current, &patch);
    crate::db::retrying(|| async move {
        let txn = crate::db::begin_write(db).await?;
        let mut active: recipe::ActiveModel = current.clone().into();
        if let Some(name) = &patch.name {
            let name = validate::name("name", name)?;
            ensure_unique(&txn, company_id, &name, Some(id)).await?;
            active.name = Set(name);
        }
        if let Some(y) = patch.yield_quantity {
            active.yield_micro = Set(positive_micro(y, "yieldQuantity")?);
        }
        if let Some(flag) = patch.active {
            active.active = Set(flag);
        }
        if let Some(price) = menu_price {
            active.menu_price_micro = Set(price);
        }
        if let Some(storage) = patch.default_issue_storage_unit_id {
            check_storage_unit(&txn, company_id, storage, "defaultIssueStorageUnitId").await?;
            active.default_issue_storage_unit_id = Set(storage);
        }
        let updated = active.update(&txn).await?;
        if let Some(lines) = &patch.lines {
            let lines = validate_lines(&txn, company_id, Some(id), lines).await?;
            replace_lines(&txn, &updated, lines).await?;
        }
        txn.commit().await?;
        Ok(updated)
    })
    .await
}

async fn ensure_unique<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
    name: &str,
    except: Option<i64>,
) -> ServiceResult<()> {
    crate::owned::ensure_unique_name::<recipe::Entity, _>(
        db,
        Column::CompanyId,
        company_id,
        name,
        except,
        "a recipe",
    )
    .await
}

async fn check_storage_unit<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
    id: Option<i64>,
    field: &str,
) -> ServiceResult<()> {
    if let Some(id) = id {
        find_in_company::<storage_unit::Entity, _>(
            db,
            company_id,
            id,
            crate::storage_units::ENTITY,
            field,
        )
        .await?;
    }
    Ok(())
}

async fn validate_lines<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
    recipe_id: Option<i64>,
    lines: &[RecipeLineInput],
) -> ServiceResult<Vec<ValidLine>> {
    if lines.len() > MAX_LINES {
        return Err(ServiceError::validation(
            "lines",
            format!("a recipe has at most {MAX_LINES} lines"),
        ));
    }
    let mut valid = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let at = |f: &str| format!("lines[{i}].{f}");
        let quantity_micro = positive_micro(line.quantity, &at("quantity"))?;
        if line.trim_percent < Decimal::ZERO || line.trim_percent >= Decimal::ONE_HUNDRED {
            return Err(ServiceError::validation(
                at("trimPercent"),
                "must be at least 0 and below 100",
            ));
        }
        check_storage_unit(
            db,
            company_id,
            line.issue_storage_unit_id,
            &at("issueStorageUnitId"),
        )
        .await?;
        match (line.ingredient_id, line.sub_recipe_id) {
            (Some(ingredient_id), None) => {
                let ingredient = find_in_company::<ingredient::Entity, _>(
                    db,
                    company_id,
                    ingredient_id,
                    "ingredient",
                    &at("ingredientId"),
                )
                .await?;
                units::to_base(
                    line.quantity,
                    line.unit,
                    BaseUnit::parse(&ingredient.base_unit)?,
                    &at("unit"),
                )?;
            }
            (None, Some(sub_id)) => {
                find_in_company::<recipe::Entity, _>(
                    db,
                    company_id,
                    sub_id,
                    ENTITY,
                    &at("subRecipeId"),
                )
                .await?;
                if line.unit != Unit::Pcs {
                    return Err(ServiceError::validation(
                        at("unit"),
                        "a sub-recipe is counted in portions: use PCS",
                    ));
                }
            }
            _ => {
                return Err(ServiceError::validation(
                    at("ingredientId"),
                    "give either an ingredient or a sub-recipe",
                ));
            }
        }
        valid.push(ValidLine {
            ingredient_id: line.ingredient_id,
            sub_recipe_id: line.sub_recipe_id,
            quantity_micro,
            unit: line.unit,
            trim_percent_micro: to_micro(line.trim_percent, &at("trimPercent"))?,
            issue_storage_unit_id: line.issue_storage_unit_id,
        });
    }
    if let Some(id) = recipe_id {
        reject_cycles(db, company_id, id, &valid).await?;
    }
    Ok(valid)
}

/// Refuses lines through which `recipe_id` would contain itself, naming the path.
async fn reject_cycles<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
    recipe_id: i64,
    lines: &[ValidLine],
) -> ServiceResult<()> {
    let mut graph: HashMap<i64, Vec<i64>> = HashMap::new();
    for line in recipe_line::Entity::find()
        .filter(recipe_line::Column::CompanyId.eq(company_id))
        .filter(recipe_line::Column::SubRecipeId.is_not_null())
        .all(db)
        .await?
    {
        if line.recipe_id != recipe_id {
            graph
                .entry(line.recipe_id)
                .or_default()
                .extend(line.sub_recipe_id);
        }
    }
    let names: HashMap<i64, String> = recipe::Entity::find()
        .filter(Column::CompanyId.eq(company_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();
    for (i, line) in lines.iter().enumerate() {
        let Some(sub) = line.sub_recipe_id else {
            continue;
        };
        let mut path = vec![recipe_id];
        if reaches(&graph, sub, recipe_id, &mut path) {
            let named: Vec<&str> = path
                .iter()
                .map(|id| names.get(id).map_or("?", String::as_str))
                .collect();
            return Err(ServiceError::validation(
                format!("lines[{i}].subRecipeId"),
                format!("this would make a cycle: {}", named.join(" → ")),
            ));
        }
    }
    Ok(())
}

/// Whether `target` can be reached from `from`; `path` ends with the way there when it can.
/// Each recipe is visited once (a recipe used many times by another is not walked again), and
/// the walk keeps its own stack, so a long chain of recipes costs no call stack.
fn reaches(graph: &HashMap<i64, Vec<i64>>, from: i64, target: i64, path: &mut Vec<i64>) -> bool {
    let mut came_from: HashMap<i64, i64> = HashMap::new();
    let mut seen = HashSet::from([from]);
    let mut stack = vec![from];
    while let Some(at) = stack.pop() {
        if at == target {
            let mut way = vec![at];
            let mut step = at;
            while let Some(&before) = came_from.get(&step) {
                way.push(before);
                step = before;
            }
            path.extend(way.into_iter().rev());
            return true;
        }
        for &next in graph.get(&at).into_iter().flatten() {
            if seen.insert(next) {
                came_from.insert(next, at);
                stack.push(next);
            }
        }
    }
    false
}

async fn replace_lines<C: ConnectionTrait>(
    db: &C,
    recipe: &recipe::Model,
    lines: Vec<ValidLine>,
) -> ServiceResult<()> {
    recipe_line::Entity::delete_many()
        .filter(recipe_line::Column::RecipeId.eq(recipe.id))
        .exec(db)
        .await?;
    for (position, line) in lines.into_iter().enumerate() {
        recipe_line::ActiveModel {
            company_id: Set(recipe.company_id),
            recipe_id: Set(recipe.id),
            position: Set(position as i32),
            ingredient_id: Set(line.ingredient_id),
            sub_recipe_id: Set(line.sub_recipe_id),
            quantity_micro: Set(line.quantity_micro),
            unit: Set(line.unit.as_str().into()),
            trim_percent_micro: Set(line.trim_percent_micro),
            issue_storage_unit_id: Set(line.issue_storage_unit_id),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
) -> ServiceResult<recipe::Model> {
    find_owned::<recipe::Entity, _>(db, principal, id, Role::Viewer, ENTITY).await
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    company_id: i64,
    search: Option<&str>,
    active: Option<bool>,
    include_archived: bool,
) -> ServiceResult<Vec<recipe::Model>> {
    principal.require_read(company_id, "company")?;
    let mut query = recipe::Entity::find().filter(Column::CompanyId.eq(company_id));
    if !include_archived {
        query = query.filter(Column::ArchivedAt.is_null());
    }
    if let Some(active) = active {
        query = query.filter(Column::Active.eq(active));
    }
    let backend = db.get_database_backend();
    if let Some(term) = validate::search_term(search)? {
        query = query.filter(name_matches(backend, Column::Name, &term));
    }
    Ok(query.order_by_asc(Column::Name).all(db).await?)
}

pub async fn set_archived<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: i64,
    archived: bool,
) -> ServiceResult<recipe::Model> {
    let current = find_owned::<recipe::Entity, _>(db, principal, id, Role::Manager, ENTITY).await?;
    if archived {
        let users = recipe_line::Entity::find()
            .filter(recipe_line::Column::SubRecipeId.eq(id))
            .all(db)
            .await?;
        if let Some(line) = users.first() {
            return Err(ServiceError::conflict(
                "id",
                format!(
                    "recipe {} still uses this one as a sub-recipe",
                    line.recipe_id
                ),
            ));
        }
    }
    let mut active: recipe::ActiveModel = current.into();
    active.archived_at = Set(archived.then(Utc::now));
    Ok(active.update(db).await?)
}

/// Lines of many recipes, in position order, keyed by recipe.
pub async fn lines_of<C: ConnectionTrait>(
    db: &C,
    recipe_ids: &[i64],
) -> ServiceResult<HashMap<i64, Vec<recipe_line::Model>>> {
    let mut out: HashMap<i64, Vec<recipe_line::Model>> = HashMap::new();
    for line in recipe_line::Entity::find()
        .filter(recipe_line::Column::RecipeId.is_in(recipe_ids.to_vec()))
        .order_by_asc(recipe_line::Column::Position)
        .all(db)
        .await?
    {
        out.entry(line.recipe_id).or_default().push(line);
    }
    Ok(out)
}
