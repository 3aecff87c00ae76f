//! authentik's duration grammar (`timedelta_string_validator`), used by `token_expiry` and
//! `last_auth_threshold`.
//!
//! `key=value` pairs separated by `;`. Keys are case-insensitive and one of [`KEYS`]; values
//! are Python floats. Unknown keys are skipped without looking at their value, but at least one
//! known key is needed. Each pair must have exactly one `=`, so a trailing `;` (an empty pair)
//! is rejected. Keys are not trimmed: `hours=1; minutes=3` has the unknown key ` minutes`.

/// The keys `datetime.timedelta` takes.
pub const KEYS: [&str; 7] = [
    "microseconds",
    "milliseconds",
    "seconds",
    "minutes",
    "hours",
    "days",
    "weeks",
];

/// Why a duration is not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DurationError {
    /// The text does not follow the grammar (a 400 on the field).
    Invalid,
    /// The text parses but the duration is out of `timedelta`'s range: authentik fails with a
    /// 500 (Python raises `OverflowError`, which the validator does not catch).
    Overflow,
}

/// The message authentik gives for an invalid duration.
pub fn error_message(value: &str) -> String {
    format!("{value} is not in the correct format of 'hours=3;minutes=1'.")
}

/// Checks a duration; returns its length in seconds.
pub fn parse(expr: &str) -> Result<f64, DurationError> {
    let mut total_seconds = 0.0_f64;
    let mut known = 0;
    for pair in expr.split(';') {
        let mut parts = pair.split('=');
        let (key, value) = match (parts.next(), parts.next(), parts.next()) {
            (Some(key), Some(value), None) => (key, value),
            _ => return Err(DurationError::Invalid),
        };
        let key = key.to_lowercase();
        let Some(index) = KEYS.iter().position(|k| *k == key) else {
            continue;
        };
        let number = python_float(value).ok_or(DurationError::Invalid)?;
        if number.is_nan() {
            // timedelta(...) raises ValueError for NaN, which the validator turns into a 400.
            return Err(DurationError::Invalid);
        }
        let seconds_per_unit = [1e-6, 1e-3, 1.0, 60.0, 3600.0, 86400.0, 604800.0][index];
        known += 1;
        total_seconds += number * seconds_per_unit;
    }
    if known == 0 {
        return Err(DurationError::Invalid);
    }
    // timedelta's range is +-999999999 days.
    if !total_seconds.is_finite() || (total_seconds / 86400.0).abs() >= 1_000_000_000.0 {
        return Err(DurationError::Overflow);
    }
    Ok(total_seconds)
}

/// Parses a number the way Python's `float(str)` does: surrounding whitespace, an optional sign,
/// digits with single underscores between them, an optional fraction and exponent, or
/// `inf`/`infinity`/`nan` in any case.
pub fn python_float(text: &str) -> Option<f64> {
    let text = text.trim();
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let lower = unsigned.to_ascii_lowercase();
    if matches!(lower.as_str(), "inf" | "infinity" | "nan") {
        return text.to_ascii_lowercase().parse().ok();
    }
    let bytes = unsigned.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| -> Option<usize> {
        // Digits, with single underscores only between two digits.
        let start = *i;
        while *i < bytes.len() {
            let digit = bytes[*i].is_ascii_digit();
            let joining_underscore = bytes[*i] == b'_'
                && *i > start
                && *i + 1 < bytes.len()
                && bytes[*i + 1].is_ascii_digit();
            if digit || joining_underscore {
                *i += 1;
            } else {
                break;
            }
        }
        Some(*i - start)
    };
    let int_len = digits(&mut i)?;
    let mut frac_len = 0;
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        frac_len = digits(&mut i)?;
    }
    if int_len == 0 && frac_len == 0 {
        return None;
    }
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        i += 1;
        if i < bytes.len() && (bytes[i] == b'+' || bytes[i] == b'-') {
            i += 1;
        }
        if digits(&mut i)? == 0 {
            return None;
        }
    }
    if i != bytes.len() {
        return None;
    }
    text.replace('_', "").parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts() {
        assert_eq!(parse("minutes=30"), Ok(1800.0));
        assert_eq!(parse("seconds=0"), Ok(0.0));
        assert_eq!(parse("HOURS=1;Minutes=1"), Ok(3660.0));
        assert_eq!(
            parse("hours=1; minutes=3"),
            Ok(3600.0),
            "space before a key makes it unknown"
        );
        assert_eq!(
            parse("hours=1;foo=bar"),
            Ok(3600.0),
            "unknown keys skipped, value unchecked"
        );
        assert_eq!(parse("hours= 1.5 "), Ok(5400.0));
        assert_eq!(parse("seconds=1e3"), Ok(1000.0));
        assert_eq!(parse("seconds=1_000"), Ok(1000.0));
        assert_eq!(parse("seconds=-5"), Ok(-5.0));
        assert_eq!(parse("weeks=.5"), Ok(302400.0));
    }

    #[test]
    fn rejects() {
        for bad in [
            "",
            "hours=1;",
            "hours",
            "hours=1,minutes=2",
            "foo=1",
            "hours=x",
            "hours=1=2",
            ";hours=1",
            "hours=",
            "hours=nan",
            "seconds=1__0",
            "seconds=_1",
            "seconds=1_",
        ] {
            assert_eq!(parse(bad), Err(DurationError::Invalid), "{bad:?}");
        }
        assert_eq!(parse("days=1e10"), Err(DurationError::Overflow));
        assert_eq!(parse("hours=inf"), Err(DurationError::Overflow));
        assert_eq!(
            error_message("x"),
            "x is not in the correct format of 'hours=3;minutes=1'."
        );
    }
}
