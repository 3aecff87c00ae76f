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

use e2e::{Ctx, Server};
use lifecycle as l;
use serde_json::json;
use support::double::Double;
use support::terraform::TfVersion;

/// authentik 2026.2 (the field set of 2025.12 too).
const OLDER: Server = Server::Double(&["--version", "2026.2"]);
/// The same, freshly installed, before its worker has run: no WebAuthn device types, no built-in
/// flows and stages yet.
const OLDER_FRESH: Server =
    Server::Double(&["--version", "2026.2", "--no-device-types", "--no-builtins"]);

per_version!(
    validate_lifecycle => |v| l::lifecycle(v, OLDER_FRESH, l::validate()),
    webauthn_lifecycle => |v| l::lifecycle(v, OLDER_FRESH, l::webauthn()),
    validate_minimal => |v| l::minimal_create(v, OLDER, l::validate()),
    webauthn_minimal => |v| l::minimal_create(v, OLDER, l::webauthn()),
    validate_2026_5_attributes => |v| l::newer_fields(v, OLDER, l::validate_newer()),
    webauthn_2026_5_attributes => |v| l::newer_fields(v, OLDER, l::webauthn_newer()),
    webauthn_device_type_data_source => |v| l::device_type_data_source(v, OLDER_FRESH),
    stage_data_source => |v| l::stage_data_source(v, OLDER_FRESH),
    flow_data_source => |v| l::flow_data_source(v, OLDER_FRESH),
);

/// The clean-up of the real-server mode: a case that fails with a stage in Terraform's state and
/// a stage, a flow, a mapping, a prompt field and a policy made through the API leaves nothing
/// with its suffix behind, and
/// nothing else is touched. The server is a double reached as a real one ([`Double::remote`]),
/// kept running to look afterwards.
#[test]
fn a_failed_case_leaves_nothing_behind() {
    let server = Double::start(&["--version", "2026.2"]);
    let flows_before = server.list_all("/flows/instances/").expect("flows");
    let prompts_before = server.list_all("/stages/prompt/prompts/").expect("prompts");
    let policies_before = server.list_all("/policies/expression/").expect("policies");
    let suffix = std::sync::Mutex::new(String::new());
    let failed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let ctx = Ctx::acceptance_at(
            TfVersion::V1_15_5,
            Double::remote(&server.url, &server.token),
        );
        *suffix.lock().unwrap_or_else(|p| p.into_inner()) = ctx.sfx.clone();
        assert!(!ctx.dbl.is_double(), "reached as a real server");
        ctx.config(&format!(
            "resource \"authentik_stage_authenticator_totp\" \"t\" {{\n  name = \"in-state{}\"\n}}",
            ctx.sfx
        ));
        ctx.wd.apply();
        ctx.dbl.create(
            "/stages/authenticator/email/",
            json!({"name": format!("by-api{}", ctx.sfx)}),
        );
        ctx.flow(&format!("flow{}", ctx.sfx));
        ctx.mapping(&format!("mapping{}", ctx.sfx));
        ctx.dbl.create(
            "/stages/prompt/prompts/",
            json!({"name": format!("field{}", ctx.sfx), "field_key": "k", "label": "L", "type": "text"}),
        );
        ctx.dbl.create(
            "/policies/expression/",
            json!({"name": format!("policy{}", ctx.sfx), "expression": "return True"}),
        );
        assert_eq!(server.stages().len(), 2);
        panic!("failing on purpose");
    }));
    assert!(failed.is_err(), "the case failed");
    let suffix = suffix.into_inner().unwrap_or_else(|p| p.into_inner());
    assert!(suffix.starts_with("-tfacc-"), "{suffix:?}");
    assert!(
        server.stages().is_empty(),
        "stages left: {:#?}",
        server.stages()
    );
    assert_eq!(
        server.list_all("/flows/instances/").expect("flows"),
        flows_before,
        "the test's flow is gone and the built-in ones are untouched"
    );
    assert_eq!(
        server
            .list_all("/propertymappings/notification/")
            .expect("mappings"),
        Vec::<serde_json::Value>::new()
    );
    assert_eq!(
        server.list_all("/stages/prompt/prompts/").expect("prompts"),
        prompts_before,
        "the test's prompt field is gone and the built-in ones are untouched"
    );
    assert_eq!(
        server.list_all("/policies/expression/").expect("policies"),
        policies_before,
        "the test's policy is gone and the built-in ones are untouched"
    );
    let log: Vec<String> = server
        .requests()
        .iter()
        .filter(|r| r["method"] == "DELETE")
        .filter_map(|r| r["path"].as_str().map(str::to_string))
        .collect();
    assert!(
        log.iter()
            .any(|p| p.contains("/stages/authenticator/totp/"))
            && log
                .iter()
                .any(|p| p.contains("/stages/authenticator/email/"))
            && log
                .iter()
                .any(|p| p.ends_with(&format!("/flows/instances/flow{suffix}/"))),
        "deleted through the typed endpoints and by slug: {log:#?}"
    );
}
