//! cty's JSON encoding of values: what Terraform stores in state files and hands to
//! `UpgradeResourceState` as raw state.
//!
//! Parsing and writing are `serde_json`'s, with its `arbitrary_precision` feature: numbers keep
//! their decimal text all the way (no `f64` in between), so nothing is rounded. A document is
//! parsed into a [`serde_json::Value`] and then converted to a cty [`Value`] by the expected
//! type; writing serialises a view of (value, type) straight to bytes. Unknown values have no
//! JSON form.
//!
//! Two small pieces stay beside `serde_json`:
//! - lone UTF-16 surrogate escapes (`"a\ud800b"`): Go's `encoding/json`, which Terraform reads
//!   its state with, reads them as U+FFFD, and raw state reaches `UpgradeResourceState` verbatim
//!   from the state file, so a hand-edited state may hold one; `serde_json` rejects them.
//!   `replace_lone_surrogates` rewrites such escapes to `\ufffd` in a copy (same length, so
//!   error offsets stay right) before `serde_json` parses. Text with no `\uD800`–`\uDFFF`
//!   escape costs one `memchr::memmem` scan for `\u` and no copy;
//! - nesting: `serde_json` stops at 128 levels, this module at [`MAX_DEPTH`] (as the msgpack
//!   decoder does); a walk over the parsed tree checks it, and only when it fails is the text
//!   scanned for the byte offset to report.
//!
//! What changed from the hand-written parser this replaced (a differential run of both on
//! 400,000 mutated documents, 9 types, strict and lenient, found nothing else):
//! - object members are converted in name order (`serde_json`'s map without
//!   `preserve_order`), so when an object has several bad members the error names the first by
//!   name, not by position; a member given twice is converted once, the last one (the old
//!   parser also converted, and could fail on, the earlier one);
//! - a JSON number read as a string attribute gets `serde_json`'s text, whose exponent is
//!   written `e+3` for `E3`/`e3` (cty writes numbers without exponents, so state never has one);
//! - `\u+800` is rejected, as Go does (the old parser took `+800` for hex).
//!
//! # Measurements (issue 22)
//!
//! `decode_lenient` on raw state, old hand-written parser vs this module, release build
//! without LTO, best of 7 timed loops per run, 5 alternating runs each, min / median of the
//! runs, on the project's 2-core machine while it was quiet (load below 1):
//!
//! | input                                             | old µs        | new µs      |
//! |---------------------------------------------------|---------------|-------------|
//! | state of an authenticator_validate stage (978 B)  | 4.48 / 4.54   | 3.66 / 3.67 |
//! | object with a 1000-element list of UUIDs (39 KB)  | 102.7 / 107.8 | 59.4 / 60.3 |
//! | 1000-element list of decimals like `7919.25`      | 196 / 199     | 235 / 239   |
//!
//! Strings are faster (1.2x on the stage's state, 1.8x on the list); number-heavy input is
//! 1.2x slower (`serde_json` copies each number's text a byte at a time into a `String`, where
//! the old parser sliced it). All of it is far below a millisecond, once per resource per state
//! upgrade.
//!
//! The surrogate fix-up's fast path (the scan alone, no surrogate escape present): 40 ns on the
//! 978-byte state (1% of its decode), 720–780 ns on the 39 KB list (about 1%). With one lone
//! surrogate in the 39 KB list (copy, rewrite, parse) the decode took 71.4 µs against 69.3 µs
//! without it.

use super::types::{type_from_node, TypeJson};
use super::{type_name, value_kind, DecodeError, EncodeError, PathTracker, MAX_DEPTH};
use crate::protocol::value::{Number, Type, Value};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::Value as Node;
use std::cell::RefCell;
use std::collections::BTreeMap;

/// Reason given for a document nested deeper than [`MAX_DEPTH`].
const TOO_DEEP: &str = "nested too deeply";

/// Parse a JSON document (nesting bounded by [`MAX_DEPTH`]); numbers keep their text.
pub(crate) fn parse_json(bytes: &[u8]) -> Result<Node, DecodeError> {
    let text = std::str::from_utf8(bytes).map_err(|e| DecodeError::Syntax {
        offset: e.valid_up_to(),
        reason: "invalid UTF-8".to_owned(),
    })?;
    let fixed = replace_lone_surrogates(text);
    let text = fixed.as_deref().unwrap_or(text);
    let node: Node = serde_json::from_str(text).map_err(|e| syntax_error(text, &e))?;
    if nested_too_deeply(&node, 0) {
        return Err(DecodeError::Syntax {
            offset: deep_offset(text),
            reason: TOO_DEEP.to_owned(),
        });
    }
    Ok(node)
}

/// A `serde_json` error as [`DecodeError::Syntax`], its line and column turned into the byte
/// offset of the byte it stopped at.
fn syntax_error(text: &str, e: &serde_json::Error) -> DecodeError {
    let message = e.to_string();
    let reason = match message.rsplit_once(" at line ") {
        Some((reason, _)) => reason.to_owned(),
        None => message,
    };
    if reason == "recursion limit exceeded" {
        return DecodeError::Syntax {
            offset: deep_offset(text),
            reason: TOO_DEEP.to_owned(),
        };
    }
    let line_start = match e.line() {
        0 | 1 => 0,
        line => text
            .match_indices('\n')
            .nth(line - 2)
            .map_or(text.len(), |(i, _)| i + 1),
    };
    DecodeError::Syntax {
        offset: (line_start + e.column().saturating_sub(1)).min(text.len()),
        reason,
    }
}

/// Whether a value sits under more than [`MAX_DEPTH`] containers.
fn nested_too_deeply(node: &Node, depth: usize) -> bool {
    match node {
        _ if depth > MAX_DEPTH => true,
        Node::Array(items) => items.iter().any(|n| nested_too_deeply(n, depth + 1)),
        Node::Object(members) => members.values().any(|n| nested_too_deeply(n, depth + 1)),
        _ => false,
    }
}

/// Byte offset of the bracket that opens level [`MAX_DEPTH`] + 1: only called once the
/// document is known to nest too deeply, to say where.
fn deep_offset(text: &str) -> usize {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, b) in text.bytes().enumerate() {
        match b {
            _ if escaped => escaped = false,
            b'\\' if in_string => escaped = true,
            b'"' => in_string = !in_string,
            _ if in_string => {}
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return i;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    text.len()
}

/// Rewrite every `\uXXXX` escape of an unpaired UTF-16 surrogate to `\ufffd`, which is how
/// Go's `encoding/json` reads one; `None` (no copy) when there is none, the usual case.
/// The rewrite keeps every byte offset, so `serde_json`'s errors still point into the input.
fn replace_lone_surrogates(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let is_surrogate = |at: usize| hex4(b, at).is_some_and(|u| (0xd800..0xe000).contains(&u));
    if !memchr::memmem::find_iter(b, b"\\u").any(|i| is_surrogate(i + 2)) {
        return None;
    }
    let mut out = b.to_vec();
    let (mut i, mut changed) = (0, false);
    while let Some(found) = memchr::memchr(b'\\', &b[i..]) {
        let at = i + found;
        i = at + 2; // any escape is at least two bytes; a lone `\` at the end ends the loop
        if b.get(at + 1) != Some(&b'u') {
            if i > b.len() {
                break;
            }
            continue;
        }
        let Some(unit) = hex4(b, at + 2) else {
            continue; // not a valid escape: serde_json reports it
        };
        i = at + 6;
        if (0xd800..0xdc00).contains(&unit)
            && b.get(at + 6..at + 8) == Some(b"\\u")
            && hex4(b, at + 8).is_some_and(|low| (0xdc00..0xe000).contains(&low))
        {
            i = at + 12; // a proper pair
        } else if (0xd800..0xe000).contains(&unit) {
            out[at + 2..at + 6].copy_from_slice(b"fffd");
            changed = true;
        }
    }
    // Only ASCII hex digits were replaced by ASCII, so the text is still UTF-8.
    changed.then(|| String::from_utf8(out).ok()).flatten()
}

/// The four hex digits at `at` as a UTF-16 code unit.
fn hex4(b: &[u8], at: usize) -> Option<u32> {
    let digits = b.get(at..at + 4)?;
    digits
        .iter()
        .try_fold(0u32, |acc, &d| Some(acc * 16 + char::from(d).to_digit(16)?))
}

/// Short name of a JSON node's kind for error messages.
fn kind(node: &Node) -> &'static str {
    match node {
        Node::Null => "null",
        Node::Bool(_) => "JSON bool",
        Node::Number(_) => "JSON number",
        Node::String(_) => "JSON string",
        Node::Array(_) => "JSON array",
        Node::Object(_) => "JSON object",
    }
}

/// Decode cty JSON for type `ty`. Object attributes missing from the input are null;
/// attributes the type lacks are an error.
pub fn decode(bytes: &[u8], ty: &Type) -> Result<Value, DecodeError> {
    let node = parse_json(bytes)?;
    Converter {
        path: PathTracker::default(),
        lenient: false,
    }
    .value(node, ty)
}

/// Decode cty JSON for type `ty`, forgiving schema drift as state upgrades need: object
/// attributes the type lacks are dropped (at any depth), missing ones become null.
pub fn decode_lenient(bytes: &[u8], ty: &Type) -> Result<Value, DecodeError> {
    let node = parse_json(bytes)?;
    Converter {
        path: PathTracker::default(),
        lenient: true,
    }
    .value(node, ty)
}

struct Converter {
    path: PathTracker,
    lenient: bool,
}

impl Converter {
    fn mismatch(&self, ty: &Type, node: &Node) -> DecodeError {
        DecodeError::Mismatch {
            expected: type_name(ty),
            found: kind(node).to_owned(),
            path: self.path.render(),
        }
    }

    fn number(&self, text: &str) -> Result<Number, DecodeError> {
        Number::parse(text).ok_or_else(|| DecodeError::InvalidNumber {
            text: text.chars().take(40).collect(),
            path: self.path.render(),
        })
    }

    fn value(&mut self, node: Node, ty: &Type) -> Result<Value, DecodeError> {
        if node.is_null() {
            return Ok(Value::Null);
        }
        match (ty, node) {
            // cty converts between primitive JSON forms where it is unambiguous.
            (Type::String, Node::String(s)) => Ok(Value::String(s)),
            (Type::String, Node::Number(n)) => Ok(Value::String(n.as_str().to_owned())),
            (Type::String, Node::Bool(b)) => Ok(Value::String(b.to_string())),
            (Type::Number, Node::Number(n)) => self.number(n.as_str()).map(Value::Number),
            (Type::Number, Node::String(s)) => self.number(&s).map(Value::Number),
            (Type::Bool, Node::Bool(b)) => Ok(Value::Bool(b)),
            (Type::Bool, Node::String(s)) if s == "true" => Ok(Value::Bool(true)),
            (Type::Bool, Node::String(s)) if s == "false" => Ok(Value::Bool(false)),
            (Type::List(e) | Type::Set(e), Node::Array(items)) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.into_iter().enumerate() {
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
            (Type::Tuple(elems), Node::Array(items)) => {
                if items.len() != elems.len() {
                    return Err(DecodeError::TupleLength {
                        expected: elems.len(),
                        found: items.len(),
                        path: self.path.render(),
                    });
                }
                let mut out = Vec::with_capacity(items.len());
                for (i, (item, t)) in items.into_iter().zip(elems).enumerate() {
                    self.path.index(i);
                    out.push(self.value(item, t)?);
                    self.path.pop();
                }
                Ok(Value::Tuple(out))
            }
            (Type::Map(e), Node::Object(members)) => {
                let mut out = BTreeMap::new();
                for (k, v) in members {
                    self.path.key(&k);
                    let decoded = self.value(v, e)?;
                    self.path.pop();
                    out.insert(k, decoded);
                }
                Ok(Value::Map(out))
            }
            (Type::Object(attrs), Node::Object(members)) => {
                let mut out = BTreeMap::new();
                for (k, v) in members {
                    let Some(t) = attrs.get(&k) else {
                        if self.lenient {
                            continue;
                        }
                        return Err(DecodeError::UnexpectedAttribute {
                            name: k,
                            path: self.path.render(),
                        });
                    };
                    self.path.attr(&k);
                    let decoded = self.value(v, t)?;
                    self.path.pop();
                    out.insert(k, decoded);
                }
                for name in attrs.keys() {
                    if !out.contains_key(name) {
                        out.insert(name.clone(), Value::Null);
                    }
                }
                Ok(Value::Object(out))
            }
            (Type::Dynamic, Node::Object(mut members)) => {
                let (Some(v), Some(t)) = (members.remove("value"), members.remove("type")) else {
                    return Err(DecodeError::InvalidDynamic {
                        path: self.path.render(),
                    });
                };
                let inner_ty = type_from_node(&t, 0)?;
                let inner = self.value(v, &inner_ty)?;
                Ok(Value::Dynamic(inner_ty, Box::new(inner)))
            }
            (_, node) => Err(self.mismatch(ty, &node)),
        }
    }
}

/// Encode `value` as cty JSON for type `ty`. Object attributes missing from the value are
/// written as null; unknown values are an error (JSON cannot carry them).
pub fn encode(value: &Value, ty: &Type) -> Result<Vec<u8>, EncodeError> {
    let ctx = EncodeCtx::default();
    let view = ValueJson {
        value,
        ty,
        depth: 0,
        ctx: &ctx,
    };
    serde_json::to_vec(&view).map_err(|e| {
        ctx.error.take().unwrap_or_else(|| EncodeError::Mismatch {
            expected: type_name(ty),
            found: e.to_string(),
            path: ctx.path.borrow().render(),
        })
    })
}

/// What serialising a [`ValueJson`] shares: where it is, and the typed error if it failed
/// (serde's own errors carry only text).
#[derive(Default)]
struct EncodeCtx {
    path: RefCell<PathTracker>,
    error: RefCell<Option<EncodeError>>,
}

/// A value seen as JSON of a type: serialises as cty's JSON encoding.
struct ValueJson<'a> {
    value: &'a Value,
    ty: &'a Type,
    depth: usize,
    ctx: &'a EncodeCtx,
}

impl<'a> ValueJson<'a> {
    fn child(&self, value: &'a Value, ty: &'a Type) -> Self {
        ValueJson {
            value,
            ty,
            depth: self.depth + 1,
            ctx: self.ctx,
        }
    }

    /// Record `error` for [`encode`] and hand serde an error to unwind with.
    fn fail<E: serde::ser::Error>(&self, error: EncodeError) -> E {
        *self.ctx.error.borrow_mut() = Some(error);
        E::custom("value does not fit its type")
    }

    fn path(&self) -> String {
        self.ctx.path.borrow().render()
    }

    fn items<S: Serializer>(
        &self,
        s: S,
        items: &'a [Value],
        types: impl Iterator<Item = &'a Type>,
    ) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(items.len()))?;
        for (i, (item, t)) in items.iter().zip(types).enumerate() {
            self.ctx.path.borrow_mut().index(i);
            seq.serialize_element(&self.child(item, t))?;
            self.ctx.path.borrow_mut().pop();
        }
        seq.end()
    }
}

impl Serialize for ValueJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.depth > MAX_DEPTH {
            return Err(self.fail(EncodeError::TooDeep {
                max: MAX_DEPTH,
                path: self.path(),
            }));
        }
        match (self.value, self.ty) {
            (Value::Null, _) => s.serialize_unit(),
            (Value::Unknown, _) => Err(self.fail(EncodeError::UnknownInJson { path: self.path() })),
            (Value::Bool(b), Type::Bool) => s.serialize_bool(*b),
            (Value::Number(Number::Int(i)), Type::Number) => s.serialize_i64(*i),
            (Value::Number(Number::Decimal(d)), Type::Number) => {
                serde_json::Number::from_string_unchecked(d.clone()).serialize(s)
            }
            (Value::String(text), Type::String) => s.serialize_str(text),
            (Value::List(items), Type::List(e)) | (Value::Set(items), Type::Set(e)) => {
                self.items(s, items, std::iter::repeat(&**e))
            }
            (Value::Tuple(items), Type::Tuple(elems)) => {
                if items.len() != elems.len() {
                    return Err(self.fail(EncodeError::TupleLength {
                        expected: elems.len(),
                        found: items.len(),
                        path: self.path(),
                    }));
                }
                self.items(s, items, elems.iter())
            }
            (Value::Map(entries), Type::Map(e)) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    self.ctx.path.borrow_mut().key(k);
                    map.serialize_entry(k, &self.child(v, e))?;
                    self.ctx.path.borrow_mut().pop();
                }
                map.end()
            }
            (Value::Object(attrs), Type::Object(types)) => {
                if let Some(extra) = attrs.keys().find(|k| !types.contains_key(*k)) {
                    return Err(self.fail(EncodeError::UnexpectedAttribute {
                        name: extra.clone(),
                        path: self.path(),
                    }));
                }
                let mut map = s.serialize_map(Some(types.len()))?;
                for (name, t) in types {
                    self.ctx.path.borrow_mut().attr(name);
                    let v = attrs.get(name).unwrap_or(&Value::Null);
                    map.serialize_entry(name, &self.child(v, t))?;
                    self.ctx.path.borrow_mut().pop();
                }
                map.end()
            }
            (Value::Dynamic(inner_ty, inner), Type::Dynamic) => {
                let mut map = s.serialize_map(Some(2))?;
                map.serialize_entry("value", &self.child(inner, inner_ty))?;
                map.serialize_entry("type", &TypeJson(inner_ty))?;
                map.end()
            }
            _ => Err(self.fail(EncodeError::Mismatch {
                expected: type_name(self.ty),
                found: value_kind(self.value).to_owned(),
                path: self.path(),
            })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syntax_offset(text: &str) -> Option<usize> {
        match parse_json(text.as_bytes()) {
            Err(DecodeError::Syntax { offset, .. }) => Some(offset),
            _ => None,
        }
    }

    #[test]
    fn lone_surrogates_are_rewritten_in_place() {
        let fixed = |t: &str| replace_lone_surrogates(t);
        assert_eq!(fixed(r#""plain \u00e9 \n""#), None);
        assert_eq!(fixed(r#""pair \ud83d\ude00""#), None);
        assert_eq!(fixed(r#""a\ud800b""#).as_deref(), Some(r#""a\ufffdb""#));
        assert_eq!(
            fixed(r#""\udc00\ud800""#).as_deref(),
            Some(r#""\ufffd\ufffd""#)
        );
        // A high surrogate followed by another high one: only a low one completes a pair.
        assert_eq!(
            fixed(r#""\ud800\ud83d\ude00""#).as_deref(),
            Some(r#""\ufffd\ud83d\ude00""#)
        );
        // An escaped backslash before `ud800` is text, not an escape.
        assert_eq!(
            fixed(r#""\\ud800 \udfff""#).as_deref(),
            Some(r#""\\ud800 \ufffd""#)
        );
        // Broken escapes are left for serde_json to report; a trailing backslash ends the scan.
        assert_eq!(fixed(r#""\ud800\u12"#).as_deref(), Some(r#""\ufffd\u12"#));
        assert_eq!(fixed("\"\\ud800\\"), Some("\"\\ufffd\\".to_owned()));
    }

    #[test]
    fn escapes_go_rejects_are_rejected() {
        // `\u+800` is not four hex digits (the hand-written parser used to accept it).
        assert!(syntax_offset(r#""\u+800""#).is_some());
        assert!(syntax_offset(r#""\ud800\u12""#).is_some());
    }

    #[test]
    fn syntax_errors_carry_the_byte_offset() {
        assert_eq!(syntax_offset("[1,]"), Some(3));
        assert_eq!(syntax_offset("{\n  \"a\": x}"), Some(9));
        assert!(matches!(
            parse_json(b"\"ok\" \xff"),
            Err(DecodeError::Syntax { offset: 5, .. })
        ));
    }

    #[test]
    fn nesting_is_bounded_by_max_depth() {
        let nest = |n: usize, inner: &str| format!("{}{inner}{}", "[".repeat(n), "]".repeat(n));
        assert!(parse_json(nest(MAX_DEPTH, "1").as_bytes()).is_ok());
        // 65 empty arrays hold no value deeper than 64 containers.
        assert!(parse_json(nest(MAX_DEPTH + 1, "").as_bytes()).is_ok());
        // Deeper than MAX_DEPTH, and deeper than serde_json's own limit: the same error.
        for n in [MAX_DEPTH + 1, 200, 100_000] {
            assert_eq!(
                parse_json(nest(n, "1").as_bytes()),
                Err(DecodeError::Syntax {
                    offset: MAX_DEPTH,
                    reason: TOO_DEEP.to_owned()
                }),
                "{n}"
            );
        }
        // Also where lenient decoding would drop the member.
        let ty = Type::Object(BTreeMap::new());
        let deep = format!("{{\"gone\":{}}}", nest(MAX_DEPTH, "1"));
        assert!(decode_lenient(deep.as_bytes(), &ty).is_err());
        let brackets_in_strings = format!("[\"{}\",{}]", "[".repeat(100), nest(MAX_DEPTH, "1"));
        assert!(matches!(
            parse_json(brackets_in_strings.as_bytes()),
            Err(DecodeError::Syntax { offset, .. }) if offset == 104 + MAX_DEPTH - 1
        ));
    }

    #[test]
    fn encode_errors_are_typed_with_paths() {
        let ty = Type::Object(
            [("l".to_owned(), Type::list(Type::String))]
                .into_iter()
                .collect(),
        );
        let v = Value::Object(
            [(
                "l".to_owned(),
                Value::List(vec![Value::Null, Value::Unknown]),
            )]
            .into_iter()
            .collect(),
        );
        assert_eq!(
            encode(&v, &ty),
            Err(EncodeError::UnknownInJson {
                path: "l[1]".to_owned()
            })
        );
        let wrong = Value::Map([("k".to_owned(), Value::Bool(true))].into_iter().collect());
        assert!(matches!(
            encode(&wrong, &Type::Map(Box::new(Type::Number))),
            Err(EncodeError::Mismatch { ref path, .. }) if path == "[\"k\"]"
        ));
    }
}
