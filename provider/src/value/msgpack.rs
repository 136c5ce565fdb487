//! The msgpack form of values (`DynamicValue.msgpack`), exactly as cty reads and writes it.
//!
//! Core always sends msgpack and only msgpack carries unknown values, so this codec is on every RPC's path
//! and sees bytes we do not control. The decoder therefore never panics: lengths are checked against the
//! input before anything is allocated, arithmetic is checked and nesting is limited to [`MAX_DEPTH`]. The
//! rules (nil is null, any extension is unknown, refinements in extension 12, numbers as int, float or
//! decimal string, dynamic values as `[type JSON, value]`) are those of protocol.md §3 and go-cty's
//! `cty/msgpack`.

use std::collections::{BTreeMap, HashSet};

use super::{DecodeError, EncodeError, Number, Refinements, StepRef, Trail, Type, Value};

/// The deepest nesting of collections, structures and dynamic wrappers either codec accepts.
pub const MAX_DEPTH: usize = 128;

/// A plain unknown as cty writes it: fixext1, type 0, payload 0.
const PLAIN_UNKNOWN: [u8; 3] = [0xd4, 0x00, 0x00];
/// The extension type of an unknown with refinements.
const REFINED_UNKNOWN: i8 = 12;
/// cty rejects a refinement payload larger than this.
const MAX_REFINEMENTS_LEN: usize = 1024;
/// cty keeps string-prefix refinements at most this long; longer prefixes are cut when encoding.
const MAX_PREFIX_LEN: usize = 256;
/// A number bound whose encoding is longer than this is left out when encoding (widening the range).
const MAX_BOUND_LEN: usize = 256;

/// Decodes `bytes` as a value of type `ty`. The whole input must be one value.
pub fn decode(bytes: &[u8], ty: &Type) -> Result<Value, DecodeError> {
    let mut decoder = Decoder {
        reader: Reader { buf: bytes, pos: 0 },
        path: Trail::default(),
        depth: 0,
    };
    let value = decoder.value(ty)?;
    if decoder.reader.pos != bytes.len() {
        return Err(decoder.error("trailing bytes after the value"));
    }
    Ok(value)
}

/// Encodes `value` as type `ty`. Fails (a provider bug) when the value does not conform to the type: a
/// missing or extra object attribute, a wrong tuple length, a refinement that does not fit the type, or a
/// non-dynamic value at a `dynamic` position. Duplicate set elements are written once. Refinements of
/// unknowns at `dynamic` positions are dropped, as cty does.
///
/// Refinements are written only when they say something: `not_null: Some(false)` is the same as `None`,
/// string prefixes are cut to 256 bytes and number bounds longer than 256 bytes are left out (both only
/// widen the range). On the wire key 1 means "is null", so a not-null unknown carries `{1: false}`.
pub fn encode(value: &Value, ty: &Type) -> Result<Vec<u8>, EncodeError> {
    let mut encoder = Encoder {
        out: Vec::new(),
        path: Trail::default(),
        depth: 0,
    };
    encoder.value(value, ty)?;
    Ok(encoder.out)
}

/// One msgpack item; containers carry only their declared length.
#[derive(Debug)]
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
    Ext(i8, &'a [u8]),
}

impl Item<'_> {
    fn kind(&self) -> &'static str {
        match self {
            Item::Nil => "nil",
            Item::Bool(_) => "bool",
            Item::Int(_) | Item::Uint(_) => "integer",
            Item::Float(_) => "float",
            Item::Str(_) => "string",
            Item::Bin(_) => "binary",
            Item::Array(_) => "array",
            Item::Map(_) => "map",
            Item::Ext(..) => "extension",
        }
    }
}

/// A bounds-checked cursor over msgpack bytes.
struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], &'static str> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|end| *end <= self.buf.len())
            .ok_or("unexpected end of input")?;
        let bytes = &self.buf[self.pos..end];
        self.pos = end;
        Ok(bytes)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], &'static str> {
        self.take(N)?.try_into().map_err(|_| "unexpected end of input")
    }
    fn len(&mut self, size: usize) -> Result<usize, &'static str> {
        let n = match size {
            1 => u64::from(self.array::<1>()?[0]),
            2 => u64::from(u16::from_be_bytes(self.array()?)),
            _ => u64::from(u32::from_be_bytes(self.array()?)),
        };
        usize::try_from(n).map_err(|_| "length out of range")
    }
    /// A container of `n` items, each at least one byte: reject lengths the input cannot hold.
    fn container(&self, n: usize, per_item: usize) -> Result<usize, &'static str> {
        let needed = n.checked_mul(per_item).ok_or("length out of range")?;
        if needed > self.buf.len() - self.pos {
            return Err("declared length exceeds the input");
        }
        Ok(n)
    }

    fn next(&mut self) -> Result<Item<'a>, &'static str> {
        use rmp::Marker as M;
        let marker = M::from_u8(self.array::<1>()?[0]);
        Ok(match marker {
            M::Null => Item::Nil,
            M::True => Item::Bool(true),
            M::False => Item::Bool(false),
            M::FixPos(n) => Item::Int(i64::from(n)),
            M::FixNeg(n) => Item::Int(i64::from(n)),
            M::U8 => Item::Int(i64::from(self.array::<1>()?[0])),
            M::U16 => Item::Int(i64::from(u16::from_be_bytes(self.array()?))),
            M::U32 => Item::Int(i64::from(u32::from_be_bytes(self.array()?))),
            M::U64 => Item::Uint(u64::from_be_bytes(self.array()?)),
            M::I8 => Item::Int(i64::from(i8::from_be_bytes(self.array()?))),
            M::I16 => Item::Int(i64::from(i16::from_be_bytes(self.array()?))),
            M::I32 => Item::Int(i64::from(i32::from_be_bytes(self.array()?))),
            M::I64 => Item::Int(i64::from_be_bytes(self.array()?)),
            M::F32 => Item::Float(f64::from(f32::from_be_bytes(self.array()?))),
            M::F64 => Item::Float(f64::from_be_bytes(self.array()?)),
            M::FixStr(n) => Item::Str(self.take(usize::from(n))?),
            M::Str8 | M::Str16 | M::Str32 => {
                let n = self.len(str_len_size(marker))?;
                Item::Str(self.take(n)?)
            }
            M::Bin8 | M::Bin16 | M::Bin32 => {
                let n = self.len(str_len_size(marker))?;
                Item::Bin(self.take(n)?)
            }
            M::FixArray(n) => Item::Array(self.container(usize::from(n), 1)?),
            M::Array16 => Item::Array(self.len(2).and_then(|n| self.container(n, 1))?),
            M::Array32 => Item::Array(self.len(4).and_then(|n| self.container(n, 1))?),
            M::FixMap(n) => Item::Map(self.container(usize::from(n), 2)?),
            M::Map16 => Item::Map(self.len(2).and_then(|n| self.container(n, 2))?),
            M::Map32 => Item::Map(self.len(4).and_then(|n| self.container(n, 2))?),
            M::FixExt1 | M::FixExt2 | M::FixExt4 | M::FixExt8 | M::FixExt16 => {
                let n = match marker {
                    M::FixExt1 => 1,
                    M::FixExt2 => 2,
                    M::FixExt4 => 4,
                    M::FixExt8 => 8,
                    _ => 16,
                };
                let code = i8::from_be_bytes(self.array()?);
                Item::Ext(code, self.take(n)?)
            }
            M::Ext8 | M::Ext16 | M::Ext32 => {
                let n = self.len(str_len_size(marker))?;
                let code = i8::from_be_bytes(self.array()?);
                Item::Ext(code, self.take(n)?)
            }
            M::Reserved => return Err("reserved msgpack marker 0xc1"),
        })
    }

    /// Skips one item with everything inside it (iteratively, so any nesting is safe).
    fn skip(&mut self) -> Result<(), &'static str> {
        let mut pending: usize = 1;
        while pending > 0 {
            pending -= 1;
            let more = match self.next()? {
                Item::Array(n) => n,
                Item::Map(n) => n.checked_mul(2).ok_or("length out of range")?,
                _ => 0,
            };
            pending = pending.checked_add(more).ok_or("length out of range")?;
        }
        Ok(())
    }
}

/// Size in bytes of the length field after a str/bin/ext 8/16/32 marker.
fn str_len_size(marker: rmp::Marker) -> usize {
    use rmp::Marker as M;
    match marker {
        M::Str8 | M::Bin8 | M::Ext8 => 1,
        M::Str16 | M::Bin16 | M::Ext16 => 2,
        _ => 4,
    }
}

struct Decoder<'a> {
    reader: Reader<'a>,
    path: Trail<'a>,
    depth: usize,
}

impl<'a> Decoder<'a> {
    fn error(&self, message: impl Into<String>) -> DecodeError {
        DecodeError::new(&self.path.to_path(), message)
    }
    fn next(&mut self) -> Result<Item<'a>, DecodeError> {
        self.reader.next().map_err(|e| self.error(e))
    }
    fn required(&self, what: &str, found: &Item<'_>) -> DecodeError {
        self.error(format!("{what} is required (found {})", found.kind()))
    }

    /// Runs `f` one level deeper, with `step` (if any) appended to the path.
    fn nested<T>(
        &mut self,
        step: Option<StepRef<'a>>,
        f: impl FnOnce(&mut Self) -> Result<T, DecodeError>,
    ) -> Result<T, DecodeError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error(format!("values nested more than {MAX_DEPTH} deep")));
        }
        self.depth += 1;
        let pushed = step.map(|s| self.path.push(s)).is_some();
        let result = f(self);
        if pushed {
            self.path.pop();
        }
        self.depth -= 1;
        result
    }

    fn value(&mut self, ty: &Type) -> Result<Value, DecodeError> {
        let item = self.next()?;
        match item {
            Item::Nil => return Ok(Value::Null),
            Item::Ext(code, data) => {
                return decode_unknown(code, data, ty).map_err(|e| self.error(e));
            }
            _ => {}
        }
        match ty {
            Type::Bool => match item {
                Item::Bool(b) => Ok(Value::Bool(b)),
                other => Err(self.required("bool", &other)),
            },
            Type::Number => decode_number(&item).map(Value::Number).map_err(|e| self.error(e)),
            Type::String => match item {
                Item::Str(s) => utf8(s).map(Value::String).map_err(|e| self.error(e)),
                other => Err(self.required("string", &other)),
            },
            Type::List(ety) => {
                let Item::Array(n) = item else {
                    return Err(self.required("a list", &item));
                };
                let elems = (0..n).map(|i| self.nested(Some(StepRef::Index(i)), |d| d.value(ety)));
                Ok(Value::List(elems.collect::<Result<_, _>>()?))
            }
            Type::Set(ety) => {
                let Item::Array(n) = item else {
                    return Err(self.required("a set", &item));
                };
                // Set elements have no address: errors point at the set.
                let elems = (0..n).map(|_| self.nested(None, |d| d.value(ety)));
                Ok(Value::Set(dedupe_set(elems.collect::<Result<_, _>>()?)))
            }
            Type::Tuple(etys) => {
                let Item::Array(n) = item else {
                    return Err(self.required("a tuple", &item));
                };
                if n != etys.len() {
                    return Err(self.error(format!("a tuple of length {} is required ({n} given)", etys.len())));
                }
                let elems = etys
                    .iter()
                    .enumerate()
                    .map(|(i, ety)| self.nested(Some(StepRef::Index(i)), |d| d.value(ety)));
                Ok(Value::Tuple(elems.collect::<Result<_, _>>()?))
            }
            Type::Map(ety) => {
                let Item::Map(n) = item else {
                    return Err(self.required("a map", &item));
                };
                let mut map = BTreeMap::new();
                for _ in 0..n {
                    let key = self.key("map keys")?;
                    let value = self.nested(Some(StepRef::Key(key)), |d| d.value(ety))?;
                    if map.insert(key.to_owned(), value).is_some() {
                        return Err(self.error(format!("duplicate map key {key:?}")));
                    }
                }
                Ok(Value::Map(map))
            }
            Type::Object(atys) => {
                let Item::Map(n) = item else {
                    return Err(self.required("an object", &item));
                };
                if n != atys.len() {
                    let (want, plural) = (atys.len(), if atys.len() == 1 { "" } else { "s" });
                    return Err(self.error(format!(
                        "an object with {want} attribute{plural} is required ({n} given)"
                    )));
                }
                // cty writes attributes sorted, so the map is built in one pass from a sorted list; a name
                // out of order is looked for among those before it.
                let mut attrs: Vec<(&str, Value)> = Vec::with_capacity(n);
                for _ in 0..n {
                    let name = self.key("attribute names")?;
                    let Some(aty) = atys.get(name) else {
                        return Err(self.error(format!("unsupported attribute {name:?}")));
                    };
                    let value = self.nested(Some(StepRef::Attr(name)), |d| d.value(aty))?;
                    let in_order = attrs.last().is_none_or(|(last, _)| *last < name);
                    if !in_order && attrs.iter().any(|(seen, _)| *seen == name) {
                        return Err(self.error(format!("duplicate attribute {name:?}")));
                    }
                    attrs.push((name, value));
                }
                Ok(Value::Object(
                    attrs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
                ))
            }
            Type::Dynamic => {
                let Item::Array(2) = item else {
                    return Err(self.error(format!(
                        "a dynamic value must be a two-element array [type, value] (found {})",
                        item.kind()
                    )));
                };
                let type_json = match self.next()? {
                    Item::Bin(b) | Item::Str(b) => b,
                    other => return Err(self.required("the type JSON of a dynamic value", &other)),
                };
                let ty = Type::from_json_bytes(type_json).map_err(|e| self.error(e.to_string()))?;
                let value = self.nested(None, |d| d.value(&ty))?;
                Ok(Value::Dynamic(ty, Box::new(value)))
            }
        }
    }

    /// A map key or attribute name: a UTF-8 string, borrowed from the input.
    fn key(&mut self, what: &str) -> Result<&'a str, DecodeError> {
        match self.next()? {
            Item::Str(s) => std::str::from_utf8(s).map_err(|_| self.error("string is not valid UTF-8")),
            other => Err(self.error(format!("{what} must be strings (found {})", other.kind()))),
        }
    }
}

fn utf8(bytes: &[u8]) -> Result<String, String> {
    String::from_utf8(bytes.to_vec()).map_err(|_| "string is not valid UTF-8".to_owned())
}

fn decode_number(item: &Item<'_>) -> Result<Number, String> {
    match item {
        Item::Int(i) => Ok(Number::from(*i)),
        Item::Uint(u) => Ok(Number::from(*u)),
        Item::Float(f) => Number::from_f64(*f).ok_or_else(|| "NaN is not a number".to_owned()),
        Item::Str(s) => Number::parse(&utf8(s)?).map_err(|e| e.to_string()),
        other => Err(format!("number is required (found {})", other.kind())),
    }
}

/// An extension: an unknown value, refined when it is extension 12 with a map payload (cty `unknown.go`).
fn decode_unknown(code: i8, data: &[u8], ty: &Type) -> Result<Value, String> {
    if data.len() <= 1 {
        return Ok(Value::unknown());
    }
    if code != REFINED_UNKNOWN {
        return Err(format!("unsupported extension type {code} with length {}", data.len()));
    }
    if data.len() > MAX_REFINEMENTS_LEN {
        return Err("oversize unknown value refinements".into());
    }
    let mut r = Reader { buf: data, pos: 0 };
    let bad = |what: &str| format!("invalid unknown value refinements: {what}");
    let Ok(Item::Map(n)) = r.next() else {
        return Err(bad("not a map"));
    };
    if *ty == Type::Dynamic {
        // cty ignores refinements of dynamic unknowns.
        return Ok(Value::unknown());
    }
    let mut refinements = Refinements::default();
    let mut null = false;
    for _ in 0..n {
        let key = match r.next().map_err(&bad)? {
            Item::Int(k) => k,
            Item::Uint(k) => i64::try_from(k).unwrap_or(i64::MAX),
            _ => return Err(bad("non-integer key")),
        };
        match key {
            1 => {
                let Ok(Item::Bool(nullable)) = r.next() else {
                    return Err(bad("nullness is not a bool"));
                };
                // The flag says "is null": false means definitely not null; true collapses to a known null.
                null = nullable;
                refinements.not_null = (!nullable).then_some(true);
            }
            2 => {
                if *ty != Type::String {
                    return Err(bad("string prefix for a non-string type"));
                }
                let Ok(Item::Str(s)) = r.next() else {
                    return Err(bad("string prefix is not a string"));
                };
                let prefix = utf8(s).map_err(|e| bad(&e))?;
                refinements.string_prefix = (!prefix.is_empty()).then_some(prefix);
            }
            3 | 4 => {
                if *ty != Type::Number {
                    return Err(bad("number bound for a non-number type"));
                }
                let shape = || bad("number bound is not [number, bool]");
                let Ok(Item::Array(2)) = r.next() else {
                    return Err(shape());
                };
                let bound = r
                    .next()
                    .map_err(|_| shape())
                    .and_then(|i| decode_number(&i).map_err(|_| shape()))?;
                let Ok(Item::Bool(inclusive)) = r.next() else {
                    return Err(shape());
                };
                let slot = if key == 3 {
                    &mut refinements.number_lower
                } else {
                    &mut refinements.number_upper
                };
                *slot = Some((bound, inclusive));
            }
            5 | 6 => {
                if !matches!(ty, Type::List(_) | Type::Set(_) | Type::Map(_)) {
                    return Err(bad("length bound for a non-collection type"));
                }
                let length = match r.next() {
                    Ok(Item::Uint(u)) => u,
                    Ok(Item::Int(i)) => u64::try_from(i).map_err(|_| bad("negative length bound"))?,
                    _ => return Err(bad("length bound is not an integer")),
                };
                let slot = if key == 5 {
                    &mut refinements.length_min
                } else {
                    &mut refinements.length_max
                };
                *slot = Some(length);
            }
            // Later cty versions may add refinements: ignore what we do not know.
            _ => r.skip().map_err(&bad)?,
        }
    }
    // Bytes after the map are ignored, as cty does.
    Ok(if null { Value::Null } else { Value::Unknown(refinements) })
}

struct Encoder<'v> {
    out: Vec<u8>,
    path: Trail<'v>,
    depth: usize,
}

impl<'v> Encoder<'v> {
    fn error(&self, message: impl Into<String>) -> EncodeError {
        EncodeError::new(&self.path.to_path(), message)
    }

    fn nested(
        &mut self,
        step: Option<StepRef<'v>>,
        f: impl FnOnce(&mut Self) -> Result<(), EncodeError>,
    ) -> Result<(), EncodeError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error(format!("values nested more than {MAX_DEPTH} deep")));
        }
        self.depth += 1;
        let pushed = step.map(|s| self.path.push(s)).is_some();
        let result = f(self);
        if pushed {
            self.path.pop();
        }
        self.depth -= 1;
        result
    }

    fn len(&self, n: usize) -> Result<u32, EncodeError> {
        u32::try_from(n).map_err(|_| self.error("too many elements for msgpack"))
    }

    fn value(&mut self, value: &'v Value, ty: &Type) -> Result<(), EncodeError> {
        use rmp::encode as w;
        let out = &mut self.out;
        match (value, ty) {
            (Value::Null, _) => out.push(0xc0),
            (Value::Unknown(refinements), _) => {
                let bytes = encode_unknown(refinements, ty).map_err(|e| self.error(e))?;
                self.out.extend_from_slice(&bytes);
            }
            (Value::Dynamic(vty, inner), Type::Dynamic) => {
                out.push(0x92);
                write_bin(out, &vty.to_json_bytes());
                self.nested(None, |e| e.value(inner, vty))?;
            }
            (Value::Dynamic(vty, inner), ty) if vty == ty => self.value(inner, ty)?,
            (Value::Bool(b), Type::Bool) => out.push(if *b { 0xc3 } else { 0xc2 }),
            (Value::Number(n), Type::Number) => write_number(out, n),
            (Value::String(s), Type::String) => write_str(out, s),
            (Value::List(elems), Type::List(ety)) => {
                let n = self.len(elems.len())?;
                w::write_array_len(&mut self.out, n).map_err(|e| self.error(e.to_string()))?;
                for (i, elem) in elems.iter().enumerate() {
                    self.nested(Some(StepRef::Index(i)), |e| e.value(elem, ety))?;
                }
            }
            (Value::Set(elems), Type::Set(ety)) => {
                let unique = unique_elements(elems);
                let n = self.len(unique.len())?;
                w::write_array_len(&mut self.out, n).map_err(|e| self.error(e.to_string()))?;
                for elem in unique {
                    self.nested(None, |e| e.value(elem, ety))?;
                }
            }
            (Value::Tuple(elems), Type::Tuple(etys)) => {
                if elems.len() != etys.len() {
                    let message = format!("a tuple of length {} is required ({} given)", etys.len(), elems.len());
                    return Err(self.error(message));
                }
                let n = self.len(elems.len())?;
                w::write_array_len(&mut self.out, n).map_err(|e| self.error(e.to_string()))?;
                for (i, (elem, ety)) in elems.iter().zip(etys).enumerate() {
                    self.nested(Some(StepRef::Index(i)), |e| e.value(elem, ety))?;
                }
            }
            (Value::Map(map), Type::Map(ety)) => {
                let n = self.len(map.len())?;
                w::write_map_len(&mut self.out, n).map_err(|e| self.error(e.to_string()))?;
                for (key, elem) in map {
                    write_str(&mut self.out, key);
                    self.nested(Some(StepRef::Key(key)), |e| e.value(elem, ety))?;
                }
            }
            (Value::Object(attrs), Type::Object(atys)) => {
                // Both maps are sorted: equal key sequences are the common case, checked without lookups.
                if attrs.len() != atys.len() || !attrs.keys().eq(atys.keys()) {
                    if let Some(extra) = attrs.keys().find(|k| !atys.contains_key(*k)) {
                        return Err(self.error(format!("unsupported attribute {extra:?}")));
                    }
                    if let Some(missing) = atys.keys().find(|k| !attrs.contains_key(*k)) {
                        return Err(self.error(format!("attribute {missing:?} is missing (use Value::Null)")));
                    }
                }
                let n = self.len(atys.len())?;
                w::write_map_len(&mut self.out, n).map_err(|e| self.error(e.to_string()))?;
                for ((name, attr), aty) in attrs.iter().zip(atys.values()) {
                    write_str(&mut self.out, name);
                    self.nested(Some(StepRef::Attr(name)), |e| e.value(attr, aty))?;
                }
            }
            (_, Type::Dynamic) => {
                return Err(self.error("a value at a dynamic position must be Value::Dynamic, Null or Unknown"));
            }
            (value, ty) => {
                let json = String::from_utf8_lossy(&ty.to_json_bytes()).into_owned();
                return Err(self.error(format!("{} value does not conform to type {json}", variant(value))));
            }
        }
        Ok(())
    }
}

/// The name of a value's variant, for errors.
pub(crate) fn variant(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Unknown(_) => "unknown",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::List(_) => "list",
        Value::Set(_) => "set",
        Value::Map(_) => "map",
        Value::Object(_) => "object",
        Value::Tuple(_) => "tuple",
        Value::Dynamic(..) => "dynamic",
    }
}

fn write_str(out: &mut Vec<u8>, s: &str) {
    // Writing to a Vec cannot fail, and no Rust string exceeds msgpack's u32 length on the inputs we build.
    let _ = rmp::encode::write_str(out, s);
}
fn write_bin(out: &mut Vec<u8>, b: &[u8]) {
    let _ = rmp::encode::write_bin(out, b);
}

/// cty's number rule: an int if it fits `i64`, a float64 if exact and not an integer (and for the
/// infinities), otherwise a decimal string.
fn write_number(out: &mut Vec<u8>, n: &Number) {
    if let Some(i) = n.to_i64() {
        let _ = rmp::encode::write_sint(out, i);
    } else if let Some(f) = n.to_f64_exact().filter(|_| !n.is_integer()) {
        let _ = rmp::encode::write_f64(out, f);
    } else {
        write_str(out, &n.to_string());
    }
}

/// `d4 00 00` when nothing applicable is known, else extension 12 with the refinement map.
fn encode_unknown(r: &Refinements, ty: &Type) -> Result<Vec<u8>, String> {
    if *ty == Type::Dynamic {
        return Ok(PLAIN_UNKNOWN.to_vec());
    }
    let mut body = Vec::new();
    let mut count: u32 = 0;
    if r.not_null == Some(true) {
        body.extend_from_slice(&[0x01, 0xc2]); // {1: false}: "is null" is false
        count += 1;
    }
    if let Some(prefix) = &r.string_prefix {
        if *ty != Type::String {
            return Err("a string prefix refinement on a non-string unknown".into());
        }
        let mut end = prefix.len().min(MAX_PREFIX_LEN);
        while !prefix.is_char_boundary(end) {
            end -= 1;
        }
        if end > 0 {
            body.push(0x02);
            write_str(&mut body, &prefix[..end]);
            count += 1;
        }
    }
    for (key, bound) in [(0x03, &r.number_lower), (0x04, &r.number_upper)] {
        let Some((n, inclusive)) = bound else {
            continue;
        };
        if *ty != Type::Number {
            return Err("a number bound refinement on a non-number unknown".into());
        }
        let mut entry = vec![key, 0x92];
        write_number(&mut entry, n);
        entry.push(if *inclusive { 0xc3 } else { 0xc2 });
        if entry.len() <= MAX_BOUND_LEN {
            body.extend_from_slice(&entry);
            count += 1;
        }
    }
    for (key, length) in [(0x05, r.length_min), (0x06, r.length_max)] {
        let Some(length) = length else { continue };
        if !matches!(ty, Type::List(_) | Type::Set(_) | Type::Map(_)) {
            return Err("a length refinement on a non-collection unknown".into());
        }
        // cty reads lengths as Go ints; a bound beyond i64 says nothing.
        let Ok(length) = i64::try_from(length) else {
            continue;
        };
        body.push(key);
        let _ = rmp::encode::write_sint(&mut body, length);
        count += 1;
    }
    if count == 0 {
        return Ok(PLAIN_UNKNOWN.to_vec());
    }
    let mut payload = Vec::new();
    let _ = rmp::encode::write_map_len(&mut payload, count);
    payload.extend_from_slice(&body);
    let mut out = Vec::new();
    // The payload is at most a few hundred bytes (prefix and bounds are capped).
    let _ = rmp::encode::write_ext_meta(&mut out, payload.len() as u32, REFINED_UNKNOWN);
    out.extend_from_slice(&payload);
    Ok(out)
}

/// A key identifying a wholly known value for set membership (nested sets compared as sets), or `None` if
/// it contains an unknown: cty never considers such elements equal, so they are never de-duplicated.
pub(crate) fn set_key(value: &Value) -> Option<Vec<u8>> {
    fn put_len(out: &mut Vec<u8>, n: usize) {
        out.extend_from_slice(&(n as u64).to_be_bytes());
    }
    fn key(value: &Value, out: &mut Vec<u8>) -> Option<()> {
        // Every encoding is self-delimiting, so concatenations are unambiguous.
        match value {
            Value::Unknown(_) => return None,
            Value::Null => out.push(0),
            Value::Bool(b) => out.extend_from_slice(&[1, u8::from(*b)]),
            Value::Number(n) => match n.parts() {
                Some((digits, scale)) => {
                    let bytes = digits.to_signed_bytes_be();
                    out.push(2);
                    put_len(out, bytes.len());
                    out.extend_from_slice(&bytes);
                    out.extend_from_slice(&scale.to_be_bytes());
                }
                None => out.push(if n > &Number::from(0i64) { 3 } else { 4 }),
            },
            Value::String(s) => {
                out.push(5);
                put_len(out, s.len());
                out.extend_from_slice(s.as_bytes());
            }
            Value::List(elems) | Value::Tuple(elems) => {
                out.push(if matches!(value, Value::List(_)) { 6 } else { 7 });
                put_len(out, elems.len());
                elems.iter().try_for_each(|e| key(e, out))?;
            }
            Value::Set(elems) => {
                let mut keys = elems.iter().map(set_key).collect::<Option<Vec<_>>>()?;
                keys.sort_unstable();
                keys.dedup();
                out.push(8);
                put_len(out, keys.len());
                keys.iter().for_each(|k| out.extend_from_slice(k));
            }
            Value::Map(map) | Value::Object(map) => {
                out.push(if matches!(value, Value::Map(_)) { 9 } else { 10 });
                put_len(out, map.len());
                for (k, v) in map {
                    put_len(out, k.len());
                    out.extend_from_slice(k.as_bytes());
                    key(v, out)?;
                }
            }
            Value::Dynamic(ty, inner) => {
                let json = ty.to_json_bytes();
                out.push(11);
                put_len(out, json.len());
                out.extend_from_slice(&json);
                key(inner, out)?;
            }
        }
        Some(())
    }
    let mut out = Vec::new();
    key(value, &mut out)?;
    Some(out)
}

/// The elements of a set without duplicates (first occurrences, in order).
fn unique_elements(elems: &[Value]) -> Vec<&Value> {
    let mut seen = HashSet::new();
    elems
        .iter()
        .filter(|e| set_key(e).is_none_or(|k| seen.insert(k)))
        .collect()
}

/// Removes duplicate set elements, keeping first occurrences in order, as cty does on decode.
pub(crate) fn dedupe_set(elems: Vec<Value>) -> Vec<Value> {
    let mut seen = HashSet::new();
    elems
        .into_iter()
        .filter(|e| set_key(e).is_none_or(|k| seen.insert(k)))
        .collect()
}

/// Random types and conforming values, shared by the msgpack and JSON property tests.
#[cfg(test)]
pub(crate) mod generate {
    use proptest::prelude::*;

    use super::super::{Number, Refinements, Type, Value};
    use super::dedupe_set;

    /// A type at most `depth` levels deep (dynamic included).
    pub(crate) fn any_type(depth: u32) -> BoxedStrategy<Type> {
        let leaf = prop_oneof![
            Just(Type::Bool),
            Just(Type::Number),
            Just(Type::String),
            Just(Type::Dynamic)
        ];
        leaf.prop_recursive(depth, 16, 3, |inner| {
            prop_oneof![
                inner.clone().prop_map(Type::list),
                inner.clone().prop_map(Type::set),
                inner.clone().prop_map(Type::map),
                prop::collection::btree_map("[a-z_]{1,6}", inner.clone(), 0..4).prop_map(Type::Object),
                prop::collection::vec(inner, 0..3).prop_map(Type::Tuple),
            ]
        })
        .boxed()
    }

    /// A finite number: an integer, a float or a long decimal.
    pub(crate) fn finite_number() -> BoxedStrategy<Number> {
        prop_oneof![
            any::<i64>().prop_map(Number::from),
            any::<u64>().prop_map(Number::from),
            any::<f64>().prop_filter_map("finite", |f| f.is_finite().then(|| Number::from_f64(f)).flatten()),
            "-?[0-9]{1,30}(\\.[0-9]{1,30})?".prop_map(|s| Number::parse(&s).unwrap()),
        ]
        .boxed()
    }

    /// Refinements that fit `ty` and survive encoding unchanged.
    fn refinements(ty: &Type) -> BoxedStrategy<Refinements> {
        let not_null = prop_oneof![Just(None), Just(Some(true))];
        let bound = || {
            proptest::option::of(("-?[0-9]{1,6}(\\.[0-9]{1,3})?", any::<bool>()))
                .prop_map(|b| b.map(|(n, inc)| (Number::parse(&n).unwrap(), inc)))
        };
        match ty {
            Type::Dynamic => Just(Refinements::default()).boxed(),
            Type::String => (not_null, proptest::option::of("[a-zé/]{1,12}"))
                .prop_map(|(not_null, string_prefix)| Refinements {
                    not_null,
                    string_prefix,
                    ..Default::default()
                })
                .boxed(),
            Type::Number => (not_null, bound(), bound())
                .prop_map(|(not_null, number_lower, number_upper)| Refinements {
                    not_null,
                    number_lower,
                    number_upper,
                    ..Default::default()
                })
                .boxed(),
            Type::List(_) | Type::Set(_) | Type::Map(_) => {
                (not_null, proptest::option::of(0..50u64), proptest::option::of(0..50u64))
                    .prop_map(|(not_null, length_min, length_max)| Refinements {
                        not_null,
                        length_min,
                        length_max,
                        ..Default::default()
                    })
                    .boxed()
            }
            _ => not_null
                .prop_map(|not_null| Refinements {
                    not_null,
                    ..Default::default()
                })
                .boxed(),
        }
    }

    /// A value conforming to `ty`, with nulls anywhere and (if `unknowns`) refined unknowns anywhere.
    /// Dynamic positions get a random concrete type, at most `depth` more levels of them.
    pub(crate) fn value_of(ty: &Type, unknowns: bool, depth: u32) -> BoxedStrategy<Value> {
        let known = known_value_of(ty, unknowns, depth);
        if unknowns {
            prop_oneof![
                1 => Just(Value::Null),
                1 => refinements(ty).prop_map(Value::Unknown),
                6 => known,
            ]
            .boxed()
        } else {
            prop_oneof![1 => Just(Value::Null), 6 => known].boxed()
        }
    }

    fn known_value_of(ty: &Type, unknowns: bool, depth: u32) -> BoxedStrategy<Value> {
        let elems = |ety: &Type| prop::collection::vec(value_of(ety, unknowns, depth), 0..4);
        match ty {
            Type::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
            Type::Number if unknowns => {
                prop_oneof![8 => finite_number(), 1 => Just(Number::infinity()), 1 => Just(Number::neg_infinity())]
                    .prop_map(Value::Number)
                    .boxed()
            }
            Type::Number => finite_number().prop_map(Value::Number).boxed(),
            Type::String => "\\PC{0,12}".prop_map(Value::String).boxed(),
            Type::List(ety) => elems(ety).prop_map(Value::List).boxed(),
            Type::Set(ety) => elems(ety).prop_map(|v| Value::Set(dedupe_set(v))).boxed(),
            Type::Tuple(etys) => etys
                .iter()
                .map(|t| value_of(t, unknowns, depth))
                .collect::<Vec<_>>()
                .prop_map(Value::Tuple)
                .boxed(),
            Type::Map(ety) => prop::collection::btree_map("\\PC{0,6}", value_of(ety, unknowns, depth), 0..4)
                .prop_map(Value::Map)
                .boxed(),
            Type::Object(atys) => {
                let names: Vec<String> = atys.keys().cloned().collect();
                atys.values()
                    .map(|t| value_of(t, unknowns, depth))
                    .collect::<Vec<_>>()
                    .prop_map(move |vals| Value::Object(names.iter().cloned().zip(vals).collect()))
                    .boxed()
            }
            Type::Dynamic if depth == 0 => Just(Value::Null).boxed(),
            Type::Dynamic => any_type(2)
                .prop_flat_map(move |t| {
                    value_of(&t, unknowns, depth - 1).prop_map(move |v| Value::Dynamic(t.clone(), Box::new(v)))
                })
                .boxed(),
        }
    }

    /// A type and a value of it.
    pub(crate) fn typed_value(unknowns: bool) -> BoxedStrategy<(Type, Value)> {
        any_type(4)
            .prop_flat_map(move |t| (Just(t.clone()), value_of(&t, unknowns, 2)))
            .boxed()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        s.split_whitespace()
            .map(|b| u8::from_str_radix(b, 16).unwrap())
            .collect()
    }
    fn num(s: &str) -> Value {
        Value::Number(Number::parse(s).unwrap())
    }
    fn err(bytes: &[u8], ty: &Type) -> DecodeError {
        decode(bytes, ty).expect_err("decoding should fail")
    }

    #[test]
    fn null_and_plain_unknown() {
        for ty in [
            Type::String,
            Type::Number,
            Type::list(Type::Bool),
            Type::Dynamic,
            Type::object([("a", Type::Bool)]),
        ] {
            assert_eq!(decode(&[0xc0], &ty), Ok(Value::Null));
            assert_eq!(encode(&Value::Null, &ty).unwrap(), [0xc0]);
            assert_eq!(decode(&hex("d4 00 00"), &ty), Ok(Value::unknown()));
            assert_eq!(encode(&Value::unknown(), &ty).unwrap(), hex("d4 00 00"));
        }
        // Any extension of length 0 or 1 is a plain unknown, whatever its type code.
        assert_eq!(decode(&hex("c7 00 05"), &Type::String), Ok(Value::unknown()));
        assert_eq!(decode(&hex("d4 7f 01"), &Type::Bool), Ok(Value::unknown()));
    }

    #[test]
    fn refined_unknowns() {
        // Observed from core: `endpoint = terraform_data.x.id`, definitely not null.
        let not_null = Value::Unknown(Refinements {
            not_null: Some(true),
            ..Default::default()
        });
        assert_eq!(decode(&hex("c7 03 0c 81 01 c2"), &Type::String), Ok(not_null.clone()));
        assert_eq!(encode(&not_null, &Type::String).unwrap(), hex("c7 03 0c 81 01 c2"));

        let prefix = Value::Unknown(Refinements {
            string_prefix: Some("ab".into()),
            ..Default::default()
        });
        let bytes = encode(&prefix, &Type::String).unwrap();
        assert_eq!(bytes, hex("c7 05 0c 81 02 a2 61 62"));
        assert_eq!(decode(&bytes, &Type::String), Ok(prefix));

        let range = Value::Unknown(Refinements {
            not_null: Some(true),
            number_lower: Some((Number::from(0i64), true)),
            number_upper: Some((Number::parse("0.5").unwrap(), false)),
            ..Default::default()
        });
        let bytes = encode(&range, &Type::Number).unwrap();
        assert_eq!(
            bytes,
            hex("c7 13 0c 83 01 c2 03 92 00 c3 04 92 cb 3f e0 00 00 00 00 00 00 c2")
        );
        assert_eq!(decode(&bytes, &Type::Number), Ok(range));

        let lengths = Value::Unknown(Refinements {
            length_min: Some(1),
            length_max: Some(3),
            ..Default::default()
        });
        let bytes = encode(&lengths, &Type::set(Type::String)).unwrap();
        assert_eq!(bytes, hex("c7 05 0c 82 05 01 06 03"));
        assert_eq!(decode(&bytes, &Type::set(Type::String)), Ok(lengths));

        // Unknown keys are ignored, whatever their value; {1: true} collapses to null as in cty.
        assert_eq!(
            decode(&hex("c7 08 0c 82 07 92 01 a1 78 01 c2"), &Type::Bool),
            Ok(not_null.clone())
        );
        assert_eq!(decode(&hex("c7 03 0c 81 01 c3"), &Type::Bool), Ok(Value::Null));
        // Dynamic unknowns never carry refinements.
        assert_eq!(decode(&hex("c7 03 0c 81 01 c2"), &Type::Dynamic), Ok(Value::unknown()));
        assert_eq!(encode(&not_null, &Type::Dynamic).unwrap(), hex("d4 00 00"));
        // An empty refinement set is written plainly.
        let empty = Value::Unknown(Refinements {
            not_null: Some(false),
            ..Default::default()
        });
        assert_eq!(encode(&empty, &Type::Bool).unwrap(), hex("d4 00 00"));
        // Prefixes are cut at 256 bytes, on a character boundary.
        let long = Value::Unknown(Refinements {
            string_prefix: Some("é".repeat(200)),
            ..Default::default()
        });
        let Value::Unknown(cut) = decode(&encode(&long, &Type::String).unwrap(), &Type::String).unwrap() else {
            panic!("not unknown")
        };
        assert_eq!(cut.string_prefix, Some("é".repeat(128)));
    }

    #[test]
    fn bad_refinements() {
        let cases = [
            (
                "d5 05 00 00",
                Type::String,
                "unsupported extension type 5 with length 2",
            ),
            ("d5 0c 01 02", Type::String, "not a map"),
            (
                "c7 04 0c 81 02 a1 78",
                Type::Number,
                "string prefix for a non-string type",
            ),
            (
                "c7 05 0c 81 03 92 00 c3",
                Type::String,
                "number bound for a non-number type",
            ),
            (
                "c7 03 0c 81 05 01",
                Type::String,
                "length bound for a non-collection type",
            ),
            ("c7 03 0c 81 05 ff", Type::list(Type::Bool), "negative length bound"),
            ("c7 03 0c 81 a1 78", Type::Bool, "non-integer key"),
            ("c7 03 0c 81 01 01", Type::Bool, "nullness is not a bool"),
            (
                "c7 04 0c 81 03 91 00",
                Type::Number,
                "number bound is not [number, bool]",
            ),
        ];
        for (bytes, ty, message) in cases {
            let e = err(&hex(bytes), &ty);
            assert!(e.message.contains(message), "{bytes}: {e}");
        }
        let mut oversize = hex("c8 04 01 0c 81 02 da 03 fc");
        oversize.extend(std::iter::repeat_n(b'a', 0x3fc));
        assert!(err(&oversize, &Type::String).message.contains("oversize"));
        // Encoding refinements that do not fit the type is a provider bug.
        let prefix = Value::Unknown(Refinements {
            string_prefix: Some("x".into()),
            ..Default::default()
        });
        assert!(encode(&prefix, &Type::Number).is_err());
        let bound = Value::Unknown(Refinements {
            number_lower: Some((Number::from(1i64), true)),
            ..Default::default()
        });
        assert!(encode(&bound, &Type::String).is_err());
        let length = Value::Unknown(Refinements {
            length_min: Some(1),
            ..Default::default()
        });
        assert!(encode(&length, &Type::object([("a", Type::Bool)])).is_err());
    }

    #[test]
    fn numbers() {
        let cases = [
            ("01", "1"),
            ("ff", "-1"),
            ("a3 30 2e 31", "0.1"), // core sends 0.1 as a string
            ("cb 3f f8 00 00 00 00 00 00", "1.5"),
            ("cd 01 00", "256"),
            ("d3 80 00 00 00 00 00 00 00", "-9223372036854775808"),
            ("cf ff ff ff ff ff ff ff ff", "18446744073709551615"),
            ("cb 7f f0 00 00 00 00 00 00", "+Inf"),
            ("cb ff f0 00 00 00 00 00 00", "-Inf"),
        ];
        for (bytes, n) in cases {
            assert_eq!(decode(&hex(bytes), &Type::Number), Ok(num(n)), "{bytes}");
        }
        // Output: int if it fits i64, float64 if exact and not an integer, else a decimal string.
        let big = "12345678901234567890123";
        let mut big_bytes = vec![0xb7];
        big_bytes.extend_from_slice(big.as_bytes());
        for (n, bytes) in [
            ("1", hex("01")),
            ("-1", hex("ff")),
            ("1e3", hex("cd 03 e8")),
            ("0.1", hex("a3 30 2e 31")),
            ("1.5", hex("cb 3f f8 00 00 00 00 00 00")),
            ("+Inf", hex("cb 7f f0 00 00 00 00 00 00")),
            (big, big_bytes.clone()),
            ("9223372036854775808", [&[0xb3][..], b"9223372036854775808"].concat()),
        ] {
            assert_eq!(encode(&num(n), &Type::Number).unwrap(), bytes, "{n}");
            assert_eq!(decode(&bytes, &Type::Number), Ok(num(n)), "{n}");
        }
        // float32 too.
        assert_eq!(decode(&hex("ca 3f c0 00 00"), &Type::Number), Ok(num("1.5")));
        for (bytes, message) in [
            ("cb 7f f8 00 00 00 00 00 00", "NaN"),
            ("a3 61 62 63", "not a decimal"),
            ("c3", "number is required"),
        ] {
            assert!(err(&hex(bytes), &Type::Number).message.contains(message), "{bytes}");
        }
    }

    #[test]
    fn strings_and_bools() {
        assert_eq!(decode(&hex("a2 c3 a9"), &Type::String), Ok(Value::string("é")));
        assert!(err(&hex("a2 c3 28"), &Type::String).message.contains("UTF-8"));
        assert!(
            err(&hex("c4 01 61"), &Type::String)
                .message
                .contains("string is required (found binary)")
        );
        assert_eq!(decode(&hex("c3"), &Type::Bool), Ok(Value::Bool(true)));
        assert!(err(&hex("01"), &Type::Bool).message.contains("bool is required"));
        let long = "x".repeat(70000);
        assert_eq!(
            decode(
                &encode(&Value::string(long.clone()), &Type::String).unwrap(),
                &Type::String
            ),
            Ok(Value::string(long))
        );
    }

    #[test]
    fn objects_need_every_attribute() {
        let ty = Type::object([("a", Type::String), ("b", Type::Bool)]);
        let value = Value::object([("a", Value::string("x")), ("b", Value::Null)]);
        let bytes = hex("82 a1 61 a1 78 a1 62 c0");
        assert_eq!(encode(&value, &ty).unwrap(), bytes);
        assert_eq!(decode(&bytes, &ty), Ok(value));

        let e = err(&hex("81 a1 61 a1 78"), &ty);
        assert_eq!(e.message, "an object with 2 attributes is required (1 given)");
        let e = err(&hex("82 a1 61 a1 78 a1 63 c0"), &ty);
        assert_eq!(e.message, r#"unsupported attribute "c""#);
        let e = err(&hex("82 a1 61 a1 78 a1 61 c0"), &ty);
        assert_eq!(e.message, r#"duplicate attribute "a""#);
        assert!(err(&hex("82 01 c0 02 c0"), &ty).message.contains("must be strings"));
        assert_eq!(
            decode(&hex("80"), &Type::object::<[(&str, Type); 0], &str>([])),
            Ok(Value::object::<[(&str, Value); 0], &str>([]))
        );

        let e = encode(&Value::object([("a", Value::string("x"))]), &ty).unwrap_err();
        assert!(e.message.contains(r#"attribute "b" is missing"#), "{e}");
        let extra = Value::object([("a", Value::Null), ("b", Value::Null), ("c", Value::Null)]);
        assert!(
            encode(&extra, &ty)
                .unwrap_err()
                .message
                .contains("unsupported attribute")
        );
    }

    #[test]
    fn nested_blocks() {
        // resource with a SINGLE block (nil when absent), a LIST block (always an array) and a MAP block.
        let inner = Type::object([("name", Type::String)]);
        let ty = Type::object([
            ("single", inner.clone()),
            ("list", Type::list(inner.clone())),
            ("map", Type::map(inner.clone())),
        ]);
        let value = Value::object([
            ("single", Value::Null),
            ("list", Value::List(vec![Value::object([("name", Value::string("a"))])])),
            (
                "map",
                Value::Map([("k".to_owned(), Value::object([("name", Value::Null)]))].into()),
            ),
        ]);
        let bytes = encode(&value, &ty).unwrap();
        assert_eq!(
            bytes,
            hex(
                "83 a4 6c 69 73 74 91 81 a4 6e 61 6d 65 a1 61 a3 6d 61 70 81 a1 6b 81 a4 6e 61 6d 65 c0 a6 73 69 6e 67 6c 65 c0"
            )
        );
        assert_eq!(decode(&bytes, &ty), Ok(value));
    }

    #[test]
    fn errors_carry_paths() {
        let ty = Type::object([("spec", Type::object([("ports", Type::list(Type::map(Type::Number)))]))]);
        // {spec: {ports: [{}, {"x": true}]}}
        let bytes = hex("81 a4 73 70 65 63 81 a5 70 6f 72 74 73 92 80 81 a1 78 c3");
        let e = err(&bytes, &ty);
        assert_eq!(e.to_string(), r#"spec.ports[1]["x"]: number is required (found bool)"#);
        let value = Value::object([("spec", Value::object([("ports", Value::List(vec![Value::Bool(true)]))]))]);
        let e = encode(&value, &ty).unwrap_err();
        assert_eq!(e.path.to_string(), "spec.ports[0]");
        // Set elements have no address: the error points at the set.
        let e = err(
            &hex("81 a1 73 92 a1 61 01"),
            &Type::object([("s", Type::set(Type::String))]),
        );
        assert_eq!(e.to_string(), "s: string is required (found integer)");
    }

    #[test]
    fn sets_are_deduplicated() {
        let ty = Type::set(Type::Number);
        // 1, 1.0 (float64), "1.000", 2 decode to {1, 2}.
        let bytes = hex("94 01 cb 3f f0 00 00 00 00 00 00 a5 31 2e 30 30 30 02");
        assert_eq!(decode(&bytes, &ty), Ok(Value::Set(vec![num("1"), num("2")])));
        // Unknowns are never equal to anything.
        let bytes = hex("93 d4 00 00 d4 00 00 c0");
        assert_eq!(
            decode(&bytes, &ty),
            Ok(Value::Set(vec![Value::unknown(), Value::unknown(), Value::Null]))
        );
        // Nested sets compare as sets.
        let ty = Type::set(Type::set(Type::String));
        let bytes = hex("92 92 a1 61 a1 62 92 a1 62 a1 61");
        let ab = Value::Set(vec![Value::string("a"), Value::string("b")]);
        assert_eq!(decode(&bytes, &ty), Ok(Value::Set(vec![ab.clone()])));
        // Duplicates are never written.
        let dup = Value::Set(vec![
            ab.clone(),
            Value::Set(vec![Value::string("b"), Value::string("a")]),
        ]);
        assert_eq!(encode(&dup, &ty).unwrap(), hex("91 92 a1 61 a1 62"));
    }

    #[test]
    fn dynamic_values() {
        // Core writes [bin(type JSON), value].
        let value = Value::Dynamic(Type::String, Box::new(Value::string("x")));
        let bytes = [&hex("92 c4 08")[..], b"\"string\"", &hex("a1 78")].concat();
        assert_eq!(encode(&value, &Type::Dynamic).unwrap(), bytes);
        assert_eq!(decode(&bytes, &Type::Dynamic), Ok(value.clone()));
        // The type JSON may also be a str.
        let bytes = [&hex("92 a8")[..], b"\"string\"", &hex("a1 78")].concat();
        assert_eq!(decode(&bytes, &Type::Dynamic), Ok(value));
        // A known type with an unknown value.
        let bytes = [&hex("92 c4 08")[..], b"\"number\"", &hex("d4 00 00")].concat();
        assert_eq!(
            decode(&bytes, &Type::Dynamic),
            Ok(Value::Dynamic(Type::Number, Box::new(Value::unknown())))
        );
        // HCL literals arrive as object and tuple types.
        let ty_json = br#"["object",{"k":"number","l":["tuple",["string"]]}]"#;
        let mut bytes = vec![0x92, 0xc4, ty_json.len() as u8];
        bytes.extend_from_slice(ty_json);
        bytes.extend(hex("82 a1 6b cb 3f f8 00 00 00 00 00 00 a1 6c 91 a1 78"));
        let ty = Type::from_json_bytes(ty_json).unwrap();
        let inner = Value::object([("k", num("1.5")), ("l", Value::Tuple(vec![Value::string("x")]))]);
        assert_eq!(decode(&bytes, &Type::Dynamic), Ok(Value::Dynamic(ty, Box::new(inner))));

        assert!(err(&hex("91 c0"), &Type::Dynamic).message.contains("two-element array"));
        assert!(err(&hex("a1 78"), &Type::Dynamic).message.contains("two-element array"));
        assert!(
            err(&[&hex("92 c4 03")[..], b"foo", &hex("c0")].concat(), &Type::Dynamic)
                .message
                .contains("invalid type")
        );
        assert!(encode(&Value::string("x"), &Type::Dynamic).is_err());
        // A dynamic wrapper at a position of its own type is transparent.
        let wrapped = Value::Dynamic(Type::Bool, Box::new(Value::Bool(true)));
        assert_eq!(encode(&wrapped, &Type::Bool).unwrap(), [0xc3]);
        assert!(encode(&wrapped, &Type::String).is_err());
    }

    #[test]
    fn tuples_and_lists() {
        let ty = Type::Tuple(vec![Type::String, Type::Number]);
        let value = Value::Tuple(vec![Value::string("a"), num("2")]);
        assert_eq!(decode(&encode(&value, &ty).unwrap(), &ty), Ok(value));
        assert_eq!(
            err(&hex("91 a1 61"), &ty).message,
            "a tuple of length 2 is required (1 given)"
        );
        assert!(encode(&Value::Tuple(vec![]), &ty).is_err());
        assert!(
            err(&hex("80"), &Type::list(Type::String))
                .message
                .contains("a list is required (found map)")
        );
        assert!(encode(&Value::List(vec![]), &Type::set(Type::String)).is_err());
    }

    #[test]
    fn malformed_input_is_an_error() {
        let ty = Type::list(Type::String);
        for bytes in [
            "",
            "c1",
            "91",
            "dd ff ff ff ff",
            "df ff ff ff ff",
            "db ff ff ff ff",
            "a5 61",
            "91 a1 61 c0",
            "c9 ff ff ff ff 0c",
        ] {
            assert!(decode(&hex(bytes), &ty).is_err(), "{bytes:?}");
        }
        assert!(err(&hex("90 c0"), &ty).message.contains("trailing bytes"));
        // Every truncation of a valid encoding fails cleanly.
        let t = Type::object([("a", Type::list(Type::Number)), ("d", Type::Dynamic)]);
        let v = Value::object([
            ("a", Value::List(vec![num("0.1"), num("1.5"), num("-3")])),
            (
                "d",
                Value::Dynamic(Type::set(Type::String), Box::new(Value::Set(vec![Value::string("x")]))),
            ),
        ]);
        let bytes = encode(&v, &t).unwrap();
        for end in 0..bytes.len() {
            assert!(decode(&bytes[..end], &t).is_err(), "{end}");
        }
    }

    #[test]
    fn nesting_is_limited() {
        let mut ty = Type::Bool;
        for _ in 0..200 {
            ty = Type::list(ty);
        }
        let mut bytes = vec![0x91; 200];
        bytes.push(0xc3);
        assert!(err(&bytes, &ty).message.contains("nested more than 128"));
        // Dynamic wrappers count too.
        let mut bytes = Vec::new();
        for _ in 0..200 {
            bytes.extend(hex("92 a9"));
            bytes.extend_from_slice(b"\"dynamic\"");
        }
        bytes.push(0xc0);
        assert!(err(&bytes, &Type::Dynamic).message.contains("nested more than 128"));
        let mut value = Value::Bool(true);
        for _ in 0..200 {
            value = Value::List(vec![value]);
        }
        assert!(
            encode(&value, &ty)
                .unwrap_err()
                .message
                .contains("nested more than 128")
        );
    }

    proptest! {
        #[test]
        fn round_trips((ty, value) in generate::typed_value(true)) {
            let bytes = encode(&value, &ty).unwrap();
            prop_assert_eq!(decode(&bytes, &ty), Ok(value));
        }

        #[test]
        fn decoding_garbage_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..64), ty in generate::any_type(3)) {
            let _ = decode(&bytes, &ty);
        }

        #[test]
        fn decoding_mutated_values_never_panics(
            (ty, value) in generate::typed_value(true),
            flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        ) {
            let mut bytes = encode(&value, &ty).unwrap();
            for (at, byte) in flips {
                let i = at.index(bytes.len());
                bytes[i] = byte;
            }
            let _ = decode(&bytes, &ty);
        }
    }
}
