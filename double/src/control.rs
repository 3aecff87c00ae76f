//! Test-only control endpoints outside `/api/v3` (never faulted, no authentication):
//! `GET /_double/requests`, `DELETE /_double/requests` (also resets the counts),
//! `GET /_double/counts`, `GET /_double/stages`, `POST /_double/outage/<seconds>`.

use crate::errors::ApiError;
use crate::reply::Reply;
use crate::stages;
use crate::AppState;

/// Prefix of the control endpoints.
pub const PREFIX: &str = "/_double/";

/// Answers a control request.
pub fn handle(state: &AppState, method: &str, path: &str) -> Reply {
    let path = path.trim_end_matches('/');
    match (method, path) {
        ("GET", "/_double/requests") => Reply::json(200, state.log.to_json()),
        ("DELETE", "/_double/requests") => {
            state.log.clear();
            Reply::no_content()
        }
        ("GET", "/_double/counts") => Reply::json(200, state.log.counts()),
        ("GET", "/_double/stages") => Reply::json(200, stages::all(state)),
        ("POST", p) if p.starts_with("/_double/outage/") => {
            crate::faults::begin_outage(state, &p["/_double/outage/".len()..])
        }
        _ => ApiError::no_route().into(),
    }
}
