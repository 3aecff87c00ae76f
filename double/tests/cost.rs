//! The cost model (`--latency-ms`, `--latency-item-ms`, `--write-latency-ms`, `--workers`) and
//! the request counts, as behaviour: server time is at least what the model says (checked on
//! the double's own log timestamps, lower bounds only), `--workers 1` never serves two requests
//! at once, and `/_double/counts` sums the log up by kind.

mod common;

use std::sync::Barrier;

use common::double::Double;
use serde_json::{json, Value};

const EMAIL: &str = "/stages/authenticator/email/";

/// Server time of a logged request (worker taken up to answer ready), in ms.
fn served_ms(entry: &Value) -> f64 {
    let started = entry["started_ms"].as_f64().expect("started_ms");
    let finished = entry["finished_ms"].as_f64().expect("finished_ms");
    assert!(finished >= started, "{entry}");
    finished - started
}

/// Sends `n` GETs at once (threads released together) and returns their log entries.
fn concurrent_gets(double: &Double, n: usize) -> Vec<Value> {
    double.clear_requests();
    let barrier = Barrier::new(n);
    std::thread::scope(|scope| {
        for _ in 0..n {
            scope.spawn(|| {
                barrier.wait();
                let (status, body) = double.get(EMAIL);
                assert_eq!(status, 200, "{body}");
            });
        }
    });
    let log = double.requests();
    assert_eq!(log.len(), n, "{log:#?}");
    log
}

#[test]
fn latency_per_request_per_item_and_per_write() {
    let double = Double::start(&[
        "--latency-ms",
        "20",
        "--latency-item-ms",
        "5",
        "--write-latency-ms",
        "40",
    ]);
    for i in 0..12 {
        let (status, body) = double.post(EMAIL, json!({"name": format!("cost-{i:02}")}));
        assert_eq!(status, 201, "{body}");
    }
    let posts = double.requests();
    assert_eq!(posts.len(), 12);
    for post in &posts {
        assert_eq!(post["kind"], "create");
        assert!(served_ms(post) >= 40.0, "a write costs 40 ms: {post}");
    }
    double.clear_requests();
    let (_, page) = double.get(&format!("{EMAIL}?page_size=10"));
    assert_eq!(page["results"].as_array().map(Vec::len), Some(10));
    let id = page["results"][0]["pk"].as_str().expect("pk").to_string();
    let (status, _) = double.get(&format!("{EMAIL}{id}/"));
    assert_eq!(status, 200);
    let (status, _) = double.get(&format!("{EMAIL}?name=nobody"));
    assert_eq!(status, 200);
    let log = double.requests();
    assert_eq!(log[0]["kind"], "list");
    assert!(served_ms(&log[0]) >= 20.0 + 10.0 * 5.0, "{}", log[0]);
    assert_eq!(log[1]["kind"], "retrieve");
    assert!(served_ms(&log[1]) >= 20.0, "{}", log[1]);
    // An empty list costs the request, nothing per item.
    assert!(served_ms(&log[2]) >= 20.0, "{}", log[2]);
}

#[test]
fn one_worker_serves_one_request_at_a_time() {
    let double = Double::start(&["--workers", "1", "--latency-ms", "100"]);
    let mut log = concurrent_gets(&double, 3);
    log.sort_by(|a, b| {
        a["started_ms"]
            .as_f64()
            .partial_cmp(&b["started_ms"].as_f64())
            .expect("numbers")
    });
    for pair in log.windows(2) {
        let (first, second) = (&pair[0], &pair[1]);
        assert!(
            second["started_ms"].as_f64() >= first["finished_ms"].as_f64(),
            "overlapping requests with --workers 1:\n{first}\n{second}"
        );
        assert!(served_ms(first) >= 100.0, "{first}");
    }
    // The last one waited in line for the two before it.
    let last = &log[2];
    let waited = last["started_ms"].as_f64().expect("started")
        - last["received_ms"].as_f64().expect("received");
    assert!(
        waited >= 150.0,
        "the third request queued only {waited} ms: {last}"
    );
}

#[test]
fn without_a_cap_requests_overlap() {
    // Slow requests released together are served side by side (a 1 s margin against a
    // loaded machine starting the threads late).
    let double = Double::start(&["--latency-ms", "1000"]);
    let log = concurrent_gets(&double, 2);
    let (a, b) = (&log[0], &log[1]);
    let overlap = a["started_ms"].as_f64() < b["finished_ms"].as_f64()
        && b["started_ms"].as_f64() < a["finished_ms"].as_f64();
    assert!(
        overlap,
        "two requests without --workers did not overlap:\n{a}\n{b}"
    );
}

#[test]
fn counts_sum_up_the_log() {
    let double = Double::start(&[]);
    let (_, stage) = double.post(EMAIL, json!({"name": "counted"}));
    let id = stage["pk"].as_str().expect("pk");
    double.get(EMAIL);
    double.get(EMAIL);
    double.get(&format!("{EMAIL}{id}/"));
    double.patch(&format!("{EMAIL}{id}/"), json!({"subject": "x"}));
    double.delete(&format!("{EMAIL}{id}/"));
    double.get("/flows/instances/");
    double.get("/no/such/route/");
    let counts = double.counts();
    assert_eq!(counts["total"], 8, "{counts:#}");
    assert_eq!(
        counts["by_collection"]["stages/authenticator/email"],
        json!({"create": 1, "list": 2, "retrieve": 1, "update": 1, "delete": 1}),
        "{counts:#}"
    );
    assert_eq!(counts["by_kind"]["list"], 3);
    assert_eq!(counts["by_kind"]["other"], 1);
    assert_eq!(counts["by_method"]["GET"], 5);
    assert_eq!(double.count("stages/authenticator/email", "list"), 2);
    assert_eq!(double.count("stages/authenticator/sms", "list"), 0);
    double.clear_requests();
    assert_eq!(double.counts()["total"], 0);
}
