//! Retry timing: exponential backoff with full jitter, and `Retry-After` parsing.

use std::time::Duration;

/// Backoff settings.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    /// Base delay: the ceiling of the first retry's delay.
    pub base: Duration,
    /// Cap of any one delay.
    pub max: Duration,
    /// Cap of a server-requested `Retry-After`.
    pub retry_after_max: Duration,
}

impl Backoff {
    /// Upper bound of the delay before retry number `retry` (0-based): `min(max, base * 2^retry)`.
    pub fn ceiling(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.min(20)).unwrap_or(u32::MAX);
        self.base.saturating_mul(factor).min(self.max)
    }

    /// The delay before retry number `retry` (0-based): full jitter, i.e. uniform in
    /// `[0, ceiling(retry)]`; or the server's `Retry-After` (capped) when it gave one.
    pub fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(ra) = retry_after {
            return ra.min(self.retry_after_max);
        }
        let ceiling = self.ceiling(retry);
        let millis = u64::try_from(ceiling.as_millis()).unwrap_or(u64::MAX);
        Duration::from_millis(fastrand::u64(0..=millis))
    }
}

/// Parses a `Retry-After` header value given in seconds (integer or decimal). HTTP-dates and
/// garbage give `None` (the caller then falls back to its own backoff).
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    match v.parse::<f64>() {
        Ok(secs) if (0.0..1e9).contains(&secs) => Some(Duration::from_secs_f64(secs)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b() -> Backoff {
        Backoff {
            base: Duration::from_millis(200),
            max: Duration::from_secs(5),
            retry_after_max: Duration::from_secs(30),
        }
    }

    #[test]
    fn ceiling_grows_and_caps() {
        let b = b();
        assert_eq!(b.ceiling(0), Duration::from_millis(200));
        assert_eq!(b.ceiling(1), Duration::from_millis(400));
        assert_eq!(b.ceiling(4), Duration::from_millis(3200));
        assert_eq!(b.ceiling(5), Duration::from_secs(5));
        assert_eq!(b.ceiling(1000), Duration::from_secs(5));
    }

    #[test]
    fn jittered_delay_within_bounds_and_varies() {
        let b = b();
        for retry in 0..10 {
            let mut seen = std::collections::BTreeSet::new();
            for _ in 0..200 {
                let d = b.delay(retry, None);
                assert!(d <= b.ceiling(retry), "{d:?} > {:?}", b.ceiling(retry));
                seen.insert(d);
            }
            assert!(seen.len() > 5, "no jitter at retry {retry}");
        }
    }

    #[test]
    fn retry_after_honoured_and_capped() {
        let b = b();
        assert_eq!(
            b.delay(0, Some(Duration::from_secs(2))),
            Duration::from_secs(2)
        );
        assert_eq!(
            b.delay(0, Some(Duration::from_secs(3600))),
            Duration::from_secs(30)
        );
    }

    #[test]
    fn parses_retry_after() {
        assert_eq!(parse_retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after(" 0 "), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("1.5"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_retry_after(""), None);
        assert_eq!(parse_retry_after("-1"), None);
        assert_eq!(parse_retry_after("soon"), None);
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(parse_retry_after("NaN"), None);
        assert_eq!(parse_retry_after("1e300"), None);
    }
}
