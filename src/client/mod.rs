//! TEMPORARY stub with the agreed signatures (replaced by the client branch).
#![allow(missing_docs, dead_code, unused_variables)]
use std::time::Duration;
pub type JsonObject = serde_json::Map<String, serde_json::Value>;
pub struct Secret(String);
impl Secret {
    pub fn new(s: String) -> Self {
        Secret(s)
    }
}
pub struct ClientConfig {
    pub url: String,
    pub token: Secret,
    pub insecure: bool,
    pub headers: Vec<(String, Secret)>,
    pub request_timeout: Duration,
    pub max_retries: u32,
    pub user_agent: String,
}
impl ClientConfig {
    pub fn new(url: impl Into<String>, token: impl Into<String>) -> Self {
        ClientConfig {
            url: url.into(),
            token: Secret(token.into()),
            insecure: false,
            headers: vec![],
            request_timeout: Duration::from_secs(30),
            max_retries: 4,
            user_agent: String::new(),
        }
    }
}
#[derive(Clone)]
pub struct Client;
impl Client {
    pub fn new(
        c: ClientConfig,
        t: tokio_util::sync::CancellationToken,
    ) -> Result<Client, ApiError> {
        Ok(Client)
    }
    pub fn endpoint(&self, c: &'static str) -> Endpoint {
        Endpoint
    }
}
pub struct Endpoint;
impl Endpoint {
    pub async fn find_by_name(&self, name: &str) -> Result<Option<JsonObject>, ApiError> {
        Ok(None)
    }
    pub async fn create(&self, body: &JsonObject) -> Result<JsonObject, ApiError> {
        Ok(JsonObject::new())
    }
    pub async fn retrieve(&self, id: &str) -> Result<JsonObject, ApiError> {
        Ok(JsonObject::new())
    }
    pub async fn partial_update(
        &self,
        id: &str,
        body: &JsonObject,
    ) -> Result<JsonObject, ApiError> {
        Ok(JsonObject::new())
    }
    pub async fn delete(&self, id: &str) -> Result<(), ApiError> {
        Ok(())
    }
}
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("nf")]
    NotFound { url_path: String },
    #[error("v")]
    Validation { errors: Vec<FieldError> },
}
#[derive(Debug)]
pub struct FieldError {
    pub path: Vec<FieldPathStep>,
    pub message: String,
}
#[derive(Debug)]
pub enum FieldPathStep {
    Field(String),
    Index(usize),
}
