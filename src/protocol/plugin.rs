//! go-plugin's side services: `plugin.GRPCController` (Shutdown), `plugin.GRPCStdio` and
//! `plugin.GRPCBroker`. Terraform calls Shutdown to end the process; the other two only need
//! to accept their streams and stay quiet until shutdown.

use super::pb::plugin as pb;
use futures_util::stream::BoxStream;
use futures_util::StreamExt;
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status, Streaming};

/// `plugin.GRPCController`: Shutdown cancels the server's token; the server then stops
/// gracefully and the process exits with status 0.
pub struct Controller {
    shutdown: CancellationToken,
}

impl Controller {
    /// A controller that cancels `shutdown`.
    pub fn new(shutdown: CancellationToken) -> Self {
        Controller { shutdown }
    }
}

#[tonic::async_trait]
impl pb::grpc_controller_server::GrpcController for Controller {
    async fn shutdown(&self, _: Request<pb::Empty>) -> Result<Response<pb::Empty>, Status> {
        tracing::debug!(rpc = "Shutdown", "shutdown requested");
        self.shutdown.cancel();
        Ok(Response::new(pb::Empty {}))
    }
}

/// A stream that yields nothing and ends when `token` is cancelled.
fn idle_until<T: Send + 'static>(
    token: CancellationToken,
) -> BoxStream<'static, Result<T, Status>> {
    futures_util::stream::once(async move { token.cancelled_owned().await })
        .filter_map(|()| async { None })
        .boxed()
}

/// `plugin.GRPCStdio`: logs go straight to stderr, so the stream stays open and empty.
pub struct Stdio {
    shutdown: CancellationToken,
}

impl Stdio {
    /// A stdio service whose stream ends at `shutdown`.
    pub fn new(shutdown: CancellationToken) -> Self {
        Stdio { shutdown }
    }
}

#[tonic::async_trait]
impl pb::grpc_stdio_server::GrpcStdio for Stdio {
    type StreamStdioStream = BoxStream<'static, Result<pb::StdioData, Status>>;

    async fn stream_stdio(
        &self,
        _: Request<()>,
    ) -> Result<Response<Self::StreamStdioStream>, Status> {
        tracing::trace!(rpc = "StreamStdio", "stdio stream opened");
        Ok(Response::new(idle_until(self.shutdown.clone())))
    }
}

/// `plugin.GRPCBroker`: providers open no sub-connections; accept the stream, drain what the
/// client sends, answer nothing.
pub struct Broker {
    shutdown: CancellationToken,
}

impl Broker {
    /// A broker whose stream ends at `shutdown`.
    pub fn new(shutdown: CancellationToken) -> Self {
        Broker { shutdown }
    }
}

#[tonic::async_trait]
impl pb::grpc_broker_server::GrpcBroker for Broker {
    type StartStreamStream = BoxStream<'static, Result<pb::ConnInfo, Status>>;

    async fn start_stream(
        &self,
        req: Request<Streaming<pb::ConnInfo>>,
    ) -> Result<Response<Self::StartStreamStream>, Status> {
        tracing::trace!(rpc = "StartStream", "broker stream opened");
        let mut incoming = req.into_inner();
        let token = self.shutdown.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    () = token.cancelled() => break,
                    msg = incoming.next() => match msg {
                        Some(Ok(_)) => continue,
                        _ => break,
                    },
                }
            }
        });
        Ok(Response::new(idle_until(self.shutdown.clone())))
    }
}
