//! A count sheet as the browser keeps it: what the server last answered, plus the entries this
//! device made since (the outbox). What stands at each place is worked out here the way the
//! server does — the latest entry by the time counted, then by client id — so a count made
//! without a signal shows the same totals it will have once sent.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Id {
    pub id: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IdName {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sheet {
    pub id: String,
    pub blind: bool,
    pub check_above_percent: i32,
    pub storage_unit: Unit,
    pub lines: Vec<Line>,
    pub entries: Vec<Entry>,
    pub conflicts: Vec<Conflict>,
    /// The company's products that carry a GTIN: scanning works without a signal too.
    #[serde(default)]
    pub barcodes: Vec<Barcode>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    pub id: String,
    pub name: String,
    pub places: Vec<IdName>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Line {
    pub ingredient: LineIngredient,
    pub place: Option<Id>,
    pub book_quantity: Option<String>,
    pub counted_quantity: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LineIngredient {
    pub id: String,
    pub name: String,
    pub base_unit: String,
    pub packaging_levels: Vec<Level>,
    pub preferred_product: Option<Pack>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Level {
    pub name: String,
    pub factor: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pack {
    pub id: String,
    pub pack_name: String,
    pub packaging_factor: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Barcode {
    pub id: String,
    pub gtin: Option<String>,
    pub pack_name: String,
    pub packaging_factor: String,
    pub ingredient: Option<Id>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    pub client_id: String,
    pub ingredient: Id,
    pub place: Option<Id>,
    /// Packs and loose together, in the base unit.
    pub quantity: String,
    pub packs: Option<String>,
    pub loose_quantity: Option<String>,
    pub product: Option<Id>,
    pub counted_at: String,
    pub counted_by: Id,
    /// `counted_at` in milliseconds, worked out once it is read (the server and the browser
    /// write times differently).
    #[serde(default)]
    pub at_ms: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Conflict {
    pub ingredient: IdName,
    pub place: Option<IdName>,
    pub entries: Vec<ConflictEntry>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConflictEntry {
    pub client_id: String,
    pub quantity: String,
    pub counted_by: Named,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Named {
    pub name: String,
}

/// The fields of a count the sheet needs, for `startStockCount` and `saveCountEntries`.
pub const SHEET_FIELDS: &str = "id blind checkAbovePercent storageUnit { id name places { id name } } lines { ingredient { id name baseUnit packagingLevels { name factor } preferredProduct { id packName packagingFactor } } place { id } bookQuantity countedQuantity } entries { clientId ingredient { id } place { id } quantity packs looseQuantity product { id } countedAt countedBy { id } } conflicts { ingredient { id name } place { id name } entries { clientId quantity countedBy { name } } }";

/// One place of the walk and the lines counted or kept there.
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    /// None: not placed.
    pub place: Option<IdName>,
    pub lines: Vec<Line>,
}

impl Sheet {
    /// The sheet in walking order: each place with the ingredients kept there and any found
    /// there by an entry; the unplaced last.
    pub fn sections(&self, extra: &[Entry]) -> Vec<Section> {
        let mut sections: Vec<Section> = self
            .storage_unit
            .places
            .iter()
            .map(|p| Section {
                place: Some(p.clone()),
                lines: Vec::new(),
            })
            .chain(std::iter::once(Section {
                place: None,
                lines: Vec::new(),
            }))
            .collect();
        let index = |place: Option<&str>| {
            sections_index(&self.storage_unit.places, place).unwrap_or(sections_len(self) - 1)
        };
        for line in &self.lines {
            let i = index(line.place.as_ref().map(|p| p.id.as_str()));
            sections[i].lines.push(line.clone());
        }
        // An ingredient found at a place that is not its own is listed there too.
        for entry in self.entries.iter().chain(extra) {
            let i = index(entry.place.as_ref().map(|p| p.id.as_str()));
            let listed = sections[i]
                .lines
                .iter()
                .any(|l| l.ingredient.id == entry.ingredient.id);
            if !listed
                && let Some(line) = self
                    .lines
                    .iter()
                    .find(|l| l.ingredient.id == entry.ingredient.id)
            {
                sections[i].lines.push(line.clone());
            }
        }
        sections.retain(|s| !s.lines.is_empty());
        sections
    }

    /// The ingredient and pack a scanned code names (any length of the same GTIN).
    pub fn scanned(&self, code: &str) -> Option<&Barcode> {
        let wanted = gtin14(code)?;
        self.barcodes
            .iter()
            .find(|b| b.gtin.as_deref().and_then(gtin14).as_deref() == Some(wanted.as_str()))
    }
}

fn sections_index(places: &[IdName], place: Option<&str>) -> Option<usize> {
    let place = place?;
    places.iter().position(|p| p.id == place)
}

fn sections_len(sheet: &Sheet) -> usize {
    sheet.storage_unit.places.len() + 1
}

/// What stands at each (ingredient, place): the latest entry by time counted, then client id.
pub fn standing<'a>(
    entries: impl Iterator<Item = &'a Entry>,
) -> BTreeMap<(String, Option<String>), &'a Entry> {
    let mut out: BTreeMap<(String, Option<String>), &Entry> = BTreeMap::new();
    for e in entries {
        let key = (
            e.ingredient.id.clone(),
            e.place.as_ref().map(|p| p.id.clone()),
        );
        let later = out.get(&key).is_none_or(|was| {
            (e.at_ms, &e.client_id)
                .partial_cmp(&(was.at_ms, &was.client_id))
                .is_some_and(|o| o.is_gt())
        });
        if later {
            out.insert(key, e);
        }
    }
    out
}

/// An ingredient's counted quantity: the sum over places of what stands at each; None when no
/// entry names it (then the server's draft quantity, if any, stands).
pub fn counted(
    standing: &BTreeMap<(String, Option<String>), &Entry>,
    ingredient: &str,
) -> Option<Decimal> {
    let mut total = None::<Decimal>;
    for ((id, _), e) in standing {
        if id == ingredient {
            let q: Decimal = e.quantity.parse().unwrap_or_default();
            total = Some(total.unwrap_or_default() + q);
        }
    }
    total
}

/// Whether `code` is a GTIN (8, 12, 13 or 14 digits, the last the GS1 check digit).
pub fn is_gtin(code: &str) -> bool {
    let digits: Vec<u32> = code.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != code.len() || ![8, 12, 13, 14].contains(&digits.len()) {
        return false;
    }
    let (body, check) = digits.split_at(digits.len() - 1);
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { d * 3 } else { *d })
        .sum();
    (10 - sum % 10) % 10 == check[0]
}

fn gtin14(code: &str) -> Option<String> {
    is_gtin(code).then(|| format!("{code:0>14}"))
}

/// A pack of the line's ingredient: the preferred product's, else its smallest packaging level.
pub fn default_pack(ingredient: &LineIngredient) -> Option<(Option<String>, String, Decimal)> {
    if let Some(p) = &ingredient.preferred_product {
        return Some((
            Some(p.id.clone()),
            p.pack_name.clone(),
            p.packaging_factor.parse().ok()?,
        ));
    }
    ingredient
        .packaging_levels
        .iter()
        .filter_map(|l| Some((l.name.clone(), l.factor.parse::<Decimal>().ok()?)))
        .min_by_key(|(_, f)| *f)
        .map(|(name, factor)| (None, name, factor))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(
        client: &str,
        ingredient: &str,
        place: Option<&str>,
        quantity: &str,
        at_ms: f64,
    ) -> Entry {
        Entry {
            client_id: client.into(),
            ingredient: Id {
                id: ingredient.into(),
            },
            place: place.map(|p| Id { id: p.into() }),
            quantity: quantity.into(),
            packs: None,
            loose_quantity: Some(quantity.into()),
            product: None,
            counted_at: String::new(),
            counted_by: Id { id: "1".into() },
            at_ms,
        }
    }

    #[test]
    fn the_latest_entry_at_each_place_stands_and_places_add_up() {
        let entries = [
            entry("a", "flour", Some("shelf"), "50", 1.0),
            entry("b", "flour", Some("shelf"), "53.5", 2.0),
            entry("c", "flour", Some("cold"), "0.5", 1.5),
            entry("d", "salt", None, "2", 1.0),
        ];
        let s = standing(entries.iter());
        assert_eq!(counted(&s, "flour"), Some("54".parse().unwrap()));
        assert_eq!(counted(&s, "salt"), Some("2".parse().unwrap()));
        assert_eq!(counted(&s, "oil"), None);
    }

    #[test]
    fn a_tie_in_time_goes_to_the_larger_client_id_as_on_the_server() {
        let entries = [
            entry("b", "flour", None, "2", 1.0),
            entry("a", "flour", None, "1", 1.0),
        ];
        assert_eq!(
            counted(&standing(entries.iter()), "flour"),
            Some("2".parse().unwrap())
        );
    }

    #[test]
    fn gtins_are_checked_and_compared_in_any_length() {
        assert!(is_gtin("4006381333931"));
        assert!(!is_gtin("4006381333932"));
        assert!(!is_gtin("12345"));
        assert_eq!(gtin14("4006381333931"), gtin14("04006381333931"));
    }
}
