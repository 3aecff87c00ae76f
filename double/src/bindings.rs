//! Flow-stage bindings (`/flows/bindings/`): put a stage (any type) into a flow at an order.
//! Unique on (`target`, `stage`, `order`); the same stage may be bound twice at different
//! orders. Deleting the flow or the stage deletes the binding.

use std::borrow::Cow;

use serde_json::{json, Map, Value};
use uuid::Uuid;

use crate::errors::ApiError;
use crate::fields::{self, Default, Field, Kind, Mode, Target, INT32};
use crate::ids;
use crate::listing::{self, Filter, FilterKind, ListSpec};
use crate::query::Query;
use crate::reply::Reply;
use crate::store::{Binding, Store};
use crate::AppState;

/// `policy_engine_mode` choices.
pub const POLICY_ENGINE_MODES: &[&str] = &["all", "any"];
const INVALID_RESPONSE_ACTIONS: &[&str] = &["retry", "restart", "restart_with_context"];

/// Writable fields.
pub const FIELDS: &[Field] = &[
    Field::new("target", Kind::Ref(Target::Flow)).required(),
    Field::new("stage", Kind::Ref(Target::Stage)).required(),
    Field::new("evaluate_on_plan", Kind::Bool).default(Default::Bool(false)),
    Field::new("re_evaluate_policies", Kind::Bool).default(Default::Bool(true)),
    Field::new("order", INT32).required(),
    Field::new("policy_engine_mode", Kind::Choice(POLICY_ENGINE_MODES))
        .default(Default::Str("any")),
    Field::new(
        "invalid_response_action",
        Kind::Choice(INVALID_RESPONSE_ACTIONS),
    )
    .default(Default::Str("retry")),
];

/// The fields kept in [`Binding::values`].
const FLAGS: [&str; 4] = [
    "evaluate_on_plan",
    "re_evaluate_policies",
    "policy_engine_mode",
    "invalid_response_action",
];

const MODEL: &str = "FlowStageBinding";
const NOT_UNIQUE: &str = "The fields target, stage, order must make a unique set.";
const NO_EVALUATION: &str = "Either evaluation on plan or evaluation on run must be enabled";

/// Keys a listed binding carries for `?search=` (the stage's name) and `?ordering=`
/// (`stage__name`, `target__uuid`); never shown.
const SEARCH_KEY: &str = "stage__name";
const TARGET_KEY: &str = "target__uuid";

const LIST: ListSpec = ListSpec {
    filters: &[
        Filter::on("target", FilterKind::Uuid),
        Filter::on("stage", FilterKind::Uuid),
        Filter::on("order", FilterKind::Int),
        Filter::pk("fsb_uuid"),
        Filter {
            param: "pbm_uuid",
            field: "policybindingmodel_ptr_id",
            kind: FilterKind::Uuid,
        },
        Filter::on("evaluate_on_plan", FilterKind::Bool),
        Filter::on("re_evaluate_policies", FilterKind::Bool),
        Filter::on(
            "invalid_response_action",
            FilterKind::Choice(INVALID_RESPONSE_ACTIONS),
        ),
        Filter::on(
            "policy_engine_mode",
            FilterKind::Choice(POLICY_ENGINE_MODES),
        ),
    ],
    search: &[SEARCH_KEY],
    ordering: &["order", "pk"],
};

/// The flags of a binding made without them (the built-in ones).
pub fn default_values() -> Map<String, Value> {
    let mut values = Map::new();
    values.insert("evaluate_on_plan".into(), Value::Bool(false));
    values.insert("re_evaluate_policies".into(), Value::Bool(true));
    values.insert("policy_engine_mode".into(), Value::from("any"));
    values.insert("invalid_response_action".into(), Value::from("retry"));
    values
}

/// The API representation. `generic` renders `stage_obj` as the base `Stage` model, as a write
/// that carries `stage` answers (the serializer holds the untyped instance then).
pub fn render(binding: &Binding, store: &Store, generic: bool) -> Value {
    let stage = store.stage(&binding.stage);
    let mut stage_obj = stage.map(|s| s.base.clone()).unwrap_or(Value::Null);
    if generic {
        if let Value::Object(map) = &mut stage_obj {
            map.insert("component".into(), Value::from(""));
            map.insert("verbose_name".into(), Value::from("stage"));
            map.insert("verbose_name_plural".into(), Value::from("stages"));
            map.insert(
                "meta_model_name".into(),
                Value::from("authentik_flows.stage"),
            );
        }
    }
    let mut out = Map::new();
    out.insert("pk".into(), Value::from(ids::format_uuid(&binding.pk)));
    out.insert(
        "policybindingmodel_ptr_id".into(),
        Value::from(ids::format_uuid(&binding.ptr)),
    );
    out.insert(
        "target".into(),
        Value::from(ids::format_uuid(&binding.flow)),
    );
    out.insert(
        "stage".into(),
        Value::from(ids::format_uuid(&binding.stage)),
    );
    out.insert("stage_obj".into(), stage_obj);
    for key in FLAGS {
        out.insert(
            key.into(),
            binding.values.get(key).cloned().unwrap_or(Value::Null),
        );
    }
    out.insert("order".into(), Value::from(binding.order));
    Value::Object(out)
}

fn hide_search_key(value: &Value) -> Cow<'_, Value> {
    let mut value = value.clone();
    if let Value::Object(map) = &mut value {
        map.remove(SEARCH_KEY);
        map.remove(TARGET_KEY);
    }
    Cow::Owned(value)
}

fn find<'s>(store: &'s Store, id: &str) -> Result<&'s Binding, ApiError> {
    let pk = ids::parse_uuid(id).ok_or_else(ApiError::not_found_plain)?;
    store.binding(&pk).ok_or_else(|| ApiError::not_found(MODEL))
}

/// `GET /flows/bindings/`
pub fn list(state: &AppState, query: &Query) -> Result<Reply, ApiError> {
    let store = state.read_store();
    let items: Vec<Value> = store
        .bindings()
        .iter()
        .map(|b| {
            let mut shown = render(b, &store, false);
            let name = store
                .stage(&b.stage)
                .map(|s| s.record.text("name").to_string())
                .unwrap_or_default();
            shown[SEARCH_KEY] = Value::from(name);
            shown[TARGET_KEY] = shown["target"].clone();
            shown
        })
        .collect();
    listing::respond::<Value>(items, query, &LIST, &*store, hide_search_key)
}

/// `GET /flows/bindings/{pk}/`
pub fn retrieve(state: &AppState, id: &str) -> Result<Reply, ApiError> {
    let store = state.read_store();
    let binding = find(&store, id)?;
    Ok(Reply::json(200, render(binding, &store, false)))
}

/// Checks a validated body and writes it into `binding` (its own pk kept).
fn apply(
    store: &Store,
    state: &AppState,
    body: &Value,
    mode: Mode,
    binding: &mut Binding,
) -> Result<(), ApiError> {
    let mut outcome = fields::validate(FIELDS, state.config.version, body, mode, store)?;
    // authentik's `validate` reads the request body only, with the model defaults for absent
    // keys (`server-behaviour-flows.md`).
    let flag = |key: &str, default: bool| {
        outcome
            .values
            .get(key)
            .and_then(Value::as_bool)
            .unwrap_or(default)
    };
    let plan = flag("evaluate_on_plan", false);
    let run = flag("re_evaluate_policies", true);
    if outcome.errors.is_empty() && !plan && !run {
        outcome.errors.add_non_field(NO_EVALUATION);
    }
    outcome.errors.into_result()?;
    let values = outcome.values;
    let uuid = |key: &str| {
        values
            .get(key)
            .and_then(Value::as_str)
            .and_then(ids::parse_uuid)
    };
    if let Some(flow) = uuid("target") {
        binding.flow = flow;
    }
    if let Some(stage) = uuid("stage") {
        binding.stage = stage;
    }
    if let Some(order) = values.get("order").and_then(Value::as_i64) {
        binding.order = order;
    }
    for key in FLAGS {
        if let Some(value) = values.get(key) {
            binding.values.insert(key.into(), value.clone());
        }
    }
    let clash = store.bindings().iter().any(|other| {
        other.pk != binding.pk
            && other.flow == binding.flow
            && other.stage == binding.stage
            && other.order == binding.order
    });
    if clash {
        let mut errors = crate::errors::FieldErrors::new();
        errors.add_non_field(NOT_UNIQUE);
        return errors.into_result();
    }
    Ok(())
}

/// `POST /flows/bindings/`
pub fn create(state: &AppState, body: &Value) -> Result<Reply, ApiError> {
    let mut store = state.write_store();
    let mut binding = Binding {
        pk: Uuid::new_v4(),
        ptr: Uuid::new_v4(),
        flow: Uuid::nil(),
        stage: Uuid::nil(),
        order: 0,
        values: Map::new(),
    };
    apply(&store, state, body, Mode::Create, &mut binding)?;
    let pk = binding.pk;
    store.put_binding(binding);
    let shown = store
        .binding(&pk)
        .map(|b| render(b, &store, true))
        .unwrap_or(Value::Null);
    Ok(Reply::json(201, shown))
}

/// `PUT`/`PATCH /flows/bindings/{pk}/`
pub fn update(state: &AppState, id: &str, body: &Value, mode: Mode) -> Result<Reply, ApiError> {
    let mut store = state.write_store();
    let mut binding = find(&store, id)?.clone();
    apply(&store, state, body, mode, &mut binding)?;
    let pk = binding.pk;
    store.put_binding(binding);
    let generic = body.get("stage").is_some();
    let shown = store
        .binding(&pk)
        .map(|b| render(b, &store, generic))
        .unwrap_or(Value::Null);
    Ok(Reply::json(200, shown))
}

/// `DELETE /flows/bindings/{pk}/`
pub fn destroy(state: &AppState, id: &str) -> Result<Reply, ApiError> {
    let mut store = state.write_store();
    let pk = find(&store, id)?.pk;
    store.delete_binding(&pk);
    Ok(Reply::no_content())
}

/// `GET /flows/bindings/{pk}/used_by/`: the policy bindings on it.
pub fn used_by(state: &AppState, id: &str) -> Result<Reply, ApiError> {
    let store = state.read_store();
    let pk = find(&store, id)?.pk;
    Ok(Reply::json(
        200,
        Value::Array(crate::policies::bindings_used_by(&store, &pk)),
    ))
}

/// Python's `str()` of a binding.
pub fn binding_str(binding: &Binding) -> String {
    format!(
        "Flow-stage binding #{} to {}",
        binding.order,
        ids::format_uuid(&binding.flow)
    )
}

/// `used_by` entry of a binding (what its flow or stage lists).
pub fn used_by_entry(binding: &Binding) -> Value {
    json!({
        "app": "authentik_flows",
        "model_name": "flowstagebinding",
        "pk": ids::format_uuid(&binding.pk),
        "name": binding_str(binding),
        "action": "cascade",
    })
}
