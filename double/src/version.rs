//! `GET /api/v3/admin/version/`: which authentik release is running.
//!
//! authentik answers with its version serializer (an `APIView`, any authenticated user): every
//! field always present, all read-only. `version_current` is the running release;
//! `version_latest` is the newest release the server learnt of from its update check, and the
//! running one until that check has cached an answer; `version_latest_valid` is false only when
//! the check failed; `build_hash` is the commit of the build (`""` when the image sets none);
//! `outdated` compares current with latest; `outpost_outdated` is true if an outpost reports an
//! older version. The double has no network, no update check and no outposts: latest is the
//! running release, nothing is outdated.

use serde_json::{json, Value};

use crate::config::ApiVersion;
use crate::reply::Reply;

/// The answer for the release imitated.
pub fn render(version: ApiVersion) -> Value {
    json!({
        "version_current": version.release(),
        "version_latest": version.release(),
        "version_latest_valid": true,
        "build_hash": "",
        "outdated": false,
        "outpost_outdated": false,
    })
}

/// `GET /admin/version/`
pub fn retrieve(version: ApiVersion) -> Reply {
    Reply::json(200, render(version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_for_each_release() {
        for (version, release) in [
            (ApiVersion::V2025_12, "2025.12.4"),
            (ApiVersion::V2026_2, "2026.2.2"),
            (ApiVersion::V2026_5, "2026.5.0"),
        ] {
            let body = render(version);
            let keys: Vec<&str> = body
                .as_object()
                .map(|m| m.keys().map(String::as_str).collect())
                .unwrap_or_default();
            assert_eq!(
                keys.len(),
                6,
                "version_current, version_latest, version_latest_valid, build_hash, outdated, outpost_outdated: {body}"
            );
            assert_eq!(body["version_current"], release);
            assert_eq!(body["version_latest"], release);
            assert_eq!(body["outdated"], false);
        }
    }
}
