//! Bringing an existing authentik under Terraform, on Terraform 1.15.5 against the API double:
//! `terraform query -generate-config-out` with the example in `examples/adopt/` adopts every
//! stage of every type (built-ins and stages made behind Terraform's back, more than one API
//! page of one type), imports by identity (any spelling), and `list` blocks with `name`,
//! `search`, `limit` and `include_resource`.

mod e2e;
mod support;

use e2e::{Ctx, HEADER};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use support::terraform::{repo_root, TfVersion};
use terraform_provider_authentik::resources;

/// Every stage of one typed collection, by UUID, as the server lists it.
fn server_ids(ctx: &Ctx, api_path: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let mut page = 1;
    loop {
        let (status, body) = ctx
            .dbl
            .get(&format!("/api/v3/{api_path}/?page={page}&page_size=100"));
        assert_eq!(status, 200, "{api_path}: {body}");
        for s in body["results"].as_array().expect("results") {
            ids.insert(s["pk"].as_str().expect("pk").to_string());
        }
        match body["pagination"]["next"].as_u64() {
            Some(n) if n > page => page = n,
            _ => return ids,
        }
    }
}

/// Every stage the provider can manage, by resource type.
fn every_stage(ctx: &Ctx) -> BTreeMap<&'static str, BTreeSet<String>> {
    resources::ALL
        .iter()
        .map(|d| (d.type_name, server_ids(ctx, d.api_path)))
        .collect()
}

#[track_caller]
fn post(ctx: &Ctx, api_path: &str, body: Value) -> String {
    let (status, made) = ctx.dbl.post(&format!("/api/v3/{api_path}/"), body);
    assert_eq!(status, 201, "{api_path}: {made}");
    made["pk"].as_str().expect("pk").to_string()
}

/// The import blocks of a generated file: (resource address, identity id).
fn imports(generated: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut to = None;
    let value = |line: &str, key: &str| {
        let (k, v) = line.split_once('=')?;
        (k.trim() == key).then(|| v.trim().trim_matches('"').to_string())
    };
    for line in generated.lines() {
        if let Some(addr) = value(line, "to") {
            to = Some(addr);
        } else if let Some(id) = value(line, "id") {
            if let Some(addr) = to.take() {
                out.push((addr, id));
            }
        }
    }
    out
}

/// The lines of the generated resource block that has `name = "<stage>"`.
fn block<'a>(generated: &'a str, stage: &str) -> Vec<&'a str> {
    let mut current: Vec<&str> = Vec::new();
    for line in generated.lines() {
        if line.starts_with("resource ") {
            current.clear();
        }
        current.push(line);
        if line == "}" && current.first().is_some_and(|l| l.starts_with("resource ")) {
            let named = current.iter().any(|l| {
                let t = l.trim();
                t.starts_with("name ") && t.ends_with(&format!("= \"{stage}\""))
            });
            if named {
                return current;
            }
        }
    }
    panic!("no generated resource block for {stage:?} in\n{generated}");
}

/// Review step: in the block of `stage`, replace the line of `attr` by `attr = value`, or add
/// it.
fn set_attr(generated: &str, stage: &str, attr: &str, value: &str) -> String {
    let lines = block(generated, stage);
    let old = lines.join("\n");
    let mut new: Vec<String> = lines
        .iter()
        .filter(|l| {
            let t = l.trim();
            !(t.starts_with(&format!("{attr} ")) || t.starts_with(&format!("{attr}=")))
        })
        .map(|l| l.to_string())
        .collect();
    let end = new.len() - 1;
    new.insert(end, format!("  {attr} = {value}"));
    assert!(generated.contains(&old));
    generated.replacen(&old, &new.join("\n"), 1)
}

/// The adoption the guide describes, with the example it uses: a fresh authentik's built-in
/// stages plus stages of every type made behind Terraform's back (SMS and Duo with their
/// secrets, 120 static ones: more than an API page) come out of `terraform query
/// -generate-config-out` as one resource and one import block each, without secrets; a plain
/// apply of that imports every stage exactly once and writes nothing (optional secrets with
/// non-default values, SMS `auth_password` and the email stage's `password`, included: left out,
/// they are not managed), the secrets on the server are unchanged, the next plan is empty and
/// `terraform state identities` lists every stage by its UUID. Setting SMS `auth` afterwards is
/// one change and one PATCH carrying it. Optional secrets: set (or cleared with `""`) they are
/// sent once each; drift the server shows is planned back while set, refreshed into state
/// without a diff while left out; removing them from the configuration sends nothing.
#[test]
fn adopt_an_existing_authentik() {
    let ctx = Ctx::new(TfVersion::V1_15_5, &[]);
    let builtin = every_stage(&ctx);
    assert!(
        builtin.values().map(BTreeSet::len).sum::<usize>() >= 4,
        "a fresh authentik has built-in stages: {builtin:?}"
    );
    let (_, totp_builtin) = ctx
        .dbl
        .get("/api/v3/stages/authenticator/totp/?name=default-authenticator-totp-setup");
    let totp_builtin = totp_builtin["results"][0]["pk"]
        .as_str()
        .expect("built-in TOTP stage")
        .to_string();
    let flow = ctx.flow("adopt-configure");

    post(
        &ctx,
        "stages/authenticator/sms",
        json!({"name": "sms-twilio", "provider": "twilio",
        "from_number": "+15550001", "account_sid": "AC123", "auth": "twilio-token"}),
    );
    post(
        &ctx,
        "stages/authenticator/sms",
        json!({"name": "sms-generic", "provider": "generic",
        "from_number": "authentik", "account_sid": "https://sms.example.com/send", "auth": "sms-user",
        "auth_password": "sms-password", "verify_only": true, "configure_flow": flow}),
    );
    post(
        &ctx,
        "stages/authenticator/email",
        json!({"name": "email-otp", "host": "smtp.example.com",
        "port": 587, "use_tls": true, "username": "mailer", "password": "smtp-password",
        "subject": "Your code", "from_address": "auth@example.com"}),
    );
    post(
        &ctx,
        "stages/authenticator/email",
        json!({"name": "email-defaults"}),
    );
    post(
        &ctx,
        "stages/authenticator/validate",
        json!({"name": "validate-strict",
        "not_configured_action": "configure", "configuration_stages": [totp_builtin],
        "device_classes": ["totp", "webauthn"], "last_auth_threshold": "hours=12"}),
    );
    post(
        &ctx,
        "stages/authenticator/totp",
        json!({"name": "totp-eight", "digits": 8, "friendly_name": "Eight"}),
    );
    post(
        &ctx,
        "stages/authenticator/webauthn",
        json!({"name": "webauthn-keys", "user_verification": "required",
        "device_type_restrictions": ["00000000-0000-0000-0000-000000000000"], "max_attempts": 3}),
    );
    post(
        &ctx,
        "stages/authenticator/duo",
        json!({"name": "duo-push", "client_id": "DIAUTH",
        "client_secret": "duo-client-secret", "api_hostname": "api-1.duosecurity.com",
        "admin_integration_key": "DIADMIN", "admin_secret_key": "duo-admin-secret"}),
    );
    for n in 0..120 {
        post(
            &ctx,
            "stages/authenticator/static",
            json!({"name": format!("static-{n:03}"),
            "token_count": 1 + n % 10, "token_length": 12 + n % 3}),
        );
    }
    let stages = every_stage(&ctx);
    let total: usize = stages.values().map(BTreeSet::len).sum();
    assert!(stages["authentik_stage_authenticator_static"].len() > 100);
    let secrets = [
        "twilio-token",
        "sms-user",
        "sms-password",
        "smtp-password",
        "duo-client-secret",
        "duo-admin-secret",
    ];

    // The example, as a user copies it.
    let example = repo_root().join("examples/adopt");
    for file in ["main.tf", "adopt.tfquery.hcl"] {
        let text = std::fs::read_to_string(example.join(file)).expect("example file");
        ctx.wd.write(file, &text);
    }
    ctx.dbl.clear_requests();
    let query = ctx
        .wd
        .run_ok(&["query", "-no-color", "-generate-config-out=generated.tf"]);
    let generated = ctx.wd.read("generated.tf");
    for s in secrets {
        assert!(
            !generated.contains(s) && !query.combined().contains(s),
            "secret {s:?} leaked into the generated configuration or the query output"
        );
    }

    // One import block per stage, by identity, each stage exactly once.
    let found = imports(&generated);
    assert_eq!(found.len(), total, "{generated}");
    let mut by_type: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (addr, id) in &found {
        let ty = addr.split('.').next().expect("type");
        let def = resources::ALL
            .iter()
            .find(|d| d.type_name == ty)
            .unwrap_or_else(|| panic!("unknown type in {addr}"));
        assert!(
            by_type.entry(def.type_name).or_default().insert(id.clone()),
            "{id} imported twice"
        );
    }
    for (ty, ids) in &stages {
        assert_eq!(by_type.get(ty).cloned().unwrap_or_default(), *ids, "{ty}");
    }

    // Minimal blocks: what differs from the defaults, nothing else of value.
    let defaults = block(&generated, "email-defaults").join("\n");
    for attr in [
        "host",
        "port",
        "subject",
        "timeout",
        "from_address",
        "use_tls",
        "friendly_name",
    ] {
        assert!(
            !defaults.contains(&format!("  {attr} ")),
            "{attr} equals its default and is left out:\n{defaults}"
        );
    }
    let email = block(&generated, "email-otp").join("\n");
    for want in [
        "587",
        "smtp.example.com",
        "auth@example.com",
        "mailer",
        "Your code",
    ] {
        assert!(email.contains(want), "{want} missing:\n{email}");
    }
    let validate = block(&generated, "validate-strict").join("\n");
    assert!(
        validate.contains(&totp_builtin) && validate.contains("hours=12"),
        "{validate}"
    );
    let builtin_totp = block(&generated, "default-authenticator-totp-setup").join("\n");
    assert!(builtin_totp.contains("TOTP Device"), "{builtin_totp}");
    // Secrets are left out, required-to-create and optional ones alike: the stages are
    // adopted without them.
    for (stage, attr) in [
        ("sms-twilio", "auth"),
        ("sms-generic", "auth"),
        ("sms-generic", "auth_password"),
        ("email-otp", "password"),
        ("duo-push", "client_secret"),
        ("duo-push", "admin_secret_key"),
    ] {
        let lines = block(&generated, stage);
        assert!(
            !lines.iter().any(|l| {
                let t = l.trim();
                t.starts_with(&format!("{attr} ")) || t.starts_with(&format!("{attr}="))
            }),
            "{stage}: `{attr}` is not in generated configuration:\n{}",
            lines.join("\n")
        );
    }

    // A plain apply of what was generated: imports only, nothing written.
    ctx.dbl.clear_requests();
    let applied = ctx.wd.apply();
    applied.assert_contains(&format!(
        "Resources: {total} imported, 0 added, 0 changed, 0 destroyed."
    ));
    let warnings: Vec<String> = applied
        .combined()
        .lines()
        .filter(|l| l.starts_with("Warning:") && !l.contains("development overrides"))
        .map(str::to_string)
        .collect();
    assert!(warnings.is_empty(), "nothing to warn about: {warnings:?}");
    assert!(
        ctx.writes().is_empty(),
        "an import writes nothing: {:#?}",
        ctx.writes()
    );
    assert_eq!(every_stage(&ctx), stages, "no stage created or deleted");
    let on_server = |name: &str| {
        ctx.dbl
            .stages()
            .into_iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("{name} on the server"))
    };
    let duo = on_server("duo-push");
    assert_eq!(duo["client_secret"], "duo-client-secret", "left alone");
    assert_eq!(duo["admin_secret_key"], "duo-admin-secret", "left alone");
    assert_eq!(
        on_server("sms-twilio")["auth"],
        "twilio-token",
        "left alone"
    );
    let generic = on_server("sms-generic");
    assert_eq!(generic["auth"], "sms-user", "left alone");
    assert_eq!(generic["auth_password"], "sms-password", "left alone");
    assert_eq!(
        on_server("email-otp")["password"],
        "smtp-password",
        "left alone"
    );
    ctx.assert_empty_plan("after adopting everything");
    let identities = ctx.wd.run_ok(&["state", "identities", "-json"]).json();
    let identities = identities.as_object().expect("identities by address");
    assert_eq!(identities.len(), total);
    let mut listed: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (addr, identity) in identities {
        let ty = addr.split('.').next().expect("type");
        let id = identity["id"].as_str().expect("id");
        assert_eq!(id, id.to_lowercase(), "canonical spelling");
        let def = resources::ALL
            .iter()
            .find(|d| d.type_name == ty)
            .expect("known type");
        listed
            .entry(def.type_name)
            .or_default()
            .insert(id.to_string());
    }
    for (ty, ids) in &stages {
        assert_eq!(listed.get(ty).cloned().unwrap_or_default(), *ids, "{ty}");
    }

    // Taking a secret under management later: one change, one PATCH carrying it.
    let twilio_id = on_server("sms-twilio")["pk"]
        .as_str()
        .expect("pk")
        .to_string();
    let managed = set_attr(&generated, "sms-twilio", "auth", "\"rotated-token\"");
    ctx.wd.write("generated.tf", &managed);
    let plan = ctx.wd.plan_json();
    let changed: Vec<&Value> = plan["resource_changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter(|c| c["change"]["actions"] != json!(["no-op"]))
        .collect();
    assert_eq!(changed.len(), 1, "{changed:#?}");
    assert_eq!(changed[0]["change"]["actions"], json!(["update"]));
    assert_eq!(
        changed[0]["change"]["after"]["name"], "sms-twilio",
        "{:#}",
        changed[0]
    );
    ctx.dbl.clear_requests();
    ctx.wd
        .apply()
        .assert_contains("Resources: 0 added, 1 changed, 0 destroyed.");
    let writes = ctx.writes();
    assert_eq!(writes.len(), 1, "{writes:#?}");
    assert_eq!(writes[0]["method"], "PATCH");
    assert_eq!(
        writes[0]["path"],
        format!("/api/v3/stages/authenticator/sms/{twilio_id}/")
    );
    assert_eq!(writes[0]["body"], json!({"auth": "rotated-token"}));
    assert_eq!(on_server("sms-twilio")["auth"], "rotated-token");

    // Optional secrets: setting one sends it, `""` clears one; one PATCH each, just that.
    let address = |id: &str| {
        found
            .iter()
            .find(|(_, i)| i == id)
            .map(|(a, _)| a.clone())
            .unwrap_or_else(|| panic!("{id} in the generated import blocks"))
    };
    let email_id = on_server("email-otp")["pk"]
        .as_str()
        .expect("pk")
        .to_string();
    let generic_id = on_server("sms-generic")["pk"]
        .as_str()
        .expect("pk")
        .to_string();
    let mut both = set_attr(&managed, "email-otp", "password", "\"\"");
    both = set_attr(
        &both,
        "sms-generic",
        "auth_password",
        "\"sms-new-password\"",
    );
    ctx.wd.write("generated.tf", &both);
    ctx.dbl.clear_requests();
    ctx.wd
        .apply()
        .assert_contains("Resources: 0 added, 2 changed, 0 destroyed.");
    let mut writes: Vec<(String, Value)> = ctx
        .writes()
        .iter()
        .map(|w| {
            assert_eq!(w["method"], "PATCH", "{w:#}");
            (
                w["path"].as_str().expect("path").to_string(),
                w["body"].clone(),
            )
        })
        .collect();
    writes.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        writes,
        [
            (
                format!("/api/v3/stages/authenticator/email/{email_id}/"),
                json!({"password": ""})
            ),
            (
                format!("/api/v3/stages/authenticator/sms/{generic_id}/"),
                json!({"auth_password": "sms-new-password"})
            ),
        ]
    );
    assert_eq!(on_server("email-otp")["password"], "");
    assert_eq!(
        on_server("sms-generic")["auth_password"],
        "sms-new-password"
    );

    // Drift the server shows, while the configuration sets the secret: planned back (plans
    // hide the values).
    let (status, body) = ctx.dbl.patch(
        &format!("/api/v3/stages/authenticator/email/{email_id}/"),
        json!({"password": "smtp-rotated"}),
    );
    assert_eq!(status, 200, "{body}");
    let repair = ctx
        .wd
        .run(&["plan", "-no-color", "-input=false", "-detailed-exitcode"]);
    assert_eq!(repair.code, 2, "{repair}");
    repair.assert_contains("Plan: 0 to add, 1 to change, 0 to destroy.");
    assert!(!repair.combined().contains("smtp-rotated"), "{repair}");

    // Both removed from the configuration again: not managed, so no change (the drift
    // included) and nothing sent; a refresh takes the server's value into state.
    ctx.wd.write("generated.tf", &managed);
    ctx.dbl.clear_requests();
    ctx.assert_empty_plan("secrets removed from the configuration");
    ctx.wd.run_ok(&[
        "apply",
        "-refresh-only",
        "-auto-approve",
        "-no-color",
        "-input=false",
    ]);
    assert!(ctx.writes().is_empty(), "{:#?}", ctx.writes());
    assert_eq!(
        ctx.state_values(&address(&email_id))["password"],
        "smtp-rotated"
    );
    assert_eq!(on_server("email-otp")["password"], "smtp-rotated");
    assert_eq!(
        on_server("sms-generic")["auth_password"],
        "sms-new-password"
    );
}

/// `import { identity = { id = "<UPPER-CASE UUID>" } }`: imported, then a clean plan, and the
/// identity in state is authentik's spelling.
#[test]
fn import_by_identity_in_any_spelling() {
    let ctx = Ctx::new(TfVersion::V1_15_5, &[]);
    let (_, found) = ctx
        .dbl
        .get("/api/v3/stages/authenticator/validate/?name=default-authentication-mfa-validation");
    let pk = found["results"][0]["pk"]
        .as_str()
        .expect("built-in validation stage")
        .to_string();
    ctx.config(&format!(
        r#"
import {{
  to       = authentik_stage_authenticator_validate.mfa
  identity = {{ id = "{}" }}
}}

resource "authentik_stage_authenticator_validate" "mfa" {{
  name = "default-authentication-mfa-validation"
}}
"#,
        pk.to_uppercase()
    ));
    let plan = ctx.wd.plan_json();
    let changes = plan["resource_changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 1);
    assert_eq!(
        changes[0]["change"]["actions"],
        json!(["no-op"]),
        "{plan:#}"
    );
    assert!(changes[0]["change"]["importing"].is_object());
    ctx.dbl.clear_requests();
    ctx.wd
        .apply()
        .assert_contains("Resources: 1 imported, 0 added, 0 changed, 0 destroyed.");
    assert!(ctx.writes().is_empty());
    ctx.assert_empty_plan("after importing by identity");
    let identities = ctx.wd.run_ok(&["state", "identities", "-json"]).json();
    assert_eq!(
        identities["authentik_stage_authenticator_validate.mfa"]["id"],
        json!(pk)
    );
    assert_eq!(
        ctx.state_values("authentik_stage_authenticator_validate.mfa")["id"],
        json!(pk)
    );
    // Not a UUID: refused with a message that says what an identity is.
    ctx.config(
        r#"
import {
  to       = authentik_stage_authenticator_totp.t
  identity = { id = "default-authenticator-totp-setup" }
}

resource "authentik_stage_authenticator_totp" "t" {
  name = "default-authenticator-totp-setup"
}
"#,
    );
    ctx.wd
        .run(&["plan", "-no-color", "-input=false"])
        .assert_failure()
        .assert_contains("not a UUID");
}

/// The `list_resource_found` and `list_complete` events of `terraform query -json`, by list
/// block address.
fn query_json(ctx: &Ctx) -> (BTreeMap<String, Vec<Value>>, BTreeMap<String, u64>) {
    let out = ctx.wd.run_ok(&["query", "-json"]);
    let mut found: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    let mut totals = BTreeMap::new();
    for line in out.stdout.lines() {
        let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        match v["type"].as_str() {
            Some("list_resource_found") => {
                let r = &v["list_resource_found"];
                found
                    .entry(r["address"].as_str().expect("address").to_string())
                    .or_default()
                    .push(r.clone());
            }
            Some("list_complete") => {
                let r = &v["list_complete"];
                totals.insert(
                    r["address"].as_str().expect("address").to_string(),
                    r["total"].as_u64().expect("total"),
                );
            }
            _ => {}
        }
    }
    (found, totals)
}

fn display_names(found: &BTreeMap<String, Vec<Value>>, addr: &str) -> Vec<String> {
    found
        .get(addr)
        .map(|rs| {
            rs.iter()
                .map(|r| r["display_name"].as_str().expect("name").to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Terraform 1.0.3: `terraform import` of an SMS stage into a configuration without `auth`
/// plans no change (the secret is needed only to create); creating one without it fails at
/// plan, naming it, before anything is written.
#[test]
fn import_without_the_secret_needed_to_create() {
    let ctx = Ctx::new(TfVersion::V1_0_3, &[]);
    let id = post(
        &ctx,
        "stages/authenticator/sms",
        json!({"name": "sms-old", "provider": "twilio",
        "from_number": "+15550002", "account_sid": "AC77", "auth": "old-token"}),
    );
    let adopted = r#"
resource "authentik_stage_authenticator_sms" "adopted" {
  name         = "sms-old"
  from_number  = "+15550002"
  account_sid  = "AC77"
}
"#;
    ctx.config(adopted);
    ctx.dbl.clear_requests();
    ctx.wd.run_ok(&[
        "import",
        "-no-color",
        "-input=false",
        "authentik_stage_authenticator_sms.adopted",
        &id,
    ]);
    ctx.assert_empty_plan("imported without `auth`");
    assert!(ctx.writes().is_empty(), "{:#?}", ctx.writes());

    ctx.config(&format!(
        r#"{adopted}
resource "authentik_stage_authenticator_sms" "fresh" {{
  name        = "sms-new"
  from_number = "+15550003"
  account_sid = "AC78"
}}
"#
    ));
    let refused = ctx.wd.run(&["plan", "-no-color", "-input=false"]);
    assert_eq!(refused.code, 1, "{refused}");
    refused
        .assert_contains("Missing `auth`")
        .assert_contains("authentik_stage_authenticator_sms.fresh")
        .assert_contains("set `auth`");
    assert_eq!(
        refused.combined().matches("Missing `auth`").count(),
        1,
        "only the create is refused: {refused}"
    );
    assert!(ctx.writes().is_empty(), "{:#?}", ctx.writes());
}

/// `list` blocks: `name` (exact), `search` (any case), `limit` and `include_resource = true`
/// (the object, without its secrets), each result with the stage's identity and name; a
/// wrong token fails the query with a message about the token.
#[test]
fn list_blocks_find_what_they_should() {
    let ctx = Ctx::new(TfVersion::V1_15_5, &[]);
    let mut ids = BTreeMap::new();
    for name in ["team-a-one", "team-a-two", "team-a-three", "team-b-one"] {
        let pk = post(
            &ctx,
            "stages/authenticator/totp",
            json!({"name": name, "digits": 8}),
        );
        ids.insert(name.to_string(), pk);
    }
    post(
        &ctx,
        "stages/authenticator/sms",
        json!({"name": "sms-secretive", "provider": "twilio",
        "from_number": "+1555", "account_sid": "AC9", "auth": "listed-secret"}),
    );
    ctx.wd.write("main.tf", HEADER);
    ctx.wd.write(
        "lists.tfquery.hcl",
        r#"
list "authentik_stage_authenticator_totp" "exact" {
  provider = authentik
  config {
    name = "team-a-two"
  }
}

list "authentik_stage_authenticator_totp" "search" {
  provider = authentik
  config {
    search = "TEAM-A"
  }
}

list "authentik_stage_authenticator_totp" "limited" {
  provider = authentik
  limit    = 2
}

list "authentik_stage_authenticator_sms" "objects" {
  provider         = authentik
  include_resource = true
}
"#,
    );
    let (found, totals) = query_json(&ctx);
    let exact = "list.authentik_stage_authenticator_totp.exact";
    assert_eq!(display_names(&found, exact), ["team-a-two"]);
    assert_eq!(
        found[exact][0]["identity"],
        json!({"id": ids["team-a-two"]})
    );
    assert!(
        found[exact][0]["resource_object"].is_null(),
        "not asked for"
    );
    let mut searched = display_names(&found, "list.authentik_stage_authenticator_totp.search");
    searched.sort();
    assert_eq!(searched, ["team-a-one", "team-a-three", "team-a-two"]);
    assert_eq!(totals["list.authentik_stage_authenticator_totp.limited"], 2);
    assert_eq!(
        display_names(&found, "list.authentik_stage_authenticator_totp.limited").len(),
        2
    );
    let objects = &found["list.authentik_stage_authenticator_sms.objects"];
    assert_eq!(objects.len(), 1);
    let object = &objects[0]["resource_object"];
    assert_eq!(object["name"], "sms-secretive");
    assert_eq!(object["account_sid"], "AC9");
    assert!(
        object["auth"].is_null(),
        "no secrets in listed objects: {object}"
    );

    let mut wrong = Ctx::new(TfVersion::V1_15_5, &[]);
    wrong.wd.env("AUTHENTIK_TOKEN", "wrong-token");
    wrong.wd.write("main.tf", HEADER);
    wrong.wd.write(
        "lists.tfquery.hcl",
        "list \"authentik_stage_authenticator_totp\" \"all\" {\n  provider = authentik\n}\n",
    );
    let out = wrong.wd.run(&["query", "-no-color"]);
    out.assert_failure().assert_contains("403");
    assert!(!out.combined().contains("wrong-token"));
}
