//! Input checks shared by every service module; each names the field it is about.

use crate::error::{ServiceError, ServiceResult};

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

/// A search term matched case-insensitively anywhere in a name.
pub fn search_pattern(search: Option<&str>) -> Option<String> {
    search
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| format!("%{}%", s.to_lowercase().replace(['%', '_'], "")))
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
}
