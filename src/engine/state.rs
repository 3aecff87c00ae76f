//! State from an API object: what the server says, keeping our own spelling where it means the
//! same (UUID case, set order) so that nothing diffs for nothing.

use super::convert::{from_json, same};
use super::field::{wo_name, wo_version_name, Mode, ResourceDef};
use super::private::Private;
use crate::client::JsonObject;
use crate::protocol::{AttributePath, Diagnostic, Value};
use std::collections::BTreeMap;

/// Build state from an API object. `base` is what we had (planned values after an apply, the
/// current state on refresh); `config` is non-null only after an apply.
pub fn state_from_api(
    def: &ResourceDef,
    obj: &JsonObject,
    base: &Value,
    config: &Value,
    private: &Private,
    diags: &mut Vec<Diagnostic>,
) -> Value {
    let mut out = BTreeMap::new();
    let id = obj
        .get(def.id_key)
        .and_then(|v| v.as_str())
        .map(|s| Value::String(s.to_string()))
        .unwrap_or_else(|| base.get("id").clone());
    let id = if same_uuid(base.get("id"), &id) {
        base.get("id").clone()
    } else {
        id
    };
    out.insert("id".to_string(), id);
    for f in def.fields {
        let had = base.get(f.name);
        let value = if f.mode == Mode::ReadOnly {
            match obj.get(f.api).and_then(|j| from_json(f, j)) {
                Some(v) if !had.is_unknown() && same(f, had, &v) => had.clone(),
                Some(v) => v,
                None => known_or_null(had),
            }
        } else if f.write_only_twin && private.is_write_only(f.name) {
            Value::Null
        } else {
            match obj.get(f.api).map(|j| from_json(f, j)) {
                Some(Some(v)) if !had.is_unknown() && same(f, had, &v) => had.clone(),
                Some(Some(v)) => v,
                // A value we cannot read (a newer server's shape): keep what we had.
                Some(None) => known_or_null(had),
                None => match f.mode {
                    // Not returned: a newer server hides secrets, an older one lacks new fields.
                    _ if f.sensitive => known_or_null(had),
                    Mode::Versioned(_) => {
                        if !config.get(f.name).is_null() {
                            diags.push(
                                Diagnostic::error(
                                    format!("`{}` needs a newer authentik", f.name),
                                    format!(
                                        "authentik ignored `{}`: this server does not have it (it came with authentik 2026.5). Remove it from the configuration or upgrade authentik.",
                                        f.name
                                    ),
                                )
                                .at(AttributePath::attr(f.name)),
                            );
                            had.clone()
                        } else {
                            Value::Null
                        }
                    }
                    _ => known_or_null(had),
                },
            }
        };
        out.insert(f.name.to_string(), value);
        if f.write_only_twin {
            out.insert(wo_name(f), Value::Null);
            out.insert(
                wo_version_name(f),
                known_or_null(base.get(&wo_version_name(f))),
            );
        }
    }
    Value::Object(out)
}

fn known_or_null(v: &Value) -> Value {
    if v.is_unknown() {
        Value::Null
    } else {
        v.clone()
    }
}

fn same_uuid(a: &Value, b: &Value) -> bool {
    match (a.as_str(), b.as_str()) {
        (Some(x), Some(y)) => super::checks::normalize_uuid(x)
            .is_some_and(|nx| super::checks::normalize_uuid(y).as_deref() == Some(nx.as_str())),
        _ => false,
    }
}
