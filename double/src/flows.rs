//! Flows (`/flows/instances/`), addressed by slug in the path; stages reference them by pk
//! (`flow_uuid`), policy bindings by `policybindingmodel_ptr_id` (another UUID).

use serde_json::{json, Map, Value};
use uuid::Uuid;

use crate::config::ApiVersion;
use crate::errors::ApiError;
use crate::fields::{self, slug_validator, Default, Field, Invalid, Kind, Mode};
use crate::ids;
use crate::listing::{self, Filter, FilterKind, ListSpec};
use crate::pagination;
use crate::query::Query;
use crate::reply::Reply;
use crate::store::{Record, Store};
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
/// Flow layouts; the frame-background ones only from 2026.2 on (recorded: flows step 37 is a
/// 400 on 2025.12), as the `layout` field of [`FIELDS`] says.
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
    // A TextField: no maximum length.
    Field::text("slug").required().validators(&[slug_validator]),
    Field::text("title").required(),
    Field::new("designation", Kind::Choice(DESIGNATIONS)).required(),
    Field::blank_text("background")
        .default(Default::Str(""))
        .validators(&[background_validator]),
    Field::new("policy_engine_mode", Kind::Choice(POLICY_ENGINE_MODES))
        .default(Default::Str("any")),
    Field::new("compatibility_mode", Kind::Bool).default(Default::Bool(false)),
    Field::new("layout", Kind::Choice(LAYOUTS))
        .default(Default::Str("stacked"))
        .choices_since(&[
            ("sidebar_left_frame_background", ApiVersion::V2026_2),
            ("sidebar_right_frame_background", ApiVersion::V2026_2),
        ]),
    Field::new("denied_action", Kind::Choice(DENIED_ACTIONS))
        .default(Default::Str("message_continue")),
    Field::new("authentication", Kind::Choice(AUTHENTICATION)).default(Default::Str("none")),
];

/// `background`: `""`, a URL, a `fa://` icon or a `/static` path, else a relative file name as
/// authentik's `validate_file_name` checks it (the file need not exist).
fn background_validator(value: &Value, _body: &Map<String, Value>) -> Result<(), Invalid> {
    let name = value.as_str().unwrap_or("");
    if name.is_empty() || is_url_like(name) {
        return Ok(());
    }
    let bad = |m: &str| Err(Invalid::Message(m.to_string()));
    let plain = name.replace("%(theme)s", "");
    if !plain
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "._/-".contains(c))
    {
        return bad(
            "File name can only contain letters (a-z, A-Z), numbers (0-9), dots (.), \
                    hyphens (-), underscores (_), forward slashes (/), and the placeholder \
                    %(theme)s for theme-specific files",
        );
    }
    if name.contains("//") {
        return bad("File name cannot contain duplicate /");
    }
    if name.starts_with('/') {
        return bad("Absolute paths are not allowed");
    }
    if name.split('/').any(|part| part == "..") {
        return bad("Parent directory references ('..') are not allowed");
    }
    if name.starts_with('.') {
        return bad("Paths cannot start with '.'");
    }
    if name.chars().count() > 1024 {
        return bad("File name too long (max 1024 characters)");
    }
    if name.split('/').any(|part| part.chars().count() > 255) {
        return bad("Path component too long (max 255 characters)");
    }
    Ok(())
}

/// Values `background_url` shows as they are.
fn is_url_like(name: &str) -> bool {
    name.starts_with("http:")
        || name.starts_with("https://")
        || name.starts_with("fa://")
        || name.starts_with("/static")
}

/// A stand-in for the signed, expiring token of authentik's file URLs.
const FILE_TOKEN: &str = "double-file-token";

/// `background_url` and `background_themed_urls` for a stored `background`.
fn background_urls(background: &str) -> (Value, Value) {
    if background.is_empty() {
        return (Value::from(DEFAULT_BACKGROUND), Value::Null);
    }
    if is_url_like(background) {
        return (Value::from(background), Value::Null);
    }
    let url = |name: &str| format!("/files/media/public/{name}?token={FILE_TOKEN}");
    let themed = if background.contains("%(theme)s") {
        json!({
            "light": url(&background.replace("%(theme)s", "light")),
            "dark": url(&background.replace("%(theme)s", "dark")),
        })
    } else {
        Value::Null
    };
    (Value::from(url(background)), themed)
}

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
    search: &["name", "slug", "designation", "title", "denied_action"],
    ordering: &["slug", "name"],
};

/// Where the second UUID of a flow is kept in its record (not a writable field).
const PTR_ID: &str = "policybindingmodel_ptr_id";

/// A new flow record from validated values: its own pk and a different
/// `policybindingmodel_ptr_id`.
pub fn new_record(mut values: Map<String, Value>) -> Record {
    values.insert(
        PTR_ID.into(),
        Value::String(ids::format_uuid(&Uuid::new_v4())),
    );
    Record::new(values)
}

/// Python's `str(flow)`: `Flow <name> (<slug>)`.
pub fn flow_str(record: &Record) -> String {
    format!("Flow {} ({})", record.text("name"), record.text("slug"))
}

/// The stripped-down `FlowSet` object a stage's `flow_set` lists.
pub fn render_flow_set(record: &Record, store: &Store) -> Value {
    let full = render(record, store);
    let mut out = Map::new();
    for key in [
        "pk",
        "policybindingmodel_ptr_id",
        "name",
        "slug",
        "title",
        "designation",
        "background_url",
        "policy_engine_mode",
        "compatibility_mode",
        "export_url",
        "layout",
        "denied_action",
    ] {
        out.insert(key.into(), full[key].clone());
    }
    Value::Object(out)
}

/// The API representation.
pub fn render(record: &Record, store: &Store) -> Value {
    let mut out = Map::new();
    let pk = ids::format_uuid(&record.pk);
    out.insert("pk".into(), Value::from(pk.as_str()));
    out.insert(
        PTR_ID.into(),
        Value::from(
            record
                .values
                .get(PTR_ID)
                .and_then(Value::as_str)
                .unwrap_or(&pk),
        ),
    );
    for field in FIELDS {
        out.insert(
            field.name.into(),
            fields::stored_or_default(field, &record.values),
        );
    }
    let (background_url, themed) = background_urls(record.text("background"));
    out.insert("background_url".into(), background_url);
    out.insert("background_themed_urls".into(), themed);
    let stages: Vec<Value> = store
        .bindings()
        .iter()
        .filter(|b| b.flow == record.pk)
        .map(|b| Value::String(ids::format_uuid(&b.stage)))
        .collect();
    out.insert("stages".into(), Value::Array(stages));
    out.insert(
        "policies".into(),
        Value::Array(crate::policies::policies_of(store, &record.pk)),
    );
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
    let items = store.flows().map(|f| render(f, &store)).collect();
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
    let record = new_record(outcome.values);
    let pk = record.pk;
    store.put_flow(record);
    Ok(Reply::json(201, shown(&store, &pk)))
}

/// `GET /flows/instances/{slug}/`
pub fn retrieve(state: &AppState, slug: &str) -> Result<Reply, ApiError> {
    let store = state.read_store();
    let flow = store
        .flow_by_slug(slug)
        .ok_or_else(|| ApiError::not_found(MODEL))?;
    Ok(Reply::json(200, render(flow, &store)))
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
    let pk = record.pk;
    store.put_flow(record);
    Ok(Reply::json(200, shown(&store, &pk)))
}

fn shown(store: &Store, pk: &Uuid) -> Value {
    store
        .flow(pk)
        .map(|flow| render(flow, store))
        .unwrap_or(Value::Null)
}

/// `GET /flows/instances/{slug}/used_by/`: stages using it as `configure_flow` (`set_null`)
/// and its stage bindings (`cascade`).
pub fn used_by(state: &AppState, slug: &str) -> Result<Reply, ApiError> {
    let store = state.read_store();
    let flow = store
        .flow_by_slug(slug)
        .ok_or_else(|| ApiError::not_found(MODEL))?;
    let stages = crate::stages::set_null_users(&store, fields::Target::Flow, &flow.pk);
    let bindings = store
        .bindings()
        .iter()
        .filter(|b| b.flow == flow.pk)
        .map(crate::bindings::used_by_entry);
    Ok(Reply::json(
        200,
        Value::Array(bindings.chain(stages).collect()),
    ))
}

/// `DELETE /flows/instances/{slug}/`: stages using it as `configure_flow` get `null`; its
/// bindings go.
pub fn destroy(state: &AppState, slug: &str) -> Result<Reply, ApiError> {
    let mut store = state.write_store();
    let pk = store
        .flow_by_slug(slug)
        .ok_or_else(|| ApiError::not_found(MODEL))?
        .pk;
    store.delete_flow(&pk);
    Ok(Reply::no_content())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str) -> Result<(), Invalid> {
        background_validator(&Value::from(name), &Map::new())
    }

    #[test]
    fn background_names_as_authentik_checks_them() {
        for ok in [
            "",
            "https://example.com/bg.png",
            "http://x",
            "fa://fa-circle",
            "/static/dist/assets/images/flow_background.jpg",
            "media/%(theme)s/bg.png",
            "a/b-c_d.e",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
        let message = |name: &str| match check(name) {
            Err(Invalid::Message(m)) => m,
            other => panic!("{name}: {other:?}"),
        };
        assert!(message("a b").starts_with("File name can only contain"));
        assert_eq!(
            message("../bg.png"),
            "Parent directory references ('..') are not allowed"
        );
        assert_eq!(message("/srv/bg.png"), "Absolute paths are not allowed");
        assert_eq!(message("a//b"), "File name cannot contain duplicate /");
        assert_eq!(message(".hidden"), "Paths cannot start with '.'");
        assert!(message(&"x".repeat(256)).starts_with("Path component too long"));
    }

    #[test]
    fn background_urls_follow_the_value() {
        assert_eq!(
            background_urls(""),
            (Value::from(DEFAULT_BACKGROUND), Value::Null)
        );
        assert_eq!(
            background_urls("fa://x"),
            (Value::from("fa://x"), Value::Null)
        );
        let (url, themed) = background_urls("m/%(theme)s/bg.png");
        assert_eq!(
            url,
            Value::from(format!(
                "/files/media/public/m/%(theme)s/bg.png?token={FILE_TOKEN}"
            ))
        );
        assert_eq!(
            themed["dark"],
            Value::from(format!(
                "/files/media/public/m/dark/bg.png?token={FILE_TOKEN}"
            ))
        );
    }
}
