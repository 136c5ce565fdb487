//! Wire values for one DynamicValue (or raw JSON state) of a request, drawn from fuzzer input: raw bytes, or
//! a value generated from the schema's type (so that validators, plan and render code is reached, not only
//! the decoder), encoded as msgpack or JSON and optionally mutated byte by byte, or the all-null object
//! mutated the way the proptest does. The structured choices mean no committed corpus is needed.

use libfuzzer_sys::arbitrary::{Result, Unstructured};

use hub_provider::value::{Number, Refinements, Type, Value, json, msgpack};

/// Strings the handlers look for (enumerations, quantities, names, CIDRs, ARNs, images, JSON), so the
/// fuzzer reaches the code behind the checks without having to guess them byte by byte.
const WORDS: &[&str] = &[
    "",
    "a",
    "app",
    "default",
    "kube-system",
    "hub-sandbox",
    "my-app",
    "web",
    "-bad-",
    "UPPER",
    "a.b/c",
    "app.kubernetes.io/name",
    "kubernetes.io/x",
    "nginx",
    "nginx:1.27",
    "public.ecr.aws/nginx/nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000",
    "100m",
    "1.5",
    "0.5Gi",
    "512Mi",
    "1e3",
    // An exponent that overflowed when negated (security review); the ±64 cap refuses it at validate.
    "1e-9223372036854775808",
    "1e64",
    "-1",
    "0",
    "65536",
    "10.0.0.0/16",
    "0.0.0.0/0",
    "::/0",
    "10.0.0.1/33",
    "300.1.1.1/8",
    "arn:aws:iam::123456789012:role/deploy",
    "arn:aws:iam::123456789012:policy/p",
    "arn:aws:s3:::bucket/*",
    "arn:aws",
    "s3:GetObject",
    "*",
    "{\"Version\":\"2012-10-17\",\"Statement\":[]}",
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}",
    "{",
    "eu-west-1",
    "https://127.0.0.1:6443",
    "http://127.0.0.1:5000",
    "TCP",
    "UDP",
    "SCTP",
    "ClusterIP",
    "NodePort",
    "LoadBalancer",
    "ip",
    "instance",
    "internet-facing",
    "internal",
    "read",
    "write",
    "read-write",
    "off",
    "warn",
    "error",
    "keep",
    "rollback",
    "topology",
    "anti_affinity",
    "none",
    "Equal",
    "Exists",
    "NoSchedule",
    "PreferNoSchedule",
    "NoExecute",
    "restricted",
    "baseline",
    "privileged",
    "/health",
    "/",
    "example.com",
    "*.example.com",
    "ns/name",
    "ns/sa/role",
    "a/b/c/d",
    "\u{0}",
    "é",
];

/// How deep generated values nest (the schemas are at most a few levels deep).
const MAX_DEPTH: u32 = 6;

/// The bytes of one DynamicValue, and whether they go in its `msgpack` or its `json` field.
#[derive(Debug, Clone, Default)]
pub struct Wire {
    pub bytes: Vec<u8>,
    pub json: bool,
}

/// Draws the encoding of a value of type `ty`. `previous` is the request's previous value (if any), which
/// is reused now and then: requests usually carry related values (config = proposed = planned).
pub fn wire(u: &mut Unstructured, ty: &Type, previous: Option<&Wire>) -> Result<Wire> {
    let msgpack = |bytes| Wire { bytes, json: false };
    Ok(match u.int_in_range(0..=9u8)? {
        0 => msgpack(Vec::new()),
        1 => msgpack(u.arbitrary::<Vec<u8>>()?),
        2 => Wire {
            bytes: u.arbitrary::<Vec<u8>>()?,
            json: true,
        },
        3 => msgpack(mutate(u, all_null(ty))?),
        4 => match previous {
            Some(p) => p.clone(),
            None => msgpack(encode_msgpack(&value(u, ty, 0)?, ty)),
        },
        5 => {
            let v = value(u, ty, 0)?;
            msgpack(mutate(u, encode_msgpack(&v, ty))?)
        }
        6 => Wire {
            bytes: json::encode(&value(u, ty, 0)?, ty).unwrap_or_default(),
            json: true,
        },
        _ => msgpack(encode_msgpack(&value(u, ty, 0)?, ty)),
    })
}

/// Raw JSON state bytes (UpgradeResourceState): arbitrary, or a generated value's JSON, maybe mutated.
pub fn raw_json(u: &mut Unstructured, ty: &Type) -> Result<Vec<u8>> {
    Ok(match u.int_in_range(0..=3u8)? {
        0 => u.arbitrary::<Vec<u8>>()?,
        1 => {
            let v = value(u, ty, 0)?;
            mutate(u, json::encode(&v, ty).unwrap_or_default())?
        }
        _ => json::encode(&value(u, ty, 0)?, ty).unwrap_or_default(),
    })
}

/// A valid encoding of an all-null object of `ty` (what the proptest mutates).
pub fn all_null(ty: &Type) -> Vec<u8> {
    let Type::Object(attrs) = ty else { return Vec::new() };
    let value = Value::Object(attrs.keys().map(|k| (k.clone(), Value::Null)).collect());
    encode_msgpack(&value, ty)
}

/// The value's msgpack, or nothing if it does not encode (generated values always should).
fn encode_msgpack(value: &Value, ty: &Type) -> Vec<u8> {
    msgpack::encode(value, ty).unwrap_or_default()
}

/// Overwrites, inserts or removes a few bytes.
fn mutate(u: &mut Unstructured, mut bytes: Vec<u8>) -> Result<Vec<u8>> {
    for _ in 0..u.int_in_range(1..=4u8)? {
        let at: usize = u.arbitrary()?;
        let byte: u8 = u.arbitrary()?;
        let i = if bytes.is_empty() { 0 } else { at % bytes.len() };
        match u.int_in_range(0..=3u8)? {
            0 if !bytes.is_empty() => {
                bytes.remove(i);
            }
            1 => bytes.insert(i, byte),
            2 => bytes.truncate(i),
            _ if bytes.is_empty() => bytes.push(byte),
            _ => bytes[i] = byte,
        }
    }
    Ok(bytes)
}

/// A value of type `ty`: null, unknown (maybe refined) or known, with known parts generated recursively.
pub fn value(u: &mut Unstructured, ty: &Type, depth: u32) -> Result<Value> {
    match u.int_in_range(0..=9u8)? {
        0 => return Ok(Value::Null),
        1 => return Ok(Value::Unknown(refinements(u, ty)?)),
        _ => {}
    }
    let deeper = depth + 1;
    let count = |u: &mut Unstructured| -> Result<usize> {
        Ok(if depth >= MAX_DEPTH {
            0
        } else {
            usize::from(u.int_in_range(0..=3u8)?)
        })
    };
    Ok(match ty {
        Type::Bool => Value::Bool(u.arbitrary()?),
        Type::Number => Value::Number(number(u)?),
        Type::String => Value::String(string(u)?),
        Type::Dynamic => {
            let inner = match u.int_in_range(0..=2u8)? {
                0 => Type::Bool,
                1 => Type::Number,
                _ => Type::String,
            };
            let v = value(u, &inner, deeper)?;
            Value::Dynamic(inner, Box::new(v))
        }
        Type::List(elem) => {
            let n = count(u)?;
            Value::List(elements(u, elem, n, deeper)?)
        }
        Type::Set(elem) => {
            let n = count(u)?;
            Value::Set(elements(u, elem, n, deeper)?)
        }
        Type::Map(elem) => {
            let mut map = std::collections::BTreeMap::new();
            for _ in 0..count(u)? {
                map.insert(string(u)?, value(u, elem, deeper)?);
            }
            Value::Map(map)
        }
        Type::Object(attrs) => {
            let mut object = std::collections::BTreeMap::new();
            for (name, attr_ty) in attrs {
                object.insert(name.clone(), value(u, attr_ty, deeper)?);
            }
            Value::Object(object)
        }
        Type::Tuple(elems) => Value::Tuple(elems.iter().map(|t| value(u, t, deeper)).collect::<Result<Vec<_>>>()?),
    })
}

fn elements(u: &mut Unstructured, elem: &Type, n: usize, depth: u32) -> Result<Vec<Value>> {
    (0..n).map(|_| value(u, elem, depth)).collect()
}

fn refinements(u: &mut Unstructured, ty: &Type) -> Result<Refinements> {
    let mut r = Refinements::default();
    if u.ratio(1, 2)? {
        return Ok(r);
    }
    r.not_null = u.arbitrary()?;
    match ty {
        Type::String => r.string_prefix = u.ratio(1, 2)?.then(|| string(u)).transpose()?,
        Type::Number => {
            r.number_lower = u.ratio(1, 2)?.then(|| Ok((number(u)?, u.arbitrary()?))).transpose()?;
            r.number_upper = u.ratio(1, 2)?.then(|| Ok((number(u)?, u.arbitrary()?))).transpose()?;
        }
        Type::List(_) | Type::Set(_) | Type::Map(_) => {
            r.length_min = u.arbitrary()?;
            r.length_max = u.arbitrary()?;
        }
        _ => {}
    }
    Ok(r)
}

fn string(u: &mut Unstructured) -> Result<String> {
    Ok(match u.int_in_range(0..=3u8)? {
        0 => u.arbitrary::<String>()?,
        1 => {
            let word = u.choose(WORDS)?;
            word.repeat(usize::from(u.int_in_range(1..=80u8)?))
        }
        _ => (*u.choose(WORDS)?).to_owned(),
    })
}

fn number(u: &mut Unstructured) -> Result<Number> {
    Ok(match u.int_in_range(0..=5u8)? {
        0 => Number::from(u.arbitrary::<i64>()?),
        1 => Number::from(u.arbitrary::<u64>()?),
        2 => Number::from_f64(u.arbitrary()?).unwrap_or_else(Number::infinity),
        3 => {
            let text = u.arbitrary::<&str>()?;
            Number::parse(text).unwrap_or_else(|_| Number::neg_infinity())
        }
        4 => Number::parse(u.choose(&["1e400", "-1e400", "0.5", "1e-400", "18446744073709551616", "-0"])?)
            .unwrap_or_else(|_| Number::from(0)),
        _ => Number::from(i64::from(u.int_in_range(-2..=70000i32)?)),
    })
}
