//! UN/CEFACT Cross Industry Invoice (D16B: XRechnung CII, ZUGFeRD 2, Factur-X) read into an
//! [`InvoiceDocument`]. The paths are EN 16931's CII binding.

use entity::invoice::InvoiceSyntax;
use roxmltree::Node;

use super::document::{DocumentLine, DocumentTotals, InvoiceDocument, kind_of};
use super::read::ReadError;
use super::xml::{
    at, child, children, date, optional_decimal, owned, required, required_decimal, text,
};

pub(super) const RSM: &str = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100";
const RAM: &str =
    "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100";
const UDT: &str = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100";

pub(super) fn read(root: Node<'_, '_>) -> Result<InvoiceDocument, ReadError> {
    let document = child(root, RSM, "ExchangedDocument")
        .ok_or_else(|| ReadError::Field("the invoice has no ExchangedDocument".into()))?;
    let type_code = required(
        text(child(document, RAM, "TypeCode")),
        "BT-3 invoice type code",
    )?;
    let kind = kind_of(&type_code).ok_or_else(|| {
        ReadError::NotAnInvoice(format!(
            "type code {type_code} (BT-3) is not an invoice's or a credit note's"
        ))
    })?;
    let issued = text(at(
        document,
        &[(RAM, "IssueDateTime"), (UDT, "DateTimeString")],
    ));
    let issue_date = date(
        issued.ok_or_else(|| ReadError::Field("BT-2 issue date is missing".into()))?,
        "BT-2 issue date",
    )?;
    let trade = child(root, RSM, "SupplyChainTradeTransaction")
        .ok_or_else(|| ReadError::Field("the invoice has no SupplyChainTradeTransaction".into()))?;
    let agreement = child(trade, RAM, "ApplicableHeaderTradeAgreement");
    let seller = agreement.and_then(|a| child(a, RAM, "SellerTradeParty"));
    let settlement = child(trade, RAM, "ApplicableHeaderTradeSettlement");
    let currency = required(
        text(settlement.and_then(|s| child(s, RAM, "InvoiceCurrencyCode"))),
        "BT-5 currency",
    )?;
    let lines = children(trade, RAM, "IncludedSupplyChainTradeLineItem")
        .enumerate()
        .map(|(i, line)| read_line(line, i + 1))
        .collect::<Result<Vec<_>, _>>()?;
    if lines.is_empty() {
        return Err(ReadError::NoLines(profile(root)));
    }
    Ok(InvoiceDocument {
        syntax: InvoiceSyntax::Cii,
        kind,
        type_code,
        number: required(text(child(document, RAM, "ID")), "BT-1 invoice number")?,
        issue_date,
        seller_name: required(
            text(seller.and_then(|s| child(s, RAM, "Name"))),
            "BT-27 seller name",
        )?,
        seller_vat_id: owned(seller.and_then(vat_id), "BT-31 seller VAT id")?,
        order_reference: owned(
            text(agreement.and_then(|a| {
                at(
                    a,
                    &[
                        (RAM, "BuyerOrderReferencedDocument"),
                        (RAM, "IssuerAssignedID"),
                    ],
                )
            })),
            "BT-13 order reference",
        )?,
        totals: totals(settlement, &currency)?,
        currency,
        lines,
    })
}

/// BT-31: the seller's tax registration with scheme VA.
fn vat_id<'a>(seller: Node<'a, '_>) -> Option<&'a str> {
    children(seller, RAM, "SpecifiedTaxRegistration")
        .filter_map(|r| child(r, RAM, "ID"))
        .find(|id| id.attribute("schemeID") == Some("VA"))
        .and_then(|id| text(Some(id)))
}

/// The profile a file names (BT-24), for the message that refuses one without lines.
fn profile(root: Node<'_, '_>) -> String {
    let id = text(at(
        root,
        &[
            (RSM, "ExchangedDocumentContext"),
            (RAM, "GuidelineSpecifiedDocumentContextParameter"),
            (RAM, "ID"),
        ],
    ))
    .unwrap_or("");
    let lower = id.to_ascii_lowercase();
    if lower.contains("minimum") {
        "MINIMUM".into()
    } else if lower.contains("basicwl") {
        "BASIC WL".into()
    } else if id.is_empty() {
        "no profile named".into()
    } else {
        id.chars().take(120).collect()
    }
}

fn totals(settlement: Option<Node<'_, '_>>, currency: &str) -> Result<DocumentTotals, ReadError> {
    let sums =
        settlement.and_then(|s| child(s, RAM, "SpecifiedTradeSettlementHeaderMonetarySummation"));
    let amount = |name: &str| text(sums.and_then(|s| child(s, RAM, name)));
    // BT-110 is the tax in the invoice's currency; BT-111, in the accounting currency, has
    // the same element with another currencyID.
    let tax = sums.and_then(|s| {
        children(s, RAM, "TaxTotalAmount")
            .find(|t| t.attribute("currencyID").is_none_or(|c| c == currency))
            .and_then(|t| text(Some(t)))
    });
    Ok(DocumentTotals {
        line_total: required_decimal(amount("LineTotalAmount"), "BT-106 sum of line net amounts")?,
        tax_total: optional_decimal(tax, "BT-110 total VAT")?.unwrap_or_default(),
        grand_total: required_decimal(amount("GrandTotalAmount"), "BT-112 total with VAT")?,
    })
}

fn read_line(line: Node<'_, '_>, place: usize) -> Result<DocumentLine, ReadError> {
    let what = |bt: &str| format!("{bt} of line {place}");
    let product = child(line, RAM, "SpecifiedTradeProduct");
    let price = at(
        line,
        &[
            (RAM, "SpecifiedLineTradeAgreement"),
            (RAM, "NetPriceProductTradePrice"),
        ],
    );
    let quantity = at(
        line,
        &[(RAM, "SpecifiedLineTradeDelivery"), (RAM, "BilledQuantity")],
    );
    let settlement = child(line, RAM, "SpecifiedLineTradeSettlement");
    let global_id = product.and_then(|p| child(p, RAM, "GlobalID"));
    Ok(DocumentLine {
        line_id: required(
            text(at(
                line,
                &[(RAM, "AssociatedDocumentLineDocument"), (RAM, "LineID")],
            )),
            &what("BT-126 line id"),
        )?,
        name: required(
            text(product.and_then(|p| child(p, RAM, "Name"))),
            &what("BT-153 item name"),
        )?,
        seller_item_id: owned(
            text(product.and_then(|p| child(p, RAM, "SellerAssignedID"))),
            &what("BT-155 seller's item id"),
        )?,
        gtin: global_id.and_then(super::read::gtin),
        quantity: required_decimal(text(quantity), &what("BT-129 invoiced quantity"))?,
        unit_code: required(
            quantity
                .and_then(|q| q.attribute("unitCode"))
                .map(str::trim),
            &what("BT-130 unit code"),
        )?,
        net_price: required_decimal(
            text(price.and_then(|p| child(p, RAM, "ChargeAmount"))),
            &what("BT-146 net price"),
        )?,
        price_base_quantity: optional_decimal(
            text(price.and_then(|p| child(p, RAM, "BasisQuantity"))),
            &what("BT-149 price base quantity"),
        )?,
        net_amount: required_decimal(
            text(settlement.and_then(|s| {
                at(
                    s,
                    &[
                        (RAM, "SpecifiedTradeSettlementLineMonetarySummation"),
                        (RAM, "LineTotalAmount"),
                    ],
                )
            })),
            &what("BT-131 line net amount"),
        )?,
        vat_percent: optional_decimal(
            text(settlement.and_then(|s| {
                at(
                    s,
                    &[(RAM, "ApplicableTradeTax"), (RAM, "RateApplicablePercent")],
                )
            })),
            &what("BT-152 VAT rate"),
        )?,
    })
}
