//! The demo's purchasing: every ingredient ordered in its usual product, and stock policies on
//! what the kitchen and the bar use most — automatic from their usage — and a manual par on
//! Main Storage's dry goods, so the Purchasing page has real suggestions on first start.

use crate::db::Writer;
use crate::error::ServiceResult;
use crate::ingredients::{self, IngredientPatch};
use crate::purchasing::policies::{self, StockPolicyInput, StockPolicyKind};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::Trattoria;
use super::restaurant::Store;

/// Automatic policies: what each storage unit uses from POS sales.
const AUTOMATIC: &[(Store, &[&str])] = &[
    (
        Store::Kitchen,
        &[
            "Tomatoes",
            "Mozzarella",
            "Flour 00",
            "Eggs",
            "Cream",
            "Mushrooms",
            "Basil",
            "Spaghetti",
            "Chicken breast",
            "Potatoes",
            "Parmesan",
            "Guanciale",
        ],
    ),
    (
        Store::Bar,
        &[
            "Milk",
            "Coffee beans",
            "Cola",
            "Aperol",
            "Prosecco",
            "Lemons",
            "Limes",
            "Mint",
        ],
    ),
];

/// Manual policies on Main Storage: (ingredient, reorder point, par level) in base units.
const MANUAL: &[(&str, Decimal, Decimal)] = &[
    ("Olive oil", dec!(10), dec!(30)),
    ("Sugar", dec!(5), dec!(20)),
    ("Salt", dec!(3), dec!(10)),
];

pub(super) async fn set_up<C: Writer>(db: &C, t: &Trattoria) -> ServiceResult<()> {
    for (ingredient, supply) in &t.supply {
        let patch = IngredientPatch {
            preferred_product_id: Some(Some(supply.product_id)),
            ..Default::default()
        };
        ingredients::update(db, &t.owner, *ingredient, patch).await?;
    }
    let mut inputs = Vec::new();
    for (store, names) in AUTOMATIC {
        for name in *names {
            inputs.push(StockPolicyInput {
                ingredient_id: t.ingredients[name],
                storage_unit_id: t.stores[store],
                kind: StockPolicyKind::Automatic,
                reorder_point: None,
                par_level: None,
                review_days: Some(3),
                safety_days: Some(Decimal::ONE),
                usage_window_days: Some(28),
            });
        }
    }
    for (name, reorder, par) in MANUAL {
        inputs.push(StockPolicyInput {
            ingredient_id: t.ingredients[name],
            storage_unit_id: t.stores[&Store::Main],
            kind: StockPolicyKind::Manual,
            reorder_point: Some(*reorder),
            par_level: Some(*par),
            review_days: None,
            safety_days: None,
            usage_window_days: None,
        });
    }
    policies::set_many(db, &t.owner, t.company.id, inputs, "policies").await?;
    Ok(())
}
