//! GTINs (EAN-8, UPC-A, EAN-13, GTIN-14): the number on a pack that scanners and e-invoices
//! name (BT-157). Only a valid check digit is taken for one.

/// Whether `code` is a GTIN: 8, 12, 13 or 14 digits whose last is the GS1 check digit.
pub fn is_valid(code: &str) -> bool {
    let digits: Vec<u32> = code.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != code.len() || ![8, 12, 13, 14].contains(&digits.len()) {
        return false;
    }
    let (body, check) = digits.split_at(digits.len() - 1);
    // From the right of the body, weights 3, 1, 3 …
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { d * 3 } else { *d })
        .sum();
    (10 - sum % 10) % 10 == check[0]
}

/// `body` (7, 11, 12 or 13 digits) with its GS1 check digit appended.
pub fn with_check_digit(body: &str) -> String {
    let sum: u32 = body
        .chars()
        .filter_map(|c| c.to_digit(10))
        .rev()
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { d * 3 } else { d })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

/// A GTIN in its 14-digit form, so that an EAN-13 and the same number padded compare equal.
pub fn normalized(code: &str) -> Option<String> {
    is_valid(code).then(|| format!("{code:0>14}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digits_of_real_codes_are_accepted_and_a_changed_digit_is_not() {
        for good in [
            "4006381333931",
            "96385074",
            "036000291452",
            "10614141000415",
        ] {
            assert!(is_valid(good), "{good}");
        }
        for bad in [
            "4006381333932",
            "96385075",
            "",
            "40063813339",
            "400638133393a",
            "٤٠٠٦٣٨١٣٣٣٩٣١",
        ] {
            assert!(!is_valid(bad), "{bad}");
        }
        assert_eq!(
            normalized("4006381333931").as_deref(),
            Some("04006381333931")
        );
        assert_eq!(with_check_digit("400638133393"), "4006381333931");
        assert_eq!(with_check_digit("9638507"), "96385074");
    }
}
