//! The gRPC server in-process, driven through tonic clients on a unix socket: every RPC of
//! `tfplugin6.Provider`, go-plugin's services, health, bad input, panics, and AutoMTLS.

#[path = "support/tempdir.rs"]
mod tempdir;
#[path = "common/toy.rs"]
mod toy;

#[path = "common/client.rs"]
mod client;
#[path = "common/client_helpers.rs"]
mod client_helpers;
use client_helpers::ListenerExt;

use client::{
    apply_req, assert_clean, channel, import_identity_req, import_req, plan_req, read_req, rpc,
    serve, tls_channel, upgrade_req, Client,
};

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tempdir::TempDir;
use terraform_provider_authentik::protocol::codec::msgpack;
use terraform_provider_authentik::protocol::pb::plugin as gp;
use terraform_provider_authentik::protocol::pb::tfplugin6 as pb;
use terraform_provider_authentik::protocol::tls::{generate_cert, server_tls_for};
use terraform_provider_authentik::protocol::{PluginListener, Type, Value};
use tokio_util::sync::CancellationToken;
use tonic::transport::Endpoint;
use toy::Toy;

struct Server {
    socket: PathBuf,
    _dir: TempDir,
    shutdown: CancellationToken,
    handle: tokio::task::JoinHandle<()>,
    toy: Arc<Toy>,
    server_cert: Option<Vec<u8>>,
}

fn temp_dir(tag: &str) -> TempDir {
    TempDir::new("tfproto-test", tag)
}

async fn start(
    tag: &str,
    client_cert: Option<rustls::pki_types::CertificateDer<'static>>,
) -> Server {
    let dir = temp_dir(tag);
    let socket = dir.path().join("p.sock");
    let listener = PluginListener::unix(&socket).expect("bind");
    let toy = Arc::new(Toy::default());
    let shutdown = CancellationToken::new();
    let tls = client_cert.map(|c| server_tls_for(c).expect("server tls"));
    let server_cert = tls.as_ref().map(|t| t.cert_der.clone());
    let handle = serve(listener, toy.clone(), tls.map(|t| t.config), &shutdown);
    Server {
        socket,
        _dir: dir,
        shutdown,
        handle,
        toy,
        server_cert,
    }
}

fn thing_type() -> Type {
    toy::thing_schema().block.object_type()
}

fn dv(v: &Value) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue {
        msgpack: msgpack::encode(v, &thing_type()).expect("encode"),
        json: Vec::new(),
    })
}

fn thing(name: &str) -> Value {
    let Type::Object(attrs) = thing_type() else {
        panic!("object type")
    };
    let mut m: std::collections::BTreeMap<String, Value> =
        attrs.keys().map(|k| (k.clone(), Value::Null)).collect();
    m.insert("name".into(), Value::String(name.into()));
    m.insert(
        "tags".into(),
        Value::List(vec![Value::String("t".into()), Value::Unknown]),
    );
    Value::Object(m)
}

fn decode(v: &Option<pb::DynamicValue>) -> Value {
    let v = v.as_ref().expect("value present");
    msgpack::decode(&v.msgpack, &thing_type()).expect("decodes")
}

fn is_error(d: &pb::Diagnostic) -> bool {
    d.severity == pb::diagnostic::Severity::Error as i32
}

fn single_error(diags: &[pb::Diagnostic]) -> &pb::Diagnostic {
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(is_error(&diags[0]), "{diags:?}");
    &diags[0]
}

async fn validate(
    client: &mut Client,
    type_name: &str,
    config: Option<pb::DynamicValue>,
) -> Vec<pb::Diagnostic> {
    client
        .validate_resource_config(pb::validate_resource_config::Request {
            type_name: type_name.into(),
            config,
            client_capabilities: None,
        })
        .await
        .expect("rpc ok")
        .into_inner()
        .diagnostics
}

fn lookup_value(name: Option<&str>) -> Value {
    Value::Object(
        [
            ("id".to_owned(), Value::Null),
            (
                "name".to_owned(),
                name.map_or(Value::Null, |n| Value::String(n.into())),
            ),
            ("size".to_owned(), Value::Null),
        ]
        .into_iter()
        .collect(),
    )
}

/// Data sources: listed in the metadata, their configuration validated and read through the
/// provider, values decoded and encoded against their own schema, errors as diagnostics.
#[tokio::test]
async fn data_sources_are_validated_and_read() {
    let server = start("datasource", None).await;
    let mut c = Client::new(channel(&server.socket).await);
    let ty = toy::lookup_schema().block.object_type();
    let dv = |v: &Value| {
        Some(pb::DynamicValue {
            msgpack: terraform_provider_authentik::protocol::codec::msgpack::encode(v, &ty)
                .expect("encode"),
            json: Vec::new(),
        })
    };
    let meta = c
        .get_metadata(pb::get_metadata::Request {})
        .await
        .expect("rpc")
        .into_inner();
    let names: Vec<_> = meta
        .data_sources
        .iter()
        .map(|d| d.type_name.as_str())
        .collect();
    assert_eq!(names, ["toy_lookup"]);

    let ok = rpc(
        c.validate_data_resource_config(pb::validate_data_resource_config::Request {
            type_name: "toy_lookup".into(),
            config: dv(&lookup_value(Some("a"))),
        }),
    )
    .await;
    assert_clean(&ok.diagnostics);
    let empty = rpc(
        c.validate_data_resource_config(pb::validate_data_resource_config::Request {
            type_name: "toy_lookup".into(),
            config: dv(&lookup_value(None)),
        }),
    )
    .await;
    assert_eq!(
        single_error(&empty.diagnostics).summary,
        "Nothing to look up"
    );

    let read = rpc(c.read_data_source(pb::read_data_source::Request {
        type_name: "toy_lookup".into(),
        config: dv(&lookup_value(Some("abc"))),
        ..Default::default()
    }))
    .await;
    assert_clean(&read.diagnostics);
    let state = terraform_provider_authentik::protocol::codec::msgpack::decode(
        &read.state.expect("state").msgpack,
        &ty,
    )
    .expect("decode");
    assert_eq!(state.get("id"), &Value::String("toy-abc".into()));
    assert_eq!(
        state.get("size"),
        &Value::Number(terraform_provider_authentik::protocol::Number::Int(3))
    );

    let missing = rpc(c.read_data_source(pb::read_data_source::Request {
        type_name: "toy_lookup".into(),
        config: dv(&lookup_value(Some("missing"))),
        ..Default::default()
    }))
    .await;
    assert!(missing.state.is_none());
    let d = single_error(&missing.diagnostics);
    assert_eq!(d.summary, "Not found");
    assert!(d.attribute.is_some(), "the error points at `name`");

    let garbage = rpc(c.read_data_source(pb::read_data_source::Request {
        type_name: "toy_lookup".into(),
        config: Some(pb::DynamicValue {
            msgpack: vec![0xc1],
            json: Vec::new(),
        }),
        ..Default::default()
    }))
    .await;
    assert!(single_error(&garbage.diagnostics)
        .summary
        .contains("Malformed value"));
}

#[tokio::test]
async fn schema_metadata_and_provider_config() {
    let server = start("schema", None).await;
    let mut c = Client::new(channel(&server.socket).await);

    let schema = rpc(c.get_provider_schema(pb::get_provider_schema::Request {})).await;
    assert!(schema.diagnostics.is_empty());
    let caps = schema.server_capabilities.expect("capabilities");
    assert!(!caps.plan_destroy && !caps.get_provider_schema_optional);
    let mut names: Vec<_> = schema.resource_schemas.keys().cloned().collect();
    names.sort();
    assert_eq!(names, ["toy_panic", "toy_thing"]);
    let thing = &schema.resource_schemas["toy_thing"];
    assert_eq!(thing.version, 1);
    let attrs = &thing.block.as_ref().expect("block").attributes;
    let tags = attrs.iter().find(|a| a.name == "tags").expect("tags");
    assert_eq!(tags.r#type, br#"["list","string"]"#);
    assert!(attrs.iter().any(|a| a.name == "secret" && a.sensitive));
    let provider = schema.provider.expect("provider schema");
    assert_eq!(
        provider.block.expect("block").attributes[0].name,
        "endpoint"
    );
    let lookup = &schema.data_source_schemas["toy_lookup"];
    let lookup_attrs = &lookup.block.as_ref().expect("block").attributes;
    assert!(lookup_attrs
        .iter()
        .any(|a| a.name == "name" && a.optional && a.computed));
    assert_eq!(schema.data_source_schemas.len(), 1);
    assert!(schema.functions.is_empty());
    // Cached: a second call answers the same.
    let again = rpc(c.get_provider_schema(pb::get_provider_schema::Request {})).await;
    assert_eq!(again.resource_schemas, schema.resource_schemas);
    // The pre-encoded answer on the wire equals what the plain handler builds.
    let direct = {
        use pb::provider_server::Provider as _;
        terraform_provider_authentik::protocol::grpc::ProviderService::new(Arc::new(Toy::default()))
            .get_provider_schema(tonic::Request::new(pb::get_provider_schema::Request {}))
            .await
            .expect("direct call")
            .into_inner()
    };
    assert_eq!(direct, again);

    let meta = rpc(c.get_metadata(pb::get_metadata::Request {})).await;
    let names: Vec<_> = meta
        .resources
        .iter()
        .map(|r| r.type_name.as_str())
        .collect();
    assert_eq!(names, ["toy_panic", "toy_thing"]);

    let ptype = toy::provider_schema().block.object_type();
    let pdv = |endpoint: &str| {
        Some(pb::DynamicValue {
            msgpack: msgpack::encode(
                &Value::Object(
                    [("endpoint".into(), Value::String(endpoint.into()))]
                        .into_iter()
                        .collect(),
                ),
                &ptype,
            )
            .expect("encode"),
            json: Vec::new(),
        })
    };
    let ok = rpc(
        c.validate_provider_config(pb::validate_provider_config::Request {
            config: pdv("fine"),
        }),
    )
    .await;
    assert!(ok.diagnostics.is_empty());
    let bad = rpc(
        c.validate_provider_config(pb::validate_provider_config::Request { config: pdv("bad") })
    )
    .await;
    let d = single_error(&bad.diagnostics);
    assert_eq!(d.summary, "Bad endpoint");
    let step = &d.attribute.as_ref().expect("path").steps[0];
    assert_eq!(
        step.selector,
        Some(pb::attribute_path::step::Selector::AttributeName(
            "endpoint".into()
        ))
    );

    let conf = rpc(c.configure_provider(pb::configure_provider::Request {
        terraform_version: "1.15.5".into(),
        config: pdv("x"),
        client_capabilities: None,
    }))
    .await;
    assert!(conf.diagnostics.is_empty());
    assert_eq!(server.toy.configured.load(Ordering::SeqCst), 1);
    // A provider config that does not fit the provider schema.
    let conf = rpc(c.configure_provider(pb::configure_provider::Request {
        terraform_version: "1.15.5".into(),
        config: Some(pb::DynamicValue {
            msgpack: vec![0x81, 0xa1, b'z', 0xc0],
            json: vec![],
        }),
        client_capabilities: None,
    }))
    .await;
    assert!(single_error(&conf.diagnostics)
        .detail
        .contains("unsupported attribute \"z\""));
    assert_eq!(server.toy.configured.load(Ordering::SeqCst), 1);

    server.shutdown.cancel();
    tokio::time::timeout(Duration::from_secs(5), server.handle)
        .await
        .expect("server stops")
        .expect("server task");
}

#[tokio::test]
async fn managed_resource_lifecycle() {
    let server = start("lifecycle", None).await;
    let mut c = Client::new(channel(&server.socket).await);

    // Validate: fine, provider diagnostics with paths, client capabilities passed through.
    assert!(validate(&mut c, "toy_thing", dv(&thing("a")))
        .await
        .is_empty());
    let diags = validate(&mut c, "toy_thing", dv(&thing(""))).await;
    assert_eq!(single_error(&diags).summary, "Empty name");
    let caps = rpc(
        c.validate_resource_config(pb::validate_resource_config::Request {
            type_name: "toy_thing".into(),
            config: dv(&thing("a")),
            client_capabilities: Some(pb::ClientCapabilities {
                deferral_allowed: false,
                write_only_attributes_allowed: true,
            }),
        }),
    )
    .await;
    assert_eq!(caps.diagnostics.len(), 1);
    assert_eq!(caps.diagnostics[0].summary, "write-only ok");

    // Plan a create: id becomes unknown, private data flows.
    let plan = rpc(c.plan_resource_change(plan_req(
        "toy_thing",
        dv(&Value::Null),
        dv(&thing("a")),
        dv(&thing("a")),
    )))
    .await;
    assert_clean(&plan.diagnostics);
    let planned = decode(&plan.planned_state);
    assert_eq!(planned.get("id"), &Value::Unknown);
    assert_eq!(plan.planned_private, b"planned");
    assert!(!plan.legacy_type_system);

    // Apply it.
    let apply = rpc(c.apply_resource_change(pb::apply_resource_change::Request {
        planned_private: plan.planned_private.clone(),
        ..apply_req(
            "toy_thing",
            dv(&Value::Null),
            plan.planned_state.clone(),
            dv(&thing("a")),
        )
    }))
    .await;
    assert_clean(&apply.diagnostics);
    let state = decode(&apply.new_state);
    assert_eq!(state.get("id"), &Value::String("toy-a".into()));
    assert_eq!(apply.private, b"planned");

    // Plan an update that renames: requires replacement at "name".
    let plan2 = rpc(c.plan_resource_change(plan_req(
        "toy_thing",
        apply.new_state.clone(),
        dv(&thing("b")),
        dv(&thing("b")),
    )))
    .await;
    assert_eq!(plan2.requires_replace.len(), 1);
    assert_eq!(
        plan2.requires_replace[0].steps[0].selector,
        Some(pb::attribute_path::step::Selector::AttributeName(
            "name".into()
        ))
    );

    // Read: unchanged, then gone (null).
    let read = rpc(c.read_resource(pb::read_resource::Request {
        private: b"p".to_vec(),
        ..read_req("toy_thing", apply.new_state.clone())
    }))
    .await;
    assert_eq!(decode(&read.new_state), state);
    assert_eq!(read.private, b"p");
    let gone = rpc(c.read_resource(read_req("toy_thing", dv(&thing("gone"))))).await;
    assert_eq!(decode(&gone.new_state), Value::Null);
    assert_eq!(
        gone.new_state.as_ref().map(|v| v.msgpack.clone()),
        Some(vec![0xc0])
    );

    // Destroy: plan and apply with null proposals.
    let destroy = rpc(c.apply_resource_change(apply_req(
        "toy_thing",
        apply.new_state.clone(),
        dv(&Value::Null),
        dv(&Value::Null),
    )))
    .await;
    assert_eq!(decode(&destroy.new_state), Value::Null);

    // Import.
    let import = rpc(c.import_resource_state(import_req("toy_thing", "imp"))).await;
    assert!(import.diagnostics.is_empty());
    assert_eq!(import.imported_resources.len(), 1);
    let imported = &import.imported_resources[0];
    assert_eq!(imported.type_name, "toy_thing");
    assert_eq!(
        decode(&imported.state).get("id"),
        &Value::String("imp".into())
    );

    // Upgrade: raw JSON with an attribute the schema dropped.
    let up = rpc(c.upgrade_resource_state(upgrade_req(
        "toy_thing",
        0,
        br#"{"id":"x","name":"n","size":12345678901234567890123,"removed_long_ago":true}"#,
    )))
    .await;
    assert_clean(&up.diagnostics);
    let upgraded = decode(&up.upgraded_state);
    assert_eq!(upgraded.get("id"), &Value::String("x".into()));
    assert_eq!(upgraded.get("tags"), &Value::Null);
    assert_eq!(
        upgraded.get("size").as_number().map(|n| n.to_string()),
        Some("12345678901234567890123".into())
    );

    // StopProvider reaches the provider; the server keeps serving.
    let stop = rpc(c.stop_provider(pb::stop_provider::Request {})).await;
    assert_eq!(stop.error, "");
    assert!(server.toy.stopped.load(Ordering::SeqCst));
    assert!(validate(&mut c, "toy_thing", dv(&thing("a")))
        .await
        .is_empty());
}

#[tokio::test]
async fn bad_requests_become_diagnostics() {
    let server = start("bad", None).await;
    let mut c = Client::new(channel(&server.socket).await);

    // Unknown resource type, on every resource RPC.
    let d = validate(&mut c, "toy_nope", dv(&thing("a"))).await;
    assert!(single_error(&d).detail.contains("toy_nope"));
    let r = rpc(c.read_resource(read_req("toy_nope", None))).await;
    assert_eq!(
        single_error(&r.diagnostics).summary,
        "Unknown resource type"
    );
    let p = rpc(c.plan_resource_change(plan_req("toy_nope", None, None, None))).await;
    assert!(single_error(&p.diagnostics).detail.contains("toy_nope"));
    let a = rpc(c.apply_resource_change(apply_req("toy_nope", None, None, None))).await;
    assert!(single_error(&a.diagnostics).detail.contains("toy_nope"));
    let i = rpc(c.import_resource_state(import_req("toy_nope", "x"))).await;
    assert!(single_error(&i.diagnostics).detail.contains("toy_nope"));
    let u = rpc(
        c.upgrade_resource_state(pb::upgrade_resource_state::Request {
            type_name: "toy_nope".into(),
            ..Default::default()
        }),
    )
    .await;
    assert!(single_error(&u.diagnostics).detail.contains("toy_nope"));

    // Malformed DynamicValues: garbage, wrong shape, empty.
    let garbage = Some(pb::DynamicValue {
        msgpack: vec![0xc1, 0x00],
        json: vec![],
    });
    let d = validate(&mut c, "toy_thing", garbage).await;
    let e = single_error(&d);
    assert_eq!(e.summary, "Malformed value from Terraform");
    assert!(
        e.detail.contains("resource configuration") && e.detail.contains("msgpack"),
        "{}",
        e.detail
    );
    let wrong = Some(pb::DynamicValue {
        msgpack: msgpack::encode(&Value::String("x".into()), &Type::String).expect("enc"),
        json: vec![],
    });
    let plan = rpc(c.plan_resource_change(plan_req(
        "toy_thing",
        dv(&Value::Null),
        wrong,
        dv(&thing("a")),
    )))
    .await;
    assert!(single_error(&plan.diagnostics)
        .detail
        .contains("proposed new state"));
    assert!(plan.planned_state.is_none());
    let empty = validate(&mut c, "toy_thing", Some(pb::DynamicValue::default())).await;
    assert!(single_error(&empty).detail.contains("empty"));
    // JSON-encoded DynamicValues are accepted too.
    let json_dv = Some(pb::DynamicValue {
        msgpack: vec![],
        json: br#"{"name":"j"}"#.to_vec(),
    });
    assert!(validate(&mut c, "toy_thing", json_dv).await.is_empty());
    let bad_json = Some(pb::DynamicValue {
        msgpack: vec![],
        json: b"{".to_vec(),
    });
    assert!(single_error(&validate(&mut c, "toy_thing", bad_json).await)
        .detail
        .contains("JSON"));
    // Malformed raw state JSON reaches the provider, which reports it.
    let u = rpc(c.upgrade_resource_state(upgrade_req("toy_thing", 1, b"[1,"))).await;
    assert_eq!(single_error(&u.diagnostics).summary, "Bad stored state");
}

#[tokio::test]
async fn panics_become_diagnostics_and_the_server_survives() {
    let server = start("panic", None).await;
    let mut c = Client::new(channel(&server.socket).await);
    let check = |diags: &[pb::Diagnostic], what: &str| {
        let d = single_error(diags);
        assert!(
            d.detail.contains("internal error in the provider") && d.detail.contains(what),
            "{d:?}"
        );
    };
    check(
        &validate(&mut c, "toy_panic", dv(&thing("a"))).await,
        "validate exploded",
    );
    // The next call on the same connection still works.
    assert!(validate(&mut c, "toy_thing", dv(&thing("a")))
        .await
        .is_empty());

    let r = rpc(c.read_resource(read_req("toy_panic", dv(&thing("a"))))).await;
    check(&r.diagnostics, "read exploded");
    let p = rpc(c.plan_resource_change(plan_req(
        "toy_panic",
        dv(&Value::Null),
        dv(&thing("a")),
        dv(&thing("a")),
    )))
    .await;
    check(&p.diagnostics, "plan exploded");
    let a = rpc(c.apply_resource_change(apply_req(
        "toy_panic",
        dv(&Value::Null),
        dv(&thing("a")),
        dv(&thing("a")),
    )))
    .await;
    check(&a.diagnostics, "apply exploded");
    let i = rpc(c.import_resource_state(import_req("toy_panic", "x"))).await;
    check(&i.diagnostics, "import exploded");
    let u = rpc(c.upgrade_resource_state(upgrade_req("toy_panic", 0, b"{}"))).await;
    check(&u.diagnostics, "upgrade exploded");
    // Still serving, on a fresh connection too.
    let mut c2 = Client::new(channel(&server.socket).await);
    assert!(validate(&mut c2, "toy_thing", dv(&thing("a")))
        .await
        .is_empty());
}

#[tokio::test]
async fn unsupported_rpcs_answer_with_diagnostics() {
    let server = start("unsupported", None).await;
    let mut c = Client::new(channel(&server.socket).await);

    // A type without identity cannot have its identity upgraded.
    let up = rpc(
        c.upgrade_resource_identity(pb::upgrade_resource_identity::Request {
            type_name: "toy_panic".into(),
            ..Default::default()
        }),
    )
    .await;
    assert!(up.upgraded_identity.is_none());
    assert!(single_error(&up.diagnostics).detail.contains("no identity"));
    let mv = rpc(c.move_resource_state(pb::move_resource_state::Request {
        source_type_name: "other_thing".into(),
        target_type_name: "toy_thing".into(),
        ..Default::default()
    }))
    .await;
    assert!(single_error(&mv.diagnostics)
        .summary
        .contains("not supported"));
    let ds = rpc(
        c.validate_data_resource_config(pb::validate_data_resource_config::Request {
            type_name: "toy_ds".into(),
            config: None,
        }),
    )
    .await;
    assert!(single_error(&ds.diagnostics).detail.contains("toy_ds"));
    let rd = rpc(c.read_data_source(pb::read_data_source::Request {
        type_name: "toy_ds".into(),
        ..Default::default()
    }))
    .await;
    assert!(rd.state.is_none());
    assert!(single_error(&rd.diagnostics)
        .detail
        .contains("no data source \"toy_ds\""));
    let gen = rpc(
        c.generate_resource_config(pb::generate_resource_config::Request {
            type_name: "toy_nope".into(),
            state: None,
        }),
    )
    .await;
    assert!(gen.config.is_none());
    assert!(single_error(&gen.diagnostics).detail.contains("toy_nope"));

    let ve = rpc(c.validate_ephemeral_resource_config(
        pb::validate_ephemeral_resource_config::Request {
            type_name: "toy_e".into(),
            config: None,
        },
    ))
    .await;
    assert!(single_error(&ve.diagnostics).detail.contains("toy_e"));
    let oe = rpc(
        c.open_ephemeral_resource(pb::open_ephemeral_resource::Request {
            type_name: "toy_e".into(),
            ..Default::default()
        }),
    )
    .await;
    single_error(&oe.diagnostics);
    let re = rpc(
        c.renew_ephemeral_resource(pb::renew_ephemeral_resource::Request {
            type_name: "toy_e".into(),
            private: None,
        }),
    )
    .await;
    single_error(&re.diagnostics);
    let ce = rpc(
        c.close_ephemeral_resource(pb::close_ephemeral_resource::Request {
            type_name: "toy_e".into(),
            private: None,
        }),
    )
    .await;
    single_error(&ce.diagnostics);

    // `toy_panic` is a managed resource type without a list resource.
    let mut list = rpc(c.list_resource(pb::list_resource::Request {
        type_name: "toy_panic".into(),
        ..Default::default()
    }))
    .await;
    let first = list.message().await.expect("stream ok").expect("one event");
    assert!(single_error(&first.diagnostic)
        .detail
        .contains("no list resource \"toy_panic\""));
    assert!(list.message().await.expect("stream ok").is_none());
    let vl = rpc(
        c.validate_list_resource_config(pb::validate_list_resource_config::Request {
            type_name: "toy_panic".into(),
            ..Default::default()
        }),
    )
    .await;
    single_error(&vl.diagnostics);

    let funcs = rpc(c.get_functions(pb::get_functions::Request {})).await;
    assert!(funcs.functions.is_empty() && funcs.diagnostics.is_empty());
    let call = rpc(c.call_function(pb::call_function::Request {
        name: "f".into(),
        arguments: vec![],
    }))
    .await;
    assert!(call.error.expect("error").text.contains("\"f\""));

    let pa = rpc(c.plan_action(pb::plan_action::Request {
        action_type: "toy_act".into(),
        ..Default::default()
    }))
    .await;
    assert!(single_error(&pa.diagnostics).detail.contains("toy_act"));
    let mut inv = rpc(c.invoke_action(pb::invoke_action::Request {
        action_type: "toy_act".into(),
        ..Default::default()
    }))
    .await;
    match inv
        .message()
        .await
        .expect("stream ok")
        .and_then(|e| e.r#type)
    {
        Some(pb::invoke_action::event::Type::Completed(done)) => {
            single_error(&done.diagnostics);
        }
        other => panic!("{other:?}"),
    }
    let va = rpc(
        c.validate_action_config(pb::validate_action_config::Request {
            type_name: "toy_act".into(),
            config: None,
        }),
    )
    .await;
    single_error(&va.diagnostics);
}

#[tokio::test]
async fn go_plugin_services_health_and_shutdown() {
    let server = start("goplugin", None).await;
    let ch = channel(&server.socket).await;

    let mut health = tonic_health::pb::health_client::HealthClient::new(ch.clone());
    let status = health
        .check(tonic_health::pb::HealthCheckRequest {
            service: "plugin".into(),
        })
        .await
        .expect("health")
        .into_inner();
    assert_eq!(
        status.status,
        tonic_health::pb::health_check_response::ServingStatus::Serving as i32
    );

    // Stdio stream opens and stays open (nothing arrives).
    let mut stdio = gp::grpc_stdio_client::GrpcStdioClient::new(ch.clone())
        .stream_stdio(())
        .await
        .expect("stdio")
        .into_inner();
    assert!(
        tokio::time::timeout(Duration::from_millis(200), stdio.message())
            .await
            .is_err()
    );

    // Broker stream is accepted and left idle.
    let (tx, rx) = tokio::sync::mpsc::channel::<gp::ConnInfo>(1);
    let mut broker = gp::grpc_broker_client::GrpcBrokerClient::new(ch.clone())
        .start_stream(tokio_stream::wrappers::ReceiverStream::new(rx))
        .await
        .expect("broker")
        .into_inner();
    tx.send(gp::ConnInfo {
        service_id: 1,
        ..Default::default()
    })
    .await
    .expect("send");
    assert!(
        tokio::time::timeout(Duration::from_millis(200), broker.message())
            .await
            .is_err()
    );

    // Shutdown: the call succeeds, the open streams end, serve_on returns.
    gp::grpc_controller_client::GrpcControllerClient::new(ch.clone())
        .shutdown(gp::Empty {})
        .await
        .expect("shutdown");
    let ended = tokio::time::timeout(Duration::from_secs(5), stdio.message()).await;
    assert!(matches!(ended, Ok(Ok(None)) | Ok(Err(_))), "{ended:?}");
    tokio::time::timeout(Duration::from_secs(5), server.handle)
        .await
        .expect("server stops after Shutdown")
        .expect("server task");
    drop(tx);
}

#[tokio::test]
async fn auto_mtls_accepts_exactly_the_given_client_cert() {
    let (client_cert, client_key) = generate_cert().expect("client cert");
    let server = start("mtls", Some(client_cert.clone())).await;
    let server_cert = server.server_cert.clone().expect("server cert");

    let ch = tls_channel(&server.socket, &server_cert, client_cert, client_key)
        .await
        .expect("TLS connect");
    let mut c = Client::new(ch);
    let schema = c
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .expect("schema over mTLS")
        .into_inner();
    assert!(schema.resource_schemas.contains_key("toy_thing"));

    // Another certificate is refused.
    let (other_cert, other_key) = generate_cert().expect("other cert");
    let refused = match tls_channel(&server.socket, &server_cert, other_cert, other_key).await {
        Err(_) => true,
        Ok(ch) => Client::new(ch)
            .get_provider_schema(pb::get_provider_schema::Request {})
            .await
            .is_err(),
    };
    assert!(refused, "a foreign client certificate must be refused");

    // Plain text is refused too.
    let plain = Client::new(channel(&server.socket).await)
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await;
    assert!(plain.is_err());

    // The good client still works afterwards.
    assert!(c.get_metadata(pb::get_metadata::Request {}).await.is_ok());
    server.shutdown.cancel();
}

#[tokio::test]
async fn tcp_fallback_serves_too() {
    let listener = PluginListener::tcp().await.expect("tcp listener");
    assert_eq!(listener.network(), "tcp");
    let address = listener.address();
    assert!(address.starts_with("127.0.0.1:"), "{address}");
    let shutdown = CancellationToken::new();
    let handle = serve(listener, Arc::new(Toy::default()), None, &shutdown);
    let ch = Endpoint::from_shared(format!("http://{address}"))
        .expect("uri")
        .connect()
        .await
        .expect("connect over TCP");
    let meta = Client::new(ch)
        .get_metadata(pb::get_metadata::Request {})
        .await
        .expect("rpc")
        .into_inner();
    assert_eq!(meta.resources.len(), 2);
    shutdown.cancel();
    tokio::time::timeout(Duration::from_secs(5), handle)
        .await
        .expect("server stops")
        .expect("server task");
}

fn identity_type() -> Type {
    toy::thing_identity_schema().object_type()
}

fn identity_dv(v: &Value) -> pb::DynamicValue {
    client::dynamic(v, &identity_type())
}

fn decode_identity(i: &Option<pb::ResourceIdentityData>) -> Value {
    let data = i
        .as_ref()
        .and_then(|i| i.identity_data.as_ref())
        .expect("an identity");
    msgpack::decode(&data.msgpack, &identity_type()).expect("identity decodes")
}

/// Identity schemas are served; identities ride on read, plan (once the id is known), apply and
/// import, but only after the client asked for identity schemas, as Terraform 1.12+ does in
/// every process: a client that never asks (Terraform 1.0.3) gets the answers it always got.
#[tokio::test]
async fn identities_only_for_clients_that_ask_for_them() {
    let server = start("identity", None).await;
    let mut c = Client::new(channel(&server.socket).await);
    let state = toy::thing_state("a");
    let read = |c: &mut Client| {
        let mut c = c.clone();
        let current = dv(&state);
        async move {
            c.read_resource(pb::read_resource::Request {
                type_name: "toy_thing".into(),
                current_state: current,
                ..Default::default()
            })
            .await
            .expect("rpc")
            .into_inner()
        }
    };

    // An old client: nothing about identity anywhere.
    let old_read = read(&mut c).await;
    assert!(old_read.new_identity.is_none() && old_read.diagnostics.is_empty());
    let old_import = rpc(c.import_resource_state(import_req("toy_thing", "toy-a"))).await;
    assert!(old_import.imported_resources[0].identity.is_none());
    let old_apply = rpc(c.apply_resource_change(apply_req(
        "toy_thing",
        dv(&Value::Null),
        dv(&state),
        dv(&state),
    )))
    .await;
    assert!(old_apply.new_identity.is_none());

    // A new client asks for identity schemas first.
    let schemas =
        rpc(c.get_resource_identity_schemas(pb::get_resource_identity_schemas::Request {})).await;
    assert!(schemas.diagnostics.is_empty());
    assert_eq!(
        schemas.identity_schemas.keys().collect::<Vec<_>>(),
        ["toy_thing"]
    );
    let thing_identity = &schemas.identity_schemas["toy_thing"];
    assert_eq!(thing_identity.version, 1);
    assert_eq!(thing_identity.identity_attributes.len(), 1);
    let id_attr = &thing_identity.identity_attributes[0];
    assert_eq!(
        (id_attr.name.as_str(), id_attr.r#type.as_slice()),
        ("id", &b"\"string\""[..])
    );
    assert!(id_attr.required_for_import && !id_attr.optional_for_import);

    let new_read = read(&mut c).await;
    assert_eq!(
        decode_identity(&new_read.new_identity),
        toy::identity("toy-a")
    );
    assert_eq!(
        new_read.new_state, old_read.new_state,
        "identity comes on top, the state is the same"
    );
    // Gone: no state, no identity.
    let gone = rpc(c.read_resource(read_req("toy_thing", dv(&toy::thing_state("gone"))))).await;
    assert!(gone.new_identity.is_none());

    // Planning a create: the id is unknown, so no identity yet; the apply brings it.
    let plan = rpc(c.plan_resource_change(plan_req(
        "toy_thing",
        dv(&Value::Null),
        dv(&thing("b")),
        dv(&thing("b")),
    )))
    .await;
    assert!(plan.planned_identity.is_none());
    let new_apply = rpc(c.apply_resource_change(apply_req(
        "toy_thing",
        dv(&Value::Null),
        dv(&state),
        dv(&state),
    )))
    .await;
    assert_eq!(
        decode_identity(&new_apply.new_identity),
        toy::identity("toy-a")
    );
    // Planning an update of an existing object carries its identity.
    let update = rpc(c.plan_resource_change(pb::plan_resource_change::Request {
        prior_identity: Some(pb::ResourceIdentityData {
            identity_data: Some(identity_dv(&toy::identity("toy-a"))),
        }),
        ..plan_req("toy_thing", dv(&state), dv(&state), dv(&state))
    }))
    .await;
    assert_eq!(
        decode_identity(&update.planned_identity),
        toy::identity("toy-a")
    );

    // Import by identity: the provider gets the decoded identity and answers with one.
    let by_identity = rpc(c.import_resource_state(import_identity_req(
        "toy_thing",
        identity_dv(&toy::identity("toy-x")),
    )))
    .await;
    assert_clean(&by_identity.diagnostics);
    let imported = &by_identity.imported_resources[0];
    assert_eq!(
        decode(&imported.state).get("id"),
        &Value::String("toy-x".into())
    );
    assert_eq!(decode_identity(&imported.identity), toy::identity("toy-x"));
    // An identity that does not fit the identity schema is a diagnostic, not a crash.
    let bad = rpc(c.import_resource_state(import_identity_req(
        "toy_thing",
        pb::DynamicValue {
            msgpack: vec![0x81, 0xa1, b'z', 0xc0],
            json: Vec::new(),
        },
    )))
    .await;
    assert!(bad.imported_resources.is_empty());
    assert!(single_error(&bad.diagnostics)
        .detail
        .contains("import identity"));
}

/// UpgradeResourceIdentity: an identity of the current version is read back as it is; an older
/// version goes to the provider (the toy has no upgrade).
#[tokio::test]
async fn stored_identities_are_upgraded() {
    let server = start("identity-upgrade", None).await;
    let mut c = Client::new(channel(&server.socket).await);
    let upgrade = |version: i64, json: &str| pb::upgrade_resource_identity::Request {
        type_name: "toy_thing".into(),
        version,
        raw_identity: Some(pb::RawState {
            json: json.as_bytes().to_vec(),
            flatmap: Default::default(),
        }),
    };
    let same = c
        .upgrade_resource_identity(upgrade(1, r#"{"id":"toy-a"}"#))
        .await
        .expect("rpc")
        .into_inner();
    assert_clean(&same.diagnostics);
    assert_eq!(
        decode_identity(&same.upgraded_identity),
        toy::identity("toy-a")
    );
    let older = c
        .upgrade_resource_identity(upgrade(0, r#"{"name":"a"}"#))
        .await
        .expect("rpc")
        .into_inner();
    assert!(older.upgraded_identity.is_none());
    assert!(single_error(&older.diagnostics)
        .detail
        .contains("version 0"));
    let broken = c
        .upgrade_resource_identity(upgrade(1, "{"))
        .await
        .expect("rpc")
        .into_inner();
    assert!(single_error(&broken.diagnostics)
        .summary
        .contains("Malformed"));
}

fn list_config(prefix: &str, count: i64) -> Option<pb::DynamicValue> {
    let v = Value::Object(
        [
            ("prefix".to_owned(), Value::String(prefix.into())),
            (
                "count".to_owned(),
                Value::Number(terraform_provider_authentik::protocol::Number::Int(count)),
            ),
        ]
        .into_iter()
        .collect(),
    );
    Some(pb::DynamicValue {
        msgpack: msgpack::encode(&v, &toy::thing_list_schema().block.object_type())
            .expect("encode"),
        json: Vec::new(),
    })
}

async fn list_all(
    c: &mut Client,
    type_name: &str,
    config: Option<pb::DynamicValue>,
    include: bool,
) -> Vec<pb::list_resource::Event> {
    let mut stream = c
        .list_resource(pb::list_resource::Request {
            type_name: type_name.into(),
            config,
            include_resource_object: include,
            limit: 100,
        })
        .await
        .expect("rpc")
        .into_inner();
    let mut events = Vec::new();
    while let Some(e) = tokio::time::timeout(Duration::from_secs(10), stream.message())
        .await
        .expect("the stream never hangs")
        .expect("stream ok")
    {
        events.push(e);
    }
    events
}

/// List resources: schemas and metadata, validation, results streamed with identity, display
/// name and (only when asked for) the object, errors and panics as diagnostics in the stream,
/// and a provider that stops when Terraform stops reading.
#[tokio::test]
async fn list_resources_stream_their_results() {
    let server = start("list", None).await;
    let mut c = Client::new(channel(&server.socket).await);
    let schema = rpc(c.get_provider_schema(pb::get_provider_schema::Request {})).await;
    let list_schema = &schema.list_resource_schemas["toy_thing"];
    let names: Vec<_> = list_schema
        .block
        .as_ref()
        .expect("block")
        .attributes
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(names, ["prefix", "count"]);
    assert_eq!(schema.list_resource_schemas.len(), 1);
    assert!(
        schema
            .server_capabilities
            .expect("capabilities")
            .generate_resource_config
    );
    let meta = rpc(c.get_metadata(pb::get_metadata::Request {})).await;
    let listed: Vec<_> = meta
        .list_resources
        .iter()
        .map(|l| l.type_name.as_str())
        .collect();
    assert_eq!(listed, ["toy_thing"]);

    // Validation gets the config, include_resource and limit.
    let validate_list = |config, include: Option<bool>| {
        let mut c = c.clone();
        async move {
            c.validate_list_resource_config(pb::validate_list_resource_config::Request {
                type_name: "toy_thing".into(),
                config,
                include_resource_object: include.map(|b| pb::DynamicValue {
                    msgpack: msgpack::encode(&Value::Bool(b), &Type::Bool).expect("bool"),
                    json: Vec::new(),
                }),
                limit: None,
            })
            .await
            .expect("rpc")
            .into_inner()
            .diagnostics
        }
    };
    assert!(validate_list(list_config("ok", 1), None).await.is_empty());
    let bad = validate_list(list_config("bad", 1), Some(false)).await;
    assert_eq!(single_error(&bad).summary, "Bad prefix");
    let with_objects = validate_list(list_config("ok", 1), Some(true)).await;
    assert_eq!(with_objects.len(), 1);
    assert_eq!(with_objects[0].summary, "include_resource");

    // Three results, with identity and display name; objects only when asked for.
    let plain = list_all(&mut c, "toy_thing", list_config("t", 3), false).await;
    assert_eq!(plain.len(), 3);
    for (n, e) in plain.iter().enumerate() {
        assert!(e.diagnostic.is_empty(), "{:?}", e.diagnostic);
        assert_eq!(e.display_name, format!("Toy t{n}"));
        assert_eq!(
            decode_identity(&e.identity),
            toy::identity(&format!("toy-t{n}"))
        );
        assert!(e.resource_object.is_none());
    }
    let full = list_all(&mut c, "toy_thing", list_config("t", 2), true).await;
    assert_eq!(full.len(), 2);
    assert_eq!(
        decode(&full[1].resource_object),
        toy::thing_state("t1"),
        "the object decodes against the resource schema"
    );
    // No config block: all attributes null.
    let none = list_all(&mut c, "toy_thing", None, false).await;
    assert_eq!(none.len(), 3);

    // An error after two results ends the stream with it.
    let failing = list_all(&mut c, "toy_thing", list_config("fail", 2), false).await;
    assert_eq!(failing.len(), 3);
    assert_eq!(
        single_error(&failing[2].diagnostic).summary,
        "Listing failed"
    );
    // A panic becomes a diagnostic and the server lives on.
    let boom = list_all(&mut c, "toy_thing", list_config("boom", 1), false).await;
    assert_eq!(boom.len(), 1);
    assert!(single_error(&boom[0].diagnostic)
        .detail
        .contains("list exploded"));
    // A config that does not fit the schema.
    let undecodable = list_all(
        &mut c,
        "toy_thing",
        Some(pb::DynamicValue {
            msgpack: vec![0x81, 0xa1, b'z', 0xc0],
            json: Vec::new(),
        }),
        false,
    )
    .await;
    assert_eq!(undecodable.len(), 1);
    assert!(single_error(&undecodable[0].diagnostic)
        .detail
        .contains("list configuration"));
    // Unknown type.
    let unknown = list_all(&mut c, "toy_nope", None, false).await;
    assert!(single_error(&unknown[0].diagnostic)
        .detail
        .contains("toy_nope"));

    // Streaming: results arrive while the provider is still listing, and when the reader
    // goes away (Terraform has its `limit`), the provider's next send fails and it stops.
    let mut stream = rpc(c.list_resource(pb::list_resource::Request {
        type_name: "toy_thing".into(),
        config: list_config("endless", 0),
        include_resource_object: false,
        limit: 5,
    }))
    .await;
    for n in 0..5 {
        let e = stream
            .message()
            .await
            .expect("stream ok")
            .expect("an event");
        assert_eq!(e.display_name, format!("Toy endless{n}"));
    }
    assert!(!server.toy.list_stopped.load(Ordering::SeqCst));
    drop(stream);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !server.toy.list_stopped.load(Ordering::SeqCst) {
        assert!(
            std::time::Instant::now() < deadline,
            "the provider kept listing after the stream was dropped"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // How far the provider got ahead is up to HTTP/2 flow control; it did stop.
    assert!(server.toy.listed.load(Ordering::SeqCst) >= 5);
}

/// GenerateResourceConfig: the provider's configuration for a state, decoded and encoded
/// against the resource schema; a panic is a diagnostic.
#[tokio::test]
async fn resource_configuration_is_generated() {
    let server = start("generate", None).await;
    let mut c = Client::new(channel(&server.socket).await);
    let gen = rpc(
        c.generate_resource_config(pb::generate_resource_config::Request {
            type_name: "toy_thing".into(),
            state: dv(&toy::thing_state("a")),
        }),
    )
    .await;
    assert_clean(&gen.diagnostics);
    let config = decode(&gen.config);
    assert!(config.get("id").is_null());
    assert_eq!(config.get("name"), &Value::String("a".into()));
    let boom = rpc(
        c.generate_resource_config(pb::generate_resource_config::Request {
            type_name: "toy_panic".into(),
            state: dv(&toy::thing_state("a")),
        }),
    )
    .await;
    assert!(boom.config.is_none());
    assert!(single_error(&boom.diagnostics)
        .detail
        .contains("generate exploded"));
}
