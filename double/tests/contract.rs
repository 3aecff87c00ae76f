//! Contract tests: every operation of authentik's API description is exercised against the
//! double, and every answer is checked against the description (declared status, body schema,
//! exactly the declared fields).

mod common;

use common::{
    duo_body, gdtc_body, make_flow, only, pk, sms_body, spec, Api, ALL, DEVICE_TYPES, DUO, EMAIL,
    GDTC, SMS, STATIC, TOTP, VALIDATE, WEBAUTHN,
};
use serde_json::{json, Value};

/// Exercises every operation (success and validation-error paths), then asserts that each
/// operation in the description was answered with its success status.
fn walk_every_operation(args: &[&str]) {
    // GDTC creates and updates need a licence.
    let args: Vec<&str> = args.iter().copied().chain(["--enterprise"]).collect();
    let api = Api::start(&args);

    // Flows, by slug.
    let flow = make_flow(&api, "configure-flow");
    let (status, _) = api.get("/flows/instances/");
    assert_eq!(status, 200);
    let (status, got) = api.get("/flows/instances/configure-flow/");
    assert_eq!((status, &got), (200, &flow));
    let (status, _) = api.post(
        "/flows/instances/",
        json!({"name": "x", "slug": "bad slug", "title": "x", "designation": "nope"}),
    );
    assert_eq!(status, 400);
    let flow_body = json!({"name": "configure", "slug": "configure-flow", "title": "Configure", "designation": "stage_configuration"});
    let flow_detail = "/flows/instances/configure-flow/";
    assert_eq!(api.put(flow_detail, flow_body).0, 200);
    assert_eq!(api.put(flow_detail, json!({"name": "only"})).0, 400);
    assert_eq!(api.patch(flow_detail, json!({"title": "Again"})).0, 200);
    assert_eq!(api.patch(flow_detail, json!({"layout": "sideways"})).0, 400);
    let (status, users) = api.get("/flows/instances/default-authentication-flow/used_by/");
    assert_eq!(status, 200);
    assert!(
        users.as_array().is_some_and(|u| u.len() >= 4),
        "the built-in flow's bindings: {users}"
    );

    // Notification webhook mappings, by pm_uuid.
    let mapping = api.create(
        "/propertymappings/notification/",
        json!({"name": "hook", "expression": "return {}"}),
    );
    let (status, _) = api.get("/propertymappings/notification/");
    assert_eq!(status, 200);
    let (status, _) = api.post("/propertymappings/notification/", json!({"name": ""}));
    assert_eq!(status, 400);
    let mapping_detail = format!("/propertymappings/notification/{}/", pk(&mapping));
    assert_eq!(api.get(&mapping_detail), (200, mapping.clone()));
    assert_eq!(
        api.put(
            &mapping_detail,
            json!({"name": "hook", "expression": "return {'a': 1}"})
        )
        .0,
        200
    );
    assert_eq!(api.put(&mapping_detail, json!({"name": "hook"})).0, 400);
    assert_eq!(api.patch(&mapping_detail, json!({"name": "hook-2"})).0, 200);
    assert_eq!(
        api.patch(&mapping_detail, json!({"expression": " "})).0,
        400
    );

    // WebAuthn device types, read-only.
    let (status, types) = api.get(DEVICE_TYPES);
    assert_eq!(status, 200);
    let aaguid = types["results"][0]["aaguid"]
        .as_str()
        .expect("a seeded device type")
        .to_string();
    let (status, _) = api.get(&format!("{DEVICE_TYPES}{aaguid}/"));
    assert_eq!(status, 200);

    // Every authenticator stage type.
    let mut sms = sms_body("sms");
    sms["configure_flow"] = flow["pk"].clone();
    sms["mapping"] = mapping["pk"].clone();
    let mut duo = duo_body("duo");
    duo["configure_flow"] = flow["pk"].clone();
    let bodies = [
        (SMS, sms, json!({"provider": "nope"})),
        (
            EMAIL,
            json!({"name": "email", "configure_flow": flow["pk"]}),
            json!({"port": "x"}),
        ),
        (
            VALIDATE,
            json!({"name": "validate", "webauthn_allowed_device_types": [aaguid], "device_classes": ["totp"]}),
            json!({"device_classes": ["foo"]}),
        ),
        (
            TOTP,
            json!({"name": "totp", "digits": 8, "configure_flow": flow["pk"], "friendly_name": "Phone"}),
            json!({"digits": 7}),
        ),
        (
            STATIC,
            json!({"name": "static", "token_count": 3, "token_length": 8, "configure_flow": flow["pk"]}),
            json!({"token_length": 101}),
        ),
        (
            WEBAUTHN,
            json!({"name": "webauthn", "authenticator_attachment": "platform", "device_type_restrictions": [aaguid], "max_attempts": 3, "configure_flow": flow["pk"]}),
            json!({"authenticator_attachment": ""}),
        ),
        (DUO, duo, json!({"client_id": ""})),
        (
            GDTC,
            {
                let mut body = gdtc_body("gdtc");
                body["configure_flow"] = flow["pk"].clone();
                body
            },
            json!({"credentials": "not an object"}),
        ),
    ];
    let mut stages = Vec::new();
    for (path, body, bad) in &bodies {
        let (detail, stage) = walk_stage_type(&api, path, body, &json!({}), bad);
        stages.push((detail, pk(&stage)));
    }
    // A Validate stage that uses another, so its used_by has an entry to check.
    let sms_pk = stages[0].1.clone();
    let uses = api.create(VALIDATE, json!({"name": "uses-sms", "not_configured_action": "configure", "configuration_stages": [sms_pk]}));
    let (status, users) = api.get(&format!("{VALIDATE}{}/used_by/", pk(&uses)));
    assert_eq!(status, 200);
    assert_eq!(users.as_array().map(Vec::len), Some(1), "{users}");
    let (status, users) = api.get(&format!("{mapping_detail}used_by/"));
    assert_eq!(status, 200);
    assert_eq!(users.as_array().map(Vec::len), Some(1), "{users}");
    let (status, users) = api.get(&format!("{flow_detail}used_by/"));
    assert_eq!(status, 200);
    assert_eq!(
        users.as_array().map(Vec::len),
        Some(7),
        "every stage with it as configure_flow: {users}"
    );

    walk_flow_objects(&api, &flow);

    // Every stage of every type, base fields only.
    let (status, all) = api.get(&format!("{ALL}?page_size=100"));
    assert_eq!(status, 200);
    let mfa = only(
        &api.get(&format!("{ALL}?name=default-authentication-mfa-validation"))
            .1,
    );
    assert_eq!(api.get(&format!("{ALL}{}/", pk(&mfa))), (200, mfa.clone()));
    let (status, users) = api.get(&format!("{ALL}{}/used_by/", pk(&mfa)));
    assert_eq!(status, 200);
    assert!(!users.as_array().is_some_and(Vec::is_empty), "{users}");
    assert!(all["pagination"]["count"].as_u64().unwrap_or(0) > stages.len() as u64);
    let doomed = api.create(TOTP, json!({"name": "doomed", "digits": "6"}));
    assert_eq!(api.delete(&format!("{ALL}{}/", pk(&doomed))).0, 204);
    assert_eq!(api.get(&format!("{TOTP}{}/", pk(&doomed))).0, 404);
    for (detail, _) in &stages {
        assert_eq!(api.delete(detail).0, 204);
    }
    assert_eq!(api.delete(&mapping_detail).0, 204);
    assert_eq!(api.delete(flow_detail).0, 204);

    let seen = api.seen.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let mut missing = Vec::new();
    for (template, item) in spec().doc()["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("operations") {
            let success: Vec<u16> = operation["responses"]
                .as_object()
                .expect("responses")
                .keys()
                .filter_map(|s| s.parse().ok())
                .filter(|s: &u16| (200..300).contains(s))
                .collect();
            let method = method.to_ascii_uppercase();
            for status in success {
                if !seen.contains(&(method.clone(), template.clone(), status)) {
                    missing.push(format!("{method} {template} {status}"));
                }
            }
            if operation["responses"].get("400").is_some()
                && matches!(method.as_str(), "POST" | "PUT" | "PATCH")
                && !seen.contains(&(method.clone(), template.clone(), 400))
            {
                missing.push(format!("{method} {template} 400"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "operations never exercised: {missing:#?}"
    );
}

/// The flow-building endpoints: the non-authenticator stage types, prompts (and the preview),
/// expression policies, flow-stage bindings and policy bindings; every object is deleted again.
fn walk_flow_objects(api: &Api, flow: &Value) {
    let prompt_path = "/stages/prompt/prompts/";
    let prompt = api.create(
        prompt_path,
        json!({"name": "p", "field_key": "p", "label": "P", "type": "text"}),
    );
    let prompt_detail = format!("{prompt_path}{}/", pk(&prompt));
    assert_eq!(api.get(prompt_path).0, 200);
    assert_eq!(api.get(&prompt_detail), (200, prompt.clone()));
    assert_eq!(
        api.put(
            &prompt_detail,
            json!({"name": "p", "field_key": "p2", "label": "P", "type": "email"})
        )
        .0,
        200
    );
    assert_eq!(api.put(&prompt_detail, json!({"label": "x"})).0, 400);
    assert_eq!(api.patch(&prompt_detail, json!({"order": 4})).0, 200);
    assert_eq!(api.patch(&prompt_detail, json!({"type": "nope"})).0, 400);
    assert_eq!(api.post(prompt_path, json!({"name": "p"})).0, 400);
    let preview = format!("{prompt_path}preview/");
    assert_eq!(
        api.post(
            &preview,
            json!({"name": "q", "field_key": "q", "label": "Q", "type": "text"})
        )
        .0,
        200
    );
    assert_eq!(api.post(&preview, json!({"name": "q"})).0, 400);
    let (status, templates) = api.get("/stages/email/templates/");
    assert_eq!(status, 200);
    assert!(
        templates.as_array().is_some_and(|t| t.len() == 4),
        "{templates}"
    );

    let policy_path = "/policies/expression/";
    let policy = api.create(
        policy_path,
        json!({"name": "pol", "expression": "return True"}),
    );
    let policy_detail = format!("{policy_path}{}/", pk(&policy));
    assert_eq!(api.get(policy_path).0, 200);
    assert_eq!(api.get(&policy_detail), (200, policy.clone()));
    assert_eq!(
        api.put(
            &policy_detail,
            json!({"name": "pol", "expression": "return False"})
        )
        .0,
        200
    );
    assert_eq!(api.put(&policy_detail, json!({"name": "pol"})).0, 400);
    assert_eq!(
        api.patch(&policy_detail, json!({"execution_logging": true}))
            .0,
        200
    );
    assert_eq!(
        api.patch(&policy_detail, json!({"expression": "return ("}))
            .0,
        400
    );
    assert_eq!(api.post(policy_path, json!({})).0, 400);

    let password = api.create(
        "/stages/password/",
        json!({"name": "pw-base", "backends": ["authentik.core.auth.InbuiltBackend"]}),
    );
    // Each type: a create body, a valid PATCH, a body every write refuses.
    let bodies = [
        (
            "/stages/identification/",
            json!({"name": "ident", "user_fields": ["username"], "password_stage": pk(&password)}),
            json!({"user_fields": ["email"]}),
            json!({"user_fields": ["bogus"]}),
        ),
        (
            "/stages/password/",
            json!({"name": "pw", "backends": ["authentik.core.auth.TokenBackend"], "configure_flow": flow["pk"]}),
            json!({"allow_show_password": true}),
            json!({"backends": []}),
        ),
        (
            "/stages/user_login/",
            json!({"name": "login", "session_duration": "hours=1"}),
            json!({"remember_device": "days=1"}),
            json!({"network_binding": "bogus"}),
        ),
        (
            "/stages/user_logout/",
            json!({"name": "logout"}),
            json!({"name": "logout-2"}),
            json!({"name": ""}),
        ),
        (
            "/stages/deny/",
            json!({"name": "deny", "deny_message": "No"}),
            json!({"deny_message": ""}),
            json!({"deny_message": null}),
        ),
        (
            "/stages/user_write/",
            json!({"name": "write", "user_type": "internal"}),
            json!({"user_creation_mode": "always_create"}),
            json!({"user_type": "bogus"}),
        ),
        (
            "/stages/email/",
            json!({"name": "mail", "password": "secret", "port": 587}),
            json!({"subject": "Hi"}),
            json!({"template": "bogus.html"}),
        ),
        (
            "/stages/consent/",
            json!({"name": "consent", "mode": "permanent"}),
            json!({"consent_expire_in": "days=1"}),
            json!({"mode": "bogus"}),
        ),
        (
            "/stages/redirect/",
            json!({"name": "redirect", "mode": "flow", "target_flow": flow["pk"]}),
            json!({"keep_context": false}),
            json!({"mode": "static"}),
        ),
        (
            "/stages/prompt/stages/",
            json!({"name": "prompts", "fields": [pk(&prompt)], "validation_policies": [pk(&policy)]}),
            json!({"fields": [pk(&prompt)]}),
            json!({"fields": []}),
        ),
    ];
    let mut details = Vec::new();
    for (path, body, patch, bad) in &bodies {
        details.push(walk_stage_type(api, path, body, patch, bad));
    }
    let (status, users) = api.get(&format!("{prompt_detail}used_by/"));
    assert_eq!(status, 200);
    assert_eq!(users.as_array().map(Vec::len), Some(1), "{users}");

    // Flow-stage bindings.
    let deny = &details[4].1;
    let binding_path = "/flows/bindings/";
    let binding = api.create(
        binding_path,
        json!({"target": flow["pk"], "stage": pk(deny), "order": 10}),
    );
    let binding_detail = format!("{binding_path}{}/", pk(&binding));
    assert_eq!(api.get(binding_path).0, 200);
    assert_eq!(api.get(&binding_detail).0, 200);
    assert_eq!(
        api.put(
            &binding_detail,
            json!({"target": flow["pk"], "stage": pk(deny), "order": 20})
        )
        .0,
        200
    );
    assert_eq!(api.put(&binding_detail, json!({"order": 1})).0, 400);
    assert_eq!(api.patch(&binding_detail, json!({"order": 30})).0, 200);
    assert_eq!(api.patch(&binding_detail, json!({"order": "x"})).0, 400);
    assert_eq!(api.post(binding_path, json!({})).0, 400);

    // Policy bindings, on the flow and on the binding.
    let pb_path = "/policies/bindings/";
    let on_flow = api.create(
        pb_path,
        json!({"target": flow["pk"], "policy": pk(&policy), "order": 0}),
    );
    let on_binding = api.create(
        pb_path,
        json!({"target": pk(&binding), "policy": pk(&policy), "order": 0}),
    );
    let pb_detail = format!("{pb_path}{}/", pk(&on_flow));
    assert_eq!(api.get(pb_path).0, 200);
    assert_eq!(api.get(&pb_detail).0, 200);
    assert_eq!(
        api.put(
            &pb_detail,
            json!({"target": flow["pk"], "policy": pk(&policy), "order": 1})
        )
        .0,
        200
    );
    assert_eq!(api.put(&pb_detail, json!({"order": 1})).0, 400);
    assert_eq!(
        api.patch(
            &pb_detail,
            json!({"target": flow["pk"], "policy": pk(&policy), "negate": true})
        )
        .0,
        200
    );
    assert_eq!(
        api.patch(&pb_detail, json!({"target": flow["pk"], "timeout": -1}))
            .0,
        400
    );
    assert_eq!(
        api.post(pb_path, json!({"target": flow["pk"], "order": 0}))
            .0,
        400
    );
    let (status, users) = api.get(&format!("{binding_detail}used_by/"));
    assert_eq!(status, 200);
    assert_eq!(users.as_array().map(Vec::len), Some(1), "{users}");
    let (status, users) = api.get(&format!("{policy_detail}used_by/"));
    assert_eq!(status, 200);
    assert_eq!(
        users.as_array().map(Vec::len),
        Some(3),
        "two bindings, one prompt stage: {users}"
    );
    assert_eq!(api.get(&format!("{pb_detail}used_by/")), (200, json!([])));

    // Deletes, with their cascades.
    assert_eq!(api.delete(&binding_detail).0, 204);
    assert_eq!(api.get(&format!("{pb_path}{}/", pk(&on_binding))).0, 404);
    assert_eq!(api.delete(&pb_detail).0, 204);
    assert_eq!(api.delete(&policy_detail).0, 204);
    for (detail, _) in &details {
        assert_eq!(api.delete(detail).0, 204);
    }
    assert_eq!(
        api.delete(&format!("/stages/password/{}/", pk(&password)))
            .0,
        204
    );
    assert_eq!(api.delete(&prompt_detail).0, 204);
}

/// A concrete path for a template.
fn concrete(template: &str) -> String {
    let id = "00000000-0000-0000-0000-000000000000";
    template
        .replace("{stage_uuid}", id)
        .replace("{pm_uuid}", id)
        .replace("{fsb_uuid}", id)
        .replace("{policy_uuid}", id)
        .replace("{policy_binding_uuid}", id)
        .replace("{prompt_uuid}", id)
        .replace("{aaguid}", id)
        .replace("{slug}", "some-flow")
}

/// Walks every endpoint of one stage type with a stage made from `body`: list, list by name,
/// retrieve, PUT of the same body, PATCH of `patch`, used_by; `bad` refused (400) by POST, PUT
/// and PATCH; an unknown UUID is a 404. Every answer passes [`Api`]'s checks. Returns the
/// stage's detail path and the stage.
fn walk_stage_type(
    api: &Api,
    path: &str,
    body: &Value,
    patch: &Value,
    bad: &Value,
) -> (String, Value) {
    let stage = api.create(path, body.clone());
    let detail = format!("{path}{}/", pk(&stage));
    assert_eq!(api.get(path).0, 200);
    let name = body["name"].as_str().unwrap_or("");
    assert_eq!(api.get(&format!("{path}?name={name}")).0, 200);
    assert_eq!(api.get(&detail), (200, stage.clone()));
    assert_eq!(api.put(&detail, body.clone()).0, 200, "PUT {path}");
    assert_eq!(api.patch(&detail, patch.clone()).0, 200, "PATCH {path}");
    assert_eq!(api.get(&format!("{detail}used_by/")).0, 200);
    assert_eq!(api.post(path, bad.clone()).0, 400, "POST {path} {bad}");
    assert_eq!(api.put(&detail, bad.clone()).0, 400, "PUT {path} {bad}");
    assert_eq!(api.patch(&detail, bad.clone()).0, 400, "PATCH {path} {bad}");
    let unknown = format!("{path}00000000-0000-0000-0000-00000000abcd/");
    assert_eq!(api.get(&unknown).0, 404, "GET {unknown}");
    (detail, stage)
}

#[test]
fn every_operation_answers_as_declared_2026_2() {
    walk_every_operation(&["--version", "2026.2"]);
}

#[test]
fn every_operation_answers_as_declared_2026_5() {
    walk_every_operation(&[]);
}

#[test]
fn every_operation_is_403_without_a_valid_token() {
    let api = Api::start(&[]);
    for (template, item) in spec().doc()["paths"].as_object().expect("paths") {
        let path = concrete(template);
        for method in item.as_object().expect("operations").keys() {
            let method = method.to_ascii_uppercase();
            for headers in [vec![], vec![("Authorization", "Bearer wrong")]] {
                let response = api
                    .double
                    .raw(&method, &path, &headers, None)
                    .expect("answer");
                assert_eq!(
                    response.status, 403,
                    "{method} {path} with {headers:?}: {}",
                    response.body
                );
                let body: Value = serde_json::from_str(&response.body).expect("JSON 403 body");
                let schema = spec()
                    .response_schema(template, &method, 403)
                    .expect("403 declared")
                    .expect("403 body");
                let errors = spec().check(&schema, &body);
                assert!(errors.is_empty(), "{method} {path}: {errors:?}");
            }
        }
    }
}

#[test]
fn checker_catches_violations() {
    // The checker itself must be able to fail, or the contract tests prove nothing.
    let spec = spec();
    let stage = spec.schema("AuthenticatorSMSStage").clone();
    let errors = spec.check(&stage, &json!({"pk": "not-a-uuid", "name": 5, "provider": "carrier-pigeon", "configure_flow": null}));
    let text = errors.join("\n");
    for expected in [
        "$.pk",
        "$.name",
        "$.provider",
        "required property account_sid missing",
        "required property component missing",
    ] {
        assert!(text.contains(expected), "checker missed {expected}: {text}");
    }
    let flow = spec.schema("Flow").clone();
    let errors = spec.check(&flow, &json!({"slug": "bad slug", "background_themed_urls": null, "designation": "stage_configuration"}));
    assert!(errors.iter().any(|e| e.contains("$.slug")), "{errors:?}");
    assert!(
        !errors.iter().any(|e| e.contains("background_themed_urls")),
        "nullable allOf accepted: {errors:?}"
    );
    assert!(
        spec.response_schema("/stages/authenticator/sms/", "GET", 201)
            .is_err(),
        "undeclared status"
    );
    let pagination = spec.schema("Pagination").clone();
    assert!(!spec.check(&pagination, &json!({"next": "2"})).is_empty());
}
