//! API errors as diagnostics: a 400 lands on the attribute it is about (nested indexes kept),
//! a 403 says what to do about the token, transport failures say which URL failed and how to
//! fix it. Nothing here ever includes the token, a header value or a secret.

use super::field::{DataSourceDef, Field, Kind, ResourceDef};
use crate::client::{ApiError, ErrorClass, FieldPathStep};
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

/// The heading of an API error's diagnostics, true to its cause: authentik out of reach,
/// silent, failing or refusing the request (the detail then says exactly what happened).
pub fn summary(title: &str, action: &str, e: &ApiError) -> String {
    match (e.class(), e) {
        (ErrorClass::Unreachable, _) => {
            format!("could not reach authentik while {action} the {title}")
        }
        (ErrorClass::NoAnswer, _) => {
            format!("authentik did not answer in time while {action} the {title}")
        }
        (ErrorClass::ConnectionLost, _) => {
            format!("the connection to authentik broke while {action} the {title}")
        }
        (ErrorClass::ServerError, _) => format!(
            "authentik answered HTTP {} while {action} the {title}",
            e.status().unwrap_or(500)
        ),
        (ErrorClass::Rejected, _) => format!("authentik rejected {action} the {title}"),
        (ErrorClass::Other, ApiError::Cancelled) => {
            format!("cancelled while {action} the {title}")
        }
        (ErrorClass::Other, ApiError::CreateUnsettled { .. }) => {
            format!("could not tell whether authentik completed {action} the {title}")
        }
        (ErrorClass::Other, ApiError::Config { .. }) => {
            format!("invalid provider configuration for {action} the {title}")
        }
        (ErrorClass::Other, _) => format!("failed {action} the {title}"),
    }
}

fn errors_for<'a>(
    title: &str,
    action: &str,
    e: &ApiError,
    field_by_api: impl Fn(&str) -> Option<&'a Field>,
) -> Vec<Diagnostic> {
    let summary = summary(title, action, e);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::TransportKind;

    fn transport(kind: TransportKind) -> ApiError {
        ApiError::Transport {
            url: "http://127.0.0.1:9/api/v3/stages/authenticator/static/".into(),
            kind,
            message: "POST http://127.0.0.1:9/api/v3/stages/authenticator/static/: could not connect (Connection refused)".into(),
        }
    }

    #[test]
    fn headings_say_what_happened() {
        let t = "static authenticator setup stage";
        let s = |e: &ApiError| summary(t, "creating", e);
        assert_eq!(
            s(&transport(TransportKind::Connect)),
            "could not reach authentik while creating the static authenticator setup stage"
        );
        assert!(s(&transport(TransportKind::Tls)).starts_with("could not reach authentik"));
        assert!(
            s(&transport(TransportKind::Timeout)).starts_with("authentik did not answer in time")
        );
        assert!(s(&transport(TransportKind::Dropped)).contains("connection to authentik broke"));
        let busy = ApiError::Server {
            status: 503,
            detail: "Service Unavailable".into(),
        };
        assert!(
            s(&busy).starts_with("authentik answered HTTP 503"),
            "{}",
            s(&busy)
        );
        let invalid = ApiError::Validation { errors: vec![] };
        assert_eq!(
            s(&invalid),
            "authentik rejected creating the static authenticator setup stage"
        );
        assert!(!s(&ApiError::Cancelled).contains("rejected"));
    }

    #[test]
    fn an_unreachable_server_keeps_the_request_in_the_detail() {
        let e = transport(TransportKind::Connect);
        let diags = errors_for("email stage", "creating", &e, |_| None);
        assert_eq!(diags.len(), 1);
        assert!(diags[0].summary.starts_with("could not reach authentik"));
        assert!(
            diags[0].detail.contains("POST http://127.0.0.1:9/"),
            "{:?}",
            diags[0]
        );
        assert!(diags[0].detail.contains("Connection refused"));
    }
}
