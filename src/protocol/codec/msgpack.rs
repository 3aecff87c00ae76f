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
use rmp::decode::{self, RmpRead};
use rmp::encode::{self, ByteBuf, ValueWriteError};
use rmp::Marker;
use std::collections::BTreeMap;
use std::convert::Infallible;

/// msgpack extension type of an unknown value.
pub const EXT_UNKNOWN: i8 = 0;
/// msgpack extension type of an unknown value with refinements (Terraform 1.6+).
pub const EXT_REFINED_UNKNOWN: i8 = 12;

/// Decode a msgpack value of type `ty`.
pub fn decode(bytes: &[u8], ty: &Type) -> Result<Value, DecodeError> {
    let mut d = Decoder {
        rest: bytes,
        path: PathTracker::default(),
    };
    let v = d.value(ty, 0)?;
    if !d.rest.is_empty() {
        return Err(DecodeError::TrailingBytes(d.rest.len()));
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
    /// The bytes not read yet (the reader `rmp` advances).
    rest: &'a [u8],
    path: PathTracker,
}

impl<'a> Decoder<'a> {
    fn eof(&self) -> DecodeError {
        DecodeError::UnexpectedEof {
            path: self.path.render(),
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if n > self.rest.len() {
            return Err(self.eof());
        }
        let (s, rest) = self.rest.split_at(n);
        self.rest = rest;
        Ok(s)
    }

    /// The length that follows a sized marker (8, 16 or 32 bits by the marker).
    fn len(&mut self, marker: Marker) -> Result<usize, DecodeError> {
        let n = match marker {
            Marker::Bin8 | Marker::Str8 | Marker::Ext8 => self.rest.read_data_u8().map(u32::from),
            Marker::Bin16 | Marker::Str16 | Marker::Ext16 | Marker::Array16 | Marker::Map16 => {
                self.rest.read_data_u16().map(u32::from)
            }
            _ => self.rest.read_data_u32(),
        };
        n.ok()
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| self.eof())
    }

    /// A collection can't hold more elements than there are bytes left (each takes >= 1).
    fn check_count(&self, n: usize) -> Result<usize, DecodeError> {
        if n > self.rest.len() {
            Err(self.eof())
        } else {
            Ok(n)
        }
    }

    /// An extension's type, skipping its `n` data bytes.
    fn ext(&mut self, n: usize) -> Result<Item<'a>, DecodeError> {
        let t = self.rest.read_data_i8().map_err(|_| self.eof())?;
        self.take(n)?;
        Ok(Item::Ext(t))
    }

    fn item(&mut self) -> Result<Item<'a>, DecodeError> {
        let marker = decode::read_marker(&mut self.rest).map_err(|_| self.eof())?;
        let rd = &mut self.rest;
        let item = match marker {
            Marker::FixPos(n) => Ok(Item::Int(i64::from(n))),
            Marker::FixNeg(n) => Ok(Item::Int(i64::from(n))),
            Marker::FixMap(n) => return Ok(Item::Map(self.check_count(usize::from(n))?)),
            Marker::FixArray(n) => return Ok(Item::Array(self.check_count(usize::from(n))?)),
            Marker::FixStr(n) => return Ok(Item::Str(self.take(usize::from(n))?)),
            Marker::Null => Ok(Item::Nil),
            Marker::False => Ok(Item::Bool(false)),
            Marker::True => Ok(Item::Bool(true)),
            Marker::Bin8 | Marker::Bin16 | Marker::Bin32 => {
                let n = self.len(marker)?;
                return Ok(Item::Bin(self.take(n)?));
            }
            Marker::Str8 | Marker::Str16 | Marker::Str32 => {
                let n = self.len(marker)?;
                return Ok(Item::Str(self.take(n)?));
            }
            Marker::Array16 | Marker::Array32 => {
                let n = self.len(marker)?;
                return Ok(Item::Array(self.check_count(n)?));
            }
            Marker::Map16 | Marker::Map32 => {
                let n = self.len(marker)?;
                return Ok(Item::Map(self.check_count(n)?));
            }
            Marker::Ext8 | Marker::Ext16 | Marker::Ext32 => {
                let n = self.len(marker)?;
                return self.ext(n);
            }
            Marker::FixExt1 => return self.ext(1),
            Marker::FixExt2 => return self.ext(2),
            Marker::FixExt4 => return self.ext(4),
            Marker::FixExt8 => return self.ext(8),
            Marker::FixExt16 => return self.ext(16),
            Marker::F32 => rd.read_data_f32().map(|f| Item::Float(f64::from(f))),
            Marker::F64 => rd.read_data_f64().map(Item::Float),
            Marker::U8 => rd.read_data_u8().map(|u| Item::Uint(u64::from(u))),
            Marker::U16 => rd.read_data_u16().map(|u| Item::Uint(u64::from(u))),
            Marker::U32 => rd.read_data_u32().map(|u| Item::Uint(u64::from(u))),
            Marker::U64 => rd.read_data_u64().map(Item::Uint),
            Marker::I8 => rd.read_data_i8().map(|i| Item::Int(i64::from(i))),
            Marker::I16 => rd.read_data_i16().map(|i| Item::Int(i64::from(i))),
            Marker::I32 => rd.read_data_i32().map(|i| Item::Int(i64::from(i))),
            Marker::I64 => rd.read_data_i64().map(Item::Int),
            Marker::Reserved => {
                return Err(DecodeError::InvalidMarker {
                    marker: marker.to_u8(),
                    path: self.path.render(),
                })
            }
        };
        item.map_err(|_| self.eof())
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
