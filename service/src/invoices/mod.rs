//! E-invoices (DESIGN.md, "E-invoices"): a vendor's EN 16931 invoice — XRechnung, ZUGFeRD,
//! Factur-X, Peppol UBL — read exactly instead of typed, matched to the vendor, its products
//! and the open order, and posted as the delivery's receipts at the invoice's cost.
//!
//! `read` turns bytes into an [`InvoiceDocument`] (pure; `cii`, `ubl`, `pdf`, `xml` beneath it);
//! `import` stores it matched (`matching`); `view` shows it beside the order and the last
//! receipts; `editing` settles what matching could not; `records` reads invoices back.

mod cii;
pub mod document;
pub mod editing;
pub mod import;
pub mod matching;
mod pdf;
pub mod posting;
pub mod read;
pub mod records;
mod ubl;
pub mod unit_codes;
pub mod view;
mod xml;

pub use document::{DocumentLine, DocumentTotals, InvoiceDocument};
pub use entity::invoice::{InvoiceKind, InvoiceStatus, InvoiceSyntax};
pub use entity::invoice_line::InvoiceLineMatch;
pub use import::{InvoiceUpload, import};
pub use posting::{PostInvoice, post_invoice};
pub use read::{ReadError, ReadFile, read_invoice};
pub use records::{ENTITY, InvoiceFilter, Original};
pub use view::{InvoiceView, LineView, view};

#[cfg(test)]
mod tests;
