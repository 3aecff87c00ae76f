//! The real binary, started the way Terraform starts it: magic cookie, protocol versions and
//! an AutoMTLS client certificate in the environment; handshake line on stdout; mTLS gRPC on
//! the announced unix socket; Shutdown ends the process.

#[path = "common/client.rs"]
mod client;

use base64::Engine as _;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use terraform_provider_authentik::protocol::pb::plugin as gp;
use terraform_provider_authentik::protocol::pb::tfplugin6 as pb;
use terraform_provider_authentik::protocol::tls::generate_cert;

const BIN: &str = env!("CARGO_BIN_EXE_terraform-provider-authentik");
const COOKIE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

fn command() -> Command {
    let mut c = Command::new(BIN);
    for var in [
        "TF_PLUGIN_MAGIC_COOKIE",
        "PLUGIN_PROTOCOL_VERSIONS",
        "PLUGIN_CLIENT_CERT",
        "TF_LOG",
        "TF_LOG_PROVIDER",
    ] {
        c.env_remove(var);
    }
    c.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn wait_with_timeout(child: &mut Child, timeout: Duration) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

fn output_of(mut child: Child) -> (Option<i32>, String, String) {
    let status = wait_with_timeout(&mut child, Duration::from_secs(10));
    let mut out = String::new();
    let mut err = String::new();
    if let Some(mut s) = child.stdout.take() {
        let _ = s.read_to_string(&mut out);
    }
    if let Some(mut s) = child.stderr.take() {
        let _ = s.read_to_string(&mut err);
    }
    (status.and_then(|s| s.code()), out, err)
}

#[test]
fn run_by_hand_explains_itself() {
    let child = command().spawn().expect("spawn");
    let (code, out, err) = output_of(child);
    assert_eq!(code, Some(1), "stderr: {err}");
    assert!(out.is_empty(), "nothing on stdout: {out}");
    assert!(err.contains("Terraform provider plugin"), "{err}");
    assert!(
        err.contains("required_providers") && err.contains("dev_overrides"),
        "{err}"
    );
    assert!(err.contains("README"), "{err}");
    // A wrong cookie is the same as none.
    let child = command()
        .env("TF_PLUGIN_MAGIC_COOKIE", "nope")
        .spawn()
        .expect("spawn");
    assert_eq!(output_of(child).0, Some(1));
}

#[test]
fn refuses_when_protocol_6_is_not_offered() {
    let child = command()
        .env("TF_PLUGIN_MAGIC_COOKIE", COOKIE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "4,5")
        .spawn()
        .expect("spawn");
    let (code, out, err) = output_of(child);
    assert_eq!(code, Some(1));
    assert!(out.is_empty());
    assert!(err.contains("protocol") && err.contains('6'), "{err}");
}

fn pem(der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut s = String::from("-----BEGIN CERTIFICATE-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        s.push_str(&String::from_utf8_lossy(chunk));
        s.push('\n');
    }
    s.push_str("-----END CERTIFICATE-----\n");
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handshake_mtls_schema_and_shutdown() {
    let (client_cert, client_key) = generate_cert().expect("client cert");
    let started = Instant::now();
    let mut child = command()
        .env("TF_PLUGIN_MAGIC_COOKIE", COOKIE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "5,6")
        .env("PLUGIN_CLIENT_CERT", pem(client_cert.as_ref()))
        .env("TF_LOG_PROVIDER", "debug")
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).map(|_| line)
    })
    .await
    .expect("join")
    .expect("handshake line");
    let elapsed = started.elapsed();
    eprintln!("spawn to handshake (debug build): {elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "slow start: {elapsed:?}");

    let fields: Vec<&str> = line.trim_end_matches('\n').split('|').collect();
    assert_eq!(fields.len(), 6, "{line:?}");
    assert_eq!(&fields[..3], ["1", "6", "unix"], "{line:?}");
    assert_eq!(fields[4], "grpc");
    let socket = Path::new(fields[3]).to_owned();
    let dir = socket.parent().expect("socket dir").to_owned();
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&dir).map(|m| m.permissions().mode() & 0o777);
        assert_eq!(mode.ok(), Some(0o700), "private socket directory");
    }
    assert!(!fields[5].contains('='), "no padding");
    let server_cert = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(fields[5])
        .expect("certificate is standard base64 without padding");

    let ch = client::tls_channel(&socket, &server_cert, client_cert, client_key)
        .await
        .expect("mTLS connect");
    let schema = pb::provider_client::ProviderClient::new(ch.clone())
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .expect("GetProviderSchema")
        .into_inner();
    let block = schema
        .provider
        .and_then(|p| p.block)
        .expect("provider block");
    let attr = |name: &str| {
        block
            .attributes
            .iter()
            .find(|a| a.name == name)
            .unwrap_or_else(|| panic!("attribute {name}"))
            .clone()
    };
    for (name, ty, sensitive) in [
        ("url", &br#""string""#[..], false),
        ("token", br#""string""#, true),
        ("insecure", br#""bool""#, false),
        ("headers", br#"["map","string"]"#, true),
    ] {
        let a = attr(name);
        assert_eq!(a.r#type, ty, "{name}");
        assert_eq!(a.sensitive, sensitive, "{name}");
        assert!(a.optional && !a.required && !a.computed, "{name}");
        assert!(!a.description.is_empty(), "{name}");
    }

    gp::grpc_controller_client::GrpcControllerClient::new(ch)
        .shutdown(gp::Empty {})
        .await
        .expect("Shutdown");
    let status = tokio::task::spawn_blocking(move || {
        let status = wait_with_timeout(&mut child, Duration::from_secs(5));
        let mut err = String::new();
        if let Some(mut s) = child.stderr.take() {
            let _ = s.read_to_string(&mut err);
        }
        (status, err)
    })
    .await
    .expect("join");
    let (status, stderr) = status;
    assert_eq!(status.and_then(|s| s.code()), Some(0), "stderr: {stderr}");
    assert!(!dir.exists(), "socket directory removed on exit");
    // Logs are hclog JSON lines, and they never carry values.
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(!lines.is_empty());
    for l in &lines {
        let v: serde_json::Value =
            serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"));
        assert!(
            v["@level"].is_string() && v["@message"].is_string() && v["@timestamp"].is_string(),
            "{l}"
        );
        assert_eq!(v["@module"], "provider.terraform-provider-authentik");
    }
    assert!(stderr.contains("GetProviderSchema"), "{stderr}");
}
