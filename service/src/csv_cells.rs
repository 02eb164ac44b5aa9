//! CSV cells for exports: quoted where needed, and text that a spreadsheet would run as a
//! formula (starting with = + - @, tab or CR) defused with a leading apostrophe.

/// A text cell (names, reasons, notes): escaped against formula injection.
pub fn text(value: &str) -> String {
    let defused = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    quoted(&defused)
}

/// A cell Larder produced itself (a number, a date): only quoted where CSV needs it.
pub fn plain(value: &str) -> String {
    quoted(value)
}

fn quoted(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

/// One line of cells.
pub fn line(cells: &[String]) -> String {
    let mut out = cells.join(",");
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defuses_formulas_and_quotes() {
        assert_eq!(text("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text("Tomatoes, ripe"), "\"Tomatoes, ripe\"");
        assert_eq!(plain("-4.5"), "-4.5");
        assert_eq!(line(&[plain("a"), plain("b")]), "a,b\r\n");
    }
}
