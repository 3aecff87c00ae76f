//! API errors as diagnostics: a 400 lands on the attribute it is about (nested indexes kept),
//! a 403 says what to do about the token, transport failures say which URL failed and how to
//! fix it. Nothing here ever includes the token, a header value or a secret.

use super::field::{DataSourceDef, Field, Kind, ResourceDef};
use crate::client::{ApiError, FieldPathStep};
use crate::protocol::{AttributePath, Diagnostic};

/// Diagnostics for an API error during `action` (e.g. "creating") on a resource.
pub fn api_error(def: &ResourceDef, action: &str, e: &ApiError) -> Vec<Diagnostic> {
    errors_for(def.title, action, e, |api| def.field_by_api(api))
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
        super::listing::FILTERS.iter().find(|f| f.api == api)
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
