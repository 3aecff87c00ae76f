//! Resource schemas generated from the attribute table.

use super::convert::tf_type;
use super::field::{wo_name, wo_version_name, Dflt, Field, Mode, ResourceDef};
use crate::protocol::{Attribute, Block, Schema, Type};

/// State schema version of every resource.
pub const SCHEMA_VERSION: i64 = 0;

/// The Terraform schema of a resource.
pub fn resource_schema(def: &ResourceDef) -> Schema {
    let mut attributes = vec![Attribute {
        name: "id".into(),
        ty: Some(Type::String),
        description: match def.id_field() {
            Some(f) => format!(
                "The {}'s `{}`, which addresses it in authentik's API; it follows a change of `{}`. Also the import ID (the UUID in `{}` works too).",
                def.title, f.name, f.name, def.uuid_attr()
            ),
            None => format!(
                "The {}'s UUID (authentik's `pk`), also the import ID.",
                def.title
            ),
        },
        computed: true,
        ..Default::default()
    }];
    for f in def.fields {
        attributes.push(field_attribute(f));
        if f.write_only_twin {
            attributes.push(Attribute {
                name: wo_name(f),
                ty: Some(Type::String),
                description: format!(
                    "Write-only twin of `{}` (Terraform 1.11 and later): sent to authentik but never stored in plan or state. Set exactly one of `{}` and `{}`. Change `{}` to send a new value.",
                    f.name, f.name, wo_name(f), wo_version_name(f)
                ),
                optional: true,
                sensitive: true,
                write_only: true,
                ..Default::default()
            });
            attributes.push(Attribute {
                name: wo_version_name(f),
                ty: Some(Type::Number),
                description: format!(
                    "Any number; change it to send `{}` again (rotation). Write-only values are not in state, so Terraform cannot see when they change.",
                    wo_name(f)
                ),
                optional: true,
                ..Default::default()
            });
        }
    }
    Schema {
        version: SCHEMA_VERSION,
        block: Block {
            attributes,
            description: def.doc.to_string(),
            deprecated: false,
        },
    }
}

fn field_attribute(f: &Field) -> Attribute {
    let (required, optional, computed) = match f.mode {
        // A secret with a write-only twin can come from either attribute.
        Mode::Required if f.write_only_twin => (false, true, false),
        Mode::Required => (true, false, false),
        // May be left out for an existing object, and then planned as the value in state:
        // optional and computed.
        Mode::RequiredToCreate => (false, true, true),
        Mode::Nullable => (false, true, false),
        Mode::Default(_) | Mode::Versioned(_) => (false, true, true),
        Mode::ReadOnly => (false, false, true),
    };
    Attribute {
        name: f.name.to_string(),
        ty: Some(tf_type(f.kind)),
        description: describe(f),
        required,
        optional,
        computed,
        sensitive: f.sensitive,
        ..Default::default()
    }
}

/// The full description of a field: its doc plus default and allowed values.
pub fn describe(f: &Field) -> String {
    let mut s = f.doc.to_string();
    if f.never_returned {
        s.push_str(" authentik never returns it: the value is kept from the configuration and state, so a change made outside Terraform cannot be seen, and after an import it is empty in state (authentik's value left alone) until the configuration sets it.");
    }
    if let super::field::Check::OneOf(values) = f.check {
        let list = values
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", ");
        s.push_str(&format!(" Allowed values: {list}."));
    }
    match f.mode {
        Mode::Default(d) if f.is_secret() => s.push_str(&format!(
            " Left out, a new stage gets {} (the server's default). For one that already exists (imported, adopted, or set here before), leaving it and `{}` out manages nothing: the plan shows no change, nothing is sent and authentik keeps its value, so removing it from the configuration does not clear it. To clear it, set it to {}.",
            show_default(d),
            wo_name(f),
            show_default(d)
        )),
        Mode::Default(d) if f.server_default => s.push_str(&format!(" Defaults to {} (the server's default).", show_default(d))),
        Mode::Default(d) => s.push_str(&format!(
            " Defaults to {} (authentik itself has no default and requires a value; this is the official provider's default, sent when the attribute is left out).",
            show_default(d)
        )),
        Mode::Versioned(d) => s.push_str(&format!(
            " Only on authentik 2026.5 and later; the server's default is {}. Left out, it is not sent and is read back when the server has it. Set on an older authentik, the apply fails with \"`{}` needs a newer authentik\" (see *Supported versions* on the provider page).",
            show_default(d),
            f.name
        )),
        Mode::Nullable => s.push_str(" Left out, it is `null` (none)."),
        Mode::Required if f.write_only_twin => s.push_str(&format!(
            " Required: set it or, on Terraform 1.11 and later, its write-only twin `{}`.",
            wo_name(f)
        )),
        Mode::Required | Mode::ReadOnly => {}
        Mode::RequiredToCreate => {
            let twin = if f.write_only_twin {
                format!(" or, on Terraform 1.11 and later, its write-only twin `{}`", wo_name(f))
            } else {
                String::new()
            };
            s.push_str(&format!(
                " Required to create: set it{twin}. Optional for one that already exists in authentik (imported, or adopted with generated configuration): left out, it is not managed; the plan shows no change for it, nothing is sent and authentik keeps its value. Setting it later sends it once. Removing it from the configuration again sends nothing either: authentik keeps the last value sent (to change it, set the new value)."
            ));
        }
    }
    s
}

fn show_default(d: Dflt) -> String {
    match d {
        Dflt::Str(v) => format!("`{v:?}`"),
        Dflt::Bool(b) => format!("`{b}`"),
        Dflt::Int(i) => format!("`{i}`"),
        Dflt::Strs(v) => format!(
            "`[{}]`",
            v.iter()
                .map(|x| format!("{x:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// An object of the resource's type with every attribute null (what Terraform sends for an
/// empty configuration), to fill in.
pub fn null_object(
    def: &ResourceDef,
) -> std::collections::BTreeMap<String, crate::protocol::Value> {
    resource_schema(def)
        .block
        .attributes
        .into_iter()
        .map(|a| (a.name, crate::protocol::Value::Null))
        .collect()
}
