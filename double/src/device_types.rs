//! WebAuthn device types: a read-only table keyed by `aaguid` (authentik fills it from the FIDO
//! metadata service and its list of passkey providers; it always has the all-zero "unknown
//! devices" entry). Descriptions are not unique (three "Windows Hello" rows). The `icon` is
//! filterable but never returned.

use std::borrow::Cow;

use serde_json::{json, Value};
use uuid::Uuid;

use crate::errors::ApiError;
use crate::ids;
use crate::listing::{self, Filter, FilterKind, ListSpec};
use crate::query::Query;
use crate::reply::Reply;
use crate::AppState;

/// One WebAuthn device type.
#[derive(Debug, Clone)]
pub struct DeviceType {
    /// Authenticator attestation GUID.
    pub aaguid: Uuid,
    /// Human name (not unique).
    pub description: &'static str,
    /// Icon (a data URI upstream); filterable, never returned.
    pub icon: Option<&'static str>,
}

/// The aaguid of "authentik: Unknown devices".
pub const UNKNOWN_DEVICES: &str = "00000000-0000-0000-0000-000000000000";

const SEED: &[(&str, &str)] = &[
    (UNKNOWN_DEVICES, "authentik: Unknown devices"),
    ("cb69481e-8ff7-4039-93ec-0a2729a154a8", "YubiKey 5 Series"),
    (
        "ee882879-721c-4913-9775-3dfcce97072a",
        "YubiKey 5 Series with NFC",
    ),
    (
        "fa2b99dc-9e39-4257-8f92-4a30d23c4118",
        "YubiKey 5 Series with NFC",
    ),
    (
        "2fc0579f-8113-47ea-b116-bb5a8db9202a",
        "YubiKey 5 Series with NFC",
    ),
    ("08987058-cadc-4b81-b6e1-30de50dcbe96", "Windows Hello"),
    ("6028b017-b1d4-4c02-b4b3-afcdafc96bb2", "Windows Hello"),
    ("9ddd1817-af5a-4672-a2b9-3e3dd95000a9", "Windows Hello"),
    ("fbfc3007-154e-4ecc-8c0b-6e020557d7bd", "iCloud Keychain"),
    (
        "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4",
        "Google Password Manager",
    ),
    ("bada5566-a7aa-401f-bd96-45619a55120d", "1Password"),
    ("d548826e-79b4-db40-a3d8-11116f7e8349", "Bitwarden"),
    ("531126d6-e717-415c-9320-3d9aa6981239", "Dashlane"),
    ("adce0002-35bc-c60a-648b-0b25f1f05503", "Chrome on Mac"),
];

/// A stand-in icon for the seeded rows that have one (only its exact value filters).
pub const SEED_ICON: &str = "data:image/svg+xml;base64,PHN2Zy8+";

/// The seeded table.
pub fn seed() -> Vec<DeviceType> {
    SEED.iter()
        .filter_map(|(aaguid, description)| {
            ids::parse_uuid(aaguid).map(|aaguid| DeviceType {
                aaguid,
                description,
                // The MDS and passkey-provider entries have icons; the Unknown row has none.
                icon: (aaguid.as_u128() != 0).then_some(SEED_ICON),
            })
        })
        .collect()
}

/// The API representation.
pub fn render(device_type: &DeviceType) -> Value {
    json!({ "aaguid": ids::format_uuid(&device_type.aaguid), "description": device_type.description })
}

const MODEL: &str = "WebAuthnDeviceType";

/// The row with its icon, for filtering.
fn render_filterable(device_type: &DeviceType) -> Value {
    json!({
        "aaguid": ids::format_uuid(&device_type.aaguid),
        "description": device_type.description,
        "icon": device_type.icon,
    })
}

/// Drops the icon.
fn present(value: &Value) -> Cow<'_, Value> {
    let mut value = value.clone();
    if let Value::Object(map) = &mut value {
        map.remove("icon");
    }
    Cow::Owned(value)
}

const LIST: ListSpec = ListSpec {
    filters: &[
        Filter::on("aaguid", FilterKind::Pk),
        Filter::text("description"),
        Filter::text("icon"),
    ],
    search: &["description", "aaguid"],
    ordering: &["description", "aaguid"],
};

/// `GET /stages/authenticator/webauthn_device_types/`
pub fn list(state: &AppState, query: &Query) -> Result<Reply, ApiError> {
    let store = state.read_store();
    let items = store.device_types().iter().map(render_filterable).collect();
    listing::respond::<Value>(items, query, &LIST, &*store, present)
}

/// `GET /stages/authenticator/webauthn_device_types/{aaguid}/`
pub fn retrieve(state: &AppState, aaguid: &str) -> Result<Reply, ApiError> {
    let aaguid = ids::parse_uuid(aaguid).ok_or_else(ApiError::not_found_plain)?;
    let store = state.read_store();
    let device_type = store
        .device_type(&aaguid)
        .ok_or_else(|| ApiError::not_found(MODEL))?;
    Ok(Reply::json(200, render(device_type)))
}
