//! The interface between the protocol layer and a provider implementation. The protocol layer
//! decodes every request into these types (values already decoded against the schema) and
//! encodes the answers; implementations never see protobuf or msgpack.

use super::diag::{AttributePath, Diagnostic};
use super::schema::Schema;
use super::value::Value;

/// What the Terraform client says it supports (protocol 6.9+; all false for older clients).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClientCapabilities {
    /// The client can handle deferred actions.
    pub deferral_allowed: bool,
    /// The client supports write-only attributes (Terraform 1.11+).
    pub write_only_attributes_allowed: bool,
}

/// Everything Terraform needs to know about the provider's schemas.
#[derive(Clone, Debug, Default)]
pub struct ProviderSchemas {
    /// The `provider "..." {}` block.
    pub provider: Schema,
    /// Managed resources by type name.
    pub resources: Vec<(String, Schema)>,
    /// Data sources by type name.
    pub data_sources: Vec<(String, Schema)>,
}

/// ValidateDataResourceConfig.
#[derive(Clone, Debug)]
pub struct ValidateDataSourceRequest {
    /// Data source type name.
    pub type_name: String,
    /// Configuration (may contain unknowns).
    pub config: Value,
}

/// ReadDataSource.
#[derive(Clone, Debug)]
pub struct ReadDataSourceRequest {
    /// Data source type name.
    pub type_name: String,
    /// Configuration (known: Terraform defers the read while it is not).
    pub config: Value,
    /// Client capabilities.
    pub client_capabilities: ClientCapabilities,
}

/// Answer to ReadDataSource.
#[derive(Clone, Debug, Default)]
pub struct ReadDataSourceResponse {
    /// The data source's state (null when the read failed).
    pub state: Value,
    /// Diagnostics.
    pub diagnostics: Vec<Diagnostic>,
}

/// ValidateResourceConfig.
#[derive(Clone, Debug)]
pub struct ValidateResourceRequest {
    /// Resource type name.
    pub type_name: String,
    /// Configuration (may contain unknowns).
    pub config: Value,
    /// Client capabilities.
    pub client_capabilities: ClientCapabilities,
}

/// UpgradeResourceState.
#[derive(Clone, Debug)]
pub struct UpgradeRequest {
    /// Resource type name.
    pub type_name: String,
    /// Schema version the stored state was written with.
    pub version: i64,
    /// The stored state as JSON (absent for very old flatmap states).
    pub raw_json: Option<Vec<u8>>,
}

/// ReadResource.
#[derive(Clone, Debug)]
pub struct ReadRequest {
    /// Resource type name.
    pub type_name: String,
    /// Current state.
    pub current_state: Value,
    /// Provider-private data stored with the state.
    pub private: Vec<u8>,
}

/// Answer to ReadResource. A null `new_state` means the object is gone.
#[derive(Clone, Debug, Default)]
pub struct ReadResponse {
    /// Refreshed state.
    pub new_state: Value,
    /// Provider-private data to store.
    pub private: Vec<u8>,
    /// Diagnostics.
    pub diagnostics: Vec<Diagnostic>,
}

/// PlanResourceChange.
#[derive(Clone, Debug)]
pub struct PlanRequest {
    /// Resource type name.
    pub type_name: String,
    /// Prior state (null on create).
    pub prior_state: Value,
    /// Terraform's proposal (null on destroy).
    pub proposed_new_state: Value,
    /// Configuration (null on destroy).
    pub config: Value,
    /// Provider-private data from the prior state.
    pub prior_private: Vec<u8>,
    /// Client capabilities.
    pub client_capabilities: ClientCapabilities,
}

/// Answer to PlanResourceChange.
#[derive(Clone, Debug, Default)]
pub struct PlanResponse {
    /// Planned state.
    pub planned_state: Value,
    /// Attributes whose change forces replacement.
    pub requires_replace: Vec<AttributePath>,
    /// Provider-private data handed to apply.
    pub planned_private: Vec<u8>,
    /// Diagnostics.
    pub diagnostics: Vec<Diagnostic>,
}

/// ApplyResourceChange.
#[derive(Clone, Debug)]
pub struct ApplyRequest {
    /// Resource type name.
    pub type_name: String,
    /// Prior state (null on create).
    pub prior_state: Value,
    /// Planned state (null on destroy).
    pub planned_state: Value,
    /// Configuration (null on destroy); the only place write-only values appear.
    pub config: Value,
    /// Provider-private data from plan.
    pub planned_private: Vec<u8>,
}

/// Answer to ApplyResourceChange.
#[derive(Clone, Debug, Default)]
pub struct ApplyResponse {
    /// New state (null after destroy).
    pub new_state: Value,
    /// Provider-private data to store.
    pub private: Vec<u8>,
    /// Diagnostics.
    pub diagnostics: Vec<Diagnostic>,
}

/// ImportResourceState.
#[derive(Clone, Debug)]
pub struct ImportRequest {
    /// Resource type name.
    pub type_name: String,
    /// The ID given by the user.
    pub id: String,
    /// Client capabilities.
    pub client_capabilities: ClientCapabilities,
}

/// One imported object.
#[derive(Clone, Debug)]
pub struct ImportedResource {
    /// Resource type name.
    pub type_name: String,
    /// State (Terraform calls ReadResource on it next).
    pub state: Value,
    /// Provider-private data.
    pub private: Vec<u8>,
}

/// Answer to ImportResourceState.
#[derive(Clone, Debug, Default)]
pub struct ImportResponse {
    /// Imported objects.
    pub imported: Vec<ImportedResource>,
    /// Diagnostics.
    pub diagnostics: Vec<Diagnostic>,
}

/// A Terraform provider, as the protocol layer drives it. Every method gets decoded values and
/// returns diagnostics instead of failing; the protocol layer turns panics into diagnostics too.
#[async_trait::async_trait]
pub trait Provider: Send + Sync + 'static {
    /// All schemas. Called once per process; the protocol layer caches the result.
    fn schemas(&self) -> ProviderSchemas;

    /// ValidateProviderConfig: static checks of the provider block.
    async fn validate_provider_config(&self, config: Value) -> Vec<Diagnostic>;

    /// ConfigureProvider: remember the provider block (values may be unknown).
    async fn configure_provider(&self, config: Value, terraform_version: String)
        -> Vec<Diagnostic>;

    /// ValidateResourceConfig: static checks of one resource block.
    async fn validate_resource_config(&self, req: ValidateResourceRequest) -> Vec<Diagnostic>;

    /// UpgradeResourceState: bring stored state to the current schema. Returns the upgraded
    /// state as a value of the current schema's type.
    async fn upgrade_resource_state(&self, req: UpgradeRequest) -> (Value, Vec<Diagnostic>);

    /// ReadResource: refresh.
    async fn read_resource(&self, req: ReadRequest) -> ReadResponse;

    /// PlanResourceChange.
    async fn plan_resource_change(&self, req: PlanRequest) -> PlanResponse;

    /// ApplyResourceChange.
    async fn apply_resource_change(&self, req: ApplyRequest) -> ApplyResponse;

    /// ImportResourceState.
    async fn import_resource_state(&self, req: ImportRequest) -> ImportResponse;

    /// ValidateDataResourceConfig: static checks of one data block. The default knows no data
    /// sources.
    async fn validate_data_source_config(&self, req: ValidateDataSourceRequest) -> Vec<Diagnostic> {
        vec![no_data_source(&req.type_name)]
    }

    /// ReadDataSource. The default knows no data sources.
    async fn read_data_source(&self, req: ReadDataSourceRequest) -> ReadDataSourceResponse {
        ReadDataSourceResponse {
            state: Value::Null,
            diagnostics: vec![no_data_source(&req.type_name)],
        }
    }

    /// StopProvider: cancel in-flight work soon; the server keeps serving.
    fn stop(&self);
}

/// The error for a data source type the provider does not have.
pub fn no_data_source(type_name: &str) -> Diagnostic {
    Diagnostic::error(
        "Unknown data source type",
        format!("This provider has no data source {type_name:?}."),
    )
}
