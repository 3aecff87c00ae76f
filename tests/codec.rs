//! Value codec tests: golden msgpack bytes (hand-checkable and captured from real Terraform),
//! round trips for every type with nulls and unknowns nested everywhere, lossless numbers,
//! JSON state decoding (strict and lenient) and error reporting on malformed input.

#[path = "common/toy.rs"]
mod toy;

use std::collections::BTreeMap;
use terraform_provider_authentik::protocol::codec::{json, msgpack, DecodeError};
use terraform_provider_authentik::protocol::{Number, Type, Value};

/// The attributes of an object value or type, by name.
fn fields<T: Clone>(pairs: &[(&str, T)]) -> BTreeMap<String, T> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

fn obj(pairs: &[(&str, Value)]) -> Value {
    Value::Object(fields(pairs))
}

fn obj_ty(pairs: &[(&str, Type)]) -> Type {
    Type::Object(fields(pairs))
}

fn s(v: &str) -> Value {
    Value::String(v.to_owned())
}

fn n(text: &str) -> Value {
    Value::Number(Number::parse(text).unwrap_or_else(|| panic!("bad number {text}")))
}

fn fixture(path: &str) -> Vec<u8> {
    let full = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

fn rt_msgpack(v: &Value, ty: &Type) {
    let bytes = msgpack::encode(v, ty).unwrap_or_else(|e| panic!("encode {v:?}: {e}"));
    let back = msgpack::decode(&bytes, ty).unwrap_or_else(|e| panic!("decode {v:?}: {e}"));
    assert_eq!(&back, v, "msgpack round trip of {v:?} as {ty:?}");
}

fn rt_json(v: &Value, ty: &Type) {
    let bytes = json::encode(v, ty).unwrap_or_else(|e| panic!("encode {v:?}: {e}"));
    let back = json::decode(&bytes, ty).unwrap_or_else(|e| panic!("decode {v:?}: {e}"));
    assert_eq!(&back, v, "JSON round trip of {v:?} as {ty:?}");
}

// ---------------------------------------------------------------------------------------------
// Golden bytes
// ---------------------------------------------------------------------------------------------

#[test]
fn golden_hand_checked_encodings() {
    let ty = obj_ty(&[("a", Type::String)]);
    assert_eq!(
        msgpack::encode(&obj(&[("a", s("b"))]), &ty).ok(),
        Some(vec![0x81, 0xa1, b'a', 0xa1, b'b'])
    );
    assert_eq!(
        msgpack::encode(&Value::Unknown, &Type::String).ok(),
        Some(vec![0xd4, 0x00, 0x00])
    );
    assert_eq!(msgpack::encode(&Value::Null, &ty).ok(), Some(vec![0xc0]));
    assert_eq!(
        msgpack::encode(&Value::Bool(true), &Type::Bool).ok(),
        Some(vec![0xc3])
    );
    // Integers take their smallest form, as cty's encoder writes them.
    let ints: &[(i64, &[u8])] = &[
        (0, &[0x00]),
        (127, &[0x7f]),
        (128, &[0xcc, 0x80]),
        (65_536, &[0xce, 0x00, 0x01, 0x00, 0x00]),
        (-1, &[0xff]),
        (-33, &[0xd0, 0xdf]),
        (i64::MIN, &[0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0]),
    ];
    for (i, bytes) in ints {
        assert_eq!(
            msgpack::encode(&Value::Number(Number::Int(*i)), &Type::Number).ok(),
            Some(bytes.to_vec()),
            "{i}"
        );
    }
    // 1.5 is exactly a float64; 0.1 is not, so it travels as text.
    assert_eq!(
        msgpack::encode(&n("1.5"), &Type::Number).ok(),
        Some(vec![0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0])
    );
    assert_eq!(
        msgpack::encode(&n("0.1"), &Type::Number).ok(),
        Some(vec![0xa3, b'0', b'.', b'1'])
    );
    // A list with a nested unknown and a null.
    assert_eq!(
        msgpack::encode(
            &Value::List(vec![s("x"), Value::Unknown, Value::Null]),
            &Type::list(Type::String)
        )
        .ok(),
        Some(vec![0x93, 0xa1, b'x', 0xd4, 0, 0, 0xc0])
    );
    // dynamic: [type JSON as bin, value]
    assert_eq!(
        msgpack::encode(
            &Value::Dynamic(Type::String, Box::new(s("v"))),
            &Type::Dynamic
        )
        .ok(),
        Some([&[0x92, 0xc4, 8][..], b"\"string\"", &[0xa1, b'v'][..]].concat())
    );
}

#[test]
fn golden_vectors_from_terraform_decode_and_reencode_identically() {
    let ty = toy::thing_schema().block.object_type();
    for v in ["tf-1.0.3", "tf-1.15.5"] {
        for f in ["thing_a_config.msgpack", "thing_a_planned.msgpack"] {
            let bytes = fixture(&format!("{v}/{f}"));
            let value = msgpack::decode(&bytes, &ty).unwrap_or_else(|e| panic!("{v}/{f}: {e}"));
            let again = msgpack::encode(&value, &ty).unwrap_or_else(|e| panic!("{v}/{f}: {e}"));
            assert_eq!(again, bytes, "{v}/{f} re-encodes byte for byte");
        }
    }
    let bytes = fixture("tf-1.15.5/thing_b_config_unknowns.msgpack");
    let value = msgpack::decode(&bytes, &ty).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(msgpack::encode(&value, &ty).ok(), Some(bytes));
}

#[test]
fn terraform_config_decodes_to_the_expected_values() {
    let ty = toy::thing_schema().block.object_type();
    let v = msgpack::decode(&fixture("tf-1.15.5/thing_a_config.msgpack"), &ty)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v.get("name"), &s("alpha"));
    assert_eq!(v.get("size"), &n("1.5"));
    assert_eq!(v.get("enabled"), &Value::Bool(true));
    assert_eq!(v.get("id"), &Value::Null);
    assert_eq!(v.get("tags"), &Value::List(vec![s("x"), s("y")]));
    assert_eq!(v.get("labels"), &Value::Set(vec![s("l1")]));
    assert_eq!(
        v.get("meta"),
        &Value::Map([("k".to_owned(), s("v"))].into_iter().collect())
    );
    // A 30-digit integer, far beyond u64, arrives as text and stays exact.
    assert_eq!(
        v.get("nested").get("b"),
        &Value::Number(Number::Decimal("123456789012345678901234567890".into()))
    );
    let tuple_ty = Type::Tuple(vec![Type::Number, Type::Number]);
    assert_eq!(
        v.get("extra"),
        &Value::Dynamic(
            obj_ty(&[("q", tuple_ty)]),
            Box::new(obj(&[("q", Value::Tuple(vec![n("1"), n("2")]))]))
        )
    );

    let planned = msgpack::decode(&fixture("tf-1.15.5/thing_a_planned.msgpack"), &ty)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(planned.get("id"), &Value::Unknown);

    let b = msgpack::decode(&fixture("tf-1.15.5/thing_b_config_unknowns.msgpack"), &ty)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(b.get("name"), &Value::Unknown);
    assert_eq!(b.get("tags"), &Value::List(vec![Value::Unknown, s("z")]));
    assert_eq!(b.get("size"), &n("0.1"));
}

#[test]
fn refined_unknowns_from_terraform_are_plain_unknowns() {
    let ty = toy::thing_schema().block.object_type();
    let bytes = fixture("tf-1.15.5/thing_c_config_refined.msgpack");
    // The capture really holds an extension-12 item (c7 <len> 0c ...).
    assert!(bytes.windows(3).any(|w| w[0] == 0xc7 && w[2] == 0x0c));
    let c = msgpack::decode(&bytes, &ty).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.get("name"), &Value::Unknown);
    // Re-encoded, the refinement is dropped: a plain unknown.
    let again = msgpack::encode(&c, &ty).unwrap_or_else(|e| panic!("{e}"));
    assert!(again.windows(3).any(|w| w == [0xd4, 0x00, 0x00]));
    // Hand-made refined unknowns of other shapes too.
    for bytes in [
        vec![0xd4, 0x0c, 0x00],
        vec![0xc7, 0x03, 0x0c, 0x81, 0x01, 0xc2],
    ] {
        assert_eq!(msgpack::decode(&bytes, &Type::String), Ok(Value::Unknown));
    }
}

#[test]
fn state_json_from_terraform_decodes() {
    let ty = toy::thing_schema().block.object_type();
    let raw = fixture("tf-1.0.3/thing_a_state.json");
    let v = json::decode(&raw, &ty).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v.get("id"), &s("toy-alpha"));
    assert_eq!(v.get("size"), &n("1.5"));
    assert_eq!(
        v.get("nested").get("b"),
        &Value::Number(Number::Decimal("123456789012345678901234567890".into()))
    );
    assert!(matches!(v.get("extra"), Value::Dynamic(..)));
    // And it re-encodes to the same msgpack Terraform sent as planned state, minus the id.
    let planned = msgpack::decode(&fixture("tf-1.0.3/thing_a_planned.msgpack"), &ty)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut expected = planned.as_object().cloned().unwrap_or_default();
    expected.insert("id".into(), s("toy-alpha"));
    assert_eq!(v, Value::Object(expected));
}

// ---------------------------------------------------------------------------------------------
// Round trips
// ---------------------------------------------------------------------------------------------

fn every_type_and_values() -> Vec<(Type, Vec<Value>)> {
    let inner = obj_ty(&[("a", Type::String), ("b", Type::list(Type::Number))]);
    vec![
        (
            Type::String,
            vec![s(""), s("héllo \"q\" \n"), Value::Null, Value::Unknown],
        ),
        (
            Type::Number,
            vec![
                n("0"),
                n("-17"),
                n("9223372036854775807"),
                n("-9223372036854775808"),
                n("9223372036854775808"),
                n("18446744073709551615"),
                n("18446744073709551616"),
                n("123456789012345678901234567890123456789"),
                n("-0.000000000000000000000000001"),
                n("3.14159265358979323846264338327950288"),
                n("1.5"),
                n("1e300"),
                Value::Null,
                Value::Unknown,
            ],
        ),
        (
            Type::Bool,
            vec![Value::Bool(false), Value::Bool(true), Value::Null],
        ),
        (
            Type::list(Type::String),
            vec![
                Value::List(vec![]),
                Value::List(vec![s("a"), Value::Null, Value::Unknown]),
                Value::Unknown,
            ],
        ),
        (
            Type::set(Type::Number),
            vec![Value::Set(vec![n("1"), n("2.5"), Value::Unknown])],
        ),
        (
            Type::map(Type::Bool),
            vec![Value::Map(
                [
                    ("x".to_owned(), Value::Bool(true)),
                    ("y".to_owned(), Value::Null),
                    ("z".to_owned(), Value::Unknown),
                ]
                .into_iter()
                .collect(),
            )],
        ),
        (
            inner.clone(),
            vec![
                obj(&[("a", Value::Null), ("b", Value::Unknown)]),
                obj(&[("a", s("q")), ("b", Value::List(vec![n("1"), Value::Null]))]),
            ],
        ),
        (
            Type::Tuple(vec![Type::String, Type::Number, Type::Bool]),
            vec![Value::Tuple(vec![s("t"), Value::Unknown, Value::Null])],
        ),
        (
            Type::list(Type::map(inner.clone())),
            vec![Value::List(vec![Value::Map(
                [(
                    "k".to_owned(),
                    obj(&[("a", s("deep")), ("b", Value::List(vec![Value::Unknown]))]),
                )]
                .into_iter()
                .collect(),
            )])],
        ),
        (
            Type::Dynamic,
            vec![
                Value::Null,
                Value::Unknown,
                Value::Dynamic(Type::String, Box::new(s("dyn"))),
                Value::Dynamic(Type::Number, Box::new(Value::Unknown)),
                Value::Dynamic(
                    inner.clone(),
                    Box::new(obj(&[("a", Value::Null), ("b", Value::List(vec![n("7")]))])),
                ),
                Value::Dynamic(
                    Type::list(Type::Dynamic),
                    Box::new(Value::List(vec![Value::Dynamic(
                        Type::Bool,
                        Box::new(Value::Bool(true)),
                    )])),
                ),
            ],
        ),
        (
            obj_ty(&[("d", Type::Dynamic), ("s", Type::set(inner))]),
            vec![obj(&[
                ("d", Value::Dynamic(Type::Bool, Box::new(Value::Null))),
                (
                    "s",
                    Value::Set(vec![obj(&[("a", Value::Unknown), ("b", Value::Null)])]),
                ),
            ])],
        ),
    ]
}

#[test]
fn msgpack_round_trips_every_type() {
    for (ty, values) in every_type_and_values() {
        for v in &values {
            rt_msgpack(v, &ty);
        }
    }
}

#[test]
fn json_round_trips_every_known_value() {
    for (ty, values) in every_type_and_values() {
        for v in values.iter().filter(|v| !v.contains_unknown()) {
            rt_json(v, &ty);
        }
    }
}

#[test]
fn json_cannot_carry_unknowns() {
    assert!(json::encode(&Value::Unknown, &Type::String).is_err());
    assert!(json::encode(
        &Value::List(vec![Value::Unknown]),
        &Type::list(Type::String)
    )
    .is_err());
}

#[test]
fn numbers_are_lossless_on_every_wire_form() {
    // msgpack: uint64 beyond i64, float64, float32, text
    let cases: Vec<(Vec<u8>, Value)> = vec![
        (
            [&[0xcf][..], &u64::MAX.to_be_bytes()].concat(),
            n("18446744073709551615"),
        ),
        (
            [&[0xcb][..], &0.1f64.to_be_bytes()].concat(),
            n("0.1000000000000000055511151231257827021181583404541015625"),
        ),
        ([&[0xca][..], &0.5f32.to_be_bytes()].concat(), n("0.5")),
        ([&[0xcb][..], &(-2.0f64).to_be_bytes()].concat(), n("-2")),
        (
            [&[0xa5][..], b"1e-30"].concat(),
            n("0.000000000000000000000000000001"),
        ),
    ];
    for (bytes, expected) in cases {
        assert_eq!(msgpack::decode(&bytes, &Type::Number), Ok(expected.clone()));
        rt_msgpack(&expected, &Type::Number);
    }
    // JSON keeps the digits as text.
    let big = "123456789012345678901234567890.000000000000000000001";
    assert_eq!(json::decode(big.as_bytes(), &Type::Number), Ok(n(big)));
    assert_eq!(
        json::encode(&n(big), &Type::Number).ok(),
        Some(big.as_bytes().to_vec())
    );
}

// ---------------------------------------------------------------------------------------------
// JSON specifics
// ---------------------------------------------------------------------------------------------

#[test]
fn json_strict_and_lenient_objects() {
    let ty = obj_ty(&[("a", Type::String), ("n", obj_ty(&[("x", Type::Number)]))]);
    let raw = br#"{"a":"v","gone":1,"n":{"x":2,"old":true}}"#;
    let err = json::decode(raw, &ty);
    assert!(
        matches!(err, Err(DecodeError::UnexpectedAttribute { ref name, .. }) if name == "gone"),
        "{err:?}"
    );
    let v = json::decode_lenient(raw, &ty).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v, obj(&[("a", s("v")), ("n", obj(&[("x", n("2"))]))]));
    // Missing attributes become null, in both modes.
    assert_eq!(
        json::decode(br#"{"n":null}"#, &ty),
        Ok(obj(&[("a", Value::Null), ("n", Value::Null)]))
    );
}

#[test]
fn json_primitive_conversions_like_cty() {
    assert_eq!(json::decode(b"12", &Type::String), Ok(s("12")));
    assert_eq!(json::decode(b"true", &Type::String), Ok(s("true")));
    assert_eq!(json::decode(br#""12.50""#, &Type::Number), Ok(n("12.5")));
    assert_eq!(
        json::decode(br#""false""#, &Type::Bool),
        Ok(Value::Bool(false))
    );
    assert!(json::decode(br#""maybe""#, &Type::Bool).is_err());
}

#[test]
fn json_strings_with_escapes() {
    let v = json::decode(br#""a\"b\\c\n\u00e9\ud83d\ude00\ud800x""#, &Type::String);
    assert_eq!(v, Ok(s("a\"b\\c\né😀\u{fffd}x")));
    let text = "tab\t, quote \", ctrl \u{1}";
    rt_json(&s(text), &Type::String);
}

#[test]
fn dynamic_json_form() {
    let v = Value::Dynamic(
        Type::list(Type::String),
        Box::new(Value::List(vec![s("a")])),
    );
    let bytes = json::encode(&v, &Type::Dynamic).unwrap_or_default();
    assert_eq!(
        bytes,
        br#"{"value":["a"],"type":["list","string"]}"#.to_vec()
    );
    assert!(matches!(
        json::decode(br#"{"value":1}"#, &Type::Dynamic),
        Err(DecodeError::InvalidDynamic { .. })
    ));
}

// ---------------------------------------------------------------------------------------------
// Malformed input
// ---------------------------------------------------------------------------------------------

#[test]
fn malformed_msgpack_is_a_typed_error_with_a_path() {
    let ty = obj_ty(&[("tags", Type::list(Type::String))]);
    // {"tags": [ "x", 5 ]}: the second element is not a string.
    let bytes = [0x81, 0xa4, b't', b'a', b'g', b's', 0x92, 0xa1, b'x', 0x05];
    match msgpack::decode(&bytes, &ty) {
        Err(DecodeError::Mismatch { path, .. }) => assert_eq!(path, "tags[1]"),
        other => panic!("{other:?}"),
    }
    // Truncated, trailing, unknown attribute, bad marker, bad extension, bad UTF-8.
    assert!(matches!(
        msgpack::decode(&[0x92, 0xa1], &Type::list(Type::String)),
        Err(DecodeError::UnexpectedEof { .. })
    ));
    assert_eq!(
        msgpack::decode(&[0xc0, 0xc0], &Type::String),
        Err(DecodeError::TrailingBytes(1))
    );
    assert!(matches!(
        msgpack::decode(&[0x81, 0xa1, b'z', 0xc0], &ty),
        Err(DecodeError::UnexpectedAttribute { .. })
    ));
    assert!(matches!(
        msgpack::decode(&[0xc1], &Type::String),
        Err(DecodeError::InvalidMarker { marker: 0xc1, .. })
    ));
    assert!(matches!(
        msgpack::decode(&[0xd4, 0x05, 0x00], &Type::String),
        Err(DecodeError::UnsupportedExtension { ext: 5, .. })
    ));
    assert!(matches!(
        msgpack::decode(&[0xa2, 0xff, 0xfe], &Type::String),
        Err(DecodeError::InvalidUtf8 { .. })
    ));
    // A huge declared length with no data behind it fails fast instead of allocating.
    assert!(msgpack::decode(&[0xdd, 0xff, 0xff, 0xff, 0xff], &Type::list(Type::String)).is_err());
    assert!(msgpack::decode(&[], &Type::String).is_err());
    // Non-finite floats are not numbers.
    let nan = [&[0xcb][..], &f64::NAN.to_be_bytes()].concat();
    assert!(matches!(
        msgpack::decode(&nan, &Type::Number),
        Err(DecodeError::InvalidNumber { .. })
    ));
}

#[test]
fn deep_nesting_is_refused_not_a_stack_overflow() {
    // 10,000 nested single-element arrays against a deeply nested list type.
    let mut ty = Type::String;
    for _ in 0..100 {
        ty = Type::list(ty);
    }
    let bytes = vec![0x91; 10_000];
    assert!(matches!(
        msgpack::decode(&bytes, &ty),
        Err(DecodeError::TooDeep { .. })
    ));
    // Dynamic values naming ever more dynamic types.
    let mut dynamic_bomb = Vec::new();
    for _ in 0..5_000 {
        dynamic_bomb.extend_from_slice(&[0x92, 0xc4, 9]);
        dynamic_bomb.extend_from_slice(b"\"dynamic\"");
    }
    assert!(msgpack::decode(&dynamic_bomb, &Type::Dynamic).is_err());
    let deep_json = "[".repeat(100_000);
    assert!(json::decode(deep_json.as_bytes(), &Type::list(Type::String)).is_err());
    let deep_value = (0..200).fold(s("x"), |v, _| Value::List(vec![v]));
    let deep_type = (0..200).fold(Type::String, |t, _| Type::list(t));
    assert!(msgpack::encode(&deep_value, &deep_type).is_err());
    assert!(json::encode(&deep_value, &deep_type).is_err());
}

#[test]
fn encode_rejects_values_that_do_not_fit() {
    let ty = obj_ty(&[("a", Type::String)]);
    assert!(msgpack::encode(&obj(&[("b", s("x"))]), &ty).is_err());
    assert!(msgpack::encode(&s("x"), &Type::Number).is_err());
    assert!(msgpack::encode(
        &Value::Tuple(vec![s("x")]),
        &Type::Tuple(vec![Type::String, Type::String])
    )
    .is_err());
    // Missing attributes are written as null.
    let mut m = BTreeMap::new();
    m.insert("a".to_owned(), Value::Null);
    assert_eq!(
        msgpack::encode(&Value::Object(BTreeMap::new()), &ty).ok(),
        msgpack::encode(&Value::Object(m), &ty).ok()
    );
}

#[test]
fn malformed_json_is_a_typed_error() {
    for bad in [
        &b""[..],
        b"{",
        b"[1,]",
        b"{\"a\" 1}",
        b"01",
        b"1.",
        b"-",
        b"\"unterminated",
        b"\"bad \\q escape\"",
        b"nul",
        b"1 2",
        b"\xff",
    ] {
        assert!(
            matches!(
                json::decode(bad, &Type::Dynamic),
                Err(DecodeError::Syntax { .. })
            ),
            "{:?}",
            String::from_utf8_lossy(bad)
        );
    }
}
