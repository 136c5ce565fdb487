//! Attribute paths: where in a value a diagnostic or a replacement applies.

use std::fmt;

/// One step into a value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathStep {
    /// An object attribute or a nested block type.
    Attr(String),
    /// A map key (or a map-nested block label).
    Key(String),
    /// A list or tuple index (or a list-nested block index).
    Index(i64),
}

/// A path from the root of a resource's object to one value in it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AttributePath(pub Vec<PathStep>);

impl AttributePath {
    /// The root path (the whole object).
    pub fn root() -> Self {
        AttributePath(Vec::new())
    }
    /// A path to a top-level attribute.
    pub fn attr(name: impl Into<String>) -> Self {
        AttributePath(vec![PathStep::Attr(name.into())])
    }
    /// A path of nested attributes, e.g. `["rollout", "timeout"]`.
    pub fn attrs(names: &[&str]) -> Self {
        AttributePath(names.iter().map(|n| PathStep::Attr((*n).to_owned())).collect())
    }
    /// This path extended by an attribute step.
    #[must_use]
    pub fn then_attr(&self, name: impl Into<String>) -> Self {
        self.then(PathStep::Attr(name.into()))
    }
    /// This path extended by a map-key step.
    #[must_use]
    pub fn then_key(&self, key: impl Into<String>) -> Self {
        self.then(PathStep::Key(key.into()))
    }
    /// This path extended by an index step.
    #[must_use]
    pub fn then_index(&self, index: usize) -> Self {
        self.then(PathStep::Index(index as i64))
    }
    /// This path extended by one step.
    #[must_use]
    pub fn then(&self, step: PathStep) -> Self {
        let mut steps = self.0.clone();
        steps.push(step);
        AttributePath(steps)
    }
    /// Whether this is the root path.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for AttributePath {
    /// HCL-like rendering: `spec.ports[0].name`, `labels["app"]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                PathStep::Attr(name) if i == 0 => write!(f, "{name}")?,
                PathStep::Attr(name) => write!(f, ".{name}")?,
                PathStep::Key(key) => write!(f, "[{key:?}]")?,
                PathStep::Index(i) => write!(f, "[{i}]")?,
            }
        }
        Ok(())
    }
}

/// One step of a [`Trail`], borrowing its name from what is being walked.
#[derive(Debug, Clone, Copy)]
pub(crate) enum StepRef<'a> {
    Attr(&'a str),
    Key(&'a str),
    Index(usize),
}

/// The path a codec is at while it walks a value, with borrowed steps: it becomes an [`AttributePath`]
/// only when an error needs one, so walking a large value allocates nothing for paths.
#[derive(Debug, Default)]
pub(crate) struct Trail<'a>(Vec<StepRef<'a>>);

impl<'a> Trail<'a> {
    pub(crate) fn push(&mut self, step: StepRef<'a>) {
        self.0.push(step);
    }
    pub(crate) fn pop(&mut self) {
        self.0.pop();
    }
    /// The owned path, for an error.
    pub(crate) fn to_path(&self) -> AttributePath {
        AttributePath(
            self.0
                .iter()
                .map(|step| match step {
                    StepRef::Attr(name) => PathStep::Attr((*name).to_owned()),
                    StepRef::Key(key) => PathStep::Key((*key).to_owned()),
                    StepRef::Index(i) => PathStep::Index(i64::try_from(*i).unwrap_or(i64::MAX)),
                })
                .collect(),
        )
    }
}
