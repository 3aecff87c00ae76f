//! msgpack decoding of arbitrary bytes against a type chosen by the input: must never panic,
//! and whatever decodes must re-encode and decode back to the same value.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use terraform_provider_authentik::protocol::codec::msgpack;

fuzz_target!(|data: &[u8]| {
    let mut rest = data;
    let ty = common::type_from(&mut rest, 4);
    if let Ok(value) = msgpack::decode(rest, &ty) {
        let bytes = msgpack::encode(&value, &ty).expect("a decoded value re-encodes");
        let again = msgpack::decode(&bytes, &ty).expect("re-encoded bytes decode");
        assert_eq!(again, value, "round trip");
    }
});
