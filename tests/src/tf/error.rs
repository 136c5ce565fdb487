//! The harness's error type: every operation returns [`Result`], so a test is a function returning
//! `tf::Result<()>` that uses `?` throughout and prints one readable report when it fails.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use super::command::Output;

/// `Result` with the harness's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong while driving a CLI, or which expectation a test's assertion found unmet.
#[derive(thiserror::Error)]
pub enum Error {
    /// `tests/tools/build.sh <tool>` failed or printed no usable directory.
    #[error("could not build or find test tool `{tool}`: {reason}")]
    Tool {
        /// The tool name passed to build.sh (`tofu`, `terraform`).
        tool: String,
        /// What build.sh printed, or why its answer was unusable.
        reason: String,
    },
    /// `cargo build -p terraform-provider-hub` failed or named no executable.
    #[error("could not build the provider binary: {0}")]
    ProviderBuild(String),
    /// A program could not be started at all.
    #[error("could not start `{program}`")]
    Spawn {
        /// The program that failed to start.
        program: String,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// Reading or writing a file of the workspace failed.
    #[error("i/o error on {}", path.display())]
    Io {
        /// The file or directory involved.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A command that had to succeed exited non-zero (or by a signal).
    #[error("command failed: {0}")]
    Command(Box<Output>),
    /// A command that had to fail (an expected error) succeeded.
    #[error("command succeeded but an error was expected: {0}")]
    UnexpectedSuccess(Box<Output>),
    /// A command did not finish in time; its process group was killed.
    #[error("command timed out after {timeout:?} and was killed: {output}")]
    Timeout {
        /// The limit that was exceeded.
        timeout: Duration,
        /// What the command printed before it was killed.
        output: Box<Output>,
    },
    /// A CLI printed something that is not the JSON document its `-json` flag promises.
    #[error("`{command}` printed invalid JSON")]
    Json {
        /// The command line.
        command: String,
        /// The parser's error.
        #[source]
        source: serde_json::Error,
    },
    /// A test expectation was not met (diagnostics, plan, state, schema).
    #[error("assertion failed: {0}")]
    Assertion(String),
    /// A step of a [`super::TestCase`] failed.
    #[error("step {step} failed")]
    Step {
        /// The step's number, from 1.
        step: usize,
        /// Why.
        #[source]
        source: Box<Error>,
    },
    /// The same test failed under one or more CLIs (see [`super::for_each_cli`]).
    #[error("failed under {} CLI(s):\n{}", .0.len(), fmt_per_cli(.0))]
    PerCli(Vec<(String, Error)>),
}

impl Error {
    /// Builds an [`Error::Assertion`] from anything printable.
    pub fn assertion(message: impl Into<String>) -> Self {
        Error::Assertion(message.into())
    }
}

fn fmt_per_cli(failures: &[(String, Error)]) -> String {
    failures
        .iter()
        .map(|(cli, e)| format!("=== {cli} ===\n{}", chain(e)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The error and its `source()` chain on one line each.
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(&format!("\n  caused by: {c}"));
        cur = c.source();
    }
    s
}

/// `Debug` is what the test runner prints for a test that returns `Err`, so it shows the readable report
/// (with causes) rather than the derived struct dump.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&chain(self))
    }
}
