//! Canonical decimal text for [`Number`](super::value::Number).

use super::value::Number;

/// Parse decimal text (optionally with exponent) into a canonical [`Number`]. Returns `None` for
/// anything that is not a finite decimal number.
pub fn parse_decimal(text: &str) -> Option<Number> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let (neg, rest) = match t.as_bytes()[0] {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    let (mantissa, exp) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], rest[i + 1..].parse::<i64>().ok()?),
        None => (rest, 0),
    };
    let (int_part, frac_part) = match mantissa.find('.') {
        Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
        None => (mantissa, ""),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    if !int_part.bytes().all(|b| b.is_ascii_digit())
        || !frac_part.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    // digits * 10^(exp - frac_len)
    let mut digits: String = format!("{int_part}{frac_part}");
    let mut scale: i64 = exp.checked_sub(frac_part.len() as i64)?;
    let trimmed = digits.trim_start_matches('0');
    digits = trimmed.to_string();
    if digits.is_empty() {
        return Some(Number::Int(0));
    }
    while scale < 0 && digits.ends_with('0') {
        digits.pop();
        scale += 1;
    }
    if !(-4096..=4096).contains(&scale) {
        return None;
    }
    let body = if scale >= 0 {
        let mut s = digits.clone();
        s.extend(std::iter::repeat_n('0', scale as usize));
        s
    } else {
        let point = digits.len() as i64 + scale;
        if point > 0 {
            format!(
                "{}.{}",
                &digits[..point as usize],
                &digits[point as usize..]
            )
        } else {
            format!("0.{}{}", "0".repeat((-point) as usize), digits)
        }
    };
    let text = if neg { format!("-{body}") } else { body };
    if scale >= 0 {
        if let Ok(i) = text.parse::<i64>() {
            return Some(Number::Int(i));
        }
    }
    Some(Number::Decimal(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms() {
        assert_eq!(parse_decimal("42"), Some(Number::Int(42)));
        assert_eq!(parse_decimal("-0"), Some(Number::Int(0)));
        assert_eq!(parse_decimal("1.50"), Some(Number::Decimal("1.5".into())));
        assert_eq!(parse_decimal("1e3"), Some(Number::Int(1000)));
        assert_eq!(parse_decimal("2.0"), Some(Number::Int(2)));
        assert_eq!(
            parse_decimal("0.001"),
            Some(Number::Decimal("0.001".into()))
        );
        assert_eq!(
            parse_decimal("-12.5e-1"),
            Some(Number::Decimal("-1.25".into()))
        );
        assert_eq!(
            parse_decimal("18446744073709551616"),
            Some(Number::Decimal("18446744073709551616".into()))
        );
        assert_eq!(parse_decimal("abc"), None);
        assert_eq!(parse_decimal("."), None);
        assert_eq!(parse_decimal(""), None);
    }
}
