//! The binary contract: start-up line, a round trip, the control endpoints, and the harness.

mod common;

use common::double::Double;
use serde_json::json;

#[test]
fn starts_serves_and_logs() {
    let started = std::time::Instant::now();
    let double = Double::start(&[]);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(1),
        "start-up took {:?}",
        started.elapsed()
    );
    assert!(
        double.url.starts_with("http://127.0.0.1:"),
        "{}",
        double.url
    );
    let (status, stage) = double.post("/stages/authenticator/email/", json!({"name": "smoke"}));
    assert_eq!(status, 201, "{stage}");
    let (status, got) = double.get(&format!(
        "/stages/authenticator/email/{}/",
        stage["pk"].as_str().unwrap_or("")
    ));
    assert_eq!((status, &got), (200, &stage));
    assert_eq!(double.stages().len(), 1);
    let log = double.requests();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0]["method"], "POST");
    assert_eq!(log[0]["body"], json!({"name": "smoke"}));
    assert_eq!(log[0]["status"], 201);
    double.clear_requests();
    assert!(double.requests().is_empty());
}
