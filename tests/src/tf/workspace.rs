//! A [`Workspace`] is one test's working directory for one CLI: a temporary root holding the module
//! (`module/`, where the HCL goes and commands run), a private `HOME`, a CLI configuration that points
//! `hub/hub` at the built provider, and an (empty unless a test fills it) filesystem mirror as the only
//! other installation source, so nothing is ever downloaded.
//!
//! Commands run with a clean environment: `TF_CLI_CONFIG_FILE`, `TF_IN_AUTOMATION=1`,
//! `CHECKPOINT_DISABLE=1`, `TF_INPUT=0`, `HOME`, `PATH`, and the logging variables passed through
//! (`TF_LOG*`, `RUST_BACKTRACE`), plus whatever the test adds with [`Workspace::set_env`].

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use tempfile::TempDir;

use super::cli::Cli;
use super::command::{Output, Running};
use super::error::{Error, Result};
use super::plan::Plan;
use super::provider::{Install, ProviderBinary, SOURCE};
use super::schema::ProviderSchemas;
use super::secrets_sweep::Sweep;
use super::state::State;

/// Default limit for one command; a hung provider fails the test instead of hanging it.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

/// Name of the saved plan file inside the module directory.
pub const PLAN_FILE: &str = "tfplan";

const PASS_THROUGH: &[&str] = &[
    "PATH",
    "TMPDIR",
    "TF_LOG",
    "TF_LOG_PATH",
    "TF_LOG_CORE",
    "TF_LOG_PROVIDER",
    "TF_LOG_PROVIDER_HUB",
    "RUST_BACKTRACE",
];

/// One test's directory and CLI. Dropping it deletes the directory.
pub struct Workspace {
    cli: Cli,
    install: Install,
    root: TempDir,
    env: Vec<(OsString, OsString)>,
    timeout: Duration,
}

impl Workspace {
    /// A workspace using `dev_overrides` (no `init` needed).
    pub fn new(cli: &Cli) -> Result<Self> {
        Self::with_install(cli, Install::DevOverrides)
    }

    /// A workspace using the given installation method (see [`Install`]).
    pub fn with_install(cli: &Cli, install: Install) -> Result<Self> {
        let provider = ProviderBinary::get()?;
        let root = tempfile::Builder::new()
            .prefix("hub-acc-")
            .tempdir()
            .map_err(|source| Error::Io {
                path: std::env::temp_dir(),
                source,
            })?;
        let ws = Workspace {
            cli: cli.clone(),
            install,
            root,
            env: Vec::new(),
            timeout: DEFAULT_TIMEOUT,
        };
        for d in ["module", "home", "mirror"] {
            mkdir(&ws.root.path().join(d))?;
        }
        if install == Install::FilesystemMirror {
            ws.link_into_mirror(provider)?;
        }
        let mut cfg = String::from("provider_installation {\n");
        if install == Install::DevOverrides {
            cfg += &format!(
                "  dev_overrides {{\n    {} = {}\n  }}\n",
                hcl_str(SOURCE),
                hcl_path(provider.dir())
            );
        }
        cfg += &format!(
            "  filesystem_mirror {{\n    path = {}\n  }}\n}}\n",
            hcl_path(&ws.mirror_dir())
        );
        write(&ws.cli_config_path(), &cfg)?;
        Ok(ws)
    }

    /// The CLI this workspace runs.
    pub fn cli(&self) -> &Cli {
        &self.cli
    }

    /// How the provider is installed.
    pub fn install(&self) -> Install {
        self.install
    }

    /// The module directory: where HCL files go and commands run.
    pub fn path(&self) -> PathBuf {
        self.root.path().join("module")
    }

    /// The filesystem mirror consulted for every provider other than an overridden `hub/hub`.
    pub fn mirror_dir(&self) -> PathBuf {
        self.root.path().join("mirror")
    }

    /// The generated CLI configuration file (`TF_CLI_CONFIG_FILE`).
    pub fn cli_config_path(&self) -> PathBuf {
        self.root.path().join("cli.tfrc")
    }

    /// Replaces the generated CLI configuration with `hcl` (for [`Install::Configured`]).
    pub fn set_cli_config(&self, hcl: &str) -> Result<&Self> {
        write(&self.cli_config_path(), hcl)?;
        Ok(self)
    }

    /// Writes `contents` to `name` in the module directory.
    pub fn write(&self, name: &str, contents: &str) -> Result<&Self> {
        write(&self.path().join(name), contents)?;
        Ok(self)
    }

    /// Writes the configuration as `main.tf`.
    pub fn config(&self, hcl: &str) -> Result<&Self> {
        self.write("main.tf", hcl)
    }

    /// Reads `name` from the module directory.
    pub fn read(&self, name: &str) -> Result<String> {
        let path = self.path().join(name);
        std::fs::read_to_string(&path).map_err(|source| Error::Io { path, source })
    }

    /// The 1-based line of the first line of `file` containing `needle`, for asserting on diagnostic ranges
    /// without hard-coding line numbers.
    pub fn line_of(&self, file: &str, needle: &str) -> Result<usize> {
        self.read(file)?
            .lines()
            .position(|l| l.contains(needle))
            .map(|i| i + 1)
            .ok_or_else(|| Error::assertion(format!("{file} has no line containing {needle:?}")))
    }

    /// Adds an environment variable for every command (e.g. `KUBECONFIG`, `AWS_ENDPOINT_URL`).
    pub fn set_env(&mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> &mut Self {
        self.env.push((key.as_ref().to_owned(), value.as_ref().to_owned()));
        self
    }

    /// Changes the per-command time limit.
    pub fn set_timeout(&mut self, timeout: Duration) -> &mut Self {
        self.timeout = timeout;
        self
    }

    /// A new, empty-state workspace with the same CLI, installation, environment and time limit, and copies
    /// of this one's configuration files (`*.tf`, `*.tf.json`, `*.tofu`, `*.tfvars`): where import verification runs.
    pub fn fresh_copy(&self) -> Result<Workspace> {
        let mut copy = Workspace::with_install(&self.cli, self.install)?;
        copy.env = self.env.clone();
        copy.timeout = self.timeout;
        let dir = self.path();
        let entries = std::fs::read_dir(&dir).map_err(|source| Error::Io {
            path: dir.clone(),
            source,
        })?;
        for entry in entries {
            let entry = entry.map_err(|source| Error::Io {
                path: dir.clone(),
                source,
            })?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if [".tf", ".tf.json", ".tofu", ".tfvars"]
                .iter()
                .any(|ext| name.ends_with(ext))
            {
                copy.write(&name, &self.read(&name)?)?;
            }
        }
        Ok(copy)
    }

    /// Starts `cli ARGS…` in the module directory without waiting (for interrupt tests).
    pub fn spawn(&self, args: &[&str]) -> Result<Running> {
        let label = format!("{}: {}", self.cli, args.join(" "));
        let env: Vec<(String, String)> = self
            .env
            .iter()
            .map(|(k, v)| (k.to_string_lossy().into_owned(), v.to_string_lossy().into_owned()))
            .collect();
        let sweep = Sweep::start(args, &label, &self.path(), &env);
        let mut cmd = Command::new(&self.cli.path);
        cmd.args(args).current_dir(self.path()).env_clear();
        for key in PASS_THROUGH {
            if let Some(v) = std::env::var_os(key) {
                cmd.env(key, v);
            }
        }
        cmd.env("HOME", self.root.path().join("home"))
            .env("TF_CLI_CONFIG_FILE", self.cli_config_path())
            .env("TF_IN_AUTOMATION", "1")
            .env("TF_INPUT", "0")
            .env("CHECKPOINT_DISABLE", "1")
            .envs(self.env.iter().map(|(k, v)| (k, v)));
        let sweep = sweep.map(|(vars, sweep)| {
            cmd.envs(vars);
            sweep
        });
        Ok(Running::spawn(cmd, label)?.swept(sweep))
    }

    /// Runs `cli ARGS…` to completion, whatever its exit code.
    pub fn run(&self, args: &[&str]) -> Result<Output> {
        self.spawn(args)?.wait(self.timeout)
    }

    /// `init`: required for [`Install::FilesystemMirror`] and for modules; with dev_overrides core skips
    /// the overridden provider (and fails if it cannot find it elsewhere), so do not call it then.
    pub fn init(&self) -> Result<Output> {
        self.run(&["init", "-input=false", "-no-color"])?.ok()
    }

    /// `validate -json`, whatever the outcome: inspect [`Output::diagnostics`]. Fails only if the CLI did
    /// not print the JSON document.
    pub fn validate(&self) -> Result<Output> {
        let out = self.run(&["validate", "-json", "-no-color"])?;
        out.json()?;
        Ok(out)
    }

    /// `plan -out=tfplan` (must succeed), then `show -json tfplan`.
    pub fn plan(&self) -> Result<Plan> {
        let out = self
            .run(&["plan", "-json", "-input=false", &format!("-out={PLAN_FILE}")])?
            .ok()?;
        let json = self.run(&["show", "-json", PLAN_FILE])?.ok()?.json()?;
        Ok(Plan::new(json, out.diagnostics()))
    }

    /// `plan` that must fail; returns its output for asserting on [`Output::diagnostics`].
    pub fn plan_err(&self) -> Result<Output> {
        self.run(&["plan", "-json", "-input=false"])?.failed()
    }

    /// `apply -auto-approve` (plans and applies; must succeed).
    pub fn apply(&self) -> Result<Output> {
        self.run(&["apply", "-json", "-input=false", "-auto-approve"])?.ok()
    }

    /// Applies the plan saved by the last [`Workspace::plan`] (must succeed).
    pub fn apply_plan(&self) -> Result<Output> {
        self.run(&["apply", "-json", "-input=false", PLAN_FILE])?.ok()
    }

    /// `apply -auto-approve` that must fail.
    pub fn apply_err(&self) -> Result<Output> {
        self.run(&["apply", "-json", "-input=false", "-auto-approve"])?.failed()
    }

    /// `show -json`: the current state.
    pub fn state(&self) -> Result<State> {
        Ok(State::new(self.run(&["show", "-json"])?.ok()?.json()?))
    }

    /// `import ADDRESS ID` (must succeed; the resource block must be in the configuration).
    pub fn import(&self, address: &str, id: &str) -> Result<Output> {
        self.run(&["import", "-input=false", "-no-color", address, id])?.ok()
    }

    /// `destroy -auto-approve` (must succeed).
    pub fn destroy(&self) -> Result<Output> {
        self.run(&["destroy", "-json", "-input=false", "-auto-approve"])?.ok()
    }

    /// `providers schema -json`.
    pub fn providers_schema(&self) -> Result<ProviderSchemas> {
        Ok(ProviderSchemas::new(
            self.run(&["providers", "schema", "-json"])?.ok()?.json()?,
        ))
    }

    /// Puts a link to the provider binary into the mirror under both registry hosts, in the unpacked
    /// layout `HOST/hub/hub/VERSION/OS_ARCH/terraform-provider-hub_vVERSION`.
    fn link_into_mirror(&self, provider: &ProviderBinary) -> Result<()> {
        let v = &provider.version;
        for host in ["registry.terraform.io", "registry.opentofu.org"] {
            let dir = self.mirror_dir().join(host).join(SOURCE).join(v).join(platform());
            mkdir(&dir)?;
            let link = dir.join(format!("terraform-provider-hub_v{v}"));
            std::os::unix::fs::symlink(&provider.path, &link).map_err(|source| Error::Io { path: link, source })?;
        }
        Ok(())
    }
}

/// `OS_ARCH` as the registries spell it (`linux_amd64`).
pub(super) fn platform() -> String {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        other => other,
    };
    format!("{}_{arch}", std::env::consts::OS)
}

fn mkdir(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn write(path: &Path, contents: &str) -> Result<()> {
    std::fs::write(path, contents).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// An HCL quoted string literal.
fn hcl_str(s: &str) -> String {
    let escaped = s
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace("${", "$${")
        .replace("%{", "%%{");
    format!("\"{escaped}\"")
}

fn hcl_path(p: &Path) -> String {
    hcl_str(&p.to_string_lossy())
}
