//! One test per point of `shared/authentik/server-behaviour-more.md` (TOTP, Static, WebAuthn,
//! Duo, GDTC, `/stages/all/`, flows, WebAuthn device types, a fresh install's objects), named
//! after the behaviour. Every answer also passes the OpenAPI checks of [`common::Api`].

mod common;

use std::collections::BTreeSet;

use common::{
    duo_body, gdtc_body, make_flow, names, only, pk, Api, ALL, DEVICE_TYPES, DUO, EMAIL, GDTC, SMS,
    STATIC, TOTP, VALIDATE, WEBAUTHN,
};
use serde_json::{json, Value};

/// The five stage types with `configure_flow` and `friendly_name`, each with a valid body (names
/// differ: they are unique across types).
fn setup_types() -> Vec<(&'static str, Value)> {
    vec![
        (TOTP, json!({"name": "t-totp", "digits": 6})),
        (STATIC, json!({"name": "t-static"})),
        (WEBAUTHN, json!({"name": "t-webauthn"})),
        (DUO, duo_body("t-duo")),
        (GDTC, gdtc_body("t-gdtc")),
    ]
}

fn with(body: &Value, key: &str, value: Value) -> Value {
    let mut body = body.clone();
    body[key] = value;
    body
}

fn detail(path: &str, object: &Value) -> String {
    format!("{path}{}/", pk(object))
}

/// A built-in stage from `/stages/all/`, by name.
fn builtin(api: &Api, name: &str) -> Value {
    only(&api.get(&format!("{ALL}?name={name}")).1)
}

fn strings(value: &Value) -> BTreeSet<String> {
    value
        .as_array()
        .expect("a list")
        .iter()
        .map(|v| v.as_str().unwrap_or("").to_string())
        .collect()
}

// ---------------------------------------------------------------- common to every stage endpoint

#[test]
fn common_every_response_carries_the_base_fields_and_only_name_of_them_is_writable() {
    let api = Api::start(&["--enterprise"]);
    for (path, body) in setup_types() {
        let sent = with(&body, "component", json!("ak-evil-form"));
        let sent = with(&sent, "pk", json!("00000000-0000-0000-0000-000000000001"));
        let sent = with(&sent, "flow_set", json!([{"slug": "x"}]));
        let stage = api.create(path, sent);
        for key in [
            "pk",
            "name",
            "component",
            "verbose_name",
            "verbose_name_plural",
            "meta_model_name",
            "flow_set",
        ] {
            assert!(stage.get(key).is_some(), "{path}: {key} missing in {stage}");
        }
        assert_ne!(stage["component"], "ak-evil-form", "{path}");
        assert_ne!(
            stage["pk"], "00000000-0000-0000-0000-000000000001",
            "{path}"
        );
        assert_eq!(stage["flow_set"], json!([]), "{path}: not bound anywhere");
        let (status, renamed) = api.patch(&detail(path, &stage), json!({"name": "renamed"}));
        assert_eq!((status, &renamed["name"]), (200, &json!("renamed")));
        assert_eq!(api.delete(&detail(path, &stage)).0, 204);
    }
}

#[test]
fn common_flow_set_lists_flow_objects_one_per_binding() {
    let api = Api::start(&[]);
    let login = builtin(&api, "default-authentication-login");
    let flows = login["flow_set"].as_array().expect("flow_set");
    let slugs: BTreeSet<&str> = flows.iter().filter_map(|f| f["slug"].as_str()).collect();
    assert_eq!(
        slugs,
        BTreeSet::from(["default-authentication-flow", "initial-setup"]),
        "bound into two flows"
    );
    let keys: BTreeSet<&str> = flows[0]
        .as_object()
        .expect("a flow object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        BTreeSet::from([
            "pk",
            "policybindingmodel_ptr_id",
            "name",
            "slug",
            "title",
            "designation",
            "background_url",
            "policy_engine_mode",
            "compatibility_mode",
            "export_url",
            "layout",
            "denied_action",
        ])
    );
    let flow = api.get("/flows/instances/default-authentication-flow/").1;
    let entry = flows
        .iter()
        .find(|f| f["slug"] == "default-authentication-flow")
        .expect("entry");
    assert_eq!(entry["pk"], flow["pk"]);
    assert_eq!(entry["title"], flow["title"]);
    // A flow edit shows in the stage's flow_set.
    api.patch(
        "/flows/instances/default-authentication-flow/",
        json!({"title": "Hello"}),
    );
    let login = builtin(&api, "default-authentication-login");
    assert!(login["flow_set"]
        .as_array()
        .expect("flow_set")
        .iter()
        .any(|f| f["title"] == "Hello"));
}

#[test]
fn common_configure_flow_is_a_nullable_flow_pk_of_any_designation_nulled_when_the_flow_goes() {
    // Without the built-ins, whose setup stages point at their own flows.
    let api = Api::start(&["--enterprise", "--no-builtins"]);
    let flow = api.create(
        "/flows/instances/",
        json!({"name": "a", "slug": "auth-like", "title": "t", "designation": "authentication"}),
    );
    for (path, body) in setup_types() {
        let plain = api.create(path, with(&body, "name", json!(format!("{path}-plain"))));
        assert_eq!(plain["configure_flow"], Value::Null, "{path}: default null");
        let (status, errors) = api.post(path, with(&body, "configure_flow", json!("auth-like")));
        assert_eq!(
            (status, errors["configure_flow"].clone()),
            (
                400,
                json!(["\u{201c}auth-like\u{201d} is not a valid UUID."])
            ),
            "{path}: the slug is not accepted"
        );
        let unknown = "8a4c1cfe-5f3c-4c38-a9f1-4e4b51c0b7de";
        api.rejects(
            "POST",
            path,
            with(&body, "configure_flow", json!(unknown)),
            json!({"configure_flow": [format!("Invalid pk \"{unknown}\" - object does not exist.")]}),
        );
        let stage = api.create(path, with(&body, "configure_flow", flow["pk"].clone()));
        assert_eq!(
            stage["configure_flow"], flow["pk"],
            "{path}: designation not checked"
        );
        let (status, cleared) = api.patch(&detail(path, &stage), json!({"configure_flow": null}));
        assert_eq!((status, &cleared["configure_flow"]), (200, &Value::Null));
        api.patch(&detail(path, &stage), json!({"configure_flow": flow["pk"]}));
    }
    assert_eq!(api.delete("/flows/instances/auth-like/").0, 204);
    for (path, _) in setup_types() {
        let listed = api.get(path).1;
        for stage in listed["results"].as_array().expect("results") {
            assert_eq!(stage["configure_flow"], Value::Null, "{path}: {stage}");
        }
    }
}

#[test]
fn common_friendly_name_defaults_to_empty_blank_allowed_null_rejected() {
    let api = Api::start(&["--enterprise"]);
    for (path, body) in setup_types() {
        let stage = api.create(path, body.clone());
        assert_eq!(stage["friendly_name"], "", "{path}");
        let url = detail(path, &stage);
        api.rejects(
            "PATCH",
            &url,
            json!({"friendly_name": null}),
            json!({"friendly_name": ["This field may not be null."]}),
        );
        assert_eq!(
            api.patch(&url, json!({"friendly_name": "Phone"})).1["friendly_name"],
            "Phone"
        );
        assert_eq!(
            api.patch(&url, json!({"friendly_name": ""})).1["friendly_name"],
            "",
            "{path}"
        );
        api.delete(&url);
    }
}

#[test]
fn common_strings_are_stripped_and_whitespace_only_is_blank() {
    let api = Api::start(&[]);
    let stage = api.create(
        DUO,
        json!({"name": "  duo  ", "client_id": " id ", "client_secret": " s ", "api_hostname": "\tapi.example\n", "friendly_name": "  F  "}),
    );
    assert_eq!(stage["name"], "duo");
    assert_eq!(stage["client_id"], "id");
    assert_eq!(stage["api_hostname"], "api.example");
    assert_eq!(stage["friendly_name"], "F");
    api.rejects(
        "POST",
        DUO,
        json!({"name": "d2", "client_id": "   ", "client_secret": " ", "api_hostname": "x"}),
        json!({"client_id": ["This field may not be blank."], "client_secret": ["This field may not be blank."]}),
    );
    // Stripped before the uniqueness check.
    api.rejects(
        "POST",
        TOTP,
        json!({"name": " duo", "digits": "6"}),
        json!({"name": ["stage with this name already exists."]}),
    );
}

#[test]
fn common_standard_drf_messages_and_integers_from_numeric_strings() {
    let api = Api::start(&[]);
    api.rejects(
        "POST",
        TOTP,
        json!({}),
        json!({"name": ["This field is required."], "digits": ["This field is required."]}),
    );
    api.rejects(
        "POST",
        WEBAUTHN,
        json!({"name": "w", "user_verification": "always", "max_attempts": "many"}),
        json!({"user_verification": ["\"always\" is not a valid choice."], "max_attempts": ["A valid integer is required."]}),
    );
    api.rejects(
        "POST",
        STATIC,
        json!({"name": "s", "token_count": -1, "token_length": 101}),
        json!({"token_count": ["Ensure this value is greater than or equal to 0."], "token_length": ["Ensure this value is less than or equal to 100."]}),
    );
    let stage = api.create(
        STATIC,
        json!({"name": "s", "token_count": "7", "token_length": "9"}),
    );
    assert_eq!(
        (stage["token_count"].clone(), stage["token_length"].clone()),
        (json!(7), json!(9))
    );
}

#[test]
fn common_delete_is_204_and_removes_the_stage_from_validate_configuration_stages() {
    let api = Api::start(&["--enterprise"]);
    let mut members = Vec::new();
    for (path, body) in setup_types() {
        members.push((path, api.create(path, body)));
    }
    let ids: Vec<String> = members.iter().map(|(_, s)| pk(s)).collect();
    let validate = api.create(
        VALIDATE,
        json!({"name": "v", "not_configured_action": "configure", "configuration_stages": ids}),
    );
    for (i, (path, stage)) in members.iter().enumerate() {
        let (status, body) = api.delete(&detail(path, stage));
        assert_eq!((status, body), (204, Value::Null), "{path}");
        assert_eq!(api.get(&detail(path, stage)).0, 404);
        let left = strings(&api.get(&detail(VALIDATE, &validate)).1["configuration_stages"]);
        assert_eq!(left, ids[i + 1..].iter().cloned().collect(), "after {path}");
    }
}

#[test]
fn common_delete_cascades_the_stage_flow_bindings() {
    let api = Api::start(&[]);
    let totp = builtin(&api, "default-authenticator-totp-setup");
    let flow = api
        .get("/flows/instances/default-authenticator-totp-setup/")
        .1;
    assert_eq!(flow["stages"], json!([pk(&totp)]));
    assert_eq!(api.delete(&detail(TOTP, &totp)).0, 204);
    let flow = api
        .get("/flows/instances/default-authenticator-totp-setup/")
        .1;
    assert_eq!(flow["stages"], json!([]), "the binding went with the stage");
    let used = api
        .get("/flows/instances/default-authenticator-totp-setup/used_by/")
        .1;
    assert_eq!(used, json!([]), "neither binding nor configure_flow left");
}

#[test]
fn common_lists_order_by_name_search_name_ignore_unknown_parameters_and_reject_bad_filter_values() {
    let api = Api::start(&[]);
    for name in ["b-totp", "A-totp", "c-other"] {
        api.create(TOTP, json!({"name": name, "digits": "8"}));
    }
    assert_eq!(
        names(&api.get(TOTP).1),
        vec![
            "A-totp",
            "b-totp",
            "c-other",
            "default-authenticator-totp-setup"
        ]
    );
    api.assert_finds(
        TOTP,
        &["search=TOTP"],
        &["A-totp", "b-totp", "default-authenticator-totp-setup"],
    );
    api.assert_finds(TOTP, &["bogus=1&search=other"], &["c-other"]);
    for (query, key, message) in [
        (
            "digits=7",
            "digits",
            "Select a valid choice. 7 is not one of the available choices.",
        ),
        ("stage_uuid=nope", "stage_uuid", "Enter a valid UUID."),
    ] {
        let (status, errors) = api.get(&format!("{TOTP}?{query}"));
        assert_eq!((status, errors), (400, json!({key: [message]})), "{query}");
    }
    let (status, errors) = api.get(&format!("{STATIC}?token_count=x"));
    assert_eq!(
        (status, errors),
        (400, json!({"token_count": ["Enter a number."]}))
    );
    let (status, errors) = api.get(&format!("{WEBAUTHN}?user_verification=always"));
    assert_eq!(status, 400);
    assert!(errors["user_verification"].is_array(), "{errors}");
}

// ---------------------------------------------------------------- TOTP

#[test]
fn totp_digits_required_no_default_accepted_as_number_or_string_returned_as_string() {
    let api = Api::start(&[]);
    let stage = api.create(TOTP, json!({"name": "t6", "digits": 6}));
    assert_eq!(stage["digits"], "6");
    assert_eq!(stage["component"], "ak-stage-authenticator-totp-form");
    assert_eq!(
        stage["meta_model_name"],
        "authentik_stages_authenticator_totp.authenticatortotpstage"
    );
    assert_eq!(stage["verbose_name"], "TOTP Authenticator Setup Stage");
    assert_eq!(
        api.create(TOTP, json!({"name": "t8", "digits": "8"}))["digits"],
        "8"
    );
    for (bad, message) in [
        (json!(7), "\"7\" is not a valid choice."),
        (json!("7"), "\"7\" is not a valid choice."),
        (Value::Null, "This field may not be null."),
    ] {
        api.rejects(
            "POST",
            TOTP,
            json!({"name": "tx", "digits": bad}),
            json!({"digits": [message]}),
        );
    }
    let url = detail(TOTP, &stage);
    // PUT demands digits.
    api.rejects(
        "PUT",
        &url,
        json!({"name": "t6"}),
        json!({"digits": ["This field is required."]}),
    );
    let (status, patched) = api.patch(&url, json!({"friendly_name": "x"}));
    assert_eq!(
        (status, &patched["digits"]),
        (200, &json!("6")),
        "PATCH keeps digits"
    );
}

#[test]
fn totp_filters_name_stage_uuid_configure_flow_friendly_name_digits() {
    let api = Api::start(&[]);
    let flow = make_flow(&api, "cfg");
    let six = api.create(
        TOTP,
        json!({"name": "six", "digits": 6, "friendly_name": "Phone", "configure_flow": flow["pk"]}),
    );
    api.create(TOTP, json!({"name": "eight", "digits": 8}));
    api.assert_finds(
        TOTP,
        &[
            "name=six".to_string(),
            format!("stage_uuid={}", pk(&six).to_uppercase()),
            format!("configure_flow={}", pk(&flow)),
            "friendly_name=Phone".to_string(),
        ],
        &["six"],
    );
    api.assert_finds(TOTP, &["digits=8"], &["eight"]);
    api.assert_finds(
        TOTP,
        &["digits=6"],
        &["default-authenticator-totp-setup", "six"],
    );
}

// ---------------------------------------------------------------- Static

#[test]
fn static_defaults_and_ranges() {
    let api = Api::start(&[]);
    let stage = api.create(STATIC, json!({"name": "s"}));
    assert_eq!(
        (stage["token_count"].clone(), stage["token_length"].clone()),
        (json!(6), json!(12))
    );
    assert_eq!(stage["component"], "ak-stage-authenticator-static-form");
    assert_eq!(
        stage["meta_model_name"],
        "authentik_stages_authenticator_static.authenticatorstaticstage"
    );
    assert_eq!(stage["verbose_name"], "Static Authenticator Setup Stage");
    let url = detail(STATIC, &stage);
    let zero = api
        .patch(&url, json!({"token_count": 0, "token_length": 0}))
        .1;
    assert_eq!(
        (zero["token_count"].clone(), zero["token_length"].clone()),
        (json!(0), json!(0)),
        "0 accepted"
    );
    let most = api
        .patch(
            &url,
            json!({"token_count": 2147483647, "token_length": 100}),
        )
        .1;
    assert_eq!(
        (most["token_count"].clone(), most["token_length"].clone()),
        (json!(2147483647), json!(100))
    );
    api.rejects(
        "PATCH",
        &url,
        json!({"token_count": 2147483648_i64, "token_length": 101}),
        json!({"token_count": ["Ensure this value is less than or equal to 2147483647."], "token_length": ["Ensure this value is less than or equal to 100."]}),
    );
}

#[test]
fn static_filters_name_stage_uuid_configure_flow_friendly_name_token_count_token_length() {
    let api = Api::start(&["--no-builtins"]);
    let flow = make_flow(&api, "cfg");
    let a = api.create(STATIC, json!({"name": "a", "token_count": 3, "token_length": 8, "friendly_name": "Codes", "configure_flow": flow["pk"]}));
    api.create(STATIC, json!({"name": "b"}));
    api.assert_finds(
        STATIC,
        &[
            "name=a".to_string(),
            format!("stage_uuid={}", pk(&a)),
            format!("configure_flow={}", pk(&flow)),
            "friendly_name=Codes".to_string(),
            "token_count=3".to_string(),
            "token_length=8".to_string(),
        ],
        &["a"],
    );
    api.assert_finds(STATIC, &["token_length=12"], &["b"]);
}

// ---------------------------------------------------------------- WebAuthn

#[test]
fn webauthn_defaults_enums_and_nullable_attachment() {
    let api = Api::start(&["--version", "2026.2"]);
    let stage = api.create(WEBAUTHN, json!({"name": "w"}));
    for (key, value) in [
        ("user_verification", json!("preferred")),
        ("resident_key_requirement", json!("preferred")),
        ("authenticator_attachment", Value::Null),
        ("device_type_restrictions", json!([])),
        ("device_type_restrictions_obj", json!([])),
        ("max_attempts", json!(0)),
        ("friendly_name", json!("")),
        ("configure_flow", Value::Null),
        ("component", json!("ak-stage-authenticator-webauthn-form")),
        ("verbose_name", json!("WebAuthn Authenticator Setup Stage")),
        (
            "meta_model_name",
            json!("authentik_stages_authenticator_webauthn.authenticatorwebauthnstage"),
        ),
    ] {
        assert_eq!(stage[key], value, "{key}");
    }
    let url = detail(WEBAUTHN, &stage);
    let set = api
        .patch(
            &url,
            json!({"user_verification": "required", "resident_key_requirement": "discouraged", "authenticator_attachment": "cross-platform", "max_attempts": 5}),
        )
        .1;
    assert_eq!(
        (
            set["user_verification"].clone(),
            set["resident_key_requirement"].clone(),
            set["authenticator_attachment"].clone(),
            set["max_attempts"].clone()
        ),
        (
            json!("required"),
            json!("discouraged"),
            json!("cross-platform"),
            json!(5)
        )
    );
    assert_eq!(
        api.patch(&url, json!({"authenticator_attachment": null})).1["authenticator_attachment"],
        Value::Null
    );
    api.rejects(
        "PATCH",
        &url,
        json!({"authenticator_attachment": "", "resident_key_requirement": "always", "max_attempts": -1}),
        json!({
                "authenticator_attachment": ["\"\" is not a valid choice."],
                "resident_key_requirement": ["\"always\" is not a valid choice."],
                "max_attempts": ["Ensure this value is greater than or equal to 0."],
            }),
    );
}

#[test]
fn webauthn_device_type_restrictions_are_a_set_of_existing_aaguids_with_objects() {
    let api = Api::start(&["--version", "2026.2"]);
    let unknown = "00000000-0000-0000-0000-000000000000";
    let one_password = "bada5566-a7aa-401f-bd96-45619a55120d";
    let stage = api.create(
        WEBAUTHN,
        json!({"name": "w", "device_type_restrictions": [unknown, one_password.to_uppercase(), one_password]}),
    );
    assert_eq!(
        strings(&stage["device_type_restrictions"]),
        BTreeSet::from([unknown.to_string(), one_password.to_string()]),
        "duplicates collapse, returned lower-case"
    );
    let objects: BTreeSet<(String, String)> = stage["device_type_restrictions_obj"]
        .as_array()
        .expect("objects")
        .iter()
        .map(|o| {
            (
                o["aaguid"].as_str().unwrap_or("").to_string(),
                o["description"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        objects,
        BTreeSet::from([
            (
                unknown.to_string(),
                "authentik: Unknown devices".to_string()
            ),
            (one_password.to_string(), "1Password".to_string()),
        ])
    );
    let url = detail(WEBAUTHN, &stage);
    let kept = api.patch(&url, json!({"max_attempts": 2})).1;
    assert_eq!(
        strings(&kept["device_type_restrictions"]).len(),
        2,
        "PATCH without it keeps it"
    );
    let kept = api.put(&url, json!({"name": "w"})).1;
    assert_eq!(
        strings(&kept["device_type_restrictions"]).len(),
        2,
        "PUT without it keeps it"
    );
    let replaced = api
        .patch(&url, json!({"device_type_restrictions": [one_password]}))
        .1;
    assert_eq!(
        replaced["device_type_restrictions"],
        json!([one_password]),
        "replaces the set"
    );
    let cleared = api.patch(&url, json!({"device_type_restrictions": []})).1;
    assert_eq!(
        (
            cleared["device_type_restrictions"].clone(),
            cleared["device_type_restrictions_obj"].clone()
        ),
        (json!([]), json!([]))
    );
    let missing = "11111111-2222-3333-4444-555555555555";
    for (bad, message) in [
        (
            json!([unknown, missing]),
            format!("Invalid pk \"{missing}\" - object does not exist."),
        ),
        (
            json!(unknown),
            "Expected a list of items but got type \"str\".".to_string(),
        ),
        (Value::Null, "This field may not be null.".to_string()),
    ] {
        // Flat, not indexed.
        api.rejects(
            "PATCH",
            &url,
            json!({"device_type_restrictions": bad}),
            json!({"device_type_restrictions": [message]}),
        );
    }
}

#[test]
fn webauthn_2026_2_has_no_hints_nor_prevent_duplicate_devices_and_ignores_hints() {
    let api = Api::start(&["--version", "2026.2"]);
    let stage = api.create(
        WEBAUTHN,
        json!({"name": "w", "hints": ["bogus"], "prevent_duplicate_devices": "maybe"}),
    );
    assert!(stage.get("hints").is_none(), "{stage}");
    assert!(stage.get("prevent_duplicate_devices").is_none(), "{stage}");
    let listed = api.get(&format!("{WEBAUTHN}?name=w")).1;
    assert!(listed["results"][0].get("hints").is_none());
}

#[test]
fn webauthn_2026_2_filters_include_stage_uuid_friendly_name_and_repeatable_device_types() {
    let api = Api::start(&["--version", "2026.2", "--no-builtins"]);
    let flow = make_flow(&api, "cfg");
    let unknown = "00000000-0000-0000-0000-000000000000";
    let one_password = "bada5566-a7aa-401f-bd96-45619a55120d";
    let a = api.create(
        WEBAUTHN,
        json!({"name": "a", "friendly_name": "Key", "configure_flow": flow["pk"], "user_verification": "required", "resident_key_requirement": "required", "authenticator_attachment": "platform", "device_type_restrictions": [unknown], "max_attempts": 3}),
    );
    api.create(
        WEBAUTHN,
        json!({"name": "b", "device_type_restrictions": [one_password]}),
    );
    api.create(WEBAUTHN, json!({"name": "c"}));
    api.assert_finds(
        WEBAUTHN,
        &[
            "name=a".to_string(),
            format!("stage_uuid={}", pk(&a)),
            format!("configure_flow={}", pk(&flow)),
            "friendly_name=Key".to_string(),
            "user_verification=required".to_string(),
            "resident_key_requirement=required".to_string(),
            "authenticator_attachment=platform".to_string(),
            format!("device_type_restrictions={unknown}"),
            "max_attempts=3".to_string(),
        ],
        &["a"],
    );
    assert_eq!(
        names(
            &api.get(&format!(
            "{WEBAUTHN}?device_type_restrictions={unknown}&device_type_restrictions={one_password}"
        ))
            .1
        ),
        vec!["a", "b"],
        "repeatable, OR"
    );
}

#[test]
fn webauthn_2026_5_adds_ordered_hints_and_prevent_duplicate_devices() {
    let api = Api::start(&[]);
    let stage = api.create(WEBAUTHN, json!({"name": "w"}));
    assert_eq!(stage["hints"], json!([]));
    assert_eq!(stage["prevent_duplicate_devices"], true);
    let url = detail(WEBAUTHN, &stage);
    let hints = json!(["hybrid", "security-key", "hybrid", "client-device"]);
    let set = api
        .patch(
            &url,
            json!({"hints": hints, "prevent_duplicate_devices": false}),
        )
        .1;
    assert_eq!(set["hints"], hints, "order and duplicates kept");
    assert_eq!(set["prevent_duplicate_devices"], false);
    // Nested by index.
    api.rejects(
        "PATCH",
        &url,
        json!({"hints": ["hybrid", "passkey"]}),
        json!({"hints": {"1": ["\"passkey\" is not a valid choice."]}}),
    );
    assert_eq!(
        api.patch(&url, json!({"hints": []})).1["hints"],
        json!([]),
        "blank allowed"
    );
    // Never shuffled: an ordered list.
    let shuffled = Api::start(&["--shuffle"]);
    let stage = shuffled.create(WEBAUTHN, json!({"name": "w", "hints": hints}));
    for _ in 0..8 {
        assert_eq!(shuffled.get(&detail(WEBAUTHN, &stage)).1["hints"], hints);
    }
}

#[test]
fn webauthn_2026_5_filters_shrink_and_ignore_stage_uuid_and_friendly_name() {
    let api = Api::start(&["--no-builtins"]);
    let a = api.create(
        WEBAUTHN,
        json!({"name": "a", "friendly_name": "Key", "max_attempts": 3}),
    );
    api.create(WEBAUTHN, json!({"name": "b"}));
    // Each is silently ignored.
    api.assert_finds(
        WEBAUTHN,
        &[
            format!("stage_uuid={}", pk(&a)),
            "friendly_name=Key".to_string(),
            "stage_uuid=nonsense".to_string(),
        ],
        &["a", "b"],
    );
    api.assert_finds(WEBAUTHN, &["max_attempts=3"], &["a"]);
    assert_eq!(names(&api.get(&format!("{WEBAUTHN}?name=b")).1), vec!["b"]);
}

// ---------------------------------------------------------------- Duo

#[test]
fn duo_required_fields_and_admin_integration_key_default() {
    let api = Api::start(&[]);
    api.rejects(
        "POST",
        DUO,
        json!({"name": "d"}),
        json!({"client_id": ["This field is required."], "client_secret": ["This field is required."], "api_hostname": ["This field is required."]}),
    );
    let stage = api.create(DUO, duo_body("d"));
    assert_eq!(stage["admin_integration_key"], "");
    assert_eq!(stage["component"], "ak-stage-authenticator-duo-form");
    assert_eq!(
        stage["meta_model_name"],
        "authentik_stages_authenticator_duo.authenticatorduostage"
    );
    assert_eq!(stage["verbose_name"], "Duo Authenticator Setup Stage");
    let url = detail(DUO, &stage);
    // `client_secret` on every PUT.
    api.rejects(
        "PUT",
        &url,
        json!({"name": "d", "client_id": "id", "api_hostname": "h"}),
        json!({"client_secret": ["This field is required."]}),
    );
    let (status, _) = api.put(
        &url,
        json!({"name": "d", "client_id": "id", "api_hostname": "h", "client_secret": "again"}),
    );
    assert_eq!(status, 200);
    let blank = api.patch(
        &url,
        json!({"admin_integration_key": "", "admin_secret_key": ""}),
    );
    assert_eq!(blank.0, 200, "blank admin keys allowed");
}

#[test]
fn duo_secrets_are_write_only_absent_from_every_response_and_kept_by_patch() {
    let api = Api::start(&[]);
    let body = with(&duo_body("d"), "admin_secret_key", json!("admin-secret"));
    let (status, created) = api.post(DUO, body);
    assert_eq!(status, 201);
    let url = detail(DUO, &created);
    let answers = vec![
        created.clone(),
        api.get(&url).1,
        api.get(DUO).1["results"][0].clone(),
        api.patch(&url, json!({"friendly_name": "Duo"})).1,
        api.put(
            &url,
            with(&duo_body("d"), "client_secret", json!("rotated")),
        )
        .1,
    ];
    for answer in &answers {
        assert!(answer.get("client_secret").is_none(), "{answer}");
        assert!(answer.get("admin_secret_key").is_none(), "{answer}");
        assert!(!answer.to_string().contains("secret\""), "{answer}");
    }
    // The server keeps them: the control endpoint shows the stored values.
    let stored = api
        .double
        .stages()
        .into_iter()
        .find(|s| s["name"] == "d")
        .expect("stored");
    assert_eq!(stored["client_secret"], "rotated");
    assert_eq!(
        stored["admin_secret_key"], "admin-secret",
        "PUT without it kept it"
    );
}

#[test]
fn duo_filters_are_only_name_configure_flow_client_id_api_hostname() {
    let api = Api::start(&[]);
    let flow = make_flow(&api, "cfg");
    let a = api.create(
        DUO,
        json!({"name": "a", "client_id": "ID-A", "client_secret": "s", "api_hostname": "api-a", "friendly_name": "A", "configure_flow": flow["pk"]}),
    );
    api.create(DUO, duo_body("b"));
    api.assert_finds(
        DUO,
        &[
            "name=a".to_string(),
            format!("configure_flow={}", pk(&flow)),
            "client_id=ID-A".to_string(),
            "api_hostname=api-a".to_string(),
        ],
        &["a"],
    );
    // Each is not a Duo filter.
    api.assert_finds(
        DUO,
        &[
            format!("stage_uuid={}", pk(&a)),
            "friendly_name=A".to_string(),
        ],
        &["a", "b"],
    );
}

// ---------------------------------------------------------------- GDTC

#[test]
fn gdtc_needs_a_licence_checked_after_the_fields_and_returns_credentials_in_full() {
    let unlicensed = Api::start(&[]);
    // Field checks first.
    unlicensed.rejects(
        "POST",
        GDTC,
        json!({"name": "g", "credentials": "x"}),
        json!({"credentials": ["Value must be a dictionary, and not have any duplicate keys."]}),
    );
    unlicensed.rejects(
        "POST",
        GDTC,
        json!({"name": "g"}),
        json!({"credentials": ["This field is required."]}),
    );
    unlicensed.rejects(
        "POST",
        GDTC,
        gdtc_body("g"),
        json!({"non_field_errors": ["Enterprise is required to create/update this object."]}),
    );
    assert_eq!(
        unlicensed.get(GDTC).1["pagination"]["count"],
        0,
        "listing needs no licence"
    );
    assert!(unlicensed.double.stages().is_empty(), "nothing created");

    let licensed = Api::start(&["--enterprise"]);
    let stage = licensed.create(GDTC, gdtc_body("g"));
    assert_eq!(
        stage["credentials"],
        gdtc_body("g")["credentials"],
        "private key included"
    );
    assert_eq!(
        stage["component"],
        "ak-stage-authenticator-endpoint-gdtc-form"
    );
    assert_eq!(
        stage["meta_model_name"],
        "authentik_stages_authenticator_endpoint_gdtc.authenticatorendpointgdtcstage"
    );
    assert_eq!(
        stage["verbose_name"],
        "Endpoint Authenticator Google Device Trust Connector Stage"
    );
    assert_eq!(names(&licensed.get(&format!("{GDTC}?name=g")).1), vec!["g"]);
}

// ---------------------------------------------------------------- /stages/all/

#[test]
fn all_lists_every_type_with_base_fields_only() {
    let api = Api::start(&["--enterprise"]);
    for (path, body) in setup_types() {
        api.create(
            path,
            with(&body, "name", json!(format!("mine-{}", path.len()))),
        );
    }
    let listed = api.get(&format!("{ALL}?page_size=100")).1;
    let results = listed["results"].as_array().expect("results");
    let base: BTreeSet<&str> = BTreeSet::from([
        "pk",
        "name",
        "component",
        "verbose_name",
        "verbose_name_plural",
        "meta_model_name",
        "flow_set",
    ]);
    for stage in results {
        let keys: BTreeSet<&str> = stage
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, base, "{stage}");
    }
    let models: BTreeSet<&str> = results
        .iter()
        .filter_map(|s| s["meta_model_name"].as_str())
        .collect();
    for model in [
        "authentik_stages_authenticator_validate.authenticatorvalidatestage",
        "authentik_stages_password.passwordstage",
        "authentik_stages_identification.identificationstage",
        "authentik_stages_user_login.userloginstage",
        "authentik_stages_authenticator_totp.authenticatortotpstage",
        "authentik_stages_authenticator_duo.authenticatorduostage",
        "authentik_stages_authenticator_endpoint_gdtc.authenticatorendpointgdtcstage",
    ] {
        assert!(models.contains(model), "{model} missing from {models:?}");
    }
    let identification = builtin(&api, "default-authentication-identification");
    assert_eq!(identification["component"], "ak-stage-identification-form");
    assert_eq!(identification["verbose_name"], "Identification Stage");
}

#[test]
fn all_retrieve_delete_and_used_by_for_any_type_typed_endpoints_404_other_types() {
    let api = Api::start(&[]);
    let totp = api.create(TOTP, json!({"name": "t", "digits": 6}));
    let (status, got) = api.get(&format!("{ALL}{}/", pk(&totp)));
    assert_eq!(status, 200);
    assert_eq!(got["name"], "t");
    assert!(got.get("digits").is_none(), "base fields only: {got}");
    let (status, body) = api.get(&format!("{WEBAUTHN}{}/", pk(&totp)));
    assert_eq!(
        (status, body),
        (
            404,
            json!({"detail": "No AuthenticatorWebAuthnStage matches the given query."})
        )
    );
    let (status, body) = api.get(&format!("{ALL}8a4c1cfe-5f3c-4c38-a9f1-4e4b51c0b7de/"));
    assert_eq!(
        (status, body),
        (404, json!({"detail": "No Stage matches the given query."}))
    );
    assert_eq!(
        api.get(&format!("{ALL}nope/")).1,
        json!({"detail": "Not found."})
    );
    let validate = api.create(
        VALIDATE,
        json!({"name": "v", "configuration_stages": [pk(&totp)]}),
    );
    let (status, users) = api.get(&format!("{ALL}{}/used_by/", pk(&validate)));
    assert_eq!(
        (status, users),
        (
            200,
            json!([{"app": "authentik_flows", "model_name": "stage", "pk": pk(&totp), "name": "Stage t", "action": "cascade_many"}])
        )
    );
    assert_eq!(api.delete(&format!("{ALL}{}/", pk(&totp))).0, 204);
    assert_eq!(api.get(&detail(TOTP, &totp)).0, 404);
    assert_eq!(
        api.get(&detail(VALIDATE, &validate)).1["configuration_stages"],
        json!([]),
        "same cascades as the typed delete"
    );
    let identification = builtin(&api, "default-authentication-identification");
    assert_eq!(
        api.delete(&format!("{ALL}{}/", pk(&identification))).0,
        204,
        "any type"
    );
    assert_eq!(
        api.get(&format!("{ALL}?name=default-authentication-identification"))
            .1["pagination"]["count"],
        0
    );
    for (method, status) in [("POST", 405), ("PUT", 405), ("PATCH", 405)] {
        let path = if method == "POST" {
            ALL.to_string()
        } else {
            format!("{ALL}{}/", pk(&validate))
        };
        assert_eq!(
            api.call(method, &path, Some(json!({"name": "x"}))).0,
            status,
            "{method}"
        );
    }
}

#[test]
fn all_filters_name_exactly_and_search_case_insensitively_paginated() {
    let api = Api::start(&[]);
    api.create(EMAIL, json!({"name": "Mail-Code"}));
    api.create(TOTP, json!({"name": "mail-code-2", "digits": 6}));
    api.assert_finds(ALL, &["name=Mail-Code"], &["Mail-Code"]);
    assert!(
        names(&api.get(&format!("{ALL}?name=mail")).1).is_empty(),
        "exact"
    );
    api.assert_finds(
        ALL,
        &["search=MAIL&ordering=name"],
        &["Mail-Code", "mail-code-2"],
    );
    let page = api.get(&format!("{ALL}?page_size=5&page=2")).1;
    assert_eq!(page["pagination"]["current"], 2);
    assert_eq!(page["results"].as_array().map(Vec::len), Some(5));
    assert_eq!(page["autocomplete"], json!({}));
}

#[test]
fn all_has_no_default_ordering_but_orders_by_name_on_request() {
    let api = Api::start(&["--no-builtins"]);
    for name in ["zeta", "Alpha", "mid"] {
        api.create(EMAIL, json!({"name": name}));
    }
    assert_eq!(
        names(&api.get(ALL).1),
        vec!["zeta", "Alpha", "mid"],
        "whatever the database returns (here: creation order), not by name"
    );
    api.assert_finds(ALL, &["ordering=name"], &["Alpha", "mid", "zeta"]);
    api.assert_finds(ALL, &["ordering=-name"], &["zeta", "mid", "Alpha"]);
    // The typed endpoints keep ordering by name.
    assert_eq!(names(&api.get(EMAIL).1), vec!["Alpha", "mid", "zeta"]);
}

// ---------------------------------------------------------------- flows

#[test]
fn flows_detail_urls_use_the_slug_and_a_slug_change_moves_the_url() {
    let api = Api::start(&[]);
    make_flow(&api, "old-slug");
    let (status, body) = api.get("/flows/instances/no-such-flow/");
    assert_eq!(
        (status, body),
        (404, json!({"detail": "No Flow matches the given query."}))
    );
    let (status, moved) = api.patch("/flows/instances/old-slug/", json!({"slug": "new-slug"}));
    assert_eq!((status, &moved["slug"]), (200, &json!("new-slug")));
    assert_eq!(
        moved["export_url"],
        "/api/v3/flows/instances/new-slug/export/"
    );
    assert_eq!(api.get("/flows/instances/old-slug/").0, 404);
    assert_eq!(api.get("/flows/instances/new-slug/").1["pk"], moved["pk"]);
    let (status, users) = api.get("/flows/instances/new-slug/used_by/");
    assert_eq!((status, users), (200, json!([])));
}

#[test]
fn flows_pk_is_what_stages_take_and_policybindingmodel_ptr_id_differs() {
    let api = Api::start(&[]);
    let flow = make_flow(&api, "cfg");
    assert_ne!(flow["pk"], flow["policybindingmodel_ptr_id"]);
    assert!(common::openapi::is_canonical_uuid(
        flow["policybindingmodel_ptr_id"].as_str().unwrap_or("")
    ));
    let (status, _) = api.post(
        TOTP,
        json!({"name": "t", "digits": 6, "configure_flow": flow["policybindingmodel_ptr_id"]}),
    );
    assert_eq!(status, 400, "the other UUID is not a flow pk");
    assert_eq!(
        api.create(
            TOTP,
            json!({"name": "t", "digits": 6, "configure_flow": flow["pk"]})
        )["configure_flow"],
        flow["pk"]
    );
    let (_, users) = api.get("/flows/instances/cfg/used_by/");
    assert_eq!(users[0]["action"], "set_null");
    assert_eq!(users[0]["model_name"], "authenticatortotpstage");
}

#[test]
fn flows_fields_defaults_and_rules() {
    let api = Api::start(&[]);
    let flow = make_flow(&api, "cfg");
    for (key, value) in [
        ("authentication", json!("none")),
        ("denied_action", json!("message_continue")),
        ("layout", json!("stacked")),
        ("policy_engine_mode", json!("any")),
        ("compatibility_mode", json!(false)),
        ("background", json!("")),
        ("stages", json!([])),
        ("policies", json!([])),
        ("cache_count", json!(0)),
        ("background_themed_urls", Value::Null),
    ] {
        assert_eq!(flow[key], value, "{key}");
    }
    assert!(
        flow["background_url"]
            .as_str()
            .is_some_and(|u| !u.is_empty()),
        "never null"
    );
    let twin = api.create(
        "/flows/instances/",
        json!({"name": "cfg", "slug": "cfg-2", "title": "t", "designation": "recovery"}),
    );
    assert_eq!(twin["name"], "cfg", "names are not unique");
    api.rejects(
        "POST",
        "/flows/instances/",
        json!({"name": "x", "slug": "cfg", "title": "t", "designation": "recovery"}),
        json!({"slug": ["Flow with this slug already exists."]}),
    );
    api.rejects(
        "POST",
        "/flows/instances/",
        json!({"name": "x", "slug": "bad/slug", "title": " ", "designation": "recovery", "authentication": "require_nobody", "layout": "grid", "policy_engine_mode": "some", "denied_action": "shrug"}),
        json!({
                "slug": ["Enter a valid \u{201c}slug\u{201d} consisting of letters, numbers, underscores or hyphens."],
                "title": ["This field may not be blank."],
                "authentication": ["\"require_nobody\" is not a valid choice."],
                "layout": ["\"grid\" is not a valid choice."],
                "policy_engine_mode": ["\"some\" is not a valid choice."],
                "denied_action": ["\"shrug\" is not a valid choice."],
            }),
    );
    let long = "s".repeat(200);
    let made = api.create(
        "/flows/instances/",
        json!({"name": "x", "slug": long, "title": "t", "designation": "enrollment"}),
    );
    assert_eq!(made["slug"], json!(long), "no maximum length");
}

#[test]
fn flows_filters_search_and_default_ordering_by_slug() {
    let api = Api::start(&["--no-builtins"]);
    let b = api.create("/flows/instances/", json!({"name": "Same", "slug": "b-flow", "title": "Bee", "designation": "recovery", "denied_action": "continue"}));
    api.create(
        "/flows/instances/",
        json!({"name": "Same", "slug": "a-flow", "title": "Ay", "designation": "enrollment"}),
    );
    let slugs = |query: &str| -> Vec<String> {
        api.get(&format!("/flows/instances/?{query}")).1["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|f| f["slug"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(slugs(""), vec!["a-flow", "b-flow"], "ordered by slug");
    assert_eq!(slugs("name=Same"), vec!["a-flow", "b-flow"]);
    assert_eq!(slugs("slug=b-flow"), vec!["b-flow"]);
    assert_eq!(slugs(&format!("flow_uuid={}", pk(&b))), vec!["b-flow"]);
    assert_eq!(slugs("designation=recovery"), vec!["b-flow"]);
    assert_eq!(slugs("denied_action=continue"), vec!["b-flow"]);
    assert_eq!(slugs("search=BEE"), vec!["b-flow"], "title");
    assert_eq!(slugs("search=enroll"), vec!["a-flow"], "designation");
    assert_eq!(slugs("search=a-fl"), vec!["a-flow"], "slug");
    assert_eq!(
        slugs("search=message_continue"),
        vec!["a-flow"],
        "denied_action"
    );
}

#[test]
fn flows_delete_nulls_configure_flow_and_cascades_bindings() {
    let api = Api::start(&[]);
    let webauthn = builtin(&api, "default-authenticator-webauthn-setup");
    let typed = api.get(&detail(WEBAUTHN, &webauthn)).1;
    assert!(typed["configure_flow"].is_string());
    assert_eq!(
        api.delete("/flows/instances/default-authenticator-webauthn-setup/")
            .0,
        204
    );
    let typed = api.get(&detail(WEBAUTHN, &webauthn)).1;
    assert_eq!(typed["configure_flow"], Value::Null);
    assert_eq!(typed["flow_set"], json!([]), "binding gone");
    let (_, users) = api.get(&format!("{ALL}{}/used_by/", pk(&webauthn)));
    assert_eq!(users, json!([]));
}

// ---------------------------------------------------------------- WebAuthn device types

#[test]
fn device_types_are_read_only_aaguid_and_description_only() {
    let api = Api::start(&[]);
    let listed = api.get(&format!("{DEVICE_TYPES}?page_size=100")).1;
    for row in listed["results"].as_array().expect("results") {
        let keys: BTreeSet<&str> = row
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            BTreeSet::from(["aaguid", "description"]),
            "no icon: {row}"
        );
    }
    let descriptions: Vec<&str> = listed["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["description"].as_str())
        .collect();
    let mut sorted = descriptions.clone();
    sorted.sort();
    assert_eq!(descriptions, sorted, "ordered by description");
    for method in ["POST", "PUT", "PATCH", "DELETE"] {
        let path = if method == "POST" {
            DEVICE_TYPES.to_string()
        } else {
            format!("{DEVICE_TYPES}00000000-0000-0000-0000-000000000000/")
        };
        assert_eq!(api.call(method, &path, Some(json!({}))).0, 405, "{method}");
    }
}

#[test]
fn device_types_filter_by_aaguid_description_icon_and_search_description_or_aaguid() {
    let api = Api::start(&[]);
    let windows = api
        .get(&format!("{DEVICE_TYPES}?description=Windows+Hello"))
        .1;
    assert_eq!(
        windows["pagination"]["count"], 3,
        "descriptions are not unique: {windows}"
    );
    let yubikey_5 = api
        .get(&format!("{DEVICE_TYPES}?description=YubiKey+5+Series"))
        .1;
    assert_eq!(
        yubikey_5["pagination"]["count"], 3,
        "three AAGUIDs are called \"YubiKey 5 Series\": {yubikey_5}"
    );
    let one = only(
        &api.get(&format!(
            "{DEVICE_TYPES}?aaguid=BADA5566A7AA401FBD9645619A55120D"
        ))
        .1,
    );
    assert_eq!(one["description"], "1Password");
    assert_eq!(
        only(&api.get(&format!("{DEVICE_TYPES}?search=bada5566")).1)["description"],
        "1Password",
        "search looks in the aaguid"
    );
    assert_eq!(
        only(&api.get(&format!("{DEVICE_TYPES}?search=unknown+devices")).1)["aaguid"],
        "00000000-0000-0000-0000-000000000000"
    );
    let all = api.get(&format!("{DEVICE_TYPES}?page_size=100")).1["pagination"]["count"].clone();
    let with_icon = api
        .get(&format!(
            "{DEVICE_TYPES}?page_size=100&icon=data%3Aimage%2Fsvg%2Bxml%3Bbase64%2CPHN2Zy8%2B"
        ))
        .1;
    assert_eq!(all, 221);
    assert_eq!(
        with_icon["pagination"]["count"], 220,
        "the icon filters (the Unknown row has none): {with_icon}"
    );
    assert_eq!(
        api.get(&format!("{DEVICE_TYPES}?icon=nothing")).1["pagination"]["count"],
        0
    );
}

#[test]
fn device_types_are_empty_until_the_background_task_has_run() {
    // --no-device-types: a fresh install whose `webauthn_mds_import` has not run yet.
    let api = Api::start(&["--no-device-types"]);
    let listed = api.get(DEVICE_TYPES).1;
    assert_eq!(listed["pagination"]["count"], 0, "{listed}");
    assert_eq!(listed["results"], json!([]));
    let (status, _) = api.get(&format!(
        "{DEVICE_TYPES}00000000-0000-0000-0000-000000000000/"
    ));
    assert_eq!(status, 404, "not even the Unknown row");
    let (status, errors) = api.post(
        WEBAUTHN,
        json!({"name": "w", "device_type_restrictions": ["00000000-0000-0000-0000-000000000000"]}),
    );
    assert_eq!(status, 400);
    assert_eq!(
        errors["device_type_restrictions"],
        json!(["Invalid pk \"00000000-0000-0000-0000-000000000000\" - object does not exist."])
    );
    // Stages without restrictions, and the built-ins, are there as usual.
    api.create(WEBAUTHN, json!({"name": "w"}));
    assert!(!only(
        &api.get(&format!("{ALL}?name=default-authenticator-webauthn-setup"))
            .1
    )["pk"]
        .is_null());
}

// ---------------------------------------------------------------- names

#[test]
fn names_are_unique_across_all_types_including_built_ins_and_case_sensitive() {
    let api = Api::start(&["--enterprise"]);
    for builtin_name in common_builtin_names() {
        for (path, body) in setup_types().into_iter().chain([
            (EMAIL, json!({"name": "x"})),
            (VALIDATE, json!({"name": "x"})),
            (SMS, common::sms_body("x")),
        ]) {
            api.rejects(
                "POST",
                path,
                with(&body, "name", json!(builtin_name)),
                json!({"name": ["stage with this name already exists."]}),
            );
        }
    }
    api.create(TOTP, json!({"name": "Foo", "digits": 6}));
    api.create(STATIC, json!({"name": "foo"}));
    api.assert_finds(ALL, &["search=foo&ordering=name"], &["Foo", "foo"]);
}

/// Every stage name a fresh install has (server-behaviour-more.md).
fn common_builtin_names() -> Vec<&'static str> {
    vec![
        "default-authentication-identification",
        "default-authentication-password",
        "default-authentication-mfa-validation",
        "default-authentication-login",
        "default-authenticator-totp-setup",
        "default-authenticator-static-setup",
        "default-authenticator-webauthn-setup",
        "default-invalidation-logout",
        "default-provider-authorization-consent",
        "default-source-authentication-login",
        "default-source-enrollment-login",
        "default-source-enrollment-prompt",
        "default-source-enrollment-write",
        "default-user-settings",
        "default-user-settings-write",
        "default-password-change-prompt",
        "default-password-change-write",
        "stage-default-oobe-password",
    ]
}

// ---------------------------------------------------------------- a fresh install

#[test]
fn fresh_install_has_the_default_flows() {
    let api = Api::start(&[]);
    for (slug, name, designation, title, authentication) in [
        (
            "default-authentication-flow",
            "Welcome to authentik!",
            "authentication",
            "Welcome to authentik!",
            "none",
        ),
        (
            "default-authenticator-totp-setup",
            "default-authenticator-totp-setup",
            "stage_configuration",
            "Set up Two-Factor authentication",
            "require_authenticated",
        ),
        (
            "default-authenticator-static-setup",
            "default-authenticator-static-setup",
            "stage_configuration",
            "Setup Static OTP Tokens",
            "require_authenticated",
        ),
        (
            "default-authenticator-webauthn-setup",
            "default-authenticator-webauthn-setup",
            "stage_configuration",
            "Setup WebAuthn",
            "require_authenticated",
        ),
        (
            "default-password-change",
            "Change Password",
            "stage_configuration",
            "Change password",
            "require_authenticated",
        ),
        (
            "default-source-authentication",
            "Welcome to authentik!",
            "authentication",
            "Welcome to authentik!",
            "require_unauthenticated",
        ),
        (
            "default-source-pre-authentication",
            "Pre-Authentication",
            "stage_configuration",
            "Pre-authentication",
            "none",
        ),
        (
            "initial-setup",
            "default-oobe-setup",
            "stage_configuration",
            "Welcome to authentik!",
            "none",
        ),
    ] {
        let (status, flow) = api.get(&format!("/flows/instances/{slug}/"));
        assert_eq!(status, 200, "{slug}");
        assert_eq!(
            (
                &flow["name"],
                &flow["designation"],
                &flow["title"],
                &flow["authentication"]
            ),
            (
                &json!(name),
                &json!(designation),
                &json!(title),
                &json!(authentication)
            ),
            "{slug}"
        );
    }
    for slug in [
        "default-invalidation-flow",
        "default-provider-authorization-explicit-consent",
        "default-provider-authorization-implicit-consent",
        "default-provider-invalidation-flow",
        "default-source-enrollment",
        "default-user-settings-flow",
    ] {
        assert_eq!(
            api.get(&format!("/flows/instances/{slug}/")).0,
            200,
            "{slug}"
        );
    }
    let authentication = api.get("/flows/instances/?designation=authentication").1;
    assert_eq!(
        authentication["pagination"]["count"], 2,
        "two authentication flows"
    );
}

#[test]
fn fresh_install_default_authentication_flow_binds_identification_password_mfa_login() {
    let api = Api::start(&[]);
    let flow = api.get("/flows/instances/default-authentication-flow/").1;
    let expected: BTreeSet<String> = [
        "default-authentication-identification",
        "default-authentication-password",
        "default-authentication-mfa-validation",
        "default-authentication-login",
    ]
    .iter()
    .map(|name| pk(&builtin(&api, name)))
    .collect();
    assert_eq!(strings(&flow["stages"]), expected);
    let used = api
        .get("/flows/instances/default-authentication-flow/used_by/")
        .1;
    let orders: BTreeSet<String> = used
        .as_array()
        .expect("used_by")
        .iter()
        .filter(|u| u["model_name"] == "flowstagebinding")
        .filter_map(|u| u["name"].as_str().map(str::to_string))
        .collect();
    for order in [10, 20, 30, 100] {
        assert!(
            orders.contains(&format!("Flow-stage binding #{order} to {}", pk(&flow))),
            "order {order}: {orders:?}"
        );
    }
    let password = builtin(&api, "default-authentication-password");
    assert_eq!(
        password["meta_model_name"],
        "authentik_stages_password.passwordstage"
    );
    let change = api
        .get("/flows/instances/default-password-change/used_by/")
        .1;
    assert!(
        change
            .as_array()
            .expect("used_by")
            .iter()
            .any(|u| u["pk"] == password["pk"] && u["action"] == "set_null"),
        "the password stage's configure_flow is the password change flow: {change}"
    );
}

#[test]
fn fresh_install_mfa_validation_stage_has_every_default() {
    let api = Api::start(&[]);
    let found = builtin(&api, "default-authentication-mfa-validation");
    assert_eq!(
        found["meta_model_name"],
        "authentik_stages_authenticator_validate.authenticatorvalidatestage"
    );
    assert_eq!(found["flow_set"][0]["slug"], "default-authentication-flow");
    let stage = api.get(&detail(VALIDATE, &found)).1;
    for (key, value) in [
        ("not_configured_action", json!("skip")),
        (
            "device_classes",
            json!(["static", "totp", "webauthn", "duo", "sms", "email"]),
        ),
        ("configuration_stages", json!([])),
        ("last_auth_threshold", json!("seconds=0")),
        ("webauthn_user_verification", json!("preferred")),
        ("webauthn_allowed_device_types", json!([])),
    ] {
        assert_eq!(stage[key], value, "{key}");
    }
}

#[test]
fn fresh_install_authenticator_setup_stages_point_at_and_are_bound_into_their_flows() {
    let api = Api::start(&[]);
    for (path, name, checks) in [
        (
            TOTP,
            "default-authenticator-totp-setup",
            json!({"digits": "6", "friendly_name": "TOTP Device"}),
        ),
        (
            STATIC,
            "default-authenticator-static-setup",
            json!({"token_count": 6, "token_length": 12, "friendly_name": "Static tokens"}),
        ),
        (
            WEBAUTHN,
            "default-authenticator-webauthn-setup",
            json!({"friendly_name": "WebAuthn device", "user_verification": "preferred", "resident_key_requirement": "preferred", "authenticator_attachment": null, "device_type_restrictions": [], "max_attempts": 0}),
        ),
    ] {
        let stage = only(&api.get(&format!("{path}?name={name}")).1);
        for (key, value) in checks.as_object().expect("checks") {
            assert_eq!(&stage[key], value, "{name} {key}");
        }
        let flow = api.get(&format!("/flows/instances/{name}/")).1;
        assert_eq!(stage["configure_flow"], flow["pk"], "{name}");
        assert_eq!(
            stage["flow_set"].as_array().map(Vec::len),
            Some(1),
            "{name}"
        );
        assert_eq!(stage["flow_set"][0]["pk"], flow["pk"], "{name}");
        assert_eq!(flow["stages"], json!([pk(&stage)]));
        let used = api.get(&format!("/flows/instances/{name}/used_by/")).1;
        assert!(
            used.as_array()
                .expect("used_by")
                .iter()
                .any(|u| u["name"] == format!("Flow-stage binding #0 to {}", pk(&flow))),
            "bound at order 0: {used}"
        );
    }
}

#[test]
fn fresh_install_has_no_duo_sms_email_or_gdtc_stage() {
    let api = Api::start(&[]);
    for path in [DUO, SMS, EMAIL, GDTC] {
        assert_eq!(api.get(path).1["pagination"]["count"], 0, "{path}");
    }
    assert_eq!(api.get(VALIDATE).1["pagination"]["count"], 1);
    let all = api.get(&format!("{ALL}?page_size=100")).1;
    let mut listed: Vec<String> = names(&all);
    listed.sort();
    let mut expected: Vec<String> = common_builtin_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    expected.sort();
    assert_eq!(listed, expected, "exactly the built-in stage names");
}

#[test]
fn no_builtins_starts_empty_but_keeps_the_device_types() {
    let api = Api::start(&["--no-builtins"]);
    assert_eq!(api.get(ALL).1["pagination"]["count"], 0);
    assert_eq!(api.get("/flows/instances/").1["pagination"]["count"], 0);
    assert!(api.double.all_stages().is_empty());
    assert_eq!(
        api.get(&format!(
            "{DEVICE_TYPES}00000000-0000-0000-0000-000000000000/"
        ))
        .0,
        200
    );
    let stage = api.create(
        TOTP,
        json!({"name": "default-authenticator-totp-setup", "digits": 6}),
    );
    assert_eq!(
        stage["name"], "default-authenticator-totp-setup",
        "the names are free"
    );
}

#[test]
fn control_endpoint_lists_built_ins_with_their_type() {
    let api = Api::start(&[]);
    let all = api.double.all_stages();
    let type_of = |name: &str| {
        all.iter()
            .find(|s| s["name"] == name)
            .map(|s| s["type"].clone())
            .unwrap_or(Value::Null)
    };
    for (name, kind) in [
        ("default-authentication-identification", "identification"),
        ("default-authentication-password", "password"),
        ("default-authentication-mfa-validation", "validate"),
        ("default-authentication-login", "user_login"),
        ("default-authenticator-totp-setup", "totp"),
        ("default-authenticator-static-setup", "static"),
        ("default-authenticator-webauthn-setup", "webauthn"),
        ("default-invalidation-logout", "user_logout"),
        ("default-provider-authorization-consent", "consent"),
        ("default-user-settings", "prompt"),
        ("default-user-settings-write", "user_write"),
    ] {
        assert_eq!(type_of(name), json!(kind), "{name}");
    }
    assert!(
        api.double.stages().is_empty(),
        "the harness leaves built-ins out"
    );
}

// ---------------------------------------------------------------- 2026.2.2 → 2026.5

#[test]
fn lists_carry_autocomplete_on_both_versions() {
    for args in [vec!["--version", "2026.2"], vec![]] {
        let api = Api::start(&args);
        for path in [
            TOTP,
            STATIC,
            WEBAUTHN,
            DUO,
            GDTC,
            ALL,
            DEVICE_TYPES,
            "/flows/instances/",
        ] {
            assert_eq!(
                api.get(path).1["autocomplete"],
                json!({}),
                "{path} {args:?}"
            );
        }
    }
}
