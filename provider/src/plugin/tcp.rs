//! The TCP listener go-plugin uses on Windows: 127.0.0.1 only, on the first free port of the range the
//! client allows. Only the client that holds the AutoMTLS key can talk to it; without AutoMTLS (debug
//! mode) any local process can, as with go-plugin itself.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::ops::RangeInclusive;

use tokio::net::TcpListener;

use super::PluginError;

/// Binds 127.0.0.1 on the first port of `ports` that is free. Must be called inside a tokio runtime.
pub(crate) async fn bind(ports: RangeInclusive<u16>) -> Result<(TcpListener, SocketAddr), PluginError> {
    let mut last = None;
    for port in ports.clone() {
        match TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await {
            Ok(listener) => {
                let address = listener.local_addr().map_err(PluginError::Listen)?;
                return Ok((listener, address));
            }
            Err(error) => last = Some(error),
        }
    }
    let reason = last.map_or_else(|| "the range is empty".to_owned(), |e| e.to_string());
    Err(PluginError::Listen(io::Error::new(
        io::ErrorKind::AddrInUse,
        format!(
            "no free TCP port on 127.0.0.1 in {}..={} (PLUGIN_MIN_PORT..PLUGIN_MAX_PORT): {reason}",
            ports.start(),
            ports.end()
        ),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn takes_the_next_port_when_the_first_is_busy() {
        let (busy, taken) = bind(0..=0).await.expect("a port the system picks");
        assert!(taken.ip().is_loopback());
        let first = taken.port();
        let Some(next) = first.checked_add(1) else { return };
        match bind(first..=next).await {
            Ok((_listener, address)) => assert_eq!(address.port(), next),
            // Another process may hold the next port too; then the error names the range.
            Err(error) => assert!(error.to_string().contains(&format!("{first}..={next}")), "{error}"),
        }
        drop(busy);
    }

    #[tokio::test]
    async fn a_range_without_a_free_port_is_an_error() {
        let (_busy, taken) = bind(0..=0).await.expect("a port the system picks");
        let port = taken.port();
        let error = bind(port..=port).await.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(error.contains("no free TCP port"), "{error}");
        assert!(error.contains("PLUGIN_MIN_PORT"), "{error}");
    }
}
