//! The go-plugin handshake and the gRPC server's lifetime.
//!
//! Terraform starts the provider with a magic cookie and the protocol versions it speaks in the
//! environment. The provider listens on a unix socket in a private temporary directory,
//! prints one line (`1|6|unix|PATH|grpc|CERT`) on stdout and serves until Terraform calls
//! `plugin.GRPCController/Shutdown`.

use super::grpc::ProviderService;
use super::pb::plugin::grpc_broker_server::GrpcBrokerServer;
use super::pb::plugin::grpc_controller_server::GrpcControllerServer;
use super::pb::plugin::grpc_stdio_server::GrpcStdioServer;
use super::plugin::{Broker, Controller, Stdio};
use super::provider::Provider;
use super::tls::{server_tls, TlsError};
use base64::Engine as _;
use futures_util::StreamExt;
use std::io::Write as _;
use std::path::PathBuf;
use std::pin::Pin;
use std::process::ExitCode;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, UnixListener};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// Environment variable holding go-plugin's magic cookie.
pub const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
/// The value Terraform sets it to.
pub const MAGIC_COOKIE_VALUE: &str =
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
/// go-plugin's own protocol version (first field of the handshake line).
pub const CORE_PROTOCOL_VERSION: u32 = 1;
/// The Terraform plugin protocol this server speaks.
pub const APP_PROTOCOL_VERSION: u32 = 6;

/// How long a graceful stop may take before the server gives up on open connections.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);
/// How long a client may take to finish its TLS handshake.
const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Why the server could not start or run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// Terraform offered no protocol version this provider speaks.
    #[error("Terraform offered plugin protocol versions {offered:?}, but this provider speaks only version {APP_PROTOCOL_VERSION}; use Terraform 1.0 or newer")]
    NoCommonVersion {
        /// The `PLUGIN_PROTOCOL_VERSIONS` value.
        offered: String,
    },
    /// AutoMTLS could not be set up.
    #[error(transparent)]
    Tls(#[from] TlsError),
    /// Creating the socket or writing the handshake failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// The gRPC server failed.
    #[error("gRPC server error: {0}")]
    Transport(#[from] tonic::transport::Error),
}

/// Pick the app protocol version from `PLUGIN_PROTOCOL_VERSIONS` (comma-separated). Absent
/// means "whatever the plugin speaks", as in go-plugin.
pub fn negotiate_version(offered: Option<&str>) -> Result<u32, ServeError> {
    let Some(offered) = offered.filter(|s| !s.trim().is_empty()) else {
        return Ok(APP_PROTOCOL_VERSION);
    };
    if offered
        .split(',')
        .any(|v| v.trim().parse::<u32>() == Ok(APP_PROTOCOL_VERSION))
    {
        Ok(APP_PROTOCOL_VERSION)
    } else {
        Err(ServeError::NoCommonVersion {
            offered: offered.to_owned(),
        })
    }
}

/// The handshake line go-plugin reads (with the trailing newline). `cert_der` is the server
/// certificate when serving TLS.
pub fn handshake_line(network: &str, address: &str, cert_der: Option<&[u8]>) -> String {
    let cert = cert_der
        .map(|c| base64::engine::general_purpose::STANDARD_NO_PAD.encode(c))
        .unwrap_or_default();
    format!("{CORE_PROTOCOL_VERSION}|{APP_PROTOCOL_VERSION}|{network}|{address}|grpc|{cert}\n")
}

/// The text shown when someone runs the binary by hand.
pub fn not_a_program_text() -> String {
    let name = env!("CARGO_PKG_NAME");
    let short = name.strip_prefix("terraform-provider-").unwrap_or(name);
    format!(
        "{name} is a Terraform provider plugin: Terraform starts it and talks to it over the\n\
         plugin protocol, so running it by hand does nothing useful.\n\
         \n\
         To use it, declare it in your configuration's required_providers block\n\
         (for example `{short} = {{ source = \"<namespace>/{short}\" }}`), or, for a local build,\n\
         point Terraform at this binary's directory with a dev_overrides block in a CLI\n\
         configuration file named by TF_CLI_CONFIG_FILE. The README explains both.\n"
    )
}

/// Where the server listens.
pub enum PluginListener {
    /// A unix socket; `dir`, when set, is a private directory removed when the listener is.
    Unix {
        /// The listening socket.
        listener: UnixListener,
        /// The socket's path.
        path: PathBuf,
        /// Private directory holding the socket, removed on drop.
        dir: Option<PrivateDir>,
    },
    /// TCP on the loopback interface.
    Tcp(TcpListener),
}

impl PluginListener {
    /// Listen on a unix socket in a fresh private (0700) temporary directory, removed when the
    /// listener is dropped. Falls back to TCP on 127.0.0.1 when that fails.
    pub async fn private() -> std::io::Result<Self> {
        match PrivateDir::create() {
            Ok(dir) => {
                let path = dir.0.join("plugin.sock");
                match UnixListener::bind(&path) {
                    Ok(listener) => {
                        return Ok(PluginListener::Unix {
                            listener,
                            path,
                            dir: Some(dir),
                        })
                    }
                    Err(e) => tracing::debug!(error = %e, "unix socket unavailable, using TCP"),
                }
            }
            Err(e) => tracing::debug!(error = %e, "no private socket directory, using TCP"),
        }
        Self::tcp().await
    }

    /// Listen on 127.0.0.1, in `PLUGIN_MIN_PORT..=PLUGIN_MAX_PORT` when those are set.
    pub async fn tcp() -> std::io::Result<Self> {
        let port = |var: &str| {
            std::env::var(var)
                .ok()
                .and_then(|v| v.trim().parse::<u16>().ok())
        };
        if let (Some(min), Some(max)) = (port("PLUGIN_MIN_PORT"), port("PLUGIN_MAX_PORT")) {
            for p in min..=max {
                if let Ok(l) = TcpListener::bind(("127.0.0.1", p)).await {
                    return Ok(PluginListener::Tcp(l));
                }
            }
        }
        Ok(PluginListener::Tcp(
            TcpListener::bind(("127.0.0.1", 0)).await?,
        ))
    }

    /// `unix` or `tcp`, as the handshake line names it.
    pub fn network(&self) -> &'static str {
        match self {
            PluginListener::Unix { .. } => "unix",
            PluginListener::Tcp(_) => "tcp",
        }
    }

    /// The address clients connect to.
    pub fn address(&self) -> String {
        match self {
            PluginListener::Unix { path, .. } => path.display().to_string(),
            PluginListener::Tcp(l) => l.local_addr().map(|a| a.to_string()).unwrap_or_default(),
        }
    }
}

/// A private temporary directory (mode 0700), removed with its contents on drop.
pub struct PrivateDir(PathBuf);

impl PrivateDir {
    fn create() -> std::io::Result<Self> {
        use std::os::unix::fs::DirBuilderExt;
        let base = std::env::var_os("PLUGIN_UNIX_SOCKET_DIR")
            .map(PathBuf::from)
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(std::env::temp_dir);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or_default();
        let mut last_err = None;
        for attempt in 0..8u32 {
            let dir = base.join(format!(
                "tfplugin-{}-{:08x}",
                std::process::id(),
                nanos.wrapping_add(attempt.wrapping_mul(0x9e37_79b9))
            ));
            match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
                Ok(()) => return Ok(PrivateDir(dir)),
                Err(e) => last_err = Some(e),
            }
        }
        Err(last_err.unwrap_or_else(|| std::io::Error::other("could not create a directory")))
    }
}

impl Drop for PrivateDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Any accepted connection (plain or TLS, unix or TCP), as tonic's server takes it.
pub struct Conn(Pin<Box<dyn Io>>);

trait Io: AsyncRead + AsyncWrite + Send + 'static {}
impl<T: AsyncRead + AsyncWrite + Send + 'static> Io for T {}

impl AsyncRead for Conn {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        self.get_mut().0.as_mut().poll_read(cx, buf)
    }
}

impl AsyncWrite for Conn {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        self.get_mut().0.as_mut().poll_write(cx, buf)
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        self.get_mut().0.as_mut().poll_flush(cx)
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        self.get_mut().0.as_mut().poll_shutdown(cx)
    }
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        self.get_mut().0.as_mut().poll_write_vectored(cx, bufs)
    }
    fn is_write_vectored(&self) -> bool {
        self.0.is_write_vectored()
    }
}

impl tonic::transport::server::Connected for Conn {
    type ConnectInfo = ();
    fn connect_info(&self) -> Self::ConnectInfo {}
}

/// Hand a fresh connection to the server, after the TLS handshake when serving TLS. Runs in
/// its own task so a slow client does not hold up others.
fn admit<S>(stream: S, tls: Option<tokio_rustls::TlsAcceptor>, tx: mpsc::Sender<Conn>)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    tokio::spawn(async move {
        let conn = match tls {
            None => Conn(Box::pin(stream)),
            Some(acceptor) => {
                match tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                    Ok(Ok(s)) => Conn(Box::pin(s)),
                    Ok(Err(e)) => {
                        tracing::warn!(error = %e, "TLS handshake with a client failed");
                        return;
                    }
                    Err(_) => {
                        tracing::warn!("TLS handshake with a client timed out");
                        return;
                    }
                }
            }
        };
        let _ = tx.send(conn).await;
    });
}

async fn accept_loop(
    listener: PluginListener,
    tls: Option<Arc<rustls::ServerConfig>>,
    tx: mpsc::Sender<Conn>,
    shutdown: CancellationToken,
) {
    let acceptor = tls.map(tokio_rustls::TlsAcceptor::from);
    // Keep the listener (and its private directory) alive until the loop ends.
    match &listener {
        PluginListener::Unix { listener: l, .. } => loop {
            tokio::select! {
                () = shutdown.cancelled() => break,
                r = l.accept() => match r {
                    Ok((s, _)) => admit(s, acceptor.clone(), tx.clone()),
                    Err(e) => {
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(10)).await;
                    }
                },
            }
        },
        PluginListener::Tcp(l) => loop {
            tokio::select! {
                () = shutdown.cancelled() => break,
                r = l.accept() => match r {
                    Ok((s, _)) => {
                        // Without this, Nagle and delayed ACKs stall every small RPC.
                        let _ = s.set_nodelay(true);
                        admit(s, acceptor.clone(), tx.clone());
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(10)).await;
                    }
                },
            }
        },
    }
    drop(listener);
}

/// Serve the provider (plus go-plugin's services and gRPC health) on `listener` until
/// `shutdown` is cancelled, either by the caller or by a `GRPCController/Shutdown` call.
/// `tls`, when set, is applied to every accepted connection.
pub async fn serve_on(
    listener: PluginListener,
    provider: Arc<dyn Provider>,
    tls: Option<Arc<rustls::ServerConfig>>,
    shutdown: CancellationToken,
) -> Result<(), ServeError> {
    let (tx, rx) = mpsc::channel::<Conn>(16);
    tokio::spawn(accept_loop(listener, tls, tx, shutdown.clone()));
    let incoming = tokio_stream::wrappers::ReceiverStream::new(rx).map(Ok::<_, std::io::Error>);

    let (health_reporter, health_service) = tonic_health::server::health_reporter();
    health_reporter
        .set_service_status("plugin", tonic_health::ServingStatus::Serving)
        .await;

    let server = tonic::transport::Server::builder()
        .add_service(health_service)
        .add_service(ProviderService::new(provider).into_server())
        .add_service(GrpcControllerServer::new(Controller::new(shutdown.clone())))
        .add_service(GrpcStdioServer::new(Stdio::new(shutdown.clone())))
        .add_service(GrpcBrokerServer::new(Broker::new(shutdown.clone())))
        .serve_with_incoming_shutdown(incoming, shutdown.clone().cancelled_owned());
    tokio::pin!(server);
    tokio::select! {
        r = &mut server => r?,
        () = async {
            shutdown.cancelled().await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } => tracing::debug!("graceful stop timed out; leaving open connections behind"),
    }
    Ok(())
}

/// Run `provider` as a Terraform plugin: check the magic cookie, negotiate the protocol, set up
/// AutoMTLS, listen, print the handshake line and serve until Terraform says to stop. Returns
/// the process exit status (0 after a normal shutdown).
pub fn serve(provider: Arc<dyn Provider>) -> ExitCode {
    super::logging::init_from_env();
    if std::env::var(MAGIC_COOKIE_KEY).ok().as_deref() != Some(MAGIC_COOKIE_VALUE) {
        eprint!("{}", not_a_program_text());
        return ExitCode::from(1);
    }
    let offered = std::env::var("PLUGIN_PROTOCOL_VERSIONS").ok();
    if let Err(e) = negotiate_version(offered.as_deref()) {
        eprintln!("{e}");
        return ExitCode::from(1);
    }
    // One thread: the provider's own work per call is well under a millisecond, and on the
    // small machines Terraform runs on the cores are better left to Terraform. Every extra
    // worker thread costs a stack and, with glibc, a malloc arena of its own (peak RSS).
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("could not start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let result = runtime.block_on(run(provider));
    runtime.shutdown_timeout(Duration::from_millis(200));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "plugin server failed");
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}

async fn run(provider: Arc<dyn Provider>) -> Result<(), ServeError> {
    let tls = match std::env::var("PLUGIN_CLIENT_CERT") {
        Ok(pem) if !pem.trim().is_empty() => Some(server_tls(&pem)?),
        _ => None,
    };
    let listener = PluginListener::private().await?;
    let line = handshake_line(
        listener.network(),
        &listener.address(),
        tls.as_ref().map(|t| t.cert_der.as_slice()),
    );
    {
        let mut out = std::io::stdout().lock();
        out.write_all(line.as_bytes())?;
        out.flush()?;
    }
    tracing::debug!(
        network = listener.network(),
        tls = tls.is_some(),
        "plugin server started"
    );

    let shutdown = CancellationToken::new();
    watch_signals(shutdown.clone());
    serve_on(listener, provider, tls.map(|t| t.config), shutdown).await
}

/// Terraform forwards Ctrl-C to the whole process group and then stops providers through the
/// protocol (StopProvider, Shutdown), so SIGINT is noted and otherwise ignored, as Go plugins
/// do. SIGTERM stops the server gracefully.
fn watch_signals(shutdown: CancellationToken) {
    use tokio::signal::unix::{signal, SignalKind};
    if let Ok(mut int) = signal(SignalKind::interrupt()) {
        tokio::spawn(async move {
            while int.recv().await.is_some() {
                tracing::debug!("interrupt received; waiting for Terraform to stop the provider");
            }
        });
    }
    if let Ok(mut term) = signal(SignalKind::terminate()) {
        tokio::spawn(async move {
            if term.recv().await.is_some() {
                tracing::debug!("terminate received; stopping");
                shutdown.cancel();
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_negotiation() {
        assert_eq!(negotiate_version(Some("5,6")).ok(), Some(6));
        assert_eq!(negotiate_version(Some("6")).ok(), Some(6));
        assert_eq!(negotiate_version(Some(" 5 , 6 ")).ok(), Some(6));
        assert_eq!(negotiate_version(None).ok(), Some(6));
        assert!(matches!(
            negotiate_version(Some("4,5")),
            Err(ServeError::NoCommonVersion { .. })
        ));
        assert!(negotiate_version(Some("66")).is_err());
    }

    #[test]
    fn handshake_lines() {
        assert_eq!(
            handshake_line("unix", "/tmp/x/plugin.sock", None),
            "1|6|unix|/tmp/x/plugin.sock|grpc|\n"
        );
        // 0xff 0xfe -> "//4" in standard base64 without padding.
        assert_eq!(
            handshake_line("tcp", "127.0.0.1:1234", Some(&[0xff, 0xfe])),
            "1|6|tcp|127.0.0.1:1234|grpc|//4\n"
        );
    }

    #[test]
    fn private_dir_is_private_and_removed() {
        use std::os::unix::fs::PermissionsExt;
        let dir = PrivateDir::create().expect("temp dir");
        let path = dir.0.clone();
        let mode = std::fs::metadata(&path)
            .map(|m| m.permissions().mode() & 0o777)
            .ok();
        assert_eq!(mode, Some(0o700));
        drop(dir);
        assert!(!path.exists());
    }
}
