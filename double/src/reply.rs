//! What a handler answers, independent of the HTTP library.

use serde_json::Value;

use crate::errors::{ApiError, ErrorBody};

/// A response body.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// No body (204).
    Empty,
    /// A JSON document.
    Json(Value),
    /// A JSON document already serialized (large lists).
    JsonText(String),
    /// An HTML page.
    Html(&'static str),
}

/// A status, a body, and the one extra header the double ever sends.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// HTTP status code.
    pub status: u16,
    /// The body.
    pub body: Body,
    /// `Retry-After` seconds, for 429.
    pub retry_after: Option<&'static str>,
    /// How many objects a list answer carries (0 for anything else): the cost model charges
    /// per listed object.
    pub items: usize,
}

impl Reply {
    /// A JSON answer.
    pub fn json(status: u16, value: Value) -> Reply {
        Reply {
            status,
            body: Body::Json(value),
            retry_after: None,
            items: 0,
        }
    }

    /// 204 No Content.
    pub fn no_content() -> Reply {
        Reply {
            status: 204,
            body: Body::Empty,
            retry_after: None,
            items: 0,
        }
    }
}

impl From<ApiError> for Reply {
    fn from(error: ApiError) -> Reply {
        let body = match error.body {
            ErrorBody::Json(value) => Body::Json(value),
            ErrorBody::Html(page) => Body::Html(page),
        };
        Reply {
            status: error.status,
            body,
            retry_after: None,
            items: 0,
        }
    }
}
