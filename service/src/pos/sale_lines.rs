//! Raw sale lines, kept as the POS (or the file) gave them: the pipeline reads them back, the
//! unmapped list sums them, and each ISSUE entry links to the line it came from.

use chrono::NaiveDate;
use entity::pos_sale_line;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, EntityTrait, Set};

use crate::error::ServiceResult;

pub use entity::pos_sale_line::SaleStatus;

#[derive(Debug, Clone)]
pub struct NewSaleLine {
    pub business_date: NaiveDate,
    /// Unique within the location: the POS's own line id, or `csv:<import>:<row>`.
    pub line_key: String,
    pub external_item_id: String,
    pub item_name: String,
    /// Units sold, signed: a refund is negative.
    pub quantity_micro: i64,
    pub sales_value_micro: Option<i64>,
    /// Microseconds since the epoch.
    pub sold_at: i64,
    pub transaction_id: Option<String>,
    pub receipt_number: Option<String>,
    pub status: SaleStatus,
    pub csv_import_id: Option<i64>,
}

/// The items `lines` sold, once each: (POS key, name).
pub fn items_seen(lines: &[NewSaleLine]) -> Vec<(String, String)> {
    lines
        .iter()
        .map(|l| (l.external_item_id.clone(), l.item_name.clone()))
        .collect::<std::collections::BTreeMap<_, _>>()
        .into_iter()
        .collect()
}

/// Stores lines; a line already stored (same key) takes the new values, so a redelivered fetch or
/// a retried import adds nothing and a corrected line replaces the old one.
pub async fn store<C: ConnectionTrait>(
    db: &C,
    company_id: i64,
    location_id: i64,
    lines: &[NewSaleLine],
) -> ServiceResult<()> {
    // One row per key (the last answer wins): an upsert may not touch a row twice.
    let mut seen = std::collections::HashSet::new();
    let mut unique: Vec<&NewSaleLine> = lines
        .iter()
        .rev()
        .filter(|l| seen.insert(l.line_key.as_str()))
        .collect();
    unique.reverse();
    for chunk in unique.chunks(500) {
        let rows = chunk.iter().map(|l| pos_sale_line::ActiveModel {
            company_id: Set(company_id),
            location_id: Set(location_id),
            business_date: Set(l.business_date),
            line_key: Set(l.line_key.clone()),
            external_item_id: Set(l.external_item_id.clone()),
            item_name: Set(l.item_name.clone()),
            quantity_micro: Set(l.quantity_micro),
            sales_value_micro: Set(l.sales_value_micro),
            sold_at: Set(l.sold_at),
            transaction_id: Set(l.transaction_id.clone()),
            receipt_number: Set(l.receipt_number.clone()),
            status: Set(l.status),
            csv_import_id: Set(l.csv_import_id),
            ..Default::default()
        });
        pos_sale_line::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::columns([
                    pos_sale_line::Column::LocationId,
                    pos_sale_line::Column::LineKey,
                ])
                // A POS may correct a line after it was first fetched (a late void, a quantity
                // fixed): the newest answer wins, and the pipeline posts the difference.
                .update_columns([
                    pos_sale_line::Column::ExternalItemId,
                    pos_sale_line::Column::ItemName,
                    pos_sale_line::Column::QuantityMicro,
                    pos_sale_line::Column::SalesValueMicro,
                    pos_sale_line::Column::Status,
                ])
                .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}
