//! The provider binary: started by Terraform, speaks the plugin protocol.
//!
//! For now it serves a small placeholder provider (the provider block only, no resources); the
//! engine replaces it.

use std::process::ExitCode;
use std::sync::Arc;
use terraform_provider_authentik::protocol::{
    self, Attribute, Block, Diagnostic, ProviderSchemas, Schema, Type, Value,
};

/// Placeholder: the real provider block schema, no resources.
struct Placeholder;

fn provider_schema() -> Schema {
    let attr = |name: &str, ty: Type, sensitive: bool, description: &str| Attribute {
        name: name.to_owned(),
        ty: Some(ty),
        description: description.to_owned(),
        optional: true,
        sensitive,
        ..Default::default()
    };
    Schema {
        version: 0,
        block: Block {
            attributes: vec![
                attr(
                    "url",
                    Type::String,
                    false,
                    "URL of the authentik server: its root, optionally with a sub-path when authentik is served under one (e.g. `https://auth.example.com` or `https://example.com/authentik`). Defaults to the `AUTHENTIK_URL` environment variable.",
                ),
                attr(
                    "token",
                    Type::String,
                    true,
                    "API token of an authentik user or service account. Defaults to the `AUTHENTIK_TOKEN` environment variable.",
                ),
                attr(
                    "insecure",
                    Type::Bool,
                    false,
                    "Skip TLS certificate verification (only for test servers). Defaults to the `AUTHENTIK_INSECURE` environment variable, else `false`.",
                ),
                attr(
                    "headers",
                    Type::map(Type::String),
                    true,
                    "Extra HTTP headers sent with every API request (e.g. for a proxy in front of authentik).",
                ),
            ],
            description: "The authentik provider manages authentik objects through its REST API.".to_owned(),
            deprecated: false,
        },
    }
}

#[async_trait::async_trait]
impl protocol::Provider for Placeholder {
    fn schemas(&self) -> ProviderSchemas {
        ProviderSchemas {
            provider: provider_schema(),
            resources: Vec::new(),
        }
    }
    async fn validate_provider_config(&self, _config: Value) -> Vec<Diagnostic> {
        Vec::new()
    }
    async fn configure_provider(&self, _config: Value, _tf: String) -> Vec<Diagnostic> {
        Vec::new()
    }
    async fn validate_resource_config(
        &self,
        req: protocol::ValidateResourceRequest,
    ) -> Vec<Diagnostic> {
        vec![unknown(&req.type_name)]
    }
    async fn upgrade_resource_state(
        &self,
        req: protocol::UpgradeRequest,
    ) -> (Value, Vec<Diagnostic>) {
        (Value::Null, vec![unknown(&req.type_name)])
    }
    async fn read_resource(&self, req: protocol::ReadRequest) -> protocol::ReadResponse {
        protocol::ReadResponse {
            diagnostics: vec![unknown(&req.type_name)],
            ..Default::default()
        }
    }
    async fn plan_resource_change(&self, req: protocol::PlanRequest) -> protocol::PlanResponse {
        protocol::PlanResponse {
            diagnostics: vec![unknown(&req.type_name)],
            ..Default::default()
        }
    }
    async fn apply_resource_change(&self, req: protocol::ApplyRequest) -> protocol::ApplyResponse {
        protocol::ApplyResponse {
            diagnostics: vec![unknown(&req.type_name)],
            ..Default::default()
        }
    }
    async fn import_resource_state(
        &self,
        req: protocol::ImportRequest,
    ) -> protocol::ImportResponse {
        protocol::ImportResponse {
            diagnostics: vec![unknown(&req.type_name)],
            ..Default::default()
        }
    }
    fn stop(&self) {}
}

fn unknown(type_name: &str) -> Diagnostic {
    Diagnostic::error(
        "Unknown resource type",
        format!("This build of the provider has no resource type {type_name:?} yet."),
    )
}

fn main() -> ExitCode {
    protocol::serve(Arc::new(Placeholder))
}
