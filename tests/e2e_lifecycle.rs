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

const ENV: Server = Server::FromEnv;

per_version!(
    flows_lifecycle => |v| l::flows::flows_lifecycle(v, ENV),
    flow_stage_binding_data_source => |v| l::flows::binding_data_source(v, ENV),
    complete_sign_in => |v| l::flows::complete_sign_in(v, ENV),
    sms_lifecycle => |v| l::lifecycle(v, ENV, l::sms()),
    email_lifecycle => |v| l::lifecycle(v, ENV, l::email()),
    validate_lifecycle => |v| l::lifecycle(v, ENV, l::validate()),
    totp_lifecycle => |v| l::lifecycle(v, ENV, l::totp()),
    static_lifecycle => |v| l::lifecycle(v, ENV, l::static_tokens()),
    webauthn_lifecycle => |v| l::lifecycle(v, ENV, l::webauthn()),
    duo_lifecycle => |v| l::lifecycle(v, ENV, l::duo()),
    sms_minimal => |v| l::minimal_create(v, ENV, l::sms()),
    email_minimal => |v| l::minimal_create(v, ENV, l::email()),
    validate_minimal => |v| l::minimal_create(v, ENV, l::validate()),
    totp_minimal => |v| l::minimal_create(v, ENV, l::totp()),
    static_minimal => |v| l::minimal_create(v, ENV, l::static_tokens()),
    webauthn_minimal => |v| l::minimal_create(v, ENV, l::webauthn()),
    duo_minimal => |v| l::minimal_create(v, ENV, l::duo()),
    validate_2026_5_attributes => |v| l::newer_fields(v, ENV, l::validate_newer()),
    webauthn_2026_5_attributes => |v| l::newer_fields(v, ENV, l::webauthn_newer()),
    stage_data_source => |v| l::stage_data_source(v, ENV),
    flow_data_source => |v| l::flow_data_source(v, ENV),
    webauthn_device_type_data_source => |v| l::device_type_data_source(v, ENV),
    prompt_field_lifecycle => |v| l::lifecycle(v, ENV, l::enrollment::prompt_field()),
    prompt_lifecycle => |v| l::lifecycle(v, ENV, l::enrollment::prompt()),
    user_write_lifecycle => |v| l::lifecycle(v, ENV, l::enrollment::user_write()),
    email_stage_lifecycle => |v| l::lifecycle(v, ENV, l::enrollment::email_stage()),
    consent_lifecycle => |v| l::lifecycle(v, ENV, l::enrollment::consent()),
    redirect_lifecycle => |v| l::lifecycle(v, ENV, l::enrollment::redirect()),
    enrollment_types_minimal => |v| l::minimal_create_together(v, ENV, l::enrollment::all()),
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
