//! The acceptance cases, per resource (the seven authenticator stages here, the sign-in flow
//! types in [`flows`], the enrollment and consent types in [`enrollment`]) and per data source, on
//! Terraform 1.0.3 and 1.15.5, against the server a test binary chooses ([`Server`]): create
//! with every attribute, empty plan, an update is one PATCH of just the change, clearing every
//! optional attribute, drift shown and repaired, out-of-band delete planned as a create, import
//! by UUID and by name, destroy; the 2026.5 attributes exercised where the server has them and
//! refused clearly where it does not; data sources looking up what the server itself has.
//!
//! Everything adapts to the server it talks to: its release (`/api/v3/admin/version/`) and the
//! fields it has decide which attributes are configured and what is expected; AAGUIDs, built-in
//! stages and flows come from its own lists. Every name carries the test's unique suffix, and
//! whatever carries it is deleted when the test ends, passed or failed (see [`Ctx`]).
#![allow(dead_code)]

pub mod enrollment;
pub mod flows;

use crate::e2e::{fill, only_patch, planned_actions, Ctx, Server};
use crate::support::terraform::TfVersion;
use serde_json::{json, Value};

/// One resource's scenario data.
pub struct Case {
    ty: &'static str,
    api: &'static str,
    /// Other resources the configurations need (kept in every step).
    extra: &'static str,
    full: &'static str,
    /// The lines of `full` an update changes (each found exactly once, trimmed) and what they
    /// become; `patch` is the PATCH body that change must produce.
    update: &'static [(&'static str, &'static str)],
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
    /// Attribute lines only authentik 2026.5 has, put in place of `{{NEWER}}` in `full` and
    /// the update when the server has them.
    newer: &'static str,
    /// Their server defaults (asserted after `minimal` when the server has them, else the keys
    /// must be absent from the server's object).
    newer_defaults: Value,
    /// Out-of-band change of them, added to `drift` when the server has them.
    newer_drift: Value,
    /// The server field holding the WebAuthn device types `{{AAGUIDS}}` names, if any.
    restrictions: Option<&'static str>,
    /// Optional secrets `full` sets, with their values there: removed from the configuration
    /// (in `minimal`) they are not managed, so authentik keeps them (checked where the server
    /// returns them); cleared with `= ""` they take the value in `defaults`.
    kept_secrets: Value,
}

/// What a case leaves out: no other resources, no secrets, no 2026.5 attributes, no device type
/// restrictions. The rows name only what they have.
impl Default for Case {
    fn default() -> Self {
        Case {
            ty: "",
            api: "",
            extra: "",
            full: "",
            update: &[],
            patch: json!({}),
            minimal: "",
            defaults: json!({}),
            drift: json!({}),
            name: "",
            import_sends: &[],
            newer: "",
            newer_defaults: json!({}),
            newer_drift: json!({}),
            restrictions: None,
            kept_secrets: json!({}),
        }
    }
}

impl Case {
    /// `full` after the update: each changed line must stand in it exactly once, so a row whose
    /// `full` moved on fails here instead of applying an unchanged configuration.
    fn updated(&self) -> String {
        assert!(
            !self.update.is_empty(),
            "{}: a case needs an update",
            self.ty
        );
        self.update
            .iter()
            .fold(self.full.to_string(), |cfg, (from, to)| {
                assert_eq!(
                    cfg.matches(from).count(),
                    1,
                    "{}: the update's line `{from}` must stand once in `full`",
                    self.ty
                );
                cfg.replacen(from, to, 1)
            })
    }
}

pub fn sms() -> Case {
    Case {
        ty: "authentik_stage_authenticator_sms",
        api: "stages/authenticator/sms",
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
        update: &[(
            r#"friendly_name  = "Phone""#,
            r#"friendly_name  = "Phone 2""#,
        )],
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
        kept_secrets: json!({"auth_password": "gateway-pass"}),
        ..Case::default()
    }
}

pub fn email() -> Case {
    Case {
        ty: "authentik_stage_authenticator_email",
        api: "stages/authenticator/email",
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
        update: &[(
            r#"subject             = "Your code""#,
            r#"subject             = "Your new code""#,
        )],
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
        kept_secrets: json!({"password": "smtp-pass"}),
        ..Case::default()
    }
}

const VALIDATE_2026_5: &str = r#"
  webauthn_hints                = ["security-key", "hybrid"]
  email_otp_throttling_factor   = 2
  sms_otp_throttling_factor     = 1.5
  totp_otp_throttling_factor    = 3
  static_otp_throttling_factor  = 4"#;

pub fn validate() -> Case {
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
  webauthn_allowed_device_types = [{{AAGUIDS}}]{{NEWER}}
}"#,
        update: &[
            (
                "configuration_stages          = [authentik_stage_authenticator_email.a.id, authentik_stage_authenticator_email.b.id]",
                "configuration_stages          = [authentik_stage_authenticator_email.b.id, authentik_stage_authenticator_email.a.id]",
            ),
            (
                r#"last_auth_threshold           = "hours=12""#,
                r#"last_auth_threshold           = "hours=6""#,
            ),
            (
                "webauthn_allowed_device_types = [{{AAGUIDS}}]{{NEWER}}",
                "webauthn_allowed_device_types = [{{AAGUIDS_REORDERED}}]{{NEWER}}",
            ),
        ],
        patch: json!({"last_auth_threshold": "hours=6"}),
        minimal: r#"
resource "authentik_stage_authenticator_validate" "t" {
  name = "validate-full{{SFX}}"
}"#,
        defaults: json!({"not_configured_action": "skip", "configuration_stages": [], "last_auth_threshold": "seconds=0",
            "webauthn_user_verification": "preferred", "webauthn_allowed_device_types": [],
            "device_classes": ["static", "totp", "webauthn", "duo", "sms", "email"]}),
        drift: json!({"device_classes": ["static"], "last_auth_threshold": "days=1"}),
        name: "validate-full",
        newer: VALIDATE_2026_5,
        newer_defaults: json!({"webauthn_hints": [], "email_otp_throttling_factor": 1, "sms_otp_throttling_factor": 1,
            "totp_otp_throttling_factor": 1, "static_otp_throttling_factor": 1}),
        newer_drift: json!({"webauthn_hints": ["client-device"]}),
        restrictions: Some("webauthn_allowed_device_types"),
        ..Case::default()
    }
}

pub fn totp() -> Case {
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
        full,
        update: &[(r#"digits         = "8""#, "digits         = 6")],
        patch: json!({"digits": "6"}),
        minimal: r#"
resource "authentik_stage_authenticator_totp" "t" {
  name = "totp-full{{SFX}}"
}"#,
        defaults: json!({"friendly_name": "", "configure_flow": null, "digits": "6"}),
        drift: json!({"digits": "6", "friendly_name": "Changed by hand"}),
        name: "totp-full",
        ..Case::default()
    }
}

pub fn static_tokens() -> Case {
    Case {
        ty: "authentik_stage_authenticator_static",
        api: "stages/authenticator/static",
        full: r#"
resource "authentik_stage_authenticator_static" "t" {
  name           = "static-full{{SFX}}"
  friendly_name  = "Recovery codes"
  configure_flow = "{{FLOW_UPPER}}"
  token_count    = 10
  token_length   = 16
}"#,
        update: &[("token_count    = 10", "token_count    = 8")],
        patch: json!({"token_count": 8}),
        minimal: r#"
resource "authentik_stage_authenticator_static" "t" {
  name = "static-full{{SFX}}"
}"#,
        defaults: json!({"friendly_name": "", "configure_flow": null, "token_count": 6, "token_length": 12}),
        drift: json!({"token_length": 20}),
        name: "static-full",
        ..Case::default()
    }
}

const WEBAUTHN_2026_5: &str = r#"
  hints                     = ["security-key", "hybrid"]
  prevent_duplicate_devices = false"#;

pub fn webauthn() -> Case {
    Case {
        ty: "authentik_stage_authenticator_webauthn",
        api: "stages/authenticator/webauthn",
        full: r#"
resource "authentik_stage_authenticator_webauthn" "t" {
  name                      = "webauthn-full{{SFX}}"
  friendly_name             = "Security key"
  configure_flow            = "{{FLOW_UPPER}}"
  user_verification         = "required"
  resident_key_requirement  = "required"
  authenticator_attachment  = "cross-platform"
  device_type_restrictions  = [{{AAGUIDS}}]
  max_attempts              = 3{{NEWER}}
}"#,
        update: &[
            (
                "device_type_restrictions  = [{{AAGUIDS}}]",
                "device_type_restrictions  = [{{AAGUIDS_REORDERED}}]",
            ),
            (
                "max_attempts              = 3{{NEWER}}",
                "max_attempts              = 5{{NEWER}}",
            ),
        ],
        patch: json!({"max_attempts": 5}),
        minimal: r#"
resource "authentik_stage_authenticator_webauthn" "t" {
  name = "webauthn-full{{SFX}}"
}"#,
        defaults: json!({"friendly_name": "", "configure_flow": null, "user_verification": "preferred",
            "resident_key_requirement": "preferred", "authenticator_attachment": null, "device_type_restrictions": [],
            "max_attempts": 0}),
        drift: json!({"user_verification": "discouraged"}),
        name: "webauthn-full",
        newer: WEBAUTHN_2026_5,
        newer_defaults: json!({"hints": [], "prevent_duplicate_devices": true}),
        newer_drift: json!({"hints": ["client-device"]}),
        restrictions: Some("device_type_restrictions"),
        ..Case::default()
    }
}

pub fn duo() -> Case {
    Case {
        ty: "authentik_stage_authenticator_duo",
        api: "stages/authenticator/duo",
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
        update: &[(
            r#"api_hostname          = "api-1234abcd.duosecurity.com""#,
            r#"api_hostname          = "api-5678efgh.duosecurity.com""#,
        )],
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
        kept_secrets: json!({"admin_secret_key": "duo-admin-secret"}),
        ..Case::default()
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

/// `b` merged into `a` (both objects).
fn merged(a: &Value, b: &Value) -> Value {
    let mut out = a.clone();
    if let (Some(out), Some(b)) = (out.as_object_mut(), b.as_object()) {
        out.extend(b.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    out
}

/// What a case expects of this server: its 2026.5 attributes and AAGUIDs filled in.
struct Plan {
    vars: Vec<(&'static str, String)>,
    defaults: Value,
    drift: Value,
    /// Keys the server must not have (its release predates them).
    absent: Vec<String>,
    /// The AAGUIDs configured (lower case, as the server spells them).
    aaguids: Vec<String>,
}

/// Up to two AAGUIDs from the server's own device types (none on a server whose table is still
/// empty: restrictions are then configured empty, and the output says so).
fn pick_aaguids(ctx: &Ctx, case: &Case) -> Vec<String> {
    if case.restrictions.is_none() {
        return Vec::new();
    }
    let types = ctx.device_types();
    if types.is_empty() {
        eprintln!(
            "note: authentik at {} has no WebAuthn device types yet (its background task fills \
             the table): {} runs with `{}` empty, without the restriction checks",
            ctx.dbl.url,
            case.ty,
            case.restrictions.unwrap_or_default()
        );
    }
    types.into_iter().take(2).map(|(a, _)| a).collect()
}

fn plan_for(ctx: &Ctx, case: &Case) -> Plan {
    let newer = ctx.server().newer;
    let aaguids = pick_aaguids(ctx, case);
    let quoted = |list: &mut dyn Iterator<Item = String>| {
        list.map(|a| format!("\"{a}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let listed = quoted(&mut aaguids.iter().cloned());
    // Reversed and upper-cased: neither the order nor the case of a UUID may make a diff.
    let reordered = quoted(&mut aaguids.iter().rev().map(|a| a.to_uppercase()));
    let vars = vec![
        ("NEWER", if newer { case.newer } else { "" }.to_string()),
        ("AAGUIDS", listed),
        ("AAGUIDS_REORDERED", reordered),
        ("SFX", ctx.sfx.clone()),
    ];
    if !newer && !case.newer.is_empty() {
        eprintln!(
            "note: authentik {} predates 2026.5: {} runs without {}",
            ctx.server().version,
            case.ty,
            case.newer_defaults
                .as_object()
                .map(|m| m.keys().cloned().collect::<Vec<_>>().join(", "))
                .unwrap_or_default()
        );
    }
    let (defaults, drift, absent) = if newer {
        (
            merged(&case.defaults, &case.newer_defaults),
            merged(&case.drift, &case.newer_drift),
            Vec::new(),
        )
    } else {
        (
            case.defaults.clone(),
            case.drift.clone(),
            case.newer_defaults
                .as_object()
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default(),
        )
    };
    Plan {
        vars,
        defaults,
        drift,
        absent,
        aaguids,
    }
}

impl Plan {
    fn fill(&self, template: &str, more: &[(&str, &str)]) -> String {
        let mut vars: Vec<(&str, &str)> = self.vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
        vars.extend_from_slice(more);
        fill(template, &vars)
    }

    /// The server's object has none of the keys its release lacks.
    fn assert_absent(&self, ctx: &Ctx, case: &Case, id: &str) {
        let got = ctx.server_stage(case.api, id);
        for k in &self.absent {
            assert!(
                got.get(k).is_none(),
                "{}: authentik {} returned `{k}`, which only 2026.5 has: {got:#}",
                case.ty,
                ctx.server().version
            );
        }
    }
}

/// A flow for `configure_flow`: the server's own first `stage_configuration` flow (a stage only
/// points at it; the flow is never changed), else one made for the test, whose slug is returned
/// to delete it afterwards.
fn configure_flow(ctx: &Ctx) -> (String, Option<String>) {
    let own = ctx
        .dbl
        .list_all("/api/v3/flows/instances/?designation=stage_configuration&ordering=slug")
        .expect("list flows")
        .into_iter()
        .find(|f| f["slug"].as_str().is_some_and(|s| !s.contains("-tfacc-")));
    if let Some(pk) = own.as_ref().and_then(|f| f["pk"].as_str()) {
        return (pk.to_string(), None);
    }
    eprintln!(
        "note: authentik at {} has no stage_configuration flow; making one for the test",
        ctx.dbl.url
    );
    let slug = format!("configure-me{}", ctx.sfx);
    (ctx.flow(&slug), Some(slug))
}

/// A group for `create_users_group`, made for the test; returns its pk.
fn group(ctx: &Ctx) -> String {
    let (status, body) = ctx.dbl.post(
        "/api/v3/core/groups/",
        json!({"name": format!("new-users{}", ctx.sfx)}),
    );
    assert_eq!(status, 201, "{body}");
    body["pk"].as_str().expect("group pk").to_string()
}

/// The whole life of one resource on the server `server`.
pub fn lifecycle(v: TfVersion, server: Server, case: Case) {
    let ctx = Ctx::acceptance_on(v, server);
    let plan = plan_for(&ctx, &case);
    let (flow, made_flow) = configure_flow(&ctx);
    let mapping = ctx.mapping(&format!("sms-payload{}", ctx.sfx));
    let flow_upper = flow.to_uppercase();
    let group = if case.full.contains("{{GROUP}}") {
        group(&ctx)
    } else {
        String::new()
    };
    let more = [
        ("FLOW", flow.as_str()),
        ("FLOW_UPPER", flow_upper.as_str()),
        ("MAPPING", mapping.as_str()),
        ("GROUP", group.as_str()),
    ];
    let addr = format!("{}.t", case.ty);
    let write = |body: &str| {
        ctx.config(&format!(
            "{}\n{}",
            plan.fill(case.extra, &more),
            plan.fill(body, &more)
        ))
    };

    // Create with every attribute set: one POST for it, then an empty plan.
    // (Request counts come from the double's log; a real server has none.)
    write(case.full);
    let double = ctx.dbl.is_double();
    if let Some(writes) = ctx.apply_logged() {
        let posts: Vec<Value> = writes
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
    if let Some(key) = case.restrictions {
        assert_server_has(&ctx, &case, &id, &json!({ key: plan.aaguids }));
    }
    plan.assert_absent(&ctx, &case, &id);

    // An update is one PATCH with just the change.
    write(&case.updated());
    if let Some(writes) = ctx.apply_logged() {
        assert_eq!(
            only_patch(&writes, "for a one-attribute change"),
            &case.patch,
            "the PATCH carries only the change"
        );
    }
    assert_server_has(&ctx, &case, &id, &case.patch);
    ctx.assert_empty_plan("plan");

    // Drift made behind Terraform's back shows, and apply restores the configuration.
    write(case.full);
    ctx.wd.apply();
    let (status, body) = ctx
        .dbl
        .patch(&format!("/api/v3/{}/{id}/", case.api), plan.drift.clone());
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        ctx.wd.plan_detailed_exitcode(),
        2,
        "out-of-band change must show as drift"
    );
    ctx.apply_settled("plan");
    let restored = ctx.server_stage(case.api, &id);
    for k in plan.drift.as_object().expect("object").keys() {
        assert_ne!(
            restored[k], plan.drift[k],
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
        if let Some(writes) = ctx.apply_logged() {
            let mut keys: Vec<&str> = only_patch(&writes, &format!("after import by {how}"))
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

    // Removing every optional attribute resets it to the server's default, except the secrets:
    // left out, they are not managed, so nothing is sent for them and authentik keeps them.
    let kept = case.kept_secrets.as_object().expect("object");
    write(case.minimal);
    for w in ctx.apply_logged().unwrap_or_default() {
        for k in kept.keys() {
            assert!(
                w["body"].get(k).is_none(),
                "{k} removed from the configuration is not sent: {w:#}"
            );
        }
    }
    let mut not_secrets = plan.defaults.clone();
    if let Some(m) = not_secrets.as_object_mut() {
        m.retain(|k, _| !kept.contains_key(k));
    }
    assert_server_has(&ctx, &case, &id, &not_secrets);
    let got = ctx.server_stage(case.api, &id);
    for (k, v) in kept {
        assert!(
            got[k].is_null() || got[k] == *v,
            "{}: {k} removed from the configuration is kept, server has {}",
            case.ty,
            got[k]
        );
    }
    assert_eq!(
        ctx.wd.plan_detailed_exitcode(),
        0,
        "plan after removing must be empty"
    );
    // Clearing the secrets takes saying so: `= ""`.
    let mut cleared = case.minimal.trim_end().to_string();
    if !kept.is_empty() {
        let end = cleared.rfind('}').expect("a resource block");
        let lines: String = kept.keys().map(|k| format!("  {k} = \"\"\n")).collect();
        cleared.insert_str(end, &lines);
        write(&cleared);
        ctx.wd.apply();
    }
    assert_server_has(&ctx, &case, &id, &plan.defaults);
    assert_eq!(
        ctx.wd.plan_detailed_exitcode(),
        0,
        "plan after clearing must be empty"
    );

    // Deleted outside Terraform: the plan creates it again, apply does.
    let (status, _) = ctx.dbl.delete(&format!("/api/v3/{}/{id}/", case.api));
    assert_eq!(status, 204);
    let tf_plan = ctx.wd.plan_json();
    assert_eq!(
        planned_actions(&tf_plan, &addr),
        vec!["create"],
        "{tf_plan:#}"
    );
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
    }
    let (status, _) = ctx.dbl.get(&format!("/api/v3/{}/{new_id}/", case.api));
    assert_eq!(status, 404, "the object must be gone after destroy");
    if !group.is_empty() {
        let (status, _) = ctx.dbl.delete(&format!("/api/v3/core/groups/{group}/"));
        assert_eq!(status, 204, "cleaning up the group");
    }
    if let Some(slug) = made_flow {
        let (status, _) = ctx.dbl.delete(&format!("/api/v3/flows/instances/{slug}/"));
        assert_eq!(status, 204, "cleaning up the flow");
    }
    let (status, _) = ctx
        .dbl
        .delete(&format!("/api/v3/propertymappings/notification/{mapping}/"));
    assert_eq!(status, 204, "cleaning up the mapping");
}

/// A minimal configuration: the server's defaults, an empty plan.
pub fn minimal_create(v: TfVersion, server: Server, case: Case) {
    let ctx = Ctx::acceptance_on(v, server);
    let plan = plan_for(&ctx, &case);
    let (flow, made_flow) = configure_flow(&ctx);
    ctx.config(&plan.fill(
        &format!("{}\n{}", case.extra, case.minimal),
        &[("FLOW", flow.as_str())],
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
    assert_server_has(&ctx, &case, &id, &plan.defaults);
    plan.assert_absent(&ctx, &case, &id);
    ctx.wd.destroy();
    if let Some(slug) = made_flow {
        let (status, _) = ctx.dbl.delete(&format!("/api/v3/flows/instances/{slug}/"));
        assert_eq!(status, 204, "cleaning up the flow");
    }
}

/// [`minimal_create`] of several cases in one configuration (one Terraform run): each case's
/// minimal configuration and extras side by side, applied, planned empty, each object holding
/// the server's defaults, destroyed.
pub fn minimal_create_together(v: TfVersion, server: Server, cases: Vec<Case>) {
    let ctx = Ctx::acceptance_on(v, server);
    let (flow, made_flow) = configure_flow(&ctx);
    let plans: Vec<Plan> = cases.iter().map(|c| plan_for(&ctx, c)).collect();
    let config: Vec<String> = cases
        .iter()
        .zip(&plans)
        .map(|(c, p)| {
            p.fill(
                &format!("{}\n{}", c.extra, c.minimal),
                &[("FLOW", flow.as_str())],
            )
        })
        .collect();
    ctx.config(&config.join("\n"));
    ctx.wd.apply();
    assert_eq!(
        ctx.wd.plan_detailed_exitcode(),
        0,
        "minimal configurations must plan empty after apply"
    );
    for (case, plan) in cases.iter().zip(&plans) {
        let id = ctx.state_values(&format!("{}.t", case.ty))["id"]
            .as_str()
            .expect("id")
            .to_string();
        assert_server_has(&ctx, case, &id, &plan.defaults);
        plan.assert_absent(&ctx, case, &id);
    }
    ctx.wd.destroy();
    if ctx.dbl.is_double() {
        assert!(ctx.dbl.stages().is_empty(), "{:#?}", ctx.dbl.stages());
    }
    if let Some(slug) = made_flow {
        let (status, _) = ctx.dbl.delete(&format!("/api/v3/flows/instances/{slug}/"));
        assert_eq!(status, 204, "cleaning up the flow");
    }
}

/// A resource with its 2026.5 attributes: where they exist, set, read back and cleared; where
/// they do not, refused with an error naming each of them, on create and on update.
pub struct Newer {
    ty: &'static str,
    api: &'static str,
    /// The stage's name, before the suffix.
    name: &'static str,
    /// The resource without its 2026.5 attributes.
    base: &'static str,
    /// The 2026.5 attribute lines added to `base` (before its closing brace).
    lines: &'static str,
    /// The server values `lines` must give.
    values: Value,
    /// The server defaults after removing them.
    defaults: Value,
}

pub fn validate_newer() -> Newer {
    Newer {
        ty: "authentik_stage_authenticator_validate",
        api: "stages/authenticator/validate",
        name: "validate-newer",
        base: r#"
resource "authentik_stage_authenticator_validate" "t" {
  name           = "validate-newer{{SFX}}"
  device_classes = ["webauthn", "totp"]
}"#,
        lines: VALIDATE_2026_5,
        values: json!({"webauthn_hints": ["security-key", "hybrid"], "email_otp_throttling_factor": 2,
            "sms_otp_throttling_factor": 1.5, "totp_otp_throttling_factor": 3, "static_otp_throttling_factor": 4}),
        defaults: validate().newer_defaults,
    }
}

pub fn webauthn_newer() -> Newer {
    Newer {
        ty: "authentik_stage_authenticator_webauthn",
        api: "stages/authenticator/webauthn",
        name: "webauthn-newer",
        base: r#"
resource "authentik_stage_authenticator_webauthn" "t" {
  name              = "webauthn-newer{{SFX}}"
  user_verification = "required"
}"#,
        lines: WEBAUTHN_2026_5,
        values: json!({"hints": ["security-key", "hybrid"], "prevent_duplicate_devices": false}),
        defaults: webauthn().newer_defaults,
    }
}

impl Newer {
    fn with_lines(&self, sfx: &str) -> String {
        let base = self.base.replace("{{SFX}}", sfx);
        let close = base.rfind('}').expect("closing brace");
        format!("{}{}\n}}", &base[..close].trim_end(), self.lines)
    }

    fn attrs(&self) -> Vec<&str> {
        self.values
            .as_object()
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// The stage of this name on the server, if any.
    fn on_server(&self, ctx: &Ctx) -> Option<Value> {
        let name = format!("{}{}", self.name, ctx.sfx);
        let (status, list) = ctx.dbl.get(&format!("/api/v3/{}/?name={name}", self.api));
        assert_eq!(status, 200, "{list}");
        list["results"].as_array().and_then(|r| r.first()).cloned()
    }

    #[track_caller]
    fn assert_refused(&self, ctx: &Ctx, out: &crate::support::terraform::Output) {
        let text = out.folded();
        for attr in self.attrs() {
            assert!(
                text.contains(&format!("`{attr}` needs a newer authentik"))
                    && text.contains(&format!(
                        "authentik ignored `{attr}`: this server does not have it (it came with authentik 2026.5). Remove it from the configuration or upgrade authentik."
                    )),
                "authentik {}: the refusal must name `{attr}` and say what to do\n{out}",
                ctx.server().version
            );
        }
    }
}

/// The 2026.5 attributes of one resource, exercised or refused as the server's release says.
pub fn newer_fields(v: TfVersion, server: Server, n: Newer) {
    let ctx = Ctx::acceptance_on(v, server);
    let addr = format!("{}.t", n.ty);
    let base = n.base.replace("{{SFX}}", &ctx.sfx);
    let full = n.with_lines(&ctx.sfx);
    let id_of = |ctx: &Ctx| {
        ctx.state_values(&addr)["id"]
            .as_str()
            .expect("id in state")
            .to_string()
    };
    let server_has = |ctx: &Ctx, id: &str, want: &Value| {
        let (status, got) = ctx.dbl.get(&format!("/api/v3/{}/{id}/", n.api));
        assert_eq!(status, 200, "{got}");
        for (k, v) in want.as_object().expect("object") {
            assert!(
                same_json(&got[k], v),
                "{}: server has {k} = {}, expected {v}\n{got:#}",
                n.ty,
                got[k]
            );
        }
    };
    if ctx.server().newer {
        eprintln!(
            "authentik {} has the 2026.5 attributes of {}: exercising them",
            ctx.server().version,
            n.ty
        );
        ctx.config(&full);
        ctx.apply_settled("plan with the 2026.5 attributes");
        let id = id_of(&ctx);
        server_has(&ctx, &id, &n.values);
        ctx.config(&base);
        ctx.wd.apply();
        server_has(&ctx, &id, &n.defaults);
        ctx.assert_empty_plan("plan after removing the 2026.5 attributes");
        ctx.config(&full);
        ctx.wd.apply();
        server_has(&ctx, &id, &n.values);
        ctx.assert_empty_plan("plan after setting them again");
        ctx.wd.destroy();
        assert!(n.on_server(&ctx).is_none(), "destroyed");
        return;
    }
    eprintln!(
        "authentik {} predates 2026.5: checking that {} refuses its 2026.5 attributes",
        ctx.server().version,
        n.ty
    );
    // On create: authentik stores the stage without them; the apply fails naming each one, and
    // nothing pretends otherwise: the next plan still has work to do.
    ctx.config(&full);
    let out = ctx.wd.apply_err();
    n.assert_refused(&ctx, &out);
    let created = n
        .on_server(&ctx)
        .expect("authentik created the stage without them");
    for attr in n.attrs() {
        assert!(
            created.get(attr).is_none(),
            "authentik {} stored `{attr}`: {created:#}",
            ctx.server().version
        );
    }
    assert_eq!(
        ctx.wd.plan_detailed_exitcode(),
        2,
        "after the refusal the plan must not be empty"
    );
    // Without them it applies and plans empty.
    ctx.config(&base);
    ctx.apply_settled("plan without the 2026.5 attributes");
    let id = id_of(&ctx);
    // On update: refused the same way, the server left as it was.
    let before = ctx.server_stage(n.api, &id);
    ctx.config(&full);
    let out = ctx.wd.apply_err();
    n.assert_refused(&ctx, &out);
    assert_eq!(
        ctx.server_stage(n.api, &id),
        before,
        "a refused update changes nothing on the server"
    );
    assert_eq!(
        ctx.wd.plan_detailed_exitcode(),
        2,
        "after a refused update the plan must not be empty"
    );
    ctx.config(&base);
    ctx.apply_settled("plan back without them");
    ctx.wd.destroy();
    assert!(n.on_server(&ctx).is_none(), "destroyed");
}

/// Runs `plan` on `body`, which must fail; returns the output on one line.
/// `data "authentik_stage"`: a built-in stage of the server, found by name.
pub fn stage_data_source(v: TfVersion, server: Server) {
    let ctx = Ctx::acceptance_on(v, server);
    let known = ctx
        .dbl
        .list_all("/api/v3/stages/all/?name=default-authentication-mfa-validation")
        .expect("list stages");
    let stage = match known.into_iter().next() {
        Some(stage) => stage,
        None => {
            let any = ctx
                .dbl
                .list_all("/api/v3/stages/all/?ordering=name")
                .expect("list stages")
                .into_iter()
                .find(|s| s["name"].as_str().is_some_and(|n| !n.contains("-tfacc-")));
            match any {
                Some(stage) => {
                    eprintln!(
                        "note: no default-authentication-mfa-validation; looking up {}",
                        stage["name"]
                    );
                    stage
                }
                None => {
                    eprintln!(
                        "note: the server has no stage at all; looking up one made for the test"
                    );
                    let (status, stage) = ctx.dbl.post(
                        "/api/v3/stages/authenticator/email/",
                        json!({"name": format!("ds-stage{}", ctx.sfx)}),
                    );
                    assert_eq!(status, 201, "{stage}");
                    stage
                }
            }
        }
    };
    let name = stage["name"].as_str().expect("name");
    ctx.config(&format!(
        "data \"authentik_stage\" \"s\" {{\n  name = {name:?}\n}}\noutput \"id\" {{\n  value = data.authentik_stage.s.id\n}}"
    ));
    ctx.wd.apply();
    let values = ctx.state_values("data.authentik_stage.s");
    assert_eq!(values["id"], stage["pk"], "{values:#}");
    assert_eq!(values["name"], stage["name"]);
    ctx.assert_empty_plan("plan with the stage data source");
    ctx.assert_refresh_only_clean();
    let missing = format!("no-such-stage{}", ctx.sfx);
    let text = ctx.plan_error(&format!(
        "data \"authentik_stage\" \"s\" {{\n  name = {missing:?}\n}}"
    ));
    assert!(
        text.contains("No stage found") && text.contains(&missing),
        "{text}"
    );
    if stage["name"].as_str().is_some_and(|n| n.contains(&ctx.sfx)) {
        let (status, _) = ctx.dbl.delete(&format!(
            "/api/v3/stages/authenticator/email/{}/",
            stage["pk"].as_str().unwrap_or("")
        ));
        assert_eq!(status, 204, "deleting the stage made for the test");
    }
}

/// `data "authentik_flow"`: a flow of the server, found by slug.
pub fn flow_data_source(v: TfVersion, server: Server) {
    let ctx = Ctx::acceptance_on(v, server);
    let flows = ctx
        .dbl
        .list_all("/api/v3/flows/instances/")
        .expect("list flows");
    let builtin = flows
        .iter()
        .find(|f| f["slug"] == "default-authentication-flow")
        .or_else(|| {
            flows
                .iter()
                .find(|f| f["slug"].as_str().is_some_and(|s| !s.contains("-tfacc-")))
        })
        .cloned();
    let flow = match builtin {
        Some(flow) => flow,
        None => {
            eprintln!("note: the server has no flow; looking up one made for the test");
            let slug = format!("ds-flow{}", ctx.sfx);
            ctx.flow(&slug);
            ctx.dbl.get(&format!("/api/v3/flows/instances/{slug}/")).1
        }
    };
    let slug = flow["slug"].as_str().expect("slug");
    ctx.config(&format!(
        "data \"authentik_flow\" \"f\" {{\n  slug = {slug:?}\n}}\noutput \"id\" {{\n  value = data.authentik_flow.f.id\n}}"
    ));
    ctx.wd.apply();
    let values = ctx.state_values("data.authentik_flow.f");
    for (attr, key) in [
        ("id", "pk"),
        ("slug", "slug"),
        ("name", "name"),
        ("title", "title"),
        ("designation", "designation"),
        ("authentication", "authentication"),
    ] {
        assert_eq!(
            values[attr], flow[key],
            "{attr}: {values:#}\nserver: {flow:#}"
        );
    }
    ctx.assert_empty_plan("plan with the flow data source");
    ctx.assert_refresh_only_clean();
    let missing = format!("no-such-flow{}", ctx.sfx);
    let text = ctx.plan_error(&format!(
        "data \"authentik_flow\" \"f\" {{\n  slug = {missing:?}\n}}"
    ));
    assert!(
        text.contains("No flow found") && text.contains(&missing),
        "{text}"
    );
    if slug.contains(&ctx.sfx) {
        let (status, _) = ctx.dbl.delete(&format!("/api/v3/flows/instances/{slug}/"));
        assert_eq!(status, 204, "deleting the flow made for the test");
    }
}

/// `data "authentik_webauthn_device_type"`: a device type from the server's own list, by
/// AAGUID (in upper case) and, when its description is unique there, by description;
/// `data "authentik_webauthn_device_types"`: every AAGUID of the description the most rows
/// share (three "YubiKey 5 Series" on a real server), in the same apply. A server whose table is
/// still empty must answer a clear "not found" for any AAGUID, and the plural lookup must fail
/// rather than return an empty set.
pub fn device_type_data_source(v: TfVersion, server: Server) {
    let ctx = Ctx::acceptance_on(v, server);
    let types = ctx.device_types();
    let unique = |d: &str| types.iter().filter(|(_, e)| e == d).count() == 1;
    let Some((aaguid, description)) = types
        .iter()
        .find(|(_, d)| unique(d))
        .or(types.first())
        .cloned()
    else {
        eprintln!(
            "note: authentik at {} has no WebAuthn device types yet (its background task fills the \
             table): checking that a lookup says so",
            ctx.dbl.url
        );
        let zero = "00000000-0000-0000-0000-000000000000";
        let text = ctx.plan_error(
            &format!("data \"authentik_webauthn_device_type\" \"t\" {{\n  aaguid = {zero:?}\n}}\ndata \"authentik_webauthn_device_types\" \"family\" {{\n  description = \"YubiKey 5 Series\"\n}}\n"),
        );
        assert!(
            text.contains("No WebAuthn device type found")
                && text.contains(zero)
                && text.contains(
                    r#"No WebAuthn device type in authentik has description "YubiKey 5 Series""#
                ),
            "{text}"
        );
        return;
    };
    // The description most rows share (ties: the first in the server's order).
    let mut family = description.clone();
    let mut family_size = 0;
    for (_, d) in &types {
        let n = types.iter().filter(|(_, e)| e == d).count();
        if n > family_size {
            family = d.clone();
            family_size = n;
        }
    }
    let mut family_aaguids: Vec<String> = types
        .iter()
        .filter(|(_, d)| *d == family)
        .map(|(a, _)| a.to_lowercase())
        .collect();
    family_aaguids.sort();
    let by_description = unique(&description);
    let mut body = format!(
        "data \"authentik_webauthn_device_type\" \"by_aaguid\" {{\n  aaguid = {:?}\n}}\n",
        aaguid.to_uppercase()
    );
    if by_description {
        body.push_str(&format!(
            "data \"authentik_webauthn_device_type\" \"by_description\" {{\n  description = {description:?}\n}}\n"
        ));
    } else {
        eprintln!("note: no device type with a unique description; looking up by aaguid only");
    }
    body.push_str(&format!(
        "data \"authentik_webauthn_device_types\" \"family\" {{\n  description = {family:?}\n}}\n"
    ));
    eprintln!("device type family: {family:?}, {family_size} AAGUIDs");
    ctx.config(&body);
    ctx.wd.apply();
    let values = ctx.state_values("data.authentik_webauthn_device_types.family");
    let mut got: Vec<String> = values["aaguids"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a.as_str().map(str::to_string))
        .collect();
    got.sort();
    assert_eq!(got, family_aaguids, "{values:#}");
    assert_eq!(
        values["device_types"].as_array().map(Vec::len),
        Some(family_size),
        "{values:#}"
    );
    let values = ctx.state_values("data.authentik_webauthn_device_type.by_aaguid");
    assert_eq!(values["description"], description.as_str(), "{values:#}");
    assert!(
        values["id"]
            .as_str()
            .is_some_and(|id| id.eq_ignore_ascii_case(&aaguid)),
        "{values:#}"
    );
    if by_description {
        let values = ctx.state_values("data.authentik_webauthn_device_type.by_description");
        assert!(
            values["aaguid"]
                .as_str()
                .is_some_and(|a| a.eq_ignore_ascii_case(&aaguid)),
            "{values:#}"
        );
    }
    ctx.assert_empty_plan("plan with the device type data sources");
    ctx.assert_refresh_only_clean();
}
