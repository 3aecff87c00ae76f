//! Exact conversions between binary floating point and [`Number`]'s decimal text.
//!
//! cty sends a number as a msgpack float64 only when the float is *exactly* the number, so the
//! decoder must turn a float into its exact decimal expansion (not the shortest text that
//! round-trips), and the encoder may use a float only when that is exact too.

use crate::protocol::value::Number;

/// A little-endian big unsigned integer in base 10^9, just enough for exact float expansion.
struct BigDec(Vec<u32>);

const BASE: u64 = 1_000_000_000;

impl BigDec {
    fn from_u64(mut v: u64) -> Self {
        let mut limbs = Vec::new();
        while v > 0 {
            limbs.push((v % BASE) as u32);
            v /= BASE;
        }
        BigDec(limbs)
    }

    fn mul_small(&mut self, m: u32) {
        let mut carry: u64 = 0;
        for limb in &mut self.0 {
            let t = u64::from(*limb) * u64::from(m) + carry;
            *limb = (t % BASE) as u32;
            carry = t / BASE;
        }
        while carry > 0 {
            self.0.push((carry % BASE) as u32);
            carry /= BASE;
        }
    }

    fn mul_pow(&mut self, base: u32, mut exp: u32, chunk_base: u32, chunk_exp: u32) {
        while exp >= chunk_exp {
            self.mul_small(chunk_base);
            exp -= chunk_exp;
        }
        for _ in 0..exp {
            self.mul_small(base);
        }
    }

    fn to_digits(&self) -> String {
        let Some((last, rest)) = self.0.split_last() else {
            return "0".to_owned();
        };
        let mut s = last.to_string();
        for limb in rest.iter().rev() {
            s.push_str(&format!("{limb:09}"));
        }
        s
    }
}

/// The exact decimal value of a finite `f64`, canonicalised. `None` for NaN and infinities.
pub fn exact_from_f64(f: f64) -> Option<Number> {
    if !f.is_finite() {
        return None;
    }
    if f == 0.0 {
        return Some(Number::Int(0));
    }
    let bits = f.to_bits();
    let negative = bits >> 63 == 1;
    let exp_bits = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    // value = mantissa * 2^exp
    let (mantissa, exp) = if exp_bits == 0 {
        (frac, -1074)
    } else {
        (frac | (1u64 << 52), exp_bits - 1075)
    };
    let mut n = BigDec::from_u64(mantissa);
    let text = if exp >= 0 {
        n.mul_pow(2, exp as u32, 1 << 29, 29);
        n.to_digits()
    } else {
        // mantissa * 2^-k = mantissa * 5^k / 10^k
        let k = (-exp) as u32;
        n.mul_pow(5, k, 1_220_703_125, 13);
        let digits = n.to_digits();
        let k = k as usize;
        if digits.len() > k {
            format!(
                "{}.{}",
                &digits[..digits.len() - k],
                &digits[digits.len() - k..]
            )
        } else {
            format!("0.{}{}", "0".repeat(k - digits.len()), digits)
        }
    };
    let signed = if negative { format!("-{text}") } else { text };
    Number::parse(&signed)
}

/// The `f64` that is exactly this number, if there is one.
pub fn exact_to_f64(n: &Number) -> Option<f64> {
    match n {
        Number::Int(i) => {
            let f = *i as f64;
            // i64 -> f64 -> i64 round trip tells exactness (beware 2^63, which saturates).
            ((-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f) && f as i64 == *i)
                .then_some(f)
        }
        Number::Decimal(text) => {
            let f: f64 = text.parse().ok()?;
            let back = exact_from_f64(f)?;
            (back == *n).then_some(f)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_expansions() {
        assert_eq!(exact_from_f64(1.5), Some(Number::Decimal("1.5".into())));
        assert_eq!(exact_from_f64(-2.0), Some(Number::Int(-2)));
        assert_eq!(
            exact_from_f64(0.1),
            Some(Number::Decimal(
                "0.1000000000000000055511151231257827021181583404541015625".into()
            ))
        );
        assert_eq!(
            exact_from_f64(18446744073709551616.0),
            Some(Number::Decimal("18446744073709551616".into()))
        );
        assert_eq!(exact_from_f64(f64::NAN), None);
        assert_eq!(exact_from_f64(f64::INFINITY), None);
        let tiny = exact_from_f64(f64::from_bits(1)).map(|n| n.to_string());
        assert!(tiny
            .as_deref()
            .is_some_and(|t| t.starts_with("0.000") && t.ends_with("625") && t.len() == 2 + 1074));
        let max = exact_from_f64(f64::MAX).map(|n| n.to_string());
        assert_eq!(max.map(|t| t.len()), Some(309));
    }

    #[test]
    fn exact_floats_only() {
        assert_eq!(exact_to_f64(&Number::Decimal("1.5".into())), Some(1.5));
        assert_eq!(exact_to_f64(&Number::Decimal("0.1".into())), None);
        assert_eq!(exact_to_f64(&Number::Int(3)), Some(3.0));
        assert_eq!(exact_to_f64(&Number::Int(i64::MAX)), None);
        assert_eq!(
            exact_to_f64(&Number::Decimal("18446744073709551616".into())),
            Some(18446744073709551616.0)
        );
        assert_eq!(
            exact_to_f64(&Number::Decimal("18446744073709551617".into())),
            None
        );
    }
}
