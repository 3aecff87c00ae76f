//! The CRUD operations: read, create, update, delete and import, each a few API calls turned
//! into state and diagnostics.

use super::body::{create_body, update_body};
use super::checks::normalize_uuid;
use super::errors::api_error;
use super::field::ResourceDef;
use super::private::Private;
use super::reader::Reader;
use super::state::state_from_api;
use crate::client::{ApiError, Client};
use crate::protocol::{
    ApplyRequest, ApplyResponse, Diagnostic, ImportRequest, ImportResponse, ImportedResource,
    ReadRequest, ReadResponse, Value,
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
    match reader.get(def.api_path, id).await {
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
            let name = req
                .current_state
                .get("name")
                .as_str()
                .unwrap_or("?")
                .to_string();
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
    let endpoint = client.endpoint(def.api_path);
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
        tracing::debug!(resource = def.type_name, attributes = ?body.attributes, "creating");
        return match endpoint.create(&body.json).await {
            Ok(obj) => finish(def, &obj, req, body.private),
            Err(e) => ApplyResponse {
                new_state: Value::Null,
                diagnostics: api_error(def, "creating", &e),
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
    tracing::debug!(resource = def.type_name, attributes = ?body.attributes, "updating");
    match endpoint.partial_update(id, &body.json).await {
        Ok(obj) => finish(def, &obj, req, body.private),
        Err(ApiError::NotFound { .. }) => {
            let name = req.prior_state.get("name").as_str().unwrap_or("?");
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

fn fill_unknowns(m: &mut BTreeMap<String, Value>, prior: &Value) {
    for (k, v) in m.iter_mut() {
        if v.is_unknown() {
            *v = prior.get(k).clone();
        }
    }
}

fn finish(
    def: &ResourceDef,
    obj: &crate::client::JsonObject,
    req: &ApplyRequest,
    private: Private,
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
    ApplyResponse {
        new_state,
        private: private.encode(),
        diagnostics,
    }
}

/// ImportResourceState: by stage UUID (any case, with or without hyphens) or by exact name
/// (`name:<name>` forces a name when it looks like a UUID), through the reader (so the
/// ReadResource that follows is served from what the import fetched).
pub async fn import(def: &ResourceDef, reader: &Arc<Reader>, req: &ImportRequest) -> ImportResponse {
    let id = req.id.trim();
    let (by_name, key) = match id.strip_prefix("name:") {
        Some(n) => (true, n),
        None => (normalize_uuid(id).is_none(), id),
    };
    let found = if by_name {
        reader.find_by_name(def.api_path, key).await.map(|o| {
            o.ok_or(ApiError::NotFound {
                url_path: String::new(),
            })
        })
    } else {
        reader.get(def.api_path, key).await.map(Ok)
    };
    let obj = match found {
        Ok(Ok(obj)) => obj,
        Ok(Err(_)) | Err(ApiError::NotFound { .. }) => {
            return ImportResponse {
                imported: Vec::new(),
                diagnostics: vec![Diagnostic::error(
                    format!("Cannot import {}: not found", def.title),
                    format!(
                        "No {} with {} {key:?} exists in authentik. Import by the stage's UUID (e.g. `terraform import {}.example 0f3c5a4e-1b2c-4d5e-8f90-112233445566`) or by its exact name (`name:<name>`, or just the name).",
                        def.title,
                        if by_name { "name" } else { "UUID" },
                        def.type_name
                    ),
                )],
            }
        }
        Err(e) => return ImportResponse { imported: Vec::new(), diagnostics: api_error(def, "reading", &e) },
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
