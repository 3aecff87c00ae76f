//! Points of `server-behaviour-flows.md` the recorded exchanges (`tests/replay.rs`) do not
//! exercise: list ordering of bindings, the `used_by` of the flow-building objects, the prompt
//! preview, the built-in policy bindings, and release 2025.12.

mod common;

use common::{pk, Api};
use serde_json::{json, Value};

const BINDINGS: &str = "/flows/bindings/";

fn names(list: &Value) -> Vec<String> {
    list["results"]
        .as_array()
        .map(|r| {
            r.iter()
                .map(|b| b["stage_obj"]["name"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn bindings_order_by_order_then_by_the_asked_keys() {
    let api = Api::start(&[]);
    let flow = common::make_flow(&api, "ordered");
    let mut stages = Vec::new();
    for (name, order) in [("b-deny", 10), ("a-deny", 20), ("c-deny", 5)] {
        let stage = api.create("/stages/deny/", json!({"name": name}));
        api.create(
            BINDINGS,
            json!({"target": flow["pk"], "stage": pk(&stage), "order": order}),
        );
        stages.push(stage);
    }
    let target = format!("{BINDINGS}?target={}", pk(&flow));
    assert_eq!(
        names(&api.get(&target).1),
        ["c-deny", "b-deny", "a-deny"],
        "order, then pk"
    );
    assert_eq!(
        names(&api.get(&format!("{target}&ordering=stage__name")).1),
        ["a-deny", "b-deny", "c-deny"]
    );
    assert_eq!(
        names(&api.get(&format!("{target}&ordering=-order")).1),
        ["a-deny", "b-deny", "c-deny"]
    );
    let listed = api.get(&target).1;
    assert!(
        listed["results"][0].get("stage__name").is_none(),
        "ordering keys are not shown: {listed}"
    );
}

#[test]
fn used_by_of_bindings_policies_and_prompts() {
    let api = Api::start(&[]);
    let flow = common::make_flow(&api, "used");
    let deny = api.create("/stages/deny/", json!({"name": "d"}));
    let binding = api.create(
        BINDINGS,
        json!({"target": flow["pk"], "stage": pk(&deny), "order": 1}),
    );
    let policy = api.create(
        "/policies/expression/",
        json!({"name": "pol", "expression": "return True"}),
    );
    let on_binding = api.create(
        "/policies/bindings/",
        json!({"target": pk(&binding), "policy": pk(&policy), "order": 0}),
    );
    let prompt = api.create(
        "/stages/prompt/prompts/",
        json!({"name": "p", "field_key": "p", "label": "P", "type": "text"}),
    );
    let stage = api.create(
        "/stages/prompt/stages/",
        json!({"name": "ask", "fields": [pk(&prompt)], "validation_policies": [pk(&policy)]}),
    );

    let (_, users) = api.get(&format!("{BINDINGS}{}/used_by/", pk(&binding)));
    assert_eq!(users.as_array().map(Vec::len), Some(1), "{users}");
    assert_eq!(users[0]["pk"], on_binding["pk"]);
    assert_eq!(users[0]["action"], "cascade");

    let (_, users) = api.get(&format!("/policies/expression/{}/used_by/", pk(&policy)));
    let kinds: Vec<&str> = users
        .as_array()
        .map(|u| u.iter().filter_map(|e| e["model_name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(kinds, ["policybinding", "promptstage"], "{users}");
    assert_eq!(
        api.get(&format!("/policies/expression/{}/", pk(&policy))).1["bound_to"],
        2
    );

    let (_, users) = api.get(&format!("/stages/prompt/prompts/{}/used_by/", pk(&prompt)));
    assert_eq!(users[0]["pk"], stage["pk"], "{users}");
    assert_eq!(users[0]["name"], "Stage ask");
    let (_, prompt_now) = api.get(&format!("/stages/prompt/prompts/{}/", pk(&prompt)));
    assert_eq!(prompt_now["prompt_stages_obj"][0]["name"], "ask");

    // Deleting the flow takes its binding and the policy binding on it.
    assert_eq!(api.delete("/flows/instances/used/").0, 204);
    assert_eq!(
        api.get(&format!("/policies/bindings/{}/", pk(&on_binding)))
            .0,
        404
    );
    assert_eq!(api.get(&format!("{BINDINGS}{}/", pk(&binding))).0, 404);
}

#[test]
fn the_prompt_preview_validates_and_echoes_the_field() {
    let api = Api::start(&[]);
    let (status, challenge) = api.post(
        "/stages/prompt/prompts/preview/",
        json!({"name": "x", "field_key": "email", "label": "Email", "type": "email", "placeholder": "you@example.com"}),
    );
    assert_eq!(status, 200, "{challenge}");
    assert_eq!(challenge["component"], "ak-stage-prompt");
    assert_eq!(challenge["fields"][0]["placeholder"], "you@example.com");
    assert_eq!(challenge["fields"][0]["required"], true);
    api.rejects(
        "POST",
        "/stages/prompt/prompts/preview/",
        json!({"name": "x", "field_key": "k", "label": "L", "type": "bogus"}),
        json!({"type": ["\"bogus\" is not a valid choice."]}),
    );
    // Nothing is stored.
    let (_, list) = api.get("/stages/prompt/prompts/?name=x");
    assert_eq!(list["pagination"]["count"], 0);
}

#[test]
fn a_fresh_install_binds_its_expression_policies() {
    let api = Api::start(&[]);
    let (_, flow) = api.get("/flows/instances/default-source-authentication/");
    assert_eq!(flow["policies"].as_array().map(Vec::len), Some(1), "{flow}");
    let (_, flow) = api.get("/flows/instances/default-authentication-flow/");
    assert_eq!(flow["policies"], json!([]));
    let (_, bindings) = api.get(&format!("{BINDINGS}?target={}", pk(&flow)));
    let orders: Vec<i64> = bindings["results"]
        .as_array()
        .map(|r| r.iter().filter_map(|b| b["order"].as_i64()).collect())
        .unwrap_or_default();
    assert_eq!(orders, [10, 20, 30, 100]);
    for (binding, policy) in [
        (1, "default-authentication-flow-password-stage"),
        (
            2,
            "default-authentication-flow-authenticator-validate-stage",
        ),
    ] {
        let (status, on_it) = api.get(&format!(
            "/policies/bindings/?target={}",
            bindings["results"][binding]["policybindingmodel_ptr_id"]
                .as_str()
                .unwrap_or("")
        ));
        assert_eq!(status, 200, "{on_it}");
        assert_eq!(on_it["results"][0]["policy_obj"]["name"], policy);
        assert_eq!(on_it["results"][0]["failure_result"], true);
    }
    // Not in the API facts: unchecked.
    let (_, source) = api.double.get("/sources/all/?slug=authentik-built-in");
    assert_eq!(source["results"][0]["name"], "authentik Built-in");
}

#[test]
fn release_2025_12_lacks_the_frame_background_layouts() {
    for (version, status) in [("2025.12", 400), ("2026.2", 200), ("2026.5", 200)] {
        let api = Api::start(&["--version", version]);
        common::make_flow(&api, "layout");
        let (got, body) = api.patch(
            "/flows/instances/layout/",
            json!({"layout": "sidebar_right_frame_background"}),
        );
        assert_eq!(got, status, "{version}: {body}");
    }
    let api = Api::start(&["--version", "2025.12"]);
    let (_, version) = api.double.get("/admin/version/");
    assert_eq!(version["version_current"], "2025.12.4");
}

#[test]
fn alert_prompt_types_only_from_2026_5() {
    let body = |name: &str| json!({"name": name, "field_key": "note", "label": "Note", "type": "alert_warning"});
    // The 2026.2.2 description the checked calls use does not know the 2026.5 types: unchecked.
    let newer = Api::start(&[]);
    let (status, created) = newer.double.send(
        "POST",
        "/stages/prompt/prompts/",
        Some(&body("alert-newer")),
    );
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["type"], "alert_warning");
    let older = Api::start(&["--version", "2026.2"]);
    let (status, answer) = older.post("/stages/prompt/prompts/", body("alert-older"));
    assert_eq!(status, 400, "{answer}");
    assert_eq!(
        answer,
        json!({"type": ["\"alert_warning\" is not a valid choice."]})
    );
}
