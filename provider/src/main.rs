//! Process entry point: parse flags, set up logging and the panic hook, then run the go-plugin
//! server on a small tokio runtime and turn the outcome into an exit code.

use std::process::ExitCode;
use std::time::Duration;

use hub_provider::plugin::{self, Launch, Mode};
use hub_provider::{logging, server};

const USAGE: &str = "usage: terraform-provider-hub [-debug | --version]\n\
    Started without flags by terraform/tofu; -debug serves for TF_REATTACH_PROVIDERS.";

fn main() -> ExitCode {
    let mode = match std::env::args().nth(1).as_deref() {
        None => Mode::Managed,
        Some("-debug" | "--debug") => Mode::Debug,
        Some("-version" | "--version") => {
            println!("terraform-provider-hub {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
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
