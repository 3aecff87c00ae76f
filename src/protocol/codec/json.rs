//! cty's JSON encoding of values: what Terraform stores in state files and hands to
//! `UpgradeResourceState` as raw state.
//!
//! Numbers are kept as their decimal text all the way (no `f64` in between), so nothing is
//! rounded. Unknown values have no JSON form.
//!
//! # Why the parser is still hand-written
//!
//! Moving it onto `serde_json` was tried against this module's accepted inputs (issue 22) and
//! would change them; checked with serde_json 1.0.154:
//! - a lone UTF-16 surrogate escape (`"a\ud800b"`) is an error in `serde_json`
//!   (`unexpected end of hex escape`), while Terraform's own encoder (Go's `encoding/json`)
//!   reads it as U+FFFD, as this parser does, so state written by Go would stop decoding;
//! - exact numbers need `serde_json`'s `arbitrary_precision` feature, which features unify
//!   across the workspace: every `serde_json::Value` in the client, the engine and the double
//!   would then carry numbers as text (changing how they compare and how `#[serde(flatten)]`
//!   and untagged enums see them), a risk to code that is not the protocol layer's;
//! - errors here carry a byte offset and name what was expected, which the diagnostics show.
//!
//! A separate value type over `serde_json` with `raw_value` would avoid the feature problem
//! but not the surrogate one. Until a measurement shows this parser costing plan/apply time
//! (it runs only on raw state and stored identities), it stays.

use super::types::{type_from_node, type_to_json};
use super::{type_name, value_kind, DecodeError, EncodeError, PathTracker, MAX_DEPTH};
use crate::protocol::value::{Number, Type, Value};
use std::collections::BTreeMap;

/// A parsed JSON document; numbers keep their text.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum JNode {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<JNode>),
    Obj(Vec<(String, JNode)>),
}

impl JNode {
    fn kind(&self) -> &'static str {
        match self {
            JNode::Null => "null",
            JNode::Bool(_) => "JSON bool",
            JNode::Num(_) => "JSON number",
            JNode::Str(_) => "JSON string",
            JNode::Arr(_) => "JSON array",
            JNode::Obj(_) => "JSON object",
        }
    }
}

/// Parse a JSON document (nesting bounded by [`MAX_DEPTH`]).
pub(crate) fn parse_json(bytes: &[u8]) -> Result<JNode, DecodeError> {
    let text = std::str::from_utf8(bytes).map_err(|e| DecodeError::Syntax {
        offset: e.valid_up_to(),
        reason: "invalid UTF-8".to_owned(),
    })?;
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        pos: 0,
    };
    p.ws();
    let node = p.value(0)?;
    p.ws();
    if p.pos != p.s.len() {
        return Err(p.err("unexpected data after the document"));
    }
    Ok(node)
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn err(&self, reason: &str) -> DecodeError {
        DecodeError::Syntax {
            offset: self.pos,
            reason: reason.to_owned(),
        }
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.pos) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn literal(&mut self, word: &str, node: JNode) -> Result<JNode, DecodeError> {
        if self.s[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(node)
        } else {
            Err(self.err("invalid literal"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<JNode, DecodeError> {
        if depth > MAX_DEPTH {
            return Err(self.err("nested too deeply"));
        }
        match self.peek() {
            None => Err(self.err("unexpected end of input")),
            Some(b'n') => self.literal("null", JNode::Null),
            Some(b't') => self.literal("true", JNode::Bool(true)),
            Some(b'f') => self.literal("false", JNode::Bool(false)),
            Some(b'"') => self.string().map(JNode::Str),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'[') => {
                self.pos += 1;
                let mut items = Vec::new();
                self.ws();
                if self.peek() == Some(b']') {
                    self.pos += 1;
                    return Ok(JNode::Arr(items));
                }
                loop {
                    self.ws();
                    items.push(self.value(depth + 1)?);
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(JNode::Arr(items));
                        }
                        _ => return Err(self.err("expected ',' or ']'")),
                    }
                }
            }
            Some(b'{') => {
                self.pos += 1;
                let mut members = Vec::new();
                self.ws();
                if self.peek() == Some(b'}') {
                    self.pos += 1;
                    return Ok(JNode::Obj(members));
                }
                loop {
                    self.ws();
                    if self.peek() != Some(b'"') {
                        return Err(self.err("expected a member name"));
                    }
                    let key = self.string()?;
                    self.ws();
                    if self.peek() != Some(b':') {
                        return Err(self.err("expected ':'"));
                    }
                    self.pos += 1;
                    self.ws();
                    let v = self.value(depth + 1)?;
                    members.push((key, v));
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b'}') => {
                            self.pos += 1;
                            return Ok(JNode::Obj(members));
                        }
                        _ => return Err(self.err("expected ',' or '}'")),
                    }
                }
            }
            Some(_) => Err(self.err("unexpected character")),
        }
    }

    fn number(&mut self) -> Result<JNode, DecodeError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let digits = |p: &mut Self| {
            let from = p.pos;
            while let Some(b'0'..=b'9') = p.peek() {
                p.pos += 1;
            }
            p.pos - from
        };
        if self.peek() == Some(b'0') {
            self.pos += 1;
        } else if digits(self) == 0 {
            return Err(self.err("invalid number"));
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if digits(self) == 0 {
                return Err(self.err("invalid number"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return Err(self.err("invalid number"));
            }
        }
        Ok(JNode::Num(self.text[start..self.pos].to_owned()))
    }

    fn hex4(&mut self) -> Result<u32, DecodeError> {
        let h = self
            .text
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| self.err("short \\u escape"))?;
        let v = u32::from_str_radix(h, 16).map_err(|_| self.err("invalid \\u escape"))?;
        self.pos += 4;
        Ok(v)
    }

    fn string(&mut self) -> Result<String, DecodeError> {
        self.pos += 1; // opening quote
        let mut out = String::new();
        loop {
            let start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            // Only ASCII bytes stop the scan, so these are char boundaries.
            out.push_str(&self.text[start..self.pos]);
            match self.peek() {
                None => return Err(self.err("unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let esc = self.peek().ok_or_else(|| self.err("unterminated string"))?;
                    self.pos += 1;
                    match esc {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let c = if (0xd800..0xdc00).contains(&hi)
                                && self.s[self.pos..].starts_with(b"\\u")
                            {
                                let save = self.pos;
                                self.pos += 2;
                                let lo = self.hex4()?;
                                if (0xdc00..0xe000).contains(&lo) {
                                    char::from_u32(0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00))
                                } else {
                                    self.pos = save;
                                    None
                                }
                            } else {
                                char::from_u32(hi)
                            };
                            // Lone surrogates become U+FFFD, as Go's encoding/json does.
                            out.push(c.unwrap_or('\u{fffd}'));
                        }
                        _ => return Err(self.err("invalid escape")),
                    }
                }
                Some(_) => return Err(self.err("control character in string")),
            }
        }
    }
}

/// Write `s` as a JSON string literal.
pub(crate) fn write_json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Decode cty JSON for type `ty`. Object attributes missing from the input are null;
/// attributes the type lacks are an error.
pub fn decode(bytes: &[u8], ty: &Type) -> Result<Value, DecodeError> {
    let node = parse_json(bytes)?;
    Converter {
        path: PathTracker::default(),
        lenient: false,
    }
    .value(&node, ty)
}

/// Decode cty JSON for type `ty`, forgiving schema drift as state upgrades need: object
/// attributes the type lacks are dropped (at any depth), missing ones become null.
pub fn decode_lenient(bytes: &[u8], ty: &Type) -> Result<Value, DecodeError> {
    let node = parse_json(bytes)?;
    Converter {
        path: PathTracker::default(),
        lenient: true,
    }
    .value(&node, ty)
}

struct Converter {
    path: PathTracker,
    lenient: bool,
}

impl Converter {
    fn mismatch(&self, ty: &Type, node: &JNode) -> DecodeError {
        DecodeError::Mismatch {
            expected: type_name(ty),
            found: node.kind().to_owned(),
            path: self.path.render(),
        }
    }

    fn number(&self, text: &str) -> Result<Number, DecodeError> {
        Number::parse(text).ok_or_else(|| DecodeError::InvalidNumber {
            text: text.chars().take(40).collect(),
            path: self.path.render(),
        })
    }

    fn value(&mut self, node: &JNode, ty: &Type) -> Result<Value, DecodeError> {
        if let JNode::Null = node {
            return Ok(Value::Null);
        }
        match ty {
            // cty converts between primitive JSON forms where it is unambiguous.
            Type::String => match node {
                JNode::Str(s) => Ok(Value::String(s.clone())),
                JNode::Num(n) => Ok(Value::String(n.clone())),
                JNode::Bool(b) => Ok(Value::String(b.to_string())),
                _ => Err(self.mismatch(ty, node)),
            },
            Type::Number => match node {
                JNode::Num(n) | JNode::Str(n) => self.number(n).map(Value::Number),
                _ => Err(self.mismatch(ty, node)),
            },
            Type::Bool => match node {
                JNode::Bool(b) => Ok(Value::Bool(*b)),
                JNode::Str(s) if s == "true" => Ok(Value::Bool(true)),
                JNode::Str(s) if s == "false" => Ok(Value::Bool(false)),
                _ => Err(self.mismatch(ty, node)),
            },
            Type::List(e) | Type::Set(e) => {
                let JNode::Arr(items) = node else {
                    return Err(self.mismatch(ty, node));
                };
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    self.path.index(i);
                    out.push(self.value(item, e)?);
                    self.path.pop();
                }
                Ok(if matches!(ty, Type::Set(_)) {
                    Value::Set(out)
                } else {
                    Value::List(out)
                })
            }
            Type::Tuple(elems) => {
                let JNode::Arr(items) = node else {
                    return Err(self.mismatch(ty, node));
                };
                if items.len() != elems.len() {
                    return Err(DecodeError::TupleLength {
                        expected: elems.len(),
                        found: items.len(),
                        path: self.path.render(),
                    });
                }
                let mut out = Vec::with_capacity(items.len());
                for (i, (item, t)) in items.iter().zip(elems).enumerate() {
                    self.path.index(i);
                    out.push(self.value(item, t)?);
                    self.path.pop();
                }
                Ok(Value::Tuple(out))
            }
            Type::Map(e) => {
                let JNode::Obj(members) = node else {
                    return Err(self.mismatch(ty, node));
                };
                let mut out = BTreeMap::new();
                for (k, v) in members {
                    self.path.key(k);
                    let decoded = self.value(v, e)?;
                    self.path.pop();
                    out.insert(k.clone(), decoded);
                }
                Ok(Value::Map(out))
            }
            Type::Object(attrs) => {
                let JNode::Obj(members) = node else {
                    return Err(self.mismatch(ty, node));
                };
                let mut out = BTreeMap::new();
                for (k, v) in members {
                    let Some(t) = attrs.get(k) else {
                        if self.lenient {
                            continue;
                        }
                        return Err(DecodeError::UnexpectedAttribute {
                            name: k.clone(),
                            path: self.path.render(),
                        });
                    };
                    self.path.attr(k);
                    let decoded = self.value(v, t)?;
                    self.path.pop();
                    out.insert(k.clone(), decoded);
                }
                for name in attrs.keys() {
                    if !out.contains_key(name) {
                        out.insert(name.clone(), Value::Null);
                    }
                }
                Ok(Value::Object(out))
            }
            Type::Dynamic => {
                let JNode::Obj(members) = node else {
                    return Err(self.mismatch(ty, node));
                };
                let find = |name: &str| members.iter().rev().find(|(k, _)| k == name);
                let (Some((_, v)), Some((_, t))) = (find("value"), find("type")) else {
                    return Err(DecodeError::InvalidDynamic {
                        path: self.path.render(),
                    });
                };
                let inner_ty = type_from_node(t, 0)?;
                let inner = self.value(v, &inner_ty)?;
                Ok(Value::Dynamic(inner_ty, Box::new(inner)))
            }
        }
    }
}

/// Encode `value` as cty JSON for type `ty`. Object attributes missing from the value are
/// written as null; unknown values are an error (JSON cannot carry them).
pub fn encode(value: &Value, ty: &Type) -> Result<Vec<u8>, EncodeError> {
    let mut out = String::new();
    let mut path = PathTracker::default();
    write_value(value, ty, &mut out, &mut path, 0)?;
    Ok(out.into_bytes())
}

fn write_value(
    value: &Value,
    ty: &Type,
    out: &mut String,
    path: &mut PathTracker,
    depth: usize,
) -> Result<(), EncodeError> {
    if depth > MAX_DEPTH {
        return Err(EncodeError::TooDeep {
            max: MAX_DEPTH,
            path: path.render(),
        });
    }
    let mismatch = |path: &PathTracker| EncodeError::Mismatch {
        expected: type_name(ty),
        found: value_kind(value).to_owned(),
        path: path.render(),
    };
    match (value, ty) {
        (Value::Null, _) => out.push_str("null"),
        (Value::Unknown, _) => {
            return Err(EncodeError::UnknownInJson {
                path: path.render(),
            })
        }
        (Value::Bool(b), Type::Bool) => out.push_str(if *b { "true" } else { "false" }),
        (Value::Number(n), Type::Number) => out.push_str(&n.to_string()),
        (Value::String(s), Type::String) => write_json_string(s, out),
        (Value::List(items), Type::List(e)) | (Value::Set(items), Type::Set(e)) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                path.index(i);
                write_value(item, e, out, path, depth + 1)?;
                path.pop();
            }
            out.push(']');
        }
        (Value::Tuple(items), Type::Tuple(elems)) => {
            if items.len() != elems.len() {
                return Err(EncodeError::TupleLength {
                    expected: elems.len(),
                    found: items.len(),
                    path: path.render(),
                });
            }
            out.push('[');
            for (i, (item, t)) in items.iter().zip(elems).enumerate() {
                if i > 0 {
                    out.push(',');
                }
                path.index(i);
                write_value(item, t, out, path, depth + 1)?;
                path.pop();
            }
            out.push(']');
        }
        (Value::Map(entries), Type::Map(e)) => {
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_string(k, out);
                out.push(':');
                path.key(k);
                write_value(v, e, out, path, depth + 1)?;
                path.pop();
            }
            out.push('}');
        }
        (Value::Object(attrs), Type::Object(types)) => {
            if let Some(extra) = attrs.keys().find(|k| !types.contains_key(*k)) {
                return Err(EncodeError::UnexpectedAttribute {
                    name: extra.clone(),
                    path: path.render(),
                });
            }
            out.push('{');
            for (i, (name, t)) in types.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_string(name, out);
                out.push(':');
                path.attr(name);
                write_value(
                    attrs.get(name).unwrap_or(&Value::Null),
                    t,
                    out,
                    path,
                    depth + 1,
                )?;
                path.pop();
            }
            out.push('}');
        }
        (Value::Dynamic(inner_ty, inner), Type::Dynamic) => {
            out.push_str("{\"value\":");
            write_value(inner, inner_ty, out, path, depth + 1)?;
            out.push_str(",\"type\":");
            out.push_str(&type_to_json(inner_ty));
            out.push('}');
        }
        _ => return Err(mismatch(path)),
    }
    Ok(())
}
