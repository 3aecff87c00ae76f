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

/// authentik 2026.2 has no webauthn_hints or throttling factors: refresh stays clean, and
/// configuring one says clearly that the server is too old.
fn older_server_refreshes_cleanly(v: TfVersion) {
    let ctx = Ctx::new(v, &["--version", "2026.2"]);
    ctx.config(
        &VALIDATE_WITH_STAGES.replace("{{TYPES}}", "\"00000000-0000-0000-0000-000000000000\""),
    );
    ctx.wd.apply();
    ctx.assert_empty_plan("plan");
    ctx.assert_refresh_only_clean();
    let values = ctx.state_values("authentik_stage_authenticator_validate.t");
    assert_eq!(values["webauthn_hints"], Value::Null);
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
    ctx.wd.apply();
    ctx.assert_empty_plan("plan");
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
    ctx.dbl.clear_requests();
    ctx.wd.apply();
    let writes = ctx.writes();
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

/// The example module, used the way teams package it: apply, empty plan, outputs wired.
fn mfa_module(v: TfVersion) {
    let ctx = Ctx::new(v, &[]);
    copy_dir(
        &repo_root().join("examples/modules/mfa"),
        &ctx.wd.path().join("modules/mfa"),
    );
    let demo = std::fs::read_to_string(repo_root().join("examples/demo/main.tf")).expect("demo");
    ctx.wd
        .write("main.tf", &demo.replace("../modules/mfa", "./modules/mfa"));
    ctx.wd.run_ok(&["get", "-no-color"]);
    ctx.wd.apply();
    ctx.assert_empty_plan("plan");
    let state = ctx.wd.state_json();
    let outputs = &state["values"]["outputs"]["stage_ids"]["value"];
    let validate = find_resource(
        &state["values"]["root_module"],
        "module.mfa.authentik_stage_authenticator_validate.this",
    )
    .expect("validate stage in state");
    let stages: Vec<&Value> = validate["configuration_stages"]
        .as_array()
        .expect("stages")
        .iter()
        .collect();
    assert!(
        stages.contains(&&outputs["sms"]) && stages.contains(&&outputs["email"]),
        "{validate:#}"
    );
    assert_eq!(ctx.dbl.stages().len(), 3);
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
    switch_from_official_provider,
    partial_failure_keeps_other_state,
    wrong_token_and_unreachable_url_say_how_to_fix,
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
    ctx.wd.apply();
    ctx.assert_empty_plan("after fixing the clash");
    assert_eq!(ctx.dbl.stages().len(), 4);
}

/// A rejected token and an unreachable server each say what is wrong and how to fix it, and
/// never echo the token.
fn wrong_token_and_unreachable_url_say_how_to_fix(v: TfVersion) {
    let mut ctx = Ctx::new(v, &[]);
    ctx.config(r#"resource "authentik_stage_authenticator_email" "t" { name = "mail" }"#);
    ctx.wd.env("AUTHENTIK_TOKEN", "wrong-token-1234567");
    let out = ctx.wd.apply_err();
    let text = out
        .combined()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
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
    let out = ctx.wd.apply_err();
    let text = out
        .combined()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("127.0.0.1:9") && text.contains("url"),
        "the error should name the URL and the setting: {out}"
    );
}
