//! TLS options of the authentik client against a real TLS server on 127.0.0.1 whose certificate
//! comes from a private test CA: verification on by default, a CA bundle makes it trusted,
//! `insecure` skips verification.

use std::sync::Arc;
use std::time::Duration;

use terraform_provider_authentik::client::{ApiError, Client, ClientConfig, TransportKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::{crypto, ServerConfig};
use tokio_rustls::TlsAcceptor;
use tokio_util::sync::CancellationToken;

/// Test-only CA (never trusted anywhere else).
const CA_PEM: &str = "-----BEGIN CERTIFICATE-----
MIIBmTCCAT+gAwIBAgIUJjtqAAdF1fRsxyfPusi7/1pY1A0wCgYIKoZIzj0EAwIw
GTEXMBUGA1UEAwwOY2xpZW50LXRlc3QtY2EwIBcNMjYxMTIzMTEyNTE3WhgPMjEy
NjEwMzAxMTI1MTdaMBkxFzAVBgNVBAMMDmNsaWVudC10ZXN0LWNhMFkwEwYHKoZI
zj0CAQYIKoZIzj0DAQcDQgAEk2LVBx1G2+jfJWG8H1M8Aa2J7+cK5ecrnUw5duBZ
UASxlEi4YZ+bjhEy3KxXsoBV0v+Tp6kDvBvmeXFf05EspaNjMGEwHQYDVR0OBBYE
FL6waYXNRQudkZbnK1kjkXiXfbJDMB8GA1UdIwQYMBaAFL6waYXNRQudkZbnK1kj
kXiXfbJDMA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQDAgIEMAoGCCqGSM49
BAMCA0gAMEUCIE5VTmoZMe4rqPyv25KG4MyGiRnqMoR9pAJ6niS/qq5iAiEA1p7X
+5W502fz1kmWz/09OgOxRW8bIv6eJtaLJ+8JcPI=
-----END CERTIFICATE-----
";
/// Leaf for `localhost` and `127.0.0.1`, signed by the CA above.
const LEAF_PEM: &str = "-----BEGIN CERTIFICATE-----
MIIBxDCCAWqgAwIBAgIUJINv2PYezEMZh96XaSjr65p0EWgwCgYIKoZIzj0EAwIw
GTEXMBUGA1UEAwwOY2xpZW50LXRlc3QtY2EwIBcNMjYxMTIzMTEyNTE3WhgPMjEy
NjEwMzAxMTI1MTdaMBQxEjAQBgNVBAMMCWxvY2FsaG9zdDBZMBMGByqGSM49AgEG
CCqGSM49AwEHA0IABFrcJyaemToD1XT6j/k151KsM/AuTRjLMpxz+CJfWEBBzKfN
ifHNsTojCBdcdu9c2CyjzAqCB5ExzvipyeHDXUyjgZIwgY8wDAYDVR0TAQH/BAIw
ADAOBgNVHQ8BAf8EBAMCB4AwEwYDVR0lBAwwCgYIKwYBBQUHAwEwGgYDVR0RBBMw
EYIJbG9jYWxob3N0hwR/AAABMB0GA1UdDgQWBBSatUICMUi5oZ9s1fYBgiV8hErW
NTAfBgNVHSMEGDAWgBS+sGmFzUULnZGW5ytZI5F4l32yQzAKBggqhkjOPQQDAgNI
ADBFAiEA5qxZl8kaLvOs7BFhnXJDIiOoH7nocVqcwOZYgBExhpMCIEsRygao3HGS
+PXBpfJvblM+WKyQ3WSwC0hqzJ0K/Au2
-----END CERTIFICATE-----
";
/// The leaf's private key (test only).
const LEAF_KEY_PEM: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQguHMN+MfNXTcmclVV
JcTekW8/dk6kAOiXB45dBzcKJbahRANCAARa3Ccmnpk6A9V0+o/5NedSrDPwLk0Y
yzKcc/giX1hAQcynzYnxzbE6IwgXXHbvXNgso8wKggeRMc74qcnhw11M
-----END PRIVATE KEY-----
";

/// An HTTPS server answering every request with an empty page of results.
async fn tls_server() -> u16 {
    let cert = CertificateDer::from_pem_slice(LEAF_PEM.as_bytes()).expect("leaf pem");
    let key = PrivateKeyDer::from_pem_slice(LEAF_KEY_PEM.as_bytes()).expect("key pem");
    let config = ServerConfig::builder_with_provider(Arc::new(crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .expect("server config");
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(sock).await else {
                    return;
                };
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                let body = r#"{"pagination":{"next":0},"results":[{"pk":"p","name":"tls"}]}"#;
                let resp = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(resp.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    port
}

fn client(url: String, f: impl FnOnce(&mut ClientConfig)) -> Client {
    let mut c = ClientConfig::new(url, "tls-token-SECRET");
    c.max_retries = 1;
    c.backoff_base = Duration::from_millis(10);
    f(&mut c);
    Client::new(c, CancellationToken::new()).expect("client")
}

#[tokio::test]
async fn private_ca_is_rejected_by_default() {
    let port = tls_server().await;
    let c = client(format!("https://127.0.0.1:{port}"), |_| {});
    let e = c
        .endpoint("stages/authenticator/sms")
        .list(&[])
        .await
        .expect_err("unknown issuer");
    match &e {
        ApiError::Transport { kind, message, .. } => {
            assert_eq!(*kind, TransportKind::Tls, "{message}");
            assert!(
                message.contains("CA bundle") && message.contains("insecure"),
                "{message}"
            );
            assert!(!message.contains("tls-token-SECRET"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn ca_bundle_makes_the_server_trusted() {
    let port = tls_server().await;
    for host in ["127.0.0.1", "localhost"] {
        let c = client(format!("https://{host}:{port}"), |c| {
            c.ca_bundle_pem = Some(CA_PEM.as_bytes().to_vec())
        });
        let all = c
            .endpoint("stages/authenticator/sms")
            .list(&[])
            .await
            .unwrap_or_else(|e| panic!("{host}: {e}"));
        assert_eq!(all.len(), 1);
    }
}

#[tokio::test]
async fn insecure_skips_verification() {
    let port = tls_server().await;
    let c = client(format!("https://127.0.0.1:{port}"), |c| c.insecure = true);
    let all = c
        .endpoint("stages/authenticator/sms")
        .list(&[])
        .await
        .expect("insecure accepts any certificate");
    assert_eq!(all[0]["name"], "tls");
}
