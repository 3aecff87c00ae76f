//! Provider-private data stored beside a resource's state: which secrets are managed through
//! their write-only twin (so refresh must not copy them into state).

use serde::{Deserialize, Serialize};

/// Private data of one resource instance.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Private {
    /// Secrets (by attribute name) whose value comes from `<name>_wo`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub write_only: Vec<String>,
}

impl Private {
    /// Decode; anything unreadable counts as empty.
    pub fn decode(bytes: &[u8]) -> Private {
        if bytes.is_empty() {
            return Private::default();
        }
        serde_json::from_slice(bytes).unwrap_or_default()
    }
    /// Encode; empty data is stored as nothing.
    pub fn encode(&self) -> Vec<u8> {
        if self.write_only.is_empty() {
            return Vec::new();
        }
        serde_json::to_vec(self).unwrap_or_default()
    }
    /// True when `name` is managed write-only.
    pub fn is_write_only(&self, name: &str) -> bool {
        self.write_only.iter().any(|n| n == name)
    }
}
