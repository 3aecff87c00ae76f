//! Contract tests: every operation of authentik's API description is exercised against the
//! double, and every answer is checked against the description (declared status, body schema,
//! exactly the declared fields).

mod common;

use common::{make_flow, pk, sms_body, spec, Api, EMAIL, SMS, VALIDATE};
use serde_json::{json, Value};

/// Exercises every operation (success and validation-error paths), then asserts that each
/// operation in the description was answered with its success status.
fn walk_every_operation(args: &[&str]) {
    let api = Api::start(args);
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

    let flow_body = json!({"name": "configure-flow", "slug": "configure-flow", "title": "t", "designation": "stage_configuration"});
    assert_eq!(
        api.put("/flows/instances/configure-flow/", flow_body).0,
        200
    );
    assert_eq!(
        api.patch(
            "/flows/instances/configure-flow/",
            json!({"title": "Configure"})
        )
        .0,
        200
    );
    let bad_flow = json!({"designation": "nope"});
    assert_eq!(
        api.put("/flows/instances/configure-flow/", bad_flow.clone())
            .0,
        400
    );
    assert_eq!(
        api.patch("/flows/instances/configure-flow/", bad_flow).0,
        400
    );
    let flow = api.get("/flows/instances/configure-flow/").1;

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
    let spare = api.create(
        "/propertymappings/notification/",
        json!({"name": "spare", "expression": "return {}"}),
    );
    assert_eq!(
        api.delete(&format!("/propertymappings/notification/{}/", pk(&spare)))
            .0,
        204
    );

    let (status, types) = api.get("/stages/authenticator/webauthn_device_types/");
    assert_eq!(status, 200);
    let aaguid = types["results"][0]["aaguid"]
        .as_str()
        .expect("a seeded device type")
        .to_string();
    let (status, _) = api.get(&format!(
        "/stages/authenticator/webauthn_device_types/{aaguid}/"
    ));
    assert_eq!(status, 200);

    let mut sms = sms_body("sms");
    sms["configure_flow"] = flow["pk"].clone();
    sms["mapping"] = mapping["pk"].clone();
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
    ];
    let mut stages = Vec::new();
    for (path, body, bad) in &bodies {
        let stage = api.create(path, body.clone());
        let detail = format!("{path}{}/", pk(&stage));
        assert_eq!(api.get(path).0, 200);
        assert_eq!(
            api.get(&format!(
                "{path}?name={}",
                stage["name"].as_str().unwrap_or("")
            ))
            .0,
            200
        );
        assert_eq!(api.get(&detail), (200, stage.clone()));
        assert_eq!(api.put(&detail, body.clone()).0, 200);
        assert_eq!(api.patch(&detail, json!({})).0, 200);
        assert_eq!(api.get(&format!("{detail}used_by/")).0, 200);
        assert_eq!(api.post(path, bad.clone()).0, 400);
        assert_eq!(api.put(&detail, bad.clone()).0, 400);
        assert_eq!(api.patch(&detail, bad.clone()).0, 400);
        assert_eq!(
            api.get(&format!("{path}00000000-0000-0000-0000-00000000abcd/"))
                .0,
            404
        );
        stages.push(detail);
    }
    // A Validate stage that uses the others, so used_by has entries to check.
    let sms_pk = stages[0]
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("")
        .to_string();
    api.create(VALIDATE, json!({"name": "uses-sms", "not_configured_action": "configure", "configuration_stages": [sms_pk]}));
    let (status, users) = api.get(&format!("{}used_by/", stages[0]));
    assert_eq!(status, 200);
    assert_eq!(users.as_array().map(Vec::len), Some(1), "{users}");
    for detail in &stages {
        assert_eq!(api.delete(detail).0, 204);
    }
    assert_eq!(api.delete("/flows/instances/configure-flow/").0, 204);

    let seen = api.seen.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let mut missing = Vec::new();
    for (template, item) in spec().doc()["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("operations") {
            if not_served(method, template) {
                continue;
            }
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

/// Operations of the API facts that the double does not serve yet, as (method or `*`, path
/// template prefix): it answers them with the unknown-route 404 or a 405.
/// [`operations_not_served_are_really_not_served`] fails as soon as one of them is served, so
/// that it is then exercised above and this list only shrinks.
const NOT_SERVED: &[(&str, &str)] = &[
    ("*", "/stages/all/"),
    ("*", "/stages/authenticator/totp/"),
    ("*", "/stages/authenticator/static/"),
    ("*", "/stages/authenticator/webauthn/"),
    ("*", "/stages/authenticator/duo/"),
    ("*", "/stages/authenticator/endpoint_gdtc/"),
    ("*", "/flows/instances/{slug}/used_by/"),
    ("PUT", "/propertymappings/notification/{pm_uuid}/"),
    ("PATCH", "/propertymappings/notification/{pm_uuid}/"),
    ("*", "/propertymappings/notification/{pm_uuid}/used_by/"),
];

fn not_served(method: &str, template: &str) -> bool {
    NOT_SERVED.iter().any(|(m, prefix)| {
        (*m == "*" || m.eq_ignore_ascii_case(method)) && template.starts_with(prefix)
    })
}

/// A concrete path for a template.
fn concrete(template: &str) -> String {
    let id = "00000000-0000-0000-0000-000000000000";
    template
        .replace("{stage_uuid}", id)
        .replace("{pm_uuid}", id)
        .replace("{aaguid}", id)
        .replace("{slug}", "some-flow")
}

#[test]
fn operations_not_served_are_really_not_served() {
    let api = Api::start(&[]);
    let auth = format!("Bearer {}", api.double.token);
    let mut listed = 0;
    for (template, item) in spec().doc()["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("operations").keys() {
            if !not_served(method, template) {
                continue;
            }
            listed += 1;
            let method = method.to_ascii_uppercase();
            let response = api
                .double
                .raw(
                    &method,
                    &concrete(template),
                    &[("Authorization", &auth)],
                    None,
                )
                .expect("answer");
            let unrouted =
                response.status == 404 && serde_json::from_str::<Value>(&response.body).is_err();
            assert!(
                unrouted || response.status == 405,
                "the double serves {method} {template} now ({}): exercise it in \
                 walk_every_operation and drop it from NOT_SERVED",
                response.status
            );
        }
    }
    assert!(listed > 0, "NOT_SERVED matches no operation of the facts");
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
            if not_served(method, template) {
                continue;
            }
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
