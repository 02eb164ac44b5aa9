//! Reading an e-invoice's XML safely: bytes decoded by their declaration, a tree that refuses
//! DTDs (so no entity can expand or reach out) and bounds its nodes, and the small lookups the
//! two syntaxes share — elements found by namespace and local name, whatever prefix a file uses.

use std::borrow::Cow;

use chrono::NaiveDate;
use roxmltree::{Document, Node, ParsingOptions};
use rust_decimal::Decimal;

use super::read::ReadError;

/// More nodes than a 10 MB invoice has: a file past it is refused, not parsed on.
const NODES_LIMIT: u32 = 3_000_000;

/// The text of an XML file: UTF-8 (with or without its BOM), UTF-16 by its BOM, or the
/// encoding its declaration names.
pub(super) fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, ReadError> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return decode_as(encoding, &bytes[bom..]);
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]);
    let declared = head
        .strip_prefix("<?xml")
        .and_then(|rest| rest.split("?>").next())
        .and_then(|decl| decl.split("encoding").nth(1))
        .and_then(|rest| rest.split(['"', '\'']).nth(1));
    let encoding = match declared {
        None => encoding_rs::UTF_8,
        Some(label) => {
            encoding_rs::Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
                ReadError::BrokenXml(format!("the file declares an unknown encoding '{label}'"))
            })?
        }
    };
    decode_as(encoding, bytes)
}

fn decode_as<'b>(
    encoding: &'static encoding_rs::Encoding,
    bytes: &'b [u8],
) -> Result<Cow<'b, str>, ReadError> {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(ReadError::BrokenXml(format!(
            "the file is not valid {} text",
            encoding.name()
        )));
    }
    Ok(text)
}

pub(super) fn parse(text: &str) -> Result<Document<'_>, ReadError> {
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: NODES_LIMIT,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(text, options).map_err(|err| match err {
        roxmltree::Error::DtdDetected => ReadError::BrokenXml(
            "the file declares a DTD, which an e-invoice never has (refused: entities could expand without end)".into(),
        ),
        roxmltree::Error::NodesLimitReached => {
            ReadError::TooLarge("the XML has more elements than any invoice needs".into())
        }
        other => ReadError::BrokenXml(format!("the XML is broken: {other}")),
    })
}

/// An element's child by namespace and local name.
pub(super) fn child<'a, 'i>(node: Node<'a, 'i>, ns: &str, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| is(*c, ns, name))
}

pub(super) fn children<'a, 'i, 'q>(
    node: Node<'a, 'i>,
    ns: &'q str,
    name: &'q str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'q
where
    'a: 'q,
    'i: 'q,
{
    node.children().filter(move |c| is(*c, ns, name))
}

pub(super) fn is(node: Node<'_, '_>, ns: &str, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name && node.tag_name().namespace() == Some(ns)
}

/// The element at the end of `steps`, each a (namespace, local name) below the last.
pub(super) fn at<'a, 'i>(node: Node<'a, 'i>, steps: &[(&str, &str)]) -> Option<Node<'a, 'i>> {
    steps
        .iter()
        .try_fold(node, |here, (ns, name)| child(here, ns, name))
}

/// An element's text, trimmed; None when empty.
pub(super) fn text<'a>(node: Option<Node<'a, '_>>) -> Option<&'a str> {
    node.and_then(|n| n.text())
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// Longest text Larder keeps of any one field: names and ids longer than this are no invoice's.
const TEXT_LIMIT: usize = 1_000;

/// A field's text, bounded; `what` names it as EN 16931 does ("BT-1 invoice number").
pub(super) fn owned(value: Option<&str>, what: &str) -> Result<Option<String>, ReadError> {
    match value {
        Some(v) if v.chars().count() > TEXT_LIMIT => Err(ReadError::Field(format!(
            "{what} is longer than {TEXT_LIMIT} characters"
        ))),
        other => Ok(other.map(str::to_string)),
    }
}

pub(super) fn required(value: Option<&str>, what: &str) -> Result<String, ReadError> {
    owned(value, what)?.ok_or_else(|| ReadError::Field(format!("{what} is missing")))
}

/// An `xs:decimal` as written (sign, digits, one point), kept with its decimals.
pub(super) fn decimal(value: &str, what: &str) -> Result<Decimal, ReadError> {
    let digits = value.strip_prefix(['+', '-']).unwrap_or(value);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let well_formed = !(whole.is_empty() && fraction.is_empty())
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && whole.trim_start_matches('0').len() <= 15
        && fraction.len() <= 12;
    let parsed = well_formed
        .then(|| {
            value
                .strip_prefix('+')
                .unwrap_or(value)
                .parse::<Decimal>()
                .ok()
        })
        .flatten();
    parsed.ok_or_else(|| {
        ReadError::Field(format!(
            "{what} is not a decimal number Larder can keep: '{}'",
            value.chars().take(40).collect::<String>()
        ))
    })
}

pub(super) fn required_decimal(value: Option<&str>, what: &str) -> Result<Decimal, ReadError> {
    decimal(
        value.ok_or_else(|| ReadError::Field(format!("{what} is missing")))?,
        what,
    )
}

pub(super) fn optional_decimal(
    value: Option<&str>,
    what: &str,
) -> Result<Option<Decimal>, ReadError> {
    value.map(|v| decimal(v, what)).transpose()
}

/// A date as `YYYYMMDD` (CII's format 102) or `YYYY-MM-DD` with an optional zone (UBL).
pub(super) fn date(value: &str, what: &str) -> Result<NaiveDate, ReadError> {
    let bare = value
        .get(..10)
        .filter(|d| d.as_bytes().get(4) == Some(&b'-'));
    let parsed = match bare {
        Some(iso) => NaiveDate::parse_from_str(iso, "%Y-%m-%d").ok(),
        None if value.len() == 8 => NaiveDate::parse_from_str(value, "%Y%m%d").ok(),
        None => None,
    };
    parsed.ok_or_else(|| {
        ReadError::Field(format!(
            "{what} is not a date: '{}'",
            value.chars().take(40).collect::<String>()
        ))
    })
}
