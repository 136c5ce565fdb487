//! The accept loop: takes connections off the plugin's listener, runs TLS handshakes concurrently (a slow
//! or rejected peer never blocks the next one) and hands finished connections to tonic as a stream.

use std::io;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio_rustls::TlsAcceptor;
use tokio_stream::wrappers::ReceiverStream;
use tokio_util::sync::CancellationToken;

use super::conn::PluginConn;
use super::listener::Listener;

/// How long a peer may take to finish the TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Pause after a failed `accept` (e.g. out of file descriptors) before trying again.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// Ready connections for `serve_with_incoming`. The stream ends when `shutdown` is cancelled.
pub(crate) fn incoming(
    listener: Listener,
    tls: Option<TlsAcceptor>,
    shutdown: CancellationToken,
) -> ReceiverStream<io::Result<PluginConn>> {
    let (tx, rx) = mpsc::channel(16);
    tokio::spawn(async move {
        loop {
            let accepted = tokio::select! {
                () = shutdown.cancelled() => break,
                accepted = listener.accept() => accepted,
            };
            let stream = match accepted {
                Ok(stream) => stream,
                Err(error) => {
                    tracing::warn!(%error, "accepting a plugin connection failed");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            };
            match &tls {
                None => {
                    if tx.send(Ok(PluginConn::Plain(stream))).await.is_err() {
                        break;
                    }
                }
                Some(acceptor) => {
                    let handshake = acceptor.accept(stream);
                    let tx = tx.clone();
                    tokio::spawn(async move {
                        match tokio::time::timeout(HANDSHAKE_TIMEOUT, handshake).await {
                            Ok(Ok(conn)) => {
                                tracing::debug!("plugin TLS connection established");
                                let _ = tx.send(Ok(PluginConn::Tls(Box::new(conn)))).await;
                            }
                            Ok(Err(error)) => {
                                tracing::warn!(%error, "plugin TLS handshake rejected");
                            }
                            Err(_) => tracing::warn!("plugin TLS handshake timed out"),
                        }
                    });
                }
            }
        }
    });
    ReceiverStream::new(rx)
}
