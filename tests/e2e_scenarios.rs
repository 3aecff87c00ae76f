//! End-to-end scenarios beyond one resource's lifecycle: server quirks and versions, write-only
//! secrets, modules, switching from the official provider, import blocks.

mod e2e;
mod support;

use e2e::{find_resource, Ctx, HEADER};
use serde_json::{json, Value};
use support::terraform::{provider_dir, repo_root, Terraform, TfVersion, Workdir};

const VALIDATE_WITH_STAGES: &str = r#"
resource "authentik_stage_authenticator_email" "a" {
  name = "cfg-a"
}
resource "authentik_stage_authenticator_email" "b" {
  name = "cfg-b"
}
resource "authentik_stage_authenticator_email" "c" {
  name = "cfg-c"
}
resource "authentik_stage_authenticator_validate" "t" {
  name                  = "validate"
  not_configured_action = "configure"
  device_classes        = ["sms", "email", "totp", "static"]
  configuration_stages = [
    authentik_stage_authenticator_email.a.id,
    authentik_stage_authenticator_email.b.id,
    authentik_stage_authenticator_email.c.id,
  ]
  webauthn_allowed_device_types = [{{TYPES}}]
}
"#;

/// A server that returns sets in random order never causes a diff.
fn shuffled_sets_never_diff(v: TfVersion) {
    let ctx = Ctx::new(v, &["--shuffle"]);
    let (status, types) = ctx
        .dbl
        .get("/api/v3/stages/authenticator/webauthn_device_types/?page_size=3");
    assert_eq!(status, 200, "{types}");
    let aaguids: Vec<String> = types["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|t| format!("{}", t["aaguid"]))
        .collect();
    assert!(
        aaguids.len() >= 2,
        "the double should know several device types: {types}"
    );
    ctx.config(&VALIDATE_WITH_STAGES.replace("{{TYPES}}", &aaguids.join(", ")));
    ctx.wd.apply();
    for _ in 0..3 {
        assert_eq!(
            ctx.wd.plan_detailed_exitcode(),
            0,
            "shuffled set order must not diff"
        );
    }
}

const WEBAUTHN_MINIMAL: &str = r#"
resource "authentik_stage_authenticator_webauthn" "w" {
  name = "webauthn"
}
"#;

/// authentik 2026.2 has no webauthn_hints or throttling factors (Validate), nor hints and
/// prevent_duplicate_devices (WebAuthn): refresh stays clean, and configuring one says clearly
/// that the server is too old.
fn older_server_refreshes_cleanly(v: TfVersion) {
    let ctx = Ctx::new(v, &["--version", "2026.2"]);
    ctx.config(&format!(
        "{}{WEBAUTHN_MINIMAL}",
        VALIDATE_WITH_STAGES.replace("{{TYPES}}", "\"00000000-0000-0000-0000-000000000000\"")
    ));
    ctx.apply_settled("plan");
    ctx.assert_refresh_only_clean();
    let values = ctx.state_values("authentik_stage_authenticator_validate.t");
    assert_eq!(values["webauthn_hints"], Value::Null);
    let values = ctx.state_values("authentik_stage_authenticator_webauthn.w");
    assert_eq!(values["hints"], Value::Null);
    assert_eq!(values["prevent_duplicate_devices"], Value::Null);
    ctx.config(
        r#"
resource "authentik_stage_authenticator_webauthn" "new" {
  name                      = "webauthn-2026-5"
  prevent_duplicate_devices = false
}"#,
    );
    let out = ctx.wd.apply_err();
    assert!(
        out.combined().contains("prevent_duplicate_devices") && out.combined().contains("2026.5"),
        "{out}"
    );
    ctx.config(
        r#"
resource "authentik_stage_authenticator_validate" "new" {
  name           = "validate-hints"
  webauthn_hints = ["hybrid"]
}"#,
    );
    let out = ctx.wd.apply_err();
    assert!(
        out.combined().contains("webauthn_hints") && out.combined().contains("2026.5"),
        "{out}"
    );
}

const SMS_SECRETS: &str = r#"
resource "authentik_stage_authenticator_sms" "t" {
  name          = "sms"
  sms_provider  = "generic"
  from_number   = "+15550001"
  account_sid   = "https://sms.example.com/send"
  auth          = "secret-user-token"
  auth_password = "secret-password"
}
"#;

/// A newer server that no longer returns secrets: refresh keeps the values from state.
fn server_hiding_secrets_refreshes_cleanly(v: TfVersion) {
    let ctx = Ctx::new(v, &["--secrets-write-only"]);
    ctx.config(SMS_SECRETS);
    ctx.apply_settled("plan");
    ctx.assert_refresh_only_clean();
    let values = ctx.state_values("authentik_stage_authenticator_sms.t");
    assert_eq!(values["auth"], "secret-user-token");
    assert_eq!(values["auth_password"], "secret-password");
}

const SMS_WRITE_ONLY: &str = r#"
resource "authentik_stage_authenticator_sms" "t" {
  name            = "sms-wo"
  sms_provider    = "twilio"
  from_number     = "+15550001"
  account_sid     = "AC0123"
  auth_wo         = "{{SECRET}}"
  auth_wo_version = {{VERSION}}
}
"#;

/// Write-only secrets reach authentik but never the state (1.15.5); 1.0.3 refuses them.
fn write_only_secrets(v: TfVersion) {
    let ctx = Ctx::new(v, &[]);
    let cfg = |secret: &str, version: u32| {
        ctx.config(
            &SMS_WRITE_ONLY
                .replace("{{SECRET}}", secret)
                .replace("{{VERSION}}", &version.to_string()),
        )
    };
    cfg("wo-secret-one", 1);
    if v == TfVersion::V1_0_3 {
        let out = ctx.wd.run(&["plan", "-no-color", "-input=false"]);
        out.assert_failure();
        assert!(
            out.combined().contains("auth_wo") && out.combined().contains("Terraform 1.11"),
            "{out}"
        );
        assert!(ctx.dbl.stages().is_empty());
        return;
    }
    ctx.wd.apply();
    let state_file = ctx.wd.read("terraform.tfstate");
    assert!(
        !state_file.contains("wo-secret-one"),
        "write-only secret leaked into state"
    );
    let id = ctx.state_values("authentik_stage_authenticator_sms.t")["id"]
        .as_str()
        .expect("id")
        .to_string();
    assert_eq!(
        ctx.server_stage("stages/authenticator/sms", &id)["auth"],
        "wo-secret-one"
    );
    ctx.assert_empty_plan("plan");
    // Rotation: bump the version.
    cfg("wo-secret-two", 2);
    let writes = ctx.apply_logged().expect("the double logs the writes");
    assert_eq!(writes.len(), 1, "{writes:#?}");
    assert_eq!(writes[0]["body"], json!({"auth": "wo-secret-two"}));
    assert!(!ctx.wd.read("terraform.tfstate").contains("wo-secret-two"));
    ctx.assert_empty_plan("plan");
}

/// A stage deleted between plan and apply: a clear error, not "Root object was present, but now absent".
fn update_of_deleted_stage_is_a_clear_error(v: TfVersion) {
    let ctx = Ctx::new(v, &[]);
    ctx.config(r#"resource "authentik_stage_authenticator_email" "t" { name = "gone" }"#);
    ctx.wd.apply();
    let id = ctx.state_values("authentik_stage_authenticator_email.t")["id"]
        .as_str()
        .expect("id")
        .to_string();
    ctx.config(
        r#"resource "authentik_stage_authenticator_email" "t" {
  name    = "gone"
  subject = "changed"
}"#,
    );
    ctx.wd
        .run_ok(&["plan", "-no-color", "-input=false", "-out=saved.tfplan"]);
    let (status, _) = ctx
        .dbl
        .delete(&format!("/api/v3/stages/authenticator/email/{id}/"));
    assert_eq!(status, 204);
    let out = ctx
        .wd
        .run(&["apply", "-no-color", "-input=false", "saved.tfplan"]);
    out.assert_failure();
    assert!(out.combined().contains("no longer exists"), "{out}");
    assert!(!out.combined().contains("Root object was present"), "{out}");
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir") {
        let e = e.expect("entry");
        std::fs::copy(e.path(), to.join(e.file_name())).expect("copy");
    }
}

/// The AAGUIDs of every device type called "YubiKey 5 Series" (three on real authentik 2025.12.4
/// and 2026.2.2, which the double serves) and of "1Password", sorted.
const YUBIKEY_5_AND_1PASSWORD: [&str; 4] = [
    "19083c3d-8383-4b18-bc03-8f1c9ab2fd1b",
    "bada5566-a7aa-401f-bd96-45619a55120d",
    "cb69481e-8ff7-4039-93ec-0a2729a154a8",
    "ee882879-721c-4913-9775-3dfcce97072a",
];

/// The README demo's configuration (`examples/demo`: a sign-in flow with conditional MFA around
/// the mfa module with every method, its own setup flows and `webauthn_device_types =
/// ["YubiKey 5 Series", "1Password"]`) against the double's real device type table, the way
/// teams package it: apply, empty plan, outputs wired, every enabled setup stage (and the
/// built-in one asked for) offered by the validation stage and bound into its setup flow, the
/// sign-in flow's bindings in order with the policy on the MFA binding, all four AAGUIDs of the
/// two families allowed; then methods switched off by variable, and the plan after that empty too.
fn mfa_module(v: TfVersion) {
    let ctx = Ctx::new(v, &[]);
    copy_dir(
        &repo_root().join("examples/modules/mfa"),
        &ctx.wd.path().join("modules/mfa"),
    );
    let demo = std::fs::read_to_string(repo_root().join("examples/demo/main.tf")).expect("demo");
    let demo = demo.replace("../modules/mfa", "./modules/mfa");
    ctx.wd.write("main.tf", &demo);
    ctx.wd.run_ok(&["get", "-no-color"]);
    ctx.apply_settled("plan");
    let state = ctx.wd.state_json();
    let outputs = &state["values"]["outputs"]["stage_ids"]["value"];
    let root = &state["values"]["root_module"];
    let validate = find_resource(
        root,
        "module.mfa.authentik_stage_authenticator_validate.this",
    )
    .expect("validate stage in state");
    let stages: Vec<&Value> = validate["configuration_stages"]
        .as_array()
        .expect("stages")
        .iter()
        .collect();
    for method in ["totp", "webauthn", "static", "sms", "email"] {
        assert!(
            outputs[method].is_string() && stages.contains(&&outputs[method]),
            "{method} is offered: {validate:#}"
        );
    }
    let builtin = find_resource(
        root,
        "module.mfa.data.authentik_stage.extra[\"default-authenticator-static-setup\"]",
    )
    .expect("built-in stage looked up");
    assert!(stages.contains(&&builtin["id"]), "{validate:#}");
    assert_eq!(stages.len(), 6);
    assert_eq!(validate["not_configured_action"], "configure");
    let webauthn = find_resource(
        root,
        "module.mfa.authentik_stage_authenticator_webauthn.this[0]",
    )
    .expect("webauthn stage");
    // ["YubiKey 5 Series", "1Password"] against the real table: the three AAGUIDs called
    // "YubiKey 5 Series" and 1Password's, on the WebAuthn stage, the validation stage, the
    // module's output and the server.
    let sorted = |v: &Value| {
        let mut all: Vec<String> = v
            .as_array()
            .unwrap_or_else(|| panic!("a list: {v}"))
            .iter()
            .map(|a| a.as_str().unwrap_or_default().to_string())
            .collect();
        all.sort();
        all
    };
    assert_eq!(
        sorted(&webauthn["device_type_restrictions"]),
        YUBIKEY_5_AND_1PASSWORD,
        "{webauthn:#}"
    );
    assert_eq!(
        sorted(&validate["webauthn_allowed_device_types"]),
        YUBIKEY_5_AND_1PASSWORD,
        "{validate:#}"
    );
    assert_eq!(
        sorted(&state["values"]["outputs"]["allowed_security_keys"]["value"]),
        YUBIKEY_5_AND_1PASSWORD
    );
    let (status, on_server) = ctx.dbl.get(&format!(
        "/api/v3/stages/authenticator/webauthn/{}/",
        outputs["webauthn"].as_str().unwrap_or_default()
    ));
    assert_eq!(status, 200, "{on_server}");
    assert_eq!(
        sorted(&on_server["device_type_restrictions"]),
        YUBIKEY_5_AND_1PASSWORD,
        "{on_server}"
    );
    assert_eq!(webauthn["name"], "demo-webauthn-setup");
    assert!(outputs["default_validation"].is_string(), "{outputs:#}");
    // Six setup and validation stages, and the sign-in flow's password, identification and
    // login stages.
    assert_eq!(ctx.dbl.stages().len(), 9, "{:#?}", ctx.dbl.stages());

    // The sign-in flow runs identification (with the password stage inline), the module's
    // validation stage, then login, in that order; the MFA binding carries the policy.
    let sign_in = state["values"]["outputs"]["sign_in_flow"]["value"]
        .as_str()
        .expect("sign_in_flow output")
        .to_string();
    assert_eq!(sign_in, "demo-sign-in");
    let (status, flow) = ctx.dbl.get(&format!("/api/v3/flows/instances/{sign_in}/"));
    assert_eq!(status, 200, "{flow}");
    assert_eq!(flow["designation"], "authentication");
    let bound_in = |flow_pk: &Value| -> Vec<Value> {
        ctx.dbl
            .list_all(&format!(
                "/api/v3/flows/bindings/?target={}",
                flow_pk.as_str().unwrap_or_default()
            ))
            .expect("bindings")
    };
    let bindings = bound_in(&flow["pk"]);
    let names: Vec<&str> = bindings
        .iter()
        .map(|b| b["stage_obj"]["name"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        names,
        ["demo-identification", "demo-validate", "demo-login"],
        "{bindings:#?}"
    );
    let identify =
        find_resource(root, "authentik_stage_identification.identify").expect("identify");
    let password = find_resource(root, "authentik_stage_password.password").expect("password");
    assert_eq!(identify["password_stage"], password["id"]);
    let policy_bindings = ctx
        .dbl
        .list_all(&format!(
            // The filter takes the binding's policybindingmodel_ptr_id, not its pk.
            "/api/v3/policies/bindings/?target={}",
            bindings[1]["policybindingmodel_ptr_id"]
                .as_str()
                .unwrap_or_default()
        ))
        .expect("policy bindings");
    assert_eq!(policy_bindings.len(), 1, "{policy_bindings:#?}");
    assert_eq!(
        policy_bindings[0]["policy_obj"]["name"], "demo-outside-office",
        "{policy_bindings:#?}"
    );
    // Each enrollable method has a setup flow of the module's own, running its stage, and the
    // stage's configure_flow points at it.
    let setup = &state["values"]["outputs"]["setup_flows"]["value"];
    for (method, stage) in [
        ("totp", &outputs["totp"]),
        ("webauthn", &outputs["webauthn"]),
        ("static", &outputs["static"]),
    ] {
        let flow_pk = &setup[method];
        let bound = bound_in(flow_pk);
        assert_eq!(bound.len(), 1, "{method}: {bound:#?}");
        assert_eq!(&bound[0]["stage"], stage, "{method}: {bound:#?}");
        let on_server = ctx
            .dbl
            .stages()
            .into_iter()
            .find(|s| &s["pk"] == stage)
            .expect("setup stage on the double");
        assert_eq!(&on_server["configure_flow"], flow_pk, "{method}");
    }
    let demo_flows = |ctx: &Ctx| {
        ctx.dbl
            .list_all("/api/v3/flows/instances/?search=demo-")
            .expect("flows")
            .into_iter()
            .filter(|f| f["slug"].as_str().unwrap_or_default().starts_with("demo-"))
            .count()
    };
    assert_eq!(
        demo_flows(&ctx),
        4,
        "the sign-in flow and three setup flows"
    );

    // Switch SMS, email and WebAuthn off: their stages go, the validation stage follows.
    ctx.wd.write(
        "main.tf",
        &demo
            .replace("    email    = true\n", "    email    = false\n")
            .replace("    sms      = true\n", "    sms      = false\n")
            .replace("    webauthn = true\n", "    webauthn = false\n"),
    );
    ctx.apply_settled("plan after switching methods off");
    assert_eq!(ctx.dbl.stages().len(), 6, "{:#?}", ctx.dbl.stages());
    assert_eq!(
        demo_flows(&ctx),
        3,
        "the WebAuthn setup flow went with its method"
    );
    let validate = ctx.state_values("module.mfa.authentik_stage_authenticator_validate.this");
    assert_eq!(
        validate["configuration_stages"].as_array().map(Vec::len),
        Some(3),
        "{validate:#}"
    );
}

const MFA: &str = r#"
data "authentik_stage" "builtin_validation" {
  name = "default-authentication-mfa-validation"
}
data "authentik_stage" "builtin_totp" {
  name = "default-authenticator-totp-setup"
}
data "authentik_flow" "webauthn_setup" {
  slug = "default-authenticator-webauthn-setup"
}
data "authentik_flow" "totp_setup" {
  slug = "default-authenticator-totp-setup"
}
data "authentik_webauthn_device_types" "yubikey" {
  description = "YubiKey 5 Series"
}
data "authentik_webauthn_device_type" "unknown" {
  aaguid = "00000000-0000-0000-0000-000000000000"
}

resource "authentik_stage_authenticator_webauthn" "keys" {
  name                     = "mfa-webauthn"
  friendly_name            = "Security key"
  configure_flow           = data.authentik_flow.webauthn_setup.id
  user_verification        = "required"
  resident_key_requirement = "required"
  device_type_restrictions = data.authentik_webauthn_device_types.yubikey.aaguids
}
resource "authentik_stage_authenticator_totp" "app" {
  name           = "mfa-totp"
  friendly_name  = "Authenticator app"
  configure_flow = data.authentik_flow.totp_setup.id
  digits         = 6
}
resource "authentik_stage_authenticator_static" "codes" {
  name          = "mfa-recovery-codes"
  friendly_name = "Recovery codes"
  token_count   = 8
}
resource "authentik_stage_authenticator_validate" "mfa" {
  name                          = "mfa-validate"
  device_classes                = ["webauthn", "totp", "static"]
  not_configured_action         = "configure"
  configuration_stages          = [{{STAGES}}]
  webauthn_user_verification    = "required"
  webauthn_allowed_device_types = {{TYPES}}
  last_auth_threshold           = "hours=12"
}

output "builtin_validation" {
  value = data.authentik_stage.builtin_validation.id
}
"#;

/// A realistic MFA configuration (WebAuthn, TOTP and recovery-code setup stages, a validation
/// stage configuring them and a built-in one, built-ins found by data source) applies and plans
/// empty against a server answering sets in random order; listing `configuration_stages` in
/// another order never diffs.
fn mfa_configuration(v: TfVersion) {
    let ctx = Ctx::new(v, &["--shuffle"]);
    let orders = [
        "authentik_stage_authenticator_webauthn.keys.id, authentik_stage_authenticator_totp.app.id, authentik_stage_authenticator_static.codes.id, data.authentik_stage.builtin_totp.id",
        "data.authentik_stage.builtin_totp.id, authentik_stage_authenticator_static.codes.id, authentik_stage_authenticator_totp.app.id, authentik_stage_authenticator_webauthn.keys.id",
        "authentik_stage_authenticator_totp.app.id, data.authentik_stage.builtin_totp.id, authentik_stage_authenticator_webauthn.keys.id, authentik_stage_authenticator_static.codes.id",
    ];
    let types = [
        "setunion(data.authentik_webauthn_device_types.yubikey.aaguids, [data.authentik_webauthn_device_type.unknown.aaguid])",
        "setunion([data.authentik_webauthn_device_type.unknown.aaguid], data.authentik_webauthn_device_types.yubikey.aaguids)",
    ];
    let config = |stages: &str, t: &str| {
        ctx.config(&MFA.replace("{{STAGES}}", stages).replace("{{TYPES}}", t));
    };
    config(orders[0], types[0]);
    ctx.wd.apply();
    for _ in 0..2 {
        ctx.assert_empty_plan("plan after apply (shuffled answers)");
    }
    ctx.assert_refresh_only_clean();
    let validate = ctx.state_values("authentik_stage_authenticator_validate.mfa");
    assert_eq!(
        validate["configuration_stages"].as_array().map(Vec::len),
        Some(4),
        "{validate:#}"
    );
    assert_eq!(
        validate["webauthn_allowed_device_types"]
            .as_array()
            .map(Vec::len),
        Some(4),
        "three YubiKey 5 Series and the unknown devices: {validate:#}"
    );
    let (status, builtin) = ctx
        .dbl
        .get("/api/v3/stages/all/?name=default-authenticator-totp-setup");
    assert_eq!(status, 200, "{builtin}");
    let builtin_id = builtin["results"][0]["pk"].as_str().expect("built-in pk");
    assert!(
        validate["configuration_stages"]
            .as_array()
            .expect("set")
            .iter()
            .any(|s| s == builtin_id),
        "{validate:#}"
    );
    let state = ctx.wd.state_json();
    assert!(state["values"]["outputs"]["builtin_validation"]["value"].is_string());
    for (stages, t) in [(orders[1], types[1]), (orders[2], types[0])] {
        config(stages, t);
        ctx.dbl.clear_requests();
        ctx.assert_empty_plan("another order of configuration_stages");
        assert!(ctx.writes().is_empty());
    }
    ctx.wd.destroy();
    assert!(ctx.dbl.stages().is_empty(), "{:#?}", ctx.dbl.stages());
    let (status, _) = ctx.dbl.get(&format!("/api/v3/stages/all/{builtin_id}/"));
    assert_eq!(
        status, 200,
        "a built-in stage referenced by data source is left alone"
    );
}

/// A data source that finds nothing names what it looked for and the closest values; one that
/// finds several lists them and the attribute that tells them apart; one with no key says so.
fn data_source_lookups_never_guess(v: TfVersion) {
    let ctx = Ctx::new(v, &[]);
    let text = ctx.plan_error(
        r#"data "authentik_flow" "f" {
  slug = "default-authenticator-totp-setpu"
}"#,
    );
    assert!(
        text.contains(r#"slug "default-authenticator-totp-setpu""#)
            && text.contains(r#""default-authenticator-totp-setup""#),
        "{text}"
    );
    let text = ctx.plan_error(
        r#"data "authentik_stage" "s" {
  name = "default-authentication-mfa-validaton"
}"#,
    );
    assert!(
        text.contains("No stage found")
            && text.contains(r#""default-authentication-mfa-validation""#),
        "{text}"
    );
    let text = ctx.plan_error(
        r#"data "authentik_webauthn_device_type" "t" {
  description = "YubiKey 5 Series with NFC"
}"#,
    );
    assert!(
        text.contains("More than one WebAuthn device type matches")
            && text.contains("3 WebAuthn device types in authentik have description")
            && text.contains("aaguid = ")
            && text.contains("`aaguid`")
            && text.contains(r#"data "authentik_webauthn_device_types""#),
        "{text}"
    );
    // The plural lookup never returns an empty set (that would mean "no restriction").
    let text = ctx.plan_error(
        r#"data "authentik_webauthn_device_types" "t" {
  description = "Yubikey 5 series"
}"#,
    );
    assert!(
        text.contains("No WebAuthn device type found")
            && text.contains(r#"Did you mean "YubiKey 5 Series""#),
        "{text}"
    );
    let text = ctx.plan_error(
        r#"data "authentik_flow" "f" {
  designation = "authentication"
}"#,
    );
    assert!(
        text.contains("flows in authentik have designation")
            && text.contains(r#"slug = "default-authentication-flow""#),
        "{text}"
    );
    let text = ctx.plan_error(
        r#"data "authentik_flow" "f" {
  slug           = "default-authenticator-totp-setup"
  authentication = "none"
}"#,
    );
    assert!(
        text.contains(r#"authentication "require_authenticated""#),
        "{text}"
    );
    let text = ctx.plan_error(r#"data "authentik_stage" "s" {}"#);
    assert!(text.contains("Set at least one of `name`"), "{text}");
    // A unique key finds it, in any spelling of the UUID, and plans empty; the plural lookup
    // finds every device type of a family, or matching a search.
    ctx.config(
        r#"data "authentik_webauthn_device_type" "t" {
  aaguid = "EE882879-721C-4913-9775-3DFCCE97072A"
}
output "d" {
  value = data.authentik_webauthn_device_type.t.description
}
data "authentik_webauthn_device_types" "nfc" {
  description = "YubiKey 5 Series with NFC"
}
data "authentik_webauthn_device_types" "search" {
  search = "YUBIKEY 5 SERIES WITH"
}
output "nfc" {
  value = data.authentik_webauthn_device_types.nfc.device_types
}
output "search" {
  value = data.authentik_webauthn_device_types.search.aaguids
}"#,
    );
    ctx.wd.apply();
    let state = ctx.wd.state_json();
    assert_eq!(state["values"]["outputs"]["d"]["value"], "YubiKey 5 Series");
    let nfc = &state["values"]["outputs"]["nfc"]["value"];
    assert_eq!(nfc.as_array().map(Vec::len), Some(3), "{nfc}");
    assert!(
        nfc.as_array()
            .into_iter()
            .flatten()
            .all(|t| t["description"] == "YubiKey 5 Series with NFC"),
        "{nfc}"
    );
    // Every word, anywhere, any case: the YubiKey 5 (FIPS) Series with NFC or Lightning, their
    // Preview and Enterprise Profile rows: 15.
    let search = &state["values"]["outputs"]["search"]["value"];
    assert_eq!(search.as_array().map(Vec::len), Some(15), "{search}");
    ctx.assert_empty_plan("data sources by aaguid, description and search");
    assert!(ctx.writes().is_empty());
}

/// State written by the official provider, switched with `terraform state replace-provider`,
/// plans empty.
fn switch_from_official_provider(v: TfVersion) {
    let tf = Terraform::find(v);
    let dbl = support::double::Double::start(&[]);
    let mut wd =
        Workdir::with_dev_overrides(&tf, &[("example.com/rust/authentik", &provider_dir())]);
    wd.env("AUTHENTIK_URL", &dbl.url)
        .env("AUTHENTIK_TOKEN", &dbl.token);
    // The stage as the official provider created it.
    let (status, stage) = dbl.post(
        "/api/v3/stages/authenticator/sms/",
        json!({"name": "legacy-sms", "provider": "twilio", "from_number": "+1555", "account_sid": "AC1", "auth": "tok"}),
    );
    assert_eq!(status, 201, "{stage}");
    let id = stage["pk"].as_str().expect("pk");
    let (status, totp) = dbl.post(
        "/api/v3/stages/authenticator/totp/",
        json!({"name": "legacy-totp", "digits": "6"}),
    );
    assert_eq!(status, 201, "{totp}");
    let (status, webauthn) = dbl.post(
        "/api/v3/stages/authenticator/webauthn/",
        json!({"name": "legacy-webauthn", "device_type_restrictions": ["00000000-0000-0000-0000-000000000000"]}),
    );
    assert_eq!(status, 201, "{webauthn}");
    let state = json!({
        "version": 4, "terraform_version": v.as_str(), "serial": 1, "lineage": "6f1c1c8e-9a1e-4b8e-8f43-0d9f5c1c2a11",
        "outputs": {},
        "resources": [{
            "mode": "managed", "type": "authentik_stage_authenticator_sms", "name": "t",
            "provider": "provider[\"registry.terraform.io/goauthentik/authentik\"]",
            "instances": [{"schema_version": 0, "attributes": {
                "id": id, "name": "legacy-sms", "sms_provider": "twilio", "from_number": "+1555", "account_sid": "AC1",
                "auth": "tok", "auth_type": "basic", "auth_password": "", "configure_flow": "", "friendly_name": "",
                "mapping": "", "verify_only": false
            }, "sensitive_attributes": []}]
        }, {
            "mode": "managed", "type": "authentik_stage_authenticator_totp", "name": "t",
            "provider": "provider[\"registry.terraform.io/goauthentik/authentik\"]",
            "instances": [{"schema_version": 0, "attributes": {
                "id": totp["pk"], "name": "legacy-totp", "friendly_name": "", "configure_flow": "", "digits": "6"
            }, "sensitive_attributes": []}]
        }, {
            "mode": "managed", "type": "authentik_stage_authenticator_webauthn", "name": "t",
            "provider": "provider[\"registry.terraform.io/goauthentik/authentik\"]",
            "instances": [{"schema_version": 0, "attributes": {
                "id": webauthn["pk"], "name": "legacy-webauthn", "friendly_name": "", "configure_flow": "",
                "user_verification": "preferred", "resident_key_requirement": "preferred", "authenticator_attachment": "",
                "device_type_restrictions": ["00000000-0000-0000-0000-000000000000"], "max_attempts": 0,
                "hints": [], "prevent_duplicate_devices": true
            }, "sensitive_attributes": []}]
        }]
    });
    wd.write(
        "terraform.tfstate",
        &serde_json::to_string_pretty(&state).expect("json"),
    );
    wd.write(
        "main.tf",
        &(HEADER.replace("goauthentik/authentik", "example.com/rust/authentik")
            + r#"
resource "authentik_stage_authenticator_sms" "t" {
  name         = "legacy-sms"
  sms_provider = "twilio"
  from_number  = "+1555"
  account_sid  = "AC1"
  auth         = "tok"
}
resource "authentik_stage_authenticator_totp" "t" {
  name = "legacy-totp"
}
resource "authentik_stage_authenticator_webauthn" "t" {
  name                     = "legacy-webauthn"
  device_type_restrictions = ["00000000-0000-0000-0000-000000000000"]
}
"#),
    );
    wd.run_ok(&[
        "state",
        "replace-provider",
        "-auto-approve",
        "registry.terraform.io/goauthentik/authentik",
        "example.com/rust/authentik",
    ]);
    assert_eq!(
        wd.plan_detailed_exitcode(),
        0,
        "switching providers must plan empty"
    );
}

/// Terraform 1.15.5: an import block with -generate-config-out, then an empty plan.
#[test]
fn import_block_generates_config() {
    let ctx = Ctx::new(TfVersion::V1_15_5, &[]);
    let (status, stage) = ctx.dbl.post(
        "/api/v3/stages/authenticator/email/",
        json!({"name": "made-by-hand", "port": 587, "subject": "Hi"}),
    );
    assert_eq!(status, 201, "{stage}");
    let id = stage["pk"].as_str().expect("pk");
    ctx.config(&format!(
        "import {{\n  to = authentik_stage_authenticator_email.imported\n  id = \"{id}\"\n}}\n"
    ));
    ctx.wd.run_ok(&[
        "plan",
        "-no-color",
        "-input=false",
        "-generate-config-out=generated.tf",
    ]);
    let generated = ctx.wd.read("generated.tf");
    assert!(
        generated.contains("made-by-hand") && generated.contains("587"),
        "{generated}"
    );
    ctx.wd.apply();
    assert_eq!(
        ctx.wd.plan_detailed_exitcode(),
        0,
        "plan after import block must be empty"
    );
    assert_eq!(ctx.dbl.stages().len(), 1);
}

per_version!(
    shuffled_sets_never_diff,
    older_server_refreshes_cleanly,
    server_hiding_secrets_refreshes_cleanly,
    write_only_secrets,
    update_of_deleted_stage_is_a_clear_error,
    mfa_module,
    mfa_configuration,
    data_source_lookups_never_guess,
    switch_from_official_provider,
    partial_failure_keeps_other_state,
    wrong_token_and_unreachable_url_say_how_to_fix,
    enrollment_module,
);

/// One resource failing (a 400 from the server) leaves every other resource's state correct,
/// and the server's message lands on the attribute it is about.
fn partial_failure_keeps_other_state(v: TfVersion) {
    let ctx = Ctx::new(v, &[]);
    let (status, body) = ctx.dbl.post("/api/v3/stages/authenticator/sms/", json!({
        "name": "taken", "provider": "twilio", "from_number": "+1", "account_sid": "AC1", "auth": "x"}));
    assert_eq!(status, 201, "{body}");
    let three = |clash: &str| {
        format!(
            r#"
resource "authentik_stage_authenticator_email" "a" {{
  name = "ok-a"
}}
resource "authentik_stage_authenticator_email" "b" {{
  name = "{clash}"
}}
resource "authentik_stage_authenticator_email" "c" {{
  name = "ok-c"
}}"#
        )
    };
    ctx.config(&three("taken"));
    let out = ctx.wd.apply_err();
    let text = out.combined();
    assert!(
        text.contains("already exists") && text.contains("name"),
        "{out}"
    );
    let state = ctx.wd.state_json();
    let root = &state["values"]["root_module"];
    assert!(
        find_resource(root, "authentik_stage_authenticator_email.a").is_some(),
        "{state:#}"
    );
    assert!(
        find_resource(root, "authentik_stage_authenticator_email.c").is_some(),
        "{state:#}"
    );
    assert!(
        find_resource(root, "authentik_stage_authenticator_email.b").is_none(),
        "{state:#}"
    );
    assert_eq!(ctx.dbl.stages().len(), 3);
    ctx.config(&three("ok-b"));
    ctx.apply_settled("after fixing the clash");
    assert_eq!(ctx.dbl.stages().len(), 4);
}

/// A rejected token and an unreachable server each say what is wrong and how to fix it, and
/// never echo the token.
fn wrong_token_and_unreachable_url_say_how_to_fix(v: TfVersion) {
    let mut ctx = Ctx::new(v, &[]);
    ctx.config(r#"resource "authentik_stage_authenticator_email" "t" { name = "mail" }"#);
    ctx.wd.env("AUTHENTIK_TOKEN", "wrong-token-1234567");
    let out = ctx.wd.apply_err();
    let text = out.folded();
    assert!(
        text.contains("403") && text.to_lowercase().contains("token"),
        "{out}"
    );
    assert!(
        !text.contains("wrong-token-1234567"),
        "the token leaked: {out}"
    );
    assert!(ctx.dbl.stages().is_empty());
    ctx.wd.env("AUTHENTIK_TOKEN", ctx.dbl.token.clone());
    ctx.wd.env("AUTHENTIK_URL", "http://127.0.0.1:9");
    ctx.wd.env("AUTHENTIK_RETRY_TIMEOUT", "soon");
    let out = ctx.wd.apply_err();
    assert!(
        out.combined()
            .contains("`AUTHENTIK_RETRY_TIMEOUT` must be a whole number of seconds"),
        "{out}"
    );
    // A wrong port looks like a restarting authentik: give up after 1 s instead of 120.
    ctx.wd.env("AUTHENTIK_RETRY_TIMEOUT", "1");
    let out = ctx.wd.apply_err();
    let text = out.folded();
    assert!(
        text.contains("127.0.0.1:9") && text.contains("url"),
        "the error should name the URL and the setting: {out}"
    );
    assert!(
        text.contains("Error: could not reach authentik") && !text.contains("rejected"),
        "the heading says authentik was not reached: {out}"
    );
}

const ENROLLMENT: &str = r#"

resource "authentik_flow" "sign_in" {
  name        = "Sign in"
  slug        = "enr-sign-in"
  title       = "Sign in"
  designation = "authentication"
}

module "mfa" {
  source      = "./modules/mfa"
  name_prefix = "enr"
  enable = {
    totp     = true
    webauthn = false
    static   = true
    email    = false
    sms      = false
  }
}

module "enrollment" {
  source      = "./modules/enrollment"
  name_prefix = "enr"
  labels = {
    username        = "{{USERNAME_LABEL}}"
    email           = "Email address"
    password        = "Password"
    password_repeat = "Password (again)"
  }
  placeholders         = { {{PLACEHOLDERS}} }
  sign_in_flow         = {{SIGN_IN}}
  redirect_url         = {{URL}}
  mfa_stages           = [module.mfa.validate_stage_id]
}

resource "authentik_flow" "authorize" {
  name           = "Authorize"
  slug           = "enr-authorize"
  title          = "Authorize"
  designation    = "authorization"
  authentication = "require_authenticated"
}

resource "authentik_stage_consent" "consent" {
  name              = "enr-consent"
  consent_expire_in = "weeks=2"
}

resource "authentik_stage_deny" "deny" {
  name         = "enr-deny"
  deny_message = "Contractors may not use this application."
}

resource "authentik_policy_expression" "contractor" {
  name       = "enr-is-contractor"
  expression = <<-EOT
    return request.user.attributes.get("contractor", False)
  EOT
}

resource "authentik_flow_stage_binding" "consent" {
  target = authentik_flow.authorize.uuid
  stage  = authentik_stage_consent.consent.id
  order  = 10
}
{{DENY}}
{{EXTRA}}
"#;

const DENY_BINDING: &str = r#"
resource "authentik_flow_stage_binding" "deny" {
  target = authentik_flow.authorize.uuid
  stage  = authentik_stage_deny.deny.id
  order  = 20
}

resource "authentik_policy_binding" "deny_contractors" {
  target = authentik_flow_stage_binding.deny.id
  policy = authentik_policy_expression.contractor.id
  order  = 0
}
"#;

/// The enrollment module composed with the mfa module, next to an authorization flow with
/// consent and deny: apply, empty plan; then labels changed, a placeholder cleared, the redirect
/// switched from the sign-in flow to a static URL and the deny binding removed, each as one
/// PATCH (or DELETE) that carries what authentik needs, empty plan again; a redirect without its
/// target refused at plan; a prompt stage named like a stage of another type refused before
/// anything is sent; destroy leaves nothing on the server.
fn enrollment_module(v: TfVersion) {
    let ctx = Ctx::new(v, &[]);
    for m in ["mfa", "enrollment"] {
        copy_dir(
            &repo_root().join("examples/modules").join(m),
            &ctx.wd.path().join("modules").join(m),
        );
    }
    let config =
        |label: &str, placeholders: &str, sign_in: &str, url: &str, deny: &str, extra: &str| {
            format!("{HEADER}{ENROLLMENT}")
                .replace("{{USERNAME_LABEL}}", label)
                .replace("{{PLACEHOLDERS}}", placeholders)
                .replace("{{SIGN_IN}}", sign_in)
                .replace("{{URL}}", url)
                .replace("{{DENY}}", deny)
                .replace("{{EXTRA}}", extra)
        };
    // The configuration after the step, with `extra` resources.
    let stepped = |extra: &str| {
        config(
            "User name",
            r#"email = "jane@example.com""#,
            "null",
            r#""https://example.com/welcome""#,
            "",
            extra,
        )
    };
    let placeholders = r#"username = "jane.doe", email = "jane@example.com""#;
    let sign_in = "authentik_flow.sign_in.uuid";
    ctx.wd.write(
        "main.tf",
        &config("Username", placeholders, sign_in, "null", DENY_BINDING, ""),
    );
    ctx.wd.run_ok(&["get", "-no-color"]);
    ctx.apply_settled("plan after the first apply");

    let flow_uuid = |addr: &str| {
        ctx.state_values(addr)["uuid"]
            .as_str()
            .expect("uuid")
            .to_string()
    };
    let enrollment = flow_uuid("module.enrollment.authentik_flow.this");
    let sign_in_uuid = flow_uuid("authentik_flow.sign_in");
    let authorize = flow_uuid("authentik_flow.authorize");
    let bindings = |flow: &str| -> Vec<(i64, String)> {
        let mut b: Vec<(i64, String)> = ctx
            .dbl
            .list_all(&format!("/api/v3/flows/bindings/?target={flow}"))
            .expect("bindings")
            .iter()
            .map(|b| {
                (
                    b["order"].as_i64().expect("order"),
                    b["stage_obj"]["name"]
                        .as_str()
                        .expect("stage name")
                        .to_string(),
                )
            })
            .collect();
        b.sort();
        b
    };
    let names = |b: &[(i64, String)]| b.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&bindings(&enrollment)),
        [
            "enr-prompt",
            "enr-user-write",
            "enr-email-verification",
            "enr-validate",
            "enr-redirect"
        ],
        "the enrollment flow's stages in order"
    );
    assert_eq!(names(&bindings(&authorize)), ["enr-consent", "enr-deny"]);
    let stage = |api: &str, addr: &str| {
        let id = ctx.state_values(addr)["id"]
            .as_str()
            .expect("id")
            .to_string();
        ctx.server_stage(api, &id)
    };
    let redirect_addr = "module.enrollment.authentik_stage_redirect.this";
    let redirect = stage("stages/redirect", redirect_addr);
    assert_eq!(redirect["mode"], "flow");
    assert_eq!(redirect["target_flow"], sign_in_uuid.as_str());
    let username_addr = "module.enrollment.authentik_stage_prompt_field.this[\"username\"]";
    assert_eq!(
        stage("stages/prompt/prompts", username_addr)["placeholder"],
        "jane.doe"
    );
    let prompt = stage(
        "stages/prompt/stages",
        "module.enrollment.authentik_stage_prompt.this",
    );
    assert_eq!(
        prompt["fields"].as_array().map(Vec::len),
        Some(4),
        "{prompt:#}"
    );
    let user_write = stage(
        "stages/user_write",
        "module.enrollment.authentik_stage_user_write.this",
    );
    assert_eq!(user_write["create_users_as_inactive"], true);
    assert_eq!(user_write["user_creation_mode"], "always_create");
    let email = stage(
        "stages/email",
        "module.enrollment.authentik_stage_email.this[0]",
    );
    assert_eq!(email["activate_user_on_success"], true);
    assert_eq!(email["template"], "email/account_confirmation.html");
    assert_eq!(
        stage("stages/consent", "authentik_stage_consent.consent")["mode"],
        "expiring"
    );

    // The step: labels, a cleared placeholder, redirect to a URL, the deny binding gone.
    ctx.wd.write("main.tf", &stepped(""));
    ctx.dbl.clear_requests();
    ctx.apply_settled("plan after the step");
    let writes = ctx.writes();
    let to = |part: &str, method: &str| -> Vec<Value> {
        writes
            .iter()
            .filter(|w| {
                w["method"] == method && w["path"].as_str().is_some_and(|p| p.contains(part))
            })
            .map(|w| w["body"].clone())
            .collect()
    };
    assert_eq!(
        to("/stages/redirect/", "PATCH"),
        [
            json!({"mode": "static", "target_static": "https://example.com/welcome", "target_flow": null})
        ],
        "the mode goes with both targets: {writes:#?}"
    );
    let prompt_patches = to("/stages/prompt/prompts/", "PATCH");
    assert!(
        prompt_patches.contains(&json!({"label": "User name", "placeholder": ""})),
        "{writes:#?}"
    );
    assert_eq!(
        prompt_patches.len(),
        1,
        "only the username field changes: {writes:#?}"
    );
    assert_eq!(to("/flows/bindings/", "DELETE").len(), 1, "{writes:#?}");
    let redirect = stage("stages/redirect", redirect_addr);
    assert_eq!(redirect["mode"], "static");
    assert_eq!(redirect["target_static"], "https://example.com/welcome");
    assert_eq!(redirect["target_flow"], Value::Null);
    let username = stage("stages/prompt/prompts", username_addr);
    assert_eq!(username["placeholder"], "");
    assert_eq!(username["label"], "User name");
    assert_eq!(names(&bindings(&authorize)), ["enr-consent"]);
    let (status, _) = ctx.dbl.get("/api/v3/stages/deny/");
    assert_eq!(status, 200);

    // A static redirect without its URL is refused at plan, naming the attribute.
    ctx.wd
        .write("main.tf", &config("User name", "", "null", "null", "", ""));
    let out = ctx.wd.run(&["plan", "-no-color", "-input=false"]);
    out.assert_failure();
    assert!(out.combined().contains("target_static"), "{out}");

    // A prompt stage named like the consent stage: refused before anything is sent (authentik
    // would fail with an empty 405).
    let clash = r#"
resource "authentik_stage_prompt" "clash" {
  name   = "enr-consent"
  fields = [module.enrollment.field_ids["username"]]
}"#;
    ctx.wd.write("main.tf", &stepped(clash));
    ctx.dbl.clear_requests();
    let out = ctx
        .wd
        .run(&["apply", "-auto-approve", "-no-color", "-input=false"]);
    out.assert_failure();
    let text = out.folded();
    assert!(text.contains("is taken"), "{out}");
    assert!(text.contains("the Consent Stage \"enr-consent\""), "{out}");
    assert!(
        to_nothing(&ctx.writes()),
        "nothing sent: {:#?}",
        ctx.writes()
    );

    // Destroy leaves nothing.
    ctx.wd.write("main.tf", &stepped(""));
    ctx.wd.destroy();
    assert!(ctx.dbl.stages().is_empty(), "{:#?}", ctx.dbl.stages());
    for (path, key) in [
        ("/api/v3/flows/instances/", "slug"),
        ("/api/v3/stages/prompt/prompts/", "name"),
        ("/api/v3/policies/expression/", "name"),
    ] {
        let left: Vec<Value> = ctx
            .dbl
            .list_all(path)
            .expect("list")
            .into_iter()
            .filter(|o| o[key].as_str().is_some_and(|n| n.starts_with("enr-")))
            .collect();
        assert!(left.is_empty(), "{path} left: {left:#?}");
    }
}

/// No write to a prompt stage in this request log.
fn to_nothing(writes: &[Value]) -> bool {
    !writes.iter().any(|w| {
        w["path"]
            .as_str()
            .is_some_and(|p| p.contains("/stages/prompt/stages/"))
    })
}
