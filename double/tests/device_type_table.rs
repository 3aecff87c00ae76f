//! The WebAuthn device-type tables kept in the repository (`double/data/`) against the
//! recordings of real servers beside it (`../shared/authentik/recordings/`, or
//! `$AUTHENTIK_RECORDINGS`), and the double serving them. Without the recordings the comparison
//! prints one line saying so and passes: a clone tests green on its own.
//! `scripts/refresh-device-types` copies the recordings over the kept tables.

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use authentik_double::device_types::{RECORDINGS, UNKNOWN_DEVICES};
use common::{Api, DEVICE_TYPES};
use serde_json::Value;

const DIR_VAR: &str = "AUTHENTIK_RECORDINGS";

fn recordings_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(DIR_VAR).filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    // `double/` -> the repository -> what is beside it.
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let beside = manifest.parent().and_then(Path::parent).unwrap_or(manifest);
    beside.join("shared").join("authentik").join("recordings")
}

#[test]
fn kept_tables_match_the_recordings() {
    let dir = recordings_dir();
    let kept_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let mut compared = 0;
    let mut differ = Vec::new();
    for recording in &RECORDINGS {
        let kept = std::fs::read_to_string(kept_dir.join(recording.file))
            .unwrap_or_else(|e| panic!("cannot read double/data/{}: {e}", recording.file));
        assert_eq!(
            kept, recording.json,
            "the double embeds double/data/{}",
            recording.file
        );
        let Ok(shared) = std::fs::read_to_string(dir.join(recording.file)) else {
            continue;
        };
        compared += 1;
        if shared != kept {
            differ.push(recording.file);
        }
    }
    if compared == 0 {
        // Straight to the terminal, past the test harness's capture: one line, on purpose.
        let _ = writeln!(
            std::io::stderr(),
            "device-type check skipped: no recordings at {} (set {DIR_VAR} to compare double/data/ with them)",
            dir.display()
        );
        return;
    }
    assert!(
        differ.is_empty(),
        "double/data/ differs from {} for {differ:?}: run scripts/refresh-device-types",
        dir.display()
    );
}

/// Every row of a listing, through all its pages.
fn all_rows(api: &Api, query: &str) -> Vec<Value> {
    let mut rows = Vec::new();
    for page in 1.. {
        let (status, body) = api.get(&format!("{DEVICE_TYPES}?page_size=100&page={page}{query}"));
        assert_eq!(status, 200, "{body}");
        rows.extend(body["results"].as_array().cloned().unwrap_or_default());
        if body["pagination"]["next"].as_u64().unwrap_or(0) == 0 {
            break;
        }
    }
    rows
}

#[test]
fn the_double_serves_the_recorded_table_of_its_release() {
    let recorded = |release: &str| -> BTreeMap<String, String> {
        let recording = RECORDINGS
            .iter()
            .find(|r| r.release == release)
            .unwrap_or_else(|| panic!("no recording of {release}"));
        let rows: Vec<Value> = serde_json::from_str(recording.json).expect("recorded JSON");
        rows.iter()
            .map(|r| {
                (
                    r["aaguid"].as_str().unwrap_or_default().to_string(),
                    r["description"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect()
    };
    for version in ["2026.2", "2026.5"] {
        let api = Api::start(&["--version", version]);
        let served: BTreeMap<String, String> = all_rows(&api, "")
            .iter()
            .map(|r| {
                (
                    r["aaguid"].as_str().unwrap_or_default().to_string(),
                    r["description"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        assert_eq!(served.len(), 221, "--version {version}");
        assert_eq!(served, recorded("2026.2.2"), "--version {version}");
        assert_eq!(served[UNKNOWN_DEVICES], "authentik: Unknown devices");
        // The duplicates a user meets: a family name covers several AAGUIDs.
        let family = |d: &str| {
            let mut aaguids: Vec<String> =
                all_rows(&api, &format!("&description={}", d.replace(' ', "+")))
                    .iter()
                    .map(|r| r["aaguid"].as_str().unwrap_or_default().to_string())
                    .collect();
            aaguids.sort();
            aaguids
        };
        assert_eq!(
            family("YubiKey 5 Series"),
            [
                "19083c3d-8383-4b18-bc03-8f1c9ab2fd1b",
                "cb69481e-8ff7-4039-93ec-0a2729a154a8",
                "ee882879-721c-4913-9775-3dfcce97072a",
            ]
        );
        assert_eq!(
            family("1Password"),
            ["bada5566-a7aa-401f-bd96-45619a55120d"]
        );
        assert_eq!(family("Windows Hello").len(), 3);
        let mut per_description: BTreeMap<&str, usize> = BTreeMap::new();
        for d in served.values() {
            *per_description.entry(d.as_str()).or_default() += 1;
        }
        assert_eq!(
            per_description.values().filter(|n| **n > 1).count(),
            15,
            "descriptions naming several AAGUIDs"
        );
    }
}
