//! Typed errors of the authentik API client.
//!
//! Error text never contains the API token, extra header values or request bodies: the client only
//! puts server-provided messages (with any configured secret scrubbed out) and its own words in here.

use std::fmt;
use std::time::Duration;

use serde_json::Value;

/// Everything that can go wrong talking to authentik.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// HTTP 404: the object (or the endpoint) does not exist. JSON or not.
    #[error("not found (HTTP 404): {url_path}")]
    NotFound {
        /// Path of the request URL (no host, no query).
        url_path: String,
    },
    /// HTTP 403: authentik refused the token.
    #[error(
        "access denied by authentik (HTTP 403): {detail}. The API token is missing, wrong, expired, \
         or lacks permission for this object"
    )]
    Forbidden {
        /// The server's `detail` message.
        detail: String,
    },
    /// HTTP 400: the server rejected the request body; one entry per message, with its field path.
    #[error("authentik rejected the request (HTTP 400): {}", FieldErrors(errors))]
    Validation {
        /// The flattened error messages.
        errors: Vec<FieldError>,
    },
    /// HTTP 429 and every retry was also rate-limited.
    #[error(
        "rate limited by authentik (HTTP 429), retries exhausted{}",
        RetryAfter(retry_after)
    )]
    RateLimited {
        /// The server's last `Retry-After`, if it sent one.
        retry_after: Option<Duration>,
    },
    /// Any other 4xx/5xx answer (after retries, for 502/503/504).
    #[error("authentik answered HTTP {status}: {detail}")]
    Server {
        /// HTTP status code.
        status: u16,
        /// The server's `detail` message or a short excerpt of a non-JSON body.
        detail: String,
    },
    /// No usable HTTP answer: connection refused, DNS, TLS, timeout, connection dropped.
    #[error("{message}")]
    Transport {
        /// The request URL (credentials stripped).
        url: String,
        /// What kind of transport failure it was.
        kind: TransportKind,
        /// What happened and how to fix it.
        message: String,
    },
    /// The answer was not the JSON the client needs.
    #[error("unexpected response from authentik: {message}")]
    Decode {
        /// What was wrong with it.
        message: String,
    },
    /// The cancellation token fired.
    #[error("the request was cancelled")]
    Cancelled,
    /// A create's answer was lost and looking the object up by its unique key failed too: whether
    /// authentik created it is unknown.
    #[error(
        "whether authentik created the object is unknown: the answer to the create was lost ({lost}), and looking it up by its {key} {value:?} failed too ({lookup})"
    )]
    CreateUnsettled {
        /// The unique key looked up (`name`, `slug`).
        key: String,
        /// Its value (a name, never a secret).
        value: String,
        /// Why the create's answer was lost.
        lost: String,
        /// Why the lookup failed.
        lookup: String,
    },
    /// The client configuration is unusable (bad URL, header name, CA bundle, request body shape).
    #[error("invalid authentik client configuration: {message}")]
    Config {
        /// What is wrong and how to fix it.
        message: String,
    },
}

impl ApiError {
    /// HTTP status of the answer behind this error, if there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::NotFound { .. } => Some(404),
            ApiError::Forbidden { .. } => Some(403),
            ApiError::Validation { .. } => Some(400),
            ApiError::RateLimited { .. } => Some(429),
            ApiError::Server { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// What kind of failure this is, so that a message's heading can say what happened: authentik
    /// out of reach, silent, failing, or refusing the request.
    pub fn class(&self) -> ErrorClass {
        match self {
            ApiError::Transport { kind, .. } => match kind {
                TransportKind::Connect | TransportKind::Tls => ErrorClass::Unreachable,
                TransportKind::Timeout => ErrorClass::NoAnswer,
                TransportKind::Dropped => ErrorClass::ConnectionLost,
                TransportKind::Other => ErrorClass::Other,
            },
            ApiError::NotFound { .. }
            | ApiError::Forbidden { .. }
            | ApiError::Validation { .. }
            | ApiError::RateLimited { .. } => ErrorClass::Rejected,
            ApiError::Server { status, .. } if (400..500).contains(status) => ErrorClass::Rejected,
            ApiError::Server { status, .. } if *status >= 500 => ErrorClass::ServerError,
            _ => ErrorClass::Other,
        }
    }
}

/// The class of an [`ApiError`] (see [`ApiError::class`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// No connection to authentik: refused, DNS failure, connect timeout, TLS handshake. The
    /// request was not sent.
    Unreachable,
    /// The request was sent and authentik did not answer within the request timeout.
    NoAnswer,
    /// The connection broke after the request was (possibly) sent.
    ConnectionLost,
    /// authentik (or a proxy in front of it) answered 5xx.
    ServerError,
    /// authentik answered 4xx: it refused this request.
    Rejected,
    /// Anything else: an unreadable answer, a cancelled call, a bad configuration, an
    /// unsettled create, a redirect.
    Other,
}

/// The kind of a [`ApiError::Transport`] failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportKind {
    /// Could not connect (refused, unreachable, DNS failure). The request was not sent.
    Connect,
    /// TLS handshake or certificate verification failed.
    Tls,
    /// The request or the connection attempt timed out.
    Timeout,
    /// The connection broke after the request was (possibly) sent, before a full answer arrived.
    Dropped,
    /// Anything else.
    Other,
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportKind::Connect => "connect",
            TransportKind::Tls => "tls",
            TransportKind::Timeout => "timeout",
            TransportKind::Dropped => "dropped",
            TransportKind::Other => "other",
        })
    }
}

/// One validation message from a 400 answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Where it applies: empty or `[Field("non_field_errors")]` for the object as a whole,
    /// `[Field("device_classes"), Index(0)]` for a list element.
    pub path: Vec<FieldPathStep>,
    /// The server's message.
    pub message: String,
}

impl FieldError {
    /// Whether this message is about the object as a whole rather than one field.
    pub fn is_object_level(&self) -> bool {
        match self.path.as_slice() {
            [] => true,
            [FieldPathStep::Field(f)] => f == "non_field_errors",
            _ => false,
        }
    }

    /// The top-level field this message is about, if any.
    pub fn field(&self) -> Option<&str> {
        match self.path.first() {
            Some(FieldPathStep::Field(f)) if f != "non_field_errors" => Some(f),
            _ => None,
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_object_level() {
            return f.write_str(&self.message);
        }
        for (i, step) in self.path.iter().enumerate() {
            match step {
                FieldPathStep::Field(name) if i == 0 => f.write_str(name)?,
                FieldPathStep::Field(name) => write!(f, ".{name}")?,
                FieldPathStep::Index(n) => write!(f, "[{n}]")?,
            }
        }
        write!(f, ": {}", self.message)
    }
}

/// One step of a [`FieldError`] path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldPathStep {
    /// An object key.
    Field(String),
    /// A list position.
    Index(usize),
}

struct FieldErrors<'a>(&'a [FieldError]);

impl fmt::Display for FieldErrors<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(no details given)");
        }
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

struct RetryAfter<'a>(&'a Option<Duration>);

impl fmt::Display for RetryAfter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(d) => write!(f, " (server asked to wait {} s)", d.as_secs_f64()),
            None => Ok(()),
        }
    }
}

/// Flattens a DRF 400 body into field errors, keeping nesting.
///
/// `{"name": ["x"]}` gives path `[Field("name")]`; `{"device_classes": {"0": ["x"]}}` gives
/// `[Field("device_classes"), Index(0)]`; lists of nested objects give `Index` steps by position;
/// a top-level `detail` string or a bare list of strings is object-level (empty path).
pub fn flatten_validation_body(body: &Value) -> Vec<FieldError> {
    let mut out = Vec::new();
    match body {
        Value::Object(map) => {
            for (key, value) in map {
                let mut path = Vec::new();
                if !(key == "detail" && value.is_string()) {
                    path.push(FieldPathStep::Field(key.clone()));
                }
                flatten_into(value, &mut path, &mut out);
            }
        }
        other => flatten_into(other, &mut Vec::new(), &mut out),
    }
    out
}

fn flatten_into(value: &Value, path: &mut Vec<FieldPathStep>, out: &mut Vec<FieldError>) {
    match value {
        Value::Null => {}
        Value::String(s) => out.push(FieldError {
            path: path.clone(),
            message: s.clone(),
        }),
        Value::Bool(_) | Value::Number(_) => out.push(FieldError {
            path: path.clone(),
            message: value.to_string(),
        }),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                match item {
                    // A message about the field itself.
                    Value::String(_) | Value::Bool(_) | Value::Number(_) => {
                        flatten_into(item, path, out)
                    }
                    Value::Null => {}
                    // A nested serializer's errors for list element `i`.
                    Value::Object(_) | Value::Array(_) => {
                        path.push(FieldPathStep::Index(i));
                        flatten_into(item, path, out);
                        path.pop();
                    }
                }
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                let step = match key.parse::<usize>() {
                    Ok(n) => FieldPathStep::Index(n),
                    Err(_) => FieldPathStep::Field(key.clone()),
                };
                path.push(step);
                flatten_into(item, path, out);
                path.pop();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn f(s: &str) -> FieldPathStep {
        FieldPathStep::Field(s.to_owned())
    }

    #[test]
    fn flattens_simple_field() {
        let errs = flatten_validation_body(&json!({"name": ["y"]}));
        assert_eq!(
            errs,
            vec![FieldError {
                path: vec![f("name")],
                message: "y".into()
            }]
        );
    }

    #[test]
    fn flattens_indexed_dict() {
        let errs =
            flatten_validation_body(&json!({"device_classes": {"0": ["x"], "3": ["z", "w"]}}));
        assert_eq!(errs.len(), 3);
        assert_eq!(
            errs[0].path,
            vec![f("device_classes"), FieldPathStep::Index(0)]
        );
        assert_eq!(errs[0].message, "x");
        assert_eq!(
            errs[2].path,
            vec![f("device_classes"), FieldPathStep::Index(3)]
        );
        assert_eq!(errs[0].to_string(), "device_classes[0]: x");
    }

    #[test]
    fn flattens_non_field_errors_and_detail() {
        let errs = flatten_validation_body(&json!({"non_field_errors": ["bad"]}));
        assert_eq!(errs[0].path, vec![f("non_field_errors")]);
        assert!(errs[0].is_object_level());
        assert_eq!(errs[0].field(), None);
        let errs = flatten_validation_body(&json!({"detail": "nope"}));
        assert_eq!(errs[0].path, vec![]);
        assert!(errs[0].is_object_level());
        let errs = flatten_validation_body(&json!(["a", "b"]));
        assert_eq!(errs.len(), 2);
        assert!(errs.iter().all(|e| e.path.is_empty()));
    }

    #[test]
    fn flattens_nested_lists_and_dicts() {
        let body = json!({
            "items": [{}, {"name": ["bad name"], "tags": {"1": ["bad tag"]}}],
            "deep": {"inner": {"leaf": "msg"}},
            "matrix": [["a"], ["b", "c"]],
        });
        let errs = flatten_validation_body(&body);
        let rendered: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert!(rendered.contains(&"items[1].name: bad name".to_owned()));
        assert!(rendered.contains(&"items[1].tags[1]: bad tag".to_owned()));
        assert!(rendered.contains(&"deep.inner.leaf: msg".to_owned()));
        assert!(rendered.contains(&"matrix[1]: c".to_owned()));
        assert!(rendered.contains(&"matrix[0]: a".to_owned()));
        assert_eq!(errs.len(), 6);
    }

    #[test]
    fn validation_display_lists_everything() {
        let e = ApiError::Validation {
            errors: flatten_validation_body(&json!({"name": ["taken"], "port": ["too big"]})),
        };
        let s = e.to_string();
        assert!(s.contains("name: taken"), "{s}");
        assert!(s.contains("port: too big"), "{s}");
    }

    #[test]
    fn classes_follow_the_cause() {
        let transport = |kind| ApiError::Transport {
            url: "http://x/".into(),
            kind,
            message: "m".into(),
        };
        assert_eq!(
            transport(TransportKind::Connect).class(),
            ErrorClass::Unreachable
        );
        assert_eq!(
            transport(TransportKind::Tls).class(),
            ErrorClass::Unreachable
        );
        assert_eq!(
            transport(TransportKind::Timeout).class(),
            ErrorClass::NoAnswer
        );
        assert_eq!(
            transport(TransportKind::Dropped).class(),
            ErrorClass::ConnectionLost
        );
        let server = |status| ApiError::Server {
            status,
            detail: "d".into(),
        };
        assert_eq!(server(503).class(), ErrorClass::ServerError);
        assert_eq!(server(500).class(), ErrorClass::ServerError);
        assert_eq!(server(409).class(), ErrorClass::Rejected);
        assert_eq!(server(301).class(), ErrorClass::Other);
        assert_eq!(
            ApiError::Validation { errors: vec![] }.class(),
            ErrorClass::Rejected
        );
        assert_eq!(
            ApiError::Forbidden { detail: "d".into() }.class(),
            ErrorClass::Rejected
        );
        assert_eq!(ApiError::Cancelled.class(), ErrorClass::Other);
    }

    #[test]
    fn forbidden_display_has_hint() {
        let e = ApiError::Forbidden {
            detail: "Token invalid/expired".into(),
        };
        let s = e.to_string();
        assert!(s.contains("Token invalid/expired"));
        assert!(s.contains("missing, wrong, expired"));
        assert!(s.contains("permission"));
    }
}
