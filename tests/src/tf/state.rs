//! State as `show -json` renders it: resources (root and child modules) with their values and sensitive
//! marks, and root outputs.

use serde_json::Value;

use super::error::{Error, Result};
use super::json;

/// A `show -json` state document.
#[derive(Debug, Clone)]
pub struct State {
    json: Value,
}

impl State {
    /// Wraps a `show -json` document.
    pub fn new(json: Value) -> Self {
        State { json }
    }

    /// The raw JSON.
    pub fn json(&self) -> &Value {
        &self.json
    }

    /// Every resource instance (managed and data), from all modules.
    pub fn resources(&self) -> Vec<StateResource<'_>> {
        let mut out = Vec::new();
        collect(&self.json["values"]["root_module"], &mut out);
        out
    }

    /// Whether no resource instance is recorded (what `destroy` must leave behind).
    pub fn is_empty(&self) -> bool {
        self.resources().is_empty()
    }

    /// The instance at `address`, or an error listing the addresses present.
    pub fn resource(&self, address: &str) -> Result<StateResource<'_>> {
        let all = self.resources();
        let names: Vec<&str> = all.iter().map(|r| r.address).collect();
        all.iter()
            .find(|r| r.address == address)
            .cloned()
            .ok_or_else(|| Error::assertion(format!("state has no {address}; it has {names:?}")))
    }

    /// The value of root output `name`.
    pub fn output(&self, name: &str) -> Option<&Value> {
        self.json["values"]["outputs"].get(name).map(|o| &o["value"])
    }
}

fn collect<'a>(module: &'a Value, out: &mut Vec<StateResource<'a>>) {
    for r in module["resources"].as_array().into_iter().flatten() {
        out.push(StateResource {
            address: r["address"].as_str().unwrap_or_default(),
            values: &r["values"],
            identity: &r["identity"],
            sensitive: &r["sensitive_values"],
        });
    }
    for child in module["child_modules"].as_array().into_iter().flatten() {
        collect(child, out);
    }
}

/// One resource instance in state.
#[derive(Debug, Clone)]
pub struct StateResource<'a> {
    /// Its address.
    pub address: &'a str,
    /// All attribute values (`values`).
    pub values: &'a Value,
    /// The resource identity (`identity`; null where the CLI has none).
    pub identity: &'a Value,
    sensitive: &'a Value,
}

impl<'a> StateResource<'a> {
    /// The value at dotted `path` (see [`json::at`]).
    pub fn attr(&self, path: &str) -> Option<&'a Value> {
        json::at(self.values, path)
    }

    /// The string at `path`, or an error.
    pub fn str(&self, path: &str) -> Result<&'a str> {
        self.attr(path).and_then(Value::as_str).ok_or_else(|| {
            Error::assertion(format!(
                "{}: {path} is not a string: {:?}",
                self.address,
                self.attr(path)
            ))
        })
    }

    /// Whether `path` is marked sensitive.
    pub fn is_sensitive(&self, path: &str) -> bool {
        json::marked(self.sensitive, path)
    }

    /// Fails unless the value at `path` equals `expected`.
    pub fn expect_attr(&self, path: &str, expected: Value) -> Result<&Self> {
        match self.attr(path) {
            Some(v) if *v == expected => Ok(self),
            got => Err(Error::assertion(format!(
                "{}: {path} = {got:?}, expected {expected}",
                self.address
            ))),
        }
    }

    /// Fails unless `path` holds a non-null value.
    pub fn expect_set(&self, path: &str) -> Result<&Self> {
        match self.attr(path) {
            Some(v) if !v.is_null() => Ok(self),
            got => Err(Error::assertion(format!(
                "{}: expected {path} to be set, got {got:?}",
                self.address
            ))),
        }
    }
}
