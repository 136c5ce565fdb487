//! `hub-sandbox`: start, inspect and stop the local control plane from a shell (`make sandbox-up`,
//! `make sandbox-down`, the demo), plus the internal subcommands the plane runs as its own processes
//! (the token webhook, the AWS fault proxy, and the guard that stops a test binary's plane when it exits).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use hub_acceptance::sandbox::launcher::{self, UpOptions};
use hub_acceptance::sandbox::layout::{RunDir, default_cli_dir};
use hub_acceptance::sandbox::webhook::{self, WebhookConfig};
use hub_acceptance::sandbox::{Component, RunState, SandboxError, files, handle, process, proxy};

/// `println!` that ignores a closed stdout (e.g. `hub-sandbox status | head`) instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

const USAGE: &str = "\
usage: hub-sandbox <command> [--dir DIR]

  up       start the plane (tools are built on first use); prints how to use it
  down     stop every process of the plane and check nothing is left running or listening
  status   components, PIDs, memory, endpoints
  env      print `export` lines for the plane's environment (eval \"$(hub-sandbox env)\")
  stop C   stop one component (fault hook), e.g. kube-apiserver, moto
  start C  start a stopped component again (same flags, ports, data)

DIR defaults to $HUB_SANDBOX_DIR or target/hub-sandbox/cli.
internal: webhook --config F | aws-proxy --listen A --control A --upstream A | guard --dir D --owner PID --owner-start T";

/// Parsed `--key value` / `--key=value` flags and positional arguments.
struct Args {
    flags: Vec<(String, String)>,
    positional: Vec<String>,
}

impl Args {
    fn parse(raw: &[String]) -> Result<Self, SandboxError> {
        let mut flags = Vec::new();
        let mut positional = Vec::new();
        let mut it = raw.iter();
        while let Some(a) = it.next() {
            if let Some(flag) = a.strip_prefix("--") {
                match flag.split_once('=') {
                    Some((k, v)) => flags.push((k.to_owned(), v.to_owned())),
                    None => {
                        let v = it
                            .next()
                            .ok_or_else(|| SandboxError::Invalid(format!("--{flag} needs a value")))?;
                        flags.push((flag.to_owned(), v.clone()));
                    }
                }
            } else {
                positional.push(a.clone());
            }
        }
        Ok(Self { flags, positional })
    }

    fn get(&self, k: &str) -> Option<&str> {
        self.flags.iter().find(|(f, _)| f == k).map(|(_, v)| v.as_str())
    }

    fn require(&self, k: &str) -> Result<&str, SandboxError> {
        self.get(k)
            .ok_or_else(|| SandboxError::Invalid(format!("missing --{k}\n{USAGE}")))
    }

    fn dir(&self) -> PathBuf {
        self.get("dir").map(PathBuf::from).unwrap_or_else(default_cli_dir)
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, SandboxError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| SandboxError::io("building the tokio runtime", e))
}

fn cmd_up(args: &Args) -> Result<(), SandboxError> {
    let dir = args.dir();
    std::fs::create_dir_all(&dir).map_err(|e| SandboxError::io(format!("creating {}", dir.display()), e))?;
    let opts = UpOptions {
        dir: dir.clone(),
        hub_sandbox_bin: handle::hub_sandbox_bin()?,
        owner: None,
    };
    eprintln!("hub-sandbox: starting the plane in {}", dir.display());
    let st = runtime()?.block_on(launcher::up(&opts))?;
    print_status(&st);
    say!(
        "\nready in {:.1} s. Use it with:\n  eval \"$({} env --dir {})\"\nstop it with:\n  {} down --dir {}",
        st.ready_after_secs.unwrap_or_default(),
        opts.hub_sandbox_bin.display(),
        st.dir.display(),
        opts.hub_sandbox_bin.display(),
        st.dir.display()
    );
    Ok(())
}

fn cmd_down(args: &Args) -> Result<(), SandboxError> {
    let dir = args.dir();
    let report = launcher::down(&dir, None)?;
    for (c, pid, how) in &report.stopped {
        say!("{c:<24} pid {pid:<8} {how:?}");
    }
    say!(
        "sandbox in {} stopped; no process left, no port listening (logs kept in {}/logs)",
        dir.display(),
        dir.display()
    );
    Ok(())
}

fn print_status(st: &RunState) {
    say!("sandbox {} ({})", st.cluster_name, st.dir.display());
    let mut total = 0u64;
    for c in launcher::status(st) {
        let rss = c
            .rss_kib
            .map(|k| format!("{:.0} MiB", k as f64 / 1024.0))
            .unwrap_or_else(|| "-".to_owned());
        total += c.rss_kib.unwrap_or(0);
        say!(
            "  {:<24} pid {:<8} {:<8} rss {rss}",
            c.component,
            c.pid,
            if c.alive { "running" } else { "STOPPED" }
        );
    }
    say!("  total rss {:.0} MiB", total as f64 / 1024.0);
    say!("  api server   {}", st.api_server_url);
    say!("  aws endpoint {} (moto direct: {})", st.aws_endpoint, st.moto_url);
    say!("  faults       {}/faults", st.faults_url);
    say!("  oidc issuer  {}", st.oidc_issuer);
    say!("  kubeconfig   {}", RunDir::new(&st.dir).kubeconfig().display());
    if let Some(s) = st.ready_after_secs {
        say!("  started in   {s:.1} s");
    }
}

fn cmd_status(args: &Args) -> Result<(), SandboxError> {
    let st = RunState::load(&args.dir())?;
    if st.stopped {
        say!("sandbox in {} is stopped", st.dir.display());
        return Ok(());
    }
    print_status(&st);
    Ok(())
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn cmd_env(args: &Args) -> Result<(), SandboxError> {
    let dir = args.dir();
    let st = RunState::load(&dir)?;
    for (k, v) in files::env_vars(&RunDir::new(&st.dir), &st) {
        say!("export {k}={}", shell_quote(&v));
    }
    Ok(())
}

fn component_arg(args: &Args) -> Result<Component, SandboxError> {
    let name = args
        .positional
        .get(1)
        .ok_or_else(|| SandboxError::Invalid(format!("which component?\n{USAGE}")))?;
    Component::parse(name)
}

fn cmd_stop(args: &Args) -> Result<(), SandboxError> {
    let c = component_arg(args)?;
    let how = launcher::stop_component(&args.dir(), c)?;
    say!("{c}: {how:?}");
    Ok(())
}

fn cmd_start(args: &Args) -> Result<(), SandboxError> {
    let c = component_arg(args)?;
    runtime()?.block_on(launcher::start_component(&args.dir(), c))?;
    say!("{c}: running");
    Ok(())
}

fn cmd_webhook(args: &Args) -> Result<(), SandboxError> {
    let cfg = WebhookConfig::load(std::path::Path::new(args.require("config")?))?;
    runtime()?.block_on(webhook::serve(cfg))
}

fn cmd_proxy(args: &Args) -> Result<(), SandboxError> {
    let addr = |k: &str| -> Result<std::net::SocketAddr, SandboxError> {
        args.require(k)?
            .parse()
            .map_err(|e| SandboxError::Invalid(format!("--{k}: {e}")))
    };
    let (listen, control) = (addr("listen")?, addr("control")?);
    let upstream = args.require("upstream")?.to_owned();
    runtime()?.block_on(proxy::serve(listen, control, upstream))
}

/// Waits for the owner process to exit, then stops the plane.
fn cmd_guard(args: &Args) -> Result<(), SandboxError> {
    let dir = PathBuf::from(args.require("dir")?);
    let owner: u32 = args
        .require("owner")?
        .parse()
        .map_err(|e| SandboxError::Invalid(format!("--owner: {e}")))?;
    let ticks: u64 = args.get("owner-start").and_then(|t| t.parse().ok()).unwrap_or(0);
    loop {
        let alive = process::stat(owner).is_some_and(|s| s.state != 'Z' && (ticks == 0 || s.start_ticks == ticks));
        if !alive {
            break;
        }
        if RunState::load(&dir).map(|s| s.stopped).unwrap_or(true) {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    eprintln!(
        "hub-sandbox guard: owner {owner} exited; stopping the plane in {}",
        dir.display()
    );
    launcher::down(&dir, Some(std::process::id())).map(|_| ())
}

fn main() -> ExitCode {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    let result = Args::parse(&raw).and_then(|args| match args.positional.first().map(String::as_str) {
        Some("up") => cmd_up(&args),
        Some("down") => cmd_down(&args),
        Some("status") => cmd_status(&args),
        Some("env") => cmd_env(&args),
        Some("stop") => cmd_stop(&args),
        Some("start") => cmd_start(&args),
        Some("webhook") => cmd_webhook(&args),
        Some("aws-proxy") => cmd_proxy(&args),
        Some("guard") => cmd_guard(&args),
        _ => Err(SandboxError::Invalid(USAGE.to_owned())),
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hub-sandbox: {e}");
            ExitCode::FAILURE
        }
    }
}
