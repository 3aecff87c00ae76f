//! The log of every API request received, served by `GET /_double/requests` so tests can assert
//! exactly which calls a client made, and summed up by `GET /_double/counts`.

use std::collections::BTreeMap;
use std::sync::Mutex;

use serde_json::{json, Map, Value};

/// One logged request.
#[derive(Debug, Clone)]
pub struct Entry {
    /// HTTP method.
    pub method: String,
    /// Path with query string.
    pub path: String,
    /// The JSON body, or `null` (no body, or not JSON).
    pub body: Value,
    /// Status sent, or `None` when the connection was dropped.
    pub status: Option<u16>,
    /// Status the request would have had, for a request dropped after it was applied.
    pub applied_status: Option<u16>,
    /// The injected fault, if any.
    pub fault: Option<&'static str>,
    /// What the request was: `list`, `retrieve`, `create`, `update`, `delete`, `used_by` or
    /// `other` (no such route or method).
    pub kind: &'static str,
    /// The collection under `/api/v3/` it addressed (e.g. `stages/authenticator/email`), if any.
    pub collection: Option<String>,
    /// Milliseconds since the double started, when the request was read off the wire.
    pub received_ms: f64,
    /// When a worker took it up (`None` if it never got one: a drop or an injected 503/429).
    pub started_ms: Option<f64>,
    /// When its answer was ready (or the connection dropped).
    pub finished_ms: f64,
}

/// Append-only, thread-safe request log.
#[derive(Debug, Default)]
pub struct RequestLog {
    entries: Mutex<Vec<Entry>>,
}

/// Rounds a timestamp to microseconds for the JSON log.
fn ms(value: f64) -> Value {
    json!((value * 1000.0).round() / 1000.0)
}

impl RequestLog {
    /// Appends an entry.
    pub fn record(&self, entry: Entry) {
        self.lock().push(entry);
    }

    /// Every entry so far, as JSON.
    pub fn to_json(&self) -> Value {
        Value::Array(
            self.lock()
                .iter()
                .map(|e| {
                    json!({
                        "method": e.method,
                        "path": e.path,
                        "body": e.body,
                        "status": e.status,
                        "applied_status": e.applied_status,
                        "fault": e.fault,
                        "kind": e.kind,
                        "collection": e.collection,
                        "received_ms": ms(e.received_ms),
                        "started_ms": e.started_ms.map(ms),
                        "finished_ms": ms(e.finished_ms),
                    })
                })
                .collect(),
        )
    }

    /// How many requests of each kind were served, overall and per collection:
    /// `{"total": n, "by_kind": {"list": n, ...}, "by_method": {"GET": n, ...},
    /// "by_collection": {"stages/authenticator/email": {"list": n, ...}, ...}}`.
    pub fn counts(&self) -> Value {
        let entries = self.lock();
        let mut by_kind: BTreeMap<&str, u64> = BTreeMap::new();
        let mut by_method: BTreeMap<&str, u64> = BTreeMap::new();
        let mut by_collection: BTreeMap<&str, BTreeMap<&str, u64>> = BTreeMap::new();
        for e in entries.iter() {
            *by_kind.entry(e.kind).or_default() += 1;
            *by_method.entry(e.method.as_str()).or_default() += 1;
            if let Some(c) = &e.collection {
                *by_collection
                    .entry(c.as_str())
                    .or_default()
                    .entry(e.kind)
                    .or_default() += 1;
            }
        }
        let to_map = |m: &BTreeMap<&str, u64>| -> Value {
            Value::Object(
                m.iter()
                    .map(|(k, v)| (k.to_string(), json!(v)))
                    .collect::<Map<_, _>>(),
            )
        };
        json!({
            "total": entries.len(),
            "by_kind": to_map(&by_kind),
            "by_method": to_map(&by_method),
            "by_collection": Value::Object(
                by_collection
                    .iter()
                    .map(|(c, m)| (c.to_string(), to_map(m)))
                    .collect::<Map<_, _>>()
            ),
        })
    }

    /// Forgets every entry.
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Entry>> {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(method: &str, kind: &'static str, collection: Option<&str>) -> Entry {
        Entry {
            method: method.into(),
            path: "/api/v3/x/".into(),
            body: Value::Null,
            status: Some(200),
            applied_status: None,
            fault: None,
            kind,
            collection: collection.map(str::to_string),
            received_ms: 1.0,
            started_ms: Some(1.5),
            finished_ms: 2.25,
        }
    }

    #[test]
    fn counts_by_kind_method_and_collection() {
        let log = RequestLog::default();
        let email = Some("stages/authenticator/email");
        log.record(entry("GET", "list", email));
        log.record(entry("GET", "list", email));
        log.record(entry("GET", "retrieve", email));
        log.record(entry("POST", "create", Some("flows/instances")));
        log.record(entry("GET", "other", None));
        assert_eq!(
            log.counts(),
            json!({
                "total": 5,
                "by_kind": {"list": 2, "retrieve": 1, "create": 1, "other": 1},
                "by_method": {"GET": 4, "POST": 1},
                "by_collection": {
                    "stages/authenticator/email": {"list": 2, "retrieve": 1},
                    "flows/instances": {"create": 1},
                },
            })
        );
        let listed = log.to_json();
        assert_eq!(listed[0]["started_ms"], json!(1.5));
        assert_eq!(listed[0]["finished_ms"], json!(2.25));
        log.clear();
        assert_eq!(log.counts()["total"], 0);
    }
}
