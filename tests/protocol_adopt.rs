//! The real provider in-process over gRPC, against the API double and a scripted server:
//! identity schemas and list resources for every resource type, identities on read, apply and
//! import, listing that pages through the API and streams each page as it arrives, `name`,
//! `search`, `limit` and `include_resource`, and errors as diagnostics in the stream.

#[path = "common/client.rs"]
mod client;
#[path = "common/client_helpers.rs"]
mod client_helpers;
use client_helpers::ListenerExt;
#[path = "common/scripted.rs"]
mod scripted;
mod support;

use client::{
    apply_req, assert_clean, channel, dynamic, import_identity_req, import_req, read_req, rpc,
    serve, Client,
};
use scripted::{scripted, Act};
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use support::double::Double;
use support::tempdir::TempDir;
use terraform_provider_authentik::engine::field::ResourceDef;
use terraform_provider_authentik::engine::{identity, listing, schema};
use terraform_provider_authentik::protocol::codec::msgpack;
use terraform_provider_authentik::protocol::pb::tfplugin6 as pb;
use terraform_provider_authentik::protocol::{Number, PluginListener, Type, Value};
use terraform_provider_authentik::provider::{provider_schema, AuthentikProvider};
use terraform_provider_authentik::resources::{self, email::EMAIL, totp::TOTP};
use tokio_util::sync::CancellationToken;

struct Server {
    client: Client,
    _dir: TempDir,
    shutdown: CancellationToken,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// The provider on a unix socket, configured for `url` and `token` (no retries, short
/// timeouts: errors must come back quickly), and a client that asked for identity schemas as
/// Terraform 1.12+ does.
async fn start(tag: &str, url: &str, token: &str) -> Server {
    let dir = TempDir::new("adopt-test", tag);
    let socket = dir.path().join("p.sock");
    let listener = PluginListener::unix(&socket).expect("bind");
    let shutdown = CancellationToken::new();
    let provider =
        Arc::new(AuthentikProvider::new(resources::ALL).with_data_sources(resources::DATA_SOURCES));
    serve(listener, provider, None, &shutdown);
    let mut client = Client::new(channel(&socket).await);
    let ptype = provider_schema().block.object_type();
    let mut config: BTreeMap<String, Value> = match &ptype {
        Type::Object(attrs) => attrs.keys().map(|k| (k.clone(), Value::Null)).collect(),
        _ => unreachable!("the provider block is an object"),
    };
    config.insert("url".into(), Value::String(url.into()));
    config.insert("token".into(), Value::String(token.into()));
    config.insert("max_retries".into(), Value::Number(Number::Int(0)));
    // Fail at once on a refused connection instead of waiting out a restart.
    config.insert("retry_timeout".into(), Value::Number(Number::Int(0)));
    config.insert("request_timeout".into(), Value::Number(Number::Int(5)));
    let configured = rpc(client.configure_provider(pb::configure_provider::Request {
        terraform_version: "1.15.5".into(),
        config: Some(dynamic(&Value::Object(config), &ptype)),
        client_capabilities: None,
    }))
    .await;
    assert_clean(&configured.diagnostics);
    client
        .get_resource_identity_schemas(pb::get_resource_identity_schemas::Request {})
        .await
        .expect("rpc");
    Server {
        client,
        _dir: dir,
        shutdown,
    }
}

fn state_type(def: &ResourceDef) -> Type {
    schema::resource_schema(def).block.object_type()
}

fn identity_type(def: &ResourceDef) -> Type {
    identity::identity_schema(def).object_type()
}

fn identity_id(def: &ResourceDef, i: &Option<pb::ResourceIdentityData>) -> String {
    let data = i
        .as_ref()
        .and_then(|i| i.identity_data.as_ref())
        .expect("an identity");
    let v = msgpack::decode(&data.msgpack, &identity_type(def)).expect("identity decodes");
    v.get("id").as_str().expect("id").to_string()
}

fn list_config(name: Option<&str>, search: Option<&str>) -> pb::DynamicValue {
    let s = |v: Option<&str>| v.map_or(Value::Null, |v| Value::String(v.into()));
    let v = Value::Object(BTreeMap::from([
        ("name".to_string(), s(name)),
        ("search".to_string(), s(search)),
    ]));
    dynamic(&v, &listing::list_schema(&EMAIL).block.object_type())
}

/// Every event of a list, failing if the stream does not end within 20 s.
async fn list(
    c: &mut Client,
    def: &ResourceDef,
    config: pb::DynamicValue,
    include: bool,
    limit: i64,
) -> Vec<pb::list_resource::Event> {
    let mut stream = c
        .list_resource(pb::list_resource::Request {
            type_name: def.type_name.into(),
            config: Some(config),
            include_resource_object: include,
            limit,
        })
        .await
        .expect("rpc")
        .into_inner();
    let mut events = Vec::new();
    loop {
        let next = tokio::time::timeout(Duration::from_secs(20), stream.message())
            .await
            .expect("the list stream must end, never hang")
            .expect("stream ok");
        match next {
            Some(e) => events.push(e),
            None => return events,
        }
    }
}

fn names(events: &[pb::list_resource::Event]) -> Vec<String> {
    events.iter().map(|e| e.display_name.clone()).collect()
}

/// The one error that ends a listing of email stages filtered by `search`: the stream holds
/// nothing else.
async fn only_error(server: &mut Server, search: Option<&str>) -> pb::Diagnostic {
    let events = list(
        &mut server.client,
        &EMAIL,
        list_config(None, search),
        false,
        100,
    )
    .await;
    assert_eq!(events.len(), 1, "{events:?}");
    let diags = &events[0].diagnostic;
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].severity, pb::diagnostic::Severity::Error as i32);
    assert!(events[0].identity.is_none());
    diags[0].clone()
}

/// The page requests the double saw for a collection since the log was cleared.
fn page_requests(dbl: &Double, api_path: &str) -> Vec<String> {
    let prefix = format!("/api/v3/{api_path}/?");
    dbl.requests()
        .iter()
        .filter_map(|r| r["path"].as_str().map(str::to_string))
        .filter(|p| p.starts_with(&prefix))
        .collect()
}

/// Every resource type has an identity (`id`, required for import) and a list resource with
/// `name` and `search`, from the one table.
#[tokio::test]
async fn every_resource_type_has_an_identity_and_a_list_resource() {
    let dbl = Double::start(&[]);
    let mut server = start("schemas", &dbl.url, &dbl.token).await;
    let c = &mut server.client;
    let ids =
        rpc(c.get_resource_identity_schemas(pb::get_resource_identity_schemas::Request {})).await;
    let schemas = rpc(c.get_provider_schema(pb::get_provider_schema::Request {})).await;
    let mut types: Vec<&str> = resources::ALL.iter().map(|d| d.type_name).collect();
    types.sort();
    let mut with_identity: Vec<&str> = ids.identity_schemas.keys().map(String::as_str).collect();
    with_identity.sort();
    let mut listable: Vec<&str> = schemas
        .list_resource_schemas
        .keys()
        .map(String::as_str)
        .collect();
    listable.sort();
    assert_eq!(with_identity, types);
    assert_eq!(listable, types);
    for t in &types {
        let attrs = &ids.identity_schemas[*t].identity_attributes;
        assert_eq!(attrs.len(), 1, "{t}");
        assert_eq!(attrs[0].name, "id");
        assert!(attrs[0].required_for_import);
        let config = schemas.list_resource_schemas[*t]
            .block
            .as_ref()
            .expect("block");
        let mut filters: Vec<(&str, bool, bool)> = config
            .attributes
            .iter()
            .map(|a| (a.name.as_str(), a.optional, a.required))
            .collect();
        filters.sort();
        // Stages and policies filter by name; flows by slug and designation; bindings by what
        // they bind. All optional.
        let def = resources::ALL
            .iter()
            .find(|d| d.type_name == *t)
            .expect("def");
        let mut want: Vec<(&str, bool, bool)> = def
            .list_filters
            .iter()
            .map(|f| (f.name, true, false))
            .collect();
        want.sort();
        assert_eq!(filters, want, "{t}");
        if def.is_stage() {
            assert_eq!(
                filters,
                [("name", true, false), ("search", true, false)],
                "{t}"
            );
        }
    }
    assert!(
        schemas
            .server_capabilities
            .expect("capabilities")
            .generate_resource_config
    );
}

/// 150 email stages made behind Terraform's back: listed across two API pages of 100, each
/// once, with its identity (the UUID as authentik spells it) and its name; `limit` stops the
/// paging early; `name` finds one, `search` ignores case; `include_resource` adds the state an
/// import would give, less its secrets.
#[tokio::test]
async fn listing_pages_through_the_api_and_honours_the_filters() {
    let dbl = Double::start(&[]);
    let mut made = BTreeMap::new();
    for n in 0..150 {
        let name = format!("mail-{n:03}");
        let body = dbl.create(
            "/api/v3/stages/authenticator/email/",
            json!({"name": name, "port": 2500 + n, "password": format!("smtp-secret-{n}")}),
        );
        made.insert(name, body["pk"].as_str().expect("pk").to_string());
    }
    let mut server = start("paging", &dbl.url, &dbl.token).await;
    let c = &mut server.client;

    dbl.clear_requests();
    let all = list(c, &EMAIL, list_config(None, None), false, 1000).await;
    let pages = page_requests(&dbl, EMAIL.api_path);
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert!(
        pages.iter().all(|p| p.contains("page_size=100")),
        "{pages:?}"
    );
    assert_eq!(all.len(), 150);
    let mut listed = BTreeMap::new();
    for e in &all {
        assert!(e.diagnostic.is_empty(), "{:?}", e.diagnostic);
        assert!(e.resource_object.is_none(), "not asked for");
        let id = identity_id(&EMAIL, &e.identity);
        assert!(
            listed.insert(e.display_name.clone(), id).is_none(),
            "{} listed twice",
            e.display_name
        );
    }
    assert_eq!(listed, made);

    // Terraform's default limit is 100: one page is enough, and no second one is asked for.
    dbl.clear_requests();
    let first = list(c, &EMAIL, list_config(None, None), false, 100).await;
    assert_eq!(first.len(), 100);
    assert_eq!(page_requests(&dbl, EMAIL.api_path).len(), 1);
    let five = list(c, &EMAIL, list_config(None, None), false, 5).await;
    assert_eq!(
        names(&five),
        ["mail-000", "mail-001", "mail-002", "mail-003", "mail-004"]
    );

    let one = list(c, &EMAIL, list_config(Some("mail-042"), None), false, 100).await;
    assert_eq!(names(&one), ["mail-042"]);
    assert_eq!(identity_id(&EMAIL, &one[0].identity), made["mail-042"]);
    let none = list(c, &EMAIL, list_config(Some("MAIL-042"), None), false, 100).await;
    assert!(none.is_empty(), "name is exact, case included");
    let searched = list(c, &EMAIL, list_config(None, Some("AIL-14")), false, 100).await;
    let want: Vec<String> = (140..150).map(|n| format!("mail-{n:03}")).collect();
    assert_eq!(names(&searched), want, "search ignores case");
    let both = list(
        c,
        &EMAIL,
        list_config(Some("mail-001"), Some("zzz")),
        false,
        100,
    )
    .await;
    assert!(both.is_empty(), "both filters apply");
    // Another type has none of them: names are unique across types, lists are per type.
    let totp = list(c, &TOTP, list_config(Some("mail-001"), None), false, 100).await;
    assert!(totp.is_empty());

    // With the object: the same state an import by that UUID gives.
    let full = list(c, &EMAIL, list_config(Some("mail-007"), None), true, 100).await;
    assert_eq!(full.len(), 1);
    let listed_state = msgpack::decode(
        &full[0].resource_object.as_ref().expect("object").msgpack,
        &state_type(&EMAIL),
    )
    .expect("state decodes");
    let imported =
        rpc(c.import_resource_state(import_req(EMAIL.type_name, &made["mail-007"]))).await;
    let imported_state = msgpack::decode(
        &imported.imported_resources[0]
            .state
            .as_ref()
            .expect("state")
            .msgpack,
        &state_type(&EMAIL),
    )
    .expect("state decodes");
    // Secrets stay out of listed objects (Terraform prints them: `terraform query -json`);
    // the import reads them.
    assert!(listed_state.get("password").is_null());
    assert_eq!(
        imported_state.get("password").as_str(),
        Some("smtp-secret-7")
    );
    let mut without_secret = imported_state.clone();
    if let Value::Object(m) = &mut without_secret {
        m.insert("password".into(), Value::Null);
    }
    assert_eq!(listed_state, without_secret);
    assert_eq!(listed_state.get("port"), &Value::Number(Number::Int(2507)));

    // A blank name is a mistake caught before listing.
    let diags = rpc(
        c.validate_list_resource_config(pb::validate_list_resource_config::Request {
            type_name: EMAIL.type_name.into(),
            config: Some(list_config(Some("  "), None)),
            ..Default::default()
        }),
    )
    .await
    .diagnostics;
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(diags[0].summary.contains("`name` must not be blank"));
}

/// Identities on import (by an UPPER-CASE identity, answered in authentik's spelling), read and
/// apply, for a type the double ships built-ins of.
#[tokio::test]
async fn identities_on_import_read_and_apply() {
    let dbl = Double::start(&[]);
    let builtin = dbl
        .all_stages()
        .into_iter()
        .find(|s| s["name"] == "default-authenticator-totp-setup")
        .expect("the double's built-in TOTP stage");
    let pk = builtin["pk"].as_str().expect("pk").to_string();
    let mut server = start("identity", &dbl.url, &dbl.token).await;
    let c = &mut server.client;
    let upper = Value::Object(BTreeMap::from([(
        "id".to_string(),
        Value::String(pk.to_uppercase()),
    )]));
    let imported = rpc(c.import_resource_state(import_identity_req(
        TOTP.type_name,
        dynamic(&upper, &identity_type(&TOTP)),
    )))
    .await;
    assert_clean(&imported.diagnostics);
    let object = &imported.imported_resources[0];
    assert_eq!(identity_id(&TOTP, &object.identity), pk);
    let state = msgpack::decode(
        &object.state.as_ref().expect("state").msgpack,
        &state_type(&TOTP),
    )
    .expect("decodes");
    assert_eq!(state.get("id").as_str(), Some(pk.as_str()));
    assert_eq!(state.get("friendly_name").as_str(), Some("TOTP Device"));

    let read = rpc(c.read_resource(pb::read_resource::Request {
        current_identity: object.identity.clone(),
        ..read_req(TOTP.type_name, object.state.clone())
    }))
    .await;
    assert_clean(&read.diagnostics);
    assert_eq!(identity_id(&TOTP, &read.new_identity), pk);

    // Not a UUID: a clear error, nothing imported.
    let by_name = Value::Object(BTreeMap::from([(
        "id".to_string(),
        Value::String("default-authenticator-totp-setup".into()),
    )]));
    let refused = rpc(c.import_resource_state(import_identity_req(
        TOTP.type_name,
        dynamic(&by_name, &identity_type(&TOTP)),
    )))
    .await;
    assert!(refused.imported_resources.is_empty());
    assert!(refused.diagnostics[0].detail.contains("not a UUID"));

    // A create answers with the new stage's identity.
    let mut planned = schema::null_object(&TOTP);
    planned.insert("id".into(), Value::Unknown);
    planned.insert("name".into(), Value::String("totp-made-here".into()));
    planned.insert("digits".into(), Value::String("6".into()));
    planned.insert("friendly_name".into(), Value::String(String::new()));
    let mut config = schema::null_object(&TOTP);
    config.insert("name".into(), Value::String("totp-made-here".into()));
    let ty = state_type(&TOTP);
    let applied = rpc(c.apply_resource_change(apply_req(
        TOTP.type_name,
        Some(dynamic(&Value::Null, &ty)),
        Some(dynamic(&Value::Object(planned), &ty)),
        Some(dynamic(&Value::Object(config), &ty)),
    )))
    .await;
    assert_clean(&applied.diagnostics);
    let made = dbl
        .stages()
        .into_iter()
        .find(|s| s["name"] == "totp-made-here")
        .expect("created");
    assert_eq!(
        identity_id(&TOTP, &applied.new_identity),
        made["pk"].as_str().expect("pk")
    );
}

/// A wrong token, an unreachable server and a 400 each end the stream with one clear error.
#[tokio::test]
async fn list_errors_arrive_in_the_stream() {
    let dbl = Double::start(&[]);
    let mut wrong_token = start("token", &dbl.url, "not-the-token").await;
    let d = only_error(&mut wrong_token, None).await;
    assert!(
        d.detail.contains("403") || d.detail.to_lowercase().contains("token"),
        "{d:?}"
    );
    assert!(
        !d.detail.contains("not-the-token"),
        "never the token itself"
    );

    // A port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = closed.local_addr().expect("addr").port();
    drop(closed);
    let mut unreachable = start("unreachable", &format!("http://127.0.0.1:{port}"), "t").await;
    let d = only_error(&mut unreachable, None).await;
    assert!(d.detail.contains(&port.to_string()), "names the URL: {d:?}");

    let (url, _script) = scripted(vec![Act::Reply(
        400,
        "",
        json!({"search": ["Enter a valid value."]}).to_string(),
    )])
    .await;
    let mut rejected = start("400", &url, "t").await;
    let d = only_error(&mut rejected, Some("x")).await;
    assert!(d.detail.contains("Enter a valid value."), "{d:?}");
    let path = d.attribute.as_ref().expect("on the filter");
    assert_eq!(
        path.steps[0].selector,
        Some(pb::attribute_path::step::Selector::AttributeName(
            "search".into()
        ))
    );
}

/// Results reach Terraform page by page: the first page's stages arrive while the second page
/// is still unanswered.
#[tokio::test]
async fn results_stream_as_pages_arrive() {
    let results: Vec<serde_json::Value> = (0..100)
        .map(|n| {
            json!({"pk": format!("00000000-0000-4000-8000-{n:012}"), "name": format!("s-{n:03}"),
                "friendly_name": "", "configure_flow": null, "digits": "6"})
        })
        .collect();
    let page1 = json!({"pagination": {"next": 2, "previous": 0, "count": 200, "current": 1,
        "total_pages": 2, "start_index": 1, "end_index": 100}, "results": results, "autocomplete": {}});
    let (url, script) = scripted(vec![Act::Reply(200, "", page1.to_string()), Act::Silent]).await;
    let mut server = start("stream", &url, "t").await;
    let mut stream = rpc(server.client.list_resource(pb::list_resource::Request {
        type_name: TOTP.type_name.into(),
        config: Some(list_config(None, None)),
        include_resource_object: false,
        limit: 1000,
    }))
    .await;
    for n in 0..100 {
        let e = tokio::time::timeout(Duration::from_secs(10), stream.message())
            .await
            .expect("the first page arrives without waiting for the second")
            .expect("stream ok")
            .expect("an event");
        assert_eq!(e.display_name, format!("s-{n:03}"));
    }
    let seen = script.seen();
    assert_eq!(seen.len(), 2, "the second page is being asked for");
    assert!(seen[1].contains("page=2"), "{}", seen[1]);
}
