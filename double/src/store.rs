//! The in-memory state: stages of every type, flows, flow-stage bindings, notification mappings
//! and WebAuthn device types, with authentik's referential rules (name uniqueness across stage
//! types, null-on-delete foreign keys, set members removed on delete, bindings cascaded).

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

/// A stored stage, its type, and its representations (kept up to date by the store, so reads
/// and lists do not re-render).
#[derive(Debug, Clone)]
pub struct Stage {
    /// Which stage type.
    pub kind: &'static StageKind,
    /// Pk and values.
    pub record: Record,
    /// Full representation (every field, secrets included).
    pub shown: Value,
    /// The base fields only, as `/stages/all/` shows them.
    pub base: Value,
    /// Creation order (what the database returns when no ordering is asked for).
    pub seq: u64,
}

/// A flow-stage binding (`FlowStageBinding`): puts a stage into a flow at an order. Only the
/// built-in objects have them; the API to edit bindings is not served.
#[derive(Debug, Clone)]
pub struct Binding {
    /// The binding's own pk (`fsb_uuid`).
    pub pk: Uuid,
    /// The flow (`target`).
    pub flow: Uuid,
    /// The stage.
    pub stage: Uuid,
    /// Position in the flow.
    pub order: i64,
}

/// All state of the double.
#[derive(Debug)]
pub struct Store {
    stages: HashMap<Uuid, Stage>,
    flows: HashMap<Uuid, Record>,
    mappings: HashMap<Uuid, Record>,
    bindings: Vec<Binding>,
    device_types: Vec<DeviceType>,
    next_seq: u64,
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
            bindings: Vec::new(),
            device_types: device_types::seed(version),
            next_seq: 0,
            version,
        }
    }

    /// Empties the WebAuthn device type table (authentik fills it from a background task, so a
    /// fresh install has none until that task has run).
    pub fn clear_device_types(&mut self) {
        self.device_types.clear();
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

    /// Every stage, of every type, in creation order.
    pub fn stages_in_creation_order(&self) -> Vec<&Stage> {
        let mut stages: Vec<&Stage> = self.stages.values().collect();
        stages.sort_by_key(|s| s.seq);
        stages
    }

    /// Adds or replaces a stage; returns its full representation.
    pub fn put_stage(&mut self, kind: &'static StageKind, record: Record) -> &Value {
        let shown = kind.render(&record, self);
        let base = kind.base(&shown);
        let pk = record.pk;
        let seq = match self.stages.get(&pk) {
            Some(old) => old.seq,
            None => {
                self.next_seq += 1;
                self.next_seq
            }
        };
        self.stages.insert(
            pk,
            Stage {
                kind,
                record,
                shown,
                base,
                seq,
            },
        );
        &self.stages[&pk].shown
    }

    /// Deletes a stage, its flow bindings, and removes it from every set that holds it.
    pub fn delete_stage(&mut self, pk: &Uuid) -> Option<Stage> {
        let removed = self.stages.remove(pk)?;
        self.bindings.retain(|b| b.stage != *pk);
        self.forget(Target::Stage, pk);
        Some(removed)
    }

    /// Renders stages again (after a change to something their representation shows).
    fn refresh_stages(&mut self, pks: &[Uuid]) {
        for pk in pks {
            if let Some(stage) = self.stages.get(pk).cloned() {
                self.put_stage(stage.kind, stage.record);
            }
        }
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

    /// A flow by pk.
    pub fn flow(&self, pk: &Uuid) -> Option<&Record> {
        self.flows.get(pk)
    }

    /// Adds or replaces a flow (the stages bound into it show it in their `flow_set`).
    pub fn put_flow(&mut self, flow: Record) {
        let pk = flow.pk;
        self.flows.insert(pk, flow);
        let bound = self.stages_bound_to(&pk);
        self.refresh_stages(&bound);
    }

    /// Deletes a flow and its bindings; stages that used it as `configure_flow` get `null`.
    pub fn delete_flow(&mut self, pk: &Uuid) -> Option<Record> {
        let removed = self.flows.remove(pk)?;
        let bound = self.stages_bound_to(pk);
        self.bindings.retain(|b| b.flow != *pk);
        self.refresh_stages(&bound);
        self.forget(Target::Flow, pk);
        Some(removed)
    }

    // ---- flow-stage bindings ----

    /// Every binding, in creation order.
    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// Binds a stage into a flow at an order (both must exist).
    pub fn bind(&mut self, flow: Uuid, stage: Uuid, order: i64) -> Option<Uuid> {
        if !self.flows.contains_key(&flow) || !self.stages.contains_key(&stage) {
            return None;
        }
        let pk = Uuid::new_v4();
        self.bindings.push(Binding {
            pk,
            flow,
            stage,
            order,
        });
        self.refresh_stages(&[stage]);
        Some(pk)
    }

    /// The stages bound into a flow (each once).
    fn stages_bound_to(&self, flow: &Uuid) -> Vec<Uuid> {
        let mut stages: Vec<Uuid> = Vec::new();
        for binding in self.bindings.iter().filter(|b| b.flow == *flow) {
            if !stages.contains(&binding.stage) {
                stages.push(binding.stage);
            }
        }
        stages
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
        self.refresh_stages(&changed);
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
