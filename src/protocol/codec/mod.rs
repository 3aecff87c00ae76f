//! Wire codecs for Terraform values: cty's msgpack encoding (what Terraform sends in every
//! `DynamicValue`), cty's JSON encoding (raw state handed to `UpgradeResourceState`) and the
//! JSON form of types used in schemas.
//!
//! Every decoder is driven by the expected [`Type`](super::Type), returns a typed error naming
//! where in the value it failed, never panics and bounds its recursion depth
//! ([`MAX_DEPTH`]), so hostile or corrupt input cannot take the provider down.

pub mod json;
pub mod msgpack;
pub mod numbers;
pub mod types;

pub use types::{parse_type_json, type_to_json};

/// Deepest nesting of values or types any decoder accepts.
pub const MAX_DEPTH: usize = 64;

/// Why a value or type could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The input ended in the middle of a value.
    #[error("unexpected end of input at {path}")]
    UnexpectedEof {
        /// Where in the value.
        path: String,
    },
    /// Bytes were left after the top-level value.
    #[error("{0} unexpected bytes after the value")]
    TrailingBytes(usize),
    /// The value nests deeper than [`MAX_DEPTH`].
    #[error("value nested deeper than {max} levels at {path}")]
    TooDeep {
        /// The limit.
        max: usize,
        /// Where in the value.
        path: String,
    },
    /// The encoded item does not fit the expected type.
    #[error("expected {expected} at {path}, found {found}")]
    Mismatch {
        /// What the type asks for.
        expected: String,
        /// What the input holds.
        found: String,
        /// Where in the value.
        path: String,
    },
    /// An object attribute that the type does not have.
    #[error("unsupported attribute {name:?} at {path}")]
    UnexpectedAttribute {
        /// The attribute name.
        name: String,
        /// Where in the value.
        path: String,
    },
    /// A tuple of the wrong length.
    #[error("expected a tuple of {expected} elements at {path}, found {found}")]
    TupleLength {
        /// Length of the tuple type.
        expected: usize,
        /// Length found.
        found: usize,
        /// Where in the value.
        path: String,
    },
    /// A string that is not UTF-8.
    #[error("invalid UTF-8 in a string at {path}")]
    InvalidUtf8 {
        /// Where in the value.
        path: String,
    },
    /// A number that is not a finite decimal.
    #[error("invalid number {text:?} at {path}")]
    InvalidNumber {
        /// The offending text (numbers are not secrets in practice, but keep it short).
        text: String,
        /// Where in the value.
        path: String,
    },
    /// A msgpack extension other than unknown values.
    #[error("unsupported msgpack extension type {ext} at {path}")]
    UnsupportedExtension {
        /// The extension type code.
        ext: i8,
        /// Where in the value.
        path: String,
    },
    /// A byte that starts no msgpack item this decoder accepts.
    #[error("invalid msgpack marker 0x{marker:02x} at {path}")]
    InvalidMarker {
        /// The marker byte.
        marker: u8,
        /// Where in the value.
        path: String,
    },
    /// Malformed JSON syntax.
    #[error("invalid JSON at byte {offset}: {reason}")]
    Syntax {
        /// Byte offset of the problem.
        offset: usize,
        /// What was wrong.
        reason: String,
    },
    /// A type description that is not one of cty's type JSON forms.
    #[error("invalid type description: {0}")]
    InvalidType(String),
    /// JSON attempted to carry a dynamic value without both `value` and `type`.
    #[error("dynamic value at {path} needs \"value\" and \"type\"")]
    InvalidDynamic {
        /// Where in the value.
        path: String,
    },
}

/// Why a value could not be encoded for the given type.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// The value's kind does not fit the type.
    #[error("cannot encode {found} as {expected} at {path}")]
    Mismatch {
        /// What the type asks for.
        expected: String,
        /// What the value is.
        found: String,
        /// Where in the value.
        path: String,
    },
    /// An object attribute that the type does not have.
    #[error("attribute {name:?} at {path} is not in the type")]
    UnexpectedAttribute {
        /// The attribute name.
        name: String,
        /// Where in the value.
        path: String,
    },
    /// A tuple of the wrong length.
    #[error("expected a tuple of {expected} elements at {path}, found {found}")]
    TupleLength {
        /// Length of the tuple type.
        expected: usize,
        /// Length found.
        found: usize,
        /// Where in the value.
        path: String,
    },
    /// Unknown values cannot be written as JSON.
    #[error("unknown value at {path} cannot be encoded as JSON")]
    UnknownInJson {
        /// Where in the value.
        path: String,
    },
    /// The value nests deeper than [`MAX_DEPTH`].
    #[error("value nested deeper than {max} levels at {path}")]
    TooDeep {
        /// The limit.
        max: usize,
        /// Where in the value.
        path: String,
    },
    /// A collection too large for msgpack's 32-bit lengths.
    #[error("collection too large at {path}")]
    TooLarge {
        /// Where in the value.
        path: String,
    },
}

/// A path inside a value being decoded or encoded, kept as a stack of steps and rendered only
/// when an error needs it.
#[derive(Default)]
pub(crate) struct PathTracker {
    steps: Vec<Step>,
}

enum Step {
    Attr(String),
    Key(String),
    Index(usize),
}

impl PathTracker {
    pub(crate) fn attr(&mut self, name: &str) {
        self.steps.push(Step::Attr(name.to_owned()));
    }
    pub(crate) fn key(&mut self, key: &str) {
        self.steps.push(Step::Key(key.to_owned()));
    }
    pub(crate) fn index(&mut self, i: usize) {
        self.steps.push(Step::Index(i));
    }
    pub(crate) fn pop(&mut self) {
        self.steps.pop();
    }
    pub(crate) fn render(&self) -> String {
        if self.steps.is_empty() {
            return "the top level".to_owned();
        }
        let mut out = String::new();
        for (i, s) in self.steps.iter().enumerate() {
            match s {
                Step::Attr(a) if i == 0 => out.push_str(a),
                Step::Attr(a) => {
                    out.push('.');
                    out.push_str(a);
                }
                // Map keys may be user data; show them, they are names rather than values.
                Step::Key(k) => out.push_str(&format!("[{k:?}]")),
                Step::Index(n) => out.push_str(&format!("[{n}]")),
            }
        }
        out
    }
}

/// Short name of a type for error messages.
pub(crate) fn type_name(ty: &super::Type) -> String {
    type_to_json(ty)
}

/// Short name of a value's kind for error messages (never its content).
pub(crate) fn value_kind(v: &super::Value) -> &'static str {
    use super::Value;
    match v {
        Value::Null => "null",
        Value::Unknown => "unknown",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::List(_) => "list",
        Value::Set(_) => "set",
        Value::Map(_) => "map",
        Value::Object(_) => "object",
        Value::Tuple(_) => "tuple",
        Value::Dynamic(..) => "dynamic",
    }
}
