//! A toy provider for protocol tests: one well-behaved resource type (`toy_thing`) with an
//! attribute of every kind, one (`toy_panic`) whose every method panics, and one data source
//! (`toy_lookup`) that finds `toy-<name>` and refuses the name `missing`.
//!
//! Included with `#[path]` by the in-process gRPC tests and by `examples/toy_provider.rs` (a
//! binary real Terraform can drive).
#![allow(dead_code)]

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use terraform_provider_authentik::protocol::codec::json;
use terraform_provider_authentik::protocol::{
    ApplyRequest, ApplyResponse, Attribute, AttributePath, Block, Diagnostic, ImportRequest,
    ImportResponse, ImportedResource, PlanRequest, PlanResponse, Provider, ProviderSchemas,
    ReadDataSourceRequest, ReadDataSourceResponse, ReadRequest, ReadResponse, Schema, Type,
    UpgradeRequest, ValidateDataSourceRequest, ValidateResourceRequest, Value,
};

/// The toy provider. Counts calls so tests can see what reached it.
#[derive(Default)]
pub struct Toy {
    pub stopped: AtomicBool,
    pub configured: AtomicUsize,
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
    let mut id = attr("id", Type::String);
    id.optional = false;
    id.computed = true;
    let mut name = attr("name", Type::String);
    name.optional = false;
    name.required = true;
    let mut secret = attr("secret", Type::String);
    secret.sensitive = true;
    Schema {
        version: 1,
        block: Block {
            attributes: vec![
                id,
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
            description: "A toy.".to_owned(),
            deprecated: false,
        },
    }
}

/// The `toy_lookup` data source: a `name` to look up, an `id` and a `size` found.
pub fn lookup_schema() -> Schema {
    let mut id = attr("id", Type::String);
    id.optional = false;
    id.computed = true;
    let mut size = attr("size", Type::Number);
    size.optional = false;
    size.computed = true;
    let mut name = attr("name", Type::String);
    name.computed = true;
    Schema {
        version: 0,
        block: Block {
            attributes: vec![id, name, size],
            description: "A toy lookup.".to_owned(),
            deprecated: false,
        },
    }
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
        }
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
        state.insert("id".into(), Value::String(req.id.clone()));
        state.insert("name".into(), Value::String(req.id.clone()));
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
