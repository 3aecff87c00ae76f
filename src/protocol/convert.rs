//! Conversions between the interface types ([`Diagnostic`], [`AttributePath`], [`Schema`],
//! [`ClientCapabilities`]) and their protobuf messages.

use super::diag::{AttributePath, Diagnostic, PathStep, Severity};
use super::pb::tfplugin6 as pb;
use super::provider::ClientCapabilities;
use super::schema::{Attribute, Block, IdentitySchema, Schema};
use super::value::Type;

/// A diagnostic as protobuf.
pub fn diagnostic_to_pb(d: &Diagnostic) -> pb::Diagnostic {
    pb::Diagnostic {
        severity: match d.severity {
            Severity::Error => pb::diagnostic::Severity::Error,
            Severity::Warning => pb::diagnostic::Severity::Warning,
        } as i32,
        summary: d.summary.clone(),
        detail: d.detail.clone(),
        attribute: d.attribute.as_ref().map(path_to_pb),
    }
}

/// Diagnostics as protobuf.
pub fn diagnostics_to_pb(ds: &[Diagnostic]) -> Vec<pb::Diagnostic> {
    ds.iter().map(diagnostic_to_pb).collect()
}

/// A protobuf diagnostic as the interface type (`INVALID` severity reads as an error).
pub fn diagnostic_from_pb(d: &pb::Diagnostic) -> Diagnostic {
    Diagnostic {
        severity: if d.severity == pb::diagnostic::Severity::Warning as i32 {
            Severity::Warning
        } else {
            Severity::Error
        },
        summary: d.summary.clone(),
        detail: d.detail.clone(),
        attribute: d.attribute.as_ref().map(path_from_pb),
    }
}

/// An attribute path as protobuf.
pub fn path_to_pb(p: &AttributePath) -> pb::AttributePath {
    use pb::attribute_path::step::Selector;
    pb::AttributePath {
        steps: p
            .0
            .iter()
            .map(|s| pb::attribute_path::Step {
                selector: Some(match s {
                    PathStep::Attribute(a) => Selector::AttributeName(a.clone()),
                    PathStep::Key(k) => Selector::ElementKeyString(k.clone()),
                    PathStep::Index(i) => Selector::ElementKeyInt(*i),
                }),
            })
            .collect(),
    }
}

/// A protobuf attribute path as the interface type (steps without a selector are skipped).
pub fn path_from_pb(p: &pb::AttributePath) -> AttributePath {
    use pb::attribute_path::step::Selector;
    AttributePath(
        p.steps
            .iter()
            .filter_map(|s| {
                Some(match s.selector.as_ref()? {
                    Selector::AttributeName(a) => PathStep::Attribute(a.clone()),
                    Selector::ElementKeyString(k) => PathStep::Key(k.clone()),
                    Selector::ElementKeyInt(i) => PathStep::Index(*i),
                })
            })
            .collect(),
    )
}

/// Client capabilities from protobuf (absent: an old client that supports nothing extra).
pub fn client_capabilities_from_pb(c: Option<&pb::ClientCapabilities>) -> ClientCapabilities {
    c.map(|c| ClientCapabilities {
        deferral_allowed: c.deferral_allowed,
        write_only_attributes_allowed: c.write_only_attributes_allowed,
    })
    .unwrap_or_default()
}

/// A schema as protobuf. Descriptions are markdown.
pub fn schema_to_pb(s: &Schema) -> pb::Schema {
    pb::Schema {
        version: s.version,
        block: Some(block_to_pb(&s.block, s.version)),
    }
}

/// An identity schema as protobuf.
pub fn identity_schema_to_pb(s: &IdentitySchema) -> pb::ResourceIdentitySchema {
    pb::ResourceIdentitySchema {
        version: s.version,
        identity_attributes: s
            .attributes
            .iter()
            .map(|a| pb::resource_identity_schema::IdentityAttribute {
                name: a.name.clone(),
                r#type: a.ty.to_json().into_bytes(),
                required_for_import: a.required_for_import,
                optional_for_import: a.optional_for_import,
                description: a.description.clone(),
            })
            .collect(),
    }
}

fn block_to_pb(b: &Block, version: i64) -> pb::schema::Block {
    pb::schema::Block {
        version,
        attributes: b.attributes.iter().map(attribute_to_pb).collect(),
        block_types: Vec::new(),
        description: b.description.clone(),
        description_kind: pb::StringKind::Markdown as i32,
        deprecated: b.deprecated,
    }
}

fn attribute_to_pb(a: &Attribute) -> pb::schema::Attribute {
    pb::schema::Attribute {
        name: a.name.clone(),
        r#type: a
            .ty
            .as_ref()
            .unwrap_or(&Type::Dynamic)
            .to_json()
            .into_bytes(),
        nested_type: None,
        description: a.description.clone(),
        required: a.required,
        optional: a.optional,
        computed: a.computed,
        sensitive: a.sensitive,
        description_kind: pb::StringKind::Markdown as i32,
        deprecated: a.deprecated,
        write_only: a.write_only,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_round_trip() {
        let p = AttributePath::attr("headers").key("X-A").index(3);
        let pbp = path_to_pb(&p);
        assert_eq!(pbp.steps.len(), 3);
        assert_eq!(path_from_pb(&pbp), p);
    }

    #[test]
    fn diagnostics_map_severity_and_path() {
        let d = Diagnostic::warning("w", "detail").at(AttributePath::attr("url"));
        let p = diagnostic_to_pb(&d);
        assert_eq!(p.severity, pb::diagnostic::Severity::Warning as i32);
        assert_eq!(diagnostic_from_pb(&p), d);
        let e = diagnostic_to_pb(&Diagnostic::error("e", ""));
        assert_eq!(e.severity, pb::diagnostic::Severity::Error as i32);
        assert!(e.attribute.is_none());
    }

    #[test]
    fn schema_carries_flags_and_types() {
        let s = Schema {
            version: 2,
            block: Block {
                attributes: vec![Attribute {
                    name: "token".into(),
                    ty: Some(Type::String),
                    sensitive: true,
                    optional: true,
                    write_only: true,
                    ..Default::default()
                }],
                ..Default::default()
            },
        };
        let p = schema_to_pb(&s);
        assert_eq!(p.version, 2);
        let a = &p
            .block
            .as_ref()
            .map(|b| b.attributes.clone())
            .unwrap_or_default()[0];
        assert_eq!(a.r#type, b"\"string\"");
        assert!(a.sensitive && a.optional && a.write_only && !a.required);
    }
}
