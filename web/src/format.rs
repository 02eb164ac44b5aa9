//! Numbers, money and times as people read them, in their language: `1.234,56 €` in German,
//! `€1,234.56` in English; quantities with at most three decimals; times on the company's clock.
//! Values arrive from the server as exact decimal strings and are only ever rounded here, for
//! the eye — never through a float.

use std::cell::RefCell;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::lang::Lang;

/// Whose numbers the pages show: the reader's language, the company's currency and clock.
#[derive(Debug, Clone)]
struct House {
    lang: Lang,
    currency: String,
    timezone: String,
}

thread_local! {
    static HOUSE: RefCell<House> = RefCell::new(House {
        lang: Lang::En,
        currency: "EUR".into(),
        timezone: "UTC".into(),
    });
}

/// The reader's language, for every number and time shown from now on.
pub fn set_lang(lang: Lang) {
    HOUSE.with(|h| h.borrow_mut().lang = lang);
}

/// The company the pages work in: its currency and timezone.
pub fn set_company(currency: &str, timezone: &str) {
    HOUSE.with(|h| {
        let mut h = h.borrow_mut();
        h.currency = currency.to_string();
        h.timezone = timezone.to_string();
    });
}

fn house() -> House {
    HOUSE.with(|h| h.borrow().clone())
}

/// A quantity for people: at most three decimals, no trailing zeros.
pub fn qty(v: &str) -> String {
    number_as(house().lang, v, 0, 3)
}

/// Money in the company's currency: two decimals, grouped thousands.
pub fn money(v: &str) -> String {
    let h = house();
    money_as(h.lang, &h.currency, v)
}

/// An amount in a currency other than the company's (an invoice's own), in the reader's format.
pub fn money_in(currency: &str, v: &str) -> String {
    money_as(house().lang, currency, v)
}

/// A percentage for people: one decimal.
pub fn percent(v: &str) -> String {
    let lang = house().lang;
    let number = number_as(lang, v, 1, 1);
    match lang {
        Lang::En => format!("{number} %"),
        Lang::De => format!("{number}\u{a0}%"),
    }
}

/// How a language writes numbers: (decimal mark, thousands separator).
fn marks(lang: Lang) -> (char, char) {
    match lang {
        Lang::En => ('.', ','),
        Lang::De => (',', '.'),
    }
}

/// `v` with between `min` and `max` decimals, in `lang`'s marks; `v` itself if not a number.
pub fn number_as(lang: Lang, v: &str, min: u32, max: u32) -> String {
    match v.trim().parse::<Decimal>() {
        Ok(d) => write(lang, d, min, max),
        Err(_) => v.to_string(),
    }
}

fn write(lang: Lang, value: Decimal, min: u32, max: u32) -> String {
    let (decimal_mark, group_mark) = marks(lang);
    let rounded = value.round_dp_with_strategy(max, RoundingStrategy::MidpointAwayFromZero);
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    let text = rounded.abs().to_string();
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut fraction = fraction.to_string();
    while fraction.len() > min as usize && fraction.ends_with('0') {
        fraction.pop();
    }
    while fraction.len() < min as usize {
        fraction.push('0');
    }
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(group_mark);
        }
        grouped.push(digit);
    }
    let sign = if negative { "-" } else { "" };
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}{decimal_mark}{fraction}")
    }
}

/// The sign a currency is written with; its ISO code where it has none everyone knows.
fn currency_sign(code: &str) -> &str {
    match code {
        "EUR" => "€",
        "USD" => "$",
        "GBP" => "£",
        "JPY" => "¥",
        other => other,
    }
}

/// `v` as an amount of `currency`: `€1,234.56` in English, `1.234,56 €` in German.
pub fn money_as(lang: Lang, currency: &str, v: &str) -> String {
    let Ok(value) = v.trim().parse::<Decimal>() else {
        return v.to_string();
    };
    let amount = write(lang, value.abs(), 2, 2);
    let negative = value.round_dp(2).is_sign_negative() && !value.round_dp(2).is_zero();
    let sign = if negative { "-" } else { "" };
    let mark = currency_sign(currency);
    let symbol_first = lang == Lang::En && mark.chars().count() == 1;
    if symbol_first {
        format!("{sign}{mark}{amount}")
    } else {
        format!("{sign}{amount}\u{a0}{mark}")
    }
}

/// A number a person typed, in their language's marks, as the API reads it ("1.234,5" → "1234.5"
/// in German; "1,234.5" → "1234.5" in English). A lone comma is a decimal comma in both: kitchen
/// tablets often offer only that key.
pub fn typed_number(v: &str) -> String {
    typed_number_as(house().lang, v)
}

pub fn typed_number_as(lang: Lang, v: &str) -> String {
    let v = v.trim().replace([' ', '\u{a0}'], "");
    let (decimal_mark, group_mark) = marks(lang);
    let has_both = v.contains(decimal_mark) && v.contains(group_mark);
    let v = if has_both {
        v.replace(group_mark, "")
    } else {
        v
    };
    v.replace(',', ".")
}

/// A moment (RFC 3339) as a date and time on the company's clock, in the reader's format.
pub fn when(iso: &str) -> String {
    intl(iso, true)
}

/// A moment (RFC 3339) or a date (YYYY-MM-DD) as a date in the reader's format.
pub fn day(iso: &str) -> String {
    intl(iso, false)
}

#[cfg(target_arch = "wasm32")]
fn intl(iso: &str, with_time: bool) -> String {
    use wasm_bindgen::JsValue;
    let h = house();
    // A bare date is a calendar day: shown as it is, not moved to another timezone.
    let (input, zone) = if iso.len() == 10 {
        (format!("{iso}T12:00:00Z"), "UTC".to_string())
    } else {
        (iso.to_string(), h.timezone.clone())
    };
    let date = js_sys::Date::new(&JsValue::from_str(&input));
    if date.get_time().is_nan() {
        return iso.to_string();
    }
    let options = js_sys::Object::new();
    let set = |k: &str, v: &str| {
        let _ = js_sys::Reflect::set(&options, &k.into(), &v.into());
    };
    set("timeZone", &zone);
    set("dateStyle", "medium");
    if with_time {
        set("timeStyle", "short");
    }
    let locales = js_sys::Array::of1(&h.lang.tag().into());
    let format = js_sys::Intl::DateTimeFormat::new(&locales, &options).format();
    format
        .call1(&JsValue::NULL, &date)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| iso.to_string())
}

#[cfg(not(target_arch = "wasm32"))]
fn intl(iso: &str, with_time: bool) -> String {
    let cut = if with_time { 16 } else { 10 };
    iso.get(..cut).unwrap_or(iso).replace('T', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_written_as_each_language_writes_it() {
        assert_eq!(money_as(Lang::En, "EUR", "1234.5"), "€1,234.50");
        assert_eq!(money_as(Lang::De, "EUR", "1234.5"), "1.234,50\u{a0}€");
        assert_eq!(money_as(Lang::De, "EUR", "34745.789"), "34.745,79\u{a0}€");
        assert_eq!(money_as(Lang::En, "CHF", "-2.005"), "-2.01\u{a0}CHF");
        assert_eq!(money_as(Lang::En, "EUR", "-0.001"), "€0.00");
        assert_eq!(money_as(Lang::En, "EUR", "1000000"), "€1,000,000.00");
    }

    #[test]
    fn quantities_keep_at_most_three_decimals() {
        assert_eq!(number_as(Lang::En, "-0.5000", 0, 3), "-0.5");
        assert_eq!(number_as(Lang::De, "1234.56789", 0, 3), "1.234,568");
        assert_eq!(number_as(Lang::En, "12", 0, 3), "12");
        assert_eq!(number_as(Lang::En, "-0.0001", 0, 3), "0");
        assert_eq!(number_as(Lang::En, "n/a", 0, 3), "n/a");
    }

    #[test]
    fn typed_numbers_accept_the_language_s_marks() {
        assert_eq!(typed_number_as(Lang::De, "1.234,5"), "1234.5");
        assert_eq!(typed_number_as(Lang::De, "0,5"), "0.5");
        assert_eq!(typed_number_as(Lang::En, "1,234.5"), "1234.5");
        assert_eq!(typed_number_as(Lang::En, "0,5"), "0.5");
        assert_eq!(typed_number_as(Lang::En, " 2.25 "), "2.25");
    }
}
