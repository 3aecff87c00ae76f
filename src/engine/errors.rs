//! API errors as diagnostics: a 400 lands on the attribute it is about (nested indexes kept),
//! a 403 says what to do about the token, transport failures say which URL failed and how to
//! fix it. Nothing here ever includes the token, a header value or a secret.

use super::field::{DataSourceDef, Field, Kind, ResourceDef};
use crate::client::{ApiError, FieldPathStep};
use crate::protocol::{AttributePath, Diagnostic};

/// Diagnostics for an API error during `action` (e.g. "creating") on a resource.
pub fn api_error(def: &ResourceDef, action: &str, e: &ApiError) -> Vec<Diagnostic> {
    if let Some(d) = server_failure(def, action, e) {
        return vec![d];
    }
    errors_for(def.title, action, e, |api| def.field_by_api(api))
}

/// authentik answers a write that failed inside the server (an unhandled exception) with
/// `405 Method Not Allowed` and an empty body: its error page only allows GET. That is a server
/// error, not a wrong method; say so, with the request that caused it.
fn server_failure(def: &ResourceDef, action: &str, e: &ApiError) -> Option<Diagnostic> {
    let ApiError::Server {
        status: 405,
        detail,
    } = e
    else {
        return None;
    };
    if detail != "(empty body)" && !detail.trim().is_empty() {
        return None;
    }
    let request = match action {
        "creating" => format!("POST /api/v3/{}/", def.api_path),
        "updating" => format!("PATCH /api/v3/{}/<{}>/", def.api_path, def.id_key),
        "deleting" => format!("DELETE /api/v3/{}/<{}>/", def.api_path, def.id_key),
        _ => format!("a request to /api/v3/{}/", def.api_path),
    };
    Some(Diagnostic::error(
        format!("authentik failed with a server error while {action} the {}", def.title),
        format!(
            "authentik hit an internal error handling {request} and wrote nothing (it reports such failures as HTTP 405 with an empty body). This is a bug or a database constraint in authentik that its validation did not catch; the authentik server log has the details. Check the values of this {} (for example a name already used by another type of object), or report it to authentik.",
            def.title
        ),
    ))
}

/// Diagnostics for an API error while a data source looks its object up (a 400 names the
/// query parameter, which is the attribute's API name).
pub fn lookup_error(def: &DataSourceDef, e: &ApiError) -> Vec<Diagnostic> {
    errors_for(def.title, "looking up", e, |api| {
        def.attribute_by_api(api).map(|a| &a.field)
    })
}

/// Diagnostics for an API error while listing a resource type for `terraform query` (a 400
/// names the query parameter, which is the filter's name in the list block's `config`).
pub fn list_error(def: &ResourceDef, e: &ApiError) -> Vec<Diagnostic> {
    errors_for(&format!("{}s", def.title), "listing", e, |api| {
        def.list_filters.iter().find(|f| f.api == api)
    })
}

fn errors_for<'a>(
    title: &str,
    action: &str,
    e: &ApiError,
    field_by_api: impl Fn(&str) -> Option<&'a Field>,
) -> Vec<Diagnostic> {
    let summary = format!("authentik rejected {action} the {title}");
    match e {
        ApiError::Validation { errors } => errors
            .iter()
            .map(|fe| {
                let mut path: Option<AttributePath> = None;
                let mut where_ = String::new();
                let mut steps = fe.path.iter();
                if let Some(FieldPathStep::Field(api)) = steps.next() {
                    if let Some(f) = field_by_api(api) {
                        let mut p = AttributePath::attr(f.name);
                        for s in steps {
                            if let FieldPathStep::Index(i) = s {
                                // Set elements have no index in Terraform: point at the set.
                                if f.kind == Kind::StringSet {
                                    where_ = format!(" (element {i} as sent)");
                                } else {
                                    p = p.index(*i as i64);
                                }
                            }
                        }
                        path = Some(p);
                    } else if api != "non_field_errors" {
                        where_ = format!(" (field `{api}`)");
                    }
                }
                let d = Diagnostic::error(summary.clone(), format!("{}{where_}", fe.message));
                match path {
                    Some(p) => d.at(p),
                    None => d,
                }
            })
            .collect(),
        other => vec![Diagnostic::error(summary, other.to_string())],
    }
}
