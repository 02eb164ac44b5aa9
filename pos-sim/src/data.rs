//! The simulator's deterministic restaurant: locations, menu, and the receipts of any day,
//! all derived from the seed (same seed, same sales).

use chrono::{NaiveDate, TimeZone};
use chrono_tz::Tz;

/// Lightspeed business locations: (blID, name, timezone).
pub const LIGHTSPEED_LOCATIONS: [(i64, &str, &str); 3] = [
    (45454565682155, "Dining Room", "Europe/Berlin"),
    (45454565682156, "Bar", "Europe/Berlin"),
    (45454565682157, "Terrace", "Europe/London"),
];
pub const LIGHTSPEED_BUSINESS: (i64, &str) = (1234, "Trattoria Simulata");

/// Sides stores: (id, name, address).
pub const SIDES_STORES: [(i64, &str, &str); 3] = [
    (101, "Main Restaurant", "Marktplatz 1, 80331 München"),
    (102, "Delivery Kitchen", "Lindwurmstraße 12, 80337 München"),
    (103, "Bar", "Marktplatz 1, 80331 München"),
];

pub fn timezone_of(location: &str) -> Tz {
    LIGHTSPEED_LOCATIONS
        .iter()
        .find(|(id, _, _)| id.to_string() == location)
        .map(|(_, _, tz)| tz.parse().expect("a valid timezone"))
        .unwrap_or(chrono_tz::Europe::Berlin)
}

pub fn today_in(tz: Tz) -> NaiveDate {
    chrono::Utc::now().with_timezone(&tz).date_naive()
}

/// (name, category, price in cents, sold by weight)
const DISHES: [(&str, &str, i64, bool); 64] = [
    ("Margherita", "Pizza", 950, false),
    ("Marinara", "Pizza", 850, false),
    ("Diavola", "Pizza", 1250, false),
    ("Quattro Formaggi", "Pizza", 1350, false),
    ("Prosciutto e Funghi", "Pizza", 1290, false),
    ("Capricciosa", "Pizza", 1290, false),
    ("Vegetariana", "Pizza", 1190, false),
    ("Calzone", "Pizza", 1250, false),
    ("Spaghetti Carbonara", "Pasta", 1350, false),
    ("Spaghetti Bolognese", "Pasta", 1290, false),
    ("Penne Arrabbiata", "Pasta", 1090, false),
    ("Lasagne", "Pasta", 1450, false),
    ("Tagliatelle al Ragù", "Pasta", 1390, false),
    ("Gnocchi al Pomodoro", "Pasta", 1190, false),
    ("Ravioli Ricotta e Spinaci", "Pasta", 1490, false),
    ("Linguine alle Vongole", "Pasta", 1690, false),
    ("Risotto ai Funghi", "Mains", 1590, false),
    ("Saltimbocca", "Mains", 2190, false),
    ("Bistecca (per 100 g)", "Mains", 790, true),
    ("Branzino", "Mains", 2390, false),
    ("Pollo alla Cacciatora", "Mains", 1890, false),
    ("Ossobuco", "Mains", 2490, false),
    ("Insalata Mista", "Starters", 690, false),
    ("Caprese", "Starters", 990, false),
    ("Bruschetta", "Starters", 790, false),
    ("Carpaccio", "Starters", 1390, false),
    ("Vitello Tonnato", "Starters", 1490, false),
    ("Minestrone", "Starters", 790, false),
    ("Antipasto Misto", "Starters", 1690, false),
    ("Burrata", "Starters", 1290, false),
    ("Focaccia", "Starters", 490, false),
    ("Olive Marinate", "Starters", 450, false),
    ("Tiramisù", "Desserts", 750, false),
    ("Panna Cotta", "Desserts", 690, false),
    ("Cannoli", "Desserts", 650, false),
    ("Affogato", "Desserts", 590, false),
    ("Gelato (per scoop)", "Desserts", 250, false),
    ("Espresso", "Coffee", 250, false),
    ("Doppio", "Coffee", 350, false),
    ("Cappuccino", "Coffee", 390, false),
    ("Latte Macchiato", "Coffee", 420, false),
    ("Americano", "Coffee", 320, false),
    ("Coca-Cola 0.33 l", "Soft drinks", 380, false),
    ("Coca-Cola Zero 0.33 l", "Soft drinks", 380, false),
    ("Aranciata 0.33 l", "Soft drinks", 380, false),
    ("San Pellegrino 0.75 l", "Soft drinks", 590, false),
    ("Acqua Panna 0.75 l", "Soft drinks", 590, false),
    ("Apfelschorle 0.4 l", "Soft drinks", 420, false),
    ("Peroni 0.33 l", "Beer", 450, false),
    ("Moretti 0.5 l", "Beer", 550, false),
    ("Helles vom Fass 0.5 l", "Beer", 490, false),
    ("Aperol Spritz", "Cocktails", 850, false),
    ("Negroni", "Cocktails", 990, false),
    ("Hugo", "Cocktails", 790, false),
    ("Limoncello", "Cocktails", 450, false),
    ("Grappa", "Cocktails", 550, false),
    ("Chianti 0.2 l", "Wine", 690, false),
    ("Chianti bottle", "Wine", 2890, false),
    ("Pinot Grigio 0.2 l", "Wine", 650, false),
    ("Pinot Grigio bottle", "Wine", 2690, false),
    ("Prosecco 0.1 l", "Wine", 550, false),
    ("Lambrusco 0.2 l", "Wine", 590, false),
    ("Montepulciano 0.2 l", "Wine", 690, false),
    ("Primitivo bottle", "Wine", 3190, false),
];

/// Modifiers: child lines of a dish (`parentLineId`), mapped on their own.
const MODIFIERS: [(&str, i64); 16] = [
    ("Extra mozzarella", 150),
    ("Extra parmesan", 100),
    ("Add prosciutto", 250),
    ("Add salami", 200),
    ("Add rucola", 100),
    ("Gluten-free base", 200),
    ("Oat milk", 50),
    ("Extra shot", 80),
    ("No onions", 0),
    ("Add chilli", 0),
    ("Truffle oil", 300),
    ("Side of fries", 350),
    ("Side salad", 350),
    ("Garlic butter", 100),
    ("Large", 150),
    ("Ice", 0),
];

pub const MENU_SIZE: usize = DISHES.len() + MODIFIERS.len();

#[derive(Debug, Clone)]
pub struct MenuItem {
    pub index: usize,
    pub name: String,
    pub category: String,
    pub price_cents: i64,
    pub by_weight: bool,
    pub modifier: bool,
}

impl MenuItem {
    /// Lightspeed's item id.
    pub fn lightspeed_id(&self) -> i64 {
        3_012_455_600 + self.index as i64
    }
    /// Lightspeed's SKU (what sale lines carry and Larder keys mappings on).
    pub fn sku(&self) -> String {
        format!("{}", 100 + self.index)
    }
    /// Sides' product id.
    pub fn sides_id(&self) -> i64 {
        5000 + self.index as i64
    }
}

#[derive(Debug, Clone)]
pub struct Menu {
    pub items: Vec<MenuItem>,
}

impl Default for Menu {
    fn default() -> Self {
        Self::new()
    }
}

impl Menu {
    pub fn new() -> Self {
        let mut items: Vec<MenuItem> = DISHES
            .iter()
            .enumerate()
            .map(|(index, (name, category, price, by_weight))| MenuItem {
                index,
                name: name.to_string(),
                category: category.to_string(),
                price_cents: *price,
                by_weight: *by_weight,
                modifier: false,
            })
            .collect();
        items.extend(
            MODIFIERS
                .iter()
                .enumerate()
                .map(|(k, (name, price))| MenuItem {
                    index: DISHES.len() + k,
                    name: name.to_string(),
                    category: "Modifiers".into(),
                    price_cents: *price,
                    by_weight: false,
                    modifier: true,
                }),
        );
        Self { items }
    }

    pub fn by_name(&self, name: &str) -> &MenuItem {
        self.items
            .iter()
            .find(|i| i.name == name)
            .unwrap_or_else(|| panic!("no menu item {name}"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GenKind {
    Sale,
    Refund,
    Void,
    Cancelled,
}

#[derive(Debug, Clone)]
pub struct GenLine {
    /// Unique within the location (the POS's line id).
    pub id: String,
    pub item: usize,
    /// Thousandths of a unit, negative on refunds.
    pub quantity_milli: i64,
    pub parent: Option<String>,
    pub total_cents: i64,
}

#[derive(Debug, Clone)]
pub struct GenReceipt {
    pub number: u32,
    pub account_id: String,
    pub receipt_id: String,
    pub kind: GenKind,
    pub opened_at_micros: i64,
    pub closed_at_micros: i64,
    pub lines: Vec<GenLine>,
}

/// SplitMix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }
}

fn day_seed(seed: u64, location: &str, date: NaiveDate, salt: u64) -> u64 {
    let mut h = seed ^ 0xA076_1D64_78BD_642F;
    for b in location.bytes() {
        h = (h ^ b as u64).wrapping_mul(0x1000_0000_01B3);
    }
    h ^ ((date.to_string().len() as u64) << 60)
        ^ (chrono::Datelike::num_days_from_ce(&date) as u64).wrapping_mul(0xE703_7ED1_A0B4_28DB)
        ^ salt.wrapping_mul(0x8EBC_6AF0_9C88_C6E3)
}

/// A dish index, popular ones more often (a rough Zipf).
fn pick_dish(rng: &mut Rng) -> usize {
    let a = rng.below(DISHES.len() as u64);
    let b = rng.below(DISHES.len() as u64);
    a.min(b) as usize
}

fn local_micros(tz: Tz, date: NaiveDate, minute_of_day: u32) -> i64 {
    let base = date.and_hms_opt(0, 0, 0).expect("midnight");
    let local = base + chrono::Duration::minutes(minute_of_day as i64);
    tz.from_local_datetime(&local)
        .earliest()
        .unwrap_or_else(|| tz.from_utc_datetime(&local))
        .timestamp_micros()
}

/// The receipts of `location` on business day `date`: about `lines_per_day` lines, plus `late`
/// receipts closed after midnight that the POS only learned of later.
pub fn day_receipts(
    menu: &Menu,
    seed: u64,
    location: &str,
    date: NaiveDate,
    lines_per_day: usize,
    late: u32,
) -> Vec<GenReceipt> {
    let tz = timezone_of(location);
    let mut rng = Rng::new(day_seed(seed, location, date, 0));
    let day_tag = date.format("%Y%m%d").to_string();
    let mut receipts = Vec::new();
    let mut line_no = 0u32;
    let mut total_lines = 0usize;
    let mut number = 0u32;
    let make = |rng: &mut Rng, number: u32, minute: u32, line_no: &mut u32| -> GenReceipt {
        let kind = match rng.below(1000) {
            0..=19 => GenKind::Refund,
            20..=29 => GenKind::Void,
            30..=39 => GenKind::Cancelled,
            _ => GenKind::Sale,
        };
        let opened = local_micros(tz, date, minute);
        let closed = opened + (10 + rng.below(80) as i64) * 60_000_000;
        let mut lines = Vec::new();
        let dishes = if kind == GenKind::Refund {
            1
        } else {
            1 + rng.below(4)
        };
        for _ in 0..dishes {
            let dish = pick_dish(rng);
            let item = &menu.items[dish];
            let quantity_milli = if item.by_weight {
                250 + rng.below(8) as i64 * 50
            } else {
                match rng.below(20) {
                    0 => 3000,
                    1..=3 => 2000,
                    _ => 1000,
                }
            };
            let sign = if kind == GenKind::Refund { -1 } else { 1 };
            *line_no += 1;
            let id = format!("S{location}.{day_tag}.{line_no}");
            let total_cents = item.price_cents * quantity_milli / 1000;
            let modifier = (!item.by_weight && rng.chance(180))
                .then(|| DISHES.len() + rng.below(MODIFIERS.len() as u64) as usize);
            lines.push(GenLine {
                id: id.clone(),
                item: dish,
                quantity_milli: sign * quantity_milli,
                parent: None,
                total_cents: sign * total_cents,
            });
            if let Some(m) = modifier {
                *line_no += 1;
                lines.push(GenLine {
                    id: format!("S{location}.{day_tag}.{line_no}"),
                    item: m,
                    quantity_milli: sign * quantity_milli,
                    parent: Some(id),
                    total_cents: sign * menu.items[m].price_cents * quantity_milli / 1000,
                });
            }
        }
        GenReceipt {
            number,
            account_id: format!("A{location}.{day_tag}.{number}"),
            receipt_id: format!("R{location}.{day_tag}.{number}"),
            kind,
            opened_at_micros: opened,
            closed_at_micros: closed,
            lines,
        }
    };
    while total_lines < lines_per_day {
        // Lunch and dinner rushes, a trickle in between; the last tables close after midnight.
        let minute = match rng.below(100) {
            0..=39 => 11 * 60 + 30 + rng.below(180) as u32,
            40..=84 => 18 * 60 + rng.below(270) as u32,
            _ => 11 * 60 + rng.below(750) as u32,
        };
        number += 1;
        let receipt = make(&mut rng, number, minute, &mut line_no);
        total_lines += receipt.lines.len();
        receipts.push(receipt);
    }
    for k in 0..late {
        let mut late_rng = Rng::new(day_seed(seed, location, date, 1 + k as u64));
        number += 1;
        let mut receipt = make(&mut late_rng, number, 23 * 60 + 50, &mut line_no);
        receipt.kind = GenKind::Sale;
        for line in &mut receipt.lines {
            line.quantity_milli = line.quantity_milli.abs();
            line.total_cents = line.total_cents.abs();
        }
        receipt.closed_at_micros = receipt.opened_at_micros + 65 * 60_000_000;
        receipts.push(receipt);
    }
    receipts.sort_by_key(|r| (r.closed_at_micros, r.number));
    receipts
}

pub fn decimal_milli(milli: i64) -> String {
    let sign = if milli < 0 { "-" } else { "" };
    let m = milli.abs();
    format!("{sign}{}.{:03}", m / 1000, m % 1000)
}

pub fn decimal_cents(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.abs();
    format!("{sign}{}.{:02}", c / 100, c % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_day() {
        let menu = Menu::new();
        let date = NaiveDate::from_ymd_opt(2026, 3, 14).unwrap();
        let a = day_receipts(&menu, 7, "45454565682155", date, 200, 0);
        let b = day_receipts(&menu, 7, "45454565682155", date, 200, 0);
        assert_eq!(a.len(), b.len());
        assert_eq!(a[3].lines[0].id, b[3].lines[0].id);
        let lines: usize = a.iter().map(|r| r.lines.len()).sum();
        assert!((200..210).contains(&lines), "{lines}");
        let c = day_receipts(&menu, 8, "45454565682155", date, 200, 0);
        assert_ne!(
            a.iter().map(|r| r.lines[0].item).collect::<Vec<_>>(),
            c.iter().map(|r| r.lines[0].item).collect::<Vec<_>>()
        );
        assert_eq!(MENU_SIZE, 80);
    }

    #[test]
    fn late_receipts_add_lines_and_keep_the_rest() {
        let menu = Menu::new();
        let date = NaiveDate::from_ymd_opt(2026, 3, 14).unwrap();
        let before = day_receipts(&menu, 7, "101", date, 100, 0);
        let after = day_receipts(&menu, 7, "101", date, 100, 1);
        assert_eq!(after.len(), before.len() + 1);
        let ids: Vec<_> = before
            .iter()
            .flat_map(|r| &r.lines)
            .map(|l| &l.id)
            .collect();
        for id in &ids {
            assert!(after.iter().flat_map(|r| &r.lines).any(|l| &l.id == *id));
        }
    }
}
