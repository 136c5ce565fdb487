//! Provider-defined functions (`provider::hub::<name>(...)`): pure computations over their arguments,
//! needing no provider configuration, so Terraform may call them on an unconfigured provider instance and
//! must get the same result at plan and at apply.

use std::collections::BTreeMap;

use crate::value::{Type, Value};

/// One positional parameter. Terraform refuses null and skips the call (result unknown) when an argument is
/// not wholly known, so a function only ever sees known, non-null arguments.
#[derive(Debug, Clone)]
pub struct Parameter {
    /// The name shown in errors and documentation.
    pub name: &'static str,
    /// The type constraint.
    pub ty: Type,
    /// What the argument is (Markdown).
    pub description: &'static str,
}

impl Parameter {
    /// A string parameter.
    pub fn string(name: &'static str, description: &'static str) -> Self {
        Parameter {
            name,
            ty: Type::String,
            description,
        }
    }

    /// A `map(string)` parameter.
    pub fn string_map(name: &'static str, description: &'static str) -> Self {
        Parameter {
            name,
            ty: Type::Map(Box::new(Type::String)),
            description,
        }
    }
}

/// A function's signature and documentation.
#[derive(Debug, Clone)]
pub struct Signature {
    /// One line for listings.
    pub summary: &'static str,
    /// What the function returns and why one would call it (Markdown).
    pub description: &'static str,
    /// The positional parameters.
    pub parameters: Vec<Parameter>,
    /// The result's type.
    pub returns: Type,
}

/// Why a call failed, pointing at the argument to blame when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionError {
    /// The message Terraform shows.
    pub text: String,
    /// The zero-based position of the argument at fault.
    pub argument: Option<usize>,
}

impl FunctionError {
    /// An error caused by argument `index`.
    pub fn argument(index: usize, text: impl Into<String>) -> Self {
        FunctionError {
            text: text.into(),
            argument: Some(index),
        }
    }
}

/// A call's arguments, already checked against the parameter types by the server.
#[derive(Debug)]
pub struct Arguments<'a>(pub &'a [Value]);

impl Arguments<'_> {
    /// Argument `index` as a string.
    pub fn string(&self, index: usize) -> Result<&str, FunctionError> {
        self.0
            .get(index)
            .and_then(Value::as_str)
            .ok_or_else(|| FunctionError::argument(index, "this argument must be a known string"))
    }

    /// Argument `index` as a map of strings.
    pub fn string_map(&self, index: usize) -> Result<BTreeMap<&str, &str>, FunctionError> {
        let bad = || FunctionError::argument(index, "this argument must be a known map of strings");
        let map = self.0.get(index).and_then(Value::as_map).ok_or_else(bad)?;
        map.iter()
            .map(|(k, v)| v.as_str().map(|v| (k.as_str(), v)).ok_or_else(bad))
            .collect()
    }
}

/// A provider-defined function.
pub trait Function: Send + Sync + 'static {
    /// The name after `provider::hub::`.
    fn name(&self) -> &'static str;
    /// Parameters, result type and documentation.
    fn signature(&self) -> Signature;
    /// Computes the result (a value of [`Signature::returns`]).
    fn call(&self, args: &Arguments<'_>) -> Result<Value, FunctionError>;
}
