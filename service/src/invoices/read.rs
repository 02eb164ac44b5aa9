//! From a file's bytes to an [`InvoiceDocument`]: a PDF gives up its embedded XML, the XML is
//! read by its root (CII, UBL invoice, UBL credit note), and whatever is wrong is said in one
//! sentence that names it. Pure: no database, no network, bounded in size.

use roxmltree::Node;

use super::document::InvoiceDocument;
use super::{cii, pdf, ubl, xml};

/// Largest invoice XML read, alone or inside a PDF.
pub const XML_LIMIT: usize = 10 * 1024 * 1024;
/// Largest PDF read.
pub const PDF_LIMIT: usize = 25 * 1024 * 1024;
/// Most lines one invoice may have.
pub const LINES_LIMIT: usize = 5_000;

/// Why a file is not an invoice Larder can read. Each message is for the person who sent it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    TooLarge(String),
    #[error("{0}")]
    NotAnInvoice(String),
    #[error("{0}")]
    BrokenXml(String),
    #[error(
        "the invoice has no lines (profile {0}): MINIMUM and BASIC WL invoices name only totals, so there is nothing to receive — ask the vendor for the EN 16931 (COMFORT), EXTENDED or XRechnung profile"
    )]
    NoLines(String),
    #[error("{0}")]
    Pdf(String),
    #[error("{0}")]
    Field(String),
}

/// An invoice read from a file, and the media type the file was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadFile {
    pub document: InvoiceDocument,
    pub content_type: &'static str,
}

/// Reads an e-invoice from a file: UBL or CII XML, or a PDF/A-3 with one embedded.
pub fn read_invoice(bytes: &[u8]) -> Result<ReadFile, ReadError> {
    if is_pdf(bytes) {
        if bytes.len() > PDF_LIMIT {
            return Err(ReadError::TooLarge("the PDF is larger than 25 MB".into()));
        }
        let xml = pdf::embedded_invoice(bytes)?;
        return Ok(ReadFile {
            document: read_xml(&xml)?,
            content_type: "application/pdf",
        });
    }
    if bytes.len() > XML_LIMIT {
        return Err(ReadError::TooLarge("the XML is larger than 10 MB".into()));
    }
    if !looks_like_xml(bytes) {
        return Err(ReadError::NotAnInvoice(
            "the file is neither XML nor a PDF: an e-invoice is an XRechnung, ZUGFeRD, Factur-X or Peppol UBL file".into(),
        ));
    }
    Ok(ReadFile {
        document: read_xml(bytes)?,
        content_type: "application/xml",
    })
}

/// A PDF's header may follow up to 1,024 bytes of anything (ISO 32000-1, annex H).
fn is_pdf(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(1024)]
        .windows(5)
        .any(|w| w == b"%PDF-")
}

fn looks_like_xml(bytes: &[u8]) -> bool {
    let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    start.starts_with(b"\xFF\xFE")
        || start.starts_with(b"\xFE\xFF")
        || start.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<')
}

fn read_xml(bytes: &[u8]) -> Result<InvoiceDocument, ReadError> {
    let text = xml::decode(bytes)?;
    let tree = xml::parse(&text)?;
    let root = tree.root_element();
    let name = root.tag_name().name();
    let document = match root.tag_name().namespace() {
        Some(cii::RSM) if name == "CrossIndustryInvoice" => cii::read(root)?,
        Some(ubl::INVOICE) if name == "Invoice" => ubl::read(root)?,
        Some(ubl::CREDIT_NOTE) if name == "CreditNote" => ubl::read(root)?,
        _ if name == "CrossIndustryDocument" => {
            return Err(ReadError::NotAnInvoice(
                "this is a ZUGFeRD 1.0 invoice, older than EN 16931: ask the vendor for ZUGFeRD 2 (Factur-X) or XRechnung".into(),
            ));
        }
        _ => {
            return Err(ReadError::NotAnInvoice(format!(
                "the XML is a '{}', not an invoice: Larder reads UN/CEFACT CII and UBL 2.1 invoices and credit notes",
                name.chars().take(60).collect::<String>()
            )));
        }
    };
    if document.lines.len() > LINES_LIMIT {
        return Err(ReadError::TooLarge(format!(
            "the invoice has {} lines; Larder reads at most {LINES_LIMIT}",
            document.lines.len()
        )));
    }
    Ok(document)
}

/// BT-157 from an identifier element: a GTIN (scheme 0160), or a valid GTIN filed under
/// scheme 0088 (EAN.UCC, which some senders use). Anything else is not a GTIN.
pub(super) fn gtin(id: Node<'_, '_>) -> Option<String> {
    let code = xml::text(Some(id))?;
    let scheme = id.attribute("schemeID").map(str::trim);
    matches!(scheme, Some("0160" | "0088"))
        .then(|| crate::gtin::is_valid(code).then(|| code.to_string()))
        .flatten()
}
