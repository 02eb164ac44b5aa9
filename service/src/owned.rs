//! Loading a row by id for a caller: a row of a company the caller is not in is "not found",
//! exactly like a row that does not exist.

use sea_orm::sea_query::{Expr, Func};
use sea_orm::{ConnectionTrait, EntityTrait, ExprTrait, PrimaryKeyTrait};

use crate::access::{Principal, Role};
use crate::error::{ServiceError, ServiceResult};

pub trait CompanyOwned {
    fn company_id(&self) -> i64;
}

/// A company's row with a name that is unique in the company (case-insensitively).
pub trait NamedRow: CompanyOwned {
    fn row_id(&self) -> i64;
    fn row_name(&self) -> &str;
}

macro_rules! company_owned {
    ($($m:path),*) => { $(impl CompanyOwned for $m { fn company_id(&self) -> i64 { self.company_id } })* };
}

macro_rules! named_row {
    ($($m:path),*) => { $(impl NamedRow for $m {
        fn row_id(&self) -> i64 { self.id }
        fn row_name(&self) -> &str { &self.name }
    })* };
}
named_row!(
    entity::storage_unit::Model,
    entity::ingredient::Model,
    entity::recipe::Model,
    entity::vendor::Model
);

/// Refuses `name` when another row of the company (not `except`) has it, in any case.
pub async fn ensure_unique_name<E, C>(
    db: &C,
    company_column: E::Column,
    company_id: i64,
    name: &str,
    except: Option<i64>,
    what: &str,
) -> ServiceResult<()>
where
    C: ConnectionTrait,
    E: EntityTrait,
    E::Model: NamedRow,
{
    use sea_orm::{ColumnTrait, QueryFilter};
    // Compared here, not with SQL's LIKE or LOWER: a name is text, not a pattern (`%` is a
    // name like any other), and case is folded for every alphabet alike on both backends
    // (SQLite's LOWER folds ASCII only).
    let folded = name.to_lowercase();
    let clash = E::find()
        .filter(company_column.eq(company_id))
        .all(db)
        .await?
        .into_iter()
        .find(|row| Some(row.row_id()) != except && row.row_name().to_lowercase() == folded);
    if clash.is_some() {
        return Err(ServiceError::conflict(
            "name",
            format!("{what} named {name} already exists"),
        ));
    }
    Ok(())
}
company_owned!(
    entity::storage_unit::Model,
    entity::ingredient::Model,
    entity::recipe::Model,
    entity::vendor::Model,
    entity::product::Model
);

/// Finds `id` and checks the caller holds at least `min` in its company; `entity` names the
/// kind of row in the error.
pub async fn find_owned<E, C>(
    db: &C,
    principal: &Principal,
    id: i64,
    min: Role,
    entity: &'static str,
) -> ServiceResult<E::Model>
where
    C: ConnectionTrait,
    E: EntityTrait,
    E::Model: CompanyOwned,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    let row = E::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found(entity))?;
    principal.require(row.company_id(), min, entity)?;
    Ok(row)
}

/// Like [`find_owned`] for an id given in an input field of another row of `company_id`: a row
/// of another company is not found, and the error names the field.
pub async fn find_in_company<E, C>(
    db: &C,
    company_id: i64,
    id: i64,
    entity: &'static str,
    field: &str,
) -> ServiceResult<E::Model>
where
    C: ConnectionTrait,
    E: EntityTrait,
    E::Model: CompanyOwned,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    E::find_by_id(id)
        .one(db)
        .await?
        .filter(|row| row.company_id() == company_id)
        .ok_or_else(|| ServiceError::not_found_at(entity, field))
}

/// Whether `column` contains `term`, ignoring case in every alphabet, on either backend.
pub fn name_matches<T: sea_orm::sea_query::IntoColumnRef>(
    backend: sea_orm::DbBackend,
    column: T,
    term: &crate::validate::SearchTerm,
) -> sea_orm::sea_query::SimpleExpr {
    match backend {
        sea_orm::DbBackend::Sqlite => Expr::col(column).binary(
            sea_orm::sea_query::BinOper::Custom("REGEXP"),
            Expr::val(term.regex()),
        ),
        _ => Expr::expr(Func::lower(Expr::col(column))).like(
            sea_orm::sea_query::LikeExpr::new(term.like_pattern())
                .escape(crate::validate::LIKE_ESCAPE),
        ),
    }
}

/// A record loaded many at once by id (a list's nested fields).
pub trait ById: sea_orm::FromQueryResult + Clone + Send + Sync + 'static {
    type Table: EntityTrait<Model = Self>;
    fn id_column() -> <Self::Table as EntityTrait>::Column;
    fn id_of(&self) -> i64;
}

macro_rules! by_id {
    ($($m:ident),*) => {$(
        impl ById for entity::$m::Model {
            type Table = entity::$m::Entity;
            fn id_column() -> entity::$m::Column { entity::$m::Column::Id }
            fn id_of(&self) -> i64 { self.id }
        }
    )*};
}
by_id!(
    company,
    ingredient,
    product,
    recipe,
    storage_place,
    storage_unit,
    user,
    vendor
);

/// The records of `ids`, in one query. Only for ids read from rows the caller may already see
/// (in their company): it checks no membership itself.
pub async fn by_ids<R: ById, C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> ServiceResult<std::collections::HashMap<i64, R>> {
    use sea_orm::{ColumnTrait, QueryFilter};
    Ok(R::Table::find()
        .filter(R::id_column().is_in(ids.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id_of(), m))
        .collect())
}

/// Every record of a company's table, by id: for a report that reads most of them anyway.
/// `company_column` is the table's `company_id`.
pub async fn company_records<R: ById, C: ConnectionTrait>(
    db: &C,
    company_column: <R::Table as EntityTrait>::Column,
    company_id: i64,
) -> ServiceResult<std::collections::HashMap<i64, R>> {
    use sea_orm::{ColumnTrait, QueryFilter};
    Ok(R::Table::find()
        .filter(company_column.eq(company_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id_of(), m))
        .collect())
}

/// [`find_owned`] of `id` and, in the same round trip, the row `other_id` of `O` in the same
/// company — for a posting, the ingredient and its storage unit: the caller's access is checked
/// on the first, and the second is not found (naming `other_field`) when it does not exist or
/// belongs to another company.
#[allow(clippy::too_many_arguments)]
pub async fn find_owned_with<E, O, C>(
    db: &C,
    principal: &Principal,
    id: i64,
    min: Role,
    entity: &'static str,
    other_id: i64,
    other_entity: &'static str,
    other_field: &str,
) -> ServiceResult<(E::Model, O::Model)>
where
    C: ConnectionTrait,
    E: EntityTrait,
    O: EntityTrait,
    E::Model: CompanyOwned,
{
    use sea_orm::FromQueryResult;
    let mut params = crate::db::params::Params::new(db.get_database_backend());
    let other = params.push(other_id);
    let this = params.push(id);
    let sql = format!(
        "SELECT {}, {} FROM {} e LEFT JOIN {} o ON o.id = {other} AND o.company_id = e.company_id WHERE e.id = {this}",
        aliased_columns::<E>("e"),
        aliased_columns::<O>("o"),
        E::default().table_name(),
        O::default().table_name(),
    );
    let row = db
        .query_one_raw(params.statement(sql))
        .await?
        .ok_or_else(|| ServiceError::not_found(entity))?;
    let found = E::Model::from_query_result(&row, "e_")?;
    principal.require(found.company_id(), min, entity)?;
    let other = O::Model::from_query_result_optional(&row, "o_")?
        .ok_or_else(|| ServiceError::not_found_at(other_entity, other_field))?;
    Ok((found, other))
}

/// `alias.column AS alias_column, …` for every column of `T`: two entities' rows read from one
/// joined row with `FromQueryResult::from_query_result(row, "alias_")`.
pub(crate) fn aliased_columns<T: EntityTrait>(alias: &str) -> String {
    use sea_orm::{IdenStatic, Iterable};
    T::Column::iter()
        .map(|c| format!("{alias}.{0} AS {alias}_{0}", c.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}
