//! What the server an acceptance test talks to is (its release, whether it has the 2026.5
//! fields, its own WebAuthn device types, built-in stages and flows), and the clean-up of
//! everything a test created there.
#![allow(dead_code)]

use crate::support::double::Double;
use serde_json::{json, Value};

/// Validate fields that came with authentik 2026.5.
pub const VALIDATE_2026_5: [&str; 5] = [
    "webauthn_hints",
    "email_otp_throttling_factor",
    "sms_otp_throttling_factor",
    "totp_otp_throttling_factor",
    "static_otp_throttling_factor",
];

/// WebAuthn fields that came with authentik 2026.5.
pub const WEBAUTHN_2026_5: [&str; 2] = ["hints", "prevent_duplicate_devices"];

/// The release that added them.
pub const NEWER_RELEASE: (u32, u32) = (2026, 5);

/// What the server is, as read from it.
#[derive(Debug, Clone)]
pub struct ServerFacts {
    /// `version_current` of `GET /api/v3/admin/version/`, e.g. `2025.12.4`.
    pub version: String,
    /// Year and month of that release.
    pub release: (u32, u32),
    /// It has the 2026.5 fields (checked against the release when read).
    pub newer: bool,
}

impl ServerFacts {
    /// Reads the release, then probes which 2026.5 fields a created Validate and WebAuthn stage
    /// carry (both probes named with `sfx` and deleted at once), and asserts they are the ones
    /// that release should have.
    pub fn read(dbl: &Double, sfx: &str) -> ServerFacts {
        let (status, body) = dbl.get("/api/v3/admin/version/");
        assert_eq!(status, 200, "GET /api/v3/admin/version/: {body}");
        let version = body["version_current"]
            .as_str()
            .unwrap_or_else(|| panic!("no version_current in {body}"))
            .to_string();
        let release = parse_release(&version)
            .unwrap_or_else(|| panic!("version_current {version:?} is not YEAR.MONTH[.PATCH]"));
        let newer = release >= NEWER_RELEASE;
        let validate = probe(
            dbl,
            "stages/authenticator/validate",
            json!({"name": format!("probe-validate{sfx}")}),
        );
        let webauthn = probe(
            dbl,
            "stages/authenticator/webauthn",
            json!({"name": format!("probe-webauthn{sfx}")}),
        );
        for (kind, object, fields) in [
            ("Validate", &validate, &VALIDATE_2026_5[..]),
            ("WebAuthn", &webauthn, &WEBAUTHN_2026_5[..]),
        ] {
            for field in fields {
                let has = object.get(*field).is_some();
                assert_eq!(
                    has,
                    newer,
                    "authentik {version} {} the {kind} field `{field}`, but a release {} 2026.5 \
                     should {}: the suite's (and the provider docs') version facts are wrong\n{object:#}",
                    if has { "has" } else { "lacks" },
                    if newer { "from" } else { "before" },
                    if newer { "have it" } else { "not" },
                );
            }
        }
        eprintln!(
            "server: authentik {version} ({} the 2026.5 fields)",
            if newer { "with" } else { "without" }
        );
        ServerFacts {
            version,
            release,
            newer,
        }
    }
}

/// `2025.12.4` → `(2025, 12)`; `2026.5.0-rc1` → `(2026, 5)`.
pub fn parse_release(version: &str) -> Option<(u32, u32)> {
    let mut parts = version.split(['.', '-', '+']);
    let year = parts.next()?.parse().ok()?;
    let month = parts.next()?.parse().ok()?;
    Some((year, month))
}

/// Creates a stage, returns the server's object, deletes it.
fn probe(dbl: &Double, api: &str, body: Value) -> Value {
    let (status, object) = dbl.post(&format!("/api/v3/{api}/"), body);
    assert_eq!(status, 201, "probing {api}: {object}");
    let pk = object["pk"].as_str().expect("pk").to_string();
    let (status, gone) = dbl.delete(&format!("/api/v3/{api}/{pk}/"));
    assert_eq!(status, 204, "deleting the {api} probe: {gone}");
    object
}

/// The server's WebAuthn device types as `(aaguid, description)`, in its order.
pub fn device_types(dbl: &Double) -> Vec<(String, String)> {
    dbl.list_all("/api/v3/stages/authenticator/webauthn_device_types/")
        .unwrap_or_else(|e| panic!("listing WebAuthn device types: {e}"))
        .iter()
        .filter_map(|t| {
            Some((
                t["aaguid"].as_str()?.to_string(),
                t["description"].as_str()?.to_string(),
            ))
        })
        .collect()
}

/// Objects left behind on the server, found and deleted by [`sweep`].
#[derive(Debug, Default)]
pub struct Sweep {
    /// What was deleted (`kind name`).
    pub deleted: Vec<String>,
    /// What still carries the suffix after deleting, and requests that failed.
    pub problems: Vec<String>,
}

/// The typed endpoint of a stage, from its `meta_model_name` (`/stages/all/` for other types).
fn stage_endpoint(meta_model_name: &str) -> &'static str {
    match meta_model_name.rsplit('.').next().unwrap_or("") {
        "authenticatorsmsstage" => "stages/authenticator/sms",
        "authenticatoremailstage" => "stages/authenticator/email",
        "authenticatorvalidatestage" => "stages/authenticator/validate",
        "authenticatortotpstage" => "stages/authenticator/totp",
        "authenticatorstaticstage" => "stages/authenticator/static",
        "authenticatorwebauthnstage" => "stages/authenticator/webauthn",
        "authenticatorduostage" => "stages/authenticator/duo",
        _ => "stages/all",
    }
}

/// Collections besides stages and flows whose objects a test names with its suffix: (API
/// path, what one is called). Deleted after stages and flows, which refer to them.
const NAMED: &[(&str, &str)] = &[
    ("propertymappings/notification", "mapping"),
    ("stages/prompt/prompts", "prompt field"),
    ("policies/expression", "expression policy"),
];

/// What carries `sfx`: stages `(endpoint, pk, name)`, flows `(slug)`, objects of [`NAMED`]
/// `(API path, what, pk, name)`.
type Found = (
    Vec<(String, String, String)>,
    Vec<String>,
    Vec<(&'static str, &'static str, String, String)>,
);

fn find(dbl: &Double, sfx: &str) -> Result<Found, String> {
    let search = sfx;
    let has = |o: &Value, key: &str| o[key].as_str().is_some_and(|n| n.contains(sfx));
    let stages = dbl
        .list_all(&format!("/api/v3/stages/all/?search={search}"))?
        .into_iter()
        .filter(|s| has(s, "name"))
        .map(|s| {
            (
                stage_endpoint(s["meta_model_name"].as_str().unwrap_or("")).to_string(),
                s["pk"].as_str().unwrap_or("").to_string(),
                s["name"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let flows = dbl
        .list_all(&format!("/api/v3/flows/instances/?search={search}"))?
        .into_iter()
        .filter(|f| has(f, "slug") || has(f, "name"))
        .filter_map(|f| f["slug"].as_str().map(str::to_string))
        .collect();
    let mut named = Vec::new();
    for (path, what) in NAMED {
        named.extend(
            dbl.list_all(&format!("/api/v3/{path}/?search={search}"))?
                .into_iter()
                .filter(|m| has(m, "name"))
                .map(|m| {
                    (
                        *path,
                        *what,
                        m["pk"].as_str().unwrap_or("").to_string(),
                        m["name"].as_str().unwrap_or("").to_string(),
                    )
                }),
        );
    }
    Ok((stages, flows, named))
}

/// Deletes, through the API, every stage, flow, notification mapping, prompt field and
/// expression policy whose name (or slug) carries `sfx`, then looks again: whatever is still there is a problem. Never panics (it runs
/// from `Drop`, also while a failed test unwinds).
pub fn sweep(dbl: &Double, sfx: &str) -> Sweep {
    let mut out = Sweep::default();
    if sfx.is_empty() {
        out.problems
            .push("no suffix: refusing to sweep everything".into());
        return out;
    }
    let (stages, flows, named) = match find(dbl, sfx) {
        Ok(found) => found,
        Err(e) => {
            out.problems.push(format!("cannot list what is left: {e}"));
            return out;
        }
    };
    let mut delete = |what: String, path: String| match dbl.try_send("DELETE", &path, None) {
        Ok((204 | 404, _)) => out.deleted.push(what),
        Ok((status, body)) => out
            .problems
            .push(format!("DELETE {path} ({what}): {status} {body}")),
        Err(e) => out.problems.push(format!("DELETE {path} ({what}): {e}")),
    };
    // Stages first: they refer to flows and mappings.
    for (endpoint, pk, name) in stages {
        delete(format!("stage {name}"), format!("/api/v3/{endpoint}/{pk}/"));
    }
    for slug in flows {
        delete(
            format!("flow {slug}"),
            format!("/api/v3/flows/instances/{slug}/"),
        );
    }
    for (path, what, pk, name) in named {
        delete(format!("{what} {name}"), format!("/api/v3/{path}/{pk}/"));
    }
    match find(dbl, sfx) {
        Ok((stages, flows, named)) => {
            out.problems.extend(
                stages
                    .into_iter()
                    .map(|(_, _, n)| format!("stage {n} left")),
            );
            out.problems
                .extend(flows.into_iter().map(|s| format!("flow {s} left")));
            out.problems.extend(
                named
                    .into_iter()
                    .map(|(_, what, _, n)| format!("{what} {n} left")),
            );
        }
        Err(e) => out
            .problems
            .push(format!("cannot list what is left after deleting: {e}")),
    }
    out
}
