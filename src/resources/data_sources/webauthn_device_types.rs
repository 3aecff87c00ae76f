//! `data "authentik_webauthn_device_types"`: every WebAuthn device type with a description (a
//! family of security keys such as `YubiKey 5 Series`, which covers several AAGUIDs), or matching
//! a search.

use crate::engine::field::{Check, DataAttr, DataSourceDef, Field, Many};

/// Every WebAuthn device type matching (`/api/v3/stages/authenticator/webauthn_device_types/`).
pub const WEBAUTHN_DEVICE_TYPES: DataSourceDef = DataSourceDef {
    type_name: "authentik_webauthn_device_types",
    api_path: "stages/authenticator/webauthn_device_types",
    title: "WebAuthn device type",
    plural: "WebAuthn device types",
    doc: "Finds every WebAuthn device type (authentik fills the table from the FIDO metadata) with a description, or matching a search, and returns all their AAGUIDs, for `device_type_restrictions` or `webauthn_allowed_device_types`. Use it to allow a family of security keys: on a real authentik, `YubiKey 5 Series` names three AAGUIDs and 15 descriptions name more than one, so the single `authentik_webauthn_device_type` refuses such a description. \
No match is an error with the closest descriptions, never an empty set: to authentik an empty restriction list means *no restriction* (every authenticator is allowed), the opposite of what a lookup that found nothing should give.",
    id_key: "aaguid",
    attributes: &[
        DataAttr::server(
            Field::string("description")
                .check(Check::NonBlank)
                .doc("Description of the device types, e.g. `YubiKey 5 Series` or `1Password`."),
        ),
        DataAttr::search(
            Field::string("search")
                .check(Check::NonBlank)
                .doc("Words that must each appear in the description or the AAGUID, any case (authentik's `search`), e.g. `yubikey` for every YubiKey, `yubikey 5 nfc` for every YubiKey 5 with NFC (FIPS, Enterprise Profile and Preview models included). With `description` too, both must match."),
        ),
    ],
    query: &[],
    many: Some(Many {
        ids: "aaguids",
        ids_doc: "The AAGUIDs of every device type found (at least one), lower case and hyphenated, ready for `device_type_restrictions` or `webauthn_allowed_device_types` (combine several with `setunion`).",
        objects: "device_types",
        objects_doc: "Every device type found, ordered by description, then AAGUID: objects with `aaguid` and `description`.",
        fields: &[Field::string("description"), Field::uuid("aaguid")],
    }),
    every: None,
};
