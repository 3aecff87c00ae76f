//! Resource identity (Terraform 1.12+): every resource is identified by its stage's UUID, so
//! the identity of every type is the same one attribute, `id`, always in authentik's own
//! spelling (lower-case, hyphenated) whatever spelling the user or the state has.

use super::checks::normalize_uuid;
use super::field::ResourceDef;
use crate::protocol::{Diagnostic, IdentityAttribute, IdentitySchema, Type, Value};
use std::collections::BTreeMap;

/// Identity schema version of every resource.
pub const IDENTITY_VERSION: i64 = 0;

/// The identity attribute.
pub const ID: &str = "id";

/// The identity schema of a resource type.
pub fn identity_schema(def: &ResourceDef) -> IdentitySchema {
    IdentitySchema {
        version: IDENTITY_VERSION,
        attributes: vec![IdentityAttribute {
            name: ID.into(),
            ty: Type::String,
            description: format!(
                "The {}'s UUID (authentik's `pk`). Any case, with or without hyphens, is accepted on import; Terraform stores it lower-case and hyphenated.",
                def.title
            ),
            required_for_import: true,
            optional_for_import: false,
        }],
    }
}

/// The identity value for a stage UUID in any spelling (null when it is not a UUID).
pub fn identity_for(id: &str) -> Value {
    match normalize_uuid(id) {
        Some(canonical) => {
            Value::Object(BTreeMap::from([(ID.to_string(), Value::String(canonical))]))
        }
        None => Value::Null,
    }
}

/// The identity of a resource state: null while the state names no object yet (a planned
/// create, whose `id` is unknown). It is the object's UUID, also where `id` is another key (a
/// flow's slug, which can change; the UUID never does).
pub fn identity_of(def: &ResourceDef, state: &Value) -> Value {
    state
        .get(def.uuid_attr())
        .as_str()
        .map_or(Value::Null, identity_for)
}

/// The stage UUID an `import` block's `identity` names, in authentik's spelling.
pub fn id_from_identity(def: &ResourceDef, identity: &Value) -> Result<String, Diagnostic> {
    let given = identity.get(ID);
    match given.as_str().map(|s| (s, normalize_uuid(s))) {
        Some((_, Some(canonical))) => Ok(canonical),
        Some((text, None)) => Err(Diagnostic::error(
            format!("Invalid identity for {}", def.type_name),
            format!(
                "The identity `id` {text:?} is not a UUID. It must be the {}'s UUID (authentik's `pk`, any case, with or without hyphens), e.g. `identity = {{ id = \"0f3c5a4e-1b2c-4d5e-8f90-112233445566\" }}`. To import by name, use `id = \"name:<name>\"` instead of `identity`.",
                def.title
            ),
        )),
        None => Err(Diagnostic::error(
            format!("Invalid identity for {}", def.type_name),
            format!(
                "The identity has no `id`. Give the {}'s UUID: `identity = {{ id = \"<uuid>\" }}`.",
                def.title
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::sms::SMS;

    #[test]
    fn identity_is_the_canonical_uuid() {
        let state = Value::Object(BTreeMap::from([(
            "id".to_string(),
            Value::String("0F3C5A4E1B2C4D5E8F90112233445566".into()),
        )]));
        assert_eq!(
            identity_of(&SMS, &state).get(ID).as_str(),
            Some("0f3c5a4e-1b2c-4d5e-8f90-112233445566")
        );
        let planned = Value::Object(BTreeMap::from([("id".to_string(), Value::Unknown)]));
        assert!(identity_of(&SMS, &planned).is_null());
        assert!(identity_of(&SMS, &Value::Null).is_null());
    }

    #[test]
    fn identity_input_accepts_any_spelling_and_rejects_the_rest() {
        let id = |s: &str| {
            id_from_identity(
                &SMS,
                &Value::Object(BTreeMap::from([(ID.to_string(), Value::String(s.into()))])),
            )
        };
        assert_eq!(
            id("0F3C5A4E1B2C4D5E8F90112233445566").ok().as_deref(),
            Some("0f3c5a4e-1b2c-4d5e-8f90-112233445566")
        );
        assert_eq!(
            id("0F3C5A4E-1B2C-4D5E-8F90-112233445566").ok().as_deref(),
            Some("0f3c5a4e-1b2c-4d5e-8f90-112233445566")
        );
        let bad = id("my-stage").expect_err("a name is no identity");
        assert!(bad.detail.contains("not a UUID") && bad.detail.contains("name:"));
        assert!(id_from_identity(&SMS, &Value::Null).is_err());
    }
}
