use sea_orm::entity::prelude::*;

/// An e-invoice read from a vendor's file (EN 16931: CII or UBL, as XML or inside a PDF/A-3).
/// Amounts are decimal text with the decimals the invoice has (`336.9` stays `336.9`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub company_id: i64,
    /// BT-1.
    pub number: String,
    pub kind: InvoiceKind,
    pub syntax: InvoiceSyntax,
    /// BT-3 as written (380, 381, 384, 389 …).
    pub type_code: String,
    /// BT-2.
    pub issue_date: Date,
    /// BT-5.
    pub currency: String,
    /// BT-27 and BT-31.
    pub seller_name: String,
    pub seller_vat_id: Option<String>,
    /// Who sent it, for the duplicate rule: the VAT id when there is one, else the name.
    pub seller_key: String,
    /// BT-13, the buyer's order reference.
    pub order_reference: Option<String>,
    pub vendor_id: Option<i64>,
    pub purchase_order_id: Option<i64>,
    pub status: InvoiceStatus,
    /// BT-106, BT-110, BT-112.
    pub line_total: String,
    pub tax_total: String,
    pub grand_total: String,
    /// What did not add up, as a JSON array of sentences.
    pub warnings: String,
    pub file_name: String,
    /// Of the original file, hex.
    pub sha256: String,
    pub imported_by: Option<i64>,
    pub imported_at: DateTimeUtc,
    pub storage_unit_id: Option<i64>,
    pub posted_by: Option<i64>,
    pub posted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// BT-3 read as what it does to stock: an invoice bills goods, a credit note takes them back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum InvoiceKind {
    #[sea_orm(string_value = "INVOICE")]
    Invoice,
    #[sea_orm(string_value = "CREDIT_NOTE")]
    CreditNote,
}

/// The two syntaxes of EN 16931.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum InvoiceSyntax {
    /// UN/CEFACT Cross Industry Invoice (XRechnung CII, ZUGFeRD 2, Factur-X).
    #[sea_orm(string_value = "CII")]
    Cii,
    /// OASIS UBL 2.1 (XRechnung UBL, Peppol BIS).
    #[sea_orm(string_value = "UBL")]
    Ubl,
}

/// An imported invoice is OPEN until it is POSTED to the ledger or DISCARDED.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum InvoiceStatus {
    #[sea_orm(string_value = "OPEN")]
    Open,
    #[sea_orm(string_value = "POSTED")]
    Posted,
    #[sea_orm(string_value = "DISCARDED")]
    Discarded,
}

crate::said_as_words!(InvoiceKind, InvoiceSyntax, InvoiceStatus);
