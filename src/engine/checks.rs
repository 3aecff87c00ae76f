//! Plan-time checks of single values, mirroring what the authentik server accepts, so that a
//! mistake is reported by `terraform plan` with the attribute named instead of by the API later.

/// Outcome of a duration check.
#[derive(Debug, PartialEq, Eq)]
pub struct DurationReport {
    /// Keys the server would silently skip (unknown, or with a space before them).
    pub skipped_keys: Vec<String>,
}

/// The keys authentik's duration grammar knows (case-insensitive).
pub const DURATION_KEYS: &[&str] = &[
    "microseconds",
    "milliseconds",
    "seconds",
    "minutes",
    "hours",
    "days",
    "weeks",
];

/// Check a duration string exactly as the server parses it: `key=value` pairs separated by `;`,
/// float values, unknown keys skipped, at least one known key, no trailing `;`.
/// Returns the keys the server would skip, or an error message that shows the right form.
pub fn check_duration(text: &str) -> Result<DurationReport, String> {
    let example = "'hours=3;minutes=1'";
    if text.trim_end().ends_with(';') {
        return Err(format!(
            "{text:?} ends with `;`, which the server rejects. Remove the trailing `;`: pairs are separated by `;`, not terminated (e.g. {example})."
        ));
    }
    let mut known = 0;
    let mut skipped = Vec::new();
    for pair in text.split(';') {
        let parts: Vec<&str> = pair.split('=').collect();
        if parts.len() != 2 {
            let hint = if pair.contains(',') {
                " Separate pairs with `;`, not `,` (whatever the API's help text says)."
            } else {
                ""
            };
            return Err(format!(
                "{text:?} is not in the duration format: {pair:?} is not one `key=value` pair.{hint} Write it like {example}; keys are {}.",
                DURATION_KEYS.join(", ")
            ));
        }
        let key = parts[0];
        if !DURATION_KEYS.contains(&key.to_lowercase().as_str()) {
            skipped.push(key.to_string());
            continue;
        }
        match parse_python_float(parts[1]) {
            Some(v) if v.is_finite() => known += 1,
            _ => {
                return Err(format!(
                    "{text:?} is not in the duration format: the value of {key:?} must be a number, got {:?}. Write it like {example}.",
                    parts[1]
                ))
            }
        }
    }
    if known == 0 {
        return Err(format!(
            "{text:?} has no known duration key, so the server rejects it. Use one or more of {} like {example} (no spaces before keys).",
            DURATION_KEYS.join(", ")
        ));
    }
    Ok(DurationReport {
        skipped_keys: skipped,
    })
}

/// Parse a number the way Python's `float()` does for the forms that matter here (surrounding
/// whitespace, sign, decimals, exponent, underscores between digits).
fn parse_python_float(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() || t.starts_with('_') || t.ends_with('_') || t.contains("__") {
        return None;
    }
    let cleaned: String = t.chars().filter(|c| *c != '_').collect();
    let lower = cleaned.to_ascii_lowercase();
    if lower.contains("inf") || lower.contains("nan") {
        return None;
    }
    cleaned.parse::<f64>().ok()
}

/// Normalise a UUID as the server does (lower case, hyphenated); `None` when it is not a UUID.
pub fn normalize_uuid(text: &str) -> Option<String> {
    uuid::Uuid::try_parse(text.trim())
        .ok()
        .filter(|_| !text.contains(char::is_whitespace))
        .map(|u| u.hyphenated().to_string())
}

/// Check an email address roughly as Django's `EmailValidator` does.
pub fn check_email(text: &str) -> Result<(), String> {
    if text.chars().count() > 254 {
        return Err(format!(
            "is {} characters long; the server allows at most 254.",
            text.chars().count()
        ));
    }
    let Some((user, domain)) = text.rsplit_once('@') else {
        return Err(format!(
            "{text:?} is not an email address (no `@`). Write it like \"authentik@example.com\"."
        ));
    };
    let user_ok = !user.is_empty()
        && !user.starts_with('.')
        && !user.ends_with('.')
        && !user.contains("..")
        && user
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-.".contains(c));
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = domain == "localhost"
        || (labels.len() >= 2
            && labels.iter().all(|l| label_ok(l))
            && labels
                .last()
                .is_some_and(|tld| tld.len() >= 2 && !tld.chars().all(|c| c.is_ascii_digit())));
    if user_ok && domain_ok {
        Ok(())
    } else {
        Err(format!(
            "{text:?} is not a valid email address. Write it like \"authentik@example.com\"."
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_follow_the_server_grammar() {
        assert!(check_duration("minutes=30").is_ok());
        assert!(check_duration("hours=1;minutes=30").is_ok());
        assert!(check_duration("Hours=1.5").is_ok());
        assert!(check_duration("seconds=0").is_ok());
        let e = check_duration("hours=1,minutes=2").unwrap_err();
        assert!(e.contains("not `,`"), "{e}");
        let e = check_duration("hours=1;").unwrap_err();
        assert!(e.contains("trailing `;`"), "{e}");
        assert!(check_duration("fortnights=1")
            .unwrap_err()
            .contains("no known duration key"));
        assert!(check_duration("hours=abc").is_err());
        assert!(check_duration("hours=inf").is_err());
        assert!(check_duration("").is_err());
        // A space before a key makes the server skip it.
        let r = check_duration("hours=1; minutes=3").unwrap();
        assert_eq!(r.skipped_keys, vec![" minutes".to_string()]);
        assert!(check_duration(" hours=1").is_err());
    }

    #[test]
    fn uuids_normalise_like_the_server() {
        let u = "0F3C5A4E-1B2C-4D5E-8F90-112233445566";
        assert_eq!(
            normalize_uuid(u).as_deref(),
            Some("0f3c5a4e-1b2c-4d5e-8f90-112233445566")
        );
        assert_eq!(
            normalize_uuid("0f3c5a4e1b2c4d5e8f90112233445566").as_deref(),
            Some("0f3c5a4e-1b2c-4d5e-8f90-112233445566")
        );
        assert_eq!(normalize_uuid("not-a-uuid"), None);
        assert_eq!(normalize_uuid(""), None);
    }

    #[test]
    fn emails() {
        assert!(check_email("system@authentik.local").is_ok());
        assert!(check_email("a.b+c@example.co.uk").is_ok());
        assert!(check_email("root@localhost").is_ok());
        assert!(check_email("no-at-sign").is_err());
        assert!(check_email("a@b").is_err());
        assert!(check_email("@example.com").is_err());
        assert!(check_email(&format!("{}@example.com", "a".repeat(250))).is_err());
    }
}
