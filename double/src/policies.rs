//! Expression policies (`/policies/expression/`) and policy bindings (`/policies/bindings/`),
//! as `server-behaviour-flows.md` describes them.
//!
//! A policy binding targets a flow or a flow-stage binding (by its pk or its
//! `policybindingmodel_ptr_id`; the response shows the pk) and binds exactly one of a policy,
//! a group or a user. Deleting the policy, the group or the target deletes the binding.

use std::borrow::Cow;

use serde_json::{json, Map, Value};
use uuid::Uuid;

use crate::errors::{ApiError, FieldErrors};
use crate::fields::{self, Default, Field, Kind, Mode, Target, INT32, UINT31};
use crate::ids;
use crate::listing::{self, Filter, FilterKind, ListSpec};
use crate::query::Query;
use crate::records::{self, RecordKind};
use crate::reply::Reply;
use crate::store::{Collection, Record, Store};
use crate::AppState;

// ---------------------------------------------------------------- expression policies

/// Writable fields of an expression policy.
pub const POLICY_FIELDS: &[Field] = &[
    Field::text("name").required(),
    Field::new("execution_logging", Kind::Bool).default(Default::Bool(false)),
    Field::text("expression").required(),
];

const POLICY_MODEL: &str = "ExpressionPolicy";
const POLICY_NAME_TAKEN: &str = "Policy with this name already exists.";

const POLICY_LIST: ListSpec = ListSpec {
    filters: &[
        Filter::pk("policy_uuid"),
        Filter::text("name"),
        Filter::on("execution_logging", FilterKind::Bool),
        Filter::text("expression"),
    ],
    search: &["name"],
    ordering: &["name"],
};

/// `bound_to`: policy bindings using the policy plus prompt stages validating with it.
fn bound_to(store: &Store, pk: &Uuid) -> usize {
    let id = Value::String(ids::format_uuid(pk));
    let bindings = store
        .records(Collection::PolicyBindings)
        .iter()
        .filter(|b| b.values.get("policy") == Some(&id))
        .count();
    let stages = store.stages_holding("validation_policies", pk).count();
    bindings + stages
}

/// The API representation of an expression policy.
pub fn render_policy(record: &Record, store: &Store) -> Value {
    let mut out = Map::new();
    out.insert("pk".into(), Value::from(ids::format_uuid(&record.pk)));
    out.insert("name".into(), Value::from(record.text("name")));
    out.insert(
        "execution_logging".into(),
        record
            .values
            .get("execution_logging")
            .cloned()
            .unwrap_or(Value::Bool(false)),
    );
    out.insert("component".into(), Value::from("ak-policy-expression-form"));
    out.insert("verbose_name".into(), Value::from("Expression Policy"));
    out.insert(
        "verbose_name_plural".into(),
        Value::from("Expression Policies"),
    );
    out.insert(
        "meta_model_name".into(),
        Value::from("authentik_policies_expression.expressionpolicy"),
    );
    out.insert("bound_to".into(), Value::from(bound_to(store, &record.pk)));
    out.insert("expression".into(), Value::from(record.text("expression")));
    Value::Object(out)
}

/// The first bracket an expression leaves open, with its line (1-based), or a closing bracket
/// that does not match: a stand-in for compiling the Python, enough for authentik's
/// `Expression Syntax Error` on the common mistakes.
fn syntax_error(expression: &str) -> Option<String> {
    let mut open: Vec<(char, usize)> = Vec::new();
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (line_index, line) in expression.lines().enumerate() {
        let line_no = line_index + 1;
        for c in line.chars() {
            if let Some(q) = quote {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
                continue;
            }
            match c {
                '#' => break,
                '\'' | '"' => quote = Some(c),
                '(' | '[' | '{' => open.push((c, line_no)),
                ')' | ']' | '}' => {
                    let expected = match c {
                        ')' => '(',
                        ']' => '[',
                        _ => '{',
                    };
                    match open.pop() {
                        Some((o, _)) if o == expected => {}
                        Some((o, l)) => {
                            return Some(format!(
                                "closing parenthesis '{c}' does not match opening parenthesis '{o}' on line {}",
                                l + 1
                            ))
                        }
                        None => return Some(format!("unmatched '{c}'")),
                    }
                }
                _ => {}
            }
        }
        quote = None;
    }
    // authentik wraps the expression in a function: its first line is line 2.
    open.first()
        .map(|(c, line)| format!("'{c}' was never closed|{}", line + 1))
}

fn expression_errors(values: &Map<String, Value>, name: &str, errors: &mut FieldErrors) {
    if let Some(expression) = values.get("expression").and_then(Value::as_str) {
        if let Some(message) = syntax_error(expression) {
            let (text, line) = match message.split_once('|') {
                Some((text, line)) => (text.to_string(), line.to_string()),
                None => (message, "2".to_string()),
            };
            errors.add(
                "expression",
                format!("Expression Syntax Error: {text} ({name}, line {line})"),
            );
        }
    }
}

/// Expression policies, for the shared record handlers.
pub const POLICIES: RecordKind = RecordKind {
    collection: Collection::Policies,
    model: POLICY_MODEL,
    render: |record, store, _| render_policy(record, store),
};

fn policy_name_taken(store: &Store, name: &str, except: Option<&Uuid>) -> bool {
    store
        .records(Collection::Policies)
        .iter()
        .any(|p| p.text("name") == name && Some(&p.pk) != except)
}

/// `GET /policies/expression/`
pub fn list_policies(state: &AppState, query: &Query) -> Result<Reply, ApiError> {
    POLICIES.list(state, query, &POLICY_LIST)
}

/// `POST`, `PUT`, `PATCH` of an expression policy (`id` `None` creates).
pub fn write_policy(
    state: &AppState,
    id: Option<&str>,
    body: &Value,
    mode: Mode,
) -> Result<Reply, ApiError> {
    POLICIES.write(state, id, |store, record| {
        let mut outcome = fields::validate(POLICY_FIELDS, state.config.version, body, mode, store)?;
        if let Some(name) = outcome.values.get("name").and_then(Value::as_str) {
            if policy_name_taken(store, name, id.map(|_| &record.pk)) {
                outcome.errors.add("name", POLICY_NAME_TAKEN);
            }
        }
        // The expression is compiled under the stored name (`temp-policy` on create).
        let name = if id.is_some() {
            record.text("name").to_string()
        } else {
            "temp-policy".to_string()
        };
        expression_errors(&outcome.values, &name, &mut outcome.errors);
        outcome.errors.into_result()?;
        record.values.extend(outcome.values);
        Ok(())
    })
}

// ---------------------------------------------------------------- policy bindings

/// Writable fields of a policy binding.
pub const BINDING_FIELDS: &[Field] = &[
    Field::new("policy", Kind::Ref(Target::Policy))
        .nullable()
        .default(Default::Null),
    Field::new("group", Kind::Ref(Target::Group))
        .nullable()
        .default(Default::Null),
    Field::new("user", INT32).nullable().default(Default::Null),
    Field::new("target", Kind::Ref(Target::PolicyTarget)).required(),
    Field::new("negate", Kind::Bool).default(Default::Bool(false)),
    Field::new("enabled", Kind::Bool).default(Default::Bool(true)),
    Field::new("order", INT32).required(),
    Field::new("timeout", UINT31).default(Default::Int(30)),
    Field::new("failure_result", Kind::Bool).default(Default::Bool(false)),
];

const BINDING_MODEL: &str = "PolicyBinding";
const BINDING_NOT_UNIQUE: &str = "The fields policy, target, order must make a unique set.";

/// Where a rendered binding keeps its target's `policybindingmodel_ptr_id` and its policy's
/// name (for filters and search); never shown.
const TARGET_PTR: &str = "_target_ptr";
const POLICY_NAME: &str = "_policy_name";

/// Filters on the binding's target by `policybindingmodel_ptr_id` (`?target=`, `?target_in=`).
fn target_filter_error(store: &Store, values: &[&str]) -> Option<&'static str> {
    let known = |v: &&str| {
        ids::parse_uuid(v).is_some_and(|id| {
            store.flows().any(|f| {
                f.values
                    .get("policybindingmodel_ptr_id")
                    .and_then(Value::as_str)
                    == Some(ids::format_uuid(&id).as_str())
            }) || store.bindings().iter().any(|b| b.ptr == id)
        })
    };
    if values.iter().all(known) {
        None
    } else {
        Some("Select a valid choice. That choice is not one of the available choices.")
    }
}

const BINDING_LIST: ListSpec = ListSpec {
    filters: &[
        Filter::on("policy", FilterKind::Uuid),
        Filter::on("enabled", FilterKind::Bool),
        Filter::on("order", FilterKind::Int),
        Filter::on("timeout", FilterKind::Int),
    ],
    search: &[POLICY_NAME],
    ordering: &["order", "pk"],
};

/// The group as a binding's `group_obj` shows it.
fn group_obj(store: &Store, id: &Value) -> Value {
    id.as_str()
        .and_then(ids::parse_uuid)
        .and_then(|pk| store.record(Collection::Groups, &pk))
        .map(|g| {
            json!({
                "pk": ids::format_uuid(&g.pk),
                "num_pk": g.values.get("num_pk").cloned().unwrap_or(Value::Null),
                "name": g.text("name"),
                "is_superuser": g.values.get("is_superuser").cloned().unwrap_or(Value::Bool(false)),
                "attributes": g.values.get("attributes").cloned().unwrap_or_else(|| json!({})),
            })
        })
        .unwrap_or(Value::Null)
}

/// The API representation of a policy binding.
pub fn render_binding(record: &Record, store: &Store) -> Value {
    let get = |key: &str| record.values.get(key).cloned().unwrap_or(Value::Null);
    let policy = get("policy");
    let policy_obj = policy
        .as_str()
        .and_then(ids::parse_uuid)
        .and_then(|pk| store.record(Collection::Policies, &pk))
        .map(|p| render_policy(p, store))
        .unwrap_or(Value::Null);
    let group = get("group");
    let mut out = Map::new();
    out.insert("pk".into(), Value::from(ids::format_uuid(&record.pk)));
    out.insert("policy".into(), policy);
    out.insert("group".into(), group.clone());
    out.insert("user".into(), get("user"));
    out.insert("policy_obj".into(), policy_obj);
    out.insert("group_obj".into(), group_obj(store, &group));
    out.insert("user_obj".into(), Value::Null);
    for key in [
        "target",
        "negate",
        "enabled",
        "order",
        "timeout",
        "failure_result",
    ] {
        out.insert(key.into(), get(key));
    }
    Value::Object(out)
}

/// Policy bindings, for the shared record handlers.
pub const BINDINGS: RecordKind = RecordKind {
    collection: Collection::PolicyBindings,
    model: BINDING_MODEL,
    render: |record, store, _| render_binding(record, store),
};

fn hide_internal(value: &Value) -> Cow<'_, Value> {
    let mut value = value.clone();
    if let Value::Object(map) = &mut value {
        map.remove(TARGET_PTR);
        map.remove(POLICY_NAME);
    }
    Cow::Owned(value)
}

/// `GET /policies/bindings/`
pub fn list_bindings(state: &AppState, query: &Query) -> Result<Reply, ApiError> {
    let store = state.read_store();
    // `?target=` and `?target_in=` take `policybindingmodel_ptr_id` values.
    let target = query.get_all("target");
    let target_in = query.get_all("target_in");
    let mut errors = FieldErrors::new();
    if let Some(last) = target.last() {
        if let Some(message) = target_filter_error(&store, &[last]) {
            errors.add("target", message);
        }
    }
    if !target_in.is_empty() {
        if let Some(message) = target_filter_error(&store, &target_in) {
            errors.add("target_in", message);
        }
    }
    errors.into_result()?;
    let policy_isnull = query
        .get("policy__isnull")
        .map(|v| v == "true" || v == "True" || v == "1");
    let items: Vec<Value> = store
        .records(Collection::PolicyBindings)
        .iter()
        .filter_map(|b| {
            let mut shown = render_binding(b, &store);
            let ptr = b
                .values
                .get("target")
                .and_then(Value::as_str)
                .and_then(ids::parse_uuid)
                .and_then(|t| store.policy_target_ptr(&t))
                .map(|p| ids::format_uuid(&p))
                .unwrap_or_default();
            if let Some(last) = target.last() {
                if ids::normalize(last).as_deref() != Some(ptr.as_str()) {
                    return None;
                }
            }
            if !target_in.is_empty()
                && !target_in
                    .iter()
                    .any(|t| ids::normalize(t).as_deref() == Some(ptr.as_str()))
            {
                return None;
            }
            if let Some(isnull) = policy_isnull {
                if shown["policy"].is_null() != isnull {
                    return None;
                }
            }
            shown[POLICY_NAME] = shown["policy_obj"]["name"].clone();
            shown[TARGET_PTR] = Value::from(ptr);
            Some(shown)
        })
        .collect();
    listing::respond::<Value>(items, query, &BINDING_LIST, &*store, hide_internal)
}

/// `POST`, `PUT`, `PATCH` of a policy binding (`id` `None` creates). authentik's `validate`
/// reads the request body only: a PATCH without `target` is a server error, one without its
/// subject field a 400.
pub fn write_binding(
    state: &AppState,
    id: Option<&str>,
    body: &Value,
    mode: Mode,
) -> Result<Reply, ApiError> {
    BINDINGS.write(state, id, |store, record| {
        let mut outcome =
            fields::validate(BINDING_FIELDS, state.config.version, body, mode, store)?;
        // The target is shown (and stored) as the object's own pk.
        if let Some(target) = outcome
            .values
            .get("target")
            .and_then(Value::as_str)
            .and_then(ids::parse_uuid)
            .and_then(|t| store.policy_target(&t))
        {
            outcome
                .values
                .insert("target".into(), Value::from(ids::format_uuid(&target)));
        }
        if outcome.errors.is_empty() {
            let Value::Object(map) = body else {
                return Err(ApiError::server_error_405());
            };
            if !map.contains_key("target") {
                return Err(ApiError::server_error_405());
            }
            let set = ["group", "policy", "user"]
                .iter()
                .filter(|k| map.get(**k).is_some_and(|v| !v.is_null()))
                .count();
            match set {
                0 => outcome
                    .errors
                    .add_non_field("One of 'group', 'policy', 'user' must be set."),
                1 => {}
                _ => outcome
                    .errors
                    .add_non_field("Only one of 'group', 'policy', 'user' can be set."),
            }
        }
        outcome.errors.into_result()?;
        record.values.extend(outcome.values);
        let policy = record.values.get("policy").cloned().unwrap_or(Value::Null);
        if !policy.is_null() {
            let clash = store.records(Collection::PolicyBindings).iter().any(|b| {
                b.pk != record.pk
                    && b.values.get("policy") == Some(&policy)
                    && b.values.get("target") == record.values.get("target")
                    && b.values.get("order") == record.values.get("order")
            });
            if clash {
                let mut errors = FieldErrors::new();
                errors.add_non_field(BINDING_NOT_UNIQUE);
                return Err(ApiError::validation(errors));
            }
        }
        Ok(())
    })
}

/// Python's `str()` of a policy binding: `Binding from <target> #<order> to <Kind> <name>`.
fn policy_binding_str(store: &Store, record: &Record) -> String {
    let target = record
        .values
        .get("target")
        .and_then(Value::as_str)
        .and_then(ids::parse_uuid);
    let target_str = target
        .and_then(|t| {
            store
                .flow(&t)
                .map(crate::flows::flow_str)
                .or_else(|| store.binding(&t).map(crate::bindings::binding_str))
        })
        .unwrap_or_default();
    let name_of = |collection: Collection, key: &str| {
        record
            .values
            .get(key)
            .and_then(Value::as_str)
            .and_then(ids::parse_uuid)
            .and_then(|pk| store.record(collection, &pk))
            .map(|r| r.text("name").to_string())
    };
    let suffix = if let Some(name) = name_of(Collection::Policies, "policy") {
        format!("Policy {name}")
    } else if let Some(name) = name_of(Collection::Groups, "group") {
        format!("Group {name}")
    } else {
        format!(
            "User {}",
            record.values.get("user").cloned().unwrap_or(Value::Null)
        )
    };
    let order = record.values.get("order").cloned().unwrap_or(Value::Null);
    format!("Binding from {target_str} #{order} to {suffix}")
}

/// `used_by` entries (`cascade`) of the policy bindings whose `field` holds `pk`.
fn policy_binding_entries(store: &Store, field: &str, pk: &Uuid) -> Vec<Value> {
    let id = Value::String(ids::format_uuid(pk));
    store
        .records(Collection::PolicyBindings)
        .iter()
        .filter(|b| b.values.get(field) == Some(&id))
        .map(|b| {
            json!({
                "app": "authentik_policies",
                "model_name": "policybinding",
                "pk": ids::format_uuid(&b.pk),
                "name": policy_binding_str(store, b),
                "action": "cascade",
            })
        })
        .collect()
}

/// What a flow-stage binding's `used_by` lists: the policy bindings on it.
pub fn bindings_used_by(store: &Store, binding: &Uuid) -> Vec<Value> {
    policy_binding_entries(store, "target", binding)
}

/// `GET /policies/expression/{pk}/used_by/`: its policy bindings (`cascade`) and the prompt
/// stages validating with it (`cascade_many`).
pub fn policy_used_by(state: &AppState, id: &str) -> Result<Reply, ApiError> {
    let store = state.read_store();
    let pk = POLICIES.find(&store, id)?.pk;
    let mut entries = policy_binding_entries(&store, "policy", &pk);
    entries.extend(records::stages_holding_entries(
        &store,
        "validation_policies",
        &pk,
    ));
    Ok(Reply::json(200, Value::Array(entries)))
}

/// The policies bound to an object (a flow's `policies`): policy bindings on it with a policy.
pub fn policies_of(store: &Store, target: &Uuid) -> Vec<Value> {
    let id = Value::String(ids::format_uuid(target));
    store
        .records(Collection::PolicyBindings)
        .iter()
        .filter(|b| b.values.get("target") == Some(&id))
        .filter_map(|b| b.values.get("policy").filter(|p| !p.is_null()).cloned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_unclosed_brackets_with_the_wrapped_line() {
        assert_eq!(
            syntax_error("return ("),
            Some("'(' was never closed|2".to_string())
        );
        assert_eq!(syntax_error("return True"), None);
        assert_eq!(syntax_error("x = '('\nreturn x"), None);
        assert_eq!(
            syntax_error("a = 1\nreturn [1, (2"),
            Some("'[' was never closed|3".to_string())
        );
    }
}
