//! WebAuthn device types: a read-only table keyed by `aaguid` (authentik fills it from the FIDO
//! metadata service and its list of passkey providers; it always has the all-zero "unknown
//! devices" entry). The rows are those of real servers, recorded (`double/data/`, refreshed from
//! `../shared/authentik/recordings/` by `scripts/refresh-device-types`): 221 on 2026.2.2, 219 on
//! 2025.12.4. Descriptions are not unique there: 15 name several AAGUIDs (three "Windows Hello",
//! three "YubiKey 5 Series"). The `icon` is filterable but never returned.

use std::borrow::Cow;
use std::sync::OnceLock;

use serde_json::{json, Value};
use uuid::Uuid;

use crate::config::ApiVersion;
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

/// The device-type table of one real authentik release, as `GET
/// /stages/authenticator/webauthn_device_types/` listed it (every page, `aaguid` and
/// `description` of each row).
#[derive(Debug)]
pub struct Recording {
    /// The release it was recorded on (`2026.2.2`).
    pub release: &'static str,
    /// The file under `double/data/`.
    pub file: &'static str,
    /// Its text (a JSON array of `{"aaguid", "description"}`).
    pub json: &'static str,
    rows: OnceLock<Vec<(Uuid, String)>>,
}

impl Recording {
    const fn new(release: &'static str, file: &'static str, json: &'static str) -> Recording {
        Recording {
            release,
            file,
            json,
            rows: OnceLock::new(),
        }
    }

    /// The rows, parsed once (a row without a valid `aaguid` or a `description` is left out;
    /// the double's tests check that none is).
    pub fn rows(&self) -> &[(Uuid, String)] {
        self.rows.get_or_init(|| {
            let parsed: Vec<Value> = serde_json::from_str(self.json).unwrap_or_default();
            parsed
                .iter()
                .filter_map(|row| {
                    let aaguid = ids::parse_uuid(row.get("aaguid")?.as_str()?)?;
                    let description = row.get("description")?.as_str()?.to_string();
                    Some((aaguid, description))
                })
                .collect()
        })
    }
}

/// Every recorded table, oldest release first.
pub static RECORDINGS: [Recording; 2] = [
    Recording::new(
        "2025.12.4",
        "webauthn-device-types-2025.12.4.json",
        include_str!("../data/webauthn-device-types-2025.12.4.json"),
    ),
    Recording::new(
        "2026.2.2",
        "webauthn-device-types-2026.2.2.json",
        include_str!("../data/webauthn-device-types-2026.2.2.json"),
    ),
];

/// `2026.2.2` → `[2026, 2, 2]` (parts that are not numbers count as 0).
fn release_parts(release: &str) -> Vec<u32> {
    release.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

/// The table a release has: the newest recording not newer than it, or the oldest recording
/// for a release older than every recording. 2026.2 and 2026.5 get the 2026.2.2 table,
/// 2025.12 the 2025.12.4 one.
pub fn recording_for_release(release: &str) -> &'static Recording {
    let wanted = release_parts(release);
    RECORDINGS
        .iter()
        .rev()
        .find(|r| release_parts(r.release) <= wanted)
        .unwrap_or(&RECORDINGS[0])
}

/// The table of the release the double imitates.
pub fn recording_for(version: ApiVersion) -> &'static Recording {
    recording_for_release(version.release())
}

/// A stand-in icon for the rows that have one (only its exact value filters).
pub const SEED_ICON: &str = "data:image/svg+xml;base64,PHN2Zy8+";

/// The table of a fresh install of the release imitated.
pub fn seed(version: ApiVersion) -> Vec<DeviceType> {
    recording_for(version)
        .rows()
        .iter()
        .map(|(aaguid, description)| DeviceType {
            aaguid: *aaguid,
            description: description.as_str(),
            // The MDS and passkey-provider entries have icons; the Unknown row has none.
            icon: (aaguid.as_u128() != 0).then_some(SEED_ICON),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_recorded_row_parses() {
        for (recording, count) in RECORDINGS.iter().zip([219, 221]) {
            let rows: Vec<Value> = serde_json::from_str(recording.json).unwrap_or_default();
            assert_eq!(rows.len(), count, "{}", recording.file);
            assert_eq!(recording.rows().len(), count, "{}", recording.file);
        }
    }

    #[test]
    fn each_release_gets_the_newest_table_not_newer_than_it() {
        for (release, recorded) in [
            ("2025.12.0", "2025.12.4"),
            ("2025.12.4", "2025.12.4"),
            ("2026.2.2", "2026.2.2"),
            ("2026.5.0", "2026.2.2"),
            ("2024.1.0", "2025.12.4"),
        ] {
            assert_eq!(
                recording_for_release(release).release,
                recorded,
                "{release}"
            );
        }
        assert_eq!(recording_for(ApiVersion::V2026_2).release, "2026.2.2");
        assert_eq!(recording_for(ApiVersion::V2026_5).release, "2026.2.2");
        assert_eq!(seed(ApiVersion::V2026_5).len(), 221);
    }
}
