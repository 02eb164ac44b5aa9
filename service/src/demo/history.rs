//! Ninety days of the trattoria's life, up to its last completed business day, through the same
//! service calls a day in production makes: deliveries ordered twice a week to cover the days
//! until the next one, received into Main Storage; each morning a transfer tops the Kitchen and
//! the Bar up to a day and a half of their usage; the tills' sales posted by the POS pipeline;
//! some waste with its reason; a count of the Kitchen and the Bar every Sunday night (and of Main
//! Storage on the first Sunday of a month) with the small differences real counts find.
//!
//! Two shortages are left in on purpose: the last mascarpone delivery was missed, and the limes
//! of the last Monday did not come, so the dashboard has real critical stock to show.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, Weekday};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal_macros::dec;

use super::Trattoria;
use super::restaurant::{INGREDIENTS, MENU, Sold, Store, Till, WEEKDAY_TRADE};
use crate::db::Writer;
use crate::error::ServiceResult;
use crate::ingredients::QuantityUnit;
use crate::ledger::reading;
use crate::movements::{self, Movement, WasteLine};
use crate::orders::{self, OrderItemInput};
use crate::pos::pipeline::{DayContext, import_day};
use crate::pos::sale_lines::{NewSaleLine, SaleStatus};
use crate::quantity::from_micro;
use crate::stock_counts::{self, CountLineInput};
use crate::transfers::{self, TransferLineInput};
use crate::units::BaseUnit;

/// Deterministic pseudo-random numbers: the same demo every time.
pub(super) struct Dice(u64);

impl Dice {
    pub(super) fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// Uniform in [lo, hi] hundredths: `between(95, 105)` is a factor from 0.95 to 1.05.
    fn factor(&mut self, lo: u64, hi: u64) -> Decimal {
        Decimal::new((lo + self.next() % (hi - lo + 1)) as i64, 2)
    }

    /// True with `percent` % probability.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, from: &'a [T]) -> &'a T {
        &from[(self.next() % from.len() as u64) as usize]
    }
}

/// Deliveries come on Mondays and Thursdays.
fn is_delivery_day(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Mon | Weekday::Thu)
}

/// How busy `date` is against the average day.
fn trade(date: NaiveDate) -> Decimal {
    WEEKDAY_TRADE[date.weekday().num_days_from_monday() as usize]
}

/// Days of safety stock Main Storage keeps beyond the days until the next delivery.
const SAFETY_DAYS: Decimal = dec!(2);
/// The Kitchen and the Bar are topped up to this many days of their usage each morning.
const PAR_DAYS: Decimal = dec!(1.5);

/// What an average day uses of each ingredient in each storage unit, from the menu's mix and
/// each recipe's expansion (sub-recipes and trim included) — the figure deliveries and
/// top-ups are planned with.
pub(super) struct Usage(HashMap<(i64, Store), Decimal>);

impl Usage {
    pub(super) fn of(t: &Trattoria) -> ServiceResult<Self> {
        let mut usage: HashMap<(i64, Store), Decimal> = HashMap::new();
        for item in MENU {
            let per_day = Decimal::from(item.per_day);
            match item.sold {
                Sold::Recipe(recipe) => {
                    for line in t.book.expand(t.recipes[recipe])? {
                        let store = line
                            .storage_unit_id
                            .and_then(|id| t.store_of(id))
                            .unwrap_or(item.till.store());
                        *usage.entry((line.ingredient_id, store)).or_default() +=
                            line.quantity * per_day;
                    }
                }
                Sold::Ingredient(name, per_unit) => {
                    *usage
                        .entry((t.ingredients[name], item.till.store()))
                        .or_default() += per_unit * per_day;
                }
                Sold::Nothing | Sold::Unmapped => {}
            }
        }
        Ok(Self(usage))
    }

    /// An average day's use of `ingredient` in `store`.
    fn daily(&self, ingredient: i64, store: Store) -> Decimal {
        self.0
            .get(&(ingredient, store))
            .copied()
            .unwrap_or_default()
    }

    /// An average day's use of `ingredient` across the house.
    fn daily_total(&self, ingredient: i64) -> Decimal {
        Store::ALL.iter().map(|s| self.daily(ingredient, *s)).sum()
    }
}

/// Current stock of every pair, in base units.
async fn on_hand<C: Writer>(
    db: &C,
    t: &Trattoria,
) -> ServiceResult<HashMap<(i64, Store), Decimal>> {
    Ok(reading::stock_levels(db, &t.owner, t.company.id, None)
        .await?
        .into_iter()
        .filter_map(|b| {
            let store = t.store_of(b.storage_unit_id)?;
            Some(((b.ingredient_id, store), from_micro(b.quantity_micro)))
        })
        .collect())
}

/// Rounds down to what a person would move or count: whole pieces, else steps of `step`.
fn handy(quantity: Decimal, unit: BaseUnit, step: Decimal) -> Decimal {
    match unit {
        BaseUnit::Pcs => quantity.floor(),
        _ => (quantity / step).floor() * step,
    }
}

/// Rounds up to what a person would move: whole pieces, else steps of `step`.
fn handy_up(quantity: Decimal, unit: BaseUnit, step: Decimal) -> Decimal {
    match unit {
        BaseUnit::Pcs => quantity.ceil(),
        _ => (quantity / step).ceil() * step,
    }
}

/// Lives through every business day from `first` to `last`.
pub(super) async fn live_through<C: Writer>(
    db: &C,
    t: &Trattoria,
    first: NaiveDate,
    last: NaiveDate,
) -> ServiceResult<()> {
    let usage = Usage::of(t)?;
    let mut dice = Dice::new(2026);
    let mut tills = Vec::new();
    for (till, location) in &t.tills {
        tills.push((*till, DayContext::load(db, *location).await?));
    }
    let mut date = first;
    while date <= last {
        if date == first || is_delivery_day(date) {
            deliver(db, t, &usage, &mut dice, date, first, last).await?;
        }
        top_up(db, t, &usage, date).await?;
        for (till, ctx) in tills.iter_mut() {
            let lines = day_of_sales(t, *till, &mut dice, date);
            import_day(db, ctx, date, &lines, None).await?;
        }
        if dice.chance(40) {
            waste(db, t, &usage, &mut dice, date).await?;
        }
        if date.weekday() == Weekday::Sun {
            let mut stores = vec![Store::Kitchen, Store::Bar];
            if date.day() <= 7 {
                stores.push(Store::Main);
            }
            for store in stores {
                count(db, t, &mut dice, date, store).await?;
            }
        }
        date = match date.succ_opt() {
            Some(next) => next,
            None => break,
        };
    }
    Ok(())
}

/// The morning's delivery into Main Storage: per vendor one order, sent and received, sized to
/// the days until the next delivery plus safety stock, in whole packs at the week's price.
async fn deliver<C: Writer>(
    db: &C,
    t: &Trattoria,
    usage: &Usage,
    dice: &mut Dice,
    date: NaiveDate,
    first: NaiveDate,
    last: NaiveDate,
) -> ServiceResult<()> {
    let stock = on_hand(db, t).await?;
    let mut next = date.succ_opt().unwrap_or(date);
    while !is_delivery_day(next) {
        next = next.succ_opt().unwrap_or(next);
    }
    let mut orders: std::collections::BTreeMap<i64, Vec<OrderItemInput>> = Default::default();
    for demo in INGREDIENTS {
        let id = t.ingredients[demo.name];
        let supply = &t.supply[&id];
        // The two shortages the demo shows: deliveries that did not come.
        let missed = (demo.name == "Mascarpone"
            && date.weekday() == Weekday::Thu
            && last - date < chrono::Duration::days(7))
            || (demo.name == "Limes"
                && date.weekday() == Weekday::Mon
                && last - date < chrono::Duration::days(7));
        if missed {
            continue;
        }
        let daily = usage.daily_total(id);
        let mut need = daily * SAFETY_DAYS;
        let mut day = date;
        while day < next {
            need += daily * trade(day);
            day = day.succ_opt().unwrap_or(next);
        }
        let held: Decimal = Store::ALL
            .iter()
            .map(|s| {
                stock
                    .get(&(id, *s))
                    .copied()
                    .unwrap_or_default()
                    .max(Decimal::ZERO)
            })
            .sum();
        need -= held;
        // Opening stock of what no dish uses (napkins): a few packs.
        if date == first && daily.is_zero() {
            need = supply.pack * dec!(2);
        }
        if need <= Decimal::ZERO {
            continue;
        }
        let packs = (need / supply.pack).ceil();
        let price = unit_price(demo.name, demo.price, date, last) * dice.factor(98, 102);
        orders
            .entry(supply.vendor_id)
            .or_default()
            .push(OrderItemInput {
                product_id: supply.product_id,
                packs,
                price_per_pack: (price * supply.pack).round_dp(2),
            });
    }
    let delivered = t.at(date, 6, 30);
    for (vendor, items) in orders {
        let order = orders::create(
            db,
            &t.owner,
            t.company.id,
            orders::NewOrder {
                vendor_id: vendor,
                reference: Some(format!("PO-{}-{vendor}", date.format("%Y%m%d"))),
                storage_unit_id: Some(t.stores[&Store::Main]),
                items,
            },
        )
        .await?;
        orders::send(db, &t.owner, order.id).await?;
        orders::receive(
            db,
            &t.owner,
            order.id,
            t.stores[&Store::Main],
            None,
            Some(delivered),
        )
        .await?;
    }
    Ok(())
}

/// The price of one base unit on `date`: its list price, with two changes a manager should
/// notice — mozzarella up 12 % a month ago, tomatoes up 8 % ten days ago.
pub(super) fn unit_price(name: &str, list: Decimal, date: NaiveDate, last: NaiveDate) -> Decimal {
    let days_ago = (last - date).num_days();
    match name {
        "Mozzarella" if days_ago < 30 => list * dec!(1.12),
        "Tomatoes" if days_ago < 10 => list * dec!(1.08),
        _ => list,
    }
}

/// The morning transfer from Main Storage: each ingredient the Kitchen (the Bar) uses, up to a
/// day and a half of the day's expected use, as far as Main Storage has it.
async fn top_up<C: Writer>(
    db: &C,
    t: &Trattoria,
    usage: &Usage,
    date: NaiveDate,
) -> ServiceResult<()> {
    let stock = on_hand(db, t).await?;
    for store in [Store::Kitchen, Store::Bar] {
        let mut lines = Vec::new();
        for demo in INGREDIENTS {
            let id = t.ingredients[demo.name];
            let par = usage.daily(id, store) * trade(date) * PAR_DAYS;
            let have = stock.get(&(id, store)).copied().unwrap_or_default();
            let available = stock
                .get(&(id, Store::Main))
                .copied()
                .unwrap_or_default()
                .max(Decimal::ZERO);
            let wanted = handy_up(par - have, demo.base_unit, dec!(0.05));
            let quantity = wanted.min(handy(available, demo.base_unit, dec!(0.01)));
            if quantity > Decimal::ZERO {
                lines.push(TransferLineInput {
                    ingredient_id: id,
                    quantity,
                    unit: None,
                    lot_number: None,
                    expiry_date: None,
                });
            }
        }
        if lines.is_empty() {
            continue;
        }
        let transfer = transfers::create(
            db,
            &t.owner,
            t.stores[&Store::Main],
            t.stores[&store],
            lines,
            Some("Morning top-up".into()),
        )
        .await?;
        transfers::ship(db, &t.owner, transfer.id, Some(t.at(date, 8, 0))).await?;
        transfers::receive(db, &t.owner, transfer.id, Some(t.at(date, 8, 20))).await?;
    }
    Ok(())
}

/// A till's day as its end-of-day report gives it: one line per item sold, with its value; now
/// and then a refunded pizza.
fn day_of_sales(t: &Trattoria, till: Till, dice: &mut Dice, date: NaiveDate) -> Vec<NewSaleLine> {
    let sold_at = crate::ledger::to_micros(t.at(date, 21, 30));
    let mut lines = Vec::new();
    for item in MENU.iter().filter(|i| i.till == till) {
        let units = (Decimal::from(item.per_day) * trade(date) * dice.factor(80, 120)).round();
        if units <= Decimal::ZERO {
            continue;
        }
        lines.push(sale(
            date,
            item.code,
            item.name,
            units,
            item.price,
            sold_at,
            SaleStatus::Sale,
        ));
    }
    if till == Till::DiningRoom && dice.chance(5) {
        let pizza = &MENU[0];
        lines.push(sale(
            date,
            pizza.code,
            pizza.name,
            -Decimal::ONE,
            pizza.price,
            sold_at,
            SaleStatus::Refund,
        ));
    }
    lines
}

fn sale(
    date: NaiveDate,
    code: &str,
    name: &str,
    units: Decimal,
    price: Option<Decimal>,
    sold_at: i64,
    status: SaleStatus,
) -> NewSaleLine {
    let micro = |d: Decimal| (d * Decimal::from(1_000_000)).to_i64().unwrap_or(0);
    NewSaleLine {
        business_date: date,
        line_key: format!("demo:{date}:{code}:{status}"),
        external_item_id: code.into(),
        item_name: name.into(),
        quantity_micro: micro(units),
        sales_value_micro: price.map(|p| micro(p * units)),
        sold_at,
        transaction_id: None,
        receipt_number: Some(format!("Z-{}", date.format("%Y%m%d"))),
        status,
        csv_import_id: None,
    }
}

/// A bit of waste at closing: something perishable from the Kitchen or the Bar.
async fn waste<C: Writer>(
    db: &C,
    t: &Trattoria,
    usage: &Usage,
    dice: &mut Dice,
    date: NaiveDate,
) -> ServiceResult<()> {
    let stock = on_hand(db, t).await?;
    let perishable: Vec<_> = INGREDIENTS.iter().filter(|i| i.perishable).collect();
    let demo = *dice.pick(&perishable);
    let id = t.ingredients[demo.name];
    let store = if usage.daily(id, Store::Bar) > usage.daily(id, Store::Kitchen) {
        Store::Bar
    } else {
        Store::Kitchen
    };
    let have = stock.get(&(id, store)).copied().unwrap_or_default();
    let quantity = handy(
        (usage.daily(id, store) * dice.factor(5, 25)).min(have),
        demo.base_unit,
        dec!(0.01),
    );
    if quantity <= Decimal::ZERO {
        return Ok(());
    }
    let reason = *dice.pick(&[
        "Spoiled",
        "Expired",
        "Preparation loss",
        "Damaged",
        "Over-portioned",
    ]);
    movements::post_waste(
        db,
        &t.owner,
        vec![WasteLine {
            movement: Movement {
                storage_unit_id: t.stores[&store],
                ingredient_id: id,
                quantity,
                unit: None,
                occurred_at: Some(t.at(date, 22, 45)),
            },
            reason: reason.into(),
        }],
    )
    .await?;
    Ok(())
}

/// Sunday night's count: every ingredient the storage unit holds, as counted — mostly what the
/// books say, a little less where something went missing.
async fn count<C: Writer>(
    db: &C,
    t: &Trattoria,
    dice: &mut Dice,
    date: NaiveDate,
    store: Store,
) -> ServiceResult<()> {
    let stock = on_hand(db, t).await?;
    let mut lines = Vec::new();
    for demo in INGREDIENTS {
        let id = t.ingredients[demo.name];
        let Some(book) = stock.get(&(id, store)).copied() else {
            continue;
        };
        if book <= Decimal::ZERO {
            continue;
        }
        let counted = if dice.chance(70) {
            book
        } else {
            handy(book * dice.factor(95, 101), demo.base_unit, dec!(0.01))
        };
        lines.push(CountLineInput {
            ingredient_id: id,
            counted: Some(counted),
            unit: None::<QuantityUnit>,
        });
    }
    if lines.is_empty() {
        return Ok(());
    }
    stock_counts::count_and_post(db, &t.owner, t.stores[&store], t.at(date, 23, 30), lines).await?;
    Ok(())
}
