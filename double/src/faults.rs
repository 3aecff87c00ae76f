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

/// The kinds of fault `--fault-kinds` can choose from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum FaultKind {
    /// 503.
    Unavailable,
    /// 429 with `Retry-After`.
    Throttled,
    /// Dropped before applying.
    DropBefore,
    /// Dropped after committing (a reset after the server handled the request).
    DropAfter,
    /// A slow answer.
    Slow,
}

impl FaultKind {
    /// Every kind, the default.
    pub const ALL: [FaultKind; 5] = [
        FaultKind::Unavailable,
        FaultKind::Throttled,
        FaultKind::DropBefore,
        FaultKind::DropAfter,
        FaultKind::Slow,
    ];
}

impl std::fmt::Display for FaultKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use clap::ValueEnum;
        match self.to_possible_value() {
            Some(v) => f.write_str(v.get_name()),
            None => Ok(()),
        }
    }
}

/// The seeded fault sequence.
#[derive(Debug)]
pub struct FaultPlan {
    rate: f64,
    kinds: Vec<FaultKind>,
    rng: Mutex<fastrand::Rng>,
}

impl FaultPlan {
    /// A plan giving a fault of any kind to about `rate` of the requests.
    pub fn new(rate: f64, seed: u64) -> FaultPlan {
        FaultPlan::with_kinds(rate, seed, &FaultKind::ALL)
    }

    /// A plan giving a fault of one of `kinds` to about `rate` of the requests. With every
    /// kind allowed the sequence is the same as it always was for a seed.
    pub fn with_kinds(rate: f64, seed: u64, kinds: &[FaultKind]) -> FaultPlan {
        FaultPlan {
            rate: if kinds.is_empty() { 0.0 } else { rate },
            kinds: kinds.to_vec(),
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
        let kind = if self.kinds.len() == FaultKind::ALL.len() {
            // The historical draw, so existing seeds keep their sequences.
            match pick {
                0 => FaultKind::Unavailable,
                1 => FaultKind::Throttled,
                2 if flip => FaultKind::DropBefore,
                2 => FaultKind::DropAfter,
                _ => FaultKind::Slow,
            }
        } else {
            let index = (pick as usize * 2 + flip as usize) % self.kinds.len();
            self.kinds[index]
        };
        Some(match kind {
            FaultKind::Unavailable => Fault::Unavailable,
            FaultKind::Throttled => Fault::Throttled(if flip { "1" } else { "0" }),
            FaultKind::DropBefore => Fault::DropBefore,
            FaultKind::DropAfter => Fault::DropAfter,
            FaultKind::Slow => Fault::Slow(Duration::from_millis(delay)),
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

    #[test]
    fn restricted_kinds() {
        let plan = FaultPlan::with_kinds(0.5, 3, &[FaultKind::DropAfter]);
        let drawn: Vec<_> = (0..1000).filter_map(|_| plan.next()).collect();
        assert!(
            (400..600).contains(&drawn.len()),
            "{} of 1000 at 0.5",
            drawn.len()
        );
        assert!(drawn.iter().all(|f| *f == Fault::DropAfter));
        let plan = FaultPlan::with_kinds(1.0, 3, &[FaultKind::Unavailable, FaultKind::Slow]);
        let drawn: Vec<_> = (0..200).filter_map(|_| plan.next()).collect();
        assert!(drawn.contains(&Fault::Unavailable));
        assert!(drawn.iter().any(|f| matches!(f, Fault::Slow(_))));
        assert!(drawn
            .iter()
            .all(|f| matches!(f, Fault::Unavailable | Fault::Slow(_))));
        assert!(FaultPlan::with_kinds(1.0, 3, &[]).next().is_none());
    }
}
