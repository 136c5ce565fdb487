//! Decodes arbitrary bytes as JSON against a type taken from the input, in both modes. Decoding must never
//! panic, and a decoded value that encodes (infinities do not) must decode back to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use terraform_provider_hub_fuzz::{split_type, value::json};

fuzz_target!(|data: &[u8]| {
    let (ty, bytes) = split_type(data, 5);
    for decode in [json::decode, json::decode_ignoring_undefined] {
        let Ok(value) = decode(bytes, &ty) else {
            continue;
        };
        if let Ok(encoded) = json::encode(&value, &ty) {
            assert_eq!(json::decode(&encoded, &ty), Ok(value));
        }
    }
});
