//! The few group and source endpoints the recorded exchanges touch: `/core/groups/` (create,
//! read, delete, with the fields a fresh group shows) and `/sources/all/` (read-only: the
//! built-in source every install has).

use serde_json::{json, Map, Value};

use crate::errors::ApiError;
use crate::fields::{self, Default, Field, Kind, Mode};
use crate::ids;
use crate::listing::{self, Filter, ListSpec};
use crate::pagination;
use crate::query::Query;
use crate::records::RecordKind;
use crate::reply::Reply;
use crate::store::{Collection, Record};
use crate::AppState;

/// Writable group fields (the double's subset).
pub const GROUP_FIELDS: &[Field] = &[
    Field::text("name").required(),
    Field::new("is_superuser", Kind::Bool).default(Default::Bool(false)),
    Field::new("attributes", Kind::JsonObject),
];

const GROUP_MODEL: &str = "Group";

/// The API representation of a group (no parents, users or roles: the double has none).
pub fn render_group(record: &Record) -> Value {
    json!({
        "pk": ids::format_uuid(&record.pk),
        "num_pk": record.values.get("num_pk").cloned().unwrap_or(Value::Null),
        "name": record.text("name"),
        "is_superuser": record.values.get("is_superuser").cloned().unwrap_or(Value::Bool(false)),
        "parents": [],
        "parents_obj": null,
        "users": [],
        "users_obj": [],
        "attributes": record.values.get("attributes").cloned().unwrap_or_else(|| json!({})),
        "roles": [],
        "roles_obj": [],
        "inherited_roles_obj": null,
        "children": [],
        "children_obj": null,
    })
}

/// Groups, for the shared record handlers.
pub const GROUPS: RecordKind = RecordKind {
    collection: Collection::Groups,
    model: GROUP_MODEL,
    render: |record, _, _| render_group(record),
};

/// `POST /core/groups/`
pub fn create_group(state: &AppState, body: &Value) -> Result<Reply, ApiError> {
    GROUPS.write(state, None, |store, record| {
        let mut outcome = fields::validate(
            GROUP_FIELDS,
            state.config.version,
            body,
            Mode::Create,
            store,
        )?;
        if let Some(name) = outcome.values.get("name").and_then(Value::as_str) {
            if store
                .records(Collection::Groups)
                .iter()
                .any(|g| g.text("name") == name)
            {
                outcome
                    .errors
                    .add("name", "group with this name already exists.");
            }
        }
        outcome.errors.into_result()?;
        record.values = outcome.values;
        // authentik's `num_pk` is a random positive integer.
        record
            .values
            .insert("num_pk".into(), Value::from(fastrand::u32(1000..1_000_000)));
        Ok(())
    })
}

const SOURCE_LIST: ListSpec = ListSpec {
    filters: &[
        Filter::text("slug"),
        Filter::text("name"),
        Filter::pk("pbm_uuid"),
    ],
    search: &["name", "slug"],
    ordering: &["name"],
};

/// The source a fresh install has: `authentik Built-in`.
pub fn builtin_source() -> Record {
    let mut values = Map::new();
    values.insert("name".into(), Value::from("authentik Built-in"));
    values.insert("slug".into(), Value::from("authentik-built-in"));
    Record::new(values)
}

/// The API representation of a source (the base `Source` model's serializer).
pub fn render_source(record: &Record) -> Value {
    json!({
        "pk": ids::format_uuid(&record.pk),
        "name": record.text("name"),
        "slug": record.text("slug"),
        "enabled": true,
        "promoted": false,
        "authentication_flow": null,
        "enrollment_flow": null,
        "user_property_mappings": [],
        "group_property_mappings": [],
        "component": "",
        "verbose_name": "source",
        "verbose_name_plural": "sources",
        "meta_model_name": "authentik_core.source",
        "policy_engine_mode": "any",
        "user_matching_mode": "identifier",
        "managed": "goauthentik.io/sources/inbuilt",
        "user_path_template": "goauthentik.io/sources/%(slug)s",
        "icon": "",
        "icon_url": null,
        "icon_themed_urls": null,
    })
}

/// `GET /sources/all/`
pub fn list_sources(state: &AppState, query: &Query) -> Result<Reply, ApiError> {
    let store = state.read_store();
    let items: Vec<Value> = store
        .records(Collection::Sources)
        .iter()
        .map(render_source)
        .collect();
    listing::respond::<Value>(items, query, &SOURCE_LIST, &*store, pagination::as_is)
}
