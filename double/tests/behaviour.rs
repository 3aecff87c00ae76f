//! One test per point of `shared/authentik/server-behaviour.md`, named after the behaviour.
//! Every answer also passes the OpenAPI checks of [`common::Api`].

mod common;

use std::collections::BTreeSet;

use common::{make_flow, names, pk, sms_body, Api, EMAIL, FIELDS_2026_5, SMS, VALIDATE};
use serde_json::{json, Value};

// ---------------------------------------------------------------- HTTP

#[test]
fn http_base_path_is_api_v3_and_trailing_slash_is_required() {
    let api = Api::start(&[]);
    let auth = format!("Bearer {}", api.double.token);
    let with = api
        .double
        .raw(
            "GET",
            "/api/v3/stages/authenticator/sms/",
            &[("Authorization", &auth)],
            None,
        )
        .expect("answer");
    assert_eq!(with.status, 200);
    for path in [
        "/api/v3/stages/authenticator/sms",
        "/api/v3/stages/authenticator/sms/00000000-0000-0000-0000-000000000000",
        "/api/v2/stages/authenticator/sms/",
        "/api/v3/stages/authenticator/bogus/",
        "/api/v3/stages/authenticator/identification/",
    ] {
        let without = api
            .double
            .raw("GET", path, &[("Authorization", &auth)], None)
            .expect("answer");
        assert_eq!(without.status, 404, "{path}");
        assert!(
            serde_json::from_str::<Value>(&without.body).is_err(),
            "{path}: 404 must not be JSON: {}",
            without.body
        );
        assert!(!without
            .header("content-type")
            .unwrap_or("")
            .contains("json"));
    }
}

#[test]
fn http_missing_or_wrong_token_is_403_with_detail_never_401() {
    let api = Api::start(&[]);
    for headers in [
        vec![],
        vec![("Authorization", "Bearer wrong-token")],
        vec![("Authorization", "Bearer")],
        vec![("Authorization", "Basic dXNlcjpwYXNz")],
        vec![("Authorization", api.double.token.as_str())],
    ] {
        let response = api
            .double
            .raw("GET", "/api/v3/stages/authenticator/email/", &headers, None)
            .expect("answer");
        assert_eq!(response.status, 403, "{headers:?}");
        assert!(
            response.json()["detail"].is_string(),
            "{headers:?}: {}",
            response.body
        );
    }
}

/// Observed on authentik 2025.12.4: without credentials a list route says so, a detail route
/// answers with the permission message; a wrong token reads the same on both.
#[test]
fn http_403_text_depends_on_route_kind() {
    let api = Api::start(&[]);
    let stage = api.create(EMAIL, json!({"name": "e"}));
    let list = format!("/api/v3{EMAIL}");
    let detail = format!("/api/v3{EMAIL}{}/", pk(&stage));
    let detail_of = |path: &str, headers: &[(&str, &str)]| {
        let response = api.double.raw("GET", path, headers, None).expect("answer");
        assert_eq!(response.status, 403, "{path}");
        response.json()["detail"].as_str().unwrap_or("").to_string()
    };
    assert_eq!(
        detail_of(&list, &[]),
        "Authentication credentials were not provided."
    );
    assert_eq!(
        detail_of(&detail, &[]),
        "You do not have permission to perform this action."
    );
    let wrong = [("Authorization", "Bearer wrong-token")];
    assert_eq!(detail_of(&list, &wrong), "Token invalid/expired");
    assert_eq!(detail_of(&detail, &wrong), "Token invalid/expired");
}

#[test]
fn http_request_bodies_must_be_json_else_415() {
    let api = Api::start(&[]);
    let auth = format!("Bearer {}", api.double.token);
    let stage = api.create(EMAIL, json!({"name": "e"}));
    let detail = format!("/api/v3{EMAIL}{}/", pk(&stage));
    for (method, path) in [
        ("POST", format!("/api/v3{EMAIL}")),
        ("PUT", detail.clone()),
        ("PATCH", detail.clone()),
    ] {
        for content_type in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "application/xml",
        ] {
            let response = api
                .double
                .raw(
                    method,
                    &path,
                    &[("Authorization", &auth), ("Content-Type", content_type)],
                    Some("{\"name\": \"x\"}"),
                )
                .expect("answer");
            assert_eq!(
                response.status, 415,
                "{method} {content_type}: {}",
                response.body
            );
            assert!(response.json()["detail"].is_string());
        }
    }
    let ok = api
        .double
        .raw(
            "PATCH",
            &detail,
            &[
                ("Authorization", &auth),
                ("Content-Type", "application/json; charset=utf-8"),
            ],
            Some("{\"name\": \"y\"}"),
        )
        .expect("answer");
    assert_eq!(ok.status, 200, "JSON with parameters is JSON");
    let broken = api
        .double
        .raw(
            "PATCH",
            &detail,
            &[
                ("Authorization", &auth),
                ("Content-Type", "application/json"),
            ],
            Some("{oops"),
        )
        .expect("answer");
    assert_eq!(broken.status, 400);
    assert!(broken.json()["detail"]
        .as_str()
        .unwrap_or("")
        .starts_with("JSON parse error"));
}

#[test]
fn http_post_201_get_put_patch_200_full_object_delete_204() {
    let api = Api::start(&[]);
    let (status, created) = api.post(EMAIL, json!({"name": "e"}));
    assert_eq!(status, 201);
    assert!(common::openapi::is_canonical_uuid(&pk(&created)));
    let detail = format!("{EMAIL}{}/", pk(&created));
    let (status, got) = api.get(&detail);
    assert_eq!(
        (status, &got),
        (200, &created),
        "GET returns the full object"
    );
    let (status, put) = api.put(&detail, json!({"name": "e", "port": 2525}));
    assert_eq!(status, 200);
    assert_eq!(put["port"], 2525);
    assert_eq!(put["host"], "localhost", "full object after PUT");
    let (status, patched) = api.patch(&detail, json!({"subject": "s"}));
    assert_eq!(status, 200);
    assert_eq!(patched["port"], 2525, "full object after PATCH");
    let (status, body) = api.delete(&detail);
    assert_eq!((status, body), (204, Value::Null));
    assert_eq!(api.get(&detail).0, 404, "deleted");
    assert!(api.double.stages().is_empty());
}

#[test]
fn http_unknown_uuid_is_404_no_model_matches_and_malformed_uuid_is_404() {
    let api = Api::start(&[]);
    let unknown = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
    for (path, model) in [
        (SMS, "AuthenticatorSMSStage"),
        (EMAIL, "AuthenticatorEmailStage"),
        (VALIDATE, "AuthenticatorValidateStage"),
    ] {
        for method in ["GET", "PUT", "PATCH", "DELETE"] {
            let body = (method == "PUT" || method == "PATCH").then(|| json!({"name": "x"}));
            let (status, answer) = api.call(method, &format!("{path}{unknown}/"), body);
            assert_eq!(status, 404, "{method} {path}");
            assert_eq!(
                answer,
                json!({"detail": format!("No {model} matches the given query.")})
            );
        }
        let (status, answer) = api.get(&format!("{path}{unknown}/used_by/"));
        assert_eq!(status, 404);
        assert!(answer["detail"].is_string());
        for malformed in ["not-a-uuid", "1234", "3fa85f64-5717-4562-b3fc-2c963f66afaz"] {
            let (status, answer) = api.get(&format!("{path}{malformed}/"));
            assert_eq!(status, 404, "{malformed}");
            assert!(answer["detail"].is_string());
        }
    }
    // A stage of another type is not found under this type's path.
    let email = api.create(EMAIL, json!({"name": "e"}));
    assert_eq!(api.get(&format!("{SMS}{}/", pk(&email))).0, 404);
    assert_eq!(
        api.get("/flows/instances/no-such-flow/").1,
        json!({"detail": "No Flow matches the given query."})
    );
}

#[test]
fn http_put_keeps_omitted_optional_fields_but_demands_required_ones() {
    let api = Api::start(&[]);
    let mut body = sms_body("s");
    body["verify_only"] = json!(true);
    body["friendly_name"] = json!("Phone");
    body["auth_type"] = json!("bearer");
    let stage = api.create(SMS, body);
    let detail = format!("{SMS}{}/", pk(&stage));
    let (status, put) = api.put(&detail, sms_body("s"));
    assert_eq!(status, 200);
    assert_eq!(put["verify_only"], true, "omitted optional field kept");
    assert_eq!(put["friendly_name"], "Phone");
    assert_eq!(put["auth_type"], "bearer");
    let (status, errors) = api.put(&detail, json!({"name": "s", "provider": "twilio"}));
    assert_eq!(status, 400);
    for field in ["from_number", "account_sid", "auth"] {
        assert_eq!(
            errors[field],
            json!(["This field is required."]),
            "{field}: {errors}"
        );
    }
    let (status, put) = api.put(&detail, {
        let mut body = sms_body("s");
        body["verify_only"] = json!(false);
        body
    });
    assert_eq!(status, 200);
    assert_eq!(put["verify_only"], false, "resetting needs the value sent");
    let email = api.create(EMAIL, json!({"name": "e", "port": 587}));
    api.rejects(
        "PUT",
        &format!("{EMAIL}{}/", pk(&email)),
        json!({"port": 25}),
        json!({"name": ["This field is required."]}),
    );
}

#[test]
fn http_patch_writes_only_the_keys_sent() {
    let api = Api::start(&[]);
    let stage = api.create(
        EMAIL,
        json!({"name": "e", "host": "mail.example.com", "port": 587, "use_tls": true}),
    );
    let (status, patched) = api.patch(&format!("{EMAIL}{}/", pk(&stage)), json!({"port": 2525}));
    assert_eq!(status, 200);
    let mut expected = stage.clone();
    expected["port"] = json!(2525);
    assert_eq!(patched, expected);
    let (status, same) = api.patch(&format!("{EMAIL}{}/", pk(&stage)), json!({}));
    assert_eq!((status, same), (200, patched));
}

#[test]
fn http_400_bodies_are_keyed_by_field_lists_nest_by_index_object_errors_under_non_field_errors() {
    let api = Api::start(&[]);
    let (status, errors) = api.post(VALIDATE, json!({"name": "", "device_classes": ["foo", "totp", "bar"], "webauthn_user_verification": "always"}));
    assert_eq!(status, 400);
    assert_eq!(
        errors,
        json!({
            "name": ["This field may not be blank."],
            "device_classes": {"0": ["\"foo\" is not a valid choice."], "2": ["\"bar\" is not a valid choice."]},
            "webauthn_user_verification": ["\"always\" is not a valid choice."],
        })
    );
    api.rejects(
        "POST",
        VALIDATE,
        json!(["not", "an", "object"]),
        json!({"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]}),
    );
}

#[test]
fn http_every_field_in_every_response_with_null_foreign_keys_and_read_only_extras() {
    let api = Api::start(&[]);
    let sms = api.create(SMS, sms_body("s"));
    assert_eq!(sms["configure_flow"], Value::Null);
    assert_eq!(sms["mapping"], Value::Null);
    let email = api.create(EMAIL, json!({"name": "e"}));
    assert_eq!(email["configure_flow"], Value::Null);
    let validate = api.create(VALIDATE, json!({"name": "v"}));
    for (stage, component, verbose, model) in [
        (
            &sms,
            "ak-stage-authenticator-sms-form",
            "SMS Authenticator Setup Stage",
            "authentik_stages_authenticator_sms.authenticatorsmsstage",
        ),
        (
            &email,
            "ak-stage-authenticator-email-form",
            "Email Authenticator Setup Stage",
            "authentik_stages_authenticator_email.authenticatoremailstage",
        ),
        (
            &validate,
            "ak-stage-authenticator-validate-form",
            "Authenticator Validation Stage",
            "authentik_stages_authenticator_validate.authenticatorvalidatestage",
        ),
    ] {
        assert_eq!(stage["component"], component);
        assert_eq!(stage["verbose_name"], verbose);
        assert_eq!(stage["verbose_name_plural"], format!("{verbose}s"));
        assert_eq!(stage["meta_model_name"], model);
        assert_eq!(stage["flow_set"], json!([]));
    }
    assert_eq!(validate["webauthn_allowed_device_types_obj"], json!([]));
    // (Api::check also asserts every declared field is present in every 2xx answer.)
}

#[test]
fn http_unknown_and_read_only_request_keys_are_ignored() {
    let api = Api::start(&[]);
    let forged = "11111111-2222-3333-4444-555555555555";
    let stage = api.create(
        EMAIL,
        json!({"name": "e", "pk": forged, "stage_uuid": forged, "component": "x", "verbose_name": "x",
               "meta_model_name": "x", "flow_set": [{"pk": forged}], "no_such_field": 1}),
    );
    assert_ne!(pk(&stage), forged);
    assert_eq!(stage["component"], "ak-stage-authenticator-email-form");
    assert_eq!(stage["flow_set"], json!([]));
    assert!(stage.get("no_such_field").is_none());
    let (status, patched) = api.patch(
        &format!("{EMAIL}{}/", pk(&stage)),
        json!({"pk": forged, "verbose_name": "y"}),
    );
    assert_eq!((status, &patched), (200, &stage));
}

#[test]
fn http_lists_are_paginated_20_by_default_page_size_up_to_100_with_numbers_0_when_none() {
    let api = Api::start(&[]);
    for i in 0..105 {
        api.create(EMAIL, json!({"name": format!("stage-{i:03}")}));
    }
    let (status, first) = api.get(EMAIL);
    assert_eq!(status, 200);
    assert_eq!(first["results"].as_array().map(Vec::len), Some(20));
    assert_eq!(
        first["pagination"],
        json!({"next": 2, "previous": 0, "count": 105, "current": 1, "total_pages": 6, "start_index": 1, "end_index": 20})
    );
    assert_eq!(first["autocomplete"], json!({}));
    let (_, last) = api.get(&format!("{EMAIL}?page=6"));
    assert_eq!(
        last["pagination"],
        json!({"next": 0, "previous": 5, "count": 105, "current": 6, "total_pages": 6, "start_index": 101, "end_index": 105})
    );
    let (_, big) = api.get(&format!("{EMAIL}?page_size=500"));
    assert_eq!(
        big["results"].as_array().map(Vec::len),
        Some(100),
        "page_size is capped at 100"
    );
    let (_, second) = api.get(&format!("{EMAIL}?page_size=100&page=2"));
    assert_eq!(second["results"].as_array().map(Vec::len), Some(5));
    assert_eq!(
        api.get(&format!("{EMAIL}?page=7")).0,
        404,
        "a page past the end"
    );
    let (_, empty) = api.get(SMS);
    assert_eq!(
        empty["pagination"],
        json!({"next": 0, "previous": 0, "count": 0, "current": 1, "total_pages": 1, "start_index": 0, "end_index": 0})
    );
}

#[test]
fn http_name_filter_is_exact_search_is_case_insensitive_substring_order_is_by_name() {
    let api = Api::start(&[]);
    for name in ["mfa-Bravo", "mfa-alpha", "Other", "mfa-alpha-2"] {
        api.create(VALIDATE, json!({"name": name}));
    }
    // The fresh install's validation stage is in the list too.
    assert_eq!(
        names(&api.get(VALIDATE).1),
        vec![
            "Other",
            "default-authentication-mfa-validation",
            "mfa-Bravo",
            "mfa-alpha",
            "mfa-alpha-2"
        ],
        "ordered by name"
    );
    assert_eq!(
        names(&api.get(&format!("{VALIDATE}?name=mfa-alpha")).1),
        vec!["mfa-alpha"],
        "exact"
    );
    assert!(
        names(&api.get(&format!("{VALIDATE}?name=MFA-ALPHA")).1).is_empty(),
        "exact is case-sensitive"
    );
    assert!(
        names(&api.get(&format!("{VALIDATE}?name=mfa")).1).is_empty(),
        "exact, not prefix"
    );
    api.assert_finds(VALIDATE, &["search=ALPHA"], &["mfa-alpha", "mfa-alpha-2"]);
    api.assert_finds(VALIDATE, &["search=bravo"], &["mfa-Bravo"]);
    api.assert_finds(
        VALIDATE,
        &["ordering=-name"],
        &[
            "mfa-alpha-2",
            "mfa-alpha",
            "mfa-Bravo",
            "default-authentication-mfa-validation",
            "Other",
        ],
    );
    // The name filter only sees its own stage type.
    api.create(EMAIL, json!({"name": "mail"}));
    assert!(names(&api.get(&format!("{VALIDATE}?name=mail")).1).is_empty());
}

#[test]
fn http_uuids_accepted_in_any_case_with_or_without_hyphens_returned_lower_case_hyphenated() {
    let api = Api::start(&[]);
    let flow = make_flow(&api, "cfg");
    let stage = api.create(EMAIL, json!({"name": "e"}));
    let id = pk(&stage);
    for form in [
        id.to_uppercase(),
        id.replace('-', ""),
        id.replace('-', "").to_uppercase(),
    ] {
        let (status, got) = api.get(&format!("{EMAIL}{form}/"));
        assert_eq!((status, &got), (200, &stage), "{form}");
    }
    let shouting = pk(&flow).replace('-', "").to_uppercase();
    let (status, patched) = api.patch(
        &format!("{EMAIL}{}/", id.to_uppercase()),
        json!({"configure_flow": shouting}),
    );
    assert_eq!(status, 200);
    assert_eq!(
        patched["configure_flow"], flow["pk"],
        "returned lower-case hyphenated"
    );
    let (status, validate) =
        api.post(VALIDATE, json!({"name": "v", "configuration_stages": [id.to_uppercase()], "webauthn_allowed_device_types": ["00000000000000000000000000000000"]}));
    assert_eq!(status, 201);
    assert_eq!(validate["configuration_stages"], json!([id]));
    assert_eq!(
        validate["webauthn_allowed_device_types"],
        json!(["00000000-0000-0000-0000-000000000000"])
    );
}

// ---------------------------------------------------------------- stage names

#[test]
fn names_are_required_non_blank_and_unique_across_all_stage_types() {
    let api = Api::start(&[]);
    for path in [SMS, EMAIL, VALIDATE] {
        let body = if path == SMS {
            json!({"provider": "twilio", "from_number": "1", "account_sid": "a", "auth": "b"})
        } else {
            json!({})
        };
        let (status, errors) = api.post(path, body.clone());
        assert_eq!(
            (status, &errors["name"]),
            (400, &json!(["This field is required."])),
            "{path}"
        );
        let mut blank = body.clone();
        blank["name"] = json!("   ");
        let (status, errors) = api.post(path, blank);
        assert_eq!(
            (status, &errors["name"]),
            (400, &json!(["This field may not be blank."])),
            "{path}"
        );
        let mut null = body;
        null["name"] = Value::Null;
        assert_eq!(
            api.post(path, null).1["name"],
            json!(["This field may not be null."])
        );
    }
    let email = api.create(EMAIL, json!({"name": "shared-name"}));
    for (path, body) in [
        (SMS, sms_body("shared-name")),
        (VALIDATE, json!({"name": "shared-name"})),
        (EMAIL, json!({"name": "shared-name"})),
    ] {
        api.rejects(
            "POST",
            path,
            body,
            json!({"name": ["stage with this name already exists."]}),
        );
    }
    let validate = api.create(VALIDATE, json!({"name": "other"}));
    api.rejects(
        "PATCH",
        &format!("{VALIDATE}{}/", pk(&validate)),
        json!({"name": "shared-name"}),
        json!({"name": ["stage with this name already exists."]}),
    );
    let (status, _) = api.patch(
        &format!("{EMAIL}{}/", pk(&email)),
        json!({"name": "shared-name"}),
    );
    assert_eq!(status, 200, "renaming to its own name is fine");
    assert_eq!(
        api.double.stages().len(),
        2,
        "no stage created by the clashes"
    );
}

#[test]
fn names_look_a_stage_up_by_exact_name() {
    let api = Api::start(&[]);
    let stage = api.create(SMS, sms_body("phone"));
    api.create(SMS, sms_body("phone-2"));
    let (status, found) = api.get(&format!("{SMS}?name=phone"));
    assert_eq!(status, 200);
    assert_eq!(found["pagination"]["count"], 1);
    assert_eq!(found["results"][0], stage);
}

// ---------------------------------------------------------------- SMS

#[test]
fn sms_required_fields_and_defaults() {
    let api = Api::start(&[]);
    let (status, errors) = api.post(SMS, json!({"name": "s"}));
    assert_eq!(status, 400);
    for field in ["provider", "from_number", "account_sid", "auth"] {
        assert_eq!(errors[field], json!(["This field is required."]), "{field}");
    }
    let stage = api.create(SMS, sms_body("s"));
    assert_eq!(stage["auth_password"], "");
    assert_eq!(stage["auth_type"], "basic");
    assert_eq!(stage["verify_only"], false);
    assert_eq!(stage["mapping"], Value::Null);
    assert_eq!(stage["friendly_name"], "");
    assert_eq!(stage["configure_flow"], Value::Null);
    assert_eq!(stage["auth"], "secret-token");
    for field in ["from_number", "account_sid", "auth"] {
        let mut body = sms_body("t");
        body[field] = json!("");
        assert_eq!(
            api.post(SMS, body).1[field],
            json!(["This field may not be blank."]),
            "{field} non-blank"
        );
    }
}

#[test]
fn sms_enums_are_validated() {
    let api = Api::start(&[]);
    let mut body = sms_body("s");
    body["provider"] = json!("carrier-pigeon");
    body["auth_type"] = json!("digest");
    let (status, errors) = api.post(SMS, body);
    assert_eq!(status, 400);
    assert_eq!(
        errors["provider"],
        json!(["\"carrier-pigeon\" is not a valid choice."])
    );
    assert_eq!(
        errors["auth_type"],
        json!(["\"digest\" is not a valid choice."])
    );
    for (provider, auth_type) in [("twilio", "basic"), ("generic", "bearer")] {
        let mut body = sms_body(provider);
        body["provider"] = json!(provider);
        body["auth_type"] = json!(auth_type);
        assert_eq!(api.post(SMS, body).0, 201);
    }
}

#[test]
fn sms_generic_account_sid_is_an_unvalidated_url_and_auth_password_may_be_blank() {
    let api = Api::start(&[]);
    let mut body = sms_body("g");
    body["provider"] = json!("generic");
    body["account_sid"] = json!("not even a url");
    body["auth_password"] = json!("");
    let stage = api.create(SMS, body);
    assert_eq!(stage["account_sid"], "not even a url");
    assert_eq!(stage["auth_password"], "");
    let (status, patched) = api.patch(
        &format!("{SMS}{}/", pk(&stage)),
        json!({"auth_password": "pw"}),
    );
    assert_eq!((status, &patched["auth_password"]), (200, &json!("pw")));
}

#[test]
fn sms_friendly_name_blank_allowed_null_rejected() {
    let api = Api::start(&[]);
    let mut body = sms_body("s");
    body["friendly_name"] = json!("");
    let stage = api.create(SMS, body);
    assert_eq!(stage["friendly_name"], "");
    api.rejects(
        "PATCH",
        &format!("{SMS}{}/", pk(&stage)),
        json!({"friendly_name": null}),
        json!({"friendly_name": ["This field may not be null."]}),
    );
    api.rejects(
        "POST",
        EMAIL,
        json!({"name": "e", "friendly_name": null}),
        json!({"friendly_name": ["This field may not be null."]}),
    );
}

#[test]
fn sms_mapping_must_exist_and_is_nulled_when_the_mapping_is_deleted() {
    let api = Api::start(&[]);
    let mapping = api.create(
        "/propertymappings/notification/",
        json!({"name": "m", "expression": "return {}"}),
    );
    let mut body = sms_body("s");
    body["mapping"] = json!("3fa85f64-5717-4562-b3fc-2c963f66afa6");
    let (status, errors) = api.post(SMS, body.clone());
    assert_eq!(status, 400);
    assert_eq!(
        errors["mapping"],
        json!(["Invalid pk \"3fa85f64-5717-4562-b3fc-2c963f66afa6\" - object does not exist."])
    );
    body["mapping"] = json!("nope");
    assert_eq!(
        api.post(SMS, body.clone()).1["mapping"],
        json!(["\u{201c}nope\u{201d} is not a valid UUID."])
    );
    body["mapping"] = mapping["pk"].clone();
    let stage = api.create(SMS, body);
    assert_eq!(stage["mapping"], mapping["pk"]);
    let (status, _) = api.delete(&format!("/propertymappings/notification/{}/", pk(&mapping)));
    assert_eq!(status, 204);
    assert_eq!(
        api.get(&format!("{SMS}{}/", pk(&stage))).1["mapping"],
        Value::Null
    );
}

#[test]
fn configure_flow_is_a_flow_pk_not_a_slug_and_is_nulled_when_the_flow_is_deleted() {
    let api = Api::start(&[]);
    let flow = make_flow(&api, "cfg-flow");
    let mut body = sms_body("s");
    body["configure_flow"] = json!("cfg-flow");
    let (status, errors) = api.post(SMS, body.clone());
    assert_eq!(
        (status, &errors["configure_flow"]),
        (
            400,
            &json!(["\u{201c}cfg-flow\u{201d} is not a valid UUID."])
        )
    );
    let (status, errors) = api.post(
        EMAIL,
        json!({"name": "e", "configure_flow": "3fa85f64-5717-4562-b3fc-2c963f66afa6"}),
    );
    assert_eq!(status, 400);
    assert!(errors["configure_flow"][0]
        .as_str()
        .unwrap_or("")
        .contains("object does not exist"));
    body["configure_flow"] = flow["pk"].clone();
    let sms = api.create(SMS, body);
    let email = api.create(EMAIL, json!({"name": "e", "configure_flow": flow["pk"]}));
    assert_eq!(sms["configure_flow"], flow["pk"]);
    assert_eq!(api.delete("/flows/instances/cfg-flow/").0, 204);
    assert_eq!(
        api.get(&format!("{SMS}{}/", pk(&sms))).1["configure_flow"],
        Value::Null
    );
    assert_eq!(
        api.get(&format!("{EMAIL}{}/", pk(&email))).1["configure_flow"],
        Value::Null
    );
    let (status, cleared) = api.patch(
        &format!("{EMAIL}{}/", pk(&email)),
        json!({"configure_flow": null}),
    );
    assert_eq!(
        (status, &cleared["configure_flow"]),
        (200, &Value::Null),
        "null accepted"
    );
}

// ---------------------------------------------------------------- Email

#[test]
fn email_only_name_is_required_and_defaults_are_the_servers() {
    let api = Api::start(&[]);
    let stage = api.create(EMAIL, json!({"name": "e"}));
    let expected = json!({
        "use_global_settings": false, "host": "localhost", "port": 25, "username": "", "password": "",
        "use_tls": false, "use_ssl": false, "timeout": 10, "from_address": "system@authentik.local",
        "subject": "authentik Sign-in code", "token_expiry": "minutes=30", "template": "email/email_otp.html",
        "friendly_name": "", "configure_flow": null,
    });
    for (field, value) in expected.as_object().expect("object") {
        assert_eq!(&stage[field], value, "default of {field}");
    }
}

#[test]
fn email_host_non_blank_port_and_timeout_int32_negatives_accepted() {
    let api = Api::start(&[]);
    api.rejects(
        "POST",
        EMAIL,
        json!({"name": "e", "host": ""}),
        json!({"host": ["This field may not be blank."]}),
    );
    let stage = api.create(EMAIL, json!({"name": "e", "port": -1, "timeout": -30}));
    assert_eq!(
        (&stage["port"], &stage["timeout"]),
        (&json!(-1), &json!(-30))
    );
    let detail = format!("{EMAIL}{}/", pk(&stage));
    let (status, errors) = api.patch(
        &detail,
        json!({"port": 2147483648_i64, "timeout": -2147483649_i64}),
    );
    assert_eq!(status, 400);
    assert_eq!(
        errors["port"],
        json!(["Ensure this value is less than or equal to 2147483647."])
    );
    assert_eq!(
        errors["timeout"],
        json!(["Ensure this value is greater than or equal to -2147483648."])
    );
    let (status, errors) = api.patch(&detail, json!({"port": "smtp", "timeout": 1.5}));
    assert_eq!(status, 400);
    assert_eq!(errors["port"], json!(["A valid integer is required."]));
    assert_eq!(errors["timeout"], json!(["A valid integer is required."]));
    let (status, ok) = api.patch(
        &detail,
        json!({"port": 2147483647, "timeout": -2147483648_i64}),
    );
    assert_eq!(
        (status, &ok["port"], &ok["timeout"]),
        (200, &json!(2147483647), &json!(-2147483648_i64))
    );
}

#[test]
fn email_from_address_is_an_email_of_at_most_254_characters() {
    let api = Api::start(&[]);
    api.rejects(
        "POST",
        EMAIL,
        json!({"name": "e", "from_address": "not-an-address"}),
        json!({"from_address": ["Enter a valid email address."]}),
    );
    let long = format!("{}@example.com", "a".repeat(250));
    let (status, errors) = api.post(EMAIL, json!({"name": "e", "from_address": long}));
    assert_eq!(status, 400);
    assert!(errors["from_address"]
        .as_array()
        .is_some_and(|m| m.contains(&json!("Ensure this field has no more than 254 characters."))));
    api.rejects(
        "POST",
        EMAIL,
        json!({"name": "e", "from_address": ""}),
        json!({"from_address": ["This field may not be blank."]}),
    );
    assert_eq!(
        api.create(
            EMAIL,
            json!({"name": "e", "from_address": "mfa@example.org"})
        )["from_address"],
        "mfa@example.org"
    );
}

#[test]
fn email_tls_and_ssl_together_accepted_and_global_settings_keep_connection_fields() {
    let api = Api::start(&[]);
    let stage = api.create(
        EMAIL,
        json!({"name": "e", "use_tls": true, "use_ssl": true, "use_global_settings": true, "host": "smtp.example.com", "username": "u", "password": "p"}),
    );
    assert_eq!(
        (&stage["use_tls"], &stage["use_ssl"]),
        (&json!(true), &json!(true))
    );
    assert_eq!(stage["use_global_settings"], true);
    assert_eq!(
        (&stage["host"], &stage["username"], &stage["password"]),
        (&json!("smtp.example.com"), &json!("u"), &json!("p"))
    );
}

// ---------------------------------------------------------------- Validate

#[test]
fn validate_only_name_is_required_and_defaults_are_the_servers() {
    let api = Api::start(&[]);
    let stage = api.create(VALIDATE, json!({"name": "v"}));
    assert_eq!(stage["not_configured_action"], "skip");
    assert_eq!(
        stage["device_classes"],
        json!(["static", "totp", "webauthn", "duo", "sms", "email"])
    );
    assert_eq!(stage["configuration_stages"], json!([]));
    assert_eq!(stage["last_auth_threshold"], "seconds=0");
    assert_eq!(stage["webauthn_user_verification"], "preferred");
    assert_eq!(stage["webauthn_allowed_device_types"], json!([]));
}

#[test]
fn validate_device_classes_non_empty_enum_checked_per_index_order_and_duplicates_kept() {
    let api = Api::start(&[]);
    api.rejects(
        "POST",
        VALIDATE,
        json!({"name": "v", "device_classes": []}),
        json!({"device_classes": ["This list may not be empty."]}),
    );
    api.rejects(
        "POST",
        VALIDATE,
        json!({"name": "v", "device_classes": ["totp", "foo"]}),
        json!({"device_classes": {"1": ["\"foo\" is not a valid choice."]}}),
    );
    api.rejects(
        "POST",
        VALIDATE,
        json!({"name": "v", "device_classes": "totp"}),
        json!({"device_classes": ["Expected a list of items but got type \"str\"."]}),
    );
    let stage = api.create(
        VALIDATE,
        json!({"name": "v", "device_classes": ["webauthn", "totp", "webauthn"]}),
    );
    assert_eq!(
        stage["device_classes"],
        json!(["webauthn", "totp", "webauthn"])
    );
}

#[test]
fn validate_configuration_stages_must_exist_are_a_set_and_lose_deleted_stages() {
    let api = Api::start(&[]);
    let sms = api.create(SMS, sms_body("s"));
    let email = api.create(EMAIL, json!({"name": "e"}));
    let other = api.create(VALIDATE, json!({"name": "other"}));
    let missing = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
    let (status, errors) = api.post(
        VALIDATE,
        json!({"name": "v", "configuration_stages": [pk(&sms), missing]}),
    );
    assert_eq!(status, 400);
    assert_eq!(
        errors,
        json!({"configuration_stages": [format!("Invalid pk \"{missing}\" - object does not exist.")]})
    );
    let stage = api.create(
        VALIDATE,
        json!({"name": "v", "configuration_stages": [pk(&sms), pk(&email), pk(&sms), pk(&other)]}),
    );
    let set = |v: &Value| {
        v["configuration_stages"]
            .as_array()
            .expect("list")
            .iter()
            .map(|s| s.as_str().unwrap_or("").to_string())
            .collect::<BTreeSet<_>>()
    };
    assert_eq!(
        stage["configuration_stages"].as_array().map(Vec::len),
        Some(3),
        "duplicates dropped"
    );
    assert_eq!(
        set(&stage),
        [pk(&sms), pk(&email), pk(&other)].into_iter().collect(),
        "any stage type"
    );
    let detail = format!("{VALIDATE}{}/", pk(&stage));
    let (_, replaced) = api.patch(&detail, json!({"configuration_stages": [pk(&email)]}));
    assert_eq!(
        replaced["configuration_stages"],
        json!([pk(&email)]),
        "a list replaces the whole set"
    );
    assert_eq!(api.delete(&format!("{EMAIL}{}/", pk(&email))).0, 204);
    assert_eq!(
        api.get(&detail).1["configuration_stages"],
        json!([]),
        "deleted stage removed from the set"
    );
}

#[test]
fn validate_configure_needs_configuration_stages_in_the_same_request_even_on_patch() {
    let api = Api::start(&[]);
    let sms = api.create(SMS, sms_body("s"));
    let message = json!(["When \"Not configured action\" is set to \"Configure\", you must set a configuration stage."]);
    let (status, errors) = api.post(
        VALIDATE,
        json!({"name": "v", "not_configured_action": "configure"}),
    );
    assert_eq!((status, &errors["not_configured_action"]), (400, &message));
    let (status, errors) = api.post(
        VALIDATE,
        json!({"name": "v", "not_configured_action": "configure", "configuration_stages": []}),
    );
    assert_eq!((status, &errors["not_configured_action"]), (400, &message));
    let stage = api.create(VALIDATE, json!({"name": "v", "not_configured_action": "configure", "configuration_stages": [pk(&sms)]}));
    let detail = format!("{VALIDATE}{}/", pk(&stage));
    let (status, errors) = api.patch(&detail, json!({"not_configured_action": "configure"}));
    assert_eq!(
        (status, &errors["not_configured_action"]),
        (400, &message),
        "PATCH with only configure fails although the stage has configuration stages"
    );
    let (status, errors) = api.put(
        &detail,
        json!({"name": "v", "not_configured_action": "configure"}),
    );
    assert_eq!((status, &errors["not_configured_action"]), (400, &message));
    let (status, ok) = api.patch(
        &detail,
        json!({"not_configured_action": "configure", "configuration_stages": [pk(&sms)]}),
    );
    assert_eq!(
        (status, &ok["not_configured_action"]),
        (200, &json!("configure"))
    );
    let (status, ok) = api.patch(&detail, json!({"not_configured_action": "deny"}));
    assert_eq!(
        (status, &ok["not_configured_action"]),
        (200, &json!("deny"))
    );
    api.rejects(
        "PATCH",
        &detail,
        json!({"not_configured_action": "prompt"}),
        json!({"not_configured_action": ["\"prompt\" is not a valid choice."]}),
    );
}

#[test]
fn validate_webauthn_device_types_must_exist_and_are_shown_as_objects() {
    let api = Api::start(&[]);
    let (status, errors) = api.post(VALIDATE, json!({"name": "v", "webauthn_allowed_device_types": ["3fa85f64-5717-4562-b3fc-2c963f66afa6"]}));
    assert_eq!(status, 400);
    assert!(errors["webauthn_allowed_device_types"][0]
        .as_str()
        .unwrap_or("")
        .contains("object does not exist"));
    let unknown = "00000000-0000-0000-0000-000000000000";
    let stage = api.create(VALIDATE, json!({"name": "v", "webauthn_allowed_device_types": [unknown], "webauthn_user_verification": "required"}));
    assert_eq!(stage["webauthn_allowed_device_types"], json!([unknown]));
    assert_eq!(
        stage["webauthn_allowed_device_types_obj"],
        json!([{"aaguid": unknown, "description": "authentik: Unknown devices"}])
    );
    assert_eq!(stage["webauthn_user_verification"], "required");
    api.rejects(
        "POST",
        VALIDATE,
        json!({"name": "w", "webauthn_user_verification": "always"}),
        json!({"webauthn_user_verification": ["\"always\" is not a valid choice."]}),
    );
}

// ---------------------------------------------------------------- duration grammar

#[test]
fn duration_grammar_is_enforced_and_values_are_stored_verbatim() {
    let api = Api::start(&[]);
    let email = api.create(EMAIL, json!({"name": "e"}));
    let validate = api.create(VALIDATE, json!({"name": "v"}));
    let targets = [
        (format!("{EMAIL}{}/", pk(&email)), "token_expiry"),
        (
            format!("{VALIDATE}{}/", pk(&validate)),
            "last_auth_threshold",
        ),
    ];
    for (detail, field) in &targets {
        for good in [
            "hours=3;minutes=1",
            "HOURS=1",
            "Minutes=2.5",
            "hours=1; minutes=3",
            "hours=1;fortnights=2",
            "seconds=1e3",
            "weeks=0",
            "days=-1",
        ] {
            let (status, answer) = api.patch(detail, json!({*field: good}));
            assert_eq!(status, 200, "{field}={good}: {answer}");
            assert_eq!(answer[*field], good, "stored verbatim");
        }
        for bad in [
            "hours=1;",
            "hours=1,minutes=2",
            "fortnights=2",
            "hours",
            "hours=x",
            "hours=1=2",
            "3h",
        ] {
            let (status, answer) = api.patch(detail, json!({*field: bad}));
            assert_eq!(status, 400, "{field}={bad}");
            assert_eq!(
                answer,
                json!({*field: [format!("{bad} is not in the correct format of 'hours=3;minutes=1'.")]})
            );
        }
        // Like every DRF string field, surrounding whitespace is trimmed before validation.
        let (status, answer) = api.patch(detail, json!({*field: "  hours=2 "}));
        assert_eq!((status, &answer[*field]), (200, &json!("hours=2")));
    }
}

// ---------------------------------------------------------------- versions and drift

/// `GET /api/v3/admin/version/` is not in the API facts (the 2026.2.2 cut has no admin paths),
/// so it is checked here against authentik's version serializer: six read-only fields, always
/// present, for any authenticated user.
#[test]
fn version_endpoint_names_the_release_like_authentiks_version_serializer() {
    for (args, release) in [
        (&["--version", "2026.2"][..], "2026.2.2"),
        (&["--version", "2026.5"][..], "2026.5.0"),
        (&[][..], "2026.5.0"),
    ] {
        let api = Api::start(args);
        let (status, body) = api.double.get("/admin/version/");
        assert_eq!(status, 200, "{args:?}: {body}");
        let keys: BTreeSet<&str> = body
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            BTreeSet::from([
                "build_hash",
                "outdated",
                "outpost_outdated",
                "version_current",
                "version_latest",
                "version_latest_valid",
            ]),
            "{args:?}"
        );
        assert_eq!(body["version_current"], release, "{args:?}");
        assert_eq!(
            body["version_latest"], release,
            "no update check: latest is current"
        );
        assert_eq!(body["version_latest_valid"], true);
        assert_eq!(body["build_hash"], "");
        assert_eq!(body["outdated"], false);
        assert_eq!(body["outpost_outdated"], false);
    }
    let api = Api::start(&["--version", "2026.2"]);
    let without = api
        .double
        .raw("GET", "/api/v3/admin/version/", &[], None)
        .expect("answer");
    assert_eq!(without.status, 403);
    assert_eq!(
        without.json(),
        json!({"detail": "Authentication credentials were not provided."}),
        "a view of no object answers like a list route"
    );
    let wrong = api
        .double
        .raw(
            "GET",
            "/api/v3/admin/version/",
            &[("Authorization", "Bearer wrong")],
            None,
        )
        .expect("answer");
    assert_eq!(
        (wrong.status, wrong.json()),
        (403, json!({"detail": "Token invalid/expired"}))
    );
    let (status, body) = api.double.post("/admin/version/", json!({}));
    assert_eq!(
        (status, body),
        (405, json!({"detail": "Method \"POST\" not allowed."}))
    );
    let auth = format!("Bearer {}", api.double.token);
    let no_slash = api
        .double
        .raw(
            "GET",
            "/api/v3/admin/version",
            &[("Authorization", &auth)],
            None,
        )
        .expect("answer");
    assert_eq!(no_slash.status, 404);
    assert!(serde_json::from_str::<Value>(&no_slash.body).is_err());
}

#[test]
fn version_2026_2_neither_accepts_nor_returns_the_2026_5_fields() {
    let api = Api::start(&["--version", "2026.2"]);
    let stage = api.create(
        VALIDATE,
        json!({"name": "v", "webauthn_hints": ["bogus"], "sms_otp_throttling_factor": "x"}),
    );
    for field in FIELDS_2026_5 {
        assert!(stage.get(field).is_none(), "{field} returned by 2026.2");
    }
    let listed = api.get(VALIDATE).1;
    assert!(listed["results"][0].get("webauthn_hints").is_none());
}

#[test]
fn version_2026_5_adds_webauthn_hints_and_throttling_factors() {
    let api = Api::start(&["--version", "2026.5"]);
    let stage = api.create(VALIDATE, json!({"name": "v"}));
    assert_eq!(stage["webauthn_hints"], json!([]));
    for field in &FIELDS_2026_5[1..] {
        assert_eq!(stage[*field].as_f64(), Some(1.0), "{field} default");
    }
    let detail = format!("{VALIDATE}{}/", pk(&stage));
    let (status, errors) = api.patch(
        &detail,
        json!({"webauthn_hints": ["hybrid", "passkey"], "totp_otp_throttling_factor": "fast"}),
    );
    assert_eq!(status, 400);
    assert_eq!(
        errors["webauthn_hints"],
        json!({"1": ["\"passkey\" is not a valid choice."]})
    );
    assert_eq!(
        errors["totp_otp_throttling_factor"],
        json!(["A valid number is required."])
    );
    let (status, ok) = api.patch(&detail, json!({"webauthn_hints": ["security-key", "client-device"], "email_otp_throttling_factor": 2.5}));
    assert_eq!(status, 200);
    assert_eq!(
        ok["webauthn_hints"],
        json!(["security-key", "client-device"])
    );
    assert_eq!(ok["email_otp_throttling_factor"].as_f64(), Some(2.5));
}

#[test]
fn secrets_write_only_accepts_sms_secrets_but_never_returns_them() {
    let api = Api::start(&["--secrets-write-only"]);
    let mut body = sms_body("s");
    body["auth_password"] = json!("pw");
    let stage = api.create(SMS, body);
    let detail = format!("{SMS}{}/", pk(&stage));
    let listed = api.get(SMS).1["results"][0].clone();
    let patched = api.patch(&detail, json!({"auth": "rotated"})).1;
    for shown in [&stage, &api.get(&detail).1, &listed, &patched] {
        assert!(
            shown.get("auth").is_none() && shown.get("auth_password").is_none(),
            "secret returned: {shown}"
        );
    }
    let stored = &api.double.stages()[0];
    assert_eq!(
        (&stored["auth"], &stored["auth_password"]),
        (&json!("rotated"), &json!("pw")),
        "still stored"
    );
    let (status, errors) = api.post(
        SMS,
        json!({"name": "t", "provider": "twilio", "from_number": "1", "account_sid": "a"}),
    );
    assert_eq!(
        (status, &errors["auth"]),
        (400, &json!(["This field is required."])),
        "still required"
    );
}

#[test]
fn shuffle_returns_set_like_lists_in_random_order_without_it_in_stored_order() {
    // `webauthn_hints` is an ordered list (an ArrayField), never shuffled.
    let types: Vec<String> = {
        let api = Api::start(&[]);
        let listed = api
            .get("/stages/authenticator/webauthn_device_types/?page_size=100")
            .1;
        listed["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|t| t["aaguid"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert!(
        types.len() >= 5,
        "enough seeded device types to see a shuffle"
    );
    for (args, expect_shuffled) in [(vec!["--shuffle"], true), (vec![], false)] {
        let api = Api::start(&args);
        let stages: Vec<String> = (0..6)
            .map(|i| pk(&api.create(EMAIL, json!({"name": format!("e{i}")}))))
            .collect();
        let stage = api.create(
            VALIDATE,
            json!({"name": "v", "configuration_stages": stages, "webauthn_allowed_device_types": types, "webauthn_hints": ["security-key", "client-device", "hybrid"]}),
        );
        let detail = format!("{VALIDATE}{}/", pk(&stage));
        let mut orders = BTreeSet::new();
        for _ in 0..12 {
            let got = api.get(&detail).1;
            let as_set = |f: &str| {
                got[f]
                    .as_array()
                    .expect("list")
                    .iter()
                    .map(|v| v.as_str().unwrap_or("").to_string())
                    .collect::<Vec<_>>()
            };
            assert_eq!(
                as_set("configuration_stages")
                    .into_iter()
                    .collect::<BTreeSet<_>>(),
                stages.iter().cloned().collect()
            );
            orders.insert((
                as_set("configuration_stages"),
                as_set("webauthn_allowed_device_types"),
                as_set("webauthn_hints"),
            ));
        }
        if expect_shuffled {
            assert!(orders.len() > 1, "--shuffle never changed the order");
            let fields = |i: usize| {
                orders
                    .iter()
                    .map(|o| [&o.0, &o.1, &o.2][i].clone())
                    .collect::<BTreeSet<_>>()
                    .len()
            };
            assert!(
                fields(0) > 1 && fields(1) > 1,
                "every set-like list is shuffled"
            );
            assert_eq!(fields(2), 1, "webauthn_hints keeps its order");
        } else {
            assert_eq!(orders.len(), 1, "order is stable without --shuffle");
            assert_eq!(orders.first().map(|o| o.0.clone()), Some(stages.clone()));
        }
    }
}

// ---------------------------------------------------------------- related objects

#[test]
fn flows_are_created_with_slug_rules_fetched_and_deleted_by_slug() {
    let api = Api::start(&[]);
    let (status, errors) = api.post(
        "/flows/instances/",
        json!({"name": "f", "slug": "has space", "title": "t", "designation": "configure"}),
    );
    assert_eq!(status, 400);
    assert!(
        errors["slug"][0].as_str().unwrap_or("").contains("slug"),
        "{errors}"
    );
    assert_eq!(
        errors["designation"],
        json!(["\"configure\" is not a valid choice."])
    );
    // server-behaviour-more.md corrects the 50-character limit: the slug is a TextField.
    let long = "a".repeat(120);
    let (status, created) = api.post(
        "/flows/instances/",
        json!({"name": "f", "slug": long, "title": "t", "designation": "stage_configuration"}),
    );
    assert_eq!((status, &created["slug"]), (201, &json!(long)), "{created}");
    let configuration_flows = |api: &Api| {
        api.get("/flows/instances/?designation=stage_configuration")
            .1["pagination"]["count"]
            .as_u64()
            .unwrap_or(0)
    };
    let before = configuration_flows(&api);
    let (status, errors) = api.post("/flows/instances/", json!({}));
    assert_eq!(status, 400);
    for field in ["name", "slug", "title", "designation"] {
        assert_eq!(errors[field], json!(["This field is required."]));
    }
    let flow = api.create("/flows/instances/", json!({"name": "F", "slug": "Ok_slug-1", "title": "T", "designation": "stage_configuration"}));
    assert_eq!(flow["designation"], "stage_configuration");
    assert_ne!(
        flow["pk"], flow["policybindingmodel_ptr_id"],
        "two different UUIDs"
    );
    assert!(flow["policybindingmodel_ptr_id"].is_string());
    let (status, errors) = api.post(
        "/flows/instances/",
        json!({"name": "F2", "slug": "Ok_slug-1", "title": "T", "designation": "authentication"}),
    );
    assert_eq!(status, 400);
    assert!(errors["slug"].is_array());
    assert_eq!(api.get("/flows/instances/Ok_slug-1/"), (200, flow.clone()));
    assert_eq!(
        api.get("/flows/instances/?slug=Ok_slug-1").1["results"][0],
        flow
    );
    assert_eq!(configuration_flows(&api), before + 1);
    assert_eq!(api.delete("/flows/instances/Ok_slug-1/").0, 204);
    assert_eq!(api.get("/flows/instances/Ok_slug-1/").0, 404);
}

#[test]
fn notification_mappings_are_created_listed_retrieved_and_deleted_by_pm_uuid() {
    let api = Api::start(&[]);
    api.rejects(
        "POST",
        "/propertymappings/notification/",
        json!({"name": "m"}),
        json!({"expression": ["This field is required."]}),
    );
    let mapping = api.create(
        "/propertymappings/notification/",
        json!({"name": "m", "expression": "return {}"}),
    );
    assert_eq!(
        mapping,
        json!({"pk": mapping["pk"], "name": "m", "expression": "return {}"})
    );
    assert_eq!(
        api.get("/propertymappings/notification/?name=m").1["results"][0],
        mapping
    );
    let detail = format!("/propertymappings/notification/{}/", pk(&mapping));
    assert_eq!(api.get(&detail), (200, mapping.clone()));
    assert_eq!(api.delete(&detail).0, 204);
    assert_eq!(
        api.get(&detail).1,
        json!({"detail": "No NotificationWebhookMapping matches the given query."})
    );
}

#[test]
fn webauthn_device_types_are_read_only_and_include_unknown_devices() {
    let api = Api::start(&[]);
    let list = api
        .get("/stages/authenticator/webauthn_device_types/?page_size=100")
        .1;
    assert_eq!(
        list["pagination"]["count"], 221,
        "every row of a real 2026.2.2 server"
    );
    let unknown = api
        .get("/stages/authenticator/webauthn_device_types/00000000-0000-0000-0000-000000000000/");
    assert_eq!(
        unknown,
        (
            200,
            json!({"aaguid": "00000000-0000-0000-0000-000000000000", "description": "authentik: Unknown devices"})
        )
    );
    // The real table: 29 rows mention YubiKey (search is case-insensitive).
    assert_eq!(
        api.get("/stages/authenticator/webauthn_device_types/?search=yubikey")
            .1["pagination"]["count"],
        29
    );
    let (status, _) = api.call(
        "POST",
        "/stages/authenticator/webauthn_device_types/",
        Some(json!({"aaguid": "x", "description": "y"})),
    );
    assert_eq!(status, 405);
    let (status, _) = api.call(
        "DELETE",
        "/stages/authenticator/webauthn_device_types/00000000-0000-0000-0000-000000000000/",
        None,
    );
    assert_eq!(status, 405);
}

#[test]
fn used_by_of_a_validate_stage_lists_its_configuration_stages_not_the_reverse() {
    let api = Api::start(&[]);
    let sms = api.create(SMS, sms_body("s"));
    let (status, users) = api.get(&format!("{SMS}{}/used_by/", pk(&sms)));
    assert_eq!((status, users), (200, json!([])));
    let validate = api.create(
        VALIDATE,
        json!({"name": "v", "configuration_stages": [pk(&sms)]}),
    );
    // Recorded on 2026.2.2: the forward many-to-many shows, the reverse side does not.
    let (_, users) = api.get(&format!("{SMS}{}/used_by/", pk(&sms)));
    assert_eq!(users, json!([]));
    let (_, users) = api.get(&format!("{VALIDATE}{}/used_by/", pk(&validate)));
    assert_eq!(
        users,
        json!([{"app": "authentik_flows", "model_name": "stage", "pk": pk(&sms), "name": "Stage s", "action": "cascade_many"}])
    );
}
