//! Conversions between Terraform values and API JSON, field by field.

use super::checks::normalize_uuid;
use super::field::{Dflt, Field, Kind};
use crate::protocol::{Number, Type, Value};
use serde_json::Value as Json;

/// The Terraform type of a field.
pub fn tf_type(kind: Kind) -> Type {
    match kind {
        Kind::String => Type::String,
        Kind::Bool => Type::Bool,
        Kind::Int | Kind::Float => Type::Number,
        Kind::StringSet => Type::set(Type::String),
        Kind::StringList => Type::list(Type::String),
    }
}

/// A field's default as a Terraform value of the field's type.
pub fn default_value(field: &Field, d: Dflt) -> Value {
    match d {
        Dflt::Str(s) => Value::String(s.to_string()),
        Dflt::Bool(b) => Value::Bool(b),
        Dflt::Int(i) => Value::Number(Number::Int(i)),
        Dflt::Strs(v) => {
            let items = v.iter().map(|s| Value::String(s.to_string())).collect();
            if field.kind == Kind::StringList {
                Value::List(items)
            } else {
                Value::Set(items)
            }
        }
    }
}

/// A known Terraform value as API JSON. `None` when the value cannot be sent (unknown, or a
/// number the API cannot hold).
pub fn to_json(field: &Field, v: &Value) -> Option<Json> {
    Some(match v {
        Value::Null => Json::Null,
        Value::String(s) => Json::String(s.clone()),
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(n) => match (field.kind, n) {
            (_, Number::Int(i)) => Json::from(*i),
            (Kind::Float, n) => serde_json::Number::from_f64(n.as_f64()).map(Json::Number)?,
            _ => return None,
        },
        Value::Set(items) | Value::List(items) => Json::Array(
            items
                .iter()
                .map(|i| to_json(field, i))
                .collect::<Option<Vec<_>>>()?,
        ),
        _ => return None,
    })
}

/// API JSON as a Terraform value of the field's type. Values of an unexpected shape (a newer
/// server, say) never fail: they become null, and the caller keeps what it had.
pub fn from_json(field: &Field, j: &Json) -> Option<Value> {
    Some(match (field.kind, j) {
        (_, Json::Null) => Value::Null,
        (Kind::String, Json::String(s)) => Value::String(s.clone()),
        (Kind::String, Json::Number(n)) => Value::String(n.to_string()),
        (Kind::Bool, Json::Bool(b)) => Value::Bool(*b),
        (Kind::Int | Kind::Float, Json::Number(n)) => Value::Number(json_number(n)?),
        (Kind::StringSet, Json::Array(items)) => {
            let mut out: Vec<Value> = Vec::with_capacity(items.len());
            for i in items {
                let s = match i {
                    Json::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let v = Value::String(s);
                if !out.contains(&v) {
                    out.push(v);
                }
            }
            Value::Set(out)
        }
        (Kind::StringList, Json::Array(items)) => Value::List(
            items
                .iter()
                .map(|i| match i {
                    Json::String(s) => Value::String(s.clone()),
                    other => Value::String(other.to_string()),
                })
                .collect(),
        ),
        _ => return None,
    })
}

fn json_number(n: &serde_json::Number) -> Option<Number> {
    if let Some(i) = n.as_i64() {
        return Some(Number::Int(i));
    }
    Number::parse(&n.to_string())
}

/// A string as the server stores it: surrounding whitespace trimmed (Django REST framework's
/// `CharField` does that), UUIDs lower-case and hyphenated.
pub fn stored_form(field: &Field, s: &str) -> String {
    let t = s.trim();
    if field.uuid_semantics {
        if let Some(u) = normalize_uuid(t) {
            return u;
        }
    }
    t.to_string()
}

/// Equality as the server means it: strings as stored (trimmed; UUIDs ignore case and
/// hyphens), sets ignore order, lists do not.
pub fn same(field: &Field, a: &Value, b: &Value) -> bool {
    if !matches!(field.kind, Kind::String) && !field.kind.is_collection() {
        return a.semantic_eq(b);
    }
    let elem = |i: &Value| match i {
        Value::String(s) => Value::String(stored_form(field, s)),
        other => other.clone(),
    };
    let norm = |v: &Value| -> Value {
        match v {
            Value::String(s) => Value::String(stored_form(field, s)),
            Value::Set(items) => Value::Set(items.iter().map(elem).collect()),
            Value::List(items) => Value::List(items.iter().map(elem).collect()),
            other => other.clone(),
        }
    };
    norm(a).semantic_eq(&norm(b))
}
