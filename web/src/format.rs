//! Numbers as people read them: quantities and money.

/// A quantity for people: at most three decimals, no trailing zeros.
pub fn qty(v: &str) -> String {
    match v.parse::<f64>() {
        Ok(n) => {
            let s = format!("{n:.3}");
            let s = s.trim_end_matches('0').trim_end_matches('.');
            if s == "-0" { "0".into() } else { s.to_string() }
        }
        Err(_) => v.to_string(),
    }
}

/// Money as the company shows it: two decimals.
pub fn money(v: &str) -> String {
    v.parse::<f64>()
        .map(|n| format!("{n:.2}"))
        .unwrap_or_else(|_| v.to_string())
}
