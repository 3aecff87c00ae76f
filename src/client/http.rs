//! The HTTP client: one connection pool, retries, cancellation, error mapping, and [`Endpoint`],
//! the collection-level CRUD interface the engine uses.

use std::error::Error as _;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use serde_json::Value;
use tokio_util::sync::CancellationToken;
use url::Url;

use super::config::{api_base_url, display_url, endpoint_url, validate_id, ClientConfig};
use super::error::{flatten_validation_body, ApiError, FieldError, TransportKind};
use super::retry::{parse_retry_after, Attempts, Backoff, Outage, Policy, Retry};
use super::JsonObject;

/// Page size used when listing (authentik's maximum).
pub const PAGE_SIZE: u32 = 100;
/// Upper bound on pages followed by one `list` call, against a server that never stops paging.
const MAX_PAGES: u64 = 100_000;
/// Secrets shorter than this are not scrubbed from server text.
const MIN_SCRUBBED_LEN: usize = 6;
/// Longest excerpt of a non-JSON answer body put into an error message.
const MAX_EXCERPT: usize = 200;

/// What [`Endpoint::create`] got.
#[derive(Debug, Clone, PartialEq)]
pub enum Created {
    /// The server answered the POST with the object it created: certainly ours.
    Answered(JsonObject),
    /// The POST's answer was lost, and afterwards an object with the unique key we sent was found.
    /// It may be the one this call created, or one that held the key before: unproven.
    FoundByKey {
        /// The object found.
        object: JsonObject,
        /// Why the answer was lost (a transport error or a 502/504), without secrets.
        lost: String,
    },
}

impl Created {
    fn found(object: JsonObject, lost: &str) -> Created {
        Created::FoundByKey {
            object,
            lost: lost.to_string(),
        }
    }
}

/// HTTP methods the client uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verb {
    Get,
    Post,
    Patch,
    Delete,
}

impl Verb {
    fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "GET",
            Verb::Post => "POST",
            Verb::Patch => "PATCH",
            Verb::Delete => "DELETE",
        }
    }

    fn method(self) -> reqwest::Method {
        match self {
            Verb::Get => reqwest::Method::GET,
            Verb::Post => reqwest::Method::POST,
            Verb::Patch => reqwest::Method::PATCH,
            Verb::Delete => reqwest::Method::DELETE,
        }
    }
}

/// An HTTP answer, read in full.
struct Answer {
    status: u16,
    body: Vec<u8>,
    retry_after: Option<Duration>,
    location: Option<String>,
}

/// One attempt that produced no HTTP answer.
enum Failure {
    Cancelled,
    Transport {
        kind: TransportKind,
        /// The server may have received (and processed) the request.
        maybe_processed: bool,
        error: ApiError,
    },
}

/// One wait before a retry, for the log.
struct Wait {
    retry: Retry,
    reason: &'static str,
    delay: Duration,
    down_for: Duration,
}

/// How one logical call behaves.
#[derive(Clone, Copy)]
struct Opts {
    /// Stop in-flight attempts at once when the cancel token fires (reads only).
    cancellable: bool,
    /// Retries after the first attempt.
    max_retries: u32,
    /// Wait (within the client's `retry_timeout`) while authentik is out of reach.
    wait_unreachable: bool,
    /// Make the first attempt even if the cancel token has already fired.
    run_when_cancelled: bool,
}

struct Inner {
    http: reqwest::Client,
    base: Url,
    cancel: CancellationToken,
    max_retries: u32,
    retry_timeout: Duration,
    backoff: Backoff,
    /// Since when authentik has been out of reach (shared by every call).
    outage: Outage,
    /// Configured secret values, scrubbed from any server text put into an error.
    secrets: Vec<String>,
}

/// authentik API client. Cheap to clone: every clone shares one `reqwest::Client` (one
/// connection pool with keep-alive) and the cancellation token.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base.as_str())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Builds the client. Fails with [`ApiError::Config`] on a bad URL, header or CA bundle.
    /// When `cancel` fires, reads and backoff waits stop at once with [`ApiError::Cancelled`];
    /// a write that is on the wire finishes its attempt but is not retried.
    pub fn new(config: ClientConfig, cancel: CancellationToken) -> Result<Client, ApiError> {
        let base = api_base_url(&config.url)?;

        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if !config.token.is_empty() {
            let mut v = HeaderValue::from_str(&format!("Bearer {}", config.token.expose()))
                .map_err(|_| ApiError::Config {
                    message: "the API token contains characters that are not allowed in an HTTP \
                              header (check for stray newlines or quotes)"
                        .into(),
                })?;
            v.set_sensitive(true);
            headers.insert(AUTHORIZATION, v);
        }
        let mut replaced: Vec<HeaderName> = Vec::new();
        for (name, value) in &config.headers {
            let hn =
                HeaderName::from_bytes(name.trim().as_bytes()).map_err(|_| ApiError::Config {
                    message: format!("extra header name {name:?} is not a valid HTTP header name"),
                })?;
            let mut hv = HeaderValue::from_str(value.expose()).map_err(|_| ApiError::Config {
                message: format!(
                    "the value of extra header {name:?} contains characters that are not allowed \
                     in an HTTP header"
                ),
            })?;
            hv.set_sensitive(true);
            // An extra header replaces a default of the same name; repeated names all go out.
            if !replaced.contains(&hn) {
                headers.remove(&hn);
                replaced.push(hn.clone());
            }
            headers.append(hn, hv);
        }

        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            // Loading the system root store costs ~6 ms in every provider process Terraform
            // starts; a plain-http URL never needs it.
            .tls_built_in_native_certs(base.scheme() == "https")
            .default_headers(headers)
            .user_agent(config.user_agent.clone())
            .timeout(config.request_timeout)
            .connect_timeout(config.connect_timeout)
            .tcp_keepalive(Some(Duration::from_secs(60)))
            .redirect(reqwest::redirect::Policy::none());
        if config.insecure {
            builder = builder.danger_accept_invalid_certs(true);
        }
        if let Some(pem) = &config.ca_bundle_pem {
            let certs =
                reqwest::Certificate::from_pem_bundle(pem).map_err(|e| ApiError::Config {
                    message: format!("the CA bundle is not valid PEM: {e}"),
                })?;
            if certs.is_empty() {
                return Err(ApiError::Config {
                    message: "the CA bundle holds no PEM certificate (expected -----BEGIN \
                              CERTIFICATE----- blocks)"
                        .into(),
                });
            }
            for c in certs {
                builder = builder.add_root_certificate(c);
            }
        }
        let http = builder.build().map_err(|e| ApiError::Config {
            message: format!("could not set up the HTTP client: {}", error_chain(&e)),
        })?;

        // Secrets to scrub from server-provided text. Very short values are skipped: replacing
        // every "t" of a message would make it unreadable, and real tokens are long.
        let secrets: Vec<String> = std::iter::once(&config.token)
            .chain(config.headers.iter().map(|(_, v)| v))
            .filter(|s| s.expose().len() >= MIN_SCRUBBED_LEN)
            .map(|s| s.expose().to_owned())
            .collect();

        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                cancel,
                max_retries: config.max_retries,
                retry_timeout: config.retry_timeout,
                outage: Outage::default(),
                backoff: Backoff {
                    base: config.backoff_base,
                    max: config.backoff_max,
                    retry_after_max: config.retry_after_max,
                },
                secrets,
            }),
        })
    }

    /// The cancellation token this client obeys.
    pub fn cancel_token(&self) -> &CancellationToken {
        &self.inner.cancel
    }

    /// CRUD access to one collection, e.g. `"stages/authenticator/sms"`.
    pub fn endpoint(&self, collection: &'static str) -> Endpoint {
        let unique_key = if collection.trim_matches('/') == "flows/instances" {
            "slug"
        } else {
            "name"
        };
        Endpoint {
            client: self.clone(),
            collection,
            unique_key,
            composite: None,
        }
    }

    fn opts(&self, verb: Verb) -> Opts {
        Opts {
            cancellable: verb == Verb::Get,
            max_retries: self.inner.max_retries,
            wait_unreachable: true,
            run_when_cancelled: false,
        }
    }

    fn policy(&self, opts: Opts) -> Policy {
        Policy {
            backoff: self.inner.backoff,
            max_retries: opts.max_retries,
            budget: if opts.wait_unreachable {
                self.inner.retry_timeout
            } else {
                Duration::ZERO
            },
        }
    }

    /// For an [`Retry::Unhandled`] failure (zero otherwise): how long authentik has been out of
    /// reach, counting this failure, or this call has been failing so, whichever is longer.
    fn down_for(&self, retry: Retry, attempts: &mut Attempts) -> Duration {
        match retry {
            Retry::Unhandled => {
                let now = Instant::now();
                let own = attempts.unhandled_for(now);
                self.inner.outage.failed(now).max(own)
            }
            Retry::Counted => Duration::ZERO,
        }
    }

    /// Logs one wait before a retry: at INFO while authentik is out of reach (so a user sees
    /// why the apply is slow), at WARN for the other retries.
    fn log_wait(&self, verb: Verb, url: &Url, attempt: u32, wait: Wait) {
        let Wait {
            retry,
            reason,
            delay,
            down_for,
        } = wait;
        if retry == Retry::Unhandled && !self.inner.retry_timeout.is_zero() {
            tracing::info!(
                method = verb.as_str(),
                path = url.path(),
                attempt,
                reason,
                delay_ms = delay.as_millis() as u64,
                unreachable_for_s = down_for.as_secs(),
                retry_timeout_s = self.inner.retry_timeout.as_secs(),
                "authentik is not reachable (restarting?): waiting, then retrying until retry_timeout"
            );
        } else {
            tracing::warn!(
                method = verb.as_str(),
                path = url.path(),
                attempt,
                reason,
                delay_ms = delay.as_millis() as u64,
                "retrying authentik API call"
            );
        }
    }

    /// Replaces every configured secret in server-provided text by `***`.
    fn scrub(&self, text: &str) -> String {
        let mut s = text.to_owned();
        for secret in &self.inner.secrets {
            if !secret.is_empty() && s.contains(secret.as_str()) {
                s = s.replace(secret.as_str(), "***");
            }
        }
        s
    }

    /// Sleeps `delay`, or returns `Cancelled` as soon as the token fires.
    async fn sleep(&self, delay: Duration) -> Result<(), ApiError> {
        tokio::select! {
            biased;
            _ = self.inner.cancel.cancelled() => Err(ApiError::Cancelled),
            _ = tokio::time::sleep(delay) => Ok(()),
        }
    }

    /// One HTTP attempt, answer read in full.
    async fn attempt(
        &self,
        verb: Verb,
        url: &Url,
        body: Option<&[u8]>,
        cancellable: bool,
        attempt: u32,
    ) -> Result<Answer, Failure> {
        let started = Instant::now();
        let mut req = self.inner.http.request(verb.method(), url.clone());
        if let Some(b) = body {
            req = req.body(b.to_vec());
        }
        let exchange = async {
            let resp = req.send().await?;
            let status = resp.status().as_u16();
            let retry_after = resp
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(parse_retry_after);
            let location = resp
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let body = resp.bytes().await?.to_vec();
            Ok::<_, reqwest::Error>(Answer {
                status,
                body,
                retry_after,
                location,
            })
        };
        let result = if cancellable {
            tokio::select! {
                biased;
                _ = self.inner.cancel.cancelled() => {
                    tracing::debug!(
                        method = verb.as_str(),
                        path = url.path(),
                        attempt,
                        duration_ms = started.elapsed().as_millis() as u64,
                        "authentik API call cancelled"
                    );
                    return Err(Failure::Cancelled);
                }
                r = exchange => r,
            }
        } else {
            exchange.await
        };
        let duration_ms = started.elapsed().as_millis() as u64;
        match result {
            Ok(answer) => {
                if answer.status != 503 {
                    self.inner.outage.answered();
                }
                tracing::debug!(
                    method = verb.as_str(),
                    path = url.path(),
                    status = answer.status,
                    duration_ms,
                    attempt,
                    "authentik API call"
                );
                Ok(answer)
            }
            Err(e) => {
                let (kind, maybe_processed) = classify(&e);
                tracing::debug!(
                    method = verb.as_str(),
                    path = url.path(),
                    error_kind = %kind,
                    duration_ms,
                    attempt,
                    "authentik API call failed without an answer"
                );
                Err(Failure::Transport {
                    kind,
                    maybe_processed,
                    error: self.transport_error(verb, url, kind, &e),
                })
            }
        }
    }

    fn transport_error(
        &self,
        verb: Verb,
        url: &Url,
        kind: TransportKind,
        e: &reqwest::Error,
    ) -> ApiError {
        let shown = display_url(url);
        let hint = match kind {
            TransportKind::Connect => {
                "could not connect to authentik. Check that the provider url is right (scheme, \
                 host, port) and that the server is running and reachable"
            }
            TransportKind::Tls => {
                "the TLS handshake failed. Check that the url's scheme matches the server \
                 (http vs https) and that its certificate is valid for this host; for a private \
                 CA give its CA bundle, or set insecure = true to skip verification (not for \
                 production)"
            }
            TransportKind::Timeout => {
                "authentik did not answer in time. Check that the server is healthy, or raise \
                 the request timeout"
            }
            TransportKind::Dropped => {
                "the connection was closed before authentik's full answer arrived. Check the \
                 server and any proxy or load balancer in between"
            }
            TransportKind::Other => "the request failed. Check the provider url",
        };
        ApiError::Transport {
            url: shown.clone(),
            kind,
            message: format!(
                "{} {shown}: {hint} ({})",
                verb.as_str(),
                self.scrub(&error_chain(e))
            ),
        }
    }

    /// Maps a non-2xx answer to its typed error.
    fn answer_error(&self, url: &Url, a: &Answer) -> ApiError {
        let json: Option<Value> = serde_json::from_slice(&a.body).ok();
        match a.status {
            404 => ApiError::NotFound {
                url_path: url.path().to_owned(),
            },
            403 => ApiError::Forbidden {
                detail: self.detail(json.as_ref(), &a.body),
            },
            400 => {
                let mut errors = match json.as_ref() {
                    Some(v) => flatten_validation_body(v),
                    None => vec![FieldError {
                        path: Vec::new(),
                        message: format!(
                            "the server's answer was not JSON: {}",
                            self.excerpt(&a.body)
                        ),
                    }],
                };
                if errors.is_empty() {
                    errors.push(FieldError {
                        path: Vec::new(),
                        message: "no details given".into(),
                    });
                }
                for e in &mut errors {
                    e.message = self.scrub(&e.message);
                }
                ApiError::Validation { errors }
            }
            429 => ApiError::RateLimited {
                retry_after: a.retry_after,
            },
            status @ 300..=399 => ApiError::Server {
                status,
                detail: format!(
                    "the API redirected to {}; set the provider url to the final address \
                     (for example https:// instead of http://)",
                    a.location
                        .as_deref()
                        .map(|l| self.scrub(l))
                        .unwrap_or_else(|| "an unknown location".into())
                ),
            },
            status => ApiError::Server {
                status,
                detail: self.detail(json.as_ref(), &a.body),
            },
        }
    }

    fn detail(&self, json: Option<&Value>, body: &[u8]) -> String {
        match json {
            Some(Value::Object(m)) => match m.get("detail") {
                Some(Value::String(s)) => self.scrub(s),
                _ => self.scrub(&truncate(&Value::Object(m.clone()).to_string())),
            },
            Some(other) => self.scrub(&truncate(&other.to_string())),
            None => self.excerpt(body),
        }
    }

    fn excerpt(&self, body: &[u8]) -> String {
        let text = String::from_utf8_lossy(body);
        let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if collapsed.is_empty() {
            "(empty body)".into()
        } else {
            self.scrub(&truncate(&collapsed))
        }
    }

    /// Sends one logical call with retries; returns the 2xx answer.
    ///
    /// Retries connection failures, timeouts, drops, 429 and 502/503/504 with backoff: those
    /// authentik cannot have handled (no connection, 503) while it has been out of reach for
    /// less than `retry_timeout`, the others `max_retries` times. A DELETE that gets 404 after
    /// an earlier attempt may have reached the server counts as done.
    async fn send(
        &self,
        verb: Verb,
        url: &Url,
        body: Option<&[u8]>,
        opts: Opts,
    ) -> Result<Answer, ApiError> {
        let mut maybe_processed_before = false;
        let mut attempt: u32 = 0;
        let mut attempts = Attempts::default();
        let policy = self.policy(opts);
        loop {
            if self.inner.cancel.is_cancelled() && !(opts.run_when_cancelled && attempt == 0) {
                return Err(ApiError::Cancelled);
            }
            let (error, retry_after, reason, retry) = match self
                .attempt(verb, url, body, opts.cancellable, attempt)
                .await
            {
                Ok(a) if (200..300).contains(&a.status) => return Ok(a),
                Ok(a) if verb == Verb::Delete && a.status == 404 && maybe_processed_before => {
                    tracing::info!(
                        method = verb.as_str(),
                        path = url.path(),
                        attempt,
                        "404 after an interrupted DELETE attempt: the object is gone (deleted by that attempt or by someone else)"
                    );
                    return Ok(Answer {
                        status: 204,
                        body: Vec::new(),
                        retry_after: None,
                        location: None,
                    });
                }
                Ok(a) => match retryable_status(a.status) {
                    Some((reason, maybe_processed)) => {
                        maybe_processed_before |= maybe_processed;
                        let retry = status_retry(a.status);
                        (self.answer_error(url, &a), a.retry_after, reason, retry)
                    }
                    None => return Err(self.answer_error(url, &a)),
                },
                Err(Failure::Cancelled) => return Err(ApiError::Cancelled),
                Err(Failure::Transport {
                    kind,
                    maybe_processed,
                    error,
                }) => {
                    if !retryable_kind(kind) {
                        return Err(error);
                    }
                    maybe_processed_before |= maybe_processed;
                    (
                        error,
                        None,
                        kind_reason(kind),
                        kind_retry(kind, maybe_processed),
                    )
                }
            };
            let down_for = self.down_for(retry, &mut attempts);
            let Some(delay) = policy.decide(&mut attempts, retry, retry_after, down_for) else {
                return Err(error);
            };
            let wait = Wait {
                retry,
                reason,
                delay,
                down_for,
            };
            self.log_wait(verb, url, attempt, wait);
            self.sleep(delay).await?;
            attempt += 1;
        }
    }

    async fn get_json(&self, url: &Url, opts: Opts) -> Result<Value, ApiError> {
        let a = self.send(Verb::Get, url, None, opts).await?;
        parse_json(&a.body)
    }
}

/// A status worth retrying: why, and whether the server may have processed the request anyway
/// (a proxy's 502/504 can come after the backend committed).
fn retryable_status(status: u16) -> Option<(&'static str, bool)> {
    match status {
        429 => Some(("rate limited", false)),
        503 => Some(("service unavailable", false)),
        502 | 504 => Some(("bad gateway or gateway timeout", true)),
        _ => None,
    }
}

/// How a retryable status is retried: a 503 (a proxy whose upstream is down, or authentik
/// starting) was not handled; the others count against `max_retries`.
fn status_retry(status: u16) -> Retry {
    if status == 503 {
        Retry::Unhandled
    } else {
        Retry::Counted
    }
}

/// How a retryable transport failure is retried: a connection that was never made (refused,
/// DNS, connect timeout) means authentik did not see the request.
fn kind_retry(kind: TransportKind, maybe_processed: bool) -> Retry {
    if kind == TransportKind::Connect && !maybe_processed {
        Retry::Unhandled
    } else {
        Retry::Counted
    }
}

fn retryable_kind(kind: TransportKind) -> bool {
    matches!(
        kind,
        TransportKind::Connect | TransportKind::Timeout | TransportKind::Dropped
    )
}

fn kind_reason(kind: TransportKind) -> &'static str {
    match kind {
        TransportKind::Connect => "connection failed",
        TransportKind::Tls => "tls failed",
        TransportKind::Timeout => "timed out",
        TransportKind::Dropped => "connection dropped",
        TransportKind::Other => "transport error",
    }
}

/// Kind of a reqwest failure and whether the server may have processed the request.
fn classify(e: &reqwest::Error) -> (TransportKind, bool) {
    let chain = error_chain(e).to_ascii_lowercase();
    let tls = [
        "certificate",
        "tls",
        "handshake",
        "corrupt message",
        "unknownissuer",
    ]
    .iter()
    .any(|w| chain.contains(w));
    if e.is_connect() {
        if tls {
            (TransportKind::Tls, false)
        } else {
            // Refused, DNS, unreachable, or no connection within the connect timeout: the
            // request was never sent.
            (TransportKind::Connect, false)
        }
    } else if e.is_timeout() {
        (TransportKind::Timeout, true)
    } else if tls {
        (TransportKind::Tls, false)
    } else if e.is_request() || e.is_body() || e.is_decode() {
        (TransportKind::Dropped, true)
    } else {
        (TransportKind::Other, true)
    }
}

/// The error and its sources, joined with `: `, without the URL (which callers add themselves,
/// credentials stripped).
fn error_chain(e: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let top = e.to_string();
    // reqwest's Display adds " for url (...)"; drop it.
    let top = match top.find(" for url (") {
        Some(i) => top[..i].to_owned(),
        None => top,
    };
    parts.push(top);
    let mut source = e.source();
    if source.is_some() {
        // "error sending request" and the like add nothing to the causes below them.
        parts.clear();
    }
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p == &text) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

fn truncate(s: &str) -> String {
    if s.chars().count() <= MAX_EXCERPT {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(MAX_EXCERPT).collect();
        t.push('…');
        t
    }
}

fn parse_json(body: &[u8]) -> Result<Value, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::Decode {
        message: format!("the answer is not valid JSON ({e})"),
    })
}

fn into_object(v: Value, what: &str) -> Result<JsonObject, ApiError> {
    match v {
        Value::Object(m) => Ok(m),
        other => Err(ApiError::Decode {
            message: format!(
                "expected {what} to be a JSON object, got {}",
                json_type(&other)
            ),
        }),
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn into_objects(items: Vec<Value>, what: &str) -> Result<Vec<JsonObject>, ApiError> {
    items.into_iter().map(|v| into_object(v, what)).collect()
}

/// One page of a list answer.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// The objects on this page.
    pub results: Vec<JsonObject>,
    /// `pagination.count`: how many objects match the query on the server, if the answer said.
    pub count: Option<u64>,
    /// `pagination.next`: the next page's number, 0 on the last page.
    pub next: u64,
}

/// CRUD access to one authentik collection (e.g. `stages/authenticator/sms`), with raw JSON
/// objects. Every call retries per the client's policy and obeys its cancellation token.
#[derive(Clone)]
pub struct Endpoint {
    client: Client,
    collection: &'static str,
    unique_key: &'static str,
    /// A natural key of several fields (see [`Endpoint::with_natural_key`]).
    composite: Option<NaturalKey>,
}

/// Several body keys that together identify an object (a flow-stage binding's `target`, `stage`
/// and `order`), and which of them the list endpoint filters on exactly.
#[derive(Clone, Copy, Debug)]
struct NaturalKey {
    fields: &'static [&'static str],
    filters: &'static [&'static str],
}

/// The natural key of a create body, to look the object up after an interrupted create.
#[derive(Debug)]
struct KeyValue {
    /// Each key field and its value as sent (null when the body leaves it out).
    pairs: Vec<(&'static str, Value)>,
    /// The value(s) for messages.
    display: String,
}

/// JSON values equal as authentik means them: UUID strings ignore case and hyphens.
fn same_key_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => {
            let canon = |s: &str| s.trim().replace('-', "").to_ascii_lowercase();
            x == y || canon(x) == canon(y)
        }
        _ => a == b,
    }
}

/// A cursor over the pages of a list (see [`Endpoint::pages`]).
pub struct Pages {
    endpoint: Endpoint,
    query: Vec<(String, String)>,
    opts: Opts,
    /// The page to fetch next; `None` once the last one was read (or a request failed).
    page: Option<u64>,
}

impl Pages {
    /// The next page's objects; `None` after the last page. After an error the cursor ends.
    pub async fn next_page(&mut self) -> Option<Result<Vec<JsonObject>, ApiError>> {
        let page = self.page.take()?;
        let query: Vec<(&str, &str)> = self
            .query
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        match self
            .endpoint
            .fetch_page(&query, page, PAGE_SIZE, self.opts)
            .await
        {
            Ok(answer) => {
                let empty = answer.results.is_empty();
                self.page =
                    (answer.next > page && !empty && page < MAX_PAGES).then_some(answer.next);
                if empty && page > 1 {
                    return None;
                }
                Some(Ok(answer.results))
            }
            // The collection shrank between pages: what was read is the whole list.
            Err(ApiError::NotFound { .. }) if page > 1 => None,
            Err(e) => Some(Err(e)),
        }
    }
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Endpoint")
            .field("collection", &self.collection)
            .field("unique_key", &self.unique_key)
            .finish_non_exhaustive()
    }
}

impl Endpoint {
    /// Same endpoint, with another unique key for resolving interrupted creates.
    pub fn with_unique_key(mut self, key: &'static str) -> Endpoint {
        self.unique_key = key;
        self.composite = None;
        self
    }

    /// Same endpoint, for objects identified by several fields together (`fields`, body keys)
    /// rather than one name: an interrupted create is resolved by listing with the exact
    /// `filters` (those of `fields` the list endpoint filters on) and comparing every field,
    /// and a 400 saying the fields "must make a unique set" is a clash on that key.
    pub fn with_natural_key(
        mut self,
        fields: &'static [&'static str],
        filters: &'static [&'static str],
    ) -> Endpoint {
        self.composite = Some(NaturalKey { fields, filters });
        self
    }

    fn key_of(&self, body: &JsonObject) -> Option<KeyValue> {
        match self.composite {
            None => body
                .get(self.unique_key)
                .and_then(Value::as_str)
                .map(|v| KeyValue {
                    pairs: vec![(self.unique_key, Value::String(v.to_owned()))],
                    display: v.to_owned(),
                }),
            Some(k) => {
                let pairs: Vec<(&'static str, Value)> = k
                    .fields
                    .iter()
                    .map(|f| (*f, body.get(*f).cloned().unwrap_or(Value::Null)))
                    .collect();
                let display = pairs
                    .iter()
                    .map(|(f, v)| format!("{f}={v}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                Some(KeyValue { pairs, display })
            }
        }
    }

    /// The object holding the unique key (or natural key) of this create `body`, if any: the
    /// lookup an interrupted create makes, for naming what a clash is about.
    pub async fn find_existing(&self, body: &JsonObject) -> Result<Option<JsonObject>, ApiError> {
        match self.key_of(body) {
            Some(k) => self.resolve(&k).await,
            None => Ok(None),
        }
    }

    fn key_name(&self) -> String {
        match self.composite {
            None => self.unique_key.to_string(),
            Some(k) => k.fields.join(", "),
        }
    }

    fn url(&self, id: Option<&str>, action: Option<&str>) -> Url {
        endpoint_url(&self.client.inner.base, self.collection, id, action)
    }

    fn object_url(&self, id: &str) -> Result<Url, ApiError> {
        validate_id(self.collection, id)?;
        Ok(self.url(Some(id), None))
    }

    /// Every object of the collection matching `query`, following every page (`page_size=100`).
    /// `page` and `page_size` in `query` are ignored.
    pub async fn list(&self, query: &[(&str, &str)]) -> Result<Vec<JsonObject>, ApiError> {
        let opts = self.client.opts(Verb::Get);
        self.list_with(query, opts).await
    }

    async fn list_with(
        &self,
        query: &[(&str, &str)],
        opts: Opts,
    ) -> Result<Vec<JsonObject>, ApiError> {
        let mut out = Vec::new();
        let mut page: u64 = 1;
        loop {
            let answer = match self.fetch_page(query, page, PAGE_SIZE, opts).await {
                Ok(p) => p,
                // The collection shrank between pages (objects deleted meanwhile): the page
                // asked for no longer exists, and what was read is the whole list.
                Err(ApiError::NotFound { .. }) if page > 1 => return Ok(out),
                Err(e) => return Err(e),
            };
            let empty = answer.results.is_empty();
            let next = answer.next;
            out.extend(answer.results);
            if next <= page || empty || page >= MAX_PAGES {
                return Ok(out);
            }
            page = next;
        }
    }

    /// The objects of the collection matching `query`, one page (`page_size=100`) at a time:
    /// for callers that act on each page as it arrives and may stop early. `page` and
    /// `page_size` in `query` are ignored.
    pub fn pages(&self, query: &[(&str, &str)]) -> Pages {
        self.pages_with(query, self.client.opts(Verb::Get))
    }

    fn pages_with(&self, query: &[(&str, &str)], opts: Opts) -> Pages {
        Pages {
            endpoint: self.clone(),
            query: query
                .iter()
                .filter(|(k, _)| *k != "page" && *k != "page_size")
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            opts,
            page: Some(1),
        }
    }

    /// One page (numbered from 1) of the objects matching `query`, `page_size` per page (the
    /// server caps it at 100). `page` and `page_size` in `query` are ignored. A page past the
    /// end is [`ApiError::NotFound`].
    pub async fn list_page(
        &self,
        query: &[(&str, &str)],
        page: u64,
        page_size: u32,
    ) -> Result<Page, ApiError> {
        self.fetch_page(query, page, page_size, self.client.opts(Verb::Get))
            .await
    }

    async fn fetch_page(
        &self,
        query: &[(&str, &str)],
        page: u64,
        page_size: u32,
        opts: Opts,
    ) -> Result<Page, ApiError> {
        let mut url = self.url(None, None);
        {
            let mut q = url.query_pairs_mut();
            for (k, v) in query {
                if *k != "page" && *k != "page_size" {
                    q.append_pair(k, v);
                }
            }
            q.append_pair("page", &page.to_string());
            q.append_pair("page_size", &page_size.to_string());
        }
        let value = self.client.get_json(&url, opts).await?;
        let number = |p: Option<&Value>, key: &str| {
            p.and_then(|p| p.get(key))
                .and_then(Value::as_f64)
                .filter(|n| n.is_finite() && *n >= 0.0)
                .map(|n| n as u64)
        };
        match value {
            Value::Object(mut m) => {
                let pagination = m.get("pagination");
                let next = number(pagination, "next").unwrap_or(0);
                let count = number(pagination, "count");
                match m.remove("results") {
                    Some(Value::Array(items)) => Ok(Page {
                        results: into_objects(items, "a list entry")?,
                        count,
                        next,
                    }),
                    _ => Err(ApiError::Decode {
                        message: format!(
                            "the list answer of {} has no \"results\" array",
                            self.collection
                        ),
                    }),
                }
            }
            // Tolerate an unpaginated list: all of it, on one page.
            Value::Array(items) => {
                let results = into_objects(items, "a list entry")?;
                Ok(Page {
                    count: Some(results.len() as u64),
                    results,
                    next: 0,
                })
            }
            other => Err(ApiError::Decode {
                message: format!(
                    "expected a paginated list from {}, got {}",
                    self.collection,
                    json_type(&other)
                ),
            }),
        }
    }

    /// The object whose `name` is exactly `name` (`?name=<exact>`), if any.
    pub async fn find_by_name(&self, name: &str) -> Result<Option<JsonObject>, ApiError> {
        self.find_by("name", name, self.client.opts(Verb::Get))
            .await
    }

    async fn find_by(
        &self,
        key: &str,
        value: &str,
        opts: Opts,
    ) -> Result<Option<JsonObject>, ApiError> {
        let found = self.list_with(&[(key, value)], opts).await?;
        // Guard against a server that ignores the filter or matches loosely.
        Ok(found
            .into_iter()
            .find(|o| o.get(key).and_then(Value::as_str) == Some(value)))
    }

    /// Creates an object (POST) with `body` exactly as given.
    ///
    /// Never duplicates: a 429/503 or a refused connection (not processed) is retried (a 503 or
    /// a connection that could not be made within `retry_timeout`, a 429 `max_retries` times); after an
    /// ambiguous failure (dropped connection, timeout, 502/504) the object is first looked up by
    /// its unique key from `body`, else the POST is retried. A 400 on the unique key after such
    /// a failure is resolved the same way. Without the key in `body` an ambiguous failure is
    /// returned as is.
    ///
    /// An object found by that lookup is returned as [`Created::FoundByKey`]: it has the key we
    /// sent, but nothing proves that this call created it (someone else's object may have held
    /// the key all along). The caller must check it before treating it as its own.
    pub async fn create(&self, body: &JsonObject) -> Result<Created, ApiError> {
        let client = &self.client;
        let url = self.url(None, None);
        let bytes = encode_body(body)?;
        let key_value = self.key_of(body);
        let max_retries = client.inner.max_retries;
        let policy = client.policy(client.opts(Verb::Post));
        let mut attempts = Attempts::default();
        let mut ambiguous_before = false;
        // Why the first answer was lost, for the caller's diagnostics.
        let mut lost = String::new();
        let mut attempt: u32 = 0;
        loop {
            if client.inner.cancel.is_cancelled() {
                return Err(ApiError::Cancelled);
            }
            let outcome = client
                .attempt(Verb::Post, &url, Some(&bytes), false, attempt)
                .await;
            let (error, retry_after, ambiguous, retry, reason) = match outcome {
                Ok(a) if (200..300).contains(&a.status) => {
                    return into_object(parse_json(&a.body)?, "the created object")
                        .map(Created::Answered)
                }
                Ok(a) => {
                    let error = client.answer_error(&url, &a);
                    let Some((reason, ambiguous)) = retryable_status(a.status) else {
                        if ambiguous_before && self.is_unique_clash(&error) {
                            if let Some(v) = &key_value {
                                tracing::info!(
                                    method = "POST",
                                    path = url.path(),
                                    attempt,
                                    "create retry clashed on its unique key: resolving by lookup"
                                );
                                if let Ok(Some(found)) = self.resolve(v).await {
                                    return Ok(Created::found(found, &lost));
                                }
                            }
                        }
                        return Err(error);
                    };
                    (
                        error,
                        a.retry_after,
                        ambiguous,
                        status_retry(a.status),
                        reason,
                    )
                }
                Err(Failure::Cancelled) => return Err(ApiError::Cancelled),
                Err(Failure::Transport {
                    kind,
                    maybe_processed,
                    error,
                }) => {
                    if !retryable_kind(kind) {
                        return Err(error);
                    }
                    (
                        error,
                        None,
                        maybe_processed,
                        kind_retry(kind, maybe_processed),
                        kind_reason(kind),
                    )
                }
            };

            if ambiguous {
                if !ambiguous_before {
                    lost = error.to_string();
                }
                ambiguous_before = true;
                let Some(v) = &key_value else {
                    // Nothing to look the object up by: retrying could duplicate it.
                    return Err(error);
                };
                if attempts.counted() < max_retries {
                    // Give a slow server a moment to commit before looking.
                    let delay = client.inner.backoff.delay(attempts.counted(), retry_after);
                    tracing::warn!(
                        method = "POST",
                        path = url.path(),
                        attempt,
                        delay_ms = delay.as_millis() as u64,
                        "create interrupted: checking whether it went through"
                    );
                    if client.sleep(delay).await.is_err() {
                        // Cancelled: still settle the ambiguity with one last look.
                        return self.last_look(v, &lost).await;
                    }
                }
                match self.resolve(v).await {
                    Ok(Some(found)) => {
                        tracing::info!(
                            method = "POST",
                            path = url.path(),
                            attempt,
                            "interrupted create: an object with its unique key exists (not proven to be ours)"
                        );
                        return Ok(Created::found(found, &lost));
                    }
                    Ok(None) => {}
                    // Cancelled while looking: one last uncancellable look settles it.
                    Err(ApiError::Cancelled) => {
                        return self.last_look(v, &lost).await;
                    }
                    // Unknown whether it exists: say so, and do not retry.
                    Err(lookup) => {
                        return Err(ApiError::CreateUnsettled {
                            key: self.key_name(),
                            value: v.display.clone(),
                            lost,
                            lookup: lookup.to_string(),
                        })
                    }
                }
                if attempts.counted() >= max_retries {
                    return Err(error);
                }
                attempts.count();
                if client.inner.cancel.is_cancelled() {
                    return Err(ApiError::Cancelled);
                }
            } else {
                // Not processed by the server: retrying cannot duplicate it.
                let down_for = client.down_for(retry, &mut attempts);
                let Some(delay) = policy.decide(&mut attempts, retry, retry_after, down_for) else {
                    return Err(error);
                };
                let wait = Wait {
                    retry,
                    reason,
                    delay,
                    down_for,
                };
                client.log_wait(Verb::Post, &url, attempt, wait);
                client.sleep(delay).await?;
            }
            attempt += 1;
        }
    }

    /// Cancelled while an interrupted create is unsettled: one last look finds the object if the
    /// create went through; otherwise the call ends as cancelled.
    async fn last_look(&self, value: &KeyValue, lost: &str) -> Result<Created, ApiError> {
        match self.resolve(value).await {
            Ok(Some(found)) => Ok(Created::found(found, lost)),
            _ => Err(ApiError::Cancelled),
        }
    }

    /// Looks the object up by its unique key after an ambiguous create. Runs even when the cancel
    /// token has fired (one attempt then), so a cancelled create does not leave an unknown object.
    async fn resolve(&self, value: &KeyValue) -> Result<Option<JsonObject>, ApiError> {
        let opts = if self.client.inner.cancel.is_cancelled() {
            Opts {
                cancellable: false,
                max_retries: 0,
                wait_unreachable: false,
                run_when_cancelled: true,
            }
        } else {
            self.client.opts(Verb::Get)
        };
        let Some(k) = self.composite else {
            let v = value
                .pairs
                .first()
                .and_then(|(_, v)| v.as_str())
                .unwrap_or("");
            return self.find_by(self.unique_key, v, opts).await;
        };
        let query: Vec<(&str, String)> = value
            .pairs
            .iter()
            .filter(|(f, _)| k.filters.contains(f))
            .filter_map(|(f, v)| match v {
                Value::String(s) => Some((*f, s.clone())),
                Value::Number(n) => Some((*f, n.to_string())),
                Value::Bool(b) => Some((*f, b.to_string())),
                _ => None,
            })
            .collect();
        let query: Vec<(&str, &str)> = query.iter().map(|(f, v)| (*f, v.as_str())).collect();
        let found = self.list_with(&query, opts).await?;
        Ok(found.into_iter().find(|o| {
            value
                .pairs
                .iter()
                .all(|(f, v)| same_key_value(o.get(*f).unwrap_or(&Value::Null), v))
        }))
    }

    /// Whether `error` is authentik refusing a write because another object already holds this
    /// collection's unique key (`name` for stages, `slug` for flows).
    pub fn is_unique_clash(&self, error: &ApiError) -> bool {
        match error {
            ApiError::Validation { errors } if self.composite.is_some() => errors
                .iter()
                .any(|e| e.field().is_none() && e.message.contains("must make a unique set")),
            ApiError::Validation { errors } => errors.iter().any(|e| {
                let m = e.message.to_ascii_lowercase();
                e.field() == Some(self.unique_key) && (m.contains("exist") || m.contains("unique"))
            }),
            _ => false,
        }
    }

    /// The object with this id (GET).
    pub async fn retrieve(&self, id: &str) -> Result<JsonObject, ApiError> {
        let url = self.object_url(id)?;
        let v = self
            .client
            .get_json(&url, self.client.opts(Verb::Get))
            .await?;
        into_object(v, "the object")
    }

    /// Changes the keys in `body` (PATCH), sent exactly as given; returns the server's object.
    pub async fn partial_update(
        &self,
        id: &str,
        body: &JsonObject,
    ) -> Result<JsonObject, ApiError> {
        self.write(Verb::Patch, id, body).await
    }

    async fn write(&self, verb: Verb, id: &str, body: &JsonObject) -> Result<JsonObject, ApiError> {
        let url = self.object_url(id)?;
        let bytes = encode_body(body)?;
        let a = self
            .client
            .send(verb, &url, Some(&bytes), self.client.opts(verb))
            .await?;
        into_object(parse_json(&a.body)?, "the updated object")
    }

    /// Deletes the object (DELETE). `NotFound` if it does not exist — except when an earlier
    /// attempt of this same call may have deleted it, which counts as success.
    pub async fn delete(&self, id: &str) -> Result<(), ApiError> {
        let url = self.object_url(id)?;
        self.client
            .send(Verb::Delete, &url, None, self.client.opts(Verb::Delete))
            .await
            .map(|_| ())
    }
}

fn encode_body(body: &JsonObject) -> Result<Vec<u8>, ApiError> {
    serde_json::to_vec(body).map_err(|e| ApiError::Config {
        message: format!("the request body cannot be encoded as JSON: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_failures_authentik_cannot_have_handled_use_the_time_budget() {
        assert_eq!(status_retry(503), Retry::Unhandled);
        for status in [429, 502, 504] {
            assert_eq!(status_retry(status), Retry::Counted, "{status}");
        }
        assert_eq!(kind_retry(TransportKind::Connect, false), Retry::Unhandled);
        assert_eq!(kind_retry(TransportKind::Timeout, true), Retry::Counted);
        assert_eq!(kind_retry(TransportKind::Dropped, true), Retry::Counted);
        assert!(retryable_status(400).is_none());
        assert!(
            !retryable_kind(TransportKind::Tls),
            "a TLS failure is a setting"
        );
    }
}
