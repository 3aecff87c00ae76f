//! End to end, per resource (all seven authenticator stages), on Terraform 1.0.3 and 1.15.5
//! against the API double: create with every attribute, empty plan, an update is one PATCH of
//! just the change, clearing every optional attribute, drift shown and repaired, out-of-band
//! delete planned as a create, import by UUID and by name, destroy.

mod e2e;
mod support;

use e2e::{fill, planned_actions, Ctx};
use serde_json::{json, Value};
use support::terraform::TfVersion;

/// One resource's scenario data.
struct Case {
    ty: &'static str,
    api: &'static str,
    /// Other resources the configurations need (kept in every step).
    extra: &'static str,
    full: &'static str,
    /// `full` with one attribute changed, and the PATCH body that change must produce.
    updated: &'static str,
    patch: Value,
    minimal: &'static str,
    /// Server values after applying `minimal` (the server's defaults).
    defaults: Value,
    /// An out-of-band change (PATCH body) that `full` must undo.
    drift: Value,
    name: &'static str,
    /// Secrets authentik never returns: an import cannot read them, so the first apply after
    /// an import sends exactly these (one PATCH).
    import_sends: &'static [&'static str],
}

fn sms() -> Case {
    Case {
        ty: "authentik_stage_authenticator_sms",
        api: "stages/authenticator/sms",
        extra: "",
        full: r#"
resource "authentik_stage_authenticator_sms" "t" {
  name           = "sms-full{{SFX}}"
  friendly_name  = "Phone"
  configure_flow = "{{FLOW_UPPER}}"
  sms_provider   = "generic"
  from_number    = "+15550001"
  account_sid    = "https://sms.example.com/send"
  auth           = "gateway-user"
  auth_type      = "bearer"
  auth_password  = "gateway-pass"
  mapping        = "{{MAPPING}}"
  verify_only    = true
}"#,
        updated: r#"
resource "authentik_stage_authenticator_sms" "t" {
  name           = "sms-full{{SFX}}"
  friendly_name  = "Phone 2"
  configure_flow = "{{FLOW_UPPER}}"
  sms_provider   = "generic"
  from_number    = "+15550001"
  account_sid    = "https://sms.example.com/send"
  auth           = "gateway-user"
  auth_type      = "bearer"
  auth_password  = "gateway-pass"
  mapping        = "{{MAPPING}}"
  verify_only    = true
}"#,
        patch: json!({"friendly_name": "Phone 2"}),
        minimal: r#"
resource "authentik_stage_authenticator_sms" "t" {
  name         = "sms-full{{SFX}}"
  sms_provider = "generic"
  from_number  = "+15550001"
  account_sid  = "https://sms.example.com/send"
  auth         = "gateway-user"
}"#,
        defaults: json!({"friendly_name": "", "configure_flow": null, "auth_type": "basic", "auth_password": "",
            "mapping": null, "verify_only": false}),
        drift: json!({"from_number": "+19999999", "verify_only": false}),
        name: "sms-full",
        import_sends: &[],
    }
}

fn email() -> Case {
    Case {
        ty: "authentik_stage_authenticator_email",
        api: "stages/authenticator/email",
        extra: "",
        full: r#"
resource "authentik_stage_authenticator_email" "t" {
  name                = "email-full{{SFX}}"
  friendly_name       = "Mail"
  configure_flow      = "{{FLOW}}"
  use_global_settings = true
  host                = "smtp.example.com"
  port                = 587
  username            = "mailer"
  password            = "smtp-pass"
  use_tls             = true
  use_ssl             = false
  timeout             = 15
  from_address        = "authentik@example.com"
  subject             = "Your code"
  token_expiry        = "hours=1;minutes=30"
  template            = "email/custom.html"
}"#,
        updated: r#"
resource "authentik_stage_authenticator_email" "t" {
  name                = "email-full{{SFX}}"
  friendly_name       = "Mail"
  configure_flow      = "{{FLOW}}"
  use_global_settings = true
  host                = "smtp.example.com"
  port                = 587
  username            = "mailer"
  password            = "smtp-pass"
  use_tls             = true
  use_ssl             = false
  timeout             = 15
  from_address        = "authentik@example.com"
  subject             = "Your new code"
  token_expiry        = "hours=1;minutes=30"
  template            = "email/custom.html"
}"#,
        patch: json!({"subject": "Your new code"}),
        minimal: r#"
resource "authentik_stage_authenticator_email" "t" {
  name = "email-full{{SFX}}"
}"#,
        defaults: json!({"friendly_name": "", "configure_flow": null, "use_global_settings": false, "host": "localhost",
            "port": 25, "username": "", "password": "", "use_tls": false, "use_ssl": false, "timeout": 10,
            "from_address": "system@authentik.local", "subject": "authentik Sign-in code", "token_expiry": "minutes=30",
            "template": "email/email_otp.html"}),
        drift: json!({"port": 2525, "use_tls": false}),
        name: "email-full",
        import_sends: &[],
    }
}

fn validate() -> Case {
    Case {
        ty: "authentik_stage_authenticator_validate",
        api: "stages/authenticator/validate",
        extra: r#"
resource "authentik_stage_authenticator_email" "a" {
  name = "cfg-a{{SFX}}"
}
resource "authentik_stage_authenticator_email" "b" {
  name = "cfg-b{{SFX}}"
}"#,
        full: r#"
resource "authentik_stage_authenticator_validate" "t" {
  name                          = "validate-full{{SFX}}"
  not_configured_action         = "configure"
  device_classes                = ["totp", "email", "webauthn"]
  configuration_stages          = [authentik_stage_authenticator_email.a.id, authentik_stage_authenticator_email.b.id]
  last_auth_threshold           = "hours=12"
  webauthn_user_verification    = "required"
  webauthn_allowed_device_types = ["00000000-0000-0000-0000-000000000000"]
  webauthn_hints                = ["security-key", "hybrid"]
  email_otp_throttling_factor   = 2
  sms_otp_throttling_factor     = 1.5
  totp_otp_throttling_factor    = 3
  static_otp_throttling_factor  = 4
}"#,
        updated: r#"
resource "authentik_stage_authenticator_validate" "t" {
  name                          = "validate-full{{SFX}}"
  not_configured_action         = "configure"
  device_classes                = ["totp", "email", "webauthn"]
  configuration_stages          = [authentik_stage_authenticator_email.a.id, authentik_stage_authenticator_email.b.id]
  last_auth_threshold           = "hours=6"
  webauthn_user_verification    = "required"
  webauthn_allowed_device_types = ["00000000-0000-0000-0000-000000000000"]
  webauthn_hints                = ["security-key", "hybrid"]
  email_otp_throttling_factor   = 2
  sms_otp_throttling_factor     = 1.5
  totp_otp_throttling_factor    = 3
  static_otp_throttling_factor  = 4
}"#,
        patch: json!({"last_auth_threshold": "hours=6"}),
        minimal: r#"
resource "authentik_stage_authenticator_validate" "t" {
  name = "validate-full{{SFX}}"
}"#,
        defaults: json!({"not_configured_action": "skip", "configuration_stages": [], "last_auth_threshold": "seconds=0",
            "webauthn_user_verification": "preferred", "webauthn_allowed_device_types": [], "webauthn_hints": [],
            "email_otp_throttling_factor": 1, "sms_otp_throttling_factor": 1, "totp_otp_throttling_factor": 1,
            "static_otp_throttling_factor": 1}),
        drift: json!({"device_classes": ["static"], "last_auth_threshold": "days=1"}),
        name: "validate-full",
        import_sends: &[],
    }
}

fn totp() -> Case {
    let full = r#"
resource "authentik_stage_authenticator_totp" "t" {
  name           = "totp-full{{SFX}}"
  friendly_name  = "Authenticator app"
  configure_flow = "{{FLOW_UPPER}}"
  digits         = "8"
}"#;
    Case {
        ty: "authentik_stage_authenticator_totp",
        api: "stages/authenticator/totp",
        extra: "",
        full,
        updated: r#"
resource "authentik_stage_authenticator_totp" "t" {
  name           = "totp-full{{SFX}}"
  friendly_name  = "Authenticator app"
  configure_flow = "{{FLOW_UPPER}}"
  digits         = 6
}"#,
        patch: json!({"digits": "6"}),
        minimal: r#"
resource "authentik_stage_authenticator_totp" "t" {
  name = "totp-full{{SFX}}"
}"#,
        defaults: json!({"friendly_name": "", "configure_flow": null, "digits": "6"}),
        drift: json!({"digits": "6", "friendly_name": "Changed by hand"}),
        name: "totp-full",
        import_sends: &[],
    }
}

fn static_tokens() -> Case {
    Case {
        ty: "authentik_stage_authenticator_static",
        api: "stages/authenticator/static",
        extra: "",
        full: r#"
resource "authentik_stage_authenticator_static" "t" {
  name           = "static-full{{SFX}}"
  friendly_name  = "Recovery codes"
  configure_flow = "{{FLOW_UPPER}}"
  token_count    = 10
  token_length   = 16
}"#,
        updated: r#"
resource "authentik_stage_authenticator_static" "t" {
  name           = "static-full{{SFX}}"
  friendly_name  = "Recovery codes"
  configure_flow = "{{FLOW_UPPER}}"
  token_count    = 8
  token_length   = 16
}"#,
        patch: json!({"token_count": 8}),
        minimal: r#"
resource "authentik_stage_authenticator_static" "t" {
  name = "static-full{{SFX}}"
}"#,
        defaults: json!({"friendly_name": "", "configure_flow": null, "token_count": 6, "token_length": 12}),
        drift: json!({"token_length": 20}),
        name: "static-full",
        import_sends: &[],
    }
}

fn webauthn() -> Case {
    Case {
        ty: "authentik_stage_authenticator_webauthn",
        api: "stages/authenticator/webauthn",
        extra: "",
        full: r#"
resource "authentik_stage_authenticator_webauthn" "t" {
  name                      = "webauthn-full{{SFX}}"
  friendly_name             = "Security key"
  configure_flow            = "{{FLOW_UPPER}}"
  user_verification         = "required"
  resident_key_requirement  = "required"
  authenticator_attachment  = "cross-platform"
  device_type_restrictions  = ["00000000-0000-0000-0000-000000000000", "bada5566-a7aa-401f-bd96-45619a55120d"]
  max_attempts              = 3
  hints                     = ["security-key", "hybrid"]
  prevent_duplicate_devices = false
}"#,
        updated: r#"
resource "authentik_stage_authenticator_webauthn" "t" {
  name                      = "webauthn-full{{SFX}}"
  friendly_name             = "Security key"
  configure_flow            = "{{FLOW_UPPER}}"
  user_verification         = "required"
  resident_key_requirement  = "required"
  authenticator_attachment  = "cross-platform"
  device_type_restrictions  = ["bada5566-a7aa-401f-bd96-45619a55120d", "00000000-0000-0000-0000-000000000000"]
  max_attempts              = 5
  hints                     = ["security-key", "hybrid"]
  prevent_duplicate_devices = false
}"#,
        patch: json!({"max_attempts": 5}),
        minimal: r#"
resource "authentik_stage_authenticator_webauthn" "t" {
  name = "webauthn-full{{SFX}}"
}"#,
        defaults: json!({"friendly_name": "", "configure_flow": null, "user_verification": "preferred",
            "resident_key_requirement": "preferred", "authenticator_attachment": null, "device_type_restrictions": [],
            "max_attempts": 0, "hints": [], "prevent_duplicate_devices": true}),
        drift: json!({"user_verification": "discouraged", "hints": ["client-device"]}),
        name: "webauthn-full",
        import_sends: &[],
    }
}

fn duo() -> Case {
    Case {
        ty: "authentik_stage_authenticator_duo",
        api: "stages/authenticator/duo",
        extra: "",
        full: r#"
resource "authentik_stage_authenticator_duo" "t" {
  name                  = "duo-full{{SFX}}"
  friendly_name         = "Duo Push"
  configure_flow        = "{{FLOW_UPPER}}"
  client_id             = "DIAUTHAPI"
  client_secret         = "duo-auth-secret"
  api_hostname          = "api-1234abcd.duosecurity.com"
  admin_integration_key = "DIADMINAPI"
  admin_secret_key      = "duo-admin-secret"
}"#,
        updated: r#"
resource "authentik_stage_authenticator_duo" "t" {
  name                  = "duo-full{{SFX}}"
  friendly_name         = "Duo Push"
  configure_flow        = "{{FLOW_UPPER}}"
  client_id             = "DIAUTHAPI"
  client_secret         = "duo-auth-secret"
  api_hostname          = "api-5678efgh.duosecurity.com"
  admin_integration_key = "DIADMINAPI"
  admin_secret_key      = "duo-admin-secret"
}"#,
        patch: json!({"api_hostname": "api-5678efgh.duosecurity.com"}),
        minimal: r#"
resource "authentik_stage_authenticator_duo" "t" {
  name          = "duo-full{{SFX}}"
  client_id     = "DIAUTHAPI"
  client_secret = "duo-auth-secret"
  api_hostname  = "api-1234abcd.duosecurity.com"
}"#,
        defaults: json!({"friendly_name": "", "configure_flow": null, "admin_integration_key": ""}),
        drift: json!({"client_id": "DICHANGED", "friendly_name": "Changed by hand"}),
        name: "duo-full",
        import_sends: &["client_secret", "admin_secret_key"],
    }
}

fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().all(|i| y.iter().any(|j| same_json(i, j)))
        }
        _ => a == b,
    }
}

fn assert_server_has(ctx: &Ctx, case: &Case, id: &str, want: &Value) {
    let got = ctx.server_stage(case.api, id);
    for (k, v) in want.as_object().expect("object") {
        assert!(
            same_json(&got[k], v),
            "{}: server has {k} = {}, expected {v}\nfull object: {got:#}",
            case.ty,
            got[k]
        );
    }
}

fn lifecycle(v: TfVersion, case: Case) {
    let ctx = Ctx::acceptance(v);
    let flow_slug = format!("configure-me{}", ctx.sfx);
    let flow = ctx.flow(&flow_slug);
    let mapping = ctx.mapping(&format!("sms-payload{}", ctx.sfx));
    let vars = [
        ("FLOW", flow.as_str()),
        ("FLOW_UPPER", &flow.to_uppercase()),
        ("MAPPING", mapping.as_str()),
        ("SFX", ctx.sfx.as_str()),
    ];
    let addr = format!("{}.t", case.ty);
    let write = |body: &str| ctx.config(&format!("{}\n{}", case.extra, fill(body, &vars)));

    // Create with every attribute set: one POST for it, then an empty plan.
    // (Request counts come from the double's log; a real server has none.)
    write(case.full);
    let double = ctx.dbl.is_double();
    if double {
        ctx.dbl.clear_requests();
    }
    ctx.wd.apply();
    if double {
        let posts: Vec<Value> = ctx
            .writes()
            .into_iter()
            .filter(|r| {
                r["method"] == "POST" && r["path"].as_str().is_some_and(|p| p.contains(case.api))
            })
            .collect();
        assert_eq!(posts.len(), 1, "one POST for the stage: {posts:#?}");
    }
    assert_eq!(
        ctx.wd.plan_detailed_exitcode(),
        0,
        "plan after the full create must be empty"
    );
    let id = ctx.state_values(&addr)["id"]
        .as_str()
        .expect("id in state")
        .to_string();

    // An update is one PATCH with just the change.
    write(case.updated);
    if double {
        ctx.dbl.clear_requests();
    }
    ctx.wd.apply();
    if double {
        let writes = ctx.writes();
        assert_eq!(
            writes.len(),
            1,
            "exactly one write for a one-attribute change: {writes:#?}"
        );
        assert_eq!(writes[0]["method"], "PATCH");
        assert_eq!(
            writes[0]["body"], case.patch,
            "the PATCH carries only the change"
        );
    }
    ctx.assert_empty_plan("plan");

    // Drift made behind Terraform's back shows, and apply restores the configuration.
    write(case.full);
    ctx.wd.apply();
    let (status, body) = ctx
        .dbl
        .patch(&format!("/api/v3/{}/{id}/", case.api), case.drift.clone());
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        ctx.wd.plan_detailed_exitcode(),
        2,
        "out-of-band change must show as drift"
    );
    ctx.wd.apply();
    ctx.assert_empty_plan("plan");
    let restored = ctx.server_stage(case.api, &id);
    for k in case.drift.as_object().expect("object").keys() {
        assert_ne!(
            restored[k], case.drift[k],
            "apply must undo the drift of {k}"
        );
    }

    // Import by UUID (upper case, no hyphens) and by name: both plan empty. Imported state holds
    // the server's spelling of references, so the configuration uses it here (a differently
    // cased UUID would plan one cosmetic update that sends nothing; see the docs). Secrets the
    // server never returns cannot be imported: the first apply sends exactly those.
    write(&case.full.replace("{{FLOW_UPPER}}", "{{FLOW}}"));
    let after_import = |how: &str| {
        if case.import_sends.is_empty() {
            assert_eq!(
                ctx.wd.plan_detailed_exitcode(),
                0,
                "plan after import by {how} must be empty"
            );
            return;
        }
        if double {
            ctx.dbl.clear_requests();
        }
        ctx.wd.apply();
        if double {
            let writes = ctx.writes();
            assert_eq!(
                writes.len(),
                1,
                "one write after import by {how}: {writes:#?}"
            );
            assert_eq!(writes[0]["method"], "PATCH");
            let mut keys: Vec<&str> = writes[0]["body"]
                .as_object()
                .expect("PATCH body")
                .keys()
                .map(String::as_str)
                .collect();
            keys.sort();
            let mut want = case.import_sends.to_vec();
            want.sort();
            assert_eq!(
                keys, want,
                "after import by {how} only the unreadable secrets are sent"
            );
        }
        ctx.assert_empty_plan("plan after the apply that follows an import");
    };
    ctx.wd.run_ok(&["state", "rm", &addr]);
    ctx.wd.import(&addr, &id.replace('-', "").to_uppercase());
    after_import("UUID");
    ctx.wd.run_ok(&["state", "rm", &addr]);
    ctx.wd
        .import(&addr, &format!("name:{}{}", case.name, ctx.sfx));
    after_import("name");

    // Clearing every optional attribute resets it to the server's default.
    write(case.minimal);
    ctx.wd.apply();
    assert_server_has(&ctx, &case, &id, &case.defaults);
    assert_eq!(
        ctx.wd.plan_detailed_exitcode(),
        0,
        "plan after clearing must be empty"
    );

    // Deleted outside Terraform: the plan creates it again, apply does.
    let (status, _) = ctx.dbl.delete(&format!("/api/v3/{}/{id}/", case.api));
    assert_eq!(status, 204);
    let plan = ctx.wd.plan_json();
    assert_eq!(planned_actions(&plan, &addr), vec!["create"], "{plan:#}");
    ctx.wd.apply();
    let new_id = ctx.state_values(&addr)["id"]
        .as_str()
        .expect("id")
        .to_string();
    assert_ne!(new_id, id);
    ctx.assert_empty_plan("plan");

    // Destroy leaves nothing behind.
    ctx.wd.destroy();
    if double {
        assert!(
            ctx.dbl.stages().is_empty(),
            "stages left after destroy: {:#?}",
            ctx.dbl.stages()
        );
    } else {
        let (status, _) = ctx.dbl.get(&format!("/api/v3/{}/{new_id}/", case.api));
        assert_eq!(status, 404, "the stage must be gone after destroy");
    }
    let (status, _) = ctx
        .dbl
        .delete(&format!("/api/v3/flows/instances/{flow_slug}/"));
    assert_eq!(status, 204, "cleaning up the flow");
    let (status, _) = ctx
        .dbl
        .delete(&format!("/api/v3/propertymappings/notification/{mapping}/"));
    assert_eq!(status, 204, "cleaning up the mapping");
}

fn minimal_create(v: TfVersion, case: Case) {
    let ctx = Ctx::acceptance(v);
    ctx.config(&fill(
        &format!("{}\n{}", case.extra, case.minimal),
        &[("SFX", ctx.sfx.as_str())],
    ));
    ctx.wd.apply();
    assert_eq!(
        ctx.wd.plan_detailed_exitcode(),
        0,
        "a minimal configuration must plan empty after apply"
    );
    let id = ctx.state_values(&format!("{}.t", case.ty))["id"]
        .as_str()
        .expect("id")
        .to_string();
    assert_server_has(&ctx, &case, &id, &case.defaults);
    ctx.wd.destroy();
}

fn sms_lifecycle(v: TfVersion) {
    lifecycle(v, sms())
}
fn email_lifecycle(v: TfVersion) {
    lifecycle(v, email())
}
fn validate_lifecycle(v: TfVersion) {
    lifecycle(v, validate())
}
fn totp_lifecycle(v: TfVersion) {
    lifecycle(v, totp())
}
fn static_lifecycle(v: TfVersion) {
    lifecycle(v, static_tokens())
}
fn webauthn_lifecycle(v: TfVersion) {
    lifecycle(v, webauthn())
}
fn duo_lifecycle(v: TfVersion) {
    lifecycle(v, duo())
}
fn totp_minimal(v: TfVersion) {
    minimal_create(v, totp())
}
fn static_minimal(v: TfVersion) {
    minimal_create(v, static_tokens())
}
fn webauthn_minimal(v: TfVersion) {
    minimal_create(v, webauthn())
}
fn duo_minimal(v: TfVersion) {
    minimal_create(v, duo())
}
fn sms_minimal(v: TfVersion) {
    minimal_create(v, sms())
}
fn email_minimal(v: TfVersion) {
    minimal_create(v, email())
}
fn validate_minimal(v: TfVersion) {
    minimal_create(v, validate())
}

per_version!(
    sms_lifecycle,
    email_lifecycle,
    validate_lifecycle,
    sms_minimal,
    email_minimal,
    validate_minimal,
    totp_lifecycle,
    static_lifecycle,
    webauthn_lifecycle,
    duo_lifecycle,
    totp_minimal,
    static_minimal,
    webauthn_minimal,
    duo_minimal,
);
