//! The handlers the plain-record collections (prompts, expression policies, policy bindings,
//! groups) share: look an object up by pk, retrieve, list, write (create or change) and delete.
//! Each collection names what differs in a [`RecordKind`] and passes its own validation.

use serde_json::{json, Value};
use uuid::Uuid;

use crate::errors::ApiError;
use crate::ids;
use crate::listing::{self, ListSpec};
use crate::pagination;
use crate::query::Query;
use crate::reply::Reply;
use crate::store::{Collection, Record, Store};
use crate::AppState;

/// `used_by` entries (`cascade_many`) for the stages whose list field `field` holds `pk` (the
/// prompt stages asking for a prompt, or validating with a policy), ordered by name.
pub fn stages_holding_entries(store: &Store, field: &str, pk: &Uuid) -> Vec<Value> {
    let mut entries: Vec<Value> = store
        .stages_holding(field, pk)
        .map(|s| {
            json!({
                "app": s.kind.app_label,
                "model_name": s.kind.model_name,
                "pk": ids::format_uuid(&s.record.pk),
                "name": format!("Stage {}", s.record.text("name")),
                "action": "cascade_many",
            })
        })
        .collect();
    entries.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    entries
}

/// One plain-record collection, as its handlers see it.
pub struct RecordKind {
    /// Where its objects live.
    pub collection: Collection,
    /// The model a 404 names (`No <model> matches the given query.`).
    pub model: &'static str,
    /// The API representation of one object.
    pub render: fn(&Record, &Store, &AppState) -> Value,
}

impl RecordKind {
    /// The object with this pk (any UUID spelling); a plain 404 when `id` is no UUID.
    pub fn find<'s>(&self, store: &'s Store, id: &str) -> Result<&'s Record, ApiError> {
        let pk = ids::parse_uuid(id).ok_or_else(ApiError::not_found_plain)?;
        store
            .record(self.collection, &pk)
            .ok_or_else(|| ApiError::not_found(self.model))
    }

    /// `GET <collection>/` with the collection's filters, search and ordering.
    pub fn list(
        &self,
        state: &AppState,
        query: &Query,
        spec: &ListSpec,
    ) -> Result<Reply, ApiError> {
        let store = state.read_store();
        let items: Vec<Value> = store
            .records(self.collection)
            .iter()
            .map(|r| (self.render)(r, &store, state))
            .collect();
        listing::respond::<Value>(items, query, spec, &*store, pagination::as_is)
    }

    /// `GET <collection>/{pk}/`
    pub fn retrieve(&self, state: &AppState, id: &str) -> Result<Reply, ApiError> {
        let store = state.read_store();
        let record = self.find(&store, id)?;
        Ok(Reply::json(200, (self.render)(record, &store, state)))
    }

    /// `POST <collection>/` (`id` `None`, answered with 201) or `PUT`/`PATCH <collection>/{pk}/`
    /// (200): `apply` validates the request against the store and writes it into the object (a
    /// fresh one on create), or refuses it; the object is stored only when it succeeds.
    pub fn write(
        &self,
        state: &AppState,
        id: Option<&str>,
        apply: impl FnOnce(&Store, &mut Record) -> Result<(), ApiError>,
    ) -> Result<Reply, ApiError> {
        let mut store = state.write_store();
        let mut record = match id {
            Some(id) => self.find(&store, id)?.clone(),
            None => Record::new(serde_json::Map::new()),
        };
        apply(&store, &mut record)?;
        let pk = record.pk;
        store.put_record(self.collection, record);
        let shown = store
            .record(self.collection, &pk)
            .map(|r| (self.render)(r, &store, state))
            .unwrap_or(Value::Null);
        Ok(Reply::json(if id.is_some() { 200 } else { 201 }, shown))
    }

    /// `DELETE <collection>/{pk}/`, with the store's cascades.
    pub fn destroy(&self, state: &AppState, id: &str) -> Result<Reply, ApiError> {
        let mut store = state.write_store();
        let pk = self.find(&store, id)?.pk;
        store.delete_record(self.collection, &pk);
        Ok(Reply::no_content())
    }
}
