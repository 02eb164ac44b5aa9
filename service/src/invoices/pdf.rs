//! The invoice XML a ZUGFeRD / Factur-X PDF/A-3 carries as an embedded file (`factur-x.xml`,
//! `zugferd-invoice.xml`, `ZUGFeRD-invoice.xml`, `xrechnung.xml`), found through the document
//! catalog's `/AF` array and its `/Names /EmbeddedFiles` tree. Streams are decoded with a bound,
//! loading as well as extracting, so that a small file cannot inflate without end.

use lopdf::{Dictionary, Document, LoadOptions, Object};

use super::read::{ReadError, XML_LIMIT};

/// The embedded file names the ZUGFeRD and Factur-X specifications give the invoice.
const INVOICE_NAMES: &[&str] = &[
    "factur-x.xml",
    "zugferd-invoice.xml",
    "xrechnung.xml",
    "order-x.xml",
];

/// Deepest name tree and most attachments looked at: a real invoice has one or two.
const TREE_DEPTH: usize = 8;
const ATTACHMENTS_LIMIT: usize = 200;

pub(super) fn embedded_invoice(bytes: &[u8]) -> Result<Vec<u8>, ReadError> {
    let options = LoadOptions::with_max_decompressed_size(XML_LIMIT);
    let document = Document::load_mem_with_options(bytes, options).map_err(|err| {
        let said = err.to_string();
        if said.to_ascii_lowercase().contains("decrypt")
            || said.to_ascii_lowercase().contains("password")
        {
            ReadError::Pdf(
                "the PDF is encrypted; a ZUGFeRD or Factur-X invoice never is (PDF/A forbids it)"
                    .into(),
            )
        } else {
            ReadError::Pdf(format!("the PDF cannot be read: {said}"))
        }
    })?;
    if document.is_encrypted() || document.was_encrypted() {
        return Err(ReadError::Pdf(
            "the PDF is encrypted; a ZUGFeRD or Factur-X invoice never is (PDF/A forbids it)"
                .into(),
        ));
    }
    let mut files = Vec::new();
    if let Ok(catalog) = document.catalog() {
        if let Ok(Object::Array(specs)) = deref(&document, catalog.get(b"AF").ok()) {
            for spec in specs.iter().take(ATTACHMENTS_LIMIT) {
                if let Ok(Object::Dictionary(spec)) = deref(&document, Some(spec)) {
                    files.push(spec);
                }
            }
        }
        if let Ok(Object::Dictionary(names)) = deref(&document, catalog.get(b"Names").ok())
            && let Ok(Object::Dictionary(tree)) = deref(&document, names.get(b"EmbeddedFiles").ok())
        {
            walk_name_tree(&document, tree, 0, &mut files);
        }
    }
    let named: Vec<(String, &Dictionary)> = files
        .into_iter()
        .filter_map(|spec| file_name(spec).map(|name| (name, spec)))
        .collect();
    let chosen = named
        .iter()
        .find(|(name, _)| INVOICE_NAMES.contains(&name.to_ascii_lowercase().as_str()))
        .or_else(|| {
            named
                .iter()
                .find(|(name, _)| name.to_ascii_lowercase().ends_with(".xml"))
        });
    let Some((name, spec)) = chosen else {
        return Err(ReadError::NotAnInvoice(
            "the PDF carries no invoice XML (no factur-x.xml, zugferd-invoice.xml or xrechnung.xml): it is a plain PDF, not an e-invoice".into(),
        ));
    };
    let stream = deref(&document, spec.get(b"EF").ok())
        .ok()
        .and_then(|ef| ef.as_dict().ok())
        .and_then(|ef| ef.get(b"F").or_else(|_| ef.get(b"UF")).ok())
        .and_then(|f| deref(&document, Some(f)).ok())
        .and_then(|f| f.as_stream().ok())
        .ok_or_else(|| {
            ReadError::Pdf(format!("the PDF names {name} but holds no content for it"))
        })?;
    let content = if stream.filters().map(|f| f.is_empty()).unwrap_or(true) {
        stream.content.clone()
    } else {
        stream
            .decompressed_content_with_limit(XML_LIMIT)
            .map_err(|err| {
                ReadError::Pdf(format!(
                    "the PDF's {name} cannot be decompressed within 10 MB: {err}"
                ))
            })?
    };
    if content.len() > XML_LIMIT {
        return Err(ReadError::TooLarge(format!(
            "the PDF's {name} is larger than 10 MB"
        )));
    }
    Ok(content)
}

fn deref<'a>(document: &'a Document, object: Option<&'a Object>) -> Result<&'a Object, ()> {
    let object = object.ok_or(())?;
    document.dereference(object).map(|(_, o)| o).map_err(|_| ())
}

/// Collects the file specifications of a name tree: `/Names [name spec …]` in its leaves,
/// `/Kids` below its inner nodes.
fn walk_name_tree<'a>(
    document: &'a Document,
    node: &'a Dictionary,
    depth: usize,
    files: &mut Vec<&'a Dictionary>,
) {
    if depth > TREE_DEPTH || files.len() >= ATTACHMENTS_LIMIT {
        return;
    }
    if let Ok(Object::Array(pairs)) = deref(document, node.get(b"Names").ok()) {
        for spec in pairs.iter().skip(1).step_by(2).take(ATTACHMENTS_LIMIT) {
            if let Ok(Object::Dictionary(spec)) = deref(document, Some(spec)) {
                files.push(spec);
            }
        }
    }
    if let Ok(Object::Array(kids)) = deref(document, node.get(b"Kids").ok()) {
        for kid in kids.iter().take(ATTACHMENTS_LIMIT) {
            if let Ok(Object::Dictionary(kid)) = deref(document, Some(kid)) {
                walk_name_tree(document, kid, depth + 1, files);
            }
        }
    }
}

/// A file specification's name: `/UF` (a text string), else `/F`.
fn file_name(spec: &Dictionary) -> Option<String> {
    let raw = spec
        .get(b"UF")
        .or_else(|_| spec.get(b"F"))
        .ok()?
        .as_str()
        .ok()?;
    Some(pdf_text(raw))
}

/// A PDF text string: UTF-16BE behind its byte order mark, else PDFDocEncoding (Latin-1 for
/// the names that matter here).
fn pdf_text(raw: &[u8]) -> String {
    match raw.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => {
            let units: Vec<u16> = utf16
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        None => raw.iter().map(|b| char::from(*b)).collect(),
    }
}
