//! An invoice as a person checks it before posting: each line beside what it was matched to —
//! its quantity in the ingredient's base unit, its cost per base unit, what the order asked for
//! and what was received, the order's price and the last receipt's — so that the differences
//! can be seen before anything is posted.

use std::collections::HashMap;

use entity::ledger_entry::{SourceKind, TransactionType};
use entity::{ingredient, invoice, invoice_line, ledger_entry, product, purchase_order_item};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::unit_codes;
use crate::error::{ServiceError, ServiceResult};
use crate::quantity::from_micro;
use crate::units::BaseUnit;

#[derive(Debug, Clone)]
pub struct InvoiceView {
    pub invoice: invoice::Model,
    pub lines: Vec<LineView>,
}

#[derive(Debug, Clone)]
pub struct LineView {
    pub line: invoice_line::Model,
    pub product: Option<product::Model>,
    /// The line's quantity in the ingredient's base unit (packs × packaging factor, or a mass
    /// or volume converted); None when unmatched, not stock, or in a unit that does not convert.
    pub base_quantity: Option<Decimal>,
    /// Line net amount ÷ base quantity.
    pub unit_cost: Option<Decimal>,
    /// What the order asked for and what was received of this product, in base units.
    pub ordered_quantity: Option<Decimal>,
    pub received_quantity: Option<Decimal>,
    /// The order's price per base unit.
    pub order_unit_cost: Option<Decimal>,
    /// The ingredient's last receipt cost per base unit before this invoice.
    pub previous_unit_cost: Option<Decimal>,
    /// Why the line cannot be posted as it is, for the person to fix.
    pub problem: Option<String>,
}

/// An amount as stored: the invoice's own decimal text.
pub fn amount(text: &str) -> ServiceResult<Decimal> {
    text.parse()
        .map_err(|_| ServiceError::Internal(format!("an invoice amount is stored as '{text}'")))
}

pub async fn view<C: ConnectionTrait>(
    db: &C,
    invoice: invoice::Model,
) -> ServiceResult<InvoiceView> {
    let lines = invoice_line::Entity::find()
        .filter(invoice_line::Column::InvoiceId.eq(invoice.id))
        .order_by_asc(invoice_line::Column::Position)
        .all(db)
        .await?;
    let product_ids: Vec<i64> = lines.iter().filter_map(|l| l.product_id).collect();
    let products: HashMap<i64, product::Model> = product::Entity::find()
        .filter(product::Column::Id.is_in(product_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let ingredients: HashMap<i64, ingredient::Model> = ingredient::Entity::find()
        .filter(ingredient::Column::Id.is_in(products.values().map(|p| p.ingredient_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    let order_items: Vec<purchase_order_item::Model> = match invoice.purchase_order_id {
        Some(order_id) => {
            purchase_order_item::Entity::find()
                .filter(purchase_order_item::Column::OrderId.eq(order_id))
                .all(db)
                .await?
        }
        None => Vec::new(),
    };
    let own_lines: Vec<String> = lines.iter().map(|l| l.id.to_string()).collect();
    let mut previous: HashMap<i64, Option<Decimal>> = HashMap::new();
    for ingredient_id in ingredients.keys() {
        let last = ledger_entry::Entity::find()
            .filter(ledger_entry::Column::CompanyId.eq(invoice.company_id))
            .filter(ledger_entry::Column::IngredientId.eq(*ingredient_id))
            .filter(ledger_entry::Column::TransactionType.eq(TransactionType::Receipt))
            .filter(ledger_entry::Column::InputCostMicro.is_not_null())
            .filter(
                sea_orm::Condition::any()
                    .add(ledger_entry::Column::SourceKind.ne(SourceKind::InvoiceLine))
                    .add(ledger_entry::Column::SourceId.is_not_in(own_lines.clone())),
            )
            .order_by_desc(ledger_entry::Column::OccurredAt)
            .order_by_desc(ledger_entry::Column::Id)
            .one(db)
            .await?;
        previous.insert(
            *ingredient_id,
            last.and_then(|e| e.input_cost_micro).map(from_micro),
        );
    }
    let mut views = Vec::with_capacity(lines.len());
    for line in lines {
        let product = line.product_id.and_then(|id| products.get(&id)).cloned();
        let mut view = LineView {
            line,
            product: product.clone(),
            base_quantity: None,
            unit_cost: None,
            ordered_quantity: None,
            received_quantity: None,
            order_unit_cost: None,
            previous_unit_cost: None,
            problem: None,
        };
        if let Some(product) = product {
            let factor = from_micro(product.packaging_factor_micro);
            let base = ingredients
                .get(&product.ingredient_id)
                .map(|i| BaseUnit::parse(&i.base_unit))
                .transpose()?;
            // Signed as the invoice writes it: a negative line on an invoice takes goods back.
            let quantity = amount(&view.line.quantity)?;
            match base.map(|b| unit_codes::base_quantity(quantity, &view.line.unit_code, b, factor))
            {
                Some(Ok(q)) if !q.is_zero() => {
                    let cost = amount(&view.line.net_amount)?.abs() / q.abs();
                    view.unit_cost = Some(cost.round_dp(6));
                    view.base_quantity = Some(q.round_dp(6));
                }
                Some(Ok(_)) => view.problem = Some("the line's quantity is zero".into()),
                Some(Err(why)) => view.problem = Some(why),
                None => view.problem = Some("the product's ingredient is gone".into()),
            }
            if let Some(item) = order_items.iter().find(|i| i.product_id == product.id) {
                view.ordered_quantity = Some(from_micro(item.packs_micro) * factor);
                view.received_quantity = Some(from_micro(item.received_packs_micro) * factor);
                view.order_unit_cost =
                    Some((from_micro(item.price_per_pack_micro) / factor).round_dp(6));
            }
            view.previous_unit_cost = previous.get(&product.ingredient_id).copied().flatten();
        } else if view.line.match_kind != entity::invoice_line::InvoiceLineMatch::NotStock {
            view.problem =
                Some("no product matched: choose one, or mark the line not stock".into());
        }
        views.push(view);
    }
    Ok(InvoiceView {
        invoice,
        lines: views,
    })
}
