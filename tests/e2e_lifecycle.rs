//! The acceptance suite (`tests/lifecycle/`): every resource and data source, on Terraform 1.0.3
//! and 1.15.5, against the API double (started with `AUTHENTIK_DOUBLE_ARGS`, default release
//! 2026.5) or, with `AUTHENTIK_URL` and `AUTHENTIK_TOKEN` set, against that real authentik. The
//! cases adapt to the server's release; `tests/e2e_lifecycle_2026_2.rs` runs the ones that depend
//! on it on a 2026.2 double as well, so a default run covers both.

mod e2e;
mod lifecycle;
mod support;

use e2e::Server;
use lifecycle as l;
use support::terraform::TfVersion;

const ENV: Server = Server::FromEnv;

fn sms_lifecycle(v: TfVersion) {
    l::lifecycle(v, ENV, l::sms())
}
fn email_lifecycle(v: TfVersion) {
    l::lifecycle(v, ENV, l::email())
}
fn validate_lifecycle(v: TfVersion) {
    l::lifecycle(v, ENV, l::validate())
}
fn totp_lifecycle(v: TfVersion) {
    l::lifecycle(v, ENV, l::totp())
}
fn static_lifecycle(v: TfVersion) {
    l::lifecycle(v, ENV, l::static_tokens())
}
fn webauthn_lifecycle(v: TfVersion) {
    l::lifecycle(v, ENV, l::webauthn())
}
fn duo_lifecycle(v: TfVersion) {
    l::lifecycle(v, ENV, l::duo())
}
fn sms_minimal(v: TfVersion) {
    l::minimal_create(v, ENV, l::sms())
}
fn email_minimal(v: TfVersion) {
    l::minimal_create(v, ENV, l::email())
}
fn validate_minimal(v: TfVersion) {
    l::minimal_create(v, ENV, l::validate())
}
fn totp_minimal(v: TfVersion) {
    l::minimal_create(v, ENV, l::totp())
}
fn static_minimal(v: TfVersion) {
    l::minimal_create(v, ENV, l::static_tokens())
}
fn webauthn_minimal(v: TfVersion) {
    l::minimal_create(v, ENV, l::webauthn())
}
fn duo_minimal(v: TfVersion) {
    l::minimal_create(v, ENV, l::duo())
}
fn validate_2026_5_attributes(v: TfVersion) {
    l::newer_fields(v, ENV, l::validate_newer())
}
fn webauthn_2026_5_attributes(v: TfVersion) {
    l::newer_fields(v, ENV, l::webauthn_newer())
}
fn flows_lifecycle(v: TfVersion) {
    l::flows::flows_lifecycle(v, ENV)
}
fn flow_stage_binding_data_source(v: TfVersion) {
    l::flows::binding_data_source(v, ENV)
}
fn complete_sign_in(v: TfVersion) {
    l::flows::complete_sign_in(v, ENV)
}
fn stage_data_source(v: TfVersion) {
    l::stage_data_source(v, ENV)
}
fn flow_data_source(v: TfVersion) {
    l::flow_data_source(v, ENV)
}
fn webauthn_device_type_data_source(v: TfVersion) {
    l::device_type_data_source(v, ENV)
}

fn enrollment_types_minimal(v: TfVersion) {
    l::minimal_create_together(v, ENV, l::enrollment::all())
}
fn prompt_field_lifecycle(v: TfVersion) {
    l::lifecycle(v, ENV, l::enrollment::prompt_field())
}
fn prompt_lifecycle(v: TfVersion) {
    l::lifecycle(v, ENV, l::enrollment::prompt())
}
fn user_write_lifecycle(v: TfVersion) {
    l::lifecycle(v, ENV, l::enrollment::user_write())
}
fn email_stage_lifecycle(v: TfVersion) {
    l::lifecycle(v, ENV, l::enrollment::email_stage())
}
fn consent_lifecycle(v: TfVersion) {
    l::lifecycle(v, ENV, l::enrollment::consent())
}
fn redirect_lifecycle(v: TfVersion) {
    l::lifecycle(v, ENV, l::enrollment::redirect())
}

per_version!(
    flows_lifecycle,
    flow_stage_binding_data_source,
    complete_sign_in,
    sms_lifecycle,
    email_lifecycle,
    validate_lifecycle,
    totp_lifecycle,
    static_lifecycle,
    webauthn_lifecycle,
    duo_lifecycle,
    sms_minimal,
    email_minimal,
    validate_minimal,
    totp_minimal,
    static_minimal,
    webauthn_minimal,
    duo_minimal,
    validate_2026_5_attributes,
    webauthn_2026_5_attributes,
    stage_data_source,
    flow_data_source,
    webauthn_device_type_data_source,
    prompt_field_lifecycle,
    prompt_lifecycle,
    user_write_lifecycle,
    email_stage_lifecycle,
    consent_lifecycle,
    redirect_lifecycle,
    enrollment_types_minimal,
);

#[test]
fn releases_parse() {
    use e2e::server::{parse_release, NEWER_RELEASE};
    assert_eq!(parse_release("2025.12.4"), Some((2025, 12)));
    assert_eq!(parse_release("2026.5.0-rc1"), Some((2026, 5)));
    assert_eq!(parse_release("2026.2"), Some((2026, 2)));
    assert_eq!(parse_release("main"), None);
    assert!(parse_release("2025.12.4") < Some(NEWER_RELEASE));
    assert!(parse_release("2026.10.1") >= Some(NEWER_RELEASE));
}
