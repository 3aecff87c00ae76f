//! What the client logs: method, path, status, duration and attempt; never the token, header
//! values or bodies. Its own test binary, because a scoped tracing subscriber races with other
//! tests' threads over the global max-level and callsite-interest caches.

use std::time::Duration;

use serde_json::{json, Value};
use terraform_provider_authentik::client::{Client, ClientConfig, Created, JsonObject, Secret};
use tokio_util::sync::CancellationToken;

#[path = "common/scripted.rs"]
mod scripted;
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
