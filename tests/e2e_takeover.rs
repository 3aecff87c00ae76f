//! An interrupted create never takes over someone else's stage (issue 14), end to end with real
//! Terraform against the API double dropping half of all connections after handling them.
//!
//! A stage named like the configured one already exists. Whether the server's "name already
//! exists" answer arrives or is lost, the apply must fail with an error that names the existing
//! stage, put nothing in the state, leave that stage untouched (also after a second apply), and
//! never let Terraform report an "inconsistent result". When the existing stage is identical to
//! the configuration it is adopted, with a warning saying so and how to undo it.
//!
//! Also: an apply whose result differs from its plan (a change made outside Terraform between
//! plan and apply) is explained by the provider, not by Terraform's "inconsistent result".

mod e2e;
mod support;

use e2e::Ctx;
use serde_json::{json, Value};
use support::terraform::TfVersion;

const EMAIL: &str = "/stages/authenticator/email/";
/// Seeds of the fault sequence; each starts a fresh double.
const SEEDS: std::ops::Range<u64> = 1..9;

fn faulty(v: TfVersion, seed: u64) -> Ctx {
    let seed = seed.to_string();
    Ctx::new(
        v,
        &[
            "--fault-rate",
            "0.5",
            "--fault-kinds",
            "drop_after",
            "--seed",
            &seed,
        ],
    )
}

/// The double's own record of the stage named `name` (control endpoint: never faulted).
fn stage_named(ctx: &Ctx, name: &str) -> Option<Value> {
    ctx.dbl
        .stages()
        .into_iter()
        .find(|s| s["name"].as_str() == Some(name))
}

/// Creates a stage behind Terraform's back through the faulty API: a dropped answer is fine as
/// long as the stage then exists.
fn create_behind_terraform(ctx: &Ctx, body: Value) -> Value {
    let name = body["name"].as_str().expect("a name").to_string();
    for _ in 0..20 {
        if let Some(s) = stage_named(ctx, &name) {
            return s;
        }
        let _ = ctx.dbl.try_send("POST", EMAIL, Some(&body));
    }
    panic!("could not create {name} through the faulty double");
}

fn managed_ids(ctx: &Ctx) -> Vec<String> {
    let state = ctx.wd.state_json();
    let mut ids = Vec::new();
    if let Some(resources) = state["values"]["root_module"]["resources"].as_array() {
        for r in resources {
            if let Some(id) = r["values"]["id"].as_str() {
                ids.push(id.to_string());
            }
        }
    }
    ids
}

/// Was the create's answer lost in this run (so the provider had to look the name up)?
fn create_answer_lost(ctx: &Ctx) -> bool {
    ctx.dbl
        .requests()
        .iter()
        .any(|r| r["method"] == "POST" && r["fault"] == "drop_after")
}

/// `terraform plan -detailed-exitcode` on the faulty double: a refresh whose every retry was
/// dropped fails the plan, so such runs are repeated (a few times at most).
fn plan_through_faults(ctx: &Ctx) -> i32 {
    for _ in 0..5 {
        let out = ctx
            .wd
            .run(&["plan", "-detailed-exitcode", "-input=false", "-no-color"]);
        if out.code != 1 || !out.combined().contains("connection was closed") {
            return out.code;
        }
    }
    panic!("every plan failed on dropped connections");
}

fn differing_stage_is_never_taken_over(v: TfVersion) {
    let mut lost_answers = 0;
    for seed in SEEDS {
        let ctx = faulty(v, seed);
        let theirs = create_behind_terraform(
            &ctx,
            json!({"name": "victim", "port": 2525, "subject": "Their own subject"}),
        );
        let id = theirs["pk"].as_str().expect("pk").to_string();
        ctx.dbl.clear_requests();
        ctx.config(
            r#"
resource "authentik_stage_authenticator_email" "mine" {
  name = "victim"
}"#,
        );
        for round in 1..=2 {
            let out = ctx.wd.apply_err();
            let text = out.combined();
            let why = format!("seed {seed}, apply {round}:\n{out}");
            assert!(!text.contains("inconsistent result"), "{why}");
            assert!(text.contains("victim"), "the error names the stage: {why}");
            // Either the existing stage is named, or (when every look-up failed as well) the
            // error says plainly that it cannot tell.
            assert!(
                text.contains(&id) || text.contains("Unknown whether"),
                "the error names its UUID: {why}"
            );
            assert!(
                text.contains("terraform import") && text.contains("another `name`"),
                "the error says how to proceed: {why}"
            );
            assert!(
                managed_ids(&ctx).is_empty(),
                "nothing may go into the state: {why}"
            );
            assert_eq!(
                stage_named(&ctx, "victim").as_ref(),
                Some(&theirs),
                "their stage must be unchanged: {why}"
            );
            if create_answer_lost(&ctx) && !text.contains("Unknown whether") {
                lost_answers += 1;
                assert!(
                    text.contains("differs from this configuration")
                        && text.contains("`port`: configured 25, authentik has 2525"),
                    "after a lost answer the error lists what differs: {why}"
                );
            }
            ctx.dbl.clear_requests();
        }
        let writes: Vec<Value> = ctx
            .dbl
            .requests()
            .into_iter()
            .filter(|r| r["method"] != "GET")
            .collect();
        assert!(writes.is_empty(), "seed {seed}: {writes:?}");
    }
    assert!(
        lost_answers > 0,
        "no seed lost a create's answer: the test exercised nothing"
    );
}

fn identical_stage_is_adopted_with_a_warning(v: TfVersion) {
    let (mut adopted, mut refused) = (0, 0);
    for seed in SEEDS {
        let ctx = faulty(v, seed);
        // Every value equal to what the configuration plans (the server's defaults).
        let theirs = create_behind_terraform(&ctx, json!({"name": "twin"}));
        let id = theirs["pk"].as_str().expect("pk").to_string();
        ctx.dbl.clear_requests();
        ctx.config(
            r#"
resource "authentik_stage_authenticator_email" "mine" {
  name = "twin"
}"#,
        );
        let out = ctx
            .wd
            .run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
        let text = out.combined();
        let why = format!("seed {seed}:\n{out}");
        assert!(!text.contains("inconsistent result"), "{why}");
        let lost = create_answer_lost(&ctx);
        if out.success() {
            assert!(lost, "adopted without a lost answer: {why}");
            assert!(
                text.contains("Adopted the existing") && text.contains(&id),
                "the warning names the stage: {why}"
            );
            assert!(
                text.contains("terraform state rm"),
                "the warning says how to undo: {why}"
            );
            assert_eq!(managed_ids(&ctx), vec![id.clone()], "{why}");
            assert_eq!(plan_through_faults(&ctx), 0, "plan after adopting: {why}");
            adopted += 1;
        } else {
            assert!(
                (text.contains(&id) || text.contains("Unknown whether"))
                    && managed_ids(&ctx).is_empty(),
                "{why}"
            );
            refused += 1;
        }
        assert_eq!(stage_named(&ctx, "twin").as_ref(), Some(&theirs), "{why}");
    }
    assert!(adopted > 0, "no seed adopted: the test exercised nothing");
    assert!(refused > 0, "no seed got the plain name clash");
}

/// Between plan and apply someone changes a field the plan does not touch: the PATCH answer
/// holds it, and the provider says so (naming the attribute) instead of Terraform's
/// "inconsistent result"; the state records authentik's value and the next plan repairs it.
fn result_differing_from_plan_is_explained(v: TfVersion) {
    let ctx = Ctx::new(v, &[]);
    let config = |subject: &str| {
        ctx.config(&format!(
            r#"
resource "authentik_stage_authenticator_email" "e" {{
  name    = "e"
  subject = "{subject}"
}}"#
        ))
    };
    config("one");
    ctx.wd.apply();
    let id = ctx.state_values("authentik_stage_authenticator_email.e")["id"]
        .as_str()
        .expect("id")
        .to_string();
    config("two");
    ctx.wd
        .run_ok(&["plan", "-out=tf.plan", "-input=false", "-no-color"]);
    let (status, _) = ctx
        .dbl
        .patch(&format!("{EMAIL}{id}/"), json!({"port": 2626}));
    assert_eq!(status, 200);
    let out = ctx
        .wd
        .run(&["apply", "-input=false", "-no-color", "tf.plan"]);
    out.assert_failure();
    let text = out.combined();
    assert!(!text.contains("inconsistent result"), "{out}");
    assert!(
        text.contains("other values than planned")
            && text.contains("`port`: configured 25, authentik has 2626"),
        "{out}"
    );
    let state = ctx.state_values("authentik_stage_authenticator_email.e");
    assert_eq!(state["port"], 2626, "state records authentik's value");
    assert_eq!(state["subject"], "two", "the planned change was made");
    ctx.wd.apply();
    ctx.assert_empty_plan("after repairing the out-of-band change");
    assert_eq!(
        ctx.server_stage("stages/authenticator/email", &id)["port"],
        25
    );
}

/// Makes an object through the faulty API until a lookup (`find`, a list path whose results
/// are searched for `key` = `value`) shows it.
fn ensure(ctx: &Ctx, post: &str, body: Value, find: &str, key: &str, value: &Value) -> Value {
    for _ in 0..40 {
        if let Ok((200, listed)) = ctx.dbl.try_send("GET", find, None) {
            if let Some(o) = listed["results"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|o| &o[key] == value)
            {
                return o.clone();
            }
        }
        let _ = ctx.dbl.try_send("POST", post, Some(&body));
    }
    panic!("could not create {body} through the faulty double");
}

/// Bindings have no name: their natural key is (target, stage, order). A binding with that key
/// made behind Terraform's back is never taken over when it differs (the error names it and
/// says how to import it), and adopted with a warning when identical.
fn binding_natural_key_is_never_taken_over(v: TfVersion) {
    let (mut refused, mut adopted, mut lost_answers) = (0, 0, 0);
    for seed in SEEDS {
        let ctx = faulty(v, seed);
        let flow = ensure(
            &ctx,
            "/api/v3/flows/instances/",
            json!({"name": "f", "slug": "f", "title": "f", "designation": "authentication"}),
            "/api/v3/flows/instances/?slug=f",
            "slug",
            &json!("f"),
        );
        let stage = ensure(
            &ctx,
            "/api/v3/stages/deny/",
            json!({"name": "d"}),
            "/api/v3/stages/deny/?name=d",
            "name",
            &json!("d"),
        );
        let (flow, stage) = (
            flow["pk"].as_str().expect("pk").to_string(),
            stage["pk"].as_str().expect("pk").to_string(),
        );
        // Theirs differs from the configuration (flags flipped) on odd seeds only.
        let differs = seed % 2 == 1;
        let theirs = ensure(
            &ctx,
            "/api/v3/flows/bindings/",
            json!({"target": flow, "stage": stage, "order": 10,
                   "evaluate_on_plan": differs, "re_evaluate_policies": !differs}),
            &format!("/api/v3/flows/bindings/?target={flow}"),
            "order",
            &json!(10),
        );
        let id = theirs["pk"].as_str().expect("pk").to_string();
        ctx.dbl.clear_requests();
        ctx.config(&format!(
            r#"
resource "authentik_flow_stage_binding" "mine" {{
  target = "{flow}"
  stage  = "{stage}"
  order  = 10
}}"#
        ));
        let out = ctx
            .wd
            .run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
        let text = out.combined();
        let why = format!("seed {seed}:\n{out}");
        assert!(!text.contains("inconsistent result"), "{why}");
        if create_answer_lost(&ctx) {
            lost_answers += 1;
        }
        if out.success() {
            assert!(!differs, "a differing binding was taken over: {why}");
            assert!(
                create_answer_lost(&ctx),
                "adopted without a lost answer: {why}"
            );
            assert!(
                text.contains("Adopted the existing") && text.contains(&id),
                "{why}"
            );
            assert_eq!(managed_ids(&ctx), vec![id.clone()], "{why}");
            adopted += 1;
        } else {
            assert!(
                text.contains(&id) || text.contains("Unknown whether"),
                "the error names the existing binding: {why}"
            );
            assert!(
                text.contains("terraform import") && text.contains("`order`"),
                "the error says how to proceed: {why}"
            );
            assert!(managed_ids(&ctx).is_empty(), "{why}");
            refused += 1;
        }
        let (status, now) = ctx
            .dbl
            .try_send("GET", &format!("/api/v3/flows/bindings/{id}/"), None)
            .unwrap_or((0, Value::Null));
        if status == 200 {
            assert_eq!(
                now["evaluate_on_plan"],
                json!(differs),
                "theirs untouched: {why}"
            );
        }
    }
    eprintln!("bindings: {refused} refused, {adopted} adopted, {lost_answers} answers lost");
    assert!(refused > 0, "no seed refused");
    assert!(
        adopted > 0,
        "no seed adopted: the identical case exercised nothing"
    );
}

per_version!(
    binding_natural_key_is_never_taken_over,
    differing_stage_is_never_taken_over,
    identical_stage_is_adopted_with_a_warning,
    result_differing_from_plan_is_explained
);
