//! Notification webhook property mappings (`/propertymappings/notification/`), pk `pm_uuid`;
//! the SMS stage's `mapping` references them.

use serde_json::{Map, Value};

use crate::errors::ApiError;
use crate::fields::{self, Field, Mode, Target};
use crate::ids;
use crate::listing::{self, Filter, ListSpec};
use crate::pagination;
use crate::query::Query;
use crate::reply::Reply;
use crate::store::Record;
use crate::AppState;

/// Writable fields.
pub const FIELDS: &[Field] = &[
    Field::text("name").required(),
    Field::text("expression").required(),
];

const MODEL: &str = "NotificationWebhookMapping";
const NAME_TAKEN: &str = "Property Mapping with this name already exists.";

const LIST: ListSpec = ListSpec {
    filters: &[Filter::text("name"), Filter::pk("pm_uuid")],
    search: &["name"],
    ordering: &["name"],
};

/// The API representation.
pub fn render(record: &Record) -> Value {
    let mut out = Map::new();
    out.insert("pk".into(), Value::from(ids::format_uuid(&record.pk)));
    for field in FIELDS {
        out.insert(
            field.name.into(),
            fields::stored_or_default(field, &record.values),
        );
    }
    Value::Object(out)
}

/// `GET /propertymappings/notification/`
pub fn list(state: &AppState, query: &Query) -> Result<Reply, ApiError> {
    let store = state.read_store();
    let items = store.mappings().map(render).collect();
    listing::respond::<Value>(items, query, &LIST, &*store, pagination::as_is)
}

/// `POST /propertymappings/notification/`
pub fn create(state: &AppState, body: &Value) -> Result<Reply, ApiError> {
    let mut store = state.write_store();
    let mut outcome = fields::validate(FIELDS, state.config.version, body, Mode::Create, &*store)?;
    if let Some(name) = outcome.values.get("name").and_then(Value::as_str) {
        if store.mappings().any(|m| m.text("name") == name) {
            outcome.errors.add("name", NAME_TAKEN);
        }
    }
    outcome.errors.into_result()?;
    let record = Record::new(outcome.values);
    let shown = render(&record);
    store.put_mapping(record);
    Ok(Reply::json(201, shown))
}

/// `GET /propertymappings/notification/{pm_uuid}/`
pub fn retrieve(state: &AppState, id: &str) -> Result<Reply, ApiError> {
    let pk = ids::parse_uuid(id).ok_or_else(ApiError::not_found_plain)?;
    let store = state.read_store();
    let mapping = store
        .mapping(&pk)
        .ok_or_else(|| ApiError::not_found(MODEL))?;
    Ok(Reply::json(200, render(mapping)))
}

/// `PUT` (mode [`Mode::Replace`]) or `PATCH` ([`Mode::Partial`])
/// `/propertymappings/notification/{pm_uuid}/`
pub fn update(state: &AppState, id: &str, body: &Value, mode: Mode) -> Result<Reply, ApiError> {
    let pk = ids::parse_uuid(id).ok_or_else(ApiError::not_found_plain)?;
    let mut store = state.write_store();
    let mut record = store
        .mapping(&pk)
        .ok_or_else(|| ApiError::not_found(MODEL))?
        .clone();
    let mut outcome = fields::validate(FIELDS, state.config.version, body, mode, &*store)?;
    if let Some(name) = outcome.values.get("name").and_then(Value::as_str) {
        if store
            .mappings()
            .any(|m| m.text("name") == name && m.pk != pk)
        {
            outcome.errors.add("name", NAME_TAKEN);
        }
    }
    outcome.errors.into_result()?;
    record.values.extend(outcome.values);
    let shown = render(&record);
    store.put_mapping(record);
    Ok(Reply::json(200, shown))
}

/// `GET /propertymappings/notification/{pm_uuid}/used_by/`: SMS stages using it (`set_null`).
pub fn used_by(state: &AppState, id: &str) -> Result<Reply, ApiError> {
    let pk = ids::parse_uuid(id).ok_or_else(ApiError::not_found_plain)?;
    let store = state.read_store();
    store
        .mapping(&pk)
        .ok_or_else(|| ApiError::not_found(MODEL))?;
    let users = crate::stages::set_null_users(&store, Target::NotificationMapping, &pk);
    Ok(Reply::json(200, Value::Array(users)))
}

/// `DELETE /propertymappings/notification/{pm_uuid}/`: SMS stages using it get `mapping: null`.
pub fn destroy(state: &AppState, id: &str) -> Result<Reply, ApiError> {
    let pk = ids::parse_uuid(id).ok_or_else(ApiError::not_found_plain)?;
    let mut store = state.write_store();
    store
        .delete_mapping(&pk)
        .ok_or_else(|| ApiError::not_found(MODEL))?;
    Ok(Reply::no_content())
}
