//! The bad-input corpus: `tests/corpus/bad-input/<group>/<case>.tf`, one invalid configuration per file,
//! where `<group>` is the resource, data source, ephemeral resource, `provider` or `functions` (calls of
//! `provider::hub::…`). Each file starts with comment lines:
//!
//! ```text
//! # what is wrong, in words
//! # expect: <attribute path> ~ <text the diagnostic must contain>
//! # provider: own            (optional: the file has its own provider block; `@KUBECONFIG@` is replaced)
//! ```
//!
//! [`run`] feeds a case to a CLI the way a user would (validate, then apply) and says where it was
//! refused; a case that reaches the apply of a `hub_*` object (a create, update or delete; data source
//! reads are part of planning) was not refused in time.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::tf::{self, Diagnostic, Output, Workspace};

/// One invalid configuration.
#[derive(Debug, Clone)]
pub struct Case {
    /// Resource type, data source or `provider` (the directory).
    pub group: String,
    /// File name without `.tf`.
    pub name: String,
    /// The attribute the refusal must name, as hub prints paths (`autoscaling.max_replicas`,
    /// `s3_buckets[0].bucket`), or the argument name core prints (`image`).
    pub attribute: String,
    /// Text the diagnostic's summary or detail must contain (case-insensitive).
    pub text: String,
    /// The file has its own provider block.
    pub own_provider: bool,
    /// The HCL after the header.
    pub body: String,
}

/// Where a case was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// `validate` failed.
    Validate,
    /// `apply` failed while planning, before anything was applied.
    Plan,
    /// `apply` failed after applying helper objects (`terraform_data`) but before any `hub_*` object: the
    /// final plan of a value that was unknown during the first plan.
    PlanDuringApply,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::Validate => "validate",
            Stage::Plan => "plan",
            Stage::PlanDuringApply => "plan during apply",
        })
    }
}

impl fmt::Display for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.group, self.name)
    }
}

/// The group of provider-defined function calls (`provider::hub::…`), which only CLIs with functions run.
pub const FUNCTIONS: &str = "functions";
/// The group of `ephemeral "hub_eks_token"` blocks, which only CLIs with ephemeral resources run.
pub const EKS_TOKEN: &str = "eks_token";
/// The group of `ephemeral "hub_secret_value"` blocks, which only CLIs with ephemeral resources run.
pub const SECRET_VALUE: &str = "secret_value";
/// The group of `import { identity = ... }` blocks, which only CLIs with resource identity run.
pub const IDENTITY: &str = "identity";

/// What a CLI must support to run a group's cases: `None` for every CLI.
pub fn feature_of(group: &str) -> Option<fn(&tf::Cli) -> bool> {
    match group {
        FUNCTIONS => Some(tf::Cli::supports_functions),
        EKS_TOKEN | SECRET_VALUE => Some(tf::Cli::supports_ephemeral),
        IDENTITY => Some(tf::Cli::supports_identity),
        _ => None,
    }
}

/// The corpus directory of this crate.
pub fn default_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus").join("bad-input")
}

/// Every case under `dir`, sorted by group and name.
pub fn load(dir: &Path) -> tf::Result<Vec<Case>> {
    let mut cases = Vec::new();
    for group in read_dir(dir)? {
        if !group.is_dir() {
            continue;
        }
        for file in read_dir(&group)? {
            if file.extension().is_some_and(|e| e == "tf") {
                cases.push(parse(&group, &file)?);
            }
        }
    }
    cases.sort_by(|a, b| (&a.group, &a.name).cmp(&(&b.group, &b.name)));
    Ok(cases)
}

fn read_dir(dir: &Path) -> tf::Result<Vec<PathBuf>> {
    let io = |source| tf::Error::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        out.push(entry.map_err(io)?.path());
    }
    Ok(out)
}

fn parse(group: &Path, file: &Path) -> tf::Result<Case> {
    let text = std::fs::read_to_string(file).map_err(|source| tf::Error::Io {
        path: file.to_path_buf(),
        source,
    })?;
    let bad = |why: &str| tf::Error::assertion(format!("{}: {why}", file.display()));
    let header: Vec<&str> = text
        .lines()
        .take_while(|l| l.starts_with('#'))
        .map(|l| l.trim_start_matches('#').trim())
        .collect();
    let expect = header
        .iter()
        .find_map(|l| l.strip_prefix("expect:"))
        .ok_or_else(|| bad("no `# expect: <attribute> ~ <text>` line"))?;
    let (attribute, wanted) = expect
        .split_once(" ~ ")
        .ok_or_else(|| bad("the expect line needs `<attribute> ~ <text>`"))?;
    let name = |p: &Path| {
        p.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    Ok(Case {
        group: name(group),
        name: name(file),
        attribute: attribute.trim().to_owned(),
        text: wanted.trim().to_owned(),
        own_provider: header.contains(&"provider: own"),
        body: text,
    })
}

impl Case {
    /// The whole `main.tf`: the `terraform` block, the sandbox provider block unless the case brings its
    /// own, and the case.
    pub fn config(&self, kubeconfig: &Path) -> String {
        let terraform = "terraform {\n  required_providers {\n    hub = { source = \"hub/hub\" }\n  }\n}\n\n";
        let provider = if self.own_provider {
            String::new()
        } else {
            format!(
                "provider \"hub\" {{\n  config_path = {:?}\n  region      = \"us-east-1\"\n}}\n\n",
                kubeconfig.display().to_string()
            )
        };
        let body = self.body.replace("@KUBECONFIG@", &kubeconfig.display().to_string());
        format!("{terraform}{provider}{body}")
    }

    /// The last attribute name of [`Case::attribute`] (`bucket` of `s3_buckets[0].bucket`).
    fn leaf(&self) -> &str {
        let last = self.attribute.rsplit('.').next().unwrap_or(&self.attribute);
        last.split('[').next().unwrap_or(last)
    }

    /// Whether `d` is an error naming this case's attribute and containing its text: the summary or
    /// detail holds the attribute path (`autoscaling.max_replicas = 5 …`) or the quoted name (core's
    /// `argument "image" is required`), or the quoted source line assigns it.
    pub fn matches(&self, d: &Diagnostic) -> bool {
        let text = format!("{}\n{}", d.summary, d.detail);
        let lower = text.to_lowercase();
        if d.severity != tf::Severity::Error || !lower.contains(&self.text.to_lowercase()) {
            return false;
        }
        let leaf = self.leaf();
        names_path(&text, &self.attribute)
            || text.contains(&format!("\"{leaf}\""))
            || text.contains(&format!("`{leaf}`"))
            || d.snippet.as_ref().is_some_and(|s| {
                s.code.lines().any(|l| {
                    l.trim_start()
                        .strip_prefix(leaf)
                        .is_some_and(|rest| rest.trim_start().starts_with('='))
                })
            })
    }
}

/// Whether `text` mentions `path` as an attribute. A structured path (`ingress[0].from[0]`) or a name
/// with an underscore (`secret_env_wo_version`) counts wherever it stands as a whole word; a plain word
/// (`name`) only when followed by `=`, `[`, `(`, `.` or `key` (`name = "X"`, `labels["a"]`,
/// `labels key "a b"`), so that "name" in a sentence does not count.
fn names_path(text: &str, path: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let distinctive = path.contains(['.', '[', '_']);
    text.match_indices(path).any(|(i, _)| {
        let before_ok = text[..i].chars().next_back().is_none_or(|c| !word(c) && c != '.');
        let after = &text[i + path.len()..];
        let after_ok = after.chars().next().is_none_or(|c| !word(c));
        let rest = after.trim_start_matches(' ');
        before_ok && after_ok && (distinctive || rest.starts_with(['=', '[', '(', '.']) || rest.starts_with("key "))
    })
}

/// Runs `case` in `ws` (whose provider reaches the sandbox): `validate -json`, and if that passes,
/// `apply -json -auto-approve`, which must fail before applying any `hub_*` object. Returns where it was
/// refused, or an error saying what went wrong (accepted, wrong or no diagnostic, crash text).
pub fn run(ws: &Workspace, case: &Case, kubeconfig: &Path) -> tf::Result<Stage> {
    ws.config(&case.config(kubeconfig))?;
    let validated = ws.validate()?;
    let (stage, out) = if validated.success() {
        let out = ws.run(&["apply", "-json", "-input=false", "-auto-approve", "-no-color"])?;
        let applied = |hub: bool| {
            out.json_lines().iter().any(|l| {
                l["type"] == "apply_start"
                    && l["hook"]["action"] != "read"
                    && l["hook"]["resource"]["resource_type"]
                        .as_str()
                        .is_some_and(|t| t.starts_with("hub_") == hub)
            })
        };
        if applied(true) {
            return Err(tf::Error::assertion(format!(
                "{case}: not refused before hub applied it:\n{out}"
            )));
        }
        let stage = if applied(false) {
            Stage::PlanDuringApply
        } else {
            Stage::Plan
        };
        (stage, out)
    } else {
        (Stage::Validate, validated)
    };
    check_refusal(case, &out)?;
    Ok(stage)
}

fn check_refusal(case: &Case, out: &Output) -> tf::Result<()> {
    out.expect_no_crash()?;
    if out.success() {
        return Err(tf::Error::assertion(format!("{case}: accepted:\n{out}")));
    }
    if !out.diagnostics().0.iter().any(|d| case.matches(d)) {
        return Err(tf::Error::assertion(format!(
            "{case}: no error names `{}` with text {:?}:\n{out}",
            case.attribute, case.text
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(attribute: &str, text: &str) -> Case {
        Case {
            group: "hub_x".into(),
            name: "y".into(),
            attribute: attribute.into(),
            text: text.into(),
            own_provider: false,
            body: String::new(),
        }
    }

    fn diag(summary: &str, detail: &str, code: Option<&str>) -> Diagnostic {
        let mut v = serde_json::json!({"severity": "error", "summary": summary, "detail": detail});
        if let Some(code) = code {
            v["snippet"] = serde_json::json!({"code": code, "start_line": 3});
        }
        tf::Diagnostics::from_values([&v]).0.remove(0)
    }

    #[test]
    fn matches_by_path_quoted_name_or_snippet() {
        let d = diag(
            "Invalid Bucket Name",
            "s3_buckets[0].bucket = \"ab\" must be 3 to 63 characters.",
            None,
        );
        assert!(case("s3_buckets[0].bucket", "3 to 63").matches(&d));
        assert!(!case("s3_buckets[1].bucket", "3 to 63").matches(&d));
        assert!(!case("s3_buckets[0].bucket", "IP address").matches(&d));
        let d = diag("Missing required argument", "The argument \"image\" is required.", None);
        assert!(case("image", "required").matches(&d));
        let d = diag("AWS API Error", "No cluster found for name: x.", None);
        assert!(!case("name", "no cluster").matches(&d));
        let d = diag(
            "Invalid Range",
            "autoscaling.min_replicas (5) is above max_replicas (2).",
            None,
        );
        assert!(case("autoscaling.min_replicas", "above").matches(&d));
        let d = diag("Empty Peer", "ingress[0].from[1] is empty: set `cidr`.", None);
        assert!(case("ingress[0].from[1]", "empty").matches(&d));
        assert!(!case("ingress[0].from[0]", "empty").matches(&d));
        let d = diag("Missing Version", "set secret_env_wo_version and bump it", None);
        assert!(case("secret_env_wo_version", "bump").matches(&d));
        assert!(!case("secret_env_wo", "bump").matches(&d));
        let d = diag("Invalid Kubernetes Name", "bad", Some("  name = \"X\""));
        assert!(case("name", "kubernetes name").matches(&d));
        assert!(!case("namespace", "kubernetes name").matches(&d));
    }

    #[test]
    fn the_corpus_parses() {
        let cases = load(&default_dir()).unwrap();
        assert!(cases.len() >= 110, "{}", cases.len());
        assert!(cases.iter().all(|c| !c.attribute.is_empty() && !c.text.is_empty()));
    }
}
