//! The outage fault (`--outage-secs N` with `--outage-after-requests K` or `--outage-at-secs T`,
//! or `POST /_double/outage/N`): the double refuses connections for N seconds, closes its idle
//! connections, then answers again on the same port with the same state.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::double::Double;
use serde_json::json;

const STATIC: &str = "/stages/authenticator/static/";

#[test]
fn an_outage_after_k_requests_refuses_connections_then_keeps_the_state() {
    let d = Double::start(&["--outage-secs", "1.5", "--outage-after-requests", "3"]);
    assert!(!d.refuses_connections());
    let (status, _) = d.post(STATIC, json!({"name": "before-1"}));
    assert_eq!(status, 201);
    // An idle kept-alive connection, opened before the outage.
    let mut idle = TcpStream::connect(d.url.trim_start_matches("http://")).expect("connect");
    let request = format!(
        "GET /api/v3{STATIC} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\r\n",
        d.token
    );
    idle.write_all(request.as_bytes()).expect("write");
    let mut buf = [0u8; 65536];
    let n = idle.read(&mut buf).expect("read");
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    // The third API request is still answered; then the double goes away.
    let (status, _) = d.post(STATIC, json!({"name": "before-3"}));
    assert_eq!(status, 201, "the K-th request is answered");
    let started = Instant::now();
    d.wait_until_gone(Duration::from_secs(1));
    // The idle connection was closed (end of stream, or a reset).
    idle.set_read_timeout(Some(Duration::from_secs(2)))
        .expect("timeout");
    let closed = matches!(idle.read(&mut buf), Ok(0) | Err(_));
    assert!(closed, "idle connection left open during the outage");
    let waited = d.wait_until_back(Duration::from_secs(10));
    let down = started.elapsed();
    assert!(
        down >= Duration::from_millis(1300) && waited > Duration::ZERO,
        "back after {down:?}"
    );
    let names: Vec<String> = d
        .stages()
        .iter()
        .filter_map(|s| s["name"].as_str().map(str::to_string))
        .collect();
    assert_eq!(
        names,
        ["before-1", "before-3"],
        "same state after the outage"
    );
    let (status, _) = d.post(STATIC, json!({"name": "after"}));
    assert_eq!(status, 201);
    // Only one planned outage.
    std::thread::sleep(Duration::from_millis(100));
    assert!(!d.refuses_connections());
}

#[test]
fn an_outage_on_demand_and_at_a_given_moment() {
    let d = Double::start(&[]);
    let (status, _) = d.post(STATIC, json!({"name": "kept"}));
    assert_eq!(status, 201);
    let started = Instant::now();
    d.begin_outage(1.0);
    d.wait_until_back(Duration::from_secs(10));
    assert!(started.elapsed() >= Duration::from_millis(900));
    assert_eq!(d.stages().len(), 1);
    let bad = d
        .raw("POST", "/_double/outage/forever", &[], None)
        .expect("answer");
    assert_eq!(bad.status, 400, "{}", bad.body);

    let timed = Double::start(&["--outage-secs", "1", "--outage-at-secs", "0.5"]);
    let started = Instant::now();
    timed.wait_until_gone(Duration::from_secs(5));
    timed.wait_until_back(Duration::from_secs(10));
    assert!(started.elapsed() >= Duration::from_millis(800));
}
