//! CSV downloads for spreadsheets and scripts (bearer token as for GraphQL): the ledger of any
//! filtered view, streamed page by page so memory stays flat, and the inventory report.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use futures::{StreamExt, stream};
use sea_orm::DatabaseConnection;
use serde::Deserialize;
use service::csv_cells::{line, plain, text};
use service::ledger::{TransactionType, from_micros, reading, report};
use service::paging::PageRequest;
use service::quantity::from_micro;

use crate::endpoint::{Caller, EndpointError, FileSlot};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LedgerQuery {
    company_id: i64,
    storage_unit_ids: Option<String>,
    ingredient_ids: Option<String>,
    types: Option<String>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    ingredient_active: Option<bool>,
}

fn id_list(s: &Option<String>) -> Option<Vec<i64>> {
    s.as_ref().map(|s| {
        s.split(',')
            .filter(|p| !p.trim().is_empty())
            .map(|p| p.trim().parse().unwrap_or(-1))
            .collect()
    })
}

pub(crate) fn csv(filename: &str) -> actix_web::HttpResponseBuilder {
    let mut r = HttpResponse::Ok();
    r.content_type("text/csv; charset=utf-8").insert_header((
        "Content-Disposition",
        format!("attachment; filename=\"{filename}\""),
    ));
    r
}

/// `GET /api/ledger.csv?companyId=1&ingredientIds=3,4&types=ISSUE,WASTE&from=…&to=…`
pub async fn ledger_csv(
    db: web::Data<DatabaseConnection>,
    slot: FileSlot,
    Caller(principal): Caller,
    q: web::Query<LedgerQuery>,
) -> Result<HttpResponse, EndpointError> {
    let types = q
        .types
        .as_ref()
        .map(|t| {
            t.split(',')
                .map(|t| {
                    service::validate::kind::<TransactionType>(
                        "transactionType",
                        "transaction type",
                        t.trim(),
                    )
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?;
    let filter = reading::LedgerFilter {
        storage_unit_ids: id_list(&q.storage_unit_ids),
        ingredient_ids: id_list(&q.ingredient_ids),
        types,
        from: q.from,
        to: q.to,
        ingredient_active: q.ingredient_active,
        ..Default::default()
    };
    let company = q.company_id;
    // The first page answers errors (a foreign company) before any CSV is sent.
    let first = PageRequest {
        after: None,
        before: None,
        limit: 1000,
        from_end: false,
    };
    let page = reading::page(db.get_ref(), &principal, company, &filter, false, &first).await?;
    let names = reading::names(db.get_ref(), &principal, company).await?;
    let header = line(
        &[
            "id",
            "occurred_at",
            "ingredient",
            "storage_unit",
            "type",
            "quantity",
            "unit_cost",
            "value",
            "balance_after",
            "source",
            "reason",
            "note",
        ]
        .map(String::from),
    );
    let state = (
        Some(page),
        db.get_ref().clone(),
        principal,
        filter,
        names,
        Some(header),
    );
    let body = stream::unfold(
        state,
        move |(page, db, principal, filter, names, header)| async move {
            if let Some(h) = header {
                return Some((
                    Ok::<_, actix_web::Error>(web::Bytes::from(h)),
                    (page, db, principal, filter, names, None),
                ));
            }
            let page = page?;
            let mut chunk = String::new();
            for e in &page.items {
                chunk.push_str(&line(&[
                    plain(&e.id.to_string()),
                    plain(&from_micros(e.occurred_at).to_rfc3339()),
                    text(
                        names
                            .ingredients
                            .get(&e.ingredient_id)
                            .map_or("", String::as_str),
                    ),
                    text(
                        names
                            .storage_units
                            .get(&e.storage_unit_id)
                            .map_or("", String::as_str),
                    ),
                    plain(&e.transaction_type.code()),
                    plain(&from_micro(e.quantity_micro).to_string()),
                    plain(
                        &e.unit_cost_micro
                            .map(|c| from_micro(c).to_string())
                            .unwrap_or_default(),
                    ),
                    plain(&from_micro(e.value_micro).to_string()),
                    plain(&from_micro(e.balance_after_micro).to_string()),
                    plain(&e.source_kind.code()),
                    text(e.reason.as_deref().unwrap_or("")),
                    text(e.note.as_deref().unwrap_or("")),
                ]));
            }
            let next = match (page.has_next, page.items.last()) {
                (true, Some(last)) => {
                    let request = PageRequest {
                        after: Some((last.occurred_at, last.id)),
                        before: None,
                        limit: 1000,
                        from_end: false,
                    };
                    reading::page(&db, &principal, company, &filter, false, &request)
                        .await
                        .ok()
                }
                _ => None,
            };
            Some((
                Ok(web::Bytes::from(chunk)),
                (next, db, principal, filter, names, None),
            ))
        },
    );
    // The place is held while the file streams out, not only while the first page is read.
    let body = body.map(move |chunk: Result<web::Bytes, actix_web::Error>| {
        let _held = &slot;
        chunk
    });
    Ok(csv("ledger.csv").streaming(body))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportQuery {
    company_id: i64,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    storage_unit_ids: Option<String>,
    ingredient_ids: Option<String>,
    recipe_id: Option<i64>,
    #[serde(default)]
    active_only: bool,
}

/// `GET /api/reports/inventory.csv?companyId=1&from=…&to=…` (default: yesterday).
pub async fn inventory_csv(
    db: web::Data<DatabaseConnection>,
    _slot: FileSlot,
    Caller(principal): Caller,
    q: web::Query<ReportQuery>,
) -> Result<HttpResponse, EndpointError> {
    let filter = report::ReportFilter {
        ingredient_ids: id_list(&q.ingredient_ids),
        storage_unit_ids: id_list(&q.storage_unit_ids),
        recipe_id: q.recipe_id,
        types: None,
        active_only: q.active_only,
    };
    let report = report::inventory_report(
        db.get_ref(),
        &principal,
        q.company_id,
        q.from,
        q.to,
        &filter,
    )
    .await?;
    let mut out = line(
        &[
            "ingredient",
            "storage_unit",
            "unit",
            "opening_qty",
            "opening_value",
            "receipts_qty",
            "receipts_value",
            "issues_qty",
            "issues_value",
            "waste_qty",
            "waste_value",
            "adjustments_qty",
            "adjustments_value",
            "transfers_in_qty",
            "transfers_in_value",
            "transfers_out_qty",
            "transfers_out_value",
            "closing_qty",
            "closing_value",
        ]
        .map(String::from),
    );
    let amounts = |r: &report::ReportRow| {
        [
            r.opening,
            r.receipts,
            r.issues,
            r.waste,
            r.adjustments,
            r.transfers_in,
            r.transfers_out,
            r.closing,
        ]
        .iter()
        .flat_map(|a| {
            [
                plain(&from_micro(a.quantity).to_string()),
                plain(&format!("{:.2}", from_micro(a.value))),
            ]
        })
        .collect::<Vec<_>>()
    };
    for r in &report.rows {
        let mut cells = vec![
            text(r.ingredient.as_ref().map_or("", |i| i.name.as_str())),
            text(r.storage_unit.as_ref().map_or("", |s| s.name.as_str())),
            plain(r.ingredient.as_ref().map_or("", |i| i.base_unit.as_str())),
        ];
        cells.extend(amounts(r));
        out.push_str(&line(&cells));
    }
    let mut totals = vec![plain("Total"), String::new(), String::new()];
    totals.extend(
        amounts(&report.totals)
            .into_iter()
            .enumerate()
            .map(|(i, c)| if i % 2 == 0 { String::new() } else { c }),
    );
    out.push_str(&line(&totals));
    Ok(csv(&format!(
        "inventory-{}-{}.csv",
        report.from.date_naive(),
        report.to.date_naive()
    ))
    .body(out))
}
