//! authentik REST API client.
//!
//! Knows HTTP and authentik, nothing of Terraform. Build a [`Client`] from a [`ClientConfig`]
//! and a cancellation token, then work on a collection through [`Client::endpoint`]:
//!
//! ```no_run
//! # async fn demo() -> Result<(), terraform_provider_authentik::client::ApiError> {
//! use terraform_provider_authentik::client::{Client, ClientConfig};
//! let client = Client::new(
//!     ClientConfig::new("https://authentik.example.com", "token"),
//!     tokio_util::sync::CancellationToken::new(),
//! )?;
//! let sms = client.endpoint("stages/authenticator/sms");
//! let existing = sms.find_by_name("my-sms").await?;
//! # let _ = existing;
//! # Ok(()) }
//! ```
//!
//! Behaviour:
//! - one `reqwest::Client` (one keep-alive connection pool) shared by every clone and call;
//! - every path gets `/api/v3` and a trailing slash; ids are percent-encoded path segments;
//! - retries with exponential backoff and full jitter on connection failures, timeouts, dropped
//!   connections, 429 (honouring `Retry-After`) and 502/503/504; creates are never duplicated
//!   (see [`Endpoint::create`]);
//! - when the cancel token fires, reads and backoff waits stop with [`ApiError::Cancelled`];
//!   a write already on the wire finishes its attempt but is not retried;
//! - logs (via `tracing`) carry method, path, status, duration and attempt only: never bodies,
//!   the token or header values.

mod config;
mod error;
mod http;
pub mod models;
mod retry;
mod secret;

/// A JSON object, the body type of every request and answer.
pub type JsonObject = serde_json::Map<String, serde_json::Value>;

pub use config::{
    api_base_url, ClientConfig, DEFAULT_BACKOFF_BASE, DEFAULT_BACKOFF_MAX, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_RETRIES, DEFAULT_REQUEST_TIMEOUT, DEFAULT_RETRY_AFTER_MAX, DEFAULT_RETRY_TIMEOUT,
};
pub use error::{
    flatten_validation_body, ApiError, ErrorClass, FieldError, FieldPathStep, TransportKind,
};
pub use http::{Client, Created, Endpoint, Page, Pages, PAGE_SIZE};
pub use models::{
    EmailStage, EmailStageRequest, Field, Flow, FlowRequest, NotificationWebhookMapping,
    NotificationWebhookMappingRequest, Patch, Resource, SmsStage, SmsStageRequest, UsedBy,
    ValidateStage, ValidateStageRequest, WebAuthnDeviceType,
};
pub use retry::{parse_retry_after, Attempts, Backoff, Outage, Policy, Retry};
pub use secret::Secret;
