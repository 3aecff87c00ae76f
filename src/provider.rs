//! The authentik provider: the provider block, the API client it configures, and the dispatch
//! of each resource call to the engine. Knows both sides, does little itself.

use crate::client::{Client, ClientConfig};
use crate::engine::reader::{Reader, ReaderSettings};
use crate::engine::{
    self,
    field::{DataSourceDef, ResourceDef},
};
use crate::protocol::{
    no_data_source, no_list_resource, ApplyRequest, ApplyResponse, Attribute, AttributePath, Block,
    Diagnostic, GenerateConfigRequest, ImportRequest, ImportResponse, ListEvent, ListRequest,
    ListSink, PlanRequest, PlanResponse, Provider, ProviderSchemas, ReadDataSourceRequest,
    ReadDataSourceResponse, ReadRequest, ReadResponse, Schema, Type, UpgradeRequest,
    ValidateDataSourceRequest, ValidateListRequest, ValidateResourceRequest, Value,
};
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Default request timeout.
pub const DEFAULT_REQUEST_TIMEOUT_SECS: i64 = 30;
/// Default retry budget.
pub const DEFAULT_MAX_RETRIES: i64 = 4;

/// The provider.
pub struct AuthentikProvider {
    resources: &'static [&'static ResourceDef],
    data_sources: &'static [&'static DataSourceDef],
    /// The configuration and the reader over the client built from it (kept to rebuild both
    /// after a stop).
    client: RwLock<Option<(ClientConfig, Arc<Reader>)>>,
}

impl AuthentikProvider {
    /// A provider serving these resources (and no data sources).
    pub fn new(resources: &'static [&'static ResourceDef]) -> Self {
        AuthentikProvider {
            resources,
            data_sources: &[],
            client: RwLock::new(None),
        }
    }

    /// The same provider, also serving these data sources.
    pub fn with_data_sources(mut self, data_sources: &'static [&'static DataSourceDef]) -> Self {
        self.data_sources = data_sources;
        self
    }

    fn data_source(&self, type_name: &str) -> Result<&'static DataSourceDef, Diagnostic> {
        self.data_sources
            .iter()
            .copied()
            .find(|d| d.type_name == type_name)
            .ok_or_else(|| no_data_source(type_name))
    }

    fn def(&self, type_name: &str) -> Result<&'static ResourceDef, Diagnostic> {
        self.resources
            .iter()
            .copied()
            .find(|d| d.type_name == type_name)
            .ok_or_else(|| {
                Diagnostic::error(
                    "Unknown resource type",
                    format!("This provider has no resource type {type_name:?}."),
                )
            })
    }

    /// The resource definition and the configured reader (and through it the client) for a
    /// call that talks to authentik.
    fn target(&self, type_name: &str) -> Result<(&'static ResourceDef, Arc<Reader>), Diagnostic> {
        Ok((self.def(type_name)?, self.reader()?))
    }

    fn reader(&self) -> Result<Arc<Reader>, Diagnostic> {
        let guard = self
            .client
            .read()
            .map_err(|_| Diagnostic::error("Internal error", "client lock poisoned"))?;
        guard.as_ref().map(|(_, r)| Arc::clone(r)).ok_or_else(|| {
            Diagnostic::error(
                "Provider not configured",
                "The authentik provider has no usable configuration (its `url` or `token` were unknown or missing when it was configured).",
            )
        })
    }
}

/// The provider block schema.
pub fn provider_schema() -> Schema {
    let attr = |name: &str, ty: Type, description: &str, sensitive: bool| Attribute {
        name: name.into(),
        ty: Some(ty),
        description: description.into(),
        optional: true,
        sensitive,
        ..Default::default()
    };
    Schema {
        version: 0,
        block: Block {
            description: "Manages authentik authenticator stages through authentik's REST API.".into(),
            attributes: vec![
                attr("url", Type::String, "Root URL of the authentik server, e.g. `https://authentik.example.com` (a sub-path is allowed: `https://example.com/sso`); `/api/v3` is appended. Defaults to the `AUTHENTIK_URL` environment variable.", false),
                attr("token", Type::String, "API token (an authentik token with the `API` intent). Defaults to the `AUTHENTIK_TOKEN` environment variable. Sensitive; never logged.", true),
                attr("insecure", Type::Bool, "Skip TLS certificate verification (for test servers only). Defaults to the `AUTHENTIK_INSECURE` environment variable, else `false`.", false),
                attr("headers", Type::map(Type::String), "Extra HTTP headers sent with every request (e.g. for a proxy in front of authentik). Values are sensitive and never logged.", true),
                attr("request_timeout", Type::Number, "Seconds one HTTP request may take before it is abandoned (and retried where that is safe). Defaults to 30.", false),
                attr("max_retries", Type::Number, "How many times a request is retried after a timeout, a dropped connection, a 429 or a 502/504 (with backoff and jitter; creates are never duplicated). Defaults to 4; 0 turns these retries off. Requests authentik cannot have handled are retried within `retry_timeout` instead.", false),
                attr("retry_timeout", Type::Number, "Seconds to keep retrying requests that authentik cannot have handled (connection refused, DNS failure, connect timeout, a 503 from a proxy) while authentik is out of reach, e.g. restarting for an upgrade; the apply, plan or refresh waits and logs each wait at INFO. Counted from the first such failure after authentik last answered; no request waits longer. Defaults to the `AUTHENTIK_RETRY_TIMEOUT` environment variable, else 120; 0 retries them only `max_retries` times.", false),
            ],
            deprecated: false,
        },
    }
}

/// Largest `retry_timeout` accepted, in seconds (one hour).
const MAX_RETRY_TIMEOUT: i64 = 3600;
/// Environment variable giving `retry_timeout` when the provider block does not.
const RETRY_TIMEOUT_ENV: &str = "AUTHENTIK_RETRY_TIMEOUT";

/// `AUTHENTIK_RETRY_TIMEOUT`, if set: whole seconds from 0 to 3600.
fn retry_timeout_from_env() -> Result<Option<Duration>, Diagnostic> {
    let Some(text) = env_nonempty(RETRY_TIMEOUT_ENV) else {
        return Ok(None);
    };
    match text.trim().parse::<i64>() {
        Ok(secs) if (0..=MAX_RETRY_TIMEOUT).contains(&secs) => {
            Ok(Some(Duration::from_secs(secs as u64)))
        }
        _ => Err(Diagnostic::error(
            format!("Invalid `{RETRY_TIMEOUT_ENV}`"),
            format!(
                "`{RETRY_TIMEOUT_ENV}` must be a whole number of seconds from 0 to {MAX_RETRY_TIMEOUT} (it sets `retry_timeout`); got {text:?}."
            ),
        )),
    }
}

fn env_nonempty(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn int_attr(
    config: &Value,
    name: &str,
    min: i64,
    max: i64,
    diags: &mut Vec<Diagnostic>,
) -> Option<i64> {
    let v = config.get(name);
    let n = v.as_number()?;
    match n.as_i64() {
        Some(i) if (min..=max).contains(&i) => Some(i),
        _ => {
            diags.push(
                Diagnostic::error(
                    format!("Invalid `{name}`"),
                    format!("`{name}` must be a whole number from {min} to {max}; got {n}."),
                )
                .at(AttributePath::attr(name)),
            );
            None
        }
    }
}

fn check_url(url: &str) -> Result<(), String> {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) || url.len() < 10 {
        return Err(format!(
            "{url:?} is not an http(s) URL. Give the root URL of the authentik server, e.g. \"https://authentik.example.com\"."
        ));
    }
    Ok(())
}

#[async_trait::async_trait]
impl Provider for AuthentikProvider {
    fn schemas(&self) -> ProviderSchemas {
        ProviderSchemas {
            provider: provider_schema(),
            resources: self
                .resources
                .iter()
                .map(|d| (d.type_name.to_string(), engine::schema::resource_schema(d)))
                .collect(),
            data_sources: self
                .data_sources
                .iter()
                .map(|d| {
                    (
                        d.type_name.to_string(),
                        engine::lookup::data_source_schema(d),
                    )
                })
                .collect(),
            identities: self
                .resources
                .iter()
                .map(|d| {
                    (
                        d.type_name.to_string(),
                        engine::identity::identity_schema(d),
                    )
                })
                .collect(),
            list_resources: self
                .resources
                .iter()
                .map(|d| (d.type_name.to_string(), engine::listing::list_schema(d)))
                .collect(),
            generates_resource_config: true,
        }
    }

    fn resource_identity(&self, type_name: &str, state: &Value) -> Value {
        match self.def(type_name) {
            Ok(def) => engine::identity::identity_of(def, state),
            Err(_) => Value::Null,
        }
    }

    async fn validate_list_resource_config(&self, req: ValidateListRequest) -> Vec<Diagnostic> {
        match self.def(&req.type_name) {
            Ok(def) => engine::listing::validate(def, &req),
            Err(_) => vec![no_list_resource(&req.type_name)],
        }
    }

    async fn list_resource(&self, req: ListRequest, out: ListSink) {
        let target = match self.def(&req.type_name) {
            Ok(def) => self.reader().map(|r| (def, r)),
            Err(_) => Err(no_list_resource(&req.type_name)),
        };
        match target {
            Ok((def, reader)) => engine::listing::list(def, &reader, &req, &out).await,
            Err(d) => {
                out.send(ListEvent::diagnostics(vec![d])).await;
            }
        }
    }

    async fn generate_resource_config(
        &self,
        req: GenerateConfigRequest,
    ) -> (Value, Vec<Diagnostic>) {
        match self.def(&req.type_name) {
            Ok(def) => engine::generate::generate(def, &req.state),
            Err(d) => (Value::Null, vec![d]),
        }
    }

    async fn validate_provider_config(&self, config: Value) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        if let Some(url) = config.get("url").as_str() {
            if let Err(msg) = check_url(url) {
                diags.push(Diagnostic::error("Invalid `url`", msg).at(AttributePath::attr("url")));
            }
        }
        int_attr(&config, "request_timeout", 1, 3600, &mut diags);
        int_attr(&config, "max_retries", 0, 20, &mut diags);
        int_attr(&config, "retry_timeout", 0, MAX_RETRY_TIMEOUT, &mut diags);
        diags
    }

    async fn configure_provider(
        &self,
        config: Value,
        terraform_version: String,
    ) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        if config.contains_unknown() {
            // Values known only after apply: resources fail with a clear message if used.
            return diags;
        }
        let url = config
            .get("url")
            .as_str()
            .map(str::to_string)
            .or_else(|| env_nonempty("AUTHENTIK_URL"));
        let token = config
            .get("token")
            .as_str()
            .map(str::to_string)
            .or_else(|| env_nonempty("AUTHENTIK_TOKEN"));
        let Some(url) = url else {
            diags.push(Diagnostic::error("Missing authentik URL", "Set `url` in the provider block or the AUTHENTIK_URL environment variable to the root URL of your authentik server.").at(AttributePath::attr("url")));
            return diags;
        };
        if let Err(msg) = check_url(&url) {
            diags.push(Diagnostic::error("Invalid `url`", msg).at(AttributePath::attr("url")));
            return diags;
        }
        let Some(token) = token else {
            diags.push(Diagnostic::error("Missing authentik token", "Set `token` in the provider block or the AUTHENTIK_TOKEN environment variable to an authentik API token.").at(AttributePath::attr("token")));
            return diags;
        };
        let insecure = match config.get("insecure").as_bool() {
            Some(b) => b,
            None => matches!(
                env_nonempty("AUTHENTIK_INSECURE")
                    .as_deref()
                    .map(str::to_ascii_lowercase)
                    .as_deref(),
                Some("1" | "true" | "yes")
            ),
        };
        let mut cfg = ClientConfig::new(url, token);
        cfg.insecure = insecure;
        if let Some(headers) = config.get("headers").as_object() {
            cfg.headers = headers
                .iter()
                .filter_map(|(k, v)| {
                    v.as_str()
                        .map(|s| (k.clone(), crate::client::Secret::new(s.to_string())))
                })
                .collect();
        }
        if let Some(t) = int_attr(&config, "request_timeout", 1, 3600, &mut diags) {
            cfg.request_timeout = Duration::from_secs(t as u64);
        }
        if let Some(r) = int_attr(&config, "max_retries", 0, 20, &mut diags) {
            cfg.max_retries = r as u32;
        }
        match int_attr(&config, "retry_timeout", 0, MAX_RETRY_TIMEOUT, &mut diags) {
            Some(t) => cfg.retry_timeout = Duration::from_secs(t as u64),
            None if config.get("retry_timeout").as_number().is_none() => {
                match retry_timeout_from_env() {
                    Ok(Some(t)) => cfg.retry_timeout = t,
                    Ok(None) => {}
                    Err(d) => diags.push(d),
                }
            }
            None => {}
        }
        cfg.user_agent = format!(
            "terraform-provider-authentik/{} terraform/{terraform_version}",
            env!("CARGO_PKG_VERSION")
        );
        match Client::new(cfg.clone(), CancellationToken::new()) {
            Ok(c) => {
                if let Ok(mut slot) = self.client.write() {
                    *slot = Some((cfg, Reader::new(c, ReaderSettings::from_env())));
                }
            }
            Err(e) => diags.push(Diagnostic::error(
                "Cannot set up the authentik client",
                e.to_string(),
            )),
        }
        diags
    }

    async fn validate_resource_config(&self, req: ValidateResourceRequest) -> Vec<Diagnostic> {
        match self.def(&req.type_name) {
            Ok(def) => engine::validate::validate(def, &req.config, req.client_capabilities),
            Err(d) => vec![d],
        }
    }

    async fn upgrade_resource_state(&self, req: UpgradeRequest) -> (Value, Vec<Diagnostic>) {
        match self.def(&req.type_name) {
            Ok(def) => engine::upgrade::upgrade(def, req.raw_json.as_deref()),
            Err(d) => (Value::Null, vec![d]),
        }
    }

    async fn read_resource(&self, req: ReadRequest) -> ReadResponse {
        let (def, reader) = match self.target(&req.type_name) {
            Ok(x) => x,
            Err(d) => {
                return ReadResponse {
                    new_state: req.current_state,
                    private: req.private,
                    diagnostics: vec![d],
                }
            }
        };
        engine::ops::read(def, &reader, &req).await
    }

    async fn plan_resource_change(&self, req: PlanRequest) -> PlanResponse {
        match self.def(&req.type_name) {
            Ok(def) => engine::plan::plan(def, &req),
            Err(d) => PlanResponse {
                diagnostics: vec![d],
                ..Default::default()
            },
        }
    }

    async fn apply_resource_change(&self, req: ApplyRequest) -> ApplyResponse {
        let (def, reader) = match self.target(&req.type_name) {
            Ok(x) => x,
            Err(d) => {
                return ApplyResponse {
                    new_state: req.prior_state,
                    private: req.planned_private,
                    diagnostics: vec![d],
                }
            }
        };
        // No read in this process is served a cached object from before the write.
        let _writing = reader.begin_write();
        engine::ops::apply(def, reader.client(), &req).await
    }

    async fn import_resource_state(&self, req: ImportRequest) -> ImportResponse {
        let (def, reader) = match self.target(&req.type_name) {
            Ok(x) => x,
            Err(d) => {
                return ImportResponse {
                    imported: Vec::new(),
                    diagnostics: vec![d],
                }
            }
        };
        engine::ops::import(def, &reader, &req).await
    }

    async fn validate_data_source_config(&self, req: ValidateDataSourceRequest) -> Vec<Diagnostic> {
        match self.data_source(&req.type_name) {
            Ok(def) => engine::lookup::validate(def, &req.config),
            Err(d) => vec![d],
        }
    }

    async fn read_data_source(&self, req: ReadDataSourceRequest) -> ReadDataSourceResponse {
        let found = self
            .data_source(&req.type_name)
            .and_then(|def| Ok((def, self.reader()?)));
        match found {
            Ok((def, reader)) => engine::lookup::read(def, reader.client(), &req.config).await,
            Err(d) => ReadDataSourceResponse {
                state: Value::Null,
                diagnostics: vec![d],
            },
        }
    }

    fn stop(&self) {
        tracing::info!("stop requested: cancelling in-flight work");
        // In-flight calls hold clones of the current client and see its token fire; later
        // calls get a fresh client, so the provider keeps serving.
        let Ok(mut slot) = self.client.write() else {
            return;
        };
        if let Some((cfg, old)) = slot.take() {
            old.client().cancel_token().cancel();
            *slot = Client::new(cfg.clone(), CancellationToken::new())
                .ok()
                .map(|c| (cfg, Reader::new(c, ReaderSettings::from_env())));
        }
    }
}
