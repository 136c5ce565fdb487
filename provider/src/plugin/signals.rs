//! Signal policy. Managed: SIGINT is swallowed (Ctrl-C reaches the whole process group; Terraform
//! then calls StopProvider and Shutdown itself), SIGTERM stops serving. Debug: SIGINT and SIGTERM
//! both stop serving.

use tokio::signal::unix::{SignalKind, signal};
use tokio_util::sync::CancellationToken;

use super::{Mode, PluginError};

/// Installs the handlers. Must run inside the runtime, before the handshake line is printed.
pub(crate) fn install(mode: Mode, shutdown: &CancellationToken) -> Result<(), PluginError> {
    let mut interrupt = signal(SignalKind::interrupt()).map_err(PluginError::Signals)?;
    let mut terminate = signal(SignalKind::terminate()).map_err(PluginError::Signals)?;
    let token = shutdown.clone();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                Some(()) = interrupt.recv() => {
                    if mode == Mode::Debug {
                        tracing::info!("SIGINT received, stopping");
                        break;
                    }
                    tracing::debug!("SIGINT ignored; Terraform stops providers through RPCs");
                }
                Some(()) = terminate.recv() => {
                    tracing::info!("SIGTERM received, stopping");
                    break;
                }
                () = token.cancelled() => return,
                else => return,
            }
        }
        token.cancel();
    });
    Ok(())
}
