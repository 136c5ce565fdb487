//! Signal policy. Managed: an interrupt (SIGINT; Ctrl-C or Ctrl-Break on Windows) is swallowed, since it
//! reaches the whole process group and Terraform then calls StopProvider and Shutdown itself; a
//! termination (SIGTERM; the console closing or the system shutting down on Windows) stops serving.
//! Debug: both stop serving.

use std::io;

use tokio_util::sync::CancellationToken;

use super::{Mode, PluginError};

/// What the operating system asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Event {
    Interrupt,
    Terminate,
}

/// Whether `event` stops the server in `mode`.
fn stops(mode: Mode, event: Event) -> bool {
    event == Event::Terminate || mode == Mode::Debug
}

/// Installs the handlers. Must run inside the runtime, before the handshake line is printed.
pub(crate) fn install(mode: Mode, shutdown: &CancellationToken) -> Result<(), PluginError> {
    let mut events = Events::new().map_err(PluginError::Signals)?;
    let token = shutdown.clone();
    // The handlers stay registered until the runtime ends: on Windows, dropping a console handler hands the
    // next Ctrl-C to the default handler, which would end the process in the middle of its shutdown.
    tokio::spawn(async move {
        while let Some(event) = events.next().await {
            if stops(mode, event) && !token.is_cancelled() {
                tracing::info!(?event, "stop requested by the operating system");
                token.cancel();
            } else {
                tracing::debug!(?event, "ignored: Terraform stops providers through RPCs");
            }
        }
    });
    Ok(())
}

/// SIGINT and SIGTERM.
#[cfg(unix)]
struct Events {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl Events {
    fn new() -> io::Result<Self> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Self {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }

    /// The next event; `None` once no more can arrive.
    async fn next(&mut self) -> Option<Event> {
        tokio::select! {
            Some(()) = self.interrupt.recv() => Some(Event::Interrupt),
            Some(()) = self.terminate.recv() => Some(Event::Terminate),
            else => None,
        }
    }
}

/// The console control events go-plugin's Windows clients send.
#[cfg(windows)]
struct Events {
    ctrl_c: tokio::signal::windows::CtrlC,
    ctrl_break: tokio::signal::windows::CtrlBreak,
    ctrl_close: tokio::signal::windows::CtrlClose,
    ctrl_shutdown: tokio::signal::windows::CtrlShutdown,
}

#[cfg(windows)]
impl Events {
    fn new() -> io::Result<Self> {
        use tokio::signal::windows::{ctrl_break, ctrl_c, ctrl_close, ctrl_shutdown};
        Ok(Self {
            ctrl_c: ctrl_c()?,
            ctrl_break: ctrl_break()?,
            ctrl_close: ctrl_close()?,
            ctrl_shutdown: ctrl_shutdown()?,
        })
    }

    /// The next event; `None` once no more can arrive.
    async fn next(&mut self) -> Option<Event> {
        tokio::select! {
            Some(()) = self.ctrl_c.recv() => Some(Event::Interrupt),
            Some(()) = self.ctrl_break.recv() => Some(Event::Interrupt),
            Some(()) = self.ctrl_close.recv() => Some(Event::Terminate),
            Some(()) = self.ctrl_shutdown.recv() => Some(Event::Terminate),
            else => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_debug_mode_stops_on_an_interrupt() {
        assert!(!stops(Mode::Managed, Event::Interrupt));
        assert!(stops(Mode::Managed, Event::Terminate));
        assert!(stops(Mode::Debug, Event::Interrupt));
        assert!(stops(Mode::Debug, Event::Terminate));
    }
}
