//! cty JSON and type-JSON decoding of arbitrary bytes: must never panic; decoded values must
//! round-trip through JSON and msgpack.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use terraform_provider_authentik::protocol::codec::{json, msgpack, parse_type_json};

fuzz_target!(|data: &[u8]| {
    let _ = parse_type_json(data);
    let mut rest = data;
    let ty = common::type_from(&mut rest, 4);
    let _ = json::decode_lenient(rest, &ty);
    if let Ok(value) = json::decode(rest, &ty) {
        let bytes = json::encode(&value, &ty).expect("a decoded value re-encodes");
        let again = json::decode(&bytes, &ty).expect("re-encoded JSON decodes");
        assert_eq!(again, value, "JSON round trip");
        let mp = msgpack::encode(&value, &ty).expect("msgpack encodes");
        assert_eq!(
            msgpack::decode(&mp, &ty).ok(),
            Some(value),
            "msgpack round trip"
        );
    }
});
