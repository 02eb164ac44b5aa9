//! Demo data: one believable restaurant — Trattoria Larder — so a newcomer lands in a living
//! system. Seeded only into an empty database, in one transaction, through the same service
//! calls the API and the jobs make: its master data ([`restaurant`]), then ninety days of its
//! life ([`history`]), then today's loose ends (an order on its way, a transfer in transit) and
//! what purchasing needs ([`purchasing`]: preferred products and stock policies).

mod counting;
mod history;
mod invoices;
mod purchasing;
pub mod restaurant;

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, Utc};
use entity::{company, user};
use rust_decimal::Decimal;
use sea_orm::{EntityTrait, PaginatorTrait};

use crate::access::{Principal, Role};
use crate::db::Writer;
use crate::error::{ServiceError, ServiceResult};
use crate::ingredients::{IngredientInput, PackagingLevelInput};
use crate::pos::{Provider, integrations, locations, mappings};
use crate::products::ProductInput;
use crate::recipes::{RecipeBook, RecipeInput, RecipeLineInput};
use crate::units::Unit;
use crate::vendors::VendorInput;
use crate::{accounts, business_days, ingredients, memberships, products, recipes};
use crate::{storage_units, transfers, vendors};
use restaurant::{INGREDIENTS, MENU, Part, RECIPES, Sold, Store, Till, VENDORS};

pub const DEMO_EMAIL: &str = "demo@larder.local";
/// Days of history before today.
pub const HISTORY_DAYS: i64 = 90;

pub enum Seeded {
    Created,
    AlreadyPresent,
}

/// An ingredient's usual product: the vendor and the pack it comes in.
struct Supply {
    vendor_id: i64,
    product_id: i64,
    /// Base units in one pack.
    pack: Decimal,
}

/// The seeded restaurant's ids, as the history needs them.
struct Trattoria {
    owner: Principal,
    company: company::Model,
    stores: HashMap<Store, i64>,
    ingredients: HashMap<&'static str, i64>,
    recipes: HashMap<&'static str, i64>,
    supply: HashMap<i64, Supply>,
    /// Each till's POS location.
    tills: Vec<(Till, i64)>,
    book: RecipeBook,
}

impl Trattoria {
    fn store_of(&self, storage_unit_id: i64) -> Option<Store> {
        self.stores
            .iter()
            .find(|(_, id)| **id == storage_unit_id)
            .map(|(store, _)| *store)
    }

    /// `hour:minute` on `date`'s business day, on the company's wall clock.
    fn at(&self, date: NaiveDate, hour: u32, minute: u32) -> chrono::DateTime<Utc> {
        let time = chrono::NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or_default();
        business_days::local_to_utc(&self.company, date.and_time(time))
    }
}

/// Seeds the demo restaurant into an empty database (no users yet).
pub async fn seed<C: Writer>(
    db: &C,
    cipher: &crate::crypto::Cipher,
    password: &str,
) -> ServiceResult<Seeded> {
    if user::Entity::find().count(db).await? > 0 {
        return Ok(Seeded::AlreadyPresent);
    }
    let txn = crate::db::begin_write(db).await?;
    let session = accounts::sign_up(
        &txn,
        accounts::SignUp {
            email: DEMO_EMAIL.into(),
            password: password.into(),
            name: "Demo Manager".into(),
            company_name: "Trattoria Larder".into(),
            timezone: Some("Europe/Berlin".into()),
            currency: Some("EUR".into()),
        },
        Duration::minutes(1),
    )
    .await?;
    let company = memberships::user_memberships(&txn, session.user.id).await?[0]
        .0
        .clone();
    let owner = Principal::User {
        user_id: session.user.id,
        memberships: HashMap::from([(company.id, Role::Owner)]),
    };
    // The tills' prices and the menu include VAT: 7 %, as food served in Germany from 2026.
    let vat = crate::companies::CompanyPatch {
        sales_vat_percent: Some(DEMO_VAT_PERCENT),
        ..Default::default()
    };
    let company = crate::companies::update(&txn, &owner, company.id, vat).await?;
    let mut t = furnish(&txn, owner, company).await?;
    t.tills = open_tills(&txn, cipher, &t).await?;
    let today = business_days::business_date_of(&t.company, Utc::now());
    history::live_through(
        &txn,
        &t,
        today - Duration::days(HISTORY_DAYS),
        today - Duration::days(1),
    )
    .await?;
    loose_ends(&txn, &t).await?;
    invoices::set_up(&txn, &t, today).await?;
    purchasing::set_up(&txn, &t).await?;
    counting::set_up(&txn, &t).await?;
    for (_, location) in &t.tills {
        // Queues the 90-day migration, which finds every day already posted: nothing new.
        locations::activate(&txn, &t.owner, *location).await?;
    }
    // The demo's sign-up session is not handed to anyone.
    accounts::logout(&txn, &session.token).await?;
    txn.commit().await?;
    Ok(Seeded::Created)
}

/// Storage units, ingredients, recipes, vendors and their products.
async fn furnish<C: Writer>(
    db: &C,
    owner: Principal,
    company: company::Model,
) -> ServiceResult<Trattoria> {
    let mut stores = HashMap::new();
    for store in Store::ALL {
        let unit =
            storage_units::create(db, &owner, company.id, store.name(), Some(store.address()))
                .await?;
        stores.insert(store, unit.id);
    }
    let mut ingredient_ids = HashMap::new();
    for demo in INGREDIENTS {
        let input = IngredientInput {
            name: demo.name.into(),
            base_unit: demo.base_unit,
            category: Some(demo.category.into()),
            active: true,
            packaging_levels: demo
                .pack
                .iter()
                .map(|(name, factor)| PackagingLevelInput {
                    name: (*name).into(),
                    factor: *factor,
                })
                .collect(),
        };
        let created = ingredients::create(db, &owner, company.id, input).await?;
        ingredient_ids.insert(demo.name, created.id);
    }
    let mut recipe_ids: HashMap<&'static str, i64> = HashMap::new();
    for demo in RECIPES {
        let lines = demo
            .parts
            .iter()
            .map(|part| match part {
                Part::Ingredient {
                    name,
                    quantity,
                    unit,
                    trim,
                    from,
                } => RecipeLineInput {
                    ingredient_id: Some(ingredient_ids[name]),
                    sub_recipe_id: None,
                    quantity: *quantity,
                    unit: *unit,
                    trim_percent: *trim,
                    issue_storage_unit_id: from.map(|s| stores[&s]),
                },
                Part::Sub { recipe, portions } => RecipeLineInput {
                    ingredient_id: None,
                    sub_recipe_id: Some(recipe_ids[recipe]),
                    quantity: *portions,
                    unit: Unit::Pcs,
                    trim_percent: Decimal::ZERO,
                    issue_storage_unit_id: None,
                },
            })
            .collect();
        let input = RecipeInput {
            name: demo.name.into(),
            yield_quantity: demo.yields,
            active: true,
            default_issue_storage_unit_id: Some(stores[&demo.issued_from]),
            menu_price: menu_price(demo.name),
            lines,
        };
        recipe_ids.insert(
            demo.name,
            recipes::create(db, &owner, company.id, input).await?.id,
        );
    }
    let mut supply = HashMap::new();
    let mut numbered = 0;
    for demo in VENDORS {
        let input = VendorInput {
            name: demo.name.into(),
            email: Some(demo.email.into()),
            lead_time_days: Some(demo.lead_time_days),
            order_weekdays: Some(demo.order_weekdays.to_vec()),
            minimum_order_value: Some(demo.minimum_order_value),
            vat_id: Some(Some(demo.vat_id.into())),
            ..Default::default()
        };
        let vendor_id = vendors::create(db, &owner, company.id, input).await?.id;
        for p in demo.products {
            numbered += 1;
            let input = ProductInput {
                vendor_id,
                ingredient_id: ingredient_ids[p.ingredient],
                name: p.name.into(),
                sku: p.sku.into(),
                pack_name: Some(p.pack.into()),
                packaging_factor: p.factor,
                packaging_unit: None,
                minimum_packs: None,
                gtin: Some(Some(counting::demo_gtin(numbered))),
            };
            let product = products::create(db, &owner, company.id, input).await?;
            supply.insert(
                product.ingredient_id,
                Supply {
                    vendor_id,
                    product_id: product.id,
                    pack: p.factor,
                },
            );
        }
    }
    if let Some(missing) = INGREDIENTS
        .iter()
        .find(|i| !supply.contains_key(&ingredient_ids[i.name]))
    {
        return Err(ServiceError::Internal(format!(
            "the demo buys {} from no vendor",
            missing.name
        )));
    }
    let book = RecipeBook::load(db, company.id).await?;
    Ok(Trattoria {
        owner,
        company,
        stores,
        ingredients: ingredient_ids,
        recipes: recipe_ids,
        supply,
        tills: Vec::new(),
        book,
    })
}

/// The tills: a CSV integration (the till's end-of-day export) with the dining room's location
/// linked to the Kitchen and the bar's to the Bar, every item mapped but the bread basket, so
/// the working list has something on it. The sample file `web/sample/sales-sample.csv` (served
/// at `/sales-sample.csv`) uploads into it.
async fn open_tills<C: Writer>(
    db: &C,
    cipher: &crate::crypto::Cipher,
    t: &Trattoria,
) -> ServiceResult<Vec<(Till, i64)>> {
    let integration = integrations::create(
        db,
        cipher,
        &t.owner,
        t.company.id,
        Provider::Csv,
        "Till export (CSV)",
    )
    .await?;
    integrations::configure_csv(db, &t.owner, integration.id, DEMO_CSV_CONFIG.clone()).await?;
    let mut tills = Vec::new();
    for till in Till::ALL {
        let location = locations::create(
            db,
            &t.owner,
            integration.id,
            till.external_id(),
            till.name(),
        )
        .await?;
        locations::link_storage_unit(db, &t.owner, location.id, t.stores[&till.store()]).await?;
        tills.push((till, location.id));
    }
    let items: Vec<(String, String)> = MENU
        .iter()
        .map(|i| (i.code.to_string(), i.name.to_string()))
        .collect();
    mappings::remember_items(db, t.company.id, integration.id, &items).await?;
    for item in MENU {
        let (target, factor) = match item.sold {
            Sold::Recipe(name) => (mappings::Target::Recipe(t.recipes[name]), Decimal::ONE),
            Sold::Ingredient(name, per_unit) => {
                (mappings::Target::Ingredient(t.ingredients[name]), per_unit)
            }
            Sold::Nothing => (mappings::Target::Ignore, Decimal::ZERO),
            Sold::Unmapped => continue,
        };
        mappings::map_item(
            db,
            &t.owner,
            integration.id,
            item.code,
            Some(target),
            factor,
        )
        .await?;
    }
    Ok(tills)
}

/// Today, before anything is posted: the cheese order is on its way (receive it on the Orders
/// page), and prosecco and soda water are in transit to the Bar (receive them on the Transfers
/// page).
async fn loose_ends<C: Writer>(db: &C, t: &Trattoria) -> ServiceResult<()> {
    let cheese = ["Mozzarella", "Mascarpone", "Parmesan"];
    let today = business_days::business_date_of(&t.company, Utc::now());
    let last = today - Duration::days(1);
    let mut items = Vec::new();
    let mut vendor = None;
    for name in cheese {
        let id = t.ingredients[name];
        let supply = &t.supply[&id];
        vendor = Some(supply.vendor_id);
        let list = INGREDIENTS
            .iter()
            .find(|i| i.name == name)
            .map_or(Decimal::ZERO, |i| i.price);
        items.push(crate::orders::OrderItemInput {
            product_id: supply.product_id,
            packs: Decimal::from(4),
            price_per_pack: (history::unit_price(name, list, today, last) * supply.pack)
                .round_dp(2),
        });
    }
    if let Some(vendor) = vendor {
        let order = crate::orders::create(
            db,
            &t.owner,
            t.company.id,
            crate::orders::NewOrder {
                vendor_id: vendor,
                reference: Some(format!("PO-{}-today", today.format("%Y%m%d"))),
                storage_unit_id: Some(t.stores[&Store::Main]),
                items,
            },
        )
        .await?;
        crate::orders::send(db, &t.owner, order.id).await?;
    }
    // Half of what Main Storage holds of the bar's bubbly, on its way to the Bar.
    let held = crate::ledger::reading::stock_levels(
        db,
        &t.owner,
        t.company.id,
        Some(t.stores[&Store::Main]),
    )
    .await?;
    let lines = ["Prosecco", "Soda water"]
        .into_iter()
        .filter_map(|name| {
            let id = t.ingredients[name];
            let quantity = held
                .iter()
                .find(|b| b.ingredient_id == id)
                .map(|b| (crate::quantity::from_micro(b.quantity_micro) / Decimal::TWO).floor())?;
            (quantity > Decimal::ZERO).then_some(transfers::TransferLineInput {
                ingredient_id: id,
                quantity,
                unit: None,
                lot_number: None,
                expiry_date: None,
            })
        })
        .collect::<Vec<_>>();
    if lines.is_empty() {
        return Ok(());
    }
    let transfer = transfers::create(
        db,
        &t.owner,
        t.stores[&Store::Main],
        t.stores[&Store::Bar],
        lines,
        Some("For the evening's spritzes".into()),
    )
    .await?;
    transfers::ship(db, &t.owner, transfer.id, None).await?;
    Ok(())
}

/// The sample file's layout: `Date;Receipt;Code;Item;Qty;Total` with decimal commas.
pub static DEMO_CSV_CONFIG: std::sync::LazyLock<crate::pos::csv_import::CsvConfig> =
    std::sync::LazyLock::new(|| crate::pos::csv_import::CsvConfig {
        delimiter: ";".into(),
        has_header: true,
        code_column: "Code".into(),
        name_column: Some("Item".into()),
        quantity_column: "Qty".into(),
        sales_value_column: Some("Total".into()),
        date_column: "Date".into(),
        date_format: "%d.%m.%Y %H:%M".into(),
        decimal_separator: Some(",".into()),
        encoding: Some("utf-8".into()),
    });

/// The VAT the demo's menu prices and till values include.
const DEMO_VAT_PERCENT: Decimal = Decimal::from_parts(7, 0, 0, false, 0);

/// What the menu charges for a portion of a recipe (gross), when the menu sells it.
fn menu_price(recipe: &str) -> Option<Decimal> {
    MENU.iter()
        .find(|item| matches!(item.sold, Sold::Recipe(name) if name == recipe))
        .and_then(|item| item.price)
}
