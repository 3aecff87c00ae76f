//! Unit tests of what the enrollment and consent types ask of the engine: a mode and the target
//! it needs (checked at plan, sent together), sets of UUIDs that must not be empty, text
//! compared as stored, a secret the server never returns, and which types are stages.

use super::body::update_body;
use super::field::ResourceDef;
use super::plan::plan_values;
use super::private::Private;
use super::state::state_from_api;
use super::validate::validate;
use crate::protocol::{ClientCapabilities, Diagnostic, Value};
use crate::resources::{
    email_stage::EMAIL_STAGE, policy_expression::POLICY_EXPRESSION, prompt::PROMPT,
    prompt_field::PROMPT_FIELD, redirect::REDIRECT,
};
use serde_json::json;

const PK: &str = "0f3c5a4e-1b2c-4d5e-8f90-112233445566";
const FLOW_PK: &str = "5a8c3c1e-6f0a-4d7e-9b1c-2d3e4f5a6b7c";

fn s(v: &str) -> Value {
    Value::String(v.into())
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

fn applied(def: &ResourceDef, planned: &Value, cfg: &Value, answer: serde_json::Value) -> Value {
    let serde_json::Value::Object(answer) = answer else {
        panic!("not an object")
    };
    let mut diags = Vec::new();
    let st = state_from_api(def, &answer, planned, cfg, &Private::default(), &mut diags);
    assert!(diags.is_empty(), "{diags:?}");
    st
}

/// `attribute: summary` of every error.
fn errors(d: &[Diagnostic]) -> Vec<String> {
    d.iter()
        .filter(|d| d.is_error())
        .map(|d| {
            let at = d
                .attribute
                .as_ref()
                .map(|a| a.to_string())
                .unwrap_or_default();
            format!("{at}: {}", d.summary)
        })
        .collect()
}

fn redirect_answer(mode: &str, url: &str, flow: Option<&str>) -> serde_json::Value {
    json!({"pk": PK, "name": "r", "component": "ak-stage-redirect-form", "flow_set": [],
           "keep_context": true, "mode": mode, "target_static": url, "target_flow": flow})
}

#[test]
fn a_redirect_needs_the_target_of_its_mode_at_plan() {
    let caps = ClientCapabilities::default();
    let static_without_url = config(&REDIRECT, &[("name", s("r")), ("mode", s("static"))]);
    let e = errors(&validate(&REDIRECT, &static_without_url, caps));
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].starts_with("target_static: "), "{e:?}");
    let blank_url = config(
        &REDIRECT,
        &[
            ("name", s("r")),
            ("mode", s("static")),
            ("target_static", s("  ")),
        ],
    );
    assert_eq!(errors(&validate(&REDIRECT, &blank_url, caps)).len(), 1);
    // The default mode is `flow`, which needs a flow.
    let name_only = config(&REDIRECT, &[("name", s("r"))]);
    let e = errors(&validate(&REDIRECT, &name_only, caps));
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].starts_with("target_flow: "), "{e:?}");
    // A target known only after apply is not judged.
    let unknown = config(
        &REDIRECT,
        &[("name", s("r")), ("target_flow", Value::Unknown)],
    );
    assert!(errors(&validate(&REDIRECT, &unknown, caps)).is_empty());
    let fine = config(
        &REDIRECT,
        &[
            ("name", s("r")),
            ("mode", s("static")),
            ("target_static", s("https://x.example/")),
        ],
    );
    assert!(errors(&validate(&REDIRECT, &fine, caps)).is_empty());
}

#[test]
fn a_redirect_mode_change_carries_both_targets() {
    let cfg = config(&REDIRECT, &[("name", s("r")), ("target_flow", s(FLOW_PK))]);
    let planned = plan_of(&REDIRECT, &Value::Null, &cfg);
    let state = applied(
        &REDIRECT,
        &planned,
        &cfg,
        redirect_answer("flow", "", Some(FLOW_PK)),
    );
    // Flow → static URL, the flow dropped from the configuration: all three go, the flow as null.
    let to_static = config(
        &REDIRECT,
        &[
            ("name", s("r")),
            ("mode", s("static")),
            ("target_static", s("https://x.example/")),
        ],
    );
    let planned = plan_of(&REDIRECT, &state, &to_static);
    let body = update_body(&REDIRECT, &state, &planned, &to_static, &Private::default()).unwrap();
    assert_eq!(
        serde_json::Value::Object(body.json),
        json!({"mode": "static", "target_static": "https://x.example/", "target_flow": null})
    );
    // keep_context alone goes alone.
    let keep = config(
        &REDIRECT,
        &[
            ("name", s("r")),
            ("target_flow", s(FLOW_PK)),
            ("keep_context", Value::Bool(false)),
        ],
    );
    let planned = plan_of(&REDIRECT, &state, &keep);
    let body = update_body(&REDIRECT, &state, &planned, &keep, &Private::default()).unwrap();
    assert_eq!(
        serde_json::Value::Object(body.json),
        json!({"keep_context": false})
    );
}

#[test]
fn a_prompt_stage_needs_fields() {
    let caps = ClientCapabilities::default();
    let empty = config(&PROMPT, &[("name", s("p")), ("fields", Value::Set(vec![]))]);
    let e = errors(&validate(&PROMPT, &empty, caps));
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].starts_with("fields: "), "{e:?}");
    let bad = config(
        &PROMPT,
        &[
            ("name", s("p")),
            ("fields", Value::Set(vec![s("username")])),
        ],
    );
    assert!(errors(&validate(&PROMPT, &bad, caps))[0].starts_with("fields"));
}

#[test]
fn a_placeholder_is_compared_as_stored_and_unknown_types_are_read() {
    let heredoc = "try:\n  return user.username\nexcept:\n  return ''\n";
    let cfg = config(
        &PROMPT_FIELD,
        &[
            ("name", s("f")),
            ("field_key", s("username")),
            ("label", s("User")),
            ("type", s("text")),
            ("placeholder", s(heredoc)),
        ],
    );
    let planned = plan_of(&PROMPT_FIELD, &Value::Null, &cfg);
    let answer = |placeholder: &str, ty: &str| {
        json!({"pk": PK, "name": "f", "field_key": "username", "label": "User", "type": ty,
               "required": true, "placeholder": placeholder, "initial_value": "", "order": 0,
               "prompt_stages_obj": [], "sub_text": "", "placeholder_expression": false,
               "initial_value_expression": false})
    };
    let state = applied(
        &PROMPT_FIELD,
        &planned,
        &cfg,
        answer(heredoc.trim(), "text"),
    );
    assert_eq!(state.get("placeholder"), &s(heredoc));
    assert_eq!(
        applied(
            &PROMPT_FIELD,
            &state,
            &Value::Null,
            answer(heredoc.trim(), "text")
        ),
        state
    );
    // A type from a newer authentik is read as it is; only configuring one is checked.
    let newer = applied(
        &PROMPT_FIELD,
        &state,
        &Value::Null,
        answer(heredoc.trim(), "rating"),
    );
    assert_eq!(newer.get("type"), &s("rating"));
    let e = errors(&validate(
        &PROMPT_FIELD,
        &newer,
        ClientCapabilities::default(),
    ));
    assert!(e.iter().any(|e| e.starts_with("type: ")), "{e:?}");
}

#[test]
fn the_email_stage_password_is_kept_from_configuration() {
    let cfg = config(&EMAIL_STAGE, &[("name", s("m")), ("password", s("s3cret"))]);
    let planned = plan_of(&EMAIL_STAGE, &Value::Null, &cfg);
    let state = applied(
        &EMAIL_STAGE,
        &planned,
        &cfg,
        json!({"pk": PK, "name": "m", "use_global_settings": false, "host": "localhost",
               "port": 25, "username": "", "use_tls": false, "use_ssl": false, "timeout": 10,
               "from_address": "system@authentik.local", "token_expiry": "minutes=30",
               "subject": "authentik", "template": "email/password_reset.html",
               "activate_user_on_success": false, "recovery_max_attempts": 5,
               "recovery_cache_timeout": "minutes=5"}),
    );
    assert_eq!(state.get("password"), &s("s3cret"));
}

#[test]
fn prompt_fields_and_policies_are_not_stages() {
    assert!(PROMPT.is_stage() && REDIRECT.is_stage() && EMAIL_STAGE.is_stage());
    assert!(!PROMPT_FIELD.is_stage());
    assert!(!POLICY_EXPRESSION.is_stage());
}
