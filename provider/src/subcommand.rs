//! The shape every subcommand of the binary shares (`eks-token`, `discover`): `--help` prints its usage, bad
//! arguments exit 2 with the reason and the usage on stderr, the work runs on a one-thread runtime, and a
//! failure exits 1 with one reason on stderr.

use std::future::Future;
use std::process::ExitCode;

/// Runs subcommand `name`: `parse` turns `args` into a request, `work` does it; `Ok` exits 0.
pub fn run<R, Fut>(
    name: &str,
    usage: &str,
    args: Vec<String>,
    parse: impl FnOnce(Vec<String>) -> Result<R, String>,
    work: impl FnOnce(R) -> Fut,
) -> ExitCode
where
    Fut: Future<Output = Result<(), String>>,
{
    if args.iter().any(|a| matches!(a.as_str(), "-h" | "-help" | "--help")) {
        println!("{usage}");
        return ExitCode::SUCCESS;
    }
    let request = match parse(args) {
        Ok(r) => r,
        Err(why) => {
            eprintln!("terraform-provider-hub {name}: {why}\n{usage}");
            return ExitCode::from(2);
        }
    };
    let result = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("starting the runtime: {e}"))
        .and_then(|runtime| runtime.block_on(work(request)));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(why) => {
            eprintln!("terraform-provider-hub {name}: {why}");
            ExitCode::FAILURE
        }
    }
}
