//! Test harness: starts the authentik API double (`authentik-double`) for one test and talks to it.
//!
//! ```ignore
//! mod support;
//! use support::double::Double;
//!
//! let double = Double::start(&[]);                 // or &["--version", "2026.2"], ...
//! let (status, stage) = double.post("/stages/authenticator/email/", serde_json::json!({"name": "e"}));
//! assert_eq!(status, 201);
//! assert_eq!(double.stages().len(), 1);
//! // provider config: url = double.url, token = double.token
//! ```
//!
//! The binary is `$AUTHENTIK_DOUBLE_BIN`, else `authentik-double` next to the test's `target/<profile>/`
//! directory. The child process is killed when the `Double` is dropped.
#![allow(dead_code)]

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

/// How long the double may take to print its `listening on` line.
const START_TIMEOUT: Duration = Duration::from_secs(10);

/// A running double. `url` is the server root (the provider's `url`), `token` its API token.
pub struct Double {
    /// Server root, e.g. `http://127.0.0.1:41234` (the API is under `/api/v3/`).
    pub url: String,
    /// The token the double accepts (`Authorization: Bearer <token>`).
    pub token: String,
    /// The double's process; `None` for a real authentik (see [`Double::remote`]).
    child: Option<Child>,
    /// Stages present at start-up (authentik's built-ins), left out by [`Double::stages`].
    builtin: Vec<String>,
    // Kept open so the double never writes to a closed pipe.
    _stdout: Option<BufReader<ChildStdout>>,
    agent: ureq::Agent,
}

impl Double {
    /// Where the double's binary is.
    pub fn binary() -> PathBuf {
        if let Some(path) = std::env::var_os("AUTHENTIK_DOUBLE_BIN") {
            return PathBuf::from(path);
        }
        let exe = std::env::current_exe().expect("current_exe");
        // target/<profile>/deps/<test> -> target/<profile>/authentik-double
        let dir = exe
            .parent()
            .and_then(|deps| deps.parent())
            .expect("test binary lives in target/<profile>/deps");
        dir.join(format!("authentik-double{}", std::env::consts::EXE_SUFFIX))
    }

    /// Starts a double with `--port 0 --token <random>` (the token only when `extra` has no
    /// `--token`) plus `extra` arguments
    /// (e.g. `&["--version", "2026.2"]`, `&["--fault-rate", "0.2", "--seed", "7"]`).
    pub fn start(extra: &[&str]) -> Double {
        let binary = Double::binary();
        if !binary.exists() {
            panic!(
                "\n\n*** authentik API double not found at {} ***\n\
                 build it with `cargo build -p authentik-double`; scripts/test does this \
                 (or point AUTHENTIK_DOUBLE_BIN at it).\n\n",
                binary.display()
            );
        }
        // A `--token` among `extra` is the token (the double accepts the option once).
        let given = extra
            .iter()
            .position(|a| *a == "--token")
            .and_then(|i| extra.get(i + 1));
        let token = match given {
            Some(t) => t.to_string(),
            None => format!("test-{:016x}", RandomState::new().build_hasher().finish()),
        };
        let mut command = Command::new(&binary);
        command.args(["--port", "0"]);
        if given.is_none() {
            command.args(["--token", &token]);
        }
        let mut child = command
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        // Read the first line on a thread so a double that never prints fails the test
        // instead of hanging it.
        let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let read = stdout.read_line(&mut line).map_err(|e| e.to_string());
            let _ = sender.send((line, read, stdout));
        });
        let (line, read, stdout) = match receiver.recv_timeout(START_TIMEOUT) {
            Ok(got) => got,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("authentik-double {extra:?} printed nothing within {START_TIMEOUT:?}");
            }
        };
        let url = match line.trim().strip_prefix("listening on ") {
            Some(url) => url.to_string(),
            None => {
                let _ = child.kill();
                let status = child.wait().ok();
                panic!("authentik-double {extra:?} did not start: first line {line:?} ({read:?}), exit {status:?}");
            }
        };
        let mut double = Double {
            url,
            token,
            child: Some(child),
            builtin: Vec::new(),
            _stdout: Some(stdout),
            agent: agent(),
        };
        double.builtin = double
            .all_stages()
            .iter()
            .filter_map(|s| s["pk"].as_str().map(str::to_string))
            .collect();
        double
    }

    /// A real authentik at `url` with `token`, driven through the same helpers. The control
    /// endpoints ([`Double::requests`], [`Double::stages`]) exist only on the double: check
    /// [`Double::is_double`] first.
    pub fn remote(url: &str, token: &str) -> Double {
        Double {
            url: url.trim_end_matches('/').to_string(),
            token: token.to_string(),
            child: None,
            builtin: Vec::new(),
            _stdout: None,
            agent: agent(),
        }
    }

    /// The real authentik named by `AUTHENTIK_URL` and `AUTHENTIK_TOKEN` when both are set,
    /// else a fresh double started with the arguments in `AUTHENTIK_DOUBLE_ARGS` (split at
    /// whitespace, e.g. `--version 2026.2`; none when unset, so the double's default release).
    pub fn from_env_or_start() -> Double {
        match (
            std::env::var("AUTHENTIK_URL"),
            std::env::var("AUTHENTIK_TOKEN"),
        ) {
            (Ok(url), Ok(token)) if !url.is_empty() && !token.is_empty() => {
                Double::remote(&url, &token)
            }
            _ => {
                let args = Double::env_args();
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                Double::start(&args)
            }
        }
    }

    /// The double arguments `AUTHENTIK_DOUBLE_ARGS` asks for (empty when unset).
    pub fn env_args() -> Vec<String> {
        std::env::var("AUTHENTIK_DOUBLE_ARGS")
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_string)
            .collect()
    }

    /// True for the API double, false for a real authentik.
    pub fn is_double(&self) -> bool {
        self.child.is_some()
    }

    /// Full URL for a path: `/api/...` and `/_double/...` are taken as they are, anything else
    /// is under `/api/v3` (so `"/stages/authenticator/sms/"` works).
    pub fn url_for(&self, path: &str) -> String {
        let path = if path.starts_with('/') {
            path.to_string()
        } else {
            format!("/{path}")
        };
        if path.starts_with("/api/") || path.starts_with("/_double") {
            format!("{}{path}", self.url)
        } else {
            format!("{}/api/v3{path}", self.url)
        }
    }

    /// Sends any request; `headers` are sent as given (no token is added). Returns the status,
    /// the headers and the body text, or the transport error (e.g. a dropped connection).
    pub fn raw(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Result<RawResponse, String> {
        let mut builder = ureq::http::Request::builder()
            .method(method)
            .uri(self.url_for(path));
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let response = match body {
            Some(body) => self
                .agent
                .run(builder.body(body.to_string()).map_err(|e| e.to_string())?),
            None => self.agent.run(builder.body(()).map_err(|e| e.to_string())?),
        };
        let mut response = response.map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        let body = response
            .body_mut()
            .read_to_string()
            .map_err(|e| e.to_string())?;
        Ok(RawResponse {
            status,
            headers,
            body,
        })
    }

    /// Sends an authenticated JSON request; `Err` on a transport error.
    pub fn try_send(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Result<(u16, Value), String> {
        let auth = format!("Bearer {}", self.token);
        let text = body.map(Value::to_string);
        let mut headers = vec![("Authorization", auth.as_str())];
        if text.is_some() {
            headers.push(("Content-Type", "application/json"));
        }
        let response = self.raw(method, path, &headers, text.as_deref())?;
        Ok((response.status, parse(&response.body)))
    }

    /// Sends an authenticated JSON request; panics on a transport error.
    pub fn send(&self, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        self.try_send(method, path, body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    /// `GET` with the token.
    pub fn get(&self, path: &str) -> (u16, Value) {
        self.send("GET", path, None)
    }

    /// `POST` a JSON body with the token.
    pub fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.send("POST", path, Some(&body))
    }

    /// `POST` that must create (201): the object as the server answered.
    pub fn create(&self, path: &str, body: Value) -> Value {
        let sent = body.to_string();
        let (status, object) = self.post(path, body);
        assert_eq!(status, 201, "POST {path} {sent}: {object}");
        object
    }

    /// `PUT` a JSON body with the token.
    pub fn put(&self, path: &str, body: Value) -> (u16, Value) {
        self.send("PUT", path, Some(&body))
    }

    /// `PATCH` a JSON body with the token.
    pub fn patch(&self, path: &str, body: Value) -> (u16, Value) {
        self.send("PATCH", path, Some(&body))
    }

    /// `DELETE` with the token.
    pub fn delete(&self, path: &str) -> (u16, Value) {
        self.send("DELETE", path, None)
    }

    /// Every object of a paginated list (`path` may carry a query; `page` and `page_size` are
    /// added), following authentik's page numbers until `next` is 0. `Err` names the request
    /// that failed (transport error or a status other than 200).
    pub fn list_all(&self, path: &str) -> Result<Vec<Value>, String> {
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut items = Vec::new();
        let mut page = 1;
        loop {
            let url = format!("{path}{sep}page_size=100&page={page}");
            let (status, body) = self.try_send("GET", &url, None)?;
            if status != 200 {
                return Err(format!("GET {url}: {status} {body}"));
            }
            let results = body["results"]
                .as_array()
                .ok_or_else(|| format!("GET {url}: no results list in {body}"))?;
            items.extend(results.iter().cloned());
            match body["pagination"]["next"].as_u64() {
                Some(next) if next > page => page = next,
                _ => return Ok(items),
            }
        }
    }

    /// Every API request the double received so far: `{method, path, body, status,
    /// applied_status, fault, kind, collection, received_ms, started_ms, finished_ms}`.
    pub fn requests(&self) -> Vec<Value> {
        self.control_list("/_double/requests")
    }

    /// How many requests of each kind were served since the log was last cleared:
    /// `{"total", "by_kind": {"list", "retrieve", ...}, "by_method", "by_collection"}`.
    pub fn counts(&self) -> Value {
        let response = self
            .raw("GET", "/_double/counts", &[], None)
            .unwrap_or_else(|e| panic!("GET /_double/counts: {e}"));
        assert_eq!(response.status, 200, "GET /_double/counts");
        parse(&response.body)
    }

    /// Requests of `kind` (`list`, `retrieve`, `create`, `update`, `delete`, ...) made to
    /// `collection` (e.g. `stages/authenticator/email`) since the log was last cleared.
    pub fn count(&self, collection: &str, kind: &str) -> u64 {
        self.counts()["by_collection"][collection][kind]
            .as_u64()
            .unwrap_or(0)
    }

    /// Starts an outage of `secs` seconds now (`POST /_double/outage/<secs>`): the double
    /// refuses connections until it is over, then answers with the same state. Returns once
    /// connections are refused.
    pub fn begin_outage(&self, secs: f64) {
        let response = self
            .raw("POST", &format!("/_double/outage/{secs}"), &[], None)
            .unwrap_or_else(|e| panic!("POST /_double/outage/{secs}: {e}"));
        assert_eq!(response.status, 204, "POST /_double/outage/{secs}");
        self.wait_until_gone(Duration::from_secs(5));
    }

    /// Waits until the double refuses connections (its outage began); panics after `limit`.
    pub fn wait_until_gone(&self, limit: Duration) {
        let started = std::time::Instant::now();
        while !self.refuses_connections() {
            assert!(
                started.elapsed() < limit,
                "the double still accepts connections after {limit:?}"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Whether a new TCP connection to the double is refused (it is in an outage).
    pub fn refuses_connections(&self) -> bool {
        let address = self.url.trim_start_matches("http://");
        match address.parse::<std::net::SocketAddr>() {
            Ok(a) => std::net::TcpStream::connect_timeout(&a, Duration::from_secs(2)).is_err(),
            Err(e) => panic!("{address} is not host:port: {e}"),
        }
    }

    /// Waits until the double accepts connections again (its outage is over); panics after
    /// `limit`. Returns how long it waited.
    pub fn wait_until_back(&self, limit: Duration) -> Duration {
        let started = std::time::Instant::now();
        while self.refuses_connections() {
            assert!(
                started.elapsed() < limit,
                "the double did not come back within {limit:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        started.elapsed()
    }

    /// Forgets the request log.
    pub fn clear_requests(&self) {
        let response = self
            .raw("DELETE", "/_double/requests", &[], None)
            .expect("clear requests");
        assert_eq!(response.status, 204, "DELETE /_double/requests");
    }

    /// Every stage of every type that was not there at start-up, i.e. what the test made
    /// (full representation, secrets included, plus `"type"`), ordered by name. authentik's
    /// built-in stages are left out: see [`Double::all_stages`].
    pub fn stages(&self) -> Vec<Value> {
        self.all_stages()
            .into_iter()
            .filter(|s| {
                !s["pk"]
                    .as_str()
                    .is_some_and(|pk| self.builtin.iter().any(|b| b == pk))
            })
            .collect()
    }

    /// Every stage the double has, authentik's built-ins (present at start-up) included.
    pub fn all_stages(&self) -> Vec<Value> {
        self.control_list("/_double/stages")
    }

    /// The stages present at start-up (authentik's built-ins), by pk.
    pub fn builtin_stages(&self) -> &[String] {
        &self.builtin
    }

    fn control_list(&self, path: &str) -> Vec<Value> {
        let response = self
            .raw("GET", path, &[], None)
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        assert_eq!(response.status, 200, "GET {path}");
        match parse(&response.body) {
            Value::Array(items) => items,
            other => panic!("GET {path}: expected a list, got {other}"),
        }
    }
}

/// A response as received.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// HTTP status.
    pub status: u16,
    /// Headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// Body text.
    pub body: String,
}

impl RawResponse {
    /// A header's value (name in any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON (`null` if empty, a JSON string if not JSON).
    pub fn json(&self) -> Value {
        parse(&self.body)
    }
}

/// JSON when the body is JSON, `null` when empty, else the text as a JSON string.
fn parse(body: &str) -> Value {
    if body.is_empty() {
        return Value::Null;
    }
    serde_json::from_str(body).unwrap_or_else(|_| Value::String(body.to_string()))
}

/// The system's root certificates (as the provider uses), loaded once per test binary.
fn system_roots() -> std::sync::Arc<Vec<ureq::tls::Certificate<'static>>> {
    static ROOTS: std::sync::OnceLock<std::sync::Arc<Vec<ureq::tls::Certificate<'static>>>> =
        std::sync::OnceLock::new();
    ROOTS
        .get_or_init(|| {
            let found = rustls_native_certs::load_native_certs();
            std::sync::Arc::new(
                found
                    .certs
                    .iter()
                    .map(|der| ureq::tls::Certificate::from_der(der.as_ref()).to_owned())
                    .collect(),
            )
        })
        .clone()
}

/// An agent that hands every status back, with TLS as the provider does it: ring, the system's
/// roots, and no verification when `AUTHENTIK_INSECURE` says so as the provider reads it (`1`,
/// `true` or `yes`).
fn agent() -> ureq::Agent {
    let insecure = std::env::var("AUTHENTIK_INSECURE")
        .is_ok_and(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "true" | "yes"));
    let tls = ureq::tls::TlsConfig::builder()
        .unversioned_rustls_crypto_provider(std::sync::Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .root_certs(ureq::tls::RootCerts::Specific(system_roots()))
        .disable_verification(insecure)
        .build();
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .tls_config(tls)
        .build()
        .into()
}

impl Drop for Double {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
