//! Shared set-up of the benchmarks: a company with a Kitchen, 40 ingredients (KG) with plenty
//! of stock received long ago, and 50 recipes of 4 ingredients each.

use std::collections::HashMap;

use chrono::{Duration, Utc};
use rust_decimal::Decimal;
use sea_orm::DatabaseConnection;
use service::access::{Principal, Role};

pub const INGREDIENTS: usize = 40;
pub const RECIPES: usize = 50;

/// A company set up for a benchmark.
pub struct BenchCompany {
    pub principal: Principal,
    pub id: i64,
    pub kitchen: i64,
    pub ingredients: Vec<i64>,
    pub recipes: Vec<i64>,
}

/// Signs up `email`'s company (in `timezone`) and fills it as the module says.
pub async fn company(db: &DatabaseConnection, email: &str, timezone: &str) -> BenchCompany {
    let session = service::accounts::sign_up(
        db,
        service::accounts::SignUp {
            email: email.into(),
            password: "benchmark!".into(),
            name: "Bench".into(),
            company_name: format!("Bistro {email}"),
            timezone: Some(timezone.into()),
            currency: None,
        },
        Duration::hours(1),
    )
    .await
    .unwrap();
    let id = service::memberships::user_memberships(db, session.user.id)
        .await
        .unwrap()[0]
        .0
        .id;
    let principal = Principal::User {
        user_id: session.user.id,
        memberships: HashMap::from([(id, Role::Owner)]),
    };
    let p = &principal;
    let kitchen = service::storage_units::create(db, p, id, "Kitchen", None)
        .await
        .unwrap()
        .id;
    let mut ingredients = Vec::new();
    for i in 0..INGREDIENTS {
        let input = service::ingredients::IngredientInput {
            name: format!("Ingredient {i:02}"),
            base_unit: service::units::BaseUnit::Kg,
            category: None,
            active: true,
            packaging_levels: vec![],
        };
        ingredients.push(
            service::ingredients::create(db, p, id, input)
                .await
                .unwrap()
                .id,
        );
    }
    let mut recipes = Vec::new();
    for r in 0..RECIPES {
        let lines = (0..4)
            .map(|k| service::recipes::RecipeLineInput {
                ingredient_id: Some(ingredients[(r * 3 + k * 7) % INGREDIENTS]),
                sub_recipe_id: None,
                quantity: Decimal::new(10 + (r * k) as i64 % 90, 0),
                unit: service::units::Unit::G,
                trim_percent: Decimal::ZERO,
                issue_storage_unit_id: None,
            })
            .collect();
        let input = service::recipes::RecipeInput {
            name: format!("Dish {r:02}"),
            yield_quantity: Decimal::ONE,
            active: true,
            default_issue_storage_unit_id: None,
            menu_price: None,
            lines,
        };
        recipes.push(service::recipes::create(db, p, id, input).await.unwrap().id);
    }
    let long_ago = service::ledger::to_micros(Utc::now() - Duration::days(400));
    let receipts = ingredients
        .iter()
        .map(|i| {
            let mut e = service::ledger::posting::NewEntry::new(
                id,
                *i,
                kitchen,
                service::ledger::TransactionType::Receipt,
                1_000_000_000_000,
                long_ago,
            );
            e.input_cost_micro = Some(2_000_000);
            e
        })
        .collect();
    let txn = service::db::begin_write(db).await.unwrap();
    service::ledger::posting::post(&txn, receipts)
        .await
        .unwrap();
    sea_orm::TransactionSession::commit(txn).await.unwrap();
    BenchCompany {
        principal,
        id,
        kitchen,
        ingredients,
        recipes,
    }
}
