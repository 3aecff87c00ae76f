//! Transport-level behaviour of the authentik client, against real sockets on 127.0.0.1: a closed
//! port, a silent peer, a peer that drops connections, a plain-HTTP peer behind an https:// url,
//! and a scripted HTTP peer for deterministic retry/cancel/ambiguity sequences. The behaviour
//! against authentik's API itself is tested against the double in `client_api.rs`.

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use terraform_provider_authentik::client::{
    api_base_url, ApiError, Client, ClientConfig, Created, ErrorClass, JsonObject, Secret,
    TransportKind,
};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
#[path = "common/client_helpers.rs"]
mod client_helpers;
use client_helpers::ApiErrorExt;
#[path = "common/scripted.rs"]
mod scripted;
use scripted::{count, scripted, Act, Script};
use std::sync::Arc;

const TOKEN: &str = "tok-transport-SECRET";
/// The endpoint most cases talk to.
const SMS: &str = "stages/authenticator/sms";

fn config(url: &str) -> ClientConfig {
    let mut c = ClientConfig::new(url, TOKEN);
    c.max_retries = 2;
    c.backoff_base = Duration::from_millis(20);
    c.backoff_max = Duration::from_millis(50);
    c.request_timeout = Duration::from_secs(5);
    c.connect_timeout = Duration::from_secs(2);
    c.retry_timeout = Duration::from_secs(1);
    c.headers
        .push(("X-Extra".into(), Secret::new("hdr-value-SECRET")));
    c
}

fn client(c: ClientConfig) -> (Client, CancellationToken) {
    let cancel = CancellationToken::new();
    (
        Client::new(c, cancel.clone()).expect("client builds"),
        cancel,
    )
}

/// A client configured for a scripted peer that plays `acts`, the peer's log, and the client's
/// cancel token.
async fn against(acts: Vec<Act>) -> (Client, Arc<Script>, CancellationToken) {
    let (url, script) = scripted(acts).await;
    let (c, cancel) = client(config(&url));
    (c, script, cancel)
}

/// Creates an SMS stage named `n`: the write whose retries and ambiguities most cases script.
async fn create_n(c: &Client) -> Result<Created, ApiError> {
    c.endpoint(SMS).create(&obj(json!({"name": "n"}))).await
}

/// Cancels `cancel` from another task after `ms` milliseconds.
fn cancel_after(cancel: &CancellationToken, ms: u64) {
    let cancel = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(ms)).await;
        cancel.cancel();
    });
}

fn obj(v: Value) -> JsonObject {
    match v {
        Value::Object(m) => m,
        _ => panic!("not an object"),
    }
}

fn assert_no_secret(e: &ApiError) {
    for text in [e.to_string(), format!("{e:?}")] {
        assert!(!text.contains(TOKEN), "token leaked: {text}");
        assert!(!text.contains("hdr-value-SECRET"), "header leaked: {text}");
    }
}

async fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = l.local_addr().expect("addr").port();
    drop(l);
    port
}

#[tokio::test]
async fn closed_port_is_a_connect_error_with_a_hint() {
    let port = closed_port().await;
    let (c, _) = client(config(&format!("http://127.0.0.1:{port}")));
    let started = Instant::now();
    let e = c
        .endpoint(SMS)
        .list(&[])
        .await
        .expect_err("nothing listens");
    match &e {
        ApiError::Transport { kind, url, message } => {
            assert_eq!(*kind, TransportKind::Connect, "{e}");
            assert!(url.contains(&format!("127.0.0.1:{port}")), "{url}");
            assert!(message.contains("url"), "no hint: {message}");
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
    // Retried for retry_timeout (1 s here), then given up.
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "not retried"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(e.class(), ErrorClass::Unreachable);
    assert_no_secret(&e);

    // With retry_timeout = 0, max_retries (2) bounds it.
    let mut cfg = config(&format!("http://127.0.0.1:{port}"));
    cfg.retry_timeout = Duration::ZERO;
    cfg.backoff_base = Duration::from_millis(300);
    cfg.backoff_max = Duration::from_millis(300);
    let (c, _) = client(cfg);
    let started = Instant::now();
    let e = create_n(&c).await.expect_err("nothing listens");
    assert!(started.elapsed() < Duration::from_millis(900), "{e}");
    assert_eq!(e.class(), ErrorClass::Unreachable);
}

#[tokio::test]
async fn requests_carry_auth_headers_and_trailing_slashes() {
    let (url, script) = scripted(vec![
        Act::Reply(200, "", r#"{"pk":"abc","name":"x"}"#.into()),
        Act::Reply(200, "", "[]".into()),
        Act::Reply(204, "", String::new()),
    ])
    .await;
    let (c, _) = client(config(&format!("{url}/sso/")));
    assert_eq!(
        api_base_url(&format!("{url}/sso/")).expect("base").as_str(),
        format!("{url}/sso/api/v3/")
    );
    let ep = c.endpoint(SMS);
    ep.retrieve("a b/c").await.expect("retrieve");
    assert!(ep.list(&[]).await.expect("list").is_empty());
    ep.delete("abc").await.expect("delete");
    let seen = script.seen();
    assert!(seen[0].starts_with("GET /sso/api/v3/stages/authenticator/sms/a%20b%2Fc/ HTTP/1.1"));
    assert!(seen[1]
        .starts_with("GET /sso/api/v3/stages/authenticator/sms/?page=1&page_size=100 HTTP/1.1"));
    assert!(seen[2].starts_with("DELETE /sso/api/v3/stages/authenticator/sms/abc/ HTTP/1.1"));
    let lower = seen[0].to_ascii_lowercase();
    assert!(lower.contains(&format!(
        "authorization: bearer {}",
        TOKEN.to_ascii_lowercase()
    )));
    assert!(lower.contains("x-extra: hdr-value-secret"));
    assert!(lower.contains("content-type: application/json"));
    assert!(lower.contains("user-agent: terraform-provider-authentik/"));
    // One pool: all three calls went over one kept-alive connection.
    assert_eq!(*script.connections.lock().unwrap(), 1);
}

#[tokio::test]
async fn silent_server_times_out_and_reads_are_retried() {
    let (url, script) = scripted(vec![Act::Silent, Act::Silent, Act::Silent]).await;
    let mut cfg = config(&url);
    cfg.request_timeout = Duration::from_millis(300);
    let (c, _) = client(cfg);
    let e = c.endpoint(SMS).retrieve("x").await.expect_err("times out");
    assert!(
        matches!(
            e,
            ApiError::Transport {
                kind: TransportKind::Timeout,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("timeout"), "{e}");
    assert_eq!(count(&script.seen(), "GET "), 3, "1 attempt + 2 retries");
}

#[tokio::test]
async fn dropped_connections_are_retried_then_reported() {
    let (c, script, _) = against(vec![Act::Drop, Act::Drop, Act::Drop]).await;
    let e = c.endpoint(SMS).retrieve("x").await.expect_err("dropped");
    assert!(
        matches!(
            e,
            ApiError::Transport {
                kind: TransportKind::Dropped,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(count(&script.seen(), "GET "), 3);

    let (c, script, _) = against(vec![
        Act::Drop,
        Act::Reply(503, "Retry-After: 0\r\n", r#"{"detail":"busy"}"#.into()),
        Act::Reply(200, "", r#"{"pk":"x"}"#.into()),
    ])
    .await;
    let got = c
        .endpoint(SMS)
        .partial_update("x", &obj(json!({"name": "n"})))
        .await
        .expect("third attempt succeeds");
    assert_eq!(got["pk"], "x");
    assert_eq!(count(&script.seen(), "PATCH "), 3);
}

#[tokio::test]
async fn https_to_a_plain_http_server_is_a_tls_error() {
    let (url, _script) = scripted(vec![]).await;
    let (c, _) = client(config(&url.replace("http://", "https://")));
    let e = c
        .endpoint("flows/instances")
        .list(&[])
        .await
        .expect_err("not TLS");
    match &e {
        ApiError::Transport { kind, message, .. } => {
            assert_eq!(*kind, TransportKind::Tls, "{message}");
            assert!(message.contains("insecure"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn rate_limit_honours_retry_after_then_gives_a_typed_error() {
    let (c, script, _) = against(vec![
        Act::Reply(
            429,
            "Retry-After: 1\r\n",
            r#"{"detail":"slow down"}"#.into(),
        ),
        Act::Reply(
            429,
            "Retry-After: 1\r\n",
            r#"{"detail":"slow down"}"#.into(),
        ),
        Act::Reply(
            429,
            "Retry-After: 1\r\n",
            r#"{"detail":"slow down"}"#.into(),
        ),
    ])
    .await;
    let started = Instant::now();
    let e = c
        .endpoint(SMS)
        .retrieve("x")
        .await
        .expect_err("rate limited");
    assert!(
        matches!(e, ApiError::RateLimited { retry_after: Some(d) } if d == Duration::from_secs(1)),
        "{e:?}"
    );
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "Retry-After ignored"
    );
    assert_eq!(count(&script.seen(), "GET "), 3);
}

#[tokio::test]
async fn server_text_never_echoes_secrets() {
    let (url, _script) = scripted(vec![
        Act::Reply(
            403,
            "",
            format!(r#"{{"detail":"token {TOKEN} is invalid"}}"#),
        ),
        Act::Reply(500, "", "<html>oops hdr-value-SECRET</html>".into()),
        Act::Reply(400, "", format!(r#"{{"name":["bad {TOKEN}"]}}"#)),
    ])
    .await;
    let (c, _) = client(config(&url));
    let ep = c.endpoint(SMS);
    let e = ep.retrieve("x").await.expect_err("403");
    assert!(matches!(e, ApiError::Forbidden { .. }), "{e:?}");
    assert!(e.to_string().contains("expired"), "hint missing: {e}");
    assert_no_secret(&e);
    let e = ep.retrieve("x").await.expect_err("500");
    assert!(matches!(e, ApiError::Server { status: 500, .. }), "{e:?}");
    assert!(e.to_string().contains("oops"), "{e}");
    assert_no_secret(&e);
    let e = ep
        .create(&obj(json!({"name": "n", "auth": "body-SECRET"})))
        .await
        .expect_err("400");
    assert!(matches!(e, ApiError::Validation { .. }), "{e:?}");
    assert_no_secret(&e);
    assert!(!e.to_string().contains("body-SECRET"));
}

#[tokio::test]
async fn non_json_answers_are_typed() {
    let (url, _script) = scripted(vec![
        Act::Reply(404, "", "<h1>Not Found</h1>".into()),
        Act::Reply(400, "", "<h1>Bad Request</h1>".into()),
        Act::Reply(200, "", "<html>login page</html>".into()),
        Act::Reply(
            301,
            "Location: https://elsewhere/api/v3/\r\n",
            String::new(),
        ),
    ])
    .await;
    let (c, _) = client(config(&url));
    let ep = c.endpoint(SMS);
    let e = ep.retrieve("x").await.expect_err("404");
    assert!(
        matches!(&e, ApiError::NotFound { url_path } if url_path == "/api/v3/stages/authenticator/sms/x/"),
        "{e:?}"
    );
    let e = ep.retrieve("x").await.expect_err("400");
    match &e {
        ApiError::Validation { errors } => {
            assert_eq!(errors.len(), 1);
            assert!(errors[0].path.is_empty());
            assert!(errors[0].message.contains("Bad Request"));
        }
        other => panic!("{other:?}"),
    }
    let e = ep.retrieve("x").await.expect_err("html");
    assert!(matches!(e, ApiError::Decode { .. }), "{e:?}");
    let e = ep.retrieve("x").await.expect_err("redirect");
    assert!(matches!(e, ApiError::Server { status: 301, .. }), "{e:?}");
    assert!(e.to_string().contains("https://elsewhere"), "{e}");
}

#[tokio::test]
async fn cancel_stops_an_in_flight_read_at_once() {
    let (url, _script) = scripted(vec![Act::Silent]).await;
    let (c, cancel) = client(config(&url));
    let started = Instant::now();
    cancel_after(&cancel, 200);
    let e = c.endpoint(SMS).list(&[]).await.expect_err("cancelled");
    assert!(matches!(e, ApiError::Cancelled), "{e:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    // Once cancelled, nothing new starts.
    let e = c
        .endpoint("flows/instances")
        .retrieve("x")
        .await
        .expect_err("cancelled");
    assert!(matches!(e, ApiError::Cancelled), "{e:?}");
}

#[tokio::test]
async fn cancel_stops_a_backoff_sleep() {
    let port = closed_port().await;
    let mut cfg = config(&format!("http://127.0.0.1:{port}"));
    cfg.backoff_base = Duration::from_secs(30);
    cfg.backoff_max = Duration::from_secs(30);
    cfg.max_retries = 10;
    let (c, cancel) = client(cfg);
    cancel_after(&cancel, 300);
    let started = Instant::now();
    let e = c.endpoint(SMS).delete("x").await.expect_err("cancelled");
    // (The jittered first delay may be ~0, so more than one attempt can fail before the sleep.)
    assert!(matches!(e, ApiError::Cancelled), "{e:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn cancel_lets_an_in_flight_write_finish_but_not_retry() {
    let (c, script, cancel) = against(vec![Act::SlowReply(
        Duration::from_millis(500),
        200,
        r#"{"pk":"x","name":"done"}"#.into(),
    )])
    .await;
    cancel_after(&cancel, 100);
    let got = c
        .endpoint(SMS)
        .partial_update("x", &obj(json!({"name": "done"})))
        .await
        .expect("the PATCH attempt finishes");
    assert_eq!(got["name"], "done");
    assert_eq!(count(&script.seen(), "PATCH "), 1);

    let (c, script, cancel) = against(vec![
        Act::SlowReply(
            Duration::from_millis(500),
            503,
            r#"{"detail":"busy"}"#.into(),
        ),
        Act::Reply(200, "", r#"{"pk":"x"}"#.into()),
    ])
    .await;
    cancel_after(&cancel, 100);
    let e = create_n(&c).await.expect_err("not retried after cancel");
    assert!(matches!(e, ApiError::Cancelled), "{e:?}");
    assert_eq!(count(&script.seen(), "POST "), 1);
}

#[tokio::test]
async fn delete_404_after_a_dropped_attempt_is_success() {
    let (c, script, _) = against(vec![
        Act::Drop,
        Act::Reply(
            404,
            "",
            r#"{"detail":"No Stage matches the given query."}"#.into(),
        ),
        Act::Reply(
            404,
            "",
            r#"{"detail":"No Stage matches the given query."}"#.into(),
        ),
    ])
    .await;
    let ep = c.endpoint(SMS);
    ep.delete("x")
        .await
        .expect("the dropped attempt deleted it");
    assert_eq!(count(&script.seen(), "DELETE "), 2);
    // Without an interrupted attempt a 404 stays NotFound.
    let e = ep.delete("x").await.expect_err("404");
    assert!(e.is_not_found(), "{e:?}");
}

/// The object of a create that was resolved by looking its key up, which must say why the
/// answer was lost.
fn found_by_key(c: Created) -> JsonObject {
    match c {
        Created::FoundByKey { object, lost } => {
            assert!(!lost.is_empty(), "the reason the answer was lost");
            object
        }
        other => panic!("expected an object found by its key, got {other:?}"),
    }
}

fn page(results: Value) -> String {
    json!({"pagination": {"next": 0, "count": 1}, "results": results, "autocomplete": {}})
        .to_string()
}

#[tokio::test]
async fn create_after_a_drop_finds_the_committed_object() {
    let (c, script, _) = against(vec![
        Act::Drop,
        Act::Reply(
            200,
            "",
            page(json!([{"pk": "p1", "name": "other"}, {"pk": "p2", "name": "n"}])),
        ),
    ])
    .await;
    let got = c
        .endpoint(SMS)
        .create(&obj(json!({"name": "n", "provider": "generic"})))
        .await
        .map(found_by_key)
        .expect("found by name");
    assert_eq!(got["pk"], "p2");
    let seen = script.seen();
    assert_eq!(count(&seen, "POST "), 1, "no second POST");
    assert!(
        seen[1].starts_with("GET /api/v3/stages/authenticator/sms/?name=n&page=1&page_size=100 ")
    );
}

#[tokio::test]
async fn create_after_a_drop_retries_when_not_committed_and_resolves_a_name_clash() {
    let (c, script, _) = against(vec![
        Act::Drop,
        Act::Reply(200, "", page(json!([]))),
        Act::Reply(
            400,
            "",
            r#"{"name":["stage with this name already exists."]}"#.into(),
        ),
        Act::Reply(200, "", page(json!([{"pk": "late", "name": "n"}]))),
    ])
    .await;
    let got = create_n(&c)
        .await
        .map(found_by_key)
        .expect("clash on retry resolved");
    assert_eq!(got["pk"], "late");
    assert_eq!(count(&script.seen(), "POST "), 2);

    // A name clash on a first attempt is the user's problem, not ours.
    let (url, _script) = scripted(vec![Act::Reply(
        400,
        "",
        r#"{"name":["stage with this name already exists."]}"#.into(),
    )])
    .await;
    let (c, _) = client(config(&url));
    let e = create_n(&c).await.expect_err("clash");
    assert!(matches!(e, ApiError::Validation { .. }), "{e:?}");
}

#[tokio::test]
async fn create_without_a_unique_key_is_not_blindly_retried() {
    let (c, script, _) = against(vec![
        Act::Drop,
        Act::Reply(201, "", r#"{"pk":"dup"}"#.into()),
    ])
    .await;
    let e = c
        .endpoint(SMS)
        .create(&obj(json!({"provider": "generic"})))
        .await
        .expect_err("ambiguous");
    assert!(
        matches!(
            e,
            ApiError::Transport {
                kind: TransportKind::Dropped,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(count(&script.seen(), "POST "), 1);
}

#[tokio::test]
async fn flows_resolve_interrupted_creates_by_slug() {
    let (c, script, _) = against(vec![
        Act::Reply(504, "", "gateway timeout".into()),
        Act::Reply(
            200,
            "",
            page(json!([{"pk": "f1", "name": "F", "slug": "f"}])),
        ),
    ])
    .await;
    let got = c
        .endpoint("flows/instances")
        .create(&obj(json!({"name": "F", "slug": "f", "title": "t"})))
        .await
        .map(found_by_key)
        .expect("found by slug");
    assert_eq!(got["pk"], "f1");
    assert!(script.seen()[1].contains("slug=f&"), "{:?}", script.seen());
}

#[tokio::test]
async fn bad_configuration_is_a_config_error() {
    let bad = |f: &dyn Fn(&mut ClientConfig)| {
        let mut c = ClientConfig::new("https://x", TOKEN);
        f(&mut c);
        let e = Client::new(c, CancellationToken::new()).expect_err("rejected");
        assert!(matches!(e, ApiError::Config { .. }), "{e:?}");
        assert_no_secret(&e);
        e
    };
    bad(&|c| c.url = "nope".into());
    bad(&|c| c.headers.push(("bad header".into(), Secret::new("v"))));
    bad(&|c| {
        c.headers
            .push(("X-Ok".into(), Secret::new("hdr-value-SECRET\n")))
    });
    bad(&|c| c.token = Secret::new(format!("{TOKEN}\n")));
    bad(&|c| c.ca_bundle_pem = Some(b"not a pem".to_vec()));
    bad(&|c| {
        c.ca_bundle_pem =
            Some(b"-----BEGIN CERTIFICATE-----\nnot base64!!\n-----END CERTIFICATE-----\n".to_vec())
    });
    // A Debug of the config itself never shows secrets either.
    let mut c = config("https://x");
    c.insecure = true;
    let d = format!("{c:?}");
    assert!(!d.contains(TOKEN) && !d.contains("hdr-value-SECRET"), "{d}");
    let client = Client::new(c, CancellationToken::new()).expect("insecure is fine");
    assert!(!format!("{client:?}").contains(TOKEN));
}

const TEST_CA_PEM: &str = "-----BEGIN CERTIFICATE-----
MIIBfDCCASGgAwIBAgIUakEJsYQmzg2vShS1KdPaik6hms8wCgYIKoZIzj0EAwIw
EjEQMA4GA1UEAwwHdGVzdC1jYTAgFw0yNjExMjMxMTA3MjJaGA8yMTI2MTAzMDEx
MDcyMlowEjEQMA4GA1UEAwwHdGVzdC1jYTBZMBMGByqGSM49AgEGCCqGSM49AwEH
A0IABGHx/fXFZ8ZpYu9UcAC0vZ2PbVHpkD2Cq5a6vMWDl3iDWUZzykpcFysE5Va1
lz2i7aBvMy+tgrhPchwsT7ABEWCjUzBRMB0GA1UdDgQWBBQe7Y/LxAEa/eJ2r7cr
+nSTfXTPvTAfBgNVHSMEGDAWgBQe7Y/LxAEa/eJ2r7cr+nSTfXTPvTAPBgNVHRMB
Af8EBTADAQH/MAoGCCqGSM49BAMCA0kAMEYCIQCj1Pgo3BChacsC51Hwmw3phrh7
u3XfSfpMya9tgp7lcwIhANAnCEwQDRgNoJ4HBE4R3Dw7ju/BdFd/GCgWmPK1Mv3N
-----END CERTIFICATE-----
";

#[test]
fn a_valid_ca_bundle_is_accepted() {
    let mut c = ClientConfig::new("https://x", TOKEN);
    c.ca_bundle_pem = Some(format!("{TEST_CA_PEM}{TEST_CA_PEM}").into_bytes());
    Client::new(c, CancellationToken::new()).expect("valid bundle");
}

#[tokio::test]
async fn a_create_cancelled_mid_flight_still_settles_its_ambiguity() {
    let (c, script, cancel) = against(vec![
        Act::SlowDrop(Duration::from_millis(400)),
        Act::Reply(200, "", page(json!([{"pk": "committed", "name": "n"}]))),
    ])
    .await;
    cancel_after(&cancel, 100);
    let got = create_n(&c)
        .await
        .map(found_by_key)
        .expect("the committed object is found despite the cancel");
    assert_eq!(got["pk"], "committed");
    let seen = script.seen();
    assert_eq!(count(&seen, "POST "), 1);
    assert_eq!(count(&seen, "GET "), 1);

    // Not found: Cancelled, and no second POST.
    let (c, script, cancel) = against(vec![
        Act::SlowDrop(Duration::from_millis(400)),
        Act::Reply(200, "", page(json!([]))),
    ])
    .await;
    cancel_after(&cancel, 100);
    let e = create_n(&c).await.expect_err("cancelled");
    assert!(matches!(e, ApiError::Cancelled), "{e:?}");
    assert_eq!(count(&script.seen(), "POST "), 1);
}

#[tokio::test]
async fn list_stops_when_the_collection_shrinks_between_pages() {
    let first =
        json!({"pagination": {"next": 2, "count": 101}, "results": [{"pk": "a", "name": "a"}]});
    let (c, script, _) = against(vec![
        Act::Reply(200, "", first.to_string()),
        Act::Reply(404, "", r#"{"detail":"Invalid page."}"#.into()),
        Act::Reply(404, "", r#"{"detail":"Invalid page."}"#.into()),
    ])
    .await;
    let ep = c.endpoint(SMS);
    let all = ep.list(&[]).await.expect("page 1 is the whole list now");
    assert_eq!(all.len(), 1);
    let seen = script.seen();
    assert!(seen[1].starts_with("GET /api/v3/stages/authenticator/sms/?page=2&page_size=100 "));
    // A 404 on the first page is still an error.
    assert!(ep.list(&[]).await.expect_err("404").is_not_found());
}

#[tokio::test]
async fn a_lost_create_whose_lookup_fails_too_is_unsettled_not_retried() {
    // max_retries = 2: the POST's answer is lost, then every look-up attempt is dropped too.
    let (c, script, _) = against(vec![Act::Drop, Act::Drop, Act::Drop, Act::Drop]).await;
    let e = c
        .endpoint(SMS)
        .create(&obj(json!({"name": "n", "auth": "body-SECRET"})))
        .await
        .expect_err("unknown outcome");
    match &e {
        ApiError::CreateUnsettled { key, value, .. } => {
            assert_eq!((key.as_str(), value.as_str()), ("name", "n"));
        }
        other => panic!("expected CreateUnsettled, got {other:?}"),
    }
    assert!(e.to_string().contains("unknown"), "{e}");
    assert_no_secret(&e);
    let seen = script.seen();
    assert_eq!(count(&seen, "POST "), 1, "never a second POST: {seen:?}");
    assert_eq!(
        count(&seen, "GET "),
        3,
        "the look-up and its retries: {seen:?}"
    );
}

#[tokio::test]
async fn create_with_a_natural_key_of_several_fields_resolves_by_all_of_them() {
    const FLOW: &str = "5a8c3c1e-6f0a-4d7e-9b1c-2d3e4f5a6b7c";
    const STAGE: &str = "0f3c5a4e-1b2c-4d5e-8f90-112233445566";
    let binding = |pk: &str, stage: &str, order: i64| json!({"pk": pk, "target": FLOW, "stage": stage, "order": order});
    // The answer is lost; the list (filtered on every key field) holds a near miss (same flow
    // and stage, another order, as a server ignoring a filter would list it) and ours.
    let (c, script, _) = against(vec![
        Act::Drop,
        Act::Reply(
            200,
            "",
            page(json!([
                binding("other", STAGE, 20),
                binding("ours", &STAGE.to_uppercase(), 10)
            ])),
        ),
    ])
    .await;
    let ep = c
        .endpoint("flows/bindings")
        .with_natural_key(&["target", "stage", "order"], &["target", "stage", "order"]);
    let got = ep
        .create(&obj(json!({"target": FLOW, "stage": STAGE, "order": 10})))
        .await
        .map(found_by_key)
        .expect("found by target, stage and order");
    assert_eq!(got["pk"], "ours");
    let seen = script.seen();
    assert_eq!(count(&seen, "POST "), 1, "no second POST");
    assert!(
        seen[1].starts_with(&format!(
            "GET /api/v3/flows/bindings/?target={FLOW}&stage={STAGE}&order=10&page=1"
        )),
        "{}",
        seen[1]
    );

    // Not there: the POST is retried; a clash on the retry ("must make a unique set") is
    // resolved the same way.
    let (c, script, _) = against(vec![
        Act::Drop,
        Act::Reply(200, "", page(json!([binding("other", STAGE, 20)]))),
        Act::Reply(
            400,
            "",
            r#"{"non_field_errors":["The fields target, stage, order must make a unique set."]}"#
                .into(),
        ),
        Act::Reply(200, "", page(json!([binding("late", STAGE, 10)]))),
    ])
    .await;
    let got = c
        .endpoint("flows/bindings")
        .with_natural_key(&["target", "stage", "order"], &["target", "stage", "order"])
        .create(&obj(json!({"target": FLOW, "stage": STAGE, "order": 10})))
        .await
        .map(found_by_key)
        .expect("clash on retry resolved");
    assert_eq!(got["pk"], "late");
    assert_eq!(count(&script.seen(), "POST "), 2);
    // A first-attempt clash is the configuration's problem.
    let e = ApiError::Validation {
        errors: vec![terraform_provider_authentik::client::FieldError {
            path: vec![terraform_provider_authentik::client::FieldPathStep::Field(
                "non_field_errors".into(),
            )],
            message: "The fields target, stage, order must make a unique set.".into(),
        }],
    };
    assert!(c
        .endpoint("flows/bindings")
        .with_natural_key(&["target", "stage", "order"], &["target"])
        .is_unique_clash(&e));
    assert!(!c.endpoint("flows/bindings").is_unique_clash(&e));
}
