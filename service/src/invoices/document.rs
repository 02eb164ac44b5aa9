//! An e-invoice as read, the same whichever syntax carried it: the fields of EN 16931 that
//! Larder uses (DESIGN.md, "E-invoices"), amounts with the decimals the file has.

use chrono::NaiveDate;
use entity::invoice::{InvoiceKind, InvoiceSyntax};
use rust_decimal::Decimal;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceDocument {
    pub syntax: InvoiceSyntax,
    pub kind: InvoiceKind,
    /// BT-3 as written.
    pub type_code: String,
    /// BT-1.
    pub number: String,
    /// BT-2.
    pub issue_date: NaiveDate,
    /// BT-5.
    pub currency: String,
    /// BT-27.
    pub seller_name: String,
    /// BT-31.
    pub seller_vat_id: Option<String>,
    /// BT-13.
    pub order_reference: Option<String>,
    pub lines: Vec<DocumentLine>,
    pub totals: DocumentTotals,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentLine {
    /// BT-126.
    pub line_id: String,
    /// BT-153.
    pub name: String,
    /// BT-155.
    pub seller_item_id: Option<String>,
    /// BT-157, only a GTIN with a valid check digit.
    pub gtin: Option<String>,
    /// BT-129 and BT-130.
    pub quantity: Decimal,
    pub unit_code: String,
    /// BT-146 per BT-149.
    pub net_price: Decimal,
    pub price_base_quantity: Option<Decimal>,
    /// BT-131: allowances and charges of the line are in it.
    pub net_amount: Decimal,
    /// BT-152.
    pub vat_percent: Option<Decimal>,
}

/// BT-106, BT-110 (zero when the invoice states no tax) and BT-112.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentTotals {
    pub line_total: Decimal,
    pub tax_total: Decimal,
    pub grand_total: Decimal,
}

impl InvoiceDocument {
    /// What does not add up, said for the person who posts it: a warning, never a refusal.
    pub fn warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        let sum: Decimal = self.lines.iter().map(|l| l.net_amount).sum();
        if sum != self.totals.line_total {
            warnings.push(format!(
                "the lines add up to {sum} {currency}, the invoice's line total (BT-106) says {total}",
                currency = self.currency,
                total = self.totals.line_total
            ));
        }
        warnings
    }
}

/// BT-3 codes (UNTDID 1001) that credit: a credit note takes goods or money back.
const CREDIT_CODES: &[&str] = &[
    "81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532",
];

/// BT-3 codes of invoices EN 16931 allows (commercial, corrected, self-billed, partial, prepayment …).
const INVOICE_CODES: &[&str] = &[
    "71", "80", "82", "84", "102", "130", "202", "203", "204", "211", "218", "219", "295", "325",
    "326", "331", "380", "382", "383", "384", "385", "386", "387", "388", "389", "390", "393",
    "394", "395", "456", "457", "527", "553", "575", "623", "633", "751", "780", "817", "870",
    "875", "876", "877", "935",
];

/// The kind a type code names, or None for a code that is not an invoice's.
pub fn kind_of(type_code: &str) -> Option<InvoiceKind> {
    if CREDIT_CODES.contains(&type_code) {
        Some(InvoiceKind::CreditNote)
    } else if INVOICE_CODES.contains(&type_code) {
        Some(InvoiceKind::Invoice)
    } else {
        None
    }
}
