//! WebAuthn authenticator setup stage (`/stages/authenticator/webauthn/`). Only `name` is
//! required. `device_type_restrictions` is a set of device-type aaguids (flat error list, shown
//! again as `device_type_restrictions_obj`); 2026.5 adds `hints` (ordered, duplicates kept) and
//! `prevent_duplicate_devices`, and drops the `stage_uuid` and `friendly_name` list filters.

use serde_json::{Map, Value};

use crate::config::ApiVersion;
use crate::fields::{Default, Field, Kind, Target, UINT31};
use crate::listing::{Filter, FilterKind};
use crate::store::{Record, Store};

use super::{
    device_type_objects, StageKind, CONFIGURE_FLOW, FRIENDLY_NAME, NAME, PLAIN, STAGE_UUID_FILTER,
};

/// User verification levels.
pub const USER_VERIFICATION: &[&str] = &["required", "preferred", "discouraged"];
/// Resident key (discoverable credential) requirements.
pub const RESIDENT_KEY_REQUIREMENTS: &[&str] = &["discouraged", "preferred", "required"];
/// Authenticator attachments (`null` means either).
pub const ATTACHMENTS: &[&str] = &["platform", "cross-platform"];
/// WebAuthn hints (2026.5).
pub const HINTS: &[&str] = &["security-key", "client-device", "hybrid"];

/// `device_type_restrictions_obj`: the device types behind the aaguids.
fn extras(record: &Record, store: &Store, out: &mut Map<String, Value>) {
    out.insert(
        "device_type_restrictions_obj".into(),
        device_type_objects(record, store, "device_type_restrictions"),
    );
}

/// The WebAuthn stage type.
pub static WEBAUTHN: StageKind = StageKind {
    path: "webauthn",
    model: "AuthenticatorWebAuthnStage",
    app_label: "authentik_stages_authenticator_webauthn",
    model_name: "authenticatorwebauthnstage",
    component: "ak-stage-authenticator-webauthn-form",
    verbose_name: "WebAuthn Authenticator Setup Stage",
    verbose_name_plural: "WebAuthn Authenticator Setup Stages",
    fields: &[
        NAME,
        CONFIGURE_FLOW,
        FRIENDLY_NAME,
        Field::new("user_verification", Kind::Choice(USER_VERIFICATION))
            .default(Default::Str("preferred")),
        // Nullable, default null; `""` is an invalid choice.
        Field::new("authenticator_attachment", Kind::Choice(ATTACHMENTS)).nullable(),
        Field::new(
            "resident_key_requirement",
            Kind::Choice(RESIDENT_KEY_REQUIREMENTS),
        )
        .default(Default::Str("preferred")),
        Field::new("device_type_restrictions", Kind::RefSet(Target::DeviceType))
            .default(Default::List(&[])),
        Field::new("max_attempts", UINT31).default(Default::Int(0)),
        // An ArrayField: order and duplicates are kept, errors nested by index.
        Field::new(
            "hints",
            Kind::ChoiceList {
                choices: HINTS,
                allow_empty: true,
            },
        )
        .default(Default::List(&[]))
        .since(ApiVersion::V2026_5),
        Field::new("prevent_duplicate_devices", Kind::Bool)
            .default(Default::Bool(true))
            .since(ApiVersion::V2026_5),
    ],
    filters: &[
        Filter::text("name"),
        STAGE_UUID_FILTER,
        Filter::on("configure_flow", FilterKind::Ref(Target::Flow)),
        Filter::text("friendly_name"),
        Filter::on("user_verification", FilterKind::Choice(USER_VERIFICATION)),
        Filter::on(
            "resident_key_requirement",
            FilterKind::Choice(RESIDENT_KEY_REQUIREMENTS),
        ),
        Filter::on("authenticator_attachment", FilterKind::Choice(ATTACHMENTS)),
        Filter::on(
            "device_type_restrictions",
            FilterKind::RefAny(Target::DeviceType),
        ),
        Filter::on("max_attempts", FilterKind::Int),
    ],
    // 2026.5: `stage_uuid` and `friendly_name` are silently ignored.
    filters_2026_5: Some(&[
        Filter::text("name"),
        Filter::on("configure_flow", FilterKind::Ref(Target::Flow)),
        Filter::on("user_verification", FilterKind::Choice(USER_VERIFICATION)),
        Filter::on("authenticator_attachment", FilterKind::Choice(ATTACHMENTS)),
        Filter::on(
            "resident_key_requirement",
            FilterKind::Choice(RESIDENT_KEY_REQUIREMENTS),
        ),
        Filter::on(
            "device_type_restrictions",
            FilterKind::RefAny(Target::DeviceType),
        ),
        Filter::on("max_attempts", FilterKind::Int),
    ]),
    extras,
    unordered_extras: &["device_type_restrictions_obj"],
    ..PLAIN
};
