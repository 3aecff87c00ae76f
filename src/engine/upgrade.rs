//! UpgradeResourceState: stored state (ours, or the official provider's after
//! `terraform state replace-provider`) brought to the current schema. Unknown attributes are
//! dropped, missing ones become null; the refresh that follows fills them from the server.

use super::convert::from_json;
use super::field::{wo_name, wo_version_name, Kind, ResourceDef};
use crate::protocol::{Diagnostic, Value};
use std::collections::BTreeMap;

/// Upgrade raw JSON state.
pub fn upgrade(def: &ResourceDef, raw_json: Option<&[u8]>) -> (Value, Vec<Diagnostic>) {
    let Some(raw) = raw_json else {
        return (
            Value::Null,
            vec![Diagnostic::error(
                "Unsupported state format",
                "This state was written in Terraform's pre-0.12 flat format, which this provider cannot read. Remove the resource from state and import it.",
            )],
        );
    };
    let obj = match serde_json::from_slice::<serde_json::Value>(raw) {
        Ok(serde_json::Value::Object(o)) => o,
        _ => {
            return (
                Value::Null,
                vec![Diagnostic::error(
                    "Unreadable state",
                    format!("The stored state of this {} is not a JSON object; remove it from state and import it again.", def.title),
                )],
            )
        }
    };
    let mut out = BTreeMap::new();
    let id = obj
        .get("id")
        .and_then(|v| v.as_str())
        .map(|s| Value::String(s.to_string()))
        .unwrap_or(Value::Null);
    out.insert("id".to_string(), id);
    for f in def.fields {
        let v = obj
            .get(f.name)
            .and_then(|j| from_json(f, j))
            .unwrap_or(Value::Null);
        // A list in the official provider's state is a set here.
        let v = match (f.kind, v) {
            (Kind::StringSet, Value::List(items)) => Value::Set(items),
            (Kind::StringList, Value::Set(items)) => Value::List(items),
            (_, v) => v,
        };
        out.insert(f.name.to_string(), v);
        if f.write_only_twin {
            out.insert(wo_name(f), Value::Null);
            let version = obj
                .get(&wo_version_name(f))
                .and_then(|j| j.as_number())
                .and_then(|n| crate::protocol::Number::parse(&n.to_string()))
                .map(Value::Number)
                .unwrap_or(Value::Null);
            out.insert(wo_version_name(f), version);
        }
    }
    (Value::Object(out), Vec::new())
}
