//! User-facing problems: each diagnostic has a severity, a short summary, a detail that says what to do,
//! and optionally the attribute it is about (so Terraform can point at the line).

use crate::value::AttributePath;

/// How bad a diagnostic is. There is deliberately no "invalid" level: Terraform would drop it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Stops the operation.
    Error,
    /// Shown, but the operation goes on.
    Warning,
}

/// One problem, reported to the user by Terraform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A short Title Case summary.
    pub summary: String,
    /// What went wrong and what to do next.
    pub detail: String,
    /// The attribute the problem is about; `None` means the whole block.
    pub path: Option<AttributePath>,
}

/// An ordered collection of diagnostics.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// No diagnostics.
    pub fn new() -> Self {
        Diagnostics(Vec::new())
    }
    /// A single error about the whole block.
    pub fn from_error(summary: impl Into<String>, detail: impl Into<String>) -> Self {
        let mut d = Diagnostics::new();
        d.error(summary, detail);
        d
    }
    /// Adds an error about the whole block.
    pub fn error(&mut self, summary: impl Into<String>, detail: impl Into<String>) {
        self.push(Severity::Error, summary, detail, None);
    }
    /// Adds an error about one attribute.
    pub fn error_at(&mut self, path: &AttributePath, summary: impl Into<String>, detail: impl Into<String>) {
        self.push(Severity::Error, summary, detail, Some(path.clone()));
    }
    /// Adds a warning about the whole block.
    pub fn warning(&mut self, summary: impl Into<String>, detail: impl Into<String>) {
        self.push(Severity::Warning, summary, detail, None);
    }
    /// Adds a warning about one attribute.
    pub fn warning_at(&mut self, path: &AttributePath, summary: impl Into<String>, detail: impl Into<String>) {
        self.push(Severity::Warning, summary, detail, Some(path.clone()));
    }
    /// Adds an error saying the provider itself is wrong, so users report it instead of changing config.
    pub fn bug(&mut self, summary: impl Into<String>, detail: impl std::fmt::Display) {
        self.error(
            summary,
            format!("{detail}\n\nThis is a bug in the hub provider; please report it with the command you ran."),
        );
    }
    fn push(
        &mut self,
        severity: Severity,
        summary: impl Into<String>,
        detail: impl Into<String>,
        path: Option<AttributePath>,
    ) {
        self.0.push(Diagnostic {
            severity,
            summary: summary.into(),
            detail: detail.into(),
            path,
        });
    }
    /// Appends all of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }
    /// Whether there are none at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// Iterates over the diagnostics.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }
}
