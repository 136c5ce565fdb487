//! The suite-wide secrets sweep (issue 10, item 5). With `HUB_SECRETS_SWEEP_DIR` set, every CLI command any
//! acceptance test runs gets `TF_LOG=trace` and `TF_LOG_PROVIDER=trace` with its own `TF_LOG_PATH`. When the
//! command ends, its trace log, stdout and stderr are searched for the secrets its workspace holds, and
//! the state for write-only values; one JSON line per command goes to `sweep.jsonl` in that directory (the
//! secret itself is never written there), and the log is deleted so that a whole suite fits on disk.
//! `make test-secrets-sweep` runs the suite this way and fails on any leak.
//!
//! A workspace's secrets are the values of sensitive settings in its configuration files (`secret_env`,
//! `secret_env_wo`, and `token`, `client_key` or `password` attributes), of its secret-looking
//! environment variables (the AWS secret access key), and any EKS bearer token (`k8s-aws-v1.` and a
//! presigned URL). `show`, `state` and `output` are not searched: they print sensitive values by design.
//! Nor is a configuration line the CLI quotes back in a diagnostic's source snippet: that is the user's own
//! file, which the provider never sees as text.

use std::borrow::Cow;
use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::json;

use super::command::Output;

/// The environment variable that switches the sweep on: the directory for logs and the report.
pub const SWEEP_DIR: &str = "HUB_SECRETS_SWEEP_DIR";

/// Values shorter than this are not searched for (too likely to occur by chance).
const MIN_LEN: usize = 6;

/// Every EKS bearer token starts with this; the rest is a presigned URL.
const EKS_TOKEN_PREFIX: &str = "k8s-aws-v1.";

/// Base64url characters after [`EKS_TOKEN_PREFIX`] that make a token rather than a mention of the format
/// (`k8s-aws-v1.…` in a description); a presigned URL encodes to hundreds.
const EKS_TOKEN_MIN_TAIL: usize = 20;

/// Subcommands whose output shows sensitive values on purpose.
const PRINTS_SECRETS: &[&str] = &["show", "state", "output"];

/// A secret to search for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    pub value: String,
    /// What it is, for the report (never the value).
    pub what: String,
    /// Write-only: must not reach state either.
    pub write_only: bool,
}

/// One command being swept.
#[derive(Debug)]
pub struct Sweep {
    dir: PathBuf,
    log: PathBuf,
    /// Whether the log is the sweep's own (deleted once searched).
    delete_log: bool,
    command: String,
    search_output: bool,
    secrets: Vec<Secret>,
    /// The configuration lines (trimmed) that hold a secret: a CLI may quote them in a source snippet.
    secret_lines: Vec<String>,
    state: PathBuf,
}

impl Sweep {
    /// The sweep of a command about to run, when `HUB_SECRETS_SWEEP_DIR` is set: the environment to add
    /// and the sweep to finish once the command ends.
    pub fn start(
        args: &[&str],
        label: &str,
        module: &Path,
        env: &[(String, String)],
    ) -> Option<(Vec<(String, String)>, Sweep)> {
        let dir = PathBuf::from(std::env::var_os(SWEEP_DIR)?);
        Self::start_in(dir, args, label, module, env)
    }

    /// [`Sweep::start`] with the report directory given.
    fn start_in(
        dir: PathBuf,
        args: &[&str],
        label: &str,
        module: &Path,
        env: &[(String, String)],
    ) -> Option<(Vec<(String, String)>, Sweep)> {
        std::fs::create_dir_all(&dir).ok()?;
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        // A test that sets up logging itself (tests/tests/secrets.rs reads it from stderr) keeps it; its
        // stderr, or its own TF_LOG_PATH, is searched instead.
        let own_logging = env.iter().any(|(k, _)| k.starts_with("TF_LOG"));
        let own_path = env
            .iter()
            .find(|(k, _)| k == "TF_LOG_PATH")
            .map(|(_, v)| PathBuf::from(v));
        let log = own_path.unwrap_or_else(|| dir.join(format!("trace-{}-{n}.log", std::process::id())));
        let vars = match own_logging {
            true => Vec::new(),
            false => vec![
                ("TF_LOG".to_owned(), "trace".to_owned()),
                ("TF_LOG_PROVIDER".to_owned(), "trace".to_owned()),
                ("TF_LOG_PATH".to_owned(), log.display().to_string()),
            ],
        };
        let config = config_texts(module);
        let mut secrets = secrets_in_config(&config);
        secrets.extend(secrets_in_env(env));
        let secret_lines = lines_holding(&config, &secrets);
        let search_output = !args.first().is_some_and(|a| PRINTS_SECRETS.contains(a));
        let sweep = Sweep {
            dir,
            delete_log: vars.len() == 3,
            log,
            command: label.to_owned(),
            search_output,
            secrets,
            secret_lines,
            state: module.join("terraform.tfstate"),
        };
        Some((vars, sweep))
    }

    /// Searches what the command left, appends its line to `sweep.jsonl`, and deletes the trace log.
    pub fn finish(self, output: Option<&Output>) {
        let log = std::fs::read(&self.log).unwrap_or_default();
        let log = String::from_utf8_lossy(&log);
        let mut leaks = Vec::new();
        let mut search = |place: &str, text: &str, write_only_only: bool| {
            let text = without_lines(text, &self.secret_lines);
            for s in self.secrets.iter().filter(|s| !write_only_only || s.write_only) {
                if text.contains(&s.value) {
                    leaks.push(json!({"what": s.what, "where": place}));
                }
            }
            if !write_only_only && has_eks_token(&text) {
                leaks.push(json!({"what": "an EKS bearer token", "where": place}));
            }
        };
        search("trace log", &log, false);
        let mut output_bytes = 0;
        if let (true, Some(out)) = (self.search_output, output) {
            search("stdout", &out.stdout, false);
            search("stderr", &out.stderr, false);
            output_bytes = out.stdout.len() + out.stderr.len();
        }
        if let Ok(state) = std::fs::read_to_string(&self.state) {
            search("state", &state, true);
        }
        let line = json!({
            "command": self.command,
            "log_bytes": log.len(),
            "output_bytes": output_bytes,
            "secrets": self.secrets.len(),
            "leaks": leaks,
        });
        if let Ok(mut report) = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("sweep.jsonl"))
        {
            // One write of the whole line: tests run in parallel, and O_APPEND keeps one write whole.
            let _ = report.write_all(format!("{line}\n").as_bytes());
        }
        if self.delete_log {
            let _ = std::fs::remove_file(&self.log);
        }
    }
}

/// The texts of the module's `.tf`, `.tf.json` and `.tfvars` files.
fn config_texts(module: &Path) -> Vec<String> {
    std::fs::read_dir(module)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            [".tf", ".tf.json", ".tfvars"].iter().any(|ext| name.ends_with(ext))
        })
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect()
}

/// Sensitive literals in the configuration texts, each once.
fn secrets_in_config(config: &[String]) -> Vec<Secret> {
    let mut out = Vec::new();
    for s in config.iter().flat_map(|text| sensitive_literals(text)) {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// The trimmed configuration lines that hold one of `secrets`.
fn lines_holding(config: &[String], secrets: &[Secret]) -> Vec<String> {
    config
        .iter()
        .flat_map(|text| text.lines())
        .map(str::trim)
        .filter(|l| secrets.iter().any(|s| l.contains(&s.value)))
        .map(str::to_owned)
        .collect()
}

/// `text` without the given configuration lines, as written or as a JSON string holds them (`-json`
/// diagnostics carry the snippet escaped).
fn without_lines<'a>(text: &'a str, lines: &[String]) -> Cow<'a, str> {
    let mut text = Cow::Borrowed(text);
    for line in lines {
        let escaped = serde_json::to_string(line).unwrap_or_default();
        let escaped = escaped.trim_matches('"');
        for form in [line.as_str(), escaped] {
            if text.contains(form) {
                text = Cow::Owned(text.replace(form, ""));
            }
        }
    }
    text
}

/// Whether `text` holds an EKS bearer token: the prefix followed by a base64url presigned URL.
fn has_eks_token(text: &str) -> bool {
    text.match_indices(EKS_TOKEN_PREFIX).any(|(at, _)| {
        text[at + EKS_TOKEN_PREFIX.len()..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
            .count()
            >= EKS_TOKEN_MIN_TAIL
    })
}

/// The quoted values of sensitive settings in HCL text: every string value inside a `secret_env` or
/// `secret_env_wo` map, and the values of `token`, `client_key` and `password` attributes. (hub's
/// `secret` attributes name a Kubernetes Secret; they hold no secret value.)
pub fn sensitive_literals(hcl: &str) -> Vec<Secret> {
    let mut out = Vec::new();
    let mut in_map: Option<bool> = None; // Some(write_only) while inside a secret_env map
    for line in hcl.lines() {
        let trimmed = line.trim();
        let key = trimmed.split('=').next().unwrap_or_default().trim().trim_matches('"');
        let opens = trimmed.contains('{');
        if in_map.is_none() && matches!(key, "secret_env" | "secret_env_wo") {
            let write_only = key == "secret_env_wo";
            push_values(&mut out, trimmed, key, write_only);
            if opens && !trimmed.contains('}') {
                in_map = Some(write_only);
            }
            continue;
        }
        if let Some(write_only) = in_map {
            let what = if write_only { "secret_env_wo" } else { "secret_env" };
            push_values(&mut out, trimmed, what, write_only);
            if trimmed.contains('}') {
                in_map = None;
            }
            continue;
        }
        if matches!(key, "token" | "client_key" | "password") {
            push_values(&mut out, trimmed, key, false);
        }
    }
    out
}

/// Every `"…"` right after an `=` in `text` (the values of `k = "v"` pairs, never quoted keys).
fn push_values(out: &mut Vec<Secret>, text: &str, what: &str, write_only: bool) {
    for (at, _) in text.match_indices('=') {
        let rest = text[at + 1..].trim_start();
        let Some(rest) = rest.strip_prefix('"') else { continue };
        let Some(end) = rest.find('"') else { continue };
        let value = &rest[..end];
        if value.len() >= MIN_LEN && !value.contains("${") {
            let s = Secret {
                value: value.to_owned(),
                what: what.to_owned(),
                write_only,
            };
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
}

/// Values of secret-looking environment variables the workspace sets.
fn secrets_in_env(env: &[(String, String)]) -> Vec<Secret> {
    env.iter()
        .filter(|(k, v)| {
            let k = k.to_ascii_uppercase();
            (k.contains("SECRET") || k.contains("TOKEN") || k.contains("PASSWORD")) && v.len() >= MIN_LEN
        })
        .map(|(k, v)| Secret {
            value: v.clone(),
            what: format!("environment variable {k}"),
            write_only: false,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_in_the_log_or_output_is_reported_and_the_log_deleted() {
        let root = tempfile::tempdir().expect("temp dir");
        let module = root.path().join("module");
        std::fs::create_dir_all(&module).expect("module dir");
        std::fs::write(module.join("main.tf"), "secret_env = { DB = \"hunter22\" }\n").expect("main.tf");
        let env = [("AWS_SECRET_ACCESS_KEY".to_owned(), "aws-secret-123".to_owned())];
        let dir = root.path().join("sweep");
        let (vars, sweep) = Sweep::start_in(dir.clone(), &["apply"], "tofu: apply", &module, &env).expect("on");
        assert!(vars.iter().any(|(k, v)| k == "TF_LOG" && v == "trace"));
        std::fs::write(
            &sweep.log,
            "... DB=hunter22 ... Authorization: k8s-aws-v1.aHR0cHM6Ly9zdHMuYW1hem9uYXdzLmNvbS8",
        )
        .expect("log");
        let log = sweep.log.clone();
        let output = Output {
            command: "tofu: apply".into(),
            code: Some(0),
            stdout: "signed with aws-secret-123".into(),
            stderr: String::new(),
        };
        sweep.finish(Some(&output));
        assert!(!log.exists(), "the trace log is deleted once searched");
        let report = std::fs::read_to_string(dir.join("sweep.jsonl")).expect("report");
        let leaks: Vec<String> = reported(&dir)
            .into_iter()
            .map(|(what, place)| format!("{what} in {place}"))
            .collect();
        assert_eq!(
            leaks,
            [
                "secret_env in trace log",
                "an EKS bearer token in trace log",
                "environment variable AWS_SECRET_ACCESS_KEY in stdout"
            ]
        );
        assert!(
            !report.contains("hunter22") && !report.contains("aws-secret-123"),
            "the report holds no secret"
        );
    }

    fn values(hcl: &str) -> Vec<(String, bool)> {
        sensitive_literals(hcl)
            .into_iter()
            .map(|s| (s.value, s.write_only))
            .collect()
    }

    #[test]
    fn finds_secret_env_values_inline_and_multi_line_and_tokens() {
        let hcl = r#"
provider "hub" {
  token = "eyJhbGciOi.payload"
}
resource "hub_app" "a" {
  image      = "not-a-secret:1"
  secret_env = { DB_PASSWORD = "hunter22", SHORT = "abc" }
  secret_env_wo = {
    API_TOKEN = "write-only-1234"
    OTHER     = "${var.x}"
  }
  config = { LOG_LEVEL = "info-level" }
  env_from = [
    {
      secret = "shared-settings"
    },
  ]
}
"#;
        assert_eq!(
            values(hcl),
            [
                ("eyJhbGciOi.payload".to_owned(), false),
                ("hunter22".to_owned(), false),
                ("write-only-1234".to_owned(), true),
            ]
        );
    }

    /// Runs a sweep of `validate` over a module holding `hcl`, with `stdout`; returns the leaks reported.
    fn leaks_of(hcl: &str, stdout: &str) -> Vec<String> {
        let root = tempfile::tempdir().expect("temp dir");
        let module = root.path().join("module");
        std::fs::create_dir_all(&module).expect("module dir");
        std::fs::write(module.join("main.tf"), hcl).expect("main.tf");
        let dir = root.path().join("sweep");
        let (_, sweep) = Sweep::start_in(dir.clone(), &["validate"], "tofu: validate", &module, &[]).expect("on");
        let output = Output {
            command: "tofu: validate".into(),
            code: Some(1),
            stdout: stdout.into(),
            stderr: String::new(),
        };
        sweep.finish(Some(&output));
        reported(&dir).into_iter().map(|(what, _)| what).collect()
    }

    /// The leaks (what, where) on the one line of the sweep report in `dir`.
    fn reported(dir: &Path) -> Vec<(String, String)> {
        let report = std::fs::read_to_string(dir.join("sweep.jsonl")).expect("report");
        let line: serde_json::Value = serde_json::from_str(report.trim()).expect("json line");
        let text = |v: &serde_json::Value| v.as_str().unwrap_or("").to_owned();
        line["leaks"]
            .as_array()
            .expect("leaks")
            .iter()
            .map(|l| (text(&l["what"]), text(&l["where"])))
            .collect()
    }

    #[test]
    fn the_cli_quoting_the_configuration_line_is_not_a_leak_but_the_value_elsewhere_is() {
        let hcl = "resource \"hub_app\" \"a\" {\n  secret_env = { DB_PASSWORD = \"hunter22\" }\n}\n";
        let json_snippet = r#"{"diagnostics":[{"summary":"Environment Variable Set Twice","snippet":{"code":"  secret_env = { DB_PASSWORD = \"hunter22\" }"}}]}"#;
        assert_eq!(leaks_of(hcl, json_snippet), Vec::<String>::new());
        let human_snippet = "  on main.tf line 2, in resource \"hub_app\" \"a\":\n   2:   secret_env = { DB_PASSWORD = \"hunter22\" }\n";
        assert_eq!(leaks_of(hcl, human_snippet), Vec::<String>::new());
        let echoed = format!("{json_snippet}\nerror: DB_PASSWORD=hunter22 is invalid");
        assert_eq!(leaks_of(hcl, &echoed), ["secret_env"]);
    }

    #[test]
    fn an_eks_token_is_the_prefix_and_a_presigned_url_not_a_mention_of_the_format() {
        assert!(has_eks_token(
            "Authorization: Bearer k8s-aws-v1.aHR0cHM6Ly9zdHMuYW1hem9uYXdzLmNvbS8_X-1"
        ));
        assert!(!has_eks_token(
            "The bearer token (`k8s-aws-v1.…`), for the `token` argument"
        ));
        assert!(!has_eks_token("token = \"k8s-aws-v1.made-up\""));
    }
}
