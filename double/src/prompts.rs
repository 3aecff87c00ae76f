//! Prompts (`/stages/prompt/prompts/`): the fields prompt stages ask for. `name` is unique,
//! `field_key` is not; deleting a prompt removes it from every prompt stage's `fields`.

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::config::ApiVersion;
use crate::errors::ApiError;
use crate::fields::{self, Default, Field, Kind, Mode, INT32};
use crate::ids;
use crate::listing::{Filter, FilterKind, ListSpec};
use crate::query::Query;
use crate::records::{self, RecordKind};
use crate::reply::Reply;
use crate::store::{Collection, Record, Store};
use crate::AppState;

/// Prompt types (the `alert_*` ones only from 2026.5 on, as the `type` field of [`FIELDS`] says).
pub const TYPES: &[&str] = &[
    "text",
    "text_area",
    "text_read_only",
    "text_area_read_only",
    "username",
    "email",
    "password",
    "number",
    "checkbox",
    "radio-button-group",
    "dropdown",
    "date",
    "date-time",
    "file",
    "separator",
    "hidden",
    "static",
    "ak-locale",
    "alert_info",
    "alert_warning",
    "alert_danger",
];

/// Writable fields.
pub const FIELDS: &[Field] = &[
    Field::text("name").required(),
    Field::text("field_key").required(),
    Field::text("label").required(),
    Field::new("type", Kind::Choice(TYPES))
        .required()
        .choices_since(&[
            ("alert_info", ApiVersion::V2026_5),
            ("alert_warning", ApiVersion::V2026_5),
            ("alert_danger", ApiVersion::V2026_5),
        ]),
    Field::new("required", Kind::Bool).default(Default::Bool(true)),
    Field::blank_text("placeholder").default(Default::Str("")),
    Field::blank_text("initial_value").default(Default::Str("")),
    Field::new("order", INT32).default(Default::Int(0)),
    Field::blank_text("sub_text").default(Default::Str("")),
    Field::new("placeholder_expression", Kind::Bool).default(Default::Bool(false)),
    Field::new("initial_value_expression", Kind::Bool).default(Default::Bool(false)),
];

const MODEL: &str = "Prompt";
const NAME_TAKEN: &str = "Prompt with this name already exists.";

const LIST: ListSpec = ListSpec {
    filters: &[
        Filter::text("field_key"),
        Filter::text("name"),
        Filter::text("label"),
        Filter::on("type", FilterKind::Choice(TYPES)),
        Filter::text("placeholder"),
    ],
    search: &["field_key", "name", "label", "type", "placeholder"],
    ordering: &["field_key"],
};

/// The API representation: the fields plus `prompt_stages_obj`, the prompt stages using it.
pub fn render(record: &Record, store: &Store, state: &AppState) -> Value {
    let mut out = Map::new();
    out.insert("pk".into(), Value::from(ids::format_uuid(&record.pk)));
    for field in FIELDS {
        out.insert(
            field.name.into(),
            fields::stored_or_default(field, &record.values),
        );
    }
    let stages: Vec<Value> = store
        .stages_holding("fields", &record.pk)
        .filter(|s| std::ptr::eq(s.kind, &crate::stages::other::PROMPT))
        .map(|s| s.kind.present(&s.shown, &state.config).into_owned())
        .collect();
    out.insert("prompt_stages_obj".into(), Value::Array(stages));
    Value::Object(out)
}

/// Prompts, for the shared record handlers.
pub const PROMPTS: RecordKind = RecordKind {
    collection: Collection::Prompts,
    model: MODEL,
    render,
};

/// `GET /stages/prompt/prompts/`
pub fn list(state: &AppState, query: &Query) -> Result<Reply, ApiError> {
    PROMPTS.list(state, query, &LIST)
}

/// Validates a prompt body against the store (name uniqueness included).
pub fn validated(
    store: &Store,
    state_version: ApiVersion,
    body: &Value,
    mode: Mode,
    except: Option<&Uuid>,
) -> Result<Map<String, Value>, ApiError> {
    let mut outcome = fields::validate(FIELDS, state_version, body, mode, store)?;
    if let Some(name) = outcome.values.get("name").and_then(Value::as_str) {
        if store
            .records(Collection::Prompts)
            .iter()
            .any(|p| p.text("name") == name && Some(&p.pk) != except)
        {
            outcome.errors.add("name", NAME_TAKEN);
        }
    }
    outcome.errors.into_result()?;
    Ok(outcome.values)
}

/// `POST`, `PUT`, `PATCH` (`id` `None` creates).
pub fn write(
    state: &AppState,
    id: Option<&str>,
    body: &Value,
    mode: Mode,
) -> Result<Reply, ApiError> {
    PROMPTS.write(state, id, |store, record| {
        let except = id.map(|_| &record.pk);
        let values = validated(store, state.config.version, body, mode, except)?;
        record.values.extend(values);
        Ok(())
    })
}

/// `GET /stages/prompt/prompts/{pk}/used_by/`: the prompt stages asking for it.
pub fn used_by(state: &AppState, id: &str) -> Result<Reply, ApiError> {
    let store = state.read_store();
    let pk = PROMPTS.find(&store, id)?.pk;
    let entries = records::stages_holding_entries(&store, "fields", &pk);
    Ok(Reply::json(200, Value::Array(entries)))
}

/// `POST /stages/prompt/prompts/preview/`: validates a prompt as a create would and answers
/// the challenge a prompt stage would show with it. Expressions are not evaluated (the
/// placeholder and initial value are shown as written), `choices` is always `null`, and the
/// flow context is a stand-in (no flow runs in the double).
pub fn preview(state: &AppState, body: &Value) -> Result<Reply, ApiError> {
    let store = state.read_store();
    let values = validated(&store, state.config.version, body, Mode::Create, None)?;
    let get = |key: &str| values.get(key).cloned().unwrap_or(Value::Null);
    let field = serde_json::json!({
        "field_key": get("field_key"),
        "label": get("label"),
        "type": get("type"),
        "required": get("required"),
        "placeholder": get("placeholder"),
        "initial_value": get("initial_value"),
        "order": get("order"),
        "sub_text": get("sub_text"),
        "choices": null,
    });
    Ok(Reply::json(
        200,
        serde_json::json!({
            "component": "ak-stage-prompt",
            "fields": [field],
            // A preview runs outside any flow: an empty flow context, no errors.
            "flow_info": {
                "title": "",
                "background": "",
                "background_themed_urls": null,
                "cancel_url": "/flows/-/cancel/",
                "layout": "stacked",
            },
            "response_errors": {},
        }),
    ))
}
