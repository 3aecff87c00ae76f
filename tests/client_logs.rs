//! What the client logs: method, path, status, duration and attempt; never the token, header
//! values or bodies. Its own test binary, because a scoped tracing subscriber races with other
//! tests' threads over the global max-level and callsite-interest caches.

use std::time::Duration;

use serde_json::{json, Value};
use terraform_provider_authentik::client::{Client, ClientConfig, Created, JsonObject, Secret};
use tokio_util::sync::CancellationToken;

#[path = "common/client_helpers.rs"]
mod client_helpers;
#[path = "common/scripted.rs"]
mod scripted;
use client_helpers::CreatedExt;
use scripted::{scripted, Act};

const TOKEN: &str = "tok-logs-SECRET";

fn obj(v: Value) -> JsonObject {
    match v {
        Value::Object(m) => m,
        _ => panic!("not an object"),
    }
}

/// A minimal tracing subscriber that renders every event and span field into one string.
mod capture {
    use std::fmt::Write as _;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::{Arc, Mutex};
    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    #[derive(Clone, Default)]
    pub struct Capture {
        pub text: Arc<Mutex<String>>,
        next: Arc<AtomicU64>,
    }

    struct V<'a>(&'a mut String);
    impl Visit for V<'_> {
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            let _ = write!(self.0, " {}={:?}", field.name(), value);
        }
    }

    impl Subscriber for Capture {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, span: &Attributes<'_>) -> Id {
            span.record(&mut V(&mut self.text.lock().unwrap()));
            Id::from_u64(self.next.fetch_add(1, Ordering::Relaxed) + 1)
        }
        fn record(&self, _: &Id, values: &Record<'_>) {
            values.record(&mut V(&mut self.text.lock().unwrap()));
        }
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, event: &Event<'_>) {
            let mut t = self.text.lock().unwrap();
            t.push('\n');
            event.record(&mut V(&mut t));
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }
}

#[tokio::test]
async fn logs_carry_method_path_status_but_no_secrets_or_bodies() {
    let sub = capture::Capture::default();
    let _guard = tracing::subscriber::set_default(sub.clone());
    let (url, _script) = scripted(vec![
        Act::Reply(503, "Retry-After: 0\r\n", r#"{"detail":"busy"}"#.into()),
        Act::Reply(
            201,
            "",
            r#"{"pk":"p","name":"n","auth":"answer-SECRET"}"#.into(),
        ),
    ])
    .await;
    let mut cfg = ClientConfig::new(url, TOKEN);
    cfg.backoff_base = Duration::from_millis(10);
    cfg.headers
        .push(("X-Extra".into(), Secret::new("hdr-value-SECRET")));
    let c = Client::new(cfg, CancellationToken::new()).expect("client");
    c.endpoint("stages/authenticator/sms")
        .create(&obj(json!({"name": "n", "auth": "body-SECRET"})))
        .await
        .map(Created::into_object)
        .expect("created on retry");
    let text = sub.text.lock().unwrap().clone();
    assert!(text.contains("method=\"POST\""), "{text}");
    assert!(
        text.contains("path=\"/api/v3/stages/authenticator/sms/\""),
        "{text}"
    );
    assert!(
        text.contains("status=503") && text.contains("status=201"),
        "{text}"
    );
    assert!(
        text.contains("attempt=1") && text.contains("duration_ms="),
        "{text}"
    );
    for secret in [TOKEN, "hdr-value-SECRET", "body-SECRET", "answer-SECRET"] {
        assert!(!text.contains(secret), "{secret} leaked into logs: {text}");
    }
}

/// A server that is away (connection refused) and comes back within `retry_timeout`: the create
/// waits for it, logs each wait at INFO, and is sent once it is back.
#[tokio::test]
async fn an_unreachable_server_is_waited_for_and_each_wait_logged() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let sub = capture::Capture::default();
    let _guard = tracing::subscriber::set_default(sub.clone());
    let address = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr")
    };
    let posts = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = posts.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(800)).await;
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .expect("rebind");
        while let Ok((mut sock, _)) = listener.accept().await {
            let mut buf = vec![0u8; 8192];
            let n = sock.read(&mut buf).await.unwrap_or(0);
            if String::from_utf8_lossy(&buf[..n]).starts_with("POST ") {
                seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
            let body = r#"{"pk":"p","name":"n"}"#;
            let reply = format!(
                "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            );
            let _ = sock.write_all(reply.as_bytes()).await;
        }
    });
    let mut cfg = ClientConfig::new(format!("http://{address}"), TOKEN);
    cfg.backoff_base = Duration::from_millis(50);
    cfg.backoff_max = Duration::from_millis(100);
    cfg.max_retries = 0;
    cfg.retry_timeout = Duration::from_secs(20);
    let c = Client::new(cfg, CancellationToken::new()).expect("client");
    let made = c
        .endpoint("stages/authenticator/sms")
        .create(&obj(json!({"name": "n"})))
        .await
        .expect("created once the server is back, although max_retries is 0");
    assert!(matches!(made, Created::Answered(_)));
    assert_eq!(posts.load(std::sync::atomic::Ordering::SeqCst), 1);
    let text = sub.text.lock().unwrap().clone();
    let waits = text.matches("authentik is not reachable").count();
    assert!(waits >= 3, "one INFO line per wait: {text}");
    assert!(text.contains("retry_timeout_s=20"), "{text}");
    assert!(!text.contains(TOKEN));
}
