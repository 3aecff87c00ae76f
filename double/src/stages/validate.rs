//! Authenticator validation stage (`/stages/authenticator/validate/`). Only `name` is required.

use serde_json::{Map, Value};

use crate::config::ApiVersion;
use crate::fields::{duration_validator, Default, Field, Invalid, Kind, Target};
use crate::listing::{Filter, FilterKind};
use crate::store::{Record, Store};

use super::{device_type_objects, StageKind, NAME, PLAIN};

/// Device classes, in the default order.
pub const DEVICE_CLASSES: &[&str] = &["static", "totp", "webauthn", "duo", "sms", "email"];
/// What happens when the user has no device.
pub const NOT_CONFIGURED_ACTIONS: &[&str] = &["skip", "deny", "configure"];
/// WebAuthn user verification levels.
pub const USER_VERIFICATION: &[&str] = &["required", "preferred", "discouraged"];
/// WebAuthn hints (2026.5).
pub const WEBAUTHN_HINTS: &[&str] = &["security-key", "client-device", "hybrid"];

const CONFIGURE_NEEDS_STAGES: &str =
    "When \"Not configured action\" is set to \"Configure\", you must set a configuration stage.";

/// `not_configured_action="configure"` needs a non-empty `configuration_stages` in the SAME
/// request body (authentik reads the raw request, not the stored stage), even on PATCH.
fn configure_needs_stages(value: &Value, body: &Map<String, Value>) -> Result<(), Invalid> {
    if value != "configure" {
        return Ok(());
    }
    // Python: `if not configuration_stages or len(configuration_stages) < 1`.
    let present = match body.get("configuration_stages") {
        None | Some(Value::Null) | Some(Value::Bool(false)) => false,
        Some(Value::Array(items)) => !items.is_empty(),
        Some(Value::Object(map)) => !map.is_empty(),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Number(n)) if n.as_f64() == Some(0.0) => false,
        // `len()` of a number or `True` raises TypeError: a 500 on the real server.
        Some(Value::Number(_)) | Some(Value::Bool(true)) => return Err(Invalid::ServerError),
    };
    if present {
        Ok(())
    } else {
        Err(Invalid::Message(CONFIGURE_NEEDS_STAGES.to_string()))
    }
}

/// `webauthn_allowed_device_types_obj`: the device types behind the aaguids.
fn extras(record: &Record, store: &Store, out: &mut Map<String, Value>) {
    out.insert(
        "webauthn_allowed_device_types_obj".into(),
        device_type_objects(record, store, "webauthn_allowed_device_types"),
    );
}

const fn throttling(name: &'static str) -> Field {
    Field::new(name, Kind::Float)
        .default(Default::Float(1.0))
        .since(ApiVersion::V2026_5)
}

/// The Validate stage type.
pub static VALIDATE: StageKind = StageKind {
    path: "validate",
    model: "AuthenticatorValidateStage",
    app_label: "authentik_stages_authenticator_validate",
    model_name: "authenticatorvalidatestage",
    component: "ak-stage-authenticator-validate-form",
    verbose_name: "Authenticator Validation Stage",
    verbose_name_plural: "Authenticator Validation Stages",
    fields: &[
        NAME,
        Field::new(
            "not_configured_action",
            Kind::Choice(NOT_CONFIGURED_ACTIONS),
        )
        .default(Default::Str("skip"))
        .validators(&[configure_needs_stages]),
        Field::new(
            "device_classes",
            Kind::ChoiceList {
                choices: DEVICE_CLASSES,
                allow_empty: false,
            },
        )
        .default(Default::List(DEVICE_CLASSES)),
        Field::new("configuration_stages", Kind::RefSet(Target::Stage)).default(Default::List(&[])),
        Field::text("last_auth_threshold")
            .validators(&[duration_validator])
            .default(Default::Str("seconds=0")),
        Field::new(
            "webauthn_user_verification",
            Kind::Choice(USER_VERIFICATION),
        )
        .default(Default::Str("preferred")),
        Field::new(
            "webauthn_hints",
            Kind::ChoiceList {
                choices: WEBAUTHN_HINTS,
                allow_empty: true,
            },
        )
        // An ArrayField: order and duplicates are kept.
        .default(Default::List(&[]))
        .since(ApiVersion::V2026_5),
        Field::new(
            "webauthn_allowed_device_types",
            Kind::RefSet(Target::DeviceType),
        )
        .default(Default::List(&[])),
        throttling("email_otp_throttling_factor"),
        throttling("sms_otp_throttling_factor"),
        throttling("totp_otp_throttling_factor"),
        throttling("static_otp_throttling_factor"),
    ],
    filters: &[
        Filter::text("name"),
        Filter::on(
            "not_configured_action",
            FilterKind::Choice(NOT_CONFIGURED_ACTIONS),
        ),
        Filter::on("configuration_stages", FilterKind::RefAny(Target::Stage)),
    ],
    extras,
    unordered_extras: &["webauthn_allowed_device_types_obj"],
    ..PLAIN
};
