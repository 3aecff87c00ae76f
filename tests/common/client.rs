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

use std::future::Future;
use terraform_provider_authentik::protocol::codec::msgpack;
use terraform_provider_authentik::protocol::pb::tfplugin6 as pb;
use terraform_provider_authentik::protocol::{serve_on, PluginListener, Provider, Type, Value};
use tokio_util::sync::CancellationToken;

/// A `tfplugin6.Provider` client.
pub type Client = pb::provider_client::ProviderClient<Channel>;

/// Serve `provider` on `listener` in this process until `shutdown` is cancelled; the task
/// fails the test if the server ends with an error.
pub fn serve(
    listener: PluginListener,
    provider: Arc<dyn Provider>,
    tls: Option<Arc<rustls::ServerConfig>>,
    shutdown: &CancellationToken,
) -> tokio::task::JoinHandle<()> {
    let shutdown = shutdown.clone();
    tokio::spawn(async move {
        serve_on(listener, provider, tls, shutdown)
            .await
            .expect("server ran");
    })
}

/// The answer of an RPC that must succeed at the gRPC level (errors come as diagnostics).
pub async fn rpc<T>(call: impl Future<Output = Result<tonic::Response<T>, tonic::Status>>) -> T {
    call.await.expect("rpc").into_inner()
}

/// Asserts that an answer carries no diagnostics at all.
pub fn assert_clean(diagnostics: &[pb::Diagnostic]) {
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
}

/// `v` msgpack-encoded against `ty`.
pub fn dynamic(v: &Value, ty: &Type) -> pb::DynamicValue {
    pb::DynamicValue {
        msgpack: msgpack::encode(v, ty).expect("encode"),
        json: Vec::new(),
    }
}

/// A builder for a request about a change: the prior state, the next one (proposed or
/// planned) and the configuration; `..name(…)` adds the rarer fields.
macro_rules! change_request {
    ($(#[$doc:meta])* $name:ident, $request:path, $next:ident) => {
        $(#[$doc])*
        pub fn $name(
            type_name: &str,
            prior_state: Option<pb::DynamicValue>,
            $next: Option<pb::DynamicValue>,
            config: Option<pb::DynamicValue>,
        ) -> $request {
            $request {
                type_name: type_name.into(),
                prior_state,
                $next,
                config,
                ..Default::default()
            }
        }
    };
}

change_request!(
    /// A PlanResourceChange request.
    plan_req,
    pb::plan_resource_change::Request,
    proposed_new_state
);
change_request!(
    /// An ApplyResourceChange request.
    apply_req,
    pb::apply_resource_change::Request,
    planned_state
);

/// A ReadResource request (`..read_req(…)` adds the rarer fields).
pub fn read_req(
    type_name: &str,
    current_state: Option<pb::DynamicValue>,
) -> pb::read_resource::Request {
    pb::read_resource::Request {
        type_name: type_name.into(),
        current_state,
        ..Default::default()
    }
}

/// An ImportResourceState request by ID (`..import_req(…)` for one by identity).
pub fn import_req(type_name: &str, id: &str) -> pb::import_resource_state::Request {
    pb::import_resource_state::Request {
        type_name: type_name.into(),
        id: id.into(),
        ..Default::default()
    }
}

/// An ImportResourceState request by identity (`import { identity = … }`, Terraform 1.12+).
pub fn import_identity_req(
    type_name: &str,
    identity: pb::DynamicValue,
) -> pb::import_resource_state::Request {
    pb::import_resource_state::Request {
        identity: Some(pb::ResourceIdentityData {
            identity_data: Some(identity),
        }),
        ..import_req(type_name, "")
    }
}

/// An UpgradeResourceState request for stored JSON of schema version `version`.
pub fn upgrade_req(
    type_name: &str,
    version: i64,
    json: &[u8],
) -> pb::upgrade_resource_state::Request {
    pb::upgrade_resource_state::Request {
        type_name: type_name.into(),
        version,
        raw_state: Some(pb::RawState {
            json: json.to_vec(),
            flatmap: Default::default(),
        }),
    }
}
