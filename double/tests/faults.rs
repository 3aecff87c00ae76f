//! Fault injection (`--fault-rate F --seed N`): faults appear at about the requested rate, are
//! deterministic per seed, come in every kind (503, 429 with Retry-After, dropped connection
//! before/after the change, slow answer), and spare the control endpoints.

mod common;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::double::Double;
use serde_json::{json, Value};

/// What one request got, seen from the client.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// A response: status, `Retry-After`, and whether it was slow (> 150 ms).
    Answer {
        status: u16,
        retry_after: Option<String>,
        slow: bool,
    },
    /// The connection closed without any response.
    Dropped,
}

impl Outcome {
    fn label(&self) -> &'static str {
        match self {
            Outcome::Dropped => "dropped",
            Outcome::Answer { status: 503, .. } => "503",
            Outcome::Answer { status: 429, .. } => "429",
            Outcome::Answer { slow: true, .. } => "slow",
            Outcome::Answer { .. } => "normal",
        }
    }
}

/// One request on a fresh connection (so a drop cannot affect the next one).
fn send(double: &Double, method: &str, path: &str, body: Option<&Value>) -> Outcome {
    let address = double.url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let body = body.map(Value::to_string).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        double.token,
        body.len()
    );
    let started = Instant::now();
    stream.write_all(request.as_bytes()).expect("write");
    let mut response = Vec::new();
    // A reset is a drop too.
    let _ = stream.read_to_end(&mut response);
    let slow = started.elapsed() > Duration::from_millis(150);
    let text = String::from_utf8_lossy(&response);
    let Some(status) = text.split(' ').nth(1).and_then(|s| s.parse().ok()) else {
        return Outcome::Dropped;
    };
    let retry_after = text.lines().take_while(|l| !l.is_empty()).find_map(|l| {
        l.to_ascii_lowercase()
            .strip_prefix("retry-after:")
            .map(|v| v.trim().to_string())
    });
    Outcome::Answer {
        status,
        retry_after,
        slow,
    }
}

/// `n` requests alternating a list and a create, in order.
fn run(seed: &str, rate: &str, n: usize) -> (Double, Vec<Outcome>) {
    let double = Double::start(&["--fault-rate", rate, "--seed", seed]);
    let outcomes = (0..n)
        .map(|i| {
            if i % 2 == 0 {
                send(&double, "GET", "/api/v3/stages/authenticator/email/", None)
            } else {
                send(
                    &double,
                    "POST",
                    "/api/v3/stages/authenticator/email/",
                    Some(&json!({"name": format!("stage-{i}")})),
                )
            }
        })
        .collect();
    (double, outcomes)
}

#[test]
fn faults_appear_at_about_the_rate_in_every_kind_and_are_deterministic_per_seed() {
    const N: usize = 240;
    let first = std::thread::spawn(|| run("11", "0.25", N));
    let again = std::thread::spawn(|| run("11", "0.25", N));
    let other = std::thread::spawn(|| run("12", "0.25", N));
    let (double, outcomes) = first.join().expect("first run");
    let (repeated_double, repeated) = again.join().expect("second run");
    let (_, different) = other.join().expect("other seed");

    // Client view, with "slow" folded into "normal" (a loaded machine can be slow by itself).
    let labels = |o: &[Outcome]| {
        o.iter()
            .map(|o| o.label().replace("slow", "normal"))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        labels(&outcomes),
        labels(&repeated),
        "same seed, same faults"
    );
    assert_ne!(
        labels(&outcomes),
        labels(&different),
        "another seed, other faults"
    );
    // Server view: the exact fault sequence.
    let faults = |d: &Double| {
        d.requests()
            .iter()
            .map(|e| e["fault"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        faults(&double),
        faults(&repeated_double),
        "same seed, same fault sequence"
    );

    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for outcome in &outcomes {
        *counts.entry(outcome.label()).or_default() += 1;
    }
    let faulted = N - counts.get("normal").copied().unwrap_or(0);
    let rate = faulted as f64 / N as f64;
    assert!(
        (0.15..=0.35).contains(&rate),
        "fault rate {rate} for --fault-rate 0.25: {counts:?}"
    );
    for kind in ["503", "429", "dropped", "slow"] {
        assert!(
            counts.get(kind).copied().unwrap_or(0) > 0,
            "no {kind} among {counts:?}"
        );
    }
    for outcome in &outcomes {
        if let Outcome::Answer {
            status: 429,
            retry_after,
            ..
        } = outcome
        {
            assert!(
                matches!(retry_after.as_deref(), Some("0" | "1")),
                "429 without Retry-After 0/1: {outcome:?}"
            );
        }
    }

    // The log says which dropped creates were committed: exactly those stages exist.
    let log = double.requests();
    assert_eq!(log.len(), N, "every API request is logged");
    let created: Vec<String> = double
        .stages()
        .iter()
        .filter_map(|s| s["name"].as_str().map(str::to_string))
        .collect();
    let mut after = 0;
    let mut before = 0;
    for (i, (entry, outcome)) in log.iter().zip(&outcomes).enumerate() {
        let fault = entry["fault"].as_str();
        if fault == Some("slow") {
            assert!(
                matches!(
                    outcome,
                    Outcome::Answer {
                        slow: true,
                        status: 200 | 201,
                        ..
                    }
                ),
                "request {i}: a slow fault is a delayed normal answer: {outcome:?}"
            );
        }
        assert_eq!(
            outcome == &Outcome::Dropped,
            matches!(fault, Some("drop_before" | "drop_after")),
            "request {i}: {entry} vs {outcome:?}"
        );
        if i % 2 == 1 {
            let name = format!("stage-{i}");
            let exists = created.contains(&name);
            match fault {
                Some("drop_after") => {
                    after += 1;
                    assert!(exists, "{name} dropped after commit must exist");
                    assert_eq!(entry["applied_status"], 201);
                }
                Some("drop_before" | "unavailable" | "throttled") => {
                    before += usize::from(fault == Some("drop_before"));
                    assert!(!exists, "{name} must not exist after {fault:?}");
                }
                _ => assert!(exists, "{name} answered {outcome:?} must exist"),
            }
        }
    }
    assert!(
        after > 0 && before > 0,
        "both drop kinds on writes (before {before}, after {after})"
    );
}

#[test]
fn control_endpoints_are_never_faulted_and_rate_one_faults_everything() {
    let double = Double::start(&["--fault-rate", "1", "--seed", "3"]);
    for _ in 0..20 {
        assert_eq!(
            send(&double, "GET", "/_double/stages", None).label(),
            "normal"
        );
    }
    let outcomes: Vec<Outcome> = (0..20)
        .map(|_| send(&double, "GET", "/api/v3/flows/instances/", None))
        .collect();
    assert!(
        outcomes.iter().all(|o| o.label() != "normal"),
        "{outcomes:?}"
    );
    assert_eq!(double.requests().len(), 20);
    let quiet = Double::start(&[]);
    assert!(
        (0..50).all(|_| send(&quiet, "GET", "/api/v3/flows/instances/", None).label() == "normal")
    );
}
