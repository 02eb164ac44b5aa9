//! Trattoria Larder on paper: what it stocks and pays for it, what it cooks, whom it buys from
//! and what its tills sell. Prices are a German trattoria's wholesale prices in EUR per base unit;
//! menu prices are gross, as the guest pays.

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::units::{BaseUnit, Unit};

/// Where a thing is kept or used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Store {
    Main,
    Kitchen,
    Bar,
}

impl Store {
    pub const ALL: [Store; 3] = [Store::Main, Store::Bar, Store::Kitchen];

    pub fn name(self) -> &'static str {
        match self {
            Store::Main => "Main Storage",
            Store::Kitchen => "Kitchen",
            Store::Bar => "Bar",
        }
    }

    pub fn address(self) -> &'static str {
        match self {
            Store::Main => "Basement",
            Store::Kitchen => "Back of house",
            Store::Bar => "Front of house",
        }
    }
}

pub struct DemoIngredient {
    pub name: &'static str,
    pub base_unit: BaseUnit,
    pub category: &'static str,
    /// What one base unit costs wholesale, before the week's drift.
    pub price: Decimal,
    /// The packaging level it is counted in (box, case …) and its base units.
    pub pack: Option<(&'static str, Decimal)>,
    /// Spoils within days: the one most often wasted.
    pub perishable: bool,
}

const fn ingredient(
    name: &'static str,
    base_unit: BaseUnit,
    category: &'static str,
    price: Decimal,
    pack: Option<(&'static str, Decimal)>,
    perishable: bool,
) -> DemoIngredient {
    DemoIngredient {
        name,
        base_unit,
        category,
        price,
        pack,
        perishable,
    }
}

use BaseUnit::{Kg, L, Pcs};

#[rustfmt::skip]
pub const INGREDIENTS: &[DemoIngredient] = &[
    ingredient("Tomatoes", Kg, "Produce", dec!(2.40), Some(("box", dec!(10))), true),
    ingredient("Onions", Kg, "Produce", dec!(0.95), Some(("sack", dec!(25))), false),
    ingredient("Garlic", Kg, "Produce", dec!(6.50), None, false),
    ingredient("Basil", Kg, "Produce", dec!(18.00), None, true),
    ingredient("Lemons", Pcs, "Produce", dec!(0.35), Some(("box", dec!(80))), false),
    ingredient("Limes", Pcs, "Produce", dec!(0.30), Some(("box", dec!(100))), false),
    ingredient("Mint", Kg, "Produce", dec!(16.00), None, true),
    ingredient("Rocket", Kg, "Produce", dec!(9.80), Some(("box", dec!(2))), true),
    ingredient("Potatoes", Kg, "Produce", dec!(0.85), Some(("sack", dec!(25))), false),
    ingredient("Mushrooms", Kg, "Produce", dec!(6.90), Some(("box", dec!(3))), true),
    ingredient("Oranges", Pcs, "Produce", dec!(0.32), Some(("box", dec!(60))), false),
    ingredient("Mozzarella", Kg, "Dairy", dec!(7.80), Some(("case", dec!(6))), true),
    ingredient("Parmesan", Kg, "Dairy", dec!(18.50), None, false),
    ingredient("Butter", Kg, "Dairy", dec!(8.20), Some(("case", dec!(10))), false),
    ingredient("Cream", L, "Dairy", dec!(3.40), Some(("case", dec!(12))), true),
    ingredient("Milk", L, "Dairy", dec!(1.05), Some(("case", dec!(12))), true),
    ingredient("Eggs", Pcs, "Dairy", dec!(0.24), Some(("tray", dec!(30))), false),
    ingredient("Mascarpone", Kg, "Dairy", dec!(6.80), Some(("case", dec!(4))), true),
    ingredient("Flour 00", Kg, "Dry goods", dec!(0.85), Some(("sack", dec!(25))), false),
    ingredient("Semolina", Kg, "Dry goods", dec!(1.30), Some(("sack", dec!(10))), false),
    ingredient("Spaghetti", Kg, "Dry goods", dec!(2.10), Some(("case", dec!(12))), false),
    ingredient("Arborio rice", Kg, "Dry goods", dec!(3.20), Some(("case", dec!(10))), false),
    ingredient("Sugar", Kg, "Dry goods", dec!(1.10), Some(("sack", dec!(10))), false),
    ingredient("Salt", Kg, "Dry goods", dec!(0.60), None, false),
    ingredient("Yeast", Kg, "Dry goods", dec!(4.50), None, false),
    ingredient("Coffee beans", Kg, "Dry goods", dec!(18.00), Some(("bag", dec!(1))), false),
    ingredient("Ladyfingers", Kg, "Dry goods", dec!(7.50), Some(("case", dec!(4))), false),
    ingredient("Cocoa powder", Kg, "Dry goods", dec!(9.00), None, false),
    ingredient("Olive oil", L, "Oils & vinegar", dec!(8.50), Some(("can", dec!(5))), false),
    ingredient("Balsamic vinegar", L, "Oils & vinegar", dec!(12.00), None, false),
    ingredient("Guanciale", Kg, "Meat", dec!(16.00), None, true),
    ingredient("Beef mince", Kg, "Meat", dec!(9.50), Some(("case", dec!(5))), true),
    ingredient("Chicken breast", Kg, "Meat", dec!(8.90), Some(("case", dec!(5))), true),
    ingredient("Prosecco", L, "Beverages", dec!(6.50), Some(("case", dec!(4.5))), false),
    ingredient("Aperol", L, "Beverages", dec!(14.00), None, false),
    ingredient("White rum", L, "Beverages", dec!(16.00), None, false),
    ingredient("Soda water", L, "Beverages", dec!(0.60), Some(("case", dec!(12))), false),
    ingredient("Cola", L, "Beverages", dec!(1.20), Some(("case", dec!(7.92))), false),
    ingredient("House red wine", L, "Beverages", dec!(4.80), Some(("case", dec!(4.5))), false),
    ingredient("Lager beer", L, "Beverages", dec!(2.60), Some(("keg", dec!(30))), false),
    ingredient("Ice cubes", Kg, "Beverages", dec!(0.80), Some(("bag", dec!(2))), false),
    ingredient("Napkins", Pcs, "Supplies", dec!(0.02), Some(("pack", dec!(500))), false),
];

/// One line of a recipe: an ingredient (quantity, unit, trim %) or a portion of another recipe.
pub enum Part {
    Ingredient {
        name: &'static str,
        quantity: Decimal,
        unit: Unit,
        trim: Decimal,
        /// Issued from another storage unit than the recipe's (the menu's cola, from the Bar).
        from: Option<Store>,
    },
    Sub {
        recipe: &'static str,
        portions: Decimal,
    },
}

const fn uses(name: &'static str, quantity: Decimal, unit: Unit, trim: Decimal) -> Part {
    Part::Ingredient {
        name,
        quantity,
        unit,
        trim,
        from: None,
    }
}

const fn sub(recipe: &'static str, portions: Decimal) -> Part {
    Part::Sub { recipe, portions }
}

pub struct DemoRecipe {
    pub name: &'static str,
    /// Portions one batch makes.
    pub yields: Decimal,
    pub issued_from: Store,
    /// Sub-recipes are listed before the recipes that use them.
    pub parts: &'static [Part],
}

use Unit::{Cl, G};
const NO_TRIM: Decimal = Decimal::ZERO;

#[rustfmt::skip]
pub const RECIPES: &[DemoRecipe] = &[
    DemoRecipe {
        name: "Tomato sauce",
        yields: dec!(10),
        issued_from: Store::Kitchen,
        parts: &[
            uses("Tomatoes", dec!(150), G, dec!(8)),
            uses("Onions", dec!(20), G, dec!(10)),
            uses("Garlic", dec!(3), G, dec!(15)),
            uses("Olive oil", dec!(1), Cl, NO_TRIM),
            uses("Basil", dec!(2), G, dec!(20)),
            uses("Salt", dec!(2), G, NO_TRIM),
        ],
    },
    DemoRecipe {
        name: "Pizza dough",
        yields: dec!(20),
        issued_from: Store::Kitchen,
        parts: &[
            uses("Flour 00", dec!(160), G, NO_TRIM),
            uses("Yeast", dec!(2), G, NO_TRIM),
            uses("Salt", dec!(4), G, NO_TRIM),
            uses("Olive oil", dec!(0.5), Cl, NO_TRIM),
        ],
    },
    DemoRecipe {
        name: "Fresh pasta",
        yields: dec!(10),
        issued_from: Store::Kitchen,
        parts: &[
            uses("Flour 00", dec!(70), G, NO_TRIM),
            uses("Semolina", dec!(30), G, NO_TRIM),
            uses("Eggs", dec!(1), Unit::Pcs, NO_TRIM),
        ],
    },
    DemoRecipe {
        name: "Ragù",
        yields: dec!(12),
        issued_from: Store::Kitchen,
        parts: &[
            uses("Beef mince", dec!(120), G, NO_TRIM),
            sub("Tomato sauce", dec!(1)),
            uses("House red wine", dec!(3), Cl, NO_TRIM),
            uses("Onions", dec!(15), G, dec!(10)),
        ],
    },
    DemoRecipe {
        name: "Espresso shot",
        yields: dec!(1),
        issued_from: Store::Bar,
        parts: &[uses("Coffee beans", dec!(9), G, NO_TRIM)],
    },
    DemoRecipe {
        name: "Pizza Margherita",
        yields: dec!(1),
        issued_from: Store::Kitchen,
        parts: &[
            sub("Pizza dough", dec!(1)),
            sub("Tomato sauce", dec!(0.6)),
            uses("Mozzarella", dec!(120), G, NO_TRIM),
            uses("Basil", dec!(2), G, dec!(20)),
        ],
    },
    DemoRecipe {
        name: "Pizza Funghi",
        yields: dec!(1),
        issued_from: Store::Kitchen,
        parts: &[
            sub("Pizza dough", dec!(1)),
            sub("Tomato sauce", dec!(0.6)),
            uses("Mozzarella", dec!(110), G, NO_TRIM),
            uses("Mushrooms", dec!(80), G, dec!(12)),
        ],
    },
    DemoRecipe {
        name: "Spaghetti Carbonara",
        yields: dec!(1),
        issued_from: Store::Kitchen,
        parts: &[
            uses("Spaghetti", dec!(120), G, NO_TRIM),
            uses("Guanciale", dec!(50), G, dec!(5)),
            uses("Eggs", dec!(2), Unit::Pcs, NO_TRIM),
            uses("Parmesan", dec!(25), G, NO_TRIM),
        ],
    },
    DemoRecipe {
        name: "Tagliatelle al ragù",
        yields: dec!(1),
        issued_from: Store::Kitchen,
        parts: &[
            sub("Fresh pasta", dec!(1.2)),
            sub("Ragù", dec!(1)),
            uses("Parmesan", dec!(10), G, NO_TRIM),
        ],
    },
    DemoRecipe {
        name: "Tagliatelle ai funghi",
        yields: dec!(1),
        issued_from: Store::Kitchen,
        parts: &[
            sub("Fresh pasta", dec!(1.2)),
            uses("Mushrooms", dec!(90), G, dec!(12)),
            uses("Cream", dec!(6), Cl, NO_TRIM),
            uses("Butter", dec!(10), G, NO_TRIM),
            uses("Parmesan", dec!(10), G, NO_TRIM),
        ],
    },
    DemoRecipe {
        name: "Risotto ai funghi",
        yields: dec!(1),
        issued_from: Store::Kitchen,
        parts: &[
            uses("Arborio rice", dec!(90), G, NO_TRIM),
            uses("Mushrooms", dec!(100), G, dec!(12)),
            uses("Butter", dec!(15), G, NO_TRIM),
            uses("Parmesan", dec!(20), G, NO_TRIM),
            uses("House red wine", dec!(2), Cl, NO_TRIM),
        ],
    },
    DemoRecipe {
        name: "Grilled chicken salad",
        yields: dec!(1),
        issued_from: Store::Kitchen,
        parts: &[
            uses("Chicken breast", dec!(160), G, dec!(5)),
            uses("Rocket", dec!(50), G, dec!(10)),
            uses("Tomatoes", dec!(60), G, dec!(8)),
            uses("Lemons", dec!(0.25), Unit::Pcs, NO_TRIM),
            uses("Balsamic vinegar", dec!(1), Cl, NO_TRIM),
            uses("Olive oil", dec!(1), Cl, NO_TRIM),
        ],
    },
    DemoRecipe {
        name: "Roast potatoes",
        yields: dec!(1),
        issued_from: Store::Kitchen,
        parts: &[
            uses("Potatoes", dec!(250), G, dec!(15)),
            uses("Olive oil", dec!(1.5), Cl, NO_TRIM),
            uses("Garlic", dec!(2), G, dec!(15)),
            uses("Salt", dec!(2), G, NO_TRIM),
        ],
    },
    DemoRecipe {
        name: "Tiramisu",
        yields: dec!(8),
        issued_from: Store::Kitchen,
        parts: &[
            uses("Mascarpone", dec!(60), G, NO_TRIM),
            uses("Ladyfingers", dec!(40), G, NO_TRIM),
            uses("Eggs", dec!(0.5), Unit::Pcs, NO_TRIM),
            uses("Sugar", dec!(15), G, NO_TRIM),
            uses("Cocoa powder", dec!(2), G, NO_TRIM),
            sub("Espresso shot", dec!(1)),
        ],
    },
    DemoRecipe {
        name: "Cappuccino",
        yields: dec!(1),
        issued_from: Store::Bar,
        parts: &[
            sub("Espresso shot", dec!(1)),
            uses("Milk", dec!(15), Cl, NO_TRIM),
        ],
    },
    DemoRecipe {
        name: "Aperol Spritz",
        yields: dec!(1),
        issued_from: Store::Bar,
        parts: &[
            uses("Prosecco", dec!(9), Cl, NO_TRIM),
            uses("Aperol", dec!(6), Cl, NO_TRIM),
            uses("Soda water", dec!(3), Cl, NO_TRIM),
            uses("Ice cubes", dec!(150), G, NO_TRIM),
            uses("Oranges", dec!(0.125), Unit::Pcs, NO_TRIM),
        ],
    },
    DemoRecipe {
        name: "Mojito",
        yields: dec!(1),
        issued_from: Store::Bar,
        parts: &[
            uses("White rum", dec!(5), Cl, NO_TRIM),
            uses("Limes", dec!(0.5), Unit::Pcs, NO_TRIM),
            uses("Mint", dec!(5), G, dec!(20)),
            uses("Sugar", dec!(15), G, NO_TRIM),
            uses("Soda water", dec!(8), Cl, NO_TRIM),
            uses("Ice cubes", dec!(200), G, NO_TRIM),
        ],
    },
    DemoRecipe {
        name: "Pizza & Cola menu",
        yields: dec!(1),
        issued_from: Store::Kitchen,
        parts: &[
            sub("Pizza Margherita", dec!(1)),
            Part::Ingredient {
                name: "Cola",
                quantity: dec!(33),
                unit: Cl,
                trim: NO_TRIM,
                from: Some(Store::Bar),
            },
        ],
    },
];

pub struct DemoProduct {
    pub name: &'static str,
    pub sku: &'static str,
    pub ingredient: &'static str,
    pub pack: &'static str,
    /// Base units in one pack.
    pub factor: Decimal,
}

const fn product(
    name: &'static str,
    sku: &'static str,
    ingredient: &'static str,
    pack: &'static str,
    factor: Decimal,
) -> DemoProduct {
    DemoProduct {
        name,
        sku,
        ingredient,
        pack,
        factor,
    }
}

pub struct DemoVendor {
    pub name: &'static str,
    pub email: &'static str,
    /// The VAT id its e-invoices carry (made up, well-formed).
    pub vat_id: &'static str,
    /// Ordering terms: days to delivery, ISO order weekdays (none: any day), minimum order.
    pub lead_time_days: i64,
    pub order_weekdays: &'static [i64],
    pub minimum_order_value: Option<Decimal>,
    pub products: &'static [DemoProduct],
}

#[rustfmt::skip]
pub const VENDORS: &[DemoVendor] = &[
    DemoVendor {
        name: "Green Valley Produce",
        email: "orders@greenvalley.example",
        vat_id: "DE813555101",
        lead_time_days: 1, order_weekdays: &[1, 2, 3, 4, 5, 6], minimum_order_value: None,
        products: &[
            product("Tomatoes, box 10 kg", "GV-TOM-10", "Tomatoes", "box", dec!(10)),
            product("Onions, sack 10 kg", "GV-ONI-10", "Onions", "sack", dec!(10)),
            product("Garlic, net 1 kg", "GV-GAR-1", "Garlic", "net", dec!(1)),
            product("Basil, bunch 100 g", "GV-BAS-01", "Basil", "bunch", dec!(0.1)),
            product("Lemons, box 80", "GV-LEM-80", "Lemons", "box", dec!(80)),
            product("Limes, box 40", "GV-LIM-40", "Limes", "box", dec!(40)),
            product("Mint, bunch 100 g", "GV-MIN-01", "Mint", "bunch", dec!(0.1)),
            product("Mushrooms, box 3 kg", "GV-MUS-3", "Mushrooms", "box", dec!(3)),
            product("Rocket, box 2 kg", "GV-ROC-2", "Rocket", "box", dec!(2)),
            product("Potatoes, sack 25 kg", "GV-POT-25", "Potatoes", "sack", dec!(25)),
            product("Oranges, box 60", "GV-ORA-60", "Oranges", "box", dec!(60)),
        ],
    },
    DemoVendor {
        name: "Caseificio Bianchi",
        email: "vendite@bianchi.example",
        vat_id: "DE813555102",
        lead_time_days: 2, order_weekdays: &[2, 5], minimum_order_value: Some(dec!(120)),
        products: &[
            product("Mozzarella fior di latte, case 6 kg", "CB-MOZ-6", "Mozzarella", "case", dec!(6)),
            product("Parmigiano Reggiano 24m, 1 kg", "CB-PAR-1", "Parmesan", "piece", dec!(1)),
            product("Mascarpone, tub 1 kg", "CB-MAS-1", "Mascarpone", "tub", dec!(1)),
            product("Fresh cream 35 %, case 6 L", "CB-CRE-6", "Cream", "case", dec!(6)),
            product("Whole milk, case 12 L", "CB-MIL-12", "Milk", "case", dec!(12)),
            product("Butter, block 1 kg", "CB-BUT-1", "Butter", "block", dec!(1)),
            product("Guanciale, piece 1 kg", "CB-GUA-1", "Guanciale", "piece", dec!(1)),
        ],
    },
    DemoVendor {
        name: "Metro Cash & Carry",
        email: "service@metro.example",
        vat_id: "DE813555103",
        lead_time_days: 1, order_weekdays: &[], minimum_order_value: None,
        products: &[
            product("Flour 00, sack 25 kg", "MC-FLO-25", "Flour 00", "sack", dec!(25)),
            product("Semolina, bag 5 kg", "MC-SEM-5", "Semolina", "bag", dec!(5)),
            product("Spaghetti n.5, case 6 kg", "MC-SPA-6", "Spaghetti", "case", dec!(6)),
            product("Arborio rice, bag 5 kg", "MC-ARB-5", "Arborio rice", "bag", dec!(5)),
            product("Extra virgin olive oil, can 5 L", "MC-OIL-5", "Olive oil", "can", dec!(5)),
            product("Eggs, tray 30", "MC-EGG-30", "Eggs", "tray", dec!(30)),
            product("Sugar, bag 5 kg", "MC-SUG-5", "Sugar", "bag", dec!(5)),
            product("Sea salt, bag 1 kg", "MC-SAL-1", "Salt", "bag", dec!(1)),
            product("Fresh yeast, block 0.5 kg", "MC-YEA-05", "Yeast", "block", dec!(0.5)),
            product("Espresso beans, bag 1 kg", "MC-COF-1", "Coffee beans", "bag", dec!(1)),
            product("Savoiardi, case 2 kg", "MC-SAV-2", "Ladyfingers", "case", dec!(2)),
            product("Cocoa powder, tin 0.5 kg", "MC-COC-05", "Cocoa powder", "tin", dec!(0.5)),
            product("Balsamic vinegar, bottle 0.5 L", "MC-BAL-05", "Balsamic vinegar", "bottle", dec!(0.5)),
            product("Beef mince, case 5 kg", "MC-BEE-5", "Beef mince", "case", dec!(5)),
            product("Chicken breast, case 5 kg", "MC-CHI-5", "Chicken breast", "case", dec!(5)),
            product("Napkins, pack 500", "MC-NAP-500", "Napkins", "pack", dec!(500)),
        ],
    },
    DemoVendor {
        name: "Bevande Rossi",
        email: "ordini@rossi.example",
        vat_id: "DE813555104",
        lead_time_days: 3, order_weekdays: &[1], minimum_order_value: Some(dec!(400)),
        products: &[
            product("Prosecco DOC, case 6 × 0.75 L", "BR-PRO-6", "Prosecco", "case", dec!(4.5)),
            product("Aperol, bottle 1 L", "BR-APE-1", "Aperol", "bottle", dec!(1)),
            product("White rum, bottle 0.7 L", "BR-RUM-07", "White rum", "bottle", dec!(0.7)),
            product("Soda water, case 12 × 1 L", "BR-SOD-12", "Soda water", "case", dec!(12)),
            product("Cola, case 24 × 0.33 L", "BR-COL-24", "Cola", "case", dec!(7.92)),
            product("Lager, keg 30 L", "BR-LAG-30", "Lager beer", "keg", dec!(30)),
            product("House red, case 6 × 0.75 L", "BR-RED-6", "House red wine", "case", dec!(4.5)),
            product("Ice cubes, bag 2 kg", "BR-ICE-2", "Ice cubes", "bag", dec!(2)),
        ],
    },
];

/// Which till sells an item, and so which storage unit its sales are issued from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Till {
    DiningRoom,
    Bar,
}

impl Till {
    pub const ALL: [Till; 2] = [Till::DiningRoom, Till::Bar];

    pub fn external_id(self) -> &'static str {
        match self {
            Till::DiningRoom => "dining-room",
            Till::Bar => "bar",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Till::DiningRoom => "Dining room",
            Till::Bar => "Bar",
        }
    }

    pub fn store(self) -> Store {
        match self {
            Till::DiningRoom => Store::Kitchen,
            Till::Bar => Store::Bar,
        }
    }
}

/// What selling a POS item takes from stock.
pub enum Sold {
    /// Portions of a recipe.
    Recipe(&'static str),
    /// This much of an ingredient per unit sold (a glass of wine: 0.15 L).
    Ingredient(&'static str, Decimal),
    /// Not stock (extra napkins at the table).
    Nothing,
    /// Not mapped yet: the working list shows it with what it sold.
    Unmapped,
}

pub struct MenuItem {
    pub code: &'static str,
    pub name: &'static str,
    pub till: Till,
    pub sold: Sold,
    /// Units sold on an average day (Fridays and Saturdays sell more).
    pub per_day: u32,
    /// Gross, as the guest pays; None: the till sends no value.
    pub price: Option<Decimal>,
}

const fn item(
    code: &'static str,
    name: &'static str,
    till: Till,
    sold: Sold,
    per_day: u32,
    price: Option<Decimal>,
) -> MenuItem {
    MenuItem {
        code,
        name,
        till,
        sold,
        per_day,
        price,
    }
}

use Sold::Recipe as R;
use Till::{Bar, DiningRoom as Dining};

#[rustfmt::skip]
pub const MENU: &[MenuItem] = &[
    item("PZ-MARG", "Pizza Margherita", Dining, R("Pizza Margherita"), 34, Some(dec!(9.50))),
    item("PZ-FUNG", "Pizza Funghi", Dining, R("Pizza Funghi"), 16, Some(dec!(11.50))),
    item("SP-CARB", "Spaghetti Carbonara", Dining, R("Spaghetti Carbonara"), 22, Some(dec!(13.90))),
    item("TG-RAGU", "Tagliatelle al ragù", Dining, R("Tagliatelle al ragù"), 15, Some(dec!(13.50))),
    item("TG-FUNG", "Tagliatelle ai funghi", Dining, R("Tagliatelle ai funghi"), 8, Some(dec!(13.90))),
    item("RS-FUNG", "Risotto ai funghi", Dining, R("Risotto ai funghi"), 9, Some(dec!(15.50))),
    item("SL-CHKN", "Grilled chicken salad", Dining, R("Grilled chicken salad"), 10, Some(dec!(12.90))),
    item("SD-PATA", "Roast potatoes", Dining, R("Roast potatoes"), 12, Some(dec!(4.50))),
    item("DS-TIRA", "Tiramisu", Dining, R("Tiramisu"), 16, Some(dec!(6.50))),
    item("MN-PZCO", "Pizza & Cola menu", Dining, R("Pizza & Cola menu"), 6, Some(dec!(13.90))),
    item("BK-BRED", "Bread basket", Dining, Sold::Unmapped, 18, Some(dec!(3.50))),
    item("XX-NAPK", "Extra napkins", Dining, Sold::Nothing, 2, None),
    item("BR-ESPR", "Espresso", Bar, R("Espresso shot"), 36, Some(dec!(2.20))),
    item("BR-CAPP", "Cappuccino", Bar, R("Cappuccino"), 28, Some(dec!(3.40))),
    item("BR-APER", "Aperol Spritz", Bar, R("Aperol Spritz"), 20, Some(dec!(7.50))),
    item("BR-MOJI", "Mojito", Bar, R("Mojito"), 8, Some(dec!(9.00))),
    item("WN-RED", "House red wine (glass)", Bar, Sold::Ingredient("House red wine", dec!(0.15)), 22, Some(dec!(5.90))),
    item("BR-LAGR", "Lager 0.4 L", Bar, Sold::Ingredient("Lager beer", dec!(0.4)), 26, Some(dec!(4.60))),
    item("BR-COLA", "Cola 0.33 L", Bar, Sold::Ingredient("Cola", dec!(0.33)), 14, Some(dec!(3.20))),
];

/// How busy a weekday is against the average day (Monday first): a trattoria's week.
pub const WEEKDAY_TRADE: [Decimal; 7] = [
    dec!(0.70),
    dec!(0.75),
    dec!(0.85),
    dec!(0.95),
    dec!(1.30),
    dec!(1.45),
    dec!(1.00),
];
