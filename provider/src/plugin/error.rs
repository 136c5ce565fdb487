//! The error type of the plugin transport, with the process exit code each error maps to.

use std::io;

/// Why the plugin could not start or stopped serving.
#[derive(Debug, thiserror::Error)]
pub enum PluginError {
    /// The process was not started by Terraform/OpenTofu (missing or wrong magic cookie).
    #[error("{}", crate::plugin::cookie::HELP)]
    NotAPluginLaunch,
    /// The client offered protocol versions that do not include ours.
    #[error(
        "terraform-provider-hub speaks plugin protocol {} only, but the client offered \
         PLUGIN_PROTOCOL_VERSIONS={offered:?}; use Terraform >= 1.0 or OpenTofu",
        crate::plugin::PROTOCOL_VERSION
    )]
    UnsupportedProtocol {
        /// The raw value of `PLUGIN_PROTOCOL_VERSIONS`.
        offered: String,
    },
    /// `PLUGIN_CLIENT_CERT` is set but holds no usable PEM certificate.
    #[error("PLUGIN_CLIENT_CERT does not hold a PEM certificate: {0}")]
    ClientCert(String),
    /// The socket path cannot be written into the handshake line.
    #[error("unusable unix socket path {0:?} (it must be UTF-8 without '|' or newlines)")]
    SocketPath(std::path::PathBuf),
    /// `PLUGIN_UNIX_SOCKET_GROUP` names no known group.
    #[error("PLUGIN_UNIX_SOCKET_GROUP={0:?} is neither a group id nor a group in /etc/group")]
    SocketGroup(String),
    /// Creating or configuring the listener (unix socket or TCP port) failed.
    #[error("cannot listen for Terraform's connection: {0}")]
    Listen(#[source] io::Error),
    /// `HUB_PLUGIN_NETWORK` names a network this system cannot serve.
    #[error("HUB_PLUGIN_NETWORK={0:?}: the plugin serves \"tcp\" or, except on Windows, \"unix\"")]
    Network(String),
    /// `PLUGIN_MIN_PORT`/`PLUGIN_MAX_PORT` do not form a port range.
    #[error("unusable plugin port range: {0}")]
    PortRange(String),
    /// The tokio runtime could not be started.
    #[error("cannot start the async runtime: {0}")]
    Runtime(#[source] io::Error),
    /// Installing a signal handler failed.
    #[error("cannot install signal handlers: {0}")]
    Signals(#[source] io::Error),
    /// Generating the server certificate failed.
    #[error("cannot generate the plugin TLS certificate: {0}")]
    Certificate(#[from] rcgen::Error),
    /// Building the rustls server configuration failed.
    #[error("cannot configure TLS: {0}")]
    Tls(#[from] rustls::Error),
    /// Writing the handshake line (or debug instructions) to stdout failed.
    #[error("cannot write the plugin handshake to stdout: {0}")]
    Stdout(#[source] io::Error),
    /// The gRPC server failed.
    #[error("gRPC server failed: {0}")]
    Serve(#[from] tonic::transport::Error),
    /// The server task ended abnormally.
    #[error("gRPC server task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

impl PluginError {
    /// The process exit code for this error (go-plugin exits 1 on every startup failure).
    pub fn exit_code(&self) -> u8 {
        1
    }
}
