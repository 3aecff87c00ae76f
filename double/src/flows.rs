//! Flows (`/flows/instances/`), addressed by slug in the path; stages reference them by pk.

use serde_json::{json, Map, Value};
use uuid::Uuid;

use crate::errors::ApiError;
use crate::fields::{self, slug_validator, Default, Field, Kind, Mode};
use crate::ids;
use crate::listing::{self, Filter, FilterKind, ListSpec};
use crate::pagination;
use crate::query::Query;
use crate::reply::Reply;
use crate::store::Record;
use crate::AppState;

/// Flow designations.
pub const DESIGNATIONS: &[&str] = &[
    "authentication",
    "authorization",
    "invalidation",
    "enrollment",
    "unenrollment",
    "recovery",
    "stage_configuration",
];
const POLICY_ENGINE_MODES: &[&str] = &["all", "any"];
const LAYOUTS: &[&str] = &[
    "stacked",
    "content_left",
    "content_right",
    "sidebar_left",
    "sidebar_right",
    "sidebar_left_frame_background",
    "sidebar_right_frame_background",
];
const DENIED_ACTIONS: &[&str] = &["message_continue", "message", "continue"];
const AUTHENTICATION: &[&str] = &[
    "none",
    "require_authenticated",
    "require_unauthenticated",
    "require_superuser",
    "require_redirect",
    "require_outpost",
];

/// Writable flow fields.
pub const FIELDS: &[Field] = &[
    Field::text("name").required(),
    Field::text("slug")
        .required()
        .max_length(50)
        .validators(&[slug_validator]),
    Field::text("title").required(),
    Field::new("designation", Kind::Choice(DESIGNATIONS)).required(),
    Field::blank_text("background").default(Default::Str("")),
    Field::new("policy_engine_mode", Kind::Choice(POLICY_ENGINE_MODES))
        .default(Default::Str("any")),
    Field::new("compatibility_mode", Kind::Bool).default(Default::Bool(false)),
    Field::new("layout", Kind::Choice(LAYOUTS)).default(Default::Str("stacked")),
    Field::new("denied_action", Kind::Choice(DENIED_ACTIONS))
        .default(Default::Str("message_continue")),
    Field::new("authentication", Kind::Choice(AUTHENTICATION)).default(Default::Str("none")),
];

const MODEL: &str = "Flow";
const SLUG_TAKEN: &str = "Flow with this slug already exists.";
const DEFAULT_BACKGROUND: &str = "/static/dist/assets/images/flow_background.jpg";

const LIST: ListSpec = ListSpec {
    filters: &[
        Filter::text("name"),
        Filter::text("slug"),
        Filter::pk("flow_uuid"),
        Filter::on("designation", FilterKind::Choice(DESIGNATIONS)),
        Filter::on("denied_action", FilterKind::Choice(DENIED_ACTIONS)),
    ],
    search: &["name", "slug", "designation", "title"],
    ordering: &["slug"],
};

/// The API representation.
pub fn render(record: &Record) -> Value {
    let mut out = Map::new();
    let pk = ids::format_uuid(&record.pk);
    out.insert("pk".into(), Value::from(pk.as_str()));
    out.insert("policybindingmodel_ptr_id".into(), Value::from(pk));
    for field in FIELDS {
        out.insert(
            field.name.into(),
            fields::stored_or_default(field, &record.values),
        );
    }
    let background = record.text("background");
    let background_url = if background.is_empty() {
        DEFAULT_BACKGROUND
    } else {
        background
    };
    out.insert("background_url".into(), Value::from(background_url));
    out.insert("background_themed_urls".into(), Value::Null);
    out.insert("stages".into(), json!([]));
    out.insert("policies".into(), json!([]));
    out.insert("cache_count".into(), Value::from(0));
    out.insert(
        "export_url".into(),
        Value::from(format!(
            "/api/v3/flows/instances/{}/export/",
            record.text("slug")
        )),
    );
    Value::Object(out)
}

/// `GET /flows/instances/`
pub fn list(state: &AppState, query: &Query) -> Result<Reply, ApiError> {
    let store = state.read_store();
    let items = store.flows().map(render).collect();
    listing::respond::<Value>(items, query, &LIST, &*store, pagination::as_is)
}

/// `POST /flows/instances/`
pub fn create(state: &AppState, body: &Value) -> Result<Reply, ApiError> {
    let mut store = state.write_store();
    let mut outcome = fields::validate(FIELDS, state.config.version, body, Mode::Create, &*store)?;
    if let Some(slug) = outcome.values.get("slug").and_then(Value::as_str) {
        if store.flow_by_slug(slug).is_some() {
            outcome.errors.add("slug", SLUG_TAKEN);
        }
    }
    outcome.errors.into_result()?;
    let record = Record {
        pk: Uuid::new_v4(),
        values: outcome.values,
    };
    let shown = render(&record);
    store.put_flow(record);
    Ok(Reply::json(201, shown))
}

/// `GET /flows/instances/{slug}/`
pub fn retrieve(state: &AppState, slug: &str) -> Result<Reply, ApiError> {
    let store = state.read_store();
    let flow = store
        .flow_by_slug(slug)
        .ok_or_else(|| ApiError::not_found(MODEL))?;
    Ok(Reply::json(200, render(flow)))
}

/// `PUT`/`PATCH /flows/instances/{slug}/`
pub fn update(state: &AppState, slug: &str, body: &Value, mode: Mode) -> Result<Reply, ApiError> {
    let mut store = state.write_store();
    let mut record = store
        .flow_by_slug(slug)
        .ok_or_else(|| ApiError::not_found(MODEL))?
        .clone();
    let mut outcome = fields::validate(FIELDS, state.config.version, body, mode, &*store)?;
    if let Some(new_slug) = outcome.values.get("slug").and_then(Value::as_str) {
        if store
            .flow_by_slug(new_slug)
            .is_some_and(|other| other.pk != record.pk)
        {
            outcome.errors.add("slug", SLUG_TAKEN);
        }
    }
    outcome.errors.into_result()?;
    record.values.extend(outcome.values);
    let shown = render(&record);
    store.put_flow(record);
    Ok(Reply::json(200, shown))
}

/// `DELETE /flows/instances/{slug}/`: stages using it as `configure_flow` get `null`.
pub fn destroy(state: &AppState, slug: &str) -> Result<Reply, ApiError> {
    let mut store = state.write_store();
    let pk = store
        .flow_by_slug(slug)
        .ok_or_else(|| ApiError::not_found(MODEL))?
        .pk;
    store.delete_flow(&pk);
    Ok(Reply::no_content())
}
