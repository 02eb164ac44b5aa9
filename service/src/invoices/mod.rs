//! E-invoices (DESIGN.md, "E-invoices"): a vendor's EN 16931 invoice — XRechnung, ZUGFeRD,
//! Factur-X, Peppol UBL — read exactly instead of typed, matched to the vendor, its products
//! and the open order, and posted as the delivery's receipts at the invoice's cost.
//!
//! `read` turns bytes into an [`InvoiceDocument`] (pure; `cii`, `ubl`, `pdf`, `xml` beneath it).

mod cii;
pub mod document;
mod pdf;
pub mod read;
mod ubl;
mod xml;

pub use document::{DocumentLine, DocumentTotals, InvoiceDocument};
pub use read::{ReadError, ReadFile, read_invoice};

#[cfg(test)]
mod tests;
