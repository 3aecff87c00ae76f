//! Test clients for the plugin server: plain or mTLS over a unix socket.
#![allow(dead_code)]

use hyper_util::rt::TokioIo;
use std::path::Path;
use std::sync::Arc;
use terraform_provider_authentik::protocol::tls::ExactCertVerifier;
use tokio::net::UnixStream;
use tonic::transport::{Channel, Endpoint, Uri};

/// A plain-text channel to the unix socket at `socket`.
pub async fn channel(socket: &Path) -> Channel {
    let path = socket.to_owned();
    Endpoint::from_static("http://localhost")
        .connect_with_connector(tower::service_fn(move |_: Uri| {
            let path = path.clone();
            async move { Ok::<_, std::io::Error>(TokioIo::new(UnixStream::connect(path).await?)) }
        }))
        .await
        .expect("connect")
}

pub fn ring_algorithms() -> rustls::crypto::WebPkiSupportedAlgorithms {
    rustls::crypto::ring::default_provider().signature_verification_algorithms
}

/// A TLS channel presenting `cert`/`key` and trusting exactly `server_cert`.
pub async fn tls_channel(
    socket: &Path,
    server_cert: &[u8],
    cert: rustls::pki_types::CertificateDer<'static>,
    key: rustls::pki_types::PrivateKeyDer<'static>,
) -> Result<Channel, tonic::transport::Error> {
    let verifier = Arc::new(ExactCertVerifier::new(
        server_cert.to_vec().into(),
        ring_algorithms(),
    ));
    let mut config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("versions")
    .dangerous()
    .with_custom_certificate_verifier(verifier)
    .with_client_auth_cert(vec![cert], key)
    .expect("client auth");
    config.alpn_protocols = vec![b"h2".to_vec()];
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let path = socket.to_owned();
    Endpoint::from_static("http://localhost")
        .connect_with_connector(tower::service_fn(move |_: Uri| {
            let path = path.clone();
            let connector = connector.clone();
            async move {
                let stream = UnixStream::connect(path).await?;
                let name = rustls::pki_types::ServerName::try_from("localhost")
                    .map_err(std::io::Error::other)?;
                let tls = connector.connect(name, stream).await?;
                Ok::<_, std::io::Error>(TokioIo::new(tls))
            }
        }))
        .await
}
