//! The food cost reports as CSV downloads (bearer token as for GraphQL): actual vs theoretical
//! usage, menu engineering and price changes — the same figures the GraphQL reports give,
//! money to two places and percentages to one, as a spreadsheet reads them.

use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sea_orm::DatabaseConnection;
use serde::Deserialize;
use service::csv_cells::{line, plain, text};
use service::food_cost::{menu, prices, variance};
use service::owned::{ById, by_ids};
use service::quantity::from_micro;
use service::records;

use crate::endpoint::{Caller, EndpointError, FileSlot};
use crate::exports::csv;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PeriodQuery {
    company_id: i64,
    storage_unit_id: Option<i64>,
    integration_id: Option<i64>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
}

fn money(v: Decimal) -> String {
    plain(&format!("{:.2}", v))
}

fn percent(v: Option<Decimal>) -> String {
    v.map(|p| plain(&format!("{:.1}", p))).unwrap_or_default()
}

/// Names of the records a report points at by id, loaded in one query per kind.
async fn names<R: ById>(
    db: &DatabaseConnection,
    ids: impl Iterator<Item = i64>,
    name: impl Fn(&R) -> String,
) -> Result<HashMap<i64, String>, EndpointError> {
    let ids: Vec<i64> = ids.collect();
    Ok(by_ids::<R, _>(db, &ids)
        .await?
        .iter()
        .map(|(id, r)| (*id, name(r)))
        .collect())
}

fn period_name(kind: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    format!("{kind}-{}-{}.csv", from.date_naive(), to.date_naive())
}

/// `GET /api/reports/variance.csv?companyId=1&storageUnitId=2&from=…&to=…` (default: between
/// the last two counts).
pub async fn variance_csv(
    db: web::Data<DatabaseConnection>,
    _slot: FileSlot,
    Caller(principal): Caller,
    q: web::Query<PeriodQuery>,
) -> Result<HttpResponse, EndpointError> {
    let r = variance::variance_report(
        db.get_ref(),
        &principal,
        q.company_id,
        q.storage_unit_id,
        q.from,
        q.to,
    )
    .await?;
    let ingredients =
        names::<records::Ingredient>(&db, r.rows.iter().filter_map(|r| r.ingredient_id), |i| {
            i.name.clone()
        })
        .await?;
    let units =
        names::<records::StorageUnit>(&db, r.rows.iter().filter_map(|r| r.storage_unit_id), |s| {
            s.name.clone()
        })
        .await?;
    let mut out = line(
        &[
            "ingredient",
            "storage_unit",
            "counted_at_start",
            "counted_at_end",
            "opening_qty",
            "receipts_qty",
            "transfers_in_qty",
            "transfers_out_qty",
            "closing_qty",
            "theoretical_qty",
            "theoretical_value",
            "waste_qty",
            "waste_value",
            "other_issues_qty",
            "other_issues_value",
            "unexplained_qty",
            "unexplained_value",
            "actual_qty",
            "actual_value",
            "variance_qty",
            "variance_value",
            "variance_percent",
        ]
        .map(String::from),
    );
    let row = |r: &variance::VarianceRow, ingredient: &str, unit: &str| {
        let qty = |a: service::ledger::report::Amount| plain(&from_micro(a.quantity).to_string());
        let value = |a: service::ledger::report::Amount| money(from_micro(a.value));
        line(&[
            text(ingredient),
            text(unit),
            plain(&r.counted_at_start.to_string()),
            plain(&r.counted_at_end.to_string()),
            qty(r.opening),
            qty(r.receipts),
            qty(r.transfers_in),
            qty(r.transfers_out),
            qty(r.closing),
            qty(r.theoretical),
            value(r.theoretical),
            qty(r.waste),
            value(r.waste),
            qty(r.other_issues),
            value(r.other_issues),
            qty(r.unexplained),
            value(r.unexplained),
            qty(r.actual()),
            value(r.actual()),
            qty(r.variance()),
            value(r.variance()),
            percent(r.variance_percent()),
        ])
    };
    for r in &r.rows {
        let name = |map: &HashMap<i64, String>, id: Option<i64>| {
            id.and_then(|id| map.get(&id).cloned()).unwrap_or_default()
        };
        out.push_str(&row(
            r,
            &name(&ingredients, r.ingredient_id),
            &name(&units, r.storage_unit_id),
        ));
    }
    out.push_str(&row(&r.totals, "Total", ""));
    Ok(csv(&period_name("variance", r.from, r.to)).body(out))
}

/// `GET /api/reports/menu-engineering.csv?companyId=1&from=…&to=…&integrationId=…`
pub async fn menu_engineering_csv(
    db: web::Data<DatabaseConnection>,
    _slot: FileSlot,
    Caller(principal): Caller,
    q: web::Query<PeriodQuery>,
) -> Result<HttpResponse, EndpointError> {
    let (from, to) = service::food_cost::period::or_recent(q.from, q.to)?;
    let m = menu::menu_engineering(
        db.get_ref(),
        &principal,
        q.company_id,
        from,
        to,
        q.integration_id,
    )
    .await?;
    let mut out = line(
        &[
            "external_id",
            "item",
            "units_sold",
            "revenue",
            "cost",
            "margin",
            "food_cost_percent",
            "margin_per_unit",
            "class",
        ]
        .map(String::from),
    );
    for i in &m.items {
        let class = i.menu_class.map(|c| format!("{c:?}").to_uppercase());
        out.push_str(&line(&[
            text(&i.external_id),
            text(&i.name),
            plain(&i.units_sold.to_string()),
            i.revenue.map(money).unwrap_or_default(),
            money(i.cost),
            i.margin.map(money).unwrap_or_default(),
            percent(i.food_cost_percent),
            i.margin_per_unit.map(money).unwrap_or_default(),
            plain(class.as_deref().unwrap_or("")),
        ]));
    }
    out.push_str(&line(&[
        plain("Total"),
        String::new(),
        String::new(),
        money(m.total_revenue),
        money(m.total_cost),
        money(m.total_revenue - m.total_cost),
    ]));
    Ok(csv(&period_name("menu-engineering", m.from, m.to)).body(out))
}

/// `GET /api/reports/price-changes.csv?companyId=1&from=…&to=…` (default: the last 30 days).
pub async fn price_changes_csv(
    db: web::Data<DatabaseConnection>,
    _slot: FileSlot,
    Caller(principal): Caller,
    q: web::Query<PeriodQuery>,
) -> Result<HttpResponse, EndpointError> {
    let changes =
        prices::price_changes(db.get_ref(), &principal, q.company_id, q.from, q.to).await?;
    let ingredients =
        names::<records::Ingredient>(&db, changes.iter().map(|c| c.ingredient_id), |i| {
            i.name.clone()
        })
        .await?;
    let vendors = names::<records::Vendor>(&db, changes.iter().filter_map(|c| c.vendor_id), |v| {
        v.name.clone()
    })
    .await?;
    let products =
        names::<records::Product>(&db, changes.iter().filter_map(|c| c.product_id), |p| {
            p.name.clone()
        })
        .await?;
    let recipes = names::<records::Recipe>(
        &db,
        changes
            .iter()
            .flat_map(|c| c.recipes.iter().map(|r| r.recipe_id)),
        |r| r.name.clone(),
    )
    .await?;
    let mut out = line(
        &[
            "occurred_at",
            "ingredient",
            "vendor",
            "product",
            "previous_unit_cost",
            "unit_cost",
            "change_percent",
            "recipes",
        ]
        .map(String::from),
    );
    let name = |map: &HashMap<i64, String>, id: Option<i64>| {
        id.and_then(|id| map.get(&id).cloned()).unwrap_or_default()
    };
    for c in &changes {
        let moved: Vec<String> = c
            .recipes
            .iter()
            .map(|r| {
                format!(
                    "{}: {:.2} → {:.2}",
                    name(&recipes, Some(r.recipe_id)),
                    r.before,
                    r.after
                )
            })
            .collect();
        out.push_str(&line(&[
            plain(&c.occurred_at.to_rfc3339()),
            text(&name(&ingredients, Some(c.ingredient_id))),
            text(&name(&vendors, c.vendor_id)),
            text(&name(&products, c.product_id)),
            plain(&c.previous_unit_cost.to_string()),
            plain(&c.unit_cost.to_string()),
            percent(Some(c.change_percent)),
            text(&moved.join("; ")),
        ]));
    }
    Ok(csv("price-changes.csv").body(out))
}
