//! Injected faults (`--fault-rate F --seed N`): a deterministic sequence, drawn per API request
//! in arrival order, decides which requests get a 503, a 429 with `Retry-After`, a dropped
//! connection (before applying the change, or after committing it), or a slow answer.
//!
//! And an [`Outage`] (`--outage-secs N` with `--outage-after-requests K` or `--outage-at-secs T`,
//! or `POST /_double/outage/N`): the double goes away as authentik does while it restarts (its
//! listening socket is closed, so clients get "connection refused", and its idle connections are
//! closed) and comes back on the same port with the same state.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;

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
    /// The outage, if one is planned or asked for.
    pub outage: Outage,
}

/// When an outage starts and how long it lasts (`--outage-*`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OutagePlan {
    /// How long the double is away.
    pub length: Duration,
    /// Starts when this many API requests have arrived (the last of them is still answered).
    pub after_requests: Option<u64>,
    /// Starts this long after the double started.
    pub at: Option<Duration>,
}

impl OutagePlan {
    /// The plan the command line asks for, if any.
    pub fn from_config(config: &crate::config::Config) -> Option<OutagePlan> {
        let length = Duration::from_secs_f64(config.outage_secs?);
        Some(OutagePlan {
            length,
            after_requests: config.outage_after_requests,
            at: config.outage_at_secs.map(Duration::from_secs_f64),
        })
    }
}

/// A period in which the double does not answer: see the module documentation. One outage at a
/// time; one started while another runs is ignored.
#[derive(Debug)]
pub struct Outage {
    plan: OnceLock<OutagePlan>,
    requests: AtomicU64,
    /// `Some(end)` while the double is away.
    down: watch::Sender<Option<Instant>>,
}

impl Default for Outage {
    fn default() -> Self {
        Outage {
            plan: OnceLock::new(),
            requests: AtomicU64::new(0),
            down: watch::Sender::new(None),
        }
    }
}

impl Outage {
    /// Sets the planned outage (once; later calls are ignored).
    pub fn arm(&self, plan: OutagePlan) {
        let _ = self.plan.set(plan);
    }

    /// The planned outage, if any.
    pub fn plan(&self) -> Option<OutagePlan> {
        self.plan.get().copied()
    }

    /// Starts an outage of `length` now; `false` if one is running already.
    pub fn begin(&self, length: Duration) -> bool {
        let end = Instant::now() + length;
        self.down.send_if_modified(|down| {
            if down.is_some() {
                false
            } else {
                *down = Some(end);
                true
            }
        })
    }

    /// Counts one API request; the planned outage starts with the `after_requests`-th.
    pub fn on_request(&self) {
        let n = self.requests.fetch_add(1, Ordering::SeqCst) + 1;
        if let Some(plan) = self.plan() {
            if plan.after_requests == Some(n) {
                self.begin(plan.length);
            }
        }
    }

    /// The end of the running outage, if one runs.
    pub fn end_time(&self) -> Option<Instant> {
        *self.down.borrow()
    }

    /// Marks the outage over (the double listens again).
    pub fn end(&self) {
        self.down.send_replace(None);
    }

    /// A receiver that sees every outage start and end.
    pub fn watch(&self) -> watch::Receiver<Option<Instant>> {
        self.down.subscribe()
    }
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
            outage: Outage::default(),
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

/// `POST /_double/outage/<seconds>`: starts an outage now (204), after this answer is sent.
pub fn begin_outage(state: &crate::AppState, seconds: &str) -> crate::reply::Reply {
    match seconds.parse::<f64>() {
        Ok(secs) if secs.is_finite() && (0.0..=3600.0).contains(&secs) => {
            if state.faults.outage.begin(Duration::from_secs_f64(secs)) {
                crate::reply::Reply::no_content()
            } else {
                crate::reply::Reply::json(
                    409,
                    serde_json::json!({"detail": "an outage is running already"}),
                )
            }
        }
        _ => crate::reply::Reply::json(
            400,
            serde_json::json!({"detail": format!("{seconds:?} is not a number of seconds from 0 to 3600")}),
        ),
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
    fn an_outage_starts_with_the_kth_request_once() {
        let outage = Outage::default();
        outage.arm(OutagePlan {
            length: Duration::from_secs(20),
            after_requests: Some(3),
            at: None,
        });
        let watch = outage.watch();
        outage.on_request();
        outage.on_request();
        assert_eq!(outage.end_time(), None);
        outage.on_request();
        let end = outage.end_time().expect("down after the third request");
        assert!(end > Instant::now() + Duration::from_secs(19));
        assert!(watch.has_changed().unwrap_or(false));
        assert!(!outage.begin(Duration::from_secs(1)), "one at a time");
        outage.end();
        assert_eq!(outage.end_time(), None);
        outage.on_request();
        assert_eq!(outage.end_time(), None, "only the K-th request starts it");
        assert!(outage.begin(Duration::from_secs(1)), "asked for again");
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
