//! Process entry point: parse flags, set up logging and the panic hook, then run the go-plugin
//! server on a small tokio runtime and turn the outcome into an exit code.

use std::process::ExitCode;
use std::time::Duration;

use hub_provider::aws::exec_credential::{SUBCOMMAND, USAGE as EKS_TOKEN_USAGE};
use hub_provider::plugin::{self, Launch, Mode};
use hub_provider::{build_info, discover, exec_plugin, logging, server, subcommand};

const USAGE: &str = "usage: terraform-provider-hub [-debug | --version | eks-token --help | discover --help]\n\
    Started without flags by terraform/tofu; -debug serves for TF_REATTACH_PROVIDERS; eks-token prints an \
    EKS token as a client-go exec credential; discover writes import blocks for a namespace's apps.";

fn main() -> ExitCode {
    let mode = match std::env::args().nth(1).as_deref() {
        None => Mode::Managed,
        Some("-debug" | "--debug") => Mode::Debug,
        Some("-version" | "--version") => {
            println!(
                "{} {} (commit {})",
                build_info::NAME,
                build_info::VERSION,
                build_info::COMMIT
            );
            return ExitCode::SUCCESS;
        }
        Some(SUBCOMMAND) => return eks_token(),
        Some(discover::SUBCOMMAND) => return discover::main(std::env::args().skip(2)),
        Some("-h" | "-help" | "--help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => {
            eprintln!("unknown argument {other:?}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    logging::init();
    logging::install_panic_hook();
    tracing::info!(
        version = build_info::VERSION,
        commit = build_info::COMMIT,
        "terraform-provider-hub starting"
    );
    let result = Launch::from_env(mode).and_then(|launch| {
        // One worker: the provider's work per request is small next to Terraform's; a second thread
        // gains no plan time and costs resident memory (another malloc arena; bench/provider/NOTES.md).
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .map_err(plugin::PluginError::Runtime)?;
        let result = runtime.block_on(plugin::serve(server::service(), launch));
        runtime.shutdown_timeout(Duration::from_millis(100));
        result
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error}");
            ExitCode::from(error.exit_code())
        }
    }
}

/// The `eks-token` subcommand: no logging set up (stdout is client-go's), a one-thread runtime, one
/// ExecCredential printed, or one reason on stderr and exit 1 (2 for bad arguments).
fn eks_token() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(2).collect();
    subcommand::run(
        "eks-token",
        EKS_TOKEN_USAGE,
        args,
        exec_plugin::request,
        |request| async move {
            let credential = exec_plugin::run(request).await?;
            println!("{credential}");
            Ok(())
        },
    )
}
