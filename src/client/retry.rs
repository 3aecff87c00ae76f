//! Retry timing: exponential backoff with full jitter, `Retry-After` parsing, and the retry
//! policy of one call: failures authentik cannot have handled (it was out of reach) are retried
//! within a time budget, every other retryable failure a number of times.
//!
//! Nothing here reads a clock: callers pass the instants in, so the policy is tested without
//! sleeping.

use std::sync::Mutex;
use std::time::{Duration, Instant};

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

/// How a failed attempt may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// authentik cannot have handled the request (connection refused, DNS failure, connect
    /// timeout, 503): retried until authentik has been out of reach for the time budget.
    Unhandled,
    /// Any other retryable failure (429, a timeout or a dropped connection after the request
    /// was sent, 502/504): retried up to `max_retries` times.
    Counted,
}

/// The retry policy of one call.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Delays between attempts.
    pub backoff: Backoff,
    /// Retries of [`Retry::Counted`] failures (and of [`Retry::Unhandled`] ones when `budget`
    /// is zero).
    pub max_retries: u32,
    /// How long authentik may be out of reach before an [`Retry::Unhandled`] failure is given
    /// up; zero counts those against `max_retries` too.
    pub budget: Duration,
}

/// The retries one call has made so far, per kind.
#[derive(Debug, Clone, Copy, Default)]
pub struct Attempts {
    counted: u32,
    unhandled: u32,
    /// When this call's first [`Retry::Unhandled`] failure happened.
    unhandled_since: Option<Instant>,
}

impl Attempts {
    /// Records a [`Retry::Unhandled`] failure of this call at `now`; returns how long this call
    /// has been failing so. Together with [`Outage::failed`] this bounds every call by the
    /// budget even while other calls get answers (a 503 on one endpoint only).
    pub fn unhandled_for(&mut self, now: Instant) -> Duration {
        let since = *self.unhandled_since.get_or_insert(now);
        now.saturating_duration_since(since)
    }

    /// Retries counted against `max_retries` so far.
    pub fn counted(&self) -> u32 {
        self.counted
    }

    /// Counts one retry against `max_retries` (for callers that wait on their own).
    pub fn count(&mut self) {
        self.counted = self.counted.saturating_add(1);
    }
}

impl Policy {
    /// The delay before retrying a call whose attempt failed as `retry`, or `None` to give up.
    /// `down_for` is how long authentik has been out of reach (for [`Retry::Unhandled`]). The
    /// last wait within the budget is shortened to end at the budget, so that one attempt is
    /// made right at its end.
    pub fn decide(
        &self,
        attempts: &mut Attempts,
        retry: Retry,
        retry_after: Option<Duration>,
        down_for: Duration,
    ) -> Option<Duration> {
        if retry == Retry::Unhandled && !self.budget.is_zero() {
            if down_for >= self.budget {
                return None;
            }
            let delay = self
                .backoff
                .delay(attempts.unhandled, retry_after)
                .min(self.budget - down_for);
            attempts.unhandled = attempts.unhandled.saturating_add(1);
            return Some(delay);
        }
        if attempts.counted >= self.max_retries {
            return None;
        }
        let delay = self.backoff.delay(attempts.counted, retry_after);
        attempts.count();
        Some(delay)
    }
}

/// Since when authentik has been out of reach, shared by every call of one client: the
/// budget runs from the first failure after the last answer, so calls started during an
/// outage do not each wait the whole budget again.
#[derive(Debug, Default)]
pub struct Outage {
    since: Mutex<Option<Instant>>,
}

impl Outage {
    /// Records a failure that shows authentik out of reach at `now`; returns for how long it
    /// has been so.
    pub fn failed(&self, now: Instant) -> Duration {
        let mut since = self.since.lock().unwrap_or_else(|p| p.into_inner());
        let start = *since.get_or_insert(now);
        now.saturating_duration_since(start)
    }

    /// Records an answer from authentik: it is reachable again.
    pub fn answered(&self) {
        *self.since.lock().unwrap_or_else(|p| p.into_inner()) = None;
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

    fn policy(max_retries: u32, budget_secs: u64) -> Policy {
        Policy {
            backoff: b(),
            max_retries,
            budget: Duration::from_secs(budget_secs),
        }
    }

    #[test]
    fn unhandled_failures_retry_until_the_budget_is_spent() {
        let p = policy(2, 90);
        let mut attempts = Attempts::default();
        // Simulated time: every wait is added to how long authentik has been down.
        let mut down = Duration::ZERO;
        let mut waits = 0;
        while let Some(delay) = p.decide(&mut attempts, Retry::Unhandled, None, down) {
            assert!(delay <= b().max, "{delay:?}");
            assert!(
                down + delay <= Duration::from_secs(90),
                "waits past the budget"
            );
            down += delay;
            waits += 1;
            assert!(waits < 10_000, "never gives up");
        }
        assert!(
            waits > 2,
            "max_retries does not bound unhandled failures: {waits}"
        );
        assert_eq!(
            down,
            Duration::from_secs(90),
            "the last attempt is at the budget"
        );
        assert_eq!(attempts.counted(), 0);
        // Counted failures still stop after max_retries.
        assert!(p
            .decide(&mut attempts, Retry::Counted, None, down)
            .is_some());
        assert!(p
            .decide(&mut attempts, Retry::Counted, None, down)
            .is_some());
        assert!(p
            .decide(&mut attempts, Retry::Counted, None, down)
            .is_none());
    }

    #[test]
    fn a_zero_budget_counts_unhandled_failures_against_max_retries() {
        let p = policy(1, 0);
        let mut attempts = Attempts::default();
        assert!(p
            .decide(&mut attempts, Retry::Unhandled, None, Duration::ZERO)
            .is_some());
        assert!(p
            .decide(&mut attempts, Retry::Unhandled, None, Duration::ZERO)
            .is_none());
        let none = policy(0, 0);
        assert!(none
            .decide(
                &mut Attempts::default(),
                Retry::Counted,
                None,
                Duration::ZERO
            )
            .is_none());
    }

    #[test]
    fn the_budget_is_shared_and_ends_with_an_answer() {
        let outage = Outage::default();
        let t0 = Instant::now();
        assert_eq!(outage.failed(t0), Duration::ZERO);
        assert_eq!(
            outage.failed(t0 + Duration::from_secs(30)),
            Duration::from_secs(30)
        );
        // Another call failing later sees the same start.
        assert_eq!(
            outage.failed(t0 + Duration::from_secs(95)),
            Duration::from_secs(95)
        );
        let p = policy(4, 90);
        assert!(p
            .decide(
                &mut Attempts::default(),
                Retry::Unhandled,
                None,
                Duration::from_secs(95)
            )
            .is_none());
        outage.answered();
        assert_eq!(outage.failed(t0 + Duration::from_secs(100)), Duration::ZERO);
    }

    #[test]
    fn a_call_is_bounded_even_while_others_get_answers() {
        let outage = Outage::default();
        let mut attempts = Attempts::default();
        let t0 = Instant::now();
        let p = policy(4, 90);
        let mut last = None;
        for secs in [0, 30, 60, 91] {
            let now = t0 + Duration::from_secs(secs);
            // Another call got an answer just before each failure of this one.
            outage.answered();
            let down = outage.failed(now).max(attempts.unhandled_for(now));
            last = p.decide(&mut attempts, Retry::Unhandled, None, down);
        }
        assert_eq!(last, None, "gives up after its own 90 s");
    }

    #[test]
    fn retry_after_is_honoured_within_the_budget() {
        let p = policy(0, 90);
        let d = p.decide(
            &mut Attempts::default(),
            Retry::Unhandled,
            Some(Duration::from_secs(7)),
            Duration::from_secs(10),
        );
        assert_eq!(d, Some(Duration::from_secs(7)));
        let d = p.decide(
            &mut Attempts::default(),
            Retry::Unhandled,
            Some(Duration::from_secs(7)),
            Duration::from_secs(88),
        );
        assert_eq!(d, Some(Duration::from_secs(2)), "capped at the budget");
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
