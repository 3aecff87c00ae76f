//! `authentik_stage_authenticator_webauthn`: the WebAuthn (security key, passkey) setup stage.

use super::common::{CONFIGURE_FLOW, FRIENDLY_NAME, NAME};
use crate::engine::field::{Check, Dflt, Field, ResourceDef, STAGE_DEFAULTS};

/// WebAuthn user verification and resident key levels.
const LEVELS: &[&str] = &["required", "preferred", "discouraged"];

/// The WebAuthn authenticator setup stage.
pub const WEBAUTHN: ResourceDef = ResourceDef {
    type_name: "authentik_stage_authenticator_webauthn",
    api_path: "stages/authenticator/webauthn",
    title: "WebAuthn authenticator setup stage",
    doc: "Manages an authentik WebAuthn authenticator setup stage (`/api/v3/stages/authenticator/webauthn/`): lets users enrol security keys and passkeys, optionally only of certain device types.",
    fields: &[
        NAME,
        FRIENDLY_NAME,
        CONFIGURE_FLOW,
        Field::string("user_verification")
            .default(Dflt::Str("preferred"))
            .one_of(LEVELS)
            .doc("Whether the authenticator must verify the user (PIN, biometrics)."),
        Field::string("resident_key_requirement")
            .default(Dflt::Str("preferred"))
            .one_of(LEVELS)
            .doc("Whether the credential is stored on the authenticator (a discoverable credential, needed for passkey sign-in without a user name)."),
        Field::string("authenticator_attachment")
            .one_of(&["platform", "cross-platform"])
            .doc("Which authenticators may be enrolled: `platform` (built into the device, e.g. Windows Hello, Touch ID) or `cross-platform` (roaming, e.g. a USB key)."),
        Field::uuid_set("device_type_restrictions").default(Dflt::Strs(&[])).doc(
            "AAGUIDs of the WebAuthn device types that may be enrolled (see the `authentik_webauthn_device_type` data source). Empty means any device. Order does not matter; authentik silently drops types that the FIDO metadata revokes.",
        ),
        Field::int("max_attempts")
            .default(Dflt::Int(0))
            .check(Check::IntRange { min: 0, max: i32::MAX as i64, why: "a count; 0 means unlimited" })
            .doc("How many failed enrolment attempts are allowed; `0` means unlimited."),
        Field::string_list("hints")
            .versioned(Dflt::Strs(&[]))
            .one_of(&["security-key", "client-device", "hybrid"])
            .doc("Hints to the browser about which kinds of authenticator to offer, most preferred first (order matters)."),
        Field::bool("prevent_duplicate_devices")
            .versioned(Dflt::Bool(true))
            .doc("Refuse to enrol a device that is already registered."),
    ],
    rules: &[],
    send_together: &[],
    ..STAGE_DEFAULTS
};
