//! Entry point: parse the command line, then serve or check.
//!
//! Exit codes: 0 success (including a graceful shutdown), 1 a check failed or the server could not run,
//! 2 bad command line or configuration.

use hub_workload::app::{admin, probes_only};
use hub_workload::cli::{self, CheckOptions, Command};
use hub_workload::server::{self, Outcome, Routes, ShutdownTimings};
use hub_workload::settings::Settings;
use hub_workload::{AppState, app, check, logging};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::Notify;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match cli::parse(&args) {
        Ok(Command::Serve) => serve(),
        Ok(Command::Check(options)) => run_check(options),
        Ok(Command::Help) => {
            println!("{}", cli::USAGE);
            ExitCode::SUCCESS
        }
        Ok(Command::Version) => {
            println!("hub-workload {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("hub-workload: {error}\n\n{}", cli::USAGE);
            ExitCode::from(2)
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, ExitCode> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| {
            eprintln!("hub-workload: cannot start the async runtime: {error}");
            ExitCode::FAILURE
        })
}

fn serve() -> ExitCode {
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("hub-workload: invalid configuration: {error}");
            return ExitCode::from(2);
        }
    };
    logging::init(&settings.log_filter);
    let runtime = match runtime() {
        Ok(runtime) => runtime,
        Err(code) => return code,
    };
    runtime.block_on(async {
        let Some(listener) = bind(settings.listen, "app").await else {
            return ExitCode::FAILURE;
        };
        let Some(admin_listener) = bind(settings.admin_listen, "admin").await else {
            return ExitCode::FAILURE;
        };
        let state = AppState::new(settings, std::env::vars().collect());
        let settings = state.settings.clone();
        let lifecycle = state.lifecycle.clone();
        if !state.deps.is_empty() {
            state
                .deps
                .clone()
                .spawn_checker(settings.dependency_interval, lifecycle.clone());
        }
        let hurry = Arc::new(Notify::new());
        if let Err(error) = watch_signals(lifecycle.clone(), hurry.clone()) {
            tracing::error!(%error, "cannot install signal handlers");
            return ExitCode::FAILURE;
        }
        tracing::info!(addr = %settings.listen, admin = %settings.admin_listen,
            version = env!("CARGO_PKG_VERSION"), dependencies = settings.dependencies.len(),
            grants = settings.grants.len(), "listening");
        let timings = ShutdownTimings {
            drain_delay: settings.drain_delay,
            shutdown_timeout: settings.shutdown_timeout,
        };
        let app_routes = Routes {
            app: app(state.clone()),
            reserve: Some(probes_only(state.clone())),
        };
        let admin_routes = Routes {
            app: admin(state),
            reserve: None,
        };
        let admin_limits = settings.admin_limits();
        let (outcome, _) = tokio::join!(
            server::serve(
                listener,
                app_routes,
                lifecycle.clone(),
                &settings.limits,
                timings.clone(),
                hurry.notified(),
            ),
            server::serve(
                admin_listener,
                admin_routes,
                lifecycle,
                &admin_limits,
                timings,
                hurry.notified(),
            ),
        );
        match outcome {
            Outcome::Drained => tracing::info!("all connections finished; exiting"),
            Outcome::DeadlineExceeded => tracing::warn!("shutdown deadline passed; dropping open connections"),
        }
        ExitCode::SUCCESS
    })
}

async fn bind(addr: std::net::SocketAddr, which: &'static str) -> Option<tokio::net::TcpListener> {
    match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => Some(listener),
        Err(error) => {
            tracing::error!(%addr, listener = which, %error, "cannot listen");
            None
        }
    }
}

/// First SIGTERM/SIGINT starts draining; the next one ends the drain delay early.
fn watch_signals(lifecycle: Arc<hub_workload::lifecycle::Lifecycle>, hurry: Arc<Notify>) -> std::io::Result<()> {
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    tokio::spawn(async move {
        let mut first = true;
        loop {
            let name = tokio::select! {
                Some(()) = term.recv() => "SIGTERM",
                Some(()) = int.recv() => "SIGINT",
                else => return,
            };
            if first {
                lifecycle.begin_drain();
                tracing::info!(signal = name, "shutdown requested");
                first = false;
            } else {
                hurry.notify_waiters();
            }
        }
    });
    Ok(())
}

fn run_check(options: CheckOptions) -> ExitCode {
    let runtime = match runtime() {
        Ok(runtime) => runtime,
        Err(code) => return code,
    };
    let started = Instant::now();
    let results = runtime.block_on(check::run(check::plan(&options), options.timeout, options.interval));
    print!("{}", check::report(&results, started.elapsed()));
    if results.iter().all(|r| r.passed) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
