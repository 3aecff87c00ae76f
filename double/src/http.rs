//! HTTP transport (hyper, HTTP/1.1 with keep-alive): reads each request, routes control
//! endpoints, applies injected faults to API requests, logs them, and writes the reply. A
//! dropped connection is made by failing the hyper service, which closes the connection
//! without writing any response.

use std::convert::Infallible;
use std::sync::Arc;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderValue, CONTENT_TYPE, RETRY_AFTER};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::net::TcpListener;

use crate::control;
use crate::errors::ApiError;
use crate::faults::Fault;
use crate::reply::{Body, Reply};
use crate::requestlog::Entry;
use crate::routes::{self, ApiRequest};
use crate::AppState;

/// Largest request body accepted.
pub const MAX_BODY: usize = 4 * 1024 * 1024;

/// The service error that makes hyper close the connection without a response.
#[derive(Debug)]
pub struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose (injected fault)")
    }
}

impl std::error::Error for Dropped {}

/// Serves connections until the process ends; during an outage (see [`crate::faults::Outage`])
/// the listening socket is closed and opened again on the same address afterwards.
pub async fn serve(mut listener: TcpListener, state: Arc<AppState>) -> Infallible {
    let outage = &state.faults.outage;
    if let Some(plan) = crate::faults::OutagePlan::from_config(&state.config) {
        outage.arm(plan);
        if let Some(at) = plan.at {
            let state = Arc::clone(&state);
            tokio::spawn(async move {
                tokio::time::sleep(at).await;
                state.faults.outage.begin(plan.length);
            });
        }
    }
    let mut down = outage.watch();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = async { down.wait_for(Option::is_some).await.is_ok() } => {
                listener = sit_out_outage(listener, &state).await;
                continue;
            }
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(error) => {
                // E.g. too many open files: wait a little instead of spinning.
                eprintln!("accept failed: {error}");
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let state = Arc::clone(&state);
        let mut down = state.faults.outage.watch();
        tokio::spawn(async move {
            let service = service_fn(move |request| handle(Arc::clone(&state), request));
            let connection = http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service);
            tokio::pin!(connection);
            // Errors here are client disconnects or our own dropped connections.
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = async { down.wait_for(Option::is_some).await.is_ok() } => {
                    // Going away: answer the request in progress, if any, then close.
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
    }
}

/// Closes `listener` (clients get "connection refused") until the running outage ends, then
/// listens on the same address again.
async fn sit_out_outage(listener: TcpListener, state: &AppState) -> TcpListener {
    let outage = &state.faults.outage;
    let address = listener.local_addr();
    drop(listener);
    if let Some(end) = outage.end_time() {
        tokio::time::sleep_until(end).await;
    }
    let address = match address {
        Ok(address) => address,
        Err(error) => {
            eprintln!("cannot read the listening address: {error}");
            std::process::exit(1);
        }
    };
    loop {
        match TcpListener::bind(address).await {
            Ok(listener) => {
                outage.end();
                return listener;
            }
            Err(error) => {
                eprintln!("cannot listen on {address} again after the outage: {error}");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        }
    }
}

fn header(request: &Request<Incoming>, name: hyper::header::HeaderName) -> Option<&str> {
    request.headers().get(name).and_then(|v| v.to_str().ok())
}

async fn handle(
    state: Arc<AppState>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Dropped> {
    let method = request.method().as_str().to_string();
    let path = request.uri().path().to_string();
    if path.starts_with(control::PREFIX) || path == "/_double" {
        return Ok(to_response(control::handle(&state, &method, &path)));
    }
    state.faults.outage.on_request();
    let query = request.uri().query().map(str::to_string);
    let authorization = header(&request, hyper::header::AUTHORIZATION).map(str::to_string);
    let content_type = header(&request, CONTENT_TYPE).map(str::to_string);
    let fault = state.faults.next();
    let body = match Limited::new(request.into_body(), MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return Ok(to_response(ApiError::too_large().into())),
    };
    let (kind, collection) = routes::classify(&method, &path);
    let received_ms = state.cost.now_ms();
    let mut entry = Entry {
        method: method.clone(),
        path: match &query {
            Some(q) => format!("{path}?{q}"),
            None => path.clone(),
        },
        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
        status: None,
        applied_status: None,
        fault: fault.map(|f| f.name()),
        kind,
        collection,
        received_ms,
        started_ms: None,
        finished_ms: received_ms,
    };
    let early = match fault {
        Some(Fault::Unavailable) => {
            Some(Reply::json(503, json!({"detail": "Service Unavailable"})))
        }
        Some(Fault::Throttled(seconds)) => Some(Reply {
            retry_after: Some(seconds),
            ..Reply::json(
                429,
                json!({"detail": format!("Request was throttled. Expected available in {seconds} seconds.")}),
            )
        }),
        Some(Fault::DropBefore) => {
            entry.finished_ms = state.cost.now_ms();
            state.log.record(entry);
            return Err(Dropped);
        }
        Some(Fault::Slow(delay)) => {
            tokio::time::sleep(delay).await;
            None
        }
        Some(Fault::DropAfter) | None => None,
    };
    let reply = match early {
        // Turned away in front of the server: no worker, no server time.
        Some(reply) => reply,
        None => {
            // A worker serves the request for as long as authentik would take.
            let _worker = state.cost.worker().await;
            entry.started_ms = Some(state.cost.now_ms());
            let reply = routes::handle(
                &state,
                &ApiRequest {
                    method: &method,
                    path: &path,
                    query: query.as_deref(),
                    authorization: authorization.as_deref(),
                    content_type: content_type.as_deref(),
                    body: &body,
                },
            );
            state
                .cost
                .spend(state.cost.cost(&method, reply.items))
                .await;
            reply
        }
    };
    entry.finished_ms = state.cost.now_ms();
    if fault == Some(Fault::DropAfter) {
        entry.applied_status = Some(reply.status);
        state.log.record(entry);
        return Err(Dropped);
    }
    entry.status = Some(reply.status);
    state.log.record(entry);
    Ok(to_response(reply))
}

fn to_response(reply: Reply) -> Response<Full<Bytes>> {
    let (bytes, content_type) = match reply.body {
        Body::Empty => (Bytes::new(), None),
        Body::Json(value) => (Bytes::from(value.to_string()), Some("application/json")),
        Body::JsonText(text) => (Bytes::from(text), Some("application/json")),
        Body::Html(page) => (
            Bytes::from_static(page.as_bytes()),
            Some("text/html; charset=utf-8"),
        ),
    };
    let mut response = Response::new(Full::new(bytes));
    *response.status_mut() =
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Some(content_type) = content_type {
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    if let Some(seconds) = reply.retry_after {
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from_static(seconds));
    }
    response
}
