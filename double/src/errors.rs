//! API errors shaped like authentik's (Django REST framework) error bodies.

use serde_json::{json, Map, Value};

/// The body of an error answer.
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorBody {
    /// A JSON document.
    Json(Value),
    /// A non-JSON (HTML) page, as Django's URL resolver gives for unknown paths.
    Html(&'static str),
}

/// An error answer: a status and a body.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// HTTP status code.
    pub status: u16,
    /// What is sent back.
    pub body: ErrorBody,
}

const NOT_FOUND_PAGE: &str = "<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n";
const SERVER_ERROR_PAGE: &str =
    "<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Server Error (500)</title>\n</head>\n<body>\n  <h1>Server Error (500)</h1><p></p>\n</body>\n</html>\n";

impl ApiError {
    fn detail(status: u16, detail: impl Into<String>) -> ApiError {
        ApiError {
            status,
            body: ErrorBody::Json(json!({ "detail": detail.into() })),
        }
    }

    /// 404 for a path no route matches (e.g. a missing trailing slash): not JSON.
    pub fn no_route() -> ApiError {
        ApiError {
            status: 404,
            body: ErrorBody::Html(NOT_FOUND_PAGE),
        }
    }

    /// What authentik answers a write that raises inside the server, or any write to a URL that
    /// does not exist: its error views are GET-only `TemplateView`s, so the answer is a 405 with
    /// an empty HTML body (`server-behaviour-flows.md`, "Common behaviour").
    pub fn server_error_405() -> ApiError {
        ApiError {
            status: 405,
            body: ErrorBody::Html(""),
        }
    }

    /// 404 for an unknown object: `No <Model> matches the given query.`
    pub fn not_found(model: &str) -> ApiError {
        ApiError::detail(404, format!("No {model} matches the given query."))
    }

    /// 404 for a lookup value that cannot be an id at all (malformed UUID).
    pub fn not_found_plain() -> ApiError {
        ApiError::detail(404, "Not found.")
    }

    /// 404 for a page number out of range.
    pub fn invalid_page() -> ApiError {
        ApiError::detail(404, "Invalid page.")
    }

    /// 403: authentik answers 403 (never 401) for missing or wrong credentials.
    pub fn forbidden(detail: &str) -> ApiError {
        ApiError::detail(403, detail)
    }

    /// 405 for a method the endpoint does not have.
    pub fn method_not_allowed(method: &str) -> ApiError {
        ApiError::detail(405, format!("Method \"{method}\" not allowed."))
    }

    /// 415 for a body that is not JSON.
    pub fn unsupported_media_type(content_type: &str) -> ApiError {
        ApiError::detail(
            415,
            format!("Unsupported media type \"{content_type}\" in request."),
        )
    }

    /// 400 for a body that is not valid JSON.
    pub fn parse_error(message: &str) -> ApiError {
        ApiError::detail(400, format!("JSON parse error - {message}"))
    }

    /// 413 for a body over the size limit.
    pub fn too_large() -> ApiError {
        ApiError::detail(413, "Request body too large.")
    }

    /// 500 as Django renders it (not JSON), e.g. for a duration that overflows.
    pub fn server_error() -> ApiError {
        ApiError {
            status: 500,
            body: ErrorBody::Html(SERVER_ERROR_PAGE),
        }
    }

    /// 400 with field errors.
    pub fn validation(errors: FieldErrors) -> ApiError {
        ApiError {
            status: 400,
            body: ErrorBody::Json(errors.into_value()),
        }
    }
}

/// Validation errors keyed by field, each a list of messages (or, for list fields, a map from
/// item index to a list of messages). Object-level errors go under `non_field_errors`.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct FieldErrors {
    map: Map<String, Value>,
}

/// Key for object-level errors.
pub const NON_FIELD_ERRORS: &str = "non_field_errors";

impl FieldErrors {
    /// No errors yet.
    pub fn new() -> FieldErrors {
        FieldErrors::default()
    }

    /// Adds a message to a field.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        let entry = self
            .map
            .entry(field.to_string())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = entry {
            list.push(Value::String(message.into()));
        }
    }

    /// Adds a message for one item of a list field: `{"field": {"<index>": ["message"]}}`.
    pub fn add_item(&mut self, field: &str, index: usize, message: impl Into<String>) {
        let entry = self
            .map
            .entry(field.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(items) = entry {
            let slot = items
                .entry(index.to_string())
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(list) = slot {
                list.push(Value::String(message.into()));
            }
        }
    }

    /// Adds an object-level message.
    pub fn add_non_field(&mut self, message: impl Into<String>) {
        self.add(NON_FIELD_ERRORS, message);
    }

    /// True when nothing was added.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// True when the field has an error.
    pub fn has(&self, field: &str) -> bool {
        self.map.contains_key(field)
    }

    /// The JSON body.
    pub fn into_value(self) -> Value {
        Value::Object(self.map)
    }

    /// `Err(400)` if anything was added.
    pub fn into_result(self) -> Result<(), ApiError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(self))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let mut errors = FieldErrors::new();
        errors.add("name", "stage with this name already exists.");
        errors.add_item("device_classes", 0, "\"foo\" is not a valid choice.");
        errors.add_non_field("boom");
        assert_eq!(
            errors.into_value(),
            json!({
                "name": ["stage with this name already exists."],
                "device_classes": {"0": ["\"foo\" is not a valid choice."]},
                "non_field_errors": ["boom"],
            })
        );
    }
}
