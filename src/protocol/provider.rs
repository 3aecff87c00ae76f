//! The interface between the protocol layer and a provider implementation. The protocol layer
//! decodes every request into these types (values already decoded against the schema) and
//! encodes the answers; implementations never see protobuf or msgpack.

use super::diag::{AttributePath, Diagnostic};
use super::schema::{IdentitySchema, Schema};
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
    /// Identity schemas of managed resource types, by type name (protocol 6.9+; Terraform 1.12
    /// and later ask for them, older clients never do).
    pub identities: Vec<(String, IdentitySchema)>,
    /// List resources for `terraform query` (Terraform 1.14+), by type name: the schema of a
    /// `list` block's `config`. Each must also be a managed resource type with an identity.
    pub list_resources: Vec<(String, Schema)>,
    /// The provider answers GenerateResourceConfig (the server capability of that name).
    pub generates_resource_config: bool,
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
    /// The ID given by the user (empty when importing by identity).
    pub id: String,
    /// The identity given by the user (an `import` block's `identity`), null when importing by
    /// ID. Decoded against the type's identity schema.
    pub identity: Value,
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

/// UpgradeResourceIdentity for an identity stored with an older identity schema version (the
/// protocol layer decodes identities of the current version itself).
#[derive(Clone, Debug)]
pub struct UpgradeIdentityRequest {
    /// Resource type name.
    pub type_name: String,
    /// Identity schema version the stored identity was written with.
    pub version: i64,
    /// The stored identity as JSON.
    pub raw_json: Option<Vec<u8>>,
}

/// ValidateListResourceConfig.
#[derive(Clone, Debug)]
pub struct ValidateListRequest {
    /// List resource type name.
    pub type_name: String,
    /// The `config` block of the `list` block (may contain unknowns; all null when absent).
    pub config: Value,
    /// The `list` block's `include_resource` (a bool; null when Terraform did not send it).
    pub include_resource: Value,
    /// The `list` block's `limit` (a number; null when Terraform did not send it).
    pub limit: Value,
}

/// ListResource: enumerate remote objects for `terraform query`.
#[derive(Clone, Debug)]
pub struct ListRequest {
    /// List resource type name (also the managed resource type of the results).
    pub type_name: String,
    /// The `config` block of the `list` block (known; all null when absent).
    pub config: Value,
    /// Include each object's full state in its result.
    pub include_resource: bool,
    /// The most results Terraform wants; it stops reading after that many.
    pub limit: i64,
}

/// One event of a ListResource stream: a result (identity, display name, maybe the object) or
/// diagnostics alone.
#[derive(Clone, Debug, Default)]
pub struct ListEvent {
    /// The object's identity (null in a diagnostics-only event).
    pub identity: Value,
    /// A name for humans.
    pub display_name: String,
    /// The object's state, when the request asked for it.
    pub resource: Option<Value>,
    /// Diagnostics; an error ends Terraform's reading of the stream.
    pub diagnostics: Vec<Diagnostic>,
}

impl ListEvent {
    /// An event carrying diagnostics only.
    pub fn diagnostics(diagnostics: Vec<Diagnostic>) -> ListEvent {
        ListEvent {
            diagnostics,
            ..Default::default()
        }
    }
}

/// Where a provider sends ListResource events, one at a time as they are found. Sending waits
/// while Terraform is behind (a small buffer), and reports when Terraform has stopped
/// listening (its limit reached, or the command cancelled): then the provider should stop.
#[derive(Clone, Debug)]
pub struct ListSink {
    tx: tokio::sync::mpsc::Sender<ListEvent>,
}

impl ListSink {
    /// A sink and the receiving end the protocol layer streams from.
    pub fn channel(buffer: usize) -> (ListSink, tokio::sync::mpsc::Receiver<ListEvent>) {
        let (tx, rx) = tokio::sync::mpsc::channel(buffer.max(1));
        (ListSink { tx }, rx)
    }

    /// Send one event. False when nobody listens any more: stop listing.
    pub async fn send(&self, event: ListEvent) -> bool {
        self.tx.send(event).await.is_ok()
    }

    /// True once nobody listens any more.
    pub fn is_closed(&self) -> bool {
        self.tx.is_closed()
    }
}

/// GenerateResourceConfig: turn a state (an imported or listed object) into the configuration
/// Terraform writes for it.
#[derive(Clone, Debug)]
pub struct GenerateConfigRequest {
    /// Resource type name.
    pub type_name: String,
    /// The object's state.
    pub state: Value,
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

    /// The identity of a resource object of `type_name` given its state (null when the state
    /// does not name one yet, e.g. a planned create). The protocol layer attaches it to the
    /// answers of ReadResource, PlanResourceChange, ApplyResourceChange and
    /// ImportResourceState, for clients that asked for identity schemas. The default has none.
    fn resource_identity(&self, _type_name: &str, _state: &Value) -> Value {
        Value::Null
    }

    /// UpgradeResourceIdentity from an older identity schema version. The default cannot.
    async fn upgrade_resource_identity(
        &self,
        req: UpgradeIdentityRequest,
    ) -> (Value, Vec<Diagnostic>) {
        (
            Value::Null,
            vec![Diagnostic::error(
                "Cannot upgrade the resource identity",
                format!(
                    "This provider has no upgrade for identities of {:?} stored with identity schema version {}.",
                    req.type_name, req.version
                ),
            )],
        )
    }

    /// ValidateListResourceConfig: static checks of a `list` block. The default knows no list
    /// resources.
    async fn validate_list_resource_config(&self, req: ValidateListRequest) -> Vec<Diagnostic> {
        vec![no_list_resource(&req.type_name)]
    }

    /// ListResource: send every matching object to `out` as it is found (at most `limit`),
    /// errors as diagnostics events; return when done or when `out` reports that nobody
    /// listens any more. The default knows no list resources.
    async fn list_resource(&self, req: ListRequest, out: ListSink) {
        out.send(ListEvent::diagnostics(vec![no_list_resource(
            &req.type_name,
        )]))
        .await;
    }

    /// GenerateResourceConfig: the configuration value for a state. Only called when
    /// [`ProviderSchemas::generates_resource_config`] is set.
    async fn generate_resource_config(
        &self,
        req: GenerateConfigRequest,
    ) -> (Value, Vec<Diagnostic>) {
        (
            Value::Null,
            vec![Diagnostic::error(
                "Generating resource configuration not supported",
                format!(
                    "This provider cannot generate configuration for {:?}.",
                    req.type_name
                ),
            )],
        )
    }

    /// StopProvider: cancel in-flight work soon; the server keeps serving.
    fn stop(&self);
}

/// The error for a list resource type the provider does not have.
pub fn no_list_resource(type_name: &str) -> Diagnostic {
    Diagnostic::error(
        "Unknown list resource type",
        format!("This provider has no list resource {type_name:?}."),
    )
}

/// The error for a data source type the provider does not have.
pub fn no_data_source(type_name: &str) -> Diagnostic {
    Diagnostic::error(
        "Unknown data source type",
        format!("This provider has no data source {type_name:?}."),
    )
}
