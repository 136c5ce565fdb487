//! A saved plan as `show -json PLANFILE` renders it, with helpers for `resource_changes`: actions, planned
//! values, what stays unknown until apply, and what is sensitive.

use std::fmt;

use serde_json::Value;

use super::diag::Diagnostics;
use super::error::{Error, Result};
use super::json;

/// One action of a resource change (`["delete", "create"]` is a replacement).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Nothing to do.
    NoOp,
    /// Create a new object.
    Create,
    /// Read a data source during apply.
    Read,
    /// Update in place.
    Update,
    /// Destroy.
    Delete,
    /// Remove from state without destroying (OpenTofu `removed` blocks, Terraform `forget`).
    Forget,
    /// Anything this harness does not know yet.
    Other(String),
}

impl Action {
    /// Parses the JSON plan spelling (`no-op`, `create`, …).
    pub fn parse(s: &str) -> Self {
        match s {
            "no-op" => Action::NoOp,
            "create" => Action::Create,
            "read" => Action::Read,
            "update" => Action::Update,
            "delete" => Action::Delete,
            "forget" => Action::Forget,
            other => Action::Other(other.to_string()),
        }
    }
}

/// A plan: the `show -json` document plus the diagnostics the `plan` run printed.
#[derive(Debug, Clone)]
pub struct Plan {
    json: Value,
    /// Diagnostics (warnings) printed while planning.
    pub diagnostics: Diagnostics,
}

impl Plan {
    /// Wraps a `show -json PLANFILE` document.
    pub fn new(json: Value, diagnostics: Diagnostics) -> Self {
        Plan { json, diagnostics }
    }

    /// The raw JSON plan representation.
    pub fn json(&self) -> &Value {
        &self.json
    }

    /// Every entry of `resource_changes`.
    pub fn resource_changes(&self) -> Vec<ResourceChange<'_>> {
        self.json["resource_changes"]
            .as_array()
            .into_iter()
            .flatten()
            .map(ResourceChange::new)
            .collect()
    }

    /// The change for `address` (e.g. `hub_namespace.x`), or an error listing the addresses present.
    pub fn resource_change(&self, address: &str) -> Result<ResourceChange<'_>> {
        let all = self.resource_changes();
        let names: Vec<&str> = all.iter().map(|c| c.address).collect();
        all.iter()
            .find(|c| c.address == address)
            .cloned()
            .ok_or_else(|| Error::assertion(format!("plan has no change for {address}; it has {names:?}")))
    }

    /// Fails unless every resource change is a no-op (or an ephemeral resource's open) and no output changes:
    /// the check terraform-plugin-testing runs after each apply ("After applying this test step, the plan
    /// was not empty").
    pub fn expect_empty(&self) -> Result<()> {
        let pending: Vec<String> = self
            .resource_changes()
            .iter()
            // OpenTofu lists each ephemeral resource it opens ("open"): not a change of anything.
            .filter(|c| c.actions != [Action::NoOp] && c.actions != [Action::Other("open".into())])
            .map(|c| format!("{} {:?}", c.address, c.actions))
            .collect();
        let outputs: Vec<String> = self.json["output_changes"]
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(_, c)| c["actions"] != serde_json::json!(["no-op"]))
            .map(|(name, c)| format!("output.{name} {}", c["actions"]))
            .collect();
        if pending.is_empty() && outputs.is_empty() {
            return Ok(());
        }
        Err(Error::assertion(format!(
            "expected an empty plan, got: {pending:?} {outputs:?}"
        )))
    }
}

/// One entry of a plan's `resource_changes`.
#[derive(Clone)]
pub struct ResourceChange<'a> {
    /// Its address.
    pub address: &'a str,
    /// What will be done, in order.
    pub actions: Vec<Action>,
    raw: &'a Value,
}

impl<'a> ResourceChange<'a> {
    fn new(raw: &'a Value) -> Self {
        let actions = raw["change"]["actions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(Action::parse)
            .collect();
        ResourceChange {
            address: raw["address"].as_str().unwrap_or_default(),
            actions,
            raw,
        }
    }

    /// The raw JSON entry.
    pub fn json(&self) -> &'a Value {
        self.raw
    }

    /// The value at `path` before the change (`None` if absent or null object).
    pub fn before(&self, path: &str) -> Option<&'a Value> {
        json::at(&self.raw["change"]["before"], path)
    }

    /// The planned value at `path`. Unknown values are absent from `after`; use [`Self::is_unknown`].
    pub fn after(&self, path: &str) -> Option<&'a Value> {
        json::at(&self.raw["change"]["after"], path)
    }

    /// Whether `path` is unknown until apply ("known after apply").
    pub fn is_unknown(&self, path: &str) -> bool {
        json::marked(&self.raw["change"]["after_unknown"], path)
    }

    /// Whether `path` is sensitive in the planned value.
    pub fn is_sensitive(&self, path: &str) -> bool {
        json::marked(&self.raw["change"]["after_sensitive"], path)
    }

    /// Fails unless the actions are exactly `expected`.
    pub fn expect_actions(&self, expected: &[Action]) -> Result<&Self> {
        if self.actions != expected {
            return Err(Error::assertion(format!(
                "{}: expected actions {expected:?}, planned {:?}",
                self.address, self.actions
            )));
        }
        Ok(self)
    }

    /// Fails unless the planned value at `path` equals `expected`.
    pub fn expect_after(&self, path: &str, expected: Value) -> Result<&Self> {
        match self.after(path) {
            Some(v) if *v == expected => Ok(self),
            got => Err(Error::assertion(format!(
                "{}: planned {path} = {got:?}, expected {expected} (unknown: {})",
                self.address,
                self.is_unknown(path)
            ))),
        }
    }

    /// Fails unless `path` is unknown until apply.
    pub fn expect_unknown(&self, path: &str) -> Result<&Self> {
        if !self.is_unknown(path) {
            return Err(Error::assertion(format!(
                "{}: expected {path} to be unknown at plan, planned {:?}",
                self.address,
                self.after(path)
            )));
        }
        Ok(self)
    }

    /// Fails unless `path` is marked sensitive.
    pub fn expect_sensitive(&self, path: &str) -> Result<&Self> {
        if !self.is_sensitive(path) {
            return Err(Error::assertion(format!(
                "{}: expected {path} to be sensitive",
                self.address
            )));
        }
        Ok(self)
    }
}

impl fmt::Debug for ResourceChange<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {:?} {}", self.address, self.actions, self.raw["change"])
    }
}
