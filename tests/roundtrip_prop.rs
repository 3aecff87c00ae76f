//! Property: any valid configuration round-trips. For random configurations of each resource
//! that pass plan-time validation, plan → create (real client, API double) → state → plan again
//! gives exactly the state (an empty plan), and a refresh changes nothing.

#[path = "common/client_helpers.rs"]
mod client_helpers;
mod support;
use client_helpers::CreatedExt;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use support::double::Double;
use terraform_provider_authentik::client::{Client, ClientConfig, Created};
use terraform_provider_authentik::engine::body::create_body;
use terraform_provider_authentik::engine::checks::DURATION_KEYS;
use terraform_provider_authentik::engine::field::{
    wo_name, wo_version_name, Check, Field, Kind, Mode, ResourceDef,
};
use terraform_provider_authentik::engine::plan::plan_values;
use terraform_provider_authentik::engine::private::Private;
use terraform_provider_authentik::engine::schema::null_object;
use terraform_provider_authentik::engine::state::state_from_api;
use terraform_provider_authentik::engine::validate::validate;
use terraform_provider_authentik::protocol::{ClientCapabilities, Number, Value};
use terraform_provider_authentik::resources::ALL;

/// Objects on the double that references may point at.
struct Refs {
    flows: Vec<String>,
    mappings: Vec<String>,
    stages: Vec<String>,
    device_types: Vec<String>,
    password_stages: Vec<String>,
    validate_stages: Vec<String>,
    policies: Vec<String>,
    prompts: Vec<String>,
    groups: Vec<String>,
    sources: Vec<String>,
}

/// The objects a reference field may point at (empty: none on the double, the field is left
/// out).
fn refs_for(field: &Field, refs: &Refs) -> Vec<String> {
    match field.name {
        "configure_flow" | "target" | "enrollment_flow" | "recovery_flow" | "passwordless_flow"
        | "target_flow" => refs.flows.clone(),
        "mapping" => refs.mappings.clone(),
        "configuration_stages" | "stage" => refs.stages.clone(),
        "webauthn_allowed_device_types" | "device_type_restrictions" => refs.device_types.clone(),
        "password_stage" => refs.password_stages.clone(),
        "webauthn_stage" => refs.validate_stages.clone(),
        "policy" | "validation_policies" => refs.policies.clone(),
        "fields" => refs.prompts.clone(),
        "group" | "create_users_group" => refs.groups.clone(),
        "sources" => refs.sources.clone(),
        "captcha_stage" => Vec::new(),
        other => panic!("no reference pool for {other}"),
    }
}

fn text() -> BoxedStrategy<String> {
    "[a-zA-Z0-9 _.-]{1,24}"
        .prop_filter("not blank", |s| !s.trim().is_empty())
        .boxed()
}

fn duration() -> BoxedStrategy<String> {
    prop::collection::vec(
        (
            prop::sample::select(DURATION_KEYS.to_vec()),
            0u32..500,
            prop::bool::ANY,
        ),
        1..4,
    )
    .prop_map(|pairs| {
        pairs
            .iter()
            .map(|(k, n, frac)| {
                if *frac {
                    format!("{k}={n}.5")
                } else {
                    format!("{k}={n}")
                }
            })
            .collect::<Vec<_>>()
            .join(";")
    })
    .boxed()
}

/// A strategy for one string value obeying a check.
fn string_for(field: &Field, refs: &Refs) -> BoxedStrategy<String> {
    if field.name == "template" {
        // The templates the double lists (the server's stock ones); the provider leaves the
        // check to the server, which also accepts templates mounted into it.
        return prop::sample::select(vec![
            "email/password_reset.html",
            "email/account_confirmation.html",
            "email/email_otp.html",
            "email/event_notification.html",
        ])
        .prop_map(str::to_string)
        .boxed();
    }
    match field.check {
        Check::OneOf(values) => prop::sample::select(values.to_vec())
            .prop_map(str::to_string)
            .boxed(),
        Check::Slug => "[a-zA-Z0-9_-]{1,24}".boxed(),
        Check::MediaPath => prop_oneof![
            Just(String::new()),
            "https://example\\.com/[a-z]{1,8}\\.jpg",
            "[a-z]{1,8}(/[a-z0-9_-]{1,8}){0,2}\\.(png|jpg)",
        ]
        .boxed(),
        Check::Uuid => {
            let pool = refs_for(field, refs);
            // Mix the spelling: the server accepts any case.
            (prop::sample::select(pool), prop::bool::ANY)
                .prop_map(|(u, upper)| if upper { u.to_uppercase() } else { u })
                .boxed()
        }
        Check::Duration => duration(),
        Check::Email => (
            "[a-z]{1,10}",
            "[a-z]{1,10}",
            prop::sample::select(vec!["com", "org", "example"]),
        )
            .prop_map(|(u, d, t)| format!("{u}@{d}.{t}"))
            .boxed(),
        _ => text(),
    }
}

/// A strategy for one attribute's configured value (null = left out).
fn value_for(field: &'static Field, refs: &Refs) -> BoxedStrategy<Value> {
    // Read-only attributes are never configured; references with nothing to point at are
    // left out.
    let no_pool = field.check == Check::Uuid
        && field.kind == Kind::String
        && refs_for(field, refs).is_empty();
    if field.mode == Mode::ReadOnly || (no_pool && field.mode != Mode::Required) {
        return Just(Value::Null).boxed();
    }
    if field.check == Check::Uuid
        && field.kind == Kind::StringSet
        && refs_for(field, refs).is_empty()
    {
        return Just(Value::Set(Vec::new())).boxed();
    }
    let known: BoxedStrategy<Value> = match field.kind {
        Kind::String => string_for(field, refs).prop_map(Value::String).boxed(),
        Kind::Bool => prop::bool::ANY.prop_map(Value::Bool).boxed(),
        Kind::Int => match field.check {
            Check::IntRange { min, max, .. } => (min..=max.min(100_000))
                .prop_map(|i| Value::Number(Number::Int(i)))
                .boxed(),
            _ => (-1000i64..1000)
                .prop_map(|i| Value::Number(Number::Int(i)))
                .boxed(),
        },
        Kind::Float => (0u32..100)
            .prop_map(|i| {
                Value::Number(Number::parse(&format!("{}", f64::from(i) / 4.0)).expect("number"))
            })
            .boxed(),
        Kind::StringSet => {
            let min = usize::from(field.non_empty);
            prop::collection::vec(string_for(field, refs), min..4)
                .prop_map(|mut v| {
                    v.sort();
                    v.dedup();
                    Value::Set(v.into_iter().map(Value::String).collect())
                })
                .boxed()
        }
        // Order and duplicates are kept: the strategy makes both.
        Kind::StringList => {
            let min = usize::from(field.non_empty);
            prop::collection::vec(string_for(field, refs), min..4)
                .prop_map(|v| Value::List(v.into_iter().map(Value::String).collect()))
                .boxed()
        }
    };
    if matches!(field.mode, Mode::Required | Mode::RequiredToCreate) {
        known
    } else {
        prop_oneof![1 => Just(Value::Null), 2 => known].boxed()
    }
}

/// A whole configuration object for `def`.
fn config_for(def: &'static ResourceDef, refs: &Refs) -> BoxedStrategy<Value> {
    let strategies: Vec<BoxedStrategy<(String, Value)>> = def
        .fields
        .iter()
        .map(|f| {
            value_for(f, refs)
                .prop_map(move |v| (f.name.to_string(), v))
                .boxed()
        })
        .collect();
    strategies
        .prop_map(move |pairs| {
            let mut m = null_object(def);
            for (k, v) in pairs {
                m.insert(k, v);
            }
            Value::Object(m)
        })
        .boxed()
}

static UNIQUE: AtomicUsize = AtomicUsize::new(0);

fn with_unique_name(mut cfg: Value) -> Value {
    if let Value::Object(m) = &mut cfg {
        let n = UNIQUE.fetch_add(1, Ordering::Relaxed);
        let base = m
            .get("name")
            .and_then(|v| v.as_str())
            .unwrap_or("stage")
            .trim()
            .to_string();
        if m.contains_key("name") {
            m.insert("name".into(), Value::String(format!("{base}-{n}")));
        }
        if let Some(slug) = m.get("slug").and_then(|v| v.as_str()).map(str::to_string) {
            m.insert("slug".into(), Value::String(format!("{slug}-{n}")));
        }
    }
    cfg
}

fn plan_for(def: &ResourceDef, prior: &Value, cfg: &Value, private: &Private) -> Value {
    let r = plan_values(def, prior, cfg, &private.encode());
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    r.planned_state
}

fn setup(dbl: &Double) -> Refs {
    let mut refs = Refs {
        flows: vec![],
        mappings: vec![],
        stages: vec![],
        device_types: vec![],
        password_stages: vec![],
        validate_stages: vec![],
        policies: vec![],
        prompts: vec![],
        groups: vec![],
        sources: vec![],
    };
    for i in 0..3 {
        let (s, b) = dbl.post(
            "/api/v3/flows/instances/",
            json!({"name": format!("f{i}"), "slug": format!("f{i}"), "title": "t", "designation": "stage_configuration"}),
        );
        assert_eq!(s, 201, "{b}");
        refs.flows.push(b["pk"].as_str().expect("pk").to_string());
        let (s, b) = dbl.post(
            "/api/v3/propertymappings/notification/",
            json!({"name": format!("m{i}"), "expression": "return {}"}),
        );
        assert_eq!(s, 201, "{b}");
        refs.mappings
            .push(b["pk"].as_str().expect("pk").to_string());
        let (s, b) = dbl.post(
            "/api/v3/stages/authenticator/email/",
            json!({"name": format!("target-{i}")}),
        );
        assert_eq!(s, 201, "{b}");
        refs.stages.push(b["pk"].as_str().expect("pk").to_string());
        for (path, body, pool) in [
            (
                "stages/password",
                json!({"name": format!("pw-{i}"), "backends": ["authentik.core.auth.InbuiltBackend"]}),
                &mut refs.password_stages,
            ),
            (
                "stages/authenticator/validate",
                json!({"name": format!("validate-{i}")}),
                &mut refs.validate_stages,
            ),
            (
                "policies/expression",
                json!({"name": format!("policy-{i}"), "expression": "return True"}),
                &mut refs.policies,
            ),
            (
                "stages/prompt/prompts",
                json!({"name": format!("prompt-{i}"), "field_key": format!("key_{i}"), "label": "Label", "type": "text"}),
                &mut refs.prompts,
            ),
        ] {
            let (s, b) = dbl.post(&format!("/api/v3/{path}/"), body);
            assert_eq!(s, 201, "{b}");
            pool.push(b["pk"].as_str().expect("pk").to_string());
        }
    }
    for (path, pool) in [
        ("core/groups", &mut refs.groups),
        ("sources/all", &mut refs.sources),
    ] {
        // What the double lists (it serves some collections for lookups only).
        let (s, b) = dbl.get(&format!("/api/v3/{path}/?page_size=5"));
        if s != 200 {
            continue;
        }
        *pool = b["results"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| t["pk"].as_str().map(str::to_string))
            .collect();
    }
    let (s, b) = dbl.get("/api/v3/stages/authenticator/webauthn_device_types/?page_size=5");
    assert_eq!(s, 200, "{b}");
    refs.device_types = b["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|t| t["aaguid"].as_str().map(str::to_string))
        .collect();
    refs
}

#[test]
fn valid_configurations_round_trip() {
    let dbl = Double::start(&[]);
    let refs = setup(&dbl);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let client = Client::new(
        ClientConfig::new(dbl.url.clone(), dbl.token.clone()),
        Default::default(),
    )
    .expect("client");
    let checked = std::cell::Cell::new(0usize);
    for def in ALL {
        let mut runner = TestRunner::new(Config {
            cases: 40,
            failure_persistence: None,
            ..Config::default()
        });
        runner
            .run(&config_for(def, &refs), |cfg| {
                let cfg = with_unique_name(cfg);
                // Only configurations the provider accepts at plan time (write-only twins need 1.11).
                if validate(
                    def,
                    &cfg,
                    ClientCapabilities {
                        write_only_attributes_allowed: true,
                        ..Default::default()
                    },
                )
                .iter()
                .any(|d| d.is_error())
                {
                    return Err(TestCaseError::reject("invalid configuration"));
                }
                let planned = plan_for(def, &Value::Null, &cfg, &Private::default());
                let body = create_body(def, &planned, &cfg)
                    .map_err(|d| TestCaseError::fail(format!("{d:?}")))?;
                let obj = rt
                    .block_on(client.endpoint(def.api_path).create(&body.json))
                    .map(Created::into_object)
                    .map_err(|e| {
                        TestCaseError::fail(format!(
                            "create {}: {e}\nbody: {:?}",
                            def.type_name, body.json
                        ))
                    })?;
                let mut diags = Vec::new();
                let state = state_from_api(def, &obj, &planned, &cfg, &body.private, &mut diags);
                prop_assert!(diags.is_empty(), "{:?}", diags);
                // Every known planned value came back as planned.
                for f in def.fields {
                    let p = planned.get(f.name);
                    if !p.is_unknown() {
                        prop_assert_eq!(state.get(f.name), p, "{}.{}", def.type_name, f.name);
                    }
                    if f.write_only_twin {
                        prop_assert!(state.get(&wo_name(f)).is_null());
                        prop_assert_eq!(
                            state.get(&wo_version_name(f)),
                            cfg.get(&wo_version_name(f))
                        );
                    }
                }
                // The next plan is empty, and a refresh changes nothing.
                prop_assert_eq!(&plan_for(def, &state, &cfg, &body.private), &state);
                let id = state.get("id").as_str().expect("id").to_string();
                let fresh = rt
                    .block_on(client.endpoint(def.api_path).retrieve(&id))
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                let refreshed =
                    state_from_api(def, &fresh, &state, &Value::Null, &body.private, &mut diags);
                prop_assert_eq!(&refreshed, &state);
                checked.set(checked.get() + 1);
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{}: {e}", def.type_name));
    }
    assert!(
        checked.get() >= 100,
        "only {} configurations were checked",
        checked.get()
    );
}
