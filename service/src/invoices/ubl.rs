//! OASIS UBL 2.1 invoices and credit notes (XRechnung UBL, Peppol BIS Billing) read into an
//! [`InvoiceDocument`]. The paths are EN 16931's UBL binding.

use entity::invoice::{InvoiceKind, InvoiceSyntax};
use roxmltree::Node;

use super::document::{DocumentLine, DocumentTotals, InvoiceDocument, kind_of};
use super::read::ReadError;
use super::xml::{
    at, child, children, date, optional_decimal, owned, required, required_decimal, text,
};

pub(super) const INVOICE: &str = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
pub(super) const CREDIT_NOTE: &str = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";
const CAC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
const CBC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";

/// The element names that differ between the two UBL documents.
struct Words {
    type_code: &'static str,
    line: &'static str,
    quantity: &'static str,
}

const INVOICE_WORDS: Words = Words {
    type_code: "InvoiceTypeCode",
    line: "InvoiceLine",
    quantity: "InvoicedQuantity",
};

const CREDIT_NOTE_WORDS: Words = Words {
    type_code: "CreditNoteTypeCode",
    line: "CreditNoteLine",
    quantity: "CreditedQuantity",
};

pub(super) fn read(root: Node<'_, '_>) -> Result<InvoiceDocument, ReadError> {
    let credit_note = root.tag_name().namespace() == Some(CREDIT_NOTE);
    let words = if credit_note {
        CREDIT_NOTE_WORDS
    } else {
        INVOICE_WORDS
    };
    let type_code = required(
        text(child(root, CBC, words.type_code)),
        "BT-3 invoice type code",
    )?;
    let kind = if credit_note {
        InvoiceKind::CreditNote
    } else {
        kind_of(&type_code).ok_or_else(|| {
            ReadError::NotAnInvoice(format!(
                "type code {type_code} (BT-3) is not an invoice's or a credit note's"
            ))
        })?
    };
    let issued = text(child(root, CBC, "IssueDate"))
        .ok_or_else(|| ReadError::Field("BT-2 issue date is missing".into()))?;
    let currency = required(
        text(child(root, CBC, "DocumentCurrencyCode")),
        "BT-5 currency",
    )?;
    let seller = at(root, &[(CAC, "AccountingSupplierParty"), (CAC, "Party")]);
    let lines = children(root, CAC, words.line)
        .enumerate()
        .map(|(i, line)| read_line(line, i + 1, &words))
        .collect::<Result<Vec<_>, _>>()?;
    if lines.is_empty() {
        return Err(ReadError::NoLines("UBL".into()));
    }
    Ok(InvoiceDocument {
        syntax: InvoiceSyntax::Ubl,
        kind,
        type_code,
        number: required(text(child(root, CBC, "ID")), "BT-1 invoice number")?,
        issue_date: date(issued, "BT-2 issue date")?,
        seller_name: required(seller.and_then(seller_name), "BT-27 seller name")?,
        seller_vat_id: owned(seller.and_then(vat_id), "BT-31 seller VAT id")?,
        order_reference: owned(
            text(at(root, &[(CAC, "OrderReference"), (CBC, "ID")])),
            "BT-13 order reference",
        )?,
        totals: totals(root, &currency)?,
        currency,
        lines,
    })
}

/// BT-27 is the legal name; a file without one names the party by its trading name.
fn seller_name<'a>(party: Node<'a, '_>) -> Option<&'a str> {
    text(at(
        party,
        &[(CAC, "PartyLegalEntity"), (CBC, "RegistrationName")],
    ))
    .or_else(|| text(at(party, &[(CAC, "PartyName"), (CBC, "Name")])))
}

/// BT-31: the party's tax scheme VAT.
fn vat_id<'a>(party: Node<'a, '_>) -> Option<&'a str> {
    children(party, CAC, "PartyTaxScheme")
        .find(|s| text(at(*s, &[(CAC, "TaxScheme"), (CBC, "ID")])) == Some("VAT"))
        .and_then(|s| text(child(s, CBC, "CompanyID")))
}

fn totals(root: Node<'_, '_>, currency: &str) -> Result<DocumentTotals, ReadError> {
    let sums = child(root, CAC, "LegalMonetaryTotal");
    let amount = |name: &str| text(sums.and_then(|s| child(s, CBC, name)));
    // BT-110 in the invoice's currency; a second TaxTotal may give BT-111 in another.
    let tax = children(root, CAC, "TaxTotal")
        .filter_map(|t| child(t, CBC, "TaxAmount"))
        .find(|t| t.attribute("currencyID").is_none_or(|c| c == currency))
        .and_then(|t| text(Some(t)));
    Ok(DocumentTotals {
        line_total: required_decimal(
            amount("LineExtensionAmount"),
            "BT-106 sum of line net amounts",
        )?,
        tax_total: optional_decimal(tax, "BT-110 total VAT")?.unwrap_or_default(),
        grand_total: required_decimal(amount("TaxInclusiveAmount"), "BT-112 total with VAT")?,
    })
}

fn read_line(line: Node<'_, '_>, place: usize, words: &Words) -> Result<DocumentLine, ReadError> {
    let what = |bt: &str| format!("{bt} of line {place}");
    let item = child(line, CAC, "Item");
    let price = child(line, CAC, "Price");
    let quantity = child(line, CBC, words.quantity);
    let standard_id = item.and_then(|i| at(i, &[(CAC, "StandardItemIdentification"), (CBC, "ID")]));
    Ok(DocumentLine {
        line_id: required(text(child(line, CBC, "ID")), &what("BT-126 line id"))?,
        name: required(
            text(item.and_then(|i| child(i, CBC, "Name"))),
            &what("BT-153 item name"),
        )?,
        seller_item_id: owned(
            text(item.and_then(|i| at(i, &[(CAC, "SellersItemIdentification"), (CBC, "ID")]))),
            &what("BT-155 seller's item id"),
        )?,
        gtin: standard_id.and_then(super::read::gtin),
        quantity: required_decimal(text(quantity), &what("BT-129 invoiced quantity"))?,
        unit_code: required(
            quantity
                .and_then(|q| q.attribute("unitCode"))
                .map(str::trim),
            &what("BT-130 unit code"),
        )?,
        net_price: required_decimal(
            text(price.and_then(|p| child(p, CBC, "PriceAmount"))),
            &what("BT-146 net price"),
        )?,
        price_base_quantity: optional_decimal(
            text(price.and_then(|p| child(p, CBC, "BaseQuantity"))),
            &what("BT-149 price base quantity"),
        )?,
        net_amount: required_decimal(
            text(child(line, CBC, "LineExtensionAmount")),
            &what("BT-131 line net amount"),
        )?,
        vat_percent: optional_decimal(
            text(item.and_then(|i| at(i, &[(CAC, "ClassifiedTaxCategory"), (CBC, "Percent")]))),
            &what("BT-152 VAT rate"),
        )?,
    })
}
