//! The acceptance cases that depend on the server's release (`tests/lifecycle/`), on an API
//! double of authentik 2026.2, whatever `AUTHENTIK_URL` or `AUTHENTIK_DOUBLE_ARGS` say, so that
//! the default run covers an older server as well as the 2026.5 double of `e2e_lifecycle`:
//! Validate and WebAuthn without their 2026.5 attributes, and the provider's refusal of them.
//!
//! 2026.2 has the field set of 2025.12. The Validate and WebAuthn lifecycles and the lookups run
//! on a double that is a fresh install whose worker has not run yet: no WebAuthn device types
//! (a background task fills them) and no built-in flows or stages (blueprints the worker
//! applies). Those cases must then run without restrictions, make their own configure flow,
//! look up stages and flows made for the test (and say so), and the device type lookup must
//! fail clearly.

mod e2e;
mod lifecycle;
mod support;

use e2e::Server;
use lifecycle as l;
use support::terraform::TfVersion;

/// authentik 2026.2 (the field set of 2025.12 too).
const OLDER: Server = Server::Double(&["--version", "2026.2"]);
/// The same, freshly installed, before its worker has run: no WebAuthn device types, no built-in
/// flows and stages yet.
const OLDER_FRESH: Server =
    Server::Double(&["--version", "2026.2", "--no-device-types", "--no-builtins"]);

fn validate_lifecycle(v: TfVersion) {
    l::lifecycle(v, OLDER_FRESH, l::validate())
}
fn webauthn_lifecycle(v: TfVersion) {
    l::lifecycle(v, OLDER_FRESH, l::webauthn())
}
fn validate_minimal(v: TfVersion) {
    l::minimal_create(v, OLDER, l::validate())
}
fn webauthn_minimal(v: TfVersion) {
    l::minimal_create(v, OLDER, l::webauthn())
}
fn validate_2026_5_attributes(v: TfVersion) {
    l::newer_fields(v, OLDER, l::validate_newer())
}
fn webauthn_2026_5_attributes(v: TfVersion) {
    l::newer_fields(v, OLDER, l::webauthn_newer())
}
fn webauthn_device_type_data_source(v: TfVersion) {
    l::device_type_data_source(v, OLDER_FRESH)
}
fn stage_data_source(v: TfVersion) {
    l::stage_data_source(v, OLDER_FRESH)
}
fn flow_data_source(v: TfVersion) {
    l::flow_data_source(v, OLDER_FRESH)
}

per_version!(
    validate_lifecycle,
    webauthn_lifecycle,
    validate_minimal,
    webauthn_minimal,
    validate_2026_5_attributes,
    webauthn_2026_5_attributes,
    webauthn_device_type_data_source,
    stage_data_source,
    flow_data_source,
);
