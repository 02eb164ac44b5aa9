//! CSV cells for exports: text always quoted, and text that a spreadsheet would run as a
//! formula (starting with = + - @, tab or CR) defused with a leading apostrophe.
//!
//! Text is quoted even without a comma in it: a spreadsheet set to `;` as its separator splits
//! an unquoted `a;=cmd` into two cells, the second of them a formula.

/// A text cell (names, reasons, notes): quoted, and escaped against formula injection.
pub fn text(value: &str) -> String {
    let defused = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    format!("\"{}\"", defused.replace('"', "\"\""))
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
        assert_eq!(text("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(text("Tomatoes, ripe"), "\"Tomatoes, ripe\"");
        // A `;` spreadsheet keeps a quoted cell whole: no second cell starts with `=`.
        assert_eq!(
            text("Salt;=cmd|' /C calc'!A0"),
            "\"Salt;=cmd|' /C calc'!A0\""
        );
        assert_eq!(plain("-4.5"), "-4.5");
        assert_eq!(line(&[plain("a"), plain("b")]), "a,b\r\n");
    }
}
