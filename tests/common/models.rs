//! Typed models and request builders for the client tests (`tests/client_api.rs`) and the
//! `api_response` fuzz target; the provider itself works with raw [`JsonObject`]s through
//! [`Endpoint`], so these live beside the tests, not in `src/`.
//!
//! Decoding is tolerant: unknown keys land in `extra`, unknown enum values in `Other(..)`, absent
//! fields are `None` or empty (e.g. a secret a newer server no longer returns). Requests use
//! [`Field`] so that "omit this key" and "send null" stay distinct.
#![allow(dead_code)]

use std::fmt;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

use terraform_provider_authentik::client::{self, ApiError, Client, Created, Endpoint, JsonObject};

/// A secret in a typed model: the provider's own [`client::Secret`] (prints `***`), carried
/// through serde as a plain string (the provider's type never goes through serde).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Secret(client::Secret);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(client::Secret::new(value))
    }
}

impl std::ops::Deref for Secret {
    type Target = client::Secret;
    fn deref(&self) -> &client::Secret {
        &self.0
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.expose())
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret::new)
    }
}

/// Collection paths below `/api/v3/`.
pub mod paths {
    /// SMS authenticator setup stages.
    pub const SMS: &str = "stages/authenticator/sms";
    /// Email authenticator setup stages.
    pub const EMAIL: &str = "stages/authenticator/email";
    /// Authenticator validation stages.
    pub const VALIDATE: &str = "stages/authenticator/validate";
    /// Flows (keyed by slug).
    pub const FLOWS: &str = "flows/instances";
    /// Notification webhook property mappings.
    pub const NOTIFICATION_MAPPINGS: &str = "propertymappings/notification";
    /// WebAuthn device types (read-only, keyed by aaguid).
    pub const WEBAUTHN_DEVICE_TYPES: &str = "stages/authenticator/webauthn_device_types";
}

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(from = "String", into = "String")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A value this client does not know (e.g. from a newer server), kept verbatim.
            Other(String),
        }

        impl $name {
            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)*
                    Self::Other(s) => s,
                }
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                match s.as_str() {
                    $($text => Self::$variant,)*
                    _ => Self::Other(s),
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self::from(s.to_owned())
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.as_str().to_owned()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum!(
    /// SMS provider.
    SmsProvider { /// Twilio.
        Twilio => "twilio", /// Generic webhook.
        Generic => "generic" }
);
string_enum!(
    /// Authentication of the generic SMS provider.
    SmsAuthType { /// Basic auth.
        Basic => "basic", /// Bearer token.
        Bearer => "bearer" }
);
string_enum!(
    /// What the validate stage does for a user without a device.
    NotConfiguredAction { /// Skip the stage.
        Skip => "skip", /// Deny access.
        Deny => "deny", /// Run a configuration stage.
        Configure => "configure" }
);
string_enum!(
    /// Authenticator device class.
    DeviceClass { /// Static tokens.
        Static => "static", /// TOTP.
        Totp => "totp", /// WebAuthn.
        Webauthn => "webauthn", /// Duo.
        Duo => "duo", /// SMS.
        Sms => "sms", /// Email.
        Email => "email" }
);
string_enum!(
    /// WebAuthn user verification requirement.
    UserVerification { /// Required.
        Required => "required", /// Preferred.
        Preferred => "preferred", /// Discouraged.
        Discouraged => "discouraged" }
);
string_enum!(
    /// WebAuthn hint (authentik 2026.5+).
    WebAuthnHint { /// Security key.
        SecurityKey => "security-key", /// Client device.
        ClientDevice => "client-device", /// Hybrid.
        Hybrid => "hybrid" }
);
string_enum!(
    /// What a flow is used for.
    FlowDesignation { /// Authentication.
        Authentication => "authentication", /// Authorization.
        Authorization => "authorization", /// Invalidation.
        Invalidation => "invalidation", /// Enrollment.
        Enrollment => "enrollment", /// Unenrollment.
        Unenrollment => "unenrollment", /// Recovery.
        Recovery => "recovery", /// Stage configuration.
        StageConfiguration => "stage_configuration" }
);
string_enum!(
    /// What deleting the referenced object does to a referrer.
    UsedByAction { /// Deleted too.
        Cascade => "cascade", /// Many-to-many link removed.
        CascadeMany => "cascade_many", /// Set to null.
        SetNull => "set_null", /// Set to default.
        SetDefault => "set_default", /// Left dangling.
        LeftDangling => "left_dangling" }
);

/// An SMS authenticator setup stage as returned by the server.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct SmsStage {
    /// Stage UUID.
    pub pk: String,
    /// Unique name.
    pub name: String,
    /// Provider.
    pub provider: Option<SmsProvider>,
    /// Sender number.
    pub from_number: Option<String>,
    /// Twilio account SID, or the generic provider's URL.
    pub account_sid: Option<String>,
    /// Twilio auth token / generic bearer token or username. Absent on servers that make it write-only.
    pub auth: Option<Secret>,
    /// Generic basic-auth password. Absent on servers that make it write-only.
    pub auth_password: Option<Secret>,
    /// Generic provider auth type.
    pub auth_type: Option<SmsAuthType>,
    /// Verify only, don't store the number.
    pub verify_only: Option<bool>,
    /// Notification webhook mapping UUID.
    pub mapping: Option<String>,
    /// Friendly name.
    pub friendly_name: Option<String>,
    /// Configuration flow UUID.
    pub configure_flow: Option<String>,
    /// Flows this stage is bound in.
    pub flow_set: Vec<JsonObject>,
    /// Keys this model does not know.
    #[serde(flatten)]
    pub extra: JsonObject,
}

/// An email authenticator setup stage as returned by the server.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct EmailStage {
    /// Stage UUID.
    pub pk: String,
    /// Unique name.
    pub name: String,
    /// Use the global email settings.
    pub use_global_settings: Option<bool>,
    /// SMTP host.
    pub host: Option<String>,
    /// SMTP port.
    pub port: Option<i64>,
    /// SMTP username.
    pub username: Option<String>,
    /// SMTP password. Absent on servers that make it write-only.
    pub password: Option<Secret>,
    /// STARTTLS.
    pub use_tls: Option<bool>,
    /// Implicit TLS.
    pub use_ssl: Option<bool>,
    /// SMTP timeout in seconds.
    pub timeout: Option<i64>,
    /// Sender address.
    pub from_address: Option<String>,
    /// Subject.
    pub subject: Option<String>,
    /// Code validity (duration grammar).
    pub token_expiry: Option<String>,
    /// Template.
    pub template: Option<String>,
    /// Friendly name.
    pub friendly_name: Option<String>,
    /// Configuration flow UUID.
    pub configure_flow: Option<String>,
    /// Flows this stage is bound in.
    pub flow_set: Vec<JsonObject>,
    /// Keys this model does not know.
    #[serde(flatten)]
    pub extra: JsonObject,
}

/// An authenticator validation stage as returned by the server.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ValidateStage {
    /// Stage UUID.
    pub pk: String,
    /// Unique name.
    pub name: String,
    /// What to do for a user without a device.
    pub not_configured_action: Option<NotConfiguredAction>,
    /// Accepted device classes.
    pub device_classes: Option<Vec<DeviceClass>>,
    /// Configuration stage UUIDs (a set: any order).
    pub configuration_stages: Option<Vec<String>>,
    /// Skip if the last authentication is more recent than this (duration grammar).
    pub last_auth_threshold: Option<String>,
    /// WebAuthn user verification.
    pub webauthn_user_verification: Option<UserVerification>,
    /// Allowed WebAuthn device type aaguids (a set: any order).
    pub webauthn_allowed_device_types: Option<Vec<String>>,
    /// The allowed device types in full.
    pub webauthn_allowed_device_types_obj: Vec<WebAuthnDeviceType>,
    /// WebAuthn hints (2026.5+).
    pub webauthn_hints: Option<Vec<WebAuthnHint>>,
    /// Email OTP throttling factor (2026.5+).
    pub email_otp_throttling_factor: Option<f64>,
    /// SMS OTP throttling factor (2026.5+).
    pub sms_otp_throttling_factor: Option<f64>,
    /// TOTP throttling factor (2026.5+).
    pub totp_otp_throttling_factor: Option<f64>,
    /// Static OTP throttling factor (2026.5+).
    pub static_otp_throttling_factor: Option<f64>,
    /// Flows this stage is bound in.
    pub flow_set: Vec<JsonObject>,
    /// Keys this model does not know.
    #[serde(flatten)]
    pub extra: JsonObject,
}

/// A flow.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Flow {
    /// Flow UUID (what stage `configure_flow` takes).
    pub pk: String,
    /// Name (not unique).
    pub name: String,
    /// Unique slug (the id in flow URLs).
    pub slug: String,
    /// Title.
    pub title: Option<String>,
    /// Designation.
    pub designation: Option<FlowDesignation>,
    /// Keys this model does not know.
    #[serde(flatten)]
    pub extra: JsonObject,
}

/// A notification webhook property mapping.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct NotificationWebhookMapping {
    /// Mapping UUID (`pm_uuid`).
    pub pk: String,
    /// Unique name.
    pub name: String,
    /// Python expression.
    pub expression: Option<String>,
    /// Keys this model does not know.
    #[serde(flatten)]
    pub extra: JsonObject,
}

/// A WebAuthn device type (read-only).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct WebAuthnDeviceType {
    /// AAGUID (the id).
    pub aaguid: String,
    /// Description.
    pub description: Option<String>,
    /// Keys this model does not know.
    #[serde(flatten)]
    pub extra: JsonObject,
}

/// One object referencing another (`used_by`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct UsedBy {
    /// Django app label.
    pub app: String,
    /// Model name.
    pub model_name: String,
    /// Referrer's primary key.
    pub pk: String,
    /// Referrer's name.
    pub name: String,
    /// What deleting the referenced object does to it.
    pub action: Option<UsedByAction>,
    /// Keys this model does not know.
    #[serde(flatten)]
    pub extra: JsonObject,
}

/// A request field: omitted, explicit `null`, or a value. Keys that are [`Field::Omit`] are left
/// out of the body; `Null` sends `null`.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Field<T> {
    /// Not sent.
    #[default]
    Omit,
    /// Sent as `null`.
    Null,
    /// Sent as this value.
    Value(T),
}

/// A patch field is a [`Field`].
pub type Patch<T> = Field<T>;

impl<T> Field<T> {
    /// Whether the key is left out.
    pub fn is_omit(&self) -> bool {
        matches!(self, Field::Omit)
    }
}

impl<T> From<T> for Field<T> {
    fn from(v: T) -> Self {
        Field::Value(v)
    }
}

impl<T: Serialize> Serialize for Field<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Field::Omit | Field::Null => serializer.serialize_none(),
            Field::Value(v) => v.serialize(serializer),
        }
    }
}

macro_rules! request {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Serialize)]
        pub struct $name {
            $(
                $(#[$fmeta])*
                #[serde(skip_serializing_if = "Field::is_omit")]
                pub $field: Field<$ty>,
            )*
        }

        impl $name {
            /// The JSON object body.
            pub fn to_object(&self) -> Result<JsonObject, ApiError> {
                to_object(self)
            }
        }
    };
}

request!(
    /// Body for creating or changing an SMS stage.
    SmsStageRequest {
        /// Unique name.
        name: String,
        /// Provider.
        provider: SmsProvider,
        /// Sender number.
        from_number: String,
        /// Account SID or URL.
        account_sid: String,
        /// Auth token / username.
        auth: Secret,
        /// Basic-auth password.
        auth_password: Secret,
        /// Auth type.
        auth_type: SmsAuthType,
        /// Verify only.
        verify_only: bool,
        /// Mapping UUID.
        mapping: String,
        /// Friendly name.
        friendly_name: String,
        /// Configuration flow UUID.
        configure_flow: String,
    }
);

request!(
    /// Body for creating or changing an email stage.
    EmailStageRequest {
        /// Unique name.
        name: String,
        /// Use global settings.
        use_global_settings: bool,
        /// SMTP host.
        host: String,
        /// SMTP port.
        port: i64,
        /// SMTP username.
        username: String,
        /// SMTP password.
        password: Secret,
        /// STARTTLS.
        use_tls: bool,
        /// Implicit TLS.
        use_ssl: bool,
        /// Timeout in seconds.
        timeout: i64,
        /// Sender address.
        from_address: String,
        /// Subject.
        subject: String,
        /// Token expiry.
        token_expiry: String,
        /// Template.
        template: String,
        /// Friendly name.
        friendly_name: String,
        /// Configuration flow UUID.
        configure_flow: String,
    }
);

request!(
    /// Body for creating or changing a validate stage.
    ValidateStageRequest {
        /// Unique name.
        name: String,
        /// Not-configured action.
        not_configured_action: NotConfiguredAction,
        /// Device classes.
        device_classes: Vec<DeviceClass>,
        /// Configuration stage UUIDs.
        configuration_stages: Vec<String>,
        /// Last-auth threshold.
        last_auth_threshold: String,
        /// WebAuthn user verification.
        webauthn_user_verification: UserVerification,
        /// Allowed device type aaguids.
        webauthn_allowed_device_types: Vec<String>,
        /// WebAuthn hints (2026.5+).
        webauthn_hints: Vec<WebAuthnHint>,
    }
);

request!(
    /// Body for creating a flow.
    FlowRequest {
        /// Name.
        name: String,
        /// Unique slug.
        slug: String,
        /// Title.
        title: String,
        /// Designation.
        designation: FlowDesignation,
    }
);

request!(
    /// Body for creating a notification webhook mapping.
    NotificationWebhookMappingRequest {
        /// Unique name.
        name: String,
        /// Python expression.
        expression: String,
    }
);

/// Serializes a request into a JSON object body.
pub fn to_object<B: Serialize + ?Sized>(body: &B) -> Result<JsonObject, ApiError> {
    match serde_json::to_value(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(ApiError::Config {
            message: "a request body must serialize to a JSON object".into(),
        }),
        Err(e) => Err(ApiError::Config {
            message: format!("the request body cannot be encoded as JSON: {e}"),
        }),
    }
}

fn decode<T: DeserializeOwned>(obj: JsonObject) -> Result<T, ApiError> {
    serde_json::from_value(Value::Object(obj)).map_err(|e| ApiError::Decode {
        message: format!("cannot read {}: {e}", std::any::type_name::<T>()),
    })
}

/// Typed access to one collection, built on [`Endpoint`].
pub struct Resource<T> {
    client: Client,
    collection: &'static str,
    endpoint: Endpoint,
    _model: PhantomData<fn() -> T>,
}

impl<T> Clone for Resource<T> {
    fn clone(&self) -> Self {
        Resource {
            client: self.client.clone(),
            collection: self.collection,
            endpoint: self.endpoint.clone(),
            _model: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Resource<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Resource")
            .field("endpoint", &self.endpoint)
            .finish()
    }
}

impl<T: DeserializeOwned> Resource<T> {
    /// The typed view of `collection`.
    pub fn new(client: &Client, collection: &'static str) -> Self {
        Resource {
            client: client.clone(),
            collection,
            endpoint: client.endpoint(collection),
            _model: PhantomData,
        }
    }

    /// The raw endpoint.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// See [`Endpoint::list`].
    pub async fn list(&self, query: &[(&str, &str)]) -> Result<Vec<T>, ApiError> {
        self.endpoint
            .list(query)
            .await?
            .into_iter()
            .map(decode)
            .collect()
    }

    /// See [`Endpoint::find_by_name`].
    pub async fn find_by_name(&self, name: &str) -> Result<Option<T>, ApiError> {
        self.endpoint
            .find_by_name(name)
            .await?
            .map(decode)
            .transpose()
    }

    /// See [`Endpoint::create`]. The typed view does not say whether the object was found by its
    /// key after a lost answer; callers that must prove ownership use the endpoint directly.
    pub async fn create<B: Serialize + ?Sized>(&self, body: &B) -> Result<T, ApiError> {
        match self.endpoint.create(&to_object(body)?).await? {
            Created::Answered(o) | Created::FoundByKey { object: o, .. } => decode(o),
        }
    }

    /// See [`Endpoint::retrieve`].
    pub async fn retrieve(&self, id: &str) -> Result<T, ApiError> {
        decode(self.endpoint.retrieve(id).await?)
    }

    /// See [`Endpoint::partial_update`].
    pub async fn partial_update<B: Serialize + ?Sized>(
        &self,
        id: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        decode(self.endpoint.partial_update(id, &to_object(body)?).await?)
    }

    /// See [`Endpoint::delete`].
    pub async fn delete(&self, id: &str) -> Result<(), ApiError> {
        self.endpoint.delete(id).await
    }

    /// The objects that reference `id` (`GET .../<id>/used_by/`, an unpaginated array, which
    /// [`Endpoint::list`] tolerates).
    pub async fn used_by(&self, id: &str) -> Result<Vec<UsedBy>, ApiError> {
        let path: &'static str =
            Box::leak(format!("{}/{id}/used_by", self.collection).into_boxed_str());
        self.client
            .endpoint(path)
            .list(&[])
            .await?
            .into_iter()
            .map(decode)
            .collect()
    }
}

/// The typed resources of a [`Client`].
pub trait TypedResources {
    /// The typed view of `collection`.
    fn typed<T: DeserializeOwned>(&self, collection: &'static str) -> Resource<T>;

    /// SMS authenticator setup stages.
    fn sms(&self) -> Resource<SmsStage> {
        self.typed(paths::SMS)
    }

    /// Email authenticator setup stages.
    fn email(&self) -> Resource<EmailStage> {
        self.typed(paths::EMAIL)
    }

    /// Authenticator validation stages.
    fn validate(&self) -> Resource<ValidateStage> {
        self.typed(paths::VALIDATE)
    }

    /// Flows (ids are slugs).
    fn flows(&self) -> Resource<Flow> {
        self.typed(paths::FLOWS)
    }

    /// Notification webhook property mappings.
    fn notification_mappings(&self) -> Resource<NotificationWebhookMapping> {
        self.typed(paths::NOTIFICATION_MAPPINGS)
    }

    /// WebAuthn device types (read-only; ids are aaguids).
    fn webauthn_device_types(&self) -> Resource<WebAuthnDeviceType> {
        self.typed(paths::WEBAUTHN_DEVICE_TYPES)
    }
}

impl TypedResources for Client {
    fn typed<T: DeserializeOwned>(&self, collection: &'static str) -> Resource<T> {
        Resource::new(self, collection)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn field_omit_null_value() {
        let req = SmsStageRequest {
            name: "s".to_owned().into(),
            friendly_name: Field::Value(String::new()),
            mapping: Field::Null,
            verify_only: Field::Value(false),
            auth: Field::Value(Secret::new("tok")),
            ..Default::default()
        };
        let obj = req.to_object().unwrap();
        assert_eq!(
            Value::Object(obj),
            json!({"name": "s", "friendly_name": "", "mapping": null, "verify_only": false, "auth": "tok"})
        );
        assert!(!format!("{req:?}").contains("tok"));
        let v = ValidateStageRequest {
            name: "v".to_owned().into(),
            configuration_stages: Field::Value(vec![]),
            ..Default::default()
        };
        assert_eq!(
            Value::Object(v.to_object().unwrap()),
            json!({"name": "v", "configuration_stages": []})
        );
    }

    #[test]
    fn tolerant_decoding() {
        let s: SmsStage = decode(
            json!({
                "pk": "p", "name": "n", "provider": "carrier-pigeon", "auth_type": "bearer",
                "mapping": null, "brand_new_field": {"x": 1}
            })
            .as_object()
            .cloned()
            .unwrap(),
        )
        .unwrap();
        assert_eq!(
            s.provider,
            Some(SmsProvider::Other("carrier-pigeon".into()))
        );
        assert_eq!(s.auth_type, Some(SmsAuthType::Bearer));
        assert_eq!(s.auth, None);
        assert_eq!(s.mapping, None);
        assert!(s.extra.contains_key("brand_new_field"));
        assert_eq!(
            serde_json::to_value(SmsProvider::Other("x".into())).unwrap(),
            json!("x")
        );

        let v: ValidateStage = decode(
            json!({"pk": "p", "name": "v", "device_classes": ["sms", "quantum"],
                   "webauthn_hints": ["hybrid"], "sms_otp_throttling_factor": 1})
            .as_object()
            .cloned()
            .unwrap(),
        )
        .unwrap();
        assert_eq!(
            v.device_classes,
            Some(vec![DeviceClass::Sms, DeviceClass::Other("quantum".into())])
        );
        assert_eq!(v.webauthn_hints, Some(vec![WebAuthnHint::Hybrid]));
        assert_eq!(v.sms_otp_throttling_factor, Some(1.0));
    }
}
