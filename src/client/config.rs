//! Client configuration and API URL building.

use std::time::Duration;

use url::Url;

use super::error::ApiError;
use super::secret::Secret;

/// Default timeout for one HTTP attempt (send + full answer).
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Default timeout for establishing a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default number of retries after the first attempt.
pub const DEFAULT_MAX_RETRIES: u32 = 4;
/// Default time budget for retrying requests authentik cannot have handled (refused
/// connections, DNS failures, 503): longer than an authentik restart (40-70 s).
pub const DEFAULT_RETRY_TIMEOUT: Duration = Duration::from_secs(120);
/// Default base delay of the exponential backoff.
pub const DEFAULT_BACKOFF_BASE: Duration = Duration::from_millis(200);
/// Default cap of one backoff delay.
pub const DEFAULT_BACKOFF_MAX: Duration = Duration::from_secs(5);
/// Default cap on how long a `Retry-After` answer can make the client wait.
pub const DEFAULT_RETRY_AFTER_MAX: Duration = Duration::from_secs(30);

/// How to reach and authenticate to authentik.
///
/// `Debug` is safe to log: the token and header values are [`Secret`]s.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Server root, may carry a sub-path (`https://x/sso`); `/api/v3` is appended once.
    pub url: String,
    /// API token, sent as `Authorization: Bearer <token>`.
    pub token: Secret,
    /// Skip TLS certificate verification.
    pub insecure: bool,
    /// Extra PEM CA certificates to trust (in addition to the system roots).
    pub ca_bundle_pem: Option<Vec<u8>>,
    /// Extra headers sent with every request; values are secret.
    pub headers: Vec<(String, Secret)>,
    /// Timeout of one HTTP attempt (default 30 s).
    pub request_timeout: Duration,
    /// Timeout for establishing a connection (default 10 s).
    pub connect_timeout: Duration,
    /// Retries after the first attempt (default 4, so at most 5 attempts) of a request that
    /// failed after authentik may have seen it (timeout, dropped connection, 502/504) or was
    /// rate limited (429). With a zero `retry_timeout` it also bounds the retries of requests
    /// authentik cannot have handled.
    pub max_retries: u32,
    /// How long requests that authentik cannot have handled (connection refused, DNS failure,
    /// connect timeout, 503) are retried, counted from the first such failure after authentik
    /// last answered (default 120 s, enough for a restart). Zero: `max_retries` times only.
    pub retry_timeout: Duration,
    /// `User-Agent` header value.
    pub user_agent: String,
    /// Base delay of the exponential backoff between retries (default 200 ms).
    pub backoff_base: Duration,
    /// Cap of one backoff delay (default 5 s).
    pub backoff_max: Duration,
    /// Cap on a server-requested `Retry-After` wait (default 30 s).
    pub retry_after_max: Duration,
}

impl ClientConfig {
    /// A configuration with the defaults above.
    pub fn new(url: impl Into<String>, token: impl Into<String>) -> Self {
        ClientConfig {
            url: url.into(),
            token: Secret::new(token),
            insecure: false,
            ca_bundle_pem: None,
            headers: Vec::new(),
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_retries: DEFAULT_MAX_RETRIES,
            retry_timeout: DEFAULT_RETRY_TIMEOUT,
            user_agent: format!("terraform-provider-authentik/{}", env!("CARGO_PKG_VERSION")),
            backoff_base: DEFAULT_BACKOFF_BASE,
            backoff_max: DEFAULT_BACKOFF_MAX,
            retry_after_max: DEFAULT_RETRY_AFTER_MAX,
        }
    }
}

/// Builds the API base URL (always ending in `/api/v3/`) from the configured server root.
///
/// Accepts `https://x`, `https://x/`, `https://x/sso`, `https://x/sso/api/v3`, `https://x/api/v3/`.
/// Query strings and fragments are dropped; credentials in the URL are rejected (use the token).
pub fn api_base_url(raw: &str) -> Result<Url, ApiError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(ApiError::Config {
            message: "the authentik url is empty; set it to the server root, e.g. https://authentik.example.com".into(),
        });
    }
    let mut url = Url::parse(trimmed).map_err(|e| ApiError::Config {
        message: format!(
            "the authentik url is not a valid URL ({e}); set it to the server root, e.g. https://authentik.example.com"
        ),
    })?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(ApiError::Config {
            message: format!(
                "the authentik url must start with http:// or https://, not {}://",
                url.scheme()
            ),
        });
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(ApiError::Config {
            message: "the authentik url has no host".into(),
        });
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ApiError::Config {
            message: "the authentik url must not contain credentials; authenticate with the token"
                .into(),
        });
    }
    url.set_query(None);
    url.set_fragment(None);
    let mut segments: Vec<String> = url
        .path_segments()
        .map(|s| s.filter(|p| !p.is_empty()).map(str::to_owned).collect())
        .unwrap_or_default();
    if segments.len() >= 2
        && segments[segments.len() - 2] == "api"
        && segments[segments.len() - 1] == "v3"
    {
        segments.truncate(segments.len() - 2);
    }
    // The segments come from a parsed URL, so they are already percent-encoded: join them as is.
    let mut path = String::from("/");
    for s in &segments {
        path.push_str(s);
        path.push('/');
    }
    path.push_str("api/v3/");
    url.set_path(&path);
    Ok(url)
}

/// Builds the URL of `collection` (e.g. `stages/authenticator/sms`), optionally of one object `id`
/// in it and an action below that (e.g. `used_by`), always with a trailing slash. The id is
/// percent-encoded as one path segment, so `/`, `?` and `#` in it cannot change the path (check it
/// with [`validate_id`] first).
pub fn endpoint_url(base: &Url, collection: &str, id: Option<&str>, action: Option<&str>) -> Url {
    let mut path = base.path().to_owned();
    for seg in collection.split('/').filter(|s| !s.is_empty()) {
        path.push_str(&encode_segment(seg));
        path.push('/');
    }
    if let Some(id) = id {
        path.push_str(&encode_segment(id));
        path.push('/');
    }
    if let Some(action) = action {
        path.push_str(&encode_segment(action));
        path.push('/');
    }
    let mut url = base.clone();
    url.set_path(&path);
    url
}

/// Checks that `id` can be one path segment: not empty and not `.` or `..`, which URL parsers
/// resolve as dot-segments even when percent-encoded.
pub fn validate_id(collection: &str, id: &str) -> Result<(), ApiError> {
    if id.is_empty() || id == "." || id == ".." {
        return Err(ApiError::Config {
            message: format!("{id:?} is not a valid object id for {collection}"),
        });
    }
    Ok(())
}

/// Percent-encodes one path segment: everything except RFC 3986 unreserved characters.
fn encode_segment(seg: &str) -> String {
    let mut out = String::with_capacity(seg.len());
    for b in seg.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The URL for messages: scheme, host, port and path only.
pub fn display_url(url: &Url) -> String {
    let mut u = url.clone();
    u.set_query(None);
    u.set_fragment(None);
    let _ = u.set_password(None);
    let _ = u.set_username("");
    u.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(s: &str) -> String {
        api_base_url(s)
            .map(|u| u.to_string())
            .unwrap_or_else(|e| format!("ERR {e}"))
    }

    #[test]
    fn base_url_variants() {
        assert_eq!(base("https://x"), "https://x/api/v3/");
        assert_eq!(base("https://x/"), "https://x/api/v3/");
        assert_eq!(base("https://x/sso"), "https://x/sso/api/v3/");
        assert_eq!(base("https://x/sso/"), "https://x/sso/api/v3/");
        assert_eq!(base("https://x/sso/api/v3"), "https://x/sso/api/v3/");
        assert_eq!(base("https://x/api/v3/"), "https://x/api/v3/");
        assert_eq!(base("https://x//api/v3//"), "https://x/api/v3/");
        assert_eq!(
            base("http://127.0.0.1:9000"),
            "http://127.0.0.1:9000/api/v3/"
        );
        assert_eq!(base("  https://x/a/b?q=1#f "), "https://x/a/b/api/v3/");
        assert_eq!(base("https://x/my%20sso"), "https://x/my%20sso/api/v3/");
        // only one trailing api/v3 is stripped: a sub-path that happens to be api/v3 twice keeps one
        assert_eq!(base("https://x/api/v3/api/v3"), "https://x/api/v3/api/v3/");
    }

    #[test]
    fn base_url_errors() {
        assert!(matches!(api_base_url(""), Err(ApiError::Config { .. })));
        assert!(matches!(
            api_base_url("not a url"),
            Err(ApiError::Config { .. })
        ));
        assert!(matches!(
            api_base_url("ftp://x"),
            Err(ApiError::Config { .. })
        ));
        let e = api_base_url("https://user:pw@x")
            .err()
            .map(|e| e.to_string());
        assert!(e.is_some_and(|e| !e.contains("pw")));
    }

    #[test]
    fn endpoint_urls_have_trailing_slash_and_safe_ids() {
        let b = api_base_url("https://x/sso").unwrap();
        assert_eq!(
            endpoint_url(&b, "stages/authenticator/sms", None, None).as_str(),
            "https://x/sso/api/v3/stages/authenticator/sms/"
        );
        assert_eq!(
            endpoint_url(&b, "stages/authenticator/sms", Some("abc-1"), None).as_str(),
            "https://x/sso/api/v3/stages/authenticator/sms/abc-1/"
        );
        assert_eq!(
            endpoint_url(&b, "stages/authenticator/sms", Some("abc"), Some("used_by")).as_str(),
            "https://x/sso/api/v3/stages/authenticator/sms/abc/used_by/"
        );
        assert_eq!(
            endpoint_url(&b, "flows/instances", Some("a/b?c#d e"), None).as_str(),
            "https://x/sso/api/v3/flows/instances/a%2Fb%3Fc%23d%20e/"
        );
        assert!(validate_id("flows/instances", "..").is_err());
        assert!(validate_id("flows/instances", ".").is_err());
        assert!(validate_id("flows/instances", "").is_err());
        assert!(validate_id("flows/instances", "a..b").is_ok());
        assert_eq!(
            endpoint_url(&b, "flows/instances", Some("ä"), None).as_str(),
            "https://x/sso/api/v3/flows/instances/%C3%A4/"
        );
    }

    #[test]
    fn config_debug_redacts_secrets() {
        let mut c = ClientConfig::new("https://x", "tok-SECRET-123");
        c.headers
            .push(("X-Extra".into(), Secret::new("hdr-SECRET-456")));
        let d = format!("{c:?}");
        assert!(!d.contains("tok-SECRET-123"), "{d}");
        assert!(!d.contains("hdr-SECRET-456"), "{d}");
        assert!(d.contains("X-Extra"));
        assert_eq!(c.max_retries, 4);
        assert!(
            c.retry_timeout >= Duration::from_secs(90),
            "rides out a restart"
        );
        assert_eq!(c.request_timeout, Duration::from_secs(30));
        assert_eq!(c.connect_timeout, Duration::from_secs(10));
    }
}
