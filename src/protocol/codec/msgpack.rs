//! cty's msgpack encoding of values, as Terraform sends them in `DynamicValue.msgpack`.
//!
//! - null is msgpack nil; an unknown value is extension type 0 (`d4 00 00`); Terraform 1.6+
//!   may send a *refined* unknown as extension type 12, accepted here as a plain unknown;
//! - numbers are msgpack integers or float64 when exact, otherwise decimal text;
//! - lists, sets and tuples are arrays; maps and objects are maps (objects carry every
//!   attribute, in name order);
//! - a value of type `dynamic` is a 2-element array: the JSON of its concrete type, then the
//!   value encoded for that type.

use super::numbers::{exact_from_f64, exact_to_f64};
use super::types::{parse_type_json, type_to_json};
use super::{type_name, value_kind, DecodeError, EncodeError, PathTracker, MAX_DEPTH};
use crate::protocol::value::{Number, Type, Value};
use rmp::encode::{self, ByteBuf, ValueWriteError};
use std::collections::BTreeMap;
use std::convert::Infallible;

/// msgpack extension type of an unknown value.
pub const EXT_UNKNOWN: i8 = 0;
/// msgpack extension type of an unknown value with refinements (Terraform 1.6+).
pub const EXT_REFINED_UNKNOWN: i8 = 12;

/// Decode a msgpack value of type `ty`.
pub fn decode(bytes: &[u8], ty: &Type) -> Result<Value, DecodeError> {
    let mut d = Decoder {
        buf: bytes,
        pos: 0,
        path: PathTracker::default(),
    };
    let v = d.value(ty, 0)?;
    if d.pos != bytes.len() {
        return Err(DecodeError::TrailingBytes(bytes.len() - d.pos));
    }
    Ok(v)
}

/// One msgpack item header.
enum Item<'a> {
    Nil,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(&'a [u8]),
    Bin(&'a [u8]),
    Array(usize),
    Map(usize),
    Ext(i8),
}

impl Item<'_> {
    fn kind(&self) -> String {
        match self {
            Item::Nil => "nil".into(),
            Item::Bool(_) => "bool".into(),
            Item::Int(_) | Item::Uint(_) => "integer".into(),
            Item::Float(_) => "float".into(),
            Item::Str(_) => "string".into(),
            Item::Bin(_) => "binary".into(),
            Item::Array(n) => format!("array of {n}"),
            Item::Map(n) => format!("map of {n}"),
            Item::Ext(t) => format!("extension {t}"),
        }
    }
}

struct Decoder<'a> {
    buf: &'a [u8],
    pos: usize,
    path: PathTracker,
}

impl<'a> Decoder<'a> {
    fn eof(&self) -> DecodeError {
        DecodeError::UnexpectedEof {
            path: self.path.render(),
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self.pos.checked_add(n).ok_or_else(|| self.eof())?;
        let s = self.buf.get(self.pos..end).ok_or_else(|| self.eof())?;
        self.pos = end;
        Ok(s)
    }

    fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.take(1)?[0])
    }

    fn be<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let s = self.take(N)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }

    fn len16(&mut self) -> Result<usize, DecodeError> {
        Ok(usize::from(u16::from_be_bytes(self.be()?)))
    }

    fn len32(&mut self) -> Result<usize, DecodeError> {
        usize::try_from(u32::from_be_bytes(self.be()?)).map_err(|_| self.eof())
    }

    /// A collection can't hold more elements than there are bytes left (each takes >= 1).
    fn check_count(&self, n: usize) -> Result<usize, DecodeError> {
        if n > self.buf.len() - self.pos {
            Err(self.eof())
        } else {
            Ok(n)
        }
    }

    fn item(&mut self) -> Result<Item<'a>, DecodeError> {
        let m = self.u8()?;
        Ok(match m {
            0x00..=0x7f => Item::Int(i64::from(m)),
            0x80..=0x8f => Item::Map(self.check_count(usize::from(m & 0x0f))?),
            0x90..=0x9f => Item::Array(self.check_count(usize::from(m & 0x0f))?),
            0xa0..=0xbf => Item::Str(self.take(usize::from(m & 0x1f))?),
            0xc0 => Item::Nil,
            0xc2 => Item::Bool(false),
            0xc3 => Item::Bool(true),
            0xc4 => {
                let n = usize::from(self.u8()?);
                Item::Bin(self.take(n)?)
            }
            0xc5 => {
                let n = self.len16()?;
                Item::Bin(self.take(n)?)
            }
            0xc6 => {
                let n = self.len32()?;
                Item::Bin(self.take(n)?)
            }
            0xc7..=0xc9 => {
                let n = match m {
                    0xc7 => usize::from(self.u8()?),
                    0xc8 => self.len16()?,
                    _ => self.len32()?,
                };
                let t = self.u8()? as i8;
                self.take(n)?;
                Item::Ext(t)
            }
            0xca => Item::Float(f64::from(f32::from_be_bytes(self.be()?))),
            0xcb => Item::Float(f64::from_be_bytes(self.be()?)),
            0xcc => Item::Uint(u64::from(self.u8()?)),
            0xcd => Item::Uint(u64::from(u16::from_be_bytes(self.be()?))),
            0xce => Item::Uint(u64::from(u32::from_be_bytes(self.be()?))),
            0xcf => Item::Uint(u64::from_be_bytes(self.be()?)),
            0xd0 => Item::Int(i64::from(self.u8()? as i8)),
            0xd1 => Item::Int(i64::from(i16::from_be_bytes(self.be()?))),
            0xd2 => Item::Int(i64::from(i32::from_be_bytes(self.be()?))),
            0xd3 => Item::Int(i64::from_be_bytes(self.be()?)),
            0xd4..=0xd8 => {
                let n = 1usize << (m - 0xd4);
                let t = self.u8()? as i8;
                self.take(n)?;
                Item::Ext(t)
            }
            0xd9 => {
                let n = usize::from(self.u8()?);
                Item::Str(self.take(n)?)
            }
            0xda => {
                let n = self.len16()?;
                Item::Str(self.take(n)?)
            }
            0xdb => {
                let n = self.len32()?;
                Item::Str(self.take(n)?)
            }
            0xdc => {
                let n = self.len16()?;
                Item::Array(self.check_count(n)?)
            }
            0xdd => {
                let n = self.len32()?;
                Item::Array(self.check_count(n)?)
            }
            0xde => {
                let n = self.len16()?;
                Item::Map(self.check_count(n)?)
            }
            0xdf => {
                let n = self.len32()?;
                Item::Map(self.check_count(n)?)
            }
            0xe0..=0xff => Item::Int(i64::from(m as i8)),
            0xc1 => {
                return Err(DecodeError::InvalidMarker {
                    marker: m,
                    path: self.path.render(),
                })
            }
        })
    }

    fn mismatch(&self, ty: &Type, item: &Item<'_>) -> DecodeError {
        DecodeError::Mismatch {
            expected: type_name(ty),
            found: item.kind(),
            path: self.path.render(),
        }
    }

    fn text(&self, bytes: &[u8]) -> Result<String, DecodeError> {
        std::str::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|_| DecodeError::InvalidUtf8 {
                path: self.path.render(),
            })
    }

    fn key(&mut self) -> Result<String, DecodeError> {
        match self.item()? {
            Item::Str(b) | Item::Bin(b) => self.text(b),
            other => Err(DecodeError::Mismatch {
                expected: "a string key".into(),
                found: other.kind(),
                path: self.path.render(),
            }),
        }
    }

    fn value(&mut self, ty: &Type, depth: usize) -> Result<Value, DecodeError> {
        if depth > MAX_DEPTH {
            return Err(DecodeError::TooDeep {
                max: MAX_DEPTH,
                path: self.path.render(),
            });
        }
        let item = self.item()?;
        match item {
            Item::Nil => return Ok(Value::Null),
            Item::Ext(EXT_UNKNOWN | EXT_REFINED_UNKNOWN) => return Ok(Value::Unknown),
            Item::Ext(ext) => {
                return Err(DecodeError::UnsupportedExtension {
                    ext,
                    path: self.path.render(),
                })
            }
            _ => {}
        }
        match ty {
            Type::String => match item {
                Item::Str(b) | Item::Bin(b) => self.text(b).map(Value::String),
                _ => Err(self.mismatch(ty, &item)),
            },
            Type::Bool => match item {
                Item::Bool(b) => Ok(Value::Bool(b)),
                _ => Err(self.mismatch(ty, &item)),
            },
            Type::Number => {
                let n = match item {
                    Item::Int(i) => Some(Number::Int(i)),
                    Item::Uint(u) => Some(match i64::try_from(u) {
                        Ok(i) => Number::Int(i),
                        Err(_) => Number::Decimal(u.to_string()),
                    }),
                    Item::Float(f) => exact_from_f64(f),
                    Item::Str(b) => Number::parse(&self.text(b)?),
                    _ => return Err(self.mismatch(ty, &item)),
                };
                n.map(Value::Number)
                    .ok_or_else(|| DecodeError::InvalidNumber {
                        text: match item {
                            Item::Str(b) => String::from_utf8_lossy(&b[..b.len().min(40)]).into(),
                            _ => "non-finite float".into(),
                        },
                        path: self.path.render(),
                    })
            }
            Type::List(e) | Type::Set(e) => {
                let Item::Array(n) = item else {
                    return Err(self.mismatch(ty, &item));
                };
                let mut out = Vec::with_capacity(n);
                for i in 0..n {
                    self.path.index(i);
                    out.push(self.value(e, depth + 1)?);
                    self.path.pop();
                }
                Ok(if matches!(ty, Type::Set(_)) {
                    Value::Set(out)
                } else {
                    Value::List(out)
                })
            }
            Type::Tuple(elems) => {
                let Item::Array(n) = item else {
                    return Err(self.mismatch(ty, &item));
                };
                if n != elems.len() {
                    return Err(DecodeError::TupleLength {
                        expected: elems.len(),
                        found: n,
                        path: self.path.render(),
                    });
                }
                let mut out = Vec::with_capacity(n);
                for (i, t) in elems.iter().enumerate() {
                    self.path.index(i);
                    out.push(self.value(t, depth + 1)?);
                    self.path.pop();
                }
                Ok(Value::Tuple(out))
            }
            Type::Map(e) => {
                let Item::Map(n) = item else {
                    return Err(self.mismatch(ty, &item));
                };
                let mut out = BTreeMap::new();
                for _ in 0..n {
                    let k = self.key()?;
                    self.path.key(&k);
                    let v = self.value(e, depth + 1)?;
                    self.path.pop();
                    out.insert(k, v);
                }
                Ok(Value::Map(out))
            }
            Type::Object(attrs) => {
                let Item::Map(n) = item else {
                    return Err(self.mismatch(ty, &item));
                };
                let mut out = BTreeMap::new();
                for _ in 0..n {
                    let k = self.key()?;
                    let Some(t) = attrs.get(&k) else {
                        return Err(DecodeError::UnexpectedAttribute {
                            name: k,
                            path: self.path.render(),
                        });
                    };
                    self.path.attr(&k);
                    let v = self.value(t, depth + 1)?;
                    self.path.pop();
                    out.insert(k, v);
                }
                for name in attrs.keys() {
                    if !out.contains_key(name) {
                        out.insert(name.clone(), Value::Null);
                    }
                }
                Ok(Value::Object(out))
            }
            Type::Dynamic => {
                let Item::Array(2) = item else {
                    return Err(DecodeError::Mismatch {
                        expected: "a dynamic value ([type, value])".into(),
                        found: item.kind(),
                        path: self.path.render(),
                    });
                };
                let type_json = match self.item()? {
                    Item::Str(b) | Item::Bin(b) => b,
                    other => {
                        return Err(DecodeError::Mismatch {
                            expected: "the JSON of a type".into(),
                            found: other.kind(),
                            path: self.path.render(),
                        })
                    }
                };
                let inner_ty = parse_type_json(type_json)?;
                let inner = self.value(&inner_ty, depth + 1)?;
                Ok(Value::Dynamic(inner_ty, Box::new(inner)))
            }
        }
    }
}

/// Encode `value` as msgpack for type `ty`, byte-for-byte as cty would. Object attributes
/// missing from the value are written as null; attributes the type lacks are an error.
///
/// The markers are `rmp`'s: its writers pick the smallest form of every integer, string and
/// length header, which is what cty's msgpack library writes too.
pub fn encode(value: &Value, ty: &Type) -> Result<Vec<u8>, EncodeError> {
    let mut e = Encoder {
        out: ByteBuf::with_capacity(64),
        path: PathTracker::default(),
    };
    e.value(value, ty, 0)?;
    Ok(e.out.into_vec())
}

struct Encoder {
    out: ByteBuf,
    path: PathTracker,
}

/// Writing into a [`ByteBuf`] cannot fail.
fn written<T>(r: Result<T, ValueWriteError<Infallible>>) -> T {
    match r {
        Ok(v) => v,
        Err(ValueWriteError::InvalidMarkerWrite(e) | ValueWriteError::InvalidDataWrite(e)) => {
            match e {}
        }
    }
}

impl Encoder {
    /// A length as msgpack carries it (at most `u32::MAX`).
    fn len(&self, n: usize) -> Result<u32, EncodeError> {
        u32::try_from(n).map_err(|_| EncodeError::TooLarge {
            path: self.path.render(),
        })
    }

    fn array_len(&mut self, n: usize) -> Result<(), EncodeError> {
        let n = self.len(n)?;
        written(encode::write_array_len(&mut self.out, n));
        Ok(())
    }

    fn map_len(&mut self, n: usize) -> Result<(), EncodeError> {
        let n = self.len(n)?;
        written(encode::write_map_len(&mut self.out, n));
        Ok(())
    }

    fn str(&mut self, s: &str) -> Result<(), EncodeError> {
        self.len(s.len())?;
        written(encode::write_str(&mut self.out, s));
        Ok(())
    }

    fn number(&mut self, n: &Number) -> Result<(), EncodeError> {
        match n {
            Number::Int(i) => {
                written(encode::write_sint(&mut self.out, *i));
            }
            Number::Decimal(text) => match exact_to_f64(n) {
                Some(f) => written(encode::write_f64(&mut self.out, f)),
                None => self.str(text)?,
            },
        }
        Ok(())
    }

    fn value(&mut self, value: &Value, ty: &Type, depth: usize) -> Result<(), EncodeError> {
        if depth > MAX_DEPTH {
            return Err(EncodeError::TooDeep {
                max: MAX_DEPTH,
                path: self.path.render(),
            });
        }
        match (value, ty) {
            (Value::Null, _) => {
                let Ok(()) = encode::write_nil(&mut self.out);
            }
            (Value::Unknown, _) => {
                // cty's unknown value: extension 0 carrying one zero byte.
                written(encode::write_ext_meta(&mut self.out, 1, EXT_UNKNOWN));
                self.out.as_mut_vec().push(0);
            }
            (Value::Bool(b), Type::Bool) => {
                let Ok(()) = encode::write_bool(&mut self.out, *b);
            }
            (Value::Number(n), Type::Number) => self.number(n)?,
            (Value::String(s), Type::String) => self.str(s)?,
            (Value::List(items), Type::List(e)) | (Value::Set(items), Type::Set(e)) => {
                self.array_len(items.len())?;
                for (i, item) in items.iter().enumerate() {
                    self.path.index(i);
                    self.value(item, e, depth + 1)?;
                    self.path.pop();
                }
            }
            (Value::Tuple(items), Type::Tuple(elems)) => {
                if items.len() != elems.len() {
                    return Err(EncodeError::TupleLength {
                        expected: elems.len(),
                        found: items.len(),
                        path: self.path.render(),
                    });
                }
                self.array_len(items.len())?;
                for (i, (item, t)) in items.iter().zip(elems).enumerate() {
                    self.path.index(i);
                    self.value(item, t, depth + 1)?;
                    self.path.pop();
                }
            }
            (Value::Map(entries), Type::Map(e)) => {
                self.map_len(entries.len())?;
                for (k, v) in entries {
                    self.str(k)?;
                    self.path.key(k);
                    self.value(v, e, depth + 1)?;
                    self.path.pop();
                }
            }
            (Value::Object(attrs), Type::Object(types)) => {
                if let Some(extra) = attrs.keys().find(|k| !types.contains_key(*k)) {
                    return Err(EncodeError::UnexpectedAttribute {
                        name: extra.clone(),
                        path: self.path.render(),
                    });
                }
                self.map_len(types.len())?;
                for (name, t) in types {
                    self.str(name)?;
                    self.path.attr(name);
                    self.value(attrs.get(name).unwrap_or(&Value::Null), t, depth + 1)?;
                    self.path.pop();
                }
            }
            (Value::Dynamic(inner_ty, inner), Type::Dynamic) => {
                // cty's dynamic value: [type JSON as bin, value].
                self.array_len(2)?;
                let type_json = type_to_json(inner_ty);
                self.len(type_json.len())?;
                written(encode::write_bin(&mut self.out, type_json.as_bytes()));
                self.value(inner, inner_ty, depth + 1)?;
            }
            _ => {
                return Err(EncodeError::Mismatch {
                    expected: type_name(ty),
                    found: value_kind(value).to_owned(),
                    path: self.path.render(),
                })
            }
        }
        Ok(())
    }
}
