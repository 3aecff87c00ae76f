//! `authentik_stage_authenticator_validate`: the authenticator validation stage.

use super::common::NAME;
use crate::engine::field::{Check, Dflt, Field, ResourceDef, Rule, STAGE_DEFAULTS};

/// Device classes authentik knows.
const DEVICE_CLASSES: &[&str] = &["static", "totp", "webauthn", "duo", "sms", "email"];

/// The authenticator validation stage.
pub const VALIDATE: ResourceDef = ResourceDef {
    type_name: "authentik_stage_authenticator_validate",
    api_path: "stages/authenticator/validate",
    title: "authenticator validation stage",
    doc: "Manages an authentik authenticator validation stage (`/api/v3/stages/authenticator/validate/`): asks the user to prove possession of one of their authenticators, and says what happens to users without one.",
    fields: &[
        NAME,
        Field::string("not_configured_action")
            .default(Dflt::Str("skip"))
            .one_of(&["skip", "deny", "configure"])
            .doc("What happens to a user without a suitable device. `configure` needs `configuration_stages`."),
        Field::string_set("device_classes")
            .default(Dflt::Strs(DEVICE_CLASSES))
            .one_of(DEVICE_CLASSES)
            .non_empty()
            .doc("Device classes a user may authenticate with. Order does not matter; must not be empty."),
        Field::uuid_set("configuration_stages").default(Dflt::Strs(&[])).doc(
            "UUIDs of the setup stages (any stage type) offered to a user without a device when `not_configured_action = \"configure\"`. Order does not matter.",
        ),
        Field::string("last_auth_threshold").default(Dflt::Str("seconds=0")).check(Check::Duration).doc(
            "Skip this stage when one of the user's devices was used within this time, in authentik's duration format (`hours=1;minutes=30`, pairs separated by `;`). Compared exactly as the server stores it.",
        ),
        Field::string("webauthn_user_verification")
            .default(Dflt::Str("preferred"))
            .one_of(&["required", "preferred", "discouraged"])
            .doc("User verification required of WebAuthn devices."),
        Field::uuid_set("webauthn_allowed_device_types").default(Dflt::Strs(&[])).doc(
            "AAGUIDs of the WebAuthn device types allowed (see `/api/v3/stages/authenticator/webauthn_device_types/`). Empty means no restriction. Order does not matter.",
        ),
        Field::string_list("webauthn_hints")
            .versioned(Dflt::Strs(&[]))
            .one_of(&["security-key", "client-device", "hybrid"])
            .doc("Hints to the browser about which WebAuthn authenticators to offer, most preferred first (order matters: authentik keeps it as sent)."),
        Field::float("email_otp_throttling_factor").versioned(Dflt::Int(1)).check(Check::AtLeast(0.0)).doc("Throttling factor for email codes."),
        Field::float("sms_otp_throttling_factor").versioned(Dflt::Int(1)).check(Check::AtLeast(0.0)).doc("Throttling factor for SMS codes."),
        Field::float("totp_otp_throttling_factor").versioned(Dflt::Int(1)).check(Check::AtLeast(0.0)).doc("Throttling factor for TOTP codes."),
        Field::float("static_otp_throttling_factor").versioned(Dflt::Int(1)).check(Check::AtLeast(0.0)).doc("Throttling factor for static codes."),
    ],
    rules: &[Rule::RequiresNonEmpty { field: "not_configured_action", value: "configure", needs: "configuration_stages" }],
    // The server checks `configure` against configuration_stages in the same request body.
    send_together: &["not_configured_action", "configuration_stages"],
    ..STAGE_DEFAULTS
};
