//! Attributes: one named value of a block, with its type or nested attributes, presence, sensitivity and
//! the validators and plan behaviour the framework applies to it.

use std::fmt;
use std::sync::Arc;

use crate::diag::Diagnostics;
use crate::value::{AttributePath, Type, Value};

/// Whether the user must, may or cannot set the attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Must be set in configuration.
    Required,
    /// May be set; null when not.
    Optional,
    /// Set by the provider only.
    Computed,
    /// May be set; the provider fills it in when not.
    OptionalComputed,
}

/// How nested attributes repeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nesting {
    /// One object.
    Single,
    /// A list of objects.
    List,
    /// A set of objects.
    Set,
    /// A map of objects.
    Map,
}

/// The value shape of an attribute.
#[derive(Debug, Clone)]
pub enum AttributeKind {
    /// A plain cty type.
    Type(Type),
    /// Nested attributes (protocol 6 `nested_type`).
    Nested(Nesting, Vec<Attribute>),
}

/// The check a validator runs.
type Check = dyn Fn(&Value, &AttributePath, &mut Diagnostics) + Send + Sync;

/// Checks a known, non-null value; reports problems at the given path.
#[derive(Clone)]
pub struct Validator {
    /// Shown in documentation and debug output.
    pub description: String,
    check: Arc<Check>,
}

impl Validator {
    /// A validator from its description and check.
    pub fn new(
        description: impl Into<String>,
        check: impl Fn(&Value, &AttributePath, &mut Diagnostics) + Send + Sync + 'static,
    ) -> Self {
        Validator {
            description: description.into(),
            check: Arc::new(check),
        }
    }
    /// Runs the check.
    pub fn check(&self, value: &Value, path: &AttributePath, diags: &mut Diagnostics) {
        (self.check)(value, path, diags)
    }
}

impl fmt::Debug for Validator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Validator").field(&self.description).finish()
    }
}

/// One attribute of a block.
#[derive(Debug, Clone)]
#[must_use]
pub struct Attribute {
    /// The name users write (`^[a-z0-9_]+$`).
    pub name: String,
    /// Type or nested attributes.
    pub kind: AttributeKind,
    /// Required, optional, computed or both.
    pub presence: Presence,
    /// Hidden in plans and logs.
    pub sensitive: bool,
    /// Never stored in state or plan (Terraform 1.11+).
    pub write_only: bool,
    /// A deprecation message, if deprecated.
    pub deprecated: Option<String>,
    /// Markdown description for docs and `providers schema`.
    pub description: String,
    /// Applied when the configuration leaves the attribute null (makes it optional+computed).
    pub default: Option<Value>,
    /// A change to this attribute destroys and recreates the object.
    pub requires_replace: bool,
    /// Once known, the value stays as it is in state unless the configuration changes it.
    pub use_state_for_unknown: bool,
    /// Checks run at validate time on known values.
    pub validators: Vec<Validator>,
}

impl Attribute {
    /// An optional attribute of a cty type.
    pub fn new(name: impl Into<String>, ty: Type) -> Self {
        Attribute {
            name: name.into(),
            kind: AttributeKind::Type(ty),
            presence: Presence::Optional,
            sensitive: false,
            write_only: false,
            deprecated: None,
            description: String::new(),
            default: None,
            requires_replace: false,
            use_state_for_unknown: false,
            validators: Vec::new(),
        }
    }
    /// An optional string attribute.
    pub fn string(name: impl Into<String>) -> Self {
        Attribute::new(name, Type::String)
    }
    /// An optional number attribute.
    pub fn number(name: impl Into<String>) -> Self {
        Attribute::new(name, Type::Number)
    }
    /// An optional bool attribute.
    pub fn bool(name: impl Into<String>) -> Self {
        Attribute::new(name, Type::Bool)
    }
    /// An optional map-of-strings attribute.
    pub fn string_map(name: impl Into<String>) -> Self {
        Attribute::new(name, Type::map(Type::String))
    }
    /// An optional list-of-strings attribute.
    pub fn string_list(name: impl Into<String>) -> Self {
        Attribute::new(name, Type::list(Type::String))
    }
    /// An optional set-of-strings attribute.
    pub fn string_set(name: impl Into<String>) -> Self {
        Attribute::new(name, Type::set(Type::String))
    }
    /// An optional attribute holding nested attributes.
    pub fn nested(name: impl Into<String>, nesting: Nesting, attributes: Vec<Attribute>) -> Self {
        let mut a = Attribute::new(name, Type::Dynamic);
        a.kind = AttributeKind::Nested(nesting, attributes);
        a
    }

    /// Must be set.
    pub fn required(mut self) -> Self {
        self.presence = Presence::Required;
        self
    }
    /// May be set (the default).
    pub fn optional(mut self) -> Self {
        self.presence = Presence::Optional;
        self
    }
    /// Set only by the provider.
    pub fn computed(mut self) -> Self {
        self.presence = Presence::Computed;
        self
    }
    /// May be set; the provider fills it in otherwise.
    pub fn optional_computed(mut self) -> Self {
        self.presence = Presence::OptionalComputed;
        self
    }
    /// Hidden in plans and logs.
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }
    /// Never persisted: only available during apply.
    pub fn write_only(mut self) -> Self {
        self.write_only = true;
        self
    }
    /// Deprecated, with the message users see.
    pub fn deprecated(mut self, message: impl Into<String>) -> Self {
        self.deprecated = Some(message.into());
        self
    }
    /// Markdown description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = text.into();
        self
    }
    /// A default for when the configuration leaves it null; the attribute becomes optional+computed.
    pub fn default_value(mut self, value: impl Into<Value>) -> Self {
        self.default = Some(value.into());
        self.presence = Presence::OptionalComputed;
        self
    }
    /// Changing it replaces the object.
    pub fn requires_replace(mut self) -> Self {
        self.requires_replace = true;
        self
    }
    /// Keep the state value while the configuration does not change it (for stable computed values).
    pub fn use_state_for_unknown(mut self) -> Self {
        self.use_state_for_unknown = true;
        self
    }
    /// Adds a validator.
    pub fn validate(mut self, validator: Validator) -> Self {
        self.validators.push(validator);
        self
    }

    /// Whether users may write it.
    pub fn is_configurable(&self) -> bool {
        self.presence != Presence::Computed
    }
    /// Whether the provider may fill it in.
    pub fn is_computed(&self) -> bool {
        matches!(self.presence, Presence::Computed | Presence::OptionalComputed)
    }
    /// The cty type of this attribute's value.
    pub fn value_type(&self) -> Type {
        match &self.kind {
            AttributeKind::Type(t) => t.clone(),
            AttributeKind::Nested(nesting, attrs) => {
                let obj = Type::Object(attrs.iter().map(|a| (a.name.clone(), a.value_type())).collect());
                match nesting {
                    Nesting::Single => obj,
                    Nesting::List => Type::list(obj),
                    Nesting::Set => Type::set(obj),
                    Nesting::Map => Type::map(obj),
                }
            }
        }
    }
}
