//! Demo data: one realistic restaurant — Trattoria Larder — so a newcomer lands in a living
//! system. Seeded only into an empty database, through the same service calls the API makes.

use crate::db::Writer;
use std::collections::HashMap;

use entity::user;
use rust_decimal::Decimal;
use sea_orm::{EntityTrait, PaginatorTrait};

use crate::access::{Principal, Role};
use crate::error::ServiceResult;
use crate::ingredients::{IngredientInput, PackagingLevelInput};
use crate::ledger::SourceKind;
use crate::products::ProductInput;
use crate::recipes::{RecipeInput, RecipeLineInput};
use crate::units::{BaseUnit, Unit};
use crate::vendors::VendorInput;
use crate::{accounts, ingredients, memberships, products, recipes, storage_units, vendors};

pub const DEMO_EMAIL: &str = "demo@larder.local";

pub enum Seeded {
    Created,
    AlreadyPresent,
}

/// (name, base unit, category, packaging levels as (name, factor))
type DemoIngredient = (
    &'static str,
    BaseUnit,
    &'static str,
    &'static [(&'static str, &'static str)],
);
const INGREDIENTS: &[DemoIngredient] = &[
    ("Tomatoes", BaseUnit::Kg, "Produce", &[("box", "10")]),
    ("Onions", BaseUnit::Kg, "Produce", &[("sack", "25")]),
    ("Garlic", BaseUnit::Kg, "Produce", &[]),
    ("Basil", BaseUnit::Kg, "Produce", &[]),
    ("Lemons", BaseUnit::Pcs, "Produce", &[("box", "80")]),
    ("Limes", BaseUnit::Pcs, "Produce", &[("box", "100")]),
    ("Mint", BaseUnit::Kg, "Produce", &[]),
    ("Rocket", BaseUnit::Kg, "Produce", &[("box", "2")]),
    ("Potatoes", BaseUnit::Kg, "Produce", &[("sack", "25")]),
    ("Mushrooms", BaseUnit::Kg, "Produce", &[("box", "3")]),
    ("Mozzarella", BaseUnit::Kg, "Dairy", &[("case", "6")]),
    ("Parmesan", BaseUnit::Kg, "Dairy", &[]),
    ("Butter", BaseUnit::Kg, "Dairy", &[("case", "10")]),
    ("Cream", BaseUnit::L, "Dairy", &[("case", "12")]),
    ("Milk", BaseUnit::L, "Dairy", &[("case", "12")]),
    ("Eggs", BaseUnit::Pcs, "Dairy", &[("tray", "30")]),
    ("Flour 00", BaseUnit::Kg, "Dry goods", &[("sack", "25")]),
    ("Semolina", BaseUnit::Kg, "Dry goods", &[("sack", "10")]),
    ("Spaghetti", BaseUnit::Kg, "Dry goods", &[("case", "12")]),
    ("Arborio rice", BaseUnit::Kg, "Dry goods", &[("case", "10")]),
    ("Sugar", BaseUnit::Kg, "Dry goods", &[("sack", "10")]),
    ("Salt", BaseUnit::Kg, "Dry goods", &[]),
    ("Yeast", BaseUnit::Kg, "Dry goods", &[]),
    ("Coffee beans", BaseUnit::Kg, "Dry goods", &[("bag", "1")]),
    ("Ladyfingers", BaseUnit::Kg, "Dry goods", &[("case", "4")]),
    ("Cocoa powder", BaseUnit::Kg, "Dry goods", &[]),
    ("Olive oil", BaseUnit::L, "Oils & vinegar", &[("can", "5")]),
    ("Balsamic vinegar", BaseUnit::L, "Oils & vinegar", &[]),
    ("Guanciale", BaseUnit::Kg, "Meat", &[]),
    ("Beef mince", BaseUnit::Kg, "Meat", &[("case", "5")]),
    ("Chicken breast", BaseUnit::Kg, "Meat", &[("case", "5")]),
    ("Mascarpone", BaseUnit::Kg, "Dairy", &[("case", "4")]),
    ("Prosecco", BaseUnit::L, "Beverages", &[("case", "4.5")]),
    ("Aperol", BaseUnit::L, "Beverages", &[]),
    ("White rum", BaseUnit::L, "Beverages", &[]),
    ("Soda water", BaseUnit::L, "Beverages", &[("case", "12")]),
    ("Cola", BaseUnit::L, "Beverages", &[("case", "7.92")]),
    (
        "House red wine",
        BaseUnit::L,
        "Beverages",
        &[("case", "4.5")],
    ),
    ("Lager beer", BaseUnit::L, "Beverages", &[("keg", "30")]),
    ("Ice cubes", BaseUnit::Kg, "Beverages", &[("bag", "2")]),
    ("Orange slices", BaseUnit::Pcs, "Produce", &[]),
    ("Napkins", BaseUnit::Pcs, "Supplies", &[("pack", "500")]),
];

enum Part {
    Ingredient(&'static str, &'static str, Unit, &'static str),
    Sub(&'static str, &'static str),
}
use Part::{Ingredient as I, Sub as S};

/// (name, yield, default issue storage, lines); `Sub` lines name recipes listed before.
const RECIPES: &[(&str, &str, &str, &[Part])] = &[
    (
        "Tomato sauce",
        "10",
        "Kitchen",
        &[
            I("Tomatoes", "150", Unit::G, "8"),
            I("Onions", "20", Unit::G, "10"),
            I("Garlic", "3", Unit::G, "15"),
            I("Olive oil", "1", Unit::Cl, "0"),
            I("Basil", "2", Unit::G, "20"),
            I("Salt", "2", Unit::G, "0"),
        ],
    ),
    (
        "Pizza dough",
        "20",
        "Kitchen",
        &[
            I("Flour 00", "160", Unit::G, "0"),
            I("Yeast", "2", Unit::G, "0"),
            I("Salt", "4", Unit::G, "0"),
            I("Olive oil", "0.5", Unit::Cl, "0"),
        ],
    ),
    (
        "Fresh pasta",
        "10",
        "Kitchen",
        &[
            I("Flour 00", "70", Unit::G, "0"),
            I("Semolina", "30", Unit::G, "0"),
            I("Eggs", "1", Unit::Pcs, "0"),
        ],
    ),
    (
        "Ragù",
        "12",
        "Kitchen",
        &[
            I("Beef mince", "120", Unit::G, "0"),
            S("Tomato sauce", "1"),
            I("House red wine", "3", Unit::Cl, "0"),
            I("Onions", "15", Unit::G, "10"),
        ],
    ),
    (
        "Espresso shot",
        "1",
        "Bar",
        &[I("Coffee beans", "9", Unit::G, "0")],
    ),
    (
        "Pizza Margherita",
        "1",
        "Kitchen",
        &[
            S("Pizza dough", "1"),
            S("Tomato sauce", "0.6"),
            I("Mozzarella", "120", Unit::G, "0"),
            I("Basil", "2", Unit::G, "20"),
        ],
    ),
    (
        "Pizza Funghi",
        "1",
        "Kitchen",
        &[
            S("Pizza dough", "1"),
            S("Tomato sauce", "0.6"),
            I("Mozzarella", "110", Unit::G, "0"),
            I("Mushrooms", "80", Unit::G, "12"),
        ],
    ),
    (
        "Spaghetti Carbonara",
        "1",
        "Kitchen",
        &[
            I("Spaghetti", "120", Unit::G, "0"),
            I("Guanciale", "50", Unit::G, "5"),
            I("Eggs", "2", Unit::Pcs, "0"),
            I("Parmesan", "25", Unit::G, "0"),
        ],
    ),
    (
        "Tagliatelle al ragù",
        "1",
        "Kitchen",
        &[
            S("Fresh pasta", "1.2"),
            S("Ragù", "1"),
            I("Parmesan", "10", Unit::G, "0"),
        ],
    ),
    (
        "Risotto ai funghi",
        "1",
        "Kitchen",
        &[
            I("Arborio rice", "90", Unit::G, "0"),
            I("Mushrooms", "100", Unit::G, "12"),
            I("Butter", "15", Unit::G, "0"),
            I("Parmesan", "20", Unit::G, "0"),
            I("House red wine", "2", Unit::Cl, "0"),
        ],
    ),
    (
        "Grilled chicken salad",
        "1",
        "Kitchen",
        &[
            I("Chicken breast", "160", Unit::G, "5"),
            I("Rocket", "50", Unit::G, "10"),
            I("Tomatoes", "60", Unit::G, "8"),
            I("Balsamic vinegar", "1", Unit::Cl, "0"),
            I("Olive oil", "1", Unit::Cl, "0"),
        ],
    ),
    (
        "Tiramisu",
        "8",
        "Kitchen",
        &[
            I("Mascarpone", "60", Unit::G, "0"),
            I("Ladyfingers", "40", Unit::G, "0"),
            I("Eggs", "0.5", Unit::Pcs, "0"),
            I("Sugar", "15", Unit::G, "0"),
            I("Cocoa powder", "2", Unit::G, "0"),
            S("Espresso shot", "1"),
        ],
    ),
    (
        "Cappuccino",
        "1",
        "Bar",
        &[S("Espresso shot", "1"), I("Milk", "15", Unit::Cl, "0")],
    ),
    (
        "Aperol Spritz",
        "1",
        "Bar",
        &[
            I("Prosecco", "9", Unit::Cl, "0"),
            I("Aperol", "6", Unit::Cl, "0"),
            I("Soda water", "3", Unit::Cl, "0"),
            I("Ice cubes", "150", Unit::G, "0"),
            I("Orange slices", "1", Unit::Pcs, "0"),
        ],
    ),
    (
        "Mojito",
        "1",
        "Bar",
        &[
            I("White rum", "5", Unit::Cl, "0"),
            I("Limes", "0.5", Unit::Pcs, "0"),
            I("Mint", "5", Unit::G, "20"),
            I("Sugar", "15", Unit::G, "0"),
            I("Soda water", "8", Unit::Cl, "0"),
            I("Ice cubes", "200", Unit::G, "0"),
        ],
    ),
    (
        "Pizza & Cola menu",
        "1",
        "Kitchen",
        &[S("Pizza Margherita", "1"), I("Cola", "33", Unit::Cl, "0")],
    ),
];

/// (product name, sku, ingredient, pack name, factor in base units)
type DemoProduct = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);
/// (vendor, email, products)
const VENDORS: &[(&str, &str, &[DemoProduct])] = &[
    (
        "Green Valley Produce",
        "orders@greenvalley.example",
        &[
            ("Tomatoes, box 10 kg", "GV-TOM-10", "Tomatoes", "box", "10"),
            ("Onions, sack 25 kg", "GV-ONI-25", "Onions", "sack", "25"),
            ("Basil, bunch 100 g", "GV-BAS-01", "Basil", "bunch", "0.1"),
            ("Lemons, box 80", "GV-LEM-80", "Lemons", "box", "80"),
            ("Limes, box 100", "GV-LIM-100", "Limes", "box", "100"),
            ("Mushrooms, box 3 kg", "GV-MUS-3", "Mushrooms", "box", "3"),
            ("Rocket, box 2 kg", "GV-ROC-2", "Rocket", "box", "2"),
        ],
    ),
    (
        "Caseificio Bianchi",
        "vendite@bianchi.example",
        &[
            (
                "Mozzarella fior di latte, case 6 kg",
                "CB-MOZ-6",
                "Mozzarella",
                "case",
                "6",
            ),
            (
                "Parmigiano Reggiano 24m, 1 kg",
                "CB-PAR-1",
                "Parmesan",
                "piece",
                "1",
            ),
            (
                "Mascarpone, case 4 kg",
                "CB-MAS-4",
                "Mascarpone",
                "case",
                "4",
            ),
            (
                "Fresh cream 35 %, case 12 L",
                "CB-CRE-12",
                "Cream",
                "case",
                "12",
            ),
        ],
    ),
    (
        "Metro Cash & Carry",
        "service@metro.example",
        &[
            (
                "Flour 00, sack 25 kg",
                "MC-FLO-25",
                "Flour 00",
                "sack",
                "25",
            ),
            (
                "Spaghetti n.5, case 12 kg",
                "MC-SPA-12",
                "Spaghetti",
                "case",
                "12",
            ),
            (
                "Extra virgin olive oil, can 5 L",
                "MC-OIL-5",
                "Olive oil",
                "can",
                "5",
            ),
            ("Eggs, tray 30", "MC-EGG-30", "Eggs", "tray", "30"),
            ("Sugar, sack 10 kg", "MC-SUG-10", "Sugar", "sack", "10"),
            ("Napkins, pack 500", "MC-NAP-500", "Napkins", "pack", "500"),
        ],
    ),
    (
        "Bevande Rossi",
        "ordini@rossi.example",
        &[
            (
                "Prosecco DOC, case 6 × 0.75 L",
                "BR-PRO-6",
                "Prosecco",
                "case",
                "4.5",
            ),
            ("Aperol, bottle 1 L", "BR-APE-1", "Aperol", "bottle", "1"),
            (
                "Cola, case 24 × 0.33 L",
                "BR-COL-24",
                "Cola",
                "case",
                "7.92",
            ),
            ("Lager, keg 30 L", "BR-LAG-30", "Lager beer", "keg", "30"),
            (
                "House red, case 6 × 0.75 L",
                "BR-RED-6",
                "House red wine",
                "case",
                "4.5",
            ),
        ],
    ),
];

fn dec(s: &str) -> Decimal {
    s.parse().expect("demo figures are decimals")
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
        chrono::Duration::minutes(1),
    )
    .await?;
    let company = memberships::user_memberships(&txn, session.user.id).await?[0]
        .0
        .id;
    let owner = Principal::User {
        user_id: session.user.id,
        memberships: HashMap::from([(company, Role::Owner)]),
    };

    let mut units = HashMap::new();
    for (name, address) in [
        ("Main Storage", "Basement"),
        ("Bar", "Front of house"),
        ("Kitchen", "Back of house"),
    ] {
        units.insert(
            name,
            storage_units::create(&txn, &owner, company, name, Some(address))
                .await?
                .id,
        );
    }
    let mut ingredient_ids = HashMap::new();
    for (name, base_unit, category, levels) in INGREDIENTS {
        let input = IngredientInput {
            name: (*name).into(),
            base_unit: *base_unit,
            category: Some((*category).into()),
            active: true,
            packaging_levels: levels
                .iter()
                .map(|(n, f)| PackagingLevelInput {
                    name: (*n).into(),
                    factor: dec(f),
                })
                .collect(),
        };
        ingredient_ids.insert(
            *name,
            ingredients::create(&txn, &owner, company, input).await?.id,
        );
    }
    let mut recipe_ids: HashMap<&str, i64> = HashMap::new();
    for (name, yield_quantity, storage, parts) in RECIPES {
        let lines = parts
            .iter()
            .map(|part| match part {
                I(ingredient, quantity, unit, trim) => RecipeLineInput {
                    ingredient_id: Some(ingredient_ids[ingredient]),
                    sub_recipe_id: None,
                    quantity: dec(quantity),
                    unit: *unit,
                    trim_percent: dec(trim),
                    // The cola of a menu comes out of the Bar.
                    issue_storage_unit_id: (*ingredient == "Cola").then(|| units["Bar"]),
                },
                S(recipe, portions) => RecipeLineInput {
                    ingredient_id: None,
                    sub_recipe_id: Some(recipe_ids[recipe]),
                    quantity: dec(portions),
                    unit: Unit::Pcs,
                    trim_percent: Decimal::ZERO,
                    issue_storage_unit_id: None,
                },
            })
            .collect();
        let input = RecipeInput {
            name: (*name).into(),
            yield_quantity: dec(yield_quantity),
            active: true,
            default_issue_storage_unit_id: Some(units[storage]),
            lines,
        };
        recipe_ids.insert(
            *name,
            recipes::create(&txn, &owner, company, input).await?.id,
        );
    }
    let mut open_order: Vec<crate::orders::OrderItemInput> = Vec::new();
    // Ingredient → (vendor, product, base units per pack): what the history orders.
    let mut supplied: HashMap<i64, (i64, i64, i64)> = HashMap::new();
    let mut first_vendor = None;
    for (vendor, email, items) in VENDORS {
        let input = VendorInput {
            name: (*vendor).into(),
            email: Some((*email).into()),
            ..Default::default()
        };
        let vendor_id = vendors::create(&txn, &owner, company, input).await?.id;
        first_vendor.get_or_insert(vendor_id);
        for (name, sku, ingredient, pack, factor) in *items {
            let input = ProductInput {
                vendor_id,
                ingredient_id: ingredient_ids[ingredient],
                name: (*name).into(),
                sku: (*sku).into(),
                pack_name: Some((*pack).into()),
                packaging_factor: dec(factor),
                packaging_unit: None,
            };
            let product = products::create(&txn, &owner, company, input).await?;
            supplied.entry(product.ingredient_id).or_insert((
                vendor_id,
                product.id,
                product.packaging_factor_micro,
            ));
            if Some(vendor_id) == first_vendor && open_order.len() < 3 {
                open_order.push(crate::orders::OrderItemInput {
                    product_id: product.id,
                    packs: Decimal::from(2),
                    price_per_pack: dec("24.50"),
                });
            }
        }
    }
    // An order on its way, to receive from the Orders page.
    if let Some(vendor_id) = first_vendor {
        let order = crate::orders::create(
            &txn,
            &owner,
            company,
            vendor_id,
            Some("PO-DEMO-1".into()),
            open_order,
        )
        .await?;
        crate::orders::send(&txn, &owner, order.id).await?;
    }
    let ingredients: Vec<(i64, &str, BaseUnit, &str)> = INGREDIENTS
        .iter()
        .map(|(name, unit, category, _)| (ingredient_ids[name], *name, *unit, *category))
        .collect();
    seed_history(
        &txn,
        &owner,
        company,
        session.user.id,
        &units,
        &ingredients,
        &supplied,
    )
    .await?;
    // The demo's sign-up session is not handed to anyone.
    accounts::logout(&txn, &session.token).await?;
    txn.commit().await?;
    seed_pos(
        db,
        cipher,
        &owner,
        company,
        units["Kitchen"],
        &recipe_ids,
        &ingredient_ids,
    )
    .await?;
    Ok(Seeded::Created)
}

/// Deterministic pseudo-random numbers: the same demo every time.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// Uniform in [lo, hi).
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo).max(1) as u64) as i64
    }
}

const HISTORY_DAYS: i64 = 90;
const M: i64 = 1_000_000;

/// About 90 days of a restaurant's life up to yesterday: deliveries into Main Storage twice a
/// week, morning transfers to the Kitchen and the Bar, the day's usage, some waste, a count every
/// Sunday — posted through the ledger like any other movement.
async fn seed_history<C: Writer>(
    db: &C,
    owner: &Principal,
    company: i64,
    user: i64,
    units: &HashMap<&str, i64>,
    ingredients: &[(i64, &str, BaseUnit, &str)],
    supplied: &HashMap<i64, (i64, i64, i64)>,
) -> ServiceResult<()> {
    use crate::ledger::TransactionType as T;
    use crate::ledger::posting::{self, NewEntry};

    let mut rng = Lcg(2026);
    let (main, bar, kitchen) = (units["Main Storage"], units["Bar"], units["Kitchen"]);
    // Per ingredient: daily use (millionths of its base unit), price per base unit, where used.
    let profile: Vec<(i64, i64, i64, i64)> = ingredients
        .iter()
        .map(|(id, _, unit, category)| {
            let daily = match unit {
                BaseUnit::Kg => rng.range(3, 30) * M / 10,
                BaseUnit::L => rng.range(5, 40) * M / 10,
                BaseUnit::Pcs => rng.range(10, 60) * M,
            };
            let price = match unit {
                BaseUnit::Pcs => rng.range(5, 60) * M / 100,
                _ => rng.range(150, 2500) * M / 100,
            };
            let used_in = if *category == "Beverages" {
                bar
            } else {
                kitchen
            };
            (*id, daily, price, used_in)
        })
        .collect();
    let today = chrono::Utc::now().date_naive();
    let mut book: HashMap<(i64, i64), i64> = HashMap::new();
    for day in (1..=HISTORY_DAYS).rev() {
        let date = today - chrono::Duration::days(day);
        let at = |hour: u32, minute: i64| {
            crate::ledger::to_micros(
                date.and_hms_opt(hour, 0, 0).unwrap_or_default().and_utc()
                    + chrono::Duration::minutes(minute),
            )
        };
        let weekday = chrono::Datelike::weekday(&date).num_days_from_monday();
        let weekend = weekday >= 4;
        let mut entries: Vec<NewEntry> = Vec::new();
        let mut orders: std::collections::BTreeMap<i64, Vec<crate::orders::OrderItemInput>> =
            std::collections::BTreeMap::new();
        let mut push = |mut e: NewEntry, book: &mut HashMap<(i64, i64), i64>| {
            e.created_by = Some(user);
            *book
                .entry((e.ingredient_id, e.storage_unit_id))
                .or_default() += e.quantity_micro;
            entries.push(e);
            entries.len() - 1
        };
        for (k, (ingredient, daily, price, used_in)) in profile.iter().enumerate() {
            let k = k as i64;
            // Deliveries on Monday and Thursday: four days of use, in whole units, prices drift.
            if weekday == 0 || weekday == 3 || day == HISTORY_DAYS {
                let quantity = ((daily * rng.range(38, 46) / 10) / M).max(1) * M;
                if let Some((vendor, product, factor)) = supplied.get(ingredient) {
                    // Ordered from its vendor: whole packs, received below before the day starts.
                    let packs = (quantity + factor - 1) / factor;
                    let price = crate::quantity::from_micro(price * rng.range(95, 108) / 100)
                        * crate::quantity::from_micro(*factor);
                    orders
                        .entry(*vendor)
                        .or_default()
                        .push(crate::orders::OrderItemInput {
                            product_id: *product,
                            packs: Decimal::from(packs),
                            price_per_pack: price.round_dp(2),
                        });
                    *book.entry((*ingredient, main)).or_default() += packs * factor;
                } else {
                    let mut e =
                        NewEntry::new(company, *ingredient, main, T::Receipt, quantity, at(7, k));
                    e.input_cost_micro = Some(price * rng.range(95, 108) / 100);
                    e.source_kind = SourceKind::DirectReceipt;
                    e.note = Some("market purchase".into());
                    push(e, &mut book);
                }
            }
            // Morning transfer of the day's need from Main Storage.
            let need = daily * if weekend { 13 } else { 10 } / 10 * rng.range(85, 116) / 100;
            let need = need.max(M / 100);
            let mut out =
                NewEntry::new(company, *ingredient, main, T::TransferOut, -need, at(9, k));
            out.source_kind = SourceKind::Transfer;
            out.source_id = Some(format!("demo-{day}-{ingredient}"));
            let out_index = push(out, &mut book);
            let mut inn = NewEntry::new(
                company,
                *ingredient,
                *used_in,
                T::TransferIn,
                need,
                at(9, k),
            );
            inn.source_kind = SourceKind::Transfer;
            inn.source_id = Some(format!("demo-{day}-{ingredient}"));
            inn.receives = Some(out_index);
            push(inn, &mut book);
            // The day's use, over service.
            let used = need * rng.range(93, 109) / 100;
            let mut issue = NewEntry::new(
                company,
                *ingredient,
                *used_in,
                T::Issue,
                -used.max(1),
                at(22, k),
            );
            issue.source_kind = SourceKind::ManualIssue;
            issue.note = Some("daily usage".into());
            push(issue, &mut book);
            if rng.range(0, 100) < 6 {
                let reasons = [
                    "Spoiled",
                    "Expired",
                    "Damaged",
                    "Preparation loss",
                    "Spillage",
                    "Over-portioned",
                ];
                let mut waste = NewEntry::new(
                    company,
                    *ingredient,
                    *used_in,
                    T::Waste,
                    -(need / 10).max(1),
                    at(23, k),
                );
                waste.source_kind = SourceKind::Waste;
                waste.reason = Some(reasons[rng.range(0, reasons.len() as i64) as usize].into());
                push(waste, &mut book);
            }
            // Sunday night count of the Kitchen and the Bar: small differences.
            if weekday == 6 {
                let pair = (*ingredient, *used_in);
                let on_books = book.get(&pair).copied().unwrap_or(0);
                let counted = (on_books * rng.range(96, 103) / 100).max(0);
                if counted != on_books {
                    let mut adjust = NewEntry::new(
                        company,
                        *ingredient,
                        *used_in,
                        T::Adjust,
                        counted - on_books,
                        at(23, 30 + k),
                    );
                    adjust.source_kind = SourceKind::StockCount;
                    adjust.note = Some("weekly count".into());
                    push(adjust, &mut book);
                }
            }
        }
        for (vendor, items) in orders {
            let order = crate::orders::create(
                db,
                owner,
                company,
                vendor,
                Some(format!("PO-{date}")),
                items,
            )
            .await?;
            crate::orders::send(db, owner, order.id).await?;
            let delivered = date.and_hms_opt(6, 30, 0).unwrap_or_default().and_utc();
            crate::orders::receive(db, owner, order.id, main, None, Some(delivered)).await?;
        }
        posting::post_many(db, entries).await?;
    }
    Ok(())
}

/// The demo's till: a CSV integration whose location is linked to the Kitchen, mapped and
/// active, so a newcomer can upload `web/sample/sales-sample.csv` (served at
/// `/sales-sample.csv`) and watch it arrive in the ledger. The bread basket stays unmapped, to
/// show the working list.
async fn seed_pos<C: Writer>(
    db: &C,
    cipher: &crate::crypto::Cipher,
    owner: &Principal,
    company: i64,
    kitchen: i64,
    recipe_ids: &HashMap<&str, i64>,
    ingredient_ids: &HashMap<&str, i64>,
) -> ServiceResult<()> {
    use crate::pos::{Provider, integrations, locations, mappings};
    let integration = integrations::create(
        db,
        cipher,
        owner,
        company,
        Provider::Csv,
        "Till export (CSV)",
    )
    .await?;
    integrations::configure_csv(db, owner, integration.id, DEMO_CSV_CONFIG.clone()).await?;
    let location =
        locations::create(db, owner, integration.id, "dining-room", "Dining room").await?;
    locations::link_storage_unit(db, owner, location.id, kitchen).await?;
    for (code, name, target, factor) in DEMO_MAPPINGS {
        let target = match *target {
            "IGNORE" => mappings::Target::Ignore,
            t if recipe_ids.contains_key(t) => mappings::Target::Recipe(recipe_ids[t]),
            t => mappings::Target::Ingredient(ingredient_ids[t]),
        };
        mappings::remember_items(
            db,
            company,
            integration.id,
            &[((*code).into(), (*name).into())],
        )
        .await?;
        mappings::map_item(db, owner, integration.id, code, Some(target), dec(factor)).await?;
    }
    mappings::remember_items(
        db,
        company,
        integration.id,
        &[("BK-BRED".into(), "Bread basket".into())],
    )
    .await?;
    locations::activate(db, owner, location.id).await?;
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

/// POS code, name, what it maps to (a recipe or ingredient name, or IGNORE), factor.
const DEMO_MAPPINGS: &[(&str, &str, &str, &str)] = &[
    ("PZ-MARG", "Pizza Margherita", "Pizza Margherita", "1"),
    ("PZ-FUNG", "Pizza Funghi", "Pizza Funghi", "1"),
    ("SP-CARB", "Spaghetti Carbonara", "Spaghetti Carbonara", "1"),
    ("TG-RAGU", "Tagliatelle al ragù", "Tagliatelle al ragù", "1"),
    ("RS-FUNG", "Risotto ai funghi", "Risotto ai funghi", "1"),
    (
        "SL-CHKN",
        "Grilled chicken salad",
        "Grilled chicken salad",
        "1",
    ),
    ("DS-TIRA", "Tiramisu", "Tiramisu", "1"),
    ("BR-CAPP", "Cappuccino", "Cappuccino", "1"),
    ("BR-ESPR", "Espresso", "Espresso shot", "1"),
    ("BR-APER", "Aperol Spritz", "Aperol Spritz", "1"),
    ("BR-MOJI", "Mojito", "Mojito", "1"),
    ("MN-PZCO", "Pizza & Cola menu", "Pizza & Cola menu", "1"),
    ("WN-RED", "House red wine (glass)", "House red wine", "0.15"),
    ("XX-NAPK", "Extra napkins", "IGNORE", "0"),
];
