//! StopProvider (Ctrl-C in Terraform) cancels in-flight API calls promptly and cleanly: the
//! call ends with a diagnostic instead of hanging until its timeout.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};
use terraform_provider_authentik::protocol::{Provider, ReadRequest, ReadResponse, Value};
use terraform_provider_authentik::provider::AuthentikProvider;
use terraform_provider_authentik::resources::ALL;

fn provider_config(url: &str) -> Value {
    let mut m = std::collections::BTreeMap::new();
    for k in [
        "url",
        "token",
        "insecure",
        "headers",
        "request_timeout",
        "max_retries",
    ] {
        m.insert(k.to_string(), Value::Null);
    }
    m.insert("url".into(), Value::String(url.into()));
    m.insert("token".into(), Value::String("t0ken-value".into()));
    Value::Object(m)
}

/// Reads an email stage (named `name` in the state, if given) on the silent server, checks that
/// the read is still waiting after 300 ms (`waiting` says why it must be), stops the provider
/// and gives the read's answer, or the timeout if it did not end within 5 s.
async fn read_then_stop(
    provider: &Arc<AuthentikProvider>,
    name: Option<&str>,
    waiting: &str,
) -> Result<ReadResponse, tokio::time::error::Elapsed> {
    let mut state = std::collections::BTreeMap::new();
    state.insert(
        "id".to_string(),
        Value::String("0f3c5a4e-1b2c-4d5e-8f90-112233445566".into()),
    );
    if let Some(name) = name {
        state.insert("name".to_string(), Value::String(name.into()));
    }
    let req = ReadRequest {
        type_name: "authentik_stage_authenticator_email".into(),
        current_state: Value::Object(state),
        private: Vec::new(),
    };
    let p = provider.clone();
    let call = tokio::spawn(async move { p.read_resource(req).await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!call.is_finished(), "{waiting}");
    provider.stop();
    tokio::time::timeout(Duration::from_secs(5), call)
        .await
        .map(|joined| joined.expect("task"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_cancels_in_flight_reads() {
    // A server that accepts connections and never answers.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let _hold = std::thread::spawn(move || {
        let mut conns = Vec::new();
        for c in listener.incoming().take(8) {
            conns.push(c);
        }
        std::thread::sleep(Duration::from_secs(60));
    });
    let provider = Arc::new(AuthentikProvider::new(ALL));
    let diags = provider
        .configure_provider(provider_config(&url), "test".into())
        .await;
    assert!(diags.is_empty(), "{diags:?}");
    let started = Instant::now();
    let resp = read_then_stop(
        &provider,
        Some("stage"),
        "the read should be waiting on the silent server",
    )
    .await
    .expect("stopped promptly");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(
        resp.diagnostics.iter().any(|d| d.is_error()),
        "{:?}",
        resp.diagnostics
    );
    let text = format!("{:?}", resp.diagnostics);
    assert!(text.to_lowercase().contains("cancel"), "{text}");
    assert!(!text.contains("t0ken-value"));
    // The provider keeps serving: a later call is not cancelled by the old stop (it waits on the
    // silent server again).
    let resp = read_then_stop(&provider, None, "a call after the stop must run normally")
        .await
        .expect("stopped again");
    assert!(format!("{:?}", resp.diagnostics)
        .to_lowercase()
        .contains("cancel"));
}
