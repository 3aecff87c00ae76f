//! Injected faults (`--fault-rate F --seed N`): a deterministic sequence, drawn per API request
//! in arrival order, decides which requests get a 503, a 429 with `Retry-After`, a dropped
//! connection (before applying the change, or after committing it), or a slow answer.

use std::sync::Mutex;
use std::time::Duration;

/// One injected fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// 503 Service Unavailable, nothing applied.
    Unavailable,
    /// 429 Too Many Requests with `Retry-After` (`"0"` or `"1"`), nothing applied.
    Throttled(&'static str),
    /// Connection closed without any response; nothing applied.
    DropBefore,
    /// The request is applied (committed), then the connection is closed without a response.
    DropAfter,
    /// A delay, then the normal answer.
    Slow(Duration),
}

impl Fault {
    /// Name used in the request log.
    pub fn name(&self) -> &'static str {
        match self {
            Fault::Unavailable => "unavailable",
            Fault::Throttled(_) => "throttled",
            Fault::DropBefore => "drop_before",
            Fault::DropAfter => "drop_after",
            Fault::Slow(_) => "slow",
        }
    }
}

/// The seeded fault sequence.
#[derive(Debug)]
pub struct FaultPlan {
    rate: f64,
    rng: Mutex<fastrand::Rng>,
}

impl FaultPlan {
    /// A plan giving a fault to about `rate` of the requests.
    pub fn new(rate: f64, seed: u64) -> FaultPlan {
        FaultPlan {
            rate,
            rng: Mutex::new(fastrand::Rng::with_seed(seed)),
        }
    }

    /// The fault for the next request, if any. Every call consumes the same amount of the
    /// sequence, so the n-th request always gets the same answer for a seed.
    pub fn next(&self) -> Option<Fault> {
        if self.rate <= 0.0 {
            return None;
        }
        let (roll, pick, flip, delay) = {
            let mut rng = self
                .rng
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            (rng.f64(), rng.u8(0..4), rng.bool(), rng.u64(200..=600))
        };
        if roll >= self.rate {
            return None;
        }
        Some(match pick {
            0 => Fault::Unavailable,
            1 => Fault::Throttled(if flip { "1" } else { "0" }),
            2 if flip => Fault::DropBefore,
            2 => Fault::DropAfter,
            _ => Fault::Slow(Duration::from_millis(delay)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_near_rate() {
        let draw = |seed| {
            let plan = FaultPlan::new(0.2, seed);
            (0..5000).map(|_| plan.next()).collect::<Vec<_>>()
        };
        let a = draw(42);
        assert_eq!(a, draw(42));
        assert_ne!(a, draw(43));
        let faults = a.iter().filter(|f| f.is_some()).count();
        assert!(
            (850..1150).contains(&faults),
            "{faults} faults of 5000 at 0.2"
        );
        for kind in [
            "unavailable",
            "throttled",
            "drop_before",
            "drop_after",
            "slow",
        ] {
            assert!(
                a.iter().flatten().any(|f| f.name() == kind),
                "{kind} never drawn"
            );
        }
        assert!(FaultPlan::new(0.0, 1).next().is_none());
    }
}
