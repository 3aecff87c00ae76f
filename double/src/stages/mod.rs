//! Stages: a shared description of a stage type ([`StageKind`]) and the generic handlers (list,
//! create, retrieve, update, partial update, destroy, used_by) that every authenticator stage
//! type uses under `/stages/authenticator/<type>/`; [`all`] serves `/stages/all/`. Each type's
//! own file only lists its fields and rules; [`other`] holds the non-authenticator types that
//! exist only as authentik's built-in stages.

pub mod all;
pub mod duo;
pub mod email;
pub mod gdtc;
pub mod other;
pub mod sms;
pub mod static_tokens;
pub mod totp;
pub mod validate;
pub mod webauthn;

use std::borrow::Cow;

use serde_json::{json, Map, Value};
use uuid::Uuid;

use crate::config::{ApiVersion, Config};
use crate::device_types;
use crate::errors::ApiError;
use crate::fields::{self, Default, Field, Kind, Mode, Target};
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

/// `configure_flow` (TOTP, Static, WebAuthn, Duo, GDTC, SMS, Email): a flow pk, nullable,
/// nulled when the flow is deleted.
pub const CONFIGURE_FLOW: Field = Field::new("configure_flow", Kind::Ref(Target::Flow)).nullable();

/// `friendly_name`: blank allowed, `null` rejected.
pub const FRIENDLY_NAME: Field = Field::blank_text("friendly_name").default(Default::Str(""));

/// The fields every stage representation starts with, the only ones `/stages/all/` shows.
pub const BASE_FIELDS: [&str; 7] = [
    "pk",
    "name",
    "component",
    "verbose_name",
    "verbose_name_plural",
    "meta_model_name",
    "flow_set",
];

/// The message when an enterprise object is written without a licence.
pub const ENTERPRISE_REQUIRED: &str = "Enterprise is required to create/update this object.";

/// How a stage type checks that its name is free.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameRule {
    /// Unique across every stage type: `stage with this name already exists.`
    AllStages,
    /// Prompt stages: unique among their own type (`This field must be unique.`); a name taken
    /// by another type passes validation and fails in the database (a 405 with an empty body).
    OwnTypeThenServerError,
}

/// Cross-field checks of a request body, run once every field is valid (authentik's
/// serializer `validate`): non-field messages, or an answer of its own (a server error).
pub type BodyRules = fn(&Map<String, Value>, Mode) -> Result<Vec<String>, ApiError>;

/// No cross-field checks.
pub fn no_rules(_body: &Map<String, Value>, _mode: Mode) -> Result<Vec<String>, ApiError> {
    Ok(Vec::new())
}

/// Describes one stage type.
#[derive(Debug)]
pub struct StageKind {
    /// Path segment under `/stages/authenticator/` for authenticator types; for the others
    /// the type label (`/_double/stages`, the built-in table).
    pub path: &'static str,
    /// Non-authenticator types: the path under `/stages/` (`deny`, `prompt/stages`); `""` for
    /// authenticator types.
    pub route: &'static str,
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
    /// List filters (2026.2).
    pub filters: &'static [Filter],
    /// List filters on 2026.5, when they differ from [`StageKind::filters`].
    pub filters_2026_5: Option<&'static [Filter]>,
    /// Adds read-only fields computed from other objects.
    pub extras: fn(&Record, &Store, &mut Map<String, Value>),
    /// Read-only extras that come back in no defined order (`--shuffle` shuffles them).
    pub unordered_extras: &'static [&'static str],
    /// Create and update need a valid enterprise licence (`--enterprise`).
    pub enterprise: bool,
    /// Cross-field checks of the request body.
    pub body_rules: BodyRules,
    /// How the name's uniqueness is checked.
    pub name_rule: NameRule,
}

/// Defaults for the parts of a [`StageKind`] most types leave alone (struct update syntax).
pub const PLAIN: StageKind = StageKind {
    path: "",
    route: "",
    model: "Stage",
    app_label: "authentik_flows",
    model_name: "stage",
    component: "",
    verbose_name: "",
    verbose_name_plural: "",
    fields: &[NAME],
    filters: &[],
    filters_2026_5: None,
    extras: no_extras,
    unordered_extras: &[],
    enterprise: false,
    body_rules: no_rules,
    name_rule: NameRule::AllStages,
};

/// Every stage type served under `/stages/authenticator/<path>/`.
pub const KINDS: [&StageKind; 8] = [
    &sms::SMS,
    &email::EMAIL,
    &validate::VALIDATE,
    &totp::TOTP,
    &static_tokens::STATIC,
    &webauthn::WEBAUTHN,
    &duo::DUO,
    &gdtc::GDTC,
];

/// The authenticator stage type at a path segment.
pub fn kind_by_path(path: &str) -> Option<&'static StageKind> {
    KINDS.iter().copied().find(|k| k.path == path)
}

/// Any stage type (authenticator or not) by its type label, as `/_double/stages` shows it.
pub fn kind_by_type(label: &str) -> Option<&'static StageKind> {
    KINDS
        .iter()
        .chain(other::KINDS.iter())
        .copied()
        .find(|k| k.path == label)
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
        out.insert("flow_set".into(), Value::Array(flow_set(record, store)));
        for field in self.fields.iter().filter(|f| f.exists_in(store.version())) {
            out.insert(
                field.name.into(),
                fields::stored_or_default(field, &record.values),
            );
        }
        (self.extras)(record, store, &mut out);
        Value::Object(out)
    }

    /// The base fields of a full representation (what `/stages/all/` shows).
    pub fn base(&self, shown: &Value) -> Value {
        let mut out = Map::new();
        for key in BASE_FIELDS {
            out.insert(key.into(), shown[key].clone());
        }
        Value::Object(out)
    }

    /// What the API shows: write-only fields always dropped, secrets dropped with
    /// `--secrets-write-only`, set-like lists shuffled with `--shuffle`.
    pub fn present<'v>(&self, value: &'v Value, config: &Config) -> Cow<'v, Value> {
        let hides = self
            .fields
            .iter()
            .any(|f| f.write_only || (config.secrets_write_only && f.secret));
        let shuffles = config.shuffle
            && (self.fields.iter().any(|f| f.unordered) || !self.unordered_extras.is_empty());
        if !hides && !shuffles {
            return Cow::Borrowed(value);
        }
        let mut value = value.clone();
        if let Value::Object(map) = &mut value {
            for field in self.fields {
                if field.write_only || (field.secret && config.secrets_write_only) {
                    map.remove(field.name);
                }
            }
            if config.shuffle {
                let unordered = self
                    .fields
                    .iter()
                    .filter(|f| f.unordered)
                    .map(|f| f.name)
                    .chain(self.unordered_extras.iter().copied());
                for name in unordered {
                    if let Some(Value::Array(items)) = map.get_mut(name) {
                        fastrand::shuffle(items);
                    }
                }
            }
        }
        Cow::Owned(value)
    }

    /// The list filters of a release.
    pub fn filters_of(&self, version: ApiVersion) -> &'static [Filter] {
        match (version, self.filters_2026_5) {
            (ApiVersion::V2026_5, Some(filters)) => filters,
            _ => self.filters,
        }
    }

    fn list_spec(&'static self, version: ApiVersion) -> ListSpec {
        ListSpec {
            filters: self.filters_of(version),
            search: &["name"],
            ordering: &["name"],
        }
    }
}

/// `flow_set`: the flows a stage is bound into, one entry per binding, as `FlowSet` objects.
fn flow_set(record: &Record, store: &Store) -> Vec<Value> {
    store
        .bindings()
        .iter()
        .filter(|b| b.stage == record.pk)
        .filter_map(|b| store.flow(&b.flow))
        .map(|flow| crate::flows::render_flow_set(flow, store))
        .collect()
}

/// Read-only `<field>_obj`: the WebAuthn device types behind a set of aaguids.
pub fn device_type_objects(record: &Record, store: &Store, field: &str) -> Value {
    let objects: Vec<Value> = record
        .values
        .get(field)
        .and_then(Value::as_array)
        .map(|ids| {
            ids.iter()
                .filter_map(|id| id.as_str().and_then(ids::parse_uuid))
                .filter_map(|id| store.device_type(&id))
                .map(device_types::render)
                .collect()
        })
        .unwrap_or_default();
    Value::Array(objects)
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
    let spec = kind.list_spec(state.config.version);
    listing::respond(items, query, &spec, &*store, |v| {
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
    check_name_and_body(&store, kind, body, Mode::Create, &mut outcome, None)?;
    licence_check(kind, &state.config)?;
    let record = Record::new(outcome.values);
    let shown = store.put_stage(kind, record);
    Ok(Reply::json(
        201,
        kind.present(shown, &state.config).into_owned(),
    ))
}

/// The name's uniqueness (a field error), then, when every field is valid, the type's
/// cross-field rules; a prompt stage named like a stage of another type is a server error last.
fn check_name_and_body(
    store: &Store,
    kind: &StageKind,
    body: &Value,
    mode: Mode,
    outcome: &mut fields::Outcome,
    except: Option<&Uuid>,
) -> Result<(), ApiError> {
    let mut clash_elsewhere = false;
    if let Some(name) = outcome.values.get("name").and_then(Value::as_str) {
        match kind.name_rule {
            NameRule::AllStages => {
                if store.stage_name_taken(name, except) {
                    outcome.errors.add("name", NAME_TAKEN);
                }
            }
            NameRule::OwnTypeThenServerError => {
                let same =
                    |s: &&Stage| s.record.text("name") == name && Some(&s.record.pk) != except;
                if store
                    .stages()
                    .filter(same)
                    .any(|s| std::ptr::eq(s.kind, kind))
                {
                    outcome.errors.add("name", "This field must be unique.");
                } else {
                    clash_elsewhere = store.stages().any(|s| same(&s));
                }
            }
        }
    }
    if outcome.errors.is_empty() {
        if let Value::Object(map) = body {
            for message in (kind.body_rules)(map, mode)? {
                outcome.errors.add_non_field(message);
            }
        }
    }
    std::mem::take(&mut outcome.errors).into_result()?;
    if clash_elsewhere {
        return Err(ApiError::server_error_405());
    }
    Ok(())
}

/// Enterprise types (`EnterpriseRequiredMixin`): checked only once every field is valid.
fn licence_check(kind: &StageKind, config: &Config) -> Result<(), ApiError> {
    if !kind.enterprise || config.enterprise {
        return Ok(());
    }
    let mut errors = crate::errors::FieldErrors::new();
    errors.add_non_field(ENTERPRISE_REQUIRED);
    errors.into_result()
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
    check_name_and_body(&store, kind, body, mode, &mut outcome, Some(&record.pk))?;
    licence_check(kind, &state.config)?;
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
    let pk = find(&store, kind, id)?.record.pk;
    Ok(Reply::json(200, users_of(&store, &pk)))
}

/// What a stage's `used_by` lists (its managers in attribute-name order): a Validate stage's
/// own `configuration_stages` (`cascade_many`), the flows it is bound into (`flow_set`,
/// `cascade_many`) and its bindings (`cascade`).
pub fn users_of(store: &Store, pk: &Uuid) -> Value {
    // authentik walks the model's managers in attribute-name order: a Validate stage's own
    // `configuration_stages` (forward, `cascade_many`) come before `flow_set` and the bindings.
    // The reverse side has no manager: a stage listed in a Validate stage's
    // `configuration_stages` does not show that Validate stage (recorded on 2026.2.2).
    let members: Vec<Value> = store
        .stage(pk)
        .map(|stage| {
            stage
                .kind
                .fields
                .iter()
                .filter(|f| matches!(f.kind, Kind::RefSet(Target::Stage)))
                .filter_map(|f| stage.record.values.get(f.name).and_then(Value::as_array))
                .flatten()
                .filter_map(|id| id.as_str().and_then(ids::parse_uuid))
                .filter_map(|id| store.stage(&id))
                .map(|member| {
                    json!({
                        "app": "authentik_flows",
                        "model_name": "stage",
                        "pk": ids::format_uuid(&member.record.pk),
                        "name": format!("Stage {}", member.record.text("name")),
                        "action": "cascade_many",
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let bindings: Vec<_> = store.bindings().iter().filter(|b| b.stage == *pk).collect();
    let flows = bindings
        .iter()
        .filter_map(|b| store.flow(&b.flow))
        .map(|flow| {
            json!({
                "app": "authentik_flows",
                "model_name": "flow",
                "pk": ids::format_uuid(&flow.pk),
                "name": crate::flows::flow_str(flow),
                "action": "cascade_many",
            })
        });
    let binding_entries = bindings.iter().map(|b| crate::bindings::used_by_entry(b));
    Value::Array(
        members
            .into_iter()
            .chain(flows)
            .chain(binding_entries)
            .collect(),
    )
}

/// `used_by` entries (`set_null`) for every stage whose reference field to `target` holds `id`
/// (a flow's or a notification mapping's pk), ordered by name.
pub fn set_null_users(store: &Store, target: Target, id: &Uuid) -> Vec<Value> {
    let id = Value::String(ids::format_uuid(id));
    let mut users: Vec<Value> = store
        .stages()
        .filter(|s| {
            s.kind.fields.iter().any(|f| {
                matches!(f.kind, Kind::Ref(t) if t == target)
                    && s.record.values.get(f.name) == Some(&id)
            })
        })
        .map(|s| {
            json!({
                "app": s.kind.app_label,
                "model_name": s.kind.model_name,
                "pk": ids::format_uuid(&s.record.pk),
                "name": stage_str(&s.record),
                "action": "set_null",
            })
        })
        .collect();
    users.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    users
}

/// The `name` a `used_by` entry gives a stage: its name. (The real server shows `str(stage)`,
/// which some types and releases prefix with a type label; the facts do not fix it.)
pub fn stage_str(record: &Record) -> String {
    record.text("name").to_string()
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
