//! Terraform's type system (cty) as seen by a provider: types, values (with null and unknown)
//! and lossless numbers. The wire codecs (msgpack, JSON) live in `codec` modules beside this one.

use std::collections::BTreeMap;
use std::fmt;

/// A Terraform type, as carried in schemas (`"string"`, `["list","string"]`, ...).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    /// `"string"`
    String,
    /// `"number"`
    Number,
    /// `"bool"`
    Bool,
    /// `"dynamic"`: the concrete type travels with the value.
    Dynamic,
    /// `["list", T]`
    List(Box<Type>),
    /// `["set", T]`
    Set(Box<Type>),
    /// `["map", T]`
    Map(Box<Type>),
    /// `["object", {name: T}]`
    Object(BTreeMap<String, Type>),
    /// `["tuple", [T...]]`
    Tuple(Vec<Type>),
}

impl Type {
    /// `["list", elem]`
    pub fn list(elem: Type) -> Type {
        Type::List(Box::new(elem))
    }
    /// `["set", elem]`
    pub fn set(elem: Type) -> Type {
        Type::Set(Box::new(elem))
    }
    /// `["map", elem]`
    pub fn map(elem: Type) -> Type {
        Type::Map(Box::new(elem))
    }
}

/// A lossless Terraform number.
///
/// Terraform numbers are arbitrary-precision decimals. Integers that fit in `i64` are kept as
/// such; everything else keeps its exact decimal text (normalised: no leading `+`, no redundant
/// zeros), so nothing is ever rounded on the way through the provider.
#[derive(Clone, Debug)]
pub enum Number {
    /// An integer that fits in 64 bits.
    Int(i64),
    /// Any other finite number as normalised decimal text (e.g. `"1.5"`, `"18446744073709551616"`).
    Decimal(String),
}

impl Number {
    /// The value as `i64` when it is an integer in range.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Number::Int(i) => Some(*i),
            Number::Decimal(_) => None,
        }
    }
    /// The nearest `f64` (may round).
    pub fn as_f64(&self) -> f64 {
        match self {
            Number::Int(i) => *i as f64,
            Number::Decimal(s) => s.parse().unwrap_or(f64::NAN),
        }
    }
    /// Build from an `f64`; integral values in `i64` range become `Int`. `None` for NaN/inf.
    pub fn from_f64(f: f64) -> Option<Number> {
        if !f.is_finite() {
            return None;
        }
        if f.fract() == 0.0 && f >= i64::MIN as f64 && f < i64::MAX as f64 {
            return Some(Number::Int(f as i64));
        }
        Number::parse(&format!("{f}"))
    }
    /// Parse decimal text (`-12`, `1.50`, `1e3`, `18446744073709551616`) into canonical form.
    pub fn parse(text: &str) -> Option<Number> {
        crate::protocol::number::parse_decimal(text)
    }
}

impl PartialEq for Number {
    fn eq(&self, other: &Self) -> bool {
        // Both forms are canonical, so equal numbers have equal representations.
        match (self, other) {
            (Number::Int(a), Number::Int(b)) => a == b,
            (Number::Decimal(a), Number::Decimal(b)) => a == b,
            _ => false,
        }
    }
}
impl Eq for Number {}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Int(i) => write!(f, "{i}"),
            Number::Decimal(s) => f.write_str(s),
        }
    }
}

impl From<i64> for Number {
    fn from(i: i64) -> Self {
        Number::Int(i)
    }
}

/// A Terraform value. Collections hold their elements in wire order; for sets the order means
/// nothing and equality of sets must be checked with [`Value::semantic_eq`].
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Value {
    /// Known to be absent.
    #[default]
    Null,
    /// Not known until apply. Refinements sent by newer Terraform are accepted and dropped.
    Unknown,
    /// A bool.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// A list (ordered).
    List(Vec<Value>),
    /// A set (unordered, no duplicates).
    Set(Vec<Value>),
    /// A map of string to element.
    Map(BTreeMap<String, Value>),
    /// An object: every attribute of its type is present (null when unset).
    Object(BTreeMap<String, Value>),
    /// A tuple.
    Tuple(Vec<Value>),
    /// A value whose schema type is `dynamic`: it carries its concrete type.
    Dynamic(Type, Box<Value>),
}

impl Value {
    /// True for `Value::Null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
    /// True for `Value::Unknown`.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown)
    }
    /// True when this value or anything nested in it is unknown.
    pub fn contains_unknown(&self) -> bool {
        match self {
            Value::Unknown => true,
            Value::List(v) | Value::Set(v) | Value::Tuple(v) => {
                v.iter().any(Value::contains_unknown)
            }
            Value::Map(m) | Value::Object(m) => m.values().any(Value::contains_unknown),
            Value::Dynamic(_, v) => v.contains_unknown(),
            _ => false,
        }
    }
    /// The string, when this is a known string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    /// The bool, when this is a known bool.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
    /// The number, when this is a known number.
    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }
    /// The elements of a known list, set or tuple.
    pub fn as_elements(&self) -> Option<&[Value]> {
        match self {
            Value::List(v) | Value::Set(v) | Value::Tuple(v) => Some(v),
            _ => None,
        }
    }
    /// The attributes of a known object (or the entries of a map).
    pub fn as_object(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Object(m) | Value::Map(m) => Some(m),
            _ => None,
        }
    }
    /// Attribute `name` of an object; `Null` when absent or when self is not an object.
    pub fn get(&self, name: &str) -> &Value {
        static NULL: Value = Value::Null;
        match self {
            Value::Object(m) => m.get(name).unwrap_or(&NULL),
            _ => &NULL,
        }
    }
    /// Equality where sets compare as sets (order and duplicates ignored), recursively.
    pub fn semantic_eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Set(a), Value::Set(b)) => {
                a.iter().all(|x| b.iter().any(|y| x.semantic_eq(y)))
                    && b.iter().all(|y| a.iter().any(|x| x.semantic_eq(y)))
            }
            (Value::List(a), Value::List(b)) | (Value::Tuple(a), Value::Tuple(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.semantic_eq(y))
            }
            (Value::Map(a), Value::Map(b)) | (Value::Object(a), Value::Object(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .all(|(k, x)| b.get(k).is_some_and(|y| x.semantic_eq(y)))
            }
            (Value::Dynamic(ta, a), Value::Dynamic(tb, b)) => ta == tb && a.semantic_eq(b),
            _ => self == other,
        }
    }
}
