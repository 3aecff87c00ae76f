//! The authentik client against the authentik API double (`authentik-double`, built with
//! `cargo build -p authentik-double`): every operation, exact request bodies, typed errors,
//! version drift, and fault injection without duplicates.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use models::{
    DeviceClass, EmailStageRequest, Field, FlowDesignation, FlowRequest, NotConfiguredAction,
    NotificationWebhookMappingRequest, SmsAuthType, SmsProvider, SmsStageRequest, TypedResources,
    UsedByAction, UserVerification, ValidateStageRequest, WebAuthnHint,
};
use serde_json::{json, Value};
use terraform_provider_authentik::client::{
    ApiError, Client, ClientConfig, Created, FieldPathStep, JsonObject, Secret, TransportKind,
};
use tokio_util::sync::CancellationToken;

#[path = "common/client_helpers.rs"]
mod client_helpers;
#[path = "common/models.rs"]
mod models;
use client_helpers::{ApiErrorExt, CreatedExt};
mod support;
use support::double::Double;

const UNKNOWN_DEVICE: &str = "00000000-0000-0000-0000-000000000000";
const SMS: &str = "stages/authenticator/sms";
const EMAIL: &str = "stages/authenticator/email";
const VALIDATE: &str = "stages/authenticator/validate";

/// A client for the double, with quick retries.
fn client(d: &Double) -> Client {
    client_with(d, |_| {})
}

fn client_with(d: &Double, f: impl FnOnce(&mut ClientConfig)) -> Client {
    let mut c = ClientConfig::new(&d.url, d.token.as_str());
    c.backoff_base = Duration::from_millis(20);
    c.backoff_max = Duration::from_millis(200);
    c.retry_after_max = Duration::from_millis(1500);
    c.retry_timeout = Duration::from_secs(2);
    f(&mut c);
    Client::new(c, CancellationToken::new()).expect("client builds")
}

fn obj(v: Value) -> JsonObject {
    match v {
        Value::Object(m) => m,
        other => panic!("not an object: {other}"),
    }
}

fn sms_body(name: &str) -> JsonObject {
    obj(json!({
        "name": name,
        "provider": "generic",
        "from_number": "+15550100",
        "account_sid": "https://sms.example.com/send",
        "auth": "sms-auth-SECRET",
    }))
}

fn pk(o: &JsonObject) -> String {
    o.get("pk")
        .and_then(Value::as_str)
        .expect("object has a pk")
        .to_owned()
}

fn field_paths(e: &ApiError) -> Vec<Vec<FieldPathStep>> {
    match e {
        ApiError::Validation { errors } => errors.iter().map(|f| f.path.clone()).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn f(s: &str) -> FieldPathStep {
    FieldPathStep::Field(s.to_owned())
}

#[tokio::test]
async fn sms_stage_full_lifecycle() {
    let d = Double::start(&[]);
    let c = client(&d);
    let sms = c.endpoint(SMS);

    let created = sms
        .create(&sms_body("sms-life"))
        .await
        .map(Created::into_object)
        .expect("create");
    let id = pk(&created);
    assert_eq!(created["name"], "sms-life");
    assert_eq!(created["auth_type"], "basic", "server default");
    assert_eq!(created["friendly_name"], "");

    let got = sms.retrieve(&id).await.expect("retrieve");
    assert_eq!(got, created);
    // UUIDs are accepted in any case.
    let upper = sms
        .retrieve(&id.to_uppercase())
        .await
        .expect("retrieve upper");
    assert_eq!(pk(&upper), id);

    let mut put = sms_body("sms-life");
    put.insert("from_number".into(), json!("+15550199"));
    put.insert("auth_type".into(), json!("bearer"));
    let updated = sms.partial_update(&id, &put).await.expect("update");
    assert_eq!(updated["from_number"], "+15550199");
    assert_eq!(updated["auth_type"], "bearer");

    let patched = sms
        .partial_update(&id, &obj(json!({"verify_only": true})))
        .await
        .expect("partial update");
    assert_eq!(patched["verify_only"], true);
    assert_eq!(
        patched["from_number"], "+15550199",
        "PATCH keeps other keys"
    );

    let found = sms
        .find_by_name("sms-life")
        .await
        .expect("find")
        .expect("found");
    assert_eq!(pk(&found), id);
    assert!(sms.find_by_name("sms-lif").await.expect("find").is_none());

    assert!(c.sms().used_by(&id).await.expect("used_by").is_empty());
    sms.delete(&id).await.expect("delete");
    assert!(sms.retrieve(&id).await.expect_err("gone").is_not_found());
    assert!(sms.delete(&id).await.expect_err("gone").is_not_found());
    assert!(c.sms().used_by(&id).await.expect_err("gone").is_not_found());
}

#[tokio::test]
async fn typed_helpers_cover_every_collection() {
    let d = Double::start(&["--version", "2026.5"]);
    let c = client(&d);

    // Device types: read-only, the unknown-device entry always exists.
    let types = c
        .webauthn_device_types()
        .list(&[])
        .await
        .expect("device types");
    assert!(types.iter().any(|t| t.aaguid == UNKNOWN_DEVICE));
    let unknown = c
        .webauthn_device_types()
        .retrieve(UNKNOWN_DEVICE)
        .await
        .expect("retrieve device type");
    assert!(unknown.description.is_some_and(|d| !d.is_empty()));

    // Flows: keyed by slug; stages take the flow pk.
    let flow = c
        .flows()
        .create(&FlowRequest {
            name: "Configure".to_owned().into(),
            slug: "configure-otp".to_owned().into(),
            title: "Configure OTP".to_owned().into(),
            designation: FlowDesignation::StageConfiguration.into(),
        })
        .await
        .expect("create flow");
    assert_eq!(flow.designation, Some(FlowDesignation::StageConfiguration));
    let again = c
        .flows()
        .retrieve("configure-otp")
        .await
        .expect("flow by slug");
    assert_eq!(again.pk, flow.pk);
    assert!(c
        .flows()
        .list(&[])
        .await
        .expect("flows")
        .iter()
        .any(|f| f.slug == "configure-otp"));

    // Notification webhook mappings.
    let mapping = c
        .notification_mappings()
        .create(&NotificationWebhookMappingRequest {
            name: "sms-mapping".to_owned().into(),
            expression: "return {}".to_owned().into(),
        })
        .await
        .expect("create mapping");
    assert!(!mapping.pk.is_empty());
    assert!(c
        .notification_mappings()
        .find_by_name("sms-mapping")
        .await
        .expect("find mapping")
        .is_some());

    // SMS with both references.
    let sms = c
        .sms()
        .create(&SmsStageRequest {
            name: "typed-sms".to_owned().into(),
            provider: SmsProvider::Twilio.into(),
            from_number: "+15550100".to_owned().into(),
            account_sid: "AC123".to_owned().into(),
            auth: models::Secret::new("twilio-SECRET").into(),
            auth_type: SmsAuthType::Basic.into(),
            mapping: mapping.pk.clone().into(),
            configure_flow: flow.pk.clone().into(),
            ..Default::default()
        })
        .await
        .expect("create sms");
    assert_eq!(sms.provider, Some(SmsProvider::Twilio));
    assert_eq!(sms.mapping.as_deref(), Some(mapping.pk.as_str()));
    assert_eq!(sms.configure_flow.as_deref(), Some(flow.pk.as_str()));
    assert_eq!(sms.auth.as_ref().map(|a| a.expose()), Some("twilio-SECRET"));

    // Email with server defaults.
    let email = c
        .email()
        .create(&EmailStageRequest {
            name: "typed-email".to_owned().into(),
            ..Default::default()
        })
        .await
        .expect("create email");
    assert_eq!(email.host.as_deref(), Some("localhost"));
    assert_eq!(email.port, Some(25));
    assert_eq!(email.use_global_settings, Some(false));
    assert_eq!(email.token_expiry.as_deref(), Some("minutes=30"));

    // Validate referencing both stages and the unknown device type; 2026.5 fields present.
    let validate = c
        .validate()
        .create(&ValidateStageRequest {
            name: "typed-validate".to_owned().into(),
            not_configured_action: NotConfiguredAction::Configure.into(),
            device_classes: vec![DeviceClass::Sms, DeviceClass::Email].into(),
            configuration_stages: vec![sms.pk.clone(), email.pk.clone()].into(),
            webauthn_allowed_device_types: vec![UNKNOWN_DEVICE.to_owned()].into(),
            webauthn_user_verification: UserVerification::Required.into(),
            webauthn_hints: vec![WebAuthnHint::SecurityKey].into(),
            ..Default::default()
        })
        .await
        .expect("create validate");
    assert_eq!(
        validate.not_configured_action,
        Some(NotConfiguredAction::Configure)
    );
    let stages: BTreeSet<String> = validate
        .configuration_stages
        .clone()
        .unwrap_or_default()
        .into_iter()
        .collect();
    assert_eq!(stages, BTreeSet::from([sms.pk.clone(), email.pk.clone()]));
    assert_eq!(
        validate.webauthn_hints,
        Some(vec![WebAuthnHint::SecurityKey])
    );
    assert!(validate.sms_otp_throttling_factor.is_some());
    assert_eq!(validate.webauthn_allowed_device_types_obj.len(), 1);

    // used_by (as recorded on authentik 2026.2.2): the validate stage's lists the SMS stage
    // among its configuration stages; the SMS stage's does not list the validate stage.
    let users = c.validate().used_by(&validate.pk).await.expect("used_by");
    let sms_user = users
        .iter()
        .find(|u| u.pk == sms.pk)
        .expect("the SMS stage in the validate stage's used_by");
    assert_eq!(sms_user.name, "Stage typed-sms");
    assert_eq!(sms_user.action, Some(UsedByAction::CascadeMany));
    assert!(c.sms().used_by(&sms.pk).await.expect("used_by").is_empty());

    // Typed patch with an explicit null.
    let patched = c
        .sms()
        .partial_update(
            &sms.pk,
            &SmsStageRequest {
                mapping: Field::Null,
                ..Default::default()
            },
        )
        .await
        .expect("patch");
    assert_eq!(patched.mapping, None);

    c.validate()
        .delete(&validate.pk)
        .await
        .expect("delete validate");
    c.email().delete(&email.pk).await.expect("delete email");
    c.sms().delete(&sms.pk).await.expect("delete sms");
}

#[tokio::test]
async fn explicit_null_empty_false_and_empty_list_reach_the_server() {
    let d = Double::start(&[]);
    let c = client(&d);
    let flow = c
        .endpoint("flows/instances")
        .create(&obj(
            json!({"name": "F", "slug": "f", "title": "F", "designation": "stage_configuration"}),
        ))
        .await
        .map(Created::into_object)
        .expect("flow");
    let mut body = sms_body("explicit");
    body.insert("friendly_name".into(), json!(""));
    body.insert("verify_only".into(), json!(false));
    body.insert("mapping".into(), Value::Null);
    body.insert("auth_password".into(), json!(""));
    body.insert("configure_flow".into(), json!(pk(&flow)));
    let sms = c.endpoint(SMS);
    d.clear_requests();
    let created = sms
        .create(&body)
        .await
        .map(Created::into_object)
        .expect("create");
    let id = pk(&created);

    let patch = obj(json!({"configure_flow": null, "friendly_name": ""}));
    let patched = sms.partial_update(&id, &patch).await.expect("patch");
    assert_eq!(patched["configure_flow"], Value::Null);

    let v = c.endpoint(VALIDATE);
    let vbody = obj(
        json!({"name": "explicit-v", "configuration_stages": [], "webauthn_allowed_device_types": []}),
    );
    v.create(&vbody)
        .await
        .map(Created::into_object)
        .expect("validate");

    let log = d.requests();
    let writes: Vec<&Value> = log.iter().filter(|r| r["method"] != "GET").collect();
    assert_eq!(writes.len(), 3, "{log:#?}");
    assert_eq!(writes[0]["method"], "POST");
    assert_eq!(writes[0]["path"], "/api/v3/stages/authenticator/sms/");
    assert_eq!(
        writes[0]["body"],
        Value::Object(body),
        "sent exactly as given"
    );
    assert_eq!(writes[1]["method"], "PATCH");
    assert_eq!(
        writes[1]["path"],
        format!("/api/v3/stages/authenticator/sms/{id}/")
    );
    assert_eq!(
        writes[1]["body"],
        Value::Object(patch),
        "omitted keys stay omitted"
    );
    assert_eq!(writes[2]["body"], Value::Object(vbody));
}

#[tokio::test]
async fn list_follows_every_page() {
    let d = Double::start(&[]);
    let c = client(&d);
    let email = c.endpoint(EMAIL);
    // Creates in parallel over the shared pool.
    let mut tasks = Vec::new();
    for chunk in 0..5 {
        let email = email.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..41 {
                let name = format!("page-{:03}", chunk * 41 + i);
                email
                    .create(&obj(json!({"name": name})))
                    .await
                    .map(Created::into_object)
                    .expect("create");
            }
        }));
    }
    for t in tasks {
        t.await.expect("task");
    }
    d.clear_requests();
    let all = email.list(&[]).await.expect("list");
    assert_eq!(all.len(), 205);
    let names: BTreeSet<&str> = all.iter().filter_map(|o| o["name"].as_str()).collect();
    assert_eq!(names.len(), 205, "no duplicates, nothing missing");
    let log = d.requests();
    let paths: Vec<&str> = log.iter().filter_map(|r| r["path"].as_str()).collect();
    assert_eq!(paths.len(), 3, "{paths:?}");
    assert!(
        paths.iter().all(|p| p.contains("page_size=100")),
        "{paths:?}"
    );
    assert!(paths[2].contains("page=3"), "{paths:?}");

    // Extra query parameters are passed through.
    let some = email.list(&[("search", "page-20")]).await.expect("search");
    assert_eq!(some.len(), 5, "page-200..page-204");
    // Typed list too.
    assert_eq!(c.email().list(&[]).await.expect("typed list").len(), 205);
}

#[tokio::test]
async fn find_by_name_is_exact() {
    let d = Double::start(&[]);
    let c = client(&d);
    let email = c.endpoint(EMAIL);
    for name in ["abc", "abcd", "ABC", "x abc"] {
        email
            .create(&obj(json!({"name": name})))
            .await
            .map(Created::into_object)
            .expect("create");
    }
    let found = email
        .find_by_name("abc")
        .await
        .expect("find")
        .expect("found");
    assert_eq!(found["name"], "abc");
    assert!(email.find_by_name("ab").await.expect("find").is_none());
    // Names are unique across stage types, but each endpoint only sees its own type.
    assert!(c
        .endpoint(SMS)
        .find_by_name("abc")
        .await
        .expect("find")
        .is_none());
    let name_with_specials = "a&b=c?d#e/f g";
    email
        .create(&obj(json!({"name": name_with_specials})))
        .await
        .map(Created::into_object)
        .expect("create");
    let found = email
        .find_by_name(name_with_specials)
        .await
        .expect("find")
        .expect("query value is encoded");
    assert_eq!(found["name"], name_with_specials);
}

#[tokio::test]
async fn typed_errors() {
    let d = Double::start(&[]);
    let c = client(&d);
    let sms = c.endpoint(SMS);

    // 404: unknown UUID, malformed UUID, unknown route (not JSON).
    let e = sms
        .retrieve("6f1c2a9e-0000-4000-8000-000000000000")
        .await
        .expect_err("unknown");
    assert!(
        matches!(&e, ApiError::NotFound { url_path } if url_path.ends_with("/6f1c2a9e-0000-4000-8000-000000000000/")),
        "{e:?}"
    );
    assert!(sms
        .retrieve("not-a-uuid")
        .await
        .expect_err("malformed")
        .is_not_found());
    assert!(c
        .endpoint("no/such/collection")
        .list(&[])
        .await
        .expect_err("no route")
        .is_not_found());

    // 403 with a wrong token, with the hint, never the token.
    let wrong = client_with(&d, |cfg| cfg.token = Secret::new("wrong-token-SECRET"));
    let e = wrong.endpoint(SMS).list(&[]).await.expect_err("forbidden");
    assert!(matches!(e, ApiError::Forbidden { .. }), "{e:?}");
    let text = e.to_string();
    assert!(text.contains("token") && text.contains("expired"), "{text}");
    assert!(!text.contains("wrong-token-SECRET") && !text.contains(&d.token));
    let none = client_with(&d, |cfg| cfg.token = Secret::new(""));
    let e = none.endpoint(SMS).list(&[]).await.expect_err("forbidden");
    assert!(matches!(e, ApiError::Forbidden { .. }), "{e:?}");

    // 400 with field paths.
    let mut bad = sms_body("bad");
    bad.insert("provider".into(), json!("pigeon"));
    bad.remove("from_number");
    let e = sms.create(&bad).await.expect_err("invalid");
    let paths = field_paths(&e);
    assert!(paths.contains(&vec![f("provider")]), "{paths:?}");
    assert!(paths.contains(&vec![f("from_number")]), "{paths:?}");
    assert!(!e.to_string().contains("sms-auth-SECRET"));

    let v = c.endpoint(VALIDATE);
    let e = v
        .create(&obj(json!({"name": "v", "device_classes": ["sms", "foo"]})))
        .await
        .expect_err("bad choice");
    assert_eq!(
        field_paths(&e),
        vec![vec![f("device_classes"), FieldPathStep::Index(1)]],
        "{e}"
    );
    let e = v
        .create(&obj(
            json!({"name": "v", "not_configured_action": "configure"}),
        ))
        .await
        .expect_err("configure needs stages");
    assert!(
        field_paths(&e).contains(&vec![f("not_configured_action")]),
        "{e}"
    );

    sms.create(&sms_body("dup"))
        .await
        .map(Created::into_object)
        .expect("first");
    let e = c
        .endpoint(EMAIL)
        .create(&obj(json!({"name": "dup"})))
        .await
        .expect_err("unique across types");
    match &e {
        ApiError::Validation { errors } => {
            assert_eq!(errors[0].field(), Some("name"));
            assert!(errors[0].message.contains("already exists"), "{e}");
        }
        other => panic!("{other:?}"),
    }

    // Transport error to a closed port.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let closed = client_with(&d, |cfg| {
        cfg.url = format!("http://127.0.0.1:{port}");
        cfg.max_retries = 1;
    });
    let e = closed.endpoint(SMS).list(&[]).await.expect_err("closed");
    assert!(
        matches!(
            e,
            ApiError::Transport {
                kind: TransportKind::Connect,
                ..
            }
        ),
        "{e:?}"
    );
}

#[tokio::test]
async fn tolerant_decoding_across_versions() {
    let old = Double::start(&["--version", "2026.2"]);
    let c = client(&old);
    let v = c
        .validate()
        .create(&obj(json!({"name": "v-old"})))
        .await
        .expect("create on 2026.2");
    assert_eq!(v.webauthn_hints, None, "2026.2 has no webauthn_hints");
    assert_eq!(v.sms_otp_throttling_factor, None);
    assert_eq!(
        v.device_classes.as_ref().map(Vec::len),
        Some(6),
        "default: all classes"
    );
    assert_eq!(
        v.webauthn_user_verification,
        Some(UserVerification::Preferred)
    );

    let new = Double::start(&["--version", "2026.5"]);
    let c = client(&new);
    let v = c
        .validate()
        .create(&obj(json!({"name": "v-new"})))
        .await
        .expect("create on 2026.5");
    assert_eq!(v.webauthn_hints, Some(vec![]));
    assert_eq!(v.email_otp_throttling_factor, Some(1.0));

    // Write-only secrets: absent from answers, decoding still works.
    let wo = Double::start(&["--secrets-write-only"]);
    let c = client(&wo);
    let raw = c
        .endpoint(SMS)
        .create(&sms_body("wo"))
        .await
        .map(Created::into_object)
        .expect("create");
    assert!(!raw.contains_key("auth"), "{raw:?}");
    let typed = c.sms().retrieve(&pk(&raw)).await.expect("typed retrieve");
    assert_eq!(typed.auth, None);
    assert_eq!(typed.auth_password, None);
    assert_eq!(typed.name, "wo");
}

#[tokio::test]
async fn shuffled_sets_still_decode() {
    let d = Double::start(&["--shuffle"]);
    let c = client(&d);
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(pk(&c
            .endpoint(EMAIL)
            .create(&obj(json!({"name": format!("e{i}")})))
            .await
            .map(Created::into_object)
            .expect("email")));
    }
    let v = c
        .endpoint(VALIDATE)
        .create(&obj(json!({"name": "v", "configuration_stages": ids})))
        .await
        .map(Created::into_object)
        .expect("validate");
    let got: BTreeSet<String> = v["configuration_stages"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect();
    assert_eq!(got, ids.iter().cloned().collect());
}

/// Every operation under injected faults (503, 429, drops before/after commit, slow answers):
/// each succeeds or fails with a typed error that fits the fault, and no create ever leaves a
/// duplicate.
#[tokio::test]
async fn faults_never_duplicate_and_errors_stay_typed() {
    let mut total_interrupted_creates = 0;
    for seed in ["7", "1234"] {
        let d = Double::start(&["--fault-rate", "0.3", "--seed", seed]);
        let c = client_with(&d, |cfg| cfg.max_retries = 4);
        let mut created: BTreeMap<String, String> = BTreeMap::new();
        let mut failed_creates: Vec<String> = Vec::new();
        let mut outcomes: BTreeMap<&'static str, u32> = BTreeMap::new();

        let check = |e: &ApiError| -> &'static str {
            match e {
                ApiError::RateLimited { .. } => "rate_limited",
                ApiError::Server { status: 503, .. } => "503",
                ApiError::Transport {
                    kind: TransportKind::Dropped | TransportKind::Timeout,
                    ..
                } => "transport",
                other => panic!("seed {seed}: unexpected error under faults: {other:?}"),
            }
        };

        for i in 0..40 {
            let (collection, body) = match i % 3 {
                0 => (SMS, sms_body(&format!("f-sms-{i}"))),
                1 => (EMAIL, obj(json!({"name": format!("f-email-{i}")}))),
                _ => (VALIDATE, obj(json!({"name": format!("f-val-{i}")}))),
            };
            let name = body["name"].as_str().expect("name").to_owned();
            let ep = c.endpoint(collection);
            match ep.create(&body).await.map(Created::into_object) {
                Ok(o) => {
                    assert_eq!(o["name"], name.as_str());
                    created.insert(name.clone(), pk(&o));
                    *outcomes.entry("create_ok").or_default() += 1;
                }
                Err(e) => {
                    *outcomes.entry(check(&e)).or_default() += 1;
                    failed_creates.push(name.clone());
                    continue;
                }
            }
            let id = created[&name].clone();
            match ep.retrieve(&id).await {
                Ok(o) => assert_eq!(o["name"], name.as_str()),
                Err(e) => *outcomes.entry(check(&e)).or_default() += 1,
            }
            let (key, value) = if collection == VALIDATE {
                ("last_auth_threshold", "seconds=5")
            } else {
                ("friendly_name", "patched")
            };
            match ep.partial_update(&id, &obj(json!({ key: value }))).await {
                Ok(o) => assert_eq!(o.get(key), Some(&json!(value))),
                Err(e) => *outcomes.entry(check(&e)).or_default() += 1,
            }
            match ep.find_by_name(&name).await {
                Ok(found) => assert_eq!(found.map(|o| pk(&o)), Some(id.clone())),
                Err(e) => *outcomes.entry(check(&e)).or_default() += 1,
            }
            if i % 4 == 0 {
                match ep.delete(&id).await {
                    Ok(()) => {
                        created.remove(&name);
                    }
                    Err(e) => *outcomes.entry(check(&e)).or_default() += 1,
                }
            }
        }
        match c.endpoint(EMAIL).list(&[]).await {
            Ok(_) => {}
            Err(e) => *outcomes.entry(check(&e)).or_default() += 1,
        }

        // The double's own view (never faulted): no name twice, every reported create present
        // once with the reported pk, every failed create at most once.
        let stages = d.stages();
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        let mut pks: BTreeMap<String, String> = BTreeMap::new();
        for s in &stages {
            let name = s["name"].as_str().expect("name").to_owned();
            *counts.entry(name.clone()).or_default() += 1;
            pks.insert(name, s["pk"].as_str().expect("pk").to_owned());
        }
        assert!(
            counts.values().all(|n| *n == 1),
            "seed {seed}: duplicates {counts:?}"
        );
        for (name, id) in &created {
            assert_eq!(
                pks.get(name),
                Some(id),
                "seed {seed}: {name} missing or other pk"
            );
        }
        let log = d.requests();
        let faults: BTreeSet<&str> = log.iter().filter_map(|r| r["fault"].as_str()).collect();
        let interrupted_creates = log
            .iter()
            .filter(|r| r["method"] == "POST" && r["fault"] == "drop_after")
            .count();
        total_interrupted_creates += interrupted_creates;
        assert!(
            faults.contains("drop_after") || faults.contains("drop_before"),
            "seed {seed}: the run hit no dropped connection ({faults:?})"
        );
        // Most operations get through with 4 retries.
        assert!(
            outcomes.get("create_ok").copied().unwrap_or(0) >= 30,
            "seed {seed}: {outcomes:?}"
        );
        eprintln!(
            "seed {seed}: {outcomes:?}, faults {faults:?}, {interrupted_creates} creates \
             committed then dropped, failed creates {failed_creates:?}"
        );
    }
    assert!(
        total_interrupted_creates > 0,
        "no create was committed then dropped: the ambiguity path went untested"
    );
}

/// Concurrent creates through clones of one client under faults: still no duplicates.
#[tokio::test]
async fn concurrent_creates_under_faults_never_duplicate() {
    let d = Double::start(&["--fault-rate", "0.3", "--seed", "99"]);
    let c = client_with(&d, |cfg| cfg.max_retries = 6);
    let mut tasks = Vec::new();
    for t in 0..4 {
        let c = c.clone();
        tasks.push(tokio::spawn(async move {
            let mut ok = 0;
            for i in 0..10 {
                let name = format!("conc-{t}-{i}");
                if c.endpoint(EMAIL)
                    .create(&obj(json!({"name": name})))
                    .await
                    .map(Created::into_object)
                    .is_ok()
                {
                    ok += 1;
                }
            }
            ok
        }));
    }
    let mut ok = 0;
    for t in tasks {
        ok += t.await.expect("task");
    }
    assert!(ok >= 35, "only {ok} of 40 creates succeeded");
    let stages = d.stages();
    let names: Vec<&str> = stages.iter().filter_map(|s| s["name"].as_str()).collect();
    let unique: BTreeSet<&str> = names.iter().copied().collect();
    assert_eq!(names.len(), unique.len(), "duplicates: {names:?}");
    assert!(names.len() >= ok);
}
