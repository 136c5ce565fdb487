//! Decodes arbitrary bytes as msgpack against a type taken from the input. Decoding must never panic, and
//! anything that decodes must encode, and encode to the same bytes after one more decode (the second pass
//! only normalises: cut string prefixes, dropped oversized bounds, collapsed `{1: true}` refinements).
#![no_main]

use libfuzzer_sys::fuzz_target;
use terraform_provider_hub_fuzz::{split_type, value::msgpack};

fuzz_target!(|data: &[u8]| {
    let (ty, bytes) = split_type(data, 5);
    let Ok(value) = msgpack::decode(bytes, &ty) else {
        return;
    };
    let encoded = msgpack::encode(&value, &ty).expect("a decoded value encodes");
    let again = msgpack::decode(&encoded, &ty).expect("an encoded value decodes");
    assert_eq!(msgpack::encode(&again, &ty).expect("re-encodes"), encoded);
});
