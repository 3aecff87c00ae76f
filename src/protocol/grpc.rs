//! The `tfplugin6.Provider` gRPC service, implemented over an [`Arc<dyn Provider>`].
//!
//! Each handler decodes the request's values against the cached schema types, calls the
//! provider (turning a panic into an error diagnostic), and encodes the answer. Problems with
//! the request itself (unknown type names, undecodable values) become error diagnostics, not
//! gRPC errors, so Terraform shows them like any other error.

use super::codec::{json, msgpack};
use super::convert::{
    client_capabilities_from_pb, diagnostics_to_pb, identity_schema_to_pb, path_to_pb, schema_to_pb,
};
use super::diag::Diagnostic;
use super::pb::tfplugin6 as pb;
use super::provider::{
    no_list_resource, ApplyRequest, GenerateConfigRequest, ImportRequest, ListEvent, ListRequest,
    ListSink, PlanRequest, Provider, ReadDataSourceRequest, ReadRequest, UpgradeIdentityRequest,
    UpgradeRequest, ValidateDataSourceRequest, ValidateListRequest, ValidateResourceRequest,
};
use super::value::{Type, Value};
use futures_util::FutureExt;
use std::collections::HashMap;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Instant;
use tonic::{Request, Response, Status};

/// Largest message accepted or sent, as Terraform itself configures its client.
pub const MAX_MESSAGE_SIZE: usize = 256 << 20;

/// Everything derived from the provider's schemas, computed once per process.
struct Cached {
    /// The GetProviderSchema response, encoded once as a complete gRPC message frame.
    schema_frame: bytes::Bytes,
    schema_response: pb::get_provider_schema::Response,
    metadata_response: pb::get_metadata::Response,
    identity_response: pb::get_resource_identity_schemas::Response,
    provider_type: Type,
    resource_types: HashMap<String, Type>,
    data_source_types: HashMap<String, Type>,
    /// Identity schema version and value type, by resource type.
    identity_types: HashMap<String, (i64, Type)>,
    /// The `config` type of each list resource.
    list_types: HashMap<String, Type>,
}

/// How many ListResource events may wait between the provider and Terraform.
const LIST_BUFFER: usize = 64;

/// Environment variable naming a directory where every received `DynamicValue` is written
/// as a file (`<pid>-<seq>-<what>.msgpack` / `.json`). A debugging aid for capturing golden vectors
/// from a real Terraform run. The files hold configuration values, secrets included: use it
/// only with throw-away credentials.
pub const DUMP_DIR_ENV: &str = "TFPROTO_DUMP_DIR";

/// The provider service (tonic keeps it behind an `Arc`; one per server).
pub struct ProviderService {
    provider: Arc<dyn Provider>,
    cache: OnceLock<Cached>,
    dump: Option<Dumper>,
    /// The client asked for identity schemas (Terraform 1.12+ does, in every process, right
    /// after GetProviderSchema). Only then do answers carry identities: an older client gets
    /// exactly the answers it always got.
    identity_asked: AtomicBool,
}

/// Writes raw request values to files (see [`DUMP_DIR_ENV`]).
struct Dumper {
    dir: std::path::PathBuf,
    seq: std::sync::atomic::AtomicU64,
}

impl Dumper {
    fn from_env() -> Option<Dumper> {
        let dir = std::env::var_os(DUMP_DIR_ENV).filter(|d| !d.is_empty())?;
        Some(Dumper {
            dir: dir.into(),
            seq: std::sync::atomic::AtomicU64::new(0),
        })
    }

    fn dump(&self, what: &str, dv: &pb::DynamicValue) {
        let n = self.seq.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let stem: String = what
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let (ext, bytes) = if dv.msgpack.is_empty() {
            ("json", &dv.json)
        } else {
            ("msgpack", &dv.msgpack)
        };
        let path = self
            .dir
            .join(format!("{}-{n:06}-{stem}.{ext}", std::process::id()));
        if let Err(e) = std::fs::write(&path, bytes) {
            tracing::warn!(error = %e, "could not dump a value");
        }
    }
}

impl ProviderService {
    /// A service for `provider`. Schemas are computed on first use, not here, to keep start-up
    /// fast.
    pub fn new(provider: Arc<dyn Provider>) -> Self {
        ProviderService {
            provider,
            cache: OnceLock::new(),
            dump: Dumper::from_env(),
            identity_asked: AtomicBool::new(false),
        }
    }

    /// The generated tonic server for this service, with Terraform's message size limits, and
    /// GetProviderSchema answered from bytes encoded once per process.
    pub fn into_server(self) -> CachedSchemaServer {
        let service = Arc::new(self);
        CachedSchemaServer {
            inner: pb::provider_server::ProviderServer::from_arc(service.clone())
                .max_decoding_message_size(MAX_MESSAGE_SIZE)
                .max_encoding_message_size(MAX_MESSAGE_SIZE),
            service,
        }
    }

    fn cached(&self) -> &Cached {
        self.cache.get_or_init(|| {
            let started = Instant::now();
            let provider = &self.provider;
            let cached = match std::panic::catch_unwind(AssertUnwindSafe(|| provider.schemas())) {
                Ok(schemas) => build_cache(&schemas),
                Err(payload) => {
                    let mut c = build_cache(&Default::default());
                    c.schema_response.diagnostics = vec![panic_diagnostic(&*payload)];
                    c.metadata_response.diagnostics = c.schema_response.diagnostics.clone();
                    c.schema_frame = grpc_frame(&c.schema_response);
                    c
                }
            };
            tracing::debug!(
                duration_us = started.elapsed().as_micros() as u64,
                resources = cached.resource_types.len(),
                bytes = cached.schema_frame.len(),
                "computed provider schemas"
            );
            cached
        })
    }

    fn data_source_type(&self, name: &str) -> Result<&Type, pb::Diagnostic> {
        self.cached()
            .data_source_types
            .get(name)
            .ok_or_else(|| super::convert::diagnostic_to_pb(&super::provider::no_data_source(name)))
    }

    fn resource_type(&self, name: &str) -> Result<&Type, pb::Diagnostic> {
        self.cached().resource_types.get(name).ok_or_else(|| {
            error_pb(
                "Unknown resource type",
                format!("This provider has no resource type {name:?}."),
            )
        })
    }

    fn identity_type(&self, name: &str) -> Result<&(i64, Type), pb::Diagnostic> {
        self.cached().identity_types.get(name).ok_or_else(|| {
            error_pb(
                "No resource identity",
                format!("The resource type {name:?} has no identity in this provider."),
            )
        })
    }

    fn list_type(&self, name: &str) -> Result<&Type, pb::Diagnostic> {
        self.cached()
            .list_types
            .get(name)
            .ok_or_else(|| super::convert::diagnostic_to_pb(&no_list_resource(name)))
    }

    /// The identity to attach to an answer carrying `state`: none for a client that never
    /// asked for identity schemas, for a type without identity, or for a state that names no
    /// object yet. A failure to encode it is recorded in `diagnostics`.
    fn identity_out(
        &self,
        type_name: &str,
        state: &Value,
        diagnostics: &mut Vec<pb::Diagnostic>,
    ) -> Option<pb::ResourceIdentityData> {
        if !self.identity_asked.load(Ordering::Relaxed) || state.is_null() {
            return None;
        }
        let (_, ty) = self.cached().identity_types.get(type_name)?;
        let provider = &self.provider;
        let identity = match std::panic::catch_unwind(AssertUnwindSafe(|| {
            provider.resource_identity(type_name, state)
        })) {
            Ok(v) => v,
            Err(payload) => {
                diagnostics.push(panic_diagnostic(&*payload));
                return None;
            }
        };
        identity_into(&identity, ty, "resource identity", diagnostics)
    }
}

fn build_cache(schemas: &super::provider::ProviderSchemas) -> Cached {
    let capabilities = pb::ServerCapabilities {
        plan_destroy: false,
        get_provider_schema_optional: false,
        move_resource_state: false,
        generate_resource_config: schemas.generates_resource_config,
    };
    let resource_schemas: HashMap<String, pb::Schema> = schemas
        .resources
        .iter()
        .map(|(name, s)| (name.clone(), schema_to_pb(s)))
        .collect();
    let resource_types = schemas
        .resources
        .iter()
        .map(|(name, s)| (name.clone(), s.block.object_type()))
        .collect();
    let mut names: Vec<&String> = resource_schemas.keys().collect();
    names.sort();
    let data_source_schemas: HashMap<String, pb::Schema> = schemas
        .data_sources
        .iter()
        .map(|(name, s)| (name.clone(), schema_to_pb(s)))
        .collect();
    let mut data_source_names: Vec<&String> = data_source_schemas.keys().collect();
    data_source_names.sort();
    let list_resource_schemas: HashMap<String, pb::Schema> = schemas
        .list_resources
        .iter()
        .map(|(name, s)| (name.clone(), schema_to_pb(s)))
        .collect();
    let mut list_names: Vec<&String> = list_resource_schemas.keys().collect();
    list_names.sort();
    let schema_response = pb::get_provider_schema::Response {
        provider: Some(schema_to_pb(&schemas.provider)),
        resource_schemas: resource_schemas.clone(),
        data_source_schemas: data_source_schemas.clone(),
        list_resource_schemas: list_resource_schemas.clone(),
        server_capabilities: Some(capabilities),
        ..Default::default()
    };
    let identity_response = pb::get_resource_identity_schemas::Response {
        identity_schemas: schemas
            .identities
            .iter()
            .map(|(name, s)| (name.clone(), identity_schema_to_pb(s)))
            .collect(),
        diagnostics: Vec::new(),
    };
    Cached {
        schema_frame: grpc_frame(&schema_response),
        metadata_response: pb::get_metadata::Response {
            server_capabilities: Some(capabilities),
            resources: names
                .iter()
                .map(|n| pb::get_metadata::ResourceMetadata {
                    type_name: (*n).clone(),
                })
                .collect(),
            data_sources: data_source_names
                .iter()
                .map(|n| pb::get_metadata::DataSourceMetadata {
                    type_name: (*n).clone(),
                })
                .collect(),
            list_resources: list_names
                .iter()
                .map(|n| pb::get_metadata::ListResourceMetadata {
                    type_name: (*n).clone(),
                })
                .collect(),
            ..Default::default()
        },
        schema_response,
        identity_response,
        provider_type: schemas.provider.block.object_type(),
        resource_types,
        data_source_types: schemas
            .data_sources
            .iter()
            .map(|(name, s)| (name.clone(), s.block.object_type()))
            .collect(),
        identity_types: schemas
            .identities
            .iter()
            .map(|(name, s)| (name.clone(), (s.version, s.object_type())))
            .collect(),
        list_types: schemas
            .list_resources
            .iter()
            .map(|(name, s)| (name.clone(), s.block.object_type()))
            .collect(),
    }
}

/// A message as one uncompressed gRPC length-prefixed frame.
fn grpc_frame(msg: &impl prost::Message) -> bytes::Bytes {
    let body = msg.encode_to_vec();
    let mut frame = Vec::with_capacity(5 + body.len());
    frame.push(0); // not compressed
    frame.extend_from_slice(&u32::try_from(body.len()).unwrap_or(u32::MAX).to_be_bytes());
    frame.extend_from_slice(&body);
    frame.into()
}

/// The gRPC path of GetProviderSchema.
const GET_PROVIDER_SCHEMA_PATH: &str = "/tfplugin6.Provider/GetProviderSchema";

/// `tfplugin6.Provider` as served: the generated server, except that GetProviderSchema (the
/// largest response, asked for by every one of the several processes Terraform starts per
/// command) is answered with bytes encoded once per process instead of re-encoding the schema.
#[derive(Clone)]
pub struct CachedSchemaServer {
    inner: pb::provider_server::ProviderServer<ProviderService>,
    service: Arc<ProviderService>,
}

impl tonic::server::NamedService for CachedSchemaServer {
    const NAME: &'static str = "tfplugin6.Provider";
}

impl<B> tonic::codegen::Service<tonic::codegen::http::Request<B>> for CachedSchemaServer
where
    B: http_body::Body + Send + 'static,
    B::Error: Into<tonic::codegen::StdError> + Send + 'static,
{
    type Response = tonic::codegen::http::Response<tonic::body::Body>;
    type Error = std::convert::Infallible;
    type Future = tonic::codegen::BoxFuture<Self::Response, Self::Error>;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        tonic::codegen::Service::<tonic::codegen::http::Request<B>>::poll_ready(&mut self.inner, cx)
    }

    fn call(&mut self, req: tonic::codegen::http::Request<B>) -> Self::Future {
        if req.uri().path() != GET_PROVIDER_SCHEMA_PATH {
            return self.inner.call(req);
        }
        let started = Instant::now();
        let frame = self.service.cached().schema_frame.clone();
        log_done("GetProviderSchema", "", started);
        drop(req);
        Box::pin(async move { Ok(frame_response(frame)) })
    }
}

/// A complete unary gRPC response: headers, one message frame, `grpc-status: 0` trailers.
fn frame_response(frame: bytes::Bytes) -> tonic::codegen::http::Response<tonic::body::Body> {
    use tonic::codegen::http;
    let mut trailers = http::HeaderMap::new();
    trailers.insert("grpc-status", http::HeaderValue::from_static("0"));
    let mut resp = http::Response::new(tonic::body::Body::new(OneFrameBody {
        data: Some(frame),
        trailers: Some(trailers),
    }));
    resp.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/grpc"),
    );
    resp
}

/// An HTTP body of one data frame followed by trailers.
struct OneFrameBody {
    data: Option<bytes::Bytes>,
    trailers: Option<tonic::codegen::http::HeaderMap>,
}

impl http_body::Body for OneFrameBody {
    type Data = bytes::Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        let this = self.get_mut();
        let frame = if let Some(data) = this.data.take() {
            Some(Ok(http_body::Frame::data(data)))
        } else {
            this.trailers
                .take()
                .map(|t| Ok(http_body::Frame::trailers(t)))
        };
        std::task::Poll::Ready(frame)
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_none() && self.trailers.is_none()
    }
}

/// An error diagnostic as protobuf.
fn error_pb(summary: impl Into<String>, detail: impl Into<String>) -> pb::Diagnostic {
    super::convert::diagnostic_to_pb(&Diagnostic::error(summary, detail))
}

fn unsupported(what: &str) -> pb::Diagnostic {
    error_pb(
        format!("{what} not supported"),
        format!("{what} is not supported by this provider."),
    )
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_owned()
    }
}

fn panic_diagnostic(payload: &(dyn std::any::Any + Send)) -> pb::Diagnostic {
    error_pb(
        "Internal provider error",
        format!(
            "internal error in the provider: {}. This is a bug in the provider; please report it.",
            panic_message(payload)
        ),
    )
}

/// Run a provider call, turning a panic into an error diagnostic.
async fn guarded<T>(rpc: &'static str, fut: impl Future<Output = T>) -> Result<T, pb::Diagnostic> {
    AssertUnwindSafe(fut)
        .catch_unwind()
        .await
        .map_err(|payload| {
            tracing::error!(rpc, "provider panicked");
            panic_diagnostic(&*payload)
        })
}

/// Run a provider call that answers with diagnostics only; a panic becomes one more.
async fn guarded_diagnostics(
    rpc: &'static str,
    fut: impl Future<Output = Vec<Diagnostic>>,
) -> Vec<pb::Diagnostic> {
    match guarded(rpc, fut).await {
        Ok(diags) => diagnostics_to_pb(&diags),
        Err(d) => vec![d],
    }
}

impl ProviderService {
    /// Decode a `DynamicValue` of type `ty` (dumping it first when asked to).
    fn decode(
        &self,
        dv: Option<&pb::DynamicValue>,
        ty: &Type,
        what: &str,
    ) -> Result<Value, pb::Diagnostic> {
        if let (Some(d), Some(v)) = (&self.dump, dv) {
            d.dump(what, v);
        }
        decode_value(dv, ty, what)
    }
}

/// Decode a `DynamicValue` of type `ty`. An absent value is null.
pub fn decode_value(
    dv: Option<&pb::DynamicValue>,
    ty: &Type,
    what: &str,
) -> Result<Value, pb::Diagnostic> {
    let Some(dv) = dv else {
        return Ok(Value::Null);
    };
    let result = if !dv.msgpack.is_empty() {
        msgpack::decode(&dv.msgpack, ty).map_err(|e| format!("msgpack: {e}"))
    } else if !dv.json.is_empty() {
        json::decode(&dv.json, ty).map_err(|e| format!("JSON: {e}"))
    } else {
        Err("the value is empty (neither msgpack nor JSON)".to_owned())
    };
    result.map_err(|reason| {
        tracing::warn!(what, "malformed value from Terraform");
        error_pb(
            "Malformed value from Terraform",
            format!("Could not decode the {what}: {reason}"),
        )
    })
}

/// Encode a value of type `ty` as a msgpack `DynamicValue`.
pub fn encode_value(
    value: &Value,
    ty: &Type,
    what: &str,
) -> Result<pb::DynamicValue, pb::Diagnostic> {
    msgpack::encode(value, ty)
        .map(|bytes| pb::DynamicValue {
            msgpack: bytes,
            json: Vec::new(),
        })
        .map_err(|e| {
            tracing::error!(what, "provider returned a value that does not fit its schema");
            error_pb(
                "Provider produced an invalid value",
                format!("The provider's {what} does not fit its schema: {e}. This is a bug in the provider; please report it."),
            )
        })
}

fn log_done(rpc: &'static str, type_name: &str, started: Instant) {
    let duration_us = started.elapsed().as_micros() as u64;
    if type_name.is_empty() {
        tracing::debug!(rpc, duration_us, "served RPC");
    } else {
        tracing::debug!(rpc, type_name, duration_us, "served RPC");
    }
}

type Rpc<T> = Result<Response<T>, Status>;

/// Encode a value the provider returned; when it does not fit the schema, record why in
/// `diagnostics` and send no value.
fn encode_into(
    value: &Value,
    ty: &Type,
    what: &str,
    diagnostics: &mut Vec<pb::Diagnostic>,
) -> Option<pb::DynamicValue> {
    encode_value(value, ty, what)
        .map_err(|d| diagnostics.push(d))
        .ok()
}

/// Like [`encode_into`], for a value that may be null (then nothing is sent).
fn encode_nonnull_into(
    value: &Value,
    ty: &Type,
    what: &str,
    diagnostics: &mut Vec<pb::Diagnostic>,
) -> Option<pb::DynamicValue> {
    if value.is_null() {
        None
    } else {
        encode_into(value, ty, what, diagnostics)
    }
}

/// Like [`encode_nonnull_into`], wrapped as identity data.
fn identity_into(
    value: &Value,
    ty: &Type,
    what: &str,
    diagnostics: &mut Vec<pb::Diagnostic>,
) -> Option<pb::ResourceIdentityData> {
    encode_nonnull_into(value, ty, what, diagnostics).map(|v| pb::ResourceIdentityData {
        identity_data: Some(v),
    })
}

/// A response that can carry nothing but diagnostics (what a failed request answers).
trait DiagnosticsOnly: Default {
    fn with_diagnostic(d: pb::Diagnostic) -> Self;
}

macro_rules! diagnostics_only {
    ($($t:ty),* $(,)?) => {
        $(impl DiagnosticsOnly for $t {
            // Some responses have no field beside `diagnostics`; the macro serves them all.
            #[allow(clippy::needless_update)]
            fn with_diagnostic(d: pb::Diagnostic) -> Self {
                Self { diagnostics: vec![d], ..Default::default() }
            }
        })*
    };
}

diagnostics_only!(
    pb::validate_provider_config::Response,
    pb::validate_resource_config::Response,
    pb::validate_data_resource_config::Response,
    pb::validate_list_resource_config::Response,
    pb::configure_provider::Response,
    pb::upgrade_resource_state::Response,
    pb::upgrade_resource_identity::Response,
    pb::generate_resource_config::Response,
    pb::read_data_source::Response,
    pb::read_resource::Response,
    pb::plan_resource_change::Response,
    pb::apply_resource_change::Response,
    pb::import_resource_state::Response,
    pb::validate_ephemeral_resource_config::Response,
    pb::open_ephemeral_resource::Response,
    pb::renew_ephemeral_resource::Response,
    pb::close_ephemeral_resource::Response,
    pb::plan_action::Response,
    pb::validate_action_config::Response,
);

/// Serve one RPC: time `work`, log it, and answer with what it produced.
async fn timed<R>(rpc: &'static str, type_name: &str, work: impl Future<Output = R>) -> Rpc<R> {
    let started = Instant::now();
    let resp = work.await;
    log_done(rpc, type_name, started);
    Ok(Response::new(resp))
}

/// Serve one RPC whose `work` may stop at a diagnostic: answer with the response, or with one
/// carrying the diagnostic that stopped it.
async fn serve<R: DiagnosticsOnly>(
    rpc: &'static str,
    type_name: &str,
    work: impl Future<Output = Result<R, pb::Diagnostic>>,
) -> Rpc<R> {
    timed(rpc, type_name, async {
        work.await.unwrap_or_else(R::with_diagnostic)
    })
    .await
}

/// Answer an RPC this provider has nothing to do for with a fixed response.
fn answer<R>(rpc: &'static str, type_name: &str, resp: R) -> Rpc<R> {
    log_done(rpc, type_name, Instant::now());
    Ok(Response::new(resp))
}

/// The kind of type named in ephemeral resource RPCs (this provider has none).
const EPHEMERAL: &str = "ephemeral resource";

/// Answer a request about a type of a kind this provider has none of.
fn no_such_kind<R: DiagnosticsOnly>(rpc: &'static str, kind: &str, name: &str) -> Rpc<R> {
    answer(rpc, name, R::with_diagnostic(unknown_kind(kind, name)))
}

impl ProviderService {
    /// Decode the provider configuration and hand it to `call`, which answers with diagnostics.
    async fn with_provider_config<F: Future<Output = Vec<Diagnostic>>>(
        &self,
        rpc: &'static str,
        config: Option<&pb::DynamicValue>,
        call: impl FnOnce(Value) -> F,
    ) -> Result<Vec<pb::Diagnostic>, pb::Diagnostic> {
        let ty = &self.cached().provider_type;
        let config = self.decode(config, ty, "provider configuration")?;
        Ok(guarded_diagnostics(rpc, call(config)).await)
    }
}

#[tonic::async_trait]
impl pb::provider_server::Provider for ProviderService {
    async fn get_metadata(
        &self,
        _: Request<pb::get_metadata::Request>,
    ) -> Rpc<pb::get_metadata::Response> {
        timed("GetMetadata", "", async {
            self.cached().metadata_response.clone()
        })
        .await
    }

    async fn get_provider_schema(
        &self,
        _: Request<pb::get_provider_schema::Request>,
    ) -> Rpc<pb::get_provider_schema::Response> {
        timed("GetProviderSchema", "", async {
            self.cached().schema_response.clone()
        })
        .await
    }

    async fn validate_provider_config(
        &self,
        req: Request<pb::validate_provider_config::Request>,
    ) -> Rpc<pb::validate_provider_config::Response> {
        let req = req.into_inner();
        serve("ValidateProviderConfig", "", async {
            let diagnostics = self
                .with_provider_config("ValidateProviderConfig", req.config.as_ref(), |config| {
                    self.provider.validate_provider_config(config)
                })
                .await?;
            Ok(pb::validate_provider_config::Response { diagnostics })
        })
        .await
    }

    async fn validate_resource_config(
        &self,
        req: Request<pb::validate_resource_config::Request>,
    ) -> Rpc<pb::validate_resource_config::Response> {
        let req = req.into_inner();
        serve("ValidateResourceConfig", &req.type_name, async {
            let ty = self.resource_type(&req.type_name)?;
            let call = ValidateResourceRequest {
                type_name: req.type_name.clone(),
                config: self.decode(req.config.as_ref(), ty, "resource configuration")?,
                client_capabilities: client_capabilities_from_pb(req.client_capabilities.as_ref()),
            };
            let diagnostics = self.provider.validate_resource_config(call);
            let diagnostics = guarded_diagnostics("ValidateResourceConfig", diagnostics).await;
            Ok(pb::validate_resource_config::Response { diagnostics })
        })
        .await
    }

    async fn validate_data_resource_config(
        &self,
        req: Request<pb::validate_data_resource_config::Request>,
    ) -> Rpc<pb::validate_data_resource_config::Response> {
        let req = req.into_inner();
        serve("ValidateDataResourceConfig", &req.type_name, async {
            let ty = self.data_source_type(&req.type_name)?;
            let call = ValidateDataSourceRequest {
                type_name: req.type_name.clone(),
                config: self.decode(req.config.as_ref(), ty, "data source configuration")?,
            };
            let diagnostics = self.provider.validate_data_source_config(call);
            let diagnostics = guarded_diagnostics("ValidateDataResourceConfig", diagnostics).await;
            Ok(pb::validate_data_resource_config::Response { diagnostics })
        })
        .await
    }

    async fn upgrade_resource_state(
        &self,
        req: Request<pb::upgrade_resource_state::Request>,
    ) -> Rpc<pb::upgrade_resource_state::Response> {
        let req = req.into_inner();
        serve("UpgradeResourceState", &req.type_name, async {
            let ty = self.resource_type(&req.type_name)?;
            let call = UpgradeRequest {
                type_name: req.type_name.clone(),
                version: req.version,
                raw_json: raw_json(req.raw_state.as_ref().map(|r| &r.json)),
            };
            let upgraded = self.provider.upgrade_resource_state(call);
            let (value, diags) = guarded("UpgradeResourceState", upgraded).await?;
            let mut diagnostics = diagnostics_to_pb(&diags);
            let upgraded_state = encode_into(&value, ty, "upgraded state", &mut diagnostics);
            Ok(pb::upgrade_resource_state::Response {
                upgraded_state,
                diagnostics,
            })
        })
        .await
    }

    async fn get_resource_identity_schemas(
        &self,
        _: Request<pb::get_resource_identity_schemas::Request>,
    ) -> Rpc<pb::get_resource_identity_schemas::Response> {
        timed("GetResourceIdentitySchemas", "", async {
            let resp = self.cached().identity_response.clone();
            self.identity_asked.store(true, Ordering::Relaxed);
            resp
        })
        .await
    }

    async fn upgrade_resource_identity(
        &self,
        req: Request<pb::upgrade_resource_identity::Request>,
    ) -> Rpc<pb::upgrade_resource_identity::Response> {
        let req = req.into_inner();
        serve("UpgradeResourceIdentity", &req.type_name, async {
            let (version, ty) = self.identity_type(&req.type_name)?;
            let raw_json = raw_json(req.raw_identity.as_ref().map(|r| &r.json));
            let (value, diags) = if *version == req.version {
                // Stored with the current identity schema: nothing to upgrade.
                match raw_json.as_deref().map(|j| json::decode_lenient(j, ty)) {
                    Some(Ok(v)) => (v, Vec::new()),
                    Some(Err(e)) => (
                        Value::Null,
                        vec![Diagnostic::error(
                            "Malformed stored identity",
                            format!(
                                "The stored identity of this {} could not be read: {e}.",
                                req.type_name
                            ),
                        )],
                    ),
                    None => (Value::Null, Vec::new()),
                }
            } else {
                let call = UpgradeIdentityRequest {
                    type_name: req.type_name.clone(),
                    version: req.version,
                    raw_json,
                };
                let upgraded = self.provider.upgrade_resource_identity(call);
                guarded("UpgradeResourceIdentity", upgraded).await?
            };
            let mut diagnostics = diagnostics_to_pb(&diags);
            let upgraded_identity =
                identity_into(&value, ty, "upgraded identity", &mut diagnostics);
            Ok(pb::upgrade_resource_identity::Response {
                upgraded_identity,
                diagnostics,
            })
        })
        .await
    }

    async fn configure_provider(
        &self,
        req: Request<pb::configure_provider::Request>,
    ) -> Rpc<pb::configure_provider::Response> {
        let req = req.into_inner();
        serve("ConfigureProvider", "", async {
            let diagnostics = self
                .with_provider_config("ConfigureProvider", req.config.as_ref(), |config| {
                    let version = req.terraform_version.clone();
                    self.provider.configure_provider(config, version)
                })
                .await?;
            Ok(pb::configure_provider::Response { diagnostics })
        })
        .await
    }

    async fn read_resource(
        &self,
        req: Request<pb::read_resource::Request>,
    ) -> Rpc<pb::read_resource::Response> {
        let req = req.into_inner();
        serve("ReadResource", &req.type_name, async {
            let ty = self.resource_type(&req.type_name)?;
            let call = ReadRequest {
                type_name: req.type_name.clone(),
                current_state: self.decode(req.current_state.as_ref(), ty, "current state")?,
                private: req.private.clone(),
            };
            let resp = guarded("ReadResource", self.provider.read_resource(call)).await?;
            let mut diagnostics = diagnostics_to_pb(&resp.diagnostics);
            let new_state = encode_into(&resp.new_state, ty, "new state", &mut diagnostics);
            let new_identity = self.identity_out(&req.type_name, &resp.new_state, &mut diagnostics);
            Ok(pb::read_resource::Response {
                new_state,
                diagnostics,
                private: resp.private,
                new_identity,
                ..Default::default()
            })
        })
        .await
    }

    async fn plan_resource_change(
        &self,
        req: Request<pb::plan_resource_change::Request>,
    ) -> Rpc<pb::plan_resource_change::Response> {
        let req = req.into_inner();
        serve("PlanResourceChange", &req.type_name, async {
            let ty = self.resource_type(&req.type_name)?;
            let call = PlanRequest {
                type_name: req.type_name.clone(),
                prior_state: self.decode(req.prior_state.as_ref(), ty, "prior state")?,
                proposed_new_state: self.decode(
                    req.proposed_new_state.as_ref(),
                    ty,
                    "proposed new state",
                )?,
                config: self.decode(req.config.as_ref(), ty, "resource configuration")?,
                prior_private: req.prior_private.clone(),
                client_capabilities: client_capabilities_from_pb(req.client_capabilities.as_ref()),
            };
            let planned = self.provider.plan_resource_change(call);
            let resp = guarded("PlanResourceChange", planned).await?;
            let mut diagnostics = diagnostics_to_pb(&resp.diagnostics);
            let planned_state =
                encode_into(&resp.planned_state, ty, "planned state", &mut diagnostics);
            let planned_identity =
                self.identity_out(&req.type_name, &resp.planned_state, &mut diagnostics);
            Ok(pb::plan_resource_change::Response {
                planned_state,
                requires_replace: resp.requires_replace.iter().map(path_to_pb).collect(),
                planned_private: resp.planned_private,
                diagnostics,
                planned_identity,
                ..Default::default()
            })
        })
        .await
    }

    async fn apply_resource_change(
        &self,
        req: Request<pb::apply_resource_change::Request>,
    ) -> Rpc<pb::apply_resource_change::Response> {
        let req = req.into_inner();
        serve("ApplyResourceChange", &req.type_name, async {
            let ty = self.resource_type(&req.type_name)?;
            let call = ApplyRequest {
                type_name: req.type_name.clone(),
                prior_state: self.decode(req.prior_state.as_ref(), ty, "prior state")?,
                planned_state: self.decode(req.planned_state.as_ref(), ty, "planned state")?,
                config: self.decode(req.config.as_ref(), ty, "resource configuration")?,
                planned_private: req.planned_private.clone(),
            };
            let applied = self.provider.apply_resource_change(call);
            let resp = guarded("ApplyResourceChange", applied).await?;
            let mut diagnostics = diagnostics_to_pb(&resp.diagnostics);
            let new_state = encode_into(&resp.new_state, ty, "new state", &mut diagnostics);
            let new_identity = self.identity_out(&req.type_name, &resp.new_state, &mut diagnostics);
            Ok(pb::apply_resource_change::Response {
                new_state,
                private: resp.private,
                diagnostics,
                new_identity,
                ..Default::default()
            })
        })
        .await
    }

    async fn import_resource_state(
        &self,
        req: Request<pb::import_resource_state::Request>,
    ) -> Rpc<pb::import_resource_state::Response> {
        let req = req.into_inner();
        serve("ImportResourceState", &req.type_name, async {
            self.resource_type(&req.type_name)?;
            let identity = match req.identity.as_ref().and_then(|i| i.identity_data.as_ref()) {
                Some(data) => {
                    let (_, ty) = self.identity_type(&req.type_name)?;
                    self.decode(Some(data), ty, "import identity")?
                }
                None => Value::Null,
            };
            let call = ImportRequest {
                type_name: req.type_name.clone(),
                id: req.id.clone(),
                identity,
                client_capabilities: client_capabilities_from_pb(req.client_capabilities.as_ref()),
            };
            let imported = self.provider.import_resource_state(call);
            let resp = guarded("ImportResourceState", imported).await?;
            let mut diagnostics = diagnostics_to_pb(&resp.diagnostics);
            let mut imported_resources = Vec::with_capacity(resp.imported.len());
            for r in resp.imported {
                let encoded = self
                    .resource_type(&r.type_name)
                    .and_then(|ty| encode_value(&r.state, ty, "imported state"));
                match encoded {
                    Ok(state) => {
                        let identity = self.identity_out(&r.type_name, &r.state, &mut diagnostics);
                        imported_resources.push(pb::import_resource_state::ImportedResource {
                            type_name: r.type_name,
                            state: Some(state),
                            private: r.private,
                            identity,
                        })
                    }
                    Err(d) => diagnostics.push(d),
                }
            }
            Ok(pb::import_resource_state::Response {
                imported_resources,
                diagnostics,
                deferred: None,
            })
        })
        .await
    }

    async fn move_resource_state(
        &self,
        req: Request<pb::move_resource_state::Request>,
    ) -> Rpc<pb::move_resource_state::Response> {
        let req = req.into_inner();
        let diagnostic = error_pb(
            "Moving resource state not supported",
            format!(
                "This provider cannot move state from {:?} to {:?}; moved blocks between resource types are not supported.",
                req.source_type_name, req.target_type_name
            ),
        );
        answer(
            "MoveResourceState",
            &req.target_type_name,
            pb::move_resource_state::Response {
                diagnostics: vec![diagnostic],
                ..Default::default()
            },
        )
    }

    async fn read_data_source(
        &self,
        req: Request<pb::read_data_source::Request>,
    ) -> Rpc<pb::read_data_source::Response> {
        let req = req.into_inner();
        serve("ReadDataSource", &req.type_name, async {
            let ty = self.data_source_type(&req.type_name)?;
            let call = ReadDataSourceRequest {
                type_name: req.type_name.clone(),
                config: self.decode(req.config.as_ref(), ty, "data source configuration")?,
                client_capabilities: client_capabilities_from_pb(req.client_capabilities.as_ref()),
            };
            let resp = guarded("ReadDataSource", self.provider.read_data_source(call)).await?;
            let mut diagnostics = diagnostics_to_pb(&resp.diagnostics);
            let state = encode_nonnull_into(&resp.state, ty, "data source state", &mut diagnostics);
            Ok(pb::read_data_source::Response {
                state,
                diagnostics,
                deferred: None,
            })
        })
        .await
    }

    async fn generate_resource_config(
        &self,
        req: Request<pb::generate_resource_config::Request>,
    ) -> Rpc<pb::generate_resource_config::Response> {
        let req = req.into_inner();
        serve("GenerateResourceConfig", &req.type_name, async {
            let capabilities = self.cached().metadata_response.server_capabilities;
            if !capabilities.is_some_and(|c| c.generate_resource_config) {
                return Err(unsupported("Generating resource configuration"));
            }
            let ty = self.resource_type(&req.type_name)?;
            let what = "state to generate configuration from";
            let call = GenerateConfigRequest {
                type_name: req.type_name.clone(),
                state: self.decode(req.state.as_ref(), ty, what)?,
            };
            let generated = self.provider.generate_resource_config(call);
            let (config, diags) = guarded("GenerateResourceConfig", generated).await?;
            let mut diagnostics = diagnostics_to_pb(&diags);
            let what = "generated configuration";
            let config = encode_nonnull_into(&config, ty, what, &mut diagnostics);
            Ok(pb::generate_resource_config::Response {
                config,
                diagnostics,
            })
        })
        .await
    }

    async fn validate_ephemeral_resource_config(
        &self,
        req: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Rpc<pb::validate_ephemeral_resource_config::Response> {
        let req = req.into_inner();
        no_such_kind("ValidateEphemeralResourceConfig", EPHEMERAL, &req.type_name)
    }

    async fn open_ephemeral_resource(
        &self,
        req: Request<pb::open_ephemeral_resource::Request>,
    ) -> Rpc<pb::open_ephemeral_resource::Response> {
        let req = req.into_inner();
        no_such_kind("OpenEphemeralResource", EPHEMERAL, &req.type_name)
    }

    async fn renew_ephemeral_resource(
        &self,
        req: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Rpc<pb::renew_ephemeral_resource::Response> {
        let req = req.into_inner();
        no_such_kind("RenewEphemeralResource", EPHEMERAL, &req.type_name)
    }

    async fn close_ephemeral_resource(
        &self,
        req: Request<pb::close_ephemeral_resource::Request>,
    ) -> Rpc<pb::close_ephemeral_resource::Response> {
        let req = req.into_inner();
        no_such_kind("CloseEphemeralResource", EPHEMERAL, &req.type_name)
    }

    type ListResourceStream = ListStream;

    async fn list_resource(
        &self,
        req: Request<pb::list_resource::Request>,
    ) -> Rpc<Self::ListResourceStream> {
        let started = Instant::now();
        let req = req.into_inner();
        let prepared = (|| {
            let config_ty = self.list_type(&req.type_name)?;
            let state_ty = self.resource_type(&req.type_name)?.clone();
            let (_, identity_ty) = self.identity_type(&req.type_name)?.clone();
            let config = self.decode(req.config.as_ref(), config_ty, "list configuration")?;
            Ok::<_, pb::Diagnostic>((config, state_ty, identity_ty))
        })();
        let (config, state_ty, identity_ty) = match prepared {
            Ok(p) => p,
            Err(d) => {
                log_done("ListResource", &req.type_name, started);
                let event = pb::list_resource::Event {
                    diagnostic: vec![d],
                    ..Default::default()
                };
                return Ok(Response::new(Box::pin(tokio_stream::once(Ok(event)))));
            }
        };
        let include_resource = req.include_resource_object;
        let call = ListRequest {
            type_name: req.type_name.clone(),
            config,
            include_resource,
            limit: req.limit,
        };
        let (sink, events) = ListSink::channel(LIST_BUFFER);
        let provider = self.provider.clone();
        let type_name = req.type_name.clone();
        // The provider runs on its own task and sends each result as it finds it; the stream
        // encodes them on the way out. When Terraform stops reading (its limit reached), the
        // stream is dropped and the provider's next send says so.
        tokio::spawn(async move {
            let fallback = sink.clone();
            if let Err(d) = guarded("ListResource", provider.list_resource(call, sink)).await {
                fallback
                    .send(ListEvent::diagnostics(vec![
                        super::convert::diagnostic_from_pb(&d),
                    ]))
                    .await;
            }
            log_done("ListResource", &type_name, started);
        });
        let stream = tokio_stream::StreamExt::map(
            tokio_stream::wrappers::ReceiverStream::new(events),
            move |event| {
                Ok(list_event_to_pb(
                    &event,
                    include_resource,
                    &state_ty,
                    &identity_ty,
                ))
            },
        );
        Ok(Response::new(Box::pin(stream)))
    }

    async fn validate_list_resource_config(
        &self,
        req: Request<pb::validate_list_resource_config::Request>,
    ) -> Rpc<pb::validate_list_resource_config::Response> {
        let req = req.into_inner();
        serve("ValidateListResourceConfig", &req.type_name, async {
            let ty = self.list_type(&req.type_name)?;
            let call = ValidateListRequest {
                type_name: req.type_name.clone(),
                config: self.decode(req.config.as_ref(), ty, "list configuration")?,
                include_resource: self.decode(
                    req.include_resource_object.as_ref(),
                    &Type::Bool,
                    "include_resource",
                )?,
                limit: self.decode(req.limit.as_ref(), &Type::Number, "limit")?,
            };
            let diagnostics = self.provider.validate_list_resource_config(call);
            let diagnostics = guarded_diagnostics("ValidateListResourceConfig", diagnostics).await;
            Ok(pb::validate_list_resource_config::Response { diagnostics })
        })
        .await
    }

    async fn get_functions(
        &self,
        _: Request<pb::get_functions::Request>,
    ) -> Rpc<pb::get_functions::Response> {
        answer("GetFunctions", "", Default::default())
    }

    async fn call_function(
        &self,
        req: Request<pb::call_function::Request>,
    ) -> Rpc<pb::call_function::Response> {
        let req = req.into_inner();
        let error = pb::FunctionError {
            text: format!("function {:?} is not supported by this provider", req.name),
            function_argument: None,
        };
        let resp = pb::call_function::Response {
            result: None,
            error: Some(error),
        };
        answer("CallFunction", &req.name, resp)
    }

    async fn plan_action(
        &self,
        req: Request<pb::plan_action::Request>,
    ) -> Rpc<pb::plan_action::Response> {
        let req = req.into_inner();
        no_such_kind("PlanAction", "action", &req.action_type)
    }

    type InvokeActionStream = tokio_stream::Once<Result<pb::invoke_action::Event, Status>>;

    async fn invoke_action(
        &self,
        req: Request<pb::invoke_action::Request>,
    ) -> Rpc<Self::InvokeActionStream> {
        let req = req.into_inner();
        let diagnostics = vec![unknown_kind("action", &req.action_type)];
        let completed = pb::invoke_action::event::Completed { diagnostics };
        let event = pb::invoke_action::Event {
            r#type: Some(pb::invoke_action::event::Type::Completed(completed)),
        };
        answer(
            "InvokeAction",
            &req.action_type,
            tokio_stream::once(Ok(event)),
        )
    }

    async fn validate_action_config(
        &self,
        req: Request<pb::validate_action_config::Request>,
    ) -> Rpc<pb::validate_action_config::Response> {
        let req = req.into_inner();
        no_such_kind("ValidateActionConfig", "action", &req.type_name)
    }

    async fn stop_provider(
        &self,
        _: Request<pb::stop_provider::Request>,
    ) -> Rpc<pb::stop_provider::Response> {
        timed("StopProvider", "", async {
            let provider = &self.provider;
            let error = match std::panic::catch_unwind(AssertUnwindSafe(|| provider.stop())) {
                Ok(()) => String::new(),
                Err(payload) => format!(
                    "internal error in the provider: {}",
                    panic_message(&*payload)
                ),
            };
            pb::stop_provider::Response { error }
        })
        .await
    }
}

/// The stored JSON of a raw state or identity, if it has any.
fn raw_json(json: Option<&Vec<u8>>) -> Option<Vec<u8>> {
    json.filter(|j| !j.is_empty()).cloned()
}

/// The stream a ListResource call answers with.
pub type ListStream = std::pin::Pin<
    Box<dyn tokio_stream::Stream<Item = Result<pb::list_resource::Event, Status>> + Send>,
>;

/// A provider's list event as protobuf. A value that does not fit its schema becomes an error
/// diagnostic in the event (and the value is left out).
fn list_event_to_pb(
    event: &ListEvent,
    include_resource: bool,
    state_ty: &Type,
    identity_ty: &Type,
) -> pb::list_resource::Event {
    let mut diagnostic = diagnostics_to_pb(&event.diagnostics);
    let identity = identity_into(
        &event.identity,
        identity_ty,
        "listed identity",
        &mut diagnostic,
    );
    let resource_object = match &event.resource {
        Some(state) if include_resource => {
            encode_into(state, state_ty, "listed object", &mut diagnostic)
        }
        _ => None,
    };
    pb::list_resource::Event {
        identity,
        display_name: event.display_name.clone(),
        resource_object,
        diagnostic,
    }
}

fn unknown_kind(kind: &str, name: &str) -> pb::Diagnostic {
    error_pb(
        format!("Unknown {kind} type"),
        format!("The {kind} {name:?} is not supported by this provider: it has no {kind}s."),
    )
}
