//! The in-memory state: stages of every type, flows, notification mappings and WebAuthn device
//! types, with authentik's referential rules (name uniqueness across stage types, null-on-delete
//! foreign keys, set members removed on delete).

use std::collections::HashMap;

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::config::ApiVersion;
use crate::device_types::{self, DeviceType};
use crate::fields::{Kind, Lookup, Target};
use crate::ids;
use crate::stages::StageKind;

/// A stored object: its pk and its field values (canonical JSON).
#[derive(Debug, Clone)]
pub struct Record {
    /// Primary key.
    pub pk: Uuid,
    /// Field values by name.
    pub values: Map<String, Value>,
}

impl Record {
    /// A string field's value, or `""`.
    pub fn text(&self, field: &str) -> &str {
        self.values.get(field).and_then(Value::as_str).unwrap_or("")
    }
}

/// A stored stage, its type, and its full representation (kept up to date by the store, so
/// reads and lists do not re-render).
#[derive(Debug, Clone)]
pub struct Stage {
    /// Which stage type.
    pub kind: &'static StageKind,
    /// Pk and values.
    pub record: Record,
    /// Full representation (every field, secrets included).
    pub shown: Value,
}

/// All state of the double.
#[derive(Debug)]
pub struct Store {
    stages: HashMap<Uuid, Stage>,
    flows: HashMap<Uuid, Record>,
    mappings: HashMap<Uuid, Record>,
    device_types: Vec<DeviceType>,
    version: ApiVersion,
}

impl Default for Store {
    fn default() -> Self {
        Store::new(ApiVersion::V2026_5)
    }
}

impl Store {
    /// Empty, with the seeded WebAuthn device types, for the release imitated.
    pub fn new(version: ApiVersion) -> Store {
        Store {
            stages: HashMap::new(),
            flows: HashMap::new(),
            mappings: HashMap::new(),
            device_types: device_types::seed(),
            version,
        }
    }

    /// The release imitated (decides which fields exist).
    pub fn version(&self) -> ApiVersion {
        self.version
    }

    // ---- stages ----

    /// Every stage, of every type.
    pub fn stages(&self) -> impl Iterator<Item = &Stage> {
        self.stages.values()
    }

    /// A stage by pk, of any type.
    pub fn stage(&self, pk: &Uuid) -> Option<&Stage> {
        self.stages.get(pk)
    }

    /// True when another stage (of any type) has this name.
    pub fn stage_name_taken(&self, name: &str, except: Option<&Uuid>) -> bool {
        self.stages
            .values()
            .any(|s| s.record.text("name") == name && Some(&s.record.pk) != except)
    }

    /// Adds or replaces a stage; returns its full representation.
    pub fn put_stage(&mut self, kind: &'static StageKind, record: Record) -> &Value {
        let shown = kind.render(&record, self);
        let pk = record.pk;
        self.stages.insert(
            pk,
            Stage {
                kind,
                record,
                shown,
            },
        );
        &self.stages[&pk].shown
    }

    /// Deletes a stage and removes it from every set that holds it.
    pub fn delete_stage(&mut self, pk: &Uuid) -> Option<Stage> {
        let removed = self.stages.remove(pk)?;
        self.forget(Target::Stage, pk);
        Some(removed)
    }

    // ---- flows ----

    /// Every flow.
    pub fn flows(&self) -> impl Iterator<Item = &Record> {
        self.flows.values()
    }

    /// A flow by slug (flows are addressed by slug in the API).
    pub fn flow_by_slug(&self, slug: &str) -> Option<&Record> {
        self.flows.values().find(|f| f.text("slug") == slug)
    }

    /// Adds or replaces a flow.
    pub fn put_flow(&mut self, flow: Record) {
        self.flows.insert(flow.pk, flow);
    }

    /// Deletes a flow; stages that used it as `configure_flow` get `null`.
    pub fn delete_flow(&mut self, pk: &Uuid) -> Option<Record> {
        let removed = self.flows.remove(pk)?;
        self.forget(Target::Flow, pk);
        Some(removed)
    }

    // ---- notification webhook mappings ----

    /// Every notification webhook mapping.
    pub fn mappings(&self) -> impl Iterator<Item = &Record> {
        self.mappings.values()
    }

    /// A mapping by pk.
    pub fn mapping(&self, pk: &Uuid) -> Option<&Record> {
        self.mappings.get(pk)
    }

    /// Adds or replaces a mapping.
    pub fn put_mapping(&mut self, mapping: Record) {
        self.mappings.insert(mapping.pk, mapping);
    }

    /// Deletes a mapping; SMS stages that used it get `mapping: null`.
    pub fn delete_mapping(&mut self, pk: &Uuid) -> Option<Record> {
        let removed = self.mappings.remove(pk)?;
        self.forget(Target::NotificationMapping, pk);
        Some(removed)
    }

    // ---- device types ----

    /// Every WebAuthn device type.
    pub fn device_types(&self) -> &[DeviceType] {
        &self.device_types
    }

    /// A device type by aaguid.
    pub fn device_type(&self, aaguid: &Uuid) -> Option<&DeviceType> {
        self.device_types.iter().find(|d| d.aaguid == *aaguid)
    }

    /// Applies `on_delete` to every stage field that references the deleted object: a single
    /// reference becomes `null`, a set loses the member.
    fn forget(&mut self, target: Target, pk: &Uuid) {
        let id = Value::String(ids::format_uuid(pk));
        let mut changed = Vec::new();
        for stage in self.stages.values_mut() {
            let before = stage.record.values.clone();
            for field in stage.kind.fields {
                match field.kind {
                    Kind::Ref(t) if t == target => {
                        if let Some(value) = stage.record.values.get_mut(field.name) {
                            if *value == id {
                                *value = Value::Null;
                            }
                        }
                    }
                    Kind::RefSet(t) if t == target => {
                        if let Some(Value::Array(members)) = stage.record.values.get_mut(field.name)
                        {
                            members.retain(|member| *member != id);
                        }
                    }
                    _ => {}
                }
            }
            if stage.record.values != before {
                changed.push(stage.record.pk);
            }
        }
        for pk in changed {
            if let Some(stage) = self.stages.remove(&pk) {
                self.put_stage(stage.kind, stage.record);
            }
        }
    }
}

impl Lookup for Store {
    fn exists(&self, target: Target, id: &Uuid) -> bool {
        match target {
            Target::Flow => self.flows.contains_key(id),
            Target::NotificationMapping => self.mappings.contains_key(id),
            Target::Stage => self.stages.contains_key(id),
            Target::DeviceType => self.device_type(id).is_some(),
        }
    }
}
