//! `data "authentik_webauthn_device_type"`: one WebAuthn device type by description or AAGUID.

use crate::engine::field::{Check, DataAttr, DataSourceDef, Field};

/// A WebAuthn device type (`/api/v3/stages/authenticator/webauthn_device_types/`).
pub const WEBAUTHN_DEVICE_TYPE: DataSourceDef = DataSourceDef {
    type_name: "authentik_webauthn_device_type",
    api_path: "stages/authenticator/webauthn_device_types",
    title: "WebAuthn device type",
    plural: "WebAuthn device types",
    doc: "Finds one WebAuthn device type (authentik fills the table from the FIDO metadata) by its description or its AAGUID, for `device_type_restrictions` or `webauthn_allowed_device_types`. Descriptions are not unique (on a real authentik 15 of them name several AAGUIDs: three rows are called `Windows Hello`, three `YubiKey 5 Series`): when one matches more than one type the error lists their AAGUIDs; set `aaguid` to pick one, or use `authentik_webauthn_device_types` to get every AAGUID of a description.",
    id_key: "aaguid",
    attributes: &[
        DataAttr::server(
            Field::string("description")
                .check(Check::NonBlank)
                .doc("Description of the device type, e.g. `1Password` or `YubiKey 5 Series`."),
        ),
        DataAttr::server(
            Field::uuid("aaguid").doc("The device type's AAGUID (a UUID, any case)."),
        ),
    ],
    query: &[],
    many: None,
    every: Some("authentik_webauthn_device_types"),
};
