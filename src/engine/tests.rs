//! Unit tests of the engine's pure parts against the real resource tables.

use super::body::{create_body, update_body};
use super::field::ResourceDef;
use super::plan::plan_values;
use super::private::Private;
use super::state::state_from_api;
use super::validate::validate;
use crate::protocol::{ClientCapabilities, Diagnostic, Number, Value};
use crate::resources::{
    duo::DUO, email::EMAIL, sms::SMS, totp::TOTP, validate::VALIDATE, webauthn::WEBAUTHN,
};
use serde_json::json;

fn s(v: &str) -> Value {
    Value::String(v.into())
}
fn set(v: &[&str]) -> Value {
    Value::Set(v.iter().map(|x| s(x)).collect())
}
fn list(v: &[&str]) -> Value {
    Value::List(v.iter().map(|x| s(x)).collect())
}
fn n(i: i64) -> Value {
    Value::Number(Number::Int(i))
}

/// A full configuration object: every schema attribute present, null unless given.
fn config(def: &ResourceDef, given: &[(&str, Value)]) -> Value {
    let mut m = super::schema::null_object(def);
    for (k, v) in given {
        assert!(m.contains_key(*k), "no attribute {k}");
        m.insert(k.to_string(), v.clone());
    }
    Value::Object(m)
}

fn plan_of(def: &ResourceDef, prior: &Value, cfg: &Value, private: &Private) -> Value {
    let r = plan_values(def, prior, cfg, &private.encode());
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    r.planned_state
}

/// What state looks like after applying a create plan on a 2026.2 server: unknowns settled.
fn settle(mut planned: Value) -> Value {
    if let Value::Object(m) = &mut planned {
        for (k, v) in m.iter_mut() {
            if v.is_unknown() {
                *v = if k == "id" {
                    s("0f3c5a4e-1b2c-4d5e-8f90-000000000001")
                } else {
                    Value::Null
                };
            }
        }
    }
    planned
}

fn errors(d: &[Diagnostic]) -> Vec<String> {
    d.iter()
        .filter(|d| d.is_error())
        .map(|d| {
            format!(
                "{}: {} {}",
                d.attribute
                    .as_ref()
                    .map(|a| a.to_string())
                    .unwrap_or_default(),
                d.summary,
                d.detail
            )
        })
        .collect()
}

#[test]
fn minimal_email_plans_the_servers_defaults() {
    let cfg = config(&EMAIL, &[("name", s("mail"))]);
    let p = plan_of(&EMAIL, &Value::Null, &cfg, &Private::default());
    assert!(p.get("id").is_unknown());
    assert_eq!(p.get("use_global_settings"), &Value::Bool(false));
    assert_eq!(p.get("timeout"), &n(10));
    assert_eq!(p.get("subject"), &s("authentik Sign-in code"));
    assert_eq!(p.get("template"), &s("email/email_otp.html"));
    assert_eq!(p.get("token_expiry"), &s("minutes=30"));
    assert_eq!(p.get("from_address"), &s("system@authentik.local"));
    assert_eq!(p.get("port"), &n(25));
    assert_eq!(p.get("password"), &s(""));
    assert_eq!(p.get("configure_flow"), &Value::Null);
    // The create body sends the defaults explicitly, so the server ends up exactly as planned.
    let body = create_body(&EMAIL, &p, &cfg).unwrap();
    assert_eq!(body.json.get("timeout"), Some(&json!(10)));
    assert_eq!(body.json.get("use_global_settings"), Some(&json!(false)));
    assert!(!body.json.contains_key("configure_flow"));
}

#[test]
fn removing_an_attribute_resets_it_with_one_patch_of_just_that() {
    let prior_cfg = config(
        &EMAIL,
        &[
            ("name", s("mail")),
            ("timeout", n(60)),
            ("friendly_name", s("Mail")),
        ],
    );
    let prior = settle(plan_of(
        &EMAIL,
        &Value::Null,
        &prior_cfg,
        &Private::default(),
    ));
    let cfg = config(&EMAIL, &[("name", s("mail")), ("friendly_name", s("Mail"))]);
    let p = plan_of(&EMAIL, &prior, &cfg, &Private::default());
    assert_eq!(p.get("timeout"), &n(10));
    let body = update_body(&EMAIL, &prior, &p, &cfg, &Private::default()).unwrap();
    assert_eq!(serde_json::Value::Object(body.json), json!({"timeout": 10}));
}

#[test]
fn clearing_values_sends_explicit_empty_values() {
    let flow = "0F3C5A4E-1B2C-4D5E-8F90-112233445566";
    let prior_cfg = config(
        &SMS,
        &[
            ("name", s("sms")),
            ("sms_provider", s("generic")),
            ("from_number", s("+1")),
            ("account_sid", s("https://sms.example/send")),
            ("auth", s("tok")),
            ("friendly_name", s("Phone")),
            ("verify_only", Value::Bool(true)),
            ("configure_flow", s(flow)),
        ],
    );
    let prior = settle(plan_of(&SMS, &Value::Null, &prior_cfg, &Private::default()));
    let cfg = config(
        &SMS,
        &[
            ("name", s("sms")),
            ("sms_provider", s("generic")),
            ("from_number", s("+1")),
            ("account_sid", s("https://sms.example/send")),
            ("auth", s("tok")),
        ],
    );
    let p = plan_of(&SMS, &prior, &cfg, &Private::default());
    let body = update_body(&SMS, &prior, &p, &cfg, &Private::default()).unwrap();
    assert_eq!(
        serde_json::Value::Object(body.json),
        json!({"friendly_name": "", "verify_only": false, "configure_flow": null})
    );
}

#[test]
fn validate_sends_action_and_stages_together() {
    let st = "0f3c5a4e-1b2c-4d5e-8f90-112233445566";
    let prior_cfg = config(
        &VALIDATE,
        &[("name", s("v")), ("configuration_stages", set(&[st]))],
    );
    let prior = settle(plan_of(
        &VALIDATE,
        &Value::Null,
        &prior_cfg,
        &Private::default(),
    ));
    let cfg = config(
        &VALIDATE,
        &[
            ("name", s("v")),
            ("configuration_stages", set(&[st])),
            ("not_configured_action", s("configure")),
        ],
    );
    let p = plan_of(&VALIDATE, &prior, &cfg, &Private::default());
    let body = update_body(&VALIDATE, &prior, &p, &cfg, &Private::default()).unwrap();
    assert_eq!(
        serde_json::Value::Object(body.json),
        json!({"not_configured_action": "configure", "configuration_stages": [st]})
    );
}

#[test]
fn set_order_and_uuid_case_never_diff() {
    let a = "0f3c5a4e-1b2c-4d5e-8f90-112233445566";
    let b = "1f3c5a4e-1b2c-4d5e-8f90-112233445566";
    let cfg = config(
        &VALIDATE,
        &[
            ("name", s("v")),
            ("configuration_stages", set(&[&a.to_uppercase(), b])),
        ],
    );
    let planned = plan_of(&VALIDATE, &Value::Null, &cfg, &Private::default());
    let obj = json!({"pk": "2f3c5a4e-1b2c-4d5e-8f90-112233445566", "name": "v", "configuration_stages": [b, a],
        "device_classes": ["email", "sms", "duo", "webauthn", "totp", "static"], "not_configured_action": "skip",
        "last_auth_threshold": "seconds=0", "webauthn_user_verification": "preferred", "webauthn_allowed_device_types": [],
        "webauthn_hints": [], "email_otp_throttling_factor": 1, "sms_otp_throttling_factor": 1.0,
        "totp_otp_throttling_factor": 1, "static_otp_throttling_factor": 1});
    let mut diags = Vec::new();
    let state = state_from_api(
        &VALIDATE,
        obj.as_object().unwrap(),
        &planned,
        &cfg,
        &Private::default(),
        &mut diags,
    );
    assert!(diags.is_empty());
    // Known planned values come back exactly as planned (Terraform demands it).
    assert_eq!(
        state.get("configuration_stages"),
        planned.get("configuration_stages")
    );
    assert_eq!(state.get("device_classes"), planned.get("device_classes"));
    assert_eq!(state.get("webauthn_hints"), &Value::List(vec![]));
    assert_eq!(state.get("sms_otp_throttling_factor"), &n(1));
    // The next plan is empty.
    let next = plan_of(&VALIDATE, &state, &cfg, &Private::default());
    assert_eq!(next, state);
}

#[test]
fn newer_server_fields_absent_on_older_servers() {
    let cfg = config(&VALIDATE, &[("name", s("v"))]);
    let planned = plan_of(&VALIDATE, &Value::Null, &cfg, &Private::default());
    assert!(planned.get("webauthn_hints").is_unknown());
    let body = create_body(&VALIDATE, &planned, &cfg).unwrap();
    assert!(!body.json.contains_key("webauthn_hints"));
    let obj = json!({"pk": "2f3c5a4e-1b2c-4d5e-8f90-112233445566", "name": "v", "configuration_stages": [],
        "device_classes": ["static", "totp", "webauthn", "duo", "sms", "email"], "not_configured_action": "skip",
        "last_auth_threshold": "seconds=0", "webauthn_user_verification": "preferred", "webauthn_allowed_device_types": []});
    let mut diags = Vec::new();
    let state = state_from_api(
        &VALIDATE,
        obj.as_object().unwrap(),
        &planned,
        &cfg,
        &Private::default(),
        &mut diags,
    );
    assert!(diags.is_empty());
    assert_eq!(state.get("webauthn_hints"), &Value::Null);
    assert_eq!(plan_of(&VALIDATE, &state, &cfg, &Private::default()), state);
    // Configured on a server that ignores it: a clear error, not a confusing inconsistency.
    let cfg = config(
        &VALIDATE,
        &[("name", s("v")), ("webauthn_hints", list(&["hybrid"]))],
    );
    let planned = plan_of(&VALIDATE, &Value::Null, &cfg, &Private::default());
    let mut diags = Vec::new();
    state_from_api(
        &VALIDATE,
        obj.as_object().unwrap(),
        &planned,
        &cfg,
        &Private::default(),
        &mut diags,
    );
    assert!(
        errors(&diags)
            .iter()
            .any(|e| e.contains("webauthn_hints") && e.contains("2026.5")),
        "{diags:?}"
    );
    // docs/index.md ("Supported versions") quotes this error word for word.
    let index = include_str!("../../docs/index.md");
    for d in &diags {
        assert!(
            index.contains(&d.summary) && index.contains(&d.detail),
            "docs/index.md must quote {d:?}"
        );
    }
}

#[test]
fn write_only_secrets_stay_out_of_state() {
    let cfg = config(
        &SMS,
        &[
            ("name", s("sms")),
            ("sms_provider", s("twilio")),
            ("from_number", s("+1")),
            ("account_sid", s("AC1")),
            ("auth_wo", s("TOP-SECRET")),
            ("auth_wo_version", n(1)),
        ],
    );
    let planned = plan_of(&SMS, &Value::Null, &cfg, &Private::default());
    assert_eq!(planned.get("auth"), &Value::Null);
    assert_eq!(planned.get("auth_wo"), &Value::Null);
    let body = create_body(&SMS, &planned, &cfg).unwrap();
    assert_eq!(body.json.get("auth"), Some(&json!("TOP-SECRET")));
    assert_eq!(body.private.write_only, vec!["auth".to_string()]);
    // The server echoes the secret back (older authentik): it still stays out of state.
    let obj = json!({"pk": "2f3c5a4e-1b2c-4d5e-8f90-112233445566", "name": "sms", "provider": "twilio", "from_number": "+1",
        "account_sid": "AC1", "auth": "TOP-SECRET", "auth_password": "", "auth_type": "basic", "verify_only": false,
        "mapping": null, "friendly_name": "", "configure_flow": null});
    let mut diags = Vec::new();
    let state = state_from_api(
        &SMS,
        obj.as_object().unwrap(),
        &planned,
        &cfg,
        &body.private,
        &mut diags,
    );
    assert_eq!(state.get("auth"), &Value::Null);
    assert!(!format!("{state:?}").contains("TOP-SECRET"));
    // Rotation: bumping the version sends the new value, nothing else.
    let cfg2 = config(
        &SMS,
        &[
            ("name", s("sms")),
            ("sms_provider", s("twilio")),
            ("from_number", s("+1")),
            ("account_sid", s("AC1")),
            ("auth_wo", s("NEW")),
            ("auth_wo_version", n(2)),
        ],
    );
    let p2 = plan_of(&SMS, &state, &cfg2, &body.private);
    let b2 = update_body(&SMS, &state, &p2, &cfg2, &body.private).unwrap();
    assert_eq!(serde_json::Value::Object(b2.json), json!({"auth": "NEW"}));
    // Same version: nothing to send.
    let b3 = update_body(
        &SMS,
        &state,
        &plan_of(&SMS, &state, &cfg, &body.private),
        &cfg,
        &body.private,
    )
    .unwrap();
    assert!(b3.json.is_empty());
}

#[test]
fn secrets_missing_from_responses_keep_the_state_value() {
    let cfg = config(
        &SMS,
        &[
            ("name", s("sms")),
            ("sms_provider", s("generic")),
            ("from_number", s("+1")),
            ("account_sid", s("https://x.example")),
            ("auth", s("user")),
            ("auth_password", s("pw")),
        ],
    );
    let planned = plan_of(&SMS, &Value::Null, &cfg, &Private::default());
    let obj = json!({"pk": "2f3c5a4e-1b2c-4d5e-8f90-112233445566", "name": "sms", "provider": "generic", "from_number": "+1",
        "account_sid": "https://x.example", "auth_type": "basic", "verify_only": false, "mapping": null, "friendly_name": "", "configure_flow": null});
    let mut diags = Vec::new();
    let state = state_from_api(
        &SMS,
        obj.as_object().unwrap(),
        &planned,
        &cfg,
        &Private::default(),
        &mut diags,
    );
    assert_eq!(state.get("auth"), &s("user"));
    assert_eq!(state.get("auth_password"), &s("pw"));
    // An unknown enum value from a newer server is read, not a failure.
    let mut obj2 = obj.as_object().unwrap().clone();
    obj2.insert("provider".into(), json!("messagebird"));
    let state2 = state_from_api(
        &SMS,
        &obj2,
        &state,
        &Value::Null,
        &Private::default(),
        &mut diags,
    );
    assert_eq!(state2.get("sms_provider"), &s("messagebird"));
    assert!(diags.is_empty());
}

#[test]
fn validation_names_the_attribute() {
    let caps = ClientCapabilities::default();
    type Case<'a> = (&'a ResourceDef, Vec<(&'a str, Value)>, &'a str);
    let cases: Vec<Case> = vec![
        (&SMS, vec![("sms_provider", s("nexmo"))], "sms_provider"),
        (&SMS, vec![("auth_type", s("digest"))], "auth_type"),
        (
            &SMS,
            vec![("configure_flow", s("my-flow-slug"))],
            "configure_flow",
        ),
        (&SMS, vec![("auth_wo", s("x"))], "auth_wo"),
        (&EMAIL, vec![("port", n(70000))], "port"),
        (&EMAIL, vec![("timeout", n(0))], "timeout"),
        (
            &EMAIL,
            vec![("token_expiry", s("hours=1,minutes=2"))],
            "token_expiry",
        ),
        (
            &EMAIL,
            vec![("token_expiry", s("hours=1;"))],
            "token_expiry",
        ),
        (&EMAIL, vec![("from_address", s("nobody"))], "from_address"),
        (
            &EMAIL,
            vec![
                ("use_tls", Value::Bool(true)),
                ("use_ssl", Value::Bool(true)),
            ],
            "use_ssl",
        ),
        (
            &VALIDATE,
            vec![("device_classes", set(&[]))],
            "device_classes",
        ),
        (
            &VALIDATE,
            vec![("device_classes", set(&["sms", "carrier-pigeon"]))],
            "device_classes[1]",
        ),
        (
            &VALIDATE,
            vec![("not_configured_action", s("configure"))],
            "configuration_stages",
        ),
        (
            &VALIDATE,
            vec![("last_auth_threshold", s("1h"))],
            "last_auth_threshold",
        ),
    ];
    for (def, given, attr) in cases {
        let mut all = vec![("name", s("x"))];
        all.extend(given);
        let d = validate(def, &config(def, &all), caps);
        let errs = errors(&d);
        assert!(
            errs.iter().any(|e| e.starts_with(&format!("{attr}:"))),
            "{}: expected error at {attr}, got {errs:?}",
            def.type_name
        );
    }
    // Unknown values are never rejected.
    let d = validate(
        &VALIDATE,
        &config(
            &VALIDATE,
            &[
                ("name", s("x")),
                ("not_configured_action", s("configure")),
                ("configuration_stages", Value::Unknown),
            ],
        ),
        caps,
    );
    assert!(errors(&d).is_empty(), "{d:?}");
    // A valid minimal config passes.
    assert!(errors(&validate(
        &EMAIL,
        &config(&EMAIL, &[("name", s("x"))]),
        caps
    ))
    .is_empty());
}

#[test]
fn sms_provider_defaults_to_twilio_as_the_official_provider_does() {
    // The official provider's acceptance configuration leaves `sms_provider` out.
    let cfg = config(
        &SMS,
        &[
            ("name", s("sms")),
            ("from_number", s("1234")),
            ("account_sid", s("bar")),
            ("auth", s("baz")),
        ],
    );
    assert!(errors(&validate(&SMS, &cfg, ClientCapabilities::default())).is_empty());
    let planned = plan_of(&SMS, &Value::Null, &cfg, &Private::default());
    assert_eq!(planned.get("sms_provider"), &s("twilio"));
    let body = create_body(&SMS, &planned, &cfg).unwrap();
    assert_eq!(body.json["provider"], json!("twilio"));
}

#[test]
fn totp_digits_is_sent_though_left_out_and_read_as_a_string() {
    let cfg = config(&TOTP, &[("name", s("totp"))]);
    let planned = plan_of(&TOTP, &Value::Null, &cfg, &Private::default());
    assert_eq!(planned.get("digits"), &s("6"));
    let body = create_body(&TOTP, &planned, &cfg).unwrap();
    assert_eq!(body.json["digits"], json!("6"), "authentik requires digits");
    // A server answering with the database's integer still reads as the same string.
    let obj = json!({"pk": "2f3c5a4e-1b2c-4d5e-8f90-112233445566", "name": "totp", "digits": 6,
        "friendly_name": "", "configure_flow": null});
    let mut diags = Vec::new();
    let state = state_from_api(
        &TOTP,
        obj.as_object().unwrap(),
        &planned,
        &cfg,
        &Private::default(),
        &mut diags,
    );
    assert_eq!(state.get("digits"), &s("6"));
    assert_eq!(plan_of(&TOTP, &state, &cfg, &Private::default()), state);
    let bad = config(&TOTP, &[("name", s("totp")), ("digits", s("7"))]);
    let errs = errors(&validate(&TOTP, &bad, ClientCapabilities::default()));
    assert!(
        errs.iter()
            .any(|e| e.starts_with("digits") && e.contains("\"6\", \"8\"")),
        "{errs:?}"
    );
}

#[test]
fn list_order_is_meaningful_where_the_server_keeps_it() {
    let cfg = |hints: &[&str]| config(&WEBAUTHN, &[("name", s("w")), ("hints", list(hints))]);
    let prior = settle(plan_of(
        &WEBAUTHN,
        &Value::Null,
        &cfg(&["hybrid", "security-key"]),
        &Private::default(),
    ));
    let planned = plan_of(
        &WEBAUTHN,
        &prior,
        &cfg(&["security-key", "hybrid"]),
        &Private::default(),
    );
    let body = update_body(
        &WEBAUTHN,
        &prior,
        &planned,
        &cfg(&["security-key", "hybrid"]),
        &Private::default(),
    )
    .unwrap();
    assert_eq!(
        serde_json::Value::Object(body.json),
        json!({"hints": ["security-key", "hybrid"]}),
        "a reordered list is a change, sent whole"
    );
    // A set in the same resource still ignores order.
    let a = "0f3c5a4e-1b2c-4d5e-8f90-112233445566";
    let b = "1f3c5a4e-1b2c-4d5e-8f90-112233445566";
    let with_types = |t: &[&str]| {
        config(
            &WEBAUTHN,
            &[("name", s("w")), ("device_type_restrictions", set(t))],
        )
    };
    let prior = settle(plan_of(
        &WEBAUTHN,
        &Value::Null,
        &with_types(&[a, b]),
        &Private::default(),
    ));
    let planned = plan_of(
        &WEBAUTHN,
        &prior,
        &with_types(&[b, &a.to_uppercase()]),
        &Private::default(),
    );
    let body = update_body(
        &WEBAUTHN,
        &prior,
        &planned,
        &with_types(&[b, a]),
        &Private::default(),
    )
    .unwrap();
    assert!(body.json.is_empty(), "{:?}", body.json);
}

#[test]
fn secrets_the_server_never_returns_are_kept_from_state() {
    let cfg = config(
        &DUO,
        &[
            ("name", s("duo")),
            ("client_id", s("id")),
            ("client_secret", s("secret")),
            ("api_hostname", s("api-1.duosecurity.com")),
        ],
    );
    let planned = plan_of(&DUO, &Value::Null, &cfg, &Private::default());
    let body = create_body(&DUO, &planned, &cfg).unwrap();
    assert_eq!(body.json["client_secret"], json!("secret"));
    assert_eq!(body.json["admin_secret_key"], json!(""));
    // authentik never returns either secret.
    let obj = json!({"pk": "2f3c5a4e-1b2c-4d5e-8f90-112233445566", "name": "duo", "client_id": "id",
        "api_hostname": "api-1.duosecurity.com", "admin_integration_key": "", "friendly_name": "", "configure_flow": null});
    let mut diags = Vec::new();
    let state = state_from_api(
        &DUO,
        obj.as_object().unwrap(),
        &planned,
        &cfg,
        &Private::default(),
        &mut diags,
    );
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(state.get("client_secret"), &s("secret"));
    assert_eq!(state.get("admin_secret_key"), &s(""));
    let refreshed = state_from_api(
        &DUO,
        obj.as_object().unwrap(),
        &state,
        &Value::Null,
        &Private::default(),
        &mut diags,
    );
    assert_eq!(refreshed, state);
    assert_eq!(
        plan_of(&DUO, &refreshed, &cfg, &Private::default()),
        refreshed
    );
    let missing = config(
        &DUO,
        &[
            ("name", s("duo")),
            ("client_id", s("id")),
            ("api_hostname", s("h")),
        ],
    );
    // Required only to create: valid, but a create without it is refused at plan.
    assert!(errors(&validate(&DUO, &missing, ClientCapabilities::default())).is_empty());
    let errs = errors(&plan_values(&DUO, &Value::Null, &missing, &[]).diagnostics);
    assert!(
        errs.iter().any(|e| e.starts_with("client_secret")),
        "{errs:?}"
    );
    // The existing stage may leave it out: kept from state, nothing planned.
    assert_eq!(
        plan_of(&DUO, &refreshed, &missing, &Private::default()).get("client_secret"),
        &s("secret")
    );
}

/// A secret required only to create (SMS `auth`): a create without it (or its write-only
/// twin) fails at plan naming it; an imported stage whose configuration leaves it out plans
/// no change and sends nothing, with the server's value in state and its drift still seen
/// once set; setting it sends it once; removing it again sends nothing.
#[test]
fn secret_required_only_to_create() {
    let base = [
        ("name", s("sms")),
        ("from_number", s("+1")),
        ("account_sid", s("AC1")),
    ];
    let without = config(&SMS, &base);
    assert!(errors(&validate(&SMS, &without, ClientCapabilities::default())).is_empty());
    let refused = plan_values(&SMS, &Value::Null, &without, &[]);
    let errs = errors(&refused.diagnostics);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with("auth: Missing `auth`") && errs[0].contains("`auth_wo`"),
        "{errs:?}"
    );
    let mut with_wo = base.to_vec();
    with_wo.push(("auth_wo", s("tok")));
    let with_wo = config(&SMS, &with_wo);
    assert!(plan_values(&SMS, &Value::Null, &with_wo, &[])
        .diagnostics
        .is_empty());

    // Imported from a server that returns it.
    let obj = json!({"pk": "0f3c5a4e-1b2c-4d5e-8f90-000000000009", "name": "sms", "provider": "twilio",
        "from_number": "+1", "account_sid": "AC1", "auth": "server-tok", "auth_type": "basic",
        "auth_password": "", "verify_only": false, "mapping": null, "friendly_name": "", "configure_flow": null});
    let mut diags = Vec::new();
    let imported = state_from_api(
        &SMS,
        obj.as_object().unwrap(),
        &Value::Null,
        &Value::Null,
        &Private::default(),
        &mut diags,
    );
    assert_eq!(imported.get("auth"), &s("server-tok"));
    let planned = plan_of(&SMS, &imported, &without, &Private::default());
    assert_eq!(planned, imported, "imported without `auth`: no change");
    let body = update_body(&SMS, &imported, &planned, &without, &Private::default()).unwrap();
    assert!(body.json.is_empty(), "{:?}", body.json);
    // Drift stays visible where the server returns it: the refreshed value is what is kept.
    let mut drifted = imported.clone();
    if let Value::Object(m) = &mut drifted {
        m.insert("auth".into(), s("changed-outside"));
    }
    assert_eq!(
        plan_of(&SMS, &drifted, &without, &Private::default()).get("auth"),
        &s("changed-outside")
    );

    // Set later: one change, sent once.
    let mut set_it = base.to_vec();
    set_it.push(("auth", s("new-tok")));
    let set_it = config(&SMS, &set_it);
    let planned = plan_of(&SMS, &imported, &set_it, &Private::default());
    assert_eq!(planned.get("auth"), &s("new-tok"));
    let body = update_body(&SMS, &imported, &planned, &set_it, &Private::default()).unwrap();
    assert_eq!(
        serde_json::Value::Object(body.json),
        json!({"auth": "new-tok"})
    );
    // Removed again: nothing planned, nothing sent.
    let after = planned;
    let planned = plan_of(&SMS, &after, &without, &Private::default());
    assert_eq!(planned, after);

    // Managed through the write-only twin, then left out: it stays write-only (out of state).
    let wo_private = Private {
        write_only: vec!["auth".into()],
    };
    let mut wo_state = imported.clone();
    if let Value::Object(m) = &mut wo_state {
        m.insert("auth".into(), Value::Null);
    }
    let mut renamed = base.to_vec();
    renamed[0] = ("name", s("sms-renamed"));
    let renamed = config(&SMS, &renamed);
    let planned = plan_of(&SMS, &wo_state, &renamed, &wo_private);
    assert_eq!(planned.get("auth"), &Value::Null);
    let body = update_body(&SMS, &wo_state, &planned, &renamed, &wo_private).unwrap();
    assert_eq!(
        serde_json::Value::Object(body.json),
        json!({"name": "sms-renamed"})
    );
    assert_eq!(body.private.write_only, vec!["auth".to_string()]);
}

/// After an import, a secret authentik never returns is unknown: left out of the
/// configuration it is left alone, not reset to its default (that would erase it unseen).
/// Configured, it is sent.
#[test]
fn imported_secret_of_unknown_value_is_left_alone_until_configured() {
    let obj = json!({"pk": "2f3c5a4e-1b2c-4d5e-8f90-112233445566", "name": "duo", "client_id": "id",
        "api_hostname": "h", "admin_integration_key": "", "friendly_name": "", "configure_flow": null});
    let mut diags = Vec::new();
    let imported = state_from_api(
        &DUO,
        obj.as_object().unwrap(),
        &Value::Null,
        &Value::Null,
        &Private::default(),
        &mut diags,
    );
    assert!(imported.get("admin_secret_key").is_null());
    // Generated configuration: the required secret through its write-only twin.
    let cfg = config(
        &DUO,
        &[
            ("name", s("duo")),
            ("client_id", s("id")),
            ("client_secret_wo", s("secret")),
            ("api_hostname", s("h")),
        ],
    );
    let caps = ClientCapabilities {
        write_only_attributes_allowed: true,
        ..Default::default()
    };
    assert!(errors(&validate(&DUO, &cfg, caps)).is_empty());
    let planned = plan_of(&DUO, &imported, &cfg, &Private::default());
    assert_eq!(planned, imported, "imports without a change");
    // Setting the secret later sends it.
    let with_key = config(
        &DUO,
        &[
            ("name", s("duo")),
            ("client_id", s("id")),
            ("client_secret_wo", s("secret")),
            ("api_hostname", s("h")),
            ("admin_secret_key", s("admin")),
        ],
    );
    let planned = plan_of(&DUO, &imported, &with_key, &Private::default());
    assert_eq!(planned.get("admin_secret_key"), &s("admin"));
    // Set here before, then left out again: not managed, kept, nothing sent.
    let mut created = imported.clone();
    if let Value::Object(m) = &mut created {
        m.insert("admin_secret_key".into(), s("admin"));
    }
    let planned = plan_values(&DUO, &created, &cfg, &[]);
    assert!(planned.diagnostics.is_empty(), "{:?}", planned.diagnostics);
    assert_eq!(planned.planned_state, created);
}

/// One rule for every secret (sensitive, with a write-only twin), whatever its mode: left out
/// of the configuration (with its twin) for a stage that exists, it is not managed. Shown on
/// SMS `auth_password` (optional, server default `""`): import then plan, and adoption through
/// generated configuration, change nothing; a value set before and removed from the
/// configuration is kept and nothing is sent; `""` set explicitly is one PATCH of `""`; drift
/// refreshed into state plans no diff when left out and is repaired when set; a create that
/// leaves it out still gets the default; managed through the twin and then left out, it stays
/// out of state and nothing is sent. No warning in any of these (nothing is reset unseen).
#[test]
fn a_secret_left_out_is_not_managed() {
    let obj = json!({"pk": "0f3c5a4e-1b2c-4d5e-8f90-000000000001", "name": "sms", "provider": "generic",
        "from_number": "+1", "account_sid": "https://sms.example.com", "auth": "user",
        "auth_type": "basic", "auth_password": "pw", "verify_only": false, "mapping": null,
        "friendly_name": "", "configure_flow": null});
    let mut diags = Vec::new();
    let imported = state_from_api(
        &SMS,
        obj.as_object().unwrap(),
        &Value::Null,
        &Value::Null,
        &Private::default(),
        &mut diags,
    );
    assert_eq!(imported.get("auth_password"), &s("pw"));
    let base = [
        ("name", s("sms")),
        ("sms_provider", s("generic")),
        ("from_number", s("+1")),
        ("account_sid", s("https://sms.example.com")),
        ("auth_type", s("basic")),
    ];
    let with = |extra: &[(&'static str, Value)]| {
        let mut pairs = base.to_vec();
        pairs.extend_from_slice(extra);
        config(&SMS, &pairs)
    };
    // Import (or adoption: generated configuration holds no secrets) then plan: no change.
    let without = with(&[]);
    let r = plan_values(&SMS, &imported, &without, &[]);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert_eq!(
        r.planned_state, imported,
        "no change, `auth` and `auth_password` kept"
    );
    let body = update_body(
        &SMS,
        &imported,
        &r.planned_state,
        &without,
        &Private::default(),
    )
    .unwrap();
    assert!(body.json.is_empty(), "nothing sent: {:?}", body.json);

    // Set before, removed from the configuration: kept, nothing sent.
    let set = with(&[("auth_password", s("new-pw"))]);
    let planned = plan_of(&SMS, &imported, &set, &Private::default());
    assert_eq!(planned.get("auth_password"), &s("new-pw"));
    let body = update_body(&SMS, &imported, &planned, &set, &Private::default()).unwrap();
    assert_eq!(
        serde_json::Value::Object(body.json),
        json!({"auth_password": "new-pw"})
    );
    let removed = plan_values(&SMS, &planned, &without, &[]);
    assert!(removed.diagnostics.is_empty(), "{:?}", removed.diagnostics);
    assert_eq!(removed.planned_state, planned);

    // Cleared explicitly: one change, `""` sent.
    let cleared_cfg = with(&[("auth_password", s(""))]);
    let cleared = plan_of(&SMS, &imported, &cleared_cfg, &Private::default());
    assert_eq!(cleared.get("auth_password"), &s(""));
    let body = update_body(&SMS, &imported, &cleared, &cleared_cfg, &Private::default()).unwrap();
    assert_eq!(
        serde_json::Value::Object(body.json),
        json!({"auth_password": ""})
    );

    // Drift the server shows: refreshed into state; left out, no diff; set, repaired.
    let mut drifted = imported.clone();
    if let Value::Object(m) = &mut drifted {
        m.insert("auth_password".into(), s("changed-outside"));
    }
    assert_eq!(
        plan_of(&SMS, &drifted, &without, &Private::default()),
        drifted
    );
    let pinned = with(&[("auth_password", s("pw"))]);
    let repaired = plan_of(&SMS, &drifted, &pinned, &Private::default());
    assert_eq!(repaired.get("auth_password"), &s("pw"));
    let body = update_body(&SMS, &drifted, &repaired, &pinned, &Private::default()).unwrap();
    assert_eq!(
        serde_json::Value::Object(body.json),
        json!({"auth_password": "pw"})
    );

    // A create that leaves it out gets the server's default.
    let created = plan_values(&SMS, &Value::Null, &with(&[("auth", s("user"))]), &[]);
    assert!(created.diagnostics.is_empty(), "{:?}", created.diagnostics);
    assert_eq!(created.planned_state.get("auth_password"), &s(""));

    // Through the write-only twin, then left out: it stays out of state, nothing is sent.
    let wo_private = Private {
        write_only: vec!["auth_password".into()],
    };
    let mut wo_state = imported.clone();
    if let Value::Object(m) = &mut wo_state {
        m.insert("auth_password".into(), Value::Null);
    }
    let planned = plan_of(&SMS, &wo_state, &without, &wo_private);
    assert_eq!(planned, wo_state);
    let body = update_body(&SMS, &wo_state, &planned, &without, &wo_private).unwrap();
    assert!(body.json.is_empty(), "{:?}", body.json);
    assert_eq!(body.private.write_only, vec!["auth_password".to_string()]);
}

/// The rule covers every secret of every resource, and nothing else: each field that is
/// sensitive with a write-only twin keeps its state value when left out of an existing
/// stage's configuration.
#[test]
fn every_secret_left_out_keeps_its_state_value() {
    let mut seen = 0;
    for def in crate::resources::ALL {
        for f in def.fields.iter().filter(|f| f.is_secret()) {
            seen += 1;
            let mut prior = std::collections::BTreeMap::new();
            prior.insert("id".to_string(), s("0f3c5a4e-1b2c-4d5e-8f90-000000000002"));
            prior.insert(f.name.to_string(), s("held-by-authentik"));
            let prior = Value::Object(prior);
            let planned = plan_values(def, &prior, &config(def, &[]), &[]);
            assert_eq!(
                planned.planned_state.get(f.name),
                &s("held-by-authentik"),
                "{}.{}",
                def.type_name,
                f.name
            );
        }
    }
    assert!(seen >= 5, "SMS, email and Duo secrets at least: {seen}");
}
