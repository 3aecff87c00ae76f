//! A toy provider for protocol tests: one well-behaved resource type (`toy_thing`) with an
//! attribute of every kind, one (`toy_panic`) whose every method panics, and one data source
//! (`toy_lookup`) that finds `toy-<name>` and refuses the name `missing`. `toy_thing` has an
//! identity (`{ id }`), a list resource (`count` things named `<prefix><n>`; prefix `fail`
//! ends with an error, `endless` lists until nobody listens, `boom` panics) and generates
//! configuration (its state without `id`).
//!
//! Included with `#[path]` by the in-process gRPC tests and by `examples/toy_provider.rs` (a
//! binary real Terraform can drive).
#![allow(dead_code)]

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use terraform_provider_authentik::protocol::codec::json;
use terraform_provider_authentik::protocol::{
    ApplyRequest, ApplyResponse, Attribute, AttributePath, Block, Diagnostic,
    GenerateConfigRequest, IdentityAttribute, IdentitySchema, ImportRequest, ImportResponse,
    ImportedResource, ListEvent, ListRequest, ListSink, Number, PlanRequest, PlanResponse,
    Provider, ProviderSchemas, ReadDataSourceRequest, ReadDataSourceResponse, ReadRequest,
    ReadResponse, Schema, Type, UpgradeRequest, ValidateDataSourceRequest, ValidateListRequest,
    ValidateResourceRequest, Value,
};

/// The toy provider. Counts calls so tests can see what reached it.
#[derive(Default)]
pub struct Toy {
    pub stopped: AtomicBool,
    pub configured: AtomicUsize,
    /// Things an `endless` list has sent so far.
    pub listed: AtomicUsize,
    /// An `endless` list saw that nobody listens any more and stopped.
    pub list_stopped: AtomicBool,
}

/// The identity of `toy_thing`: its `id`.
pub fn thing_identity_schema() -> IdentitySchema {
    IdentitySchema {
        version: 1,
        attributes: vec![IdentityAttribute {
            name: "id".into(),
            ty: Type::String,
            description: "The thing's id.".into(),
            required_for_import: true,
            optional_for_import: false,
        }],
    }
}

/// The `config` of a `toy_thing` list block.
pub fn thing_list_schema() -> Schema {
    schema(
        0,
        vec![attr("prefix", Type::String), attr("count", Type::Number)],
        "Lists toys.",
    )
}

/// An identity value `{ id }`.
pub fn identity(id: &str) -> Value {
    Value::Object(
        [("id".to_owned(), Value::String(id.into()))]
            .into_iter()
            .collect(),
    )
}

/// A `toy_thing` state named `name` with id `toy-<name>`.
pub fn thing_state(name: &str) -> Value {
    let Type::Object(attrs) = thing_schema().block.object_type() else {
        return Value::Null;
    };
    let mut state: std::collections::BTreeMap<String, Value> =
        attrs.keys().map(|k| (k.clone(), Value::Null)).collect();
    state.insert("id".into(), Value::String(format!("toy-{name}")));
    state.insert("name".into(), Value::String(name.into()));
    Value::Object(state)
}

/// A schema of `version` with `attributes`.
fn schema(version: i64, attributes: Vec<Attribute>, description: &str) -> Schema {
    Schema {
        version,
        block: Block {
            attributes,
            description: description.to_owned(),
            deprecated: false,
        },
    }
}

/// An attribute only the provider sets.
fn computed(name: &str, ty: Type) -> Attribute {
    Attribute {
        optional: false,
        computed: true,
        ..attr(name, ty)
    }
}

fn attr(name: &str, ty: Type) -> Attribute {
    Attribute {
        name: name.to_owned(),
        ty: Some(ty),
        optional: true,
        description: format!("The {name}."),
        ..Default::default()
    }
}

/// The `toy_thing` schema: every value kind Terraform may send.
pub fn thing_schema() -> Schema {
    let mut name = attr("name", Type::String);
    name.optional = false;
    name.required = true;
    let mut secret = attr("secret", Type::String);
    secret.sensitive = true;
    schema(
        1,
        vec![
            computed("id", Type::String),
            name,
            attr("size", Type::Number),
            attr("enabled", Type::Bool),
            attr("tags", Type::list(Type::String)),
            attr("labels", Type::set(Type::String)),
            attr("meta", Type::map(Type::String)),
            attr(
                "nested",
                Type::Object(
                    [
                        ("a".to_owned(), Type::String),
                        ("b".to_owned(), Type::Number),
                    ]
                    .into_iter()
                    .collect(),
                ),
            ),
            attr("extra", Type::Dynamic),
            secret,
        ],
        "A toy.",
    )
}

/// The `toy_lookup` data source: a `name` to look up, an `id` and a `size` found.
pub fn lookup_schema() -> Schema {
    let mut name = attr("name", Type::String);
    name.computed = true;
    schema(
        0,
        vec![
            computed("id", Type::String),
            name,
            computed("size", Type::Number),
        ],
        "A toy lookup.",
    )
}

/// The provider block: one optional string.
pub fn provider_schema() -> Schema {
    Schema {
        version: 0,
        block: Block {
            attributes: vec![attr("endpoint", Type::String)],
            ..Default::default()
        },
    }
}

fn with_id(mut v: Value, id: Value) -> Value {
    if let Value::Object(m) = &mut v {
        m.insert("id".to_owned(), id);
    }
    v
}

#[async_trait::async_trait]
impl Provider for Toy {
    fn schemas(&self) -> ProviderSchemas {
        ProviderSchemas {
            provider: provider_schema(),
            resources: vec![
                ("toy_thing".to_owned(), thing_schema()),
                ("toy_panic".to_owned(), thing_schema()),
            ],
            data_sources: vec![("toy_lookup".to_owned(), lookup_schema())],
            identities: vec![("toy_thing".to_owned(), thing_identity_schema())],
            list_resources: vec![("toy_thing".to_owned(), thing_list_schema())],
            generates_resource_config: true,
        }
    }

    fn resource_identity(&self, type_name: &str, state: &Value) -> Value {
        match (type_name, state.get("id").as_str()) {
            ("toy_thing", Some(id)) => identity(id),
            _ => Value::Null,
        }
    }

    async fn validate_list_resource_config(&self, req: ValidateListRequest) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        if req.config.get("prefix").as_str() == Some("bad") {
            diags.push(
                Diagnostic::error("Bad prefix", "prefix must not be bad")
                    .at(AttributePath::attr("prefix")),
            );
        }
        if req.include_resource.as_bool() == Some(true) {
            diags.push(Diagnostic::warning("include_resource", "with objects"));
        }
        diags
    }

    async fn list_resource(&self, req: ListRequest, out: ListSink) {
        let prefix = req.config.get("prefix").as_str().unwrap_or("t").to_string();
        let count = req
            .config
            .get("count")
            .as_number()
            .and_then(Number::as_i64)
            .unwrap_or(3);
        let event = |n: i64| {
            let name = format!("{prefix}{n}");
            ListEvent {
                identity: identity(&format!("toy-{name}")),
                display_name: format!("Toy {name}"),
                resource: Some(thing_state(&name)),
                diagnostics: Vec::new(),
            }
        };
        match prefix.as_str() {
            "boom" => panic!("list exploded"),
            "endless" => {
                let mut n = 0;
                while out.send(event(n)).await {
                    n += 1;
                    self.listed.fetch_add(1, Ordering::SeqCst);
                }
                self.list_stopped.store(true, Ordering::SeqCst);
            }
            _ => {
                for n in 0..count {
                    if !out.send(event(n)).await {
                        return;
                    }
                }
                if prefix == "fail" {
                    out.send(ListEvent::diagnostics(vec![Diagnostic::error(
                        "Listing failed",
                        "the toy server went away",
                    )]))
                    .await;
                }
            }
        }
    }

    async fn generate_resource_config(
        &self,
        req: GenerateConfigRequest,
    ) -> (Value, Vec<Diagnostic>) {
        if req.type_name == "toy_panic" {
            panic!("generate exploded");
        }
        (with_id(req.state, Value::Null), Vec::new())
    }

    async fn validate_data_source_config(&self, req: ValidateDataSourceRequest) -> Vec<Diagnostic> {
        match req.config.get("name") {
            Value::Null => vec![Diagnostic::error("Nothing to look up", "set name")],
            _ => Vec::new(),
        }
    }

    async fn read_data_source(&self, req: ReadDataSourceRequest) -> ReadDataSourceResponse {
        let name = req.config.get("name").as_str().unwrap_or("").to_string();
        if name == "missing" {
            return ReadDataSourceResponse {
                state: Value::Null,
                diagnostics: vec![Diagnostic::error("Not found", "no toy called missing")
                    .at(AttributePath::attr("name"))],
            };
        }
        let state = [
            ("id".to_owned(), Value::String(format!("toy-{name}"))),
            ("name".to_owned(), Value::String(name.clone())),
            (
                "size".to_owned(),
                Value::Number(terraform_provider_authentik::protocol::Number::Int(
                    name.len() as i64,
                )),
            ),
        ];
        ReadDataSourceResponse {
            state: Value::Object(state.into_iter().collect()),
            diagnostics: Vec::new(),
        }
    }

    async fn validate_provider_config(&self, config: Value) -> Vec<Diagnostic> {
        match config.get("endpoint") {
            Value::String(s) if s == "bad" => {
                vec![Diagnostic::error("Bad endpoint", "it is bad")
                    .at(AttributePath::attr("endpoint"))]
            }
            _ => Vec::new(),
        }
    }

    async fn configure_provider(
        &self,
        _config: Value,
        terraform_version: String,
    ) -> Vec<Diagnostic> {
        self.configured.fetch_add(1, Ordering::SeqCst);
        if terraform_version.is_empty() {
            vec![Diagnostic::warning("No Terraform version", "")]
        } else {
            Vec::new()
        }
    }

    async fn validate_resource_config(&self, req: ValidateResourceRequest) -> Vec<Diagnostic> {
        if req.type_name == "toy_panic" {
            panic!("validate exploded");
        }
        let mut diags = Vec::new();
        if req.config.get("name").as_str() == Some("") {
            diags.push(
                Diagnostic::error("Empty name", "name must not be empty")
                    .at(AttributePath::attr("name")),
            );
        }
        if req.client_capabilities.write_only_attributes_allowed {
            diags.push(Diagnostic::warning(
                "write-only ok",
                "client supports write-only",
            ));
        }
        diags
    }

    async fn upgrade_resource_state(&self, req: UpgradeRequest) -> (Value, Vec<Diagnostic>) {
        if req.type_name == "toy_panic" {
            panic!("upgrade exploded");
        }
        let ty = thing_schema().block.object_type();
        match req
            .raw_json
            .as_deref()
            .map(|j| json::decode_lenient(j, &ty))
        {
            Some(Ok(v)) => (v, Vec::new()),
            Some(Err(e)) => (
                Value::Null,
                vec![Diagnostic::error("Bad stored state", e.to_string())],
            ),
            None => (Value::Null, vec![Diagnostic::error("No JSON state", "")]),
        }
    }

    async fn read_resource(&self, req: ReadRequest) -> ReadResponse {
        if req.type_name == "toy_panic" {
            panic!("read exploded");
        }
        // A name of "gone" simulates an object deleted outside Terraform.
        let new_state = if req.current_state.get("name").as_str() == Some("gone") {
            Value::Null
        } else {
            req.current_state
        };
        ReadResponse {
            new_state,
            private: req.private,
            diagnostics: Vec::new(),
        }
    }

    async fn plan_resource_change(&self, req: PlanRequest) -> PlanResponse {
        if req.type_name == "toy_panic" {
            panic!("plan exploded");
        }
        if req.proposed_new_state.is_null() {
            return PlanResponse::default();
        }
        let id = match req.prior_state.get("id") {
            Value::Null => Value::Unknown,
            v => v.clone(),
        };
        let mut requires_replace = Vec::new();
        if !req.prior_state.is_null() && req.prior_state.get("name") != req.config.get("name") {
            requires_replace.push(AttributePath::attr("name"));
        }
        PlanResponse {
            planned_state: with_id(req.proposed_new_state, id),
            requires_replace,
            planned_private: b"planned".to_vec(),
            diagnostics: Vec::new(),
        }
    }

    async fn apply_resource_change(&self, req: ApplyRequest) -> ApplyResponse {
        if req.type_name == "toy_panic" {
            panic!("apply exploded");
        }
        if req.planned_state.is_null() {
            return ApplyResponse::default();
        }
        let id = match req.planned_state.get("id") {
            Value::Unknown | Value::Null => Value::String(format!(
                "toy-{}",
                req.planned_state.get("name").as_str().unwrap_or("x")
            )),
            v => v.clone(),
        };
        ApplyResponse {
            new_state: with_id(req.planned_state, id),
            private: req.planned_private,
            diagnostics: Vec::new(),
        }
    }

    async fn import_resource_state(&self, req: ImportRequest) -> ImportResponse {
        if req.type_name == "toy_panic" {
            panic!("import exploded");
        }
        let ty = thing_schema().block.object_type();
        let Type::Object(attrs) = ty else {
            return ImportResponse::default();
        };
        let mut state: std::collections::BTreeMap<String, Value> =
            attrs.keys().map(|k| (k.clone(), Value::Null)).collect();
        // By identity, the thing it names; else by ID.
        let id = req
            .identity
            .get("id")
            .as_str()
            .map_or_else(|| req.id.clone(), str::to_string);
        state.insert("id".into(), Value::String(id.clone()));
        state.insert("name".into(), Value::String(id));
        ImportResponse {
            imported: vec![ImportedResource {
                type_name: req.type_name,
                state: Value::Object(state),
                private: Vec::new(),
            }],
            diagnostics: Vec::new(),
        }
    }

    fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
    }
}
