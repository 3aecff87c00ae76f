//! The JSON form of types, as schemas and dynamic values carry them: `"string"`,
//! `["list","string"]`, `["object",{"a":"number"}]`, `["tuple",["bool"]]`, `"dynamic"`.

use super::json::parse_json;
use super::{DecodeError, MAX_DEPTH};
use crate::protocol::value::Type;
use serde::{Serialize, Serializer};
use serde_json::Value as Node;
use std::collections::BTreeMap;

/// Parse a type from its JSON form. The optional-attributes list that type constraints may
/// carry (`["object",{...},["a"]]`) is accepted and ignored.
pub fn parse_type_json(bytes: &[u8]) -> Result<Type, DecodeError> {
    let node = parse_json(bytes)?;
    type_from_node(&node, 0)
}

pub(crate) fn type_from_node(node: &Node, depth: usize) -> Result<Type, DecodeError> {
    if depth > MAX_DEPTH {
        return Err(DecodeError::InvalidType(format!(
            "nested deeper than {MAX_DEPTH} levels"
        )));
    }
    let bad = |what: &str| DecodeError::InvalidType(what.to_owned());
    match node {
        Node::String(s) => match s.as_str() {
            "string" => Ok(Type::String),
            "number" => Ok(Type::Number),
            "bool" => Ok(Type::Bool),
            "dynamic" => Ok(Type::Dynamic),
            other => Err(DecodeError::InvalidType(format!(
                "unknown primitive type {other:?}"
            ))),
        },
        Node::Array(items) => {
            let Some(Node::String(kind)) = items.first() else {
                return Err(bad("a compound type must start with its kind"));
            };
            let arg = items.get(1).ok_or_else(|| bad("missing type argument"))?;
            let extra_ok = kind == "object" && items.len() == 3;
            if items.len() != 2 && !extra_ok {
                return Err(bad("wrong number of elements in a compound type"));
            }
            match kind.as_str() {
                "list" => Ok(Type::List(Box::new(type_from_node(arg, depth + 1)?))),
                "set" => Ok(Type::Set(Box::new(type_from_node(arg, depth + 1)?))),
                "map" => Ok(Type::Map(Box::new(type_from_node(arg, depth + 1)?))),
                "object" => {
                    let Node::Object(members) = arg else {
                        return Err(bad("object attributes must be a JSON object"));
                    };
                    let mut attrs = BTreeMap::new();
                    for (name, t) in members {
                        attrs.insert(name.clone(), type_from_node(t, depth + 1)?);
                    }
                    if let Some(opt) = items.get(2) {
                        if !matches!(opt, Node::Array(names) if names.iter().all(Node::is_string)) {
                            return Err(bad("optional attributes must be a list of names"));
                        }
                    }
                    Ok(Type::Object(attrs))
                }
                "tuple" => {
                    let Node::Array(elems) = arg else {
                        return Err(bad("tuple elements must be a JSON array"));
                    };
                    elems
                        .iter()
                        .map(|t| type_from_node(t, depth + 1))
                        .collect::<Result<Vec<_>, _>>()
                        .map(Type::Tuple)
                }
                other => Err(DecodeError::InvalidType(format!(
                    "unknown type kind {other:?}"
                ))),
            }
        }
        _ => Err(bad("a type is a string or an array")),
    }
}

/// The JSON form of a type, compact, with object attributes in name order (as cty writes it).
pub fn type_to_json(ty: &Type) -> String {
    // Serialising a type cannot fail: every map key is a string and no impl returns an error.
    serde_json::to_string(&TypeJson(ty)).unwrap_or_default()
}

/// A type seen as its JSON form: `"string"`, `["list",T]`, `["object",{"a":T}]`,
/// `["tuple",[T,...]]`.
pub(crate) struct TypeJson<'a>(pub(crate) &'a Type);

impl Serialize for TypeJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Type::String => s.serialize_str("string"),
            Type::Number => s.serialize_str("number"),
            Type::Bool => s.serialize_str("bool"),
            Type::Dynamic => s.serialize_str("dynamic"),
            Type::List(e) => ("list", TypeJson(e)).serialize(s),
            Type::Set(e) => ("set", TypeJson(e)).serialize(s),
            Type::Map(e) => ("map", TypeJson(e)).serialize(s),
            Type::Object(attrs) => ("object", Attrs(attrs)).serialize(s),
            Type::Tuple(elems) => ("tuple", Elems(elems)).serialize(s),
        }
    }
}

/// An object type's attributes as a JSON object, in name order.
struct Attrs<'a>(&'a BTreeMap<String, Type>);

impl Serialize for Attrs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(name, t)| (name, TypeJson(t))))
    }
}

/// A tuple type's element types as a JSON array.
struct Elems<'a>(&'a [Type]);

impl Serialize for Elems<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(TypeJson))
    }
}

impl Type {
    /// This type's JSON form (`"string"`, `["list","string"]`, ...), as schemas carry it.
    pub fn to_json(&self) -> String {
        type_to_json(self)
    }

    /// Parse a type from its JSON form.
    pub fn from_json(bytes: &[u8]) -> Result<Type, DecodeError> {
        parse_type_json(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for text in [
            r#""string""#,
            r#""number""#,
            r#""bool""#,
            r#""dynamic""#,
            r#"["list","string"]"#,
            r#"["set",["map","number"]]"#,
            r#"["object",{"a":"string","b":["list","bool"]}]"#,
            r#"["tuple",["string","number"]]"#,
            r#"["object",{}]"#,
        ] {
            let ty = parse_type_json(text.as_bytes()).expect("valid type");
            assert_eq!(type_to_json(&ty), text);
        }
    }

    #[test]
    fn optional_attributes_tolerated() {
        let ty = parse_type_json(br#"["object",{"a":"string"},["a"]]"#).expect("valid");
        assert_eq!(
            ty,
            Type::Object([("a".to_owned(), Type::String)].into_iter().collect())
        );
    }

    #[test]
    fn rejects_garbage() {
        for text in [
            "",
            "42",
            r#""strin""#,
            r#"["list"]"#,
            r#"["list","string","x"]"#,
            r#"["object",["a"]]"#,
            r#"["frob","string"]"#,
            r#"["object",{"a":"string"},[1]]"#,
        ] {
            assert!(parse_type_json(text.as_bytes()).is_err(), "{text}");
        }
        let deep = format!("{}\"string\"{}", "[\"list\",".repeat(200), "]".repeat(200));
        assert!(parse_type_json(deep.as_bytes()).is_err());
    }
}
