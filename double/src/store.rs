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
    /// A new object: a fresh primary key and these field values.
    pub fn new(values: Map<String, Value>) -> Record {
        Record {
            pk: Uuid::new_v4(),
            values,
        }
    }

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

/// A flow-stage binding (`FlowStageBinding`, `/flows/bindings/`): puts a stage into a flow at
/// an order.
#[derive(Debug, Clone)]
pub struct Binding {
    /// The binding's own pk (`fsb_uuid`).
    pub pk: Uuid,
    /// Its `policybindingmodel_ptr_id` (policy bindings may target it by either id).
    pub ptr: Uuid,
    /// The flow (`target`).
    pub flow: Uuid,
    /// The stage.
    pub stage: Uuid,
    /// Position in the flow.
    pub order: i64,
    /// The other writable fields (`evaluate_on_plan`, `re_evaluate_policies`,
    /// `policy_engine_mode`, `invalid_response_action`), as validated.
    pub values: Map<String, Value>,
}

/// The collections kept as plain records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collection {
    /// Prompts.
    Prompts,
    /// Expression policies.
    Policies,
    /// Policy bindings.
    PolicyBindings,
    /// Groups.
    Groups,
    /// Sources.
    Sources,
}

/// All state of the double.
#[derive(Debug)]
pub struct Store {
    stages: HashMap<Uuid, Stage>,
    flows: HashMap<Uuid, Record>,
    mappings: HashMap<Uuid, Record>,
    bindings: Vec<Binding>,
    /// Prompts (`/stages/prompt/prompts/`).
    prompts: Vec<Record>,
    /// Expression policies (`/policies/expression/`).
    policies: Vec<Record>,
    /// Policy bindings (`/policies/bindings/`): `target` is the bound object's own pk.
    policy_bindings: Vec<Record>,
    /// Groups (`/core/groups/`, the few fields the replayed exchanges need).
    groups: Vec<Record>,
    /// Sources (`/sources/all/`, read-only: the built-in source).
    sources: Vec<Record>,
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
            prompts: Vec::new(),
            policies: Vec::new(),
            policy_bindings: Vec::new(),
            groups: Vec::new(),
            sources: Vec::new(),
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

    /// The stages whose list field `field` holds `pk` (a prompt stage's `fields` or
    /// `validation_policies`).
    pub fn stages_holding<'s>(
        &'s self,
        field: &'s str,
        pk: &Uuid,
    ) -> impl Iterator<Item = &'s Stage> + 's {
        let id = Value::String(ids::format_uuid(pk));
        self.stages().filter(move |s| {
            s.record
                .values
                .get(field)
                .and_then(Value::as_array)
                .is_some_and(|list| list.contains(&id))
        })
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

    /// Deletes a stage, its flow bindings (and their policy bindings), and removes it from
    /// every set that holds it.
    pub fn delete_stage(&mut self, pk: &Uuid) -> Option<Stage> {
        let removed = self.stages.remove(pk)?;
        let gone: Vec<Uuid> = self
            .bindings
            .iter()
            .filter(|b| b.stage == *pk)
            .map(|b| b.pk)
            .collect();
        self.bindings.retain(|b| b.stage != *pk);
        for binding in &gone {
            self.drop_policy_bindings("target", binding);
        }
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

    /// Deletes a flow, its bindings and the policy bindings on it or on them; stage
    /// references to it (`configure_flow`, `target_flow`, …) get `null`.
    pub fn delete_flow(&mut self, pk: &Uuid) -> Option<Record> {
        let removed = self.flows.remove(pk)?;
        let bound = self.stages_bound_to(pk);
        let gone: Vec<Uuid> = self
            .bindings
            .iter()
            .filter(|b| b.flow == *pk)
            .map(|b| b.pk)
            .collect();
        self.bindings.retain(|b| b.flow != *pk);
        for binding in gone.iter().chain(std::iter::once(pk)) {
            self.drop_policy_bindings("target", binding);
        }
        self.refresh_stages(&bound);
        self.forget(Target::Flow, pk);
        Some(removed)
    }

    // ---- flow-stage bindings ----

    /// Every binding, in creation order.
    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// Binds a stage into a flow at an order with the default flags (both must exist).
    pub fn bind(&mut self, flow: Uuid, stage: Uuid, order: i64) -> Option<Uuid> {
        if !self.flows.contains_key(&flow) || !self.stages.contains_key(&stage) {
            return None;
        }
        let pk = Uuid::new_v4();
        self.put_binding(Binding {
            pk,
            ptr: Uuid::new_v4(),
            flow,
            stage,
            order,
            values: crate::bindings::default_values(),
        });
        Some(pk)
    }

    /// A binding by pk.
    pub fn binding(&self, pk: &Uuid) -> Option<&Binding> {
        self.bindings.iter().find(|b| b.pk == *pk)
    }

    /// Adds or replaces a binding (by pk); the stages it binds (before and after) show it.
    pub fn put_binding(&mut self, binding: Binding) {
        let mut touched = vec![binding.stage];
        match self.bindings.iter_mut().find(|b| b.pk == binding.pk) {
            Some(old) => {
                touched.push(old.stage);
                *old = binding;
            }
            None => self.bindings.push(binding),
        }
        self.refresh_stages(&touched);
    }

    /// Deletes a binding and the policy bindings on it.
    pub fn delete_binding(&mut self, pk: &Uuid) -> Option<Binding> {
        let at = self.bindings.iter().position(|b| b.pk == *pk)?;
        let removed = self.bindings.remove(at);
        self.drop_policy_bindings("target", pk);
        self.refresh_stages(&[removed.stage]);
        Some(removed)
    }

    // ---- prompts, policies, policy bindings, groups, sources ----

    /// One of the simple collections.
    pub fn records(&self, collection: Collection) -> &[Record] {
        match collection {
            Collection::Prompts => &self.prompts,
            Collection::Policies => &self.policies,
            Collection::PolicyBindings => &self.policy_bindings,
            Collection::Groups => &self.groups,
            Collection::Sources => &self.sources,
        }
    }

    fn records_mut(&mut self, collection: Collection) -> &mut Vec<Record> {
        match collection {
            Collection::Prompts => &mut self.prompts,
            Collection::Policies => &mut self.policies,
            Collection::PolicyBindings => &mut self.policy_bindings,
            Collection::Groups => &mut self.groups,
            Collection::Sources => &mut self.sources,
        }
    }

    /// An object of a simple collection by pk.
    pub fn record(&self, collection: Collection, pk: &Uuid) -> Option<&Record> {
        self.records(collection).iter().find(|r| r.pk == *pk)
    }

    /// Adds or replaces an object of a simple collection (by pk, creation order kept). No stage
    /// representation shows these objects beyond their pks, so none is rendered again.
    pub fn put_record(&mut self, collection: Collection, record: Record) {
        let list = self.records_mut(collection);
        match list.iter_mut().find(|r| r.pk == record.pk) {
            Some(old) => *old = record,
            None => list.push(record),
        }
    }

    /// Deletes an object of a simple collection with authentik's cascades: a policy's or a
    /// group's policy bindings go, set members and nullable references are cleared.
    pub fn delete_record(&mut self, collection: Collection, pk: &Uuid) -> Option<Record> {
        let list = self.records_mut(collection);
        let at = list.iter().position(|r| r.pk == *pk)?;
        let removed = list.remove(at);
        match collection {
            Collection::Policies => {
                self.drop_policy_bindings("policy", pk);
                self.forget(Target::Policy, pk);
            }
            Collection::Groups => {
                self.drop_policy_bindings("group", pk);
                self.forget(Target::Group, pk);
            }
            Collection::Prompts => self.forget(Target::Prompt, pk),
            Collection::PolicyBindings | Collection::Sources => {}
        }
        Some(removed)
    }

    /// Deletes the policy bindings whose `field` holds `pk`.
    fn drop_policy_bindings(&mut self, field: &str, pk: &Uuid) {
        let id = Value::String(ids::format_uuid(pk));
        self.policy_bindings
            .retain(|b| b.values.get(field) != Some(&id));
    }

    /// The object a policy binding may target, by its pk or its `policybindingmodel_ptr_id`:
    /// its own pk.
    pub fn policy_target(&self, id: &Uuid) -> Option<Uuid> {
        let ptr_of = |f: &Record| {
            f.values
                .get("policybindingmodel_ptr_id")
                .and_then(Value::as_str)
                .and_then(ids::parse_uuid)
        };
        if let Some(flow) = self.flows.get(id) {
            return Some(flow.pk);
        }
        if let Some(flow) = self.flows.values().find(|f| ptr_of(f) == Some(*id)) {
            return Some(flow.pk);
        }
        self.bindings
            .iter()
            .find(|b| b.pk == *id || b.ptr == *id)
            .map(|b| b.pk)
    }

    /// The `policybindingmodel_ptr_id` of a policy binding target (by its own pk).
    pub fn policy_target_ptr(&self, pk: &Uuid) -> Option<Uuid> {
        if let Some(flow) = self.flows.get(pk) {
            return flow
                .values
                .get("policybindingmodel_ptr_id")
                .and_then(Value::as_str)
                .and_then(ids::parse_uuid);
        }
        self.binding(pk).map(|b| b.ptr)
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
            Target::FlowStageBinding => self.binding(id).is_some(),
            Target::Source => self.record(Collection::Sources, id).is_some(),
            Target::Group => self.record(Collection::Groups, id).is_some(),
            Target::Prompt => self.record(Collection::Prompts, id).is_some(),
            Target::Policy => self.record(Collection::Policies, id).is_some(),
            Target::PolicyTarget => self.policy_target(id).is_some(),
        }
    }
}
