//! API routing under `/api/v3/`: resolves the path to a resource, then applies authentik's order
//! of checks (unknown path → non-JSON 404; then authentication → 403; then method → 405; then
//! the object lookup → 404; then the body → 415/400) and calls the resource's handler.

use serde_json::{json, Value};

use crate::auth;
use crate::errors::{ApiError, ErrorBody};
use crate::fields::Mode;
use crate::query::Query;
use crate::reply::Reply;
use crate::stages::{self, other, StageKind};
use crate::{
    bindings, device_types, directory, flows, mappings, policies, prompts, version, AppState,
};

/// Where the API lives.
pub const API_PREFIX: &str = "/api/v3/";

/// An API request, already read off the wire.
#[derive(Debug, Clone, Copy)]
pub struct ApiRequest<'a> {
    /// HTTP method.
    pub method: &'a str,
    /// Path without the query string.
    pub path: &'a str,
    /// Raw query string.
    pub query: Option<&'a str>,
    /// `Authorization` header.
    pub authorization: Option<&'a str>,
    /// `Content-Type` header.
    pub content_type: Option<&'a str>,
    /// Request body.
    pub body: &'a [u8],
}

/// A resolved endpoint.
#[derive(Debug, Clone, Copy)]
enum Route<'a> {
    StageList(&'static StageKind),
    StageDetail(&'static StageKind, &'a str),
    StageUsedBy(&'static StageKind, &'a str),
    AllStagesList,
    AllStagesDetail(&'a str),
    AllStagesUsedBy(&'a str),
    DeviceTypeList,
    DeviceTypeDetail(&'a str),
    FlowList,
    FlowDetail(&'a str),
    FlowUsedBy(&'a str),
    BindingList,
    BindingDetail(&'a str),
    BindingUsedBy(&'a str),
    /// A collection of [`Resource`].
    List(Resource),
    /// One object of a [`Resource`].
    Detail(Resource, &'a str),
    /// What references one object of a [`Resource`].
    UsedBy(Resource, &'a str),
    EmailTemplates,
    PromptPreview,
    MappingList,
    MappingDetail(&'a str),
    MappingUsedBy(&'a str),
    Version,
}

impl Route<'_> {
    /// A route to one object (`…/<id>/` and its actions), as opposed to a collection. authentik
    /// answers a request without credentials differently on the two (see [`auth::check`]).
    fn is_detail(&self) -> bool {
        match self {
            Route::StageList(_)
            | Route::AllStagesList
            | Route::DeviceTypeList
            | Route::FlowList
            | Route::BindingList
            | Route::List(_)
            | Route::EmailTemplates
            | Route::PromptPreview
            | Route::MappingList
            | Route::Version => false,
            Route::StageDetail(..)
            | Route::StageUsedBy(..)
            | Route::AllStagesDetail(_)
            | Route::AllStagesUsedBy(_)
            | Route::DeviceTypeDetail(_)
            | Route::FlowDetail(_)
            | Route::FlowUsedBy(_)
            | Route::BindingDetail(_)
            | Route::Detail(..)
            | Route::BindingUsedBy(_)
            | Route::UsedBy(..)
            | Route::MappingDetail(_)
            | Route::MappingUsedBy(_) => true,
        }
    }
}

/// The plainer collections: list and create, read, write and delete by pk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Resource {
    Policies,
    PolicyBindings,
    Prompts,
    Groups,
    Sources,
}

/// Django REST framework's default lookup pattern `[^/.]+`.
fn lookup(segment: &str) -> bool {
    !segment.is_empty() && !segment.contains('.')
}

/// Trailing slash required; anything else is no route.
fn resolve(path: &str) -> Option<Route<'_>> {
    let rest = path.strip_prefix(API_PREFIX)?.strip_suffix('/')?;
    let segments: Vec<&str> = rest.split('/').collect();
    Some(match segments.as_slice() {
        ["stages", "authenticator", "webauthn_device_types"] => Route::DeviceTypeList,
        ["stages", "authenticator", "webauthn_device_types", id] if lookup(id) => {
            Route::DeviceTypeDetail(id)
        }
        ["stages", "authenticator", kind] => Route::StageList(stages::kind_by_path(kind)?),
        ["stages", "authenticator", kind, id] if lookup(id) => {
            Route::StageDetail(stages::kind_by_path(kind)?, id)
        }
        ["stages", "authenticator", kind, id, "used_by"] if lookup(id) => {
            Route::StageUsedBy(stages::kind_by_path(kind)?, id)
        }
        ["stages", "prompt", "stages"] => Route::StageList(&other::PROMPT),
        ["stages", "prompt", "stages", id] if lookup(id) => Route::StageDetail(&other::PROMPT, id),
        ["stages", "prompt", "stages", id, "used_by"] if lookup(id) => {
            Route::StageUsedBy(&other::PROMPT, id)
        }
        ["stages", "prompt", "prompts"] => Route::List(Resource::Prompts),
        ["stages", "prompt", "prompts", "preview"] => Route::PromptPreview,
        ["stages", "prompt", "prompts", id] if lookup(id) => Route::Detail(Resource::Prompts, id),
        ["stages", "prompt", "prompts", id, "used_by"] if lookup(id) => {
            Route::UsedBy(Resource::Prompts, id)
        }
        ["stages", "email", "templates"] => Route::EmailTemplates,
        ["policies", "expression"] => Route::List(Resource::Policies),
        ["policies", "expression", id] if lookup(id) => Route::Detail(Resource::Policies, id),
        ["policies", "expression", id, "used_by"] if lookup(id) => {
            Route::UsedBy(Resource::Policies, id)
        }
        ["policies", "bindings"] => Route::List(Resource::PolicyBindings),
        ["policies", "bindings", id] if lookup(id) => Route::Detail(Resource::PolicyBindings, id),
        ["policies", "bindings", id, "used_by"] if lookup(id) => {
            Route::UsedBy(Resource::PolicyBindings, id)
        }
        ["core", "groups"] => Route::List(Resource::Groups),
        ["core", "groups", id] if lookup(id) => Route::Detail(Resource::Groups, id),
        ["sources", "all"] => Route::List(Resource::Sources),
        ["stages", "all"] => Route::AllStagesList,
        ["stages", "all", id] if lookup(id) => Route::AllStagesDetail(id),
        ["stages", "all", id, "used_by"] if lookup(id) => Route::AllStagesUsedBy(id),
        ["stages", kind] if other::kind_by_route(kind).is_some() => {
            Route::StageList(other::kind_by_route(kind)?)
        }
        ["stages", kind, id] if lookup(id) && other::kind_by_route(kind).is_some() => {
            Route::StageDetail(other::kind_by_route(kind)?, id)
        }
        ["stages", kind, id, "used_by"] if lookup(id) && other::kind_by_route(kind).is_some() => {
            Route::StageUsedBy(other::kind_by_route(kind)?, id)
        }
        ["flows", "instances"] => Route::FlowList,
        ["flows", "instances", slug] if lookup(slug) => Route::FlowDetail(slug),
        ["flows", "instances", slug, "used_by"] if lookup(slug) => Route::FlowUsedBy(slug),
        ["flows", "bindings"] => Route::BindingList,
        ["flows", "bindings", id] if lookup(id) => Route::BindingDetail(id),
        ["flows", "bindings", id, "used_by"] if lookup(id) => Route::BindingUsedBy(id),
        ["propertymappings", "notification"] => Route::MappingList,
        ["propertymappings", "notification", id] if lookup(id) => Route::MappingDetail(id),
        ["propertymappings", "notification", id, "used_by"] if lookup(id) => {
            Route::MappingUsedBy(id)
        }
        ["admin", "version"] => Route::Version,
        _ => return None,
    })
}

/// What an API request is, for the request log and its counts: the kind (`list`, `retrieve`,
/// `create`, `update`, `delete`, `used_by`, or `other` for no such route or method) and the
/// collection it addresses under `/api/v3/` (e.g. `stages/authenticator/email`).
pub fn classify(method: &str, path: &str) -> (&'static str, Option<String>) {
    let Some(route) = resolve(path) else {
        return ("other", None);
    };
    let rest = path
        .strip_prefix(API_PREFIX)
        .and_then(|r| r.strip_suffix('/'))
        .unwrap_or("");
    // Drop the id (and `used_by`) to name the collection.
    let drop_segments = |n: usize| -> String {
        let segments: Vec<&str> = rest.split('/').collect();
        segments[..segments.len().saturating_sub(n)].join("/")
    };
    let method = if method == "HEAD" { "GET" } else { method };
    let (kind, collection) = match route {
        Route::StageList(_)
        | Route::AllStagesList
        | Route::DeviceTypeList
        | Route::FlowList
        | Route::BindingList
        | Route::List(_)
        | Route::EmailTemplates
        | Route::PromptPreview
        | Route::MappingList => {
            let kind = match method {
                "GET" => "list",
                "POST" => "create",
                _ => "other",
            };
            (kind, drop_segments(0))
        }
        Route::StageDetail(..)
        | Route::AllStagesDetail(_)
        | Route::DeviceTypeDetail(_)
        | Route::FlowDetail(_)
        | Route::BindingDetail(_)
        | Route::Detail(..)
        | Route::MappingDetail(_) => {
            let kind = match method {
                "GET" => "retrieve",
                "PUT" | "PATCH" => "update",
                "DELETE" => "delete",
                _ => "other",
            };
            (kind, drop_segments(1))
        }
        Route::StageUsedBy(..)
        | Route::AllStagesUsedBy(_)
        | Route::FlowUsedBy(_)
        | Route::BindingUsedBy(_)
        | Route::UsedBy(..)
        | Route::MappingUsedBy(_) => (
            if method == "GET" { "used_by" } else { "other" },
            drop_segments(2),
        ),
        Route::Version => ("other", drop_segments(0)),
    };
    (kind, Some(collection))
}

/// Answers an API request.
pub fn handle(state: &AppState, request: &ApiRequest<'_>) -> Reply {
    dispatch(state, request).unwrap_or_else(Reply::from)
}

fn dispatch(state: &AppState, request: &ApiRequest<'_>) -> Result<Reply, ApiError> {
    let Some(route) = resolve(request.path) else {
        // A GET to no route is the 404 page; any write gets the error view's 405.
        return Err(match request.method {
            "GET" | "HEAD" => ApiError::no_route(),
            _ => ApiError::server_error_405(),
        });
    };
    auth::check(
        request.authorization,
        &state.config.token,
        route.is_detail(),
    )?;
    let query = Query::parse(request.query);
    let method = match request.method {
        "HEAD" => "GET",
        other => other,
    };
    let body = || parse_body(request);
    let mode = if method == "PUT" {
        Mode::Replace
    } else {
        Mode::Partial
    };
    match (route, method) {
        (Route::StageList(kind), "GET") => stages::list(state, kind, &query),
        (Route::StageList(kind), "POST") => stages::create(state, kind, &body()?),
        (Route::StageDetail(kind, id), "GET") => stages::retrieve(state, kind, id),
        (Route::StageDetail(kind, id), "PUT" | "PATCH") => {
            // The object is looked up before the body is read.
            stages::retrieve(state, kind, id)?;
            stages::update(state, kind, id, &body()?, mode)
        }
        (Route::StageDetail(kind, id), "DELETE") => stages::destroy(state, kind, id),
        (Route::StageUsedBy(kind, id), "GET") => stages::used_by(state, kind, id),
        (Route::AllStagesList, "GET") => stages::all::list(state, &query),
        (Route::AllStagesDetail(id), "GET") => stages::all::retrieve(state, id),
        (Route::AllStagesDetail(id), "DELETE") => stages::all::destroy(state, id),
        (Route::AllStagesUsedBy(id), "GET") => stages::all::used_by(state, id),
        (Route::DeviceTypeList, "GET") => device_types::list(state, &query),
        (Route::DeviceTypeDetail(id), "GET") => device_types::retrieve(state, id),
        (Route::FlowList, "GET") => flows::list(state, &query),
        (Route::FlowList, "POST") => flows::create(state, &body()?),
        (Route::FlowDetail(slug), "GET") => flows::retrieve(state, slug),
        (Route::FlowDetail(slug), "PUT" | "PATCH") => {
            flows::retrieve(state, slug)?;
            flows::update(state, slug, &body()?, mode)
        }
        (Route::FlowDetail(slug), "DELETE") => flows::destroy(state, slug),
        (Route::FlowUsedBy(slug), "GET") => flows::used_by(state, slug),
        (Route::BindingList, "GET") => bindings::list(state, &query),
        (Route::BindingList, "POST") => bindings::create(state, &body()?),
        (Route::BindingDetail(id), "GET") => bindings::retrieve(state, id),
        (Route::BindingDetail(id), "PUT" | "PATCH") => {
            bindings::retrieve(state, id)?;
            bindings::update(state, id, &body()?, mode)
        }
        (Route::BindingDetail(id), "DELETE") => bindings::destroy(state, id),
        (Route::EmailTemplates, "GET") => Ok(email_templates()),
        (Route::PromptPreview, "POST") => prompts::preview(state, &body()?),
        (Route::BindingUsedBy(id), "GET") => bindings::used_by(state, id),
        (Route::UsedBy(Resource::Policies, id), "GET") => policies::policy_used_by(state, id),
        (Route::UsedBy(Resource::PolicyBindings, id), "GET") => {
            policies::BINDINGS.retrieve(state, id)?;
            Ok(Reply::json(200, json!([])))
        }
        (Route::UsedBy(Resource::Prompts, id), "GET") => prompts::used_by(state, id),
        (Route::List(Resource::Policies), "GET") => policies::list_policies(state, &query),
        (Route::List(Resource::Policies), "POST") => {
            policies::write_policy(state, None, &body()?, Mode::Create)
        }
        (Route::Detail(Resource::Policies, id), "GET") => policies::POLICIES.retrieve(state, id),
        (Route::Detail(Resource::Policies, id), "PUT" | "PATCH") => {
            policies::POLICIES.retrieve(state, id)?;
            policies::write_policy(state, Some(id), &body()?, mode)
        }
        (Route::Detail(Resource::Policies, id), "DELETE") => policies::POLICIES.destroy(state, id),
        (Route::List(Resource::PolicyBindings), "GET") => policies::list_bindings(state, &query),
        (Route::List(Resource::PolicyBindings), "POST") => {
            policies::write_binding(state, None, &body()?, Mode::Create)
        }
        (Route::Detail(Resource::PolicyBindings, id), "GET") => {
            policies::BINDINGS.retrieve(state, id)
        }
        (Route::Detail(Resource::PolicyBindings, id), "PUT" | "PATCH") => {
            policies::BINDINGS.retrieve(state, id)?;
            policies::write_binding(state, Some(id), &body()?, mode)
        }
        (Route::Detail(Resource::PolicyBindings, id), "DELETE") => {
            policies::BINDINGS.destroy(state, id)
        }
        (Route::List(Resource::Prompts), "GET") => prompts::list(state, &query),
        (Route::List(Resource::Prompts), "POST") => {
            prompts::write(state, None, &body()?, Mode::Create)
        }
        (Route::Detail(Resource::Prompts, id), "GET") => prompts::PROMPTS.retrieve(state, id),
        (Route::Detail(Resource::Prompts, id), "PUT" | "PATCH") => {
            prompts::PROMPTS.retrieve(state, id)?;
            prompts::write(state, Some(id), &body()?, mode)
        }
        (Route::Detail(Resource::Prompts, id), "DELETE") => prompts::PROMPTS.destroy(state, id),
        (Route::List(Resource::Groups), "POST") => directory::create_group(state, &body()?),
        (Route::Detail(Resource::Groups, id), "GET") => directory::GROUPS.retrieve(state, id),
        (Route::Detail(Resource::Groups, id), "DELETE") => directory::GROUPS.destroy(state, id),
        (Route::List(Resource::Sources), "GET") => directory::list_sources(state, &query),
        (Route::MappingList, "GET") => mappings::list(state, &query),
        (Route::MappingList, "POST") => mappings::create(state, &body()?),
        (Route::MappingDetail(id), "GET") => mappings::retrieve(state, id),
        (Route::MappingDetail(id), "PUT" | "PATCH") => {
            mappings::retrieve(state, id)?;
            mappings::update(state, id, &body()?, mode)
        }
        (Route::MappingDetail(id), "DELETE") => mappings::destroy(state, id),
        (Route::MappingUsedBy(id), "GET") => mappings::used_by(state, id),
        (Route::Version, "GET") => Ok(version::retrieve(state.config.version)),
        _ => Err(ApiError::method_not_allowed(request.method)),
    }
}

/// `GET /stages/email/templates/`: the templates a fresh install offers.
fn email_templates() -> Reply {
    let items: Vec<Value> = other::EMAIL_TEMPLATES
        .iter()
        .map(|(name, description)| {
            json!({"name": name, "description": description, "component": "", "model_name": "", "requires_enterprise": false, "deprecated": false})
        })
        .collect();
    Reply::json(200, Value::Array(items))
}

/// DRF's JSON-only parsing: an empty body is `{}`; a body of another media type is a 415; bad
/// JSON is a 400 `{"detail": "JSON parse error - ..."}`; JSON `null` is "No data provided".
fn parse_body(request: &ApiRequest<'_>) -> Result<Value, ApiError> {
    if request.body.is_empty() {
        return Ok(json!({}));
    }
    let content_type = request.content_type.unwrap_or("");
    let media_type = content_type.split(';').next().unwrap_or("").trim();
    if !media_type.eq_ignore_ascii_case("application/json") {
        return Err(ApiError::unsupported_media_type(content_type));
    }
    match serde_json::from_slice(request.body) {
        Ok(Value::Null) => Err(ApiError {
            status: 400,
            body: ErrorBody::Json(json!({"non_field_errors": ["No data provided"]})),
        }),
        Ok(value) => Ok(value),
        Err(error) => Err(ApiError::parse_error(&error.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_requests() {
        let email = Some("stages/authenticator/email".to_string());
        let id = "/api/v3/stages/authenticator/email/0f3c5a4e-1b2c-4d5e-8f90-112233445566/";
        assert_eq!(
            classify("GET", "/api/v3/stages/authenticator/email/"),
            ("list", email.clone())
        );
        assert_eq!(
            classify("POST", "/api/v3/stages/authenticator/email/"),
            ("create", email.clone())
        );
        assert_eq!(classify("GET", id), ("retrieve", email.clone()));
        assert_eq!(classify("HEAD", id), ("retrieve", email.clone()));
        assert_eq!(classify("PATCH", id), ("update", email.clone()));
        assert_eq!(classify("PUT", id), ("update", email.clone()));
        assert_eq!(classify("DELETE", id), ("delete", email.clone()));
        assert_eq!(
            classify("GET", &format!("{id}used_by/")),
            ("used_by", email.clone())
        );
        assert_eq!(
            classify("GET", "/api/v3/flows/instances/x/"),
            ("retrieve", Some("flows/instances".to_string()))
        );
        assert_eq!(classify("OPTIONS", id), ("other", email));
        assert_eq!(classify("GET", "/api/v3/nothing/"), ("other", None));
        assert_eq!(
            classify("GET", "/api/v3/stages/authenticator/email"),
            ("other", None)
        );
    }
}
