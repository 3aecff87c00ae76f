//! Benchmark of the release double: start-up time (spawn to the `listening on` line) and
//! requests/second with concurrent keep-alive clients on loopback. Bounded in time and count;
//! exits non-zero when a target (start < 1 s, >= 5,000 req/s) is missed.
//!
//! Run with `cargo bench -p authentik-double`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BINARY: &str = env!("CARGO_BIN_EXE_authentik-double");
const TOKEN: &str = "bench-token";
const CLIENTS: usize = 8;
const SECONDS_PER_WORKLOAD: u64 = 3;
const MAX_REQUESTS_PER_CLIENT: usize = 500_000;
const TARGET_STARTUP: Duration = Duration::from_secs(1);
const TARGET_RPS: f64 = 5_000.0;

struct Server {
    child: Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> (Server, Duration) {
    let started = Instant::now();
    let mut child = Command::new(BINARY)
        .args(["--port", "0", "--token", TOKEN])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn the double");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("first line");
    let elapsed = started.elapsed();
    let address = line
        .trim()
        .strip_prefix("listening on http://")
        .expect("listening line")
        .to_string();
    (Server { child, address }, elapsed)
}

/// A keep-alive HTTP/1.1 connection that reads Content-Length framed answers.
struct Connection {
    stream: TcpStream,
    buffer: Vec<u8>,
}

impl Connection {
    fn open(address: &str) -> Connection {
        let stream = TcpStream::connect(address).expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        Connection {
            stream,
            buffer: Vec::with_capacity(64 * 1024),
        }
    }

    fn request(&mut self, method: &str, path: &str, body: &str) -> (u16, String) {
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        self.stream.write_all(head.as_bytes()).expect("write head");
        self.stream.write_all(body.as_bytes()).expect("write body");
        loop {
            if let Some(end) = self.buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&self.buffer[..end]).to_string();
                let status = head
                    .split(' ')
                    .nth(1)
                    .and_then(|s| s.parse().ok())
                    .expect("status line");
                let length: usize = head
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().to_string())
                    })
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                let total = end + 4 + length;
                while self.buffer.len() < total {
                    self.fill();
                }
                let body = String::from_utf8_lossy(&self.buffer[end + 4..total]).to_string();
                self.buffer.drain(..total);
                return (status, body);
            }
            self.fill();
        }
    }

    fn fill(&mut self) {
        let mut chunk = [0u8; 16 * 1024];
        let n = self.stream.read(&mut chunk).expect("read");
        assert!(n > 0, "server closed the connection");
        self.buffer.extend_from_slice(&chunk[..n]);
    }
}

fn pk_of(body: &str) -> String {
    let start = body.find("\"pk\":\"").expect("pk") + 6;
    body[start..start + 36].to_string()
}

fn workload(
    address: &str,
    name: &str,
    method: &'static str,
    path: String,
    body: String,
    expect: u16,
) -> f64 {
    let deadline = Instant::now() + Duration::from_secs(SECONDS_PER_WORKLOAD);
    let started = Instant::now();
    let threads: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (address, path, body) = (address.to_string(), path.clone(), body.clone());
            std::thread::spawn(move || {
                let mut connection = Connection::open(&address);
                let mut done = 0usize;
                while done < MAX_REQUESTS_PER_CLIENT && Instant::now() < deadline {
                    let (status, answer) = connection.request(method, &path, &body);
                    assert_eq!(status, expect, "{method} {path}: {answer}");
                    done += 1;
                }
                done
            })
        })
        .collect();
    let total: usize = threads.into_iter().map(|t| t.join().expect("client")).sum();
    let rps = total as f64 / started.elapsed().as_secs_f64();
    println!("  {name:<42} {total:>8} requests  {rps:>10.0} req/s");
    rps
}

fn main() {
    println!("authentik-double benchmark ({BINARY})");
    let mut startups: Vec<Duration> = (0..10).map(|_| start().1).collect();
    startups.sort();
    println!(
        "start-up (spawn to listening line), 10 runs: min {:?}  median {:?}  max {:?}",
        startups[0], startups[5], startups[9]
    );

    let (server, _) = start();
    let mut setup = Connection::open(&server.address);
    for i in 0..30 {
        let (status, _) = setup.request(
            "POST",
            "/api/v3/stages/authenticator/email/",
            &format!("{{\"name\": \"bench-{i:02}\"}}"),
        );
        assert_eq!(status, 201);
    }
    let (_, validate) = setup.request(
        "POST",
        "/api/v3/stages/authenticator/validate/",
        "{\"name\": \"bench-validate\"}",
    );
    let validate = pk_of(&validate);

    println!("throughput, {CLIENTS} keep-alive clients, {SECONDS_PER_WORKLOAD} s each:");
    let mut results = [
        workload(
            &server.address,
            "GET one stage",
            "GET",
            format!("/api/v3/stages/authenticator/validate/{validate}/"),
            String::new(),
            200,
        ),
        workload(
            &server.address,
            "GET list (20 of 30 stages)",
            "GET",
            "/api/v3/stages/authenticator/email/".to_string(),
            String::new(),
            200,
        ),
        workload(
            &server.address,
            "PATCH one stage",
            "PATCH",
            format!("/api/v3/stages/authenticator/validate/{validate}/"),
            "{\"last_auth_threshold\": \"hours=1\"}".to_string(),
            200,
        ),
    ];
    let (status, _) = setup.request("DELETE", "/_double/requests", "");
    assert_eq!(status, 204);
    results.sort_by(f64::total_cmp);

    let startup_ok = startups[9] < TARGET_STARTUP;
    let rps_ok = results[0] >= TARGET_RPS;
    println!(
        "targets: start-up < {:?}: {} (worst {:?}); >= {TARGET_RPS:.0} req/s: {} (slowest workload {:.0} req/s)",
        TARGET_STARTUP,
        if startup_ok { "PASS" } else { "FAIL" },
        startups[9],
        if rps_ok { "PASS" } else { "FAIL" },
        results[0]
    );
    drop(setup);
    drop(server);
    if !(startup_ok && rps_ok) {
        std::process::exit(1);
    }
}
