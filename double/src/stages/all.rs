//! `/stages/all/` (authentik's `StageViewSet`): every stage of every type in one list, with the
//! base fields only. List (`?name=` exact, `?search=`, `?ordering=`; no default ordering: the
//! creation order, as the database returns it), retrieve, delete (any type) and used_by.

use serde_json::Value;

use crate::errors::ApiError;
use crate::ids;
use crate::listing::{self, Filter, ListSpec};
use crate::pagination;
use crate::query::Query;
use crate::reply::Reply;
use crate::store::{Stage, Store};
use crate::AppState;

const MODEL: &str = "Stage";

const LIST: ListSpec = ListSpec {
    filters: &[Filter::text("name")],
    search: &["name"],
    // The view sets no ordering and `Stage` has no Meta ordering.
    ordering: &[],
};

fn find<'s>(store: &'s Store, id: &str) -> Result<&'s Stage, ApiError> {
    let pk = ids::parse_uuid(id).ok_or_else(ApiError::not_found_plain)?;
    store.stage(&pk).ok_or_else(|| ApiError::not_found(MODEL))
}

/// `GET /stages/all/`
pub fn list(state: &AppState, query: &Query) -> Result<Reply, ApiError> {
    let store = state.read_store();
    let items: Vec<&Value> = store
        .stages_in_creation_order()
        .into_iter()
        .map(|s| &s.base)
        .collect();
    listing::respond(items, query, &LIST, &*store, pagination::as_is)
}

/// `GET /stages/all/{stage_uuid}/`
pub fn retrieve(state: &AppState, id: &str) -> Result<Reply, ApiError> {
    let store = state.read_store();
    Ok(Reply::json(200, find(&store, id)?.base.clone()))
}

/// `DELETE /stages/all/{stage_uuid}/`: any type, with the same cascades as the typed endpoints.
pub fn destroy(state: &AppState, id: &str) -> Result<Reply, ApiError> {
    let mut store = state.write_store();
    let pk = find(&store, id)?.record.pk;
    store.delete_stage(&pk);
    Ok(Reply::no_content())
}

/// `GET /stages/all/{stage_uuid}/used_by/`
pub fn used_by(state: &AppState, id: &str) -> Result<Reply, ApiError> {
    let store = state.read_store();
    let pk = find(&store, id)?.record.pk;
    Ok(Reply::json(200, super::users_of(&store, &pk)))
}
