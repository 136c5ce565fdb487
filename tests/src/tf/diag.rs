//! Diagnostics as the CLIs print them with `-json` (`validate -json`, and the `"type": "diagnostic"`
//! messages of the streaming UI), and a small matcher to assert on them.
//!
//! The JSON carries no attribute path: core turns the provider's path into a source range pointing at the
//! attribute (or, for a missing argument, at the block) and quotes that line in `snippet.code`. So "this
//! diagnostic is about attribute `name`, line 7" is checked through the detail text, the snippet and the
//! range; see [`DiagMatch::attribute`] and [`DiagMatch::at`].

use std::fmt;

use serde::Deserialize;
use serde_json::Value;

use super::error::{Error, Result};

/// `error` or `warning`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Stops the operation.
    Error,
    /// Reported, does not stop it.
    Warning,
}

/// One diagnostic, in the CLI's JSON shape.
#[derive(Debug, Clone, Deserialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// One-line summary.
    pub summary: String,
    /// Longer explanation (may be empty).
    #[serde(default)]
    pub detail: String,
    /// The resource address it concerns, when core knows it.
    #[serde(default)]
    pub address: Option<String>,
    /// Where in the configuration, when it concerns configuration.
    #[serde(default)]
    pub range: Option<Range>,
    /// The quoted source line(s) of `range`.
    #[serde(default)]
    pub snippet: Option<Snippet>,
}

/// A source range (`filename` is relative to the module directory, e.g. `main.tf`).
#[derive(Debug, Clone, Deserialize)]
pub struct Range {
    /// The configuration file.
    pub filename: String,
    /// First position.
    pub start: Pos,
    /// Position after the last character.
    pub end: Pos,
}

/// A position in a file; `line` and `column` start at 1.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Pos {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
}

/// The source the CLI quotes for a range.
#[derive(Debug, Clone, Deserialize)]
pub struct Snippet {
    /// The enclosing block, e.g. `resource "hub_namespace" "x"`.
    #[serde(default)]
    pub context: Option<String>,
    /// The quoted line(s).
    pub code: String,
    /// The line number of the first line of `code`.
    pub start_line: usize,
}

impl Diagnostic {
    fn mentions_attribute(&self, name: &str) -> bool {
        let quoted = format!("\"{name}\"");
        if self.summary.contains(&quoted) || self.detail.contains(&quoted) {
            return true;
        }
        let Some(snippet) = &self.snippet else {
            return false;
        };
        snippet.code.lines().any(|l| {
            l.trim_start()
                .strip_prefix(name)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "Error",
            Severity::Warning => "Warning",
        };
        write!(f, "{sev}: {}", self.summary)?;
        if let Some(r) = &self.range {
            write!(f, " [{}:{}:{}]", r.filename, r.start.line, r.start.column)?;
        }
        if let Some(s) = &self.snippet {
            write!(f, "\n    | {}", s.code.trim_end().replace('\n', "\n    | "))?;
        }
        if !self.detail.is_empty() {
            write!(f, "\n    {}", self.detail.replace('\n', "\n    "))?;
        }
        Ok(())
    }
}

/// A list of diagnostics with assertion helpers.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Parses each JSON value as a [`Diagnostic`]; malformed entries become an error diagnostic saying so,
    /// so they cannot vanish silently.
    pub fn from_values<'a>(values: impl IntoIterator<Item = &'a Value>) -> Self {
        Diagnostics(
            values
                .into_iter()
                .map(|v| {
                    Diagnostic::deserialize(v).unwrap_or_else(|e| Diagnostic {
                        severity: Severity::Error,
                        summary: format!("harness: unparseable diagnostic ({e})"),
                        detail: v.to_string(),
                        address: None,
                        range: None,
                        snippet: None,
                    })
                })
                .collect(),
        )
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.severity == Severity::Error)
    }

    /// The errors' summaries and details, one error per line: what a test searches for a message.
    pub fn error_text(&self) -> String {
        self.errors()
            .map(|d| format!("{}: {}\n", d.summary, d.detail))
            .collect()
    }

    /// The first diagnostic `m` matches, or an error listing all diagnostics.
    pub fn expect(&self, m: &DiagMatch) -> Result<&Diagnostic> {
        self.0
            .iter()
            .find(|d| m.matches(d))
            .ok_or_else(|| Error::assertion(format!("no diagnostic matches {m}; got:\n{self}")))
    }

    /// Fails if any error is present.
    pub fn expect_no_errors(&self) -> Result<()> {
        if self.errors().next().is_some() {
            return Err(Error::assertion(format!("expected no errors, got:\n{self}")));
        }
        Ok(())
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(no diagnostics)");
        }
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "- {d}")?;
        }
        Ok(())
    }
}

/// What a diagnostic must look like; every condition set must hold. Build with [`DiagMatch::error`] or
/// [`DiagMatch::warning`] and chain conditions.
#[derive(Debug, Clone)]
pub struct DiagMatch {
    severity: Severity,
    summary: Option<String>,
    detail: Option<String>,
    attribute: Option<String>,
    at: Option<(String, usize)>,
}

impl DiagMatch {
    /// Matches errors.
    pub fn error() -> Self {
        Self::new(Severity::Error)
    }

    /// Matches warnings.
    pub fn warning() -> Self {
        Self::new(Severity::Warning)
    }

    fn new(severity: Severity) -> Self {
        DiagMatch {
            severity,
            summary: None,
            detail: None,
            attribute: None,
            at: None,
        }
    }

    /// The summary contains `text` (case-insensitive).
    pub fn summary(mut self, text: &str) -> Self {
        self.summary = Some(text.to_lowercase());
        self
    }

    /// The detail contains `text` (case-insensitive).
    pub fn detail(mut self, text: &str) -> Self {
        self.detail = Some(text.to_lowercase());
        self
    }

    /// The diagnostic names attribute `name`: the summary or detail quotes it (`"name"`), or the quoted
    /// source line is its assignment (`name = …`).
    pub fn attribute(mut self, name: &str) -> Self {
        self.attribute = Some(name.to_string());
        self
    }

    /// The range starts on `line` of `file` (e.g. `("main.tf", 7)`; see `Workspace::line_of`).
    pub fn at(mut self, file: &str, line: usize) -> Self {
        self.at = Some((file.to_string(), line));
        self
    }

    /// Whether `d` satisfies every condition.
    pub fn matches(&self, d: &Diagnostic) -> bool {
        let contains =
            |hay: &str, needle: &Option<String>| needle.as_ref().is_none_or(|n| hay.to_lowercase().contains(n));
        d.severity == self.severity
            && contains(&d.summary, &self.summary)
            && contains(&d.detail, &self.detail)
            && self.attribute.as_ref().is_none_or(|a| d.mentions_attribute(a))
            && self.at.as_ref().is_none_or(|(file, line)| {
                d.range
                    .as_ref()
                    .is_some_and(|r| r.filename.ends_with(file.as_str()) && r.start.line == *line)
            })
    }
}

impl fmt::Display for DiagMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.severity)?;
        if let Some(s) = &self.summary {
            write!(f, " summary~{s:?}")?;
        }
        if let Some(s) = &self.detail {
            write!(f, " detail~{s:?}")?;
        }
        if let Some(a) = &self.attribute {
            write!(f, " attribute={a:?}")?;
        }
        if let Some((file, line)) = &self.at {
            write!(f, " at {file}:{line}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Diagnostics {
        let v: Value = serde_json::from_str(
            r#"[{"severity":"error","summary":"Invalid namespace name",
                 "detail":"a lowercase RFC 1123 label must consist of ...",
                 "range":{"filename":"main.tf","start":{"line":7,"column":10,"byte":90},
                          "end":{"line":7,"column":20,"byte":100}},
                 "snippet":{"context":"resource \"hub_namespace\" \"x\"","code":"  name = \"Bad_Name\"",
                            "start_line":7,"highlight_start_offset":9,"highlight_end_offset":19,"values":[]}},
                {"severity":"warning","summary":"Provider development overrides are in effect","detail":""}]"#,
        )
        .unwrap();
        Diagnostics::from_values(v.as_array().unwrap())
    }

    #[test]
    fn matches_attribute_by_snippet_and_line() {
        let d = sample();
        assert!(d.expect(&DiagMatch::error().attribute("name").at("main.tf", 7)).is_ok());
        assert!(d.expect(&DiagMatch::error().attribute("nam")).is_err());
        assert!(d.expect(&DiagMatch::error().at("main.tf", 8)).is_err());
        assert!(d.expect(&DiagMatch::warning().summary("DEVELOPMENT overrides")).is_ok());
        assert!(d.expect_no_errors().is_err());
    }

    #[test]
    fn matches_attribute_quoted_in_detail() {
        let v = serde_json::json!([{"severity":"error","summary":"Missing required argument",
            "detail":"The argument \"name\" is required, but no definition was found."}]);
        let d = Diagnostics::from_values(v.as_array().unwrap());
        assert!(
            d.expect(&DiagMatch::error().summary("missing required").attribute("name"))
                .is_ok()
        );
        assert!(d.expect(&DiagMatch::error().attribute("labels")).is_err());
    }
}
