//! Checks on what an apply is about to hand back to Terraform.
//!
//! Terraform requires every known planned value to come back unchanged from an apply; when it
//! does not, Terraform reports "Provider produced inconsistent result after apply" and blames the
//! provider without saying why. [`mismatches`] finds those attributes first, so the engine can
//! say what authentik holds instead and why (a change made outside Terraform meanwhile, or a
//! value the server stores differently).
//!
//! [`ownership`] is the proof asked of an object found by its name after a create whose answer
//! was lost: it is taken as ours only when it holds every value the create sent and the plan
//! expects.

use super::convert::{from_json, same};
use super::field::{Field, ResourceDef};
use crate::client::JsonObject;
use crate::protocol::{AttributePath, Diagnostic, Value};

/// One attribute whose value differs from what was planned (or sent).
#[derive(Clone, Debug, PartialEq)]
pub struct Mismatch {
    /// Terraform attribute name.
    pub attribute: String,
    /// What the plan (or the request) had, rendered; `(sensitive value)` for secrets.
    pub expected: String,
    /// What authentik holds, rendered the same way.
    pub actual: String,
}

impl Mismatch {
    /// `` `port`: configured 25, authentik has 2525 ``
    pub fn describe(&self) -> String {
        format!(
            "`{}`: configured {}, authentik has {}",
            self.attribute, self.expected, self.actual
        )
    }
}

/// One `- ` line per mismatch, for a diagnostic's detail.
pub fn bullet_list(found: &[Mismatch]) -> String {
    found
        .iter()
        .map(|m| format!("- {}", m.describe()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Renders a value for a message. Sensitive values are never shown.
pub fn render(v: &Value, sensitive: bool) -> String {
    if sensitive && !v.is_null() {
        return "(sensitive value)".into();
    }
    match v {
        Value::Null => "null".into(),
        Value::Unknown => "(known after apply)".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("{s:?}"),
        Value::List(items) | Value::Set(items) | Value::Tuple(items) => {
            let mut parts: Vec<String> = items.iter().map(|i| render(i, false)).collect();
            if matches!(v, Value::Set(_)) {
                parts.sort();
            }
            format!("[{}]", parts.join(", "))
        }
        Value::Map(m) | Value::Object(m) => {
            let parts: Vec<String> = m
                .iter()
                .map(|(k, x)| format!("{k} = {}", render(x, false)))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        Value::Dynamic(_, inner) => render(inner, false),
    }
}

fn sensitive(def: &ResourceDef, attribute: &str) -> bool {
    def.fields.iter().any(|f| {
        f.sensitive && (f.name == attribute || attribute.strip_suffix("_wo") == Some(f.name))
    })
}

/// Attributes whose known planned value differs from `new` (both whole resource objects), in
/// schema order. Unknown planned values may become anything and are not compared.
pub fn mismatches(def: &ResourceDef, planned: &Value, new: &Value) -> Vec<Mismatch> {
    let (Some(p), Some(n)) = (planned.as_object(), new.as_object()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, want) in p {
        if want.contains_unknown() {
            continue;
        }
        let got = n.get(name).unwrap_or(&Value::Null);
        if !want.semantic_eq(got) {
            let secret = sensitive(def, name);
            out.push(Mismatch {
                attribute: name.clone(),
                expected: render(want, secret),
                actual: render(got, secret),
            });
        }
    }
    out
}

/// The error for an apply whose result differs from the plan: it names every such attribute
/// (secrets without their values) and says what to do.
pub fn inconsistency_error(
    def: &ResourceDef,
    action: &str,
    name: &str,
    id: &str,
    found: &[Mismatch],
) -> Diagnostic {
    let d = Diagnostic::error(
        format!("authentik holds other values than planned for the {} {name:?}", def.title),
        format!(
            "After {action} the {} {name:?} (id {id}), authentik returned values that differ from the plan:\n{}\n\nEither the stage was changed outside Terraform after the plan was made, or authentik stores these values differently. The state now records what authentik holds; run `terraform plan` to see the difference and apply again to set the configured values.",
            def.title,
            bullet_list(found)
        ),
    );
    match found {
        [one] => d.at(AttributePath::attr(one.attribute.clone())),
        _ => d,
    }
}

/// Proof that `found` (located by its name after a create whose answer was lost) is the object
/// this create made: every value in the request body `sent` is what authentik holds (secrets
/// included where authentik returns them), and the state built from it equals the plan. Returns
/// what differs; empty means "indistinguishable from ours".
pub fn ownership(
    def: &ResourceDef,
    sent: &JsonObject,
    found: &JsonObject,
    planned: &Value,
    state_from_found: &Value,
) -> Vec<Mismatch> {
    let mut out = mismatches(def, planned, state_from_found);
    for (key, value) in sent {
        let Some(f) = def.field_by_api(key) else {
            continue;
        };
        if out.iter().any(|m| m.attribute == f.name) {
            continue;
        }
        // Not returned (a write-only secret, a field this server lacks): nothing to compare.
        let Some(held) = found.get(key) else {
            continue;
        };
        if !same_json(f, value, held) {
            out.push(Mismatch {
                attribute: f.name.to_string(),
                expected: render_json(f, value),
                actual: render_json(f, held),
            });
        }
    }
    out
}

fn same_json(f: &Field, a: &serde_json::Value, b: &serde_json::Value) -> bool {
    match (from_json(f, a), from_json(f, b)) {
        (Some(x), Some(y)) => same(f, &x, &y),
        _ => a == b,
    }
}

fn render_json(f: &Field, v: &serde_json::Value) -> String {
    match from_json(f, v) {
        Some(x) => render(&x, f.sensitive),
        None if f.sensitive => "(sensitive value)".into(),
        None => v.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::email::EMAIL;
    use serde_json::json;
    use std::collections::BTreeMap;

    fn obj(pairs: &[(&str, Value)]) -> Value {
        Value::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect::<BTreeMap<_, _>>(),
        )
    }

    fn json_obj(v: serde_json::Value) -> JsonObject {
        match v {
            serde_json::Value::Object(m) => m,
            _ => JsonObject::new(),
        }
    }

    #[test]
    fn mismatches_skip_unknowns_and_hide_secrets() {
        let s = |t: &str| Value::String(t.into());
        let planned = obj(&[
            ("id", Value::Unknown),
            ("subject", s("mine")),
            ("password", s("p1")),
            ("host", s("h")),
        ]);
        let new = obj(&[
            ("id", s("x")),
            ("subject", s("theirs")),
            ("password", s("p2")),
            ("host", s("h")),
        ]);
        let m = mismatches(&EMAIL, &planned, &new);
        assert_eq!(m.len(), 2, "{m:?}");
        assert_eq!(m[0].attribute, "password");
        assert_eq!(m[0].expected, "(sensitive value)");
        assert!(!format!("{m:?}").contains("p1") && !format!("{m:?}").contains("p2"));
        assert_eq!(
            m[1].describe(),
            "`subject`: configured \"mine\", authentik has \"theirs\""
        );
        let d = inconsistency_error(&EMAIL, "updating", "e", "x", &m);
        assert!(d.is_error());
    }

    #[test]
    fn ownership_compares_sent_secrets_the_server_returns() {
        let planned = obj(&[("name", Value::String("n".into()))]);
        let sent = json_obj(json!({"name": "n", "password": "mine", "port": 25}));
        // The server returns the password and it differs: not ours, and the value is not shown.
        let found = json_obj(json!({"pk": "x", "name": "n", "password": "other", "port": 25}));
        let m = ownership(&EMAIL, &sent, &found, &planned, &planned);
        assert_eq!(m.len(), 1, "{m:?}");
        assert_eq!(m[0].attribute, "password");
        assert!(!m[0].describe().contains("other") && !m[0].describe().contains("mine"));
        // Not returned: nothing to compare, nothing against it.
        let found = json_obj(json!({"pk": "x", "name": "n", "port": 25}));
        assert!(ownership(&EMAIL, &sent, &found, &planned, &planned).is_empty());
        // A plain field differs.
        let found = json_obj(json!({"pk": "x", "name": "n", "port": 2525}));
        let m = ownership(&EMAIL, &sent, &found, &planned, &planned);
        assert_eq!(m[0].describe(), "`port`: configured 25, authentik has 2525");
    }
}
