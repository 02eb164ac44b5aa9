//! Input checks shared by every service module; each names the field it is about.

use sea_orm::ActiveEnum;

use crate::error::{ServiceError, ServiceResult};

/// A state or kind a caller named in text (a query parameter, a CSV cell): one of `T`'s stored
/// values, else refused naming `field` ("unknown transaction type X").
pub fn kind<T: ActiveEnum<Value = String>>(
    field: &str,
    what: &str,
    text: &str,
) -> ServiceResult<T> {
    T::try_from_value(&text.to_string())
        .map_err(|_| ServiceError::validation(field, format!("unknown {what} {text}")))
}

/// A required display name: trimmed, not empty, at most 200 characters.
pub fn name(field: &str, value: &str) -> ServiceResult<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(ServiceError::validation(field, "must not be empty"));
    }
    if trimmed.chars().count() > 200 {
        return Err(ServiceError::validation(
            field,
            "must be at most 200 characters",
        ));
    }
    Ok(trimmed.to_string())
}

/// A text that is at most `max` characters (an id, a code, a column name): refused past it.
pub fn bounded<'a>(field: &str, value: &'a str, max: usize) -> ServiceResult<&'a str> {
    if value.chars().count() > max {
        return Err(ServiceError::validation(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(value)
}

/// An optional text: blank becomes `None`.
pub fn optional(field: &str, value: Option<&str>) -> ServiceResult<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) if v.chars().count() > 2000 => Err(ServiceError::validation(
            field,
            "must be at most 2000 characters",
        )),
        Some(v) => Ok(Some(v.to_string())),
    }
}

pub fn email(field: &str, value: &str) -> ServiceResult<String> {
    let email = value.trim().to_lowercase();
    let valid = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
        && !email.contains(char::is_whitespace);
    if !valid {
        return Err(ServiceError::validation(
            field,
            "is not a valid email address",
        ));
    }
    Ok(email)
}

pub fn password(field: &str, value: &str) -> ServiceResult<()> {
    if value.chars().count() < 8 {
        return Err(ServiceError::validation(
            field,
            "must be at least 8 characters",
        ));
    }
    if value.len() > 1024 {
        return Err(ServiceError::validation(
            field,
            "must be at most 1024 bytes",
        ));
    }
    Ok(())
}

pub fn timezone(field: &str, value: &str) -> ServiceResult<String> {
    value
        .trim()
        .parse::<chrono_tz::Tz>()
        .map(|tz| tz.name().to_string())
        .map_err(|_| {
            ServiceError::validation(
                field,
                format!("{value} is not an IANA timezone such as Europe/Berlin"),
            )
        })
}

pub fn currency(field: &str, value: &str) -> ServiceResult<String> {
    let code = value.trim().to_uppercase();
    if code.len() != 3 || !code.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(ServiceError::validation(
            field,
            "must be a three-letter ISO 4217 code such as EUR",
        ));
    }
    Ok(code)
}

pub fn business_day_start_hour(field: &str, value: i32) -> ServiceResult<i32> {
    if !(0..=23).contains(&value) {
        return Err(ServiceError::validation(
            field,
            "must be an hour from 0 to 23",
        ));
    }
    Ok(value)
}

/// The escape character of the LIKE patterns [`SearchTerm::like_pattern`] makes.
pub const LIKE_ESCAPE: char = '\\';
/// The longest search term accepted.
pub const MAX_SEARCH: usize = 200;

/// A search term, matched literally (`%` and `_` match themselves) and case-insensitively in
/// every alphabet, anywhere in a name. Blank is no search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchTerm(String);

pub fn search_term(search: Option<&str>) -> ServiceResult<Option<SearchTerm>> {
    let Some(term) = search.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    if term.chars().count() > MAX_SEARCH {
        return Err(ServiceError::validation(
            "search",
            format!("must be at most {MAX_SEARCH} characters"),
        ));
    }
    Ok(Some(SearchTerm(term.to_lowercase())))
}

impl SearchTerm {
    /// For `lower(name) LIKE …`, escaped with [`LIKE_ESCAPE`] (PostgreSQL, whose `lower` folds
    /// every alphabet in a UTF-8 locale).
    pub fn like_pattern(&self) -> String {
        let mut pattern = String::with_capacity(self.0.len() + 2);
        pattern.push('%');
        for c in self.0.chars() {
            if matches!(c, '%' | '_') || c == LIKE_ESCAPE {
                pattern.push(LIKE_ESCAPE);
            }
            pattern.push(c);
        }
        pattern.push('%');
        pattern
    }

    /// For `name REGEXP …` (SQLite, where sqlx's REGEXP is the regex crate's): SQLite's own
    /// `lower` and `LIKE` fold ASCII letters only, so `öl` would not find `Öl`.
    pub fn regex(&self) -> String {
        format!("(?i){}", regex::escape(&self.0))
    }
}

/// A percentage between 0 and `max` (inclusive), in millionths of a percent.
pub fn percent(field: &str, value: rust_decimal::Decimal, max: i64) -> ServiceResult<i64> {
    let micro = crate::quantity::to_micro(value, field)?;
    if micro < 0 || micro > max * 1_000_000 {
        return Err(ServiceError::validation(
            field,
            format!("must be between 0 and {max} %"),
        ));
    }
    Ok(micro)
}

/// A price that may be zero (a free item) but not negative, in millionths.
pub fn price(field: &str, value: rust_decimal::Decimal) -> ServiceResult<i64> {
    let micro = crate::quantity::to_micro(value, field)?;
    if micro < 0 {
        return Err(ServiceError::validation(field, "must not be negative"));
    }
    Ok(micro)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_common_inputs() {
        assert_eq!(
            email("email", " Chef@Example.COM ").unwrap(),
            "chef@example.com"
        );
        assert!(email("email", "chef@").is_err());
        assert!(timezone("timezone", "Mars/Olympus").is_err());
        assert_eq!(
            timezone("timezone", "Europe/Berlin").unwrap(),
            "Europe/Berlin"
        );
        assert!(currency("currency", "EURO").is_err());
        assert!(business_day_start_hour("h", 24).is_err());
        assert!(name("name", "   ").is_err());
    }

    #[test]
    fn search_terms_are_literal_and_bounded() {
        assert_eq!(search_term(Some("  ")).unwrap(), None);
        let term = search_term(Some("50%_Off\\.*")).unwrap().unwrap();
        assert_eq!(term.like_pattern(), "%50\\%\\_off\\\\.*%");
        let regex = regex::Regex::new(&term.regex()).unwrap();
        assert!(regex.is_match("Sale: 50%_OFF\\.* today"));
        assert!(!regex.is_match("50%_offX"), "`.*` is text, not a wildcard");
        let umlaut = regex::Regex::new(&search_term(Some("ÖL")).unwrap().unwrap().regex()).unwrap();
        assert!(umlaut.is_match("Olivenöl"));
        let long = "x".repeat(MAX_SEARCH + 1);
        assert_eq!(
            search_term(Some(&long)).unwrap_err().field(),
            Some("search")
        );
    }
}
