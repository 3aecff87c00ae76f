//! The CRUD operations: read, create, update, delete and import, each a few API calls turned
//! into state and diagnostics.

use super::body::{create_body, update_body, Body};
use super::checks::normalize_uuid;
use super::consistency::{bullet_list, inconsistency_error, mismatches, ownership};
use super::errors::api_error;
use super::field::ResourceDef;
use super::holder;
use super::identity::id_from_identity;
use super::private::Private;
use super::reader::Reader;
use super::state::state_from_api;
use crate::client::{ApiError, Client, Created, Endpoint, JsonObject};
use crate::protocol::{
    has_errors, ApplyRequest, ApplyResponse, AttributePath, Diagnostic, ImportRequest,
    ImportResponse, ImportedResource, ReadRequest, ReadResponse, Value,
};
use std::collections::BTreeMap;
use std::sync::Arc;

fn id_of(state: &Value) -> Option<&str> {
    state.get("id").as_str()
}

/// ReadResource, through the reader (a `GET`, or the object from a list page). A 404 removes
/// the resource from state with a warning naming it.
pub async fn read(def: &ResourceDef, reader: &Arc<Reader>, req: &ReadRequest) -> ReadResponse {
    let private = Private::decode(&req.private);
    let Some(id) = id_of(&req.current_state) else {
        return ReadResponse {
            new_state: Value::Null,
            ..Default::default()
        };
    };
    match reader.get_by(def.api_path, def.id_key, id).await {
        Ok(obj) => {
            let mut diagnostics = Vec::new();
            let new_state = state_from_api(
                def,
                &obj,
                &req.current_state,
                &Value::Null,
                &private,
                &mut diagnostics,
            );
            ReadResponse {
                new_state,
                private: private.encode(),
                diagnostics,
            }
        }
        Err(ApiError::NotFound { .. }) => {
            let name = def.label_in_state(&req.current_state).to_string();
            ReadResponse {
                new_state: Value::Null,
                private: Vec::new(),
                diagnostics: vec![Diagnostic::warning(
                    format!("{} {name:?} is gone", def.title),
                    format!(
                        "The {} {name:?} (id {id}) no longer exists in authentik; it was deleted outside Terraform. It has been removed from the state, and the next plan will create it again.",
                        def.title
                    ),
                )],
            }
        }
        Err(e) => ReadResponse {
            new_state: req.current_state.clone(),
            private: req.private.clone(),
            diagnostics: api_error(def, "reading", &e),
        },
    }
}

/// ApplyResourceChange: create, update or delete.
pub async fn apply(def: &ResourceDef, client: &Client, req: &ApplyRequest) -> ApplyResponse {
    let endpoint = endpoint_of(def, client);
    if req.planned_state.is_null() {
        // Delete. A stage that is already gone is what we wanted.
        let Some(id) = id_of(&req.prior_state) else {
            return ApplyResponse::default();
        };
        return match endpoint.delete(id).await {
            Ok(()) | Err(ApiError::NotFound { .. }) => ApplyResponse::default(),
            Err(e) => ApplyResponse {
                new_state: req.prior_state.clone(),
                private: req.planned_private.clone(),
                diagnostics: api_error(def, "deleting", &e),
            },
        };
    }
    if req.prior_state.is_null() {
        let body = match create_body(def, &req.planned_state, &req.config) {
            Ok(b) => b,
            Err(d) => {
                return ApplyResponse {
                    new_state: Value::Null,
                    diagnostics: vec![d],
                    ..Default::default()
                }
            }
        };
        if let Some(d) = name_taken_elsewhere(def, client, &body.json, None).await {
            return ApplyResponse {
                new_state: Value::Null,
                diagnostics: vec![d],
                ..Default::default()
            };
        }
        tracing::debug!(resource = def.type_name, attributes = ?body.attributes, "creating");
        return match endpoint.create(&body.json).await {
            Ok(Created::Answered(obj)) => finish(def, &obj, req, body.private, "creating"),
            Ok(Created::FoundByKey { object, lost }) => adopt(def, &object, &lost, req, body),
            Err(e) => ApplyResponse {
                new_state: Value::Null,
                diagnostics: create_error(def, client, &req.planned_state, &body.json, &e).await,
                ..Default::default()
            },
        };
    }
    let Some(id) = id_of(&req.prior_state) else {
        return ApplyResponse {
            new_state: req.prior_state.clone(),
            diagnostics: vec![Diagnostic::error(
                "State has no id",
                "The state of this resource has no `id`; remove it from state and import it again.",
            )],
            ..Default::default()
        };
    };
    let prior_private = Private::decode(&req.planned_private);
    let body = match update_body(
        def,
        &req.prior_state,
        &req.planned_state,
        &req.config,
        &prior_private,
    ) {
        Ok(b) => b,
        Err(d) => {
            return ApplyResponse {
                new_state: req.prior_state.clone(),
                diagnostics: vec![d],
                private: req.planned_private.clone(),
            }
        }
    };
    if body.json.is_empty() {
        // Nothing the server needs to hear (e.g. only the UUID spelling changed).
        let mut state = req.planned_state.clone();
        if let Value::Object(m) = &mut state {
            fill_unknowns(m, &req.prior_state);
        }
        return ApplyResponse {
            new_state: state,
            private: body.private.encode(),
            diagnostics: Vec::new(),
        };
    }
    if let Some(d) = name_taken_elsewhere(def, client, &body.json, Some(id)).await {
        return ApplyResponse {
            new_state: req.prior_state.clone(),
            private: req.planned_private.clone(),
            diagnostics: vec![d],
        };
    }
    tracing::debug!(resource = def.type_name, attributes = ?body.attributes, "updating");
    match endpoint.partial_update(id, &body.json).await {
        Ok(obj) => finish(def, &obj, req, body.private, "updating"),
        Err(ApiError::NotFound { .. }) => {
            let name = def.label_in_state(&req.prior_state);
            ApplyResponse {
                new_state: req.prior_state.clone(),
                private: req.planned_private.clone(),
                diagnostics: vec![Diagnostic::error(
                    format!("{} {name:?} no longer exists", def.title),
                    format!(
                        "The {} {name:?} (id {id}) was deleted outside Terraform after the plan was made, so it cannot be updated. Run `terraform plan` again: the refresh will notice and plan to create it.",
                        def.title
                    ),
                )],
            }
        }
        Err(e) => ApplyResponse {
            new_state: req.prior_state.clone(),
            private: req.planned_private.clone(),
            diagnostics: api_error(def, "updating", &e),
        },
    }
}

/// The API endpoint of a resource type, resolving interrupted creates on its natural key.
pub fn endpoint_of(def: &ResourceDef, client: &Client) -> Endpoint {
    let endpoint = client.endpoint(def.api_path);
    match def.natural_key.fields {
        [one] => endpoint.with_unique_key(one),
        fields => endpoint.with_natural_key(fields, def.natural_key.filters),
    }
}

fn fill_unknowns(m: &mut BTreeMap<String, Value>, prior: &Value) {
    for (k, v) in m.iter_mut() {
        if v.is_unknown() {
            *v = prior.get(k).clone();
        }
    }
}

/// The answer to a create or update from the object authentik returned. Every known planned
/// value must come back unchanged; when one does not, the answer carries an error that says which
/// and what authentik holds (and the state records the server's values), instead of leaving
/// Terraform to report an unexplained "inconsistent result".
fn finish(
    def: &ResourceDef,
    obj: &JsonObject,
    req: &ApplyRequest,
    private: Private,
    action: &str,
) -> ApplyResponse {
    let mut diagnostics = Vec::new();
    let new_state = state_from_api(
        def,
        obj,
        &req.planned_state,
        &req.config,
        &private,
        &mut diagnostics,
    );
    if !has_errors(&diagnostics) {
        let found = mismatches(def, &req.planned_state, &new_state);
        if !found.is_empty() {
            let name = def.label_in_state(&new_state);
            let id = new_state.get("id").as_str().unwrap_or("?");
            diagnostics.push(inconsistency_error(def, action, name, id, &found));
        }
    }
    ApplyResponse {
        new_state,
        private: private.encode(),
        diagnostics,
    }
}

/// How the natural key of a planned object reads in messages (`named "x"`, or `with target
/// "…", stage "…", order 10`) and the attribute diagnostics point at.
fn key_phrase(def: &ResourceDef, planned: &Value) -> (String, AttributePath) {
    let names: Vec<&str> = def
        .natural_key
        .fields
        .iter()
        .map(|api| def.field_by_api(api).map_or(*api, |f| f.name))
        .collect();
    let at = AttributePath::attr(names.first().copied().unwrap_or("id"));
    if names == ["name"] {
        let name = planned.get("name").as_str().unwrap_or("?");
        return (format!("named {name:?}"), at);
    }
    let parts: Vec<String> = names
        .iter()
        .filter(|n| !planned.get(n).is_null())
        .map(|n| match planned.get(n) {
            Value::String(s) => format!("{n} {s:?}"),
            Value::Number(x) => format!("{n} {x}"),
            other => format!("{n} {other:?}"),
        })
        .collect();
    (format!("with {}", parts.join(", ")), at)
}

/// What to change in the configuration to create a new object instead of the one holding the
/// natural key.
fn key_advice(def: &ResourceDef) -> String {
    let names: Vec<String> = def
        .natural_key
        .fields
        .iter()
        .map(|api| format!("`{}`", def.field_by_api(api).map_or(*api, |f| f.name)))
        .collect();
    match names.as_slice() {
        [one] => format!("give this resource another {one}"),
        _ => format!("change one of {} (another `order`, say)", names.join(", ")),
    }
}

/// A create whose answer was lost found an object with our natural key. It is taken as ours
/// only when nothing distinguishes it from what we sent and planned; otherwise it is someone
/// else's, and it stays untouched and out of the state.
fn adopt(
    def: &ResourceDef,
    found: &JsonObject,
    lost: &str,
    req: &ApplyRequest,
    body: Body,
) -> ApplyResponse {
    let mut diagnostics = Vec::new();
    let state = state_from_api(
        def,
        found,
        &req.planned_state,
        &req.config,
        &body.private,
        &mut diagnostics,
    );
    let (key, at) = key_phrase(def, &req.planned_state);
    let id = found.get("pk").and_then(|v| v.as_str()).unwrap_or("?");
    let import_id = found.get(def.id_key).and_then(|v| v.as_str()).unwrap_or(id);
    let differences = ownership(def, &body.json, found, &req.planned_state, &state);
    if !differences.is_empty() {
        tracing::warn!(
            resource = def.type_name,
            id,
            differing = ?differences.iter().map(|m| m.attribute.as_str()).collect::<Vec<_>>(),
            "create answer lost; the object found by its natural key differs: not adopting it"
        );
        return ApplyResponse {
            new_state: Value::Null,
            private: Vec::new(),
            diagnostics: vec![Diagnostic::error(
                format!("A {} {key} already exists", def.title),
                format!(
                    "The answer to the create request was lost ({lost}). Afterwards authentik holds a {} {key} (id {id}), but it differs from this configuration, so it was not created by this apply and is left untouched:\n{}\n\nNothing was written to the state. To manage that existing object with Terraform, import it (`terraform import <address> {import_id}`, or an `import` block); to create a new one, {}.",
                    def.title,
                    bullet_list(&differences),
                    key_advice(def)
                ),
            )
            .at(at)],
        };
    }
    tracing::warn!(
        resource = def.type_name,
        id,
        "create answer lost; adopted the identical object found by its natural key"
    );
    diagnostics.push(Diagnostic::warning(
        format!("Adopted the existing {} {key}", def.title),
        format!(
            "The answer to the create request was lost ({lost}). Afterwards authentik holds a {} {key} (id {id}) whose every value equals this configuration, so it was taken as the one this apply created. That cannot be proven: if that object existed before this apply, it is now managed by this configuration (and `terraform destroy` would delete it). To undo that, run `terraform state rm` on this resource; the object stays in authentik.",
            def.title
        ),
    ));
    ApplyResponse {
        new_state: state,
        private: body.private.encode(),
        diagnostics,
    }
}

/// Diagnostics for a failed create. When a stage name is taken, they name the stage that holds
/// it (of any type), since stage names are unique across all stage types.
/// For a type whose server checks names only among its own objects
/// ([`ResourceDef::name_checked_first`]): when the body sets a `name` that a stage of another
/// object (not `own_id`) already has, the error to report instead of sending the body, which
/// would fail inside authentik. Best effort: when the lookup fails the body is sent.
async fn name_taken_elsewhere(
    def: &ResourceDef,
    client: &Client,
    body: &JsonObject,
    own_id: Option<&str>,
) -> Option<Diagnostic> {
    if !def.name_checked_first {
        return None;
    }
    let name = body.get("name")?.as_str()?.trim();
    let h = holder::by_name(client, name).await?;
    if own_id.is_some_and(|id| normalize_uuid(id) == normalize_uuid(&h.id)) {
        return None;
    }
    Some(
        Diagnostic::error(
            format!("The stage name {name:?} is taken"),
            format!(
                "Stage names are unique across all stage types in authentik, and {} already has it. Nothing was sent: authentik does not check this for a {} and would fail with an internal error. Give this resource another `name`, or rename or delete that stage.",
                h.describe(),
                def.title
            ),
        )
        .at(AttributePath::attr("name")),
    )
}

async fn create_error(
    def: &ResourceDef,
    client: &Client,
    planned: &Value,
    sent: &JsonObject,
    e: &ApiError,
) -> Vec<Diagnostic> {
    if let ApiError::CreateUnsettled { .. } = e {
        let (key, at) = key_phrase(def, planned);
        return vec![Diagnostic::error(
            format!("Unknown whether the {} {key} was created", def.title),
            format!(
                "{e}. Nothing was written to the state. Before applying again, look in authentik for a {} {key}: if this apply created it, import it (`terraform import <address> <its id>`); if it belongs to someone else, {}. Applying again without that is safe: an object that already holds this key is never taken over unless it is identical to this configuration.",
                def.title,
                key_advice(def)
            ),
        )
        .at(at)];
    }
    let mut diags = api_error(def, "creating", e);
    let endpoint = endpoint_of(def, client);
    if def.natural_key.fields.len() > 1 && endpoint.is_unique_clash(e) {
        // Nameless objects (bindings): say which one holds the key and how to take it over.
        if let Ok(Some(o)) = endpoint.find_existing(sent).await {
            let (key, at) = key_phrase(def, planned);
            let id = o.get(def.id_key).and_then(|v| v.as_str()).unwrap_or("?");
            diags.push(
                Diagnostic::error(
                    format!("A {} {key} already exists", def.title),
                    format!(
                        "authentik already holds a {} {key} (id {id}), and these must be unique. Import it if this configuration should manage it (`terraform import <address> {id}`), or {}.",
                        def.title,
                        key_advice(def)
                    ),
                )
                .at(at),
            );
        }
        return diags;
    }
    let stage = def.is_stage() && def.natural_key.fields == ["name"];
    if let (true, true, Some(name)) = (
        stage,
        endpoint.is_unique_clash(e),
        planned.get("name").as_str(),
    ) {
        // Any type through `/stages/all/`; failing that, this type's own list.
        let mut found = holder::by_name(client, name).await;
        if found.is_none() {
            if let Ok(Some(o)) = endpoint.find_by_name(name).await {
                found = holder::Holder::of_type(&o, def.title);
            }
        }
        if let Some(h) = found {
            diags.push(
                Diagnostic::error(
                    format!("The stage name {name:?} is taken"),
                    format!(
                        "Stage names are unique across all stage types in authentik, and {} already has it. Import that stage if this configuration should manage it (`terraform import <address> {}`, for a resource of its type), or give this resource another `name`.",
                        h.describe(),
                        h.id
                    ),
                )
                .at(AttributePath::attr("name")),
            );
        }
    }
    diags
}

/// ImportResourceState: by identity (`identity = { id = "<UUID>" }`, any spelling), by stage
/// UUID (any case, with or without hyphens) or by exact name (`name:<name>` forces a name when
/// it looks like a UUID), through the reader (so the ReadResource that follows is served from
/// what the import fetched).
pub async fn import(
    def: &ResourceDef,
    reader: &Arc<Reader>,
    req: &ImportRequest,
) -> ImportResponse {
    let id = req.id.trim();
    let given = if !req.identity.is_null() {
        match id_from_identity(def, &req.identity) {
            Ok(uuid) => uuid,
            Err(d) => {
                return ImportResponse {
                    imported: Vec::new(),
                    diagnostics: vec![d],
                }
            }
        }
    } else {
        id.to_string()
    };
    let named = def.label_key == Some("name") && def.id_key == "pk";
    let by_pk = def.id_key != "pk";
    let (by_name, key) = match given.strip_prefix("name:") {
        Some(n) if named && req.identity.is_null() => (true, n.to_string()),
        _ if normalize_uuid(&given).is_some() || by_pk => (false, given.clone()),
        _ if named => (true, given.clone()),
        _ => {
            return ImportResponse {
                imported: Vec::new(),
                diagnostics: vec![Diagnostic::error(
                    format!("Cannot import {}: {given:?} is not a UUID", def.title),
                    format!(
                        "A {} has no name; import it by its UUID (e.g. `terraform import {}.example 0f3c5a4e-1b2c-4d5e-8f90-112233445566`). `terraform query` with a `list \"{}\"` block lists them with their UUIDs.",
                        def.title, def.type_name, def.type_name
                    ),
                )],
            };
        }
    };
    let key = key.as_str();
    let found = if by_name {
        reader.find_by_name(def.api_path, key).await.map(|o| {
            o.ok_or(ApiError::NotFound {
                url_path: String::new(),
            })
        })
    } else if by_pk && normalize_uuid(key).is_some() {
        // Addressed by another key (a flow's slug): find the UUID through the list filter.
        find_by_pk(def, reader.client(), key).await.map(|o| {
            o.ok_or(ApiError::NotFound {
                url_path: String::new(),
            })
        })
    } else {
        reader.get_by(def.api_path, def.id_key, key).await.map(Ok)
    };
    let obj = match found {
        Ok(Ok(obj)) => obj,
        Ok(Err(_)) | Err(ApiError::NotFound { .. }) => {
            let other = if !def.is_stage() {
                None
            } else if by_name {
                holder::by_name(reader.client(), key).await
            } else {
                holder::by_id(reader.client(), key).await
            };
            if let Some(h) = other {
                return ImportResponse {
                    imported: Vec::new(),
                    diagnostics: vec![Diagnostic::error(
                        format!("Cannot import {}: {key:?} is another type of stage", def.title),
                        format!(
                            "{} exists in authentik, but it is not a {} ({}). Import it with the resource type that matches it, or pick a {} to import.",
                            capitalize(&h.describe()),
                            def.title,
                            def.type_name,
                            def.title
                        ),
                    )],
                };
            }
            return ImportResponse {
                imported: Vec::new(),
                diagnostics: vec![Diagnostic::error(
                    format!("Cannot import {}: not found", def.title),
                    match def.id_field() {
                        Some(f) => format!(
                            "No {} with {} {key:?} exists in authentik. Import by the {}'s `{}` (e.g. `terraform import {}.example my-{}`) or by its UUID.",
                            def.title,
                            if normalize_uuid(key).is_some() { "UUID" } else { f.name },
                            def.title,
                            f.name,
                            def.type_name,
                            def.title
                        ),
                        None if named => format!(
                            "No {} with {} {key:?} exists in authentik. Import by the {}'s UUID (e.g. `terraform import {}.example 0f3c5a4e-1b2c-4d5e-8f90-112233445566`) or by its exact name (`name:<name>`, or just the name).",
                            def.title,
                            if by_name { "name" } else { "UUID" },
                            def.title.rsplit(' ').next().unwrap_or("object"),
                            def.type_name
                        ),
                        None => format!(
                            "No {} with UUID {key:?} exists in authentik. Import by its UUID (e.g. `terraform import {}.example 0f3c5a4e-1b2c-4d5e-8f90-112233445566`).",
                            def.title, def.type_name
                        ),
                    },
                )],
            };
        }
        Err(e) => {
            return ImportResponse {
                imported: Vec::new(),
                diagnostics: api_error(def, "reading", &e),
            }
        }
    };
    let mut diagnostics = Vec::new();
    let state = state_from_api(
        def,
        &obj,
        &Value::Null,
        &Value::Null,
        &Private::default(),
        &mut diagnostics,
    );
    ImportResponse {
        imported: vec![ImportedResource {
            type_name: def.type_name.to_string(),
            state,
            private: Vec::new(),
        }],
        diagnostics,
    }
}

/// The object whose `pk` is this UUID, for a type addressed by another key: one list request
/// filtered on [`ResourceDef::pk_filter`], the answer checked again.
async fn find_by_pk(
    def: &ResourceDef,
    client: &Client,
    uuid: &str,
) -> Result<Option<JsonObject>, ApiError> {
    let want = normalize_uuid(uuid);
    let found = client
        .endpoint(def.api_path)
        .list(&[(def.pk_filter, want.as_deref().unwrap_or(uuid))])
        .await?;
    Ok(found.into_iter().find(|o| {
        o.get("pk")
            .and_then(|v| v.as_str())
            .and_then(normalize_uuid)
            .is_some_and(|p| Some(p) == want)
    }))
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
