//! Data source lookups against a scripted server: what is asked for, exact matching even when a
//! server ignores a filter, and the errors for no match, a near miss, several matches and a 400.

#[path = "common/scripted.rs"]
mod scripted;

use scripted::{scripted, Act};
use serde_json::json;
use terraform_provider_authentik::client::{Client, ClientConfig};
use terraform_provider_authentik::engine::field::DataSourceDef;
use terraform_provider_authentik::engine::lookup;
use terraform_provider_authentik::protocol::{ReadDataSourceResponse, Value};
use terraform_provider_authentik::resources::data_sources::{
    flow::FLOW, stage::STAGE, webauthn_device_type::WEBAUTHN_DEVICE_TYPE,
    webauthn_device_types::WEBAUTHN_DEVICE_TYPES,
};

fn page(results: serde_json::Value) -> Act {
    let n = results.as_array().map(Vec::len).unwrap_or(0);
    Act::Reply(
        200,
        "Content-Type: application/json\r\n",
        json!({"pagination": {"next": 0, "previous": 0, "count": n, "current": 1, "total_pages": 1,
            "start_index": 1, "end_index": n}, "results": results, "autocomplete": {}})
        .to_string(),
    )
}

fn config(def: &DataSourceDef, given: &[(&str, &str)]) -> Value {
    let mut m: std::collections::BTreeMap<String, Value> = lookup::data_source_schema(def)
        .block
        .attributes
        .into_iter()
        .map(|a| (a.name, Value::Null))
        .collect();
    for (k, v) in given {
        assert!(m.contains_key(*k), "no attribute {k}");
        m.insert(k.to_string(), Value::String(v.to_string()));
    }
    Value::Object(m)
}

async fn read(
    def: &DataSourceDef,
    given: &[(&str, &str)],
    acts: Vec<Act>,
) -> (ReadDataSourceResponse, Vec<String>) {
    let (url, script) = scripted(acts).await;
    let client = Client::new(ClientConfig::new(url, "t"), Default::default()).expect("client");
    let resp = lookup::read(def, &client, &config(def, given)).await;
    let seen = script
        .seen()
        .iter()
        .map(|h| h.lines().next().unwrap_or("").to_string())
        .collect();
    (resp, seen)
}

fn error_text(r: &ReadDataSourceResponse) -> String {
    assert!(r.state.is_null(), "no state on an error");
    assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
    let d = &r.diagnostics[0];
    assert!(d.is_error());
    format!("{}: {}", d.summary, d.detail)
}

#[tokio::test]
async fn exact_match_even_when_the_server_ignores_the_filter() {
    let (r, seen) = read(
        &STAGE,
        &[("name", "default-authentication-login")],
        vec![page(json!([
            {"pk": "11111111-1111-1111-1111-111111111111", "name": "default-authentication-identification"},
            {"pk": "22222222-2222-2222-2222-222222222222", "name": "default-authentication-login"},
        ]))],
    )
    .await;
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert_eq!(
        r.state.get("id"),
        &Value::String("22222222-2222-2222-2222-222222222222".into())
    );
    assert_eq!(seen.len(), 1);
    assert!(
        seen[0].starts_with(
            "GET /api/v3/stages/all/?ordering=name&name=default-authentication-login&page=1"
        ),
        "{seen:?}"
    );
}

#[tokio::test]
async fn no_match_offers_the_closest_values() {
    let (r, seen) = read(
        &FLOW,
        &[("slug", "default-authenticator-totp-setpu")],
        vec![
            page(json!([])),
            // ?search= (substring) finds nothing for the typo either...
            page(json!([])),
            // ...so the whole collection is compared by edit distance.
            page(json!([
                {"pk": "1", "slug": "default-authentication-flow", "name": "n", "title": "t", "designation": "authentication", "authentication": "none"},
                {"pk": "2", "slug": "default-authenticator-totp-setup", "name": "n", "title": "t", "designation": "stage_configuration", "authentication": "require_authenticated"},
            ])),
        ],
    )
    .await;
    let text = error_text(&r);
    assert!(
        text.contains(r#"No flow in authentik has slug "default-authenticator-totp-setpu""#)
            && text.contains(r#"Did you mean "default-authenticator-totp-setup""#)
            && !text.contains("default-authentication-flow"),
        "{text}"
    );
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert!(
        seen[1].contains("search=default-authenticator-totp-setpu"),
        "{seen:?}"
    );
    assert_eq!(
        r.diagnostics[0].attribute.as_ref().map(|a| a.to_string()),
        Some("slug".to_string())
    );
}

#[tokio::test]
async fn several_matches_are_listed_with_the_key_that_tells_them_apart() {
    let rows = json!([
        {"aaguid": "ee882879-721c-4913-9775-3dfcce97072a", "description": "YubiKey 5 Series with NFC"},
        {"aaguid": "fa2b99dc-9e39-4257-8f92-4a30d23c4118", "description": "YubiKey 5 Series with NFC"},
    ]);
    let (r, _) = read(
        &WEBAUTHN_DEVICE_TYPE,
        &[("description", "YubiKey 5 Series with NFC")],
        vec![page(rows.clone())],
    )
    .await;
    let text = error_text(&r);
    assert!(
        text.contains("More than one WebAuthn device type matches")
            && text.contains(r#"aaguid = "ee882879-721c-4913-9775-3dfcce97072a""#)
            && text.contains(r#"aaguid = "fa2b99dc-9e39-4257-8f92-4a30d23c4118""#)
            && text.contains("Add `aaguid`")
            && text.contains(r#"data "authentik_webauthn_device_types""#),
        "{text}"
    );
    // Both keys pick one; the configured spelling of the UUID is kept in state.
    let (r, seen) = read(
        &WEBAUTHN_DEVICE_TYPE,
        &[
            ("description", "YubiKey 5 Series with NFC"),
            ("aaguid", "FA2B99DC9E3942578F924A30D23C4118"),
        ],
        vec![page(rows)],
    )
    .await;
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert_eq!(
        r.state.get("id"),
        &Value::String("fa2b99dc-9e39-4257-8f92-4a30d23c4118".into())
    );
    assert_eq!(
        r.state.get("aaguid"),
        &Value::String("FA2B99DC9E3942578F924A30D23C4118".into())
    );
    assert!(
        seen[0].contains("aaguid=fa2b99dc-9e39-4257-8f92-4a30d23c4118"),
        "the server gets its own spelling: {seen:?}"
    );
}

#[tokio::test]
async fn a_key_compared_here_reports_what_the_candidates_have() {
    let (r, _) = read(
        &FLOW,
        &[
            ("slug", "default-authenticator-totp-setup"),
            ("authentication", "none"),
        ],
        vec![page(json!([
            {"pk": "2", "slug": "default-authenticator-totp-setup", "name": "n", "title": "t",
             "designation": "stage_configuration", "authentication": "require_authenticated"},
        ]))],
    )
    .await;
    let text = error_text(&r);
    assert!(
        text.contains(r#"has authentication "require_authenticated""#),
        "{text}"
    );
}

#[tokio::test]
async fn a_rejected_filter_lands_on_its_attribute() {
    let (r, _) = read(
        &FLOW,
        &[("designation", "login")],
        vec![Act::Reply(
            400,
            "Content-Type: application/json\r\n",
            json!({"designation": ["Select a valid choice. login is not one of the available choices."]})
                .to_string(),
        )],
    )
    .await;
    let text = error_text(&r);
    assert!(text.contains("Select a valid choice"), "{text}");
    assert_eq!(
        r.diagnostics[0].attribute.as_ref().map(|a| a.to_string()),
        Some("designation".to_string())
    );
}

#[test]
fn a_lookup_needs_a_key() {
    let diags = lookup::validate(&STAGE, &config(&STAGE, &[]));
    assert_eq!(diags.len(), 1);
    assert!(diags[0].detail.contains("Set at least one of `name`"));
    assert!(lookup::validate(&STAGE, &config(&STAGE, &[("name", "x")])).is_empty());
    let bad = lookup::validate(
        &WEBAUTHN_DEVICE_TYPE,
        &config(&WEBAUTHN_DEVICE_TYPE, &[("aaguid", "yubikey")]),
    );
    assert!(
        bad.iter().any(|d| d.summary.contains("must be a UUID")),
        "{bad:?}"
    );
    let schema = lookup::data_source_schema(&FLOW);
    let slug = schema
        .block
        .attributes
        .iter()
        .find(|a| a.name == "slug")
        .unwrap();
    assert!(slug.optional && slug.computed);
    let title = schema
        .block
        .attributes
        .iter()
        .find(|a| a.name == "title")
        .unwrap();
    assert!(!title.optional && title.computed);
}

fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::Set(items) | Value::List(items) => items
            .iter()
            .map(|i| i.as_str().unwrap_or_default().to_string())
            .collect(),
        other => panic!("not a collection: {other:?}"),
    }
}

#[tokio::test]
async fn the_plural_lookup_returns_every_match_and_only_exact_ones() {
    // The server also returns a row it should not have (a loose filter): it is left out.
    let (r, seen) = read(
        &WEBAUTHN_DEVICE_TYPES,
        &[("description", "YubiKey 5 Series")],
        vec![page(json!([
            {"aaguid": "ee882879-721c-4913-9775-3dfcce97072a", "description": "YubiKey 5 Series"},
            {"aaguid": "cb69481e-8ff7-4039-93ec-0a2729a154a8", "description": "YubiKey 5 Series"},
            {"aaguid": "fa2b99dc-9e39-4257-8f92-4a30d23c4118", "description": "YubiKey 5 Series with NFC"},
            {"aaguid": "19083c3d-8383-4b18-bc03-8f1c9ab2fd1b", "description": "YubiKey 5 Series"},
        ]))],
    )
    .await;
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    let mut aaguids = strings(r.state.get("aaguids"));
    aaguids.sort();
    assert_eq!(
        aaguids,
        [
            "19083c3d-8383-4b18-bc03-8f1c9ab2fd1b",
            "cb69481e-8ff7-4039-93ec-0a2729a154a8",
            "ee882879-721c-4913-9775-3dfcce97072a",
        ]
    );
    assert_eq!(
        r.state.get("id"),
        &Value::String(aaguids.join(",")),
        "the id is the sorted AAGUIDs"
    );
    let Value::List(objects) = r.state.get("device_types") else {
        panic!("device_types is a list: {:?}", r.state);
    };
    let first: Vec<String> = objects
        .iter()
        .map(|o| o.get("aaguid").as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(first, aaguids, "ordered by description, then AAGUID");
    assert!(objects
        .iter()
        .all(|o| o.get("description") == &Value::String("YubiKey 5 Series".into())));
    assert_eq!(r.state.get("search"), &Value::Null);
    assert_eq!(seen.len(), 1);
    assert!(
        seen[0].starts_with(
            "GET /api/v3/stages/authenticator/webauthn_device_types/?description=YubiKey+5+Series&page=1"
        ),
        "{seen:?}"
    );
}

#[tokio::test]
async fn the_plural_lookup_sends_search_to_the_server_and_trusts_its_matching() {
    let (r, seen) = read(
        &WEBAUTHN_DEVICE_TYPES,
        &[("search", "yubikey 5")],
        vec![page(json!([
            {"aaguid": "cb69481e-8ff7-4039-93ec-0a2729a154a8", "description": "YubiKey 5 Series"},
            {"aaguid": "fa2b99dc-9e39-4257-8f92-4a30d23c4118", "description": "YubiKey 5 Series with NFC"},
        ]))],
    )
    .await;
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert_eq!(strings(r.state.get("aaguids")).len(), 2);
    assert_eq!(r.state.get("search"), &Value::String("yubikey 5".into()));
    assert!(seen[0].contains("search=yubikey+5&"), "{seen:?}");
}

#[tokio::test]
async fn the_plural_lookup_never_returns_an_empty_set() {
    let (r, seen) = read(
        &WEBAUTHN_DEVICE_TYPES,
        &[("description", "Yubikey 5 series")],
        vec![
            page(json!([])),
            // ?search= finds the right spelling.
            page(json!([
                {"aaguid": "cb69481e-8ff7-4039-93ec-0a2729a154a8", "description": "YubiKey 5 Series"},
                {"aaguid": "ee882879-721c-4913-9775-3dfcce97072a", "description": "YubiKey 5 Series"},
                {"aaguid": "fa2b99dc-9e39-4257-8f92-4a30d23c4118", "description": "YubiKey 5 Series with NFC"},
            ])),
        ],
    )
    .await;
    let text = error_text(&r);
    assert!(
        text.contains("No WebAuthn device type found")
            && text.contains(r#"description "Yubikey 5 series""#)
            && text.contains(r#"Did you mean "YubiKey 5 Series", "YubiKey 5 Series with NFC"?"#),
        "{text}"
    );
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(
        r.diagnostics[0].attribute.as_ref().map(|a| a.to_string()),
        Some("description".to_string())
    );
    // A search that finds nothing offers descriptions close to it.
    let (r, _) = read(
        &WEBAUTHN_DEVICE_TYPES,
        &[("search", "1Pasword")],
        vec![
            page(json!([])),
            page(json!([])),
            page(json!([
                {"aaguid": "bada5566-a7aa-401f-bd96-45619a55120d", "description": "1Password"},
                {"aaguid": "d548826e-79b4-db40-a3d8-11116f7e8349", "description": "Bitwarden"},
            ])),
        ],
    )
    .await;
    let text = error_text(&r);
    assert!(
        text.contains(r#"text matching search "1Pasword""#)
            && text.contains(r#"Did you mean "1Password"? (the closest `description` values"#)
            && !text.contains("Bitwarden"),
        "{text}"
    );
}

#[test]
fn the_plural_lookup_needs_a_key() {
    let diags = lookup::validate(&WEBAUTHN_DEVICE_TYPES, &config(&WEBAUTHN_DEVICE_TYPES, &[]));
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(
        diags[0]
            .detail
            .contains("Set at least one of `description`, `search`")
            && diags[0].detail.contains("never returns them all"),
        "{:?}",
        diags[0]
    );
}
