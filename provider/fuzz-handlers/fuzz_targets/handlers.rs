//! The request handlers under libFuzzer: each input picks an RPC that decodes a value, a resource or data
//! source type (or the provider block), and the bytes of the request's DynamicValues, then makes the request
//! to the in-process service of an unconfigured provider. No handler may panic, and a request whose values
//! do not decode must be answered with an error diagnostic (see src/run.rs; the proptest
//! provider/tests/handler_robustness.rs checks the same on every `cargo test`).
#![no_main]

use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use terraform_provider_hub_fuzz_handlers::case::Case;
use terraform_provider_hub_fuzz_handlers::run::HARNESS;

fuzz_target!(|data: &[u8]| {
    let harness = &*HARNESS;
    let Ok(case) = Case::draw(&mut Unstructured::new(data), &harness.registry) else {
        return;
    };
    harness.run(&case);
});
