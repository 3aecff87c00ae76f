//! The sign-in flow types in one shared configuration (one Terraform run serves every type):
//! flows, flow-stage bindings, the identification, password, user login, user logout and deny
//! stages, an expression policy and a policy binding. Create with every attribute, empty plan,
//! one-attribute updates as one-key PATCHes, drift shown and repaired, a flow slug rename, a
//! binding moved to another order and another flow, import of everything (flows by slug and by
//! UUID), clearing every optional value, the flow deleted outside Terraform with its bindings in
//! state, destroy.

use crate::e2e::{fill, planned_actions, Ctx, Server};
use crate::support::terraform::TfVersion;
use serde_json::{json, Value};

/// Every resource of the configuration: (address, API collection, import kind).
const RESOURCES: &[(&str, &str)] = &[
    ("authentik_flow.f", "flows/instances"),
    ("authentik_flow.g", "flows/instances"),
    ("authentik_stage_password.pw", "stages/password"),
    (
        "authentik_stage_identification.ident",
        "stages/identification",
    ),
    ("authentik_stage_user_login.login", "stages/user_login"),
    ("authentik_stage_user_logout.logout", "stages/user_logout"),
    ("authentik_stage_deny.deny", "stages/deny"),
    ("authentik_policy_expression.p", "policies/expression"),
    ("authentik_flow_stage_binding.b_ident", "flows/bindings"),
    ("authentik_flow_stage_binding.b_login", "flows/bindings"),
    ("authentik_flow_stage_binding.b_logout", "flows/bindings"),
    ("authentik_policy_binding.pb", "policies/bindings"),
];

/// The resources both steps configure alike (the moved bindings among them), written with
/// either.
const SHARED: &str = r#"
resource "authentik_flow" "g" {
  name        = "Flow G{{SFX}}"
  slug        = "flow-g{{SFX}}"
  title       = "G"
  designation = "invalidation"
}

resource "authentik_stage_user_logout" "logout" {
  name = "{{LOGOUT_NAME}}"
}

resource "authentik_flow_stage_binding" "b_login" {
  target = authentik_flow.f.uuid
  stage  = authentik_stage_user_login.login.id
  order  = {{LOGIN_ORDER}}
}

resource "authentik_flow_stage_binding" "b_logout" {
  target = authentik_flow.{{LOGOUT_FLOW}}.uuid
  stage  = authentik_stage_user_logout.logout.id
  order  = 0
}
"#;

/// Every attribute set (`{{...}}` are the variable parts the steps change).
const FULL: &str = r#"
resource "authentik_flow" "f" {
  name               = "Flow F{{SFX}}"
  slug               = "{{F_SLUG}}"
  title              = "{{F_TITLE}}"
  designation        = "authentication"
  authentication     = "require_unauthenticated"
  layout             = "content_left"
  background         = "https://example.com/bg.jpg"
  policy_engine_mode = "all"
  denied_action      = "message"
  compatibility_mode = true
}


resource "authentik_stage_password" "pw" {
  name                          = "pw{{SFX}}"
  backends                      = ["authentik.sources.ldap.auth.LDAPBackend", "authentik.core.auth.InbuiltBackend"]
  configure_flow                = authentik_flow.g.uuid
  failed_attempts_before_cancel = {{PW_ATTEMPTS}}
  allow_show_password           = true
}

resource "authentik_stage_identification" "ident" {
  name                      = "ident{{SFX}}"
  user_fields               = ["email", "username"]
  password_stage            = authentik_stage_password.pw.id
  case_insensitive_matching = false
  show_matched_user         = {{ID_SHOW}}
  pretend_user_exists       = false
  show_source_labels        = true
  enable_remember_me        = true
  enrollment_flow           = authentik_flow.g.uuid
  recovery_flow             = authentik_flow.g.uuid
  passwordless_flow         = authentik_flow.g.uuid
}

resource "authentik_stage_user_login" "login" {
  name                     = "login{{SFX}}"
  session_duration         = "{{SESSION}}"
  remember_me_offset       = "days=1"
  remember_device          = "days=7"
  terminate_other_sessions = true
  network_binding          = "bind_asn"
  geoip_binding            = "bind_continent"
}


resource "authentik_stage_deny" "deny" {
  name         = "deny{{SFX}}"
  deny_message = "{{DENY_MESSAGE}}"
}

resource "authentik_policy_expression" "p" {
  name              = "policy{{SFX}}"
  execution_logging = true
  expression        = <<-EOT
    {{EXPRESSION}}
  EOT
}

resource "authentik_flow_stage_binding" "b_ident" {
  target                  = authentik_flow.f.uuid
  stage                   = authentik_stage_identification.ident.id
  order                   = 10
  evaluate_on_plan        = true
  re_evaluate_policies    = {{B_REEVAL}}
  policy_engine_mode      = "all"
  invalid_response_action = "restart"
}



resource "authentik_policy_binding" "pb" {
  target         = authentik_flow_stage_binding.b_login.id
  policy         = authentik_policy_expression.p.id
  order          = 0
  negate         = {{PB_NEGATE}}
  enabled        = false
  timeout        = 10
  failure_result = true
}
"#;

/// Every optional value left out (the server's defaults).
const MINIMAL: &str = r#"
resource "authentik_flow" "f" {
  name        = "Flow F{{SFX}}"
  slug        = "{{F_SLUG}}"
  title       = "{{F_TITLE}}"
  designation = "authentication"
}


resource "authentik_stage_password" "pw" {
  name     = "pw{{SFX}}"
  backends = ["authentik.core.auth.InbuiltBackend"]
}

resource "authentik_stage_identification" "ident" {
  name        = "ident{{SFX}}"
  user_fields = ["username"]
}

resource "authentik_stage_user_login" "login" {
  name = "login{{SFX}}"
}


resource "authentik_stage_deny" "deny" {
  name = "deny{{SFX}}"
}

resource "authentik_policy_expression" "p" {
  name       = "policy{{SFX}}"
  expression = "return True"
}

resource "authentik_flow_stage_binding" "b_ident" {
  target = authentik_flow.f.uuid
  stage  = authentik_stage_identification.ident.id
  order  = 10
}



resource "authentik_policy_binding" "pb" {
  target = authentik_flow_stage_binding.b_login.id
  policy = authentik_policy_expression.p.id
  order  = 0
}
"#;

struct Vars {
    v: Vec<(&'static str, String)>,
}

impl Vars {
    fn new(sfx: &str) -> Vars {
        Vars {
            v: vec![
                ("F_SLUG", format!("flow-f{sfx}")),
                ("F_TITLE", "F".into()),
                ("PW_ATTEMPTS", "3".into()),
                ("ID_SHOW", "false".into()),
                ("SESSION", "hours=8".into()),
                ("LOGOUT_NAME", format!("logout{sfx}")),
                ("DENY_MESSAGE", "Nope".into()),
                ("EXPRESSION", "return True".into()),
                ("B_REEVAL", "false".into()),
                ("LOGIN_ORDER", "100".into()),
                ("LOGOUT_FLOW", "g".into()),
                ("PB_NEGATE", "true".into()),
                ("SFX", sfx.into()),
            ],
        }
    }
    fn set(&mut self, k: &str, val: impl Into<String>) {
        let val = val.into();
        for (key, v) in &mut self.v {
            if *key == k {
                *v = val;
                return;
            }
        }
        panic!("no variable {k}");
    }
    fn fill(&self, t: &str) -> String {
        let refs: Vec<(&str, &str)> = self.v.iter().map(|(k, v)| (*k, v.as_str())).collect();
        fill(t, &refs)
    }
}

fn id_of(ctx: &Ctx, addr: &str) -> String {
    ctx.state_values(addr)["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{addr} has no id"))
        .to_string()
}

fn uuid_of(ctx: &Ctx, addr: &str) -> String {
    ctx.state_values(addr)["uuid"]
        .as_str()
        .unwrap_or_else(|| panic!("{addr} has no uuid"))
        .to_string()
}

fn server_has(ctx: &Ctx, api: &str, id: &str, want: &Value) {
    let got = ctx.server_stage(api, id);
    for (k, v) in want.as_object().expect("object") {
        assert_eq!(&got[k], v, "{api}/{id}: {k}\nfull object: {got:#}");
    }
}

/// The PATCH bodies among `writes`, with the path they went to.
fn patches(writes: Vec<Value>) -> Vec<(String, Value)> {
    writes
        .into_iter()
        .map(|w| {
            assert_eq!(w["method"], "PATCH", "only PATCHes expected: {w:#}");
            (
                w["path"].as_str().unwrap_or("").to_string(),
                w["body"].clone(),
            )
        })
        .collect()
}

fn patch_to<'a>(p: &'a [(String, Value)], path_part: &str) -> &'a Value {
    let found: Vec<&(String, Value)> = p
        .iter()
        .filter(|(path, _)| path.contains(path_part))
        .collect();
    assert_eq!(found.len(), 1, "one PATCH to {path_part}: {p:#?}");
    &found[0].1
}

/// Destroys; then no flow, stage or expression policy named with the case's suffix is left.
fn destroy_leaves_nothing(ctx: &Ctx) {
    ctx.wd.destroy();
    for (path, what) in [
        (
            format!("/api/v3/flows/instances/?search={}", ctx.sfx),
            "flows",
        ),
        (format!("/api/v3/stages/all/?search={}", ctx.sfx), "stages"),
        (
            format!("/api/v3/policies/expression/?search={}", ctx.sfx),
            "policies",
        ),
    ] {
        let left = ctx.dbl.list_all(&path).expect("list");
        assert!(left.is_empty(), "{what} left after destroy: {left:#?}");
    }
}

/// The whole life of the flow types on the server `server`.
pub fn flows_lifecycle(v: TfVersion, server: Server) {
    let ctx = Ctx::acceptance_on(v, server);
    let mut vars = Vars::new(&ctx.sfx);
    let write = |vars: &Vars, t: &str| ctx.config(&vars.fill(&format!("{t}{SHARED}")));

    // Create with every attribute: empty plan after.
    write(&vars, FULL);
    ctx.apply_settled("plan after the full create");
    let f_uuid = uuid_of(&ctx, "authentik_flow.f");
    assert_eq!(
        id_of(&ctx, "authentik_flow.f"),
        format!("flow-f{}", ctx.sfx)
    );
    let b_login = id_of(&ctx, "authentik_flow_stage_binding.b_login");
    let b_logout = id_of(&ctx, "authentik_flow_stage_binding.b_logout");
    let pb = id_of(&ctx, "authentik_policy_binding.pb");
    server_has(
        &ctx,
        "flows/bindings",
        &b_login,
        &json!({"target": f_uuid, "order": 100, "evaluate_on_plan": false, "re_evaluate_policies": true}),
    );
    server_has(
        &ctx,
        "policies/bindings",
        &pb,
        &json!({"target": b_login, "negate": true, "enabled": false, "timeout": 10, "failure_result": true}),
    );
    // The heredoc's trailing newline is not stored and never diffs.
    server_has(
        &ctx,
        "policies/expression",
        &id_of(&ctx, "authentik_policy_expression.p"),
        &json!({"expression": "return True", "execution_logging": true}),
    );

    // One attribute of each type changed: one PATCH each, with just that (plus what the server
    // needs in the same body).
    vars.set("F_TITLE", "F2");
    vars.set("PW_ATTEMPTS", "4");
    vars.set("ID_SHOW", "true");
    vars.set("SESSION", "hours=9");
    vars.set("LOGOUT_NAME", format!("logout2{}", ctx.sfx));
    vars.set("DENY_MESSAGE", "Still no");
    vars.set("EXPRESSION", "return False");
    vars.set("B_REEVAL", "true");
    vars.set("PB_NEGATE", "false");
    write(&vars, FULL);
    let logged = ctx.apply_logged();
    ctx.assert_empty_plan("plan after the updates");
    if let Some(writes) = logged {
        let p = patches(writes);
        assert_eq!(p.len(), 9, "{p:#?}");
        assert_eq!(patch_to(&p, "flows/instances/"), &json!({"title": "F2"}));
        assert_eq!(
            patch_to(&p, "stages/password/"),
            &json!({"failed_attempts_before_cancel": 4})
        );
        assert_eq!(
            patch_to(&p, "stages/identification/"),
            &json!({"show_matched_user": true, "user_fields": ["email", "username"], "sources": []})
        );
        assert_eq!(
            patch_to(&p, "stages/user_login/"),
            &json!({"session_duration": "hours=9"})
        );
        assert_eq!(
            patch_to(&p, "stages/user_logout/"),
            &json!({"name": format!("logout2{}", ctx.sfx)})
        );
        assert_eq!(
            patch_to(&p, "stages/deny/"),
            &json!({"deny_message": "Still no"})
        );
        assert_eq!(
            patch_to(&p, "policies/expression/"),
            &json!({"expression": "return False\n"})
        );
        assert_eq!(
            patch_to(&p, "flows/bindings/"),
            &json!({"evaluate_on_plan": true, "re_evaluate_policies": true})
        );
        assert_eq!(
            patch_to(&p, "policies/bindings/"),
            &json!({"negate": false, "target": b_login, "policy": id_of(&ctx, "authentik_policy_expression.p"), "group": null, "user": null})
        );
    }

    // Drift behind Terraform's back on every type: shown, and apply restores it.
    let f_slug = id_of(&ctx, "authentik_flow.f");
    let drifts: Vec<(String, Value)> = vec![
        (
            format!("flows/instances/{f_slug}"),
            json!({"layout": "stacked", "compatibility_mode": false}),
        ),
        (
            format!(
                "stages/password/{}",
                id_of(&ctx, "authentik_stage_password.pw")
            ),
            json!({"backends": ["authentik.core.auth.InbuiltBackend"]}),
        ),
        (
            format!(
                "stages/identification/{}",
                id_of(&ctx, "authentik_stage_identification.ident")
            ),
            json!({"user_fields": ["username"], "sources": [], "password_stage": null}),
        ),
        (
            format!(
                "stages/user_login/{}",
                id_of(&ctx, "authentik_stage_user_login.login")
            ),
            json!({"geoip_binding": "no_binding"}),
        ),
        (
            format!("stages/deny/{}", id_of(&ctx, "authentik_stage_deny.deny")),
            json!({"deny_message": ""}),
        ),
        (
            format!(
                "policies/expression/{}",
                id_of(&ctx, "authentik_policy_expression.p")
            ),
            json!({"execution_logging": false}),
        ),
        (
            format!("flows/bindings/{b_login}"),
            json!({"invalid_response_action": "restart_with_context"}),
        ),
        (
            format!("policies/bindings/{pb}"),
            json!({"target": b_login, "policy": id_of(&ctx, "authentik_policy_expression.p"), "timeout": 99}),
        ),
    ];
    for (path, body) in &drifts {
        let (status, answer) = ctx.dbl.patch(&format!("/api/v3/{path}/"), body.clone());
        assert_eq!(status, 200, "{path}: {answer}");
    }
    let tf_plan = ctx.wd.plan_json();
    for addr in [
        "authentik_flow.f",
        "authentik_stage_password.pw",
        "authentik_stage_identification.ident",
        "authentik_stage_user_login.login",
        "authentik_stage_deny.deny",
        "authentik_policy_expression.p",
        "authentik_flow_stage_binding.b_login",
        "authentik_policy_binding.pb",
    ] {
        assert_eq!(
            planned_actions(&tf_plan, addr),
            vec!["update"],
            "drift of {addr}"
        );
    }
    ctx.apply_settled("plan after repairing the drift");
    server_has(
        &ctx,
        "flows/instances",
        &f_slug,
        &json!({"layout": "content_left", "compatibility_mode": true}),
    );
    server_has(&ctx, "policies/bindings", &pb, &json!({"timeout": 10}));

    // A slug rename: the flow keeps its UUID, `id` follows, the bindings are untouched.
    let new_slug = format!("flow-f-renamed{}", ctx.sfx);
    vars.set("F_SLUG", new_slug.clone());
    write(&vars, FULL);
    if let Some(writes) = ctx.apply_logged() {
        let p = patches(writes);
        assert_eq!(p.len(), 1, "{p:#?}");
        assert!(
            p[0].0.ends_with(&format!("/flows/instances/{f_slug}/")),
            "to the old URL: {p:#?}"
        );
        assert_eq!(p[0].1, json!({"slug": new_slug}));
    }
    assert_eq!(id_of(&ctx, "authentik_flow.f"), new_slug);
    assert_eq!(uuid_of(&ctx, "authentik_flow.f"), f_uuid);
    ctx.assert_empty_plan("plan after the slug rename");

    // A binding moved to another order, and another to another flow: same binding, one PATCH.
    vars.set("LOGIN_ORDER", "50");
    vars.set("LOGOUT_FLOW", "f");
    write(&vars, FULL);
    if let Some(writes) = ctx.apply_logged() {
        let p = patches(writes);
        assert_eq!(p.len(), 2, "{p:#?}");
        assert_eq!(patch_to(&p, &b_login), &json!({"order": 50}));
        assert_eq!(patch_to(&p, &b_logout), &json!({"target": f_uuid}));
    }
    assert_eq!(id_of(&ctx, "authentik_flow_stage_binding.b_login"), b_login);
    assert_eq!(
        id_of(&ctx, "authentik_flow_stage_binding.b_logout"),
        b_logout
    );
    ctx.assert_empty_plan("plan after moving the bindings");

    // Import of everything (flows by slug and by UUID, stages and the policy by UUID, bindings
    // by UUID): an empty plan after.
    let ids: Vec<(&str, String)> = RESOURCES
        .iter()
        .map(|(addr, _)| (*addr, id_of(&ctx, addr)))
        .collect();
    let g_uuid = uuid_of(&ctx, "authentik_flow.g");
    for (addr, _) in RESOURCES {
        ctx.wd.run_ok(&["state", "rm", addr]);
    }
    for (addr, id) in &ids {
        let by = if *addr == "authentik_flow.g" {
            g_uuid.to_uppercase()
        } else {
            id.clone()
        };
        ctx.wd.import(addr, &by);
    }
    assert_eq!(
        id_of(&ctx, "authentik_flow.g"),
        format!("flow-g{}", ctx.sfx),
        "imported by UUID, id is the slug"
    );
    // The import reads the expression as authentik stores it (without the heredoc's trailing
    // newline): one update of the spelling in state, which sends nothing.
    let tf_plan = ctx.wd.plan_json();
    for (addr, _) in RESOURCES {
        let want: Vec<&str> = if *addr == "authentik_policy_expression.p" {
            vec!["update"]
        } else {
            vec!["no-op"]
        };
        assert_eq!(planned_actions(&tf_plan, addr), want, "{addr} after import");
    }
    if let Some(writes) = ctx.apply_logged() {
        assert!(writes.is_empty(), "nothing sent: {writes:#?}");
    }
    ctx.assert_empty_plan("plan after importing everything");

    // Clearing every optional value: the server's defaults, an empty plan after.
    write(&vars, MINIMAL);
    ctx.apply_settled("plan after clearing");
    server_has(
        &ctx,
        "flows/instances",
        &new_slug,
        &json!({"authentication": "none", "layout": "stacked", "background": "", "policy_engine_mode": "any",
                "denied_action": "message_continue", "compatibility_mode": false}),
    );
    server_has(
        &ctx,
        "stages/password",
        &id_of(&ctx, "authentik_stage_password.pw"),
        &json!({"configure_flow": null, "failed_attempts_before_cancel": 5, "allow_show_password": false}),
    );
    server_has(
        &ctx,
        "stages/identification",
        &id_of(&ctx, "authentik_stage_identification.ident"),
        &json!({"password_stage": null, "case_insensitive_matching": true, "show_matched_user": true,
                "pretend_user_exists": true, "show_source_labels": false, "enable_remember_me": false,
                "enrollment_flow": null, "recovery_flow": null, "passwordless_flow": null, "sources": []}),
    );
    server_has(
        &ctx,
        "stages/user_login",
        &id_of(&ctx, "authentik_stage_user_login.login"),
        &json!({"session_duration": "seconds=0", "remember_me_offset": "seconds=0", "remember_device": "days=30",
                "terminate_other_sessions": false, "network_binding": "no_binding", "geoip_binding": "no_binding"}),
    );
    server_has(
        &ctx,
        "stages/deny",
        &id_of(&ctx, "authentik_stage_deny.deny"),
        &json!({"deny_message": ""}),
    );
    server_has(
        &ctx,
        "policies/expression",
        &id_of(&ctx, "authentik_policy_expression.p"),
        &json!({"execution_logging": false}),
    );
    server_has(
        &ctx,
        "flows/bindings",
        &id_of(&ctx, "authentik_flow_stage_binding.b_ident"),
        &json!({"evaluate_on_plan": false, "re_evaluate_policies": true, "policy_engine_mode": "any",
                "invalid_response_action": "retry"}),
    );
    server_has(
        &ctx,
        "policies/bindings",
        &pb,
        &json!({"negate": false, "enabled": true, "timeout": 30, "failure_result": false}),
    );

    // The flow deleted outside Terraform, with its bindings (and the policy binding on one) in
    // state: authentik deletes them with it, so the plan creates all of them again.
    let (status, _) = ctx
        .dbl
        .delete(&format!("/api/v3/flows/instances/{new_slug}/"));
    assert_eq!(status, 204);
    // And one object of every other type deleted too (authentik drops the binding of the
    // logout stage and the policy binding with them).
    for (api, addr) in [
        ("stages/password", "authentik_stage_password.pw"),
        ("stages/user_logout", "authentik_stage_user_logout.logout"),
        ("stages/deny", "authentik_stage_deny.deny"),
        ("policies/expression", "authentik_policy_expression.p"),
    ] {
        let (status, _) = ctx
            .dbl
            .delete(&format!("/api/v3/{api}/{}/", id_of(&ctx, addr)));
        assert_eq!(status, 204, "{addr}");
    }
    let tf_plan = ctx.wd.plan_json();
    for addr in [
        "authentik_stage_password.pw",
        "authentik_stage_user_logout.logout",
        "authentik_stage_deny.deny",
        "authentik_policy_expression.p",
        "authentik_flow.f",
        "authentik_flow_stage_binding.b_ident",
        "authentik_flow_stage_binding.b_login",
        "authentik_flow_stage_binding.b_logout",
        "authentik_policy_binding.pb",
    ] {
        assert_eq!(
            planned_actions(&tf_plan, addr),
            vec!["create"],
            "{addr} after the flow was deleted"
        );
    }
    ctx.wd.apply();
    assert_ne!(uuid_of(&ctx, "authentik_flow.f"), f_uuid);
    ctx.assert_empty_plan("plan after re-creating the flow");

    // Destroy leaves nothing behind.
    destroy_leaves_nothing(&ctx);
}

/// `data "authentik_flow_stage_binding"` on authentik's own default sign-in flow: found by
/// target and stage and by target and order (the same binding), a policy bound to it, the
/// data sources `authentik_flow` and `authentik_stage` finding the new types too; a lookup
/// matching several bindings is an error listing them.
pub fn binding_data_source(v: TfVersion, server: Server) {
    let ctx = Ctx::acceptance_on(v, server);
    let sfx = ctx.sfx.clone();
    let config = format!(
        r#"
data "authentik_flow" "default" {{
  slug = "default-authentication-flow"
}}

data "authentik_stage" "mfa" {{
  name = "default-authentication-mfa-validation"
}}

data "authentik_flow_stage_binding" "by_stage" {{
  target = data.authentik_flow.default.id
  stage  = data.authentik_stage.mfa.id
}}

data "authentik_flow_stage_binding" "by_order" {{
  target = data.authentik_flow.default.id
  order  = 30
}}

resource "authentik_policy_expression" "outside" {{
  name       = "outside-office{sfx}"
  expression = "return True"
}}

resource "authentik_policy_binding" "mfa" {{
  target = data.authentik_flow_stage_binding.by_stage.id
  policy = authentik_policy_expression.outside.id
  order  = 20
}}

resource "authentik_flow" "mine" {{
  name        = "mine{sfx}"
  title       = "Mine"
  slug        = "mine{sfx}"
  designation = "authentication"
}}

resource "authentik_stage_deny" "mine" {{
  name = "deny{sfx}"
}}

data "authentik_flow" "mine" {{
  slug = authentik_flow.mine.slug
}}

data "authentik_stage" "mine" {{
  name = authentik_stage_deny.mine.name
}}

output "same_binding" {{
  value = data.authentik_flow_stage_binding.by_stage.id == data.authentik_flow_stage_binding.by_order.id
}}

output "flow_found" {{
  value = data.authentik_flow.mine.id == authentik_flow.mine.uuid
}}

output "stage_found" {{
  value = data.authentik_stage.mine.id == authentik_stage_deny.mine.id
}}
"#
    );
    ctx.config(&config);
    ctx.apply_settled("plan after binding a policy to a default binding");
    let outputs = ctx.wd.run_ok(&["output", "-json"]).json();
    for o in ["same_binding", "flow_found", "stage_found"] {
        assert_eq!(outputs[o]["value"], json!(true), "{o}: {outputs:#}");
    }
    let binding = ctx.state_values("data.authentik_flow_stage_binding.by_stage");
    assert_eq!(binding["order"], json!(30));
    assert_eq!(binding["evaluate_on_plan"], json!(false));
    let pb = id_of(&ctx, "authentik_policy_binding.mfa");
    let got = ctx.server_stage("policies/bindings", &pb);
    assert_eq!(got["target"], binding["id"], "{got:#}");

    // A flow binding several stages, looked up by the flow alone: an error naming them.
    ctx.config(&format!(
        "{config}\ndata \"authentik_flow_stage_binding\" \"vague\" {{\n  target = data.authentik_flow.default.id\n}}\n"
    ));
    let out = ctx.wd.run(&["plan", "-no-color", "-input=false"]);
    assert_ne!(out.code, 0, "{out}");
    let text = out.combined();
    assert!(
        text.contains("More than one flow stage binding matches"),
        "{text}"
    );
    ctx.config(&config);
    ctx.wd.destroy();
    let (status, _) = ctx.dbl.get(&format!("/api/v3/policies/bindings/{pb}/"));
    assert_eq!(status, 404, "the policy binding is gone after destroy");
}

/// A complete sign-in setup: a sign-in flow (identification with the password on its page, MFA
/// validation offering TOTP, WebAuthn and recovery codes, each with its own setup flow, a
/// built-in login stage bound via `data "authentik_stage"`) whose MFA is conditional on an
/// expression policy, a sign-out flow, and a policy bound to the MFA binding of authentik's
/// default sign-in flow via the binding data source. It applies, re-plans empty, survives
/// drift (shown, repaired) and destroys leaving nothing on the server.
const COMPLETE: &str = r#"
data "authentik_flow" "default_sign_in" {
  slug = "default-authentication-flow"
}

data "authentik_stage" "default_mfa" {
  name = "default-authentication-mfa-validation"
}

data "authentik_flow_stage_binding" "default_mfa" {
  target = data.authentik_flow.default_sign_in.id
  stage  = data.authentik_stage.default_mfa.id
}

data "authentik_stage" "builtin_login" {
  name = "default-authentication-login"
}

resource "authentik_flow" "setup" {
  for_each       = toset(["totp", "webauthn", "recovery"])
  name           = "${each.key} setup{{SFX}}"
  title          = "Set up ${each.key}"
  slug           = "${each.key}-setup{{SFX}}"
  designation    = "stage_configuration"
  authentication = "require_authenticated"
}

resource "authentik_stage_authenticator_totp" "totp" {
  name           = "totp{{SFX}}"
  configure_flow = authentik_flow.setup["totp"].uuid
}

resource "authentik_stage_authenticator_webauthn" "webauthn" {
  name           = "webauthn{{SFX}}"
  configure_flow = authentik_flow.setup["webauthn"].uuid
}

resource "authentik_stage_authenticator_static" "recovery" {
  name           = "recovery{{SFX}}"
  configure_flow = authentik_flow.setup["recovery"].uuid
}

resource "authentik_flow_stage_binding" "setup" {
  for_each = {
    totp     = authentik_stage_authenticator_totp.totp.id
    webauthn = authentik_stage_authenticator_webauthn.webauthn.id
    recovery = authentik_stage_authenticator_static.recovery.id
  }
  target = authentik_flow.setup[each.key].uuid
  stage  = each.value
  order  = 0
}

resource "authentik_flow" "sign_in" {
  name        = "Sign in{{SFX}}"
  title       = "Welcome"
  slug        = "sign-in{{SFX}}"
  designation = "authentication"
}

resource "authentik_stage_password" "password" {
  name     = "password{{SFX}}"
  backends = ["authentik.core.auth.InbuiltBackend"]
}

resource "authentik_stage_identification" "identify" {
  name           = "identify{{SFX}}"
  user_fields    = ["username", "email"]
  password_stage = authentik_stage_password.password.id
}

resource "authentik_stage_authenticator_validate" "mfa" {
  name                  = "mfa{{SFX}}"
  device_classes        = ["totp", "webauthn", "static"]
  not_configured_action = "configure"
  configuration_stages = [
    authentik_stage_authenticator_totp.totp.id,
    authentik_stage_authenticator_webauthn.webauthn.id,
    authentik_stage_authenticator_static.recovery.id,
  ]
}

resource "authentik_flow_stage_binding" "identify" {
  target = authentik_flow.sign_in.uuid
  stage  = authentik_stage_identification.identify.id
  order  = 10
}

resource "authentik_flow_stage_binding" "mfa" {
  target = authentik_flow.sign_in.uuid
  stage  = authentik_stage_authenticator_validate.mfa.id
  order  = 30
}

resource "authentik_flow_stage_binding" "login" {
  target = authentik_flow.sign_in.uuid
  stage  = data.authentik_stage.builtin_login.id
  order  = 100
}

resource "authentik_policy_expression" "outside_office" {
  name       = "outside-office{{SFX}}"
  expression = <<-EOT
    return not ak_client_ip in ip_network("10.0.0.0/8")
  EOT
}

resource "authentik_policy_binding" "mfa_outside_office" {
  target = authentik_flow_stage_binding.mfa.id
  policy = authentik_policy_expression.outside_office.id
  order  = 0
}

resource "authentik_policy_binding" "default_mfa_outside_office" {
  target = data.authentik_flow_stage_binding.default_mfa.id
  policy = authentik_policy_expression.outside_office.id
  order  = 20
}

resource "authentik_flow" "sign_out" {
  name        = "Sign out{{SFX}}"
  title       = "Sign out"
  slug        = "sign-out{{SFX}}"
  designation = "invalidation"
}

resource "authentik_stage_user_logout" "logout" {
  name = "logout{{SFX}}"
}

resource "authentik_flow_stage_binding" "logout" {
  target = authentik_flow.sign_out.uuid
  stage  = authentik_stage_user_logout.logout.id
  order  = 0
}
"#;

/// See [`COMPLETE`].
pub fn complete_sign_in(v: TfVersion, server: Server) {
    let ctx = Ctx::acceptance_on(v, server);
    ctx.config(&fill(COMPLETE, &[("SFX", &ctx.sfx)]));
    ctx.apply_settled("plan after building the sign-in setup");
    let default_binding = ctx.state_values("data.authentik_flow_stage_binding.default_mfa")["id"]
        .as_str()
        .expect("id")
        .to_string();
    let on_default = |ctx: &Ctx| {
        ctx.dbl
            .list_all("/api/v3/policies/bindings/")
            .expect("list")
            .into_iter()
            .filter(|b| b["target"] == json!(default_binding))
            .count()
    };
    assert_eq!(
        on_default(&ctx),
        2,
        "authentik's own policy binding and ours"
    );

    // Drift: the MFA binding moved and our policy binding on the default flow deleted, both
    // behind Terraform's back: shown, and repaired.
    let mfa = id_of(&ctx, "authentik_flow_stage_binding.mfa");
    let (status, body) = ctx.dbl.patch(
        &format!("/api/v3/flows/bindings/{mfa}/"),
        json!({"order": 5}),
    );
    assert_eq!(status, 200, "{body}");
    let ours = id_of(&ctx, "authentik_policy_binding.default_mfa_outside_office");
    let (status, _) = ctx
        .dbl
        .delete(&format!("/api/v3/policies/bindings/{ours}/"));
    assert_eq!(status, 204);
    let tf_plan = ctx.wd.plan_json();
    assert_eq!(
        planned_actions(&tf_plan, "authentik_flow_stage_binding.mfa"),
        vec!["update"]
    );
    assert_eq!(
        planned_actions(
            &tf_plan,
            "authentik_policy_binding.default_mfa_outside_office"
        ),
        vec!["create"]
    );
    ctx.apply_settled("plan after repairing the drift");
    assert_eq!(ctx.server_stage("flows/bindings", &mfa)["order"], json!(30));

    // Destroy leaves nothing of ours, and authentik's own binding as it was.
    destroy_leaves_nothing(&ctx);
    assert_eq!(on_default(&ctx), 1, "authentik's own policy binding stays");
    let (status, _) = ctx
        .dbl
        .get(&format!("/api/v3/flows/bindings/{default_binding}/"));
    assert_eq!(status, 200, "the default binding stays");
}
