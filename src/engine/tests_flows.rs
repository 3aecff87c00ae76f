//! Unit tests of the engine concepts the flow types brought: objects addressed by another key
//! (a flow's slug), read-only fields, cross-field rules, fields sent with every PATCH, text
//! compared as stored, and authentik's empty 405 reported as a server error.

use super::body::{create_body, update_body};
use super::errors::api_error;
use super::field::ResourceDef;
use super::identity::identity_of;
use super::plan::plan_values;
use super::private::Private;
use super::state::state_from_api;
use super::validate::validate;
use crate::client::ApiError;
use crate::protocol::{ClientCapabilities, Diagnostic, Number, Value};
use crate::resources::{
    flow::FLOW, flow_stage_binding::FLOW_STAGE_BINDING, identification::IDENTIFICATION,
    policy_binding::POLICY_BINDING, policy_expression::POLICY_EXPRESSION,
};
use serde_json::json;

const FLOW_PK: &str = "5a8c3c1e-6f0a-4d7e-9b1c-2d3e4f5a6b7c";
const STAGE_PK: &str = "0f3c5a4e-1b2c-4d5e-8f90-112233445566";
const POLICY_PK: &str = "9d2a3e6c-7a43-4f5e-9a1b-0c1d2e3f4a5b";

fn s(v: &str) -> Value {
    Value::String(v.into())
}
fn n(i: i64) -> Value {
    Value::Number(Number::Int(i))
}
fn list(v: &[&str]) -> Value {
    Value::List(v.iter().map(|x| s(x)).collect())
}

fn config(def: &ResourceDef, given: &[(&str, Value)]) -> Value {
    let mut m = super::schema::null_object(def);
    for (k, v) in given {
        assert!(m.contains_key(*k), "no attribute {k}");
        m.insert(k.to_string(), v.clone());
    }
    Value::Object(m)
}

fn plan_of(def: &ResourceDef, prior: &Value, cfg: &Value) -> Value {
    let r = plan_values(def, prior, cfg, &Private::default().encode());
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    r.planned_state
}

fn json_obj(v: serde_json::Value) -> crate::client::JsonObject {
    match v {
        serde_json::Value::Object(m) => m,
        _ => panic!("not an object"),
    }
}

/// State after the server answered `answer` to the plan `planned`.
fn applied(def: &ResourceDef, planned: &Value, cfg: &Value, answer: serde_json::Value) -> Value {
    let mut diags = Vec::new();
    let st = state_from_api(
        def,
        &json_obj(answer),
        planned,
        cfg,
        &Private::default(),
        &mut diags,
    );
    assert!(diags.is_empty(), "{diags:?}");
    st
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

fn flow_answer(slug: &str) -> serde_json::Value {
    json!({
        "pk": FLOW_PK, "policybindingmodel_ptr_id": STAGE_PK, "name": "Sign in", "slug": slug,
        "title": "Welcome", "designation": "authentication", "background": "",
        "background_url": "/static/dist/assets/images/flow_background.jpg",
        "stages": [], "policies": [], "cache_count": 0, "policy_engine_mode": "any",
        "compatibility_mode": false, "export_url": format!("/api/v3/flows/instances/{slug}/export/"),
        "layout": "stacked", "denied_action": "message_continue", "authentication": "none"
    })
}

fn flow_config(slug: &str) -> Value {
    config(
        &FLOW,
        &[
            ("name", s("Sign in")),
            ("slug", s(slug)),
            ("title", s("Welcome")),
            ("designation", s("authentication")),
        ],
    )
}

#[test]
fn a_flow_is_its_slug_and_keeps_its_uuid() {
    let cfg = flow_config("sign-in");
    let planned = plan_of(&FLOW, &Value::Null, &cfg);
    assert!(planned.get("id").is_unknown() && planned.get("uuid").is_unknown());
    // The UUID is read-only: never sent.
    let body = create_body(&FLOW, &planned, &cfg).unwrap();
    assert!(!body.json.contains_key("pk") && !body.json.contains_key("uuid"));
    assert_eq!(body.json.get("compatibility_mode"), Some(&json!(false)));
    assert_eq!(body.json.get("background"), Some(&json!("")));
    let state = applied(&FLOW, &planned, &cfg, flow_answer("sign-in"));
    assert_eq!(state.get("id"), &s("sign-in"));
    assert_eq!(state.get("uuid"), &s(FLOW_PK));
    // The identity is the UUID, which a rename does not change.
    assert_eq!(identity_of(&FLOW, &state).get("id"), &s(FLOW_PK));
    // Nothing changed: the id stays.
    let again = plan_of(&FLOW, &state, &cfg);
    assert_eq!(again.get("id"), &s("sign-in"));
    assert_eq!(again.get("uuid"), &s(FLOW_PK));

    // A slug change: `id` follows (unknown until applied), the UUID stays, the PATCH is
    // one key (sent to the old URL by the caller, which uses the prior `id`).
    let renamed = flow_config("log-in");
    let planned = plan_of(&FLOW, &state, &renamed);
    assert!(planned.get("id").is_unknown());
    assert_eq!(planned.get("uuid"), &s(FLOW_PK));
    let body = update_body(&FLOW, &state, &planned, &renamed, &Private::default()).unwrap();
    assert_eq!(
        serde_json::Value::Object(body.json),
        json!({"slug": "log-in"})
    );
    let after = applied(&FLOW, &planned, &renamed, flow_answer("log-in"));
    assert_eq!(after.get("id"), &s("log-in"));
    assert_eq!(identity_of(&FLOW, &after).get("id"), &s(FLOW_PK));
}

#[test]
fn flow_slugs_and_enums_are_checked_at_plan() {
    let mut cfg = flow_config("not a slug!");
    let e = errors(&validate(&FLOW, &cfg, ClientCapabilities::default()));
    assert!(
        e.len() == 1 && e[0].starts_with("slug:") && e[0].contains("letters"),
        "{e:?}"
    );
    if let Value::Object(m) = &mut cfg {
        m.insert("slug".into(), s("ok_slug-1"));
        m.insert("designation".into(), s("login"));
    }
    let e = errors(&validate(&FLOW, &cfg, ClientCapabilities::default()));
    assert!(
        e.len() == 1 && e[0].starts_with("designation:") && e[0].contains("stage_configuration"),
        "{e:?}"
    );
}

fn binding_config(extra: &[(&str, Value)]) -> Value {
    let mut given = vec![
        ("target", s(FLOW_PK)),
        ("stage", s(STAGE_PK)),
        ("order", n(10)),
    ];
    given.extend(extra.iter().cloned());
    config(&FLOW_STAGE_BINDING, &given)
}

#[test]
fn binding_evaluation_flags_never_both_false() {
    let caps = ClientCapabilities::default();
    // Defaults (false, true) are fine; so is switching which one is on.
    assert!(errors(&validate(&FLOW_STAGE_BINDING, &binding_config(&[]), caps)).is_empty());
    let swapped = binding_config(&[
        ("evaluate_on_plan", Value::Bool(true)),
        ("re_evaluate_policies", Value::Bool(false)),
    ]);
    assert!(errors(&validate(&FLOW_STAGE_BINDING, &swapped, caps)).is_empty());
    // Turning the run-time flag off alone leaves both false (the plan-time flag defaults to
    // false): refused at plan, naming the attributes.
    let off = binding_config(&[("re_evaluate_policies", Value::Bool(false))]);
    let e = errors(&validate(&FLOW_STAGE_BINDING, &off, caps));
    assert!(
        e.len() == 1
            && e[0].starts_with("evaluate_on_plan:")
            && e[0].contains("`re_evaluate_policies`"),
        "{e:?}"
    );
    // Unknown until apply: not refused.
    let unknown = binding_config(&[
        ("evaluate_on_plan", Value::Unknown),
        ("re_evaluate_policies", Value::Bool(false)),
    ]);
    assert!(errors(&validate(&FLOW_STAGE_BINDING, &unknown, caps)).is_empty());
}

#[test]
fn a_binding_patch_carries_both_flags() {
    let cfg = binding_config(&[]);
    let planned = plan_of(&FLOW_STAGE_BINDING, &Value::Null, &cfg);
    let state = applied(
        &FLOW_STAGE_BINDING,
        &planned,
        &cfg,
        json!({"pk": POLICY_PK, "target": FLOW_PK, "stage": STAGE_PK, "order": 10,
               "evaluate_on_plan": false, "re_evaluate_policies": true,
               "policy_engine_mode": "any", "invalid_response_action": "retry"}),
    );
    assert_eq!(state.get("id"), &s(POLICY_PK));
    let cfg2 = binding_config(&[
        ("evaluate_on_plan", Value::Bool(true)),
        ("re_evaluate_policies", Value::Bool(true)),
    ]);
    let planned = plan_of(&FLOW_STAGE_BINDING, &state, &cfg2);
    let body = update_body(
        &FLOW_STAGE_BINDING,
        &state,
        &planned,
        &cfg2,
        &Private::default(),
    )
    .unwrap();
    assert_eq!(
        serde_json::Value::Object(body.json),
        json!({"evaluate_on_plan": true, "re_evaluate_policies": true})
    );
    // Another order: one key, no flags.
    let moved = binding_config(&[]);
    let moved = match moved {
        Value::Object(mut m) => {
            m.insert("order".into(), n(20));
            Value::Object(m)
        }
        v => v,
    };
    let planned = plan_of(&FLOW_STAGE_BINDING, &state, &moved);
    assert_eq!(planned.get("id"), &s(POLICY_PK), "a move keeps the binding");
    let body = update_body(
        &FLOW_STAGE_BINDING,
        &state,
        &planned,
        &moved,
        &Private::default(),
    )
    .unwrap();
    assert_eq!(serde_json::Value::Object(body.json), json!({"order": 20}));
}

#[test]
fn policy_binding_binds_exactly_one_subject() {
    let caps = ClientCapabilities::default();
    let none = config(&POLICY_BINDING, &[("target", s(FLOW_PK)), ("order", n(0))]);
    let e = errors(&validate(&POLICY_BINDING, &none, caps));
    assert!(
        e.len() == 1 && e[0].starts_with("policy:") && e[0].contains("`group`"),
        "{e:?}"
    );
    let two = config(
        &POLICY_BINDING,
        &[
            ("target", s(FLOW_PK)),
            ("order", n(0)),
            ("policy", s(POLICY_PK)),
            ("user", n(7)),
        ],
    );
    let e = errors(&validate(&POLICY_BINDING, &two, caps));
    assert!(
        e.len() == 1 && e[0].starts_with("user:") && e[0].contains("`policy` and `user`"),
        "{e:?}"
    );
    let one = config(
        &POLICY_BINDING,
        &[
            ("target", s(FLOW_PK)),
            ("order", n(0)),
            ("group", Value::Unknown),
        ],
    );
    assert!(errors(&validate(&POLICY_BINDING, &one, caps)).is_empty());
}

#[test]
fn a_policy_binding_patch_carries_target_and_subject() {
    let cfg = config(
        &POLICY_BINDING,
        &[
            ("target", s(FLOW_PK)),
            ("order", n(0)),
            ("policy", s(POLICY_PK)),
        ],
    );
    let planned = plan_of(&POLICY_BINDING, &Value::Null, &cfg);
    let body = create_body(&POLICY_BINDING, &planned, &cfg).unwrap();
    assert!(!body.json.contains_key("group") && !body.json.contains_key("user"));
    let state = applied(
        &POLICY_BINDING,
        &planned,
        &cfg,
        json!({"pk": STAGE_PK, "policy": POLICY_PK, "group": null, "user": null,
               "target": FLOW_PK, "negate": false, "enabled": true, "order": 0,
               "timeout": 30, "failure_result": false}),
    );
    let cfg2 = match cfg {
        Value::Object(mut m) => {
            m.insert("negate".into(), Value::Bool(true));
            Value::Object(m)
        }
        v => v,
    };
    let planned = plan_of(&POLICY_BINDING, &state, &cfg2);
    let body = update_body(
        &POLICY_BINDING,
        &state,
        &planned,
        &cfg2,
        &Private::default(),
    )
    .unwrap();
    assert_eq!(
        serde_json::Value::Object(body.json),
        json!({"negate": true, "target": FLOW_PK, "policy": POLICY_PK, "group": null, "user": null})
    );
    // Nothing changed: nothing sent, not even the always-sent fields.
    let planned = plan_of(&POLICY_BINDING, &state, &cfg2.clone());
    let same_state = applied(
        &POLICY_BINDING,
        &planned,
        &cfg2,
        json!({"pk": STAGE_PK, "policy": POLICY_PK, "group": null, "user": null,
               "target": FLOW_PK, "negate": true, "enabled": true, "order": 0,
               "timeout": 30, "failure_result": false}),
    );
    let planned = plan_of(&POLICY_BINDING, &same_state, &cfg2);
    let body = update_body(
        &POLICY_BINDING,
        &same_state,
        &planned,
        &cfg2,
        &Private::default(),
    )
    .unwrap();
    assert!(body.json.is_empty(), "{:?}", body.json);
}

#[test]
fn identification_needs_fields_or_sources_and_sends_both_with_every_patch() {
    let caps = ClientCapabilities::default();
    let neither = config(&IDENTIFICATION, &[("name", s("id"))]);
    let e = errors(&validate(&IDENTIFICATION, &neither, caps));
    assert!(
        e.len() == 1 && e[0].starts_with("user_fields:") && e[0].contains("`sources`"),
        "{e:?}"
    );
    let cfg = config(
        &IDENTIFICATION,
        &[
            ("name", s("id")),
            ("user_fields", list(&["username", "email"])),
        ],
    );
    assert!(errors(&validate(&IDENTIFICATION, &cfg, caps)).is_empty());
    let planned = plan_of(&IDENTIFICATION, &Value::Null, &cfg);
    // Created with both lists, so `sources` never arrives without `user_fields`.
    let body = create_body(&IDENTIFICATION, &planned, &cfg).unwrap();
    assert_eq!(
        body.json.get("user_fields"),
        Some(&json!(["username", "email"]))
    );
    assert_eq!(body.json.get("sources"), Some(&json!([])));
    assert_eq!(
        body.json.get("case_insensitive_matching"),
        Some(&json!(true))
    );
    let prior = match planned {
        Value::Object(mut m) => {
            m.insert("id".into(), s(STAGE_PK));
            Value::Object(m)
        }
        v => v,
    };
    let renamed = match cfg {
        Value::Object(mut m) => {
            m.insert("name".into(), s("id2"));
            Value::Object(m)
        }
        v => v,
    };
    let planned = plan_of(&IDENTIFICATION, &prior, &renamed);
    let body = update_body(
        &IDENTIFICATION,
        &prior,
        &planned,
        &renamed,
        &Private::default(),
    )
    .unwrap();
    assert_eq!(
        serde_json::Value::Object(body.json),
        json!({"name": "id2", "user_fields": ["username", "email"], "sources": []})
    );
}

#[test]
fn an_expression_is_compared_as_stored() {
    let cfg = config(
        &POLICY_EXPRESSION,
        &[("name", s("p")), ("expression", s("return True\n"))],
    );
    let planned = plan_of(&POLICY_EXPRESSION, &Value::Null, &cfg);
    // authentik strips the trailing newline; the state keeps the configuration's spelling.
    let state = applied(
        &POLICY_EXPRESSION,
        &planned,
        &cfg,
        json!({"pk": POLICY_PK, "name": "p", "expression": "return True",
               "execution_logging": false, "bound_to": 0}),
    );
    assert_eq!(state.get("expression"), &s("return True\n"));
    // The next refresh too.
    let refreshed = applied(
        &POLICY_EXPRESSION,
        &state,
        &Value::Null,
        json!({"pk": POLICY_PK, "name": "p", "expression": "return True",
               "execution_logging": false}),
    );
    assert_eq!(refreshed, state);
    // A real change is seen.
    let drifted = applied(
        &POLICY_EXPRESSION,
        &state,
        &Value::Null,
        json!({"pk": POLICY_PK, "name": "p", "expression": "return False",
               "execution_logging": false}),
    );
    assert_eq!(drifted.get("expression"), &s("return False"));
}

#[test]
fn an_empty_405_is_a_server_error_naming_the_request() {
    let e = ApiError::Server {
        status: 405,
        detail: "(empty body)".into(),
    };
    let d = api_error(&POLICY_BINDING, "updating", &e);
    assert_eq!(d.len(), 1);
    assert!(d[0].summary.contains("server error"), "{}", d[0].summary);
    assert!(
        d[0].detail.contains("PATCH /api/v3/policies/bindings/"),
        "{}",
        d[0].detail
    );
    let text = format!("{} {}", d[0].summary, d[0].detail).to_lowercase();
    assert!(!text.contains("method not allowed"), "{text}");
    // DRF's own JSON 405 (a wrong method) stays what it is.
    let drf = ApiError::Server {
        status: 405,
        detail: "Method \"POST\" not allowed.".into(),
    };
    assert!(!api_error(&POLICY_BINDING, "creating", &drf)[0]
        .summary
        .contains("server error"));
}

#[test]
fn a_flow_background_is_checked_as_authentik_does() {
    let caps = ClientCapabilities::default();
    let with = |bg: &str| {
        let mut cfg = flow_config("f");
        if let Value::Object(m) = &mut cfg {
            m.insert("background".into(), s(bg));
        }
        errors(&validate(&FLOW, &cfg, caps))
    };
    for ok in [
        "",
        "https://goauthentik.io",
        "fa://fa-circle",
        "/static/dist/assets/images/flow_background.jpg",
        "flows/bg-%(theme)s.png",
    ] {
        assert!(with(ok).is_empty(), "{ok}: {:?}", with(ok));
    }
    for (bad, why) in [
        (".", "start with `.`"),
        ("a/../b.png", "`..`"),
        ("/etc/passwd", "absolute"),
        ("a b.png", "only contain"),
        ("a//b.png", "`//`"),
    ] {
        let e = with(bad);
        assert!(
            e.len() == 1 && e[0].starts_with("background:") && e[0].contains(why),
            "{bad}: {e:?}"
        );
    }
}
