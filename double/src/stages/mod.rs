//! Authenticator stages: a shared description of a stage type ([`StageKind`]) and the generic
//! handlers (list, create, retrieve, update, partial update, destroy, used_by) that every stage
//! type uses. Each type's own file only lists its fields and rules.

pub mod email;
pub mod sms;
pub mod validate;

use std::borrow::Cow;

use serde_json::{json, Map, Value};
use uuid::Uuid;

use crate::config::Config;
use crate::errors::ApiError;
use crate::fields::{self, Field, Mode};
use crate::ids;
use crate::listing::{self, Filter, ListSpec};
use crate::query::Query;
use crate::reply::Reply;
use crate::store::{Record, Stage, Store};
use crate::AppState;

/// The `name` field every stage has: required, non-blank, unique across all stage types.
pub const NAME: Field = Field::text("name").required();

/// The message for a name clash (the unique constraint is on the base `Stage` model).
pub const NAME_TAKEN: &str = "stage with this name already exists.";

/// Describes one stage type.
#[derive(Debug)]
pub struct StageKind {
    /// Path segment under `/stages/authenticator/`.
    pub path: &'static str,
    /// Django model class name (404 messages).
    pub model: &'static str,
    /// Django app label.
    pub app_label: &'static str,
    /// Lower-case model name.
    pub model_name: &'static str,
    /// Front-end component.
    pub component: &'static str,
    /// Model verbose name.
    pub verbose_name: &'static str,
    /// Model plural verbose name.
    pub verbose_name_plural: &'static str,
    /// Writable serializer fields, `name` first.
    pub fields: &'static [Field],
    /// List filters besides `name`.
    pub filters: &'static [Filter],
    /// Adds read-only fields computed from other objects.
    pub extras: fn(&Record, &Store, &mut Map<String, Value>),
}

/// Every stage type the double serves.
pub const KINDS: [&StageKind; 3] = [&sms::SMS, &email::EMAIL, &validate::VALIDATE];

/// The stage type at a path segment.
pub fn kind_by_path(path: &str) -> Option<&'static StageKind> {
    KINDS.iter().copied().find(|k| k.path == path)
}

/// No extra read-only fields.
pub fn no_extras(_record: &Record, _store: &Store, _out: &mut Map<String, Value>) {}

/// Filter on the stage pk, which every stage list has.
pub const STAGE_UUID_FILTER: Filter = Filter::pk("stage_uuid");

impl StageKind {
    /// `app_label.model_name`.
    pub fn meta_model_name(&self) -> String {
        format!("{}.{}", self.app_label, self.model_name)
    }

    /// The full representation (every field of the store's release, secrets included); the
    /// store keeps it with each stage for reads, filtering and the control endpoint.
    pub fn render(&self, record: &Record, store: &Store) -> Value {
        let mut out = Map::new();
        out.insert("pk".into(), Value::String(ids::format_uuid(&record.pk)));
        out.insert("component".into(), Value::from(self.component));
        out.insert("verbose_name".into(), Value::from(self.verbose_name));
        out.insert(
            "verbose_name_plural".into(),
            Value::from(self.verbose_name_plural),
        );
        out.insert(
            "meta_model_name".into(),
            Value::from(self.meta_model_name()),
        );
        // No flow bindings exist in the double, so no stage is in any flow.
        out.insert("flow_set".into(), json!([]));
        for field in self.fields.iter().filter(|f| f.exists_in(store.version())) {
            out.insert(
                field.name.into(),
                fields::stored_or_default(field, &record.values),
            );
        }
        (self.extras)(record, store, &mut out);
        Value::Object(out)
    }

    /// What the API shows: secrets dropped with `--secrets-write-only`, set-like lists shuffled
    /// with `--shuffle`.
    pub fn present<'v>(&self, value: &'v Value, config: &Config) -> Cow<'v, Value> {
        let hides = config.secrets_write_only && self.fields.iter().any(|f| f.secret);
        let shuffles = config.shuffle && self.fields.iter().any(|f| f.unordered);
        if !hides && !shuffles {
            return Cow::Borrowed(value);
        }
        let mut value = value.clone();
        if let Value::Object(map) = &mut value {
            for field in self.fields {
                if field.secret && config.secrets_write_only {
                    map.remove(field.name);
                }
                if field.unordered && config.shuffle {
                    if let Some(Value::Array(items)) = map.get_mut(field.name) {
                        fastrand::shuffle(items);
                    }
                }
            }
        }
        Cow::Owned(value)
    }

    fn list_spec(&'static self) -> ListSpec {
        ListSpec {
            filters: self.filters,
            search: &["name"],
            ordering: &["name"],
        }
    }
}

fn find<'s>(store: &'s Store, kind: &StageKind, id: &str) -> Result<&'s Stage, ApiError> {
    let pk = ids::parse_uuid(id).ok_or_else(ApiError::not_found_plain)?;
    store
        .stage(&pk)
        .filter(|s| std::ptr::eq(s.kind, kind))
        .ok_or_else(|| ApiError::not_found(kind.model))
}

/// `GET .../{type}/`
pub fn list(state: &AppState, kind: &'static StageKind, query: &Query) -> Result<Reply, ApiError> {
    let store = state.read_store();
    let items: Vec<&Value> = store
        .stages()
        .filter(|s| std::ptr::eq(s.kind, kind))
        .map(|s| &s.shown)
        .collect();
    listing::respond(items, query, &kind.list_spec(), &*store, |v| {
        kind.present(v, &state.config)
    })
}

/// `POST .../{type}/`
pub fn create(state: &AppState, kind: &'static StageKind, body: &Value) -> Result<Reply, ApiError> {
    let mut store = state.write_store();
    let mut outcome = fields::validate(
        kind.fields,
        state.config.version,
        body,
        Mode::Create,
        &*store,
    )?;
    if let Some(name) = outcome.values.get("name").and_then(Value::as_str) {
        if store.stage_name_taken(name, None) {
            outcome.errors.add("name", NAME_TAKEN);
        }
    }
    outcome.errors.into_result()?;
    let record = Record {
        pk: Uuid::new_v4(),
        values: outcome.values,
    };
    let shown = store.put_stage(kind, record);
    Ok(Reply::json(
        201,
        kind.present(shown, &state.config).into_owned(),
    ))
}

/// `GET .../{type}/{uuid}/`
pub fn retrieve(state: &AppState, kind: &'static StageKind, id: &str) -> Result<Reply, ApiError> {
    let store = state.read_store();
    let stage = find(&store, kind, id)?;
    Ok(Reply::json(
        200,
        kind.present(&stage.shown, &state.config).into_owned(),
    ))
}

/// `PUT` (mode [`Mode::Replace`]) or `PATCH` ([`Mode::Partial`]) `.../{type}/{uuid}/`
pub fn update(
    state: &AppState,
    kind: &'static StageKind,
    id: &str,
    body: &Value,
    mode: Mode,
) -> Result<Reply, ApiError> {
    let mut store = state.write_store();
    let mut record = find(&store, kind, id)?.record.clone();
    let mut outcome = fields::validate(kind.fields, state.config.version, body, mode, &*store)?;
    if let Some(name) = outcome.values.get("name").and_then(Value::as_str) {
        if store.stage_name_taken(name, Some(&record.pk)) {
            outcome.errors.add("name", NAME_TAKEN);
        }
    }
    outcome.errors.into_result()?;
    // Only the keys received are written, for PUT as for PATCH.
    record.values.extend(outcome.values);
    let shown = store.put_stage(kind, record);
    Ok(Reply::json(
        200,
        kind.present(shown, &state.config).into_owned(),
    ))
}

/// `DELETE .../{type}/{uuid}/`: also removes the stage from every Validate stage's
/// `configuration_stages`.
pub fn destroy(state: &AppState, kind: &'static StageKind, id: &str) -> Result<Reply, ApiError> {
    let mut store = state.write_store();
    let pk = find(&store, kind, id)?.record.pk;
    store.delete_stage(&pk);
    Ok(Reply::no_content())
}

/// `GET .../{type}/{uuid}/used_by/`: the objects that reference this stage.
pub fn used_by(state: &AppState, kind: &'static StageKind, id: &str) -> Result<Reply, ApiError> {
    let store = state.read_store();
    let pk = ids::format_uuid(&find(&store, kind, id)?.record.pk);
    let mut users: Vec<Value> = store
        .stages()
        .filter(|s| {
            s.kind.fields.iter().any(|f| {
                matches!(f.kind, fields::Kind::RefSet(fields::Target::Stage))
                    && s.record
                        .values
                        .get(f.name)
                        .and_then(Value::as_array)
                        .is_some_and(|m| m.contains(&Value::from(pk.as_str())))
            })
        })
        .map(|s| {
            json!({
                "app": s.kind.app_label,
                "model_name": s.kind.model_name,
                "pk": ids::format_uuid(&s.record.pk),
                "name": s.record.text("name"),
                "action": "cascade_many",
            })
        })
        .collect();
    users.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    Ok(Reply::json(200, Value::Array(users)))
}

/// Every stage of every type, full representation plus `"type"`, ordered by name (for the
/// `/_double/stages` control endpoint).
pub fn all(state: &AppState) -> Value {
    let store = state.read_store();
    let mut items: Vec<Value> = store
        .stages()
        .map(|s| {
            let mut shown = s.shown.clone();
            if let Value::Object(map) = &mut shown {
                map.insert("type".into(), Value::from(s.kind.path));
            }
            shown
        })
        .collect();
    items.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    Value::Array(items)
}
