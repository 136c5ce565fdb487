//! Support for the fuzz targets: the provider's value module, compiled here on its own, and a way to derive
//! a schema type from fuzzer input.
//!
//! `provider/src/value/` only depends on small crates (bigdecimal, rmp, serde_json, thiserror), so it is
//! included by path rather than through the provider crate, whose dependency tree (kube, tonic, aws-lc)
//! would make every sanitizer build slow. This requires the value module to use only `super::` paths.

#[path = "../../src/value/mod.rs"]
pub mod value;

use value::Type;

/// Reads a type from the front of `data` and returns it with the remaining bytes. Each byte picks a kind;
/// containers take their element types from the following bytes, up to `depth` levels. Object attributes
/// are named `a`, `b`, `c`, … so that inputs can match them.
pub fn split_type(data: &[u8], depth: u32) -> (Type, &[u8]) {
    let mut rest = data;
    let ty = read_type(&mut rest, depth);
    (ty, rest)
}

fn read_type(data: &mut &[u8], depth: u32) -> Type {
    let Some((&byte, rest)) = data.split_first() else {
        return Type::String;
    };
    *data = rest;
    let count = usize::from(byte / 9 % 5);
    match byte % 9 {
        0 => Type::Bool,
        1 => Type::Number,
        2 => Type::String,
        3 => Type::Dynamic,
        _ if depth == 0 => Type::String,
        4 => Type::list(read_type(data, depth - 1)),
        5 => Type::set(read_type(data, depth - 1)),
        6 => Type::map(read_type(data, depth - 1)),
        7 => Type::Object(
            (b'a'..)
                .take(count)
                .map(|name| (char::from(name).to_string(), read_type(data, depth - 1)))
                .collect(),
        ),
        _ => Type::Tuple((0..count).map(|_| read_type(data, depth - 1)).collect()),
    }
}
