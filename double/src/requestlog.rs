//! The log of every API request received, served by `GET /_double/requests` so tests can assert
//! exactly which calls a client made.

use std::sync::Mutex;

use serde_json::{json, Value};

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
}

/// Append-only, thread-safe request log.
#[derive(Debug, Default)]
pub struct RequestLog {
    entries: Mutex<Vec<Entry>>,
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
                    })
                })
                .collect(),
        )
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
