//! The cost model of a real server (`--latency-ms`, `--latency-item-ms`, `--write-latency-ms`,
//! `--workers`): every API request holds one of a fixed number of workers for the server time it
//! would take on authentik, and requests beyond the number of workers wait in line. Off by
//! default (no latency, no limit).

use std::time::{Duration, Instant};

use tokio::sync::{Semaphore, SemaphorePermit};

use crate::config::Config;

/// Server time per request and the worker pool.
#[derive(Debug)]
pub struct CostModel {
    read: Duration,
    per_item: Duration,
    write: Duration,
    workers: Option<Semaphore>,
    /// When the double started; log timestamps count from here.
    epoch: Instant,
}

impl CostModel {
    /// The model the command line asks for.
    pub fn new(config: &Config) -> CostModel {
        let ms = |v: f64| Duration::from_secs_f64(v / 1000.0);
        CostModel {
            read: ms(config.latency_ms),
            per_item: ms(config.latency_item_ms),
            write: ms(config.write_latency_ms.unwrap_or(config.latency_ms)),
            workers: (config.workers > 0).then(|| Semaphore::new(config.workers)),
            epoch: Instant::now(),
        }
    }

    /// Server time of one request: reads (`GET`, `HEAD`) cost the read latency plus the
    /// per-item cost for every object a list answer carries; anything else the write latency.
    pub fn cost(&self, method: &str, items: usize) -> Duration {
        match method {
            "GET" | "HEAD" => self.read + self.per_item * items.min(u32::MAX as usize) as u32,
            _ => self.write,
        }
    }

    /// Waits for a free worker (at once without `--workers`). The worker is busy until the
    /// returned permit is dropped.
    pub async fn worker(&self) -> Option<SemaphorePermit<'_>> {
        match &self.workers {
            // The semaphore is never closed, so acquiring only fails if it were.
            Some(pool) => pool.acquire().await.ok(),
            None => None,
        }
    }

    /// Spends the server time of a request (no-op when it is zero).
    pub async fn spend(&self, cost: Duration) {
        if !cost.is_zero() {
            tokio::time::sleep(cost).await;
        }
    }

    /// Milliseconds since the double started, for the request log.
    pub fn now_ms(&self) -> f64 {
        self.epoch.elapsed().as_secs_f64() * 1000.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(args: &[&str]) -> CostModel {
        let mut all = vec!["--token".to_string(), "t".to_string()];
        all.extend(args.iter().map(|a| a.to_string()));
        CostModel::new(&Config::from_args(all).expect("parses"))
    }

    #[test]
    fn costs_by_method_and_items() {
        let m = model(&[
            "--latency-ms",
            "55",
            "--latency-item-ms",
            "1.65",
            "--write-latency-ms",
            "170",
        ]);
        assert_eq!(m.cost("GET", 0), Duration::from_millis(55));
        let page = m.cost("GET", 100).as_secs_f64() * 1000.0;
        assert!((page - 220.0).abs() < 0.01, "a page of 100 costs {page} ms");
        for write in ["POST", "PUT", "PATCH", "DELETE"] {
            assert_eq!(m.cost(write, 0), Duration::from_millis(170), "{write}");
        }
        // Without --write-latency-ms writes cost what reads do.
        let m = model(&["--latency-ms", "10"]);
        assert_eq!(m.cost("DELETE", 0), Duration::from_millis(10));
        assert_eq!(m.cost("GET", 5), Duration::from_millis(10));
        // Defaults: free.
        assert!(model(&[]).cost("GET", 100).is_zero());
        assert!(model(&[]).workers.is_none());
    }

    #[tokio::test]
    async fn workers_are_a_pool() {
        let m = model(&["--workers", "2"]);
        let a = m.worker().await.expect("first worker");
        let _b = m.worker().await.expect("second worker");
        let pool = m.workers.as_ref().expect("pool");
        assert_eq!(pool.available_permits(), 0);
        drop(a);
        assert_eq!(pool.available_permits(), 1);
        assert!(model(&[]).worker().await.is_none());
    }
}
